"""订单处理 (order handling): the order state machine, 查找订单, 备注, 改价.

The 交接表 is in :mod:`crm_helpers.handover`, the 活动三要素 in :mod:`crm_helpers.campaigns`.

The functions here are *pure*: they take ``pandas.DataFrame`` tables (the shop's ``orders``,
``customers``, ``refunds``, ``chats``), never modify them, and return new tables.  They do
not check who is allowed to do what: the simulated 千牛 workbench
(:mod:`crm_helpers.workbench`) checks the sub-account's permissions first and then calls
them.  Column names are keyword parameters (``order_col="order_id"`` …), so a shop's own
export with other column names works too.

Rules used (课程采用的规则)
---------------------------
* **订单状态机** (:data:`ORDER_TRANSITIONS`): 等待买家付款 → 买家已付款 → 卖家已发货 →
  交易成功.  An unpaid order closes (交易关闭) when it times out, the buyer cancels or the
  seller closes it; a paid or shipped order closes only through a full refund (全额退款).
  交易成功 and 交易关闭 are final: a refund after 交易成功 is an after-sale (售后) case and
  the order keeps its status.  Every change sets the matching time column (``paid_at``,
  ``shipped_at``, ``finished_at``, ``closed_at``) and time never goes backwards.
* **改价** is a 客服 skill (seed 001) and a permission the shop grants (the workbench checks it).
  On Taobao a seller may change the price -- lower or higher -- and the postage while the order
  is 等待买家付款.  The simulated shop's own rule (本店的规定, :func:`change_price`): only while
  等待买家付款, the new price more than 0, in whole 分 and at most the goods amount (本店只用改价
  给优惠); ``discount`` becomes ``goods_amount − payment``.
* **备注**: one seller remark per order (a new remark replaces the old one, as in 千牛),
  1-500 characters, with a flag colour (:data:`FLAG_COLOURS`) and the author.
* **交接表**: the open items at the shift change ``at``; an order's status at ``at`` is read
  from its time columns (the same as the ``status`` column when ``at`` is "now").
* **活动三要素**: 活动时间, 参与条件, 活动方式 (:class:`Campaign`).

Errors are Chinese ``TypeError`` / ``ValueError`` messages that name the value and say what
is allowed.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from types import MappingProxyType
from typing import TYPE_CHECKING, Any

import numpy as np
import pandas as pd

from ._format import format_amount
from ._members import check_customers, member_names
from ._validation import (
    check_choice,
    check_columns,
    check_dataframe,
    check_datetime,
    check_number,
    check_text,
    check_timestamp,
    is_list_like,
)
from .store import STATUSES

if TYPE_CHECKING:  # pragma: no cover - only for type hints
    from matplotlib.axes import Axes

__all__ = [
    "FLAG_COLOURS",
    "ORDER_TRANSITIONS",
    "TIME_COLUMNS",
    "add_remark",
    "change_price",
    "check_transition",
    "chinese_orders",
    "draw_state_machine",
    "find_orders",
    "orders_at",
    "status_at",
    "transition",
    "transition_table",
]

UNPAID, PAID, SHIPPED, FINISHED, CLOSED = STATUSES

#: The order state machine (订单状态机): current status → {allowed new status: the events
#: that cause it}.  Final statuses map to an empty dict.  Read-only.
ORDER_TRANSITIONS: Mapping[str, Mapping[str, tuple[str, ...]]] = MappingProxyType(
    {
        UNPAID: MappingProxyType(
            {
                PAID: ("买家付款",),
                CLOSED: ("超时未付款自动关闭", "买家取消订单", "卖家关闭订单"),
            }
        ),
        PAID: MappingProxyType({SHIPPED: ("卖家发货",), CLOSED: ("全额退款",)}),
        SHIPPED: MappingProxyType({FINISHED: ("买家确认收货", "系统自动确认收货"), CLOSED: ("全额退款",)}),
        FINISHED: MappingProxyType({}),
        CLOSED: MappingProxyType({}),
    }
)

#: Status → the time column a change to that status sets (付款时间, 发货时间, 成交时间, 关闭时间).
TIME_COLUMNS: Mapping[str, str] = MappingProxyType(
    {PAID: "paid_at", SHIPPED: "shipped_at", FINISHED: "finished_at", CLOSED: "closed_at"}
)

#: The five remark flag colours and the meaning this course gives them (本课程的约定).  千牛 only
#: offers the colours; what each one means is every shop's own rule.
FLAG_COLOURS: Mapping[str, str] = MappingProxyType(
    {
        "红": "重要或紧急：有问题要优先处理，如改地址、加急发货、投诉",
        "黄": "需要跟进：还有事没办完，如等买家确认、缺货待协调",
        "绿": "已处理：问题已解决，可以正常发货或结束",
        "蓝": "发货有特殊要求：如送赠品、指定快递、特殊包装",
        "紫": "售后相关：退换货、补发、退差价",
    }
)

MAX_REMARK_LENGTH = 500
_MAIN_LINE = (UNPAID, PAID, SHIPPED, FINISHED)
_TIME_LABELS = {
    "created_at": "下单时间",
    "paid_at": "付款时间",
    "shipped_at": "发货时间",
    "finished_at": "成交时间",
    "closed_at": "关闭时间",
}


# ---- small helpers -----------------------------------------------------------------------


def _as_list(value: Any) -> list[Any]:
    """One value or a list-like of values as a list (text counts as one value)."""
    return list(value) if is_list_like(value) else [value]


def _check_order_id_kind(value: Any, ids: pd.Series, name: str) -> None:
    """Refuse text ids for a numeric id column (``"100001"`` would silently match nothing)."""
    if pd.api.types.is_numeric_dtype(ids.dtype) and not pd.api.types.is_bool_dtype(ids.dtype):
        if isinstance(value, bool) or not isinstance(value, (int, float, np.integer, np.floating)):
            raise TypeError(
                f"参数 {name} 应该是数字形式的订单编号，例如 100001（不加引号）；"
                f"收到的是 {value!r}（{type(value).__name__}）。"
            )


def _row_position(orders: pd.DataFrame, order_id: Any, order_col: str) -> int:
    """The position of the one row whose ``order_col`` equals ``order_id``."""
    ids = orders[order_col]
    _check_order_id_kind(order_id, ids, "order_id（订单编号）")
    hits = np.flatnonzero((ids == order_id).fillna(False).to_numpy(dtype=bool))
    if len(hits) == 0:
        if len(ids):
            span = f"订单表里共有 {len(ids)} 笔订单，编号从 {ids.min()} 到 {ids.max()}"
        else:
            span = "订单表是空的"
        raise ValueError(f"找不到订单编号（order_id）为 {order_id!r} 的订单：{span}。请检查编号是否抄错。")
    if len(hits) > 1:
        raise ValueError(
            f"订单编号（order_id）{order_id!r} 在订单表里出现了 {len(hits)} 次，订单编号应该唯一，"
            "请先去掉重复的行。"
        )
    return int(hits[0])


def _set_time(frame: pd.DataFrame, position: int, column: str, at: pd.Timestamp) -> None:
    """Set one cell of a time column of ``frame`` (a copy we own), keeping sub-second times."""
    values = check_datetime(frame, "orders", column).copy()
    unit = getattr(values.dt, "unit", "ns")
    try:
        at.as_unit(unit, round_ok=False)
    except ValueError:  # e.g. a time with milliseconds into a column of whole seconds
        values = values.astype(f"datetime64[{at.unit}]")
    values.iloc[position] = at
    frame[column] = values


def _set_value(frame: pd.DataFrame, position: int, column: str, value: Any) -> None:
    """Set one cell of ``frame`` (a copy we own); a categorical column gains the category."""
    values = frame[column].copy()
    if isinstance(values.dtype, pd.CategoricalDtype) and value not in values.cat.categories:
        values = values.cat.add_categories([value])
    values.iloc[position] = value
    frame[column] = values


#: Chinese headers of the columns the workbench adds to the orders table (会员名, 旗帜, 备注人).
ORDER_EXTRA_LABELS: Mapping[str, str] = MappingProxyType(
    {"member_name": "会员名", "remark_flag": "旗帜颜色", "remark_by": "备注人"}
)


def chinese_orders(orders: pd.DataFrame) -> pd.DataFrame:
    """订单表换成中文表头 (an orders table with Chinese headers), for reading.

    The shop's columns take their glossary names (``payment`` → 实付款), the columns the
    workbench adds take :data:`ORDER_EXTRA_LABELS`; other columns keep their names.  An
    empty remark, flag or author shows as blank instead of ``NaN``.

    Parameters
    ----------
    orders : pandas.DataFrame
        An orders table or part of one (e.g. a :func:`find_orders` result); not modified.

    Returns
    -------
    pandas.DataFrame
        A copy with Chinese headers.

    Examples
    --------
    >>> frame = pd.DataFrame({"order_id": [1], "member_name": ["甜甜果果2831"], "payment": [99.0]})
    >>> chinese_orders(frame).columns.tolist()
    ['订单编号', '会员名', '实付款']
    """
    from .glossary import to_chinese_columns

    check_dataframe(orders, "orders", [], allow_empty=True)
    shown = orders.copy()
    for column in ("remark", *ORDER_EXTRA_LABELS):
        if column in shown.columns and not isinstance(shown[column].dtype, pd.CategoricalDtype):
            shown[column] = shown[column].astype(object).where(shown[column].notna(), "")
    return to_chinese_columns(shown, "orders").rename(columns=dict(ORDER_EXTRA_LABELS))


# ---- 订单状态机 ------------------------------------------------------------------------------


def _options(current: str) -> str:
    allowed = ORDER_TRANSITIONS[current]
    if not allowed:
        return "无（最终状态）"
    return "、".join(f"“{new}”（{'/'.join(events)}）" for new, events in allowed.items())


def check_transition(current: str, new: str) -> tuple[str, ...]:
    """检查订单状态变更是否合法 (check one change of order status).

    Parameters
    ----------
    current : str
        The order's status now, one of :data:`crm_helpers.STATUSES`.
    new : str
        The status it should change to.

    Returns
    -------
    tuple of str
        The events that cause this change (e.g. ``("买家付款",)``).

    Raises
    ------
    ValueError
        If a status is unknown, or the change is not in :data:`ORDER_TRANSITIONS`; the
        message says why (最终状态, 倒退, 跳步) and which changes are allowed.

    Examples
    --------
    >>> check_transition("等待买家付款", "买家已付款")
    ('买家付款',)
    >>> check_transition("买家已付款", "交易成功")
    Traceback (most recent call last):
    ...
    ValueError: 订单状态不能跳步：从“买家已付款”到“交易成功”要先经过“卖家已发货”。从“买家已付款”只能变为：“卖家已发货”（卖家发货）、“交易关闭”（全额退款）。
    """
    check_choice(current, "current（当前状态）", STATUSES)
    check_choice(new, "new_status（新状态）", STATUSES)
    allowed = ORDER_TRANSITIONS[current]
    if new in allowed:
        return allowed[new]
    if new == current:
        reason = f"订单已经是“{current}”，不需要再变更。"
    elif not allowed:
        reason = (
            f"订单状态不能从“{current}”变为“{new}”：“{current}”是最终状态，交易已经结束，状态不能再改变。"
        )
        if current == FINISHED:
            reason += "交易成功后买家再要退货退款，走售后流程，订单状态保持“交易成功”。"
        raise ValueError(reason)
    elif new in _MAIN_LINE and _MAIN_LINE.index(new) < _MAIN_LINE.index(current):
        reason = f"订单状态不能倒退：“{current}”之后不能再回到“{new}”。"
    elif new in _MAIN_LINE:
        between = _MAIN_LINE[_MAIN_LINE.index(current) + 1 : _MAIN_LINE.index(new)]
        reason = f"订单状态不能跳步：从“{current}”到“{new}”要先经过“{'”“'.join(between)}”。"
    else:  # not reachable with the five 千牛 statuses, kept for safety
        reason = f"订单状态不能从“{current}”变为“{new}”。"
    raise ValueError(f"{reason}从“{current}”只能变为：{_options(current)}。")


def transition_table() -> pd.DataFrame:
    """订单状态流转表: every allowed change as a row (当前状态, 新状态, 触发事件).

    Returns
    -------
    pandas.DataFrame
        Columns ``当前状态``, ``新状态``, ``触发事件``, in the order of the state machine.

    Examples
    --------
    >>> table = transition_table()
    >>> table.columns.tolist()
    ['当前状态', '新状态', '触发事件']
    >>> table.loc[1].tolist()
    ['等待买家付款', '交易关闭', '超时未付款自动关闭、买家取消订单、卖家关闭订单']
    """
    rows = [
        {"当前状态": current, "新状态": new, "触发事件": "、".join(events)}
        for current, allowed in ORDER_TRANSITIONS.items()
        for new, events in allowed.items()
    ]
    return pd.DataFrame(rows, columns=["当前状态", "新状态", "触发事件"])


def transition(
    orders: pd.DataFrame,
    order_id: Any,
    new_status: str,
    at: Any,
    *,
    event: str | None = None,
    order_col: str = "order_id",
    status_col: str = "status",
    created_col: str = "created_at",
    close_reason_col: str = "close_reason",
    time_cols: Mapping[str, str] = TIME_COLUMNS,
) -> pd.DataFrame:
    """变更订单状态 (change the status of one order), following the order state machine.

    Parameters
    ----------
    orders : pandas.DataFrame
        The orders table; it is not modified.
    order_id : int
        订单编号 of the order to change.
    new_status : str
        The new status, e.g. ``"买家已付款"``.
    at : str or pandas.Timestamp
        When the change happens.  It is written to the time column of the new status and
        may not be earlier than any time already recorded for the order.
    event : str, optional
        What caused the change, one of its events in :data:`ORDER_TRANSITIONS` (e.g.
        ``"买家取消订单"``).  When closing an order that has a ``close_reason`` column the
        event is written there; it may be left out only when one event is possible.
    order_col, status_col, created_col, close_reason_col : str
        Column names.
    time_cols : mapping, default :data:`TIME_COLUMNS`
        Status → time column it sets; a status not in it sets no time.

    Returns
    -------
    pandas.DataFrame
        A new orders table with the status (and time, and close reason) of that order changed.

    Raises
    ------
    TypeError
        If ``orders`` is not a DataFrame or ``at`` is not a time.
    ValueError
        If the order does not exist, the change is illegal (see :func:`check_transition`),
        ``at`` is earlier than the order's last recorded time, or ``event`` does not fit.

    Examples
    --------
    >>> orders = pd.DataFrame({"order_id": [1], "status": ["等待买家付款"],
    ...                        "created_at": [pd.Timestamp("2025-03-01 10:00")],
    ...                        "paid_at": [pd.NaT], "shipped_at": [pd.NaT],
    ...                        "finished_at": [pd.NaT], "closed_at": [pd.NaT]})
    >>> new = transition(orders, 1, "买家已付款", "2025-03-01 10:05")
    >>> new.loc[0, ["status", "paid_at"]].tolist()
    ['买家已付款', Timestamp('2025-03-01 10:05:00')]
    >>> orders.loc[0, "status"]            # the input is unchanged
    '等待买家付款'
    """
    check_dataframe(orders, "orders", [order_col, status_col])
    at = check_timestamp(at, "at（变更时间）")
    position = _row_position(orders, order_id, order_col)
    current = orders[status_col].iloc[position]
    if pd.isna(current):
        raise ValueError(f"订单 {order_id} 没有状态（列 '{status_col}' 是空的），无法判断能否变更。")
    events = check_transition(str(current), new_status)
    if event is not None:
        check_choice(event, f"event（“{current}”→“{new_status}”的触发事件）", events)
    time_col = time_cols.get(new_status)
    if time_col is not None:
        check_columns(orders, "orders", [time_col])
    # Time never goes backwards: compare with every time already recorded for the order.
    for column in [created_col, *time_cols.values()]:
        if column not in orders.columns:
            continue
        before = check_datetime(orders, "orders", column).iloc[position]
        if pd.notna(before) and at < before:
            label = _TIME_LABELS.get(column, column)
            raise ValueError(
                f"变更时间 at={at} 早于订单 {order_id} 已有的{label}（{column}={before}）；"
                "订单状态只能按时间先后变化，请检查时间。"
            )
    result = orders.copy()
    _set_value(result, position, status_col, new_status)
    if time_col is not None:
        _set_time(result, position, time_col, at)
    if new_status == CLOSED and close_reason_col in result.columns:
        if event is None:
            if len(events) > 1:
                raise ValueError(
                    f"关闭订单 {order_id} 要说明原因：请用参数 event 给出 {'、'.join(events)} 之一。"
                )
            event = events[0]
        _set_value(result, position, close_reason_col, event)
    return result


# Layout of the state-machine drawing: box centres in data coordinates.
_POSITIONS = {
    UNPAID: (0.0, 1.0),
    PAID: (2.8, 1.0),
    SHIPPED: (5.6, 1.0),
    FINISHED: (8.4, 1.0),
    CLOSED: (2.8, -0.7),
}
_BOX_W, _BOX_H = 1.5, 0.5
_BOX_COLOURS = {
    UNPAID: "#fff4d6",
    PAID: "#dcecff",
    SHIPPED: "#dcecff",
    FINISHED: "#dff3e0",
    CLOSED: "#eeeeee",
}


def _edge_point(start: tuple[float, float], end: tuple[float, float]) -> tuple[float, float]:
    """Where the segment from the centre ``start`` towards ``end`` leaves the box at ``start``."""
    dx, dy = end[0] - start[0], end[1] - start[1]
    scales = []
    if dx:
        scales.append(abs((_BOX_W / 2 + 0.05) / dx))
    if dy:
        scales.append(abs((_BOX_H / 2 + 0.05) / dy))
    s = min(scales)
    return start[0] + s * dx, start[1] + s * dy


def _chinese_font() -> dict[str, Any]:
    """Text keywords that make Chinese show: the course's font set-up when it is available."""
    try:
        from .plotting import use_chinese_font
    except ImportError:
        use_chinese_font = None
    if use_chinese_font is not None:
        use_chinese_font()
        return {}
    try:
        from matplotlib.font_manager import FontProperties
        from pylopdf_fonts_zh_cn import sans_path
    except ImportError:  # pragma: no cover - the font package is a dependency
        return {}
    return {"fontproperties": FontProperties(fname=str(sans_path()))}


