'''nbgrader round trip for every homework in ``course/assignments/source/ps*/``.

Each assignment (plus a small example assignment built in a temporary directory, so the
harness itself is tested even while ``source/`` is empty) goes through the teacher's real
workflow in a temporary copy of the course: ``generate_assignment`` → fake submissions →
``autograde`` → scores read from the gradebook → ``generate_feedback`` → ``export``.

Fake students and what they must get (autograded points; 简答题 are graded by hand):

=================  ===========================================================  ==========
student            submission                                                   expected
=================  ===========================================================  ==========
solution           the instructor notebook from ``source/``                     full marks
blank              the released notebook, untouched                             0, no crash
partial            released + solutions put back in the first half of the       0 < s < full
                   autograded answer cells (matched by grade_id)
tampered_pass      partial, every test cell replaced by ``pass`` (unlocked,     = partial
                   points ×10)
tampered_deleted   partial, every test cell deleted                             = partial
missing_first      solution, first autograded answer back to the stub           reference
endless_loop       solution, first autograded answer = ``while True: pass``     = missing_first
                   (graded with a 5 s per-cell timeout)
cheater            solution, every autograded answer binds its names to an      0
                   object that equals everything, and rebinds builtins
=================  ===========================================================  ==========

How to write a test cell (作业测试单元格的写法)
---------------------------------------------
One task = a question (markdown) → one answer cell ("Autograded answer", grade_id ``qN_answer``)
→ directly after it, its test cell ("Autograder tests", grade_id ``qN_tests``, with points)::

    """检查第2题：order_unit_price 返回 float 类型的笔单价，空列表返回 0.0。"""
    import builtins as _b

    assert "order_unit_price" in _b.globals(), "第 2 题还没有作答：请先完成上面的答案单元格并运行它（还没有函数 order_unit_price）"
    try:
        _r = order_unit_price([100.0, 50.0])
    except _b.NotImplementedError:
        raise _b.AssertionError("第 2 题还没有作答：在函数 order_unit_price 里写好代码、删掉 raise NotImplementedError 那一行") from None
    assert _b.type(_r) is _b.float, "order_unit_price 应该返回小数（float）"
    assert _r == 75.0, "[100.0, 50.0] 的笔单价应该是 75.0"
    ### BEGIN HIDDEN TESTS
    _r = order_unit_price([])
    assert _b.type(_r) is _b.float and _r == 0.0, "没有订单时应该返回 0.0"
    ### END HIDDEN TESTS

1. Start with a ``"""检查…"""`` docstring that says what is checked.
2. Trust nothing the student's cells could have rebound. Import what the test needs inside
   the cell under a private name (``import builtins as _b``, ``import pandas as _pd``) and call
   ``_b.type``, ``_b.abs``, ``_b.len``, ``_b.round`` …, never the bare ``type``, ``abs``,
   ``isinstance``, ``len``, ``round``, ``float``, ``int``, ``sum``, ``max``, ``min``, ``all``,
   ``any``. Never compute the expected value with a function the student can reach (a helper
   defined in the notebook, an object created in a setup cell): the student can rebind it.
3. Check the exact type before comparing anything: ``_b.type(x) is _b.float`` (not
   ``isinstance``: subclasses can override ``==``, and ``True`` is an ``int``). For containers
   check the type of every key and element too (``{"交易成功": obj}`` equals any dict when ``obj``
   equals everything); for DataFrames use ``_pd.testing.assert_frame_equal`` (it checks dtypes).
4. Compare with literal values written in the test cell (work them out once when writing the
   assignment): ``assert _b.abs(x - 130.25) < 1e-9``.
5. End the cell with a statement (an ``assert``), never a bare expression: nbgrader reads a
   number shown as the cell's result as partial credit (``nbgrader/utils.py`` determine_grade).
6. Print nothing to stderr — nbgrader gives 0 to a test cell with any stderr output, warnings
   included (wrap noisy calls in ``warnings.catch_warnings()``).
7. Put each test cell right after its answer cell or after another test cell, never after a
   read-only cell: nbgrader 0.9.6 crashes when it restores a deleted test cell whose
   predecessor is a read-only cell (``OverwriteCells.add_missing_grade_cells``).
8. Name test variables with a leading underscore (``_r``, ``_k``); hide the grading checks in
   ``### BEGIN/END HIDDEN TESTS`` and keep one small visible check so students can self-check.
9. First say whether the task was answered at all: ``assert "name" in _b.globals(), "第 N 题还没有
   作答：请先完成上面的答案单元格并运行它（还没有变量 name）"`` for every name the task asks for,
   and for a function call the first visible call inside ``try`` / ``except _b.NotImplementedError``
   (the stub) raising ``_b.AssertionError("第 N 题还没有作答：…") from None``. Validate on an
   untouched homework then lists "第 N 题还没有作答" for every task instead of ``NameError`` or
   ``NotImplementedError`` (checked by ``test_unanswered_tasks_say_so_in_chinese``).
10. Grade a task in parts when one slip should not cost the whole task: several test cells
    right after its answer cell, grade_ids ``qN_tests`` then ``qN_tests_<part>`` (e.g.
    ``q3_tests_night``), each with its own points and each starting with the check of rule 9.
    A later task never needs an earlier task's answer (give it its own input: a function
    argument, or data the question names), so one wrong answer loses one task's points.
'''

from __future__ import annotations

import csv
import dataclasses
import importlib.util
import json
import re
import shutil
import subprocess
import sys
import time
import warnings
from pathlib import Path

import nbformat
import pytest
from helpers import LESSONS_DIR

from crm_course.practice import (
    EXAMPLE_EXPECTED,
    EXAMPLE_ID,
    PROFILES,
    answer_ids,
    build_example_assignment,
    build_submissions,
    cell_by_id,
    is_test,
)
from crm_course.practice import nbgrader_meta as _nbg

REPO = Path(__file__).resolve().parent.parent
COURSE_DIR = REPO / "course" / "assignments"
RELEASE_TOOL = REPO / "tools" / "release_assignments.py"

_spec = importlib.util.spec_from_file_location("release_assignments", RELEASE_TOOL)
release_tool = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(release_tool)

ENDLESS_TIMEOUT = 5  # seconds per cell for the endless_loop student only
MAIN_STUDENTS = tuple(p for p in PROFILES if p != "endless_loop")  # endless_loop is graded apart

