"""Crowds (客户分群): the tag table, the standard crowds' readings, bad input and 人群分析.

Each standard crowd is recomputed here in plain pandas straight from its reading (the
readings of issue 9, written in crm_helpers.crowds' docstring), on the lesson shop and on a
small hand-made shop whose orders and events sit exactly on the bounds.
"""

from __future__ import annotations

import dataclasses

import matplotlib
import pandas as pd
import pytest
from helpers import assert_unchanged, snapshot
from test_patterns import _small_value_crowd

import crm_helpers
from crm_helpers import crowds as cr
from crm_helpers.customers import age_band
from crm_helpers.shop_export import example_order_export_path, read_order_export

matplotlib.use("agg")


@pytest.fixture(scope="module")
def features(store):
    return cr.customer_features(store)


def _crowd(name):
    return next(c for c in cr.standard_crowds() if c.name == name)


# ---- plain pandas readings -------------------------------------------------------------------


def _days_ago(times, store):
    return (store.last_day - times.dt.normalize()).dt.days


def _deals(store):
    o = store.orders
    return o[o["paid_at"].notna() & (o["close_reason"] != "全额退款")].assign(
        ago=lambda d: _days_ago(d["paid_at"], store)
    )


def _reference_reach(store) -> dict[str, int]:
    deals = _deals(store)
    two_years = deals[deals["ago"] <= 729]
    per = two_years.groupby("customer_id").size()
    latest = deals.groupby("customer_id")["ago"].min()
    new = int(((per == 1) & (latest.reindex(per.index) <= 179)).sum())
    in_30 = set(deals.loc[deals["ago"] <= 29, "customer_id"])
    old = len(set(per.index) - in_30)
    ev = store.events.assign(ago=lambda d: _days_ago(d["occurred_at"], store))
    wanted = ev[ev["ago"].between(3, 10) & ev["event_type"].isin(["加购", "收藏"])][
        ["customer_id", "product_id"]
    ]
    bought = two_years.merge(store.order_items, on="order_id")[
        ["customer_id", "product_id"]
    ].drop_duplicates()
    mixed = wanted.merge(bought, how="left", indicator=True)
    interest = mixed.loc[mixed["_merge"] == "left_only", "customer_id"].nunique()
    items = deals.merge(store.order_items, on="order_id").merge(
        store.products.dropna(subset=["repurchase_cycle_days"]), on="product_id"
    )
    last = items.groupby(["customer_id", "product_id"]).agg(
        ago=("ago", "min"), cycle=("repurchase_cycle_days", "first")
    )
    due = last[(last["ago"] >= last["cycle"] - 7) & (last["ago"] <= last["cycle"] + 7)]
    return {
        "兴趣人群": interest,
        "新客户人群": new,
        "复购人群": due.index.get_level_values(0).nunique(),
        "30天内无购买记录的老客户": old,
        "小额交易活跃": _small_value_crowd(store),
    }


def test_standard_crowds_match_their_readings(store, features):
    table = cr.crowd_table(cr.standard_crowds(), features)
    assert table.columns.tolist() == ["人群名称", "人群定义", "预计触达人数"]
    assert dict(zip(table["人群名称"], table["预计触达人数"])) == _reference_reach(store)


def test_small_value_crowd_is_eleven_on_the_lesson_shop(features):
    assert _crowd("小额交易活跃").reach(features) == 11
    assert _crowd("小额交易活跃").definition == "近两年付款总金额 5～50 元 且 近两年付款笔数 10～100 笔"


def test_standard_crowds_on_another_shop():
    other = crm_helpers.simulate_store(1500, 400, seed=7)
    table = cr.crowd_table(cr.standard_crowds(), cr.customer_features(other))
    assert dict(zip(table["人群名称"], table["预计触达人数"])) == _reference_reach(other)


def test_standard_crowd_reach_counts_are_stated(features):
    """The reach counts the lesson and ps05 quote (they change when the shop changes)."""
    reach = {c.name: c.reach(features) for c in cr.standard_crowds()}
    assert reach == {
        "兴趣人群": 27,
        "新客户人群": 170,
        "复购人群": 78,
        "30天内无购买记录的老客户": 1373,
        "小额交易活跃": 11,
    }


