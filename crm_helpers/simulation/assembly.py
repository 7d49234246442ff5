"""Assembly: the steps' arrays become the typed tables of a :class:`~crm_helpers.store.Store`.

Ids start at 1 (customers, chats …) or 100001 (orders); times become datetimes (NaT for
"did not happen"); labels become categoricals whose categories come from
:mod:`crm_helpers.vocabulary` or the shipped data files.  No randomness here.
"""

from __future__ import annotations

from typing import NamedTuple

import numpy as np
import pandas as pd

from ..store import Store
from ..vocabulary import (
    ANSWERED_BY,
    CHAT_TYPES,
    COMPLAINT_TYPES,
    CONTACT_CHANNELS,
    DEPARTMENTS,
    EVENT_TYPES,
    GENDERS,
    GROWTH_SOURCES,
    ORDER_CLOSE_REASONS,
    ORDER_STATUSES,
    RED_PACKET_PURPOSES,
    REFUND_REASON_GROUPS,
    REFUND_STATUSES,
    REFUND_TYPES,
    REVIEW_RATINGS,
    ROLE_NAMES,
    UNPAID_REASON_GROUPS,
)
from .after_sales import Complaints, Refunds, Reviews
from .behaviour import Events, Growth
from .calendar import Calendar
from .customers import Customers
from .inputs import ShopData
from .service import Chats, OrderNotes, Reminders
from .staff import AUDIT_COLUMNS, Staff
from .trade import Amounts, Items, Orders, OrderTimeline

__all__ = ["FIRST_ORDER_ID", "Simulated", "assemble_store"]

#: Order numbers start here (订单编号 100001, 100002 …).
FIRST_ORDER_ID = 100001


class Simulated(NamedTuple):
    """Everything the steps produced, for :func:`assemble_store`."""

    customers: Customers
    orders: Orders
    items: Items
    amounts: Amounts
    timeline: OrderTimeline
    notes: OrderNotes
    refunds: Refunds
    chats: Chats
    events: Events
    reminders: Reminders
    reviews: Reviews
    complaints: Complaints
    staff: Staff
    growth: Growth


def _datetimes(start: pd.Timestamp, seconds: np.ndarray) -> np.ndarray:
    """Seconds after ``start`` (negative: before it) as datetime64[s]."""
    return np.datetime64(start.to_datetime64(), "s") + seconds.astype("timedelta64[s]")


def _datetimes_or_nat(start: pd.Timestamp, seconds: np.ndarray) -> np.ndarray:
    """Seconds after ``start`` as datetime64[s]; NaT where the time is -1 (did not happen)."""
    out = _datetimes(start, np.maximum(seconds, 0))
    out[seconds < 0] = np.datetime64("NaT")
    return out


def _first_orders(start: pd.Timestamp, seconds: np.ndarray) -> np.ndarray:
    """First purchases as datetime64[s] (maybe before ``start``); NaT for members who never bought."""
    never = seconds == np.iinfo(np.int64).min
    out = _datetimes(start, np.where(never, 0, seconds))
    out[never] = np.datetime64("NaT")
    return out


def _categorical(codes: np.ndarray, categories, ordered: bool = False) -> pd.Categorical:
    """A categorical from integer codes (-1: missing)."""
    return pd.Categorical.from_codes(codes, categories=list(categories), ordered=ordered)


def _labels(values: np.ndarray, categories) -> pd.Categorical:
    """A categorical from label values, with the given categories in their order."""
    return pd.Categorical(values, categories=list(categories))


def _optional_ids(ids: np.ndarray, present: np.ndarray) -> pd.api.extensions.ExtensionArray:
    """Nullable integers: ``ids`` where ``present``, else <NA>."""
    out = pd.array(np.where(present, ids, 0), dtype="Int64")
    out[~present] = pd.NA
    return out


