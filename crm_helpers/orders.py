"""订单处理 (order handling): the order state machine, 查找订单, 备注, 改价, 交接表, 活动三要素.

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
* **改价** only while the order is 等待买家付款; the new price is more than 0, at most the
  goods amount, in whole 分; ``discount`` becomes ``goods_amount − payment``.
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
from dataclasses import KW_ONLY, dataclass
from types import MappingProxyType
from typing import TYPE_CHECKING, Any

import numpy as np
import pandas as pd

from ._validation import (
    check_choice,
    check_columns,
    check_dataframe,
    check_datetime,
    check_number,
    check_text,
    check_timestamp,
)
from .store import STATUSES

if TYPE_CHECKING:  # pragma: no cover - only for type hints
    from matplotlib.axes import Axes

__all__ = [
    "CAMPAIGN_METHODS",
    "FLAG_COLOURS",
    "HANDOVER_TYPES",
    "ORDER_TRANSITIONS",
    "TIME_COLUMNS",
    "Campaign",
    "add_remark",
    "change_price",
    "check_transition",
    "draw_state_machine",
    "find_orders",
    "handover_table",
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

#: 千牛's five remark flags and what they usually mean in customer service.  Shops set their
#: own rules; these are the common ones the course uses.
FLAG_COLOURS: Mapping[str, str] = MappingProxyType(
    {
        "红": "重要或紧急：有问题要优先处理，如改地址、加急发货、投诉",
        "黄": "需要跟进：还有事没办完，如等买家确认、缺货待协调",
        "绿": "已处理：问题已解决，可以正常发货或结束",
        "蓝": "发货有特殊要求：如送赠品、指定快递、特殊包装",
        "紫": "售后相关：退换货、补发、退差价",
    }
)

#: The kinds of open items in the 交接表, most urgent first (also the table's sort order).
HANDOVER_TYPES = ("退款/换货处理中", "发货超时风险", "红旗备注", "售后咨询", "未付款订单")

#: 活动方式 a :class:`Campaign` may use.
CAMPAIGN_METHODS = ("满减", "折扣", "赠品", "优惠券", "红包")

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
    if isinstance(value, (str, bytes)) or not isinstance(value, Iterable):
        return [value]
    return list(value)


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


def _duration(delta: pd.Timedelta) -> str:
    """A duration in Chinese: ``3 天 2 小时``, ``5 小时 12 分`` or ``40 分钟``."""
    minutes = max(int(delta / pd.Timedelta(minutes=1)), 0)
    days, rest = divmod(minutes, 24 * 60)
    hours, mins = divmod(rest, 60)
    if days:
        return f"{days} 天 {hours} 小时" if hours else f"{days} 天"
    if hours:
        return f"{hours} 小时 {mins} 分" if mins else f"{hours} 小时"
    return f"{mins} 分钟"


def _yuan(amount: float) -> str:
    """``199.0`` → ``"199"``, ``19.9`` → ``"19.9"`` (money without trailing zeros)."""
    return f"{float(amount):.2f}".rstrip("0").rstrip(".")


def _when(ts: pd.Timestamp) -> str:
    return f"{ts.year}年{ts.month}月{ts.day}日 {ts:%H:%M}"


def _member_names(
    customer_ids: pd.Series, customers: pd.DataFrame | None, customer_col: str, member_col: str
) -> pd.Series:
    """The 会员名 of each customer id (missing where unknown or without ``customers``)."""
    if customers is None:
        return pd.Series(pd.NA, index=customer_ids.index, dtype="str")
    lookup = customers.drop_duplicates(customer_col).set_index(customer_col)[member_col]
    return customer_ids.map(lookup).astype("str")


def _check_customers(customers: Any, customer_col: str, member_col: str) -> None:
    check_dataframe(customers, "customers", [customer_col, member_col], allow_empty=True)
    duplicated = customers[customer_col].duplicated()
    if duplicated.any():
        raise ValueError(
            f"数据表 customers 的列 '{customer_col}' 有重复的客户编号，例如 "
            f"{customers[customer_col][duplicated].iloc[0]!r}；每位客户只能有一行。"
        )


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
    member_col: str = "member_name",
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
    order_col, customer_col, member_col, status_col, created_col : str
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
    [{'order_id': 105077, 'member_name': '勤劳的向日葵37912', 'status': '等待买家付款'}]
    """
    check_dataframe(orders, "orders", [order_col, customer_col, status_col, created_col], allow_empty=True)
    has_member = member_col in orders.columns
    if customers is not None and not has_member:
        _check_customers(customers, customer_col, member_col)
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
        names = _member_names(result[customer_col], customers, customer_col, member_col)
        result.insert(result.columns.get_loc(customer_col) + 1, member_col, names)
    if member_name is not None:
        wanted = [check_text(name, "member_name（会员名）") for name in _as_list(member_name)]
        result = result[result[member_col].isin(wanted).to_numpy(dtype=bool)]
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
    flag_col: str = "remark_flag",
    author_col: str = "remark_by",
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
    order_col, remark_col, flag_col, author_col : str
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
    for column in (remark_col, flag_col, author_col):
        if column not in result.columns:
            result[column] = pd.Series(pd.NA, index=result.index, dtype="str")
        elif result[column].isna().all() and not isinstance(result[column].dtype, pd.CategoricalDtype):
            result[column] = result[column].astype("str")  # an empty column read from a file
    _set_value(result, position, remark_col, text)
    _set_value(result, position, flag_col, flag)
    _set_value(result, position, author_col, author)
    return result


