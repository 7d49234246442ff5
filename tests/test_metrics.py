"""Tests for crm_helpers.metrics: every KPI on tiny hand-computed tables."""

from __future__ import annotations

import re

import numpy as np
import pandas as pd
import pytest
from helpers import assert_unchanged, snapshot

from crm_helpers import metrics
from crm_helpers import metrics as m

T = pd.Timestamp


def approx(x):
    return pytest.approx(x, rel=1e-12)


def assert_series(result, expected: dict, name: str, index_name):
    """``result`` is a float Series with exactly these values, name and index name."""
    assert isinstance(result, pd.Series)
    assert result.name == name
    assert result.index.name == index_name
    assert not result.isna().any()
    assert list(result.index) == list(expected)
    np.testing.assert_allclose(result.to_numpy(dtype=float), list(expected.values()), rtol=1e-12)


# ---- the tiny shop ------------------------------------------------------------------------
#
# chats (5): customer, agent, started, type, first response, average response
#   1  c1  a7  03-01 09:00  售前   30   40
#   2  c1  a8  03-02 10:00  售前  180  700
#   3  c2  a7  03-02 11:00  售前  181  600
#   4  c3  a8  03-03 12:00  售后   10   20
#   5  c4  a8  03-03 08:00  售前  200  100
# orders (4): customer, agent, created, paid, payment
#   101  c1  a7   03-01 09:30  03-01 09:40  100
#   102  c2  --   03-02 10:59  03-02 11:00   50   (created before c2's chat at 11:00)
#   103  c4  a8   03-03 09:00  never          80
#   104  c1  --   03-03 10:00  03-03 10:05   60
# Default window: latest chat 03-03 12:00 → end = 03-04 00:00, 28 days → every chat is in.


def make_chats() -> pd.DataFrame:
    return pd.DataFrame(
        {
            "chat_id": [1, 2, 3, 4, 5],
            "customer_id": [1, 1, 2, 3, 4],
            "agent_id": [7, 8, 7, 8, 8],
            "started_at": pd.to_datetime(
                [
                    "2024-03-01 09:00",
                    "2024-03-02 10:00",
                    "2024-03-02 11:00",
                    "2024-03-03 12:00",
                    "2024-03-03 08:00",
                ]
            ),
            "chat_type": pd.Categorical(
                ["售前", "售前", "售前", "售后", "售前"], categories=["售前", "售后"]
            ),
            "first_response_seconds": [30, 180, 181, 10, 200],
            "avg_response_seconds": [40, 700, 600, 20, 100],
        }
    )


def make_orders() -> pd.DataFrame:
    return pd.DataFrame(
        {
            "order_id": [101, 102, 103, 104],
            "customer_id": [1, 2, 4, 1],
            "agent_id": pd.array([7, None, 8, None], dtype="Int64"),
            "created_at": pd.to_datetime(
                ["2024-03-01 09:30", "2024-03-02 10:59", "2024-03-03 09:00", "2024-03-03 10:00"]
            ),
            "paid_at": pd.to_datetime(["2024-03-01 09:40", "2024-03-02 11:00", None, "2024-03-03 10:05"]),
            "status": ["交易成功", "卖家已发货", "等待买家付款", "买家已付款"],
            "payment": [100.0, 50.0, 80.0, 60.0],
        }
    )


# order_items (5 rows; order 103 is unpaid):      refunds (6):
#   101 p10 ×2                                     1  101 p10 仅退款   ×1 退款成功  → counts
#   101 p11 ×1                                     2  102 p10 退货退款 ×2 退款成功  → counts
#   102 p10 ×3                                     3  101 p11 换货     ×1 换货完成  → exchange, never
#   103 p10 ×1                                     4  104 p12 退货退款 ×1 退款关闭  → refused, never
#   104 p12 ×4                                     5  103 p10 仅退款   ×1 退款成功  → only if 103 is "sold"
#                                                  6  999 p10 仅退款   ×1 退款成功  → no such sold row, never


def make_items() -> pd.DataFrame:
    return pd.DataFrame(
        {
            "order_id": [101, 101, 102, 103, 104],
            "product_id": [10, 11, 10, 10, 12],
            "quantity": [2, 1, 3, 1, 4],
            "unit_price": [30.0, 40.0, 16.0, 80.0, 15.0],
        }
    )


def make_refunds() -> pd.DataFrame:
    return pd.DataFrame(
        {
            "refund_id": [1, 2, 3, 4, 5, 6],
            "order_id": [101, 102, 101, 104, 103, 999],
            "product_id": [10, 10, 11, 12, 10, 10],
            "refund_type": ["仅退款", "退货退款", "换货", "退货退款", "仅退款", "仅退款"],
            "quantity": [1, 2, 1, 1, 1, 1],
            "amount": [30.0, 32.0, 0.0, 15.0, 80.0, 10.0],
            "status": ["退款成功", "退款成功", "换货完成", "退款关闭", "退款成功", "退款成功"],
        }
    )


# ---- 询单转化率 ---------------------------------------------------------------------------


def test_conversion_buyers_created_is_default():
    # Pre-sale buyers c1, c2, c4.  c1: first chat 03-01 09:00, order 101 at 09:30 → yes.
    # c2: chat 03-02 11:00, only order at 10:59 (before) → no.  c4: chat 08:00, order 09:00 → yes.
    # c3 only had an after-sale chat → not a consultation.  2 / 3.
    result = m.inquiry_conversion_rate(make_chats(), make_orders())
    assert isinstance(result, float)
    assert result == approx(2 / 3)
    assert (
        m.inquiry_conversion_rate(make_chats(), make_orders(), method="buyers", outcome="created") == result
    )


def test_conversion_buyers_paid():
    # c1's order 101 is paid; c4's order 103 never was → 1 / 3.
    assert m.inquiry_conversion_rate(make_chats(), make_orders(), outcome="paid") == approx(1 / 3)


def test_conversion_orders_method():
    # Pre-sale chats 1, 2, 3, 5.  Chat 1 (c1, 03-01 09:00): order 101 same day 09:30 → yes.
    # Chat 2 (c1, 03-02 10:00): no c1 order on 03-02 → no.  Chat 3 (c2, 11:00): order 102 at
    # 10:59 is before → no.  Chat 5 (c4, 03-03 08:00): order 103 09:00 → yes.  2 / 4.
    assert m.inquiry_conversion_rate(make_chats(), make_orders(), method="orders") == approx(0.5)
    # Paid: chat 5's order 103 was never paid → 1 / 4.
    assert m.inquiry_conversion_rate(make_chats(), make_orders(), method="orders", outcome="paid") == approx(
        0.25
    )