def assemble_store(calendar: Calendar, data: ShopData, sim: Simulated, seed: int) -> Store:
    """Build the shop's tables from the steps' results.

    Parameters
    ----------
    calendar : Calendar
        The period.
    data : ShopData
        The shipped tables.
    sim : Simulated
        The steps' results.
    seed : int
        The seed, recorded on the store.

    Returns
    -------
    Store
        The shop.
    """
    start = calendar.start
    c = sim.customers
    customers = pd.DataFrame(copy=False, data={
        "customer_id": np.arange(1, len(c.registered) + 1),
        "member_name": pd.array(c.member_name, dtype="str"),
        "name": pd.array(c.name, dtype="str"),
        "gender": _categorical(np.where(c.female, GENDERS.index("女"), GENDERS.index("男")), GENDERS),
        "age": c.age,
        "birthday": c.birthday.astype("datetime64[s]"),
        "region": _categorical(c.region, data.regions["region"]),
        "channel": _categorical(c.channel, data.channels["channel"]),
        "registered_at": _datetimes(start, c.registered),
        "first_order_at": _first_orders(start, c.first_order),
    })  # fmt: skip
    products = data.products.drop(columns=["popularity"]).copy()
    products["category"] = pd.Categorical(products["category"], categories=list(data.categories.index))
    products["repurchase_cycle_days"] = products["repurchase_cycle_days"].astype("Int64")
    products["name"] = products["name"].astype("str")
    product_ids = data.products["product_id"].to_numpy()

    o, tl = sim.orders, sim.timeline
    order_id = FIRST_ORDER_ID + np.arange(len(o.created))
    remark = pd.array(sim.notes.remark, dtype="str")
    remark[sim.notes.remark == ""] = pd.NA
    orders = pd.DataFrame(copy=False, data={
        "order_id": order_id,
        "customer_id": o.customer + 1,
        "agent_id": _optional_ids(sim.notes.agent, sim.notes.agent >= 0),
        "created_at": _datetimes(start, o.created),
        "paid_at": _datetimes_or_nat(start, tl.paid),
        "shipped_at": _datetimes_or_nat(start, tl.shipped),
        "finished_at": _datetimes_or_nat(start, tl.finished),
        "closed_at": _datetimes_or_nat(start, tl.closed),
        "status": _categorical(tl.status, ORDER_STATUSES, ordered=True),
        "close_reason": _categorical(tl.close_reason, ORDER_CLOSE_REASONS),
        "goods_amount": sim.amounts.goods,
        "discount": sim.amounts.discount,
        "payment": sim.amounts.payment,
        "remark": remark,
    })  # fmt: skip
    it = sim.items
    order_items = pd.DataFrame(copy=False, data={
        "order_id": order_id[it.order],
        "product_id": product_ids[it.product],
        "quantity": it.quantity,
        "unit_price": it.unit_price,
    })  # fmt: skip

    ch = sim.chats
    chats = pd.DataFrame(copy=False, data={
        "chat_id": np.arange(1, len(ch.start) + 1),
        "customer_id": ch.customer + 1,
        "agent_id": _optional_ids(ch.agent, ch.agent >= 0),
        "answered_by": _categorical(np.where(ch.agent >= 0, 0, 1), ANSWERED_BY),
        "started_at": _datetimes(start, ch.start),
        "chat_type": _categorical(ch.chat_type, CHAT_TYPES),
        "topic": _labels(ch.topic, data.chat_topics["topic"].drop_duplicates()),
        "question": _categorical(ch.question, data.chat_questions["question"]),
        "first_response_seconds": ch.first_response,
        "avg_response_seconds": ch.avg_response.astype(np.int64),
        "order_id": _optional_ids(order_id[np.maximum(ch.order, 0)], ch.order >= 0),
    })  # fmt: skip
    ev = sim.events
    events = pd.DataFrame(copy=False, data={
        "customer_id": ev.customer + 1,
        "product_id": product_ids[ev.product],
        "event_type": _categorical(ev.event_type, EVENT_TYPES),
        "occurred_at": _datetimes(start, ev.time),
    })  # fmt: skip

    rf = sim.refunds
    by_applied = np.argsort(rf.applied, kind="stable")
    refund_order = rf.order[by_applied]
    refunds = pd.DataFrame(copy=False, data={
        "refund_id": np.arange(1, len(by_applied) + 1),
        "order_id": order_id[refund_order],
        "product_id": product_ids[it.product[rf.line[by_applied]]],
        "customer_id": o.customer[refund_order] + 1,
        "refund_type": _labels(rf.refund_type[by_applied], REFUND_TYPES),
        "reason_group": _labels(rf.reason_group[by_applied], REFUND_REASON_GROUPS),
        "reason": _labels(rf.reason[by_applied], data.refund_reasons["reason"].drop_duplicates()),
        "quantity": rf.quantity[by_applied],
        "amount": rf.amount[by_applied],
        "applied_at": _datetimes(start, rf.applied[by_applied]),
        "finished_at": _datetimes_or_nat(start, rf.finished[by_applied]),
        "status": _labels(rf.status[by_applied], REFUND_STATUSES),
    })  # fmt: skip
    rem = sim.reminders
    unpaid = data.unpaid_reasons
    reminders = pd.DataFrame(copy=False, data={
        "reminder_id": np.arange(1, len(rem.time) + 1),
        "order_id": order_id[rem.order],
        "agent_id": rem.agent,
        "reminded_at": _datetimes(start, rem.time),
        "channel": _categorical(rem.channel, CONTACT_CHANNELS),
        "reason_group": _labels(unpaid["reason_group"].to_numpy()[rem.reason], UNPAID_REASON_GROUPS),
        "reason": _categorical(rem.reason, unpaid["reason"]),
        "paid_after": rem.paid_after,
    })  # fmt: skip

    table = data.agents
    shop = data.settings["shop_name"]
    staff = sim.staff
    agents = pd.DataFrame(copy=False, data={
        "agent_id": table["agent_id"].to_numpy(),
        "account_name": pd.array([f"{shop}:{x}" for x in table["nickname"]], dtype="str"),
        "nickname": pd.array(table["nickname"].to_numpy(), dtype="str"),
        "department": _labels(table["department"], DEPARTMENTS),
        "role": _labels(table["role"], ROLE_NAMES),
        "daily_red_packet_limit": staff.limits,
        "created_at": _datetimes(start, staff.created),
    })  # fmt: skip
    rp = staff.red_packets
    red_packets = pd.DataFrame(copy=False, data={
        "red_packet_id": np.arange(1, len(rp.time) + 1),
        "agent_id": rp.agent,
        "customer_id": rp.customer + 1,
        "amount": rp.amount,
        "sent_at": _datetimes(start, rp.time),
        "purpose": _categorical(rp.purpose, RED_PACKET_PURPOSES),
    })  # fmt: skip
    audit = pd.DataFrame(staff.audit_rows, columns=list(AUDIT_COLUMNS))
    audit_log = pd.DataFrame(copy=False, data={
        "logged_at": _datetimes(start, audit["t"].to_numpy(np.int64)),
        **{column: audit[column].astype("str") for column in AUDIT_COLUMNS[1:]},
    })  # fmt: skip
    cp = sim.complaints
    complaints = pd.DataFrame(copy=False, data={
        "complaint_id": np.arange(1, len(cp.time) + 1),
        "customer_id": o.customer[cp.order] + 1,
        "order_id": order_id[cp.order],
        "complaint_type": _categorical(cp.complaint_type, COMPLAINT_TYPES),
        "created_at": _datetimes(start, cp.time),
        "resolved_at": _datetimes_or_nat(start, cp.resolved),
    })  # fmt: skip
    rv = sim.reviews
    reviews = pd.DataFrame(copy=False, data={
        "review_id": np.arange(1, len(rv.time) + 1),
        "order_id": order_id[rv.order],
        "customer_id": o.customer[rv.order] + 1,
        "rating": _categorical(rv.rating, REVIEW_RATINGS),
        "created_at": _datetimes(start, rv.time),
    })  # fmt: skip
    gr = sim.growth
    growth = pd.DataFrame(copy=False, data={
        "growth_id": np.arange(1, len(gr.time) + 1),
        "customer_id": gr.customer + 1,
        "source": _categorical(gr.source, GROWTH_SOURCES),
        "points": gr.points,
        "earned_at": _datetimes(start, gr.time),
        "order_id": _optional_ids(np.where(gr.order >= 0, FIRST_ORDER_ID + gr.order, 0), gr.order >= 0),
    })  # fmt: skip
    return Store(
        customers=customers, products=products, orders=orders, order_items=order_items,
        chats=chats, events=events, refunds=refunds, reminders=reminders, agents=agents,
        red_packets=red_packets, audit_log=audit_log, complaints=complaints, reviews=reviews, growth=growth,
        shop_name=shop, start=start, end=start + pd.Timedelta(days=calendar.days), seed=seed,
    )  # fmt: skip
