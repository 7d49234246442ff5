"""Lesson 05 (客服数据指标): every number its prose quotes is computed here from the lesson shop.

The shop is ``load_store()`` (the ``store`` fixture), as in the lesson.  ``prose_values`` is the
one place the quoted values are computed; each test names the sentence that quotes them, so a
change to the shop fails here with the sentence to rewrite.  The lesson's hand computations are
run from the notebook itself and must equal the helper calls right after them.
"""

from __future__ import annotations

import nbformat
import pandas as pd
import pytest
from helpers import LESSONS_DIR, assert_prose_says, lesson_markdown
from lesson_runner import assert_self_checks, run_lesson

from crm_helpers import metrics

SLUG = "05_service_kpis"
BANDS = [0, 15, 30, 60, 120, 180, 3600]
BAND_LABELS = ["15秒内", "15-30秒", "30-60秒", "1-2分钟", "2-3分钟", "3分钟以上"]


def _percent(share: float) -> str:
    return f"{share:.0%}"


def _date(moment: pd.Timestamp) -> str:
    return f"{moment.year} 年 {moment.month} 月 {moment.day} 日"


def _example_buyers(store) -> tuple[int, int, int]:
    """The three buyers section 2.1 shows: no order; an order before and one after; two after."""
    chats, orders = store.chats, store.orders
    start = store.end - pd.Timedelta(days=28)
    presale = chats[(chats["started_at"] >= start) & (chats["chat_type"] == "售前")]
    first_ask = presale.groupby("customer_id")["started_at"].min()
    period = orders[orders["created_at"] >= start]
    rows = period.merge(first_ask.rename("asked").reset_index(), on="customer_id")
    after = (rows["created_at"] >= rows["asked"]).groupby(rows["customer_id"]).sum()
    before = (rows["created_at"] < rows["asked"]).groupby(rows["customer_id"]).sum()
    no_order = min(set(first_ask.index) - set(rows["customer_id"]))
    before_after = min(after[(after == 1) & (before == 1)].index)
    two_after = min(after[(after == 2) & (before == 0)].index)
    return int(no_order), int(before_after), int(two_after)


def _day_chats(store) -> pd.DataFrame:
    """The chats started from 08:00 on, when agents are on duty (sections 4 and 7)."""
    return store.chats[store.chats["started_at"].dt.hour >= 8]


def _per_agent_year(store) -> pd.DataFrame:
    names = store.agents.set_index("agent_id")["nickname"]
    day = _day_chats(store)
    return pd.DataFrame(
        {
            "客服": names,
            "首次响应": metrics.first_response_time(day, by="agent"),
            "询单转化率": metrics.inquiry_conversion_rate(
                day, store.orders, method="orders", by="agent", period_days=None
            ),
        }
    ).dropna()


def _banded_day_chats(store) -> pd.DataFrame:
    day = _day_chats(store)
    return day.assign(首次响应=pd.cut(day["first_response_seconds"], bins=BANDS, labels=BAND_LABELS))


def prose_values(store) -> dict[str, object]:
    """Every value lesson 05's prose quotes, computed from ``store`` as the lesson computes it."""
    chats, orders, products = store.chats, store.orders, store.products
    no_order, before_after, two_after = _example_buyers(store)
    board = metrics.kpi_board(chats, orders, agents=store.agents)
    boss = board.set_index("客服").loc["晓雯"]
    items = store.order_items.merge(products[["product_id", "category"]], on="product_id")
    by_category = metrics.refund_rate(items, store.refunds, orders=orders, by="category")
    top_category = by_category.idxmax()
    kids = products.loc[products["category"] == top_category, "product_id"]
    reasons = store.refunds[store.refunds["product_id"].isin(kids)]["reason"].value_counts()
    by_band = metrics.inquiry_conversion_rate(
        _banded_day_chats(store), orders, method="orders", by="首次响应", period_days=None
    )
    night = chats["started_at"].dt.hour < 8
    all_frt = metrics.first_response_time(chats, by="agent")
    day_frt = metrics.first_response_time(_day_chats(store), by="agent")
    names = store.agents.set_index("agent_id")["nickname"]
    qiang_id = int(store.agents.loc[store.agents["nickname"] == "阿强", "agent_id"].iloc[0])
    qiang_fast = metrics.response_within_3min_rate(chats, by="agent").loc[qiang_id]
    per_agent = _per_agent_year(store)
    ratio = metrics.customer_unit_price(orders) / metrics.order_unit_price(orders)
    return {
        "last_day": _date(store.last_day),
        "end_text": _date(store.end) + "零点",
        "no_order": no_order,
        "before_after": before_after,
        "two_orders": two_after,
        "example_ids": [no_order, before_after, two_after],
        "ratio": round(ratio),
        "top_category": top_category,
        "top_reason": reasons.index[0],
        "top_reason_share": _percent(reasons.iloc[0] / reasons.sum()),
        "boss_people": int(boss["接待人数"]),
        "boss_rate": _percent(boss["询单转化率"]),
        "fast": _percent(by_band.iloc[0]),
        "slow": _percent(by_band.iloc[-1]),
        "qiang_id": qiang_id,
        "qiang_slow": _percent(1 - qiang_fast),
        "product_104": products.set_index("product_id").loc[104, "name"],
        "slowest": per_agent.loc[per_agent["首次响应"].idxmax(), "客服"],
        "n_night": f"{int(night.sum()):,}",
        "bot_share": _percent((chats.loc[night, "answered_by"] == "店小蜜").mean()),
        "night_wait_hours": f"{metrics.first_response_time(chats[night]) / 3600:.1f}",
        "day_frt": f"{metrics.first_response_time(_day_chats(store)):.0f}",
        "all_min": f"{all_frt.min():,.0f}",
        "all_max": f"{all_frt.max():,.0f}",
        "slow_day": names[day_frt.idxmax()],
        "slow_day_seconds": f"{day_frt.max():.0f}",
    }