def test_members_meet_every_condition(features):
    crowd = _crowd("新客户人群")
    members = features.loc[crowd.members(features)]
    assert len(members) == crowd.reach(features) > 0
    assert (members["近两年成交次数"] == 1).all() and members["最近一次成交距今天数"].between(0, 179).all()
    others = features.drop(crowd.members(features))
    assert not ((others["近两年成交次数"] == 1) & others["最近一次成交距今天数"].between(0, 179)).any()


def test_nothing_is_modified(store):
    before = snapshot(store.orders, store.events, store.customers, store.order_items)
    features = cr.customer_features(store)
    members = _crowd("复购人群").members(features)
    cr.crowd_behaviour(store, members)
    cr.crowd_profile(store, members, "地区")
    assert_unchanged(before, store.orders, store.events, store.customers, store.order_items)


# ---- a hand-made shop on the bounds -----------------------------------------------------------

TODAY = pd.Timestamp("2025-12-31")


def _tiny_store(store, orders, items, events):
    """The lesson shop's products and customers 1-6 with hand-written orders and events."""
    tables = {name: df.iloc[:0] for name, df in store.tables.items()}
    tables["customers"] = store.customers[store.customers["customer_id"] <= 6].copy()
    tables["products"] = store.products.copy()
    o = pd.DataFrame(orders, columns=["order_id", "customer_id", "paid_at", "close_reason", "payment"])
    o["paid_at"] = pd.to_datetime(o["paid_at"])
    o["created_at"] = o["paid_at"].fillna(TODAY)
    tables["orders"] = o
    tables["order_items"] = pd.DataFrame(items, columns=["order_id", "product_id"]).assign(quantity=1)
    e = pd.DataFrame(events, columns=["customer_id", "product_id", "event_type", "occurred_at"])
    e["occurred_at"] = pd.to_datetime(e["occurred_at"])
    tables["events"] = e
    return crm_helpers.Store(**tables, end=TODAY + pd.Timedelta(days=1), start=pd.Timestamp("2023-01-01"))


def _day(days_ago, clock="23:59"):
    return f"{(TODAY - pd.Timedelta(days=days_ago)).date()} {clock}"


@pytest.fixture(scope="module")
def tiny(store):
    orders = [
        (1, 1, _day(179), None, 30.0),  # customer 1: one deal, 179 days ago → 新客户
        (2, 2, _day(180), None, 30.0),  # customer 2: one deal, 180 days ago → not new, old
        (3, 3, _day(29), None, 10.0),  # customer 3: a deal 29 days ago → not an old one
        (4, 3, _day(400), "全额退款", 99.0),  # fully refunded: paid, but no deal
        (5, 4, _day(60 + 7, "00:00"), None, 119.0),  # 洗护套装 206 (cycle 60), 67 days ago → due
        (6, 5, _day(60 + 8), None, 119.0),  # 206, 68 days ago → not due
        (7, 6, _day(730), None, 5.0),  # outside 近两年 (0-729)
        (8, 6, None, None, 50.0),  # never paid
    ]
    items = [(1, 101), (2, 101), (3, 101), (4, 205), (5, 206), (6, 206), (7, 101), (8, 101)]
    events = [
        (1, 302, "加购", _day(3)),  # interest: 302 never bought
        (2, 101, "收藏", _day(10)),  # 101 bought 180 days ago → not interest
        (3, 205, "加购", _day(10)),  # 205 only in a fully refunded order → interest
        (4, 302, "加购", _day(2)),  # 2 days ago: outside 3-10
        (5, 302, "收藏", _day(11)),  # 11 days ago: outside
        (6, 302, "浏览", _day(5)),  # browsing is no interest
    ]
    return cr.customer_features(_tiny_store(store, orders, items, events))