# ---------------------------------------------------------------------------------------
# Running nbgrader and reading the gradebook
# ---------------------------------------------------------------------------------------


@dataclasses.dataclass
class Grade:
    notebook: str
    grade_id: str
    kind: str  # "auto" (autograder tests) or "manual" (manually graded answer)
    auto_score: float | None
    max_score: float
    needs_manual_grade: bool


@dataclasses.dataclass
class RoundTrip:
    assignment: str
    root: Path
    source_nbs: dict[str, nbformat.NotebookNode]
    release_nbs: dict[str, nbformat.NotebookNode]
    broken: tuple[str, str] | None
    grades: dict[str, list[Grade]]
    logs: dict[str, str]
    times: dict[str, float]
    expected: dict[str, float] | None

    # -- helpers used by the tests --------------------------------------------------------
    def autograded_nb(self, student: str, notebook: str) -> nbformat.NotebookNode:
        path = self.root / "autograded" / student / self.assignment / f"{notebook}.ipynb"
        assert path.is_file(), (
            f"autograde 没有为学生 {student} 生成 {path.name}（评分崩溃？）/ "
            f"autograde produced no {path} for {student!r} (crashed?)\n{self.log_tail(student)}"
        )
        return nbformat.read(path, as_version=4)

    def log_tail(self, student: str) -> str:
        log = self.logs["endless" if student == "endless_loop" else "autograde"]
        lines = [ln for ln in log.splitlines() if "ERROR" in ln or "Error" in ln]
        return "nbgrader log (errors):\n" + "\n".join(lines[-30:])

    def graded(self, student: str) -> list[Grade]:
        for notebook in self.source_nbs:
            self.autograded_nb(student, notebook)  # fails with the log if autograde crashed
        return self.grades[student]

    def auto_total(self, student: str) -> float:
        return sum(g.auto_score or 0.0 for g in self.graded(student) if g.kind == "auto")

    def auto_max(self) -> float:
        return sum(g.max_score for g in self.grades["solution"] if g.kind == "auto")

    def table(self, *students: str) -> str:
        """Per-cell scores, for assertion messages."""
        lines = [f"作业 assignment {self.assignment}: 每个单元格的得分 / per-cell scores"]
        for student in students:
            lines.append(f"  学生 student {student!r}:")
            for g in self.grades.get(student, []):
                kind = "自动 auto  " if g.kind == "auto" else "人工 manual"
                score = "None" if g.auto_score is None else f"{g.auto_score:g}"
                lines.append(f"    {g.notebook}/{g.grade_id:<24} {kind} {score:>5} / {g.max_score:g}")
            if student in self.grades:
                lines.append(
                    f"    自动评分合计 autograded total: {self.auto_total(student):g} / {self.auto_max():g}"
                )
        return "\n".join(lines)


def _run_many(commands: dict[str, list[str]], cwd: Path, env: dict[str, str]) -> dict:
    """Run ``nbgrader`` commands side by side; return ``{name: (returncode, log, seconds)}``.

    Only for commands that merely read the gradebook (sqlite allows concurrent readers).
    """
    start = time.perf_counter()
    procs = {
        name: subprocess.Popen(
            [sys.executable, "-m", "nbgrader", *args],
            cwd=cwd,
            env=env,
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            text=True,
            encoding="utf-8",
            errors="replace",
        )
        for name, args in commands.items()
    }
    results = {}
    for name, proc in procs.items():
        log, _ = proc.communicate()
        results[name] = (proc.returncode, log, time.perf_counter() - start)
    return results


def _run(args: list[str], cwd: Path, env: dict[str, str]) -> tuple[int, str, float]:
    return _run_many({"one": args}, cwd, env)["one"]


def read_grades(root: Path, assignment: str, notebooks, students) -> dict[str, list[Grade]]:
    from nbgrader.api import Gradebook, MissingEntry
    from traitlets.config.loader import PyFileConfigLoader

    course_id = (
        PyFileConfigLoader("nbgrader_config.py", path=str(root)).load_config().CourseDirectory.course_id
    )

    order = {
        (name, _nbg(cell)["grade_id"]): i
        for name, nb in notebooks.items()
        for i, cell in enumerate(nb.cells)
        if _nbg(cell).get("grade_id")
    }
    result: dict[str, list[Grade]] = {}
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # SQLAlchemy 2.x warnings from nbgrader's models
        with Gradebook(f"sqlite:///{root / 'gradebook.db'}", course_id) as gb:
            for student in students:
                grades = []
                for name in notebooks:
                    manual = {c.name for c in gb.find_notebook(name, assignment).solution_cells}
                    try:
                        sub = gb.find_submission_notebook(name, assignment, student)
                    except MissingEntry:
                        continue
                    for g in sub.grades:
                        grades.append(
                            Grade(
                                notebook=name,
                                grade_id=g.name,
                                kind="manual" if g.name in manual else "auto",
                                auto_score=g.auto_score,
                                max_score=g.max_score,
                                needs_manual_grade=g.needs_manual_grade,
                            )
                        )
                grades.sort(key=lambda g: order.get((g.notebook, g.grade_id), 10**6))
                result[student] = grades
    return result