def draw_state_machine(ax: Axes | None = None) -> Axes:
    """画出订单状态流转图 (draw the order state machine): statuses as boxes, changes as arrows.

    Parameters
    ----------
    ax : matplotlib.axes.Axes, optional
        Where to draw; default a new figure.

    Returns
    -------
    matplotlib.axes.Axes
        The axes with the drawing.
    """
    import matplotlib.pyplot as plt
    from matplotlib.patches import FancyBboxPatch

    if ax is None:
        _, ax = plt.subplots(figsize=(11, 4.5))
    font = _chinese_font()
    for status, (x, y) in _POSITIONS.items():
        final = not ORDER_TRANSITIONS[status]
        box = FancyBboxPatch(
            (x - _BOX_W / 2, y - _BOX_H / 2),
            _BOX_W,
            _BOX_H,
            boxstyle="round,pad=0.02,rounding_size=0.08",
            facecolor=_BOX_COLOURS[status],
            edgecolor="#333333",
            linewidth=2.0 if final else 1.2,
        )
        ax.add_patch(box)
        ax.text(x, y, status, ha="center", va="center", fontsize=11, **font)
    for current, allowed in ORDER_TRANSITIONS.items():
        for new, events in allowed.items():
            a, b = _POSITIONS[current], _POSITIONS[new]
            start, end = _edge_point(a, b), _edge_point(b, a)
            ax.annotate(
                "",
                xy=end,
                xytext=start,
                arrowprops={"arrowstyle": "-|>", "color": "#555555", "lw": 1.2, "shrinkA": 0, "shrinkB": 0},
            )
            mx, my = (start[0] + end[0]) / 2, (start[1] + end[1]) / 2
            if abs(b[1] - a[1]) < 1e-9:  # along the main line: label above the arrow
                x, y, ha, va = mx, my + 0.1, "center", "bottom"
            elif b[0] > a[0] + 1e-9:  # down to the right: label on the left of the arrow
                x, y, ha, va = mx - 0.3, my, "right", "center"
            else:  # straight down or down to the left: label on the right
                x, y, ha, va = mx + 0.12, my, "left", "center"
            ax.text(
                x,
                y,
                "\n".join(events),
                ha=ha,
                va=va,
                fontsize=8,
                color="#1f4e9c",
                bbox={"facecolor": "white", "edgecolor": "none", "pad": 1.0},
                **font,
            )
    ax.set_xlim(-1.0, 9.4)
    ax.set_ylim(-1.2, 1.7)
    ax.set_axis_off()
    ax.set_title("订单状态流转图（粗框为最终状态）", fontsize=12, **font)
    return ax


