"""Lesson 08 (客户分群与人群分析): every number its prose quotes is computed here from the lesson shop.

The shop is ``load_store()`` (the ``store`` fixture), as in the lesson.  ``prose_values`` is the
one place the quoted values are computed; each test names the sentence that quotes them, so a
change to the shop fails here with the sentence to rewrite.  The lesson's hand computations are
run from the notebook itself and must equal the helper calls right after them.
"""

from __future__ import annotations

import pandas as pd
import pytest
from helpers import assert_prose_says
from lesson_runner import assert_self_checks, run_lesson

from crm_helpers import crowds

SLUG = "08_crowds"


def _percent(share: float) -> str:
    return f"{share:.0%}"


def _date(moment: pd.Timestamp) -> str:
    return f"{moment.year} 年 {moment.month} 月 {moment.day} 日"


def _crowds(store) -> tuple[pd.DataFrame, dict[str, crowds.Crowd]]:
    features = crowds.customer_features(store)
    return features, {crowd.name: crowd for crowd in crowds.standard_crowds()}


def prose_values(store) -> dict[str, object]:
    """Every value lesson 08's prose quotes, computed from ``store`` as the lesson computes it."""
    features, named = _crowds(store)
    reach = {name: crowd.reach(features) for name, crowd in named.items()}
    interest_first = int(named["兴趣人群"].members(features)[0])
    ev = store.events[store.events["customer_id"] == interest_first]
    ev = ev.assign(ago=(store.last_day - ev["occurred_at"].dt.normalize()).dt.days)
    carted = ev[ev["ago"].between(3, 10) & (ev["event_type"] == "加购")].iloc[0]
    products = store.products.set_index("product_id")
    cycles = products["repurchase_cycle_days"].dropna()
    diaper = int(cycles.loc[201])
    repeat = crowds.crowd_behaviour(store, named["复购人群"].members(features))
    old = crowds.crowd_behaviour(store, named["30天内无购买记录的老客户"].members(features))
    small = named["小额交易活跃"].members(features)
    channels = crowds.crowd_profile(store, small, "获客渠道")
    return {
        "last_day": _date(store.last_day),
        "n_customers": f"{len(store.customers):,}",
        **{f"reach_{i}": reach[name] for i, name in enumerate(named)},
        "interest_first": interest_first,
        "carted_ago": int(carted["ago"]),
        "carted_product": int(carted["product_id"]),
        "carted_name": products.loc[carted["product_id"], "name"],
        "n_cycle_products": len(cycles),
        "diaper_name": products.loc[201, "name"],
        "diaper_cycle": diaper,
        "diaper_low": diaper - crowds.REPURCHASE_TOLERANCE_DAYS,
        "diaper_high": diaper + crowds.REPURCHASE_TOLERANCE_DAYS,
        "repeat_browse": _percent(repeat.loc["浏览", "人数占比"]),
        "repeat_buy": _percent(repeat.loc["购买", "人数占比"]),
        "old_browse": _percent(old.loc["浏览", "人数占比"]),
        "top_channel": channels.index[0],
        "top_channel_people": int(channels["人群人数"].iloc[0]),
        "top_channel_share": _percent(channels["人群占比"].iloc[0]),
        "top_channel_shop": _percent(channels["全店占比"].iloc[0]),
        "one_person_points": round(100 / len(small)),
        "big_reach": crowds.define_crowd("大客户", [("近两年付款总金额", 1000, None)]).reach(features),
        "new_90": crowds.define_crowd(
            "新客户（90天）", [("近两年成交次数", 1, 1), ("最近一次成交距今天数", 0, 89)]
        ).reach(features),
        "interest_carts": int(
            crowds.crowd_behaviour(store, named["兴趣人群"].members(features), days=30).loc["加购", "人数"]
        ),
    }


@pytest.fixture(scope="module")
def values(store):
    return prose_values(store)


def test_story_date_and_shop(values):
    assert_prose_says(SLUG, "{last_day}，月度例会开完以后", **values)
    assert_prose_says(SLUG, "统计日（今天）**：数据的最后一天 `store.last_day`，也就是 {last_day}", **values)
    assert_prose_says(SLUG, "店里有 {n_customers} 位客户", **values)


