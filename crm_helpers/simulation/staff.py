"""Staff: the sub-accounts, their 红包 (honest and not) and the audit log (操作日志).

Draws from the ``red_packets`` stream only.  Planted here: the 红包 fraud of seed 000
(:class:`~crm_helpers.patterns.RedPacketFraudPattern`).
"""

from __future__ import annotations

from typing import NamedTuple

import numpy as np
import pandas as pd

from ..patterns import RedPacketFraudPattern
from ..vocabulary import CHAT_TYPES, RED_PACKET_PURPOSES, REVIEW_RATINGS
from ._draws import DAY, HOUR, MINUTE, choice, uniform_seconds
from .after_sales import Reviews
from .calendar import Calendar
from .inputs import ServingAgents, ShopData
from .service import Chats

__all__ = ["AUDIT_COLUMNS", "RedPackets", "Staff", "check_fraud_agent", "make_staff"]

#: Sub-accounts were created this many days before the period (uniform).
CREATED_DAYS_BEFORE = (30, 400)
#: Share of after-sale chats followed by a compensation 红包, and its amounts (元).
COMPENSATION_SHARE = 0.12
COMPENSATION_AMOUNTS = [3.0, 5.0, 8.0, 10.0, 15.0, 20.0]
#: Share of 好评 thanked with a 红包, and its amounts (元).
THANKS_SHARE = 0.015
THANKS_AMOUNTS = [2.0, 3.0, 5.0]
#: Agents work from 08:00: a packet that would fall in the night is sent next morning.
WORK_START_HOUR = 8
_COMPENSATION, _THANKS = RED_PACKET_PURPOSES.index("售后补偿"), RED_PACKET_PURPOSES.index("好评感谢")
_GOOD = REVIEW_RATINGS.index("好评")
_AFTER_SALE = CHAT_TYPES.index("售后")
#: Columns of an audit-log row: seconds, operator, action, target, before, after, result, reason.
AUDIT_COLUMNS = ("t", "operator", "action", "target", "before", "after", "result", "reason")


class RedPackets(NamedTuple):
    """One value per 红包, by time."""

    agent: np.ndarray  # agent_id
    customer: np.ndarray
    time: np.ndarray
    amount: np.ndarray
    purpose: np.ndarray  # index into RED_PACKET_PURPOSES


class Staff(NamedTuple):
    """The sub-accounts (rows of agents.csv), their 红包 and the audit log."""

    created: np.ndarray  # seconds (before the period)
    limits: np.ndarray  # daily 红包 limit at the end of the period
    red_packets: RedPackets
    audit_rows: list[tuple]  # rows of AUDIT_COLUMNS, by time


