"""客户标签 (customer tags): rule tags computed from the shop's tables, many per customer.

A **rule tag** (规则标签) is a name, a Chinese description and a rule on per-customer figures;
:data:`TAG_RULES` lists them as data, so a student reads every rule in one table
(:func:`tag_rule_table`).  :func:`rule_tags` computes all of them at once, vectorised: one
pass over each table builds the figures (:func:`tag_features`), each rule is one comparison on
whole columns.  Manual tags (人工标签) are set on the workbench
(:mod:`crm_helpers.workbench.tags`), which shows both kinds together.

Result shapes
-------------
:func:`rule_tags` returns a **wide** table: one row per customer (index 客户编号, every
customer of the customer table), one ``bool`` column per tag -- cheap for 1,000,000 customers
and easy to count (``.sum()``) or combine (``tags["忠诚客户"] & tags["生日本月"]``).
:func:`long_tags` turns it into the **long** form, one row per (客户编号, 标签, 来源), the way
千牛's customer list shows a customer's tags.

The readings (本课程的规定) are those of :mod:`crm_helpers.customers`: 统计日 = the shop's last
day, 近 N 天 = days_ago in [0, N − 1], 近两年 = 近 730 天, 成交 = paid and not fully refunded;
the figures 近两年成交次数, 最近一次成交距今天数, 近两年付款总金额 and 近两年付款笔数 are those of
the crowd tag table (:func:`crm_helpers.crowds.customer_features`, same names and numbers);
利润 by :func:`crm_helpers.customers.profit_contribution` over all the data up to 统计日.
A rule whose data the shop does not have (a 千牛 order export has no costs, categories,
birthdays or 成长值) is left out of the result and named in ``attrs["未计算"]``.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd

from . import customers as customer_topic
from ._validation import check_choice, check_dataframe, is_list_like
from .crowds import customer_features as crowd_tag_table
from .customers import LOYAL_MIN_DEALS, TWO_YEARS, days_ago, deal_mask, resolve_today
from .store import Store
from .vocabulary import TAG_SOURCES

__all__ = [
    "HIGH_VALUE_SHARE",
    "TAG_RULES",
    "TagRule",
    "long_tags",
    "rule_tags",
    "tag_counts",
    "tag_features",
    "tag_rule_table",
]

#: 高价值 = the customers whose 利润 ranks in this top share (本课程的规定).
HIGH_VALUE_SHARE = 0.2
_CUSTOMER_ID = "客户编号"


@dataclass(frozen=True)
class TagRule:
    """一条规则标签 (one rule tag): its name, what it means, and the rule on the figures.

    Attributes
    ----------
    name : str
        The tag (one of :data:`crm_helpers.vocabulary.RULE_TAGS`).
    description : str
        The rule in Chinese, as students read it.
    needs : tuple of str
        The columns of :func:`tag_features` the rule reads.
    rule : callable
        ``rule(features) → boolean array``, one value per customer.
    """

    name: str
    description: str
    needs: tuple[str, ...]
    rule: Callable[[pd.DataFrame], Any]


#: The rule tags, in the order of :data:`crm_helpers.vocabulary.RULE_TAGS`.
TAG_RULES: tuple[TagRule, ...] = (
    TagRule(
        "高价值",
        f"利润排在全部客户的前 {HIGH_VALUE_SHARE:.0%}，并且利润大于 0（利润按客户利润贡献度的公式）",
        ("利润", "利润排名"),
        lambda f: (f["利润"] > 0) & (f["利润排名"] <= f.attrs["高价值名额"]),
    ),
    TagRule(
        "负值顾客",
        "利润小于 0：给店铺带来的钱还不够抵它的成本、退款和红包",
        ("利润",),
        lambda f: f["利润"] < 0,
    ),
    TagRule(
        "忠诚客户",
        f"近两年成交 {LOYAL_MIN_DEALS} 笔及以上",
        ("近两年成交次数",),
        lambda f: f["近两年成交次数"] >= LOYAL_MIN_DEALS,
    ),
    TagRule(
        "新客户",
        "近两年只成交过 1 笔，而且是在近 180 天内",
        ("近两年成交次数", "最近一次成交距今天数"),
        lambda f: (f["近两年成交次数"] == 1) & (f["最近一次成交距今天数"] <= 179),
    ),
    TagRule(
        "沉睡客户",
        "近两年成交过，但最近一次成交在 180 天以前（距今 180 天及以上）",
        ("近两年成交次数", "最近一次成交距今天数"),
        lambda f: (f["近两年成交次数"] >= 1) & (f["最近一次成交距今天数"] >= 180),
    ),
    TagRule(
        "母婴常客",
        "近两年有 3 笔及以上成交买了母婴用品类目的商品",
        ("近两年母婴成交次数",),
        lambda f: f["近两年母婴成交次数"] >= 3,
    ),
    TagRule(
        "生日本月",
        "生日在统计日所在的月份（生日关怀用）",
        ("生日月份",),
        lambda f: f["生日月份"] == f.attrs["统计月份"],
    ),
    TagRule(
        "小额交易活跃",
        "近两年付款总金额 5-50 元、付款 10-100 笔（含两端；付了款就算）",
        ("近两年付款总金额", "近两年付款笔数"),
        lambda f: f["近两年付款总金额"].between(5, 50) & f["近两年付款笔数"].between(10, 100),
    ),
    TagRule(
        "退款较多",
        "近两年付款的订单里，退款成功 2 次及以上",
        ("近两年退款成功次数",),
        lambda f: f["近两年退款成功次数"] >= 2,
    ),
    TagRule(
        "签到活跃", "近 30 天在店铺签到 2 次及以上", ("近30天签到次数",), lambda f: f["近30天签到次数"] >= 2
    ),
    TagRule(
        "已完善信息",
        "参加过“完善个人信息”的店铺互动（成长值明细里有“完善信息”）",
        ("完善信息次数",),
        lambda f: f["完善信息次数"] >= 1,
    ),
)


def _count_by(ids: pd.Index, customer_ids: Any) -> np.ndarray:
    where = ids.get_indexer(np.asarray(customer_ids))
    return np.bincount(where[where >= 0], minlength=len(ids))


#: The figures :func:`tag_features` takes from the crowd tag table (same names, same numbers).
_CROWD_TAGS = ("近两年成交次数", "最近一次成交距今天数", "近两年付款总金额", "近两年付款笔数")


def _deal_figures(store: Store, ids: pd.Index, today: pd.Timestamp, figures: dict[str, Any]) -> None:
    crowd_tags = crowd_tag_table(store, today, only=_CROWD_TAGS)
    for name in _CROWD_TAGS:
        if name in crowd_tags.columns:
            figures[name] = crowd_tags[name].reindex(ids).to_numpy()
    orders = store.orders
    ago = days_ago(orders["paid_at"], today)
    in_two_years = (ago >= 0) & (ago <= TWO_YEARS - 1)
    deals = deal_mask(orders) & in_two_years
    customer_of_order = orders["customer_id"].to_numpy()
    refunds = store.refunds
    paid_ids = orders["order_id"].to_numpy()[in_two_years]
    done = refunds[(refunds["status"] == "退款成功") & refunds["order_id"].isin(paid_ids)]
    figures["近两年退款成功次数"] = _count_by(ids, done["customer_id"])
    products, items = store.products, store.order_items
    if "category" in products.columns and len(products):
        baby = products.loc[products["category"] == "母婴用品", "product_id"]
        deal_orders = pd.Index(orders["order_id"].to_numpy()[deals])
        baby_items = items[items["product_id"].isin(baby)]
        positions = deal_orders.get_indexer(baby_items["order_id"].to_numpy())
        with_baby = np.zeros(len(deal_orders), dtype=bool)  # an order counts once, whatever its items
        with_baby[positions[positions >= 0]] = True
        figures["近两年母婴成交次数"] = _count_by(ids, customer_of_order[deals][with_baby])


def _profit_figures(store: Store, ids: pd.Index, today: pd.Timestamp, figures: dict[str, Any]) -> int | None:
    """利润 and its rank (1 = highest; ties by 客户编号); returns the 高价值 quota."""
    products = store.products
    if "cost" not in products.columns or not len(products) or products["cost"].isna().any():
        return None
    table = customer_topic.profit_contribution(store, today=today)
    profit = np.zeros(len(ids))
    rank = np.full(len(ids), np.inf)
    where = ids.get_indexer(table.index.to_numpy())
    values = table["利润"].to_numpy()
    profit[where] = values
    order = np.lexsort((table.index.to_numpy(), -values))
    rank[where[order]] = np.arange(1, len(order) + 1)
    figures["利润"] = profit
    figures["利润排名"] = rank
    return math.ceil(round(HIGH_VALUE_SHARE * len(table), 9))


def tag_features(store: Store, *, today: Any = None) -> pd.DataFrame:
    """打标签用的客户数据: the per-customer figures the rules of :data:`TAG_RULES` read.

    Parameters
    ----------
    store : Store
        The shop (simulated or read from a 千牛 export); not modified.
    today : str or pandas.Timestamp, optional
        统计日; default the shop's last day.

    Returns
    -------
    pandas.DataFrame
        Index 客户编号 (every customer of the customer table).  Columns the data allows:
        ``近两年成交次数``, ``最近一次成交距今天数`` (the latest 成交 up to 统计日; NaN without
        any), ``近两年付款总金额``,
        ``近两年付款笔数``, ``近两年退款成功次数``; ``近两年母婴成交次数`` (needs product
        categories); ``利润`` and ``利润排名`` (needs product costs; 0 and ∞ for customers
        without activity); ``生日月份`` (needs birthdays); ``近30天签到次数`` and
        ``完善信息次数`` (need the 成长值 table).  ``attrs`` carries ``统计日``,
        ``统计月份`` and ``高价值名额`` (how many customers the top 20 % is).

    Raises
    ------
    TypeError, ValueError
        If ``store`` is not a Store or ``today`` is not a date.
    """
    if not isinstance(store, Store):
        raise TypeError(f"store 应该是一家网店（Store），收到的是 {type(store).__name__}。")
    today = resolve_today(store, today)
    customers = store.customers
    ids = pd.Index(customers["customer_id"].to_numpy())
    figures: dict[str, Any] = {}
    _deal_figures(store, ids, today, figures)
    quota = _profit_figures(store, ids, today, figures)
    if "birthday" in customers.columns and customers["birthday"].notna().any():
        figures["生日月份"] = customers["birthday"].dt.month.to_numpy(dtype=float)
    growth = store.growth
    if len(growth) and {"customer_id", "source", "earned_at"} <= set(growth.columns):
        ago = days_ago(growth["earned_at"], today)
        check_in = (growth["source"] == "签到").to_numpy() & (ago >= 0) & (ago <= 29)
        figures["近30天签到次数"] = _count_by(ids, growth["customer_id"].to_numpy()[check_in])
        profile = (growth["source"] == "完善信息").to_numpy() & (ago >= 0)
        figures["完善信息次数"] = _count_by(ids, growth["customer_id"].to_numpy()[profile])
    features = pd.DataFrame(figures, index=pd.Index(ids, name=_CUSTOMER_ID))
    features.attrs.update({"统计日": today, "统计月份": today.month, "高价值名额": quota})
    return features


def _selected_rules(rules: Iterable[str] | None) -> tuple[TagRule, ...]:
    if rules is None:
        return TAG_RULES
    if isinstance(rules, str) or not is_list_like(rules):
        raise TypeError(f"rules 应该是标签名的列表，例如 ['忠诚客户', '生日本月']，收到的是 {rules!r}。")
    by_name = {rule.name: rule for rule in TAG_RULES}
    for name in rules:
        check_choice(name, "规则标签（rules）", list(by_name))
    return tuple(by_name[name] for name in dict.fromkeys(rules))


def rule_tags(store: Store, *, today: Any = None, rules: Iterable[str] | None = None) -> pd.DataFrame:
    """规则标签: every customer's rule tags as a wide table of True/False.

    Parameters
    ----------
    store : Store
        The shop (simulated or read from a 千牛 export); not modified.
    today : str or pandas.Timestamp, optional
        统计日; default the shop's last day.
    rules : list of str, optional
        Only these tags (names of :data:`TAG_RULES`); default all the shop's data allows.

    Returns
    -------
    pandas.DataFrame
        Index 客户编号 (every customer), one ``bool`` column per tag in the order of
        :data:`TAG_RULES`.  A tag whose data is missing (e.g. 高价值 without product costs) is
        left out and listed in ``attrs["未计算"]`` (tag → the missing figures).

    Raises
    ------
    TypeError
        If ``store`` is not a Store or ``rules`` is not a list.
    ValueError
        If a tag in ``rules`` is unknown, or a tag asked for by name cannot be computed from
        the shop's data.

    Examples
    --------
    >>> from crm_helpers import simulate_store
    >>> tags = rule_tags(simulate_store(300, 60, seed=1), rules=["忠诚客户", "新客户"])
    >>> list(tags.columns), tags.dtypes.unique().tolist()
    (['忠诚客户', '新客户'], [dtype('bool')])
    """
    chosen = _selected_rules(rules)
    features = tag_features(store, today=today)
    columns: dict[str, np.ndarray] = {}
    skipped: dict[str, list[str]] = {}
    for rule in chosen:
        missing = [need for need in rule.needs if need not in features.columns]
        if missing:
            skipped[rule.name] = missing
            continue
        columns[rule.name] = np.asarray(rule.rule(features), dtype=bool)
    if rules is not None and skipped:
        name, missing = next(iter(skipped.items()))
        raise ValueError(
            f"这家店的数据算不出“{name}”标签：缺少 {'、'.join(missing)}"
            "（千牛的订单报表没有商品成本、类目、生日和成长值）。"
        )
    tags = pd.DataFrame(columns, index=features.index)
    tags.attrs["未计算"] = skipped
    tags.attrs["统计日"] = features.attrs["统计日"]
    return tags


def long_tags(tags: pd.DataFrame, source: str = "规则") -> pd.DataFrame:
    """The wide tag table as one row per (客户编号, 标签): how 千牛's customer list shows tags.

    Parameters
    ----------
    tags : pandas.DataFrame
        A wide table of True/False (:func:`rule_tags`); not modified.
    source : {"规则", "人工"}, default "规则"
        The 来源 written on every row.

    Returns
    -------
    pandas.DataFrame
        Columns ``客户编号``, ``标签``, ``来源``; sorted by customer, then by the tags' column
        order.

    Raises
    ------
    TypeError, ValueError
        If ``tags`` is not a DataFrame of booleans or ``source`` is unknown.

    Examples
    --------
    >>> wide = pd.DataFrame({"忠诚客户": [True, False], "生日本月": [True, True]},
    ...                     index=pd.Index([7, 9], name="客户编号"))
    >>> long_tags(wide).values.tolist()
    [[7, '忠诚客户', '规则'], [7, '生日本月', '规则'], [9, '生日本月', '规则']]
    """
    check_dataframe(tags, "tags", allow_empty=True)
    check_choice(source, "来源（source）", TAG_SOURCES)
    not_bool = [str(c) for c in tags.columns if tags[c].dtype != bool]
    if not_bool:
        raise TypeError(f"tags 的每一列都应该是 True/False，这些列不是：{'、'.join(not_bool)}。")
    values = tags.to_numpy(dtype=bool)
    rows, cols = np.nonzero(values)
    return pd.DataFrame(
        {
            _CUSTOMER_ID: tags.index.to_numpy()[rows],
            "标签": pd.Categorical(
                np.asarray(tags.columns, dtype=object)[cols], categories=list(tags.columns)
            ),
            "来源": source,
        }
    )


def tag_counts(tags: pd.DataFrame) -> pd.DataFrame:
    """每个标签有多少客户: count and share of customers per tag of a wide table.

    Parameters
    ----------
    tags : pandas.DataFrame
        A result of :func:`rule_tags`.

    Returns
    -------
    pandas.DataFrame
        Index 标签; columns ``客户数`` and ``占比`` (of all customers in ``tags``).
    """
    check_dataframe(tags, "tags")
    counts = tags.sum().astype("int64")
    return pd.DataFrame({"客户数": counts, "占比": counts / len(tags)}).rename_axis("标签")


def tag_rule_table(store: Store | None = None) -> pd.DataFrame:
    """规则标签一览: every rule tag with its rule in Chinese.

    Parameters
    ----------
    store : Store, optional
        With a shop, a column ``能否计算`` says whether its data allows each tag.

    Returns
    -------
    pandas.DataFrame
        Columns ``标签`` and ``规则``, plus ``能否计算`` (是/缺少 …) with a store.
    """
    table = pd.DataFrame({"标签": [r.name for r in TAG_RULES], "规则": [r.description for r in TAG_RULES]})
    if store is not None:
        have = set(tag_features(store).columns)
        table["能否计算"] = [
            "能" if set(r.needs) <= have else "缺少" + "、".join(n for n in r.needs if n not in have)
            for r in TAG_RULES
        ]
    return table
