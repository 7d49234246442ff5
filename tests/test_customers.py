"""客户档案: the customers topic's pure function behind the workbench's 查看客户."""

from __future__ import annotations

from dataclasses import replace

import numpy as np
import pandas as pd
import pytest
from helpers import assert_unchanged, snapshot

from crm_helpers import customers as cu
from crm_helpers.customers import customer_profile
from crm_helpers.shop_export import example_order_export_path, read_order_export
from crm_helpers.store import TABLE_NAMES, Store


@pytest.fixture
def tables():
    customers = pd.DataFrame({"customer_id": [1, 2, 3], "member_name": ["小林", "阿花", "大王"]})
    orders = pd.DataFrame(
        {
            "customer_id": [1, 1, 1, 2],
            "paid_at": pd.to_datetime(["2025-03-01", None, "2025-04-02", "2025-05-01"]),
            "payment": [99.5, 20.0, 0.105, 50.0],
            "created_at": pd.to_datetime(["2025-03-01", "2025-03-05", "2025-04-01", "2025-05-01"]),
        }
    )
    return customers, orders


def test_profile_counts_orders_and_spend(tables):
    customers, orders = tables
    before = [customers.copy(), orders.copy()]
    profile = customer_profile(customers, orders, np.int64(1))
    assert profile["member_name"] == "小林"
    assert (profile["订单数"], profile["已付款订单数"], profile["累计实付款"]) == (3, 2, 99.61)
    assert profile["最近下单时间"] == pd.Timestamp("2025-04-01")
    no_orders = customer_profile(customers, orders, 3)
    assert (no_orders["订单数"], no_orders["累计实付款"]) == (0, 0.0) and pd.isna(no_orders["最近下单时间"])
    pd.testing.assert_frame_equal(customers, before[0])
    pd.testing.assert_frame_equal(orders, before[1])


def test_profile_with_other_column_names(tables):
    customers, orders = tables
    renamed = orders.rename(columns={"customer_id": "buyer", "paid_at": "付款时间", "payment": "实付款"})
    profile = customer_profile(
        customers.rename(columns={"customer_id": "buyer"}),
        renamed,
        2,
        customer_col="buyer",
        paid_col="付款时间",
        payment_col="实付款",
    )
    assert (profile["订单数"], profile["累计实付款"]) == (1, 50.0)


@pytest.mark.parametrize(
    "args, error, match",
    [
        (
            lambda c, o: (c, o, "1"),
            TypeError,
            r"客户编号（customer_id） 应该是整数（integer），收到的是 '1'（str）",
        ),
        (
            lambda c, o: (c, o, None),
            TypeError,
            r"客户编号（customer_id） 应该是整数（integer），收到的是 None",
        ),
        (
            lambda c, o: (c, o, True),
            TypeError,
            r"客户编号（customer_id） 应该是整数（integer），收到的是 True",
        ),
        (lambda c, o: (c, o, 99), ValueError, r"客户编号（customer_id）99 不存在"),
        (lambda c, o: (c.to_dict(), o, 1), TypeError, r"参数 customers 应该是 pandas 数据表（DataFrame）"),
        (lambda c, o: (c, o.drop(columns="payment"), 1), ValueError, r"数据表 orders 缺少列 'payment'"),
        (
            lambda c, o: (c.drop(columns="customer_id"), o, 1),
            ValueError,
            r"数据表 customers 缺少列 'customer_id'",
        ),
    ],
)
def test_bad_input(tables, args, error, match):
    with pytest.raises(error, match=match):
        customer_profile(*args(*tables))


# ---- issue 9: composition, profit contribution, Pareto, lookalikes (lesson 06) ----------------


