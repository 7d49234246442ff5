"""售后处理 on the workbench: approve, reject, confirm returns, refund, exchange, close.

The requests (售后申请) are a table in the workbench state, ``wb.state.after_sales``: the
shop's requests still open at the workbench's clock when it opened (``Workbench(store,
now=...)`` picks those open at that moment, each in state 申请中 -- see
:func:`crm_helpers.after_sales.requests_at`), then those a buyer submits here with
:meth:`Workbench.submit_request`.  Read them with ``wb.after_sales`` (English column names,
:data:`crm_helpers.after_sales.REQUEST_COLUMNS`) or ``wb.after_sales_list()`` (Chinese
headers, with 会员名, 商品名称, 申请截止时间 and 退货运费承担 from the shop's policy).

Operations registered on :class:`~crm_helpers.workbench.Session` (each needs 退款处理,
``refund``: roles 客服主管 and 财务, and the main account), one per step of the state machine
(:data:`crm_helpers.after_sales.AFTER_SALES_TRANSITIONS`):

``approve_request(refund_id)``
    同意申请: 申请中 → 已同意.  Refused when the request was applied for after the policy's
    deadline (:meth:`~crm_helpers.after_sales.ReturnPolicy.deadline`), or is a 买家主观原因
    request in a category sold without 7天无理由.
``reject_request(refund_id, reason)``
    拒绝申请: 申请中 or 买家已退货 → 已拒绝, with a reason from
    :data:`crm_helpers.vocabulary.AFTER_SALES_REJECT_REASONS`.  The reason must be true: 超过
    退换货期限 only past the deadline, 该类目不支持7天无理由退换 only for such a request, 退回的
    商品不符合退换条件 only after the goods came back (买家已退货), 买家撤销了申请 only while
    申请中.  A request within the policy cannot be rejected while 申请中.
``confirm_return(refund_id)``
    确认收到退货: 已同意 → 买家已退货 (退货退款 and 换货 only).
``refund_request(refund_id)``
    退款: → 退款成功, paying the request's amount.  When the order's successful refunds now
    reach its payment and the order is still 买家已付款 or 卖家已发货, the order closes
    (交易关闭, close reason 全额退款, :func:`crm_helpers.orders.transition`); an order that is
    交易成功 keeps its status (a refund after the deal is an after-sale).
``ship_exchange(refund_id)``
    寄出换货: 买家已退货 → 换货已寄出 (换货 only).
``close_request(refund_id)``
    关闭售后: 已拒绝 → 已关闭 (result 退款关闭) or 换货已寄出 → 已关闭 (result 换货完成).

A main-account operation ``set_return_policy(policy)`` replaces the shop's
:class:`~crm_helpers.after_sales.ReturnPolicy` (logged as 修改退换货政策).

Every step is written to the audit log as action 退款处理, target ``售后 <id>``, before/after
the two states (a full refund adds a row for the order: target ``订单 <id>``, 卖家已发货 →
交易关闭).  A wrong state, a request past the deadline, a false reject reason or an unknown
request raises :class:`~crm_helpers.workbench.core.Refused`: the attempt is logged with
result 拒绝 and the Chinese reason, the caller gets ``PermissionDenied`` with that reason, and
the state is unchanged.  Malformed input (text for an id, an unknown reason) raises
``TypeError``/``ValueError`` before anything is logged.
"""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd

from .. import after_sales as topic
from .. import orders as order_ops
from .._validation import check_choice, check_int, check_number, check_text
from ..vocabulary import (
    AFTER_SALES_REJECT_REASONS,
    AFTER_SALES_STATES,
    ORDER_STATUSES,
    REFUND_REASON_GROUPS,
    REFUND_STATUSES,
    REFUND_TYPES,
)
from .core import Attempt, Entry, Logged, Refused, Session, Workbench, operation

__all__: list[str] = []

