"""The members: who they are (profile, names) and how they will buy.

Draws from the ``customers`` stream only.  Planted here: heavy-tailed spending
(:class:`~crm_helpers.patterns.SpendPattern`), the repurchase cycle of consumables
(:class:`~crm_helpers.patterns.RepurchasePattern`), churn
(:class:`~crm_helpers.patterns.ChurnPattern`) and the problem customers
(:class:`~crm_helpers.patterns.ProblemCustomerPattern`).
"""

from __future__ import annotations

import math
from typing import NamedTuple

import numpy as np
import pandas as pd

from ..patterns import Patterns
from ._draws import DAY, HOUR, choice, uniform_seconds
from .calendar import Calendar
from .inputs import ShopData

__all__ = ["Customers", "make_customers"]

#: Members registered evenly over this many days before the period and during it.
MEMBERSHIP_BEFORE_DAYS = 730
FEMALE_SHARE = 0.72
AGE_MEAN, AGE_SD, AGE_RANGE = 31, 6.5, (18, 60)
#: Mean days from registering to the first purchase.
FIRST_PURCHASE_DAYS = 20
#: Share of members with a two-character given name (others: one character).
TWO_CHARACTER_NAMES = 0.75
NICKNAME_NUMBERS = 100_000  # member names end with a number below this
#: Usual share of orders with a coupon: uniform from this range (problem customers: more).
COUPON_USE_RANGE = (0.05, 0.35)
#: ``first_order`` of a member who never bought.
NEVER = np.iinfo(np.int64).min
#: Log-normal spread of the order rate of members who buy only small-value goods.
SMALL_ORDER_SPREAD = 0.35


class Customers(NamedTuple):
    """One value per member, in registration (= id) order."""

    # profile
    registered: np.ndarray  # seconds (negative: before the period)
    female: np.ndarray
    age: np.ndarray
    region: np.ndarray  # row of regions.csv
    channel: np.ndarray  # row of channels.csv
    birthday: np.ndarray  # datetime64[D]
    name: np.ndarray  # 姓名
    member_name: np.ndarray  # 会员名, unique
    # buying behaviour
    is_buyer: np.ndarray
    order_rate: np.ndarray  # orders a year
    basket_size: np.ndarray  # × the usual quantity per line
    first_purchase: np.ndarray  # seconds, not before 0
    first_order: np.ndarray  # seconds of the very first purchase (maybe before the period), -1: never
    bought_before: np.ndarray  # first purchase before the period
    active_end: np.ndarray  # buys until then (churn or the end of the period)
    favourite: np.ndarray  # row of products.csv
    on_cycle: np.ndarray  # follows the favourite's repurchase cycle
    coupon_share: np.ndarray  # chance to use a coupon on an order
    refund_multiplier: np.ndarray  # × the category's refund probability
    small_orders: np.ndarray  # buys only small-value goods, often (SmallOrderPattern)