# ---- the orders as they were at a moment --------------------------------------------------


def status_at(
    orders: pd.DataFrame,
    at: Any,
    *,
    created_col: str = "created_at",
    time_cols: Mapping[str, str] = TIME_COLUMNS,
) -> pd.Series:
    """每笔订单在 ``at`` 时刻的状态 (each order's status at a moment), read from its time columns.

    Parameters
    ----------
    orders : pandas.DataFrame
        The orders table; it is not modified.
    at : str or pandas.Timestamp
        The moment; an event exactly at ``at`` has happened.
    created_col : str, default "created_at"
        The order time column.
    time_cols : mapping, default :data:`TIME_COLUMNS`
        Status → time column (付款, 发货, 成交, 关闭).

    Returns
    -------
    pandas.Series
        A status per order (same index), missing for orders created after ``at``.
    """
    at = check_timestamp(at, "at（时刻）")
    status = pd.Series(pd.NA, index=orders.index, dtype="object")
    created = check_datetime(orders, "orders", created_col)
    status[(created <= at).fillna(False).to_numpy(dtype=bool)] = UNPAID
    for value in (PAID, SHIPPED, FINISHED, CLOSED):
        times = check_datetime(orders, "orders", time_cols[value])
        status[(times <= at).fillna(False).to_numpy(dtype=bool)] = value
    return status