def test_conversion_orders_method_counts_each_chat_once_and_same_day_only():
    # c1 chats twice on 03-01 (09:00 and 10:00) and orders twice at 11:00 and 12:00:
    # both chats converted, each once → 2/2.  c2 chats 03-01 23:00, orders 03-02 00:10
    # (next natural day) → not converted.  3 chats, 2 converted.
    chats = pd.DataFrame(
        {
            "customer_id": [1, 1, 2],
            "agent_id": [7, 7, 7],
            "started_at": pd.to_datetime(["2024-03-01 09:00", "2024-03-01 10:00", "2024-03-01 23:00"]),
            "chat_type": ["售前", "售前", "售前"],
        }
    )
    orders = pd.DataFrame(
        {
            "customer_id": [1, 1, 2],
            "created_at": pd.to_datetime(["2024-03-01 11:00", "2024-03-01 12:00", "2024-03-02 00:10"]),
        }
    )
    assert m.inquiry_conversion_rate(chats, orders, method="orders") == approx(2 / 3)
    # Buyers method: c1 yes; c2 ordered after the chat but after the window end (03-02 00:00)
    # because the default end is the day after the latest chat → 1 / 2.
    assert m.inquiry_conversion_rate(chats, orders) == approx(0.5)
    # With a later end, c2's order counts for the buyers method (any later day) → 2 / 2.
    assert m.inquiry_conversion_rate(chats, orders, end="2024-03-03") == approx(1.0)


def test_conversion_order_at_the_same_second_counts():
    chats = pd.DataFrame({"customer_id": [1], "started_at": [T("2024-03-01 09:00")], "chat_type": ["售前"]})
    orders = pd.DataFrame({"customer_id": [1], "created_at": [T("2024-03-01 09:00")]})
    assert m.inquiry_conversion_rate(chats, orders) == 1.0
    assert m.inquiry_conversion_rate(chats, orders, method="orders") == 1.0


def test_conversion_window_edges():
    # Window [03-02 00:00, 03-03 00:00).  c1 chats exactly at the start → in, and orders → yes.
    # c2 chats exactly at the end → out.  c3 chats inside; its order at exactly the end is
    # after the window → no.  Buyers c1, c3 → 1 / 2 (it would be 2/3 if c2 were in).
    chats = pd.DataFrame(
        {
            "customer_id": [1, 2, 3],
            "started_at": pd.to_datetime(["2024-03-02 00:00", "2024-03-03 00:00", "2024-03-02 12:00"]),
            "chat_type": ["售前", "售前", "售前"],
        }
    )
    orders = pd.DataFrame(
        {
            "customer_id": [1, 2, 3],
            "created_at": pd.to_datetime(["2024-03-02 01:00", "2024-03-03 00:30", "2024-03-03 00:00"]),
        }
    )
    assert m.inquiry_conversion_rate(chats, orders, period_days=1, end="2024-03-03") == approx(0.5)
    assert m.inquiry_conversion_rate(chats, orders, period_days=1, end=T("2024-03-03")) == approx(0.5)
    assert m.inquiry_conversion_rate(
        chats, orders, method="orders", period_days=1, end="2024-03-03"
    ) == approx(0.5)


def test_conversion_default_end_is_the_day_after_the_latest_chat():
    # Latest chat 03-03 12:00 → end 03-04 00:00.  period_days=1 → [03-03, 03-04): pre-sale
    # chat 5 (c4, order at 09:00) → 1/1.  period_days=2 → [03-02, 03-04): c1 (first chat
    # 03-02 10:00, order 104 on 03-03 10:00 → yes), c2 (no), c4 (yes) → 2/3.
    assert m.inquiry_conversion_rate(make_chats(), make_orders(), period_days=1) == 1.0
    assert m.inquiry_conversion_rate(make_chats(), make_orders(), period_days=2) == approx(2 / 3)
    # period_days=None: every chat → same as the 28-day window here.
    assert m.inquiry_conversion_rate(make_chats(), make_orders(), period_days=None) == approx(2 / 3)


def test_conversion_by_agent():
    # Buyers method, each buyer for the agent of their first chat in the window:
    # c1 → a7 (yes), c2 → a7 (no), c4 → a8 (yes).  a7: 1/2, a8: 1/1.
    result = m.inquiry_conversion_rate(make_chats(), make_orders(), by="agent")
    assert_series(result, {7: 0.5, 8: 1.0}, "询单转化率", "agent_id")
    # Orders method, per chat: a7 has chats 1 (yes), 3 (no); a8 has chats 2 (no), 5 (yes).
    result = m.inquiry_conversion_rate(make_chats(), make_orders(), method="orders", by="agent")
    assert_series(result, {7: 0.5, 8: 0.5}, "询单转化率", "agent_id")


def test_conversion_by_day():
    # 03-01: c1 (yes).  03-02: c1 (no order that day after 10:00), c2 (no) → 0/2.
    # 03-03: c4 (yes); c3's chat is after-sale.  Same per chat for the orders method.
    expected = {T("2024-03-01"): 1.0, T("2024-03-02"): 0.0, T("2024-03-03"): 1.0}
    for method in ("buyers", "orders"):
        result = m.inquiry_conversion_rate(make_chats(), make_orders(), method=method, by="day")
        assert_series(result, expected, "询单转化率", "日期")


def test_conversion_by_day_buyers_uses_first_chat_of_the_day():
    # c1 chats 09:00 and 11:00, orders 10:00: the first chat of the day counts → 1/1
    # (the orders method counts 2 chats, 1 converted → 1/2).
    chats = pd.DataFrame(
        {
            "customer_id": [1, 1],
            "started_at": pd.to_datetime(["2024-03-01 09:00", "2024-03-01 11:00"]),
            "agent_id": [7, 8],
        }
    )
    orders = pd.DataFrame({"customer_id": [1], "created_at": [T("2024-03-01 10:00")]})
    assert_series(
        m.inquiry_conversion_rate(chats, orders, by="day"), {T("2024-03-01"): 1.0}, "询单转化率", "日期"
    )
    assert m.inquiry_conversion_rate(chats, orders, method="orders") == 0.5
    # by agent (buyers): c1 belongs to a7, the agent of the first chat.
    assert_series(m.inquiry_conversion_rate(chats, orders, by="agent"), {7: 1.0}, "询单转化率", "agent_id")


def test_conversion_without_chat_type_counts_every_chat():
    # Without chat_type, c3's chat counts too: c1 yes, c2 no, c3 no, c4 yes → 2 / 4.
    chats = make_chats().drop(columns="chat_type")
    assert m.inquiry_conversion_rate(chats, make_orders()) == approx(0.5)
    assert m.inquiry_conversion_rate(make_chats(), make_orders(), chat_type_col=None) == approx(0.5)


def test_conversion_own_column_names():
    chats = make_chats().rename(
        columns={"customer_id": "买家", "agent_id": "客服", "started_at": "咨询时间", "chat_type": "类型"}
    )
    chats["类型"] = chats["类型"].map({"售前": "pre", "售后": "post"})
    orders = make_orders().rename(
        columns={"customer_id": "买家", "created_at": "下单时间", "paid_at": "付款时间"}
    )
    result = m.inquiry_conversion_rate(
        chats,
        orders,
        by="agent",
        outcome="paid",
        chat_customer_col="买家",
        chat_agent_col="客服",
        started_col="咨询时间",
        chat_type_col="类型",
        presale_value="pre",
        order_customer_col="买家",
        created_col="下单时间",
        paid_col="付款时间",
    )
    # Paid: c1 (a7) yes, c2 (a7) no, c4 (a8) no.
    assert_series(result, {7: 0.5, 8: 0.0}, "询单转化率", "客服")


