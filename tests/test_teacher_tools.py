"""The teacher's tools (``crm-course``) around nbgrader, in temporary copies of the course.

* feedback without the answer key, for every homework, through every route a teacher can
  take: ``crm-course feedback``, plain ``nbgrader generate_feedback`` in the course folder,
  and the formgrader's "generate feedback" button (``NbGraderAPI.generate_feedback``, the
  code its API handler calls); every generated file is searched for every hidden-test line
  and every answer literal written only in hidden tests;
* collect from an LMS zip with every kind of bad input; grade in parallel = serial nbgrader;
  only new or changed work is graded again; feedback stays fresh; grades with a status
  column; the class report.
"""

from __future__ import annotations

import ast
import csv
import datetime as dt
import html
import json
import re
import shutil
import subprocess
import sys
import warnings
import zipfile
from pathlib import Path

import nbformat
import pytest

from crm_course.answer_key import HIDDEN_LINE_NOTE, AnswerKey, HideAnswerKey, hidden_regions
from crm_course.cells import is_test, nbgrader_meta
from crm_course.collect import collect, decode_zip_name, normalise_student_id
from crm_course.course import Course
from crm_course.feedback import feedback, feedback_api
from crm_course.grades import export_grades, status_rows
from crm_course.grading import grade, time_budget
from crm_course.practice import answer_ids, build_submissions, cell_by_id, copy_course
from crm_course.report import class_report

REPO = Path(__file__).resolve().parent.parent
COURSE_DIR = REPO / "course" / "assignments"
HOMEWORK = sorted(p.name for p in (COURSE_DIR / "source").iterdir() if p.is_dir())
BIN = Path(sys.executable).parent


def _group(name: str) -> list:
    try:
        import xdist  # noqa: F401
    except ImportError:
        return []
    return [pytest.mark.xdist_group(name)]


def make_course(tmp: Path) -> Course:
    """A copy of the course folder: config, source/, release/, lesson_sections.csv."""
    return Course(copy_course(COURSE_DIR, tmp / "assignments"))


def gbk_zip(path: Path, files: dict[str, tuple[bytes, dt.datetime]]) -> None:
    """A zip like Windows' built-in one: names in GBK without the UTF-8 flag."""

    class GbkInfo(zipfile.ZipInfo):
        def _encodeFilenameFlags(self):  # noqa: N802 - zipfile's name
            return self.filename.encode("gbk"), self.flag_bits & ~0x800

    with zipfile.ZipFile(path, "w") as archive:
        for name, (data, when) in files.items():
            info = GbkInfo(name, date_time=when.timetuple()[:6])
            archive.writestr(info, data)


# ---------------------------------------------------------------------------------------
# What must never leave: hidden lines and answer literals (independent of the preprocessor)
# ---------------------------------------------------------------------------------------


def secrets_of(source_nb, visible: str) -> tuple[list[str], list[str]]:
    """Non-trivial hidden-test lines and literals written only in hidden tests.

    Literals: every constant on a hidden line that is not an ``assert`` message, strings of
    2+ characters that are not identifier-like names (column ``"action"``), numbers with 3+
    significant digits; anything the student can see anyway (``visible``: the released
    notebook and their own code) is no secret.
    """
    lines, literals = [], []
    for cell in source_nb.cells:
        if not is_test(cell):
            continue
        regions = hidden_regions(cell.source)
        hidden_nos = {n for a, b in regions for n in range(a, b + 1)}
        src = cell.source.split("\n")
        lines += [src[n - 1].strip() for n in sorted(hidden_nos) if len(src[n - 1].strip()) >= 8]
        messages = set()
        tree = ast.parse(cell.source)
        for node in ast.walk(tree):
            if isinstance(node, ast.Assert) and node.msg is not None:
                messages |= {id(n) for n in ast.walk(node.msg)}
        for node in ast.walk(tree):
            if not isinstance(node, ast.Constant) or id(node) in messages or node.lineno not in hidden_nos:
                continue
            if isinstance(node.value, str) and len(node.value.strip()) >= 2 and not node.value.isidentifier():
                literals.append(node.value)
            elif isinstance(node.value, (int, float)) and not isinstance(node.value, bool):
                text = ast.get_source_segment(cell.source, node)
                if len(text.replace(".", "").strip("0")) >= 3:
                    literals.append(text)
    return [ln for ln in lines if ln not in visible], [lit for lit in literals if lit not in visible]


