"""订单处理 on the workbench: find, remark, change the price, ship, close.

Operations registered on :class:`~crm_helpers.workbench.Session`: ``find_orders``,
``add_remark``, ``change_price``, ``ship_order`` and ``close_order``.  Each checks the
permission and then calls the pure function of :mod:`crm_helpers.orders` on the workbench's
orders table, which validates the input (order ids may be Python or NumPy numbers; text is
refused with a ``TypeError``) and returns a new table.
"""

from __future__ import annotations

from typing import Any

import pandas as pd

from .. import orders as order_ops
from .._validation import check_choice
from ..vocabulary import MANUAL_CLOSE_REASONS, ORDER_STATUSES
from .core import Entry, Logged, Session, operation

__all__: list[str] = []

_UNPAID, _CLOSED = ORDER_STATUSES[0], ORDER_STATUSES[-1]


def _order(session: Session, order_id: Any, *args: Any, **kwargs: Any) -> str:
    return f"订单 {order_id}"


@operation(permission="view_orders", describe="订单")
def find_orders(
    session: Session,
    *,
    member_name: str | None = None,
    order_id: int | None = None,
    status: str | None = None,
    start: Any = None,
    end: Any = None,
) -> pd.DataFrame:
    """查找订单 by 会员名, 订单编号, 订单状态 and 下单时间 [start, end) (needs 查看订单).

    See :func:`crm_helpers.orders.find_orders`.
    """
    wb = session.workbench
    return order_ops.find_orders(
        wb.state.orders,
        wb.store.customers,
        member_name=member_name,
        order_id=order_id,
        status=status,
        start=start,
        end=end,
    )


@operation(permission="remark_order", describe=_order)
def add_remark(session: Session, order_id: int, text: str, *, flag: str = "红") -> None:
    """订单备注 with a flag colour; the author is this account (needs 订单备注)."""
    state = session.workbench.state
    state.orders = order_ops.add_remark(state.orders, order_id, text, flag=flag, author=session.account)


@operation(permission="change_price", describe=_order)
def change_price(session: Session, order_id: int, new_payment: float) -> Logged:
    """改价: only while 等待买家付款 (needs 订单改价); recorded in the audit log."""
    state = session.workbench.state
    updated = order_ops.change_price(state.orders, order_id, new_payment)  # validates both
    row = state.orders["order_id"].to_numpy() == order_id
    before, after = state.orders["payment"].to_numpy()[row][0], updated["payment"].to_numpy()[row][0]
    state.orders = updated
    return Logged(None, (Entry("订单改价", f"订单 {order_id}", f"{before:g}", f"{after:g}"),))


@operation(permission="ship_order", describe=_order)
def ship_order(session: Session, order_id: int) -> None:
    """发货: 买家已付款 → 卖家已发货 (needs 订单发货)."""
    wb = session.workbench
    wb.state.orders = order_ops.transition(wb.state.orders, order_id, "卖家已发货", wb.now)


@operation(permission="close_order", describe=_order)
def close_order(session: Session, order_id: int, reason: str = "卖家关闭订单") -> None:
    """关闭订单 that is still unpaid (needs 关闭订单).

    A paid order is closed only by a full refund (退款流程), never by this button.

    Parameters
    ----------
    order_id : int
        订单编号.
    reason : {"卖家关闭订单", "买家取消订单"}
        Why the unpaid order is closed (:data:`crm_helpers.vocabulary.MANUAL_CLOSE_REASONS`).
    """
    wb = session.workbench
    check_choice(reason, "关闭原因（reason）", MANUAL_CLOSE_REASONS)
    orders = wb.state.orders
    found = orders.loc[orders["order_id"] == order_id, "status"]
    if len(found) and str(found.iloc[0]) != _UNPAID:
        raise ValueError(
            f"只能关闭还没付款的订单：订单 {order_id} 的状态是「{found.iloc[0]}」。"
            "已付款的订单要走退款流程，全额退款后交易才会关闭。"
        )
    wb.state.orders = order_ops.transition(orders, order_id, _CLOSED, wb.now, event=reason)
