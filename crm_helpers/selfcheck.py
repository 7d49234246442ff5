"""Self-checks for the 练一练 exercises in the lessons (not used for grading).

A student computes something, then runs ``check_value(my_answer, expected, name="客单价")``
and gets a friendly Chinese verdict.  The checks never raise on a wrong answer: a lesson
keeps running, and an unanswered exercise (``...`` or ``None``) is reported as such.
"""

from __future__ import annotations

import math
import numbers
from collections.abc import Callable
from typing import Any, NamedTuple

import pandas as pd

__all__ = ["EXERCISES", "CheckResult", "check_exercise", "check_table", "check_value"]


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


class Exercise(NamedTuple):
    """一道练一练: what the answer is called, a hint, and how the right answer is computed."""

    name: str
    hint: str
    expected: Callable[[Any], Any]


def _warehouse_permissions(workbench: Any) -> int:
    from .workbench import ROLES

    return len(ROLES["仓储"].permissions)


def _member_orders(workbench: Any, member: str, status: str) -> int:
    from .orders import find_orders

    return len(find_orders(workbench.orders, workbench.store.customers, member_name=member, status=status))


def _december_closed(workbench: Any) -> int:
    from .orders import find_orders

    return len(find_orders(workbench.orders, status="交易关闭", start="2025-10-01", end="2025-11-01"))


#: The lessons' 练一练 by key: the right answer is computed here, from the data the lesson
#: passes in, so the self-check cell a student reads does not show it.
EXERCISES: dict[str, Exercise] = {
    "00-客户数": Exercise(
        "客户数",
        "客户表是 store.customers，用 len() 数一数行数。",
        lambda store: len(store.customers),
    ),
    "00-卖家已发货": Exercise(
        "卖家已发货的订单数",
        '条件写成 orders["status"] == "卖家已发货"，引号和括号都用英文的。',
        lambda store: int((store.orders["status"] == "卖家已发货").sum()),
    ),
    "00-2025年11月订单数": Exercise(
        "2025 年 11 月的订单数",
        "如果出现 NameError，先把 5.4 节计算 monthly 的那一格运行一遍。",
        lambda store: int((store.orders["created_at"].dt.to_period("M") == "2025-11").sum()),
    ),
    "00-广东客户数": Exercise(
        "广东的客户数",
        '"地区"的英文列名是 region；条件写成 customers["region"] == "广东"。',
        lambda store: int((store.customers["region"] == "广东").sum()),
    ),
    "01-超出金额": Exercise(
        "超出授权限额的金额",
        'over["超出金额"].sum()；如果出现 NameError，先运行第六节计算 over 的那一格。',
        lambda daily: daily.loc[daily["超限"], "超出金额"].sum(),
    ),
    "01-红包个数": Exercise(
        "每位员工的红包个数",
        '按 "agent_id" 分组，再用 .size() 数每组有几行。',
        lambda red_packets: red_packets.groupby("agent_id").size(),
    ),
    "01-仓储权限数": Exercise(
        "小吴的权限数",
        '先确认已经新建了 "乐童优选:小吴"，再用 len(wb.permissions_of("乐童优选:小吴"))。',
        _warehouse_permissions,
    ),
    "02-交易成功笔数": Exercise(
        "田园小鱼3581 交易成功的订单数",
        '同时写 member_name="田园小鱼3581" 和 status="交易成功"，引号用英文的。',
        lambda workbench: _member_orders(workbench, "田园小鱼3581", "交易成功"),
    ),
    "02-十月关闭笔数": Exercise(
        "10 月下单、交易关闭的订单数",
        'start="2025-10-01"，end="2025-11-01"（end 不包含在内）。',
        _december_closed,
    ),
    "02-议价成交次数": Exercise(
        "促成订单的议价咨询次数",
        "如果出现 NameError，先把 2.2 节生成 presale 的那一格运行一遍。",
        lambda chats: int(((chats["topic"] == "议价") & chats["order_id"].notna()).sum()),
    ),
}


def check_exercise(exercise: str, answer: Any, data: Any) -> CheckResult:
    """Check a lesson's 练一练 answer against the answer computed from ``data`` (练一练自查).

    Parameters
    ----------
    exercise : str
        A key of :data:`EXERCISES`, e.g. ``"01-超出金额"``.
    answer : object
        What the student computed.
    data : object
        The data the lesson works on (a table or the workbench), as the exercise needs.

    Returns
    -------
    CheckResult
        True when right; the verdict is printed (✅, ❌ with a hint, or ⏳).

    Raises
    ------
    ValueError
        If ``exercise`` is not a known key.
    """
    if exercise not in EXERCISES:
        raise ValueError(f"没有练一练 {exercise!r}；现有的：{'、'.join(EXERCISES)}。")
    spec = EXERCISES[exercise]
    expected = spec.expected(data)
    if isinstance(expected, (pd.Series, pd.DataFrame)):
        return check_table(answer, expected, name=spec.name, hint=spec.hint)
    return check_value(answer, expected, name=spec.name, hint=spec.hint)
