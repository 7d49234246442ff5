"""售后服务与退换货 (after-sales): the request state machine, the shop's 退换货政策, refund analysis.

The functions here are *pure*: they take ``pandas.DataFrame`` tables (the shop's ``refunds``,
``orders``, ``order_items``, ``products``), never modify them, and return new tables or
values.  Who may handle a request is checked by the simulated 千牛 workbench
(:mod:`crm_helpers.workbench.after_sales`), which calls them.  Column names are keyword
parameters (``refund_col="refund_id"`` …), so a shop's own data with other names works too.

Rules used (课程采用的规则)
---------------------------
* **售后状态机** (:data:`AFTER_SALES_TRANSITIONS`, 本课程的规定: 千牛 shows more detailed
  states, the course keeps the steps a 客服 decides).  Every request starts 申请中 (待卖家处理);
  the seller 同意 or 拒绝 it.  仅退款: 已同意 → 退款成功.  退货退款: 已同意 → 买家已退货 (the
  seller confirmed the returned goods arrived) → 退款成功.  换货: 已同意 → 买家已退货 → 换货已寄出
  → 已关闭 (换货完成).  A refused request is closed: 已拒绝 → 已关闭 (退款关闭).  Returned goods
  that do not meet the conditions can still be refused (买家已退货 → 已拒绝).  退款成功 and 已关闭
  are final.  The request's *result* (处理结果) uses the shop's refund statuses
  (:data:`crm_helpers.vocabulary.REFUND_STATUSES`): 处理中 until it ends, then 退款成功,
  退款关闭 or 换货完成 -- the same column as in ``store.refunds``.
* **签收时间** (the data have no delivery scan; 本课程的读法): the time the buyer confirmed
  receipt (``finished_at``), but at most :data:`TRANSIT_DAYS` days after shipping -- the shop's
  parcels arrive within 3 days, so a buyer who confirms later had the goods already.  An order
  not shipped yet has no 签收时间 (a 仅退款 before shipping has no deadline).
* **期限按日历天数**: a period of N days after 签收 (or after 交易成功) starts the next day and
  ends at the end of the N-th day (《网络购买商品七日无理由退货暂行办法》: 七日期间自签收商品
  的次日开始起算); the request must be *applied for* before that end.
* **退换货政策** (:class:`ReturnPolicy`, written by the shop): 7天无理由 for 买家主观原因,
  a longer period for 商品原因 (本店的规定: 15 天), no deadline for 物流原因 (the goods were
  lost, broken or wrong on the way); return postage paid by whoever is responsible.
* **商品退款率** is :func:`crm_helpers.metrics.refund_rate` (退款件数 ÷ 售出件数; 换货 and
  退款关闭 are no refunds); this module only groups it by product or category.

Errors are Chinese ``TypeError`` / ``ValueError`` messages that name the value and say what
is allowed.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from types import MappingProxyType
from typing import Any

import numpy as np
import pandas as pd

from . import metrics
from ._validation import (
    check_choice,
    check_columns,
    check_dataframe,
    check_datetime,
    check_int,
    check_text,
    check_timestamp,
)
from .vocabulary import (
    AFTER_SALES_REJECT_REASONS,
    AFTER_SALES_STATES,
    REFUND_REASON_GROUPS,
    REFUND_STATUSES,
    REFUND_TYPES,
)

__all__ = [
    "AFTER_SALES_TRANSITIONS",
    "REQUEST_COLUMNS",
    "REQUEST_LABELS",
    "TRANSIT_DAYS",
    "ReturnPolicy",
    "advance_request",
    "check_request_transition",
    "reasons_by_category",
    "received_times",
    "refund_rate_by_category",
    "refund_rate_by_product",
    "request_result",
    "requests_at",
    "transition_refusal",
    "after_sales_transition_table",
    "new_requests",
    "policy_review",
    "request_position",
]

APPLIED, AGREED, REFUSED, RETURNED, REFUNDED, EXCHANGED, CLOSED = AFTER_SALES_STATES
REFUND_ONLY, RETURN_REFUND, EXCHANGE = REFUND_TYPES
LOGISTICS, PRODUCT, BUYER = REFUND_REASON_GROUPS
REFUND_SUCCESS, REFUND_CLOSED, EXCHANGE_DONE, IN_PROGRESS = REFUND_STATUSES

#: The shop's parcels arrive within this many days of shipping (本课程的读法 of 签收时间).
TRANSIT_DAYS = 3


def _machine(*steps: tuple[str, str, str]) -> Mapping[str, Mapping[str, str]]:
    """State → {next state: the operation that leads there}, read-only, states in their order."""
    table: dict[str, dict[str, str]] = {}
    for current, new, action in steps:
        table.setdefault(current, {})[new] = action
        table.setdefault(new, {})
    ordered = sorted(table, key=AFTER_SALES_STATES.index)
    return MappingProxyType({state: MappingProxyType(table[state]) for state in ordered})


_AGREE = ((APPLIED, AGREED, "同意申请"), (APPLIED, REFUSED, "拒绝申请"))
_RETURN = (AGREED, RETURNED, "确认收到退货")
_REFUSE_RETURNED = (RETURNED, REFUSED, "拒绝申请")
_CLOSE_REFUSED = (REFUSED, CLOSED, "关闭售后")

#: The after-sales state machine (售后状态机) per refund type: current state → {allowed next
#: state: the operation (操作) that leads there}.  Final states map to an empty dict.
AFTER_SALES_TRANSITIONS: Mapping[str, Mapping[str, Mapping[str, str]]] = MappingProxyType(
    {
        REFUND_ONLY: _machine(*_AGREE, (AGREED, REFUNDED, "退款"), _CLOSE_REFUSED),
        RETURN_REFUND: _machine(
            *_AGREE, _RETURN, (RETURNED, REFUNDED, "退款"), _REFUSE_RETURNED, _CLOSE_REFUSED
        ),
        EXCHANGE: _machine(
            *_AGREE,
            _RETURN,
            (RETURNED, EXCHANGED, "寄出换货"),
            _REFUSE_RETURNED,
            (EXCHANGED, CLOSED, "关闭售后"),
            _CLOSE_REFUSED,
        ),
    }
)

#: Columns of an after-sales request table (the workbench's ``wb.after_sales``), in order.
REQUEST_COLUMNS = (
    "refund_id",
    "order_id",
    "product_id",
    "customer_id",
    "refund_type",
    "reason_group",
    "reason",
    "quantity",
    "amount",
    "applied_at",
    "received_at",
    "state",
    "status",
    "reject_reason",
    "handled_by",
    "updated_at",
)
#: Chinese headers of :data:`REQUEST_COLUMNS` (and of the extra columns of the Chinese view).
REQUEST_LABELS: Mapping[str, str] = MappingProxyType(
    {
        "refund_id": "售后编号",
        "order_id": "订单编号",
        "product_id": "商品编号",
        "customer_id": "客户编号",
        "member_name": "会员名",
        "product_name": "商品名称",
        "category": "类目",
        "refund_type": "售后类型",
        "reason_group": "原因大类",
        "reason": "具体原因",
        "quantity": "售后数量",
        "amount": "退款金额",
        "applied_at": "申请时间",
        "received_at": "签收时间",
        "deadline": "申请截止时间",
        "postage_payer": "退货运费承担",
        "state": "售后状态",
        "status": "处理结果",
        "reject_reason": "拒绝理由",
        "handled_by": "处理人",
        "updated_at": "最近处理时间",
    }
)


# ---- the state machine --------------------------------------------------------------------


def _allowed_text(refund_type: str, current: str) -> str:
    allowed = AFTER_SALES_TRANSITIONS[refund_type][current]
    if not allowed:
        return "无（最终状态，这个售后已经结束）"
    return "、".join(f"“{new}”（{action}）" for new, action in allowed.items())


def transition_refusal(refund_type: str, current: str, new: str) -> str | None:
    """为什么这一步不能走 (why a request may not go from ``current`` to ``new``), or ``None``.

    Parameters
    ----------
    refund_type : {"仅退款", "退货退款", "换货"}
        售后类型.
    current, new : str
        The request's state now and the state it should go to (:data:`AFTER_SALES_STATES`).

    Returns
    -------
    str or None
        A Chinese explanation naming the current state and the allowed next steps, or
        ``None`` when the step is allowed.

    Raises
    ------
    ValueError
        If the type or a state is unknown.

    Examples
    --------
    >>> transition_refusal("仅退款", "申请中", "已同意") is None
    True
    >>> transition_refusal("仅退款", "申请中", "退款成功")
    '售后类型“仅退款”的申请现在是“申请中”，不能直接变为“退款成功”。从“申请中”只能变为：“已同意”（同意申请）、“已拒绝”（拒绝申请）。'
    """
    check_choice(refund_type, "refund_type（售后类型）", REFUND_TYPES)
    check_choice(current, "current（当前售后状态）", AFTER_SALES_STATES)
    check_choice(new, "new（新售后状态）", AFTER_SALES_STATES)
    machine = AFTER_SALES_TRANSITIONS[refund_type]
    if new in machine[current]:
        return None
    allowed = f"从“{current}”只能变为：{_allowed_text(refund_type, current)}。"
    if new == current:
        return f"这个售后已经是“{current}”，不需要再操作。{allowed}"
    if new not in machine:
        return (
            f"售后类型“{refund_type}”的申请没有“{new}”这一步"
            f"（{_type_hint(refund_type)}）。现在是“{current}”，{allowed}"
        )
    if not machine[current]:
        return f"售后类型“{refund_type}”的申请已经是“{current}”，是最终状态，不能再变为“{new}”。"
    return f"售后类型“{refund_type}”的申请现在是“{current}”，不能直接变为“{new}”。{allowed}"


def _type_hint(refund_type: str) -> str:
    return {
        REFUND_ONLY: "仅退款不用退回商品：同意后直接退款",
        RETURN_REFUND: "退货退款要先收到买家退回的商品，再退款，不换货",
        EXCHANGE: "换货是收到退回的商品后寄出新的，不退款",
    }[refund_type]


def check_request_transition(refund_type: str, current: str, new: str) -> str:
    """检查售后状态变更是否合法 (check one step of the after-sales state machine).

    Parameters
    ----------
    refund_type : {"仅退款", "退货退款", "换货"}
        售后类型.
    current, new : str
        The state now and the next state.

    Returns
    -------
    str
        The operation that makes this step (e.g. ``"同意申请"``).

    Raises
    ------
    ValueError
        If the step is not in :data:`AFTER_SALES_TRANSITIONS` (the message says why and
        which steps are allowed), or a name is unknown.

    Examples
    --------
    >>> check_request_transition("换货", "买家已退货", "换货已寄出")
    '寄出换货'
    """
    reason = transition_refusal(refund_type, current, new)
    if reason is not None:
        raise ValueError(reason)
    return AFTER_SALES_TRANSITIONS[refund_type][current][new]


def after_sales_transition_table(refund_type: str | None = None) -> pd.DataFrame:
    """售后状态流转表: every allowed step as a row (售后类型, 当前状态, 新状态, 操作).

    Parameters
    ----------
    refund_type : {"仅退款", "退货退款", "换货"}, optional
        Only this type; default all three.

    Returns
    -------
    pandas.DataFrame
        Columns ``售后类型``, ``当前状态``, ``新状态``, ``操作``.

    Raises
    ------
    ValueError
        If the type is unknown.

    Examples
    --------
    >>> after_sales_transition_table("仅退款")["新状态"].tolist()
    ['已同意', '已拒绝', '退款成功', '已关闭']
    """
    types = REFUND_TYPES
    if refund_type is not None:
        check_choice(refund_type, "refund_type（售后类型）", REFUND_TYPES)
        types = (refund_type,)
    rows = [
        {"售后类型": kind, "当前状态": current, "新状态": new, "操作": action}
        for kind in types
        for current, allowed in AFTER_SALES_TRANSITIONS[kind].items()
        for new, action in allowed.items()
    ]
    return pd.DataFrame(rows, columns=["售后类型", "当前状态", "新状态", "操作"])


def request_result(state: str, previous: str | None = None) -> str:
    """处理结果 of a request in ``state`` (处理中 / 退款成功 / 退款关闭 / 换货完成).

    Parameters
    ----------
    state : str
        The request's state.
    previous : str, optional
        The state it came from (tells a closed exchange, 换货完成, from a closed refusal).

    Returns
    -------
    str
        One of :data:`crm_helpers.vocabulary.REFUND_STATUSES`.

    Examples
    --------
    >>> request_result("已关闭", previous="换货已寄出"), request_result("已同意")
    ('换货完成', '处理中')
    """
    check_choice(state, "state（售后状态）", AFTER_SALES_STATES)
    if state == REFUNDED:
        return REFUND_SUCCESS
    if state == CLOSED:
        return EXCHANGE_DONE if previous == EXCHANGED else REFUND_CLOSED
    return IN_PROGRESS


# ---- 签收时间 and the requests open at a moment ---------------------------------------------


def received_times(
    orders: pd.DataFrame,
    *,
    transit_days: int = TRANSIT_DAYS,
    shipped_col: str = "shipped_at",
    finished_col: str = "finished_at",
) -> pd.Series:
    """签收时间 of each order (本课程的读法): 确认收货时间, at most ``transit_days`` after shipping.

    Parameters
    ----------
    orders : pandas.DataFrame
        The orders table; not modified.
    transit_days : int, default :data:`TRANSIT_DAYS`
        Days a parcel takes at most (0 or more).
    shipped_col, finished_col : str
        The shipping and 交易成功 (confirmed receipt) time columns.

    Returns
    -------
    pandas.Series
        A time per order (same index), missing for orders not shipped.

    Raises
    ------
    ValueError
        If a column is missing or not a time, or ``transit_days`` is negative.

    Examples
    --------
    >>> orders = pd.DataFrame({"shipped_at": pd.to_datetime(["2025-11-12 10:00", "2025-11-12 10:00", None]),
    ...                        "finished_at": pd.to_datetime(["2025-11-13 20:00", None, None])})
    >>> received_times(orders).tolist()
    [Timestamp('2025-11-13 20:00:00'), Timestamp('2025-11-15 10:00:00'), NaT]
    """
    check_dataframe(orders, "orders", [shipped_col, finished_col], allow_empty=True)
    transit_days = check_int(transit_days, "transit_days（快递在途天数）", minimum=0)
    shipped = check_datetime(orders, "orders", shipped_col)
    finished = check_datetime(orders, "orders", finished_col)
    latest = shipped + pd.Timedelta(days=transit_days)
    received = finished.where(finished.notna() & (finished < latest), latest)
    return received.where(shipped.notna()).rename("received_at")


def requests_at(
    refunds: pd.DataFrame,
    orders: pd.DataFrame,
    at: Any,
    *,
    transit_days: int = TRANSIT_DAYS,
    refund_col: str = "refund_id",
    order_col: str = "order_id",
    applied_col: str = "applied_at",
    refund_finished_col: str = "finished_at",
    order_shipped_col: str = "shipped_at",
    order_finished_col: str = "finished_at",
) -> pd.DataFrame:
    """在 ``at`` 时刻还没处理完的售后申请 (the requests still open at a moment), as the workbench keeps them.

    A request is open when it was applied for at or before ``at`` and finished after ``at``
    (or not at all).  The data record only when a request was applied for and when it ended,
    not the steps in between, so each one opens in state 申请中 (待处理), result 处理中
    (本课程的读法).  签收时间 comes from the orders as they were at ``at``
    (:func:`received_times`; a receipt after ``at`` has not happened yet).

    Parameters
    ----------
    refunds : pandas.DataFrame
        The shop's 售后表; not modified.
    orders : pandas.DataFrame
        The orders table (for 签收时间); not modified.
    at : str or pandas.Timestamp
        The moment.
    transit_days : int, default :data:`TRANSIT_DAYS`
        See :func:`received_times`.
    refund_col, order_col, applied_col, refund_finished_col : str
        Columns of ``refunds`` (id, order, application time, end time).
    order_shipped_col, order_finished_col : str
        Columns of ``orders``.

    Returns
    -------
    pandas.DataFrame
        Columns :data:`REQUEST_COLUMNS`, oldest application first, a fresh index.

    Raises
    ------
    ValueError
        If a column is missing or a time cannot be read.

    Examples
    --------
    >>> from crm_helpers import load_store
    >>> store = load_store()
    >>> requests_at(store.refunds, store.orders, store.end)["refund_id"].tolist()
    [597, 598, 599, 600]
    """
    at = check_timestamp(at, "at（时刻）")
    needed = [refund_col, order_col, applied_col, refund_finished_col]
    needed += ["product_id", "customer_id", "refund_type", "reason_group", "reason", "quantity", "amount"]
    check_dataframe(refunds, "refunds", needed, allow_empty=True)
    check_dataframe(orders, "orders", [order_col, order_shipped_col, order_finished_col], allow_empty=True)
    applied = check_datetime(refunds, "refunds", applied_col)
    ended = check_datetime(refunds, "refunds", refund_finished_col)
    open_now = ((applied <= at) & ~(ended <= at)).fillna(False).to_numpy(dtype=bool)
    picked = refunds[open_now]
    shipped = check_datetime(orders, "orders", order_shipped_col)
    finished = check_datetime(orders, "orders", order_finished_col)
    as_then = pd.DataFrame(
        {
            order_shipped_col: shipped.where(shipped <= at),
            order_finished_col: finished.where(finished <= at),
        }
    )
    received = received_times(
        as_then, transit_days=transit_days, shipped_col=order_shipped_col, finished_col=order_finished_col
    )
    received = received.where(received <= at)  # a parcel still on its way at ``at``
    lookup = pd.Series(received.to_numpy(), index=orders[order_col].to_numpy())
    lookup = lookup[~lookup.index.duplicated()]
    table = new_requests(
        {
            "refund_id": picked[refund_col].to_numpy(),
            "order_id": picked[order_col].to_numpy(),
            "product_id": picked["product_id"].to_numpy(),
            "customer_id": picked["customer_id"].to_numpy(),
            "refund_type": picked["refund_type"].astype(str).to_numpy(),
            "reason_group": picked["reason_group"].astype(str).to_numpy(),
            "reason": picked["reason"].astype(str).to_numpy(),
            "quantity": picked["quantity"].to_numpy(),
            "amount": picked["amount"].to_numpy(),
            "applied_at": applied[open_now].to_numpy(),
            "received_at": picked[order_col].map(lookup).to_numpy(dtype="datetime64[ns]"),
        }
    )
    table = table.sort_values(["applied_at", "refund_id"], kind="stable").reset_index(drop=True)
    return table[list(REQUEST_COLUMNS)]


def new_requests(columns: Mapping[str, Any]) -> pd.DataFrame:
    """新的售后申请表 (a request table of new requests, each 申请中 / 处理中).

    Parameters
    ----------
    columns : mapping
        Values (lists or arrays of one length) for the first eleven columns of
        :data:`REQUEST_COLUMNS`, ``refund_id`` to ``received_at``.

    Returns
    -------
    pandas.DataFrame
        Columns :data:`REQUEST_COLUMNS`: 售后类型 and 原因大类 as categories of the shop's
        labels, ``state`` 申请中, ``status`` 处理中 (text), no handler, reason or time yet.

    Raises
    ------
    ValueError
        If a column is missing.

    Examples
    --------
    >>> new_requests({"refund_id": [1], "order_id": [9], "product_id": [101], "customer_id": [5],
    ...     "refund_type": ["换货"], "reason_group": ["商品原因"], "reason": ["尺码不合适"],
    ...     "quantity": [1], "amount": [0.0], "applied_at": [pd.Timestamp("2025-11-20 09:00")],
    ...     "received_at": [pd.NaT]})[["state", "status"]].values.tolist()
    [['申请中', '处理中']]
    """
    given = list(REQUEST_COLUMNS[:11])
    missing = [name for name in given if name not in columns]
    if missing:
        raise ValueError(f"新的售后申请缺少这些列：{'、'.join(missing)}。")
    table = pd.DataFrame(
        {
            "refund_id": np.asarray(columns["refund_id"], dtype="int64"),
            "order_id": np.asarray(columns["order_id"], dtype="int64"),
            "product_id": np.asarray(columns["product_id"], dtype="int64"),
            "customer_id": np.asarray(columns["customer_id"], dtype="int64"),
            "refund_type": pd.Categorical(columns["refund_type"], categories=REFUND_TYPES),
            "reason_group": pd.Categorical(columns["reason_group"], categories=REFUND_REASON_GROUPS),
            "reason": pd.array(list(columns["reason"]), dtype="str"),
            "quantity": np.asarray(columns["quantity"], dtype="int64"),
            "amount": np.asarray(columns["amount"], dtype="float64"),
            "applied_at": pd.to_datetime(pd.Series(columns["applied_at"], dtype=object)),
            "received_at": pd.to_datetime(pd.Series(columns["received_at"], dtype=object)),
        }
    )
    rows = len(table)
    table["state"] = pd.array([APPLIED] * rows, dtype="str")
    table["status"] = pd.array([IN_PROGRESS] * rows, dtype="str")
    table["reject_reason"] = pd.array([None] * rows, dtype="str")
    table["handled_by"] = pd.array([None] * rows, dtype="str")
    table["updated_at"] = pd.Series(pd.NaT, index=table.index, dtype="datetime64[ns]")
    return table[list(REQUEST_COLUMNS)]


def advance_request(
    requests: pd.DataFrame,
    refund_id: Any,
    new_state: str,
    at: Any,
    *,
    handled_by: str,
    reject_reason: str | None = None,
) -> pd.DataFrame:
    """售后申请走一步 (move one request to its next state), following the state machine.

    Parameters
    ----------
    requests : pandas.DataFrame
        A request table with :data:`REQUEST_COLUMNS` (e.g. from :func:`requests_at`); not modified.
    refund_id : int
        售后编号.
    new_state : str
        The next state (:data:`AFTER_SALES_STATES`).
    at : str or pandas.Timestamp
        When; written to ``updated_at``.  It may not be before the application or the last step.
    handled_by : str
        The account that did it (written to ``handled_by``).
    reject_reason : str, optional
        Needed for ``new_state="已拒绝"``, one of
        :data:`crm_helpers.vocabulary.AFTER_SALES_REJECT_REASONS`; refused otherwise.

    Returns
    -------
    pandas.DataFrame
        A new table with that request's state, result (:func:`request_result`), handler and
        time set.

    Raises
    ------
    TypeError
        If ``refund_id`` is not a whole number or ``handled_by`` not text.
    ValueError
        If the request does not exist, the step is not allowed (:func:`transition_refusal`),
        the time goes backwards, or the reject reason is missing, unknown or not needed.

    Examples
    --------
    >>> from crm_helpers import load_store
    >>> store = load_store()
    >>> requests = requests_at(store.refunds, store.orders, store.end)
    >>> new = advance_request(requests, 597, "已同意", store.end, handled_by="乐童优选:晓雯")
    >>> new.loc[new["refund_id"] == 597, ["state", "status"]].values.tolist()
    [['已同意', '处理中']]
    """
    check_dataframe(requests, "requests", list(REQUEST_COLUMNS), allow_empty=True)
    position = request_position(requests, refund_id)
    at = check_timestamp(at, "at（处理时间）")
    handled_by = check_text(handled_by, "handled_by（处理人）")
    row = requests.iloc[position]
    current = str(row["state"])
    check_request_transition(str(row["refund_type"]), current, new_state)
    if new_state == REFUSED:
        if reject_reason is None:
            raise ValueError(
                f"拒绝售后申请要写明理由（reject_reason），只能是以下之一：{'、'.join(AFTER_SALES_REJECT_REASONS)}。"
            )
        check_choice(reject_reason, "reject_reason（拒绝理由）", AFTER_SALES_REJECT_REASONS)
    elif reject_reason is not None:
        raise ValueError(f"只有拒绝申请（变为“{REFUSED}”）才写拒绝理由；这一步是“{current}”→“{new_state}”。")
    for column, label in (("applied_at", "申请时间"), ("updated_at", "最近处理时间")):
        before = row[column]
        if pd.notna(before) and at < before:
            raise ValueError(
                f"处理时间 at={at} 早于售后 {refund_id} 的{label} {before}；处理只能按时间先后进行。"
            )
    result = requests.copy()
    index = result.index[position]
    result.loc[index, "state"] = new_state
    result.loc[index, "status"] = request_result(new_state, previous=current)
    if new_state == REFUSED:
        result.loc[index, "reject_reason"] = reject_reason
    result.loc[index, "handled_by"] = handled_by
    updated = pd.to_datetime(result["updated_at"]).astype("datetime64[ns]")
    updated.loc[index] = at
    result["updated_at"] = updated
    return result


def request_position(requests: pd.DataFrame, refund_id: Any, refund_col: str = "refund_id") -> int:
    """找到一条售后申请 (the row position of one request in a request table).

    Parameters
    ----------
    requests : pandas.DataFrame
        A request table; not modified.
    refund_id : int
        售后编号 (a Python or NumPy whole number; text is refused).
    refund_col : str, default "refund_id"
        The id column.

    Returns
    -------
    int
        The row position.

    Raises
    ------
    TypeError
        If ``refund_id`` is not a whole number.
    ValueError
        If no request (or more than one) has that id; the message lists the ids there are.
    """
    if isinstance(refund_id, bool) or not isinstance(refund_id, (int, np.integer)):
        raise TypeError(
            f"参数 refund_id（售后编号）应该是整数，例如 597（不加引号）；收到的是 {refund_id!r}（{type(refund_id).__name__}）。"
        )
    hits = np.flatnonzero(requests[refund_col].to_numpy() == int(refund_id))
    if len(hits) != 1:
        known = "、".join(str(i) for i in requests[refund_col].tolist()[:20]) or "（没有）"
        raise ValueError(f"没有售后编号（refund_id）为 {refund_id} 的售后申请。现有的售后编号：{known}。")
    return int(hits[0])


# ---- 退换货政策 ------------------------------------------------------------------------------


def _default_postage() -> Mapping[str, str]:
    return MappingProxyType({LOGISTICS: "卖家", PRODUCT: "卖家", BUYER: "买家"})


@dataclass(frozen=True)
class ReturnPolicy:
    """退换货政策 (a shop's return and exchange policy), which the workbench enforces.

    The defaults are the simulated shop's policy (本店的规定), built on the seeds: 7天无理由
    (签收后 7 天, the law), 运费由责任方承担, 换货差价多还少补, 延长交易时间, 假一赔三
    (交易成功后 14 天内, 消保).

    Parameters
    ----------
    no_reason_days : int, default 7
        买家主观原因 (7天无理由): days after 签收 to apply (at least 7: the law's minimum).
    quality_days : int, default 15
        商品原因 (质量问题、尺码、与描述不符 …): days after 签收 to apply (本店的规定).
        物流原因 have no deadline (the goods were lost, broken or wrong on the way).
    conditions : tuple of str
        退换货条件 for returned goods (e.g. 吊牌完好, 未使用, 不影响二次销售).
    postage_payer : mapping
        Who pays the return postage per reason group: ``"卖家"`` or ``"买家"`` (运费由责任方承担).
    exchange_price_rule : str, default "多还少补"
        How a price difference in an exchange is settled.
    extend_days : int, default 10
        延长交易时间: days the seller extends the buyer's confirm-receipt time while a
        request on a shipped order is open (so the system does not pay out first).
    fake_claim_days : int, default 14
        假一赔三: days after 交易成功 in which a buyer may claim (消保 service).
    no_reason_excluded : tuple of str, default ()
        Categories sold as 不支持7天无理由 (the buyer confirmed it at purchase).

    Raises
    ------
    TypeError, ValueError
        If a value has the wrong type or is out of range.

    Examples
    --------
    >>> policy = ReturnPolicy()
    >>> policy.deadline("买家主观原因", pd.Timestamp("2025-11-15 10:00"))
    Timestamp('2025-11-23 00:00:00')
    >>> policy.deadline("物流原因", pd.Timestamp("2025-11-15 10:00")) is None
    True
    """

    no_reason_days: int = 7
    quality_days: int = 15
    conditions: tuple[str, ...] = ("吊牌完好", "商品未使用", "不影响二次销售")
    postage_payer: Mapping[str, str] = field(default_factory=_default_postage)
    exchange_price_rule: str = "多还少补"
    extend_days: int = 10
    fake_claim_days: int = 14
    no_reason_excluded: tuple[str, ...] = ()

    def __post_init__(self) -> None:
        """Check every field (a policy with a wrong value is never built)."""
        check_int(self.no_reason_days, "no_reason_days（7天无理由天数）", minimum=7)
        check_int(self.quality_days, "quality_days（质量问题退换天数）", minimum=1)
        check_int(self.extend_days, "extend_days（延长交易时间天数）", minimum=0)
        check_int(self.fake_claim_days, "fake_claim_days（假一赔三天数）", minimum=1)
        check_text(self.exchange_price_rule, "exchange_price_rule（换货差价）")
        for name, values in (
            ("conditions（退换货条件）", self.conditions),
            ("no_reason_excluded", self.no_reason_excluded),
        ):
            if not isinstance(values, tuple):
                raise TypeError(f"参数 {name} 应该是文字组成的元组（tuple），收到的是 {values!r}。")
            for value in values:
                check_text(value, name)
        if not isinstance(self.postage_payer, Mapping):
            raise TypeError(
                f"参数 postage_payer（退货运费承担）应该是字典，收到的是 {self.postage_payer!r}。"
            )
        for group in REFUND_REASON_GROUPS:
            if group not in self.postage_payer:
                raise ValueError(
                    f"参数 postage_payer（退货运费承担）缺少原因大类“{group}”：三类原因都要写明由谁承担。"
                )
        for group, payer in self.postage_payer.items():
            check_choice(group, "postage_payer 的原因大类", REFUND_REASON_GROUPS)
            check_choice(payer, f"postage_payer[{group!r}]（承担方）", ("卖家", "买家"))
        object.__setattr__(self, "postage_payer", MappingProxyType(dict(self.postage_payer)))

    def period_days(self, reason_group: str) -> int | None:
        """申请期限（天） for a reason group: 7天无理由, 质量问题 days, or ``None`` (no deadline).

        Parameters
        ----------
        reason_group : {"物流原因", "商品原因", "买家主观原因"}
            The request's reason group.

        Returns
        -------
        int or None
            Days after 签收, ``None`` for 物流原因.
        """
        check_choice(reason_group, "reason_group（原因大类）", REFUND_REASON_GROUPS)
        return {BUYER: self.no_reason_days, PRODUCT: self.quality_days, LOGISTICS: None}[reason_group]

    def deadline(self, reason_group: str, received_at: Any) -> pd.Timestamp | None:
        """申请截止时间: the request must be applied for before this moment.

        The period starts the day after 签收 and ends at the end of its last day.

        Parameters
        ----------
        reason_group : {"物流原因", "商品原因", "买家主观原因"}
            The request's reason group.
        received_at : str, pandas.Timestamp or None
            签收时间; ``None``/``NaT`` (not received yet) means no deadline.

        Returns
        -------
        pandas.Timestamp or None
            Midnight after the last day, or ``None`` when there is no deadline.
        """
        days = self.period_days(reason_group)
        if days is None or received_at is None or pd.isna(received_at):
            return None
        received = check_timestamp(received_at, "received_at（签收时间）")
        return received.normalize() + pd.Timedelta(days=days + 1)

    def fake_claim_deadline(self, finished_at: Any) -> pd.Timestamp:
        """假一赔三 的截止时间: the end of the ``fake_claim_days``-th day after 交易成功.

        Parameters
        ----------
        finished_at : str or pandas.Timestamp
            交易成功的时间.

        Returns
        -------
        pandas.Timestamp
            Midnight after the last day a claim is possible.
        """
        finished = check_timestamp(finished_at, "finished_at（交易成功时间）")
        return finished.normalize() + pd.Timedelta(days=self.fake_claim_days + 1)

    def describe(self) -> pd.DataFrame:
        """退换货政策一览 (the policy as a Chinese table, for the shop page or a lesson).

        Returns
        -------
        pandas.DataFrame
            Columns ``项目`` and ``本店规定``, one row per rule.
        """
        postage = "；".join(f"{group}由{payer}承担" for group, payer in self.postage_payer.items())
        excluded = "、".join(self.no_reason_excluded) or "无（全部商品支持）"
        rows = [
            (
                "7天无理由退换货",
                f"买家主观原因（不想要了、拍错了）：签收次日起 {self.no_reason_days} 天内申请",
            ),
            (
                "质量问题退换期限",
                f"商品原因（质量、尺码、与描述不符）：签收次日起 {self.quality_days} 天内申请",
            ),
            ("物流问题", "物流原因（破损、丢件、发错货）：不限期限，核实后处理"),
            ("退换货条件", "、".join(self.conditions)),
            ("退换货运费", f"由责任方承担：{postage}"),
            ("换货差价", self.exchange_price_rule),
            ("延长交易时间", f"售后处理期间，卖家主动为买家延长 {self.extend_days} 天收货时间"),
            ("假一赔三", f"交易成功后 {self.fake_claim_days} 天内，买家认为是假货可申请"),
            ("不支持7天无理由的类目", excluded),
        ]
        return pd.DataFrame(rows, columns=["项目", "本店规定"])


def policy_review(
    requests: pd.DataFrame,
    products: pd.DataFrame,
    policy: ReturnPolicy | None = None,
    *,
    product_col: str = "product_id",
    category_col: str = "category",
) -> pd.DataFrame:
    """按退换货政策核对售后申请 (check requests against the shop's policy), Chinese headers.

    For each request: its category, the deadline of its reason group (:meth:`ReturnPolicy.deadline`
    from 签收时间), whether it was applied for in time, whether its category supports
    7天无理由 (only 买家主观原因 requests are affected) and who pays the return postage
    (仅退款 returns nothing: 无需退货).

    Parameters
    ----------
    requests : pandas.DataFrame
        A request table with :data:`REQUEST_COLUMNS` (e.g. ``wb.after_sales``); not modified.
    products : pandas.DataFrame
        The 商品表 (for the category).
    policy : ReturnPolicy, optional
        Default :class:`ReturnPolicy` ().
    product_col, category_col : str
        Column names of ``products``.

    Returns
    -------
    pandas.DataFrame
        Columns 售后编号, 类目, 原因大类, 签收时间, 申请时间, 申请截止时间, 在期限内,
        支持7天无理由, 退货运费承担; one row per request, in the same order.

    Raises
    ------
    TypeError
        If ``policy`` is not a :class:`ReturnPolicy`.
    ValueError
        If a column is missing or a product is unknown.
    """
    policy = _check_policy(policy)
    check_dataframe(requests, "requests", list(REQUEST_COLUMNS), allow_empty=True)
    check_dataframe(products, "products", [product_col, category_col])
    lookup = products.drop_duplicates(product_col).set_index(product_col)[category_col].astype(str)
    category = requests["product_id"].map(lookup)
    if category.isna().any():
        missing = requests.loc[category.isna(), "product_id"].iloc[0]
        raise ValueError(f"售后申请里的商品编号 {_plain(missing)!r} 在商品表 products 里找不到。")
    groups = requests["reason_group"].astype(str)
    deadlines = [policy.deadline(g, r) for g, r in zip(groups, requests["received_at"], strict=True)]
    deadline = pd.Series(pd.to_datetime(pd.Series(deadlines, dtype=object)).to_numpy(), index=requests.index)
    in_time = deadline.isna() | (pd.to_datetime(requests["applied_at"]) < deadline)
    supported = ~((groups == BUYER) & category.isin(policy.no_reason_excluded))
    payer = groups.map(policy.postage_payer).where(
        requests["refund_type"].astype(str) != REFUND_ONLY, "无需退货"
    )
    return pd.DataFrame(
        {
            "售后编号": requests["refund_id"].to_numpy(),
            "类目": category.to_numpy(),
            "原因大类": groups.to_numpy(),
            "签收时间": pd.to_datetime(requests["received_at"]).to_numpy(),
            "申请时间": pd.to_datetime(requests["applied_at"]).to_numpy(),
            "申请截止时间": deadline.to_numpy(),
            "在期限内": in_time.to_numpy(dtype=bool),
            "支持7天无理由": supported.to_numpy(dtype=bool),
            "退货运费承担": payer.to_numpy(),
        }
    )


def _check_policy(policy: Any) -> ReturnPolicy:
    if policy is None:
        return ReturnPolicy()
    if not isinstance(policy, ReturnPolicy):
        raise TypeError(
            f"参数 policy（退换货政策）应该是 ReturnPolicy(...)，收到的是 {policy!r}（{type(policy).__name__}）。"
        )
    return policy


# ---- 退款率和退款原因 ----------------------------------------------------------------------


def _with_products(
    order_items: pd.DataFrame, products: pd.DataFrame, product_col: str, name_col: str, category_col: str
) -> pd.DataFrame:
    check_dataframe(products, "products", [product_col, name_col, category_col])
    check_columns(order_items, "order_items", [product_col])
    lookup = products.drop_duplicates(product_col).set_index(product_col)
    items = order_items.copy()
    items[category_col] = items[product_col].map(lookup[category_col]).astype(object)
    items[name_col] = items[product_col].map(lookup[name_col]).astype(object)
    unknown = items[category_col].isna()
    if unknown.any():
        raise ValueError(
            f"订单商品明细里的商品编号 {_plain(items.loc[unknown, product_col].iloc[0])!r} 在商品表 products 里找不到，"
            "无法知道它的类目。"
        )
    return items


def refund_rate_by_product(
    order_items: pd.DataFrame,
    refunds: pd.DataFrame,
    products: pd.DataFrame,
    *,
    orders: pd.DataFrame | None = None,
    product_col: str = "product_id",
    name_col: str = "name",
    category_col: str = "category",
    quantity_col: str = "quantity",
) -> pd.DataFrame:
    """各商品的退款率 (refund rate by product) with Chinese headers, highest first.

    The rate is :func:`crm_helpers.metrics.refund_rate` with ``by=product_col`` (退款件数 ÷
    售出件数; 换货 and 退款关闭 are no refunds); 退款件数 is rate × 售出件数.

    Parameters
    ----------
    order_items, refunds, products : pandas.DataFrame
        订单商品明细表, 售后表 and 商品表; not modified.
    orders : pandas.DataFrame, optional
        The orders table: only paid orders' goods are sold (recommended).
    product_col, name_col, category_col, quantity_col : str
        Column names (``quantity_col`` in ``order_items``).

    Returns
    -------
    pandas.DataFrame
        Columns 商品编号, 商品名称, 类目, 售出件数, 退款件数, 商品退款率.

    Raises
    ------
    ValueError
        If a table lacks a column or a sold product is not in ``products``.
    """
    return _rate_table(
        order_items,
        refunds,
        products,
        orders,
        product_col,
        name_col,
        category_col,
        quantity_col,
        by=product_col,
    )


def refund_rate_by_category(
    order_items: pd.DataFrame,
    refunds: pd.DataFrame,
    products: pd.DataFrame,
    *,
    orders: pd.DataFrame | None = None,
    product_col: str = "product_id",
    name_col: str = "name",
    category_col: str = "category",
    quantity_col: str = "quantity",
) -> pd.DataFrame:
    """各类目的退款率 (refund rate by category) with Chinese headers, highest first.

    Same rate as :func:`refund_rate_by_product`, the goods grouped by their category.

    Parameters
    ----------
    order_items, refunds, products : pandas.DataFrame
        订单商品明细表, 售后表 and 商品表; not modified.
    orders : pandas.DataFrame, optional
        The orders table: only paid orders' goods are sold (recommended).
    product_col, name_col, category_col, quantity_col : str
        Column names.

    Returns
    -------
    pandas.DataFrame
        Columns 类目, 售出件数, 退款件数, 商品退款率.

    Raises
    ------
    ValueError
        If a table lacks a column or a sold product is not in ``products``.
    """
    return _rate_table(
        order_items,
        refunds,
        products,
        orders,
        product_col,
        name_col,
        category_col,
        quantity_col,
        by=category_col,
    )


def _rate_table(
    order_items: pd.DataFrame,
    refunds: pd.DataFrame,
    products: pd.DataFrame,
    orders: pd.DataFrame | None,
    product_col: str,
    name_col: str,
    category_col: str,
    quantity_col: str,
    *,
    by: str,
) -> pd.DataFrame:
    check_dataframe(order_items, "order_items", [product_col, quantity_col])
    items = _with_products(order_items, products, product_col, name_col, category_col)
    rate = metrics.refund_rate(
        items, refunds, orders=orders, by=by, product_col=product_col, quantity_col=quantity_col
    )
    sold_items = (
        items
        if orders is None
        else items[items["order_id"].isin(orders.loc[orders["paid_at"].notna(), "order_id"])]
    )
    sold = sold_items.groupby(by, sort=True)[quantity_col].sum()
    table = pd.DataFrame({"售出件数": sold.astype("int64")})
    table["商品退款率"] = rate.reindex(table.index).to_numpy()
    table["退款件数"] = (table["商品退款率"] * table["售出件数"]).round().astype("int64")
    table = table[["售出件数", "退款件数", "商品退款率"]]
    if by == product_col:
        names = items.drop_duplicates(product_col).set_index(product_col)
        table.insert(0, "类目", names[category_col].reindex(table.index).to_numpy())
        table.insert(0, "商品名称", names[name_col].reindex(table.index).to_numpy())
        table = table.rename_axis("商品编号")
    else:
        table = table.rename_axis("类目")
    table = table.sort_values("商品退款率", ascending=False, kind="stable")
    return table.reset_index()


def reasons_by_category(
    refunds: pd.DataFrame,
    products: pd.DataFrame,
    *,
    columns: str = "reason",
    share: bool = False,
    product_col: str = "product_id",
    category_col: str = "category",
) -> pd.DataFrame:
    """退款原因按类目交叉表 (after-sales requests by category and reason), Chinese headers.

    Parameters
    ----------
    refunds, products : pandas.DataFrame
        售后表 and 商品表; not modified.
    columns : {"reason", "reason_group", "refund_type"}, default "reason"
        What the columns count: 具体原因, 原因大类 or 售后类型.
    share : bool, default False
        Each row as shares of that category's requests (rows add up to 1) instead of counts.
    product_col, category_col : str
        Column names.

    Returns
    -------
    pandas.DataFrame
        One row per category (index named 类目), one column per value, plus 合计 for counts.

    Raises
    ------
    ValueError
        If ``columns`` is unknown, a column is missing, or a product is not in ``products``.

    Examples
    --------
    >>> from crm_helpers import load_store
    >>> store = load_store()
    >>> table = reasons_by_category(store.refunds, store.products, columns="refund_type")
    >>> table.columns.name
    '售后类型'
    """
    labels = {"reason": "具体原因", "reason_group": "原因大类", "refund_type": "售后类型"}
    check_choice(columns, "columns（按什么分列）", labels)
    check_dataframe(refunds, "refunds", [product_col, columns])
    check_dataframe(products, "products", [product_col, category_col])
    category = refunds[product_col].map(
        products.drop_duplicates(product_col).set_index(product_col)[category_col]
    )
    if category.isna().any():
        missing = refunds.loc[category.isna(), product_col].iloc[0]
        raise ValueError(
            f"售后表里的商品编号 {_plain(missing)!r} 在商品表 products 里找不到，无法知道它的类目。"
        )
    column = refunds[columns]
    known = list(column.cat.categories) if isinstance(column.dtype, pd.CategoricalDtype) else []
    known = known or list(_label_order(columns))
    values = column.astype(str)
    present = set(values)
    order = [v for v in known if v in present] + sorted(present - set(known))
    table = pd.crosstab(category.astype(str).rename("类目"), values.rename(labels[columns]))
    table = table.reindex(columns=order)
    table["合计"] = table.sum(axis=1)
    table = table.sort_values("合计", ascending=False, kind="stable")
    if share:
        return table.drop(columns="合计").div(table["合计"], axis=0)
    return table


def _plain(value: Any) -> Any:
    """A NumPy scalar as the Python value it holds (so a message shows ``101``, not ``np.int64(101)``)."""
    return value.item() if isinstance(value, np.generic) else value


def _label_order(column: str) -> tuple[str, ...]:
    return {"reason_group": REFUND_REASON_GROUPS, "refund_type": REFUND_TYPES}.get(column, ())
