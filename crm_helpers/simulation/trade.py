"""The trade: orders, their items and amounts, payment (with 催付), logistics,
and the final status of every order once the after-sales are known.

Each step draws from its own stream (``orders``, ``items``, ``payment``, ``logistics``).
Planted here: the repurchase cycle (:class:`~crm_helpers.patterns.RepurchasePattern`),
the reminder response model (:class:`~crm_helpers.patterns.ReminderResponsePattern`).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, NamedTuple

import numpy as np
import pandas as pd

from ..patterns import STOCK_UP_SHARE, NightServicePattern, Patterns, ReminderResponsePattern
from ..vocabulary import CONTACT_CHANNELS, ORDER_CLOSE_REASONS, ORDER_STATUSES
from ._draws import DAY, HOUR, MINUTE, choice, run_starts, uniform_seconds
from .calendar import Calendar
from .customers import Customers
from .inputs import ShopData

if TYPE_CHECKING:
    from .after_sales import Refunds

__all__ = [
    "Amounts",
    "Items",
    "Logistics",
    "OrderTimeline",
    "Orders",
    "Payments",
    "ReminderRecords",
    "finalise_orders",
    "make_items",
    "make_logistics",
    "make_orders",
    "make_payments",
]

# Taobao closes an unpaid order automatically after 72 hours; a shipped order is confirmed
# automatically 10 days after shipping if the buyer does not confirm it.
AUTO_CLOSE_SECONDS = 72 * HOUR
AUTO_CONFIRM_SECONDS = 10 * DAY
#: Coupons: (threshold, discount) in 元 -- 满49减5 …
COUPONS = np.array([[49, 5], [99, 10], [199, 20], [299, 30], [499, 50]], dtype=float)
#: An order gets a second line when a uniform draw is above the first number (32 %), a
#: third when another is above the second (10 %).
SECOND_LINE_ABOVE, THIRD_LINE_ABOVE = 0.68, 0.9
#: Chance that a non-cycle order starts with the customer's favourite product.
FAVOURITE_FIRST = 0.5
#: Mean extra quantity per line (× the customer's basket size): consumables, other goods.
EXTRA_QUANTITY = {"consumable": 0.7, "other": 0.15}
MAX_QUANTITY = 10
#: Share of orders paid at once; the others are the 催付 candidates.
PAID_AT_ONCE = 0.9
#: Share of unpaid orders an agent reminds, and when: too early (1-10 min), sensible
#: (30 min-6 h), too late (12-40 h), with these shares.
REMINDED_SHARE = 0.7
REMINDER_TIMING_SHARES = np.array([0.25, 0.5, 0.25])
#: Tools used for 催付.
REMINDER_CHANNEL_SHARES = {"千牛": 0.6, "短信": 0.3, "电话": 0.1}
#: An order is a 两次以上购买的买家's when the customer paid this many orders before it.
REPEAT_BUYER_ORDERS = 2
#: Share of never-paying buyers who cancel (the others' orders close after 72 hours).
CANCEL_SHARE = 0.25
#: Median time from payment to shipping.
MEDIAN_SHIPPING_SECONDS = 18 * HOUR
#: Share of buyers who confirm receipt themselves.
CONFIRM_SHARE = 0.55

_WAITING, _PAID, _SHIPPED, _FINISHED, _CLOSED = (
    ORDER_STATUSES.index(label)
    for label in ("等待买家付款", "买家已付款", "卖家已发货", "交易成功", "交易关闭")
)
_CANCELLED, _AUTO_CLOSED, _REFUNDED = (
    ORDER_CLOSE_REASONS.index(label) for label in ("买家取消订单", "超时未付款自动关闭", "全额退款")
)


class Orders(NamedTuple):
    """One value per order, sorted by creation time (then customer)."""

    customer: np.ndarray
    created: np.ndarray  # seconds
    on_cycle: np.ndarray  # a repurchase on the consumable cycle
    first: np.ndarray  # the customer's first order in the period


class Items(NamedTuple):
    """One value per order line, by order."""

    order: np.ndarray
    product: np.ndarray  # row of products.csv
    quantity: np.ndarray
    unit_price: np.ndarray


class Amounts(NamedTuple):
    """One value per order: money and the first line's product."""

    goods: np.ndarray
    discount: np.ndarray
    payment: np.ndarray
    first_product: np.ndarray


