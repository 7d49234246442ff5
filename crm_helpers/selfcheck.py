"""Self-checks for the 练一练 exercises in the lessons (not used for grading).

A student computes something, then runs ``check_value(my_answer, expected, name="客单价")``
and gets a friendly Chinese verdict.  The checks never raise on a wrong answer: a lesson
keeps running, and an unanswered exercise (``...`` or ``None``) is reported as such.
"""

from __future__ import annotations

import math
import numbers
from typing import Any

import pandas as pd

__all__ = ["CheckResult", "check_table", "check_value"]


class CheckResult:
    """自查结果 (the verdict of a self-check): true when right.

    Jupyter shows nothing for it (the printed message is the feedback), so a check call can
    be the last line of a cell without a stray ``True``/``False`` underneath.
    """

    def __init__(self, ok: bool) -> None:
        self.ok = bool(ok)

    def __bool__(self) -> bool:
        return self.ok

    def __repr__(self) -> str:
        return "正确" if self.ok else "还不对"

    def _ipython_display_(self) -> None:  # displayed as nothing in a notebook
        return None


def _unanswered(answer: Any) -> bool:
    return answer is ... or answer is None


def check_value(
    answer: Any,
    expected: float,
    *,
    name: str = "答案",
    tolerance: float = 0.01,
    hint: str = "",
) -> bool:
    """Compare a number the student computed with the expected one (数值自查).

    Parameters
    ----------
    answer : object
        What the student computed.
    expected : float
        The right value.
    name : str
        What the value is, shown in the message (e.g. ``"客单价"``).
    tolerance : float, default 0.01
        Largest accepted absolute difference (rounding to two decimals passes).
    hint : str, optional
        Shown after a wrong answer.

    Returns
    -------
    CheckResult
        True when the answer is right (shown as nothing in a notebook).

    Examples
    --------
    >>> bool(check_value(12.3456, 12.35, name="客单价"))
    ✅「客单价」正确：12.3456
    True
    """
    if _unanswered(answer):
        print(f"⏳ 还没有作答：请先把「{name}」的计算写在上面的代码格里，再运行这一格。")
        return CheckResult(False)
    if isinstance(answer, bool) or not isinstance(answer, numbers.Real):
        print(f"❌「{name}」应该是一个数字，你的结果是 {type(answer).__name__} 类型：{answer!r}。")
        return CheckResult(False)
    value = float(answer)
    if math.isfinite(value) and abs(value - float(expected)) <= tolerance:
        print(f"✅「{name}」正确：{answer:g}")
        return CheckResult(True)
    tip = f"提示：{hint}" if hint else "提示：检查一下筛选条件和分母。"
    print(f"❌「{name}」还不对：你的结果是 {answer:g}。{tip}")
    return CheckResult(False)


def check_table(
    answer: Any, expected: pd.DataFrame | pd.Series, *, name: str = "表格", hint: str = ""
) -> bool:
    """Compare a table the student built with the expected one (表格自查).

    Index order does not matter; values are compared to two decimals.

    Parameters
    ----------
    answer : object
        The student's table (a DataFrame or Series), or the unanswered placeholder.
    expected : pandas.DataFrame or pandas.Series
        The right table.
    name : str, default "表格"
        What the table is called in the message.
    hint : str, default ""
        A hint printed when the table is wrong.

    Returns
    -------
    CheckResult
        True when the table is right (shown as nothing in a notebook).
    """
    if _unanswered(answer):
        print(f"⏳ 还没有作答：请先把「{name}」写在上面的代码格里，再运行这一格。")
        return CheckResult(False)
    if not isinstance(answer, type(expected)):
        print(f"❌「{name}」应该是 {type(expected).__name__}，你的结果是 {type(answer).__name__}。")
        return CheckResult(False)
    try:
        left = answer.sort_index()
        right = expected.sort_index()
        if isinstance(expected, pd.DataFrame):
            left = left[list(right.columns)]
            pd.testing.assert_frame_equal(left, right, check_dtype=False, check_names=False, atol=0.01)
        else:
            pd.testing.assert_series_equal(left, right, check_dtype=False, check_names=False, atol=0.01)
    except (AssertionError, KeyError, TypeError, ValueError):
        tip = f"提示：{hint}" if hint else "提示：对照一下行、列和每个数字。"
        print(f"❌「{name}」还不对。{tip}")
        return CheckResult(False)
    print(f"✅「{name}」正确！")
    return CheckResult(True)
