"""Feedback without the answer key: an nbgrader preprocessor for ``generate_feedback``.

反馈里不带标准答案。nbgrader 生成反馈时，会把测试单元格连同 ``### BEGIN HIDDEN TESTS``
里的隐藏测试（含标准答案的数值）原样放进 HTML；没通过的 ``assert`` 的报错（traceback）
还会再把那一行源码连同答案抄一遍。全班用的是同一份数据，一份反馈就等于答案。

:class:`HideAnswerKey` 在 ``nbgrader generate_feedback``（命令行、Formgrader 的
“generate feedback”按钮、``crm-course feedback`` 都走这一步）里运行，注册在
``course/assignments/nbgrader_config.py``::

    c.GenerateFeedback.preprocessors = [GetGrades, HideAnswerKey, CSSHTMLHeaderPreprocessor]

它做三件事：

1. 测试单元格里的隐藏测试换成一行说明（学生仍看得到可见的检查和它的 grade_id）；
2. 测试单元格的输出只留“哪项检查没通过 + 老师写的中文提示”，去掉 traceback；
3. 所有单元格的输出里，凡是和隐藏测试某一行相同的内容、或隐藏测试里才有的答案值，
   都换成“〔已隐藏〕”（学生用 ``print(In)`` 或 ``globals()`` 偷看也拿不到）。答案值指隐藏
   测试里的常量：3 位以上有效数字的数、2 个字以上的文字；断言的提示语、英文标识符式的
   名字（列名 ``"action"``、权限名、变量名）和学生本来就看得到的内容（题目、可见的检查、
   自己写的代码）不算。

截止以后老师若想公布完整测试，要明确打开开关：
``nbgrader generate_feedback ps03_service_kpis --force --HideAnswerKey.show_hidden_tests=True``
（或 ``crm-course feedback ps03_service_kpis --full-tests``）。
"""

from __future__ import annotations

import ast
import dataclasses
import re
from typing import Any

from traitlets import Bool, List, Unicode

from .cells import is_test, nbgrader_meta

__all__ = [
    "HIDDEN_LINE_NOTE",
    "HideAnswerKey",
    "AnswerKey",
    "feedback_template_dirs",
    "hidden_regions",
]

HIDDEN_LINE_NOTE = "# 〔这里还有老师的隐藏检查，反馈中不显示〕"
REDACTED = "〔已隐藏〕"
REDACTED_LINE = "〔这一行与隐藏测试相同，已隐藏〕"
BEGIN = "BEGIN HIDDEN TESTS"
END = "END HIDDEN TESTS"
MIN_LINE_CHARS = 8  # a hidden line shorter than this ("else:", ")") is not worth hiding
_IDENTIFIER = re.compile(r"^[A-Za-z_][A-Za-z0-9_]*$")
MIN_NUMBER_DIGITS = 3  # 9 or 57 appear everywhere; 453, 556.738372 identify an answer


def feedback_template_dirs() -> list[str]:
    """Template folders for ``HTMLExporter.extra_template_basedirs``: the Chinese feedback first.

    ``crm_course/templates/feedback/`` has the name of nbgrader's own feedback template, so every
    route that asks for the template ``feedback`` (``nbgrader generate_feedback``, the
    formgrader's button, which sets the name explicitly, and ``crm-course feedback``) finds the
    Chinese one; nbgrader's folder follows for the formgrader's own templates.
    """
    from pathlib import Path

    import nbgrader

    ours = Path(__file__).resolve().parent / "templates"
    theirs = Path(nbgrader.__file__).resolve().parent / "server_extensions" / "formgrader" / "templates"
    return [str(ours), str(theirs)]


def hidden_regions(source: str, begin: str = BEGIN, end: str = END) -> list[tuple[int, int]]:
    """Line ranges ``(first, last)`` (1-based, inclusive) strictly between the markers.

    Examples
    --------
    >>> hidden_regions("a = 1\\n### BEGIN HIDDEN TESTS\\nassert a == 1\\n### END HIDDEN TESTS")
    [(3, 3)]
    """
    regions, start = [], None
    for number, line in enumerate(source.split("\n"), start=1):
        if begin in line:
            if start is not None:
                raise ValueError(f"隐藏测试的标记嵌套了（第 {number} 行）/ nested {begin!r}")
            start = number + 1
        elif end in line and start is not None:
            regions.append((start, number - 1))
            start = None
    if start is not None:
        raise ValueError(f"隐藏测试缺少结束标记 {end!r} / no {end!r} after line {start - 1}")
    return regions