@pytest.fixture(scope="module")
def values(store):
    return prose_values(store)


def test_story_date_is_the_shops_last_day(values):
    assert_prose_says(SLUG, "{last_day}，月底。", **values)
    assert_prose_says(SLUG, '模拟数据的"今天"是 `store.end`（{end_text}）', **values)


def test_three_example_buyers(values, store):
    assert_prose_says(SLUG, "- {no_order} 号买家咨询后没有下单", **values)
    assert_prose_says(SLUG, "- {before_after} 号买家在咨询**之前**下过一单", **values)
    assert_prose_says(SLUG, "- {two_orders} 号买家咨询后下了两单", **values)
    nb = nbformat.read(LESSONS_DIR / SLUG / f"{SLUG}.ipynb", as_version=4)
    code = "\n".join(c.source for c in nb.cells if c.cell_type == "code")
    assert f'paired["customer_id"].isin({values["example_ids"]})' in code


def test_customer_unit_price_is_about_n_times_order_unit_price(values):
    assert_prose_says(SLUG, "全年的客单价约是笔单价的 {ratio} 倍", **values)
    assert_prose_says(SLUG, "平均每位顾客一年买了约 {ratio} 次", **values)


def test_board_questions(values, store):
    board = metrics.kpi_board(store.chats, store.orders, agents=store.agents)
    assert board.loc[board["询单转化率"].idxmax(), "客服"] == "晓雯"  # "晓雯的询单转化率最高"
    assert_prose_says(SLUG, "主管晓雯的询单转化率最高，但她最近 28 天只接待了 {boss_people} 位买家", **values)
    assert_prose_says(SLUG, "看板上晓雯最近 28 天的询单转化率是 {boss_rate}", **values)
    # "看板上每个人的客单价都比第三节全年的客单价低很多"
    assert (board["客单价"] < metrics.customer_unit_price(store.orders) / 2).all()


def test_refunds_by_category(values):
    assert_prose_says(
        SLUG, '【思考】{top_category}的退款率最高，而且售后原因里"{top_reason}"一项就占了'
        "{top_category}售后申请的 {top_reason_share}",
        **values,
    )  # fmt: skip
    assert_prose_says(SLUG, "- {top_category}的退款率最高，主要原因是**{top_reason}**", **values)


def test_faster_first_response_converts_more(values, store):
    assert_prose_says(
        SLUG, "15 秒内回复的售前咨询，有 {fast} 当天促成了订单；3 分钟以上才回复的，只有 {slow}", **values
    )
    by_band = metrics.inquiry_conversion_rate(
        _banded_day_chats(store), store.orders, method="orders", by="首次响应", period_days=None
    )
    assert by_band.idxmax() == "15秒内" and by_band.idxmin() == "3分钟以上"  # "首次响应越快，询单转化率越高"
    per_agent = _per_agent_year(store)
    assert per_agent["首次响应"].corr(per_agent["询单转化率"]) < -0.5  # the scatter says the same
    slowest = per_agent.loc[per_agent["首次响应"].idxmax(), "客服"]
    assert slowest == per_agent.loc[per_agent["询单转化率"].idxmin(), "客服"]  # "转化率也最低"
    assert_prose_says(SLUG, "回复最慢的{slowest}，全年询单转化率也最低", **values)


