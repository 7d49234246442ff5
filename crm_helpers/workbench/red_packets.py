"""发红包 from the workbench, within the sub-account's daily limit.

Operation registered on :class:`~crm_helpers.workbench.Session`: ``send_red_packet``.  The day's
total is computed by :func:`day_total`, a pure function of the 红包 table's columns, so a call
costs the same whether 10 or 10,000 红包 were sent before it.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from .._time import DAY_NS
from .._validation import check_choice, check_int, check_number
from ..vocabulary import RED_PACKET_PURPOSES
from .core import Refused, Session, operation

__all__ = ["MAX_SINGLE_RED_PACKET", "day_total"]

#: A single 红包 may not exceed this amount (元).
MAX_SINGLE_RED_PACKET = 200.0


def day_total(
    agent_ids: np.ndarray, sent_ns: np.ndarray, amounts: np.ndarray, agent_id: int, day: pd.Timestamp
) -> float:
    """The money one account sent in 红包 on one calendar day.

    Parameters
    ----------
    agent_ids, sent_ns, amounts : numpy.ndarray
        Columns of the 红包 table: sender, time sent (int64 nanoseconds) and amount.
    agent_id : int
        The sender.
    day : pandas.Timestamp
        Any time on the day.

    Returns
    -------
    float
        The total in 元 (0 if nothing was sent).
    """
    start = day.normalize().value
    mine = (agent_ids == agent_id) & (sent_ns >= start) & (sent_ns < start + DAY_NS)
    return float(amounts[mine].sum())


@operation(
    permission="send_red_packet", describe=lambda session, customer_id, *args, **kwargs: f"客户 {customer_id}"
)
def send_red_packet(session: Session, customer_id: int, amount: float, purpose: str = "售后补偿") -> int:
    """发红包 to a customer, within the account's daily limit.

    Parameters
    ----------
    customer_id : int
        The customer (Python or NumPy integer).
    amount : int or float
        元, more than 0 and at most :data:`MAX_SINGLE_RED_PACKET` (Python or NumPy number).
    purpose : str, default "售后补偿"
        One of :data:`crm_helpers.vocabulary.RED_PACKET_PURPOSES`.

    Returns
    -------
    int
        The new red packet's id.

    Raises
    ------
    PermissionDenied
        Without the 发红包 permission, or when the day's total would exceed the account's
        daily limit (logged either way).
    TypeError
        If ``customer_id`` or ``amount`` is not a number.
    ValueError
        If the customer does not exist, the amount is out of range or the purpose unknown.
    """
    wb = session.workbench
    state = wb.state
    customer_id = check_int(customer_id, "客户编号（customer_id）", minimum=1)
    if customer_id not in state.customer_ids:
        raise ValueError(f"客户编号（customer_id）{customer_id} 不存在。")
    amount = check_number(amount, "红包金额（amount）")
    if not 0 < amount <= MAX_SINGLE_RED_PACKET:
        raise ValueError(
            f"红包金额（amount）应该大于 0、不超过 {MAX_SINGLE_RED_PACKET:g} 元，收到的是 {amount:g}。"
        )
    check_choice(purpose, "发红包原因（purpose）", RED_PACKET_PURPOSES)
    packets = state.red_packets
    agent_id = 0
    if not session.is_main:
        agent_id = int(wb.account(session.account, "agent_id"))
        spent = day_total(
            packets.values("agent_id"), packets.values("sent_at"), packets.values("amount"), agent_id, wb.now
        )
        limit = wb.account(session.account, "daily_red_packet_limit")
        if spent + amount > limit + 1e-9:
            raise Refused(
                f"超过今日红包限额：{session.account} 今天已发 {spent:g} 元，再发 {amount:g} 元就超过限额 {limit:g} 元。",
                f"{spent:g}",
                f"{spent + amount:g}",
            )
    ids = packets.values("red_packet_id")
    red_packet_id = int(ids.max()) + 1 if len(ids) else 1
    packets.append(
        red_packet_id=red_packet_id,
        agent_id=agent_id,
        customer_id=customer_id,
        amount=amount,
        sent_at=wb.now,
        purpose=purpose,
    )
    return red_packet_id
