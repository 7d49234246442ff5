"""客户分群与人群分析 (crowds): 人群名称 + 人群定义 + 预计触达人数, computed from the shop's tables.

A **crowd** (人群) is a name, a definition and the number of customers it reaches.  Its
definition is data a student can read and combine: a list of **conditions** on the **tags**
(标签) of a per-customer tag table, joined by 且 (and).  A condition is ``(标签, 下限, 上限)``;
both bounds are inclusive and ``None`` means 不限 (no bound on that side).

* :func:`customer_features` computes the tag table once from the shop's tables: one row per
  customer (客户编号), one column per tag of :data:`CROWD_FEATURES` (近两年付款总金额,
  近两年成交次数, 最近一次成交距今天数, 近3-10天加购次数 …).
* :func:`define_crowd` checks a name and conditions and returns a :class:`Crowd`; its
  :meth:`Crowd.reach` is the 预计触达人数 and :meth:`Crowd.members` the customers.  A reach
  on a tag table is a few array comparisons, so it stays fast on a very large shop.
* :func:`standard_crowds` are the crowds of seed 000 (活动2-2) with the course's readings;
  :func:`crowd_table` lists crowds as 人群名称 / 人群定义 / 预计触达人数.
* 人群分析: :func:`crowd_behaviour` (浏览、加购、收藏、购买 of the crowd's customers) and
  :func:`crowd_profile` (地区、性别、年龄段、获客渠道 against the whole shop), with the plots
  :func:`plot_crowd_behaviour` and :func:`plot_crowd_profile`.

Readings (本课程的规定)
------------------------
统计日, 距今天数, 近 N 天 / 近两年, 成交 and 年龄段 are those of :mod:`crm_helpers.customers`
(:func:`~crm_helpers.customers.resolve_today`, :func:`~crm_helpers.customers.days_ago`,
:data:`~crm_helpers.customers.TWO_YEARS`, :func:`~crm_helpers.customers.deal_mask`,
:func:`~crm_helpers.customers.age_band`), computed there only:

* **统计日 (today)** = the shop's last day, ``store.last_day``; a day's **距今天数** (days_ago) is
  ``(today − moment 的日期).days`` in calendar days (today is 0).  Moments after today are left out.
* **近 N 天** = 距今天数 0 至 N − 1; **近两年** = 近 730 天; **近3-10天** = 距今天数 3 至 10.
* **成交** = an order that was paid and not fully refunded (``close_reason`` ≠ 全额退款);
  **付款** (付款总金额、付款笔数) counts every paid order, refunded or not.
* **兴趣人群**: customers with a 加购 or 收藏 in 近3-10天 of a product they have no 成交 of in 近两年.
* **新客户人群**: exactly one 成交 in 近两年, and it lies within 近180天 (距今天数 ≤ 179).
* **复购人群**: customers whose latest 成交 of a 复购率较高的商品 (one with a
  ``repurchase_cycle_days``) is 距今 [复购周期 − 7, 复购周期 + 7] days (the 7 is
  ``repurchase_tolerance_days``).
* **30天内无购买记录的老客户**: at least one 成交 in 近两年 and none in 近30天.
* **小额交易活跃** (seed 000's homework): 近两年付款总金额 5-50 元 and 近两年付款笔数 10-100 笔.

A shop's own data (a 千牛 order export, :func:`crm_helpers.shop_export.read_order_export`)
has no 行为表 (events), no ages, genders or channels and no 复购周期: the tags that need them
are left out of its tag table, and a crowd or analysis that uses one raises a Chinese error
that names the missing table.

Importing the module defines the tag list and the functions only; nothing is computed.

Examples
--------
>>> import crm_helpers
>>> store = crm_helpers.load_store()
>>> features = customer_features(store)
>>> crowd = define_crowd("小额交易活跃", [("近两年付款总金额", 5, 50), ("近两年付款笔数", 10, 100)])
>>> crowd.definition
'近两年付款总金额 5～50 元 且 近两年付款笔数 10～100 笔'
>>> crowd.reach(features)
11
"""

from __future__ import annotations

import math
import numbers
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from types import MappingProxyType
from typing import Any

import numpy as np
import pandas as pd

from ._validation import check_choice, check_dataframe, check_int, check_text, is_list_like
from .customers import COMPOSITION_FIELDS, TWO_YEARS, age_band, days_ago, deal_mask, resolve_today
from .store import TABLE_NAMES, Store
from .vocabulary import AGE_BANDS, CROWD_BASE_FEATURES, CROWD_BEHAVIOURS, EVENT_TYPES

__all__ = [
    "CROWD_FEATURES",
    "CROWD_NAME_MAX_LENGTH",
    "REPURCHASE_TOLERANCE_DAYS",
    "Condition",
    "Crowd",
    "CrowdFeature",
    "crowd_behaviour",
    "crowd_profile",
    "crowd_table",
    "customer_features",
    "define_crowd",
    "feature_table",
    "plot_crowd_behaviour",
    "plot_crowd_profile",
    "standard_crowds",
]

