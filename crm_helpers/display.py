"""把结果表格显示得好读：百分比、金额、秒数按中文习惯格式化 (readable tables and the KPI explorer).

The lessons compute with plain numbers (a share is 0.615, an amount 843.9); students read them
as 61.5 % and 843.90 元.  :func:`readable` returns a pandas ``Styler`` that shows a table that
way without changing its numbers, so a lesson's code stays about the idea and not about format
specs.  :func:`kpi_explorer` is lesson 05's interactive KPI board (ipywidgets), and
:func:`agent_kpi_summary` the same board and sentence without widgets.

Nothing is imported from ipywidgets or IPython until a function is called.
"""

from __future__ import annotations

from collections.abc import Hashable, Sequence
from typing import Any

import pandas as pd

from ._format import format_money
from ._validation import check_choice, check_dataframe, check_int, check_number

__all__ = ["agent_kpi_summary", "kpi_explorer", "percent", "readable", "yuan"]

#: Words in a column name that mark a share (shown as a percentage).
_PERCENT_WORDS = ("率", "占比", "比例")
#: Words in a column name that mark an amount of money (shown with two decimals and 元).
_MONEY_WORDS = ("价", "金额", "销售额", "实付款", "（元）")
#: Words in a column name that mark seconds (shown with one decimal).
_SECONDS_WORDS = ("（秒）",)
#: Words in a column name that mark percentage points (shown with a sign and one decimal).
_POINTS_WORDS = ("（百分点）",)


def percent(share: float, digits: int = 1) -> str:
    """一个比例写成百分数 (a share as a percentage): ``0.6149 → "61.5%"``.

    Parameters
    ----------
    share : float
        The share, e.g. 0.6149 (not 61.49).
    digits : int, default 1
        Decimals after the point.

    Returns
    -------
    str
        The percentage, e.g. ``"61.5%"``.

    Raises
    ------
    TypeError, ValueError
        If ``share`` is not a number or ``digits`` is not a whole number ≥ 0.

    Examples
    --------
    >>> percent(0.6149), percent(0.055, digits=0)
    ('61.5%', '6%')
    """
    share = check_number(share, "share（比例）")
    digits = check_int(digits, "digits", minimum=0)
    return f"{share:.{digits}%}"


def yuan(amount: float) -> str:
    """一个金额写成中文的习惯写法 (an amount of money as a sentence says it): 万元 from 10 000 on.

    Parameters
    ----------
    amount : float
        The amount in 元.

    Returns
    -------
    str
        E.g. ``"843.9元"`` or ``"47万元"``.

    Raises
    ------
    TypeError, ValueError
        If ``amount`` is not a number.

    Examples
    --------
    >>> yuan(843.898), yuan(470485.33)
    ('843.9元', '47万元')
    """
    return format_money(check_number(amount, "amount（金额）"))


def _columns_with(frame: pd.DataFrame, words: Sequence[str]) -> list[Hashable]:
    return [c for c in frame.columns if isinstance(c, str) and any(w in c for w in words)]


def _numeric(frame: pd.DataFrame, columns: Sequence[Hashable], what: str) -> list[Hashable]:
    """``columns`` after checking each exists and holds numbers."""
    for column in columns:
        if column not in frame.columns:
            raise ValueError(f"表格里没有列 {column!r}，无法按{what}显示；现有的列：{list(frame.columns)}。")
        if not pd.api.types.is_numeric_dtype(frame[column]):
            raise TypeError(f"列 {column!r} 不是数字（类型 {frame[column].dtype}），无法按{what}显示。")
    return list(columns)


def readable(
    table: pd.DataFrame | pd.Series,
    *,
    percent: Sequence[Hashable] | None = None,
    money: Sequence[Hashable] | None = None,
    seconds: Sequence[Hashable] | None = None,
    digits: int = 1,
) -> Any:
    """把表格显示得好读：比例显示成百分数，金额带"元"，秒数保留一位小数 (a readable view).

    The numbers are not changed: the result is a pandas ``Styler`` (a view for the
    notebook), so keep computing with ``table`` itself.  A Series is shown as a one-column
    table named after the Series.

    Columns are recognised by their Chinese names unless given explicitly: a name containing
    率 / 占比 / 比例 is a share, 价 / 金额 / 销售额 / 实付款 / （元） an amount of money, （秒） seconds
    and （百分点） percentage points.  Other whole numbers get thousands separators, other
    decimals two decimals; True/False read 是/否 and dates ``2025-05-20`` (with the clock
    time only when some value has one), in the columns and in the row labels.

    Parameters
    ----------
    table : pandas.DataFrame or pandas.Series
        The table to show; not modified.
    percent, money, seconds : sequence of column names, optional
        Columns to show as 百分数 / 金额 / 秒数 instead of the ones found by name.
    digits : int, default 1
        Decimals of percentages and seconds (money always has two).

    Returns
    -------
    pandas.io.formats.style.Styler
        Shown as a table in Jupyter.

    Raises
    ------
    TypeError
        If ``table`` is not a DataFrame or Series, or a listed column is not numeric.
    ValueError
        If a listed column does not exist.

    Examples
    --------
    >>> board = pd.DataFrame({"询单转化率": [0.615], "客单价": [843.9]}, index=["小美"])
    >>> readable(board).to_string().splitlines()[1].split()
    ['小美', '61.5%', '843.90', '元']
    """
    if isinstance(table, pd.Series):
        table = table.to_frame(table.name if table.name is not None else "数值")
    check_dataframe(table, "table", allow_empty=True)
    digits = check_int(digits, "digits", minimum=0)
    numeric = [c for c in table.columns if pd.api.types.is_numeric_dtype(table[c])]
    frame = table[numeric]
    percent = (
        _numeric(table, percent, "百分数") if percent is not None else _columns_with(frame, _PERCENT_WORDS)
    )
    money = _numeric(table, money, "金额") if money is not None else _columns_with(frame, _MONEY_WORDS)
    seconds = (
        _numeric(table, seconds, "秒数") if seconds is not None else _columns_with(frame, _SECONDS_WORDS)
    )
    points = _columns_with(frame, _POINTS_WORDS)
    formats: dict[Hashable, Any] = {}
    for column in numeric:
        if pd.api.types.is_bool_dtype(table[column]):
            formats[column] = _yes_no
        else:
            formats[column] = "{:,}" if pd.api.types.is_integer_dtype(table[column]) else "{:,.2f}"
    for column in table.columns:
        if pd.api.types.is_datetime64_any_dtype(table[column]):
            formats[column] = _date_format(table[column])
    formats.update({c: f"{{:+.{digits}f}}" for c in points})
    formats.update({c: f"{{:.{digits}f}}" for c in seconds})
    formats.update({c: "{:,.2f} 元" for c in money})
    formats.update({c: f"{{:.{digits}%}}" for c in percent})
    styler = table.style.format(formats, na_rep="—", escape="html")  # "<10分钟" stays text
    styler = styler.format_index(escape="html", axis=0).format_index(escape="html", axis=1)
    for level in range(table.index.nlevels):
        values = table.index.get_level_values(level)
        if pd.api.types.is_datetime64_any_dtype(values):
            styler = styler.format_index(_date_format(values), escape="html", axis=0, level=level)
    return styler


