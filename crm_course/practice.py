"""A practice class: fake students' notebooks for trying and testing the teacher's tools.

练习用的“假学生”作业：由教师版（``source/``）和学生版（``release/``）生成各种典型的提交，
用来在真正收作业之前试一遍评分流程，也是测试（``tests/test_assignments.py``、
``tests/test_teacher_tools.py``）和 ``benchmarks/bench_grading.py`` 共用的“班级”。

Fake students (自动评分应得的分数见 ``tests/test_assignments.py`` 的说明):

=================  ===========================================================
profile            submission
=================  ===========================================================
solution           the instructor notebook from ``source/``
blank              the released notebook, untouched
partial            released + solutions put back in the first half of the
                   autograded answer cells (matched by grade_id)
tampered_pass      partial, every test cell replaced by ``pass`` (points ×10)
tampered_deleted   partial, every test cell deleted
missing_first      solution, first autograded answer back to the stub
endless_loop       solution, first autograded answer = ``while True: pass``
cheater            solution, every autograded answer binds its names to an
                   object that equals everything, and rebinds builtins
=================  ===========================================================

:func:`build_example_assignment` writes a small, fast example assignment
(``ps00_harness_example``) so the tools can be tried without pandas-heavy homework.
"""

from __future__ import annotations

import ast
import copy
from pathlib import Path

import nbformat
from nbformat.v4 import new_code_cell, new_markdown_cell, new_notebook

from .cells import is_answer, is_test, nbgrader_meta

__all__ = [
    "CHEAT_PRELUDE",
    "ENDLESS_LOOP",
    "EXAMPLE_EXPECTED",
    "EXAMPLE_ID",
    "PROFILES",
    "answer_ids",
    "build_example_assignment",
    "build_submissions",
    "cell_by_id",
    "cheater_source",
    "class_roster",
    "copy_course",
    "defined_names",
    "is_answer",
    "is_test",
    "nbgrader_meta",
    "write_class_zip",
]

ENDLESS_LOOP = "while True:\n    pass"
PROFILES = (
    "solution",
    "blank",
    "partial",
    "tampered_pass",
    "tampered_deleted",
    "missing_first",
    "endless_loop",
    "cheater",
)

EXAMPLE_ID = "ps00_harness_example"
EXAMPLE_ORDERS = """订单号,买家,金额,状态
A001,小王,120.00,交易成功
A002,小李,80.50,交易成功
A003,小王,45.00,买家已付款
A004,小张,200.00,等待买家付款
A005,小李,60.00,交易成功
A006,小赵,99.50,交易关闭
"""
# autograded points per student for the example (q1 2 + q2 3 + q3 2 = 7)
EXAMPLE_EXPECTED = {
    "solution": 7.0,
    "blank": 0.0,
    "partial": 2.0,
    "tampered_pass": 2.0,
    "tampered_deleted": 2.0,
    "missing_first": 5.0,
    "endless_loop": 5.0,
    "cheater": 0.0,
}


def _cell(kind: str, source: str, cell_id: str, **nbgrader) -> nbformat.NotebookNode:
    cell = new_markdown_cell(source) if kind == "md" else new_code_cell(source)
    cell["id"] = cell_id
    if nbgrader:
        nbgrader.setdefault("schema_version", 3)
        nbgrader.setdefault("grade_id", cell_id)
        cell.metadata["nbgrader"] = nbgrader
    return cell


def _answer(source: str, cell_id: str) -> nbformat.NotebookNode:
    return _cell("code", source, cell_id, grade=False, solution=True, locked=False)


def _tests(source: str, cell_id: str, points: float) -> nbformat.NotebookNode:
    return _cell("code", source, cell_id, grade=True, solution=False, locked=True, points=points)


