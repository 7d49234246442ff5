"""After-sales: refunds (退款/退货/换货), reviews (评价) and complaints (投诉).

Refunds draw from the ``refunds`` stream, reviews from ``reviews``, complaints from
``complaints``.  Planted here: refund reasons and rates by category
(:class:`~crm_helpers.patterns.RefundReasonPattern`) and the problem customers' refunds
(:class:`~crm_helpers.patterns.ProblemCustomerPattern`, through the customers' refund
multiplier).
"""

from __future__ import annotations

from typing import NamedTuple

import numpy as np

from ..patterns import RefundReasonPattern
from ..vocabulary import COMPLAINT_TYPES, REVIEW_RATINGS
from ._draws import DAY, HOUR, MINUTE, choice, group_choice, uniform_seconds
from .customers import Customers
from .inputs import ShopData
from .trade import Amounts, Items, Logistics, Orders, OrderTimeline, Payments

__all__ = ["Complaints", "Refunds", "Reviews", "make_complaints", "make_refunds", "make_reviews"]

MAX_REFUND_PROBABILITY = 0.9
#: Share of single-line 拍错/不想要了 refunds asked for before shipping.
BEFORE_SHIPPING_SHARE = 0.7
#: Share of finished refunds that succeed (the rest are closed); exchanges always finish.
REFUND_SUCCESS_SHARE = 0.9
#: Share of multi-piece lines refunded only in part.
PARTIAL_SHARE = 0.3
#: Share of finished orders whose buyer writes a review.
REVIEW_SHARE = 0.45
#: Cumulative chance of 差评, then of 中评 or worse: after a refund, and otherwise.
RATING_THRESHOLDS = {"refunded": (0.25, 0.45), "other": (0.025, 0.07)}
#: Complaint chance of a paid order: a base, plus after a refund, plus after slow shipping.
COMPLAINT_CHANCE = {"base": 0.004, "refund": 0.08, "slow_shipping": 0.03}
SLOW_SHIPPING_SECONDS = 48 * HOUR
#: Complaint types when not about slow shipping; after slow shipping it is 物流问题 with
#: SLOW_SHIPPING_COMPLAINT chance.
COMPLAINT_TYPE_SHARES = {
    "商品质量": 0.35,
    "服务态度": 0.2,
    "物流问题": 0.0,
    "虚假宣传": 0.1,
    "售后处理": 0.35,
}
SLOW_SHIPPING_COMPLAINT = 0.7
_LOGISTICS_COMPLAINT = COMPLAINT_TYPES.index("物流问题")
_GOOD, _NEUTRAL, _BAD = (REVIEW_RATINGS.index(label) for label in ("好评", "中评", "差评"))


class Refunds(NamedTuple):
    """One value per after-sales request applied for within the period (unsorted)."""

    line: np.ndarray  # order line
    order: np.ndarray
    refund_type: np.ndarray  # label of REFUND_TYPES
    reason_group: np.ndarray  # label of REFUND_REASON_GROUPS
    reason: np.ndarray
    applied: np.ndarray
    finished: np.ndarray  # -1: still open at the end
    status: np.ndarray  # label of REFUND_STATUSES
    quantity: np.ndarray
    amount: np.ndarray

    @property
    def succeeded(self) -> np.ndarray:
        """Whether the money went back (退款成功)."""
        return self.status == "退款成功"


class Reviews(NamedTuple):
    """One value per review, by time."""

    order: np.ndarray
    rating: np.ndarray  # index into REVIEW_RATINGS
    time: np.ndarray


class Complaints(NamedTuple):
    """One value per complaint, by time."""

    order: np.ndarray
    complaint_type: np.ndarray  # index into COMPLAINT_TYPES
    time: np.ndarray
    resolved: np.ndarray  # -1: still open at the end