# ---- 改价 ----------------------------------------------------------------------------------


def change_price(
    orders: pd.DataFrame,
    order_id: Any,
    new_payment: float,
    *,
    order_col: str = "order_id",
    status_col: str = "status",
    goods_col: str = "goods_amount",
    discount_col: str = "discount",
    payment_col: str = "payment",
) -> pd.DataFrame:
    """修改订单价格 (change the price of an order), allowed only before payment.

    Parameters
    ----------
    orders : pandas.DataFrame
        The orders table; it is not modified.
    order_id : int
        订单编号.
    new_payment : float
        The new 实付款 in 元: more than 0, at most the goods amount, at most two decimals.
    order_col, status_col, goods_col, discount_col, payment_col : str
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
    check_dataframe(orders, "orders", [order_col, status_col, goods_col, discount_col, payment_col])
    position = _row_position(orders, order_id, order_col)
    new_payment = check_number(new_payment, "new_payment（新价格）", 0, strict=True)
    status = orders[status_col].iloc[position]
    if status != UNPAID:
        raise ValueError(
            f"订单 {order_id} 现在是“{status}”，不能改价：只有“{UNPAID}”的订单可以改价，"
            "买家付款以后价格就不能再改了（多收或少收的钱要通过退款或补差价处理）。"
        )
    if round(new_payment, 2) != new_payment:
        raise ValueError(f"新价格 new_payment={new_payment:g} 元最多只能有两位小数（精确到分）。")
    goods = float(orders[goods_col].iloc[position])
    if new_payment > goods:
        raise ValueError(
            f"新价格 new_payment={_yuan(new_payment)} 元不能高于商品总价 {goods_col}={_yuan(goods)} 元；"
            "改价只能优惠，不能加价。"
        )
    result = orders.copy()
    for column in (payment_col, discount_col):
        if not pd.api.types.is_float_dtype(result[column].dtype):
            result[column] = result[column].astype("float64")  # e.g. whole-yuan prices read as int
    _set_value(result, position, payment_col, new_payment)
    _set_value(result, position, discount_col, round(goods - new_payment, 2))
    return result


# ---- 交接表 --------------------------------------------------------------------------------


def _status_at(
    orders: pd.DataFrame, at: pd.Timestamp, created_col: str, time_cols: Mapping[str, str]
) -> pd.Series:
    """Each order's status at ``at``, read from its time columns (missing: not created yet)."""
    status = pd.Series(pd.NA, index=orders.index, dtype="object")
    created = check_datetime(orders, "orders", created_col)
    status[(created <= at).fillna(False).to_numpy(dtype=bool)] = UNPAID
    for value in (PAID, SHIPPED, FINISHED, CLOSED):
        times = check_datetime(orders, "orders", time_cols[value])
        status[(times <= at).fillna(False).to_numpy(dtype=bool)] = value
    return status


def _handover_rows(
    kind: str, order_ids: Any, customer_ids: Any, times: Any, notes: Any, advice: str
) -> pd.DataFrame:
    return pd.DataFrame(
        {
            "类型": kind,
            "订单编号": pd.array(order_ids, dtype="Int64"),
            "_customer": np.asarray(customer_ids, dtype=object),
            "时间": pd.Series(times).to_numpy(),
            "说明": pd.array(list(notes), dtype="str"),
            "建议处理": advice,
        }
    )