def orders_at(
    orders: pd.DataFrame,
    at: Any,
    *,
    created_col: str = "created_at",
    status_col: str = "status",
    close_reason_col: str = "close_reason",
    remark_col: str = "remark",
    time_cols: Mapping[str, str] = TIME_COLUMNS,
) -> pd.DataFrame:
    """订单表在 ``at`` 时刻的样子 (the orders table as it was at a moment).

    Orders created after ``at`` are left out; the others get the status they had at ``at``
    (:func:`status_at`), and times, close reasons after ``at`` are emptied.  The data hold no
    time for a seller remark, so a remark is kept only on orders whose status did not change
    after ``at`` (it may have been written already).

    Parameters
    ----------
    orders : pandas.DataFrame
        The orders table; it is not modified.
    at : str or pandas.Timestamp
        The moment.
    created_col, status_col, close_reason_col, remark_col : str
        Column names (the close-reason and remark columns may be missing).
    time_cols : mapping, default :data:`TIME_COLUMNS`
        Status → time column.

    Returns
    -------
    pandas.DataFrame
        A new table with a fresh index.

    Examples
    --------
    >>> orders = pd.DataFrame({"order_id": [1, 2], "status": ["交易成功", "交易成功"],
    ...     "created_at": pd.to_datetime(["2025-03-01 10:00", "2025-03-05 10:00"]),
    ...     "paid_at": pd.to_datetime(["2025-03-01 10:05", "2025-03-05 10:05"]),
    ...     "shipped_at": pd.to_datetime(["2025-03-02 09:00", "2025-03-06 09:00"]),
    ...     "finished_at": pd.to_datetime(["2025-03-04 12:00", "2025-03-08 12:00"]),
    ...     "closed_at": pd.to_datetime([None, None])})
    >>> orders_at(orders, "2025-03-03")[["order_id", "status", "finished_at"]].to_dict("records")
    [{'order_id': 1, 'status': '卖家已发货', 'finished_at': NaT}]
    """
    check_dataframe(orders, "orders", [created_col, status_col, *time_cols.values()], allow_empty=True)
    at = check_timestamp(at, "at（时刻）")
    status = status_at(orders, at, created_col=created_col, time_cols=time_cols)
    keep = status.notna().to_numpy(dtype=bool)
    result = orders[keep].copy()
    now_status = status[keep].astype(str).to_numpy()
    changed = result[status_col].astype(str).to_numpy() != now_status
    column = result[status_col]
    if isinstance(column.dtype, pd.CategoricalDtype):
        result[status_col] = pd.Categorical(now_status, dtype=column.dtype)
    else:
        result[status_col] = now_status
    for time_col in time_cols.values():
        times = check_datetime(result, "orders", time_col)
        result[time_col] = times.where(~(times > at).fillna(False))
    if close_reason_col in result.columns:
        result.loc[now_status != CLOSED, close_reason_col] = pd.NA
    if remark_col in result.columns:
        result.loc[changed, remark_col] = pd.NA
    return result.reset_index(drop=True)