def _significant_digits(text: str) -> int:
    digits = text.lstrip("-+").replace("_", "")
    digits = re.sub(r"\.0*$", "", digits)  # 100000.0 → 100000
    return len(digits.lstrip("0."))


def _number_pattern(text: str) -> str:
    """Regex for a number as printed: 4056 also as 4056.0, 0.06422 also as 0.0642200…"""
    base = text.replace("_", "")
    if re.fullmatch(r"-?\d+", base):
        return rf"(?<![0-9.]){re.escape(base)}(?:\.0+)?(?![0-9.])"
    if re.fullmatch(r"-?\d+\.\d+", base):
        whole, frac = base.split(".")
        frac = frac.rstrip("0")
        tail = rf"\.{frac}[0-9]*" if frac else r"(?:\.0+)?"
        return rf"(?<![0-9.]){re.escape(whole)}{tail}(?![0-9.])"
    return re.escape(base)


class _Literals(ast.NodeVisitor):
    """Constants on hidden lines, except the messages of ``assert`` statements."""

    def __init__(self, source: str, lines: set[int]) -> None:
        self.source = source
        self.lines = lines
        self.numbers: list[str] = []
        self.strings: list[str] = []

    def visit_Assert(self, node: ast.Assert) -> None:
        self.visit(node.test)  # node.msg is the Chinese hint the student may see

    def visit_Constant(self, node: ast.Constant) -> None:
        if node.lineno not in self.lines or isinstance(node.value, bool) or node.value is None:
            return
        if isinstance(node.value, str):
            self.strings.append(node.value)
        elif isinstance(node.value, (int, float)):
            text = ast.get_source_segment(self.source, node) or repr(node.value)
            self.numbers.extend({text, repr(node.value)})


@dataclasses.dataclass
class AnswerKey:
    """What must not leave in feedback: hidden test lines and the answers written in them."""

    lines: list[str]
    strings: list[str]
    numbers: list[str]

    @classmethod
    def from_sources(cls, test_sources: list[str], visible_text: str) -> AnswerKey:
        """Collect the key from the test cells' full sources.

        A line or literal that also appears in ``visible_text`` (what the student sees anyway:
        instructions, visible checks, their own code) is not part of the key.
        """
        lines: list[str] = []
        strings: list[str] = []
        numbers: list[str] = []
        for source in test_sources:
            regions = hidden_regions(source)
            if not regions:
                continue
            split = source.split("\n")
            hidden = {n for first, last in regions for n in range(first, last + 1)}
            for n in sorted(hidden):
                line = split[n - 1].strip()
                if len(line) >= MIN_LINE_CHARS and line not in visible_text and line not in lines:
                    lines.append(line)
            try:
                tree = ast.parse(source)
            except SyntaxError:  # not Python: hide its lines, no literals to pick out
                continue
            found = _Literals(source, hidden)
            found.visit(tree)
            for value in found.strings:
                if _IDENTIFIER.match(value):  # column, permission or variable names are not answers
                    continue
                if len(value.strip()) >= 2 and value not in visible_text and value not in strings:
                    strings.append(value)
            for text in found.numbers:
                if _significant_digits(text) >= MIN_NUMBER_DIGITS and text not in numbers:
                    if not re.search(_number_pattern(text), visible_text):
                        numbers.append(text)
        strings.sort(key=len, reverse=True)  # replace "乐童优选:小陈" before "小陈"
        return cls(lines=lines, strings=strings, numbers=numbers)

    def scrub(self, text: str) -> str:
        """``text`` with hidden lines and answer literals replaced by a Chinese marker."""
        if not text:
            return text
        out = []
        for line in text.split("\n"):
            if any(hidden in line for hidden in self.lines):
                line = REDACTED_LINE
            out.append(line)
        text = "\n".join(out)
        for value in self.strings:
            text = text.replace(value, REDACTED)
        for number in self.numbers:
            text = re.sub(_number_pattern(number), REDACTED, text)
        return text


_ERROR_HINTS = {
    "CellTimeoutError": "运行超时，被中断了（检查上面的代码有没有死循环）",
    "NameError": "用到的名字还没有定义：先完成并运行上面的答案单元格",
}