def test_tiny_shop_readings(tiny):
    assert tiny.attrs["统计日"] == TODAY
    assert tiny["近两年付款笔数"].tolist() == [1, 1, 2, 1, 1, 0]
    assert tiny["近两年付款总金额"].tolist() == [30, 30, 109, 119, 119, 0]
    assert tiny["近两年成交次数"].tolist() == [1, 1, 1, 1, 1, 0]
    assert tiny["最近一次成交距今天数"].tolist() == [179, 180, 29, 67, 68, 730]  # all deals, not only 近两年
    assert tiny["近3-10天浏览次数"].tolist() == [0, 0, 0, 0, 0, 1]
    reach = {c.name: c.members(tiny).tolist() for c in cr.standard_crowds()}
    assert reach["新客户人群"] == [1, 3, 4, 5]
    assert reach["兴趣人群"] == [1, 3]
    assert reach["复购人群"] == [4]
    assert reach["30天内无购买记录的老客户"] == [1, 2, 4, 5]


def test_repurchase_tolerance_is_a_parameter(store, tiny):
    assert tiny["到复购期商品数"].tolist() == [0, 0, 0, 1, 0, 0]
    wide = cr.customer_features(store, repurchase_tolerance_days=8)
    narrow = cr.customer_features(store, repurchase_tolerance_days=0)
    crowd = _crowd("复购人群")
    assert narrow.pipe(crowd.reach) < crowd.reach(cr.customer_features(store)) < crowd.reach(wide)


def test_today_can_be_an_earlier_day(store):
    earlier = cr.customer_features(store, today="2025-06-30")
    assert earlier.attrs["统计日"] == pd.Timestamp("2025-06-30")
    paid = store.orders[store.orders["paid_at"].notna()]
    window = paid[(paid["paid_at"] >= "2023-07-01") & (paid["paid_at"] < "2025-07-01")]
    assert earlier["近两年付款笔数"].sum() == len(window)


# ---- conditions, names and bad input -------------------------------------------------------


def test_definitions_read_as_chinese():
    crowd = cr.define_crowd(
        " 高价值 ", [{"标签": "近两年付款总金额", "下限": 1000}, cr.Condition("年龄", None, 35.5)]
    )
    assert crowd.name == "高价值"
    assert crowd.definition == "近两年付款总金额 ≥ 1,000 元 且 年龄 ≤ 35.5 岁"
    assert cr.feature_table()["标签"].tolist() == list(cr.CROWD_FEATURES)


def test_bounds_are_inclusive(features):
    exact = features["近两年付款笔数"].iloc[0]
    crowd = cr.define_crowd("恰好", [("近两年付款笔数", exact, exact)])
    assert crowd.reach(features) == int((features["近两年付款笔数"] == exact).sum())


@pytest.mark.parametrize(
    "name, conditions, error, match",
    [
        ("倒过来", [("近两年付款总金额", 50, 5)], ValueError, "范围 50～5 不对：下限 50 大于上限 5"),
        (
            "未知",
            [("付款金额", 5, 50)],
            ValueError,
            "没有叫「付款金额」的标签。可以用的标签：近两年付款总金额",
        ),
        ("", [("近两年付款笔数", 1, 2)], ValueError, "人群名称 不能是空的"),
        ("   ", [("近两年付款笔数", 1, 2)], ValueError, "人群名称 不能是空的"),
        ("名" * 21, [("近两年付款笔数", 1, 2)], ValueError, "人群名称 最多 20 个字"),
        (None, [("近两年付款笔数", 1, 2)], TypeError, "人群名称 应该是文字"),
        ("空", [], ValueError, "人群「空」还没有条件"),
        ("两端", [("近两年付款笔数", None, None)], ValueError, "下限和上限不能都是 None"),
        (
            "文字",
            [("近两年付款笔数", "10", 100)],
            TypeError,
            "标签「近两年付款笔数」的下限应该是数字或 None（不限），收到的是 '10'",
        ),
        ("空值", [("近两年付款笔数", 1, float("nan"))], TypeError, "上限应该是数字或 None"),
        ("重复", [("年龄", 1, 2), ("年龄", 3, 4)], ValueError, "标签「年龄」用了两次"),
        ("短", [("年龄", 1)], TypeError, r"条件应该写成 \(标签, 下限, 上限\)"),
        ("串", "年龄", TypeError, "条件应该是一个列表"),
        ("字典", [{"tag": "年龄"}], ValueError, "应该写成"),
    ],
)
def test_bad_crowds_are_refused(name, conditions, error, match):
    with pytest.raises(error, match=match):
        cr.define_crowd(name, conditions)