def make_customers(
    rng: np.random.Generator, n: int, calendar: Calendar, data: ShopData, patterns: Patterns
) -> Customers:
    """Draw ``n`` members: profile, names and buying behaviour.

    Parameters
    ----------
    rng : numpy.random.Generator
        The ``customers`` stream.
    n : int
        Number of members.
    calendar : Calendar
        The period.
    data : ShopData
        The shipped tables.
    patterns : Patterns
        The planted patterns (spend, repurchase, churn, problem customers).

    Returns
    -------
    Customers
        The members.
    """
    end = calendar.end
    # Members registered evenly over the two years before the period and during it, so
    # with 365 days two thirds of them predate the period; ids follow the registration order.
    registered = np.sort(uniform_seconds(rng, -MEMBERSHIP_BEFORE_DAYS * DAY, end, n))
    female = rng.random(n) < FEMALE_SHARE
    age = np.clip(np.rint(rng.normal(AGE_MEAN, AGE_SD, n)), *AGE_RANGE).astype(np.int64)
    region = choice(rng, data.regions["weight"].to_numpy(), n)
    channel = choice(rng, data.channels["weight"].to_numpy(), n)
    # Spending: how many orders a year (heavy-tailed) and how much per order.
    spend = patterns.spend
    is_buyer = rng.random(n) < spend.buyer_share
    order_rate = np.exp(rng.normal(np.log(spend.median_orders_per_year), spend.orders_spread, n))
    basket_size = np.exp(rng.normal(0.0, spend.basket_spread, n))
    # First purchase a few weeks after joining; buying stops after a lifetime (churn).
    # Members who joined before the period may already have stopped before it began.
    first = registered + 2 * HOUR + rng.exponential(FIRST_PURCHASE_DAYS * DAY, n).astype(np.int64)
    lifetime_days = patterns.churn.mean_lifetime_days
    if math.isinf(lifetime_days):  # churn off: the same draws, nobody stops
        rng.exponential(DAY, n)
        active_end = np.full(n, end, np.int64)
    else:
        lifetime = rng.exponential(lifetime_days * DAY, n).astype(np.int64)
        active_end = np.minimum(first + lifetime, end)
    products = data.products
    favourite = choice(rng, products["popularity"].to_numpy(float), n)
    cycle = products["repurchase_cycle_days"].to_numpy()
    on_cycle = ~np.isnan(cycle[favourite]) & (rng.random(n) < patterns.repurchase.share_on_cycle)
    # A few negative-value customers: coupons on every order, refunds on most.
    problem_pattern = patterns.problem_customers
    problem = rng.random(n) < problem_pattern.share
    coupon_share = np.where(problem, problem_pattern.coupon_share, rng.uniform(*COUPON_USE_RANGE, n))
    refund_multiplier = np.where(problem, problem_pattern.refund_multiplier, 1.0)
    # Members who buy only small-value goods (补差价、邮费、试用装), often, and keep doing so.
    small_pattern = patterns.small_orders
    small = (rng.random(n) < small_pattern.share) & ~problem
    small_rate = small_pattern.orders_per_year * np.exp(rng.normal(0.0, SMALL_ORDER_SPREAD, n))
    is_buyer = is_buyer | small
    order_rate = np.where(small, small_rate, order_rate)
    on_cycle &= ~small
    coupon_share = np.where(small, 0.0, coupon_share)
    active_end = np.where(small, end, active_end)
    # Birthdays consistent with the age on the last day of the period.
    days_old = age * 365.25 + rng.uniform(0, 364, n)
    last_day = np.datetime64(calendar.start.to_datetime64(), "D") + calendar.days
    birthday = last_day - days_old.astype("timedelta64[D]")
    name = _real_names(rng, female, data)
    member_name = _member_names(rng, n, data.nickname_parts)
    return Customers(
        registered=registered,
        female=female,
        age=age,
        region=region,
        channel=channel,
        birthday=birthday,
        name=name,
        member_name=member_name,
        is_buyer=is_buyer,
        order_rate=order_rate,
        basket_size=basket_size,
        first_purchase=np.maximum(first, 0),
        first_order=np.where(is_buyer & (first < active_end), first, NEVER),
        bought_before=first < 0,
        active_end=active_end,
        favourite=favourite,
        on_cycle=on_cycle,
        coupon_share=coupon_share,
        refund_multiplier=refund_multiplier,
        small_orders=small,
    )


def _real_names(rng: np.random.Generator, female: np.ndarray, data: ShopData) -> np.ndarray:
    """Real names (姓名): a surname by frequency, one or two characters by gender."""
    n = len(female)
    chars = data.given_name_chars
    fem, male = np.array(list(chars["女"]), object), np.array(list(chars["男"]), object)
    size = min(len(fem), len(male))
    # NumPy adds object (str) arrays element by element in C: fast, no Python loop.
    surnames = data.surnames
    surname = surnames["surname"].to_numpy(object)[choice(rng, surnames["weight"].to_numpy(), n)]
    i, j = rng.integers(0, size, n), rng.integers(0, size, n)
    first = np.where(female, fem[i], male[i])
    second = np.where(female, fem[j], male[j])
    two = rng.random(n) < TWO_CHARACTER_NAMES
    return surname + np.where(two, first + second, first)


def _member_names(rng: np.random.Generator, n: int, parts: pd.DataFrame) -> np.ndarray:
    """Unique member names (会员名) such as 甜甜果果2831: prefix + noun + number."""
    prefix = parts.loc[parts["kind"] == "prefix", "text"].to_numpy(object)
    noun = parts.loc[parts["kind"] == "noun", "text"].to_numpy(object)
    combos = (prefix[:, None] + noun[None, :]).ravel()
    if len(set(combos)) < len(combos):  # e.g. 小小+鱼 and 小+小鱼 would read the same
        raise ValueError("nickname_parts.csv 里有两种前缀+名词的组合拼出了同一个昵称，请修改数据文件。")
    space = len(combos) * NICKNAME_NUMBERS
    code = rng.integers(0, space, n)
    for _ in range(100):  # member names must be unique: redraw the few collisions
        dup = pd.Series(code).duplicated().to_numpy()
        if not dup.any():
            break
        code[dup] = rng.integers(0, space, int(dup.sum()))
    combo, number = np.divmod(code, NICKNAME_NUMBERS)
    digits = np.array([str(i) for i in range(NICKNAME_NUMBERS)], dtype=object)  # a lookup beats astype(str)
    return combos[combo] + digits[number]