def round_trip(assignment: str, source_dir: Path, workdir: Path, expected=None) -> RoundTrip:
    """Run the whole nbgrader workflow for one assignment in ``workdir``."""
    times: dict[str, float] = {}
    logs: dict[str, str] = {}
    root = workdir / "course"
    (root / "source").mkdir(parents=True)
    # The course config derives every path (root, gradebook.db, exchange/) from its own
    # location, so a verbatim copy points everything into the temporary directory.
    shutil.copy2(COURSE_DIR / "nbgrader_config.py", root / "nbgrader_config.py")
    shutil.copytree(source_dir, root / "source" / assignment, ignore=release_tool._IGNORE)
    env = release_tool.nbgrader_env(workdir)

    rc, log, times["generate"] = _run(["generate_assignment", assignment, "--force"], root, env)
    assert rc == 0, f"generate_assignment 失败 / failed:\n{log}"
    release_dir = root / "release" / assignment
    names = sorted(p.stem for p in (root / "source" / assignment).glob("*.ipynb"))
    source_nbs = {n: nbformat.read(root / "source" / assignment / f"{n}.ipynb", as_version=4) for n in names}
    release_nbs = {n: nbformat.read(release_dir / f"{n}.ipynb", as_version=4) for n in names}

    submissions, broken = build_submissions(source_nbs, release_nbs)
    extra_files = [p for p in release_dir.rglob("*") if p.is_file() and p.suffix != ".ipynb"]

    def submit(student: str) -> None:
        folder = root / "submitted" / student / assignment
        folder.mkdir(parents=True)
        for path in extra_files:  # data files the student received
            target = folder / path.relative_to(release_dir)
            target.parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(path, target)
        for name, nb in submissions[student].items():
            nbformat.write(nb, folder / f"{name}.ipynb")

    main_students = [s for s in MAIN_STUDENTS if s in submissions]
    for student in main_students:
        submit(student)
    # the course's own per-cell timeout (nbgrader_config.py) applies here
    rc, logs["autograde"], times["autograde"] = _run(["autograde", assignment], root, env)

    students = list(main_students)
    if "endless_loop" in submissions:
        submit("endless_loop")
        rc, logs["endless"], times["endless_loop"] = _run(
            [
                "autograde",
                assignment,
                "--student=endless_loop",
                f"--Execute.timeout={ENDLESS_TIMEOUT}",
            ],
            root,
            env,
        )
        students.append("endless_loop")

    # both only read the gradebook, so they run side by side
    done = _run_many(
        {"feedback": ["generate_feedback", assignment, "--student=solution"], "export": ["export"]},
        root,
        env,
    )
    logs.update({name: log for name, (_, log, _) in done.items()})
    times["feedback+export"] = max(seconds for _, _, seconds in done.values())

    grades = read_grades(root, assignment, source_nbs, students)
    return RoundTrip(
        assignment=assignment,
        root=root,
        source_nbs=source_nbs,
        release_nbs=release_nbs,
        broken=broken,
        grades=grades,
        logs=logs,
        times=times,
        expected=expected,
    )


# Autograded points per fake student for the course's homework (the hidden tests hold the
# literals of each homework's shop; re-pin these when a homework or its shop changes).
# partial = the first half of the answers (ps04: 2 of 5; ps05: three of seven); missing_first / endless_loop lose 第 1 题 only.
ASSIGNMENT_EXPECTED = {
    "ps01_workbench": {  # 3 + 2 + 2 + 3 + 2 + 2 = 14
        "solution": 14.0,
        "blank": 0.0,
        "partial": 7.0,
        "tampered_pass": 7.0,
        "tampered_deleted": 7.0,
        "missing_first": 11.0,
        "endless_loop": 11.0,
        "cheater": 0.0,
    },
    "ps02_orders_reminders": {  # 2 + 2 + 3 + 3 + 3 + 2 = 15
        "solution": 15.0,
        "blank": 0.0,
        "partial": 7.0,
        "tampered_pass": 7.0,
        "tampered_deleted": 7.0,
        "missing_first": 13.0,
        "endless_loop": 13.0,
        "cheater": 0.0,
    },
    "ps03_service_kpis": {  # 2 + 2 + 4 + 4 + 2 + 3 = 17
        "solution": 17.0,
        "blank": 0.0,
        "partial": 8.0,
        "tampered_pass": 8.0,
        "tampered_deleted": 8.0,
        "missing_first": 15.0,
        "endless_loop": 15.0,
        "cheater": 0.0,
    },
    "ps04_after_sales_customers": {  # 5 + 4 + 4 + 3 + 5 = 21 (第 1 题 is the workbench task)
        "solution": 21.0,
        "blank": 0.0,
        "partial": 9.0,
        "tampered_pass": 9.0,
        "tampered_deleted": 9.0,
        "missing_first": 16.0,
        "endless_loop": 16.0,
        "cheater": 0.0,
    },
    "ps05_groups_crowds": {  # (2 + 2 + 2) + (1 + 2) + 3 + 3 + 3 + 3 + (2 + 1) = 24; partial = 第 1～3 题
        "solution": 24.0,
        "blank": 0.0,
        "partial": 12.0,
        "tampered_pass": 12.0,
        "tampered_deleted": 12.0,
        "missing_first": 18.0,
        "endless_loop": 18.0,
        "cheater": 0.0,
    },
}


# ---------------------------------------------------------------------------------------
# Parametrisation: every source/ps*/ plus the example
# ---------------------------------------------------------------------------------------


def _group(name: str) -> list:
    """Keep one assignment's tests on one xdist worker (`pytest -n auto --dist loadgroup`)."""
    if importlib.util.find_spec("xdist") is None:
        return []
    return [pytest.mark.xdist_group(name)]


CASES = [
    pytest.param(name, id=name, marks=_group(name)) for name in release_tool.find_assignments(COURSE_DIR)
] + [pytest.param(EXAMPLE_ID, id=EXAMPLE_ID, marks=_group(EXAMPLE_ID))]


@pytest.fixture(scope="module", params=CASES)
def rt(request, tmp_path_factory) -> RoundTrip:
    assignment = request.param
    workdir = tmp_path_factory.mktemp(assignment)
    if assignment == EXAMPLE_ID:
        source_dir = build_example_assignment(workdir / "example_source")
        expected = EXAMPLE_EXPECTED
    else:
        source_dir = COURSE_DIR / "source" / assignment
        expected = ASSIGNMENT_EXPECTED.get(assignment)
    start = time.perf_counter()
    result = round_trip(assignment, source_dir, workdir, expected)
    total = time.perf_counter() - start
    phases = ", ".join(f"{k} {v:.1f}s" for k, v in result.times.items())
    line = f"[nbgrader round trip] {assignment}: {total:.1f}s ({phases})"
    reporter = request.config.pluginmanager.get_plugin("terminalreporter")
    capman = request.config.pluginmanager.get_plugin("capturemanager")
    if reporter is not None and capman is not None:  # None under xdist workers
        with capman.global_and_fixture_disabled():
            reporter.write_line("\n" + line)
    return result


def _check_expected(rt: RoundTrip, student: str) -> None:
    if rt.expected and student in rt.expected:
        assert rt.auto_total(student) == rt.expected[student], (
            f"{rt.assignment}：{student} 应得 {rt.expected[student]:g} 分 / expects "
            f"{rt.expected[student]:g}\n{rt.table(student)}"
        )