def tiny_shop() -> Store:
    """Four customers whose profit is worked out by hand in the tests below (统计日 2025-12-31)."""
    t = pd.to_datetime
    customers = pd.DataFrame(
        {
            "customer_id": [1, 2, 3, 4],
            "member_name": ["小林", "阿花", "大王", "小白"],
            "gender": ["女", "女", "男", "女"],
            "age": [23, 31, 45, 29],
            "region": ["广东", "浙江", "广东", "广东"],
            "channel": ["直播间", "搜索进店", "直播间", "老客推荐"],
            "birthday": t(["2002-12-05", "1994-03-01", "1980-12-31", "1996-07-07"]),
        }
    )
    products = pd.DataFrame(
        {
            "product_id": [11, 12],
            "name": ["连帽卫衣", "湿巾"],
            "category": ["童装", "母婴用品"],
            "price": [100.0, 20.0],
        }
    ).assign(cost=[60.0, 5.0])
    orders = pd.DataFrame(
        {
            "order_id": [1, 2, 3, 4, 5],
            "customer_id": [1, 1, 2, 2, 3],
            "paid_at": t(
                ["2025-12-01 10:00", None, "2025-11-01 09:00", "2025-06-01 09:00", "2023-01-01 09:00"]
            ),
            "close_reason": [None, None, "全额退款", None, None],
            "goods_amount": [200.0, 100.0, 100.0, 40.0, 20.0],
            "discount": [10.0, 0.0, 0.0, 0.0, 0.0],
            "payment": [190.0, 100.0, 100.0, 40.0, 20.0],
            "created_at": t(["2025-12-01", "2025-12-02", "2025-11-01", "2025-06-01", "2023-01-01"]),
        }
    )
    items = pd.DataFrame(
        {"order_id": [1, 2, 3, 4, 5], "product_id": [11, 11, 11, 12, 12], "quantity": [2, 1, 1, 2, 1]}
    )
    refunds = pd.DataFrame(
        {
            "refund_id": [1, 2],
            "order_id": [3, 4],
            "customer_id": [2, 2],
            "amount": [100.0, 20.0],
            "status": ["退款成功", "退款关闭"],
        }
    )
    red_packets = pd.DataFrame(
        {
            "red_packet_id": [1, 2],
            "customer_id": [3, 4],
            "amount": [30.0, 5.0],
            "sent_at": t(["2025-12-20", "2025-12-30"]),
        }
    )
    tables = dict.fromkeys(TABLE_NAMES, pd.DataFrame())
    tables |= {
        "customers": customers,
        "products": products,
        "orders": orders,
        "order_items": items,
        "refunds": refunds,
        "red_packets": red_packets,
    }
    return Store(**tables, start=pd.Timestamp("2023-01-01"), end=pd.Timestamp("2026-01-01"))


def test_profit_by_the_stated_formula_worked_by_hand():
    shop = tiny_shop()
    before = snapshot(*shop.tables.values())
    table = cu.profit_contribution(shop)
    assert_unchanged(before, *shop.tables.values())
    assert list(table.columns) == list(cu.PROFIT_COLUMNS)
    assert table.index.name == "客户编号" and table.index.tolist() == [1, 2, 3, 4]
    expected = pd.DataFrame(
        {
            # 1: paid 190 (coupon 10 shown, not subtracted), 2 hoodies cost 120; the unpaid order does not count
            # 2: 100 fully refunded + 40 (a closed refund of 20 does not count); cost 60 + 10
            # 3: an old order (all data up to today) and a 红包 of 30; 4: only a 红包
            "实付款": [190.0, 140.0, 20.0, 0.0],
            "商品成本": [120.0, 70.0, 5.0, 0.0],
            "退款金额": [0.0, 100.0, 0.0, 0.0],
            "红包": [0.0, 0.0, 30.0, 5.0],
            "优惠金额": [10.0, 0.0, 0.0, 0.0],
            "利润": [70.0, -30.0, -15.0, -5.0],
        },
        index=pd.Index([1, 2, 3, 4], name="客户编号"),
    )
    pd.testing.assert_frame_equal(table.drop(columns="会员名"), expected)
    assert table.attrs["公式"] == "利润 = 实付款 − 商品成本 − 退款金额 − 红包"
    assert cu.negative_customers(table).index.tolist() == [2, 3, 4]  # the biggest spender after 1 is negative


