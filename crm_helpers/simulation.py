"""The simulated shop: one call builds every table of a consistent online shop.

``simulate_store(n_customers, days, seed)`` returns a :class:`~crm_helpers.store.Store`
whose tables (customers, products, orders, order_items, chats, events, refunds, reminders,
agents, red_packets, audit_log, complaints, reviews) agree with each other: timestamps
come in order, statuses match the timestamps, refunds never exceed what was bought and
paid, a chat that led to an order belongs to the same customer and comes before it.

Patterns that lessons reveal are planted on purpose (and tested):

* a faster first response gives a higher inquiry conversion;
* spending is heavy-tailed (the top 20 % of buyers bring most of the sales);
* consumables (纸尿裤, 湿巾, 零食 …) are bought again on their repurchase cycle;
* customers churn (stop buying after a while);
* refund reasons differ by category (apparel: size → 换货);
* unpaid orders pay more often when reminded at a sensible time;
* one agent (小陈) raised her own 红包 limit and tipped herself thousands of times;
* a few negative-value customers (heavy coupon use, refunds of almost everything);
* a 双11 peak, a weekly and a daily rhythm; birthdays for care campaigns.

Everything is vectorised with NumPy; randomness comes only from ``numpy.random.Generator``
objects spawned from the seed, one per table, so the same seed gives the same shop on
every machine.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from ._data import read_data_table
from ._validation import check_int, check_seed
from .store import STATUSES, Store

__all__ = ["DEFAULT_SEED", "load_store", "simulate_store"]

DEFAULT_SEED = 2025
DEFAULT_N_CUSTOMERS = 3000
DEFAULT_DAYS = 365
MAX_CUSTOMERS = 5_000_000
MAX_DAYS = 3650

MINUTE = 60
HOUR = 3600
DAY = 86400

# Taobao closes an unpaid order automatically after 72 hours; a shipped order is confirmed
# automatically 10 days after shipping if the buyer does not confirm it.
AUTO_CLOSE_SECONDS = 72 * HOUR
AUTO_CONFIRM_SECONDS = 10 * DAY
# Relative weight of each hour of the day (shoppers are busiest in the evening).
HOUR_WEIGHTS = np.array(
    [0.6, 0.3, 0.15, 0.1, 0.08, 0.1, 0.25, 0.5, 0.8, 1.1, 1.4, 1.3,
     1.0, 1.1, 1.3, 1.3, 1.2, 1.0, 1.0, 1.3, 1.6, 1.8, 1.6, 1.1]
)  # fmt: skip
WEEKDAY_WEIGHTS = np.array([1.0, 0.97, 0.97, 1.0, 1.05, 1.12, 1.15])  # Monday first
COUPONS = np.array([[49, 5], [99, 10], [199, 20], [299, 30], [499, 50]], dtype=float)
STREAMS = (
    "customers", "orders", "items", "payment", "logistics", "refunds", "chats",
    "events", "red_packets", "complaints", "reviews", "reminders",
)  # fmt: skip


def simulate_store(
    n_customers: int = DEFAULT_N_CUSTOMERS,
    days: int = DEFAULT_DAYS,
    seed: int = DEFAULT_SEED,
    *,
    start: str | pd.Timestamp = "2025-01-01",
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

    Returns
    -------
    Store
        The shop, with one DataFrame per table (``store.orders``, ``store.chats`` …).

    Raises
    ------
    TypeError
        If a size or the seed is not a whole number.
    ValueError
        If a size is out of range or ``start`` is not a date.

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
    return _ShopSimulation(n_customers, days, seed, start_ts).run()


def load_store() -> Store:
    """Load the default lesson shop (课程默认店铺): 3000 customers, 365 days, seed 2025.

    Every call builds a fresh copy (it takes a fraction of a second), so changing a table
    in one notebook never changes what ``load_store()`` gives elsewhere.

    Returns
    -------
    Store
        The same shop on every machine.
    """
    return simulate_store(DEFAULT_N_CUSTOMERS, DEFAULT_DAYS, DEFAULT_SEED)


# --------------------------------------------------------------------------------------
# helpers


def _choice(rng: np.random.Generator, weights: np.ndarray, size: int) -> np.ndarray:
    """Indices drawn with probability proportional to ``weights`` (fast inverse CDF)."""
    cdf = np.cumsum(np.asarray(weights, dtype=float))
    return np.searchsorted(cdf, rng.random(size) * cdf[-1], side="right").clip(0, len(cdf) - 1)


def _group_choice(
    rng: np.random.Generator, groups: np.ndarray, table_groups: np.ndarray, weights: np.ndarray
) -> np.ndarray:
    """For each element of ``groups`` pick a row of a table whose group matches, by weight.

    ``table_groups`` must be sorted; returns row indices into the table.
    """
    out = np.empty(len(groups), dtype=np.int64)
    for g in np.unique(groups):
        rows = np.flatnonzero(table_groups == g)
        mask = groups == g
        out[mask] = rows[_choice(rng, weights[rows], int(mask.sum()))]
    return out


def _run_starts(values: np.ndarray) -> np.ndarray:
    """True where a run of equal values begins (works for empty arrays too)."""
    starts = np.ones(len(values), bool)
    starts[1:] = values[1:] != values[:-1]
    return starts


def _uniform_int(rng: np.random.Generator, low, high, size=None) -> np.ndarray:
    """Whole seconds drawn uniformly from [low, high)."""
    return np.floor(rng.uniform(low, high, size)).astype(np.int64)


def _to_datetime(start: pd.Timestamp, seconds: np.ndarray, valid: np.ndarray | None = None):
    """Seconds after ``start`` as a datetime64[s] array; NaT where ``valid`` is False."""
    base = np.datetime64(start.to_datetime64(), "s")
    out = base + seconds.astype("timedelta64[s]")
    if valid is not None:
        out[~valid] = np.datetime64("NaT")
    return out


def _categorical(codes: np.ndarray, categories, ordered: bool = False) -> pd.Categorical:
    return pd.Categorical.from_codes(codes, categories=list(categories), ordered=ordered)


class _ShopSimulation:
    """Builds one shop; each ``_make_*`` method adds one table (in dependency order)."""

    def __init__(self, n_customers: int, days: int, seed: int, start: pd.Timestamp) -> None:
        self.n = n_customers
        self.days = days
        self.seed = seed
        self.start = start
        self.T = days * DAY  # end of the period, in seconds after start ("now")
        children = np.random.SeedSequence(seed).spawn(len(STREAMS))
        self.rng = {name: np.random.default_rng(s) for name, s in zip(STREAMS, children)}
        self.shop = read_data_table("shop").set_index("key")["value"]
        self.products = read_data_table("products")
        self.categories = read_data_table("categories").set_index("category")
        self.agents_data = read_data_table("agents")
        self._build_calendar()

    # ---- calendar ---------------------------------------------------------------------
    def _build_calendar(self) -> None:
        dates = pd.date_range(self.start, periods=self.days, freq="D")
        month, day = dates.month.to_numpy(), dates.day.to_numpy()
        w = WEEKDAY_WEIGHTS[dates.day_of_week.to_numpy()].copy()
        w[(month == 11) & (day <= 10)] *= 1.3  # 双11 预热
        w[(month == 11) & (day == 11)] *= 8.0  # 双11
        w[(month == 11) & (day == 12)] *= 1.6
        w[(month == 6) & (day <= 17)] *= 1.15  # 618 预热
        w[(month == 6) & (day == 18)] *= 3.0  # 618
        w[(month == 12) & (day == 12)] *= 2.5  # 双12
        w[(month == 2) & (day <= 7)] *= 0.45  # 春节物流停运前后
        self.is_double11 = (month == 11) & (day == 11)
        self.promo = np.ones(self.days)
        self.promo[(month == 11) & (day <= 10)] = 0.9
        self.promo[self.is_double11] = 0.8
        self.promo[(month == 6) & (day == 18)] = 0.85
        self.promo[(month == 12) & (day == 12)] = 0.88
        slot = (w[:, None] * HOUR_WEIGHTS[None, :]).copy()
        slot[self.is_double11, 0] *= 6.0  # 双11 零点抢购
        self.slot_weights = slot.ravel()
        self.slot_cdf = np.concatenate([[0.0], np.cumsum(self.slot_weights)])
        self.month_day = (month, day)

    def _cdf_at(self, t: np.ndarray) -> np.ndarray:
        t = np.clip(t, 0, self.T)
        slot = np.minimum(t // HOUR, len(self.slot_weights) - 1)
        return self.slot_cdf[slot] + (t - slot * HOUR) / HOUR * self.slot_weights[slot]

    def _sample_times(self, rng: np.random.Generator, low: np.ndarray, high: np.ndarray):
        """Seconds in [low, high) following the shop's daily, weekly and 双11 rhythm."""
        lo, hi = self._cdf_at(np.asarray(low)), self._cdf_at(np.asarray(high))
        u = lo + rng.random(len(lo)) * (hi - lo)
        slot = np.searchsorted(self.slot_cdf, u, side="right") - 1
        slot = np.clip(slot, 0, len(self.slot_weights) - 1)
        frac = (u - self.slot_cdf[slot]) / self.slot_weights[slot]
        t = (slot * HOUR + frac * HOUR).astype(np.int64)
        return np.clip(t, low, np.maximum(np.asarray(high) - 1, low))

    def _day_of(self, t: np.ndarray) -> np.ndarray:
        return np.clip(t // DAY, 0, self.days - 1)

    # ---- run --------------------------------------------------------------------------
    def run(self) -> Store:
        self._make_customers()
        self._make_orders()
        self._make_items()
        self._make_payments()
        self._make_logistics()
        self._make_refunds()
        self._finalise_orders()
        self._make_chats()
        self._make_events()
        self._make_reviews()
        self._make_complaints()
        self._make_staff()
        return self._assemble()

    # ---- customers --------------------------------------------------------------------
    def _make_customers(self) -> None:
        rng, n = self.rng["customers"], self.n
        # 40 % were members before the period started (up to two years), the rest join
        # during it; ids follow the registration order.
        # Members joined evenly over the two years before the period and during it; ids
        # follow the registration order.
        self.reg = np.sort(_uniform_int(rng, -730 * DAY, self.T, n))
        self.female = rng.random(n) < 0.72
        self.age = np.clip(np.rint(rng.normal(31, 6.5, n)), 18, 60).astype(np.int64)
        self.region = _choice(rng, read_data_table("regions")["weight"].to_numpy(), n)
        self.channel = _choice(rng, read_data_table("channels")["weight"].to_numpy(), n)
        # Spending: how many orders a year (heavy-tailed) and how much per order.
        self.is_buyer = rng.random(n) < 0.85
        self.rate = np.exp(rng.normal(np.log(1.5), 0.95, n))  # orders per year
        self.spend = np.exp(rng.normal(0.0, 0.6, n))
        # First purchase a few weeks after joining; buying stops after a lifetime (churn).
        # Members who joined before the period may already have stopped before it began.
        first = self.reg + 2 * HOUR + rng.exponential(20 * DAY, n).astype(np.int64)
        lifetime = rng.exponential(300 * DAY, n).astype(np.int64)
        self.first_t = np.maximum(first, 0)
        self.bought_before = first < 0
        self.active_end = np.minimum(first + lifetime, self.T)
        pop = self.products["popularity"].to_numpy(float)
        self.fav = _choice(rng, pop, n)
        cycle = self.products["repurchase_cycle_days"].to_numpy()
        self.is_cycle = ~np.isnan(cycle[self.fav]) & (rng.random(n) < 0.75)
        # A few negative-value customers: coupons on every order, refunds on most.
        self.problem = rng.random(n) < 0.03
        self.coupon_prop = np.where(self.problem, 0.9, rng.uniform(0.05, 0.35, n))
        self.refund_prop = np.where(self.problem, 7.0, 1.0)
        # Birthdays consistent with the age on the last day of the period.
        days_old = self.age * 365.25 + rng.uniform(0, 364, n)
        end = np.datetime64(self.start.to_datetime64(), "D") + self.days
        self.birthday = end - days_old.astype("timedelta64[D]")
        self._names(rng)

    def _names(self, rng: np.random.Generator) -> None:
        """Real names (姓名) and unique member names (会员名) such as 甜甜果果2831."""
        n = self.n
        surnames = read_data_table("surnames")
        chars = read_data_table("given_name_chars").set_index("gender")["chars"]
        fem, male = np.array(list(chars["女"]), object), np.array(list(chars["男"]), object)
        size = min(len(fem), len(male))
        # NumPy adds object (str) arrays element by element in C: fast, no Python loop.
        sur = surnames["surname"].to_numpy(object)[_choice(rng, surnames["weight"].to_numpy(), n)]
        i, j = rng.integers(0, size, n), rng.integers(0, size, n)
        first = np.where(self.female, fem[i], male[i])
        second = np.where(self.female, fem[j], male[j])
        two = rng.random(n) < 0.75
        self.name = sur + np.where(two, first + second, first)
        parts = read_data_table("nickname_parts")
        prefix = parts.loc[parts["kind"] == "prefix", "text"].to_numpy(object)
        noun = parts.loc[parts["kind"] == "noun", "text"].to_numpy(object)
        combos = (prefix[:, None] + noun[None, :]).ravel()
        if len(set(combos)) < len(combos):  # e.g. 小小+鱼 and 小+小鱼 would read the same
            raise ValueError("nickname_parts.csv 里有两种前缀+名词的组合拼出了同一个昵称，请修改数据文件。")
        space = len(combos) * 100_000
        code = rng.integers(0, space, n)
        for _ in range(100):  # member names must be unique: redraw the few collisions
            dup = pd.Series(code).duplicated().to_numpy()
            if not dup.any():
                break
            code[dup] = rng.integers(0, space, int(dup.sum()))
        combo, number = np.divmod(code, 100_000)
        digits = np.array([str(i) for i in range(100_000)], dtype=object)  # a lookup beats astype(str)
        self.member_name = combos[combo] + digits[number]

    # ---- orders -----------------------------------------------------------------------
    def _make_orders(self) -> None:
        rng = self.rng["orders"]
        cycle_days = self.products["repurchase_cycle_days"].to_numpy()
        buyer = self.is_buyer & (self.first_t < self.active_end)
        span = np.where(buyer, self.active_end - self.first_t, 0)
        # Consumable buyers: an order every cycle (a little late on average).
        cyc = buyer & self.is_cycle
        cyc_len = np.where(cyc, cycle_days[self.fav], 1.0)
        max_k = np.where(cyc, span // (0.9 * cyc_len * DAY) + 1, 0).astype(np.int64)
        cust_c = np.repeat(np.arange(self.n), max_k)
        gaps = rng.uniform(0.9, 1.35, len(cust_c)) * cyc_len[cust_c] * DAY
        nz = max_k > 0
        starts = (np.cumsum(max_k) - max_k)[nz]
        # The first order starts the cycle; members already buying before the period are
        # somewhere inside their cycle when it begins.
        phase = rng.random(len(starts)) * cyc_len[cust_c[starts]] * DAY
        gaps[starts] = np.where(self.bought_before[cust_c[starts]], phase, 0.0)
        csum = np.cumsum(gaps)
        t_c = self.first_t[cust_c] + (csum - np.repeat(csum[starts] - gaps[starts], max_k[nz]))
        # Keep the day of each repeat purchase, draw its time of day from the daily rhythm.
        day_c = t_c.astype(np.int64) // DAY
        t_c = self._sample_times(rng, day_c * DAY, np.minimum((day_c + 1) * DAY, self.T))
        t_c = np.maximum(t_c, self.first_t[cust_c])
        keep = t_c < self.active_end[cust_c]
        cust_c, t_c = cust_c[keep], t_c[keep]
        # Everyone else (and consumable buyers' other shopping): at random times.
        extra_rate = np.where(cyc, 0.3, 1.0) * self.rate
        k = np.where(buyer, rng.poisson(extra_rate * span / (365 * DAY)), 0)
        cust_r = np.repeat(np.arange(self.n), k)
        t_r = self._sample_times(rng, self.first_t[cust_r], self.active_end[cust_r])
        # New buyers (first purchase inside the period) make that first purchase then.
        newcomer = np.flatnonzero(buyer & ~cyc & ~self.bought_before)
        cust = np.concatenate([cust_c, cust_r, newcomer])
        t = np.concatenate([t_c, t_r, self.first_t[newcomer]])
        is_cycle_order = np.zeros(len(cust), bool)
        is_cycle_order[: len(cust_c)] = True
        order = np.argsort(t * self.n + cust, kind="stable")  # by time, then customer
        self.o_cust, self.o_created = cust[order], t[order]
        self.o_cycle = is_cycle_order[order]
        self.n_orders = len(order)
        # Is it the customer's first order?  (used for chat propensity)
        self.o_first = ~pd.Series(self.o_cust).duplicated().to_numpy()

    def _make_items(self) -> None:
        rng, m = self.rng["items"], self.n_orders
        products = self.products
        lines = 1 + (rng.random(m) > 0.68).astype(np.int64) + (rng.random(m) > 0.9)
        line_order = np.repeat(np.arange(m), lines)
        first_line = _run_starts(line_order)
        pop = products["popularity"].to_numpy(float)
        prod = _choice(rng, pop, len(line_order))
        fav_prob = np.where(self.o_cycle[line_order], 0.97, 0.5)
        use_fav = first_line & (rng.random(len(line_order)) < fav_prob)
        prod = np.where(use_fav, self.fav[self.o_cust[line_order]], prod)
        # The same product twice in one order becomes one line (orders have ≤ 3 lines).
        keep = np.ones(len(prod), bool)
        for lag in (1, 2):
            same = (line_order[lag:] == line_order[:-lag]) & (prod[lag:] == prod[:-lag])
            keep[lag:] &= ~same
        line_order, prod = line_order[keep], prod[keep]
        consumable = ~np.isnan(products["repurchase_cycle_days"].to_numpy())[prod]
        spend = self.spend[self.o_cust[line_order]]
        lam = np.where(consumable, 0.7, 0.15) * spend
        qty = np.clip(1 + rng.poisson(lam), 1, 10)
        day = self._day_of(self.o_created[line_order])
        price = np.round(products["price"].to_numpy()[prod] * self.promo[day], 2)
        self.i_order, self.i_prod, self.i_qty, self.i_price = line_order, prod, qty, price
        goods = np.bincount(line_order, weights=price * qty, minlength=m)
        self.o_goods = np.round(goods, 2)
        # Coupons: the biggest threshold the order reaches, for customers who use them.
        tier = np.searchsorted(COUPONS[:, 0], self.o_goods, side="right") - 1
        use = (tier >= 0) & (rng.random(m) < self.coupon_prop[self.o_cust])
        self.o_discount = np.where(use, COUPONS[np.maximum(tier, 0), 1], 0.0)
        self.o_payment = np.round(self.o_goods - self.o_discount, 2)
        self.o_first_product = prod[_run_starts(line_order)]

    def _make_payments(self) -> None:
        """Payment, 催付 (reminders) and closing of unpaid orders."""
        rng, m = self.rng["payment"], self.n_orders
        created = self.o_created
        paid_now = rng.random(m) < 0.9
        paid = np.where(paid_now, created + 5 + rng.exponential(90, m).astype(np.int64), -1)
        unpaid = np.flatnonzero(~paid_now)
        reasons = read_data_table("unpaid_reasons")
        reason = _choice(rng, reasons["weight"].to_numpy(), len(unpaid))
        base = reasons["pay_probability"].to_numpy()[reason]
        # Reminders: some too early, most at a sensible time, some far too late.
        reminded = rng.random(len(unpaid)) < 0.7
        mode = _choice(rng, np.array([0.25, 0.5, 0.25]), len(unpaid))
        delay = np.select(
            [mode == 0, mode == 1],
            [_uniform_int(rng, MINUTE, 10 * MINUTE, len(unpaid)),
             _uniform_int(rng, 30 * MINUTE, 6 * HOUR, len(unpaid))],
            _uniform_int(rng, 12 * HOUR, 40 * HOUR, len(unpaid)),
        )  # fmt: skip
        t_rem = created[unpaid] + delay
        hour = (t_rem % DAY) // HOUR
        channel = _choice(rng, np.array([0.6, 0.3, 0.1]), len(unpaid))  # 千牛, 短信, 电话
        # The planted pattern lives in crm_helpers.payment_reminders (lessons and strategy simulations
        # use the same model); a missing delay means "not reminded".
        from .payment_reminders import REMINDER_CHANNELS, reminder_response_probability

        p_pay = reminder_response_probability(
            np.where(reminded, delay, np.nan), hour, np.array(REMINDER_CHANNELS)[channel], base
        )
        pays = rng.random(len(unpaid)) < p_pay
        wait = np.where(
            reminded,
            t_rem + rng.exponential(40 * MINUTE, len(unpaid)),
            created[unpaid] + rng.exponential(8 * HOUR, len(unpaid)),
        ).astype(np.int64)
        pays &= wait < created[unpaid] + AUTO_CLOSE_SECONDS
        # Buyers who never pay either cancel or the order closes after 72 hours.
        cancel = rng.random(len(unpaid)) < 0.25
        close_t = np.where(
            cancel,
            created[unpaid] + _uniform_int(rng, 10 * MINUTE, 24 * HOUR, len(unpaid)),
            created[unpaid] + AUTO_CLOSE_SECONDS,
        )
        paid[unpaid[pays]] = wait[pays]
        closed = np.full(m, -1, np.int64)
        close_reason = np.full(m, -1, np.int64)
        nopay = ~pays
        closed[unpaid[nopay]] = close_t[nopay]
        close_reason[unpaid[nopay]] = np.where(cancel[nopay], 0, 1)
        # A reminder only happens while the order is still open.
        end_open = np.where(pays, wait, close_t)
        has_rem = reminded & (t_rem < end_open) & (t_rem < self.T)
        self.paid, self.closed, self.close_reason = paid, closed, close_reason
        self.rem = {
            "order": unpaid[has_rem], "time": t_rem[has_rem], "channel": channel[has_rem],
            "reason": reason[has_rem], "paid": pays[has_rem] & (wait[has_rem] < self.T),
        }  # fmt: skip

    def _make_logistics(self) -> None:
        rng, m = self.rng["logistics"], self.n_orders
        is_paid = self.paid >= 0
        day = self._day_of(np.maximum(self.paid, 0))
        rush = np.where(self.is_double11[day] | self.is_double11[np.maximum(day - 1, 0)], 2.5, 1.0)
        ship_delay = np.clip(np.exp(rng.normal(np.log(18 * HOUR), 0.5, m)) * rush, HOUR, 96 * HOUR)
        self.shipped = np.where(is_paid, self.paid + ship_delay.astype(np.int64), -1)
        self.ship_delay = ship_delay
        receive = self.shipped + _uniform_int(rng, 36 * HOUR, 5 * DAY, m)
        confirms = rng.random(m) < 0.55
        confirm_t = receive + rng.exponential(DAY, m).astype(np.int64)
        auto = self.shipped + AUTO_CONFIRM_SECONDS
        self.received = receive
        self.finished = np.where(is_paid, np.where(confirms, np.minimum(confirm_t, auto), auto), -1)

    def _make_refunds(self) -> None:
        rng = self.rng["refunds"]
        reasons = read_data_table("refund_reasons")
        cats = self.products["category"].to_numpy()
        order = self.i_order
        paid_line = self.paid[order] >= 0
        cat = cats[self.i_prod]
        p = self.categories.loc[cats, "refund_probability"].to_numpy()[self.i_prod]
        p = np.clip(p * self.refund_prop[self.o_cust[order]], 0, 0.9)
        lines = np.flatnonzero(paid_line & (rng.random(len(order)) < p))
        # Reason by category (apparel mostly size → exchange).
        reasons = reasons.sort_values("category", kind="stable").reset_index(drop=True)
        row = _group_choice(
            rng, cat[lines], reasons["category"].to_numpy(), reasons["weight"].to_numpy(float)
        )
        rtype = reasons["refund_type"].to_numpy()[row]
        reason = reasons["reason"].to_numpy()[row]
        o = order[lines]
        k = len(lines)
        single = np.bincount(order, minlength=self.n_orders)[o] == 1
        before_ship = (reason == "拍错/不想要了") & single & (rng.random(k) < 0.7)
        applied = np.where(
            before_ship,
            self.paid[o] + _uniform_int(rng, 10 * MINUTE, 6 * HOUR, k),
            self.shipped[o] + _uniform_int(rng, 2 * DAY, 9 * DAY, k),
        )
        quick = rtype == "仅退款"
        finished = applied + np.where(
            quick, _uniform_int(rng, 30 * MINUTE, 48 * HOUR, k), _uniform_int(rng, 3 * DAY, 8 * DAY, k)
        )
        status = np.where(rtype == "换货", "换货完成", np.where(rng.random(k) < 0.9, "退款成功", "退款关闭"))
        qty_line = self.i_qty[lines]
        partial = (qty_line > 1) & (rng.random(k) < 0.3)
        qty = np.where(partial, 1 + (rng.random(k) * (qty_line - 1)).astype(np.int64), qty_line)
        share = np.where(self.o_goods[o] > 0, self.o_payment[o] / np.maximum(self.o_goods[o], 0.01), 0)
        amount = np.where(rtype == "换货", 0.0, np.floor(self.i_price[lines] * qty * share * 100) / 100)
        keep = applied < self.T
        done = finished < self.T
        status = np.where(done, status, "处理中")
        self.rf = {
            "line": lines, "order": o, "type": rtype, "group": reasons["reason_group"].to_numpy()[row],
            "reason": reason, "applied": applied, "finished": np.where(done, finished, -1),
            "status": status, "qty": qty, "amount": amount, "before_ship": before_ship,
        }  # fmt: skip
        self.rf = {key: value[keep] for key, value in self.rf.items()}

    def _finalise_orders(self) -> None:
        """Close orders refunded in full; cut every timestamp at the end of the period."""
        rf, m = self.rf, self.n_orders
        full = (rf["status"] == "退款成功") & (rf["qty"] == self.i_qty[rf["line"]])
        lines_per_order = np.bincount(self.i_order, minlength=m)
        full_per_order = np.bincount(rf["order"][full], minlength=m)
        last_refund = np.full(m, -1, np.int64)
        np.maximum.at(last_refund, rf["order"][full], rf["finished"][full])
        refunded = (full_per_order == lines_per_order) & (last_refund >= 0)
        # Refunded before the trade was finished → the trade closes instead.
        closes = refunded & ((last_refund < self.finished) | (self.finished < 0))
        self.closed = np.where(closes, last_refund, self.closed)
        self.close_reason = np.where(closes, 2, self.close_reason)
        self.finished = np.where(closes, -1, self.finished)
        self.shipped = np.where(closes & (last_refund < self.shipped), -1, self.shipped)
        T = self.T
        for name in ("paid", "shipped", "finished", "closed"):
            values = getattr(self, name)
            setattr(self, name, np.where(values < T, values, -1))
        self.close_reason = np.where(self.closed >= 0, self.close_reason, -1)
        status = np.zeros(m, np.int64)  # 等待买家付款
        status[self.paid >= 0] = 1
        status[self.shipped >= 0] = 2
        status[self.finished >= 0] = 3
        status[self.closed >= 0] = 4
        self.status = status

    # ---- chats ------------------------------------------------------------------------
    def _agent_speed(self) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        a = self.agents_data
        serving = a["chat_share"].to_numpy(float) > 0
        ids = a["agent_id"].to_numpy()[serving]
        share = a["chat_share"].to_numpy(float)[serving]
        median = a["median_response_seconds"].to_numpy(float)[serving]
        return ids, share, median

    def _response_seconds(self, rng, agent_idx, t, median) -> np.ndarray:
        hour = (t % DAY) // HOUR
        day = self._day_of(t)
        month, dom = self.month_day
        load = np.where(hour < 8, 3.0, 1.0) * np.where(hour == 12, 1.4, 1.0)
        load = load * np.where(self.is_double11[day], 2.5, 1.0)
        load = load * np.where((month[day] == 11) & (dom[day] <= 10), 1.3, 1.0)
        r = median[agent_idx] * load * np.exp(rng.normal(0, 0.75, len(t)))
        return np.clip(np.rint(r), 1, 3600).astype(np.int64)

    @staticmethod
    def _conversion_probability(seconds: np.ndarray) -> np.ndarray:
        """The planted pattern: the slower the first response, the fewer buyers order."""
        return np.clip(0.82 - 0.11 * np.log1p(seconds / 10.0), 0.05, 0.95)

    def _make_chats(self) -> None:
        rng = self.rng["chats"]
        ids, share, median = self._agent_speed()
        m = self.n_orders
        categories = self.products["category"].to_numpy()
        p_chat = self.categories.loc[categories, "presale_chat_share"].to_numpy()[self.o_first_product]
        p_chat = p_chat * np.where(self.o_first, 1.3, np.where(self.o_cycle, 0.4, 0.8))
        led = np.flatnonzero(rng.random(m) < np.clip(p_chat, 0, 0.95))
        agent = _choice(rng, share, len(led))
        t_order = self.o_created[led]
        # Rejection sampling: a response time is kept for the order when the buyer converts;
        # every rejected draw is an inquiry by someone who did not order.
        frt = np.empty(len(led), np.int64)
        pending = np.arange(len(led))
        empty = np.zeros(0, np.int64)
        lost_agent, lost_t, lost_r = [empty], [empty], [empty]
        for _ in range(60):
            if len(pending) == 0:
                break
            r = self._response_seconds(rng, agent[pending], t_order[pending], median)
            ok = rng.random(len(pending)) < self._conversion_probability(r)
            frt[pending[ok]] = r[ok]
            lost_agent.append(agent[pending[~ok]])
            lost_t.append(t_order[pending[~ok]])
            lost_r.append(r[~ok])
            pending = pending[~ok]
        if len(pending):  # practically never: accept what is left
            frt[pending] = self._response_seconds(rng, agent[pending], t_order[pending], median)
        think = _uniform_int(rng, 2 * MINUTE, 60 * MINUTE, len(led))
        conv_start = t_order - frt - think
        inside = conv_start >= 0  # a chat before the period is not in the data: silent order
        led, agent, frt, conv_start = led[inside], agent[inside], frt[inside], conv_start[inside]
        self.o_agent = np.full(m, -1, np.int64)
        self.o_agent[led] = ids[agent]
        # Inquiries that did not convert: customers already registered at that time.
        lost_agent = np.concatenate(lost_agent)
        lost_r = np.concatenate(lost_r)
        lost_start = np.concatenate(lost_t) - _uniform_int(rng, 0, 6 * HOUR, len(lost_r))
        n_reg = np.searchsorted(self.reg, lost_start, side="right")
        ok = (n_reg > 0) & (lost_start >= 0)
        lost_agent, lost_r, lost_start, n_reg = lost_agent[ok], lost_r[ok], lost_start[ok], n_reg[ok]
        lost_cust = (rng.random(len(n_reg)) * n_reg).astype(np.int64)
        # After-sale chats: every refund, some logistics questions, some usage questions.
        rf = self.rf
        ship_q = np.flatnonzero((self.shipped >= 0) & (rng.random(m) < 0.12))
        use_q = np.flatnonzero((self.finished >= 0) & (rng.random(m) < 0.03))
        after_order = np.concatenate([rf["order"], ship_q, use_q])
        after_start = np.concatenate([
            rf["applied"] - _uniform_int(rng, 5 * MINUTE, 3 * HOUR, len(rf["order"])),
            self.shipped[ship_q] + _uniform_int(rng, DAY, 4 * DAY, len(ship_q)),
            self.finished[use_q] + _uniform_int(rng, 0, 5 * DAY, len(use_q)),
        ])  # fmt: skip
        topics = read_data_table("chat_topics")
        after_topic = np.concatenate([
            np.full(len(rf["order"]), "退换货"), np.full(len(ship_q), "物流查询"),
            np.full(len(use_q), "使用问题"),
        ])  # fmt: skip
        after_agent = _choice(rng, share, len(after_order))
        after_r = self._response_seconds(rng, after_agent, after_start, median)
        # Put it together.
        n_conv, n_lost, n_after = len(led), len(lost_r), len(after_order)
        presale = topics[topics["chat_type"] == "售前"]
        pre_topic = presale["topic"].to_numpy()[
            _choice(rng, presale["weight"].to_numpy(float), n_conv + n_lost)
        ]
        start = np.concatenate([conv_start, lost_start, after_start])
        cust = np.concatenate([self.o_cust[led], lost_cust, self.o_cust[after_order]])
        agent_all = np.concatenate([agent, lost_agent, after_agent])
        frt_all = np.concatenate([frt, lost_r, after_r])
        avg = np.clip(np.rint(frt_all * np.exp(rng.normal(-0.2, 0.45, len(frt_all))) + 4), 2, 3600)
        kind = np.concatenate([np.zeros(n_conv + n_lost, np.int64), np.ones(n_after, np.int64)])
        topic = np.concatenate([pre_topic, after_topic])
        led_order = np.concatenate([led, np.full(n_lost + n_after, -1)])
        keep = (start >= 0) & (start < self.T)
        idx = np.flatnonzero(keep)
        idx = idx[np.argsort(start[idx] * self.n + cust[idx], kind="stable")]
        self.chats = {
            "customer": cust[idx], "agent": ids[agent_all[idx]], "start": start[idx],
            "kind": kind[idx], "topic": topic[idx], "frt": frt_all[idx], "avg": avg[idx],
            "order": led_order[idx],
        }  # fmt: skip
        self.after_sale_agents = ids[agent_all[idx]][kind[idx] == 1]
        self.after_sale_times = start[idx][kind[idx] == 1]
        self.after_sale_customers = cust[idx][kind[idx] == 1]
        # Remarks left by agents on some orders.
        remark = np.full(m, "", dtype=object)
        remark[self.rem["order"]] = "已催付"
        urgent = led[(pre_topic[:n_conv] == "发货时间") & (rng.random(n_conv) < 0.4)]
        remark[urgent] = "客户要求尽快发货"
        self.remark = remark

    # ---- behaviour, reviews, complaints ---------------------------------------------
    def _make_events(self) -> None:
        rng = self.rng["events"]
        o = self.i_order
        t_o = self.o_created[o]
        n_line = len(o)
        browse_t = t_o - _uniform_int(rng, MINUTE, 3 * HOUR, n_line)
        cart = rng.random(n_line) < 0.35
        fav = rng.random(n_line) < 0.08
        cart_t = t_o[cart] - _uniform_int(rng, MINUTE, 2 * HOUR, int(cart.sum()))
        fav_t = t_o[fav] - _uniform_int(rng, 10 * MINUTE, 5 * DAY, int(fav.sum()))
        # Browsing, carts and favourites that did not (yet) lead to a purchase.
        # Drawn in time order (sorted uniforms through the rhythm's inverse CDF), each by a
        # customer already registered then; runs of sorted times make the final sort cheap.
        n_extra = int(0.5 * n_line) + 10
        gaps = rng.exponential(1.0, n_extra + 1).cumsum()
        u = gaps[:-1] / gaps[-1] * self.slot_cdf[-1]
        slot = np.clip(np.searchsorted(self.slot_cdf, u, side="right") - 1, 0, len(self.slot_weights) - 1)
        t_x = (slot * HOUR + (u - self.slot_cdf[slot]) / self.slot_weights[slot] * HOUR).astype(np.int64)
        n_reg = np.searchsorted(self.reg, t_x, side="right")
        ok = n_reg > 0
        t_x, n_reg = t_x[ok], n_reg[ok]
        n_extra = len(t_x)
        cust_x = (rng.random(n_extra) * n_reg).astype(np.int64)
        prod_x = _choice(rng, self.products["popularity"].to_numpy(float), n_extra)
        type_x = _choice(rng, np.array([0.6, 0.25, 0.15]), n_extra)
        cust = np.concatenate([self.o_cust[o], self.o_cust[o[cart]], self.o_cust[o[fav]], cust_x])
        prod = np.concatenate([self.i_prod, self.i_prod[cart], self.i_prod[fav], prod_x])
        etype = np.concatenate([
            np.zeros(n_line, np.int64), np.ones(int(cart.sum()), np.int64),
            np.full(int(fav.sum()), 2), type_x,
        ])  # fmt: skip
        t = np.concatenate([browse_t, cart_t, fav_t, t_x])
        keep = np.flatnonzero((t >= 0) & (t < self.T))
        keep = keep[np.argsort(t[keep], kind="stable")]
        self.events = {"customer": cust[keep], "product": prod[keep], "type": etype[keep], "t": t[keep]}

    def _make_reviews(self) -> None:
        rng = self.rng["reviews"]
        done = np.flatnonzero(self.finished >= 0)
        had_refund = np.zeros(self.n_orders, bool)
        had_refund[self.rf["order"]] = True
        writes = done[rng.random(len(done)) < 0.45]
        bad = had_refund[writes]
        u = rng.random(len(writes))
        rating = np.where(
            bad,
            np.select([u < 0.25, u < 0.45], [2, 1], 0),
            np.select([u < 0.025, u < 0.07], [2, 1], 0),
        )  # 0 好评, 1 中评, 2 差评
        t = self.finished[writes] + _uniform_int(rng, 0, 3 * DAY, len(writes))
        keep = t < self.T
        idx = np.argsort(t[keep], kind="stable")
        self.reviews = {
            "order": writes[keep][idx],
            "rating": rating[keep][idx],
            "t": t[keep][idx],
        }

    def _make_complaints(self) -> None:
        rng = self.rng["complaints"]
        paid = np.flatnonzero(self.paid >= 0)
        had_refund = np.zeros(self.n_orders, bool)
        had_refund[self.rf["order"]] = True
        slow = self.ship_delay[paid] > 48 * HOUR
        p = 0.004 + 0.08 * had_refund[paid] + 0.03 * slow
        who = paid[rng.random(len(paid)) < p]
        slow_w = self.ship_delay[who] > 48 * HOUR
        ctype = np.where(
            slow_w & (rng.random(len(who)) < 0.7),
            2,
            _choice(rng, np.array([0.35, 0.2, 0.0, 0.1, 0.35]), len(who)),
        )  # 商品质量, 服务态度, 物流问题, 虚假宣传, 售后处理
        base = np.where(self.shipped[who] >= 0, self.shipped[who], self.paid[who])
        t = base + _uniform_int(rng, DAY, 6 * DAY, len(who))
        resolved = t + _uniform_int(rng, 2 * HOUR, 4 * DAY, len(who))
        keep = t < self.T
        idx = np.argsort(t[keep], kind="stable")
        self.complaints = {
            "order": who[keep][idx], "type": ctype[keep][idx], "t": t[keep][idx],
            "resolved": np.where(resolved < self.T, resolved, -1)[keep][idx],
        }  # fmt: skip

    # ---- staff, red packets, audit log ---------------------------------------------
    def _make_staff(self) -> None:
        rng = self.rng["red_packets"]
        a = self.agents_data
        shop = self.shop["shop_name"]
        limits = a["daily_red_packet_limit"].to_numpy(float).copy()
        created = -_uniform_int(rng, 30 * DAY, 400 * DAY, len(a))
        created = np.sort(created)
        # Honest red packets: compensation after some after-sale chats, thanks after good reviews.
        comp = rng.random(len(self.after_sale_agents)) < 0.12
        rv = self.reviews
        thanks = (rv["rating"] == 0) & (rng.random(len(rv["rating"])) < 0.015)
        _, share, _ = self._agent_speed()
        serving_ids = a.loc[a["chat_share"] > 0, "agent_id"].to_numpy()
        thanks_agent = serving_ids[_choice(rng, share, int(thanks.sum()))]
        agent = np.concatenate([self.after_sale_agents[comp], thanks_agent])
        cust = np.concatenate([self.after_sale_customers[comp], self.o_cust[rv["order"][thanks]]])
        t = np.concatenate([
            self.after_sale_times[comp] + _uniform_int(rng, 5 * MINUTE, 2 * HOUR, int(comp.sum())),
            rv["t"][thanks] + _uniform_int(rng, 10 * MINUTE, 12 * HOUR, int(thanks.sum())),
        ])  # fmt: skip
        amount = np.concatenate([
            rng.choice([3.0, 5.0, 8.0, 10.0, 15.0, 20.0], int(comp.sum())),
            rng.choice([2.0, 3.0, 5.0], int(thanks.sum())),
        ])  # fmt: skip
        purpose = np.concatenate([np.zeros(int(comp.sum()), np.int64), np.ones(int(thanks.sum()), np.int64)])
        # Agents work from 08:00: a packet that would fall in the night is sent next morning.
        night = (t % DAY) < 8 * HOUR
        t = np.where(night, (t // DAY) * DAY + 8 * HOUR + (t % (2 * HOUR)), t)
        keep = t < self.T
        agent, cust, t, amount, purpose = agent[keep], cust[keep], t[keep], amount[keep], purpose[keep]
        # The system held honest agents to their daily limit.
        order = np.lexsort((t, agent))
        agent, cust, t, amount, purpose = (x[order] for x in (agent, cust, t, amount, purpose))
        day = t // DAY
        key = agent * (self.days + 1) + day
        starts = np.concatenate([[True], key[1:] != key[:-1]])
        csum = np.cumsum(amount)
        group_start = np.maximum.accumulate(np.where(starts, np.arange(len(key)), 0))
        spent = csum - csum[group_start] + amount[group_start]
        limit_of = dict(zip(a["agent_id"], limits))
        within = spent <= np.array([limit_of[x] for x in agent]) if len(agent) else np.ones(0, bool)
        agent, cust, t, amount, purpose = (x[within] for x in (agent, cust, t, amount, purpose))
        # The planted fraud (seed 000): 小陈 raises her own daily limit at night, then
        # tips three accounts of her own about two thousand times within a few days.
        fraud_id = int(a.loc[a["nickname"] == "小陈", "agent_id"].iloc[0])
        f_day = min(int(round(self.days * 0.38)), self.days - 1)
        f_len = max(1, min(5, self.days - f_day))
        f_change = f_day * DAY + 2 * HOUR + 47 * MINUTE + 13
        n_fraud = 2063
        fdays = f_day + rng.integers(0, f_len, n_fraud)
        fhours = rng.choice([0, 1, 2, 3, 4, 5, 23], n_fraud, p=[0.2, 0.2, 0.18, 0.15, 0.12, 0.05, 0.1])
        ft = fdays * DAY + fhours * HOUR + rng.integers(0, HOUR, n_fraud)
        ft = np.where(ft <= f_change, f_change + 60 + rng.integers(0, 600, n_fraud), ft)
        ft = np.minimum(ft, self.T - 1)
        non_buyers = np.flatnonzero(np.bincount(self.o_cust, minlength=self.n) == 0)
        pool = non_buyers if len(non_buyers) >= 3 else np.arange(self.n)
        mules = rng.choice(pool, size=min(3, len(pool)), replace=False)
        f_cust = mules[rng.integers(0, len(mules), n_fraud)]
        f_amount = np.round(rng.uniform(110, 199.99, n_fraud), 2)
        agent = np.concatenate([agent, np.full(n_fraud, fraud_id)])
        cust = np.concatenate([cust, f_cust])
        t = np.concatenate([t, ft])
        amount = np.concatenate([amount, f_amount])
        purpose = np.concatenate([purpose, np.ones(n_fraud, np.int64)])
        order = np.argsort(t, kind="stable")
        self.red = {
            "agent": agent[order], "customer": cust[order], "t": t[order],
            "amount": amount[order], "purpose": purpose[order],
        }  # fmt: skip
        self.fraud = {"agent_id": fraud_id, "change_t": f_change, "customers": mules}
        new_limits = limits.copy()
        new_limits[a["agent_id"].to_numpy() == fraud_id] = 100000.0  # enough for what followed
        self.agent_created = created
        self.agent_limits = new_limits
        # Audit log: the main account created every sub-account and set its limit; one
        # routine, authorised change; then 小陈's change made from her own sub-account.
        main = self.shop["main_account"]
        accounts = [f"{shop}:{nick}" for nick in a["nickname"]]
        rows = []
        for acc, t0, lim, role in zip(accounts, created, limits, a["role"]):
            rows.append((t0, main, "新建员工", acc, "", f"岗位={role}", "成功", ""))
            rows.append((t0 + 60, main, "设置红包限额", acc, "0", f"{lim:g}", "成功", ""))
        rows.append((f_change, f"{shop}:小陈", "修改红包限额", f"{shop}:小陈", "100", "100000", "成功", ""))
        rows.sort(key=lambda r: r[0])
        self.audit = rows

    # ---- assemble ---------------------------------------------------------------------
    def _assemble(self) -> Store:
        start = self.start
        dt = lambda s: _to_datetime(start, np.maximum(s, 0), s >= 0)  # noqa: E731
        cid = np.arange(1, self.n + 1)
        regions = read_data_table("regions")["region"]
        channels = read_data_table("channels")["channel"]
        customers = pd.DataFrame(copy=False, data={
            "customer_id": cid,
            "member_name": pd.array(self.member_name, dtype="str"),
            "name": pd.array(self.name, dtype="str"),
            "gender": _categorical(np.where(self.female, 1, 0), ["男", "女"]),
            "age": self.age,
            "birthday": self.birthday.astype("datetime64[s]"),
            "region": _categorical(self.region, regions),
            "channel": _categorical(self.channel, channels),
            "registered_at": _to_datetime(start, self.reg),
        })  # fmt: skip
        products = self.products.drop(columns=["popularity"]).copy()
        products["category"] = pd.Categorical(products["category"], categories=list(self.categories.index))
        products["repurchase_cycle_days"] = products["repurchase_cycle_days"].astype("Int64")
        products["name"] = products["name"].astype("str")
        order_id = 100001 + np.arange(self.n_orders)
        close_labels = ["买家取消订单", "超时未付款自动关闭", "全额退款"]
        agent = pd.array(np.where(self.o_agent >= 0, self.o_agent, 0), dtype="Int64")
        agent[self.o_agent < 0] = pd.NA
        remark = pd.array(self.remark, dtype="str")
        remark[self.remark == ""] = pd.NA
        orders = pd.DataFrame(copy=False, data={
            "order_id": order_id,
            "customer_id": self.o_cust + 1,
            "agent_id": agent,
            "created_at": _to_datetime(start, self.o_created),
            "paid_at": dt(self.paid),
            "shipped_at": dt(self.shipped),
            "finished_at": dt(self.finished),
            "closed_at": dt(self.closed),
            "status": _categorical(self.status, STATUSES, ordered=True),
            "close_reason": pd.Categorical.from_codes(self.close_reason, close_labels),
            "goods_amount": self.o_goods,
            "discount": self.o_discount,
            "payment": self.o_payment,
            "remark": remark,
        })  # fmt: skip
        product_ids = self.products["product_id"].to_numpy()
        order_items = pd.DataFrame(copy=False, data={
            "order_id": order_id[self.i_order],
            "product_id": product_ids[self.i_prod],
            "quantity": self.i_qty,
            "unit_price": self.i_price,
        })  # fmt: skip
        c = self.chats
        topics = read_data_table("chat_topics")["topic"].drop_duplicates()
        chat_order = pd.array(
            np.where(c["order"] >= 0, order_id[np.maximum(c["order"], 0)], 0), dtype="Int64"
        )
        chat_order[c["order"] < 0] = pd.NA
        chats = pd.DataFrame(copy=False, data={
            "chat_id": np.arange(1, len(c["start"]) + 1),
            "customer_id": c["customer"] + 1,
            "agent_id": c["agent"],
            "started_at": _to_datetime(start, c["start"]),
            "chat_type": _categorical(c["kind"], ["售前", "售后"]),
            "topic": pd.Categorical(c["topic"], categories=list(topics)),
            "first_response_seconds": c["frt"],
            "avg_response_seconds": c["avg"].astype(np.int64),
            "order_id": chat_order,
        })  # fmt: skip
        e = self.events
        events = pd.DataFrame(copy=False, data={
            "customer_id": e["customer"] + 1,
            "product_id": product_ids[e["product"]],
            "event_type": _categorical(e["type"], ["浏览", "加购", "收藏"]),
            "occurred_at": _to_datetime(start, e["t"]),
        })  # fmt: skip
        rf = self.rf
        order_r = np.argsort(rf["applied"], kind="stable")
        reasons = read_data_table("refund_reasons")
        refunds = pd.DataFrame(copy=False, data={
            "refund_id": np.arange(1, len(order_r) + 1),
            "order_id": order_id[rf["order"][order_r]],
            "product_id": product_ids[self.i_prod[rf["line"][order_r]]],
            "customer_id": self.o_cust[rf["order"][order_r]] + 1,
            "refund_type": pd.Categorical(rf["type"][order_r], categories=["仅退款", "退货退款", "换货"]),
            "reason_group": pd.Categorical(rf["group"][order_r], categories=["物流原因", "商品原因", "买家主观原因"]),
            "reason": pd.Categorical(rf["reason"][order_r], categories=list(reasons["reason"].drop_duplicates())),
            "quantity": rf["qty"][order_r],
            "amount": rf["amount"][order_r],
            "applied_at": _to_datetime(start, rf["applied"][order_r]),
            "finished_at": dt(rf["finished"][order_r]),
            "status": pd.Categorical(rf["status"][order_r], categories=["退款成功", "退款关闭", "换货完成", "处理中"]),
        })  # fmt: skip
        rem = self.rem
        unpaid = read_data_table("unpaid_reasons")
        order_m = np.argsort(rem["time"], kind="stable")
        _, share, _ = self._agent_speed()
        serving_ids = self.agents_data.loc[self.agents_data["chat_share"] > 0, "agent_id"].to_numpy()
        rem_agent = serving_ids[_choice(self.rng["reminders"], share, len(order_m))]
        reminders = pd.DataFrame(copy=False, data={
            "reminder_id": np.arange(1, len(order_m) + 1),
            "order_id": order_id[rem["order"][order_m]],
            "agent_id": rem_agent,
            "reminded_at": _to_datetime(start, rem["time"][order_m]),
            "channel": _categorical(rem["channel"][order_m], ["千牛", "短信", "电话"]),
            "reason_group": pd.Categorical(
                unpaid["reason_group"].to_numpy()[rem["reason"][order_m]], categories=["客观原因", "主观原因"]
            ),
            "reason": _categorical(rem["reason"][order_m], unpaid["reason"]),
            "paid_after": rem["paid"][order_m],
        })  # fmt: skip
        a = self.agents_data
        shop = self.shop["shop_name"]
        agents = pd.DataFrame(copy=False, data={
            "agent_id": a["agent_id"].to_numpy(),
            "account_name": pd.array([f"{shop}:{x}" for x in a["nickname"]], dtype="str"),
            "nickname": pd.array(a["nickname"].to_numpy(), dtype="str"),
            "department": pd.Categorical(a["department"], categories=["客服部", "运营部", "财务部"]),
            "role": pd.Categorical(a["role"], categories=["客服", "客服主管", "运营", "财务"]),
            "daily_red_packet_limit": self.agent_limits,
            "created_at": _to_datetime(start, self.agent_created),
        })  # fmt: skip
        r = self.red
        red_packets = pd.DataFrame(copy=False, data={
            "red_packet_id": np.arange(1, len(r["t"]) + 1),
            "agent_id": r["agent"],
            "customer_id": r["customer"] + 1,
            "amount": r["amount"],
            "sent_at": _to_datetime(start, r["t"]),
            "purpose": _categorical(r["purpose"], ["售后补偿", "好评感谢"]),
        })  # fmt: skip
        audit = pd.DataFrame(
            self.audit, columns=["t", "operator", "action", "target", "before", "after", "result", "reason"]
        )
        audit_log = pd.DataFrame(copy=False, data={
            "logged_at": _to_datetime(start, audit["t"].to_numpy(np.int64)),
            "operator": audit["operator"].astype("str"),
            "action": audit["action"].astype("str"),
            "target": audit["target"].astype("str"),
            "before": audit["before"].astype("str"),
            "after": audit["after"].astype("str"),
            "result": audit["result"].astype("str"),
            "reason": audit["reason"].astype("str"),
        })  # fmt: skip
        cp = self.complaints
        complaints = pd.DataFrame(copy=False, data={
            "complaint_id": np.arange(1, len(cp["t"]) + 1),
            "customer_id": self.o_cust[cp["order"]] + 1,
            "order_id": order_id[cp["order"]],
            "complaint_type": _categorical(cp["type"], ["商品质量", "服务态度", "物流问题", "虚假宣传", "售后处理"]),
            "created_at": _to_datetime(start, cp["t"]),
            "resolved_at": dt(cp["resolved"]),
        })  # fmt: skip
        rv = self.reviews
        reviews = pd.DataFrame(copy=False, data={
            "review_id": np.arange(1, len(rv["t"]) + 1),
            "order_id": order_id[rv["order"]],
            "customer_id": self.o_cust[rv["order"]] + 1,
            "rating": _categorical(rv["rating"], ["好评", "中评", "差评"]),
            "created_at": _to_datetime(start, rv["t"]),
        })  # fmt: skip
        return Store(
            customers=customers, products=products, orders=orders, order_items=order_items,
            chats=chats, events=events, refunds=refunds, reminders=reminders, agents=agents,
            red_packets=red_packets, audit_log=audit_log, complaints=complaints, reviews=reviews,
            shop_name=shop, start=start, end=start + pd.Timedelta(days=self.days), seed=self.seed,
        )  # fmt: skip
