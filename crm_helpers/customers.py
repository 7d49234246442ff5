"""客户信息 (customer information): profiles, composition, profit contribution and lookalikes.

The workbench's 查看客户 (:meth:`Session.customer_profile
<crm_helpers.workbench.Session.customer_profile>`) calls :func:`customer_profile`; lesson 06
(客户信息管理与打标) uses the rest, and :mod:`crm_helpers.tags` builds its rule tags on the
same readings.

The course's readings (本课程的规定), written once here
-------------------------------------------------------
* **统计日 (today)**: the shop's last simulated day ``store.last_day`` (for a shop read from a
  千牛 export: its last day); every function takes ``today=None`` for it, or a date.
* **days_ago** of a moment = ``(today.normalize() − moment.normalize()).days`` (today is 0);
  **近 N 天** = days_ago in [0, N − 1]; **近两年** = 近 730 天 (:data:`TWO_YEARS`).
* **成交 (a deal)** = an order with ``paid_at`` set and ``close_reason`` not 全额退款
  (:func:`deal_mask`).
* **客户利润贡献度** (:func:`profit_contribution`), per customer over a period::

      利润 = 实付款 − 商品成本 − 退款金额 − 红包

  实付款 is the ``payment`` of every order paid in the period (a refunded order too: its money
  comes back out as 退款金额), 商品成本 is ``quantity × products.cost`` of those orders' goods
  (returned goods are counted as used up: the course does not resell them), 退款金额 the
  ``amount`` of their refunds with status 退款成功, 红包 the 红包 sent to the customer in the
  period.  Coupons are already out of ``payment`` (payment = goods_amount − discount), so they
  are not subtracted again; 优惠金额 (discount) is shown as its own column.  Negative 利润 =
  **负值顾客**.
* **年龄段**: :func:`age_band` with the labels :data:`crm_helpers.vocabulary.AGE_BANDS`;
  ``customers.channel`` is **获客渠道** (the glossary's name).

:mod:`crm_helpers.crowds` (the tag table of 人群, lesson 08) and :mod:`crm_helpers.tags` use
these readings from here; nothing else computes them.

* **忠诚客户** = at least :data:`LOYAL_MIN_DEALS` 成交 in 近两年; a **lookalike** (客户识别)
  is a customer with exactly one 成交 in 近两年 who has the loyal customers' typical value on
  every feature where they differ from all buyers (:func:`loyal_profile`,
  :func:`lookalike_customers`).
"""

from __future__ import annotations

import math
from typing import Any

import numpy as np
import pandas as pd

from ._validation import (
    check_choice,
    check_columns,
    check_dataframe,
    check_int,
    check_number,
    check_timestamp,
)
from .store import Store
from .vocabulary import AGE_BANDS

__all__ = [
    "AGE_BAND_STARTS",
    "COMPOSITION_FIELDS",
    "LOOKALIKE_FEATURES",
    "LOYAL_MIN_DEALS",
    "PROFIT_COLUMNS",
    "TWO_YEARS",
    "age_band",
    "composition_chart",
    "customer_composition",
    "customer_profile",
    "days_ago",
    "deal_mask",
    "lookalike_customers",
    "lookalike_features",
    "loyal_profile",
    "negative_customers",
    "pareto_chart",
    "pareto_curve",
    "profit_contribution",
    "resolve_today",
    "top_profit_share",
]

#: 近两年 = 近 730 天 (the course's reading).
TWO_YEARS = 730
#: The first age of each band of :data:`crm_helpers.vocabulary.AGE_BANDS` after the first.
AGE_BAND_STARTS = (25, 30, 35, 40)
#: What 客户构成分析 can group by: column (``age_band`` is computed from ``age``) → Chinese name.
COMPOSITION_FIELDS = {"region": "地区", "gender": "性别", "age_band": "年龄段", "channel": "获客渠道"}
#: 忠诚客户 = at least this many 成交 in 近两年 (本课程的规定).
LOYAL_MIN_DEALS = 5
#: The features 客户识别 compares (columns of :func:`lookalike_features`).
LOOKALIKE_FEATURES = ("地区", "年龄段", "获客渠道", "常买类目")
#: The columns of :func:`profit_contribution`, in order.
PROFIT_COLUMNS = ("会员名", "实付款", "商品成本", "退款金额", "红包", "优惠金额", "利润")

_CUSTOMER_ID = "客户编号"


# ---- one customer -------------------------------------------------------------------------


