"""Lesson 06 (客户信息管理与打标): every number its prose quotes is computed here from the lesson shop.

The shop is ``load_store()`` (the ``store`` fixture), as in the lesson.  ``prose_values`` is the
one place the quoted values are computed, each with the library call the lesson makes (or plain
pandas where the lesson counts by hand); each test names the sentences that quote them, so a
change to the shop fails here with the sentence to rewrite.
"""

from __future__ import annotations

import nbformat
import pandas as pd
import pytest
from helpers import LESSONS_DIR, assert_prose_says, lesson_markdown
from lesson_runner import run_lesson, self_check_verdicts
from test_patterns import _small_value_crowd

from crm_helpers import customers as cu
from crm_helpers import tags as tg
from crm_helpers.shop_export import example_order_export_path, read_order_export

SLUG = "06_customer_info_tags"
EXAMPLE = 2184  # the customer of sections 4 and 6
FRAUD_AGENT = 2  # 小陈, lesson 01's 红包 case


def _percent(share: float) -> str:
    return f"{share:.0%}"


def _date(moment: pd.Timestamp) -> str:
    return f"{moment.year} 年 {moment.month} 月 {moment.day} 日"


def _money(amount: float) -> str:
    return f"{amount:,.2f}".replace("-", "−")


def prose_values(store) -> dict[str, object]:
    """Every value lesson 06's prose quotes, computed from ``store`` as the lesson computes it."""
    growth = store.growth
    by_source = growth.groupby("source", observed=True).agg(
        n=("growth_id", "size"), people=("customer_id", "nunique"), points=("points", "sum")
    )
    favourites = store.events[store.events["event_type"] == "收藏"]
    gender = cu.customer_composition(store.customers, "gender")
    ages = cu.customer_composition(store.customers, "age_band")
    channels = cu.customer_composition(store.customers, "channel")
    regions = cu.customer_composition(store.customers, "region")
    profit = cu.profit_contribution(store)
    negative = cu.negative_customers(profit)
    fraud = negative.index[:3]
    normal = profit.drop(fraud)
    spend_rank = profit["实付款"].rank(ascending=False, method="min")
    features = cu.lookalike_features(store)
    loyal = cu.loyal_profile(features).set_index(["特征", "取值"])
    lookalikes = cu.lookalike_customers(store)
    wide = tg.rule_tags(store)
    export = read_order_export(example_order_export_path())
    export_tags = tg.rule_tags(export)
    return {
        "last_day": _date(store.last_day),
        "start": _date(store.start),
        "trade_share": _percent(by_source.loc["交易", "points"] / by_source["points"].sum()),
        "check_in_people": f"{by_source.loc['签到', 'people']:,}",
        "check_ins": f"{by_source.loc['签到', 'n']:,}",
        "profile_people": f"{by_source.loc['完善信息', 'people']:,}",
        "favourites": f"{len(favourites):,}",
        "favourite_people": f"{favourites['customer_id'].nunique():,}",
        "women": _percent(gender.loc["女", "占比"]),
        "top_age": ages["客户数"].idxmax(),
        "top_age_share": _percent(ages["占比"].max()),
        "top_channel": channels.index[0],
        "top_channel_share": _percent(channels["占比"].iloc[0]),
        "top_region": regions.index[0],
        "top_region_n": f"{regions['客户数'].iloc[0]:,}",
        "second_regions": "、".join(regions.index[1:3]),
        "n_negative": len(negative),
        "fraud_red": _money(profit.loc[fraud, "红包"].sum()),
        "fraud_wan": round(profit.loc[fraud, "红包"].sum() / 10_000),
        "example_paid": _money(profit.loc[EXAMPLE, "实付款"]),
        "example_rank": int(spend_rank.loc[EXAMPLE]),
        "example_refund": _money(profit.loc[EXAMPLE, "退款金额"]),
        "example_profit": _money(profit.loc[EXAMPLE, "利润"]),
        "top20": _percent(cu.top_profit_share(profit)),
        "peak": _percent(cu.pareto_curve(profit)["累计利润占比"].max()),
        "top20_normal": _percent(cu.top_profit_share(normal)),
        "peak_normal": _percent(cu.pareto_curve(normal)["累计利润占比"].max()),
        "buyers": f"{(features['近两年成交次数'] >= 1).sum():,}",
        "loyal": f"{(features['近两年成交次数'] >= cu.LOYAL_MIN_DEALS).sum():,}",
        "snack_loyal": _percent(loyal.loc[("常买类目", "零食"), "忠诚客户占比"]),
        "snack_all": _percent(loyal.loc[("常买类目", "零食"), "全体买家占比"]),
        "baby_loyal": _percent(loyal.loc[("常买类目", "母婴用品"), "忠诚客户占比"]),
        "baby_all": _percent(loyal.loc[("常买类目", "母婴用品"), "全体买家占比"]),
        "one_time": f"{(features['近两年成交次数'] == 1).sum():,}",
        "lookalikes": f"{len(lookalikes):,}",
        "sleeping": f"{wide['沉睡客户'].sum():,}",
        "sleeping_share": _percent(wide["沉睡客户"].mean()),
        "small": int(wide["小额交易活跃"].sum()),
        "tagged": f"{wide.any(axis=1).sum():,}",
        "most_tags": int(wide.sum(axis=1).max()),
        "export_orders": len(export.orders),
        "export_buyers": len(export.customers),
        "export_tags": len(export_tags.columns),
    }