APPLIED, AGREED, REFUSED, RETURNED, REFUNDED, EXCHANGED, CLOSED = AFTER_SALES_STATES
LATE, NO_REASON_EXCLUDED, BAD_CONDITION, WITHDRAWN = AFTER_SALES_REJECT_REASONS
_UNPAID, _PAID, _SHIPPED, _FINISHED, _CLOSED_ORDER = ORDER_STATUSES
_ACTION = "退款处理"
#: Columns of the Chinese list: the request table with names instead of ids and the policy's columns.
_VIEW_COLUMNS = (
    "refund_id",
    "order_id",
    "member_name",
    "product_name",
    *topic.REQUEST_COLUMNS[4:11],  # refund_type … received_at
    "deadline",
    "postage_payer",
    *topic.REQUEST_COLUMNS[11:],  # state … updated_at
)


#: Time columns of the Chinese list, written as ``2025-11-20 09:00``, and what an empty one reads.
_TIME_TEXT = {"applied_at": "", "received_at": "未签收", "deadline": "不限", "updated_at": ""}


def _request(session: Session, refund_id: Any, *args: Any, **kwargs: Any) -> str:
    return f"售后 {refund_id}"


def _find(session: Session, refund_id: Any) -> tuple[int, pd.Series]:
    """The request's row (a malformed id raises ``TypeError``, an unknown one is refused)."""
    if isinstance(refund_id, bool) or not isinstance(refund_id, (int, np.integer)):
        raise TypeError(
            f"参数 refund_id（售后编号）应该是整数，例如 597（不加引号）；"
            f"收到的是 {refund_id!r}（{type(refund_id).__name__}）。"
        )
    requests = session.workbench.state.after_sales
    try:
        position = topic.request_position(requests, refund_id)
    except ValueError as missing:
        raise Refused(str(missing)) from None
    return position, requests.iloc[position]


def _category(session: Session, product_id: int) -> str:
    products = session.workbench.store.products
    return str(products.loc[products["product_id"] == product_id, "category"].iloc[0])


def _review(session: Session, position: int) -> pd.Series:
    """The policy check (:func:`crm_helpers.after_sales.policy_review`) of one request."""
    state = session.workbench.state
    one = state.after_sales.iloc[[position]]
    return topic.policy_review(one, session.workbench.store.products, state.return_policy).iloc[0]


def _step(session: Session, refund_id: Any, new_state: str, reason: str | None = None) -> Logged:
    """Check and make one step of the state machine; the log row it returns."""
    position, row = _find(session, refund_id)
    current = str(row["state"])
    refusal = topic.transition_refusal(str(row["refund_type"]), current, new_state)
    if refusal is not None:
        raise Refused(f"售后 {refund_id}：{refusal}", current, new_state)
    wb = session.workbench
    wb.state.after_sales = topic.advance_request(
        wb.state.after_sales,
        int(refund_id),
        new_state,
        wb.now,
        handled_by=session.account,
        reject_reason=reason,
    )
    return Logged(None, (Entry(_ACTION, f"售后 {refund_id}", current, new_state),))


@operation(permission="refund", describe=_request)
def approve_request(session: Session, refund_id: int) -> Logged:
    """同意售后申请 (approve a request): 申请中 → 已同意, within the shop's policy (needs 退款处理).

    Parameters
    ----------
    refund_id : int
        售后编号.

    Raises
    ------
    PermissionDenied
        Without 退款处理; or (logged, state unchanged) when the request is unknown, not
        申请中, applied for after the policy's deadline, or a 买家主观原因 request in a
        category sold without 7天无理由.
    TypeError
        If ``refund_id`` is not a whole number.
    """
    position, row = _find(session, refund_id)
    if str(row["state"]) == APPLIED:
        review = _review(session, position)
        if not review["支持7天无理由"]:
            raise Refused(
                f"售后 {refund_id} 是买家主观原因的申请，商品类目“{review['类目']}”按本店退换货政策不支持7天无理由退换"
                f"（买家购买时已确认）：不能同意，请用拒绝理由“{NO_REASON_EXCLUDED}”拒绝。",
                APPLIED,
                AGREED,
            )
        if not review["在期限内"]:
            raise Refused(
                f"售后 {refund_id}（{review['原因大类']}）的申请时间 {review['申请时间']:%Y-%m-%d %H:%M} "
                f"晚于本店政策的申请截止时间 {review['申请截止时间']:%Y-%m-%d %H:%M}"
                f"（签收时间 {review['签收时间']:%Y-%m-%d %H:%M}）：不能同意，请用拒绝理由“{LATE}”拒绝。",
                APPLIED,
                AGREED,
            )
    return _step(session, refund_id, AGREED)