# ---------------------------------------------------------------------------------------
# The checks
# ---------------------------------------------------------------------------------------


def test_release_has_no_solutions(rt: RoundTrip):
    """学生版里没有答案和隐藏测试，数据文件也发下去了。"""
    for name, nb in rt.release_nbs.items():
        text = nbformat.writes(nb)
        for marker in ("BEGIN SOLUTION", "END SOLUTION", "BEGIN HIDDEN TESTS"):
            assert marker not in text, f"学生版 {name} 里还有 {marker} / release leaks {marker}"
    if rt.assignment == EXAMPLE_ID:
        text = nbformat.writes(rt.release_nbs[EXAMPLE_ID])
        assert "请完成这道题" in text and "请在这里写下你的答案。" in text, "中文占位没有生效"
        assert (rt.root / "release" / EXAMPLE_ID / "orders.csv").is_file(), "数据文件没有发布"
        assert "130.25" not in text and "_r == 0.0" not in text, "隐藏测试泄露 / hidden test leaked"


def test_solution_gets_full_marks(rt: RoundTrip):
    grades = rt.graded("solution")
    assert grades, f"成绩库里没有 solution 的成绩 / no grades\n{rt.log_tail('solution')}"
    lost = [g for g in grades if g.kind == "auto" and g.auto_score != g.max_score]
    assert not lost, (
        "教师版（答案）没有拿到全部自动评分 / the solution notebook lost autograded points\n"
        + rt.table("solution")
    )
    assert rt.auto_total("solution") == rt.auto_max() > 0, rt.table("solution")
    manual = [g for g in grades if g.kind == "manual"]
    assert all(g.needs_manual_grade and g.auto_score is None for g in manual), (
        "简答题应该等老师批改 / manual answers must wait for the teacher\n" + rt.table("solution")
    )
    _check_expected(rt, "solution")


def test_solution_test_cells_write_nothing_to_stderr(rt: RoundTrip):
    noisy = []
    for name in rt.source_nbs:
        for cell in rt.autograded_nb("solution", name).cells:
            if not is_test(cell):
                continue
            for out in cell.get("outputs", []):
                if out.get("output_type") == "stream" and out.get("name") == "stderr":
                    noisy.append(f"{name}/{_nbg(cell)['grade_id']}: {out.get('text', '')[:300]}")
                if out.get("output_type") == "error":
                    noisy.append(f"{name}/{_nbg(cell)['grade_id']}: {out.get('ename')}")
    assert not noisy, (
        "测试单元格不能往 stderr 写东西（nbgrader 会记 0 分）/ test cells wrote to stderr or "
        "raised in the solution run:\n  " + "\n  ".join(noisy)
    )


def test_blank_scores_zero(rt: RoundTrip):
    grades = rt.graded("blank")
    assert grades, f"blank 没有成绩 / no grades\n{rt.log_tail('blank')}"
    scored = [g for g in grades if (g.auto_score or 0) != 0]
    assert not scored, "没做的作业必须是 0 分 / an untouched notebook must score 0\n" + rt.table("blank")


def test_partial_scores_in_between(rt: RoundTrip):
    if len(answer_ids(rt.source_nbs)) < 2:
        pytest.skip("只有一个自动评分答案单元格 / fewer than 2 autograded answers")
    total = rt.auto_total("partial")
    assert 0 < total < rt.auto_max(), (
        "只做了一半应该得部分分 / half the answers must give partial credit\n"
        + rt.table("partial", "solution")
    )
    _check_expected(rt, "partial")


@pytest.mark.parametrize("student", ["tampered_pass", "tampered_deleted"])
def test_tampered_tests_are_restored(rt: RoundTrip, student: str):
    if len(answer_ids(rt.source_nbs)) < 2:
        pytest.skip("只有一个自动评分答案单元格 / fewer than 2 autograded answers")
    got = {(g.notebook, g.grade_id): (g.auto_score, g.max_score) for g in rt.graded(student)}
    want = {(g.notebook, g.grade_id): (g.auto_score, g.max_score) for g in rt.graded("partial")}
    assert got == want, (
        "改动或删除测试单元格不能改变得分 / tampering with test cells changed the score\n"
        + rt.table(student, "partial")
    )
    # nbgrader really put the instructor's test cells (with hidden tests) back
    for name, source_nb in rt.source_nbs.items():
        graded = {_nbg(c).get("grade_id"): c for c in rt.autograded_nb(student, name).cells}
        for cell in source_nb.cells:
            if is_test(cell):
                gid = _nbg(cell)["grade_id"]
                assert gid in graded, f"{student}: 测试单元格 {gid} 没有被放回 / not restored"
                assert graded[gid].source.endswith(cell.source), (
                    f"{student}: 测试单元格 {gid} 没有恢复原样 / not restored verbatim"
                )
    _check_expected(rt, student)


def test_endless_loop_times_out_and_rest_is_graded(rt: RoundTrip):
    if rt.broken is None:
        pytest.skip("没有自动评分答案单元格 / no autograded answer cell")
    name, gid = rt.broken
    cell = cell_by_id(rt.autograded_nb("endless_loop", name), gid)
    enames = [o.get("ename") for o in cell.get("outputs", []) if o.get("output_type") == "error"]
    assert "CellTimeoutError" in enames, (
        f"死循环单元格 {gid} 应该因超时被中断 / {gid} should be interrupted by the timeout, "
        f"got errors {enames}"
    )
    got = {(g.notebook, g.grade_id): g.auto_score for g in rt.graded("endless_loop")}
    want = {(g.notebook, g.grade_id): g.auto_score for g in rt.graded("missing_first")}
    assert got == want, (
        f"死循环只应让依赖 {gid} 的测试失分，后面的题照常评分 / the endless loop in {gid} must "
        "cost exactly the points of the tests that depend on it\n" + rt.table("endless_loop", "missing_first")
    )
    assert rt.auto_total("endless_loop") < rt.auto_max(), rt.table("endless_loop")
    assert rt.times["endless_loop"] >= ENDLESS_TIMEOUT
    _check_expected(rt, "missing_first")
    if rt.assignment == EXAMPLE_ID:  # later tasks were really executed and graded
        later = [g for g in rt.grades["endless_loop"] if g.grade_id in ("q2_tests", "q3_tests")]
        assert all(g.auto_score == g.max_score for g in later), rt.table("endless_loop")
    _check_expected(rt, "endless_loop")