def leaks(text: str, lines: list[str], literals: list[str]) -> list[str]:
    """Secrets found in ``text`` (raw HTML and its visible text both searched)."""
    text = re.sub(r"<(style|script)\b.*?</\1>", "", text, flags=re.S)  # the page's CSS and JS
    plain = html.unescape(re.sub(r"<[^>]+>", "", text))
    found = []
    for haystack in (text, plain):
        found += [f"hidden line: {ln}" for ln in lines if ln in haystack]
        for lit in literals:
            if re.fullmatch(r"[\d.]+", lit):
                if re.search(rf"(?<![\d.]){re.escape(lit)}(?![1-9])", haystack):
                    found.append(f"literal: {lit}")
            elif lit in haystack or html.escape(lit) in haystack:
                found.append(f"literal: {lit!r}")
    return sorted(set(found))


def student_of(path: Path) -> str:
    """s01 from feedback/s01/… or from s01_姓名_作业.html in the zip."""
    return next(part for part in (*path.parts[:-1], path.name.split("_")[0]) if re.fullmatch(r"s0\d", part))


SNOOP = (
    "\nprint(In)\n"
    "print({_k: _v for _k, _v in globals().items() if _k.startswith('_') and not _k.startswith('__')})"
)


@pytest.fixture(scope="module", params=[pytest.param(h, marks=_group(f"teacher_{h}")) for h in HOMEWORK])
def feedback_routes(request, tmp_path_factory):
    """One homework: solution, blank, partial and a snooping student, graded, feedback by 3 routes."""
    assignment = request.param
    course = make_course(tmp_path_factory.mktemp(assignment))
    src = course.source_notebooks(assignment)
    rel = {
        assignment: nbformat.read(course.root / "release" / assignment / f"{assignment}.ipynb", as_version=4)
    }
    subs, _ = build_submissions(src, rel)
    snoop = nbformat.from_dict(json.loads(json.dumps(subs["solution"][assignment])))
    last_answer = answer_ids({assignment: snoop})[-1][1]
    cell_by_id(snoop, last_answer).source += SNOOP
    students = {"s01": subs["solution"][assignment], "s02": subs["blank"][assignment]}
    students.update(s03=subs["partial"][assignment], s04=snoop)
    for sid, nb in students.items():
        path = course.submitted(sid, assignment)
        path.parent.mkdir(parents=True)
        nbformat.write(nb, path)
    report = grade(course, assignment, workers=2, progress=False)
    assert sorted(report.graded) == sorted(students), report.lines({})

    routes = {}

    def snapshot(name: str) -> None:
        routes[name] = {p: p.read_bytes() for p in (course.root / "feedback").rglob("*") if p.is_file()}
        shutil.rmtree(course.root / "feedback")

    result = feedback(course, assignment)
    assert not result.failed, result.lines()
    routes["crm-course feedback (zip)"] = {
        Path(n): zipfile.ZipFile(result.zip_path).read(n) for n in zipfile.ZipFile(result.zip_path).namelist()
    }
    snapshot("crm-course feedback")
    proc = course.run_nbgrader(["generate_feedback", assignment, "--force"])
    assert "HideAnswerKey" not in proc.stderr or "Traceback" not in proc.stderr
    snapshot("nbgrader generate_feedback")
    api = feedback_api(course)
    for sid in students:
        outcome = api.generate_feedback(assignment, sid)  # what the formgrader button calls
        assert outcome["success"], outcome
    snapshot("formgrader (NbGraderAPI.generate_feedback)")
    return assignment, course, src[assignment], rel[assignment], students, routes


def test_no_route_leaks_the_answer_key(feedback_routes):
    assignment, course, source_nb, release_nb, students, routes = feedback_routes
    problems = []
    for route, files in routes.items():
        assert len([p for p in files if str(p).endswith(".html")]) == len(students), (route, sorted(files))
        for path, data in files.items():
            sid = student_of(path)
            own = "\n".join(c.source for c in students[sid].cells if not is_test(c))
            lines, literals = secrets_of(source_nb, nbformat.writes(release_nb) + own)
            assert lines and literals, f"{assignment}: 找不到隐藏测试 / no hidden tests to look for"
            text = data.decode("utf-8", errors="replace")
            problems += [f"{route} {path.name}: {leak}" for leak in leaks(text, lines, literals)]
    assert not problems, "反馈泄露了标准答案 / feedback leaks the answer key:\n" + "\n".join(problems[:40])


