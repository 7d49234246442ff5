"""Behaviour events (浏览/加购/收藏) -- before purchases, and without one -- and the
成长值 (growth value) members earn.

Events draw from the ``events`` stream only, growth value from ``growth``.
"""

from __future__ import annotations

from typing import NamedTuple

import numpy as np

from ..vocabulary import EVENT_TYPES, GROWTH_SOURCES
from ._draws import DAY, HOUR, MINUTE, choice, stable_order, uniform_seconds
from .after_sales import Reviews
from .calendar import Calendar
from .customers import Customers
from .inputs import ShopData
from .trade import Amounts, Items, Orders, OrderTimeline

__all__ = ["GROWTH_POINTS", "Events", "Growth", "make_events", "make_growth"]

#: Share of bought lines added to the cart first, added to favourites first.
CART_SHARE, FAVOURITE_SHARE = 0.35, 0.08
#: Events without a purchase, as a share of the bought lines (+ a few in a tiny shop).
UNBOUGHT_SHARE, UNBOUGHT_EXTRA = 0.5, 10
#: Types of those events.
UNBOUGHT_TYPE_SHARES = {"浏览": 0.6, "加购": 0.25, "收藏": 0.15}
_BROWSE, _CART, _FAVOURITE = (EVENT_TYPES.index(label) for label in ("浏览", "加购", "收藏"))


class Events(NamedTuple):
    """One value per event within the period, by time."""

    customer: np.ndarray
    product: np.ndarray  # row of products.csv
    event_type: np.ndarray  # index into EVENT_TYPES
    time: np.ndarray


def make_events(
    rng: np.random.Generator,
    calendar: Calendar,
    customers: Customers,
    orders: Orders,
    items: Items,
    data: ShopData,
) -> Events:
    """Browsing before every bought line, some carts and favourites, and events without a purchase.

    Parameters
    ----------
    rng : numpy.random.Generator
        The ``events`` stream.
    calendar : Calendar
        The period and its rhythm.
    customers : Customers
        The members (registration times).
    orders, items : trade steps
        The orders and their lines.
    data : ShopData
        The shipped tables (product popularity).

    Returns
    -------
    Events
        The events, by time.
    """
    o = items.order
    t_o = orders.created[o]
    n_line = len(o)
    browse_t = t_o - uniform_seconds(rng, MINUTE, 3 * HOUR, n_line)
    cart = rng.random(n_line) < CART_SHARE
    fav = rng.random(n_line) < FAVOURITE_SHARE
    cart_t = t_o[cart] - uniform_seconds(rng, MINUTE, 2 * HOUR, int(cart.sum()))
    fav_t = t_o[fav] - uniform_seconds(rng, 10 * MINUTE, 5 * DAY, int(fav.sum()))
    # Browsing, carts and favourites that did not (yet) lead to a purchase.
    # Drawn in time order (sorted uniforms through the rhythm's inverse CDF), each by a
    # customer already registered then; runs of sorted times make the final sort cheap.
    n_extra = int(UNBOUGHT_SHARE * n_line) + UNBOUGHT_EXTRA
    gaps = rng.exponential(1.0, n_extra + 1).cumsum()
    t_x = calendar.times_at(gaps[:-1] / gaps[-1] * calendar.slot_cdf[-1])
    n_reg = np.searchsorted(customers.registered, t_x, side="right")
    ok = n_reg > 0
    t_x, n_reg = t_x[ok], n_reg[ok]
    n_extra = len(t_x)
    cust_x = (rng.random(n_extra) * n_reg).astype(np.int64)
    prod_x = choice(rng, data.products["popularity"].to_numpy(float), n_extra)
    type_x = choice(rng, np.array([UNBOUGHT_TYPE_SHARES[label] for label in EVENT_TYPES]), n_extra)
    cust = np.concatenate([orders.customer[o], orders.customer[o[cart]], orders.customer[o[fav]], cust_x])
    prod = np.concatenate([items.product, items.product[cart], items.product[fav], prod_x])
    etype = np.concatenate([
        np.full(n_line, _BROWSE), np.full(int(cart.sum()), _CART), np.full(int(fav.sum()), _FAVOURITE), type_x,
    ])  # fmt: skip
    t = np.concatenate([browse_t, cart_t, fav_t, t_x])
    keep = np.flatnonzero((t >= 0) & (t < calendar.end))
    keep = keep[stable_order(t[keep])]
    return Events(customer=cust[keep], product=prod[keep], event_type=etype[keep], time=t[keep])