# ---- 查找订单 ------------------------------------------------------------------------------


def find_orders(
    orders: pd.DataFrame,
    customers: pd.DataFrame | None = None,
    *,
    member_name: str | Iterable[str] | None = None,
    order_id: Any = None,
    status: str | Iterable[str] | None = None,
    start: Any = None,
    end: Any = None,
    order_col: str = "order_id",
    customer_col: str = "customer_id",
    member_name_col: str = "member_name",
    status_col: str = "status",
    created_col: str = "created_at",
) -> pd.DataFrame:
    """查找订单 (find orders) by 会员名, 订单编号, 订单状态 and 下单时间, in any combination.

    Parameters
    ----------
    orders : pandas.DataFrame
        The orders table; it is not modified.
    customers : pandas.DataFrame, optional
        The customers table.  When given, the 会员名 is joined to the result (right after
        the customer id); it is needed to search by ``member_name`` unless ``orders``
        already has that column.
    member_name : str or list of str, optional
        会员名, exact match (``"甜甜果果2831"``, not a part of it).
    order_id : int or list of int, optional
        订单编号.
    status : str or list of str, optional
        订单状态, e.g. ``"等待买家付款"`` or ``["买家已付款", "卖家已发货"]``.
    start, end : str or pandas.Timestamp, optional
        Orders created at or after ``start`` and before ``end`` (``[start, end)``).
    order_col, customer_col, member_name_col, status_col, created_col : str
        Column names.

    Returns
    -------
    pandas.DataFrame
        The matching orders, newest first (then by order id, largest first), with a fresh
        index.  Values that match nothing give an empty table, not an error.

    Raises
    ------
    TypeError
        If a table is not a DataFrame, or ``order_id`` is text for numeric ids.
    ValueError
        If a status name is unknown, ``start`` is not before ``end``, a time cannot be read,
        or ``member_name`` is given without ``customers``.

    Examples
    --------
    >>> from crm_helpers import load_store
    >>> store = load_store()
    >>> unpaid = find_orders(store.orders, store.customers, status="等待买家付款")
    >>> unpaid[["order_id", "member_name", "status"]].to_dict("records")
    [{'order_id': 108362, 'member_name': '糖果汤圆47108', 'status': '等待买家付款'}]
    """
    check_dataframe(orders, "orders", [order_col, customer_col, status_col, created_col], allow_empty=True)
    has_member = member_name_col in orders.columns
    if customers is not None and not has_member:
        check_customers(customers, customer_col, member_name_col)
    if member_name is not None and customers is None and not has_member:
        raise ValueError(
            "按会员名（member_name）查找订单需要客户表：请把客户表也传进来，"
            "例如 find_orders(store.orders, store.customers, member_name='…')。"
        )
    created = check_datetime(orders, "orders", created_col)
    mask = pd.Series(True, index=orders.index)
    if order_id is not None:
        ids = _as_list(order_id)
        for value in ids:
            _check_order_id_kind(value, orders[order_col], "order_id（订单编号）")
        mask &= orders[order_col].isin(ids)
    if status is not None:
        statuses = _as_list(status)
        column = orders[status_col]
        allowed = (
            list(column.cat.categories) if isinstance(column.dtype, pd.CategoricalDtype) else list(STATUSES)
        )
        for value in statuses:
            check_choice(value, "status（订单状态）", allowed)
        mask &= column.isin(statuses).to_numpy(dtype=bool)
    start_ts = None if start is None else check_timestamp(start, "start（开始时间）")
    end_ts = None if end is None else check_timestamp(end, "end（结束时间）")
    if start_ts is not None and end_ts is not None and start_ts >= end_ts:
        raise ValueError(
            f"开始时间 start={start_ts} 必须早于结束时间 end={end_ts}；查找的是 start ≤ 下单时间 < end 的订单。"
        )
    if start_ts is not None:
        mask &= (created >= start_ts).fillna(False).to_numpy(dtype=bool)
    if end_ts is not None:
        mask &= (created < end_ts).fillna(False).to_numpy(dtype=bool)
    result = orders[mask.to_numpy(dtype=bool)].copy()
    if customers is not None and not has_member:
        names = member_names(result[customer_col], customers, customer_col, member_name_col)
        result.insert(result.columns.get_loc(customer_col) + 1, member_name_col, names)
    if member_name is not None:
        wanted = [check_text(name, "member_name（会员名）") for name in _as_list(member_name)]
        result = result[result[member_name_col].isin(wanted).to_numpy(dtype=bool)]
    result = result.assign(_t=check_datetime(result, "orders", created_col))
    result = result.sort_values(["_t", order_col], ascending=False, kind="stable", na_position="last")
    return result.drop(columns="_t").reset_index(drop=True)


