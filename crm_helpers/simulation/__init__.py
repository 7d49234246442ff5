"""The simulated shop: one call builds every table of a consistent online shop (模拟网店).

``simulate_store(n_customers, days, seed)`` returns a :class:`~crm_helpers.store.Store`
whose tables (customers, products, orders, order_items, chats, events, refunds, reminders,
agents, red_packets, audit_log, complaints, reviews, growth) agree with each other: timestamps
come in order, statuses match the timestamps, refunds never exceed what was bought and
paid, a chat that led to an order belongs to the same customer and comes before it.

Patterns that lessons reveal are planted on purpose (and tested); each one is a named,
documented knob in :mod:`crm_helpers.patterns` (``simulate_store(..., patterns=...)``):

* a faster first response gives a higher inquiry conversion;
* spending is heavy-tailed (the top 20 % of buyers bring most of the sales);
* consumables (纸尿裤, 湿巾, 零食 …) are bought again on their repurchase cycle;
* customers churn (stop buying after a while);
* refund reasons differ by category (apparel: size → 换货);
* unpaid orders pay more often when reminded at a sensible time;
* one agent (小陈) raised her own 红包 limit and tipped herself thousands of times;
* a few negative-value customers (heavy coupon use, refunds of almost everything);
* 双11 and 618 peaks, a weekly and a daily rhythm;
* no human service at night: 店小蜜 answers some chats, the others wait for the morning;
  no 催付 and no back-office work at night;
* members who buy only small-value goods, often (小额交易活跃);
* every seed but the lesson shop's tells its own fraud story and has its own slowest agent.

The shop is built in steps, one module each, with explicit inputs and outputs (small
``NamedTuple`` records of NumPy arrays), in this order -- :func:`simulate_store` reads top
to bottom:

1. :mod:`.calendar` -- hourly busyness, promotions;
2. :mod:`.customers` -- members, their profile and buying behaviour;
3. :mod:`.trade` -- orders, items and amounts, payment with 催付, logistics;
4. :mod:`.after_sales` -- refunds; then :func:`.trade.finalise_orders` (statuses);
5. :mod:`.service` -- 旺旺 chats (and the orders' agents and remarks);
6. :mod:`.behaviour` -- 浏览/加购/收藏 events;
7. :mod:`.after_sales` -- reviews and complaints;
8. :mod:`.staff` -- sub-accounts, 红包, the audit log; :mod:`.service` -- the 催付 agents;
   :mod:`.behaviour` -- 成长值 (growth value) earned by trade, check-ins, reviews and profiles;
9. :mod:`.assembly` -- the typed tables of a :class:`~crm_helpers.store.Store`.

Everything is vectorised with NumPy; randomness comes only from ``numpy.random.Generator``
objects spawned from the seed, one stream per part of the shop
(:data:`._draws.STREAMS`), so the same seed gives the same shop on every machine, and
switching a pattern off leaves the parts that do not depend on it unchanged.
"""

from __future__ import annotations

from typing import Any

import pandas as pd

from .._validation import check_int, check_seed
from ..patterns import LESSON_SEED, Patterns
from ..store import Store
from ._draws import spawn_streams
from .after_sales import make_complaints, make_refunds, make_reviews
from .assembly import Simulated, assemble_store
from .behaviour import make_events, make_growth
from .calendar import build_calendar
from .customers import make_customers
from .inputs import fraud_culprits, read_shop_data, serving_agents
from .service import assign_reminder_agents, make_chats
from .staff import check_fraud_agent, make_staff
from .trade import finalise_orders, make_items, make_logistics, make_orders, make_payments

__all__ = ["DEFAULT_SEED", "load_store", "simulate_store"]

DEFAULT_SEED = LESSON_SEED
DEFAULT_N_CUSTOMERS = 3000
DEFAULT_DAYS = 365
#: The lesson shop (:func:`load_store`) has two years of history: 2024-01-01 to 2025-12-31.
LESSON_START = "2024-01-01"
LESSON_DAYS = 731
MAX_CUSTOMERS = 5_000_000
MAX_DAYS = 3650