def build_example_assignment(source_dir: Path) -> Path:
    """Write ``source/ps00_harness_example/`` (notebook + data file) and return its folder."""
    folder = source_dir / EXAMPLE_ID
    folder.mkdir(parents=True)
    (folder / "orders.csv").write_text(EXAMPLE_ORDERS, encoding="utf-8")
    cells = [
        _cell(
            "md",
            "# 示例作业：客单价与笔单价\n\n"
            "这个作业只用来检验评分流程。先运行下面的单元格读入订单表 `orders.csv`。",
            "intro",
        ),
        _cell(
            "code",
            'import csv\n\nwith open("orders.csv", encoding="utf-8") as f:\n'
            '    orders = list(csv.DictReader(f))\nprint(f"共 {len(orders)} 笔订单")',
            "setup",
            grade=False,
            solution=False,
            locked=True,
        ),
        _cell(
            "md",
            "**第1题（2分）** 客单价 = 销售额 ÷ 成交顾客数。只算状态为“交易成功”的订单，"
            "把结果（保留两位小数的 float）存入 `customer_unit_price`。",
            "q1_text",
        ),
        _answer(
            "### BEGIN SOLUTION\n"
            'finished = [row for row in orders if row["状态"] == "交易成功"]\n'
            'sales = sum(float(row["金额"]) for row in finished)\n'
            'buyers = {row["买家"] for row in finished}\n'
            "customer_unit_price = round(sales / len(buyers), 2)\n"
            "### END SOLUTION",
            "q1_answer",
        ),
        _tests(
            '"""检查第1题：customer_unit_price 是 float（数值在批改时检查）。"""\n'
            "import builtins as _b\n\n"
            'assert "customer_unit_price" in _b.globals(), "第 1 题还没有作答：请先完成上面的答案单元格"\n'
            "assert _b.type(customer_unit_price) is _b.float, "
            '"customer_unit_price 应该是小数（float）"\n'
            "### BEGIN HIDDEN TESTS\n"
            "assert _b.abs(customer_unit_price - 130.25) < 1e-9, "
            '"客单价不对：销售额 ÷ 成交顾客数，只算交易成功的订单"\n'
            "### END HIDDEN TESTS",
            "q1_tests",
            2,
        ),
        _cell(
            "md",
            "**第2题（3分）** 完成函数 `order_unit_price(amounts)`：返回笔单价 = 总金额 ÷ 订单笔数"
            "（float）；没有订单（空列表）时返回 `0.0`。\n\n"
            "下面的检查只试了一个例子；批改时还会检查空列表和别的例子。",
            "q2_text",
        ),
        _answer(
            "def order_unit_price(amounts):\n"
            '    """笔单价 = 总金额 ÷ 订单笔数；没有订单时返回 0.0。"""\n'
            "    ### BEGIN SOLUTION\n"
            "    if len(amounts) == 0:\n"
            "        return 0.0\n"
            "    return sum(amounts) / len(amounts)\n"
            "    ### END SOLUTION",
            "q2_answer",
        ),
        _tests(
            '"""检查第2题：order_unit_price 返回 float 类型的笔单价，空列表返回 0.0。"""\n'
            "import builtins as _b\n\n"
            'assert "order_unit_price" in _b.globals(), "第 2 题还没有作答：请先完成上面的答案单元格"\n'
            "try:\n"
            "    _r = order_unit_price([100.0, 50.0])\n"
            "except _b.NotImplementedError:\n"
            '    raise _b.AssertionError("第 2 题还没有作答：在函数里写好代码") from None\n'
            'assert _b.type(_r) is _b.float, "order_unit_price 应该返回小数（float）"\n'
            'assert _r == 75.0, "[100.0, 50.0] 的笔单价应该是 75.0"\n'
            "### BEGIN HIDDEN TESTS\n"
            "_r = order_unit_price([])\n"
            'assert _b.type(_r) is _b.float and _r == 0.0, "没有订单时应该返回 0.0"\n'
            "_r = order_unit_price([10.0, 20.0, 60.0])\n"
            'assert _b.type(_r) is _b.float and _b.abs(_r - 30.0) < 1e-9, "笔单价算得不对"\n'
            "### END HIDDEN TESTS",
            "q2_tests",
            3,
        ),
        _cell(
            "md",
            "**第3题（2分）** 统计每种订单状态的订单数，存入字典 `status_counts`（键是状态，值是订单数）。",
            "q3_text",
        ),
        _answer(
            "### BEGIN SOLUTION\n"
            "status_counts = {}\n"
            "for row in orders:\n"
            '    status_counts[row["状态"]] = status_counts.get(row["状态"], 0) + 1\n'
            "### END SOLUTION",
            "q3_answer",
        ),
        _tests(
            '"""检查第3题：status_counts 是字典，键是状态（str），值是订单数（int）。"""\n'
            "import builtins as _b\n\n"
            'assert "status_counts" in _b.globals(), "第 3 题还没有作答：请先完成上面的答案单元格"\n'
            'assert _b.type(status_counts) is _b.dict, "status_counts 应该是字典（dict）"\n'
            "for _k, _v in status_counts.items():\n"
            '    assert _b.type(_k) is _b.str, "字典的键应该是订单状态（str）"\n'
            '    assert _b.type(_v) is _b.int, "字典的值应该是订单数（int）"\n'
            'assert status_counts == {"交易成功": 3, "买家已付款": 1, "等待买家付款": 1, '
            '"交易关闭": 1}, "各状态的订单数不对"',
            "q3_tests",
            2,
        ),
        _cell(
            "md",
            "**第4题（简答，2分，老师批改）** 客单价和笔单价有什么区别？什么时候两者相等？",
            "q4_text",
        ),
        _cell(
            "md",
            "客单价按成交顾客算（销售额 ÷ 成交顾客数），笔单价按订单算（销售额 ÷ 订单笔数）。"
            "每位顾客都只下一笔订单时两者相等。",
            "q4_answer",
            grade=True,
            solution=True,
            locked=False,
            points=2,
        ),
    ]
    nb = new_notebook(
        cells=cells,
        metadata={
            "kernelspec": {
                "display_name": "Python 3 (ipykernel)",
                "language": "python",
                "name": "python3",
            },
            "language_info": {"name": "python"},
        },
    )
    nbformat.write(nb, folder / f"{EXAMPLE_ID}.ipynb")
    return folder


