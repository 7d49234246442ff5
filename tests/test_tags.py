"""Rule tags (规则标签): each rule recomputed here with plain pandas on the lesson shop."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from helpers import assert_unchanged, snapshot
from test_patterns import _small_value_crowd

from crm_helpers import customers as cu
from crm_helpers import tags as tg
from crm_helpers.shop_export import example_order_export_path, read_order_export
from crm_helpers.vocabulary import RULE_TAGS


@pytest.fixture(scope="module")
def wide(store):
    before = snapshot(*store.tables.values())
    tags = tg.rule_tags(store)
    assert_unchanged(before, *store.tables.values())
    return tags


def _deals_two_years(store) -> pd.DataFrame:
    orders = store.orders
    start = store.end - pd.Timedelta(days=730)  # 近两年 = the 730 calendar days up to the last day
    deals = orders[
        orders["paid_at"].notna() & (orders["close_reason"] != "全额退款") & (orders["paid_at"] >= start)
    ]
    return deals


def _ids(mask: pd.Series) -> set[int]:
    return set(mask[mask].index)


def test_rules_are_data_in_the_vocabulary_order():
    assert tuple(rule.name for rule in tg.TAG_RULES) == RULE_TAGS
    table = tg.tag_rule_table()
    assert list(table.columns) == ["标签", "规则"] and table["规则"].str.len().min() > 5


def test_wide_table_has_every_customer_and_every_tag(wide, store):
    assert wide.index.name == "客户编号" and wide.index.tolist() == store.customers["customer_id"].tolist()
    assert list(wide.columns) == list(RULE_TAGS) and all(pd.api.types.is_bool_dtype(d) for d in wide.dtypes)
    assert wide.attrs["未计算"] == {} and wide.attrs["统计日"] == store.last_day


def test_small_value_active_is_seed_000s_crowd(wide, store):
    assert wide["小额交易活跃"].sum() == _small_value_crowd(store) == 11


def test_deal_count_tags(wide, store):
    deals = _deals_two_years(store)
    per = deals.groupby("customer_id").agg(n=("order_id", "size"), last=("paid_at", "max"))
    last_ago = (store.last_day - per["last"].dt.normalize()).dt.days
    assert _ids(wide["忠诚客户"]) == set(per.index[per["n"] >= 5])
    assert _ids(wide["新客户"]) == set(per.index[(per["n"] == 1) & (last_ago <= 179)])
    assert _ids(wide["沉睡客户"]) == set(per.index[last_ago >= 180])


def test_baby_regulars(wide, store):
    deals = _deals_two_years(store)
    baby = store.products.loc[store.products["category"] == "母婴用品", "product_id"]
    orders_with_baby = store.order_items.loc[store.order_items["product_id"].isin(baby), "order_id"].unique()
    n = deals[deals["order_id"].isin(orders_with_baby)].groupby("customer_id").size()
    assert _ids(wide["母婴常客"]) == set(n.index[n >= 3])


def test_profit_tags(wide, store):
    profit = cu.profit_contribution(store)["利润"]
    assert _ids(wide["负值顾客"]) == set(profit.index[profit < 0])
    top = profit.sort_values(ascending=False, kind="stable").head(int(np.ceil(0.2 * len(profit))))
    assert _ids(wide["高价值"]) == set(top.index[top > 0])
    assert wide["高价值"].sum() == 321  # 20 % of the 1,603 customers with a paid order or a 红包


def test_interaction_tags(wide, store):
    customers = store.customers.set_index("customer_id")
    assert _ids(wide["生日本月"]) == _ids(customers["birthday"].dt.month == 12)
    growth = store.growth
    recent = growth[(growth["source"] == "签到") & (growth["earned_at"] >= store.end - pd.Timedelta(days=30))]
    n = recent.groupby("customer_id").size()
    assert _ids(wide["签到活跃"]) == set(n.index[n >= 2])
    assert _ids(wide["已完善信息"]) == set(growth.loc[growth["source"] == "完善信息", "customer_id"])


def test_refund_tag(wide, store):
    orders = store.orders
    paid = orders.loc[orders["paid_at"] >= store.end - pd.Timedelta(days=730), "order_id"]
    refunds = store.refunds
    n = (
        refunds[(refunds["status"] == "退款成功") & refunds["order_id"].isin(paid)]
        .groupby("customer_id")
        .size()
    )
    assert _ids(wide["退款较多"]) == set(n.index[n >= 2])


def test_long_form_and_counts(wide):
    long = tg.long_tags(wide)
    assert list(long.columns) == ["客户编号", "标签", "来源"] and (long["来源"] == "规则").all()
    assert len(long) == int(wide.to_numpy().sum())
    assert long.groupby("标签", observed=False).size().to_dict() == wide.sum().to_dict()
    counts = tg.tag_counts(wide)
    assert counts.index.name == "标签" and counts.loc["忠诚客户", "占比"] == pytest.approx(
        wide["忠诚客户"].mean()
    )
    assert wide.sum(axis=1).max() >= 4  # many tags per customer


def test_earlier_day_and_chosen_rules(store):
    tags = tg.rule_tags(store, today="2025-06-30", rules=["生日本月", "忠诚客户", "生日本月"])
    assert list(tags.columns) == ["生日本月", "忠诚客户"]
    assert _ids(tags["生日本月"]) == set(
        store.customers.loc[store.customers["birthday"].dt.month == 6, "customer_id"]
    )


def test_export_tags_run_on_what_the_export_has():
    shop = read_order_export(example_order_export_path())
    tags = tg.rule_tags(shop)
    assert list(tags.columns) == ["忠诚客户", "新客户", "沉睡客户", "小额交易活跃", "退款较多"]
    assert set(tags.attrs["未计算"]) == {
        "高价值",
        "负值顾客",
        "母婴常客",
        "生日本月",
        "签到活跃",
        "已完善信息",
    }
    assert len(tags) == len(shop.customers)
    table = tg.tag_rule_table(shop).set_index("标签")
    assert table.loc["忠诚客户", "能否计算"] == "能" and table.loc["高价值", "能否计算"].startswith("缺少")
    with pytest.raises(ValueError, match=r"算不出“高价值”标签：缺少 利润、利润排名"):
        tg.rule_tags(shop, rules=["高价值"])


@pytest.mark.parametrize(
    "call, error, match",
    [
        (lambda s: tg.rule_tags(s.orders), TypeError, r"store 应该是一家网店"),
        (lambda s: tg.rule_tags(s, rules=["VIP"]), ValueError, r"规则标签（rules）.*VIP"),
        (lambda s: tg.rule_tags(s, rules="忠诚客户"), TypeError, r"rules 应该是标签名的列表"),
        (lambda s: tg.rule_tags(s, today="not a day"), ValueError, r"统计日（today）"),
        (lambda s: tg.long_tags(s.customers), TypeError, r"每一列都应该是 True/False"),
        (
            lambda s: tg.long_tags(tg.rule_tags(s, rules=["新客户"]), source="系统"),
            ValueError,
            r"来源（source）",
        ),
    ],
)
def test_bad_input(store, call, error, match):
    before = snapshot(*store.tables.values())
    with pytest.raises(error, match=match):
        call(store)
    assert_unchanged(before, *store.tables.values())