# ---- 订单备注 ------------------------------------------------------------------------------


def add_remark(
    orders: pd.DataFrame,
    order_id: Any,
    text: str,
    *,
    flag: str = "红",
    author: str,
    order_col: str = "order_id",
    remark_col: str = "remark",
    remark_flag_col: str = "remark_flag",
    remark_by_col: str = "remark_by",
) -> pd.DataFrame:
    """添加订单备注 (add a seller remark to an order) with a flag colour and its author.

    As in 千牛 an order has one seller remark: a new one replaces the old one (read the old
    remark first and include what is still needed).

    Parameters
    ----------
    orders : pandas.DataFrame
        The orders table; it is not modified.
    order_id : int
        订单编号.
    text : str
        The remark, 1 to 500 characters (spaces around it are removed).
    flag : str, default "红"
        旗帜颜色, one of :data:`FLAG_COLOURS` (红, 黄, 绿, 蓝, 紫).
    author : str
        Who wrote it (the sub-account name, e.g. ``"乐童优选:小美"``).
    order_col, remark_col, remark_flag_col, remark_by_col : str
        Column names; the flag and author columns are added when missing.

    Returns
    -------
    pandas.DataFrame
        A new orders table with the remark, flag and author of that order set.

    Raises
    ------
    TypeError
        If ``text`` or ``author`` is not text.
    ValueError
        If the order does not exist, the text is empty or too long, or the flag is unknown.

    Examples
    --------
    >>> orders = pd.DataFrame({"order_id": [1, 2], "remark": [None, None]})
    >>> new = add_remark(orders, 2, "买家要求改发顺丰，运费已补", flag="蓝", author="乐童优选:小美")
    >>> new.loc[1, ["remark", "remark_flag", "remark_by"]].tolist()
    ['买家要求改发顺丰，运费已补', '蓝', '乐童优选:小美']
    """
    check_dataframe(orders, "orders", [order_col])
    position = _row_position(orders, order_id, order_col)
    text = check_text(text, "text（备注内容）", max_length=MAX_REMARK_LENGTH)
    check_choice(flag, "flag（旗帜颜色）", FLAG_COLOURS)
    author = check_text(author, "author（备注人）")
    result = orders.copy()
    for column in (remark_col, remark_flag_col, remark_by_col):
        if column not in result.columns:
            result[column] = pd.Series(pd.NA, index=result.index, dtype="str")
        elif result[column].isna().all() and not isinstance(result[column].dtype, pd.CategoricalDtype):
            result[column] = result[column].astype("str")  # an empty column read from a file
    _set_value(result, position, remark_col, text)
    _set_value(result, position, remark_flag_col, flag)
    _set_value(result, position, remark_by_col, author)
    return result