def test_unanswered_tasks_say_so_in_chinese(rt: RoundTrip):
    """An untouched homework: every test cell fails with "第 N 题还没有作答" (what Validate shows)."""
    wrong = []
    for name in rt.source_nbs:
        for cell in rt.autograded_nb("blank", name).cells:
            if not is_test(cell):
                continue
            gid = _nbg(cell)["grade_id"]
            number = re.fullmatch(r"q(\d+)_tests(?:_[a-z]+)?", gid).group(1)
            errors = [(o.ename, o.evalue) for o in cell.outputs if o.output_type == "error"]
            if not (
                len(errors) == 1
                and errors[0][0] == "AssertionError"
                and errors[0][1].startswith(f"第 {number} 题还没有作答：")
            ):
                wrong.append(f"{name}/{gid}: {errors}")
    assert not wrong, (
        "没作答的题目应该提示“第 N 题还没有作答”，而不是 NameError / NotImplementedError "
        "（见本文件开头的第 9 条）/ unanswered tasks must say so in Chinese:\n  " + "\n  ".join(wrong)
    )


def test_cheater_scores_zero(rt: RoundTrip):
    total = rt.auto_total("cheater")
    assert total == 0, (
        "测试单元格被“永远相等”的对象或改写的内置函数骗过了（见本文件开头的写法）/ a test cell "
        "was fooled by an always-equal object or rebound builtins (see the pattern at the top "
        "of this file)\n" + rt.table("cheater")
    )


def test_feedback_html_has_chinese(rt: RoundTrip):
    for name, nb in rt.source_nbs.items():
        html = rt.root / "feedback" / "solution" / rt.assignment / f"{name}.html"
        assert html.is_file(), f"没有生成反馈 / no feedback {html}\n{rt.logs['feedback']}"
        text = html.read_text(encoding="utf-8")
        markdown = "\n".join(c.source for c in nb.cells if c.cell_type == "markdown")
        runs = re.findall(r"[\u4e00-\u9fff]{2,}", markdown)
        assert runs, f"{name}: 没有中文说明 / no Chinese text in the markdown cells"
        missing = [r for r in runs[:20] if r not in text]
        assert not missing, f"反馈 HTML 缺少中文 / feedback HTML lacks Chinese text: {missing}"
        # the labels around the cells come from the course's template (templates/feedback/)
        english = [w for w in ("Score:", "Test cell", "Student's answer", "Grade cell", "(Top)") if w in text]
        assert not english, f"反馈页还有英文标签 / English labels in the feedback page: {english}"
        assert "作业反馈：" in text and "（总分 " in text, "反馈页开头应该有中文的总分"
        tests = [c for c in nb.cells if c.metadata.get("nbgrader", {}).get("grade") and c.cell_type == "code"]
        tests = [c for c in tests if not c.metadata["nbgrader"].get("solution")]
        assert text.count("检查格（自动评分）") == 2 * len(tests), (
            "每个检查格在得分表和题目处各有一个中文标签"
        )


def test_export_has_every_student(rt: RoundTrip):
    path = rt.root / "grades.csv"
    assert path.is_file(), f"nbgrader export 没有生成 grades.csv\n{rt.logs['export']}"
    with path.open(encoding="utf-8", newline="") as fh:
        rows = {row["student_id"]: row for row in csv.DictReader(fh)}
    assert set(rt.grades) <= set(rows), f"导出缺少学生 / students missing: {sorted(rows)}"
    assert float(rows["solution"]["raw_score"]) == rt.auto_max(), rows["solution"]
    assert float(rows["blank"]["raw_score"]) == 0, rows["blank"]


# ---------------------------------------------------------------------------------------
# The homework's own rules, checked on the test cells without nbgrader
# ---------------------------------------------------------------------------------------


def test_every_homework_has_expected_scores():
    assert set(release_tool.find_assignments(COURSE_DIR)) == set(ASSIGNMENT_EXPECTED)


def test_every_graded_cell_is_tied_to_a_lesson_section():
    """The class report says what to re-teach: every graded cell has its row in lesson_sections.csv."""
    with (COURSE_DIR / "lesson_sections.csv").open(encoding="utf-8", newline="") as fh:
        rows = {(row["作业"], row["grade_id"]): row for row in csv.DictReader(fh)}
    missing = []
    for assignment in release_tool.find_assignments(COURSE_DIR):
        for path in sorted((COURSE_DIR / "source" / assignment).glob("*.ipynb")):
            for cell in nbformat.read(path, as_version=4).cells:
                meta = cell.metadata.get("nbgrader", {})
                if meta.get("grade") and (assignment, meta["grade_id"]) not in rows:
                    missing.append(f"{assignment} {meta['grade_id']}")
    assert not missing, "lesson_sections.csv 里缺这些评分格 / graded cells without a row: " + "、".join(
        missing
    )
    assert all(row["课"] and row["小节"] and row["题目"] for row in rows.values())
    # 小节 names a heading of that lesson (or a heading · one of its subheadings), so it can be found
    unknown = []
    for (assignment, grade_id), row in rows.items():
        lesson = next(LESSONS_DIR.glob(f"{row['课'][:2]}_*/*.ipynb"), None)
        assert lesson is not None, f"{assignment} {grade_id}: 没有第 {row['课'][:2]} 课"
        headings = {
            line.lstrip("#").strip()
            for cell in nbformat.read(lesson, as_version=4).cells
            if cell.cell_type == "markdown"
            for line in cell.source.splitlines()
            if line.startswith("#")
        }
        if not set(row["小节"].split(" · ")) <= headings:
            unknown.append(f"{assignment} {grade_id}: {row['小节']}")
    assert not unknown, "lesson_sections.csv 的小节在课里找不到 / sections not in the lesson:\n" + "\n".join(
        unknown
    )


def _run_test_cell(assignment: str, grade_id: str, namespace: dict) -> None:
    """Execute one cell of a source notebook (a test cell with its hidden tests) in ``namespace``."""
    path = COURSE_DIR / "source" / assignment / f"{assignment}.ipynb"
    cell = cell_by_id(nbformat.read(path, as_version=4), grade_id)
    exec(compile(cell.source, grade_id, "exec"), namespace)