#: The longest 人群名称 (本课程的规定).
CROWD_NAME_MAX_LENGTH = 20
#: 复购人群's tolerance around a product's repurchase cycle, in days (本课程的规定).
REPURCHASE_TOLERANCE_DAYS = 7
_INTEREST_DAYS = (3, 10)


@dataclass(frozen=True)
class CrowdFeature:
    """One tag (标签) of the tag table: its Chinese name, meaning, unit and the data it needs.

    Attributes
    ----------
    name : str
        The column name in :func:`customer_features` and in conditions.
    meaning : str
        What it counts, with the course's reading.
    unit : str
        元, 笔, 次, 天, 个 or 岁 (written after the numbers of a definition).
    needs : tuple of (str, str)
        ``(table, column)`` pairs the tag is computed from; an empty table (an order export has
        no events) or a missing column leaves the tag out.
    """

    name: str
    meaning: str
    unit: str
    needs: tuple[tuple[str, str], ...]


_ORDERS = (("orders", "paid_at"), ("orders", "payment"))
_DEALS = (*_ORDERS, ("orders", "close_reason"))
_EVENTS = (("events", "event_type"), ("events", "occurred_at"))
_FEATURES = (
    CrowdFeature("近两年付款总金额", "近两年（近 730 天）付款的订单的实付款之和，退款的也算", "元", _ORDERS),
    CrowdFeature("近两年付款笔数", "近两年付款的订单笔数，退款的也算", "笔", _ORDERS),
    CrowdFeature("近两年成交次数", "近两年成交（付了款、没有全额退款）的订单笔数", "次", _DEALS),
    CrowdFeature("近180天成交次数", "近 180 天（距今 0-179 天）成交的订单笔数", "次", _DEALS),
    CrowdFeature("近30天成交次数", "近 30 天（距今 0-29 天）成交的订单笔数", "次", _DEALS),
    CrowdFeature(
        "最近一次成交距今天数",
        "最近一次成交的日期距统计日多少天（今天是 0）；没有成交的客户是空值",
        "天",
        _DEALS,
    ),
    CrowdFeature("近3-10天浏览次数", "距今 3-10 天（两端都算）浏览商品的次数", "次", _EVENTS),
    CrowdFeature("近3-10天加购次数", "距今 3-10 天把商品加入购物车的次数", "次", _EVENTS),
    CrowdFeature("近3-10天收藏次数", "距今 3-10 天收藏商品的次数", "次", _EVENTS),
    CrowdFeature(
        "兴趣商品数",
        "距今 3-10 天加购或收藏过、而近两年没有成交过的商品有几种",
        "个",
        (*_DEALS, *_EVENTS, ("order_items", "product_id")),
    ),
    CrowdFeature(
        "到复购期商品数",
        "买过的复购率较高的商品里，最近一次成交距今天数在复购周期 ±7 天内的有几种",
        "个",
        (*_DEALS, ("order_items", "product_id"), ("products", "repurchase_cycle_days")),
    ),
    CrowdFeature("年龄", "客户档案里的年龄", "岁", (("customers", "age"),)),
)
#: Every tag a crowd condition may use, by name (标签名 → :class:`CrowdFeature`), in table order.
CROWD_FEATURES = MappingProxyType({feature.name: feature for feature in _FEATURES})


def feature_table() -> pd.DataFrame:
    """All tags with their meaning and unit (标签一览), for reading.

    Returns
    -------
    pandas.DataFrame
        Columns ``标签``, ``含义``, ``单位``, ``需要的数据表``.

    Examples
    --------
    >>> feature_table()["标签"].tolist()[:3]
    ['近两年付款总金额', '近两年付款笔数', '近两年成交次数']
    """
    rows = [
        {
            "标签": f.name,
            "含义": f.meaning,
            "单位": f.unit,
            "需要的数据表": "、".join(dict.fromkeys(_table_name(table) for table, _ in f.needs)),
        }
        for f in _FEATURES
    ]
    return pd.DataFrame(rows)


# ---- the tag table -------------------------------------------------------------------------


def _days_ago(times: pd.Series, today: pd.Timestamp) -> np.ndarray:
    """距今天数 (:func:`crm_helpers.customers.days_ago`), moments after today left out (NaN)."""
    days = days_ago(times, today)
    days[days < 0] = np.nan
    return days


def _missing_reason(store: Store, feature: CrowdFeature) -> str | None:
    """Why ``feature`` cannot be computed from ``store`` (None when it can)."""
    for table, column in feature.needs:
        frame = store.tables[table]
        if frame.empty:
            return f"它要用{_table_name(table)}，这份数据里这张表是空的"
        if column not in frame.columns or frame[column].isna().all():
            return f"它要用{_table_name(table)}的列 '{column}'，这份数据里没有这一列或这一列全是空的"
    return None


