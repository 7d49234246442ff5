"""Lesson 07 (客户分组): every number its prose quotes is computed here from the lesson shop.

The lesson opens the workbench at 2025-12-31 17:00 (``Workbench(store, now=STORY)``), so its
orders are the shop's as they were then and 统计日 is the shop's last day.  ``prose_values``
computes each quoted value from ``load_store()`` (the ``store`` fixture) with
:mod:`crm_helpers.groups`, not with the lesson's own code; the lesson's hand computations are
then run from the notebook and must equal these values.
"""

from __future__ import annotations

import dataclasses

import nbformat
import pandas as pd
import pytest
from helpers import LESSONS_DIR, assert_prose_says, lesson_markdown
from lesson_runner import assert_self_checks, run_lesson

from crm_helpers import crowds, groups
from crm_helpers._format import format_money
from crm_helpers.orders import orders_at

SLUG = "07_customer_groups"
STORY = pd.Timestamp("2025-12-31 17:00")
NEW_COUPON, NEW_THRESHOLD, OLD_COUPON, OLD_THRESHOLD = 10, 59, 30, 199
N_BIG = 20


def _date(moment: pd.Timestamp) -> str:
    return f"{moment.year} 年 {moment.month} 月 {moment.day} 日"


def prose_values(store) -> dict[str, object]:
    """Every value lesson 07's prose quotes, computed from ``store``."""
    shop = dataclasses.replace(store, orders=orders_at(store.orders, STORY))  # the lesson's workbench
    features = crowds.customer_features(shop)  # 统计日 = the shop's last day
    times = features["近两年成交次数"]
    latest = features["最近一次成交距今天数"]
    new = groups.condition_members(shop, "新客户")
    old = groups.condition_members(shop, "老客户")
    orders = shop.orders
    deal = orders["paid_at"].notna() & (orders["close_reason"] != "全额退款")
    deal &= orders["paid_at"] >= store.last_day - pd.Timedelta(days=729)
    big = orders[deal].groupby("customer_id")["payment"].sum().nlargest(N_BIG).index
    top = store.customers.set_index("customer_id").loc[big[0]]
    return {
        "story_day": _date(STORY),
        "today": _date(store.last_day),
        "n_customers": len(store.customers),
        "n_dealt": int((times >= 1).sum()),
        "n_once": int((times == 1).sum()),
        "n_six": int((times >= 6).sum()),
        "n_none": int((times == 0).sum()),
        "n_new": len(new),
        "n_old": len(old),
        "n_old_once": int(((times.loc[old] == 1) & (latest.loc[old] >= 180)).sum()),
        "n_coupons": len(new) + len(old),
        "cost": f"{len(new) * NEW_COUPON + len(old) * OLD_COUPON:g}",
        "cost_wan": format_money(len(new) * NEW_COUPON + len(old) * OLD_COUPON),
        "old_cost": f"{len(old) * OLD_COUPON:g}",
        "n_quiet": int((latest.loc[old] >= 30).sum()),
        "big": list(big),
        "old": old,
        "new": new,
        "top_pronoun": "她" if top["gender"] == "女" else "他",
    }


@pytest.fixture(scope="module")
def values(store):
    return prose_values(store)


@pytest.fixture(scope="module")
def lesson_namespace():
    """The lesson's code cells run in order, their variables returned."""
    return run_lesson(SLUG)[0]


def test_story_day_and_statistics_day(values, store):
    assert store.last_day == STORY.normalize()  # the story happens on the shop's last day
    assert_prose_says(SLUG, "{story_day}下午 5 点，月度例会开完不久", **values)
    assert_prose_says(SLUG, "**近两年**：统计日（{today}）和它之前的 730 天", **values)
    nb = nbformat.read(LESSONS_DIR / SLUG / f"{SLUG}.ipynb", as_version=4)
    assert f'Workbench(store, now="{STORY:%Y-%m-%d %H:%M}")' in nb.cells[2].source