def handover_table(
    orders: pd.DataFrame,
    refunds: pd.DataFrame,
    chats: pd.DataFrame,
    *,
    at: Any,
    customers: pd.DataFrame | None = None,
    hours: float = 24,
    ship_hours: float = 24,
    order_col: str = "order_id",
    customer_col: str = "customer_id",
    member_col: str = "member_name",
    created_col: str = "created_at",
    payment_col: str = "payment",
    remark_col: str = "remark",
    flag_col: str = "remark_flag",
    author_col: str = "remark_by",
    time_cols: Mapping[str, str] = TIME_COLUMNS,
    refund_time_col: str = "applied_at",
    refund_end_col: str = "finished_at",
    chat_time_col: str = "started_at",
    chat_type_col: str = "chat_type",
) -> pd.DataFrame:
    """交接表 (shift handover table): every open item the next shift must take over at ``at``.

    Five kinds of items (:data:`HANDOVER_TYPES`, most urgent first):

    * 退款/换货处理中 — refunds applied for by ``at`` and not finished at ``at``;
    * 发货超时风险 — orders 买家已付款 at ``at``, paid more than ``ship_hours`` hours before;
    * 红旗备注 — orders created by ``at`` whose remark has the red flag (红);
    * 售后咨询 — after-sale chats (``chat_type == "售后"``) in the ``hours`` hours up to ``at``;
    * 未付款订单 — orders 等待买家付款 at ``at`` (candidates for 催付).

    An order's status at ``at`` is read from its time columns (created, paid, shipped,
    finished, closed); an event exactly at ``at`` has happened.  When ``at`` is "now"
    (e.g. ``store.end``) this is what the ``status`` column says.

    Parameters
    ----------
    orders, refunds, chats : pandas.DataFrame
        The shop's tables (``refunds`` and ``chats`` may be empty); they are not modified.
    at : str or pandas.Timestamp
        The time of the shift change.
    customers : pandas.DataFrame, optional
        The customers table, for the 会员名 column (left empty without it).
    hours : float, default 24
        How far back after-sale chats are listed.
    ship_hours : float, default 24
        A paid order not shipped for more than this many hours is a 发货超时风险.
    order_col, customer_col, member_col, created_col, payment_col, remark_col, flag_col, author_col : str
        Column names (orders, customers).  Without a ``remark_flag`` column there are no
        red-flag items.
    time_cols : mapping, default :data:`TIME_COLUMNS`
        Status → time column of the orders table.
    refund_time_col, refund_end_col : str
        Refund application and completion times.
    chat_time_col, chat_type_col : str
        Chat start time and type (售前/售后).

    Returns
    -------
    pandas.DataFrame
        Columns 类型 (ordered categorical), 订单编号 (missing for a chat not tied to an
        order), 会员名, 时间 (when the item began: refund application, payment, order,
        chat), 说明, 建议处理; sorted by 类型, then 时间 (oldest first), then 订单编号.

    Raises
    ------
    TypeError, ValueError
        If a table lacks a column, a time cannot be read, or ``hours`` / ``ship_hours``
        is not a positive number.

    Examples
    --------
    >>> from crm_helpers import load_store
    >>> store = load_store()
    >>> table = handover_table(store.orders, store.refunds, store.chats,
    ...                        at=store.end, customers=store.customers)
    >>> table["类型"].value_counts(sort=False).to_dict()
    {'退款/换货处理中': 5, '发货超时风险': 2, '红旗备注': 0, '售后咨询': 5, '未付款订单': 1}
    """
    missing = [s for s in (PAID, SHIPPED, FINISHED, CLOSED) if s not in time_cols]
    if missing:
        raise ValueError(
            f"参数 time_cols 要给出每个状态对应的时间列，缺少：{'、'.join(missing)}；"
            f"例如 {dict(TIME_COLUMNS)}。"
        )
    needed = [
        order_col,
        customer_col,
        created_col,
        payment_col,
        *(time_cols[s] for s in (PAID, SHIPPED, FINISHED, CLOSED)),
    ]
    check_dataframe(orders, "orders", needed, allow_empty=True)
    check_dataframe(refunds, "refunds", [order_col, refund_time_col, refund_end_col], allow_empty=True)
    check_dataframe(chats, "chats", [customer_col, chat_time_col, chat_type_col], allow_empty=True)
    if customers is not None:
        _check_customers(customers, customer_col, member_col)
    at = check_timestamp(at, "at（交接时间）")
    window = pd.Timedelta(hours=check_number(hours, "hours（售后咨询回看小时数）", 0, strict=True))
    ship_limit = pd.Timedelta(hours=check_number(ship_hours, "ship_hours（发货时限小时数）", 0, strict=True))

    status = _status_at(orders, at, created_col, time_cols)
    created = check_datetime(orders, "orders", created_col)
    paid = check_datetime(orders, "orders", time_cols[PAID])
    parts = []

    # 退款/换货处理中
    applied = check_datetime(refunds, "refunds", refund_time_col)
    done = check_datetime(refunds, "refunds", refund_end_col)
    open_refund = (applied <= at).fillna(False) & ~(done <= at).fillna(False)
    r = refunds[open_refund.to_numpy(dtype=bool)]
    r_applied = applied[open_refund.to_numpy(dtype=bool)]
    if customer_col in r.columns:
        r_customers = r[customer_col]
    else:
        r_customers = r[order_col].map(orders.drop_duplicates(order_col).set_index(order_col)[customer_col])
    notes = []
    for i in range(len(r)):
        row = r.iloc[i]
        bits = [str(row[c]) for c in ("refund_type", "reason") if c in r.columns and pd.notna(row[c])]
        text = "：".join(bits) if bits else "退款申请"
        if "quantity" in r.columns and pd.notna(row["quantity"]):
            text += f"，{int(row['quantity'])} 件"
        if "amount" in r.columns and pd.notna(row["amount"]) and row["amount"] > 0:
            text += f"，{_yuan(row['amount'])} 元"
        notes.append(f"{text}；已申请 {_duration(at - r_applied.iloc[i])}")
    parts.append(
        _handover_rows(
            "退款/换货处理中",
            r[order_col],
            r_customers,
            r_applied,
            notes,
            "跟进售后进度：核实原因，及时同意退款或与买家协商，不要拖到超时",
        )
    )

    # 发货超时风险
    late = (status == PAID).to_numpy(dtype=bool) & ((at - paid) > ship_limit).fillna(False).to_numpy(
        dtype=bool
    )
    o = orders[late]
    parts.append(
        _handover_rows(
            "发货超时风险",
            o[order_col],
            o[customer_col],
            paid[late],
            [f"付款已 {_duration(at - t)}仍未发货（超过 {ship_hours:g} 小时）" for t in paid[late]],
            "联系仓库尽快发货，并主动告诉买家发货时间，避免延迟发货投诉",
        )
    )

    # 红旗备注
    if flag_col in orders.columns:
        red = (orders[flag_col] == "红").fillna(False).to_numpy(dtype=bool) & status.notna().to_numpy(
            dtype=bool
        )
    else:
        red = np.zeros(len(orders), dtype=bool)
    o = orders[red]
    notes = []
    for i in range(len(o)):
        row = o.iloc[i]
        remark = (
            row[remark_col] if remark_col in o.columns and pd.notna(row[remark_col]) else "（无备注内容）"
        )
        by = f"（{row[author_col]}）" if author_col in o.columns and pd.notna(row[author_col]) else ""
        notes.append(f"备注：{remark}{by}；订单状态：{status[red].iloc[i]}")
    parts.append(
        _handover_rows(
            "红旗备注",
            o[order_col],
            o[customer_col],
            created[red],
            notes,
            "按备注内容处理，处理完后把旗帜改为绿色",
        )
    )

    # 售后咨询
    started = check_datetime(chats, "chats", chat_time_col)
    recent = (
        (chats[chat_type_col] == "售后").fillna(False)
        & (started >= at - window).fillna(False)
        & (started <= at).fillna(False)
    ).to_numpy(dtype=bool)
    c = chats[recent]
    c_orders = c[order_col] if order_col in c.columns else pd.Series(pd.NA, index=c.index)
    notes = []
    for i in range(len(c)):
        row = c.iloc[i]
        topic = f"（{row['topic']}）" if "topic" in c.columns and pd.notna(row["topic"]) else ""
        agent = (
            f"，接待客服编号 {row['agent_id']}"
            if "agent_id" in c.columns and pd.notna(row["agent_id"])
            else ""
        )
        notes.append(f"售后咨询{topic}{agent}")
    parts.append(
        _handover_rows(
            "售后咨询",
            c_orders,
            c[customer_col],
            started[recent],
            notes,
            "回看聊天记录，确认问题已解决；没解决的继续跟进并回复买家",
        )
    )

    # 未付款订单
    unpaid = (status == UNPAID).to_numpy(dtype=bool)
    o = orders[unpaid]
    parts.append(
        _handover_rows(
            "未付款订单",
            o[order_col],
            o[customer_col],
            created[unpaid],
            [
                f"拍下已 {_duration(at - t)}仍未付款，应付 {_yuan(p)} 元"
                for t, p in zip(created[unpaid], o[payment_col])
            ],
            "按催付时间表选择时间催付（千牛、短信或电话），不要频繁打扰买家",
        )
    )

    table = pd.concat(parts, ignore_index=True)
    table["类型"] = pd.Categorical(table["类型"], categories=HANDOVER_TYPES, ordered=True)
    table.insert(2, "会员名", _member_names(table["_customer"], customers, customer_col, member_col))
    table = table.drop(columns="_customer")
    table = table.sort_values(["类型", "时间", "订单编号"], kind="stable", na_position="last")
    return table.reset_index(drop=True)