# ---- 改价 ----------------------------------------------------------------------------------


def change_price(
    orders: pd.DataFrame,
    order_id: Any,
    new_payment: float,
    *,
    order_col: str = "order_id",
    status_col: str = "status",
    goods_amount_col: str = "goods_amount",
    discount_col: str = "discount",
    payment_col: str = "payment",
) -> pd.DataFrame:
    """修改订单价格 (change the price of an order) under the simulated shop's rule (本店的规定).

    Taobao lets a seller lower or raise the price and change the postage while the order is
    等待买家付款.  This shop's workbench allows a price change only before payment and only
    down to a discount: the new price is at most the goods amount.

    Parameters
    ----------
    orders : pandas.DataFrame
        The orders table; it is not modified.
    order_id : int
        订单编号.
    new_payment : float
        The new 实付款 in 元: more than 0, at most the goods amount, at most two decimals.
    order_col, status_col, goods_amount_col, discount_col, payment_col : str
        Column names.

    Returns
    -------
    pandas.DataFrame
        A new orders table with ``payment`` set and ``discount = goods_amount − payment``.

    Raises
    ------
    TypeError
        If ``new_payment`` is not a number.
    ValueError
        If the order does not exist, is not 等待买家付款, or the price is out of range.

    Examples
    --------
    >>> orders = pd.DataFrame({"order_id": [7], "status": ["等待买家付款"],
    ...                        "goods_amount": [199.0], "discount": [0.0], "payment": [199.0]})
    >>> change_price(orders, 7, 179).loc[0, ["discount", "payment"]].tolist()
    [20.0, 179.0]
    """
    check_dataframe(orders, "orders", [order_col, status_col, goods_amount_col, discount_col, payment_col])
    position = _row_position(orders, order_id, order_col)
    new_payment = check_number(new_payment, "new_payment（新价格）", 0, strict=True)
    status = orders[status_col].iloc[position]
    if status != UNPAID:
        raise ValueError(
            f"订单 {order_id} 现在是“{status}”，不能改价：只有“{UNPAID}”的订单可以改价，"
            "买家付款以后价格就不能再改了（少收或多收的钱要通过退款或补差价处理）。"
        )
    if round(new_payment, 2) != new_payment:
        raise ValueError(f"新价格 new_payment={new_payment:g} 元最多只能有两位小数（精确到分）。")
    goods = float(orders[goods_amount_col].iloc[position])
    if new_payment > goods:
        raise ValueError(
            f"新价格 new_payment={format_amount(new_payment)} 元不能高于商品总价 {goods_amount_col}={format_amount(goods)} 元；"
            "本店规定改价只用来给优惠（淘宝本身允许付款前调高价格或修改邮费，本店的工作台不开放）。"
        )
    result = orders.copy()
    for column in (payment_col, discount_col):
        if not pd.api.types.is_float_dtype(result[column].dtype):
            result[column] = result[column].astype("float64")  # e.g. whole-yuan prices read as int
    _set_value(result, position, payment_col, new_payment)
    _set_value(result, position, discount_col, round(goods - new_payment, 2))
    return result