def test_reach_counts(values):
    assert_prose_says(SLUG, "兴趣人群有 {reach_0} 位客户", **values)
    assert_prose_says(SLUG, "新客户人群有 {reach_1} 位客户", **values)
    assert_prose_says(SLUG, "复购人群有 {reach_2} 位客户", **values)
    assert_prose_says(SLUG, "工具算出的 {reach_3} 人和手算的一样", **values)
    assert_prose_says(SLUG, '"小额交易活跃"只有 {reach_4} 位客户', **values)
    assert_prose_says(SLUG, "活动能发给多少人 | {reach_4} 人 |", **values)
    assert_prose_says(
        SLUG, "| 兴趣人群 | 近3-10天加购或收藏过、近两年没成交过的商品 ≥ 1 件 | {reach_0} |", **values
    )
    assert_prose_says(
        SLUG, "| 新客户人群 | 近两年成交次数 = 1 且 最近一次成交距今 0～179 天 | {reach_1} |", **values
    )
    assert_prose_says(SLUG, "最近一次成交距今在复购周期 ± 7 天内 | {reach_2} |", **values)
    assert_prose_says(SLUG, "| 近两年成交次数 ≥ 1 且 近30天成交次数 = 0 | {reach_3} |", **values)
    assert_prose_says(SLUG, "近两年付款笔数 10～100 笔 | {reach_4} |", **values)


def test_examples(values, store):
    assert_prose_says(
        SLUG,
        "例如 {interest_first} 号客户在距今 {carted_ago} 天时把商品 {carted_product}「{carted_name}」加入了购物车",
        **values,
    )
    assert_prose_says(SLUG, "店里有 {n_cycle_products} 种商品有复购周期", **values)
    assert_prose_says(
        SLUG,
        "例如{diaper_name}的复购周期是 {diaper_cycle} 天：最近一次买它是 {diaper_low} 到 {diaper_high} 天以前的顾客",
        **values,
    )
    # "近两年却没有买过它": no 成交 of that product in 近两年.
    deals = store.orders[store.orders["paid_at"].notna() & (store.orders["close_reason"] != "全额退款")]
    mine = deals[deals["customer_id"] == values["interest_first"]].merge(store.order_items, on="order_id")
    assert values["carted_product"] not in set(mine["product_id"])


def test_small_value_crowd_buys_small_things(store):
    """ "买的多是试用装、湿巾便携装这样的小东西": most of their items cost 5 元 or less."""
    features, named = _crowds(store)
    members = named["小额交易活跃"].members(features)
    paid = store.orders[store.orders["customer_id"].isin(members) & store.orders["paid_at"].notna()]
    items = paid.merge(store.order_items, on="order_id").merge(store.products, on="product_id")
    assert (items["price"] <= 5).mean() > 0.5


def test_crowd_analysis(values, store):
    assert_prose_says(
        SLUG, "复购人群近 30 天里有 {repeat_browse} 的人浏览过商品，{repeat_buy} 的人有购买", **values
    )
    assert_prose_says(SLUG, "近 30 天里只有 {old_browse} 的人还来浏览过", **values)
    assert_prose_says(
        SLUG,
        '"小额交易活跃"里有 {top_channel_people} 位是{top_channel}的，占 {top_channel_share}，全店只有 {top_channel_shop}',
        **values,
    )
    assert_prose_says(SLUG, "多一个少一个，占比就差 {one_person_points} 个百分点", **values)
    # "这个人群的年龄段分布和全店几乎一样"
    features, named = _crowds(store)
    ages = crowds.crowd_profile(store, named["30天内无购买记录的老客户"].members(features), "年龄段")
    assert (ages["人群占比"] - ages["全店占比"]).abs().max() < 0.03


def test_exercise_answers(values):
    assert_prose_says(SLUG, "大客户有 {big_reach} 人", **values)
    assert values["big_reach"] < values["reach_3"] / 2  # "比……少得多"
    assert_prose_says(SLUG, "只剩 {new_90} 人", **values)
    assert_prose_says(
        SLUG, "有 {interest_carts} 人。兴趣人群的人要么加购、要么收藏过，加购的人更多", **values
    )


# ---- the lesson's hand computations equal the helper calls ------------------------------------


@pytest.fixture(scope="module")
def lesson_namespace():
    return run_lesson(SLUG)[0]


def test_hand_computations_equal_the_helpers(lesson_namespace, store):
    ns = lesson_namespace
    assert ns["by_hand"] == ns["old"].reach(ns["features"]) == prose_values(store)["reach_3"]
    assert ns["in_range"].sum() == ns["small"].reach(ns["features"]) == 11
    assert ns["saved"].definition == ns["small"].definition and ns["builder"].reach == 11
    assert [c.definition for c in (ns["interest"], ns["new"], ns["repeat"], ns["old"], ns["small"])] == [
        c.definition for c in crowds.standard_crowds()
    ]


def test_self_check_cells_are_collapsed_and_the_reference_answers_pass_them():
    assert_self_checks(SLUG, 3)