def customer_profile(
    customers: pd.DataFrame,
    orders: pd.DataFrame,
    customer_id: Any,
    *,
    customer_col: str = "customer_id",
    paid_col: str = "paid_at",
    payment_col: str = "payment",
    created_col: str = "created_at",
) -> pd.Series:
    """客户档案: a customer's row with order count and spend.

    Parameters
    ----------
    customers : pandas.DataFrame
        The customer table (客户表); it is not modified.
    orders : pandas.DataFrame
        The orders (订单表); it is not modified.
    customer_id : int
        The customer (Python or NumPy integer).
    customer_col : str, default "customer_id"
        The customer column of both tables.
    paid_col, payment_col, created_col : str
        Columns of ``orders``: payment time (empty while unpaid), 实付款 and order time.

    Returns
    -------
    pandas.Series
        The customer's row plus ``订单数``, ``已付款订单数``, ``累计实付款`` (元, 2 decimals)
        and ``最近下单时间`` (``NaT`` without orders).

    Raises
    ------
    TypeError
        If ``customer_id`` is not an integer.
    ValueError
        If a column is missing or the customer does not exist.

    Examples
    --------
    >>> customers = pd.DataFrame({"customer_id": [1, 2], "member_name": ["小林", "阿花"]})
    >>> orders = pd.DataFrame({"customer_id": [1, 1], "paid_at": [pd.Timestamp("2025-03-01"), pd.NaT],
    ...                        "payment": [99.5, 20.0],
    ...                        "created_at": pd.to_datetime(["2025-03-01", "2025-03-05"])})
    >>> customer_profile(customers, orders, 1)[["订单数", "已付款订单数", "累计实付款"]].tolist()
    [2, 1, 99.5]
    """
    check_dataframe(customers, "customers", [customer_col], allow_empty=True)
    check_dataframe(orders, "orders", [customer_col], allow_empty=True)
    check_columns(orders, "orders", [paid_col, payment_col, created_col])
    customer_id = check_int(customer_id, "客户编号（customer_id）")
    row = customers[customers[customer_col] == customer_id]
    if row.empty:
        raise ValueError(f"客户编号（customer_id）{customer_id} 不存在。")
    mine = orders[orders[customer_col] == customer_id]
    paid = mine[mine[paid_col].notna()]
    profile = row.iloc[0].copy()
    profile["订单数"] = len(mine)
    profile["已付款订单数"] = len(paid)
    profile["累计实付款"] = round(float(paid[payment_col].sum()), 2)
    profile["最近下单时间"] = mine[created_col].max() if len(mine) else pd.NaT
    return profile


# ---- the readings ---------------------------------------------------------------------------


def _check_store(store: Any) -> Store:
    if not isinstance(store, Store):
        raise TypeError(
            f"store 应该是一家网店（Store，用 load_store() 或 read_order_export() 得到），"
            f"收到的是 {type(store).__name__}。"
        )
    return store


def resolve_today(store: Store, today: Any = None) -> pd.Timestamp:
    """统计日: ``today`` as a day, default the shop's last day (本课程的规定).

    Parameters
    ----------
    store : Store
        The shop; its ``last_day``, or for a shop without one the day of its last order.
    today : str or pandas.Timestamp, optional
        Another day to count from.

    Returns
    -------
    pandas.Timestamp
        Midnight of the day.

    Raises
    ------
    TypeError, ValueError
        If ``today`` is not a time, or the shop has no orders to tell its last day.
    """
    _check_store(store)
    if today is not None:
        return check_timestamp(today, "统计日（today）").normalize()
    if store.last_day is not None:
        return store.last_day.normalize()
    created = store.orders["created_at"] if "created_at" in store.orders else pd.Series(dtype="datetime64[s]")
    if created.notna().sum() == 0:
        raise ValueError("这家店没有订单，说不出统计日是哪一天：请用 today= 指定，例如 today='2025-12-31'。")
    return created.max().normalize()