def test_bad_feature_tables_and_lists(features):
    crowd = _crowd("小额交易活跃")
    with pytest.raises(TypeError, match="标签表"):
        crowd.reach("features")
    with pytest.raises(ValueError, match="人群名称不能重复：小额交易活跃"):
        cr.crowd_table([crowd, crowd], features)
    with pytest.raises(TypeError, match="人群（Crowd）的列表"):
        cr.crowd_table(["小额交易活跃"], features)
    with pytest.raises(TypeError, match="一家网店"):
        cr.customer_features(features)
    with pytest.raises(ValueError, match="repurchase_tolerance_days"):
        cr.customer_features(crm_helpers.load_store(), repurchase_tolerance_days=-1)
    with pytest.raises(ValueError, match="无法读成时间"):
        cr.customer_features(crm_helpers.load_store(), today="昨天")


def test_only_some_tags(store, features):
    some = cr.customer_features(store, only=["最近一次成交距今天数", "近两年付款笔数"])
    assert list(some.columns) == ["近两年付款笔数", "最近一次成交距今天数"]  # in CROWD_FEATURES order
    pd.testing.assert_frame_equal(some, features[some.columns])
    with pytest.raises(ValueError, match="标签（only）.*近两年买了几次"):
        cr.customer_features(store, only=["近两年买了几次"])
    with pytest.raises(TypeError, match="only 应该是标签名的列表.*'年龄'"):
        cr.customer_features(store, only="年龄")


def test_condition_is_frozen():
    with pytest.raises(dataclasses.FrozenInstanceError):
        cr.Condition("年龄", 1, 2).lower = 5


# ---- a shop's own data --------------------------------------------------------------------------


@pytest.fixture(scope="module")
def export_shop():
    return read_order_export(example_order_export_path())


def test_export_computes_the_order_crowds(export_shop):
    features = cr.customer_features(export_shop)
    assert list(features.columns) == [
        "近两年付款总金额", "近两年付款笔数", "近两年成交次数", "近180天成交次数", "近30天成交次数", "最近一次成交距今天数",
    ]  # fmt: skip
    reach = {}
    for crowd in cr.standard_crowds():
        try:
            reach[crowd.name] = crowd.reach(features)
        except ValueError:
            reach[crowd.name] = None
    assert reach["兴趣人群"] is None and reach["复购人群"] is None
    assert reach["新客户人群"] == _reference_reach_orders_only(export_shop)["新客户人群"]
    assert reach["30天内无购买记录的老客户"] == _reference_reach_orders_only(export_shop)["老客户"]
    assert reach["小额交易活跃"] == _small_value_crowd(export_shop)


def _reference_reach_orders_only(store):
    deals = _deals(store)
    per = deals[deals["ago"] <= 729].groupby("customer_id").size()
    latest = deals.groupby("customer_id")["ago"].min()
    recent = set(deals.loc[deals["ago"] <= 29, "customer_id"])
    return {"新客户人群": int(((per == 1) & (latest <= 179)).sum()), "老客户": len(set(per.index) - recent)}


def test_export_explains_what_is_missing(export_shop):
    features = cr.customer_features(export_shop)
    with pytest.raises(
        ValueError,
        match="人群「兴趣人群」用到的标签「兴趣商品数」不在标签表里：它要用行为表（events），这份数据里这张表是空的",
    ):
        _crowd("兴趣人群").reach(features)
    with pytest.raises(ValueError, match="它要用商品表（products）的列 'repurchase_cycle_days'"):
        _crowd("复购人群").reach(features)
    members = _crowd("30天内无购买记录的老客户").members(features)
    with pytest.raises(ValueError, match="行为表（events）里的浏览、加购、收藏记录"):
        cr.crowd_behaviour(export_shop, members)
    with pytest.raises(ValueError, match="客户表里没有性别"):
        cr.crowd_profile(export_shop, members, "性别")
    assert cr.crowd_profile(export_shop, members, "地区")["人群人数"].sum() == len(members)