def test_ps02_reminder_helper_needs_the_shop_cutoff():
    """ps02: the helper with its defaults (发货截止 17:00) fails 第 4 题; with 18:00 it passes."""
    from crm_helpers.payment_reminders import reminder_window

    def with_cutoff(cutoff):
        def remind_deadline(created_at, repeat_buyer=False):
            return reminder_window(created_at, repeat_buyer=repeat_buyer, ship_cutoff=cutoff)[1]

        def remind_start(created_at, repeat_buyer=False):
            return reminder_window(created_at, repeat_buyer=repeat_buyer, ship_cutoff=cutoff)[0]

        return {"remind_deadline": remind_deadline, "remind_start": remind_start}

    assignment = "ps02_orders_reminders"
    for gid in (
        "q3_tests",
        "q3_tests_night",
        "q3_tests_repeat",
        "q4_tests",
        "q4_tests_night",
        "q4_tests_repeat",
    ):
        _run_test_cell(assignment, gid, with_cutoff("18:00"))
    with pytest.raises(AssertionError, match="11:00 下单，最晚催付时间应该是 2025-11-11T18:00:00"):
        _run_test_cell(assignment, "q4_tests", with_cutoff("17:00"))


def test_ps03_conversion_is_the_documented_helper_call():
    """ps03 第 4 题: the pinned 询单转化率 is metrics.inquiry_conversion_rate's default reading."""
    import crm_helpers
    from crm_helpers.metrics import inquiry_conversion_rate

    store = crm_helpers.simulate_store(n_customers=800, days=90, seed=303)
    chats, orders = store.chats, store.orders
    assignment = "ps03_service_kpis"
    created = inquiry_conversion_rate(chats, orders)
    paid = inquiry_conversion_rate(chats, orders, outcome="paid")
    _run_test_cell(assignment, "q4_tests_created", {"inquiry_conversion": created})
    _run_test_cell(assignment, "q4_tests_paid", {"paid_conversion": paid})
    # the course's distinctive rules are separate checks: 28 days, 下单 vs 付款
    whole = inquiry_conversion_rate(chats, orders, period_days=None)
    with pytest.raises(AssertionError, match="只看近 28 天"):
        _run_test_cell(assignment, "q4_tests_created", {"inquiry_conversion": whole})
    with pytest.raises(AssertionError, match="不是付款"):
        _run_test_cell(assignment, "q4_tests_created", {"inquiry_conversion": paid})
    # 第 3 题: the 600 s cap and 店小蜜 left out, as metrics computes them
    from crm_helpers.metrics import average_response_time, response_within_3min_rate

    _run_test_cell(assignment, "q3_tests", {"rate_3min": response_within_3min_rate(chats)})
    _run_test_cell(assignment, "q3_tests_cap", {"avg_response": average_response_time(chats)})
    uncapped = average_response_time(chats, cap_seconds=None)
    with pytest.raises(AssertionError, match="先封顶 600 秒"):
        _run_test_cell(assignment, "q3_tests_cap", {"avg_response": uncapped})
    with_bot = average_response_time(chats, answered_by_col=None)
    with pytest.raises(AssertionError, match="不要算店小蜜"):
        _run_test_cell(assignment, "q3_tests_cap", {"avg_response": with_bot})


def _ps04_workbench_after(answer: str) -> dict:
    """ps04's setup cell, then ``answer`` (a student's 第 1 题), in a fresh namespace."""
    path = COURSE_DIR / "source" / "ps04_after_sales_customers" / "ps04_after_sales_customers.ipynb"
    nb = nbformat.read(path, as_version=4)
    namespace: dict = {}
    exec(compile(cell_by_id(nb, "setup").source, "setup", "exec"), namespace)
    exec(compile(answer, "answer", "exec"), namespace)
    return namespace


_PS04_STEPS = """
xiaowen = {session}
for refund_id in [98, 99, 100, 101, 102]:
    xiaowen.approve_request(refund_id)
for refund_id in [98, 99, 100]:
    xiaowen.confirm_return(refund_id)
xiaowen.refund_request(98)
xiaowen.reject_request(99, "退回的商品不符合退换条件")
xiaowen.close_request(99)
xiaowen.ship_exchange(100)
xiaowen.close_request(100)
xiaowen.refund_request(101)
xiaowen.refund_request(102)
for refund_id, reason in [(109, "超过退换货期限"), (110, "该类目不支持7天无理由退换")]:
    xiaowen.reject_request(refund_id, reason)
    xiaowen.close_request(refund_id)
"""