def days_ago(moments: pd.Series, today: pd.Timestamp) -> np.ndarray:
    """距今天数: calendar days from each moment to ``today`` (today is 0; empty → NaN).

    Parameters
    ----------
    moments : pandas.Series
        Date-times.
    today : pandas.Timestamp
        The 统计日.

    Returns
    -------
    numpy.ndarray
        Floats; moments after ``today`` give negative numbers.  Time-zone-aware moments
        count by their local (wall-clock) day.

    Examples
    --------
    >>> days_ago(pd.Series(pd.to_datetime(["2025-12-31 23:59", "2025-12-01 08:00", None])),
    ...          pd.Timestamp("2025-12-31")).tolist()
    [0.0, 30.0, nan]
    """
    day_ns = 86_400 * 10**9
    if getattr(moments.dtype, "tz", None) is not None:
        moments = moments.dt.tz_localize(None)
    values = moments.to_numpy(dtype="datetime64[ns]")
    missing = np.isnat(values)
    days = values.view("int64") // day_ns
    result = (today.normalize().value // day_ns - days).astype(float)
    result[missing] = np.nan
    return result


def _in_window(ago: np.ndarray, period_days: int | None) -> np.ndarray:
    """近 N 天 (days_ago in [0, N − 1]); ``None``: every moment up to today."""
    if period_days is None:
        return ago >= 0
    return (ago >= 0) & (ago <= period_days - 1)


def deal_mask(orders: pd.DataFrame) -> np.ndarray:
    """成交: paid (``paid_at`` set) and not closed by a full refund (本课程的规定).

    Parameters
    ----------
    orders : pandas.DataFrame
        Orders with ``paid_at`` and ``close_reason``; not modified.

    Returns
    -------
    numpy.ndarray of bool
        One value per order.

    Raises
    ------
    ValueError
        If a column is missing.
    """
    check_columns(orders, "orders", ["paid_at", "close_reason"])
    return orders["paid_at"].notna().to_numpy() & (orders["close_reason"] != "全额退款").to_numpy()


def _positions(ids: pd.Index, values: Any) -> np.ndarray:
    """Positions of ``values`` in ``ids`` (−1 for a value not there)."""
    return ids.get_indexer(np.asarray(values))


def _sum_by(positions: np.ndarray, weights: Any, size: int) -> np.ndarray:
    """Sum of ``weights`` per position (positions −1 left out)."""
    weights = np.asarray(weights, dtype=float)
    keep = positions >= 0
    return np.bincount(positions[keep], weights=weights[keep], minlength=size)


# ---- 客户构成分析 ---------------------------------------------------------------------------


def age_band(ages: pd.Series) -> pd.Series:
    """年龄段 of each age (本课程的分段，见 :data:`crm_helpers.vocabulary.AGE_BANDS`).

    Parameters
    ----------
    ages : pandas.Series
        Ages in years (numbers); empty values stay empty.

    Returns
    -------
    pandas.Series
        Categorical with the bands in order, same index.

    Examples
    --------
    >>> age_band(pd.Series([18, 25, 34, 35, 52])).tolist()
    ['24岁及以下', '25-29岁', '30-34岁', '35-39岁', '40岁及以上']
    """
    codes = np.searchsorted(np.array(AGE_BAND_STARTS), ages.to_numpy(dtype=float), side="right")
    codes = np.where(ages.isna().to_numpy(), -1, codes)
    return pd.Series(pd.Categorical.from_codes(codes, categories=list(AGE_BANDS)), index=ages.index)


_MISSING_IN_EXPORT = "千牛的“已卖出的宝贝”订单报表里没有这一项"


def _composition_column(customers: pd.DataFrame, by: str) -> pd.Series:
    column = "age" if by == "age_band" else by
    label = COMPOSITION_FIELDS[by]
    if column not in customers.columns or customers[column].isna().all():
        have = [
            name
            for key, name in COMPOSITION_FIELDS.items()
            if ("age" if key == "age_band" else key) in customers
        ]
        raise ValueError(
            f"客户表没有“{label}”（{column}）的数据，不能按{label}分析客户构成"
            f"（例如{_MISSING_IN_EXPORT}）。这份客户表能分析的是：{'、'.join(have) or '无'}。"
        )
    values = customers[column]
    return age_band(values) if by == "age_band" else values


def customer_composition(customers: pd.DataFrame, by: str) -> pd.DataFrame:
    """客户构成分析: how many customers, and what share, in each group.

    Parameters
    ----------
    customers : pandas.DataFrame
        The customer table (or a part of it, e.g. the buyers); not modified.
    by : {"region", "gender", "age_band", "channel"}
        Group by 地区, 性别, 年龄段 (from ``age``) or 获客渠道 (:data:`COMPOSITION_FIELDS`).

    Returns
    -------
    pandas.DataFrame
        Index named 地区 / 性别 / 年龄段 / 获客渠道; columns ``客户数`` and ``占比`` (a fraction;
        the shares add up to 1).  Age bands keep their order; the other groups are sorted by
        客户数, largest first (ties in the label order).  Customers with an empty value are
        left out.

    Raises
    ------
    TypeError
        If ``customers`` is not a DataFrame.
    ValueError
        If ``by`` is unknown, the table is empty or has no data for ``by`` (a 千牛 order
        export has 地区 only).

    Examples
    --------
    >>> customers = pd.DataFrame({"customer_id": [1, 2, 3], "gender": ["女", "男", "女"]})
    >>> customer_composition(customers, "gender")["客户数"].to_dict()
    {'女': 2, '男': 1}
    """
    check_choice(by, "分组方式（by）", list(COMPOSITION_FIELDS))
    check_dataframe(customers, "customers")
    values = _composition_column(customers, by)
    counts = values.value_counts(sort=False, dropna=True)
    if by != "age_band":
        counts = counts[counts > 0] if isinstance(values.dtype, pd.CategoricalDtype) else counts
        order = np.lexsort((np.arange(len(counts)), -counts.to_numpy()))
        counts = counts.iloc[order]
    table = pd.DataFrame({"客户数": counts.astype("int64"), "占比": counts / counts.sum()})
    table.index = pd.Index(table.index.astype(str), name=COMPOSITION_FIELDS[by])
    return table


def composition_chart(composition: pd.DataFrame, *, title: str | None = None, ax: Any = None) -> Any:
    """客户构成图: the 占比 column of :func:`customer_composition` as bars.

    Many groups (more than 8, e.g. 地区) are drawn as horizontal bars, largest at the top.

    Parameters
    ----------
    composition : pandas.DataFrame
        A result of :func:`customer_composition`.
    title : str, optional
        Default ``"客户构成：按<分组>"``.
    ax : matplotlib Axes, optional
        Where to draw.

    Returns
    -------
    matplotlib.axes.Axes
    """
    from .plotting import bar_chart

    check_dataframe(composition, "composition", ["占比"])
    name = composition.index.name or "分组"
    shares = composition["占比"]
    horizontal = len(shares) > 8
    if horizontal:
        shares = shares.iloc[::-1]
    labels = ("占客户的比例", name) if horizontal else (name, "占客户的比例")  # (x axis, y axis)
    return bar_chart(
        shares,
        title=title or f"客户构成：按{name}",
        xlabel=labels[0],
        ylabel=labels[1],
        horizontal=horizontal,
        ax=ax,
    )


# ---- 客户利润贡献度 -------------------------------------------------------------------------


def _paid_orders(store: Store, today: pd.Timestamp, period_days: int | None) -> pd.DataFrame:
    orders = store.orders
    check_columns(orders, "订单表（orders）", ["order_id", "customer_id", "paid_at", "payment"])
    return orders[_in_window(days_ago(orders["paid_at"], today), period_days)]


def _goods_cost(store: Store, paid: pd.DataFrame) -> np.ndarray:
    """商品成本 of each paid order (quantity × products.cost)."""
    products, items = store.products, store.order_items
    if "cost" not in products.columns or products["cost"].isna().any():
        missing = "没有“成本”（cost）这一列" if "cost" not in products.columns else "有商品没有填成本（cost）"
        raise ValueError(
            f"商品表{missing}，算不出商品成本，也就算不出利润（{_MISSING_IN_EXPORT}：它只有卖价）。"
            "可以先给商品表补上每件商品的进货成本；或者用 with_cost=False 算不扣商品成本的"
            "简化利润（利润 = 实付款 − 退款金额 − 红包），并在汇报时说明。"
        )
    unit_cost = products.set_index("product_id")["cost"]
    order_positions = _positions(pd.Index(paid["order_id"]), items["order_id"])
    counted = order_positions >= 0
    cost = unit_cost.reindex(items["product_id"].to_numpy()[counted]).to_numpy(float)
    if np.isnan(cost).any():
        unknown = sorted(set(items["product_id"].to_numpy()[counted][np.isnan(cost)].tolist()))
        raise ValueError(
            f"订单商品明细里的商品编号 {'、'.join(map(str, unknown[:10]))} 在商品表里没有，算不出它们的成本。"
        )
    item_cost = items["quantity"].to_numpy(dtype=float)[counted] * cost
    return _sum_by(order_positions[counted], item_cost, len(paid))


def profit_contribution(
    store: Store, *, today: Any = None, period_days: int | None = None, with_cost: bool = True
) -> pd.DataFrame:
    """客户利润贡献度: what each customer brought the shop, by the course's formula.

    利润 = 实付款 − 商品成本 − 退款金额 − 红包 (see the module docstring for what each term
    counts).  优惠金额 is shown, not subtracted: it is already out of 实付款.

    Parameters
    ----------
    store : Store
        The shop (:func:`crm_helpers.load_store` or a 千牛 export read by
        :func:`crm_helpers.shop_export.read_order_export`); not modified.
    today : str or pandas.Timestamp, optional
        统计日; default the shop's last day.
    period_days : int, optional
        Only 近 N 天 (orders paid and 红包 sent then; refunds of those orders); default all
        the data up to ``today``.
    with_cost : bool, default True
        ``False`` gives the reduced formula 利润 = 实付款 − 退款金额 − 红包 without a 商品成本
        column, for data without costs (a 千牛 order export).  Say so when you report it.

    Returns
    -------
    pandas.DataFrame
        Index 客户编号: every customer with a paid order or a 红包 in the period; columns
        :data:`PROFIT_COLUMNS` (元, rounded to 2 decimals).  优惠金额 is left out when the
        orders carry no discounts at all (a 千牛 order export), 商品成本 when ``with_cost`` is
        false.  ``attrs["公式"]`` states the formula used.

    Raises
    ------
    TypeError
        If ``store`` is not a Store.
    ValueError
        If the products have no cost (with ``with_cost=True``), a counted order has goods
        missing from the product table or a customer missing from the customer table, a
        table misses a column, or ``period_days`` is not a whole number ≥ 1.

    Examples
    --------
    >>> from crm_helpers import simulate_store
    >>> table = profit_contribution(simulate_store(200, 30, seed=1))
    >>> list(table.columns)
    ['会员名', '实付款', '商品成本', '退款金额', '红包', '优惠金额', '利润']
    """
    _check_store(store)
    today = resolve_today(store, today)
    if period_days is not None:
        period_days = check_int(period_days, "统计天数（period_days）", minimum=1)
    if not isinstance(with_cost, bool):
        raise TypeError(f"with_cost 应该是 True 或 False，收到的是 {with_cost!r}。")
    paid = _paid_orders(store, today, period_days)
    customers = store.customers
    ids = pd.Index(customers["customer_id"])
    size = len(ids)
    where = _positions(ids, paid["customer_id"])
    if (where < 0).any():
        unknown = sorted(set(paid["customer_id"].to_numpy()[where < 0].tolist()))
        raise ValueError(
            f"订单里的客户编号 {'、'.join(map(str, unknown[:10]))} 在客户表里没有，这些订单算不到任何客户头上。"
        )
    columns: dict[str, np.ndarray] = {"实付款": _sum_by(where, paid["payment"], size)}
    if with_cost:
        columns["商品成本"] = _sum_by(where, _goods_cost(store, paid), size)
    refunds = store.refunds
    done = refunds[(refunds["status"] == "退款成功") & refunds["order_id"].isin(paid["order_id"])]
    columns["退款金额"] = _sum_by(_positions(ids, done["customer_id"]), done["amount"], size)
    packets = store.red_packets
    red = np.zeros(size)
    if len(packets):
        sent = packets[_in_window(days_ago(pd.to_datetime(packets["sent_at"]), today), period_days)]
        red = _sum_by(_positions(ids, sent["customer_id"]), sent["amount"], size)
    columns["红包"] = red
    discounts = paid["discount"] if "discount" in paid.columns else pd.Series(dtype=float)
    has_discounts = len(paid) == 0 or discounts.notna().any()
    if has_discounts:
        columns["优惠金额"] = _sum_by(where, discounts.fillna(0.0), size)
    profit = columns["实付款"] - columns["退款金额"] - columns["红包"]
    if with_cost:
        profit = profit - columns["商品成本"]
    columns["利润"] = profit
    active = np.zeros(size, dtype=bool)
    active[where[where >= 0]] = True
    active |= red != 0
    table = pd.DataFrame({name: np.round(values[active], 2) for name, values in columns.items()})
    table.index = pd.Index(ids[active], name=_CUSTOMER_ID)
    names = (
        customers["member_name"]
        if "member_name" in customers.columns
        else pd.Series("", index=customers.index)
    )
    table.insert(0, "会员名", names.to_numpy()[active])
    table.attrs["公式"] = (
        "利润 = 实付款 − 商品成本 − 退款金额 − 红包"
        if with_cost
        else "利润（未扣商品成本）= 实付款 − 退款金额 − 红包"
    )
    return table


def negative_customers(profit: pd.DataFrame) -> pd.DataFrame:
    """负值顾客: the customers whose 利润 is below 0, the worst first.

    Parameters
    ----------
    profit : pandas.DataFrame
        A result of :func:`profit_contribution` (any table with a ``利润`` column).

    Returns
    -------
    pandas.DataFrame
        The rows with 利润 < 0, sorted by 利润 (most negative first, then by 客户编号).
    """
    check_dataframe(profit, "profit", ["利润"], allow_empty=True)
    negative = profit[profit["利润"] < 0]
    return negative.iloc[np.lexsort((negative.index.to_numpy(), negative["利润"].to_numpy()))]


def _profit_values(profit: Any) -> np.ndarray:
    if isinstance(profit, pd.DataFrame):
        check_dataframe(profit, "profit", ["利润"])
        profit = profit["利润"]
    if not isinstance(profit, pd.Series):
        raise TypeError(
            f"profit 应该是 profit_contribution() 的结果或一列利润，收到的是 {type(profit).__name__}。"
        )
    if profit.empty:
        raise ValueError("profit 是空的：这段时间没有客户，画不出帕累托曲线。")
    if profit.isna().any():
        raise ValueError("profit 里有空值，请先检查数据（利润不能是空的）。")
    values = np.sort(profit.to_numpy(dtype=float))[::-1]
    if values.sum() <= 0:
        raise ValueError(
            f"全部客户的利润合计是 {values.sum():.2f} 元，不大于 0，算不出每位客户占利润的比例。"
        )
    return values


def pareto_curve(profit: pd.DataFrame | pd.Series) -> pd.DataFrame:
    """帕累托曲线 (the Pareto curve of profit): cumulative share of profit vs share of customers.

    Customers are sorted by 利润, largest first.  With 负值顾客 the curve rises above 100 % and
    comes back down to 100 % at the end: the last customers eat up profit the first earned.

    Parameters
    ----------
    profit : pandas.DataFrame or pandas.Series
        A result of :func:`profit_contribution` or its ``利润`` column.

    Returns
    -------
    pandas.DataFrame
        One row per customer plus a first row (0, 0); columns ``客户占比`` and
        ``累计利润占比`` (fractions); index ``排名`` 0, 1, 2 …

    Raises
    ------
    TypeError, ValueError
        If ``profit`` is empty, has empty values or its total is not above 0.

    Examples
    --------
    >>> pareto_curve(pd.Series([50.0, -10.0, 60.0]))["累计利润占比"].round(2).tolist()
    [0.0, 0.6, 1.1, 1.0]
    """
    values = _profit_values(profit)
    n = len(values)
    return pd.DataFrame(
        {
            "客户占比": np.arange(n + 1) / n,
            "累计利润占比": np.concatenate([[0.0], np.cumsum(values) / values.sum()]),
        },
        index=pd.RangeIndex(n + 1, name="排名"),
    )


def top_profit_share(profit: pd.DataFrame | pd.Series, customer_share: float = 0.2) -> float:
    """利润最高的前 x% 客户贡献了全部利润的多少 (share of profit of the top customers).

    Parameters
    ----------
    profit : pandas.DataFrame or pandas.Series
        A result of :func:`profit_contribution` or its ``利润`` column.
    customer_share : float, default 0.2
        The top share of customers (0 < x ≤ 1); their number is rounded up.

    Returns
    -------
    float
        Their profit ÷ total profit (above 1 when 负值顾客 eat up part of it).

    Examples
    --------
    >>> top_profit_share(pd.Series([80.0, 10.0, 10.0, 0.0, 0.0]), 0.2)
    0.8
    """
    customer_share = check_number(customer_share, "客户占比（customer_share）")
    if not 0 < customer_share <= 1:
        raise ValueError(f"客户占比（customer_share）应该大于 0、不超过 1，收到的是 {customer_share:g}。")
    values = _profit_values(profit)
    top = math.ceil(round(customer_share * len(values), 9))
    return float(values[:top].sum() / values.sum())


def pareto_chart(curve: pd.DataFrame, *, title: str = "客户利润贡献度：帕累托曲线", ax: Any = None) -> Any:
    """画帕累托曲线 (draw :func:`pareto_curve`): the 100 % line, the 20 % mark and the peak.

    Parameters
    ----------
    curve : pandas.DataFrame
        A result of :func:`pareto_curve`.
    title : str, optional
        The chart's title.
    ax : matplotlib Axes, optional
        Where to draw.

    Returns
    -------
    matplotlib.axes.Axes
    """
    import matplotlib.pyplot as plt
    from matplotlib.ticker import PercentFormatter

    check_dataframe(curve, "curve", ["客户占比", "累计利润占比"])
    if ax is None:
        _, ax = plt.subplots(figsize=(7, 4.5))
    x, y = curve["客户占比"], curve["累计利润占比"]
    ax.plot(x, y, color="#2b6cb0", linewidth=2, label="累计利润占比")
    ax.axhline(1.0, color="grey", linestyle="--", linewidth=1, label="全部利润（100%）")
    top = int(np.searchsorted(x.to_numpy(), 0.2, side="left"))
    ax.axvline(0.2, color="#dd6b20", linestyle=":", linewidth=1)
    ax.annotate(
        f"前 20% 的客户：{y.iloc[top]:.0%}",
        (x.iloc[top], y.iloc[top]),
        xytext=(12, -28),
        textcoords="offset points",
        color="#dd6b20",
    )
    peak = int(y.to_numpy().argmax())
    if y.iloc[peak] > 1.0 + 1e-9:
        ax.plot([x.iloc[peak]], [y.iloc[peak]], "o", color="#c53030")
        ax.annotate(
            f"最高点 {y.iloc[peak]:.0%}：之后的客户\n把利润“吃掉”了 {y.iloc[peak] - 1:.0%}",
            (x.iloc[peak], y.iloc[peak]),
            xytext=(-10, -50),
            textcoords="offset points",
            ha="right",
            color="#c53030",
        )
    ax.xaxis.set_major_formatter(PercentFormatter(1.0))
    ax.yaxis.set_major_formatter(PercentFormatter(1.0))
    ax.set_xlim(0, 1)
    ax.set_ylim(0, max(1.1, float(y.max()) * 1.1))
    ax.set_title(title)
    ax.set_xlabel("客户占比（按利润从高到低排）")
    ax.set_ylabel("累计利润占全部利润的比例")
    ax.legend(loc="lower right", frameon=False)
    return ax


# ---- 客户识别：忠诚客户的相似客户 -----------------------------------------------------------


def lookalike_features(store: Store, *, today: Any = None) -> pd.DataFrame:
    """每位客户的识别特征: deals in 近两年 and the features 客户识别 compares.

    The deal columns are those of the crowd tag table
    (:func:`crm_helpers.crowds.customer_features`, same names, same numbers); this adds the
    customer's 地区, 年龄段, 获客渠道 and 常买类目.

    Parameters
    ----------
    store : Store
        The shop; not modified.  Its customer table needs region, age and channel, its
        products a category (a 千牛 export has neither).
    today : str or pandas.Timestamp, optional
        统计日; default the shop's last day.

    Returns
    -------
    pandas.DataFrame
        Index 客户编号 (every customer); columns ``会员名``, ``近两年成交次数``,
        ``最近一次成交距今天数`` (of the latest 成交 up to 统计日, also one before 近两年; NaN
        without any), ``地区``, ``年龄段``, ``获客渠道`` and
        ``常买类目`` (the category with the most items over the customer's 成交 in 近两年;
        ties go to the category listed first; empty without a 成交).

    Raises
    ------
    TypeError, ValueError
        If ``store`` is not a Store or a needed column is missing.

    Examples
    --------
    >>> from crm_helpers import load_store
    >>> list(lookalike_features(load_store()).columns)
    ['会员名', '近两年成交次数', '最近一次成交距今天数', '地区', '年龄段', '获客渠道', '常买类目']
    """
    from .crowds import customer_features as crowd_tag_table  # crowds builds on this module

    _check_store(store)
    today = resolve_today(store, today)
    customers, orders, items, products = store.customers, store.orders, store.order_items, store.products
    for column in ("region", "age", "channel"):
        _composition_column(customers, "age_band" if column == "age" else column)
    if "category" not in products.columns:
        raise ValueError(f"商品表没有“类目”（category）这一列，算不出常买类目（{_MISSING_IN_EXPORT}）。")
    deal_columns = ["近两年成交次数", "最近一次成交距今天数"]
    tag_table = crowd_tag_table(store, today)
    missing = tag_table.attrs["缺少的标签"]
    if deal_columns[0] in missing:
        raise ValueError(f"算不出客户的近两年成交次数：{missing[deal_columns[0]]}。")
    ids = pd.Index(customers["customer_id"])
    recent = deal_mask(orders) & _in_window(days_ago(orders["paid_at"], today), TWO_YEARS)
    where = _positions(ids, orders["customer_id"].to_numpy()[recent])
    categories = products["category"].astype("category")
    order_position = _positions(pd.Index(orders["order_id"].to_numpy()[recent]), items["order_id"])
    kept = order_position >= 0
    item_customer = where[order_position[kept]]
    item_category = pd.Series(categories.cat.codes.to_numpy(), index=products["product_id"]).reindex(
        items["product_id"].to_numpy()[kept]
    )
    n_categories = len(categories.cat.categories)
    valid = (item_customer >= 0) & item_category.notna().to_numpy()
    cells = item_customer[valid] * n_categories + item_category.to_numpy()[valid].astype(np.int64)
    units = np.bincount(
        cells, weights=items["quantity"].to_numpy(dtype=float)[kept][valid], minlength=len(ids) * n_categories
    ).reshape(len(ids), n_categories)
    main = np.where(units.max(axis=1) > 0, units.argmax(axis=1), -1)
    deals = tag_table[deal_columns].reindex(ids.to_numpy())
    features = pd.DataFrame(
        {
            "会员名": customers["member_name"].to_numpy(),
            **{name: deals[name].to_numpy() for name in deal_columns},
            "地区": customers["region"].to_numpy(),
            "年龄段": age_band(customers["age"]).to_numpy(),
            "获客渠道": customers["channel"].to_numpy(),
            "常买类目": pd.Categorical.from_codes(main, categories=categories.cat.categories),
        },
        index=pd.Index(ids, name=_CUSTOMER_ID),
    )
    return features


def loyal_profile(
    features: pd.DataFrame,
    *,
    min_deals: int = LOYAL_MIN_DEALS,
    min_ratio: float = 1.2,
    min_share: float = 0.1,
) -> pd.DataFrame:
    """忠诚客户画像: which feature values are typical of the loyal customers.

    A value is **typical** (典型) when at least ``min_share`` of the loyal customers have it
    and their share is at least ``min_ratio`` times its share among all buyers (customers with
    a 成交 in 近两年).  A feature where no value is typical does not tell loyal customers
    apart (本课程的规定).

    Parameters
    ----------
    features : pandas.DataFrame
        A result of :func:`lookalike_features`.
    min_deals : int, default :data:`LOYAL_MIN_DEALS`
        忠诚客户 = at least this many 成交 in 近两年.
    min_ratio : float, default 1.2
        How much more common among loyal customers a value must be.
    min_share : float, default 0.1
        The smallest share of loyal customers a typical value must cover.

    Returns
    -------
    pandas.DataFrame
        One row per feature value seen among the loyal customers: ``特征``, ``取值``,
        ``忠诚客户占比``, ``全体买家占比``, ``倍数`` (the ratio) and ``典型`` (bool); sorted by
        feature, then 倍数 (largest first).

    Raises
    ------
    ValueError
        If a column is missing or there is no loyal customer.
    """
    check_dataframe(features, "features", ["近两年成交次数", *LOOKALIKE_FEATURES])
    min_deals = check_int(min_deals, "忠诚客户的最少成交笔数（min_deals）", minimum=2)
    min_ratio = check_number(min_ratio, "倍数（min_ratio）", minimum=1)
    min_share = check_number(min_share, "最小占比（min_share）", minimum=0)
    buyers = features[features["近两年成交次数"] >= 1]
    loyal = buyers[buyers["近两年成交次数"] >= min_deals]
    if loyal.empty:
        raise ValueError(f"近两年成交 {min_deals} 笔及以上的忠诚客户一个也没有，请把 min_deals 调小。")
    rows = []
    for feature in LOOKALIKE_FEATURES:
        among_loyal = loyal[feature].astype(str).value_counts(normalize=True)
        among_all = buyers[feature].astype(str).value_counts(normalize=True)
        for value, share in among_loyal.items():
            ratio = share / among_all[value]
            typical = share >= min_share and ratio >= min_ratio
            rows.append((feature, value, share, among_all[value], ratio, typical))
    table = pd.DataFrame(rows, columns=["特征", "取值", "忠诚客户占比", "全体买家占比", "倍数", "典型"])
    order = {name: i for i, name in enumerate(LOOKALIKE_FEATURES)}
    table = table.assign(_o=table["特征"].map(order)).sort_values(
        ["_o", "倍数", "取值"], ascending=[True, False, True]
    )
    return table.drop(columns="_o").reset_index(drop=True)


def lookalike_customers(
    store: Store, *, today: Any = None, min_deals: int = LOYAL_MIN_DEALS, profile: pd.DataFrame | None = None
) -> pd.DataFrame:
    """客户识别: one-time buyers who look like the loyal customers (本课程的方法).

    Candidates have exactly one 成交 in 近两年.  A candidate is a lookalike when, on every
    feature that has typical values in :func:`loyal_profile`, his value is one of them.

    Parameters
    ----------
    store : Store
        The shop; not modified.
    today : str or pandas.Timestamp, optional
        统计日; default the shop's last day.
    min_deals : int, default :data:`LOYAL_MIN_DEALS`
        忠诚客户 = at least this many 成交 in 近两年.
    profile : pandas.DataFrame, optional
        A :func:`loyal_profile` result to use (e.g. with other thresholds); default computed
        with its defaults.

    Returns
    -------
    pandas.DataFrame
        The lookalikes (index 客户编号), with the columns of :func:`lookalike_features` and
        ``匹配的特征`` (e.g. ``常买类目=母婴用品``).  ``attrs["典型特征"]`` lists the typical
        values used.

    Raises
    ------
    ValueError
        If no feature has a typical value (then nobody can be told apart) or as
        :func:`lookalike_features`.
    """
    features = lookalike_features(store, today=today)
    if profile is None:
        profile = loyal_profile(features, min_deals=min_deals)
    check_dataframe(profile, "profile", ["特征", "取值", "典型"], allow_empty=True)
    typical = profile[profile["典型"]]
    if typical.empty:
        raise ValueError(
            "忠诚客户在地区、年龄段、获客渠道、常买类目上都和全体买家差不多，找不出可以用来识别的特征。"
        )
    candidates = features[features["近两年成交次数"] == 1]
    match = np.ones(len(candidates), dtype=bool)
    described = []
    for feature, values in typical.groupby("特征", sort=False)["取值"]:
        match &= candidates[feature].astype(str).isin(list(values)).to_numpy()
        described.append(feature)
    found = candidates[match]
    matched = pd.Series("", index=found.index)
    for i, feature in enumerate(described):
        matched = matched + ("，" if i else "") + f"{feature}=" + found[feature].astype(str)
    found = found.assign(匹配的特征=matched)
    found.attrs["典型特征"] = {f: list(v) for f, v in typical.groupby("特征", sort=False)["取值"]}
    return found
