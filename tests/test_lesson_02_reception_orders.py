"""Every number and order lesson 02 quotes from the shop, computed from the lesson's data.

The lesson analyses the year's chats (``store.chats``) and works on the workbench opened on
王小明's first day at the reception post (``LESSON_NOW``).  A change to the shop that changes a
number, a customer or an order fails here, naming the sentence to fix.
"""

from __future__ import annotations

import nbformat
import pandas as pd
import pytest
from helpers import LESSONS_DIR, assert_prose_says, lesson_markdown

import crm_helpers
from crm_helpers.orders import find_orders
from crm_helpers.workbench import Workbench

SLUG = "02_reception_orders"
LESSON = LESSONS_DIR / SLUG / f"{SLUG}.ipynb"
LESSON_NOW = pd.Timestamp("2025-11-04 09:00")
AFTER_SALE_TOPICS = ("物流查询", "退换货", "使用问题")


def percent(share: float) -> str:
    return f"{100 * share:.1f}%"


@pytest.fixture(scope="module")
def shop():
    store = crm_helpers.load_store()
    # the lesson's chats: this year, up to its day
    chats = store.chats[store.chats["started_at"].between("2025-01-01", LESSON_NOW, inclusive="left")]
    presale = chats[chats["chat_type"] == "售前"].assign(下单=lambda c: c["order_id"].notna())
    return store, Workbench(store, now=LESSON_NOW), presale, chats


def _code() -> str:
    """The lesson's code cells, joined."""
    return "\n".join(c.source for c in nbformat.read(LESSON, as_version=4).cells if c.cell_type == "code")


def _pronoun(store, member: str) -> str:
    """他 or 她 for the member, as the lesson's prose says."""
    gender = store.customers.set_index("member_name").loc[member, "gender"]
    return "他" if gender == "男" else "她"


def test_what_customers_ask(shop):
    _, _, presale, chats = shop
    shares = chats["topic"].value_counts(normalize=True)
    assert_prose_says(
        SLUG,
        '"物流查询""退换货""使用问题"是**售后**咨询，合起来占 {p}，大约三分之一',
        p=percent(shares[list(AFTER_SALE_TOPICS)].sum()),
    )
    assert abs(shares[list(AFTER_SALE_TOPICS)].sum() - 1 / 3) < 0.05
    top = presale["topic"].value_counts()
    assert_prose_says(SLUG, '售前咨询里问得最多的是"{t}"（{n} 次）', t=top.index[0], n=top.iloc[0])


def test_slow_replies_lose_orders(shop):
    _, _, presale, _ = shop
    fast = presale.loc[presale["first_response_seconds"] <= 180, "下单"].mean()
    slow = presale.loc[presale["first_response_seconds"] > 180, "下单"].mean()
    assert fast > slow
    assert_prose_says(
        SLUG,
        "3 分钟内回复的售前咨询，{a} 促成了订单；超过 3 分钟的只有 {b}",
        a=percent(fast),
        b=percent(slow),
    )


def test_bargaining_converts_like_the_rest(shop):
    _, _, presale, _ = shop
    bargain = presale.loc[presale["topic"] == "议价", "下单"].mean()
    overall = presale["下单"].mean()
    assert abs(bargain - overall) < 0.05  # "差不多"
    assert_prose_says(
        SLUG,
        '"议价"咨询促成订单的比例（{a}），只比全部售前咨询（{b}）{direction} {gap:.1f} 个百分点，**差不多**',
        a=percent(bargain),
        b=percent(overall),
        direction="低" if bargain < overall else "高",
        gap=abs(round(100 * bargain, 1) - round(100 * overall, 1)),
    )


def test_orders_waiting_today(shop):
    _, wb, _, _ = shop
    counts = wb.orders["status"].value_counts()
    assert_prose_says(
        SLUG,
        "{u} 笔等着顾客付款，{p} 笔等着发货",
        u=counts["等待买家付款"],
        p=counts["买家已付款"],
    )