def test_profit_period_is_inclusive_calendar_days():
    shop = tiny_shop()
    # 近 30 天 = 2025-12-02 … 2025-12-31: the order paid on 12-01 (days_ago 30) is out, 近 31 天 has it
    assert cu.profit_contribution(shop, period_days=30).index.tolist() == [3, 4]
    assert cu.profit_contribution(shop, period_days=31).loc[1, "利润"] == 70.0
    assert cu.profit_contribution(shop, today="2025-12-25", period_days=30).index.tolist() == [1, 3]


def test_pareto_curve_goes_above_100_percent_with_negative_customers():
    curve = cu.pareto_curve(cu.profit_contribution(tiny_shop()))
    assert curve["客户占比"].tolist() == [0, 0.25, 0.5, 0.75, 1.0]
    assert curve["累计利润占比"].tolist() == pytest.approx([0, 3.5, 3.25, 2.5, 1.0])  # 70, −5, −15, −30 of 20
    assert cu.top_profit_share(pd.Series([80.0, 10, 10, 0, 0])) == pytest.approx(0.8)
    assert cu.top_profit_share(pd.Series([80.0, 10, 10, 0, 0]), 0.3) == pytest.approx(
        0.9
    )  # 1.5 → 2 customers


def test_composition_counts_and_shares(store):
    before = snapshot(store.customers)
    for by, name in cu.COMPOSITION_FIELDS.items():
        table = cu.customer_composition(store.customers, by)
        assert table.index.name == name and list(table.columns) == ["客户数", "占比"]
        assert table["客户数"].sum() == len(store.customers)
        assert table["占比"].sum() == pytest.approx(1.0)
    assert_unchanged(before, store.customers)
    ages = cu.customer_composition(store.customers, "age_band")
    assert ages.index.tolist() == ["24岁及以下", "25-29岁", "30-34岁", "35-39岁", "40岁及以上"]
    assert ages.loc["25-29岁", "客户数"] == store.customers["age"].between(25, 29).sum()
    regions = cu.customer_composition(store.customers, "region")
    assert regions["客户数"].is_monotonic_decreasing
    assert (
        regions["客户数"].to_dict() == store.customers["region"].value_counts().loc[lambda s: s > 0].to_dict()
    )


def test_deal_and_days_ago_readings():
    shop = tiny_shop()
    assert cu.deal_mask(shop.orders).tolist() == [True, False, False, True, True]
    assert cu.resolve_today(shop) == pd.Timestamp("2025-12-31")
    ago = cu.days_ago(shop.orders["paid_at"], pd.Timestamp("2025-12-31 18:00"))
    assert ago[0] == 30 and np.isnan(ago[1])


def test_days_ago_counts_local_days_of_zone_aware_moments():
    local = pd.Series(pd.to_datetime(["2025-12-31 23:30", "2025-12-01 00:10"])).dt.tz_localize(
        "Asia/Shanghai"
    )
    assert cu.days_ago(local, pd.Timestamp("2025-12-31")).tolist() == [0.0, 30.0]


def test_lookalike_features_share_the_crowd_tag_table(store):
    """One computation of 近两年成交次数 / 最近一次成交距今天数: the crowd tag table's."""
    from crm_helpers import crowds

    for today in (None, "2025-06-30"):
        features = cu.lookalike_features(store, today=today)
        tags = crowds.customer_features(store, today=today)
        for column in ("近两年成交次数", "最近一次成交距今天数"):
            pd.testing.assert_series_equal(features[column], tags[column], check_names=False)
    assert list(features.columns) == [
        "会员名",
        "近两年成交次数",
        "最近一次成交距今天数",
        *cu.LOOKALIKE_FEATURES,
    ]


