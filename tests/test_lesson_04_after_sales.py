"""Lesson 04 (售后服务与退换货): every number its prose quotes is computed here from the lesson shop.

The shop is ``load_store()`` (the ``store`` fixture) and the story's moment 2025-11-20 09:00, as
in the lesson.  ``prose_values`` is the one place the quoted values are computed; each test names
the sentence that quotes them, so a change to the shop fails here with the sentence to rewrite.
The lesson's workbench steps are replayed from the notebook itself (``run_lesson``).
"""

from __future__ import annotations

import nbformat
import pandas as pd
import pytest
from helpers import LESSONS_DIR, assert_prose_says, lesson_markdown
from lesson_runner import run_lesson, self_check_verdicts

from crm_helpers.after_sales import (
    ReturnPolicy,
    policy_review,
    reasons_by_category,
    received_times,
    refund_rate_by_category,
    refund_rate_by_product,
)
from crm_helpers.workbench import Workbench

SLUG = "04_after_sales"
NOW = pd.Timestamp("2025-11-20 09:00")
LATE_ORDER, LATE_PRODUCT = 107654, 303  # 快乐的豆豆58173's order of lesson 02


def _day(moment: pd.Timestamp) -> str:
    return f"{moment.month} 月 {moment.day} 日"


def _percent(share: float, digits: int = 1) -> str:
    return f"{share:.{digits}%}"


def _last_day(deadline: pd.Timestamp) -> pd.Timestamp:
    """The last day a request counts (the deadline is the midnight after it)."""
    return deadline - pd.Timedelta(days=1)


@pytest.fixture(scope="module")
def values(store) -> dict[str, object]:
    """Every value lesson 04's prose quotes, computed from ``store`` as the lesson computes it."""
    refunds, products = store.refunds, store.products
    autumn = refunds[(refunds["applied_at"] >= "2025-09-01") & (refunds["applied_at"] < "2025-12-01")]
    week = autumn["applied_at"].dt.to_period("W").dt.start_time
    weekly = autumn.groupby(week).size()
    wave = weekly[[pd.Timestamp("2025-11-10"), pd.Timestamp("2025-11-17")]].sum()
    before = weekly[weekly.index < pd.Timestamp("2025-11-10")]
    groups = reasons_by_category(refunds, products, columns="reason_group")
    kids = groups.loc["童装"]
    policy = ReturnPolicy()
    doudou = store.orders[store.orders["order_id"] == LATE_ORDER]
    signed = received_times(doudou).iloc[0]
    finished = doudou["finished_at"].iloc[0]
    wb = Workbench(store, now=NOW)
    requests = wb.after_sales.set_index("refund_id")
    review = policy_review(wb.after_sales, products)
    by_category = refund_rate_by_category(
        store.order_items, refunds, products, orders=store.orders
    ).set_index("类目")
    by_product = refund_rate_by_product(store.order_items, refunds, products, orders=store.orders)
    top5_kids = int((by_product.head(5)["类目"] == "童装").sum())
    reasons = reasons_by_category(refunds, products)
    kinds = reasons_by_category(refunds, products, columns="refund_type", share=True)
    names = products.set_index("product_id")["name"]
    members = store.customers.set_index("customer_id")["member_name"]
    return {
        "wave": int(wave),
        "weekly_before": f"{before.mean():.1f}",
        "kids_requests": int(kids["合计"]),
        "kids_product_share": _percent(kids["商品原因"] / kids["合计"], 0),
        "snack_top_group": groups.loc["零食"].drop("合计").idxmax(),
        "signed_day": _day(signed),
        "no_reason_last_day": _day(_last_day(policy.deadline("买家主观原因", signed))),
        "finished_day": _day(finished),
        "fake_last_day": _day(_last_day(policy.fake_claim_deadline(finished))),
        "n_open": len(requests),
        "all_in_time": bool(review["在期限内"].all()),
        "requests": requests,
        "member_567": members[requests.loc[567, "customer_id"]],
        "product_567": names[requests.loc[567, "product_id"]],
        "late_member": members[doudou["customer_id"].iloc[0]],
        "late_product": names[LATE_PRODUCT],
        "order_status": wb.orders.set_index("order_id")["status"],
        "received_569": _day(requests.loc[569, "received_at"]),
        "applied_569": f"{requests.loc[569, 'applied_at'].day} 日",
        "received_574": _day(requests.loc[574, "received_at"]),
        "applied_574": f"{requests.loc[574, 'applied_at'].day} 日",
        "rates": {category: _percent(rate) for category, rate in by_category["商品退款率"].items()},
        "rate_order": list(by_category.index),
        "top_product": by_product.iloc[0]["商品名称"],
        "top_product_rate": _percent(by_product.iloc[0]["商品退款率"]),
        "top5_kids": "全是童装" if top5_kids == 5 else f"里有 {top5_kids} 件是童装",
        "kids_size": int(reasons.loc["童装", "尺码不合适"]),
        "kids_size_share": _percent(reasons.loc["童装", "尺码不合适"] / reasons.loc["童装", "合计"], 0),
        "kids_exchange": _percent(kinds.loc["童装", "换货"], 0),
        "others_exchange_max": kinds.drop(index="童装")["换货"].max(),
        "names": names,
    }