def test_conversion_reads_text_timestamps():
    chats = make_chats().assign(started_at=lambda d: d["started_at"].dt.strftime("%Y-%m-%d %H:%M"))
    assert m.inquiry_conversion_rate(chats, make_orders()) == approx(2 / 3)


def test_conversion_without_presale_chats_in_window_raises():
    chats = make_chats()
    with pytest.raises(ValueError, match="没有售前咨询"):
        m.inquiry_conversion_rate(chats[chats["chat_type"] == "售后"], make_orders())
    with pytest.raises(ValueError, match="没有售前咨询"):
        m.inquiry_conversion_rate(chats, make_orders(), end="2024-01-01")


def test_conversion_bad_choices():
    with pytest.raises(ValueError, match="method.*'buyers'.*'orders'"):
        m.inquiry_conversion_rate(make_chats(), make_orders(), method="people")
    with pytest.raises(ValueError, match="outcome.*'created'.*'paid'"):
        m.inquiry_conversion_rate(make_chats(), make_orders(), outcome="shipped")
    with pytest.raises(ValueError, match="by.*'agent'.*'day'"):
        m.inquiry_conversion_rate(make_chats(), make_orders(), by="week")
    with pytest.raises(ValueError, match="period_days 至少要是 1"):
        m.inquiry_conversion_rate(make_chats(), make_orders(), period_days=0)
    with pytest.raises(TypeError, match="period_days"):
        m.inquiry_conversion_rate(make_chats(), make_orders(), period_days=2.5)
    with pytest.raises(ValueError, match="参数 end"):
        m.inquiry_conversion_rate(make_chats(), make_orders(), end="下周一")


def test_conversion_missing_timestamps_raise():
    chats = make_chats()
    chats.loc[2, "started_at"] = pd.NaT
    with pytest.raises(ValueError, match="started_at.*缺失的时间"):
        m.inquiry_conversion_rate(chats, make_orders())
    orders = make_orders()
    orders.loc[1, "created_at"] = pd.NaT
    with pytest.raises(ValueError, match="created_at.*缺失的时间"):
        m.inquiry_conversion_rate(make_chats(), orders)


# ---- 客单价、笔单价 -----------------------------------------------------------------------
# Paid orders: 101 (c1, a7, 100, 03-01), 102 (c2, silent, 50, 03-02), 104 (c1, silent, 60, 03-03).


def test_customer_and_order_unit_price():
    # 销售额 210; buyers c1, c2 → 客单价 105; 3 paid orders → 笔单价 70.  Order 103 is unpaid.
    assert m.customer_unit_price(make_orders()) == approx(105.0)
    assert m.order_unit_price(make_orders()) == approx(70.0)
    assert isinstance(m.customer_unit_price(make_orders()), float)


def test_unit_price_by_agent_leaves_out_silent_orders():
    # Only order 101 has a (paying) agent: a7 100 / 1.  a8's order 103 is unpaid.
    assert_series(m.customer_unit_price(make_orders(), by="agent"), {7: 100.0}, "客单价", "agent_id")
    assert_series(m.order_unit_price(make_orders(), by="agent"), {7: 100.0}, "笔单价", "agent_id")


def test_unit_price_by_day_and_by_column():
    expected = {T("2024-03-01"): 100.0, T("2024-03-02"): 50.0, T("2024-03-03"): 60.0}
    assert_series(m.customer_unit_price(make_orders(), by="day"), expected, "客单价", "日期")
    # by customer: c1 160 / 1 buyer, 160 / 2 orders; c2 50.
    assert_series(
        m.customer_unit_price(make_orders(), by="customer_id"), {1: 160.0, 2: 50.0}, "客单价", "customer_id"
    )
    assert_series(
        m.order_unit_price(make_orders(), by="customer_id"), {1: 80.0, 2: 50.0}, "笔单价", "customer_id"
    )


def test_unit_price_by_day_counts_a_buyer_once_per_day():
    # c1 pays twice on 03-01 (10 + 30), c2 once (20) → 60 / 2 buyers = 30; 笔单价 60 / 3 = 20.
    orders = pd.DataFrame(
        {
            "customer_id": [1, 1, 2],
            "payment": [10.0, 30.0, 20.0],
            "paid_at": pd.to_datetime(["2024-03-01 08:00", "2024-03-01 20:00", "2024-03-01 12:00"]),
        }
    )
    assert_series(m.customer_unit_price(orders, by="day"), {T("2024-03-01"): 30.0}, "客单价", "日期")
    assert_series(m.order_unit_price(orders, by="day"), {T("2024-03-01"): 20.0}, "笔单价", "日期")


def test_unit_price_own_column_names():
    orders = make_orders().rename(
        columns={"customer_id": "买家", "payment": "实付款", "paid_at": "付款时间", "agent_id": "客服"}
    )
    kw = {"payment_col": "实付款", "paid_col": "付款时间", "agent_col": "客服"}
    assert m.customer_unit_price(orders, customer_col="买家", **kw) == approx(105.0)
    assert m.order_unit_price(orders, **kw) == approx(70.0)
    assert_series(m.order_unit_price(orders, by="agent", **kw), {7: 100.0}, "笔单价", "客服")


def test_unit_price_without_paid_orders_raises():
    orders = make_orders().assign(paid_at=pd.NaT)
    for func in (m.customer_unit_price, m.order_unit_price):
        with pytest.raises(ValueError, match="没有已付款的订单"):
            func(orders)
    silent = make_orders().assign(agent_id=pd.array([None] * 4, dtype="Int64"))
    with pytest.raises(ValueError, match="静默下单"):
        m.customer_unit_price(silent, by="agent")


def test_unit_price_bad_values():
    orders = make_orders()
    orders.loc[2, "payment"] = -5.0  # even an unpaid order may not have a negative payment
    with pytest.raises(ValueError, match=re.escape("'payment' 出现了负数（negative value）-5.0")):
        m.customer_unit_price(orders)
    orders = make_orders()
    orders.loc[0, "payment"] = np.nan
    with pytest.raises(ValueError, match="payment.*缺失"):
        m.order_unit_price(orders)
    with pytest.raises(ValueError, match="by.*'day'.*'agent'"):
        m.customer_unit_price(make_orders(), by="month")
    with pytest.raises(ValueError, match="应该是数字"):
        m.customer_unit_price(make_orders().assign(payment=["1", "2", "3", "4"]))


# ---- 响应速度 ------------------------------------------------------------------------------
# first response 30 180 181 10 200; average response 40 700 600 20 100; a7 = chats 1, 3;
# a8 = chats 2, 4, 5.


def test_first_response_time():
    # (30 + 180 + 181 + 10 + 200) / 5 = 601 / 5 = 120.2; capped at 100: (30+100+100+10+100)/5 = 68.
    assert m.first_response_time(make_chats()) == approx(120.2)
    assert m.first_response_time(make_chats(), cap_seconds=100) == approx(68.0)


