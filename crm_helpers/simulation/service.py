"""Customer service: 旺旺 chats (售前 inquiries, 售后 questions) and the
agents who sent the 催付 reminders.

Chats draw from the ``chats`` stream, the reminders' agents from ``reminders``.  Planted
here: response speed → conversion (:class:`~crm_helpers.patterns.ConversionPattern`) and
slower answers at night, at noon and on promotion days
(:class:`~crm_helpers.patterns.ResponseTimePattern`, :class:`~crm_helpers.patterns.Promotion`).
"""

from __future__ import annotations

from typing import NamedTuple

import numpy as np
import pandas as pd

from ..patterns import ConversionPattern, NightServicePattern, ResponseTimePattern
from ..vocabulary import CHAT_TYPES
from ._draws import DAY, HOUR, MINUTE, choice, uniform_seconds
from .after_sales import Refunds
from .calendar import Calendar
from .customers import Customers
from .inputs import ServingAgents, ShopData
from .trade import Amounts, Orders, OrderTimeline, ReminderRecords

__all__ = ["Chats", "OrderNotes", "Reminders", "assign_reminder_agents", "make_chats"]

#: Chance of a pre-sale chat before an order: the category's presale_chat_share × this,
#: for a customer's first order, a cycle repurchase, any other order.
CHAT_PROPENSITY = {"first": 1.3, "cycle": 0.4, "other": 0.8}
MAX_CHAT_CHANCE = 0.95
#: Rejection sampling rounds for the converting response times (practically never all used).
CONVERSION_ROUNDS = 60
#: Share of shipped orders with a logistics question, of finished orders with a usage question.
SHIPPING_QUESTION_SHARE = 0.12
USAGE_QUESTION_SHARE = 0.03
#: The late evening (22:00-23:59, one agent on duty) and the lunch hour, for the response-time load.
LATE_EVENING_HOUR, LUNCH_HOUR = 22, 12
MAX_RESPONSE_SECONDS = 3600
#: Share of 发货时间 inquiries after which the agent notes "客户要求尽快发货" on the order.
URGENT_REMARK_SHARE = 0.4
_PRESALE, _AFTER_SALE = CHAT_TYPES.index("售前"), CHAT_TYPES.index("售后")


class Chats(NamedTuple):
    """One value per chat within the period, by start (then customer)."""

    customer: np.ndarray
    agent: np.ndarray  # agent_id, -1 when 店小蜜 answered
    start: np.ndarray
    chat_type: np.ndarray  # index into CHAT_TYPES
    topic: np.ndarray  # topic label
    first_response: np.ndarray  # seconds
    avg_response: np.ndarray  # seconds (float)
    order: np.ndarray  # the order it led to, -1 if none
    question: np.ndarray  # row of chat_questions.csv


class OrderNotes(NamedTuple):
    """What service leaves on each order: the agent who sold it (-1: silent order) and a remark."""

    agent: np.ndarray
    remark: np.ndarray  # "" for none


class Reminders(NamedTuple):
    """One value per 催付, by time, with the agent who sent it."""

    order: np.ndarray
    time: np.ndarray
    channel: np.ndarray  # index into CONTACT_CHANNELS
    reason: np.ndarray  # row of unpaid_reasons.csv
    paid_after: np.ndarray
    agent: np.ndarray  # agent_id


def _response_seconds(
    rng: np.random.Generator,
    agents: ServingAgents,
    agent: np.ndarray,
    t: np.ndarray,
    calendar: Calendar,
    pattern: ResponseTimePattern,
) -> np.ndarray:
    """First-response times of chats answered by ``agent`` (index) at ``t``."""
    hour = (t % DAY) // HOUR
    load = np.where(hour >= LATE_EVENING_HOUR, pattern.night_load, 1.0) * np.where(
        hour == LUNCH_HOUR, pattern.noon_load, 1.0
    )
    load = load * calendar.service_load[calendar.day_of(t)]
    r = agents.median_response[agent] * load * np.exp(rng.normal(0, pattern.spread, len(t)))
    return np.clip(np.rint(r), 1, MAX_RESPONSE_SECONDS).astype(np.int64)


def _questions(rng: np.random.Generator, topic: np.ndarray, questions: pd.DataFrame) -> np.ndarray:
    """For each chat a row of ``chat_questions.csv`` of its topic, each equally likely."""
    labels = questions["topic"].drop_duplicates().tolist()
    missing = sorted(set(pd.unique(topic)) - set(labels))
    if missing:
        raise ValueError(f"chat_questions.csv 里没有这些咨询主题的问题：{'、'.join(missing)}。")
    rows = questions.reset_index(drop=True).sort_values(
        "topic", key=lambda t: t.map(labels.index), kind="stable"
    )
    counts = rows["topic"].value_counts().reindex(labels).to_numpy()
    first = np.concatenate([[0], np.cumsum(counts)[:-1]])
    code = pd.Categorical(topic, categories=labels).codes
    pick = first[code] + (rng.random(len(code)) * counts[code]).astype(np.int64)
    return rows.index.to_numpy()[pick]