@pytest.fixture(scope="module")
def values(store):
    return prose_values(store)


def test_story_day_follows_lesson_05(values):
    assert_prose_says(SLUG, "{last_day}下午，月度例会散会以后", **values)
    assert_prose_says("05_service_kpis", "{last_day}，月底。", **values)  # the same day, after the meeting
    nb = nbformat.read(LESSONS_DIR / SLUG / f"{SLUG}.ipynb", as_version=4)
    code = "\n".join(c.source for c in nb.cells if c.cell_type == "code")
    assert 'Workbench(store, now="2025-12-31 17:30")' in code and values["last_day"] == "2025 年 12 月 31 日"


def test_interactions_from_the_growth_and_event_tables(values, store):
    assert_prose_says(SLUG, "- **交易**带来了全部成长值的 {trade_share}", **values)
    assert_prose_says(SLUG, "- 有 {check_in_people} 位客户签到过，一共签到 {check_ins} 次", **values)
    assert_prose_says(SLUG, "**完善信息**是一次性活动，{profile_people} 位客户各参加了一次", **values)
    assert_prose_says(SLUG, "- 收藏一共 {favourites} 次，来自 {favourite_people} 位客户", **values)
    growth = store.growth
    once = growth[growth["source"] == "完善信息"]
    assert once["customer_id"].is_unique  # "各参加了一次"
    points = growth.groupby("source", observed=True)["points"].agg(["min", "max"])
    assert points.loc["签到"].tolist() == [5, 5] and points.loc["评价"].tolist() == [10, 10]
    assert points.loc["完善信息"].tolist() == [
        100,
        100,
    ]  # "签到每次 5 点，评价每条 10 点，完善信息一次 100 点"
    assert_prose_says(SLUG, "签到每次 5 点，评价每条 10 点，完善信息一次 100 点", **values)


def test_composition(values):
    assert_prose_says(
        SLUG, "- **女性客户占 {women}**，年龄段里 **{top_age}最多，占 {top_age_share}**", **values
    )  # fmt: skip
    assert_prose_says(SLUG, "获客渠道里**{top_channel}占 {top_channel_share}**，是最大的渠道", **values)
    assert_prose_says(
        SLUG, "**{top_region}的客户最多，有 {top_region_n} 位**，其次是{second_regions}", **values
    )
    assert values["top_age"] == "30-34岁"  # "主力客户是 30 岁上下的妈妈"
    assert_prose_says(SLUG, "最大的获客渠道是{top_channel}", **values)


def test_profit_and_negative_customers(values, store):
    assert_prose_says(SLUG, "统计的是店铺全部的数据（{start}至 {last_day}）", **values)
    assert_prose_says(
        SLUG, "全店有 {n_negative} 位负值顾客。排在最前面的 3 位，一分钱没付过，却各收了 10 万元左右的红包，"
        "一共 {fraud_red} 元——他们就是**第 1 课红包案**里小陈控制的账号",
        **values,
    )  # fmt: skip
    profit = cu.profit_contribution(store)
    fraud = cu.negative_customers(profit).iloc[:3]
    assert (fraud["实付款"] == 0).all() and fraud["红包"].between(90_000, 115_000).all()
    senders = store.red_packets.loc[store.red_packets["customer_id"].isin(fraud.index), "agent_id"]
    assert set(senders) == {FRAUD_AGENT}
    assert_prose_says(
        SLUG, "2184 号客户实付款 {example_paid} 元，在全部客户里排第 {example_rank} 位", **values
    )  # fmt: skip
    assert_prose_says(
        SLUG, "可他退款 {example_refund} 元，再减去商品成本，利润是 {example_profit} 元", **values
    )
    assert_prose_says(SLUG, "比如 2184 号客户实付款 {example_paid} 元，排在前列", **values)
    assert_prose_says(SLUG, "红包案的账号没付过钱，却让店铺亏了 {fraud_wan} 万元", **values)