#: 成长值 (growth value) earned per source -- the course's own rule (seed 003 gives the levels
#: but not how growth value is earned): 1 point per 元 of a finished trade, 5 per check-in,
#: 10 per review, 100 once for completing the profile.
GROWTH_POINTS = {"交易": 1, "签到": 5, "评价": 10, "完善信息": 100}
#: Share of members who check in (签到) at all, their median check-ins a year and its spread.
CHECK_IN_SHARE, CHECK_IN_MEDIAN_PER_YEAR, CHECK_IN_SPREAD = 0.3, 4.0, 0.8
#: Share of members who complete their profile (完善信息), mean days after registering.
PROFILE_SHARE, PROFILE_MEAN_DAYS = 0.6, 3.0
_TRADE, _CHECK_IN, _REVIEW, _PROFILE = (
    GROWTH_SOURCES.index(label) for label in ("交易", "签到", "评价", "完善信息")
)


class Growth(NamedTuple):
    """One value per 成长值 record within the period, by time."""

    customer: np.ndarray
    source: np.ndarray  # index into GROWTH_SOURCES
    points: np.ndarray
    time: np.ndarray
    order: np.ndarray  # the order (交易, 评价), -1 otherwise


def make_growth(
    rng: np.random.Generator,
    calendar: Calendar,
    customers: Customers,
    orders: Orders,
    amounts: Amounts,
    timeline: OrderTimeline,
    reviews: Reviews,
) -> Growth:
    """成长值 records: finished trades, check-ins, reviews and completed profiles.

    Parameters
    ----------
    rng : numpy.random.Generator
        The ``growth`` stream.
    calendar : Calendar
        The period and its rhythm.
    customers : Customers
        The members (registration times).
    orders, amounts, timeline : trade steps
        The orders, their payment and when they were finished (交易成功).
    reviews : Reviews
        Every review earns growth value.

    Returns
    -------
    Growth
        The records, by time.
    """
    n = len(customers.registered)
    end = calendar.end
    # 交易: 1 point per whole 元 paid, when the trade is finished.
    done = np.flatnonzero(timeline.finished >= 0)
    # 签到: some members check in now and then while they are members.
    since = np.maximum(customers.registered, 0)
    checks = rng.random(n) < CHECK_IN_SHARE
    rate = CHECK_IN_MEDIAN_PER_YEAR * np.exp(rng.normal(0.0, CHECK_IN_SPREAD, n))
    k = np.where(checks & (since < end), rng.poisson(rate * np.maximum(end - since, 0) / (365 * DAY)), 0)
    who = np.repeat(np.arange(n), k)
    check_t = calendar.sample_times(rng, since[who], np.full(len(who), end))
    # 完善信息: once, a few days after registering.
    profile = rng.random(n) < PROFILE_SHARE
    profile_t = customers.registered + rng.exponential(PROFILE_MEAN_DAYS * DAY, n).astype(np.int64)
    profile = np.flatnonzero(profile & (profile_t >= 0) & (profile_t < end))
    customer = np.concatenate([orders.customer[done], who, orders.customer[reviews.order], profile])
    source = np.concatenate([
        np.full(len(done), _TRADE), np.full(len(who), _CHECK_IN),
        np.full(len(reviews.order), _REVIEW), np.full(len(profile), _PROFILE),
    ])  # fmt: skip
    points = np.concatenate([
        np.floor(amounts.payment[done]).astype(np.int64), np.full(len(who), GROWTH_POINTS["签到"]),
        np.full(len(reviews.order), GROWTH_POINTS["评价"]), np.full(len(profile), GROWTH_POINTS["完善信息"]),
    ])  # fmt: skip
    time = np.concatenate([timeline.finished[done], check_t, reviews.time, profile_t[profile]])
    order = np.concatenate([done, np.full(len(who), -1), reviews.order, np.full(len(profile), -1)])
    keep = np.flatnonzero((time >= 0) & (time < end))
    keep = keep[stable_order(time[keep])]
    return Growth(
        customer=customer[keep], source=source[keep], points=points[keep], time=time[keep], order=order[keep]
    )