def test_average_response_time_caps_at_600_seconds():
    # 700 → 600, 600 stays: (40 + 600 + 600 + 20 + 100) / 5 = 272; uncapped 1460 / 5 = 292.
    assert m.average_response_time(make_chats()) == approx(272.0)
    assert m.average_response_time(make_chats(), cap_seconds=None) == approx(292.0)
    assert m.average_response_time(make_chats(), cap_seconds=700) == approx(292.0)


def test_response_within_3min_boundary():
    # 30 yes, 180 yes (exactly 3 minutes counts), 181 no, 10 yes, 200 no → 3 / 5.
    assert m.response_within_3min_rate(make_chats()) == approx(0.6)
    # Threshold 181 → 181 counts too → 4 / 5.
    assert m.response_within_3min_rate(make_chats(), threshold_seconds=181) == approx(0.8)
    result = m.response_within_3min_rate(make_chats(), threshold_seconds=181, by="agent")
    assert result.name == "181秒响应率"


def test_response_by_agent():
    # a7: chats 1, 3 → first (30+181)/2 = 105.5, avg (40+600)/2 = 320, within 1/2.
    # a8: chats 2, 4, 5 → first (180+10+200)/3 = 130, avg (600+20+100)/3 = 240, within 2/3.
    assert_series(
        m.first_response_time(make_chats(), by="agent"),
        {7: 105.5, 8: 130.0},
        "首次响应时间（秒）",
        "agent_id",
    )
    assert_series(
        m.average_response_time(make_chats(), by="agent"),
        {7: 320.0, 8: 240.0},
        "平均响应时间（秒）",
        "agent_id",
    )
    assert_series(
        m.response_within_3min_rate(make_chats(), by="agent"), {7: 0.5, 8: 2 / 3}, "3分钟响应率", "agent_id"
    )


def test_response_by_day_and_by_column():
    # 03-01: chat 1; 03-02: chats 2, 3; 03-03: chats 4, 5.
    days = [T("2024-03-01"), T("2024-03-02"), T("2024-03-03")]
    expected_first = dict(zip(days, [30.0, 180.5, 105.0]))
    assert_series(m.first_response_time(make_chats(), by="day"), expected_first, "首次响应时间（秒）", "日期")
    assert_series(
        m.response_within_3min_rate(make_chats(), by="day"),
        dict(zip(days, [1.0, 0.5, 0.5])),
        "3分钟响应率",
        "日期",
    )
    # by chat_type: 售前 = chats 1, 2, 3, 5 → (30+180+181+200)/4 = 147.75; 售后 = chat 4 → 10.
    assert_series(
        m.first_response_time(make_chats(), by="chat_type"),
        {"售前": 147.75, "售后": 10.0},
        "首次响应时间（秒）",
        "chat_type",
    )


def test_response_own_column_names():
    chats = make_chats().rename(
        columns={"first_response_seconds": "首响", "avg_response_seconds": "平响", "agent_id": "客服"}
    )
    assert m.first_response_time(chats, first_response_col="首响") == approx(120.2)
    assert m.average_response_time(chats, avg_response_col="平响") == approx(272.0)
    result = m.response_within_3min_rate(chats, by="agent", first_response_col="首响", agent_col="客服")
    assert_series(result, {7: 0.5, 8: 2 / 3}, "3分钟响应率", "客服")


def test_response_bad_values():
    chats = make_chats()
    chats.loc[1, "first_response_seconds"] = -3
    with pytest.raises(
        ValueError, match=re.escape("'first_response_seconds' 出现了负数（negative value）-3")
    ):
        m.first_response_time(chats)
    chats = make_chats().astype({"avg_response_seconds": "float64"})
    chats.loc[4, "avg_response_seconds"] = np.nan
    with pytest.raises(ValueError, match="avg_response_seconds.*缺失"):
        m.average_response_time(chats)
    with pytest.raises(ValueError, match="by.*'agent'.*'day'"):
        m.response_within_3min_rate(make_chats(), by="hour")
    with pytest.raises(ValueError, match="cap_seconds 必须大于 0"):
        m.average_response_time(make_chats(), cap_seconds=0)
    with pytest.raises(TypeError, match="threshold_seconds"):
        m.response_within_3min_rate(make_chats(), threshold_seconds="180")
    chats = make_chats()
    chats.loc[0, "started_at"] = pd.NaT
    with pytest.raises(ValueError, match="started_at.*缺失的时间"):
        m.first_response_time(chats, by="day")


# ---- 商品退款率 --------------------------------------------------------------------------


def test_refund_rate_quantity_without_orders_counts_every_item():
    # Sold: every row, 2+1+3+1+4 = 11.  Refunded: #1 (1) + #2 (2) + #5 (1, order 103 counts as
    # sold without orders) = 4; #3 exchange, #4 refused, #6 not a sold row.  4 / 11.
    assert m.refund_rate(make_items(), make_refunds()) == approx(4 / 11)


def test_refund_rate_quantity_with_orders_counts_paid_items():
    # Sold: orders 101, 102, 104 → 2+1+3+4 = 10.  Refunded: #1 + #2 = 3 → 0.3.
    assert m.refund_rate(make_items(), make_refunds(), orders=make_orders()) == approx(0.3)


def test_refund_rate_exchange_and_closed_do_not_count():
    refunds = make_refunds()
    only_exchange_and_closed = refunds[refunds["refund_id"].isin([3, 4])]
    assert m.refund_rate(make_items(), only_exchange_and_closed, orders=make_orders()) == 0.0
    # Without status and type columns every row counts: #1 1 + #2 2 + #3 1 + #4 1 = 5 of 10.
    bare = refunds.drop(columns=["status", "refund_type"])
    assert m.refund_rate(make_items(), bare, orders=make_orders()) == approx(0.5)
    # Same when the columns are switched off.
    assert m.refund_rate(
        make_items(), refunds, orders=make_orders(), refund_status_col=None, refund_type_col=None
    ) == approx(0.5)


def test_refund_rate_by_product():
    # With orders: p10 sold 2+3 = 5, refunded 1+2 = 3 → 0.6; p11 sold 1 → 0; p12 sold 4 → 0.
    result = m.refund_rate(make_items(), make_refunds(), orders=make_orders(), by="product_id")
    assert_series(result, {10: 0.6, 11: 0.0, 12: 0.0}, "商品退款率", "product_id")
    # Taobao: sub-orders p10 (101, 102) both refunded → 1; p11 (101) 0; p12 (104) 0.
    result = m.refund_rate(
        make_items(), make_refunds(), orders=make_orders(), method="taobao", by="product_id"
    )
    assert_series(result, {10: 1.0, 11: 0.0, 12: 0.0}, "商品退款率", "product_id")


def test_refund_rate_taobao():
    # Default 30 days by payment up to 03-04: paid sub-orders (101,10), (101,11), (102,10),
    # (104,12) = 4; successful refunds on (101,10), (102,10) → 2 / 4.
    assert m.refund_rate(make_items(), make_refunds(), orders=make_orders(), method="taobao") == approx(0.5)
    # A second successful refund on the same sub-order is still one sub-order (Taobao),
    # but its quantity adds up (quantity method: 1 + 1 + 2 = 4 of 10).
    refunds = pd.concat([make_refunds(), make_refunds().iloc[[0]].assign(refund_id=7)], ignore_index=True)
    assert m.refund_rate(make_items(), refunds, orders=make_orders(), method="taobao") == approx(0.5)
    assert m.refund_rate(make_items(), refunds, orders=make_orders()) == approx(0.4)