def test_one_name_per_base_feature():
    from crm_helpers.vocabulary import CROWD_BASE_FEATURES

    assert tuple(cu.COMPOSITION_FIELDS.values()) == CROWD_BASE_FEATURES
    assert cu.COMPOSITION_FIELDS["channel"] == "获客渠道"


def test_lookalikes_match_the_typical_values_of_the_loyal(store):
    before = snapshot(*store.tables.values())
    features = cu.lookalike_features(store)
    profile = cu.loyal_profile(features)
    found = cu.lookalike_customers(store)
    assert_unchanged(before, *store.tables.values())
    typical = profile[profile["典型"]]
    assert not typical.empty
    assert (typical["忠诚客户占比"] >= 0.1).all() and (typical["倍数"] >= 1.2).all()
    assert (found["近两年成交次数"] == 1).all() and len(found) > 0
    for feature, values in found.attrs["典型特征"].items():
        assert found[feature].astype(str).isin(values).all()
    # Recomputed by hand: loyal = ≥ 5 deals; the share of 常买类目 among them vs among all buyers
    buyers = features[features["近两年成交次数"] >= 1]
    loyal = buyers[buyers["近两年成交次数"] >= cu.LOYAL_MIN_DEALS]
    for _, row in typical.iterrows():
        share = (loyal[row["特征"]].astype(str) == row["取值"]).mean()
        assert row["忠诚客户占比"] == pytest.approx(share)


def test_lookalikes_with_another_profile_match_every_feature(store):
    profile = cu.loyal_profile(cu.lookalike_features(store), min_ratio=1.0, min_share=0.05)
    found = cu.lookalike_customers(store, profile=profile)
    typical = profile[profile["典型"]]
    assert set(typical["特征"]) == set(cu.LOOKALIKE_FEATURES) and len(found) > 0
    for feature, values in typical.groupby("特征")["取值"]:
        assert found[feature].astype(str).isin(list(values)).all()
    first = found.iloc[0]
    assert first["匹配的特征"] == "，".join(f"{f}={first[f]}" for f in cu.LOOKALIKE_FEATURES)
    with pytest.raises(ValueError, match=r"都和全体买家差不多"):
        cu.lookalike_customers(store, profile=profile.assign(典型=False))
    with pytest.raises(ValueError, match=r"profile 缺少列 '典型'"):
        cu.lookalike_customers(store, profile=profile.drop(columns="典型"))


def test_loyal_profile_reads_lift_and_share():
    features = pd.DataFrame(
        {
            "近两年成交次数": [5, 6, 7, 1, 1, 1, 1, 1, 0],
            "地区": ["广东", "广东", "浙江", "广东", "浙江", "浙江", "浙江", "浙江", "广东"],
            "年龄段": ["25-29岁"] * 9,
            "获客渠道": ["直播间"] * 9,
            "常买类目": ["零食", "零食", "零食", "童装", "零食", "童装", "童装", "童装", None],
        }
    )
    profile = cu.loyal_profile(features, min_deals=5).set_index(["特征", "取值"])
    # loyal 广东 2/3 vs buyers 3/8 → 1.78×; 零食 3/3 vs 4/8 → 2×; 25-29岁 is everybody's → 1×
    assert profile.loc[("地区", "广东"), "倍数"] == pytest.approx((2 / 3) / (3 / 8))
    assert profile.loc[("常买类目", "零食"), "典型"] and not profile.loc[("年龄段", "25-29岁"), "典型"]
    assert not profile.loc[("地区", "浙江"), "典型"]