def test_ps04_after_sales_is_graded_from_the_state_and_the_log(capsys):
    """ps04 第 1 题: right outcomes are not enough; the log must show 晓雯 did each step, and only that."""
    assignment = "ps04_after_sales_customers"
    right = _PS04_STEPS.format(session='wb.sub_account("乐童优选:晓雯")')
    # refused attempts (a plain 客服, a late request) are logged but cost nothing
    tries = (
        "from crm_helpers.workbench import PermissionDenied\n"
        'for who, refund_id in [("乐童优选:小美", 98), ("乐童优选:晓雯", 109)]:\n'
        "    try:\n"
        "        wb.sub_account(who).approve_request(refund_id)\n"
        "    except PermissionDenied:\n"
        "        pass\n"
    )
    for answer in (right, tries + right):
        namespace = _ps04_workbench_after(answer)
        _run_test_cell(assignment, "q1_tests", namespace)
        _run_test_cell(assignment, "q1_tests_log", namespace)
    # the main account does the daily after-sales work: outcomes right, log part lost
    namespace = _ps04_workbench_after(_PS04_STEPS.format(session="wb.main_account()"))
    _run_test_cell(assignment, "q1_tests", namespace)
    with pytest.raises(AssertionError, match="售后要用客服主管晓雯的账号处理"):
        _run_test_cell(assignment, "q1_tests_log", namespace)
    # 小美 is refused, so the student grants her 退款处理: a change the task forbids
    granted = 'boss.grant_permission("乐童优选:小美", "退款处理")\n' + _PS04_STEPS.format(
        session='wb.sub_account("乐童优选:小美")'
    )
    namespace = _ps04_workbench_after(granted)
    with pytest.raises(AssertionError, match="不要做别的改动.*修改权限"):
        _run_test_cell(assignment, "q1_tests_log", namespace)
    # the refusal "fixed" by editing the table: the state looks right, the log does not
    edited = (
        "for refund_id in [98, 99, 100, 101, 102]:\n"
        '    wb.sub_account("乐童优选:晓雯").approve_request(refund_id)\n'
        "table = wb.state.after_sales.copy()\n"
        "final = {98: ('退款成功', '退款成功', None), 99: ('已关闭', '退款关闭', '退回的商品不符合退换条件'),\n"
        "         100: ('已关闭', '换货完成', None), 101: ('退款成功', '退款成功', None),\n"
        "         102: ('退款成功', '退款成功', None), 109: ('已关闭', '退款关闭', '超过退换货期限'),\n"
        "         110: ('已关闭', '退款关闭', '该类目不支持7天无理由退换')}\n"
        "for refund_id, (state, status, reason) in final.items():\n"
        "    row = table['refund_id'] == refund_id\n"
        "    table.loc[row, 'state'], table.loc[row, 'status'] = state, status\n"
        "    table.loc[row, 'reject_reason'], table.loc[row, 'handled_by'] = reason, '乐童优选:晓雯'\n"
        "wb.state.after_sales = table\n"
    )
    namespace = _ps04_workbench_after(edited)
    _run_test_cell(assignment, "q1_tests", namespace)
    with pytest.raises(AssertionError, match="不要直接改表"):
        _run_test_cell(assignment, "q1_tests_log", namespace)
    # a returned item that failed the check, refunded anyway: outcome and log both lost
    refunded = right.replace(
        'xiaowen.reject_request(99, "退回的商品不符合退换条件")\nxiaowen.close_request(99)',
        "xiaowen.refund_request(99)",
    )
    assert refunded != right
    namespace = _ps04_workbench_after(refunded)
    with pytest.raises(AssertionError, match="售后 99 没有处理对"):
        _run_test_cell(assignment, "q1_tests", namespace)
    capsys.readouterr()  # the setup cell prints the shop


def test_ps05_groups_are_graded_from_the_operations(capsys):
    """ps05 第 1、2 题: groups, members and coupons written straight into the workbench's tables
    (nothing in the audit log) score 0 on every part; done through the operations they pass."""
    parts = ("q1_tests", "q1_tests_new", "q1_tests_old", "q2_tests", "q2_tests_coupon")

    def run(grade_id: str, namespace: dict) -> None:  # setup and answer cells too
        _run_test_cell("ps05_groups_crowds", grade_id, namespace)

    def opened() -> dict:
        namespace: dict = {}
        run("setup", namespace)
        return namespace

    honest = opened()
    run("q1_answer", honest)
    run("q2_answer", honest)
    for gid in parts:
        run(gid, honest)
    done = honest["wb"].state

    forged = opened()
    state = forged["wb"].state
    state.groups, state.group_members = done.groups.copy(), done.group_members.copy()
    state.group_coupons = done.group_coupons.copy()
    for gid in parts:
        with pytest.raises(AssertionError, match="不能直接改工作台里的表格"):
            run(gid, forged)

    # the groups made through 新增分组, the members pasted into the table: the member parts fail
    half = opened()
    half["boss"].create_group("新客户", "手动分组")
    half["boss"].create_group("老客户", "手动分组")
    run("q1_tests", half)
    half["wb"].state.group_members = done.group_members.copy()
    for gid in ("q1_tests_new", "q1_tests_old"):
        with pytest.raises(AssertionError, match="不能直接改工作台里的表格"):
            run(gid, half)
    capsys.readouterr()  # the setup cell prints the shop


def test_ps05_crowds_check_each_reading_apart():
    """ps05 第 3～6 题: the right crowd passes; each misreading the question warns about fails on its own message."""
    import crm_helpers

    store = crm_helpers.simulate_store(n_customers=800, days=730, seed=505)
    orders, today = store.orders, store.last_day

    def days_ago(times):
        return (today - times.dt.normalize()).dt.days

    def crowd(name, ids):
        ids = sorted(int(i) for i in set(ids))
        return {f"{name}_ids": ids, f"{name}_reach": len(ids)}

    def check(gid, name, ids, match=None):
        namespace = crowd(name, ids)
        if match is None:
            _run_test_cell("ps05_groups_crowds", gid, namespace)
        else:
            with pytest.raises(AssertionError, match=match):
                _run_test_cell("ps05_groups_crowds", gid, namespace)

    # 第 3 题 小额交易活跃: 付款 (paid, refunded or not) in 近两年, both ranges inclusive
    def small_active(table):
        per = table.groupby("customer_id")["payment"].agg(["sum", "size"])
        return per.index[per["sum"].between(5, 50) & per["size"].between(10, 100)]

    paid = orders[orders["paid_at"].notna() & (days_ago(orders["paid_at"]) <= 729)]
    check("q3_tests", "small_active", small_active(paid))
    check("q3_tests", "small_active", small_active(orders), "只算已付款的订单")

    # 第 4、5 题: 成交 = paid and not fully refunded; 近 N 天 = days_ago 0..N-1
    deals = paid[paid["close_reason"] != "全额退款"]
    per = deals.groupby("customer_id")["paid_at"].agg(["size", "max"])
    last = days_ago(per["max"])
    check("q4_tests", "new_customer", per.index[(per["size"] == 1) & (last <= 179)])
    check("q4_tests", "new_customer", per.index[(per["size"] == 1) & (last <= 180)], "距今正好 180 天")
    check("q5_tests", "lapsed", per.index[last >= 30])
    check("q5_tests", "lapsed", per.index[last >= 31], "距今正好 30 天")
    paid_last = days_ago(paid.groupby("customer_id")["paid_at"].max())
    check("q5_tests", "lapsed", paid_last.index[paid_last >= 30], "全额退款")

    # 第 6 题 兴趣人群: 加购/收藏 3..10 days ago of a product without a 成交 in 近两年
    items = store.order_items.merge(deals[["order_id", "customer_id"]], on="order_id")
    bought = set(zip(items["customer_id"], items["product_id"]))
    events = store.events[store.events["event_type"].isin(["加购", "收藏"])]
    ago = days_ago(events["occurred_at"])

    def interest(low, high, keep_bought=False):
        window = events[ago.between(low, high)]
        pairs = zip(window["customer_id"], window["product_id"])
        return [c for c, p in pairs if keep_bought or (c, p) not in bought]

    check("q6_tests", "interest", interest(3, 10))
    check("q6_tests", "interest", interest(3, 10, keep_bought=True), "已经成交过这件商品")
    check("q6_tests", "interest", interest(0, 10), "距今 0～2 天")
    check("q6_tests", "interest", interest(4, 10), "包含两端")