def test_feedback_still_says_which_check_failed(feedback_routes):
    assignment, course, source_nb, _, students, routes = feedback_routes
    for route, files in routes.items():
        blank = next(data for path, data in files.items() if student_of(path) == "s02").decode("utf-8")
        plain = html.unescape(re.sub(r"<[^>]+>", "", blank))
        tests = [nbgrader_meta(c)["grade_id"] for c in source_nb.cells if is_test(c)]
        for gid in tests:
            assert f"检查 {gid} 没有通过" in plain, (route, gid)
        assert HIDDEN_LINE_NOTE.lstrip("# ") in plain, route
        assert "Traceback" not in plain.split("检查格（自动评分）")[-1] or "CellTimeoutError" in plain
        # every route renders the course's Chinese template (crm_course/templates/feedback/)
        english = [w for w in ("Score:", "Test cell", "Grade cell", "Student's answer") if w in plain]
        assert not english and "作业反馈：" in plain, (route, english)
        for gid in tests:
            assert f"检查格（自动评分）：{gid}得分 0 / " in plain, (route, gid)
        assert "No response" not in plain and "老师评语：没有作答" in plain, route
        # the visible part of every test cell is still shown, with its Chinese docstring
        doc = next(c for c in source_nb.cells if is_test(c)).source.split("\n")[0]
        assert doc in plain, route


def test_full_tests_only_when_asked(feedback_routes):
    assignment, course, source_nb, *_ = feedback_routes
    result = feedback(course, assignment, full_tests=True)
    assert result.full_tests and "完整的隐藏测试" in "\n".join(result.lines())
    text = course.feedback_html("s02", assignment).read_text(encoding="utf-8")
    assert "BEGIN HIDDEN TESTS" in text, "--full-tests 应该公布完整测试"
    own = "\n".join(c.source for c in feedback_routes[4]["s02"].cells if not is_test(c))
    lines, literals = secrets_of(source_nb, nbformat.writes(feedback_routes[3]) + own)
    assert leaks(text, lines, literals), "查泄露的方法本身要能发现完整测试 / the leak finder must see the key"
    again = feedback(course, assignment)  # back to the default: regenerated, hidden again
    assert sorted(again.generated) == ["s01", "s02", "s03", "s04"]
    assert "BEGIN HIDDEN TESTS" not in course.feedback_html("s01", assignment).read_text(encoding="utf-8")


# ---------------------------------------------------------------------------------------
# The preprocessor on its own (fast)
# ---------------------------------------------------------------------------------------


def _nb_with_test(source: str, outputs: list) -> nbformat.NotebookNode:
    from nbformat.v4 import new_code_cell, new_notebook

    answer = new_code_cell("x = 41\nprint(In)", outputs=[])
    answer.metadata["nbgrader"] = {
        "grade": False,
        "solution": True,
        "grade_id": "q1_answer",
        "schema_version": 3,
    }
    test = new_code_cell(source, outputs=outputs)
    test.metadata["nbgrader"] = {"grade": True, "solution": False, "grade_id": "q1_tests", "points": 1}
    return new_notebook(cells=[answer, test])