def test_the_bargaining_customer_and_the_order(shop):
    store, wb, _, _ = shop
    member = "糖果奶爸74081"
    hers = find_orders(wb.orders, store.customers, member_name=member)
    latest, earlier = hers.iloc[0], hers.iloc[1:]
    assert latest["status"] == "等待买家付款"
    assert latest["created_at"].normalize() == LESSON_NOW.normalize() - pd.Timedelta(days=1)
    assert 8 <= latest["created_at"].hour < 12  # 昨天上午
    assert len(earlier) > 0 and (earlier["status"] == "交易成功").all()
    pronoun = _pronoun(store, member)
    assert_prose_says(SLUG, '会员"{m}"发来消息："我昨天上午拍的东西还没付款', m=member)
    assert_prose_says(SLUG, "小明先按**会员名**查出{he}的全部订单", he=pronoun)
    assert_prose_says(
        SLUG,
        "这位顾客以前在店里买过 {n} 次，{all}交易成功，是一位**回头客**；最新一笔订单 {o}（{p:g} 元）是昨天上午拍下的",
        n=len(earlier),
        all="都" if len(earlier) > 1 else "",
        o=latest["order_id"],
        p=latest["payment"],
    )
    assert_prose_says(SLUG, "{he}来讲价，说明{he}还想买", he=pronoun)
    assert_prose_says(
        SLUG,
        "订单 {o} 从 {p:g} 元改成 {q:g} 元",
        o=latest["order_id"],
        p=latest["payment"],
        q=round(latest["payment"] - 20, 2),
    )
    assert f"change_price({latest['order_id']}, {round(latest['payment'] - 20, 2):g})" in _code()


def test_the_orders_the_extension_closes(shop):
    store, wb, _, _ = shop
    paid = find_orders(wb.orders, store.customers, member_name="快乐的豆豆58173").iloc[0]
    unpaid = wb.orders.loc[wb.orders["status"] == "等待买家付款", "order_id"]
    mentioned = [o for o in unpaid if f"close_order({o}, reason=" in lesson_markdown(SLUG)]
    assert len(mentioned) == 1  # 拓展 2: 关闭一笔未付款订单
    assert_prose_says(SLUG, "再试试 `xiaowen.close_order({o})` 关闭已付款的订单", o=paid["order_id"])


def test_the_address_change_order(shop):
    store, wb, _, _ = shop
    member = "快乐的豆豆58173"
    order = find_orders(wb.orders, store.customers, member_name=member).iloc[0]
    assert order["status"] == "买家已付款"
    assert order["created_at"].normalize() == LESSON_NOW.normalize() - pd.Timedelta(days=1)
    assert order["created_at"].hour >= 18  # 昨晚
    assert_prose_says(
        SLUG, "会员\"{m}\"说：\"我的地址填错了，麻烦改成公司地址！\"{he}昨晚拍下的订单 {o} 已经付款、还没发货",
        m=member, he=_pronoun(store, member), o=order["order_id"],
    )  # fmt: skip
    assert f"add_remark({order['order_id']}," in _code() and f'value = "{member}"' in _code()


def test_orders_still_on_the_way(shop):
    store, wb, _, _ = shop
    on_the_way = find_orders(wb.orders, status="卖家已发货", end="2025-10-28")
    assert len(on_the_way) > 0  # the lesson's example finds some
    assert (LESSON_NOW - on_the_way["created_at"]).min() > pd.Timedelta(days=7)  # "下单一周多"


def test_the_story_day():
    weekday = "一二三四五六日"[LESSON_NOW.day_of_week]
    assert_prose_says(
        SLUG, "{d.year} 年 {d.month} 月 {d.day} 日（星期{w}）早上 9 点", d=LESSON_NOW, w=weekday
    )
    assert (pd.Timestamp("2025-11-11") - LESSON_NOW.normalize()).days == 7  # "离双11 只有一周了"
    assert_prose_says(SLUG, "离双11 只有一周了")
    assert f'now="{LESSON_NOW:%Y-%m-%d %H:%M}"' in _code()