@pytest.mark.parametrize(
    "call, error, match",
    [
        (lambda s: cu.customer_composition(s.customers, "省份"), ValueError, r"分组方式（by）.*省份"),
        (
            lambda s: cu.customer_composition(s.customers.drop(columns="gender"), "gender"),
            ValueError,
            r"没有“性别”",
        ),
        (lambda s: cu.customer_composition(s.customers.iloc[:0], "region"), ValueError, r"customers"),
        (lambda s: cu.profit_contribution(s.customers), TypeError, r"store 应该是一家网店"),
        (lambda s: cu.profit_contribution(s, period_days=0), ValueError, r"统计天数（period_days）"),
        (lambda s: cu.profit_contribution(s, period_days="30"), TypeError, r"统计天数（period_days）"),
        (lambda s: cu.profit_contribution(s, today="昨天"), ValueError, r"统计日（today）"),
        (lambda s: cu.profit_contribution(s, with_cost="否"), TypeError, r"with_cost 应该是 True 或 False"),
        (
            lambda s: cu.profit_contribution(replace(s, products=s.products.iloc[:1])),
            ValueError,
            r"商品编号 12 在商品表里没有",
        ),
        (
            lambda s: cu.profit_contribution(replace(s, customers=s.customers.iloc[1:])),
            ValueError,
            r"订单里的客户编号 1 在客户表里没有",
        ),
        (
            lambda s: cu.profit_contribution(replace(s, products=s.products.assign(cost=[60.0, None]))),
            ValueError,
            r"有商品没有填成本（cost）",
        ),
        (lambda s: cu.pareto_curve(pd.Series([-1.0, 0.5])), ValueError, r"利润合计是 -0.50 元，不大于 0"),
        (lambda s: cu.pareto_curve(pd.Series([1.0, None])), ValueError, r"有空值"),
        (lambda s: cu.pareto_curve(pd.Series([], dtype=float)), ValueError, r"是空的"),
        (lambda s: cu.pareto_curve([1.0, 2.0]), TypeError, r"profit 应该是"),
        (
            lambda s: cu.top_profit_share(pd.Series([1.0]), 0),
            ValueError,
            r"客户占比（customer_share）应该大于 0",
        ),
        (lambda s: cu.top_profit_share(pd.Series([1.0]), 1.5), ValueError, r"收到的是 1.5"),
        (lambda s: cu.loyal_profile(cu.lookalike_features(s), min_deals=99), ValueError, r"成交 99 笔及以上"),
    ],
)
def test_bad_input_of_the_analysis(call, error, match):
    shop = tiny_shop()
    before = snapshot(*shop.tables.values())
    with pytest.raises(error, match=match):
        call(shop)
    assert_unchanged(before, *shop.tables.values())


# ---- the shop's own data: a 千牛 order export --------------------------------------------------


@pytest.fixture(scope="module")
def export_shop():
    return read_order_export(example_order_export_path())


def test_export_composition_by_region_only(export_shop):
    table = cu.customer_composition(export_shop.customers, "region")
    assert table["客户数"].sum() == export_shop.customers["region"].notna().sum()
    for by in ("gender", "age_band", "channel"):
        with pytest.raises(ValueError, match=r"订单报表里没有这一项.*能分析的是：地区"):
            cu.customer_composition(export_shop.customers, by)


def test_export_profit_says_there_is_no_cost_or_uses_the_reduced_formula(export_shop):
    with pytest.raises(ValueError, match=r"商品表没有“成本”（cost）这一列.*with_cost=False"):
        cu.profit_contribution(export_shop)
    table = cu.profit_contribution(export_shop, with_cost=False)
    assert list(table.columns) == [
        "会员名",
        "实付款",
        "退款金额",
        "红包",
        "利润",
    ]  # no cost, no discounts listed
    assert table.attrs["公式"] == "利润（未扣商品成本）= 实付款 − 退款金额 − 红包"
    orders = export_shop.orders
    paid = orders[orders["paid_at"].notna()]
    assert table["实付款"].sum() == pytest.approx(paid["payment"].sum())
    assert table["退款金额"].sum() == pytest.approx(export_shop.refunds["amount"].sum())
    assert (table["利润"] == (table["实付款"] - table["退款金额"] - table["红包"]).round(2)).all()
    assert cu.resolve_today(export_shop) == export_shop.last_day
    with pytest.raises(ValueError, match=r"没有“年龄段”（age）的数据"):
        cu.lookalike_features(export_shop)