def answer_ids(notebooks: dict[str, nbformat.NotebookNode]) -> list[tuple[str, str]]:
    """(notebook, grade_id) of every autograded answer cell, in order."""
    return [
        (name, nbgrader_meta(cell)["grade_id"])
        for name, nb in notebooks.items()
        for cell in nb.cells
        if is_answer(cell)
    ]


def cell_by_id(nb: nbformat.NotebookNode, grade_id: str):
    for cell in nb.cells:
        if nbgrader_meta(cell).get("grade_id") == grade_id:
            return cell
    raise KeyError(grade_id)


def _python_source(source: str) -> str:
    """Cell source as plain Python (IPython magics turned into calls)."""
    from IPython.core.inputtransformer2 import TransformerManager

    return TransformerManager().transform_cell(source)


class _TopLevelNames(ast.NodeVisitor):
    """Names a cell binds in the notebook namespace (not inside functions/comprehensions)."""

    def __init__(self) -> None:
        self.names: list[str] = []

    def _add(self, name: str) -> None:
        if name not in self.names:
            self.names.append(name)

    def visit_Name(self, node: ast.Name) -> None:
        if isinstance(node.ctx, ast.Store):
            self._add(node.id)

    def visit_FunctionDef(self, node) -> None:
        self._add(node.name)
        for dec in node.decorator_list:
            self.visit(dec)

    visit_AsyncFunctionDef = visit_ClassDef = visit_FunctionDef

    def visit_Import(self, node) -> None:
        for alias in node.names:
            self._add(alias.asname or alias.name.split(".")[0])

    visit_ImportFrom = visit_Import

    def visit_Lambda(self, node) -> None:
        pass

    visit_ListComp = visit_SetComp = visit_DictComp = visit_GeneratorExp = visit_Lambda


def defined_names(source: str) -> list[str]:
    visitor = _TopLevelNames()
    visitor.visit(ast.parse(_python_source(source)))
    return [n for n in visitor.names if n != "*"]


CHEAT_PRELUDE = '''\
class _AlwaysEqual:
    """Equal to everything; arithmetic, calls, items and attributes give itself."""
    def __eq__(self, other): return True
    def __ne__(self, other): return False
    def __lt__(self, other): return True
    __gt__ = __le__ = __ge__ = __lt__
    def __hash__(self): return 0
    def __bool__(self): return True
    def __call__(self, *args, **kwargs): return self
    def __getattr__(self, name): return self
    def __getitem__(self, key): return self
    def __contains__(self, item): return True
    def __iter__(self): return iter(())
    def _same(self, *args): return self
    __add__ = __radd__ = __sub__ = __rsub__ = __mul__ = __rmul__ = _same
    __truediv__ = __rtruediv__ = __floordiv__ = __mod__ = __pow__ = _same
    __neg__ = __pos__ = __abs__ = __round__ = _same
_cheat = _AlwaysEqual()
abs = lambda *a, **k: 0
round = lambda *a, **k: a[0] if a else _cheat
isinstance = lambda *a, **k: True
type = lambda *a, **k: _cheat
len = float = int = sum = max = min = lambda *a, **k: _cheat
all = any = lambda *a, **k: True
'''


def cheater_source(solution_source: str) -> str:
    bindings = "".join(f"{name} = _cheat\n" for name in defined_names(solution_source))
    return CHEAT_PRELUDE + bindings