def _reason_refusal(session: Session, position: int, row: pd.Series, reason: str) -> str | None:
    """Why ``reason`` is not true for this request (None when it is)."""
    current, refund_id = str(row["state"]), int(row["refund_id"])
    if current not in (APPLIED, RETURNED):
        return None  # the state machine explains it
    review = _review(session, position)
    if reason == BAD_CONDITION and current != RETURNED:
        return f"售后 {refund_id} 还没有收到退回的商品（现在是“{current}”），不能以“{reason}”拒绝；收到退货、检查后才能用这个理由。"
    if reason != BAD_CONDITION and current == RETURNED:
        return f"售后 {refund_id} 的商品已经退回（现在是“{current}”），这时只能以“{BAD_CONDITION}”拒绝。"
    if reason == LATE and review["在期限内"]:
        deadline = review["申请截止时间"]
        limit = "没有期限（物流原因）" if pd.isna(deadline) else f"截止时间是 {deadline:%Y-%m-%d %H:%M}"
        return f"售后 {refund_id} 是在期限内申请的（{limit}），不能以“{reason}”拒绝。"
    if reason == NO_REASON_EXCLUDED and review["支持7天无理由"]:
        return (
            f"售后 {refund_id}（{review['原因大类']}，类目“{review['类目']}”）不在本店政策不支持7天无理由的范围内，"
            f"不能以“{reason}”拒绝。"
        )
    return None


@operation(permission="refund", describe=_request)
def reject_request(session: Session, refund_id: int, reason: str) -> Logged:
    """拒绝售后申请 (reject a request) with a true reason: → 已拒绝 (needs 退款处理).

    Parameters
    ----------
    refund_id : int
        售后编号.
    reason : str
        One of :data:`crm_helpers.vocabulary.AFTER_SALES_REJECT_REASONS`; it must be true for
        the request (see the module's description).

    Raises
    ------
    PermissionDenied
        Without 退款处理; or (logged, state unchanged) when the request is unknown, cannot be
        rejected in its state, or the reason is not true for it.
    TypeError
        If ``refund_id`` is not a whole number.
    ValueError
        If ``reason`` is not one of the allowed reasons.
    """
    check_choice(reason, "reason（拒绝理由）", AFTER_SALES_REJECT_REASONS)
    position, row = _find(session, refund_id)
    refusal = _reason_refusal(session, position, row, reason)
    if refusal is not None:
        raise Refused(refusal, str(row["state"]), REFUSED)
    return _step(session, refund_id, REFUSED, reason)


@operation(permission="refund", describe=_request)
def confirm_return(session: Session, refund_id: int) -> Logged:
    """确认收到退货 (the returned goods arrived): 已同意 → 买家已退货 (needs 退款处理).

    Parameters
    ----------
    refund_id : int
        售后编号 of a 退货退款 or 换货 request.

    Raises
    ------
    PermissionDenied
        Without 退款处理; or (logged) when the request is unknown or not in a state for it.
    TypeError
        If ``refund_id`` is not a whole number.
    """
    return _step(session, refund_id, RETURNED)


@operation(permission="refund", describe=_request)
def refund_request(session: Session, refund_id: int) -> Logged:
    """退款 (pay the refund): → 退款成功; a full refund closes a paid order (needs 退款处理).

    Parameters
    ----------
    refund_id : int
        售后编号 of a 仅退款 request that is 已同意, or a 退货退款 request that is 买家已退货.

    Raises
    ------
    PermissionDenied
        Without 退款处理; or (logged) when the request is unknown or not in a state for it.
    TypeError
        If ``refund_id`` is not a whole number.
    """
    logged = _step(session, refund_id, REFUNDED)
    wb = session.workbench
    state = wb.state
    row = state.after_sales.iloc[topic.request_position(state.after_sales, refund_id)]
    order_id = int(row["order_id"])
    orders = state.orders
    found = orders.loc[orders["order_id"] == order_id]
    entries = list(logged.entries)
    if len(found):
        status = str(found["status"].iloc[0])
        payment = float(found["payment"].iloc[0])
        if status in (_PAID, _SHIPPED) and _refunded_total(wb, order_id) >= payment - 0.005:
            state.orders = order_ops.transition(orders, order_id, _CLOSED_ORDER, wb.now, event="全额退款")
            entries.append(Entry(_ACTION, f"订单 {order_id}", status, _CLOSED_ORDER))
    return Logged(None, tuple(entries))