# ---- 活动三要素 ----------------------------------------------------------------------------

# Which condition fields each 活动方式 uses (threshold is optional except for 满减).
_METHOD_FIELDS = {
    "满减": ("threshold", "discount"),
    "折扣": ("threshold", "discount_rate"),
    "赠品": ("threshold", "gift"),
    "优惠券": ("threshold", "discount"),
    "红包": ("threshold", "discount"),
}
_FIELD_LABELS = {
    "discount": "优惠金额 discount",
    "discount_rate": "折扣率 discount_rate",
    "gift": "赠品 gift",
}


def _is_number(value: Any) -> bool:
    return (
        not isinstance(value, bool)
        and isinstance(value, (int, float, np.integer, np.floating))
        and value == value
    )


@dataclass
class Campaign:
    """一个店铺活动及其三要素 (a shop campaign): 活动时间, 参与条件, 活动方式.

    Parameters
    ----------
    name : str
        活动名称, e.g. ``"双11满减"``.
    start, end : str or pandas.Timestamp
        活动时间: the campaign runs from ``start`` until ``end``.
    method : str
        活动方式, one of :data:`CAMPAIGN_METHODS` (满减, 折扣, 赠品, 优惠券, 红包).
    threshold : float, default 0
        参与条件: the order must reach this many 元 (0 = 无门槛).  满减 needs one.
    discount : float, optional
        优惠金额 in 元: what 满减 takes off, or the value of the 优惠券 / 红包.
    discount_rate : float, optional
        折扣率 for 折扣, between 0 and 1 (``0.85`` = 8.5 折).
    gift : str, optional
        赠品 for 赠品.
    scope : str, default "全店商品"
        参与范围: which goods take part.

    Examples
    --------
    >>> c = Campaign("双11满减", "2025-11-01", "2025-11-12", "满减", threshold=199, discount=20)
    >>> c.validate()
    []
    >>> print(c.describe())
    【双11满减】活动时间：2025年11月1日 00:00 至 2025年11月12日 00:00；参与条件：全店商品单笔订单满 199 元；活动方式：满减，满 199 元减 20 元，下单自动优惠。欢迎选购！
    >>> Campaign("清仓", "2025-12-01", "2025-11-01", "折扣", discount_rate=8.5).validate()
    ['结束时间 end（2025-11-01 00:00:00）必须晚于开始时间 start（2025-12-01 00:00:00）。', '折扣率 discount_rate 必须在 0 和 1 之间，例如 0.85 表示 8.5 折；现在是 8.5。']
    """

    name: str
    start: Any
    end: Any
    method: str
    _: KW_ONLY
    threshold: float = 0.0
    discount: float | None = None
    discount_rate: float | None = None
    gift: str | None = None
    scope: str = "全店商品"

    def _times(self) -> tuple[pd.Timestamp | None, pd.Timestamp | None, list[str]]:
        problems, times = [], []
        for field, label in (("start", "开始时间"), ("end", "结束时间")):
            try:
                times.append(check_timestamp(getattr(self, field), f"{field}（{label}）"))
            except (TypeError, ValueError) as exc:
                problems.append(str(exc))
                times.append(None)
        return times[0], times[1], problems

    def validate(self) -> list[str]:
        """检查活动设置 (check the campaign): a list of problems in Chinese, empty when consistent."""
        problems = []
        if not isinstance(self.name, str) or not self.name.strip():
            problems.append(f"活动名称 name 不能为空，请起一个买家看得懂的名字；现在是 {self.name!r}。")
        start, end, time_problems = self._times()
        problems += time_problems
        if start is not None and end is not None and end <= start:
            problems.append(f"结束时间 end（{end}）必须晚于开始时间 start（{start}）。")
        if not isinstance(self.scope, str) or not self.scope.strip():
            problems.append(f"参与范围 scope 不能为空，例如 '全店商品'；现在是 {self.scope!r}。")
        if self.method not in CAMPAIGN_METHODS:
            problems.append(
                f"活动方式 method 不能是 {self.method!r}，只能是：{'、'.join(CAMPAIGN_METHODS)}。"
            )
            return problems
        threshold_ok = _is_number(self.threshold) and self.threshold >= 0
        if not threshold_ok:
            problems.append(
                f"门槛 threshold（满多少元）应该是 0 或正数，0 表示无门槛；现在是 {self.threshold!r}。"
            )
        used = _METHOD_FIELDS[self.method]
        for field, label in _FIELD_LABELS.items():
            if field not in used and getattr(self, field) is not None:
                problems.append(
                    f"活动方式为{self.method}时不用填写{label}（现在是 {getattr(self, field)!r}），请删掉。"
                )
        if "discount" in used:
            what = {"满减": "减免金额", "优惠券": "优惠券面额", "红包": "红包金额"}[self.method]
            if not (_is_number(self.discount) and self.discount > 0):
                problems.append(
                    f"{self.method}要填写{what} discount（元），必须大于 0；现在是 {self.discount!r}。"
                )
            elif threshold_ok and self.threshold > 0 and self.discount >= self.threshold:
                problems.append(
                    f"{what} discount（{_yuan(self.discount)} 元）必须小于门槛 threshold"
                    f"（{_yuan(self.threshold)} 元），否则等于白送。"
                )
        if self.method == "满减" and threshold_ok and self.threshold == 0:
            problems.append(
                "满减要有门槛：threshold（满多少元）必须大于 0；没有门槛的优惠请用“优惠券”或“红包”。"
            )
        if self.method == "折扣" and not (_is_number(self.discount_rate) and 0 < self.discount_rate < 1):
            problems.append(
                f"折扣率 discount_rate 必须在 0 和 1 之间，例如 0.85 表示 8.5 折；现在是 {self.discount_rate!r}。"
            )
        if self.method == "赠品" and not (isinstance(self.gift, str) and self.gift.strip()):
            problems.append(f"赠品活动要写明赠品 gift，例如 '婴儿湿巾一包'；现在是 {self.gift!r}。")
        return problems

    def describe(self) -> str:
        """活动通知 (the announcement for buyers): one Chinese sentence with the three elements.

        Raises
        ------
        ValueError
            If :meth:`validate` finds problems (an inconsistent campaign is not announced).
        """
        problems = self.validate()
        if problems:
            listed = "；".join(f"{i}. {p.rstrip('。')}" for i, p in enumerate(problems, 1))
            raise ValueError(f"活动设置有问题，先改正再发通知：{listed}。")
        start, end, _ = self._times()
        scope = self.scope.strip()
        if self.threshold > 0:
            condition = f"{scope}单笔订单满 {_yuan(self.threshold)} 元"
        else:
            condition = f"{scope}均可参与，无门槛"
        if self.method == "满减":
            way = f"满 {_yuan(self.threshold)} 元减 {_yuan(self.discount)} 元，下单自动优惠"
        elif self.method == "折扣":
            way = f"打 {_yuan(self.discount_rate * 10)} 折"
        elif self.method == "赠品":
            way = f"送{self.gift.strip()}，送完为止"
        elif self.method == "优惠券":
            use = f"满 {_yuan(self.threshold)} 元可用" if self.threshold > 0 else "无门槛"
            way = f"领取 {_yuan(self.discount)} 元优惠券（{use}）"
        else:
            way = f"发放 {_yuan(self.discount)} 元红包"
        return (
            f"【{self.name.strip()}】活动时间：{_when(start)} 至 {_when(end)}；"
            f"参与条件：{condition}；活动方式：{self.method}，{way}。欢迎选购！"
        )
