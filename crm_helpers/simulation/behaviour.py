"""Behaviour events (浏览/加购/收藏) -- before purchases, and without one.

Draws from the ``events`` stream only.
"""

from __future__ import annotations

from typing import NamedTuple

import numpy as np

from ..vocabulary import EVENT_TYPES
from ._draws import DAY, HOUR, MINUTE, choice, uniform_seconds
from .calendar import Calendar
from .customers import Customers
from .inputs import ShopData
from .trade import Items, Orders

__all__ = ["Events", "make_events"]

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
    keep = keep[np.argsort(t[keep], kind="stable")]
    return Events(customer=cust[keep], product=prod[keep], event_type=etype[keep], time=t[keep])