def test_how_often_customers_bought(values):
    assert_prose_says(
        SLUG, "店里一共 {n_customers} 位客户，近两年成交过的有 {n_dealt} 位：只成交过 1 次的 {n_once} 位，"
        "6 次及以上的 {n_six} 位；还有 {n_none} 位近两年一次都没有成交",
        **values,
    )  # fmt: skip


def test_new_and_old_customers(values):
    assert_prose_says(
        SLUG, "近两年成交过的 {n_dealt} 位客户里，新客户 {n_new} 位，老客户 {n_old} 位。"
        "老客户里有 {n_old_once} 位只成交过 1 次，但那一次在 180 天以前",
        **values,
    )  # fmt: skip
    assert_prose_says(SLUG, "新客户只有 {n_new} 位，比老客户少得多", **values)
    assert values["n_new"] + values["n_old"] == values["n_dealt"]


def test_big_customers_are_all_old_customers(values):
    assert set(values["big"]) <= set(values["old"])  # "20 位大客户全都在老客户分组里"
    assert "20 位大客户全都在老客户分组里" in lesson_markdown(SLUG)
    assert "20 位大客户全都是老客户" in lesson_markdown(SLUG)
    assert_prose_says(SLUG, "{top_pronoun}被加进了", **values)


def test_coupons(values):
    assert_prose_says(
        SLUG, "新客户 {n_new} 张、老客户 {n_old} 张，一共送出 {n_coupons} 张。如果每张券都被用掉，"
        "店铺要让利 {cost} 元（约 {cost_wan}），其中老客户占了 {old_cost} 元",
        **values,
    )  # fmt: skip


def test_exercise_answers(values):
    assert_prose_says(SLUG, "{n_old} 位老客户里有 {n_quiet} 位最近 30 天没有来买", **values)
    assert_prose_says(SLUG, "{n_big} 位 × 50 元 = {cost} 元", n_big=N_BIG, cost=N_BIG * 50)


# ---- the lesson's own computations and the workbench it leaves ------------------------------


def test_lesson_hand_computation_equals_the_condition_groups(values, lesson_namespace):
    ns = lesson_namespace
    assert sorted(ns["new_ids"]) == values["new"] and sorted(ns["old_ids"]) == values["old"]
    assert ns["big_ids"] == values["big"]
    wb = ns["wb"]
    assert sorted(wb.group_member_list("新客户")["客户编号"]) == values["new"]
    assert wb.group_list()["分组名称"].tolist() == ["大客户", "新客户", "老客户", "宝妈"]
    coupons = wb.group_coupons
    assert len(coupons) == values["n_coupons"]
    assert f"{coupons['amount'].sum():g}" == values["cost"]
    # the log shows every step was an operation: replaying it gives the workbench's groups
    replayed_groups, replayed_members = groups.replay_log(wb.audit_log)
    assert replayed_groups["group_name"].tolist() == wb.groups["group_name"].tolist()
    assert len(replayed_members) == len(wb.group_members)
    assert "manage_customers" not in wb.permissions_of("乐童优选:小明")  # taken back at the end


def test_refused_attempts_in_the_lesson_are_logged(lesson_namespace):
    log = lesson_namespace["wb"].audit_log
    refused = log[(log["result"] == "拒绝") & (log["operator"] == "乐童优选:小明")]
    assert refused["target"].tolist() == ["新增分组 大客户", "新增分组 大客户", "添加分组 元旦电话回访"]


def test_self_checks_are_collapsed_and_the_reference_answers_pass():
    assert_self_checks(SLUG, 3)


def test_seed_facts_are_in_the_lesson():
    text = lesson_markdown(SLUG)
    for item in (
        "数据助力决策经营",
        "商业资讯一手掌握",
        "金融服务更便捷",
        "货源采购一站搞定",
        "服务外包更省心",
        "重要消息马上达",
    ):
        assert item in text
    for purpose in ("批量设置", "送优惠券", "送支付宝红包", "送流量"):
        assert purpose in text
    assert "客户运营 → 客户管理 → 客户列表 → 分组管理 → 新增分组（分组名称、分组方式）" in text
    assert "25050" in text  # seed 000's 卫衣 example