def _table_name(table: str) -> str:
    """``行为表（events）``: a table's short Chinese name and its attribute."""
    return f"{TABLE_NAMES[table].split('（')[0]}（{table}）"


class _Positions:
    """Customer ids → row positions of the tag table, and per-customer counting."""

    def __init__(self, customer_ids: pd.Index) -> None:
        self.index = customer_ids
        self.size = len(customer_ids)

    def of(self, ids: pd.Series) -> np.ndarray:
        return self.index.get_indexer(ids.to_numpy())

    def count(self, positions: np.ndarray, weights: np.ndarray | None = None) -> np.ndarray:
        keep = positions >= 0
        w = None if weights is None else weights[keep]
        return np.bincount(positions[keep], weights=w, minlength=self.size)


def _deal_mask(orders: pd.DataFrame, paid_days: np.ndarray) -> np.ndarray:
    """成交 (:func:`crm_helpers.customers.deal_mask`) paid by today."""
    return deal_mask(orders) & ~np.isnan(paid_days)


def _deal_items(store: Store, orders: pd.DataFrame, deal_days: np.ndarray) -> pd.DataFrame:
    """One row per (deal, product): ``customer_id``, ``product_id`` and the deal's 距今天数."""
    deals = pd.DataFrame(
        {"order_id": orders["order_id"].to_numpy(), "customer_id": orders["customer_id"].to_numpy()}
    ).assign(days=deal_days)
    deals = deals[~np.isnan(deal_days)]
    items = store.order_items[["order_id", "product_id"]]
    return deals.merge(items, on="order_id", how="inner")[["customer_id", "product_id", "days"]]


def _pair_keys(customers: np.ndarray, products: np.ndarray, width: int) -> np.ndarray:
    return customers.astype(np.int64) * width + products.astype(np.int64)


def _wanted_tags(only: Iterable[str] | None) -> set[str]:
    """The tags asked for (``None``: all of :data:`CROWD_FEATURES`), each checked by name."""
    if only is None:
        return set(CROWD_FEATURES)
    if isinstance(only, str) or not is_list_like(only):
        raise TypeError(f"only 应该是标签名的列表，例如 ['近两年成交次数']，收到的是 {only!r}。")
    names = list(only)
    for name in names:
        check_choice(name, "标签（only）", list(CROWD_FEATURES))
    return set(names)