class ReminderRecords(NamedTuple):
    """One value per 催付 that happened (unsorted)."""

    order: np.ndarray
    time: np.ndarray
    channel: np.ndarray  # index into CONTACT_CHANNELS
    reason: np.ndarray  # row of unpaid_reasons.csv
    paid_after: np.ndarray


class Payments(NamedTuple):
    """Payment or closing of every order (-1: never / not closed)."""

    paid: np.ndarray
    closed: np.ndarray
    close_reason: np.ndarray  # index into ORDER_CLOSE_REASONS, -1 if open
    reminders: ReminderRecords


class Logistics(NamedTuple):
    """Shipping and confirmation of every order (-1 for unpaid orders)."""

    shipped: np.ndarray
    finished: np.ndarray
    shipping_delay: np.ndarray  # seconds from payment to shipping (drawn for every order)


class OrderTimeline(NamedTuple):
    """The final timestamps (-1: not (yet) happened) and status of every order."""

    paid: np.ndarray
    shipped: np.ndarray
    finished: np.ndarray
    closed: np.ndarray
    close_reason: np.ndarray
    status: np.ndarray  # index into ORDER_STATUSES


def make_orders(
    rng: np.random.Generator, customers: Customers, calendar: Calendar, data: ShopData, patterns: Patterns
) -> Orders:
    """When each customer orders: on their consumable's cycle, or at random times.

    Parameters
    ----------
    rng : numpy.random.Generator
        The ``orders`` stream.
    customers : Customers
        The members.
    calendar : Calendar
        The period and its rhythm.
    data : ShopData
        The shipped tables.
    patterns : Patterns
        The planted patterns (repurchase).

    Returns
    -------
    Orders
        The orders, by time.
    """
    n = len(customers.registered)
    cycle_days = data.products["repurchase_cycle_days"].to_numpy()
    repurchase = patterns.repurchase
    first_t = customers.first_purchase
    buyer = customers.is_buyer & (first_t < customers.active_end)
    span = np.where(buyer, customers.active_end - first_t, 0)
    # Consumable buyers: an order every cycle (a little late on average).
    cyc = buyer & customers.on_cycle
    cyc_len = np.where(cyc, cycle_days[customers.favourite], 1.0)
    shortest_gap, longest_gap = repurchase.gap_range
    max_k = np.where(cyc, span // (shortest_gap * cyc_len * DAY) + 1, 0).astype(np.int64)
    cust_c = np.repeat(np.arange(n), max_k)
    gaps = rng.uniform(shortest_gap, longest_gap, len(cust_c)) * cyc_len[cust_c] * DAY
    nz = max_k > 0
    starts = (np.cumsum(max_k) - max_k)[nz]
    # The first order starts the cycle; members already buying before the period are
    # somewhere inside their cycle when it begins.
    phase = rng.random(len(starts)) * cyc_len[cust_c[starts]] * DAY
    gaps[starts] = np.where(customers.bought_before[cust_c[starts]], phase, 0.0)
    csum = np.cumsum(gaps)
    t_c = first_t[cust_c] + (csum - np.repeat(csum[starts] - gaps[starts], max_k[nz]))
    # Keep the day of each repeat purchase, draw its time of day from the daily rhythm;
    # orders due soon after a big festival are placed on the festival (囤货).
    day_c = t_c.astype(np.int64) // DAY
    pull = calendar.stock_up_day[np.clip(day_c, 0, calendar.days - 1)]
    stock_up = (pull >= 0) & (day_c < calendar.days) & (rng.random(len(day_c)) < STOCK_UP_SHARE)
    day_c = np.where(stock_up, pull, day_c)
    t_c = calendar.sample_times(rng, day_c * DAY, np.minimum((day_c + 1) * DAY, calendar.end))
    t_c = np.maximum(t_c, first_t[cust_c])
    keep = t_c < customers.active_end[cust_c]
    cust_c, t_c = cust_c[keep], t_c[keep]
    # Everyone else (and consumable buyers' other shopping): at random times.
    extra_rate = np.where(cyc, repurchase.other_shopping_factor, 1.0) * customers.order_rate
    k = np.where(buyer, rng.poisson(extra_rate * span / (365 * DAY)), 0)
    cust_r = np.repeat(np.arange(n), k)
    t_r = calendar.sample_times(rng, first_t[cust_r], customers.active_end[cust_r])
    # New buyers (first purchase inside the period) make that first purchase then.
    newcomer = np.flatnonzero(buyer & ~cyc & ~customers.bought_before)
    cust = np.concatenate([cust_c, cust_r, newcomer])
    t = np.concatenate([t_c, t_r, first_t[newcomer]])
    is_cycle_order = np.zeros(len(cust), bool)
    is_cycle_order[: len(cust_c)] = True
    order = np.argsort(t * n + cust, kind="stable")  # by time, then customer
    customer = cust[order]
    return Orders(
        customer=customer,
        created=t[order],
        on_cycle=is_cycle_order[order],
        first=~pd.Series(customer).duplicated().to_numpy(),
    )


def make_items(
    rng: np.random.Generator,
    orders: Orders,
    customers: Customers,
    calendar: Calendar,
    data: ShopData,
    patterns: Patterns,
) -> tuple[Items, Amounts]:
    """What each order contains, at which price, and what it costs after coupons.

    Parameters
    ----------
    rng : numpy.random.Generator
        The ``items`` stream.
    orders : Orders
        The orders.
    customers : Customers
        The members (favourite product, basket size, coupon use).
    calendar : Calendar
        Promotion prices.
    data : ShopData
        The shipped tables.
    patterns : Patterns
        The planted patterns (repurchase: the favourite product first).

    Returns
    -------
    (Items, Amounts)
        The order lines and each order's amounts.
    """
    m = len(orders.created)
    products = data.products
    lines = 1 + (rng.random(m) > SECOND_LINE_ABOVE).astype(np.int64) + (rng.random(m) > THIRD_LINE_ABOVE)
    small_order = customers.small_orders[orders.customer]
    lines = np.where(small_order, 1, lines)  # 补差价、邮费、试用装: one piece
    line_order = np.repeat(np.arange(m), lines)
    first_line = run_starts(line_order)
    popularity = products["popularity"].to_numpy(float)
    prod = choice(rng, popularity, len(line_order))
    fav_prob = np.where(orders.on_cycle[line_order], patterns.repurchase.favourite_share, FAVOURITE_FIRST)
    use_fav = first_line & (rng.random(len(line_order)) < fav_prob)
    prod = np.where(use_fav, customers.favourite[orders.customer[line_order]], prod)
    small_goods = products["price"].to_numpy(float) <= patterns.small_orders.max_price
    small_prod = (
        choice(rng, np.where(small_goods, popularity, 0.0), len(line_order)) if small_goods.any() else prod
    )
    on_small = small_order[line_order]
    prod = np.where(on_small, small_prod, prod)
    # The same product twice in one order becomes one line (orders have ≤ 3 lines).
    keep = np.ones(len(prod), bool)
    for lag in (1, 2):
        same = (line_order[lag:] == line_order[:-lag]) & (prod[lag:] == prod[:-lag])
        keep[lag:] &= ~same
    line_order, prod = line_order[keep], prod[keep]
    consumable = ~np.isnan(products["repurchase_cycle_days"].to_numpy())[prod]
    basket = customers.basket_size[orders.customer[line_order]]
    lam = np.where(consumable, EXTRA_QUANTITY["consumable"], EXTRA_QUANTITY["other"]) * basket
    qty = np.where(small_order[line_order], 1, np.clip(1 + rng.poisson(lam), 1, MAX_QUANTITY))
    day = calendar.day_of(orders.created[line_order])
    price = np.round(products["price"].to_numpy()[prod] * calendar.price_factor[day], 2)
    goods = np.round(np.bincount(line_order, weights=price * qty, minlength=m), 2)
    # Coupons: the biggest threshold the order reaches, for customers who use them.
    tier = np.searchsorted(COUPONS[:, 0], goods, side="right") - 1
    use = (tier >= 0) & (rng.random(m) < customers.coupon_share[orders.customer])
    discount = np.where(use, COUPONS[np.maximum(tier, 0), 1], 0.0)
    items = Items(order=line_order, product=prod, quantity=qty, unit_price=price)
    amounts = Amounts(
        goods=goods,
        discount=discount,
        payment=np.round(goods - discount, 2),
        first_product=prod[run_starts(line_order)],
    )
    return items, amounts


def make_payments(
    rng: np.random.Generator,
    orders: Orders,
    calendar: Calendar,
    data: ShopData,
    response: ReminderResponsePattern,
    night: NightServicePattern,
) -> Payments:
    """Payment, 催付 (reminders) and closing of unpaid orders.

    Parameters
    ----------
    rng : numpy.random.Generator
        The ``payment`` stream.
    orders : Orders
        The orders.
    calendar : Calendar
        The period.
    data : ShopData
        The shipped tables (``unpaid_reasons.csv``).
    response : ReminderResponsePattern
        Whether a buyer pays by himself or after a reminder (the planted pattern).
    night : NightServicePattern
        No 催付 at night: a reminder that would fall then is sent the next morning.

    Returns
    -------
    Payments
        Payment and closing times, and the reminders that happened.
    """
    m = len(orders.created)
    created = orders.created
    paid_now = rng.random(m) < PAID_AT_ONCE
    paid = np.where(paid_now, created + 5 + rng.exponential(90, m).astype(np.int64), -1)
    unpaid = np.flatnonzero(~paid_now)
    k = len(unpaid)
    reasons = data.unpaid_reasons
    reason = choice(rng, reasons["weight"].to_numpy(), k)
    base = reasons["pay_probability"].to_numpy()[reason]
    # 两次以上购买的买家: the customer already paid two orders or more (at once) before this one,
    # as :func:`crm_helpers.payment_reminders.repeat_buyer_flags` counts them.
    earlier = pd.Series(paid_now.astype(np.int64)).groupby(orders.customer).cumsum().to_numpy() - paid_now
    repeat = earlier[unpaid] >= REPEAT_BUYER_ORDERS
    # Reminders: some too early, most at a sensible time, some far too late.
    reminded = rng.random(k) < REMINDED_SHARE
    timing = choice(rng, REMINDER_TIMING_SHARES, k)
    delay = np.select(
        [timing == 0, timing == 1],
        [uniform_seconds(rng, MINUTE, 10 * MINUTE, k), uniform_seconds(rng, 30 * MINUTE, 6 * HOUR, k)],
        uniform_seconds(rng, 12 * HOUR, 40 * HOUR, k),
    )
    # No 催付 at night: a reminder due then is sent the next morning, in the first two hours.
    t_rem = created[unpaid] + delay
    morning = uniform_seconds(rng, 0, 2 * HOUR, k)
    quiet = night.is_quiet((t_rem % DAY) // HOUR)
    next_day = (t_rem % DAY) // HOUR >= night.service_start_hour
    shifted = (t_rem // DAY + next_day) * DAY + night.service_start_hour * HOUR + morning
    t_rem = np.where(quiet, shifted, t_rem)
    delay = t_rem - created[unpaid]
    hour = (t_rem % DAY) // HOUR
    channel = choice(rng, np.array([REMINDER_CHANNEL_SHARES[label] for label in CONTACT_CHANNELS]), k)
    # The planted pattern; a missing delay means "not reminded".
    draws = np.vstack([rng.random((2, k)), rng.exponential(1.0, (2, k))])
    outcome = response.outcome(
        delay=np.where(reminded, delay, np.nan).astype(float),
        hour=hour,
        channel=np.array(CONTACT_CHANNELS, dtype=object)[channel],
        base=base,
        repeat=repeat,
        draws=draws,
        auto_close_seconds=AUTO_CLOSE_SECONDS,
    )
    pays = outcome.pays
    wait = created[unpaid] + np.nan_to_num(outcome.pay_after, nan=0.0).astype(np.int64)
    # Buyers who never pay either cancel or the order closes after 72 hours.
    cancel = rng.random(k) < CANCEL_SHARE
    close_t = np.where(
        cancel,
        created[unpaid] + uniform_seconds(rng, 10 * MINUTE, 24 * HOUR, k),
        created[unpaid] + AUTO_CLOSE_SECONDS,
    )
    paid[unpaid[pays]] = wait[pays]
    closed = np.full(m, -1, np.int64)
    close_reason = np.full(m, -1, np.int64)
    nopay = ~pays
    closed[unpaid[nopay]] = close_t[nopay]
    close_reason[unpaid[nopay]] = np.where(cancel[nopay], _CANCELLED, _AUTO_CLOSED)
    # A reminder only happens while the order is still open.
    end_open = np.where(pays, wait, close_t)
    has_rem = outcome.reminded & (t_rem < end_open) & (t_rem < calendar.end)
    reminders = ReminderRecords(
        order=unpaid[has_rem],
        time=t_rem[has_rem],
        channel=channel[has_rem],
        reason=reason[has_rem],
        paid_after=pays[has_rem] & (wait[has_rem] < calendar.end),
    )
    return Payments(paid=paid, closed=closed, close_reason=close_reason, reminders=reminders)


def make_logistics(rng: np.random.Generator, payments: Payments, calendar: Calendar) -> Logistics:
    """Shipping (slower after a promotion) and confirmation (by the buyer or after 10 days).

    Parameters
    ----------
    rng : numpy.random.Generator
        The ``logistics`` stream.
    payments : Payments
        When each order was paid.
    calendar : Calendar
        The promotions' shipping delays.

    Returns
    -------
    Logistics
        Shipping and confirmation times.
    """
    paid = payments.paid
    m = len(paid)
    is_paid = paid >= 0
    rush = calendar.shipping_delay_factor[calendar.day_of(np.maximum(paid, 0))]
    delay = np.clip(np.exp(rng.normal(np.log(MEDIAN_SHIPPING_SECONDS), 0.5, m)) * rush, HOUR, 96 * HOUR)
    shipped = np.where(is_paid, paid + delay.astype(np.int64), -1)
    receive = shipped + uniform_seconds(rng, 36 * HOUR, 5 * DAY, m)
    confirms = rng.random(m) < CONFIRM_SHARE
    confirm_t = receive + rng.exponential(DAY, m).astype(np.int64)
    auto = shipped + AUTO_CONFIRM_SECONDS
    finished = np.where(is_paid, np.where(confirms, np.minimum(confirm_t, auto), auto), -1)
    return Logistics(shipped=shipped, finished=finished, shipping_delay=delay)


def finalise_orders(
    end: int,
    items: Items,
    payments: Payments,
    logistics: Logistics,
    refunds: Refunds,
) -> OrderTimeline:
    """Close orders refunded in full; cut every timestamp at the end of the period.

    Parameters
    ----------
    end : int
        End of the period, seconds.
    items : Items
        The order lines.
    payments : Payments
        Payment and closing.
    logistics : Logistics
        Shipping and confirmation.
    refunds : Refunds
        The after-sales requests.

    Returns
    -------
    OrderTimeline
        The final timestamps and status of every order.
    """
    m = len(payments.paid)
    refund_order = refunds.order
    full = refunds.succeeded & (refunds.quantity == items.quantity[refunds.line])
    lines_per_order = np.bincount(items.order, minlength=m)
    full_per_order = np.bincount(refund_order[full], minlength=m)
    last_refund = np.full(m, -1, np.int64)
    np.maximum.at(last_refund, refund_order[full], refunds.finished[full])
    refunded = (full_per_order == lines_per_order) & (last_refund >= 0)
    # Refunded before the trade was finished → the trade closes instead.
    finished = logistics.finished
    closes = refunded & ((last_refund < finished) | (finished < 0))
    closed = np.where(closes, last_refund, payments.closed)
    close_reason = np.where(closes, _REFUNDED, payments.close_reason)
    finished = np.where(closes, -1, finished)
    shipped = np.where(closes & (last_refund < logistics.shipped), -1, logistics.shipped)
    paid, shipped, finished, closed = (
        np.where(t < end, t, -1) for t in (payments.paid, shipped, finished, closed)
    )
    close_reason = np.where(closed >= 0, close_reason, -1)
    status = np.full(m, _WAITING, np.int64)
    status[paid >= 0] = _PAID
    status[shipped >= 0] = _SHIPPED
    status[finished >= 0] = _FINISHED
    status[closed >= 0] = _CLOSED
    return OrderTimeline(
        paid=paid, shipped=shipped, finished=finished, closed=closed, close_reason=close_reason, status=status
    )