def test_refund_rate_period_by_payment_time():
    # end 03-04 (day after the last payment).  1 day → [03-03, 03-04): order 104 only:
    # Taobao 0 / 1; quantity 0 / 4.  2 days → [03-02, 03-04): orders 102 and 104:
    # Taobao (102,10) refunded of (102,10), (104,12) → 1/2; quantity 2 / (3 + 4) = 2/7.
    items, refunds, orders = make_items(), make_refunds(), make_orders()
    assert m.refund_rate(items, refunds, orders=orders, method="taobao", period_days=1) == 0.0
    assert m.refund_rate(items, refunds, orders=orders, period_days=1) == 0.0
    assert m.refund_rate(items, refunds, orders=orders, method="taobao", period_days=2) == approx(0.5)
    assert m.refund_rate(items, refunds, orders=orders, period_days=2) == approx(2 / 7)
    # Window edges: [03-02 11:00, 03-03 11:00) starts exactly at 102's payment → 102 and 104
    # in → 2/7.  [03-02 10:05, 03-03 10:05) ends exactly at 104's payment → only 102: 2/3.
    rate = m.refund_rate(items, refunds, orders=orders, period_days=1, end="2024-03-03 11:00")
    assert rate == approx(2 / 7)
    rate = m.refund_rate(items, refunds, orders=orders, period_days=1, end="2024-03-03 10:05")
    assert rate == approx(2 / 3)
    # [03-01 11:00, 03-02 11:00): 101 paid 03-01 09:40 is before, 102 at the end → nothing sold.
    with pytest.raises(ValueError, match="没有售出的商品（付款时间 2024-03-01 至 2024-03-02）"):
        m.refund_rate(items, refunds, orders=orders, period_days=1, end="2024-03-02 11:00")


def test_refund_rate_own_column_names():
    items = make_items().rename(columns={"order_id": "订单号", "product_id": "商品", "quantity": "件数"})
    refunds = make_refunds().rename(
        columns={
            "order_id": "订单号",
            "product_id": "商品",
            "quantity": "退货件数",
            "status": "结果",
            "refund_type": "类型",
        }
    )
    orders = make_orders().rename(columns={"order_id": "订单号", "paid_at": "付款时间"})
    result = m.refund_rate(
        items,
        refunds,
        orders=orders,
        by="商品",
        order_col="订单号",
        product_col="商品",
        quantity_col="件数",
        refund_quantity_col="退货件数",
        refund_status_col="结果",
        refund_type_col="类型",
        paid_col="付款时间",
    )
    assert_series(result, {10: 0.6, 11: 0.0, 12: 0.0}, "商品退款率", "商品")


def test_refund_rate_errors():
    items, refunds, orders = make_items(), make_refunds(), make_orders()
    with pytest.raises(ValueError, match="需要订单表"):
        m.refund_rate(items, refunds, method="taobao")
    with pytest.raises(ValueError, match="orders=订单表"):
        m.refund_rate(items, refunds, period_days=30)
    with pytest.raises(ValueError, match="method.*'quantity'.*'taobao'"):
        m.refund_rate(items, refunds, method="amount")
    with pytest.raises(ValueError, match="by.*product_id"):
        m.refund_rate(items, refunds, by="category")
    with pytest.raises(ValueError, match="没有售出的商品"):
        m.refund_rate(items, refunds, orders=orders, end="2024-01-01")
    with pytest.raises(ValueError, match="没有已付款的订单"):
        m.refund_rate(items, refunds, orders=orders.assign(paid_at=pd.NaT))
    bad = items.copy()
    bad.loc[3, "quantity"] = -1
    with pytest.raises(ValueError, match=re.escape("'quantity' 出现了负数（negative value）-1")):
        m.refund_rate(bad, refunds)
    bad = refunds.copy()
    bad.loc[0, "amount"] = -30.0
    with pytest.raises(ValueError, match=re.escape("'amount' 出现了负数（negative value）-30.0")):
        m.refund_rate(items, bad)
    bad = refunds.copy()
    bad.loc[1, "quantity"] = -2
    with pytest.raises(ValueError, match="refunds 的列 'quantity' 出现了负数"):
        m.refund_rate(items, bad)


# ---- 复购率、静默下单占比 ----------------------------------------------------------------


def test_repurchase_rate():
    # Paid orders: c1 twice (101, 104), c2 once (102); c4 never paid.  1 / 2.
    assert m.repurchase_rate(make_orders()) == approx(0.5)
    # Nobody has 3 paid orders → 0.
    assert m.repurchase_rate(make_orders(), min_orders=3) == 0.0


def test_repurchase_rate_by_column():
    # shop A: c1 2 paid, c2 1 → 1/2.  shop B: c1 1, c3 1 (c2's order is unpaid) → 0/2.
    # Overall: c1 3, c2 1, c3 1 → 1/3.
    orders = pd.DataFrame(
        {
            "customer_id": [1, 1, 1, 2, 2, 3],
            "shop": ["A", "A", "B", "A", "B", "B"],
            "paid_at": pd.to_datetime(
                ["2024-01-01", "2024-02-01", "2024-03-01", "2024-01-05", None, "2024-01-09"]
            ),
        }
    )
    assert m.repurchase_rate(orders) == approx(1 / 3)
    assert_series(m.repurchase_rate(orders, by="shop"), {"A": 0.5, "B": 0.0}, "复购率", "shop")
    own = orders.rename(columns={"customer_id": "买家", "paid_at": "付款时间"})
    assert m.repurchase_rate(own, customer_col="买家", paid_col="付款时间") == approx(1 / 3)


def test_repurchase_rate_errors():
    with pytest.raises(ValueError, match="min_orders 至少要是 2"):
        m.repurchase_rate(make_orders(), min_orders=1)
    with pytest.raises(ValueError, match="没有已付款的订单"):
        m.repurchase_rate(make_orders().assign(paid_at=pd.NaT))
    with pytest.raises(ValueError, match="by.*customer_id"):
        m.repurchase_rate(make_orders(), by="day")


def test_silent_order_share():
    # Paid: 101 (a7), 102 (silent), 104 (silent) → 2 / 3.  By day of payment: 03-01 0/1,
    # 03-02 1/1, 03-03 1/1.
    assert m.silent_order_share(make_orders()) == approx(2 / 3)
    expected = {T("2024-03-01"): 0.0, T("2024-03-02"): 1.0, T("2024-03-03"): 1.0}
    assert_series(m.silent_order_share(make_orders(), by="day"), expected, "静默下单占比", "日期")
    own = make_orders().rename(columns={"agent_id": "客服", "paid_at": "付款时间"})
    assert m.silent_order_share(own, agent_col="客服", paid_col="付款时间") == approx(2 / 3)