def test_the_after_sales_wave(values):
    assert_prose_says(
        SLUG,
        "双11 所在的那一周和下一周（11 月 10 日到 23 日），店里一共收到 {wave} 件售后申请；"
        "9 月 1 日到 11 月 9 日，平均每周只有 {weekly_before} 件",
        **values,
    )


def test_reasons_by_group(values):
    assert_prose_says(SLUG, "童装的 {kids_requests} 件售后申请里，商品原因占 {kids_product_share}", **values)
    assert values["snack_top_group"] == "物流原因"  # "零食的售后最多的是物流原因"


def test_deadlines_of_order_107654(values):
    assert_prose_says(
        SLUG,
        "这笔订单 {signed_day}签收，7天无理由到 {no_reason_last_day}为止；{finished_day}交易成功，"
        "假一赔三到 {fake_last_day}为止",
        **values,
    )
    assert_prose_says(SLUG, "这笔订单 {signed_day}签收，7天无理由到 15 日为止", **values)
    assert values["no_reason_last_day"] == "11 月 15 日"
    assert_prose_says(SLUG, '"{late_member}"也发来了售后申请：订单 107654 里的{late_product}', **values)


def test_the_open_requests(values):
    assert_prose_says(SLUG, "这一刻有 {n_open} 件售后申请等着处理", **values)
    assert_prose_says(SLUG, "{n_open} 件都在期限内，都可以同意", **values)
    assert values["all_in_time"]
    assert_prose_says(SLUG, '买家"{member_567}"嫌{product_567}尺码小了', **values)
    requests, names = values["requests"], values["names"]
    assert tuple(requests.loc[567, ["refund_type", "reason"]]) == ("换货", "尺码不合适")
    r571, r572 = requests.loc[571], requests.loc[572]
    assert_prose_says(
        SLUG,
        f"**571 号：退货退款**（纸尿裤质量问题，{r571['quantity']} 包，{r571['amount']:g} 元）和 **572 号：仅退款**"
        f"（奶酪棒在快递途中压坏，{r572['amount']:g} 元，不用寄回）",
    )
    assert (r571["refund_type"], r571["reason"], r572["refund_type"], r572["reason"]) == (
        "退货退款",
        "质量问题",
        "仅退款",
        "快递破损",
    )
    assert "纸尿裤" in names[r571["product_id"]] and "奶酪棒" in names[r572["product_id"]]
    status = values["order_status"]
    assert (r571["order_id"], r572["order_id"]) == (107798, 107896)
    assert (status[107798], status[107896]) == ("卖家已发货", "交易成功")
    assert_prose_says(SLUG, "569 号是买家 {received_569}签收、{applied_569}申请的", **values)
    assert_prose_says(SLUG, "574 号是买家主观原因（7 天，{received_574}签收、{applied_574}申请）", **values)
    assert tuple(requests.loc[573, ["refund_type", "reason"]]) == ("仅退款", "临近保质期")
    assert tuple(requests.loc[574, ["refund_type", "reason"]]) == ("仅退款", "拍错/不想要了")
    assert names[requests.loc[573, "product_id"]] == "宝宝水果泥"
    assert names[requests.loc[574, "product_id"]] == "婴儿洗护套装"


def test_refund_rates(values):
    rates = values["rates"]
    assert values["rate_order"][:4] == ["童装", "教玩具", "母婴用品", "零食"]
    assert_prose_says(
        SLUG,
        f"童装的退款率最高（{rates['童装']}），接着是教玩具（{rates['教玩具']}）、母婴用品（{rates['母婴用品']}），"
        f"零食只有 {rates['零食']}",
    )
    assert_prose_says(
        SLUG, "退款率最高的是「{top_product}」（{top_product_rate}），前 5 名{top5_kids}", **values
    )


