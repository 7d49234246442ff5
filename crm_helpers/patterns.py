"""The patterns planted in the simulated shop, as named knobs (模拟网店里“埋好”的规律).

The simulated shop (:func:`crm_helpers.simulate_store`) is random, but not *only* random:
each lesson finds a pattern that was put there on purpose.  Every such pattern is one frozen
dataclass here, with its numbers as documented fields; the fields of :class:`Patterns`, with
the lessons (and seed teaching plans) they serve, are:

* ``conversion`` -- faster first response → more buyers order (接待, 询单转化率; seed 002);
* ``response_times`` -- slower answers late in the evening and at noon, a slowest agent per seed (响应时间, 排班; seed 002);
* ``spend`` -- heavy-tailed spending, the top 20 % bring most (客户价值, RFM);
* ``repurchase`` -- consumables bought again on their cycle (回购, 关怀);
* ``churn`` -- customers stop buying after a while (流失预警, 关怀);
* ``refund_reasons`` -- refund reasons and rates differ by category (售后; seed 004);
* ``reminder_response`` -- buyers pay by themselves or after a 催付, which works best 10 分钟-6 小时
  after the order and never loses to not reminding (催付; seed 001 No.4);
* ``problem_customers`` -- a few negative-value customers (客户价值);
* ``red_packet_fraud`` -- 小陈 raises her own 红包 limit and tips herself (子账号与权限; seed 000);
  every other seed has its own culprit and story;
* ``rhythm`` -- the daily and weekly rhythm of orders (接待高峰, 排班);
* ``promotions`` -- 双11, 618, 双12 and 春节 (大促接待, 发货时效);
* ``night_service`` -- no human service at night, 店小蜜 answers some chats, no 催付 and no
  back-office work at night (千牛工作台, 响应时间, 店小蜜);
* ``small_orders`` -- members who buy only small-value goods, often (小额交易活跃, 人群分析).

:class:`Patterns` bundles them; the defaults reproduce the lesson shop exactly.  Each
pattern has ``off()`` (a version in which the effect vanishes), and :meth:`Patterns.none`
switches every pattern off.  A teacher who wants, say, a shop without the fraud writes::

    from crm_helpers import simulate_store
    from crm_helpers.patterns import Patterns

    shop = simulate_store(3000, 365, seed=2025, patterns=Patterns().without("red_packet_fraud"))

Switching a pattern off keeps every random stream as it was (a switched-off step still
makes its draws), so what does not depend on that pattern stays identical: without the
fraud, for example, customers, orders and chats are exactly those of the lesson shop.

The reminder response model is also used by :mod:`crm_helpers.payment_reminders` for its
strategy simulation (:meth:`ReminderResponsePattern.outcome`, the same code as the
simulator's): :func:`reminder_response_probability` and the constants :data:`DELAY_FACTORS`,
:data:`NIGHT_FACTOR`, :data:`PHONE_FACTOR`, :data:`UNREMINDED_FACTOR` and
:data:`MAX_PAY_PROBABILITY` live here and are re-exported there.

Importing the module only defines the classes and constants: it reads no file and builds no shop.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field, fields, replace
from typing import Any, NamedTuple

import numpy as np

from ._validation import check_fraction, check_int, check_number, check_text
from .vocabulary import CONTACT_CHANNELS

__all__ = [
    "DELAY_BUCKETS",
    "DELAY_BUCKET_LIMITS",
    "DELAY_FACTORS",
    "LESSON_SEED",
    "MAX_PAY_PROBABILITY",
    "NIGHT_FACTOR",
    "PAY_AFTER_REMINDER_MINUTES",
    "PHONE_FACTOR",
    "REPEAT_SELF_PAY_FACTOR",
    "REPEAT_SELF_PAY_HOURS",
    "SELF_PAY_HOURS",
    "STOCK_UP_SHARE",
    "UNREMINDED_FACTOR",
    "ChurnPattern",
    "ConversionPattern",
    "NightServicePattern",
    "Patterns",
    "ProblemCustomerPattern",
    "Promotion",
    "PromotionPattern",
    "RedPacketFraudPattern",
    "RefundReasonPattern",
    "ReminderOutcome",
    "ReminderResponsePattern",
    "RepurchasePattern",
    "ResponseTimePattern",
    "RhythmPattern",
    "SmallOrderPattern",
    "SpendPattern",
    "reminder_response_probability",
]

_HOUR = 3600
_DAY = 86400
#: The seed of the lesson shop (:func:`crm_helpers.load_store`): its stories are the seeds' own.
LESSON_SEED = 2025


def _set(obj: Any, name: str, value: Any) -> None:
    """Store a checked value on a frozen dataclass (in ``__post_init__``)."""
    object.__setattr__(obj, name, value)


def _check_numbers(
    obj: Any,
    *,
    fractions: tuple[str, ...] = (),
    non_negative: tuple[str, ...] = (),
    positive: tuple[str, ...] = (),
    whole: dict[str, int] | None = None,
) -> None:
    """Check and store the named fields of ``obj``: shares 0-1, numbers ≥ 0 or > 0, whole numbers ≥ a minimum."""
    cls = type(obj).__name__
    for name in fractions:
        _set(obj, name, check_fraction(getattr(obj, name), f"{cls}.{name}"))
    for name in non_negative:
        _set(obj, name, check_number(getattr(obj, name), f"{cls}.{name}", 0))
    for name in positive:
        _set(obj, name, check_number(getattr(obj, name), f"{cls}.{name}", 0, strict=True))
    for name, minimum in (whole or {}).items():
        _set(obj, name, check_int(getattr(obj, name), f"{cls}.{name}", minimum=minimum))


def _check_weights(obj: Any, name: str, length: int, *, positive_total: bool = True) -> None:
    """Turn ``obj.<name>`` into a tuple of ``length`` non-negative floats (with a positive sum)."""
    value = getattr(obj, name)
    label = f"{type(obj).__name__}.{name}"
    if isinstance(value, (str, bytes)) or not hasattr(value, "__len__"):
        raise TypeError(f"参数 {label} 应该是 {length} 个数字的列表或元组，收到的是 {value!r}。")
    if len(value) != length:
        raise ValueError(f"参数 {label} 应该有 {length} 个数字，收到了 {len(value)} 个：{tuple(value)!r}。")
    numbers = tuple(check_number(v, label, 0) for v in value)
    if positive_total and sum(numbers) <= 0:
        raise ValueError(f"参数 {label} 的数字不能全是 0（它们是相对权重），收到的是 {numbers!r}。")
    _set(obj, name, numbers)


def _check_flags(obj: Any, *names: str) -> None:
    """Check that the named fields of ``obj`` are True or False."""
    for name in names:
        value = getattr(obj, name)
        if not isinstance(value, (bool, np.bool_)):
            raise TypeError(f"参数 {type(obj).__name__}.{name} 应该是 True 或 False，收到的是 {value!r}。")
        _set(obj, name, bool(value))


def _check_range(obj: Any, name: str, minimum: float = 0.0) -> None:
    """Turn ``obj.<name>`` into a ``(low, high)`` pair of floats with ``minimum <= low <= high``."""
    value = getattr(obj, name)
    label = f"{type(obj).__name__}.{name}"
    if isinstance(value, (str, bytes)) or not hasattr(value, "__len__") or len(value) != 2:
        raise TypeError(f"参数 {label} 应该是两个数字 (最小值, 最大值)，收到的是 {value!r}。")
    low, high = (check_number(v, label, minimum) for v in value)
    if low > high:
        raise ValueError(f"参数 {label} 的最小值 {low:g} 不能大于最大值 {high:g}。")
    _set(obj, name, (low, high))


# ---- response speed → conversion (seed 002: 询单转化率) -------------------------------------------


@dataclass(frozen=True)
class ConversionPattern:
    """The slower the first response, the fewer inquiring buyers order (响应越快，转化越高).

    A pre-sale inquiry answered after ``s`` seconds turns into an order with probability
    ``clip(intercept - slope × ln(1 + s / scale_seconds), floor, ceiling)``; with the
    defaults about 78 % at 5 s, 67 % at 30 s and 50 % at 3 minutes.  Lessons: 询单转化率,
    首次响应时间 and the agents' comparison (the fastest agent converts best).

    Parameters
    ----------
    intercept : float, default 0.82
        Conversion of an instant answer (before the floor and ceiling).
    slope : float, default 0.11
        How much conversion falls per unit of ``ln(1 + s / scale_seconds)``; **0 switches
        the pattern off** (every inquiry converts with ``intercept``).
    scale_seconds : float, default 10.0
        Seconds after which slowness starts to hurt noticeably.
    floor, ceiling : float, default 0.05 and 0.95
        The probability stays within ``[floor, ceiling]``.
    """

    intercept: float = 0.82
    slope: float = 0.11
    scale_seconds: float = 10.0
    floor: float = 0.05
    ceiling: float = 0.95

    def __post_init__(self) -> None:
        _check_numbers(
            self,
            fractions=("intercept", "floor", "ceiling"),
            non_negative=("slope",),
            positive=("scale_seconds",),
        )
        if self.floor > self.ceiling:
            raise ValueError(
                f"ConversionPattern.floor（{self.floor:g}）不能大于 ConversionPattern.ceiling（{self.ceiling:g}）。"
            )

    @classmethod
    def off(cls) -> ConversionPattern:
        """Every inquiry converts with the same chance (0.6), however fast the answer."""
        return cls(intercept=0.6, slope=0.0)

    def probability(self, seconds: np.ndarray) -> np.ndarray:
        """The chance that an inquiry answered after ``seconds`` leads to an order."""
        return np.clip(
            self.intercept - self.slope * np.log1p(seconds / self.scale_seconds), self.floor, self.ceiling
        )


@dataclass(frozen=True)
class ResponseTimePattern:
    """First responses are slower late in the evening and at lunch time (晚间、午休响应慢).

    Each agent has a median first-response time (``agents.csv``); a chat's time is that
    median × the load of its hour (× the service load of a promotion day, see
    :class:`Promotion`) × a log-normal spread.  On every seed but the lesson shop's, the
    serving 客服's medians are shuffled among them (a different slowest agent per seed).
    Nights (0:00-7:59) have no human service at all: see :class:`NightServicePattern`.
    Lessons: 首次响应时间 by hour, 排班.

    Parameters
    ----------
    night_load : float, default 3.0
        Load factor from 22:00 to 23:59 (the last agent on duty answers everyone); **1 is off**.
    noon_load : float, default 1.4
        Load factor from 12:00 to 12:59 (lunch break); **1 is off**.
    spread : float, default 0.75
        Standard deviation of the log-normal spread around the agent's median.
    agents_by_seed : bool, default True
        Shuffle the 客服's median response times by seed (the lesson seed keeps ``agents.csv``);
        False keeps ``agents.csv`` on every seed.
    """

    night_load: float = 3.0
    noon_load: float = 1.4
    spread: float = 0.75
    agents_by_seed: bool = True

    def __post_init__(self) -> None:
        _check_numbers(self, positive=("night_load", "noon_load"), non_negative=("spread",))
        _check_flags(self, "agents_by_seed")

    @classmethod
    def off(cls) -> ResponseTimePattern:
        """Answers are as fast late in the evening and at noon as during the rest of the day."""
        return cls(night_load=1.0, noon_load=1.0)


@dataclass(frozen=True)
class NightServicePattern:
    """No human service at night: 店小蜜 answers some chats, the others wait for the morning (夜间无人值守).

    From 0:00 to ``service_start_hour`` no agent is on duty: a chat started then is answered
    by 店小蜜 (the assistant bot; ``chats.answered_by`` = 店小蜜, no agent, a first response of
    ``bot_response_seconds``) with probability ``bot_share``, otherwise it waits for the
    morning shift (its first response is counted from the start of the chat, so it is long).
    No 催付 is sent from ``quiet_start_hour`` to ``service_start_hour`` (a reminder that would
    fall then is sent the next morning, as :mod:`crm_helpers.payment_reminders`' night
    22:00-08:00), and the main account does its back-office work (新建员工, 设置限额) only
    within ``office_hours`` -- so night activity in the audit log stays suspicious.
    Lessons: 千牛工作台 (nobody is on duty at night), 响应时间, 店小蜜, 催付.

    Parameters
    ----------
    service_start_hour : int, default 8
        Human service starts at this hour; **0 is off** (agents answer around the clock).
    bot_share : float, default 0.6
        Share of the night chats 店小蜜 answers.
    bot_response_seconds : int, default 2
        店小蜜's first response.
    quiet_start_hour : int, default 22
        No 催付 from this hour to ``service_start_hour`` (the next morning).
    office_hours : (int, int), default (9, 18)
        The main account works from the first hour to the second (excluded); (0, 24) is off.
    """

    service_start_hour: int = 8
    bot_share: float = 0.6
    bot_response_seconds: int = 2
    quiet_start_hour: int = 22
    office_hours: tuple[int, int] = (9, 18)

    def __post_init__(self) -> None:
        _check_numbers(
            self,
            fractions=("bot_share",),
            whole={"service_start_hour": 0, "bot_response_seconds": 1, "quiet_start_hour": 0},
        )
        for name in ("service_start_hour", "quiet_start_hour"):
            if getattr(self, name) > 24:
                raise ValueError(
                    f"NightServicePattern.{name} 应该是 0 到 24 的整点，收到的是 {getattr(self, name)}。"
                )
        _check_range(self, "office_hours")
        low, high = self.office_hours
        if low % 1 or high % 1 or high > 24 or low == high:
            raise ValueError(
                f"NightServicePattern.office_hours 应该是两个 0 到 24 的整点（开始 < 结束），收到的是 {self.office_hours!r}。"
            )
        _set(self, "office_hours", (int(low), int(high)))

    @classmethod
    def off(cls) -> NightServicePattern:
        """Agents answer around the clock, 催付 and back-office work happen at any hour."""
        return cls(service_start_hour=0, bot_share=0.0, quiet_start_hour=24, office_hours=(0, 24))

    def is_quiet(self, hour: np.ndarray) -> np.ndarray:
        """True for hours in which no 催付 is sent."""
        return (hour >= self.quiet_start_hour) | (hour < self.service_start_hour)


# ---- customers: spending, repurchase, churn, problem customers ---------------------------------


@dataclass(frozen=True)
class SpendPattern:
    """Spending is heavy-tailed: the top 20 % of buyers bring most of the sales (二八定律).

    Each customer orders at a rate and buys a basket size (× the usual quantity) drawn
    log-normal around their median.  Lessons: 客户价值, RFM, 会员等级.  In a one-year shop
    most of the concentration comes from consumable buyers' repurchases
    (:class:`RepurchasePattern`): the top fifth of buyers bring about 62 % of the sales,
    53 % without repurchase cycles and 46 % without either.

    Parameters
    ----------
    buyer_share : float, default 0.85
        Share of members who ever buy.
    median_orders_per_year : float, default 1.5
        Median order rate of a buyer.
    orders_spread : float, default 0.95
        Log-normal spread of the order rate; **0 is off** (every buyer has the median rate).
    basket_spread : float, default 0.6
        Log-normal spread of the quantity bought per order; **0 is off**.
    """

    buyer_share: float = 0.85
    median_orders_per_year: float = 1.5
    orders_spread: float = 0.95
    basket_spread: float = 0.6

    def __post_init__(self) -> None:
        _check_numbers(
            self,
            fractions=("buyer_share",),
            positive=("median_orders_per_year",),
            non_negative=("orders_spread", "basket_spread"),
        )

    @classmethod
    def off(cls) -> SpendPattern:
        """Every buyer orders at the same rate and buys the same usual quantity."""
        return cls(orders_spread=0.0, basket_spread=0.0)


@dataclass(frozen=True)
class RepurchasePattern:
    """Consumables (纸尿裤, 湿巾, 零食 …) are bought again on their repurchase cycle (回购周期).

    A customer whose favourite product has a ``repurchase_cycle_days`` (``products.csv``)
    follows the cycle with probability ``share_on_cycle``: one order every cycle × a factor
    drawn from ``gap_range`` (a little late on average), the favourite product first in it.
    Lessons: 回购周期, 关怀提醒.

    Parameters
    ----------
    share_on_cycle : float, default 0.75
        Share of consumable buyers who follow the cycle; **0 is off**.
    gap_range : (float, float), default (0.9, 1.35)
        A gap between two cycle orders is the cycle × a uniform factor from this range.
    other_shopping_factor : float, default 0.3
        Cycle buyers' other (random) orders, as a share of their usual order rate.
    favourite_share : float, default 0.97
        Chance that a cycle order starts with the favourite product.
    """

    share_on_cycle: float = 0.75
    gap_range: tuple[float, float] = (0.9, 1.35)
    other_shopping_factor: float = 0.3
    favourite_share: float = 0.97

    def __post_init__(self) -> None:
        _check_numbers(
            self, fractions=("share_on_cycle", "favourite_share"), non_negative=("other_shopping_factor",)
        )
        _check_range(self, "gap_range")
        if self.gap_range[0] <= 0:
            raise ValueError(
                f"RepurchasePattern.gap_range 的最小值必须大于 0，收到的是 {self.gap_range[0]:g}。"
            )

    @classmethod
    def off(cls) -> RepurchasePattern:
        """Nobody follows a repurchase cycle: consumables are bought at random times."""
        return cls(share_on_cycle=0.0)


@dataclass(frozen=True)
class ChurnPattern:
    """Customers stop buying after a while (客户流失).

    From the first purchase, each customer buys for an exponential lifetime with mean
    ``mean_lifetime_days`` and then never again.  Lessons: 流失预警, 沉睡客户, 关怀.

    Parameters
    ----------
    mean_lifetime_days : float, default 300.0
        Mean buying lifetime in days; **``math.inf`` is off** (nobody churns).
    """

    mean_lifetime_days: float = 300.0

    def __post_init__(self) -> None:
        _check_numbers(self, positive=("mean_lifetime_days",))

    @classmethod
    def off(cls) -> ChurnPattern:
        """Nobody churns: every buyer keeps buying until the end of the period."""
        return cls(mean_lifetime_days=math.inf)


@dataclass(frozen=True)
class ProblemCustomerPattern:
    """A few negative-value customers: a coupon on every order, refunds on most (负价值客户).

    Lessons: 客户价值 (a customer can cost more than they bring), 黑名单.

    Parameters
    ----------
    share : float, default 0.03
        Share of members who are problem customers; **0 is off**.
    coupon_share : float, default 0.9
        Chance that a problem customer uses a coupon on an order (others: 5 %-35 %).
    refund_multiplier : float, default 7.0
        A problem customer's refund probability is the category's × this (at most 0.9).
    """

    share: float = 0.03
    coupon_share: float = 0.9
    refund_multiplier: float = 7.0

    def __post_init__(self) -> None:
        _check_numbers(self, fractions=("share", "coupon_share"), non_negative=("refund_multiplier",))

    @classmethod
    def off(cls) -> ProblemCustomerPattern:
        """No problem customers."""
        return cls(share=0.0)


@dataclass(frozen=True)
class SmallOrderPattern:
    """Some members buy only small-value goods, often (小额交易活跃: 补差价、邮费链接、试用装).

    A share of the members buy nothing but the shop's small-value goods (``products.csv``
    rows priced at most ``max_price`` 元: 补差价链接, 邮费补拍, 试用装 …), one piece per order,
    without coupons, at ``orders_per_year`` orders a year (log-normal, spread 0.35).  Over
    two years most of them pay 5-50 元 in 10-100 orders: seed 000's "小额交易活跃" crowd.
    Lessons: 人群分析, 客户分群.

    Parameters
    ----------
    share : float, default 0.02
        Share of the members who buy this way; **0 is off**.
    orders_per_year : float, default 9.0
        Their median order rate.
    max_price : float, default 5.0
        Goods priced at most this (元) are the small-value goods.
    """

    share: float = 0.02
    orders_per_year: float = 9.0
    max_price: float = 5.0

    def __post_init__(self) -> None:
        _check_numbers(self, fractions=("share",), positive=("orders_per_year", "max_price"))

    @classmethod
    def off(cls) -> SmallOrderPattern:
        """Nobody buys only small-value goods (they are still bought now and then)."""
        return cls(share=0.0)


# ---- after-sales ------------------------------------------------------------------------------


@dataclass(frozen=True)
class RefundReasonPattern:
    """Refund reasons and refund rates differ by category (童装: 尺码不合适 → 换货).

    With the pattern on, a refunded line's reason is drawn from its category's rows of
    ``refund_reasons.csv`` and its refund probability is its category's
    ``refund_probability`` (``categories.csv``).  Lessons: 售后原因分析 (seed 004).

    Parameters
    ----------
    reasons_by_category : bool, default True
        **False is off** for reasons: every category draws from all rows of
        ``refund_reasons.csv`` together.
    rates_by_category : bool, default True
        **False is off** for rates: every category gets the mean of the categories'
        refund probabilities.
    """

    reasons_by_category: bool = True
    rates_by_category: bool = True

    def __post_init__(self) -> None:
        _check_flags(self, "reasons_by_category", "rates_by_category")

    @classmethod
    def off(cls) -> RefundReasonPattern:
        """Reasons and refund rates are the same for every category."""
        return cls(reasons_by_category=False, rates_by_category=False)


# ---- 催付: the reminder response model --------------------------------------------------------

#: 催付时距 (time from order to reminder) buckets; the upper bounds are 10 分钟 (excluded),
#: 6 小时 and 24 小时 (both included): ``<10分钟`` is ``[0, 10 min)``, ``10分钟-6小时`` is
#: ``[10 min, 6 h]``, ``6-24小时`` is ``(6 h, 24 h]`` and ``>24小时`` is longer.
DELAY_BUCKETS = ("<10分钟", "10分钟-6小时", "6-24小时", ">24小时")
#: Share of consumable buyers who stock up (囤货) on a festival with ``stock_up_days``.
STOCK_UP_SHARE = 0.7
#: The bucket bounds of :data:`DELAY_BUCKETS`, in seconds.
DELAY_BUCKET_LIMITS = (600, 6 * _HOUR, 24 * _HOUR)
#: How the chance to pay after a reminder changes with the 催付时距 bucket (× the reason's
#: pay probability): too early and too late are worse.
DELAY_FACTORS = (0.5, 1.0, 0.6, 0.35)
#: A reminder between 0:00 and 7:59 disturbs the buyer: the chance is halved.
NIGHT_FACTOR = 0.5
_NIGHT_END_HOUR = 8
#: A phone call (电话) works a little better than 千牛 or 短信.
PHONE_FACTOR = 1.15
#: Without a reminder a 一般买家 still pays by himself with this share of the reason's pay
#: probability …
UNREMINDED_FACTOR = 0.45
#: … about this many hours after the order on average (exponential wait).
SELF_PAY_HOURS = 8.0
#: A 两次以上购买的买家 (repeat buyer) knows the shop: he pays by himself more often …
REPEAT_SELF_PAY_FACTOR = 0.8
#: … and later (mean hours after the order), which is why 表4.1 waits 48 hours for him.
REPEAT_SELF_PAY_HOURS = 30.0
#: Mean minutes from a reminder to the payment.
PAY_AFTER_REMINDER_MINUTES = 40.0
#: No buyer pays for sure.
MAX_PAY_PROBABILITY = 0.95


class ReminderOutcome(NamedTuple):
    """催付的结果：谁付款、何时付款、是否真的催了 (what happens to each unpaid order under the model)."""

    pays: np.ndarray  # paid before the auto-close
    pay_after: np.ndarray  # seconds from the order to the payment (NaN: never paid)
    reminded: np.ndarray  # the reminder happened (the order was still unpaid and open then)


@dataclass(frozen=True)
class ReminderResponsePattern:
    """催付后买家付款的概率 (the chance that an unpaid order is paid, with or without a reminder).

    The model has two parts.  **By himself** a buyer pays with probability
    原因的付款概率 × ``unreminded_factor`` (两次以上购买的买家: × ``repeat_self_pay_factor``),
    after an exponential wait of mean ``self_pay_hours`` (repeat buyers: ``repeat_self_pay_hours``);
    a buyer who pays before the planned reminder is not reminded.  **A reminder** then
    convinces a buyer who would *not* have paid by himself with probability ::

        原因的付款概率 × 时距系数 × 夜间系数 × 电话系数   (at most max_pay_probability)

    and a buyer who would have paid later pays soon after the reminder instead.  So a
    reminder never makes a buyer pay *less* often: reminding (per 表4.1 or otherwise) never
    loses to not reminding, for any buyer group, and its timing decides how much it
    gains.  Buyers pay ``pay_after_reminder_minutes`` after a reminder on average, and only
    before the auto-close.  The reason's pay probability is ``pay_probability`` in
    ``unpaid_reasons.csv``.  Lessons: 催付 (seed 001 No.4: 催付时间, 催付工具, 总结优化表) and
    :func:`crm_helpers.payment_reminders.simulate_reminder_strategy` (the same model).

    Parameters
    ----------
    delay_factors : tuple of 4 floats, default (0.5, 1.0, 0.6, 0.35)
        时距系数 for the buckets of :data:`DELAY_BUCKETS` (<10分钟, 10分钟-6小时, 6-24小时, >24小时).
    night_factor : float, default 0.5
        夜间系数 for a reminder from 0:00 to 7:59.
    phone_factor : float, default 1.15
        电话系数 (千牛 and 短信: 1).
    unreminded_factor : float, default 0.45
        Share of the reason's pay probability with which a 一般买家 pays by himself.
    self_pay_hours : float, default 8.0
        Mean hours from the order to a 一般买家's own payment.
    repeat_self_pay_factor : float, default 0.8
        The same share for a 两次以上购买的买家.
    repeat_self_pay_hours : float, default 30.0
        Mean hours from the order to a repeat buyer's own payment.
    pay_after_reminder_minutes : float, default 40.0
        Mean minutes from a reminder to the payment.
    max_pay_probability : float, default 0.95
        No buyer pays for sure.

    :meth:`off` makes a reminder change nothing: when, how, or whether (every buyer pays
    by himself, or not at all, exactly as without a reminder).
    """

    delay_factors: tuple[float, float, float, float] = DELAY_FACTORS
    night_factor: float = NIGHT_FACTOR
    phone_factor: float = PHONE_FACTOR
    unreminded_factor: float = UNREMINDED_FACTOR
    self_pay_hours: float = SELF_PAY_HOURS
    repeat_self_pay_factor: float = REPEAT_SELF_PAY_FACTOR
    repeat_self_pay_hours: float = REPEAT_SELF_PAY_HOURS
    pay_after_reminder_minutes: float = PAY_AFTER_REMINDER_MINUTES
    max_pay_probability: float = MAX_PAY_PROBABILITY

    def __post_init__(self) -> None:
        _check_weights(self, "delay_factors", len(DELAY_BUCKETS), positive_total=False)
        _check_numbers(
            self,
            non_negative=("night_factor", "phone_factor", "unreminded_factor", "repeat_self_pay_factor"),
            positive=("self_pay_hours", "repeat_self_pay_hours", "pay_after_reminder_minutes"),
            fractions=("max_pay_probability",),
        )

    @classmethod
    def off(cls) -> ReminderResponsePattern:
        """Reminders change nothing: every buyer pays by himself, or not, as without a reminder."""
        return cls(
            delay_factors=(0.0, 0.0, 0.0, 0.0),
            night_factor=1.0,
            phone_factor=1.0,
            pay_after_reminder_minutes=1e9,
        )

    def pay_probability(
        self, delay: np.ndarray, hour: np.ndarray, channel: np.ndarray, base: np.ndarray
    ) -> np.ndarray:
        """The reminder part on checked arrays of one shape (``NaN`` delay: not reminded).

        For a reminded order: the chance that a buyer who would not have paid by himself
        pays after the reminder; for an order not reminded: the 一般买家's chance to pay by himself.
        """
        reminded = ~np.isnan(delay)
        a, b, c = DELAY_BUCKET_LIMITS
        f0, f1, f2, f3 = self.delay_factors
        timing = np.select([delay < a, delay <= b, delay <= c], [f0, f1, f2], f3)
        hour_num = np.where(reminded, hour, 12).astype(float)
        timing = (
            timing
            * np.where(hour_num < _NIGHT_END_HOUR, self.night_factor, 1.0)
            * np.where(channel == "电话", self.phone_factor, 1.0)
        )
        return np.clip(
            np.where(reminded, base * timing, base * self.unreminded_factor), 0, self.max_pay_probability
        )

    def self_pay_probability(self, base: np.ndarray, repeat: np.ndarray) -> np.ndarray:
        """The chance to pay without any reminder, by buyer group (``repeat``: 两次以上购买的买家)."""
        factor = np.where(repeat, self.repeat_self_pay_factor, self.unreminded_factor)
        return np.clip(base * factor, 0, self.max_pay_probability)

    def pay_chance(
        self, delay: np.ndarray, hour: np.ndarray, channel: np.ndarray, base: np.ndarray, repeat: np.ndarray
    ) -> np.ndarray:
        """The chance to pay at all (before the auto-close wait is considered).

        Not reminded (``NaN`` delay): the chance to pay by himself ``q``; reminded:
        ``q + (1 - q) × the reminder part`` -- never less than ``q``.
        """
        own = self.self_pay_probability(base, repeat)
        reminded = ~np.isnan(delay)
        convinced = self.pay_probability(np.where(reminded, delay, 0.0), hour, channel, base)
        return np.where(reminded, own + (1 - own) * convinced, own)

    def outcome(
        self,
        *,
        delay: np.ndarray,
        hour: np.ndarray,
        channel: np.ndarray,
        base: np.ndarray,
        repeat: np.ndarray,
        draws: np.ndarray,
        auto_close_seconds: float,
    ) -> ReminderOutcome:
        """Who pays, when, and whether the reminder happened (the whole model, vectorised).

        Parameters
        ----------
        delay : numpy.ndarray
            Seconds from the order to the planned reminder; ``NaN`` for no reminder.
        hour, channel, base, repeat : numpy.ndarray
            Hour and tool of the reminder, the reason's pay probability, 两次以上购买的买家.
        draws : numpy.ndarray
            Shape ``(4, n)``: two uniforms (pays by himself? convinced by the reminder?) and
            two unit exponentials (his own wait, the wait after a reminder).
        auto_close_seconds : float
            The order closes unpaid this long after it was placed.

        Returns
        -------
        ReminderOutcome
            ``pays``, ``pay_after`` (seconds after the order) and ``reminded``.
        """
        u_self, u_reminder, own_wait, reminder_wait = draws
        self_after = own_wait * np.where(repeat, self.repeat_self_pay_hours, self.self_pay_hours) * _HOUR
        pays_himself = (u_self < self.self_pay_probability(base, repeat)) & (self_after < auto_close_seconds)
        planned = ~np.isnan(delay) & (np.nan_to_num(delay, nan=np.inf) < auto_close_seconds)
        reminded = planned & ~(pays_himself & (self_after <= np.nan_to_num(delay, nan=np.inf)))
        after_reminder = (
            np.nan_to_num(delay, nan=np.inf) + reminder_wait * self.pay_after_reminder_minutes * 60
        )
        convinced = self.pay_probability(np.where(reminded, delay, 0.0), hour, channel, base)
        convinced = (
            reminded & ~pays_himself & (u_reminder < convinced) & (after_reminder < auto_close_seconds)
        )
        nudged = reminded & pays_himself
        pay_after = np.where(
            nudged,
            np.minimum(self_after, after_reminder),
            np.where(pays_himself, self_after, np.where(convinced, after_reminder, np.nan)),
        )
        return ReminderOutcome(pays=pays_himself | convinced, pay_after=pay_after, reminded=reminded)


def reminder_response_probability(
    delay_seconds: Any, hour: Any, channel: Any, base_probability: Any
) -> float | np.ndarray:
    """催付后买家付款的概率：模拟网店使用的模型 (the chance to pay after a reminder, as simulated).

    This is the pattern planted in the simulated shop (:func:`crm_helpers.simulate_store`
    uses the same model, :class:`ReminderResponsePattern` with its defaults), not a fact
    about real shops::

        概率 = 原因的付款概率 × 时距系数 × 夜间系数 × 电话系数   (at most 0.95)

    * 时距系数 (:data:`DELAY_FACTORS`) by the time from order to reminder: <10分钟 0.5 (too
      early, the buyer feels pushed), 10分钟-6小时 1.0, 6-24小时 0.6, >24小时 0.35 (too late,
      the buyer has bought elsewhere or forgotten); 6 h and 24 h belong to the shorter bucket;
    * 夜间系数 :data:`NIGHT_FACTOR` = 0.5 for a reminder from 0:00 to 7:59;
    * 电话系数 :data:`PHONE_FACTOR` = 1.15 for 电话 (千牛 and 短信: 1).

    With a reminder, this is the chance that a buyer who would **not** have paid by himself
    pays after it (a buyer who would have paid anyway still pays, sooner: see
    :class:`ReminderResponsePattern`, so reminding never loses to not reminding).  A missing
    delay (``NaN``) means *no reminder*: a 一般买家 still pays by himself with the reason's
    probability × :data:`UNREMINDED_FACTOR` (0.45); ``hour`` and ``channel`` are then ignored.

    Parameters
    ----------
    delay_seconds : float or array-like
        Seconds from the order to the reminder (≥ 0), ``NaN`` for no reminder.
    hour : int or array-like
        Hour of the reminder, 0-23.
    channel : str or array-like
        催付工具: ``"千牛"``, ``"短信"`` or ``"电话"``.
    base_probability : float or array-like
        The reason's pay probability, 0-1 (column ``pay_probability`` of
        ``crm_helpers/data/unpaid_reasons.csv``).

    Returns
    -------
    float or numpy.ndarray
        The probabilities (a float when every argument is a single value).

    Raises
    ------
    ValueError
        For a negative delay, an hour outside 0-23, an unknown tool or a probability outside 0-1.

    Examples
    --------
    >>> reminder_response_probability(3600, 14, "千牛", 0.5)      # 1 h after, at 14:00
    0.5
    >>> reminder_response_probability(3600, 3, "电话", 0.5)       # at 3:00 at night, by phone
    0.2875
    >>> reminder_response_probability([120, 30 * 3600], [14, 14], "千牛", 0.8).round(2)
    array([0.4 , 0.28])
    """
    scalar = all(np.ndim(x) == 0 for x in (delay_seconds, hour, channel, base_probability))
    try:
        delay, hour_, channel_, base = np.broadcast_arrays(
            np.asarray(delay_seconds, dtype=float),
            np.asarray(hour),
            np.asarray(channel, dtype=object),
            np.asarray(base_probability, dtype=float),
        )
    except (TypeError, ValueError) as exc:
        raise ValueError(
            "reminder_response_probability 的参数应该是数字（或一样长的数组）：delay_seconds 秒数、"
            f"hour 0-23 点、channel 工具名称、base_probability 0-1 的概率。（{exc}）"
        ) from exc
    reminded = ~np.isnan(delay)
    if (delay[reminded] < 0).any():
        raise ValueError(f"delay_seconds（催付时距，秒）不能是负数，收到了 {delay[reminded].min():g}。")
    hours = hour_[reminded]
    if not np.issubdtype(hours.dtype, np.number) or ((hours < 0) | (hours > 23) | (hours % 1 != 0)).any():
        bad = next(
            h for h in hours.tolist() if not (isinstance(h, (int, float)) and 0 <= h <= 23 and h % 1 == 0)
        )
        raise ValueError(f"hour（催付时刻）应该是 0 到 23 的整点，收到了 {bad!r}。")
    known = np.zeros(int(reminded.sum()), bool)
    for name in CONTACT_CHANNELS:
        known |= channel_[reminded] == name
    if not known.all():
        bad = channel_[reminded][~known][0]
        raise ValueError(f"channel（催付工具）只能是 {'、'.join(CONTACT_CHANNELS)} 之一，收到了 {bad!r}。")
    if np.isnan(base).any() or (base < 0).any() or (base > 1).any():
        bad = base[np.isnan(base) | (base < 0) | (base > 1)][0]
        raise ValueError(f"base_probability（原因的付款概率）应该在 0 到 1 之间，收到了 {bad:g}。")
    p = ReminderResponsePattern().pay_probability(delay, hour_, channel_, base)
    return float(p) if scalar else p


# ---- staff: the 红包 fraud --------------------------------------------------------------------


@dataclass(frozen=True)
class RedPacketFraudPattern:
    """One agent raised her own 红包 limit at night and tipped herself thousands of times.

    Seed 000 (子账号与权限): 小陈 changes her own daily 红包 limit from her sub-account at
    ``limit_change_time`` on the day at ``start_fraction`` of the period, then sends
    ``packets`` 红包 of ``amount_range`` 元 to ``accounts`` accounts of her own over at
    most ``max_days`` days, mostly at night.  Lessons: 子账号权限, 操作日志, 红包预警.

    The lesson shop (seed :data:`LESSON_SEED`) tells exactly this story.  Every other seed
    tells its own (``story_by_seed``, :meth:`for_seed`): another 客服, another new limit,
    night, change time, amount range, packet count and receiving accounts, drawn from the
    seed, so homework on another seed cannot be answered from the lesson.

    Parameters
    ----------
    agent : str, default "小陈"
        Nickname of the agent (a row of ``agents.csv``).
    packets : int, default 2063
        Number of fraudulent 红包; **0 is off** (no fraud, no limit change in the log).
    start_fraction : float, default 0.691
        When the fraud starts, as a share of the period (in the two-year lesson shop:
        2025-05-20).
    max_days : int, default 5
        The fraud lasts at most this many days.
    limit_change_time : int, default 10033
        Seconds after midnight at which she changes the limit (02:47:13).
    new_limit : float, default 100000.0
        The daily limit she sets (enough for what follows).
    hours : tuple of int, default (0, 1, 2, 3, 4, 5, 23)
        Hours in which she sends them …
    hour_weights : tuple of float, default (0.2, 0.2, 0.18, 0.15, 0.12, 0.05, 0.1)
        … with these probabilities (they must add up to 1).
    accounts : int, default 3
        Accounts of her own (members who never buy) that receive them.
    amount_range : (float, float), default (110.0, 199.99)
        Amount of one 红包 in 元 (uniform, rounded to the fen).
    story_by_seed : bool, default True
        On a seed other than :data:`LESSON_SEED`, draw the story from the seed
        (:meth:`for_seed`); False keeps the fields above on every seed.
    """

    agent: str = "小陈"
    packets: int = 2063
    start_fraction: float = 0.691
    max_days: int = 5
    limit_change_time: int = 2 * _HOUR + 47 * 60 + 13
    new_limit: float = 100000.0
    hours: tuple[int, ...] = (0, 1, 2, 3, 4, 5, 23)
    hour_weights: tuple[float, ...] = (0.2, 0.2, 0.18, 0.15, 0.12, 0.05, 0.1)
    accounts: int = 3
    amount_range: tuple[float, float] = (110.0, 199.99)
    story_by_seed: bool = True

    def __post_init__(self) -> None:
        _set(self, "agent", check_text(self.agent, "RedPacketFraudPattern.agent"))
        _check_flags(self, "story_by_seed")
        _check_numbers(
            self,
            fractions=("start_fraction",),
            non_negative=("new_limit",),
            whole={"packets": 0, "max_days": 1, "limit_change_time": 0, "accounts": 1},
        )
        change = self.limit_change_time
        if change >= _DAY:
            raise ValueError(
                f"RedPacketFraudPattern.limit_change_time 是当天零点后的秒数，应该小于 86400，收到的是 {change}。"
            )
        if isinstance(self.hours, (str, bytes)) or not hasattr(self.hours, "__len__") or not self.hours:
            raise TypeError(
                f"参数 RedPacketFraudPattern.hours 应该是整点的列表，例如 (0, 1, 23)，收到的是 {self.hours!r}。"
            )
        hours = tuple(check_int(h, "RedPacketFraudPattern.hours", minimum=0) for h in self.hours)
        if max(hours) > 23:
            raise ValueError(f"RedPacketFraudPattern.hours 只能是 0 到 23 的整点，收到了 {max(hours)}。")
        _set(self, "hours", hours)
        _check_weights(self, "hour_weights", len(hours))
        if not math.isclose(sum(self.hour_weights), 1.0):
            raise ValueError(
                f"RedPacketFraudPattern.hour_weights 是概率，加起来应该等于 1，收到的和是 {sum(self.hour_weights):g}。"
            )
        _check_range(self, "amount_range")

    @classmethod
    def off(cls) -> RedPacketFraudPattern:
        """No fraud: every agent keeps to her limit and nobody changes a limit."""
        return cls(packets=0)

    def for_seed(self, seed: int, culprits: tuple[str, ...]) -> RedPacketFraudPattern:
        """The story told by the shop of ``seed``: this one on the lesson seed, else drawn from it.

        Parameters
        ----------
        seed : int
            The shop's seed.
        culprits : tuple of str
            Nicknames of the agents who may be the culprit (the 客服 who answer chats).

        Returns
        -------
        RedPacketFraudPattern
            ``self`` when the story is fixed (lesson seed, ``story_by_seed=False`` or no
            fraud); otherwise a copy with the culprit, new limit, change time, start, night
            hours, amounts, packet count and number of receiving accounts of this seed.
        """
        if seed == LESSON_SEED or not self.story_by_seed or not self.packets or not culprits:
            return self
        rng = np.random.default_rng(np.random.SeedSequence([seed, 8_2025]))
        hours = (23, 0, 1, 2, 3, 4, 5)
        weights = rng.dirichlet(np.ones(len(hours)) * 2)
        low = float(rng.integers(60, 160))
        return replace(
            self,
            agent=str(culprits[int(rng.integers(len(culprits)))]),
            packets=int(rng.integers(1200, 3200)),
            start_fraction=float(np.round(rng.uniform(0.15, 0.85), 3)),
            limit_change_time=int(rng.integers(0, 5 * _HOUR)),
            new_limit=float(rng.choice([20000.0, 50000.0, 66666.0, 88888.0, 100000.0, 200000.0])),
            hours=hours,
            hour_weights=tuple(float(w) for w in weights / weights.sum()),
            accounts=int(rng.integers(2, 7)),
            amount_range=(low, low + float(rng.integers(40, 100)) - 0.01),
        )


# ---- the calendar: daily and weekly rhythm, promotions ----------------------------------------


@dataclass(frozen=True)
class RhythmPattern:
    """The daily and weekly rhythm of orders (一天和一周的购物节奏).

    Orders, inquiries and browsing follow these relative weights (busiest in the evening
    and at the weekend).  Lessons: 接待高峰, 排班.

    Parameters
    ----------
    hour_weights : tuple of 24 floats
        Relative weight of each hour of the day, 0:00 first; **all equal is off**.
    weekday_weights : tuple of 7 floats
        Relative weight of each day of the week, Monday first; **all equal is off**.
    """

    hour_weights: tuple[float, ...] = (
        0.6, 0.3, 0.15, 0.1, 0.08, 0.1, 0.25, 0.5, 0.8, 1.1, 1.4, 1.3,
        1.0, 1.1, 1.3, 1.3, 1.2, 1.0, 1.0, 1.3, 1.6, 1.8, 1.6, 1.1,
    )  # fmt: skip
    weekday_weights: tuple[float, ...] = (1.0, 0.97, 0.97, 1.0, 1.05, 1.12, 1.15)

    def __post_init__(self) -> None:
        _check_weights(self, "hour_weights", 24)
        _check_weights(self, "weekday_weights", 7)

    @classmethod
    def off(cls) -> RhythmPattern:
        """Every hour and every day of the week is alike."""
        return cls(hour_weights=(1.0,) * 24, weekday_weights=(1.0,) * 7)


@dataclass(frozen=True)
class Promotion:
    """One shopping festival or slow period of the calendar (大促或淡季).

    Parameters
    ----------
    name : str
        Its name, e.g. ``"双11"``.
    month, first_day, last_day : int
        The days ``first_day`` to ``last_day`` (included) of ``month``, every year.
    order_factor : float
        Orders on these days × this factor (8.0 on 双11, 0.45 around 春节).
    price_factor : float, default 1.0
        Prices × this factor (0.8: 八折).
    midnight_rush : float, default 1.0
        Orders from 0:00 to 0:59 × this factor (零点抢购).
    service_load : float, default 1.0
        First-response times × this factor (agents are busy).
    shipping_delay_factor : float, default 1.0
        Time to ship an order paid on these days or the day after × this factor.
    stock_up_days : int, default 0
        囤货: a consumable buyer whose next cycle order falls within this many days after the
        festival places it on the festival instead (with probability ``STOCK_UP_SHARE``).
    """

    name: str
    month: int
    first_day: int
    last_day: int
    order_factor: float
    price_factor: float = 1.0
    midnight_rush: float = 1.0
    service_load: float = 1.0
    shipping_delay_factor: float = 1.0
    stock_up_days: int = 0

    def __post_init__(self) -> None:
        _set(self, "name", check_text(self.name, "Promotion.name"))
        _check_numbers(
            self,
            whole={"month": 1, "first_day": 1, "last_day": 1, "stock_up_days": 0},
            positive=(
                "order_factor",
                "price_factor",
                "midnight_rush",
                "service_load",
                "shipping_delay_factor",
            ),
        )
        if self.month > 12:
            raise ValueError(f"Promotion.month（月份）应该是 1 到 12，收到的是 {self.month}。")
        first, last = self.first_day, self.last_day
        if first > last or last > 31:
            raise ValueError(
                f"Promotion {self.name!r} 的日期应该满足 1 ≤ first_day ≤ last_day ≤ 31，收到的是 {first} 到 {last}。"
            )


def _default_promotions() -> tuple[Promotion, ...]:
    return (
        Promotion("双11预热", 11, 1, 10, order_factor=1.6, price_factor=0.9, service_load=1.3),
        Promotion(
            "双11",
            11,
            11,
            11,
            order_factor=16.0,
            price_factor=0.8,
            midnight_rush=6.0,
            service_load=2.5,
            shipping_delay_factor=2.5,
            stock_up_days=30,
        ),  # fmt: skip
        Promotion("双11返场", 11, 12, 12, order_factor=1.6),
        Promotion("618预热", 6, 1, 17, order_factor=1.4, price_factor=0.95),
        Promotion(
            "618",
            6,
            18,
            18,
            order_factor=6.0,
            price_factor=0.85,
            midnight_rush=3.0,
            service_load=1.8,
            stock_up_days=14,
        ),
        Promotion("双12", 12, 12, 12, order_factor=2.5, price_factor=0.88),
        Promotion("春节", 2, 1, 7, order_factor=0.45),  # 春节物流停运前后
    )


@dataclass(frozen=True)
class PromotionPattern:
    """Shopping festivals: 双11 (预热, 零点抢购, 爆单), 618, 双12, and the slow 春节 week.

    Lessons: 大促接待, 响应时间 under load, 发货时效.

    Parameters
    ----------
    promotions : tuple of Promotion
        The festivals (see :class:`Promotion`); **an empty tuple is off** (a shop without
        festivals: no peak, no discount, no rush).
    """

    promotions: tuple[Promotion, ...] = field(default_factory=_default_promotions)

    def __post_init__(self) -> None:
        if isinstance(self.promotions, (str, bytes)) or not hasattr(self.promotions, "__iter__"):
            raise TypeError(
                f"参数 PromotionPattern.promotions 应该是 Promotion 的元组，收到的是 {self.promotions!r}。"
            )
        promotions = tuple(self.promotions)
        for p in promotions:
            if not isinstance(p, Promotion):
                raise TypeError(f"PromotionPattern.promotions 里只能有 Promotion 对象，收到了 {p!r}。")
        _set(self, "promotions", promotions)

    @classmethod
    def off(cls) -> PromotionPattern:
        """No festivals: no 双11 peak, no discounts, no rush."""
        return cls(promotions=())


# ---- all patterns together --------------------------------------------------------------------


@dataclass(frozen=True)
class Patterns:
    """Every pattern planted in the simulated shop (模拟网店里的全部规律).

    Pass it to :func:`crm_helpers.simulate_store` as ``patterns=``; the defaults give the
    lesson shop.  Each field is one pattern (see the module docstring for the lessons).

    Parameters
    ----------
    conversion : ConversionPattern
        Response speed → conversion.
    response_times : ResponseTimePattern
        Slower answers at night and at noon.
    spend : SpendPattern
        Heavy-tailed spending.
    repurchase : RepurchasePattern
        Consumables bought again on their cycle.
    churn : ChurnPattern
        Customers stop buying.
    refund_reasons : RefundReasonPattern
        Refund reasons and rates by category.
    reminder_response : ReminderResponsePattern
        The 催付 response model.
    problem_customers : ProblemCustomerPattern
        Negative-value customers.
    red_packet_fraud : RedPacketFraudPattern
        小陈's 红包 fraud.
    rhythm : RhythmPattern
        The daily and weekly rhythm.
    promotions : PromotionPattern
        双11, 618, 双12 and 春节.
    night_service : NightServicePattern
        No human service, 催付 or back-office work at night; 店小蜜 answers some chats.
    small_orders : SmallOrderPattern
        Members who buy only small-value goods, often.

    Examples
    --------
    >>> from crm_helpers.patterns import ChurnPattern, Patterns
    >>> Patterns().churn.mean_lifetime_days
    300.0
    >>> Patterns(churn=ChurnPattern.off()).churn.mean_lifetime_days
    inf
    >>> Patterns().without("red_packet_fraud").red_packet_fraud.packets
    0
    >>> Patterns.none().conversion.slope
    0.0
    """

    conversion: ConversionPattern = field(default_factory=ConversionPattern)
    response_times: ResponseTimePattern = field(default_factory=ResponseTimePattern)
    spend: SpendPattern = field(default_factory=SpendPattern)
    repurchase: RepurchasePattern = field(default_factory=RepurchasePattern)
    churn: ChurnPattern = field(default_factory=ChurnPattern)
    refund_reasons: RefundReasonPattern = field(default_factory=RefundReasonPattern)
    reminder_response: ReminderResponsePattern = field(default_factory=ReminderResponsePattern)
    problem_customers: ProblemCustomerPattern = field(default_factory=ProblemCustomerPattern)
    red_packet_fraud: RedPacketFraudPattern = field(default_factory=RedPacketFraudPattern)
    rhythm: RhythmPattern = field(default_factory=RhythmPattern)
    promotions: PromotionPattern = field(default_factory=PromotionPattern)
    night_service: NightServicePattern = field(default_factory=NightServicePattern)
    small_orders: SmallOrderPattern = field(default_factory=SmallOrderPattern)

    def __post_init__(self) -> None:
        for f in fields(self):
            value = getattr(self, f.name)
            kind = f.default_factory  # the pattern's class
            if not isinstance(value, kind):
                raise TypeError(
                    f"Patterns.{f.name} 应该是 {kind.__name__} 对象，例如 {kind.__name__}() 或 "
                    f"{kind.__name__}.off()；收到的是 {value!r}（{type(value).__name__}）。"
                )

    @classmethod
    def none(cls) -> Patterns:
        """Every pattern switched off (a shop that is random and nothing else)."""
        return cls().without(*cls.names())

    @classmethod
    def names(cls) -> tuple[str, ...]:
        """The names of the patterns, in the order of the fields."""
        return tuple(f.name for f in fields(cls))

    def without(self, *names: str) -> Patterns:
        """A copy with the named patterns switched off (their ``off()`` version).

        Parameters
        ----------
        *names : str
            Field names, e.g. ``"red_packet_fraud"``, ``"churn"``.

        Returns
        -------
        Patterns
            A new object; this one is unchanged.

        Raises
        ------
        ValueError
            For a name that is not a pattern.
        """
        known = self.names()
        changes = {}
        for name in names:
            if name not in known:
                raise ValueError(f"没有名为 {name!r} 的规律（pattern），只能是以下之一：{'、'.join(known)}。")
            changes[name] = type(getattr(self, name)).off()
        return replace(self, **changes)