def simulate_store(
    n_customers: int = DEFAULT_N_CUSTOMERS,
    days: int = DEFAULT_DAYS,
    seed: int = DEFAULT_SEED,
    *,
    start: str | pd.Timestamp = "2025-01-01",
    patterns: Patterns | None = None,
) -> Store:
    """Simulate a whole online shop (模拟一家网店的全部数据).

    Parameters
    ----------
    n_customers : int, default 3000
        Number of customers (members) of the shop, 1 to 5,000,000.  About 1.7 orders
        per customer and year are generated (600,000 customers ≈ 1 million orders).
    days : int, default 365
        Length of the simulated period in days, 1 to 3650.
    seed : int, default 2025
        Random seed; the same seed gives the same shop on every machine.
    start : str or pandas.Timestamp, default "2025-01-01"
        First day of the simulated period (midnight).
    patterns : crm_helpers.patterns.Patterns, optional
        The planted patterns (see :mod:`crm_helpers.patterns`); the default gives the
        lesson shop.  ``Patterns().without("red_packet_fraud")``, for example, gives the
        same shop without 小陈's fraud, ``Patterns.none()`` a shop without any pattern.

    Returns
    -------
    Store
        The shop, with one DataFrame per table (``store.orders``, ``store.chats`` …).

    Raises
    ------
    TypeError
        If a size or the seed is not a whole number, or ``patterns`` is not a ``Patterns``.
    ValueError
        If a size is out of range, ``start`` is not a date, or the fraud's agent is not in
        ``agents.csv``.

    Examples
    --------
    >>> store = simulate_store(n_customers=200, days=30, seed=1)
    >>> store.orders["status"].isin(["等待买家付款", "买家已付款", "卖家已发货",
    ...                              "交易成功", "交易关闭"]).all()
    np.True_
    """
    n_customers = check_int(n_customers, "n_customers（客户数）", minimum=1)
    if n_customers > MAX_CUSTOMERS:
        raise ValueError(
            f"n_customers（客户数）最多 {MAX_CUSTOMERS:,}，收到的是 {n_customers:,}；"
            "这么大的店铺会用光电脑内存。"
        )
    days = check_int(days, "days（模拟天数）", minimum=1)
    if days > MAX_DAYS:
        raise ValueError(f"days（模拟天数）最多 {MAX_DAYS}（十年），收到的是 {days}。")
    seed = check_seed(seed)
    try:
        start_ts = pd.Timestamp(start)
    except (TypeError, ValueError) as error:
        raise ValueError(f"start（开始日期）应该是日期，例如 '2025-01-01'，收到的是 {start!r}。") from error
    if pd.isna(start_ts):
        raise ValueError(f"start（开始日期）应该是日期，例如 '2025-01-01'，收到的是 {start!r}。")
    if start_ts != start_ts.normalize() or start_ts.tz is not None:
        raise ValueError(
            f"start（开始日期）应该是某一天的零点、不带时区，例如 '2025-01-01'，收到的是 {start!r}。"
        )
    patterns = _check_patterns(patterns)
    return _simulate(n_customers, days, seed, start_ts, patterns)


def load_store() -> Store:
    """Load the default lesson shop (课程默认店铺): 3000 customers, two years, seed 2025.

    The shop's history runs from 2024-01-01 to 2025-12-31 (``store.end`` = 2026-01-01 is
    "now"), enough for 近两年 crowds, a yearly member-level deduction and customers who
    have not come back for a long time.

    Every call builds a fresh copy (it takes a fraction of a second), so changing a table
    in one notebook never changes what ``load_store()`` gives elsewhere.

    Returns
    -------
    Store
        The same shop on every machine.
    """
    return simulate_store(DEFAULT_N_CUSTOMERS, LESSON_DAYS, DEFAULT_SEED, start=LESSON_START)


def _check_patterns(patterns: Any) -> Patterns:
    """The default patterns for ``None``; a ``Patterns`` object as it is; else a TypeError."""
    if patterns is None:
        return Patterns()
    if not isinstance(patterns, Patterns):
        raise TypeError(
            "patterns（规律设置）应该是 crm_helpers.patterns.Patterns 对象，例如 Patterns() 或 "
            f"Patterns().without('red_packet_fraud')；收到的是 {patterns!r}（{type(patterns).__name__}）。"
        )
    return patterns


def _simulate(n: int, days: int, seed: int, start: pd.Timestamp, patterns: Patterns) -> Store:
    """Run the steps in order; each takes its random stream and what earlier steps made."""
    streams = spawn_streams(seed)
    data = read_shop_data()
    agents = serving_agents(data.agents, seed if patterns.response_times.agents_by_seed else LESSON_SEED)
    calendar = build_calendar(start, days, patterns.rhythm, patterns.promotions)
    end = calendar.end
    customers = make_customers(streams.customers, n, calendar, data, patterns)
    orders = make_orders(streams.orders, customers, calendar, data, patterns)
    items, amounts = make_items(streams.items, orders, customers, calendar, data, patterns)
    payments = make_payments(
        streams.payment, orders, calendar, data, patterns.reminder_response, patterns.night_service
    )
    logistics = make_logistics(streams.logistics, payments, calendar)
    refunds = make_refunds(
        streams.refunds,
        end,
        orders,
        items,
        amounts,
        payments,
        logistics,
        customers,
        data,
        patterns.refund_reasons,
    )
    timeline = finalise_orders(end, items, payments, logistics, refunds)
    chats, notes = make_chats(
        streams.chats, calendar, customers, orders, amounts, timeline, refunds, payments.reminders,
        agents, data, patterns.conversion, patterns.response_times, patterns.night_service,
    )  # fmt: skip
    events = make_events(streams.events, calendar, customers, orders, items, data)
    reviews = make_reviews(streams.reviews, end, timeline, refunds)
    complaints = make_complaints(streams.complaints, end, timeline, logistics, refunds)
    staff = make_staff(
        streams.red_packets,
        calendar,
        n,
        orders.customer,
        chats,
        reviews,
        agents,
        data,
        check_fraud_agent(patterns.red_packet_fraud, data.agents).for_seed(seed, fraud_culprits(data.agents)),
        patterns.night_service.office_hours,
    )
    reminders = assign_reminder_agents(streams.reminders, payments.reminders, agents)
    growth = make_growth(streams.growth, calendar, customers, orders, amounts, timeline, reviews)
    simulated = Simulated(
        customers=customers, orders=orders, items=items, amounts=amounts, timeline=timeline,
        notes=notes, refunds=refunds, chats=chats, events=events, reminders=reminders,
        reviews=reviews, complaints=complaints, staff=staff, growth=growth,
    )  # fmt: skip
    return assemble_store(calendar, data, simulated, seed)