def test_pareto(values):
    assert_prose_says(
        SLUG, "利润最高的前 20% 客户贡献了全部利润的 {top20}，曲线的最高点到了 {peak}，最后又掉回 100%", **values
    )  # fmt: skip
    assert_prose_says(SLUG, "前 20% 的客户贡献了 {top20_normal} 的利润，曲线最高到 {peak_normal}", **values)


def test_lookalikes(values, store):
    assert_prose_says(SLUG, "近两年有 {buyers} 位客户成交过，其中 {loyal} 位是忠诚客户", **values)
    assert_prose_says(
        SLUG, "忠诚客户里常买零食的占 {snack_loyal}（全体买家是 {snack_all}），"
        "常买母婴用品的占 {baby_loyal}（全体买家是 {baby_all}）",
        **values,
    )  # fmt: skip
    profile = cu.loyal_profile(cu.lookalike_features(store))
    typical = profile[profile["典型"]]
    assert set(typical["特征"]) == {"常买类目"}  # "在地区、年龄段、获客渠道上……找不到典型特征"
    assert set(typical["取值"]) == {"零食", "母婴用品"}
    assert_prose_says(
        SLUG, "近两年只成交过 1 笔的客户有 {one_time} 位，其中 {lookalikes} 位常买零食或母婴用品", **values
    )  # fmt: skip


def test_tags(values, store):
    assert_prose_says(SLUG, "- **沉睡客户**有 {sleeping} 位，占全部客户的 {sleeping_share}", **values)
    assert_prose_says(SLUG, "- **小额交易活跃**的只有 {small} 位", **values)
    assert values["small"] == _small_value_crowd(store)  # "正是第 8 课……同名人群的人数"
    assert_prose_says(
        SLUG, "- 有 {tagged} 位客户至少有一个标签，最多的客户同时有 {most_tags} 个标签", **values
    )
    wide = tg.rule_tags(store)
    assert list(wide.columns[wide.loc[10]]) == ["忠诚客户", "母婴常客"]
    assert_prose_says(SLUG, '10 号客户有"忠诚客户"和"母婴常客"两个标签', **values)


def test_shop_export_section(values):
    assert_prose_says(SLUG, "课程带了一份小小的示例报表（一家店 {export_orders} 笔订单）", **values)
    assert_prose_says(
        SLUG, "这份示例报表有 {export_buyers} 位买家，能算的规则标签有 {export_tags} 个", **values
    )


def test_exercise_and_extension_claims(store):
    recent = cu.profit_contribution(store, period_days=180)
    negative = cu.negative_customers(recent)
    fraud = cu.negative_customers(cu.profit_contribution(store)).index[:3]
    # "近 180 天里已经没有红包案的账号了，剩下的负值顾客几乎都是因为退款"
    assert not set(fraud) & set(recent.index)
    assert (negative["退款金额"] > 0).mean() >= 0.8
    # 拓展 1: "为什么近一年的利润合计会是负数？"
    assert cu.profit_contribution(store, period_days=365)["利润"].sum() < 0
    assert "近一年的利润合计会是负数" in lesson_markdown(SLUG)


# ---- the lesson's own cells -------------------------------------------------------------------


@pytest.fixture(scope="module")
def lesson_namespace():
    return run_lesson(SLUG)


def test_hand_computed_profit_equals_the_helper(lesson_namespace):
    ns = lesson_namespace[0]
    assert ns["by_hand"] == pytest.approx(ns["profit"].loc[EXAMPLE, "利润"])
    assert ns["n_tagged"] == 5
    log = ns["wb"].audit_log.tail(3)
    assert log["result"].tolist() == ["拒绝", "拒绝", "成功"] and log["action"].iloc[-1] == "打标签"
    assert set(ns["all_tags"]["来源"]) == {"规则", "人工"}


def test_self_check_cells_are_collapsed():
    nb = nbformat.read(LESSONS_DIR / SLUG / f"{SLUG}.ipynb", as_version=4)
    checks = [c for c in nb.cells if c.cell_type == "code" and "check_value(" in c.source]
    assert len(checks) == 3
    assert all(c.metadata.get("jupyter", {}).get("source_hidden") for c in checks)


def test_reference_answers_pass_the_self_checks_and_blanks_wait(lesson_namespace):
    _, printed = run_lesson(SLUG, answers=True)
    assert self_check_verdicts(printed) == ["✅", "✅", "✅"]
    assert self_check_verdicts(lesson_namespace[1]) == ["⏳", "⏳", "⏳"]