def test_silent_order_share_errors():
    with pytest.raises(ValueError, match="by.*None.*'day'"):
        m.silent_order_share(make_orders(), by="agent")
    with pytest.raises(ValueError, match="没有已付款的订单"):
        m.silent_order_share(make_orders().assign(paid_at=pd.NaT))


# ---- KPI 看板 ------------------------------------------------------------------------------


def test_kpi_board():
    agents = pd.DataFrame({"agent_id": [7, 8, 9], "nickname": ["小美", "阿强", "小丽"]})
    board = m.kpi_board(make_chats(), make_orders(), agents=agents)
    assert list(board.columns) == [
        "客服",
        "接待人数",
        "询单转化率",
        "客单价",
        "首次响应时间（秒）",
        "平均响应时间（秒）",
        "3分钟响应率",
    ]
    assert list(board.index) == [7, 8]  # a9 received no chats
    assert board.index.name == "agent_id"
    assert list(board["客服"]) == ["小美", "阿强"]
    # 接待人数: a7 talked to c1, c2; a8 to c1, c3, c4.
    assert list(board["接待人数"]) == [2, 3]
    # 询单转化率 as in test_conversion_by_agent: a7 1/2, a8 1/1.
    np.testing.assert_allclose(board["询单转化率"], [0.5, 1.0])
    # 客单价: a7's paid order 101 → 100; a8's only order 103 is unpaid → not applicable (NaN).
    assert board.loc[7, "客单价"] == 100.0
    assert np.isnan(board.loc[8, "客单价"])
    np.testing.assert_allclose(board["首次响应时间（秒）"], [105.5, 130.0])
    np.testing.assert_allclose(board["平均响应时间（秒）"], [320.0, 240.0])
    np.testing.assert_allclose(board["3分钟响应率"], [0.5, 2 / 3])
    without_names = m.kpi_board(make_chats(), make_orders())
    assert "客服" not in without_names.columns
    pd.testing.assert_frame_equal(without_names, board.drop(columns="客服"))


def test_kpi_board_window():
    # period_days=1 → only 03-03 (end 03-04): chats 4 (c3, 售后) and 5 (c4, 售前), both a8.
    # 接待人数 2; conversion c4 → 1/1; 客单价: no a8 order paid that day → NaN;
    # first (10 + 200)/2 = 105; avg (20 + 100)/2 = 60; within 3 min 1/2.
    board = m.kpi_board(make_chats(), make_orders(), period_days=1)
    assert list(board.index) == [8]
    row = board.loc[8]
    assert row["接待人数"] == 2
    assert row["询单转化率"] == 1.0
    assert np.isnan(row["客单价"])
    assert (row["首次响应时间（秒）"], row["平均响应时间（秒）"], row["3分钟响应率"]) == (105.0, 60.0, 0.5)


def test_kpi_board_after_sale_agent_has_no_conversion():
    chats = make_chats()
    chats.loc[3, "agent_id"] = 9  # a9 only handled c3's after-sale chat
    board = m.kpi_board(chats, make_orders())
    assert list(board.index) == [7, 8, 9]
    assert np.isnan(board.loc[9, "询单转化率"])
    assert board.loc[9, "接待人数"] == 1


def test_kpi_board_errors():
    with pytest.raises(ValueError, match="没有客服接待的咨询"):
        m.kpi_board(make_chats(), make_orders(), end="2024-01-01")
    with pytest.raises(ValueError, match="agents 缺少列 'nickname'"):
        m.kpi_board(make_chats(), make_orders(), agents=pd.DataFrame({"agent_id": [7]}))


# ---- bad input shared by all functions ------------------------------------------------------

CALLS = {
    "inquiry_conversion_rate": lambda c, o, i, r: m.inquiry_conversion_rate(c, o),
    "inquiry_conversion_rate_orders": lambda c, o, i, r: m.inquiry_conversion_rate(
        c, o, method="orders", by="day"
    ),
    "customer_unit_price": lambda c, o, i, r: m.customer_unit_price(o, by="day"),
    "order_unit_price": lambda c, o, i, r: m.order_unit_price(o, by="agent"),
    "first_response_time": lambda c, o, i, r: m.first_response_time(c, by="day"),
    "average_response_time": lambda c, o, i, r: m.average_response_time(c, by="agent"),
    "response_within_3min_rate": lambda c, o, i, r: m.response_within_3min_rate(c),
    "refund_rate": lambda c, o, i, r: m.refund_rate(i, r, orders=o, by="product_id"),
    "refund_rate_taobao": lambda c, o, i, r: m.refund_rate(i, r, orders=o, method="taobao"),
    "repurchase_rate": lambda c, o, i, r: m.repurchase_rate(o),
    "silent_order_share": lambda c, o, i, r: m.silent_order_share(o, by="day"),
    "kpi_board": lambda c, o, i, r: m.kpi_board(c, o),
}


@pytest.mark.parametrize("name", list(CALLS))
def test_inputs_are_not_modified(name):
    frames = [make_chats(), make_orders(), make_items(), make_refunds()]
    # Text timestamps are converted inside, never in the caller's frame.
    frames[0] = frames[0].assign(started_at=frames[0]["started_at"].astype(str))
    copies = [f.copy(deep=True) for f in frames]
    CALLS[name](*frames)
    for frame, copy in zip(frames, copies):
        pd.testing.assert_frame_equal(frame, copy)


# Which of (chats, orders, order_items, refunds) each call uses.
USES = {
    "inquiry_conversion_rate": (0, 1),
    "inquiry_conversion_rate_orders": (0, 1),
    "customer_unit_price": (1,),
    "order_unit_price": (1,),
    "first_response_time": (0,),
    "average_response_time": (0,),
    "response_within_3min_rate": (0,),
    "refund_rate": (1, 2, 3),
    "refund_rate_taobao": (1, 2, 3),
    "repurchase_rate": (1,),
    "silent_order_share": (1,),
    "kpi_board": (0, 1),
}
TABLES = ("chats", "orders", "order_items", "refunds")


@pytest.mark.parametrize("name", list(CALLS))
def test_not_a_dataframe_raises_type_error(name):
    for position in USES[name]:
        frames = [make_chats(), make_orders(), make_items(), make_refunds()]
        frames[position] = frames[position].to_dict("list")
        with pytest.raises(TypeError, match=f"参数 {TABLES[position]} 应该是 pandas 数据表.*dict"):
            CALLS[name](*frames)


@pytest.mark.parametrize("name", list(CALLS))
def test_empty_frame_raises(name):
    for position in USES[name]:
        if TABLES[position] == "refunds":
            continue  # a shop with no refunds is fine: see test_no_refunds_means_rate_zero
        frames = [make_chats(), make_orders(), make_items(), make_refunds()]
        frames[position] = frames[position].iloc[0:0]
        with pytest.raises(ValueError, match=f"数据表 {TABLES[position]} 是空的"):
            CALLS[name](*frames)