# ---------------------------------------------------------------------------------------
# The course config and the release tool
# ---------------------------------------------------------------------------------------


def test_course_config_is_relocatable(tmp_path: Path):
    """Every path in nbgrader_config.py follows the file (no absolute path committed)."""
    from traitlets.config.loader import PyFileConfigLoader

    text = (COURSE_DIR / "nbgrader_config.py").read_text(encoding="utf-8")
    assert str(REPO) not in text and "/home/" not in text, "配置里不要写绝对路径"
    shutil.copy2(COURSE_DIR / "nbgrader_config.py", tmp_path / "nbgrader_config.py")
    cfg = PyFileConfigLoader("nbgrader_config.py", path=str(tmp_path)).load_config()
    assert cfg.CourseDirectory.root == str(tmp_path)
    assert cfg.Exchange.root == str(tmp_path / "exchange")
    assert (tmp_path / "exchange").is_dir()
    assert cfg.CourseDirectory.course_id == "crm_course"
    assert "请完成这道题" in cfg.ClearSolutions.code_stub["python"]
    assert cfg.ClearSolutions.text_stub == "请在这里写下你的答案。"
    assert cfg.Execute.timeout == 60
    assert cfg.OverwriteCells.add_missing_cells is True
    assert not (COURSE_DIR / "gradebook.db").exists(), "仓库里不能有 gradebook.db"


def _run_tool(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, str(RELEASE_TOOL), *args],
        capture_output=True,
        text=True,
        encoding="utf-8",
    )


def test_release_tool_on_example(tmp_path: Path):
    """make release: deterministic, Chinese unescaped, --check catches stale files."""
    course = tmp_path / "assignments"
    course.mkdir()
    shutil.copy2(COURSE_DIR / "nbgrader_config.py", course / "nbgrader_config.py")
    folder = build_example_assignment(course / "source")
    # a source notebook without cell ids must still give a deterministic release
    path = folder / f"{EXAMPLE_ID}.ipynb"
    raw = json.loads(path.read_text(encoding="utf-8"))
    for cell in raw["cells"]:
        del cell["id"]
    path.write_text(json.dumps(raw, ensure_ascii=False, indent=1), encoding="utf-8")
    release = course / "release" / EXAMPLE_ID

    first = _run_tool("--course-dir", str(course))
    assert first.returncode == 0, first.stdout + first.stderr
    snapshot = {p.name: p.read_bytes() for p in release.iterdir()}
    assert set(snapshot) == {f"{EXAMPLE_ID}.ipynb", "orders.csv"}, "数据文件也要发布"
    text = snapshot[f"{EXAMPLE_ID}.ipynb"].decode("utf-8")
    assert "请完成这道题" in text and "\\u8bf7" not in text, "中文应该原样保存 / Chinese escaped"
    assert "BEGIN SOLUTION" not in text and "130.25" not in text
    nb = nbformat.reads(text, as_version=4)
    assert nbformat.writes(nb) + "\n" == text, "不是 nbformat.write 的格式 / not nbformat's format"
    assert all(cell.get("id") for cell in nb.cells)

    # determinism: a second run (new temporary directory, new random state) changes nothing
    second = _run_tool("--course-dir", str(course))
    assert second.returncode == 0 and "; 0 files changed" in second.stdout, second.stdout
    assert {p.name: p.read_bytes() for p in release.iterdir()} == snapshot, "两次生成结果不同"

    ok = _run_tool("--course-dir", str(course), "--check")
    assert ok.returncode == 0 and "(1 assignments)" in ok.stdout, ok.stdout + ok.stderr
    assert not list(course.rglob("gradebook.db")), "不能留下 gradebook.db"
    assert not (course / "exchange").exists(), "--check 不能在课程目录里建 exchange/"

    # a hand edit, a deleted file and an orphan file are all reported (Chinese + English)
    (release / f"{EXAMPLE_ID}.ipynb").write_text(text.replace("请完成这道题", "改过"), "utf-8")
    (release / "orders.csv").unlink()
    (release / "old.csv").write_text("x\n", encoding="utf-8")
    stale = _run_tool("--course-dir", str(course), "--check")
    assert stale.returncode == 1, stale.stdout + stale.stderr
    assert "make release" in stale.stderr and "不一致" in stale.stderr, stale.stderr
    for line in (
        f"outdated:  release/{EXAMPLE_ID}/{EXAMPLE_ID}.ipynb",
        f"missing:   release/{EXAMPLE_ID}/orders.csv",
        f"obsolete:  release/{EXAMPLE_ID}/old.csv",
    ):
        assert line in stale.stderr, stale.stderr

    # an assignment whose source is gone loses its release folder; 0 assignments is fine
    shutil.rmtree(folder)
    assert _run_tool("--course-dir", str(course)).returncode == 0
    assert not release.exists()
    empty = _run_tool("--course-dir", str(course), "--check")
    assert empty.returncode == 0 and "(0 assignments)" in empty.stdout, empty.stdout


def test_committed_release_is_up_to_date():
    """CI: `tools/release_assignments.py --check` passes for the committed tree."""
    before = sorted(p.name for p in COURSE_DIR.iterdir())
    result = _run_tool("--check")
    assert result.returncode == 0, (
        "学生版 release/ 过期了，请运行 `make release` 并提交 / release/ is stale, run "
        f"`make release` and commit\n{result.stdout}{result.stderr}"
    )
    n = len(release_tool.find_assignments(COURSE_DIR))
    assert f"({n} assignments)" in result.stdout, result.stdout
    assert sorted(p.name for p in COURSE_DIR.iterdir()) == before, "--check 不能改动课程目录"
    assert not (COURSE_DIR / "gradebook.db").exists()