def _refunded_total(wb: Workbench, order_id: int) -> float:
    """All successful refunds of an order: the shop's history before the workbench opened and those here."""
    state = wb.state
    history = wb.store.refunds
    done_before = (
        (history["order_id"] == order_id)
        & (history["status"] == REFUND_STATUSES[0])
        & (history["finished_at"] <= state.opened_at).fillna(False)
    )
    here = state.after_sales
    done_here = (here["order_id"] == order_id) & (here["status"] == REFUND_STATUSES[0])
    return float(history.loc[done_before, "amount"].sum() + here.loc[done_here, "amount"].sum())


@operation(permission="refund", describe=_request)
def ship_exchange(session: Session, refund_id: int) -> Logged:
    """寄出换货 (ship the replacement): 买家已退货 → 换货已寄出 (needs 退款处理).

    Parameters
    ----------
    refund_id : int
        售后编号 of a 换货 request.

    Raises
    ------
    PermissionDenied
        Without 退款处理; or (logged) when the request is unknown or not in a state for it.
    TypeError
        If ``refund_id`` is not a whole number.
    """
    return _step(session, refund_id, EXCHANGED)


@operation(permission="refund", describe=_request)
def close_request(session: Session, refund_id: int) -> Logged:
    """关闭售后 (close a request): 已拒绝 or 换货已寄出 → 已关闭 (needs 退款处理).

    Parameters
    ----------
    refund_id : int
        售后编号.

    Raises
    ------
    PermissionDenied
        Without 退款处理; or (logged) when the request is unknown or not in a state for it.
    TypeError
        If ``refund_id`` is not a whole number.
    """
    return _step(session, refund_id, CLOSED)


def _policy_change(session: Session, policy: Any) -> Attempt:
    return Attempt("退换货政策")


@operation(main_only="set_return_policy", describe=_policy_change)
def set_return_policy(session: Session, policy: topic.ReturnPolicy) -> Logged:
    """修改退换货政策 (replace the shop's return policy; main account only).

    Parameters
    ----------
    policy : ReturnPolicy
        The new policy.

    Returns
    -------
    Logged
        One audit-log row with the old and new 7天无理由 / 质量问题 periods and excluded categories.

    Raises
    ------
    PermissionDenied
        For a sub-account (logged).
    TypeError
        If ``policy`` is not a :class:`~crm_helpers.after_sales.ReturnPolicy`.
    """
    if not isinstance(policy, topic.ReturnPolicy):
        raise TypeError(
            f"参数 policy（退换货政策）应该是 ReturnPolicy(...)，收到的是 {policy!r}（{type(policy).__name__}）。"
        )
    state = session.workbench.state
    before, state.return_policy = _policy_text(state.return_policy), policy
    return Logged(None, (Entry("修改退换货政策", "退换货政策", before, _policy_text(policy)),))


def _policy_text(policy: topic.ReturnPolicy) -> str:
    excluded = "、".join(policy.no_reason_excluded) or "无"
    return f"7天无理由 {policy.no_reason_days} 天；质量问题 {policy.quality_days} 天；不支持7天无理由：{excluded}"


# ---- the buyer's side and the views (set on Workbench) ------------------------------------