def _yes_no(value: bool) -> str:
    """True/False as a Chinese reader says it: 是 / 否."""
    return "是" if value else "否"


def _date_format(times: pd.Series | pd.Index) -> str:
    """``{:%Y-%m-%d}`` when every time is midnight (a day), else with the clock time."""
    days_only = (pd.DatetimeIndex(times).dropna() == pd.DatetimeIndex(times).dropna().normalize()).all()
    return "{:%Y-%m-%d}" if days_only else "{:%Y-%m-%d %H:%M:%S}"


# ---- lesson 05: the KPI board per agent, with and without widgets ------------------------------


def agent_kpi_summary(
    chats: pd.DataFrame,
    orders: pd.DataFrame,
    agents: pd.DataFrame,
    nickname: str,
    days: int = 28,
) -> None:
    """某位客服最近若干天的 KPI：显示看板，并用一句话说出这位客服的两项指标 (one agent's KPIs).

    Computes :func:`crm_helpers.metrics.kpi_board` over the last ``days`` days, shows it with
    :func:`readable` and prints the agent's 询单转化率 and 3分钟响应率.

    Parameters
    ----------
    chats, orders, agents : pandas.DataFrame
        The shop's 旺旺咨询表, 订单表 and 员工表 (columns as in ``kpi_board``).
    nickname : str
        The agent's nickname (昵称), e.g. ``"阿强"``.
    days : int, default 28
        Length of the window, as ``period_days`` of ``kpi_board``.

    Raises
    ------
    ValueError
        If no agent of the board has that nickname, or ``days`` is not a positive whole number.
    """
    from IPython.display import display

    from .metrics import kpi_board

    days = check_int(days, "days（统计天数）", minimum=1)
    board = kpi_board(chats, orders, agents=agents, period_days=days)
    check_choice(nickname, "nickname（客服昵称）", list(board["客服"]))
    row = board[board["客服"] == nickname].iloc[0]
    conversion = "—（没有售前咨询）" if pd.isna(row["询单转化率"]) else f"{row['询单转化率']:.1%}"
    print(f"{nickname} 最近 {days} 天：询单转化率 {conversion}，3分钟响应率 {row['3分钟响应率']:.1%}")
    display(readable(board.rename_axis("客服编号")))


def kpi_explorer(
    chats: pd.DataFrame,
    orders: pd.DataFrame,
    agents: pd.DataFrame,
    *,
    nickname: str = "阿强",
    days: int = 28,
) -> Any:
    """客服 KPI 看板的交互控件：选客服、拖动统计天数，看板重新计算 (interactive KPI board).

    A dropdown of the agents' nicknames and a slider of days (7 to 364, step 7); every change
    calls :func:`agent_kpi_summary`.

    Parameters
    ----------
    chats, orders, agents : pandas.DataFrame
        The shop's 旺旺咨询表, 订单表 and 员工表.
    nickname : str, default "阿强"
        The agent selected first.
    days : int, default 28
        The number of days selected first.

    Returns
    -------
    ipywidgets.VBox
        The two controls above the board (the last line of a cell shows it).

    Raises
    ------
    ValueError
        If ``nickname`` is not an agent of the board or ``days`` is not between 7 and 364.
    """
    import ipywidgets as widgets

    from .metrics import kpi_board

    days = check_int(days, "days（统计天数）", minimum=7)
    if days > 364:
        raise ValueError(f"参数 days（统计天数）最多是 364，收到的是 {days}。")
    nicknames = list(kpi_board(chats, orders, agents=agents, period_days=None)["客服"])
    check_choice(nickname, "nickname（客服昵称）", nicknames)
    style = {"description_width": "initial"}
    agent_box = widgets.Dropdown(options=nicknames, value=nickname, description="客服：", style=style)
    days_box = widgets.IntSlider(value=days, min=7, max=364, step=7, description="统计天数：", style=style)

    def show(nickname: str, days: int) -> None:
        agent_kpi_summary(chats, orders, agents, nickname, days)

    output = widgets.interactive_output(show, {"nickname": agent_box, "days": days_box})
    return widgets.VBox([agent_box, days_box, output])