def test_type_errors_explicitly():
    with pytest.raises(TypeError, match="参数 chats 应该是 pandas 数据表"):
        m.first_response_time([1, 2, 3])
    with pytest.raises(TypeError, match="参数 orders 应该是 pandas 数据表"):
        m.customer_unit_price({"payment": [1]})
    with pytest.raises(TypeError, match="参数 orders 应该是 pandas 数据表"):
        m.inquiry_conversion_rate(make_chats(), None)
    with pytest.raises(TypeError, match="参数 refunds 应该是 pandas 数据表"):
        m.refund_rate(make_items(), "refunds.csv")
    with pytest.raises(TypeError, match="参数 agents 应该是 pandas 数据表"):
        m.kpi_board(make_chats(), make_orders(), agents=["小美"])


def test_no_refunds_means_rate_zero():
    no_refunds = make_refunds().iloc[0:0]
    assert m.refund_rate(make_items(), no_refunds) == 0.0
    assert (
        m.refund_rate(make_items(), no_refunds, method="taobao", orders=make_orders(), period_days=None)
        == 0.0
    )
    by_product = m.refund_rate(make_items(), no_refunds, by="product_id")
    assert (by_product == 0).all() and not by_product.isna().any()


def test_empty_frames_explicitly():
    with pytest.raises(ValueError, match="数据表 order_items 是空的"):
        m.refund_rate(make_items().iloc[0:0], make_refunds())
    with pytest.raises(ValueError, match="数据表 chats 是空的"):
        m.inquiry_conversion_rate(make_chats().iloc[0:0], make_orders())


@pytest.mark.parametrize(
    ("call", "column", "table"),
    [
        (lambda c, o: m.customer_unit_price(o.drop(columns="payment")), "payment", "orders"),
        (lambda c, o: m.customer_unit_price(o.drop(columns="customer_id")), "customer_id", "orders"),
        (lambda c, o: m.silent_order_share(o.drop(columns="agent_id")), "agent_id", "orders"),
        (lambda c, o: m.repurchase_rate(o.drop(columns="paid_at")), "paid_at", "orders"),
        (lambda c, o: m.inquiry_conversion_rate(c.drop(columns="started_at"), o), "started_at", "chats"),
        (lambda c, o: m.inquiry_conversion_rate(c, o.drop(columns="created_at")), "created_at", "orders"),
        (
            lambda c, o: m.inquiry_conversion_rate(c, o.drop(columns="paid_at"), outcome="paid"),
            "paid_at",
            "orders",
        ),
        (
            lambda c, o: m.first_response_time(c.drop(columns="first_response_seconds")),
            "first_response_seconds",
            "chats",
        ),
        (lambda c, o: m.first_response_time(c.drop(columns="agent_id"), by="agent"), "agent_id", "chats"),
        (
            lambda c, o: m.kpi_board(c.drop(columns="avg_response_seconds"), o),
            "avg_response_seconds",
            "chats",
        ),
        (
            lambda c, o: m.refund_rate(make_items(), make_refunds().drop(columns="product_id")),
            "product_id",
            "refunds",
        ),
        (
            lambda c, o: m.refund_rate(make_items().drop(columns="quantity"), make_refunds()),
            "quantity",
            "order_items",
        ),
    ],
)
def test_missing_column_is_named(call, column, table):
    with pytest.raises(ValueError, match=f"数据表 {table} 缺少列 '{column}'.*现有的列"):
        call(make_chats(), make_orders())


def test_group_results_have_no_nan_even_with_unused_categories():
    # A categorical by column with an unused category gives no empty (NaN) group.
    chats = make_chats()
    chats["chat_type"] = chats["chat_type"].cat.add_categories(["投诉"])
    result = m.response_within_3min_rate(chats, by="chat_type")
    assert list(result.index) == ["售前", "售后"]
    orders = make_orders().assign(
        status=lambda d: pd.Categorical(d["status"], categories=[*d["status"], "交易关闭"])
    )
    result = m.customer_unit_price(orders, by="status")
    assert not result.isna().any()
    assert len(result) == 3  # the three paid orders' statuses


def test_conversion_text_ids_time_zones_and_no_orders_in_window():
    # Customer ids as text take the general path; the answers match the numeric ones.
    chats = make_chats().assign(customer_id=lambda d: "c" + d["customer_id"].astype(str))
    orders = make_orders().assign(customer_id=lambda d: "c" + d["customer_id"].astype(str))
    assert m.inquiry_conversion_rate(chats, orders) == approx(2 / 3)
    assert m.inquiry_conversion_rate(chats, orders, method="orders") == approx(0.5)
    # Time-zone-aware times, and a naive end read in that time zone.
    tz = "Asia/Shanghai"
    chats_tz = make_chats().assign(started_at=lambda d: d["started_at"].dt.tz_localize(tz))
    orders_tz = make_orders().assign(created_at=lambda d: d["created_at"].dt.tz_localize(tz))
    assert_series(
        m.inquiry_conversion_rate(chats_tz, orders_tz, by="day"),
        {T("2024-03-01", tz=tz): 1.0, T("2024-03-02", tz=tz): 0.0, T("2024-03-03", tz=tz): 1.0},
        "询单转化率",
        "日期",
    )
    assert m.inquiry_conversion_rate(chats_tz, orders_tz, period_days=1, end="2024-03-04") == 1.0
    # Every order after the window: nobody converted → 0, not an error.
    late = make_orders().assign(created_at=T("2025-01-01"))
    assert m.inquiry_conversion_rate(make_chats(), late) == 0.0
    assert m.inquiry_conversion_rate(make_chats(), late, method="orders", by="agent").tolist() == [0.0, 0.0]


# ---- 询单转化率 by a column of chats (lesson 05's 首次响应 bands) ----------------------------


def test_inquiry_conversion_by_a_chat_column_equals_filtering(store):
    chats = store.chats
    bands = pd.cut(chats["first_response_seconds"], bins=[0, 60, 3600], labels=["1分钟内", "1分钟以上"])
    banded = chats.assign(首次响应=bands)
    before = snapshot(banded, store.orders)
    for method in ("buyers", "orders"):
        result = metrics.inquiry_conversion_rate(
            banded, store.orders, method=method, by="首次响应", period_days=None
        )
        assert result.index.name == "首次响应" and result.name == "询单转化率"
        for band in ("1分钟内", "1分钟以上"):
            alone = metrics.inquiry_conversion_rate(
                banded[banded["首次响应"] == band], store.orders, method=method, period_days=None
            )
            if method == "orders":  # per chat: filtering the chats gives the same number
                assert result[band] == pytest.approx(alone)
    assert_unchanged(before, banded, store.orders)


def test_inquiry_conversion_by_column_skips_missing_groups_and_checks_the_name():
    chats = pd.DataFrame(
        {
            "customer_id": [1, 2, 3],
            "agent_id": [7, 7, 7],
            "started_at": pd.to_datetime(["2024-03-01 09:00", "2024-03-01 10:00", "2024-03-01 11:00"]),
            "chat_type": ["售前"] * 3,
            "档": ["快", "慢", None],
        }
    )
    orders = pd.DataFrame(
        {"customer_id": [1, 3], "created_at": pd.to_datetime(["2024-03-01 09:30", "2024-03-01 11:30"])}
    )
    result = metrics.inquiry_conversion_rate(chats, orders, by="档")
    assert result.to_dict() == {"快": 1.0, "慢": 0.0}
    with pytest.raises(ValueError, match="by"):
        metrics.inquiry_conversion_rate(chats, orders, by="没有这一列")