def customer_features(
    store: Store,
    today: Any = None,
    *,
    repurchase_tolerance_days: int = REPURCHASE_TOLERANCE_DAYS,
    only: Iterable[str] | None = None,
) -> pd.DataFrame:
    """标签表: one row per customer, one column per tag of :data:`CROWD_FEATURES`.

    Computed once from the shop's tables; every crowd's reach is then read from it.  Counts
    are whole numbers (0 when there is nothing), 最近一次成交距今天数 is empty for a customer
    without a 成交, 年龄 as in the customer table.  Tags whose data the shop does not have (a
    千牛 order export has no events, ages or repurchase cycles) are left out; a crowd that
    uses one is refused with the reason.

    Parameters
    ----------
    store : Store
        The shop (:func:`crm_helpers.load_store`, :func:`crm_helpers.simulate_store` or
        :func:`crm_helpers.shop_export.read_order_export`); it is not modified.
    today : date-like, optional
        统计日; default the shop's last day (``store.last_day``).  Moments after it are left out.
    repurchase_tolerance_days : int, default 7
        到复购期: 最近一次成交距今天数 within 复购周期 ± this many days (both ends included).
    only : list of str, optional
        Compute only these tags (names of :data:`CROWD_FEATURES`), e.g. for
        :func:`crm_helpers.tags.tag_features`, which needs the order tags only; default all.

    Returns
    -------
    pandas.DataFrame
        Index ``客户编号`` (customer_id), columns the computable tags (of ``only``) in
        :data:`CROWD_FEATURES` order.  ``attrs["统计日"]`` is the day used, ``attrs["缺少的标签"]`` says why each
        left-out tag could not be computed.

    Raises
    ------
    TypeError, ValueError
        If ``store`` is not a Store, ``today`` is not a date, the tolerance is not a whole
        number ≥ 0 or ``only`` names an unknown tag.

    Examples
    --------
    >>> import crm_helpers
    >>> features = customer_features(crm_helpers.load_store())
    >>> features.index.name, features.columns[0]
    ('客户编号', '近两年付款总金额')
    """
    if not isinstance(store, Store):
        raise TypeError(f"参数 store 应该是一家网店（Store），收到的是 {type(store).__name__}。")
    tolerance = check_int(
        repurchase_tolerance_days, "repurchase_tolerance_days（复购周期的容差天数）", minimum=0
    )
    wanted = _wanted_tags(only)
    day = resolve_today(store, today)
    check_dataframe(store.customers, "customers", ["customer_id"], allow_empty=True)
    check_dataframe(
        store.orders, "orders", ["order_id", "customer_id", "paid_at", "payment"], allow_empty=True
    )
    ids = pd.Index(store.customers["customer_id"].to_numpy(), name="客户编号")
    where = _Positions(ids)
    missing = {f.name: _missing_reason(store, f) for f in _FEATURES if f.name in wanted}
    available = {name for name, reason in missing.items() if reason is None}
    columns: dict[str, Any] = {}

    def wants(*names: str) -> bool:
        return not available.isdisjoint(names)

    orders = store.orders
    paid_days = _days_ago(orders["paid_at"], day)
    order_pos = where.of(orders["customer_id"])
    if wants("近两年付款总金额", "近两年付款笔数"):
        recent_paid = paid_days <= TWO_YEARS - 1
        payment = orders["payment"].to_numpy(dtype=float, na_value=0.0)
        columns["近两年付款总金额"] = np.round(where.count(order_pos[recent_paid], payment[recent_paid]), 2)
        columns["近两年付款笔数"] = where.count(order_pos[recent_paid]).astype(np.int64)
    deal_days = np.full(len(orders), np.nan)
    deal_tags = ("近两年成交次数", "近180天成交次数", "近30天成交次数", "最近一次成交距今天数")
    if wants(*deal_tags, "兴趣商品数", "到复购期商品数"):
        deal = _deal_mask(orders, paid_days)
        deal_days[deal] = paid_days[deal]
    if wants(*deal_tags):
        for name, window in (
            ("近两年成交次数", TWO_YEARS),
            ("近180天成交次数", 180),
            ("近30天成交次数", 30),
        ):
            columns[name] = where.count(order_pos[deal_days <= window - 1]).astype(np.int64)
        latest = np.full(where.size, np.inf)
        counted = ~np.isnan(deal_days) & (order_pos >= 0)
        np.minimum.at(latest, order_pos[counted], deal_days[counted])
        latest[np.isinf(latest)] = np.nan
        columns["最近一次成交距今天数"] = latest
    if wants(*(f"近3-10天{kind}次数" for kind in EVENT_TYPES)):
        events = store.events
        event_days = _days_ago(events["occurred_at"], day)
        window = (event_days >= _INTEREST_DAYS[0]) & (event_days <= _INTEREST_DAYS[1])
        kinds = events["event_type"].astype(object).to_numpy()
        event_pos = where.of(events["customer_id"])
        for kind in EVENT_TYPES:
            columns[f"近3-10天{kind}次数"] = where.count(event_pos[window & (kinds == kind)]).astype(np.int64)
    if "兴趣商品数" in available:
        columns["兴趣商品数"] = _interest_products(store, where, orders, deal_days, day)
    if "到复购期商品数" in available:
        columns["到复购期商品数"] = _due_products(store, where, orders, deal_days, tolerance)
    if "年龄" in available:
        columns["年龄"] = pd.to_numeric(store.customers["age"]).to_numpy(dtype=float, na_value=np.nan)
    table = pd.DataFrame({name: values for name, values in columns.items() if name in available}, index=ids)
    table.attrs["统计日"] = day
    table.attrs["缺少的标签"] = {name: reason for name, reason in missing.items() if reason is not None}
    return table