# ---- 人群分析 ---------------------------------------------------------------------------------


def test_crowd_behaviour(store, features):
    members = _crowd("兴趣人群").members(features)
    table = cr.crowd_behaviour(store, members, days=11)
    assert table.index.tolist() == ["浏览", "加购", "收藏", "购买"] and table.index.name == "行为"
    ev = store.events[store.events["customer_id"].isin(members)]
    ev = ev[_days_ago(ev["occurred_at"], store) <= 10]
    assert table.loc["加购", "次数"] == (ev["event_type"] == "加购").sum()
    assert table.loc["加购", "人数"] == ev.loc[ev["event_type"] == "加购", "customer_id"].nunique()
    # Every member carted or favourited 3-10 days ago, so within 11 days each did one of the two.
    assert table.loc[["加购", "收藏"], "人数"].sum() >= len(members)
    deals = _deals(store)
    mine = deals[deals["customer_id"].isin(members) & (deals["ago"] <= 10)]
    assert table.loc["购买", "次数"] == len(mine)
    assert table["人数占比"].tolist() == pytest.approx((table["人数"] / len(members)).tolist())


def test_crowd_profile(store, features):
    members = _crowd("30天内无购买记录的老客户").members(features)
    for by in ["地区", "性别", "年龄段", "获客渠道"]:
        table = cr.crowd_profile(store, members, by)
        assert table.index.name == by and table["人群人数"].sum() == len(members)
        assert table["人群占比"].sum() == pytest.approx(1) and table["全店占比"].sum() == pytest.approx(1)
    ages = cr.crowd_profile(store, members, "年龄段")
    assert ages.index.tolist() == ["24岁及以下", "25-29岁", "30-34岁", "35-39岁", "40岁及以上"]
    in_crowd = store.customers[store.customers["customer_id"].isin(members)]
    by_band = age_band(in_crowd["age"]).value_counts()
    assert (
        ages["人群人数"][lambda n: n > 0].to_dict() == by_band[by_band > 0].to_dict()
    )  # 客户构成分析's bands
    women = store.customers[
        store.customers["customer_id"].isin(members) & (store.customers["gender"] == "女")
    ]
    assert cr.crowd_profile(store, members, "性别").loc["女", "人群人数"] == len(women)


def test_analysis_bad_input(store, features):
    with pytest.raises(ValueError, match="by（基础特征） 不能是 '省份'"):
        cr.crowd_profile(store, [1, 2], "省份")
    with pytest.raises(ValueError, match="客户编号 999999 不在这家店的客户表里"):
        cr.crowd_behaviour(store, [1, 999999])
    with pytest.raises(ValueError, match="一个客户也没有"):
        cr.crowd_behaviour(store, [])
    with pytest.raises(TypeError, match="客户编号的列表"):
        cr.crowd_profile(store, 5, "地区")
    with pytest.raises(ValueError, match="days（统计天数） 至少要是 1"):
        cr.crowd_behaviour(store, [1], days=0)


def test_plots_have_chinese_labels(store, features):
    import matplotlib.pyplot as plt

    members = _crowd("新客户人群").members(features)
    ax = cr.plot_crowd_behaviour(cr.crowd_behaviour(store, members), crowd_name="新客户人群")
    assert [t.get_text() for t in ax.get_xticklabels()] == ["浏览", "加购", "收藏", "购买"]
    assert "新客户人群" in ax.get_title()
    ax = cr.plot_crowd_profile(cr.crowd_profile(store, members, "地区"), crowd_name="新客户人群", top=5)
    assert len(ax.get_xticklabels()) == 5 and ax.get_xlabel() == "地区"
    assert [t.get_text() for t in ax.get_legend().get_texts()] == ["新客户人群", "全店客户"]
    plt.close("all")