def submit_request(
    self: Workbench,
    order_id: int,
    product_id: int,
    refund_type: str,
    reason_group: str,
    reason: str,
    *,
    quantity: int = 1,
    amount: float | None = None,
) -> int:
    """买家提交售后申请 (a buyer applies for after-sales; simulates the buyer, not an account).

    The request is applied for at ``wb.now`` and starts 申请中.  Nothing is written to the
    audit log (the log records what the shop's accounts do).

    Parameters
    ----------
    order_id, product_id : int
        The paid order and one of its products.
    refund_type : {"仅退款", "退货退款", "换货"}
        售后类型; 退货退款 and 换货 need a shipped order (there must be goods to send back).
    reason_group : {"物流原因", "商品原因", "买家主观原因"}
        原因大类.
    reason : str
        具体原因 in words (1-30 characters), e.g. ``"尺码不合适"``.
    quantity : int, default 1
        件数, from 1 to the quantity bought.
    amount : float, optional
        退款金额; default the goods' price × quantity; 0 for 换货 (which refunds nothing).

    Returns
    -------
    int
        The new request's 售后编号.

    Raises
    ------
    TypeError
        If an id, the quantity or the amount is not a number, or the reason not text.
    ValueError
        If the order does not exist, is unpaid or closed, lacks the product, or a value is
        out of range.
    """
    state = self.state
    order_id = check_int(order_id, "order_id（订单编号）", minimum=1)
    product_id = check_int(product_id, "product_id（商品编号）", minimum=1)
    check_choice(refund_type, "refund_type（售后类型）", REFUND_TYPES)
    check_choice(reason_group, "reason_group（原因大类）", REFUND_REASON_GROUPS)
    reason = check_text(reason, "reason（具体原因）", max_length=30)
    quantity = check_int(quantity, "quantity（售后数量）", minimum=1)
    orders = state.orders
    found = orders.loc[orders["order_id"] == order_id]
    if not len(found):
        raise ValueError(f"找不到订单编号（order_id）为 {order_id} 的订单，请检查编号。")
    order = found.iloc[0]
    status = str(order["status"])
    if status in (_UNPAID, _CLOSED_ORDER):
        raise ValueError(
            f"订单 {order_id} 现在是“{status}”，不能申请售后：只有已付款、没有关闭的订单可以申请。"
        )
    if refund_type != REFUND_TYPES[0] and pd.isna(order["shipped_at"]):
        raise ValueError(
            f"订单 {order_id} 还没有发货，只能申请“仅退款”；“{refund_type}”要先收到商品才能寄回。"
        )
    items = self.store.order_items
    line = items[(items["order_id"] == order_id) & (items["product_id"] == product_id)]
    if not len(line):
        bought = "、".join(str(p) for p in items.loc[items["order_id"] == order_id, "product_id"])
        raise ValueError(f"订单 {order_id} 里没有商品 {product_id}；这笔订单买的商品编号是：{bought}。")
    bought_quantity = int(line["quantity"].sum())
    left = bought_quantity - _requested_quantity(self, order_id, product_id)
    if quantity > left:
        raise ValueError(
            f"售后数量（quantity）{quantity} 超过了订单 {order_id} 里商品 {product_id} 还能申请的件数 {left}"
            f"（买了 {bought_quantity} 件，其余的已经申请过售后）。"
        )
    most = round(min(float(line["unit_price"].iloc[0]) * quantity, float(order["payment"])), 2)
    if refund_type == REFUND_TYPES[2]:
        if amount not in (None, 0):
            raise ValueError(f"换货不退钱，退款金额（amount）应该不填或为 0，收到的是 {amount!r}。")
        amount = 0.0
    elif amount is None:
        amount = most
    else:
        amount = check_number(amount, "amount（退款金额）", 0, strict=True)
        if amount > most + 1e-9:
            raise ValueError(
                f"退款金额（amount）{amount:g} 元超过了这件商品可退的 {most:g} 元（单价 × 数量，不超过实付款）。"
            )
    received = topic.received_times(found).iloc[0]
    received = received if pd.notna(received) and received <= self.now else pd.NaT
    table = state.after_sales
    history_ids = self.store.refunds["refund_id"]
    refund_id = (
        int(max(history_ids.max() if len(history_ids) else 0, table["refund_id"].max() if len(table) else 0))
        + 1
    )
    row = topic.new_requests(
        {
            "refund_id": [refund_id],
            "order_id": [order_id],
            "product_id": [product_id],
            "customer_id": [int(order["customer_id"])],
            "refund_type": [refund_type],
            "reason_group": [reason_group],
            "reason": [reason],
            "quantity": [quantity],
            "amount": [float(amount)],
            "applied_at": [self.now],
            "received_at": [received],
        }
    )
    state.after_sales = pd.concat([table, row], ignore_index=True)[list(topic.REQUEST_COLUMNS)]
    return refund_id