def test_hide_answer_key_scrubs_messages_and_outputs():
    from nbformat.v4 import new_output

    source = (
        '"""检查第 1 题。"""\nassert x > 0, "x 应该是正数"\n### BEGIN HIDDEN TESTS\n'
        '_want = "2025-11-11T11:09:00"\nassert x == 556.738372, "x 不对，应该是 " + _want\n### END HIDDEN TESTS'
    )
    error = new_output(
        "error",
        ename="AssertionError",
        evalue="x 不对，应该是 2025-11-11T11:09:00",
        traceback=["----> 5 assert x == 556.738372, ...", "AssertionError: x 不对"],
    )
    nb = _nb_with_test(source, [error])
    nb.cells[0].outputs = [
        new_output("stream", name="stdout", text="['x = 41', '_want = \"2025-11-11T11:09:00\"']\n")
    ]
    nb.cells[0].outputs.append(new_output("stream", name="stdout", text="556.7383720001 and 556.74\n"))
    out, _ = HideAnswerKey().preprocess(nb, {})
    text = nbformat.writes(out)
    assert "556.738372" not in text and "2025-11-11T11:09:00" not in text and "_want" not in text
    assert "x 应该是正数" in text and HIDDEN_LINE_NOTE in text
    assert out.cells[1].outputs[0].traceback == [
        "检查 q1_tests 没有通过（AssertionError）：x 不对，应该是 〔已隐藏〕"
    ]
    assert "556.74" in text, "相近但不同的数不该被遮住 / a different number must stay"

    shown, _ = HideAnswerKey(show_hidden_tests=True).preprocess(_nb_with_test(source, []), {})
    assert "BEGIN HIDDEN TESTS" in shown.cells[1].source


def test_answer_key_rules():
    key = AnswerKey.from_sources(
        [
            'assert a == 1\n### BEGIN HIDDEN TESTS\nassert a == 4056, "提示"\nassert b == "小陈"\n### END HIDDEN TESTS'
        ],
        visible_text="assert a == 1",
    )
    assert key.strings == ["小陈"] and key.numbers == ["4056"], key
    assert key.scrub("共 4056 笔、4056.0 笔、40567 笔") == "共 〔已隐藏〕 笔、〔已隐藏〕 笔、40567 笔"
    with pytest.raises(ValueError, match="缺少结束标记"):
        hidden_regions("### BEGIN HIDDEN TESTS\nx")
    with pytest.raises(ValueError, match="嵌套"):
        hidden_regions("### BEGIN HIDDEN TESTS\n### BEGIN HIDDEN TESTS\n### END HIDDEN TESTS")


def test_course_config_registers_the_preprocessor():
    """The course config puts HideAnswerKey in nbgrader's own GenerateFeedback list."""
    from nbgrader.preprocessors import GetGrades

    config = Course(COURSE_DIR).config()
    pps = config.GenerateFeedback.preprocessors
    assert pps[0] is GetGrades and HideAnswerKey in pps, pps


# ---------------------------------------------------------------------------------------
# A class of six for ps03: collect (with bad input) → grade → feedback → grades → report
# ---------------------------------------------------------------------------------------

PS03 = "ps03_service_kpis"
# the class tests share one course (module fixture) and run in file order on one xdist worker
CLASS_GROUP = pytest.mark.xdist_group("teacher_class")
T0 = dt.datetime(2026, 3, 2, 20, 0, 0)


def _ps03_cells() -> tuple[int, float]:
    """How many graded cells ps03 has and its autograded points (read from the instructor version)."""
    source = (
        Path(__file__).resolve().parents[1] / "course" / "assignments" / "source" / PS03 / f"{PS03}.ipynb"
    )
    graded = [
        nbgrader_meta(c) for c in nbformat.read(source, as_version=4).cells if nbgrader_meta(c).get("grade")
    ]
    auto = sum(m["points"] for m in graded if not m.get("solution"))
    return len(graded), float(auto)