def make_refunds(
    rng: np.random.Generator,
    end: int,
    orders: Orders,
    items: Items,
    amounts: Amounts,
    payments: Payments,
    logistics: Logistics,
    customers: Customers,
    data: ShopData,
    pattern: RefundReasonPattern,
) -> Refunds:
    """Which paid lines are refunded, why, when, how much, and how it ended.

    Parameters
    ----------
    rng : numpy.random.Generator
        The ``refunds`` stream.
    end : int
        End of the period, seconds.
    orders, items, amounts, payments, logistics : trade steps
        The orders, lines, amounts, payment and shipping times.
    customers : Customers
        The members (refund multiplier of problem customers).
    data : ShopData
        The shipped tables (categories, refund reasons).
    pattern : RefundReasonPattern
        Whether reasons and rates depend on the category.

    Returns
    -------
    Refunds
        The requests applied for before ``end``.
    """
    cats = data.products["category"].to_numpy()
    order = items.order
    paid = payments.paid
    cat = cats[items.product]
    rates = data.categories["refund_probability"]
    if pattern.rates_by_category:
        product_rate = rates.loc[cats].to_numpy()
    else:  # every category at the mean rate
        product_rate = np.full(len(cats), rates.mean())
    p = product_rate[items.product]
    p = np.clip(p * customers.refund_multiplier[orders.customer[order]], 0, MAX_REFUND_PROBABILITY)
    lines = np.flatnonzero((paid[order] >= 0) & (rng.random(len(order)) < p))
    # Reason by category (apparel mostly size → exchange).
    reasons = data.refund_reasons.sort_values("category", kind="stable").reset_index(drop=True)
    if pattern.reasons_by_category:
        line_groups, table_groups = cat[lines], reasons["category"].to_numpy()
    else:  # one pool of reasons for every category
        line_groups, table_groups = np.zeros(len(lines)), np.zeros(len(reasons))
    row = group_choice(rng, line_groups, table_groups, reasons["weight"].to_numpy(float))
    rtype = reasons["refund_type"].to_numpy()[row]
    reason = reasons["reason"].to_numpy()[row]
    o = order[lines]
    k = len(lines)
    single = np.bincount(order, minlength=len(paid))[o] == 1
    before_ship = (reason == "拍错/不想要了") & single & (rng.random(k) < BEFORE_SHIPPING_SHARE)
    applied = np.where(
        before_ship,
        paid[o] + uniform_seconds(rng, 10 * MINUTE, 6 * HOUR, k),
        logistics.shipped[o] + uniform_seconds(rng, 2 * DAY, 9 * DAY, k),
    )
    quick = rtype == "仅退款"
    finished = applied + np.where(
        quick, uniform_seconds(rng, 30 * MINUTE, 48 * HOUR, k), uniform_seconds(rng, 3 * DAY, 8 * DAY, k)
    )
    status = np.where(
        rtype == "换货", "换货完成", np.where(rng.random(k) < REFUND_SUCCESS_SHARE, "退款成功", "退款关闭")
    )
    qty_line = items.quantity[lines]
    partial = (qty_line > 1) & (rng.random(k) < PARTIAL_SHARE)
    qty = np.where(partial, 1 + (rng.random(k) * (qty_line - 1)).astype(np.int64), qty_line)
    goods, payment = amounts.goods[o], amounts.payment[o]
    share = np.where(goods > 0, payment / np.maximum(goods, 0.01), 0)
    amount = np.where(rtype == "换货", 0.0, np.floor(items.unit_price[lines] * qty * share * 100) / 100)
    keep = applied < end
    done = finished < end
    return Refunds(
        line=lines[keep],
        order=o[keep],
        refund_type=rtype[keep],
        reason_group=reasons["reason_group"].to_numpy()[row][keep],
        reason=reason[keep],
        applied=applied[keep],
        finished=np.where(done, finished, -1)[keep],
        status=np.where(done, status, "处理中")[keep],
        quantity=qty[keep],
        amount=amount[keep],
    )


def make_reviews(rng: np.random.Generator, end: int, timeline: OrderTimeline, refunds: Refunds) -> Reviews:
    """Reviews of finished orders (worse after a refund).

    Parameters
    ----------
    rng : numpy.random.Generator
        The ``reviews`` stream.
    end : int
        End of the period, seconds.
    timeline : OrderTimeline
        The orders' final timestamps.
    refunds : Refunds
        The after-sales requests.

    Returns
    -------
    Reviews
        The reviews written before ``end``, by time.
    """
    done = np.flatnonzero(timeline.finished >= 0)
    had_refund = np.zeros(len(timeline.finished), bool)
    had_refund[refunds.order] = True
    writes = done[rng.random(len(done)) < REVIEW_SHARE]
    bad = had_refund[writes]
    u = rng.random(len(writes))
    (refunded_bad, refunded_neutral), (other_bad, other_neutral) = (
        RATING_THRESHOLDS["refunded"],
        RATING_THRESHOLDS["other"],
    )
    rating = np.where(
        bad,
        np.select([u < refunded_bad, u < refunded_neutral], [_BAD, _NEUTRAL], _GOOD),
        np.select([u < other_bad, u < other_neutral], [_BAD, _NEUTRAL], _GOOD),
    )
    t = timeline.finished[writes] + uniform_seconds(rng, 0, 3 * DAY, len(writes))
    keep = t < end
    idx = np.argsort(t[keep], kind="stable")
    return Reviews(order=writes[keep][idx], rating=rating[keep][idx], time=t[keep][idx])


def make_complaints(
    rng: np.random.Generator, end: int, timeline: OrderTimeline, logistics: Logistics, refunds: Refunds
) -> Complaints:
    """Complaints about paid orders (more after a refund or slow shipping).

    Parameters
    ----------
    rng : numpy.random.Generator
        The ``complaints`` stream.
    end : int
        End of the period, seconds.
    timeline : OrderTimeline
        The orders' final timestamps.
    logistics : Logistics
        Shipping delays.
    refunds : Refunds
        The after-sales requests.

    Returns
    -------
    Complaints
        The complaints made before ``end``, by time.
    """
    paid = np.flatnonzero(timeline.paid >= 0)
    had_refund = np.zeros(len(timeline.paid), bool)
    had_refund[refunds.order] = True
    slow = logistics.shipping_delay[paid] > SLOW_SHIPPING_SECONDS
    p = (
        COMPLAINT_CHANCE["base"]
        + COMPLAINT_CHANCE["refund"] * had_refund[paid]
        + COMPLAINT_CHANCE["slow_shipping"] * slow
    )
    who = paid[rng.random(len(paid)) < p]
    slow_w = logistics.shipping_delay[who] > SLOW_SHIPPING_SECONDS
    ctype = np.where(
        slow_w & (rng.random(len(who)) < SLOW_SHIPPING_COMPLAINT),
        _LOGISTICS_COMPLAINT,
        choice(rng, np.array([COMPLAINT_TYPE_SHARES[label] for label in COMPLAINT_TYPES]), len(who)),
    )
    shipped = timeline.shipped[who]
    base = np.where(shipped >= 0, shipped, timeline.paid[who])
    t = base + uniform_seconds(rng, DAY, 6 * DAY, len(who))
    resolved = t + uniform_seconds(rng, 2 * HOUR, 4 * DAY, len(who))
    keep = t < end
    idx = np.argsort(t[keep], kind="stable")
    return Complaints(
        order=who[keep][idx],
        complaint_type=ctype[keep][idx],
        time=t[keep][idx],
        resolved=np.where(resolved < end, resolved, -1)[keep][idx],
    )