def build_submissions(
    source_nbs: dict[str, nbformat.NotebookNode], release_nbs: dict[str, nbformat.NotebookNode]
) -> tuple[dict[str, dict[str, nbformat.NotebookNode]], tuple[str, str] | None]:
    """All fake students' notebooks, and the (notebook, grade_id) broken in endless_loop."""
    answers = answer_ids(source_nbs)
    subs: dict[str, dict[str, nbformat.NotebookNode]] = {}

    def from_(nbs):
        return {name: copy.deepcopy(nb) for name, nb in nbs.items()}

    subs["solution"] = from_(source_nbs)
    subs["blank"] = from_(release_nbs)

    partial = from_(release_nbs)
    for name, gid in answers[: len(answers) // 2]:
        cell_by_id(partial[name], gid).source = cell_by_id(source_nbs[name], gid).source
    subs["partial"] = partial

    tampered = from_(partial)
    for nb in tampered.values():
        for cell in nb.cells:
            if is_test(cell):
                cell.source = "pass"
                cell.metadata.nbgrader["locked"] = False
                cell.metadata.nbgrader["points"] = 10 * float(cell.metadata.nbgrader["points"])
                cell.metadata["editable"] = True
                cell.metadata["deletable"] = True
    subs["tampered_pass"] = tampered

    deleted = from_(partial)
    for nb in deleted.values():
        nb.cells = [cell for cell in nb.cells if not is_test(cell)]
    subs["tampered_deleted"] = deleted

    cheater = from_(source_nbs)
    for name, gid in answers:
        cell = cell_by_id(cheater[name], gid)
        cell.source = cheater_source(cell.source)
    subs["cheater"] = cheater

    broken = answers[0] if answers else None
    if broken:
        name, gid = broken
        missing = from_(source_nbs)
        cell_by_id(missing[name], gid).source = cell_by_id(release_nbs[name], gid).source
        subs["missing_first"] = missing
        endless = from_(source_nbs)
        cell_by_id(endless[name], gid).source = ENDLESS_LOOP
        subs["endless_loop"] = endless
    return subs, broken


_SURNAMES = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗"
_GIVEN = (
    "伟",
    "芳",
    "娜",
    "敏",
    "静",
    "丽",
    "强",
    "磊",
    "洋",
    "艳",
    "勇",
    "军",
    "杰",
    "娟",
    "涛",
    "明",
    "超",
    "霞",
)


def class_roster(size: int, *, endless: int = 0, first_id: int = 2024010101) -> list[tuple[str, str, str]]:
    """A class of ``size`` students as ``(学号, 姓名, profile)`` rows, deterministic.

    Most students hand in the solution or a partial attempt, a few a blank notebook or
    tampered tests; ``endless`` of them contain an endless loop (spread over the class).

    Examples
    --------
    >>> class_roster(3)
    [('2024010101', '王伟', 'solution'), ('2024010102', '李磊', 'partial'), ('2024010103', '张涛', 'blank')]
    """
    if size < 1 or endless < 0 or endless > size:
        raise ValueError(f"班级人数 size={size} 至少为 1，死循环人数 endless={endless} 在 0 到 size 之间")
    cycle = (
        "solution",
        "partial",
        "blank",
        "solution",
        "missing_first",
        "partial",
        "tampered_pass",
        "cheater",
    )
    profiles = [cycle[i % len(cycle)] for i in range(size)]
    for k in range(endless):
        profiles[(k * size) // endless + size // (2 * endless)] = "endless_loop"
    return [
        (str(first_id + i), _SURNAMES[i % len(_SURNAMES)] + _GIVEN[(i * 7) % len(_GIVEN)], profile)
        for i, profile in enumerate(profiles)
    ]


def copy_course(course_dir: Path, dest: Path) -> Path:
    """A working copy of a course folder for practice: config, section table, source/, release/.

    Returns the new course root (``dest``), which must not exist yet.
    """
    import shutil

    course_dir, dest = Path(course_dir), Path(dest)
    dest.mkdir(parents=True)
    for name in ("nbgrader_config.py", "lesson_sections.csv"):
        if (course_dir / name).is_file():
            shutil.copy2(course_dir / name, dest / name)
    for folder in ("source", "release"):
        shutil.copytree(course_dir / folder, dest / folder)
    return dest


def write_class_zip(course_root: Path, assignment: str, size: int, path: Path, *, endless: int = 0) -> Path:
    """An LMS-style zip (``学号_姓名_作业.ipynb``, UTF-8 names) of a practice class.

    Uses ``source/<作业>/`` and ``release/<作业>/`` of the course at ``course_root``.
    """
    import zipfile

    course_root = Path(course_root)
    src = course_root / "source" / assignment
    rel = course_root / "release" / assignment
    names = sorted(p.stem for p in src.glob("*.ipynb"))
    if names != [assignment]:
        raise ValueError(f"练习班级只支持一个笔记本、且与作业同名的作业；{assignment} 里是 {names}")
    source_nbs = {n: nbformat.read(src / f"{n}.ipynb", as_version=4) for n in names}
    release_nbs = {n: nbformat.read(rel / f"{n}.ipynb", as_version=4) for n in names}
    subs, _ = build_submissions(source_nbs, release_nbs)
    with zipfile.ZipFile(path, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        for sid, name, profile in class_roster(size, endless=endless):
            nb = subs.get(profile, subs["solution"])[assignment]
            archive.writestr(f"{sid}_{name}_{assignment}.ipynb", nbformat.writes(nb))
    return path