def _requested_quantity(wb: Workbench, order_id: int, product_id: int) -> int:
    """件数 of one order line already in an after-sales request that was not refused."""
    state, history = wb.state, wb.store.refunds
    closed = REFUND_STATUSES[1]
    earlier = (
        (history["order_id"] == order_id)
        & (history["product_id"] == product_id)
        & (history["finished_at"] <= state.opened_at).fillna(False)
        & (history["status"] != closed)
    )
    here = state.after_sales
    mine = (here["order_id"] == order_id) & (here["product_id"] == product_id) & (here["status"] != closed)
    return int(history.loc[earlier, "quantity"].sum() + here.loc[mine, "quantity"].sum())


def _after_sales(self: Workbench) -> pd.DataFrame:
    """售后申请表 (the after-sales requests as they are now; a copy: editing it changes nothing).

    Returns
    -------
    pandas.DataFrame
        Columns :data:`crm_helpers.after_sales.REQUEST_COLUMNS`.
    """
    return self.state.after_sales.copy()


def after_sales_list(self: Workbench, state: str | None = None) -> pd.DataFrame:
    """售后申请列表 with Chinese headers, as the 千牛 退款管理 page shows it (for reading).

    Parameters
    ----------
    state : str, optional
        Only requests in this state (:data:`crm_helpers.vocabulary.AFTER_SALES_STATES`).

    Returns
    -------
    pandas.DataFrame
        售后编号, 订单编号, 会员名, 商品名称, 售后类型, 原因大类, 具体原因, 售后数量, 退款金额,
        申请时间, 签收时间, 申请截止时间, 退货运费承担 (from the shop's policy), 售后状态,
        处理结果, 拒绝理由, 处理人, 最近处理时间.  Times are text to the minute
        (``2025-11-20 09:00``); a missing 签收时间 reads 未签收, a missing deadline 不限 (物流原因),
        other empty cells are blank.  Compute with :attr:`after_sales`, not with this view.

    Raises
    ------
    ValueError
        If ``state`` is unknown.
    """
    table = self.state.after_sales
    if state is not None:
        check_choice(state, "state（售后状态）", AFTER_SALES_STATES)
        table = table[table["state"] == state]
    review = topic.policy_review(table, self.store.products, self.state.return_policy)
    products = self.store.products.drop_duplicates("product_id").set_index("product_id")["name"]
    customers = self.store.customers.drop_duplicates("customer_id").set_index("customer_id")["member_name"]
    shown = table.assign(
        member_name=table["customer_id"].map(customers).to_numpy(),
        product_name=table["product_id"].map(products).to_numpy(),
        deadline=review["申请截止时间"].to_numpy(),
        postage_payer=review["退货运费承担"].to_numpy(),
    )[list(_VIEW_COLUMNS)]
    for column in ("reject_reason", "handled_by"):
        shown[column] = shown[column].astype(object).where(shown[column].notna(), "")
    for column, missing in _TIME_TEXT.items():
        times = pd.to_datetime(shown[column])
        shown[column] = times.dt.strftime("%Y-%m-%d %H:%M").astype(object).where(times.notna(), missing)
    return shown.rename(columns=dict(topic.REQUEST_LABELS)).reset_index(drop=True)


def _return_policy(self: Workbench) -> topic.ReturnPolicy:
    """The shop's 退换货政策 the workbench enforces (read-only; change it with ``set_return_policy``)."""
    return self.state.return_policy


Workbench.after_sales = property(_after_sales)
Workbench.after_sales_list = after_sales_list
Workbench.submit_request = submit_request
Workbench.return_policy = property(_return_policy)