def _interest_products(
    store: Store, where: _Positions, orders: pd.DataFrame, deal_days: np.ndarray, day: pd.Timestamp
) -> np.ndarray:
    """兴趣商品数: products carted or favourited 3-10 days ago with no 成交 in 近两年."""
    events = store.events
    event_days = _days_ago(events["occurred_at"], day)
    kinds = events["event_type"].astype(object).to_numpy()
    keep = (
        (event_days >= _INTEREST_DAYS[0])
        & (event_days <= _INTEREST_DAYS[1])
        & np.isin(kinds, ["加购", "收藏"])
    )
    customers = events["customer_id"].to_numpy()[keep]
    products = events["product_id"].to_numpy()[keep]
    width = int(max(store.products["product_id"].max(), products.max(initial=0))) + 1
    wanted = np.unique(_pair_keys(customers, products, width))
    bought = _deal_items(store, orders, np.where(deal_days <= TWO_YEARS - 1, deal_days, np.nan))
    bought_keys = _pair_keys(bought["customer_id"].to_numpy(), bought["product_id"].to_numpy(), width)
    # Hash the few wanted pairs and scan the many bought ones (np.isin would sort them all).
    bought_wanted = bought_keys[pd.Series(bought_keys).isin(wanted).to_numpy()]
    interest = wanted[~np.isin(wanted, bought_wanted)]
    return where.count(where.index.get_indexer(interest // width)).astype(np.int64)


def _due_products(
    store: Store, where: _Positions, orders: pd.DataFrame, deal_days: np.ndarray, tolerance: int
) -> np.ndarray:
    """到复购期商品数: 复购率较高的商品 whose latest 成交 is within its cycle ± ``tolerance`` days."""
    cycles = store.products[["product_id", "repurchase_cycle_days"]].dropna()
    items = _deal_items(store, orders, deal_days).merge(cycles, on="product_id")
    latest = items.groupby(["customer_id", "product_id"], sort=False).agg(
        days=("days", "min"), cycle=("repurchase_cycle_days", "first")
    )
    cycle = latest["cycle"].to_numpy(dtype=float)
    due = (latest["days"].to_numpy() >= cycle - tolerance) & (latest["days"].to_numpy() <= cycle + tolerance)
    customers = latest.index.get_level_values("customer_id")[due]
    return where.count(where.index.get_indexer(customers)).astype(np.int64)


# ---- conditions and crowds -----------------------------------------------------------------


def _bound(value: Any, feature: str, side: str) -> float | None:
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, numbers.Real) or math.isnan(value):
        raise TypeError(
            f"标签「{feature}」的{side}应该是数字或 None（不限），收到的是 {value!r}（{type(value).__name__}）。"
        )
    return float(value)


def _number_text(value: float) -> str:
    return f"{value:,.0f}" if float(value).is_integer() else f"{value:,.2f}".rstrip("0").rstrip(".")


@dataclass(frozen=True)
class Condition:
    """One condition of a crowd definition: ``下限 ≤ 标签 ≤ 上限`` (both ends included).

    Parameters
    ----------
    feature : str
        A tag of :data:`CROWD_FEATURES`, e.g. ``"近两年付款笔数"``.
    lower, upper : float or None
        The bounds (inclusive); ``None`` means 不限 on that side, but not on both.

    Raises
    ------
    TypeError
        If the tag is not text or a bound is not a number or None.
    ValueError
        If the tag is unknown, both bounds are None or ``lower > upper``.

    Examples
    --------
    >>> Condition("近两年付款笔数", 10, 100).text
    '近两年付款笔数 10～100 笔'
    >>> Condition("近30天成交次数", 0, 0).text
    '近30天成交次数 = 0 次'
    """

    feature: str
    lower: float | None = None
    upper: float | None = None

    def __post_init__(self) -> None:
        if not isinstance(self.feature, str):
            raise TypeError(
                f"标签应该是文字（str），收到的是 {self.feature!r}（{type(self.feature).__name__}）。"
            )
        if self.feature not in CROWD_FEATURES:
            raise ValueError(f"没有叫「{self.feature}」的标签。可以用的标签：{'、'.join(CROWD_FEATURES)}。")
        lower = _bound(self.lower, self.feature, "下限")
        upper = _bound(self.upper, self.feature, "上限")
        if lower is None and upper is None:
            raise ValueError(f"标签「{self.feature}」的下限和上限不能都是 None（不限）：至少要给出一个。")
        if lower is not None and upper is not None and lower > upper:
            raise ValueError(
                f"标签「{self.feature}」的范围 {_number_text(lower)}～{_number_text(upper)} 不对："
                f"下限 {_number_text(lower)} 大于上限 {_number_text(upper)}。下限必须小于或等于上限（两端都包含）。"
            )
        object.__setattr__(self, "lower", lower)
        object.__setattr__(self, "upper", upper)

    @property
    def text(self) -> str:
        """The condition as Chinese text, e.g. ``近两年付款总金额 5～50 元``."""
        unit = CROWD_FEATURES[self.feature].unit
        if self.lower is None:
            return f"{self.feature} ≤ {_number_text(self.upper)} {unit}"
        if self.upper is None:
            return f"{self.feature} ≥ {_number_text(self.lower)} {unit}"
        if self.lower == self.upper:
            return f"{self.feature} = {_number_text(self.lower)} {unit}"
        return f"{self.feature} {_number_text(self.lower)}～{_number_text(self.upper)} {unit}"

    def mask(self, features: pd.DataFrame) -> np.ndarray:
        """Which rows of the tag table meet the condition (an empty value never does)."""
        values = features[self.feature].to_numpy(dtype=float, na_value=np.nan)
        keep = ~np.isnan(values)
        if self.lower is not None:
            keep &= values >= self.lower
        if self.upper is not None:
            keep &= values <= self.upper
        return keep


def _condition(item: Any) -> Condition:
    """One condition as given to :func:`define_crowd`: a Condition, a 3-tuple or a dict."""
    if isinstance(item, Condition):
        return item
    if isinstance(item, Mapping):
        unknown = set(item) - {"标签", "下限", "上限"}
        if unknown or "标签" not in item:
            raise ValueError(f"条件 {dict(item)!r} 应该写成 {{'标签': …, '下限': …, '上限': …}}。")
        return Condition(item["标签"], item.get("下限"), item.get("上限"))
    if is_list_like(item):
        parts = list(item)
        if len(parts) == 3:
            return Condition(*parts)
    raise TypeError(f"条件应该写成 (标签, 下限, 上限)，例如 ('近两年付款笔数', 10, 100)；收到的是 {item!r}。")


@dataclass(frozen=True)
class Crowd:
    """A crowd (人群): 人群名称 and 人群定义 (conditions joined by 且); its reach comes from a tag table.

    Build one with :func:`define_crowd`.

    Attributes
    ----------
    name : str
        人群名称.
    conditions : tuple of Condition
        人群定义: a customer belongs to the crowd when every condition holds (且).
    """

    name: str
    conditions: tuple[Condition, ...]

    @property
    def definition(self) -> str:
        """人群定义 as Chinese text: the conditions joined by 且."""
        return " 且 ".join(c.text for c in self.conditions)

    def _check_features(self, features: Any) -> None:
        if not isinstance(features, pd.DataFrame):
            raise TypeError(
                f"参数 features 应该是 customer_features(store) 算出的标签表（DataFrame），"
                f"收到的是 {type(features).__name__}。"
            )
        for condition in self.conditions:
            if condition.feature not in features.columns:
                reason = features.attrs.get("缺少的标签", {}).get(condition.feature)
                if reason is None:
                    needs = "、".join(
                        dict.fromkeys(_table_name(t) for t, _ in CROWD_FEATURES[condition.feature].needs)
                    )
                    reason = f"它要用{needs}的数据算"
                raise ValueError(
                    f"人群「{self.name}」用到的标签「{condition.feature}」不在标签表里：{reason}"
                    "（千牛的订单导出没有行为表、年龄和复购周期），所以这个人群算不出来。"
                    f"这份标签表能用的标签：{'、'.join(map(str, features.columns))}。"
                )

    def mask(self, features: pd.DataFrame) -> np.ndarray:
        """Which rows of the tag table belong to the crowd."""
        self._check_features(features)
        keep = np.ones(len(features), dtype=bool)
        for condition in self.conditions:
            keep &= condition.mask(features)
        return keep

    def members(self, features: pd.DataFrame) -> pd.Index:
        """The crowd's customers (客户编号), in the order of the tag table.

        Raises
        ------
        TypeError, ValueError
            If ``features`` is not a tag table or lacks a tag the crowd uses.
        """
        return features.index[self.mask(features)]

    def reach(self, features: pd.DataFrame) -> int:
        """预计触达人数: how many customers of the tag table meet every condition.

        Raises
        ------
        TypeError, ValueError
            If ``features`` is not a tag table or lacks a tag the crowd uses.
        """
        return int(np.count_nonzero(self.mask(features)))


def define_crowd(name: str, conditions: Iterable[Any]) -> Crowd:
    """新建人群: a crowd from its name and its conditions (joined by 且).

    Parameters
    ----------
    name : str
        人群名称, 1 to :data:`CROWD_NAME_MAX_LENGTH` characters (surrounding spaces dropped).
    conditions : iterable
        Each a :class:`Condition`, a ``(标签, 下限, 上限)`` tuple or a dict with those keys;
        bounds are inclusive, ``None`` is 不限.  Each tag at most once.

    Returns
    -------
    Crowd

    Raises
    ------
    TypeError, ValueError
        An empty or too long name, no condition, an unknown tag, a tag used twice, a bound that
        is not a number, or an inverted range (下限 > 上限): the message names the value.

    Examples
    --------
    >>> define_crowd("老客户", [("近两年成交次数", 1, None), ("近30天成交次数", 0, 0)]).definition
    '近两年成交次数 ≥ 1 次 且 近30天成交次数 = 0 次'
    """
    name = check_text(name, "人群名称", max_length=CROWD_NAME_MAX_LENGTH)
    if isinstance(conditions, (str, bytes, Mapping)) or not is_list_like(conditions):
        raise TypeError(
            f"人群「{name}」的条件应该是一个列表，例如 [('近两年付款笔数', 10, 100)]；收到的是 {conditions!r}。"
        )
    parsed = tuple(_condition(item) for item in conditions)
    if not parsed:
        raise ValueError(f"人群「{name}」还没有条件：人群定义至少要有一个条件（选一个标签，填上范围）。")
    seen: set[str] = set()
    for condition in parsed:
        if condition.feature in seen:
            raise ValueError(f"人群「{name}」里标签「{condition.feature}」用了两次：一个标签只设一个范围。")
        seen.add(condition.feature)
    return Crowd(name, parsed)


def standard_crowds() -> tuple[Crowd, ...]:
    """The crowds of seed 000 (活动2-2) with the course's readings (本课程的规定).

    兴趣人群, 新客户人群, 复购人群, 30天内无购买记录的老客户 and 小额交易活跃; see the module
    docstring for each reading.

    Returns
    -------
    tuple of Crowd
        The five crowds, in this order.

    Examples
    --------
    >>> [crowd.name for crowd in standard_crowds()]
    ['兴趣人群', '新客户人群', '复购人群', '30天内无购买记录的老客户', '小额交易活跃']
    """
    return (
        define_crowd("兴趣人群", [("兴趣商品数", 1, None)]),
        define_crowd("新客户人群", [("近两年成交次数", 1, 1), ("最近一次成交距今天数", 0, 179)]),
        define_crowd("复购人群", [("到复购期商品数", 1, None)]),
        define_crowd("30天内无购买记录的老客户", [("近两年成交次数", 1, None), ("近30天成交次数", 0, 0)]),
        define_crowd("小额交易活跃", [("近两年付款总金额", 5, 50), ("近两年付款笔数", 10, 100)]),
    )


def crowd_table(crowds: Sequence[Crowd], features: pd.DataFrame) -> pd.DataFrame:
    """人群列表: 人群名称, 人群定义 and 预计触达人数 of each crowd.

    Parameters
    ----------
    crowds : sequence of Crowd
        The crowds (e.g. :func:`standard_crowds`); names must differ.
    features : pandas.DataFrame
        The tag table (:func:`customer_features`).

    Returns
    -------
    pandas.DataFrame
        One row per crowd, columns ``人群名称``, ``人群定义``, ``预计触达人数``.

    Raises
    ------
    TypeError, ValueError
        If an item is not a Crowd, two crowds share a name, or a crowd uses a tag the table lacks.
    """
    crowds = list(crowds) if is_list_like(crowds) else crowds
    if not isinstance(crowds, list) or not all(isinstance(c, Crowd) for c in crowds):
        raise TypeError("参数 crowds 应该是人群（Crowd）的列表，例如 standard_crowds()。")
    names = [c.name for c in crowds]
    repeated = sorted({n for n in names if names.count(n) > 1})
    if repeated:
        raise ValueError(f"人群名称不能重复：{'、'.join(repeated)} 出现了不止一次。")
    rows = [{"人群名称": c.name, "人群定义": c.definition, "预计触达人数": c.reach(features)} for c in crowds]
    return pd.DataFrame(rows, columns=["人群名称", "人群定义", "预计触达人数"])


# ---- 人群分析 ----------------------------------------------------------------------------------


def _member_ids(store: Store, members: Any) -> pd.Index:
    if isinstance(members, (str, bytes)) or not is_list_like(members):
        raise TypeError(
            f"参数 members 应该是客户编号的列表（例如 crowd.members(features)），收到的是 {members!r}。"
        )
    ids = pd.Index(members)
    unknown = ids.difference(pd.Index(store.customers["customer_id"]))
    if len(unknown):
        raise ValueError(f"客户编号 {', '.join(map(str, unknown[:5]))} 不在这家店的客户表里。")
    if ids.empty:
        raise ValueError("这个人群一个客户也没有，无法做人群分析：请先放宽条件。")
    return ids


def crowd_behaviour(store: Store, members: Any, *, days: int = 30, today: Any = None) -> pd.DataFrame:
    """人群分析·行为: how the crowd browsed, carted, favourited and bought in 近 ``days`` 天.

    Parameters
    ----------
    store : Store
        The shop; not modified.  Its 行为表 (events) must not be empty.
    members : list-like
        The crowd's customers, e.g. ``crowd.members(features)``.
    days : int, default 30
        The period: 距今 0 至 ``days`` − 1 天.
    today : date-like, optional
        统计日; default ``store.last_day``.

    Returns
    -------
    pandas.DataFrame
        Index ``行为`` (浏览, 加购, 收藏, 购买 — 购买 counts 成交), columns ``次数``, ``人数`` (customers
        who did it at least once) and ``人数占比`` (人数 ÷ the crowd's size).

    Raises
    ------
    TypeError, ValueError
        Bad members (unknown customers, an empty crowd), ``days`` < 1, or a shop without events
        (a 千牛 order export): the message says which table is missing.
    """
    ids = _member_ids(store, members)
    days = check_int(days, "days（统计天数）", minimum=1)
    if store.events.empty:
        raise ValueError(
            "人群的行为分析要用行为表（events）里的浏览、加购、收藏记录，这份数据里行为表是空的"
            "（千牛的订单导出没有这些记录）。只能分析购买：请用订单表。"
        )
    day = resolve_today(store, today)
    events = store.events
    event_days = _days_ago(events["occurred_at"], day)
    in_crowd = events["customer_id"].isin(ids).to_numpy() & (event_days <= days - 1)
    kinds = events["event_type"].astype(object).to_numpy()
    rows = {}
    for kind in EVENT_TYPES:
        picked = events["customer_id"].to_numpy()[in_crowd & (kinds == kind)]
        rows[kind] = (len(picked), len(np.unique(picked)))
    orders = store.orders
    paid_days = _days_ago(orders["paid_at"], day)
    deal = (
        _deal_mask(orders, paid_days) & (paid_days <= days - 1) & orders["customer_id"].isin(ids).to_numpy()
    )
    bought = orders["customer_id"].to_numpy()[deal]
    rows["购买"] = (len(bought), len(np.unique(bought)))
    table = pd.DataFrame.from_dict(rows, orient="index", columns=["次数", "人数"])
    table["人数占比"] = table["人数"] / len(ids)
    return table.reindex(list(CROWD_BEHAVIOURS)).rename_axis("行为")


#: 基础特征 (a label of CROWD_BASE_FEATURES) → its key in customers.COMPOSITION_FIELDS.
_PROFILE_FIELDS = MappingProxyType({label: key for key, label in COMPOSITION_FIELDS.items()})


def crowd_profile(store: Store, members: Any, by: str) -> pd.DataFrame:
    """人群分析·基础特征: the crowd by 地区, 性别, 年龄段 or 获客渠道, beside the whole shop.

    Parameters
    ----------
    store : Store
        The shop; not modified.
    members : list-like
        The crowd's customers, e.g. ``crowd.members(features)``.
    by : {"地区", "性别", "年龄段", "获客渠道"}
        The base feature (:data:`crm_helpers.vocabulary.CROWD_BASE_FEATURES`).  年龄段 by
        :func:`crm_helpers.customers.age_band`: 24岁及以下, 25-29岁, 30-34岁, 35-39岁, 40岁及以上.

    Returns
    -------
    pandas.DataFrame
        Index the feature's values (most frequent in the crowd first, 年龄段 in age order);
        columns ``人群人数``, ``人群占比`` and ``全店占比`` (share among all customers).

    Raises
    ------
    TypeError, ValueError
        Bad members, an unknown ``by``, or a customer table without that column (an order
        export has only 地区).
    """
    ids = _member_ids(store, members)
    check_choice(by, "by（基础特征）", CROWD_BASE_FEATURES)
    field = _PROFILE_FIELDS[by]
    column = "age" if field == "age_band" else field
    customers = store.customers
    if column not in customers.columns or customers[column].isna().all():
        raise ValueError(
            f"客户表里没有{by}（列 '{column}'）：这份数据（例如千牛的订单导出）不记录客户的{by}，无法按{by}分析。"
        )
    values = customers[column]
    if by == "年龄段":
        values = age_band(values)
    values = values.astype(object).fillna("未知")
    in_crowd = customers["customer_id"].isin(ids).to_numpy()
    counts = values[in_crowd].value_counts()
    table = pd.DataFrame(
        {
            "人群人数": counts,
            "人群占比": counts / in_crowd.sum(),
            "全店占比": values.value_counts(normalize=True),
        }
    )
    table["人群人数"] = table["人群人数"].fillna(0).astype(int)
    table["人群占比"] = table["人群占比"].fillna(0.0)
    order = [label for label in AGE_BANDS if label in table.index] if by == "年龄段" else None
    table = table.reindex(order) if order else table.sort_values(["人群人数", "全店占比"], ascending=False)
    return table.rename_axis(by)


def plot_crowd_behaviour(behaviour: pd.DataFrame, *, crowd_name: str, ax: Any = None) -> Any:
    """人群行为图: bars of :func:`crowd_behaviour`'s 人数占比 (how many of the crowd did each behaviour).

    Parameters
    ----------
    behaviour : pandas.DataFrame
        A :func:`crowd_behaviour` result.
    crowd_name : str
        The crowd's name, for the title.
    ax : matplotlib Axes, optional

    Returns
    -------
    matplotlib.axes.Axes
    """
    from .plotting import bar_chart

    check_dataframe(behaviour, "behaviour", ["人数占比"])
    return bar_chart(
        behaviour["人数占比"],
        title=f"「{check_text(crowd_name, '人群名称')}」的行为：有这种行为的人占多少",
        xlabel="行为",
        ylabel="人数占人群的比例",
        ax=ax,
    )


def plot_crowd_profile(profile: pd.DataFrame, *, crowd_name: str, top: int = 8, ax: Any = None) -> Any:
    """人群画像图: bars of a crowd's base feature against the whole shop (:func:`crowd_profile`).

    Parameters
    ----------
    profile : pandas.DataFrame
        A :func:`crowd_profile` result.
    crowd_name : str
        The crowd's name, for the title and legend.
    top : int, default 8
        Show the first ``top`` values (地区 has many).
    ax : matplotlib Axes, optional

    Returns
    -------
    matplotlib.axes.Axes
    """
    from .plotting import bar_chart

    check_dataframe(profile, "profile", ["人群占比", "全店占比"])
    name = check_text(crowd_name, "人群名称")
    top = check_int(top, "top（显示几项）", minimum=1)
    by = profile.index.name or "特征"
    shown = (
        profile[["人群占比", "全店占比"]].head(top).rename(columns={"人群占比": name, "全店占比": "全店客户"})
    )
    return bar_chart(shown, title=f"「{name}」和全店客户的{by}对比", xlabel=by, ylabel="占比", ax=ax)