def make_staff(
    rng: np.random.Generator,
    calendar: Calendar,
    n_customers: int,
    order_customer: np.ndarray,
    chats: Chats,
    reviews: Reviews,
    agents: ServingAgents,
    data: ShopData,
    fraud: RedPacketFraudPattern,
    office_hours: tuple[int, int] = (0, 24),
) -> Staff:
    """Sub-accounts, honest 红包 within each agent's daily limit, the fraud, and the audit log.

    Parameters
    ----------
    rng : numpy.random.Generator
        The ``red_packets`` stream.
    calendar : Calendar
        The period.
    n_customers : int
        Number of members.
    order_customer : numpy.ndarray
        The customer of each order.
    chats : Chats
        After-sale chats may end with a compensation 红包.
    reviews : Reviews
        Some 好评 are thanked with a 红包.
    agents : ServingAgents
        The agents who serve customers.
    data : ShopData
        The shipped tables (agents, shop settings).
    fraud : RedPacketFraudPattern
        The planted fraud (already the story of this seed, see
        :meth:`~crm_helpers.patterns.RedPacketFraudPattern.for_seed`).
    office_hours : (int, int), default (0, 24)
        The main account creates sub-accounts and sets limits within these hours
        (:class:`~crm_helpers.patterns.NightServicePattern`).

    Returns
    -------
    Staff
        Creation times, limits, 红包 and audit-log rows.
    """
    table = data.agents
    shop = data.settings["shop_name"]
    end, days = calendar.end, calendar.days
    limits = table["daily_red_packet_limit"].to_numpy(float).copy()
    created = np.sort(
        -uniform_seconds(rng, CREATED_DAYS_BEFORE[0] * DAY, CREATED_DAYS_BEFORE[1] * DAY, len(table))
    )
    # The main account works in office hours: keep the day, move the time of day into them.
    opens, closes = office_hours
    created = (created // DAY) * DAY + opens * HOUR + (created % DAY) % ((closes - opens) * HOUR - 60)
    # Honest red packets: compensation after some after-sale chats (answered by an agent,
    # not by 店小蜜), thanks after good reviews.
    after_sale = (chats.chat_type == _AFTER_SALE) & (chats.agent >= 0)
    comp = rng.random(int(after_sale.sum())) < COMPENSATION_SHARE
    thanks = (reviews.rating == _GOOD) & (rng.random(len(reviews.rating)) < THANKS_SHARE)
    thanks_agent = agents.ids[choice(rng, agents.share, int(thanks.sum()))]
    agent = np.concatenate([chats.agent[after_sale][comp], thanks_agent])
    cust = np.concatenate([chats.customer[after_sale][comp], order_customer[reviews.order[thanks]]])
    t = np.concatenate([
        chats.start[after_sale][comp] + uniform_seconds(rng, 5 * MINUTE, 2 * HOUR, int(comp.sum())),
        reviews.time[thanks] + uniform_seconds(rng, 10 * MINUTE, 12 * HOUR, int(thanks.sum())),
    ])  # fmt: skip
    amount = np.concatenate([
        rng.choice(COMPENSATION_AMOUNTS, int(comp.sum())),
        rng.choice(THANKS_AMOUNTS, int(thanks.sum())),
    ])  # fmt: skip
    purpose = np.concatenate([np.full(int(comp.sum()), _COMPENSATION), np.full(int(thanks.sum()), _THANKS)])
    night = (t % DAY) < WORK_START_HOUR * HOUR
    t = np.where(night, (t // DAY) * DAY + WORK_START_HOUR * HOUR + (t % (2 * HOUR)), t)
    keep = t < end
    agent, cust, t, amount, purpose = agent[keep], cust[keep], t[keep], amount[keep], purpose[keep]
    # The system held honest agents to their daily limit.
    order = np.lexsort((t, agent))
    agent, cust, t, amount, purpose = (x[order] for x in (agent, cust, t, amount, purpose))
    key = agent * (days + 1) + t // DAY
    starts = np.concatenate([[True], key[1:] != key[:-1]])
    csum = np.cumsum(amount)
    group_start = np.maximum.accumulate(np.where(starts, np.arange(len(key)), 0))
    spent = csum - csum[group_start] + amount[group_start]
    limit_of = dict(zip(table["agent_id"], limits))
    within = spent <= np.array([limit_of[x] for x in agent]) if len(agent) else np.ones(0, bool)
    honest = RedPackets(agent[within], cust[within], t[within], amount[within], purpose[within])
    # The audit log: the main account created every sub-account and set its limit.
    main = data.settings["main_account"]
    accounts = [f"{shop}:{nick}" for nick in table["nickname"]]
    rows = []
    for account, t0, limit, role in zip(accounts, created, limits, table["role"]):
        rows.append((t0, main, "新建员工", account, "", f"岗位={role}", "成功", ""))
        rows.append((t0 + 60, main, "设置红包限额", account, "0", f"{limit:g}", "成功", ""))
    if fraud.packets:
        fraud_packets, fraud_row = _plant_fraud(
            rng, calendar, n_customers, order_customer, table, shop, fraud
        )
        packets = RedPackets(*(np.concatenate([a, b]) for a, b in zip(honest, fraud_packets)))
        rows.append(fraud_row)
        limits[table["nickname"].to_numpy() == fraud.agent] = fraud.new_limit
    else:
        packets = honest
    by_time = np.argsort(packets.time, kind="stable")
    rows.sort(key=lambda r: r[0])
    return Staff(
        created=created,
        limits=limits,
        red_packets=RedPackets(*(x[by_time] for x in packets)),
        audit_rows=rows,
    )


def check_fraud_agent(fraud: RedPacketFraudPattern, agents: pd.DataFrame) -> RedPacketFraudPattern:
    """The pattern itself if its agent is a nickname of ``agents.csv`` (else a Chinese ValueError).

    Parameters
    ----------
    fraud : RedPacketFraudPattern
        The fraud as configured (before :meth:`~RedPacketFraudPattern.for_seed`).
    agents : pandas.DataFrame
        ``agents.csv``.

    Returns
    -------
    RedPacketFraudPattern
        ``fraud``, unchanged.
    """
    if fraud.packets and fraud.agent not in set(agents["nickname"]):
        raise ValueError(
            f"RedPacketFraudPattern.agent 应该是 agents.csv 里的员工昵称，例如 '小陈'，收到的是 {fraud.agent!r}。"
        )
    return fraud


def _plant_fraud(
    rng: np.random.Generator,
    calendar: Calendar,
    n_customers: int,
    order_customer: np.ndarray,
    table,
    shop: str,
    fraud: RedPacketFraudPattern,
) -> tuple[RedPackets, tuple]:
    """Seed 000: an agent raises her own daily limit at night, then tips accounts of her own.

    Returns her 红包 and the audit-log row of the limit change, made from her own sub-account.
    """
    days = calendar.days
    row = table.loc[table["nickname"] == fraud.agent]
    if row.empty:
        raise ValueError(
            f"RedPacketFraudPattern.agent 应该是 agents.csv 里的员工昵称，例如 '小陈'，收到的是 {fraud.agent!r}。"
        )
    agent_id = int(row["agent_id"].iloc[0])
    old_limit = float(row["daily_red_packet_limit"].iloc[0])
    first_day = min(int(round(days * fraud.start_fraction)), days - 1)
    n_days = max(1, min(fraud.max_days, days - first_day))
    change = first_day * DAY + fraud.limit_change_time
    n = fraud.packets
    fraud_days = first_day + rng.integers(0, n_days, n)
    hours = rng.choice(list(fraud.hours), n, p=list(fraud.hour_weights))
    t = fraud_days * DAY + hours * HOUR + rng.integers(0, HOUR, n)
    t = np.where(t <= change, change + 60 + rng.integers(0, 600, n), t)
    t = np.minimum(t, calendar.end - 1)
    non_buyers = np.flatnonzero(np.bincount(order_customer, minlength=n_customers) == 0)
    pool = non_buyers if len(non_buyers) >= fraud.accounts else np.arange(n_customers)
    mules = rng.choice(pool, size=min(fraud.accounts, len(pool)), replace=False)
    customer = mules[rng.integers(0, len(mules), n)]
    amount = np.round(rng.uniform(*fraud.amount_range, n), 2)
    account = f"{shop}:{fraud.agent}"
    log_row = (change, account, "修改红包限额", account, f"{old_limit:g}", f"{fraud.new_limit:g}", "成功", "")
    return RedPackets(np.full(n, agent_id), customer, t, amount, np.full(n, _THANKS)), log_row