def test_exercise_answers(values, store):
    assert_prose_says(SLUG, "阿强的编号是 {qiang_id}", **values)
    assert_prose_says(SLUG, "阿强有 {qiang_slow} 的会话超过 3 分钟才回复", **values)
    assert_prose_says(SLUG, "商品 104「{product_104}」", **values)
    november = store.orders[store.orders["paid_at"].dt.month == 11]
    # "11 月的客单价比全年低：一个月里每位顾客平均只买一两次，全年却要买好几次"
    assert metrics.customer_unit_price(november) < metrics.customer_unit_price(store.orders)
    per_buyer_month = metrics.customer_unit_price(november) / metrics.order_unit_price(november)
    per_buyer_year = metrics.customer_unit_price(store.orders) / metrics.order_unit_price(store.orders)
    assert 1 <= per_buyer_month < 2.5 and per_buyer_year >= 3
    # "阿强 …… 远远落后于其他客服"
    fast = metrics.response_within_3min_rate(store.chats, by="agent").sort_values()
    assert fast.index[0] == values["qiang_id"] and fast.iloc[1] - fast.iloc[0] >= 0.2


def test_night_service_and_the_bot(values, store):
    """Section 4: 店小蜜 answers part of the night chats, the others wait for 08:00."""
    chats = store.chats
    night = chats["started_at"].dt.hour < 8
    assert (chats.loc[~night, "answered_by"] == "人工").all()  # by day every chat has a person
    assert chats.loc[chats["answered_by"] == "店小蜜", "agent_id"].isna().all()  # "客服编号是空的"
    assert "模拟网店里都是人工客服" not in lesson_markdown(SLUG)
    assert_prose_says(
        SLUG, "全年夜里有 {n_night} 次会话，店小蜜回答了其中的 {bot_share}；其余的等到早上，"
        "人工首次响应平均要 {night_wait_hours} 小时，白天只要 {day_frt} 秒",
        **values,
    )  # fmt: skip
    assert_prose_says(SLUG, "每位客服的首次响应时间都在 {all_min} 到 {all_max} 秒之间", **values)
    assert_prose_says(
        SLUG, "只看白天的会话，差别就清楚了：{slow_day}最慢，平均 {slow_day_seconds} 秒", **values
    )
    # "谁快谁慢几乎看不出来": over all chats the agents are within a factor of 1.5 of each other,
    # by day the slowest is more than 3 times the fastest.
    all_frt = metrics.first_response_time(chats, by="agent")
    day_frt = metrics.first_response_time(chats[~night], by="agent")
    assert all_frt.max() / all_frt.min() < 1.5 and day_frt.max() / day_frt.min() > 3


def test_no_platform_report_is_credited_with_a_reading():
    """The lesson and metrics do not say which reading 生意参谋 uses (no seed says so)."""
    from pathlib import Path

    assert "生意参谋" not in lesson_markdown(SLUG)
    assert "生意参谋" not in Path(metrics.__file__).read_text(encoding="utf-8")


# ---- the lesson's hand computations equal the helper calls right after them -----------------


@pytest.fixture(scope="module")
def lesson_namespace():
    """The lesson's code cells run in order (the widget left out), their variables returned."""
    return run_lesson(SLUG, skip=("kpi_explorer(chats",))[0]


def test_hand_computed_inquiry_conversion_equals_the_helper(lesson_namespace):
    ns = lesson_namespace
    assert ns["by_hand"] == ns["rate"] == metrics.inquiry_conversion_rate(ns["chats"], ns["orders"])


def test_hand_computed_kpis_equal_the_helpers(lesson_namespace):
    ns = lesson_namespace
    orders, chats = ns["orders"], ns["chats"]
    assert ns["sales"] / ns["n_buyers"] == pytest.approx(metrics.customer_unit_price(orders))
    assert ns["sales"] / ns["n_orders"] == pytest.approx(metrics.order_unit_price(orders))
    assert ns["frt"].mean() == pytest.approx(metrics.first_response_time(chats))
    assert ns["avg"].clip(upper=600).mean() == pytest.approx(metrics.average_response_time(chats))
    assert (ns["frt"] <= 180).mean() == pytest.approx(metrics.response_within_3min_rate(chats))
    assert ns["n_refund"] / ns["n_sold"] == pytest.approx(ns["qty_rate"])


def test_every_conversion_rate_in_the_lesson_is_the_canonical_helper():
    """No hand-rolled 询单转化率 besides section 2.1's, which the test above ties to the helper."""
    nb = nbformat.read(LESSONS_DIR / SLUG / f"{SLUG}.ipynb", as_version=4)
    code = "\n".join(c.source for c in nb.cells if c.cell_type == "code")
    assert '["order_id"].notna()' not in code  # the old per-chat order_id variant
    assert code.count("metrics.inquiry_conversion_rate(") >= 6


def test_self_check_cells_are_collapsed_and_the_reference_answers_pass_them():
    """The expected value's expression is not on show: every self-check cell is collapsed."""
    assert_self_checks(SLUG, 3, skip=("kpi_explorer(chats",))