def test_reasons_and_exchanges(values):
    assert_prose_says(SLUG, '童装的售后申请里，"尺码不合适"有 {kids_size} 件，占 {kids_size_share}', **values)
    assert_prose_says(SLUG, "童装的售后有 {kids_exchange} 是换货，别的类目都不到 7%", **values)
    assert values["others_exchange_max"] < 0.07


# ---- the lesson's own cells -------------------------------------------------------------------

RAISING = ("xiaoming.approve_request(567)", "xiaowen.refund_request(569)", "xiaowen.approve_request(late)")


@pytest.fixture(scope="module")
def answered():
    return run_lesson(SLUG, answers=True, skip=RAISING)


def test_reference_answers_pass_the_self_checks(answered):
    _, printed = answered
    assert self_check_verdicts(printed) == ["✅", "✅", "✅"]


def test_unanswered_exercises_wait():
    _, printed = run_lesson(SLUG, skip=RAISING)
    assert self_check_verdicts(printed) == ["⏳", "⏳", "⏳"]


def test_the_lessons_workbench_ends_where_the_prose_says(answered):
    ns, _ = answered
    wb = ns["wb"]
    requests = wb.after_sales.set_index("refund_id")
    expected = {
        567: ("已关闭", "换货完成"),
        569: ("已同意", "处理中"),
        571: ("退款成功", "退款成功"),
        572: ("退款成功", "退款成功"),
        573: ("退款成功", "退款成功"),
        574: ("退款成功", "退款成功"),
        ns["late"]: ("已关闭", "退款关闭"),
    }
    assert {k: tuple(requests.loc[k, ["state", "status"]]) for k in expected} == expected
    orders = wb.orders.set_index("order_id")
    assert tuple(orders.loc[107798, ["status", "close_reason"]]) == ("交易关闭", "全额退款")
    assert orders.loc[107896, "status"] == "交易成功"
    assert requests.loc[ns["late"], "reject_reason"] == "超过退换货期限"
    assert requests.loc[567, "handled_by"] == "乐童优选:晓雯"


def test_raising_cells_raise_what_the_prose_explains(store):
    """The three cells tagged raises-exception raise PermissionDenied with the reason the prose reads."""
    nb = nbformat.read(LESSONS_DIR / SLUG / f"{SLUG}.ipynb", as_version=4)
    tagged = [c.source for c in nb.cells if "raises-exception" in c.metadata.get("tags", [])]
    assert len(tagged) == len(RAISING) and all(any(r in src for r in RAISING) for src in tagged)
    from crm_helpers.workbench import PermissionDenied

    wb = Workbench(store, now=NOW)
    wb.main_account().create_sub_account(
        role="客服",
        account_name="乐童优选:小明",
        password="Kefu@2025",
        department="客服部",
        phone="13912345678",
    )
    with pytest.raises(PermissionDenied, match="没有“退款处理”权限"):
        wb.sub_account("乐童优选:小明").approve_request(567)
    xiaowen = wb.sub_account("乐童优选:晓雯")
    with pytest.raises(PermissionDenied, match="现在是“申请中”"):
        xiaowen.refund_request(569)
    wb.now = pd.Timestamp("2025-11-20 10:00")
    late = wb.submit_request(LATE_ORDER, LATE_PRODUCT, "退货退款", "买家主观原因", "不想要了")
    with pytest.raises(PermissionDenied, match="请用拒绝理由“超过退换货期限”拒绝"):
        xiaowen.approve_request(late)


def test_self_check_cells_are_collapsed():
    nb = nbformat.read(LESSONS_DIR / SLUG / f"{SLUG}.ipynb", as_version=4)
    checks = [c for c in nb.cells if c.cell_type == "code" and c.source.startswith("# 自查格")]
    assert len(checks) == 3
    assert all(c.metadata.get("jupyter", {}).get("source_hidden") for c in checks)


def test_law_and_seed_facts_are_stated():
    text = lesson_markdown(SLUG)
    for fact in (
        "2014 年 3 月 15 日",
        "第二十五条",
        "定作",
        "鲜活易腐",
        "数字化商品",
        "报纸、期刊",
        "购买时确认",
        "交易成功后 **14 天**内",
        "多还少补",
        "由责任方承担",
        "延长交易时间",
        "物流原因",
        "商品原因",
        "买家主观原因",
        "本课程的读法",
        "本店的规定",
    ):
        assert fact in text, fact