@pytest.mark.parametrize("period_days", [28, 91, None])
def test_kpi_board_conversion_is_the_canonical_helper(store, period_days):
    """The board's 询单转化率 is inquiry_conversion_rate's default reading, per agent."""
    board = metrics.kpi_board(store.chats, store.orders, period_days=period_days)
    canonical = metrics.inquiry_conversion_rate(
        store.chats, store.orders, by="agent", period_days=period_days
    )
    pd.testing.assert_series_equal(
        board["询单转化率"].dropna(), canonical, check_names=False, check_index_type=False
    )


def test_response_times_leave_the_bot_out():
    """店小蜜's instant answers do not count in 响应时间 (COURSE_DESIGN §5: bots excluded)."""
    chats = pd.DataFrame(
        {
            "first_response_seconds": [10, 30, 2, 2],
            "avg_response_seconds": [20, 40, 2, 2],
            "answered_by": ["人工", "人工", "店小蜜", "店小蜜"],
        }
    )
    assert m.first_response_time(chats) == 20
    assert m.average_response_time(chats) == 30
    assert m.response_within_3min_rate(chats.assign(first_response_seconds=[10, 300, 2, 2])) == 0.5
    assert m.first_response_time(chats, answered_by_col=None) == 11
    assert m.first_response_time(chats.drop(columns="answered_by")) == 11
    before = chats.copy()
    m.first_response_time(chats)
    pd.testing.assert_frame_equal(chats, before)


# ---- 店小蜜: who counts where ---------------------------------------------------------------
#
# c1 asks at night, 店小蜜 answers (no agent), c1 then orders; c2 asks at night, 店小蜜 answers,
# no order; c3 asks 店小蜜 at night, then agent 7 in the morning, orders; c4 asks agent 8, no order.


def make_night_chats() -> pd.DataFrame:
    return pd.DataFrame(
        {
            "customer_id": [1, 2, 3, 3, 4],
            "agent_id": pd.array([None, None, None, 7, 8], dtype="Int64"),
            "answered_by": ["店小蜜", "店小蜜", "店小蜜", "人工", "人工"],
            "started_at": pd.to_datetime(
                [
                    "2024-03-01 01:00",
                    "2024-03-01 02:00",
                    "2024-03-01 03:00",
                    "2024-03-01 09:00",
                    "2024-03-01 10:00",
                ]
            ),
            "chat_type": ["售前"] * 5,
            "first_response_seconds": [2, 2, 2, 40, 60],
            "avg_response_seconds": [2, 2, 2, 50, 70],
        }
    )


def make_night_orders() -> pd.DataFrame:
    return pd.DataFrame(
        {
            "customer_id": [1, 3],
            "agent_id": pd.array([None, 7], dtype="Int64"),
            "created_at": pd.to_datetime(["2024-03-01 01:30", "2024-03-01 09:30"]),
            "paid_at": pd.to_datetime(["2024-03-01 01:40", "2024-03-01 09:40"]),
            "payment": [30.0, 50.0],
        }
    )


def test_shop_wide_conversion_counts_the_buyers_the_bot_answered():
    # Every consulting buyer counts: c1 and c3 of c1-c4 ordered → 2/4.
    chats, orders = make_night_chats(), make_night_orders()
    before = snapshot(chats, orders)
    assert m.inquiry_conversion_rate(chats, orders) == 0.5
    # Per chat (orders method): c1's, c3's two chats converted, c2's and c4's not → 3/5.
    assert m.inquiry_conversion_rate(chats, orders, method="orders") == approx(3 / 5)
    assert_unchanged(before, chats, orders)


def test_conversion_by_agent_leaves_out_the_bots_chats():
    # a7: c3 (first chat with an agent 09:00, order 09:30) → 1/1; a8: c4 → 0/1.
    chats, orders = make_night_chats(), make_night_orders()
    result = m.inquiry_conversion_rate(chats, orders, by="agent")
    assert_series(result, {7: 1.0, 8: 0.0}, "询单转化率", "agent_id")
    result = m.inquiry_conversion_rate(chats, orders, method="orders", by="agent")
    assert_series(result, {7: 1.0, 8: 0.0}, "询单转化率", "agent_id")


def test_conversion_by_answered_by_shows_the_bot_beside_the_people():
    # Each buyer counts for the value of their first chat: 店小蜜 c1, c2, c3 (c1 and c3 ordered)
    # → 2/3; 人工 only c4 (c3 first asked the bot) → 0/1.
    result = m.inquiry_conversion_rate(make_night_chats(), make_night_orders(), by="answered_by")
    assert_series(result, {"人工": 0.0, "店小蜜": 2 / 3}, "询单转化率", "answered_by")


def test_conversion_by_agent_with_only_bot_chats_is_a_clear_error():
    chats = make_night_chats().iloc[:3]
    with pytest.raises(ValueError, match="没有分组列 'agent_id' 有值的售前咨询.*店小蜜"):
        m.inquiry_conversion_rate(chats, make_night_orders(), by="agent")
    assert m.inquiry_conversion_rate(chats, make_night_orders()) == approx(2 / 3)  # shop-wide still fine


def test_kpi_board_leaves_out_the_bot_like_the_helpers():
    chats, orders = make_night_chats(), make_night_orders()
    board = m.kpi_board(chats, orders)
    assert list(board.index) == [7, 8]
    assert list(board["接待人数"]) == [1, 1]
    np.testing.assert_allclose(board["询单转化率"], [1.0, 0.0])
    np.testing.assert_allclose(board["首次响应时间（秒）"], [40.0, 60.0])
    pd.testing.assert_series_equal(
        board["首次响应时间（秒）"], m.first_response_time(chats, by="agent"), check_names=False
    )
    pd.testing.assert_series_equal(
        board["询单转化率"], m.inquiry_conversion_rate(chats, orders, by="agent"), check_names=False
    )


def test_kpi_board_equals_the_helpers_per_agent_on_the_lesson_shop(store):
    """Every column of the board is the single-KPI helper's value per agent (店小蜜 left out)."""
    chats, orders = store.chats, store.orders
    assert (chats["answered_by"] == "店小蜜").any()  # the shop has bot chats to leave out
    board = m.kpi_board(chats, orders)
    end = chats["started_at"].max().normalize() + pd.Timedelta(days=1)
    window = chats[chats["started_at"] >= end - pd.Timedelta(days=28)]
    expected = {
        "询单转化率": m.inquiry_conversion_rate(chats, orders, by="agent"),
        "首次响应时间（秒）": m.first_response_time(window, by="agent"),
        "平均响应时间（秒）": m.average_response_time(window, by="agent"),
        "3分钟响应率": m.response_within_3min_rate(window, by="agent"),
    }
    for column, series in expected.items():
        pd.testing.assert_series_equal(
            board[column].dropna(), series, check_names=False, check_index_type=False, obj=column
        )