def make_chats(
    rng: np.random.Generator,
    calendar: Calendar,
    customers: Customers,
    orders: Orders,
    amounts: Amounts,
    timeline: OrderTimeline,
    refunds: Refunds,
    reminders: ReminderRecords,
    agents: ServingAgents,
    data: ShopData,
    conversion: ConversionPattern,
    response_times: ResponseTimePattern,
    night: NightServicePattern,
) -> tuple[Chats, OrderNotes]:
    """Pre-sale inquiries (converted or not) and after-sale chats, and the orders' notes.

    Parameters
    ----------
    rng : numpy.random.Generator
        The ``chats`` stream.
    calendar : Calendar
        The period and its promotions.
    customers : Customers
        The members (registration times).
    orders, amounts, timeline : trade steps
        The orders, their first product, their final timestamps.
    refunds : Refunds
        Every refund starts with a chat.
    reminders : ReminderRecords
        Reminded orders get the remark 已催付.
    agents : ServingAgents
        Who answers, how often and how fast.
    data : ShopData
        The shipped tables (categories, chat topics).
    conversion : ConversionPattern
        Response speed → conversion.
    response_times : ResponseTimePattern
        Slower answers late in the evening and at noon.
    night : NightServicePattern
        No human service at night: 店小蜜 answers some chats, the others wait for the morning.

    Returns
    -------
    (Chats, OrderNotes)
        The chats, and each order's agent and remark.
    """
    m = len(orders.created)
    n = len(customers.registered)
    end = calendar.end
    categories = data.products["category"].to_numpy()
    p_chat = data.categories.loc[categories, "presale_chat_share"].to_numpy()[amounts.first_product]
    propensity = np.where(
        orders.first,
        CHAT_PROPENSITY["first"],
        np.where(orders.on_cycle, CHAT_PROPENSITY["cycle"], CHAT_PROPENSITY["other"]),
    )
    led = np.flatnonzero(rng.random(m) < np.clip(p_chat * propensity, 0, MAX_CHAT_CHANCE))
    agent = choice(rng, agents.share, len(led))
    t_order = orders.created[led]
    # Rejection sampling: a response time is kept for the order when the buyer converts;
    # every rejected draw is an inquiry by someone who did not order.
    frt = np.empty(len(led), np.int64)
    pending = np.arange(len(led))
    empty = np.zeros(0, np.int64)
    lost_agent, lost_t, lost_r = [empty], [empty], [empty]
    for _ in range(CONVERSION_ROUNDS):
        if len(pending) == 0:
            break
        r = _response_seconds(rng, agents, agent[pending], t_order[pending], calendar, response_times)
        ok = rng.random(len(pending)) < conversion.probability(r)
        frt[pending[ok]] = r[ok]
        lost_agent.append(agent[pending[~ok]])
        lost_t.append(t_order[pending[~ok]])
        lost_r.append(r[~ok])
        pending = pending[~ok]
    if len(pending):  # practically never: accept what is left
        frt[pending] = _response_seconds(
            rng, agents, agent[pending], t_order[pending], calendar, response_times
        )
    think = uniform_seconds(rng, 2 * MINUTE, 60 * MINUTE, len(led))
    conv_start = t_order - frt - think
    inside = conv_start >= 0  # a chat before the period is not in the data: silent order
    led, agent, frt, conv_start = led[inside], agent[inside], frt[inside], conv_start[inside]
    order_agent = np.full(m, -1, np.int64)
    order_agent[led] = agents.ids[agent]
    # Inquiries that did not convert: customers already registered at that time.
    lost_agent = np.concatenate(lost_agent)
    lost_r = np.concatenate(lost_r)
    lost_start = np.concatenate(lost_t) - uniform_seconds(rng, 0, 6 * HOUR, len(lost_r))
    n_reg = np.searchsorted(customers.registered, lost_start, side="right")
    ok = (n_reg > 0) & (lost_start >= 0)
    lost_agent, lost_r, lost_start, n_reg = lost_agent[ok], lost_r[ok], lost_start[ok], n_reg[ok]
    lost_cust = (rng.random(len(n_reg)) * n_reg).astype(np.int64)
    # After-sale chats: every refund, some logistics questions, some usage questions.
    ship_q = np.flatnonzero((timeline.shipped >= 0) & (rng.random(m) < SHIPPING_QUESTION_SHARE))
    use_q = np.flatnonzero((timeline.finished >= 0) & (rng.random(m) < USAGE_QUESTION_SHARE))
    after_order = np.concatenate([refunds.order, ship_q, use_q])
    after_start = np.concatenate([
        refunds.applied - uniform_seconds(rng, 5 * MINUTE, 3 * HOUR, len(refunds.order)),
        timeline.shipped[ship_q] + uniform_seconds(rng, DAY, 4 * DAY, len(ship_q)),
        timeline.finished[use_q] + uniform_seconds(rng, 0, 5 * DAY, len(use_q)),
    ])  # fmt: skip
    after_topic = np.concatenate([
        np.full(len(refunds.order), "退换货"), np.full(len(ship_q), "物流查询"),
        np.full(len(use_q), "使用问题"),
    ])  # fmt: skip
    after_agent = choice(rng, agents.share, len(after_order))
    after_r = _response_seconds(rng, agents, after_agent, after_start, calendar, response_times)
    # Put it together.
    n_conv, n_lost, n_after = len(led), len(lost_r), len(after_order)
    topics = data.chat_topics
    presale = topics[topics["chat_type"] == "售前"]
    pre_topic = presale["topic"].to_numpy()[choice(rng, presale["weight"].to_numpy(float), n_conv + n_lost)]
    start = np.concatenate([conv_start, lost_start, after_start])
    cust = np.concatenate([orders.customer[led], lost_cust, orders.customer[after_order]])
    agent_all = np.concatenate([agent, lost_agent, after_agent])
    frt_all = np.concatenate([frt, lost_r, after_r])
    avg = np.clip(
        np.rint(frt_all * np.exp(rng.normal(-0.2, 0.45, len(frt_all))) + 4), 2, MAX_RESPONSE_SECONDS
    )
    kind = np.concatenate([np.full(n_conv + n_lost, _PRESALE), np.full(n_after, _AFTER_SALE)])
    topic = np.concatenate([pre_topic, after_topic])
    led_order = np.concatenate([led, np.full(n_lost + n_after, -1)])
    # Nights: 店小蜜 answers some chats (every one that led to an order at once), the others
    # wait for the morning shift; the first response counts from the customer's first message.
    second_of_day = start % DAY
    at_night = second_of_day < night.service_start_hour * HOUR
    by_bot = at_night & ((rng.random(len(start)) < night.bot_share) | (led_order >= 0))
    waits = at_night & ~by_bot
    frt_all = np.where(waits, night.service_start_hour * HOUR - second_of_day + frt_all, frt_all)
    frt_all = np.where(by_bot, night.bot_response_seconds, frt_all)
    avg = np.where(by_bot, night.bot_response_seconds, avg)
    agent_ids = np.where(by_bot, -1, agents.ids[agent_all])
    order_agent[led[by_bot[:n_conv]]] = -1
    # The question the customer asked (for 店小蜜's keyword rules), by topic.
    question = _questions(rng, topic, data.chat_questions)
    idx = np.flatnonzero((start >= 0) & (start < end))
    idx = idx[np.argsort(start[idx] * n + cust[idx], kind="stable")]
    chats = Chats(
        customer=cust[idx],
        agent=agent_ids[idx],
        start=start[idx],
        chat_type=kind[idx],
        topic=topic[idx],
        first_response=frt_all[idx],
        avg_response=avg[idx],
        order=led_order[idx],
        question=question[idx],
    )
    # Remarks left by agents on some orders.
    remark = np.full(m, "", dtype=object)
    remark[reminders.order] = "已催付"
    urgent = led[(pre_topic[:n_conv] == "发货时间") & (rng.random(n_conv) < URGENT_REMARK_SHARE)]
    remark[urgent] = "客户要求尽快发货"
    return chats, OrderNotes(agent=order_agent, remark=remark)


def assign_reminder_agents(
    rng: np.random.Generator, reminders: ReminderRecords, agents: ServingAgents
) -> Reminders:
    """Sort the reminders by time and give each to an agent (by their chat share).

    Parameters
    ----------
    rng : numpy.random.Generator
        The ``reminders`` stream.
    reminders : ReminderRecords
        The reminders that happened.
    agents : ServingAgents
        The agents who serve customers.

    Returns
    -------
    Reminders
        The reminders by time, with their agent.
    """
    by_time = np.argsort(reminders.time, kind="stable")
    return Reminders(
        order=reminders.order[by_time],
        time=reminders.time[by_time],
        channel=reminders.channel[by_time],
        reason=reminders.reason[by_time],
        paid_after=reminders.paid_after[by_time],
        agent=agents.ids[choice(rng, agents.share, len(by_time))],
    )