def _check_failed_text(grade_id: str, ename: str, evalue: str) -> str:
    hint = evalue.strip() or _ERROR_HINTS.get(ename, "")
    if ename == "NameError" and evalue:
        hint = f"{_ERROR_HINTS['NameError']}（{evalue}）"
    if not hint:
        hint = "（这项检查没有附带说明）"
    return f"检查 {grade_id} 没有通过（{ename}）：{hint}"


def _scrub_output(output: Any, key: AnswerKey) -> None:
    kind = output.get("output_type")
    if kind == "stream":
        output["text"] = key.scrub(output.get("text", ""))
    elif kind in ("display_data", "execute_result"):
        data = output.get("data", {})
        for mime, value in list(data.items()):
            if mime.startswith("text/") or mime in ("application/json", "application/javascript"):
                text = value if isinstance(value, str) else "".join(value)
                data[mime] = key.scrub(text)
    elif kind == "error":
        output["evalue"] = key.scrub(output.get("evalue", ""))
        output["traceback"] = [key.scrub(line) for line in output.get("traceback", [])]


try:  # nbgrader is part of the classroom extra; without it there is nothing to register
    from nbgrader.preprocessors import NbGraderPreprocessor as _Base
except ImportError:  # pragma: no cover - the lab extra is always installed for teachers
    from nbconvert.preprocessors import Preprocessor as _Base


class HideAnswerKey(_Base):
    """nbgrader ``GenerateFeedback`` preprocessor that removes the answer key (see module doc)."""

    enabled = Bool(True, help="是否启用（Whether to run this preprocessor）").tag(config=True)
    display_data_priority = List(
        [
            "text/html",
            "application/pdf",
            "text/latex",
            "image/svg+xml",
            "image/png",
            "image/jpeg",
            "text/plain",
        ],
        help="nbgrader's output priority (accepted like GetGrades does)",
    ).tag(config=True)
    show_hidden_tests = Bool(
        False,
        help=(
            "截止以后公布完整的隐藏测试（反馈里就有标准答案）。"
            "Release the full hidden tests in feedback (only after the deadline)."
        ),
    ).tag(config=True)
    begin_test_delimeter = Unicode(BEGIN, help="隐藏测试开始的标记").tag(config=True)
    end_test_delimeter = Unicode(END, help="隐藏测试结束的标记").tag(config=True)

    def preprocess(self, nb: Any, resources: dict) -> tuple[Any, dict]:
        """Hide the answer key in ``nb`` (in place) unless ``show_hidden_tests``."""
        if self.show_hidden_tests:
            self.log.warning("反馈里包含完整的隐藏测试（show_hidden_tests=True）")
            return nb, resources
        tests = [cell for cell in nb.cells if is_test(cell)]
        visible = [self._visible_source(cell.source) for cell in tests]
        others = [cell.source for cell in nb.cells if not is_test(cell)]
        key = AnswerKey.from_sources([cell.source for cell in tests], "\n".join(others + visible))
        test_ids = {id(cell) for cell in tests}
        for cell in nb.cells:
            if id(cell) in test_ids:
                self._hide_in_test_cell(cell, key)
            for output in cell.get("outputs", []):
                _scrub_output(output, key)
        return nb, resources

    def _visible_source(self, source: str) -> str:
        regions = hidden_regions(source, self.begin_test_delimeter, self.end_test_delimeter)
        if not regions:
            return source
        lines = source.split("\n")
        kept, inside = [], False
        for line in lines:
            if self.begin_test_delimeter in line:
                inside = True
                indent = line[: len(line) - len(line.lstrip())]
                kept.append(indent + HIDDEN_LINE_NOTE)
            elif self.end_test_delimeter in line:
                inside = False
            elif not inside:
                kept.append(line)
        return "\n".join(kept)

    def _hide_in_test_cell(self, cell: Any, key: AnswerKey) -> None:
        grade_id = nbgrader_meta(cell).get("grade_id", "?")
        cell.source = self._visible_source(cell.source)
        for output in cell.get("outputs", []):
            if output.get("output_type") == "error":
                ename = output.get("ename", "Error")
                evalue = key.scrub(output.get("evalue", ""))
                output["evalue"] = evalue
                output["traceback"] = [_check_failed_text(grade_id, ename, evalue)]