@pytest.fixture(scope="module")
def klass(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("class")
    course = make_course(tmp)
    src = course.source_notebooks(PS03)
    rel = {PS03: nbformat.read(course.root / "release" / PS03 / f"{PS03}.ipynb", as_version=4)}
    subs, _ = build_submissions(src, rel)

    def nb(profile: str) -> bytes:
        return nbformat.writes(subs[profile][PS03]).encode("utf-8")

    wrong = (course.root / "release" / "ps01_workbench" / "ps01_workbench.ipynb").read_bytes()
    files = {
        f"2024010101_张三_{PS03}.ipynb": (nb("solution"), T0),  # GBK name
        f"2024010102_李四_{PS03} (1).ipynb": (nb("partial"), T0),  # browser rename
        f"2024010103_王五_{PS03}.ipynb": (nb("solution"), T0),  # two attempts: newest wins
        f"2024010103_王五_{PS03} (2).ipynb": (nb("partial"), T0 + dt.timedelta(hours=2)),
        f"0012345_赵六_{PS03}.ipynb": (nb("endless_loop"), T0),  # leading zeros
        f"2024010105_钱七_{PS03}.ipynb": (nb("solution")[:4000], T0),  # truncated
        "2024010106_孙八_ps01_workbench.ipynb": (wrong, T0),  # wrong assignment
        f"2024 010107_周九_{PS03}.ipynb": (nb("solution"), T0),  # id with a space
        f"学号_吴十_{PS03}.ipynb": (nb("solution"), T0),  # Chinese instead of an id
        f"2024010109_郑一_{PS03}.ipynb": (nb("solution") + b" " * 120_000, T0),  # oversized (limit below)
        "2024010110_冯二_作业.docx": (b"PK\x03\x04 not a notebook", T0),
    }
    zpath = tmp / "学习通导出.zip"
    gbk_zip(zpath, files)
    collected = collect(course, PS03, zpath, max_mb=0.1)
    graded = grade(course, PS03, workers=2, progress=False)
    return course, zpath, collected, graded, subs


@CLASS_GROUP
def test_collect_takes_and_skips_with_reasons(klass):
    course, zpath, collected, _, _ = klass
    taken = {e.student: e for e in collected.taken}
    assert sorted(taken) == ["0012345", "2024010101", "2024010102", "2024010103"], collected.lines()
    assert taken["2024010101"].name == "张三", "GBK 文件名要正确解码 / GBK names decoded"
    assert taken["2024010103"].path.endswith("(2).ipynb"), "最新的一次为准 / newest attempt wins"
    lines = "\n".join(collected.lines())
    for expected in (
        "同一学生交了多次，以最新的",
        "文件损坏",
        "作业交错了：这是 ps01_workbench 的笔记本",
        "学号 '2024 010107' 含有空格",
        "学号 '学号' 含有汉字",
        "文件太大",
        "不是 Jupyter 笔记本（.docx）",
    ):
        assert expected in lines, f"缺少：{expected}\n{lines}"
    originals = list((course.teacher_dir / "originals" / PS03).iterdir())
    assert [p.read_bytes() for p in originals] == [zpath.read_bytes()], "原始压缩包要原样保存"
    with course.gradebook() as gb:
        student = gb.find_student("2024010101")
        assert (student.last_name, student.first_name) == ("张", "三")


def test_decode_and_id_rules():
    info = zipfile.ZipInfo("x")
    info.filename = "张三.ipynb".encode("gbk").decode("cp437")
    assert decode_zip_name(info) == "张三.ipynb"
    info.filename = "李四.ipynb".encode().decode("cp437")
    assert decode_zip_name(info) == "李四.ipynb"
    assert normalise_student_id("０１２３") == "0123"
    with pytest.raises(ValueError, match="含有空格"):
        normalise_student_id("2024 01")
    with pytest.raises(ValueError, match="含有汉字"):
        normalise_student_id("二〇二四")
    with pytest.raises(ValueError, match="没有学号"):
        normalise_student_id(" ")


def test_collect_bad_sources(tmp_path):
    course = make_course(tmp_path)
    empty = tmp_path / "empty.zip"
    zipfile.ZipFile(empty, "w").close()
    report = collect(course, PS03, empty)
    assert report.message == "压缩包（文件夹）是空的，没有收到任何文件" and not report.taken
    with pytest.raises(ValueError, match="既不是 zip 压缩包也不是文件夹"):
        collect(course, PS03, tmp_path / "assignments" / "nbgrader_config.py")
    with pytest.raises(ValueError, match="没有作业 'ps99'"):
        collect(course, "ps99", empty)
    # one folder per student, wrapped in one more folder
    folder = tmp_path / "钉钉导出" / "作业三"
    (folder / "2024020201_陈一").mkdir(parents=True)
    release = course.root / "release" / PS03 / f"{PS03}.ipynb"
    shutil.copy2(release, folder / "2024020201_陈一" / "我的作业.ipynb")
    report = collect(course, PS03, tmp_path / "钉钉导出")
    assert [(e.student, e.name) for e in report.taken] == [("2024020201", "陈一")], report.lines()
    assert course.submitted("2024020201", PS03).read_bytes() == release.read_bytes()


@CLASS_GROUP
def test_grade_summary_and_timeout(klass):
    course, _, _, graded, _ = klass
    lines = "\n".join(graded.lines(course.roster()))
    assert sorted(graded.graded) == ["0012345", "2024010101", "2024010102", "2024010103"], lines
    assert list(graded.timed_out) == ["0012345"] and "超时被中断" in lines
    assert "2024010105" in graded.failed and "文件损坏" in graded.failed["2024010105"]
    assert "作业交错了" in graded.failed["2024010106"]
    assert graded.budget.cell_timeout < 60, "单元格时限由参考运行决定 / derived cell timeout"
    for word in ("已评分 4 份", "评分失败", "未交", "学号 '2024 010107' 含有空格", "学号 '学号' 含有汉字"):
        assert word in lines, word


def test_time_budget_rules():
    assert time_budget(0.5, 2.0, 60).cell_timeout == 6
    assert time_budget(100.0, 200.0, 60).cell_timeout == 60
    assert time_budget(0.0, 0.0, 60).cell_timeout == 5


@CLASS_GROUP
def test_parallel_grades_equal_serial_nbgrader(klass, tmp_path):
    """The same submissions graded by plain serial `nbgrader autograde` give the same scores."""
    course, *_ = klass
    serial = make_course(tmp_path)
    shutil.copytree(course.root / "submitted", serial.root / "submitted")
    serial.run_nbgrader(["generate_assignment", PS03, "--force"])
    serial.run_nbgrader(["autograde", PS03, "--Execute.timeout=6"], check=False)

    def scores(c: Course) -> dict:
        with c.gradebook() as gb:
            return {
                (s.student.id, g.name): g.auto_score
                for s in gb.find_assignment(PS03).submissions
                for g in s.notebooks[0].grades
                if s.student.id in ("0012345", "2024010101", "2024010102", "2024010103")
            }

    got, want = scores(course), scores(serial)
    assert got == want and len(got) == 4 * _ps03_cells()[0]


@CLASS_GROUP
def test_only_new_or_changed_work_is_graded(klass, tmp_path):
    course, _, _, _, subs = klass
    again = grade(course, PS03, workers=2, progress=False)
    assert again.graded == [] and sorted(again.unchanged) == [
        "0012345",
        "2024010101",
        "2024010102",
        "2024010103",
    ]
    newer = tmp_path / "补交.zip"
    late = nbformat.writes(subs["solution"][PS03]).encode("utf-8")
    gbk_zip(newer, {f"2024010102_李四_{PS03}.ipynb": (late, T0 + dt.timedelta(days=1))})
    collect(course, PS03, newer)
    assert [r.status for r in status_rows(course, PS03)[1] if r.student == "2024010102"] == ["待评分"]
    third = grade(course, PS03, workers=2, progress=False)
    assert third.graded == ["2024010102"], third.lines({})
    row = next(r for r in status_rows(course, PS03)[1] if r.student == "2024010102")
    assert row.total == _ps03_cells()[1], row  # the solution: full autograded marks


@CLASS_GROUP
def test_feedback_fresh_named_zipped(klass):
    course, *_ = klass
    first = feedback(course, PS03)
    # 简答 answered (solution, endless loop) wait for the teacher; an untouched 简答 (partial)
    # is scored 0 by nbgrader and needs no grading
    waiting = sorted(r.student for r in status_rows(course, PS03)[1] if r.status == "简答未评")
    assert sorted(first.manual_pending) == waiting and {"0012345", "2024010101"} <= set(waiting)
    assert "2024010103" not in waiting
    names = sorted(zipfile.ZipFile(first.zip_path).namelist())
    assert f"2024010101_张三_{PS03}.html" in names and f"0012345_赵六_{PS03}.html" in names, names
    assert not any("2024010105" in n for n in names), "评分失败的没有反馈"
    second = feedback(course, PS03)
    assert second.generated == [] and len(second.unchanged) == 4
    with course.gradebook() as gb:  # the teacher grades one 简答 in the formgrader
        g = gb.find_grade("q7_answer", PS03, PS03, "2024010101")
        g.manual_score = 2.5
        g.needs_manual_grade = False  # what the formgrader's grade handler does
        gb.db.commit()
    third = feedback(course, PS03)
    assert third.generated == ["2024010101"] and "2024010101" not in third.manual_pending


@CLASS_GROUP
def test_grades_tables(klass):
    course, *_ = klass
    feedback(course, PS03)  # any order of steps works
    xlsx, csv_path = export_grades(course, PS03)
    raw = csv_path.read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf"), "CSV 要带 BOM"
    table = list(csv.DictReader(raw.decode("utf-8-sig").splitlines()))
    rows = {r["学号"]: r for r in table if r["学号"]}
    assert rows["0012345"]["姓名"] == "赵六" and rows["0012345"]["状态"] in ("已评", "简答未评")
    assert "超时被中断" in rows["0012345"]["说明"]
    failed = rows["2024010105"]
    assert failed["状态"] == "评分失败" and "文件损坏" in failed["说明"]
    total = next(k for k in failed if k.startswith("总分"))
    assert failed[total] == "" and all(failed[k] == "" for k in failed if k.startswith("第")), (
        "失败不能显示分数"
    )
    assert rows["2024010106"]["状态"] == "评分失败" and "作业交错了" in rows["2024010106"]["说明"]
    unmatched = [r for r in table if not r["学号"]]  # files no 学号 could be read from
    assert [r["状态"] for r in unmatched] == ["评分失败"] * 2, unmatched
    assert any("含有空格" in r["说明"] for r in unmatched) and any("含有汉字" in r["说明"] for r in unmatched)
    assert any(r["状态"] == "简答未评" for r in rows.values())
    assert any(r["状态"] == "已评" for r in rows.values())

    from openpyxl import load_workbook

    ws = load_workbook(xlsx).active
    ids = {ws.cell(r, 1).value: ws.cell(r, 1) for r in range(2, ws.max_row + 1)}
    assert ids["0012345"].data_type == "s" and ids["0012345"].number_format == "@", "学号是文本"
    statuses = {ws.cell(r, ws.max_column - 1).value for r in range(2, ws.max_row + 1)}
    assert statuses <= {"已评", "简答未评", "评分失败", "未交", "待评分"}


@CLASS_GROUP
def test_missing_student_is_listed(klass):
    course, *_ = klass
    with course.gradebook() as gb:
        gb.update_or_create_student("2024019999", last_name="缺", first_name="交")
    rows = {r.student: r for r in status_rows(course, PS03)[1]}
    assert rows["2024019999"].status == "未交" and rows["2024019999"].total is None
    assert "2024019999" in grade(course, PS03, workers=1, progress=False).missing


@CLASS_GROUP
def test_class_report(klass):
    course, *_ = klass
    page, notebook = class_report(course, PS03)
    text = page.read_text(encoding="utf-8")
    for expected in ("班级报告", "满分率", "05 客服数据指标 · 三、客单价与笔单价", "最常见的没通过的检查",
                     "评分失败", "文件损坏", "超时", "data:image/png;base64,"):  # fmt: skip
        assert expected in text, expected
    nb = nbformat.read(notebook, as_version=4)
    assert sum(1 for c in nb.cells if c.get("outputs")) == 2
    from nbclient import NotebookClient

    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        NotebookClient(nb, timeout=120).execute()  # the teacher can re-run it
    assert all(o.output_type != "error" for c in nb.cells for o in c.get("outputs", []))


def test_console_script_without_path_fiddling(tmp_path):
    """`crm-course` works when the environment is not activated (nbgrader's alembic call)."""
    course = make_course(tmp_path)
    env = {"PATH": "/usr/bin:/bin", "HOME": str(tmp_path), "LANG": "C.UTF-8"}
    zpath = tmp_path / "练习.zip"
    made = subprocess.run(
        [str(BIN / "crm-course"), "practice", PS03, str(zpath), "--size", "2", "--endless", "0"],
        cwd=course.root,
        env=env,
        capture_output=True,
        text=True,
        encoding="utf-8",
    )
    assert made.returncode == 0 and zpath.is_file(), made.stdout + made.stderr
    proc = subprocess.run(
        [str(BIN / "crm-course"), "collect", PS03, str(zpath)],
        cwd=course.root,
        env=env,
        capture_output=True,
        text=True,
        encoding="utf-8",
    )
    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert "收下 2 份" in proc.stdout and course.db_path.exists()
    bad = subprocess.run(
        [str(BIN / "crm-course"), "grades", "ps99"], cwd=course.root, env=env, capture_output=True, text=True
    )
    assert bad.returncode == 2 and "没有作业 'ps99'" in bad.stderr
