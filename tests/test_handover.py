"""Tests for crm_helpers.handover: the 交接表 at a shift change."""

from __future__ import annotations

import pandas as pd
import pytest
from helpers import assert_unchanged, snapshot

from crm_helpers import STATUSES
from crm_helpers.handover import HANDOVER_TYPES, handover_table
from crm_helpers.orders import add_remark

T = pd.Timestamp
UNPAID, PAID, SHIPPED, FINISHED, CLOSED = STATUSES
HANDOVER_COLUMNS = ["类型", "订单编号", "会员名", "时间", "说明", "建议处理"]


# ---- 交接表 --------------------------------------------------------------------------------


def expected_open_items(store, at: pd.Timestamp, hours: float = 24, ship_hours: float = 24) -> dict:
    """The open items at ``at`` computed with plain pandas, as {类型: set of keys}."""
    o, r, c = store.orders, store.refunds, store.chats

    def done(column: pd.Series) -> pd.Series:
        return column.notna() & (column <= at)

    exists = o["created_at"] <= at
    closed = done(o["closed_at"])
    unpaid = exists & ~done(o["paid_at"]) & ~closed
    paid_not_shipped = done(o["paid_at"]) & ~done(o["shipped_at"]) & ~closed
    late = paid_not_shipped & (at - o["paid_at"] > pd.Timedelta(hours=ship_hours))
    open_refunds = (r["applied_at"] <= at) & ~done(r["finished_at"])
    chats = (
        (c["chat_type"] == "售后")
        & (c["started_at"] >= at - pd.Timedelta(hours=hours))
        & (c["started_at"] <= at)
    )
    return {
        "退款/换货处理中": sorted(r.loc[open_refunds, "order_id"]),
        "发货超时风险": sorted(o.loc[late, "order_id"]),
        "售后咨询": sorted(c.loc[chats, "started_at"]),
        "未付款订单": sorted(o.loc[unpaid, "order_id"]),
    }


def test_handover_table_on_the_default_shop(store):
    before = snapshot(store.orders, store.refunds, store.chats, store.customers)
    table = handover_table(store.orders, store.refunds, store.chats, at=store.end, customers=store.customers)
    assert table.columns.tolist() == HANDOVER_COLUMNS
    assert table["类型"].cat.categories.tolist() == list(HANDOVER_TYPES) and table["类型"].cat.ordered
    expected = expected_open_items(store, store.end)
    got = {kind: table[table["类型"] == kind] for kind in HANDOVER_TYPES}
    assert sorted(got["退款/换货处理中"]["订单编号"]) == expected["退款/换货处理中"]
    assert sorted(got["发货超时风险"]["订单编号"]) == expected["发货超时风险"]
    assert sorted(got["售后咨询"]["时间"]) == expected["售后咨询"]
    assert sorted(got["未付款订单"]["订单编号"]) == expected["未付款订单"]
    assert got["红旗备注"].empty  # the simulated shop has no flags yet
    # At the end of the period the timestamps agree with the status columns.
    o, r = store.orders, store.refunds
    assert len(got["未付款订单"]) == (o["status"] == UNPAID).sum() == 1
    assert len(got["退款/换货处理中"]) == (r["status"] == "处理中").sum() == 4
    paid = o[o["status"] == PAID]
    assert len(got["发货超时风险"]) == ((store.end - paid["paid_at"]) > pd.Timedelta(hours=24)).sum() == 6
    assert len(got["售后咨询"]) == 1
    # Member names are those of the order's customer.
    names = store.customers.set_index("customer_id")["member_name"]
    unpaid = o[o["status"] == UNPAID].iloc[0]
    assert got["未付款订单"]["会员名"].iloc[0] == names[unpaid["customer_id"]]
    assert table["说明"].str.len().min() > 4 and table["建议处理"].str.len().min() > 8
    assert "仍未付款，应付" in got["未付款订单"]["说明"].iloc[0]
    assert_unchanged(before, store.orders, store.refunds, store.chats, store.customers)


def test_handover_table_order_is_deterministic(store):
    table = handover_table(store.orders, store.refunds, store.chats, at=store.end, customers=store.customers)
    key = table.assign(_k=table["类型"].cat.codes)
    resorted = key.sort_values(["_k", "时间", "订单编号"], kind="stable").drop(columns="_k")
    pd.testing.assert_frame_equal(resorted.reset_index(drop=True), table)
    shuffled = handover_table(
        store.orders.sample(frac=1, random_state=1),
        store.refunds.sample(frac=1, random_state=2),
        store.chats.sample(frac=1, random_state=3),
        at=store.end,
        customers=store.customers.sample(frac=1, random_state=4),
    )
    pd.testing.assert_frame_equal(shuffled, table)


@pytest.mark.parametrize("at", ["2025-06-18 09:00", "2025-11-11 23:59", "2025-02-03 14:30"])
def test_handover_table_in_the_middle_of_the_year(store, at):
    at = T(at)
    table = handover_table(store.orders, store.refunds, store.chats, at=at)
    expected = expected_open_items(store, at)
    for kind in ("退款/换货处理中", "发货超时风险", "未付款订单"):
        assert sorted(table.loc[table["类型"] == kind, "订单编号"]) == expected[kind]
    assert sorted(table.loc[table["类型"] == "售后咨询", "时间"]) == expected["售后咨询"]
    assert table["会员名"].isna().all()  # no customers table given
    assert (table["时间"] <= at).all()


def test_handover_table_red_flags_and_windows(store):
    orders = store.orders
    done = orders.loc[orders["status"] == FINISHED, "order_id"].iloc[:2].tolist()
    flagged = add_remark(orders, done[0], "买家投诉包装破损，已答应补发", flag="红", author="乐童优选:小美")
    flagged = add_remark(flagged, done[1], "已处理", flag="绿", author="乐童优选:小美")
    table = handover_table(flagged, store.refunds, store.chats, at=store.end, customers=store.customers)
    red = table[table["类型"] == "红旗备注"]
    assert red["订单编号"].tolist() == [done[0]]
    assert "买家投诉包装破损" in red["说明"].iloc[0] and "乐童优选:小美" in red["说明"].iloc[0]
    assert red["时间"].iloc[0] == orders.set_index("order_id").loc[done[0], "created_at"]
    # A longer look-back lists more after-sale chats; a longer shipping limit fewer risks.
    week = handover_table(orders, store.refunds, store.chats, at=store.end, hours=24 * 7)
    expected = expected_open_items(store, store.end, hours=24 * 7, ship_hours=48)
    assert sorted(week.loc[week["类型"] == "售后咨询", "时间"]) == expected["售后咨询"]
    relaxed = handover_table(orders, store.refunds, store.chats, at=store.end, ship_hours=48)
    assert sorted(relaxed.loc[relaxed["类型"] == "发货超时风险", "订单编号"]) == expected["发货超时风险"]


def test_handover_table_with_no_refunds_or_chats(store):
    table = handover_table(store.orders, store.refunds.iloc[:0], store.chats.iloc[:0], at=store.end)
    assert set(table["类型"]) == {"发货超时风险", "未付款订单"}
    assert table.columns.tolist() == HANDOVER_COLUMNS


@pytest.mark.parametrize(
    "kwargs, error, match",
    [
        ({"at": "下班时"}, ValueError, r"at（交接时间） 应该是时间"),
        ({"at": "2026-01-01", "hours": 0}, ValueError, r"hours（售后咨询回看小时数） 必须大于 0"),
        ({"at": "2026-01-01", "ship_hours": -1}, ValueError, r"ship_hours（发货时限小时数） 必须大于 0"),
        ({"at": "2026-01-01", "hours": "24"}, TypeError, r"hours（售后咨询回看小时数） 应该是数字"),
    ],
)
def test_handover_table_bad_input(store, kwargs, error, match):
    with pytest.raises(error, match=match):
        handover_table(store.orders, store.refunds, store.chats, **kwargs)


def test_handover_table_missing_columns(store):
    with pytest.raises(ValueError, match=r"数据表 refunds 缺少列 'applied_at'"):
        handover_table(store.orders, store.refunds.drop(columns="applied_at"), store.chats, at=store.end)
    with pytest.raises(ValueError, match=r"数据表 chats 缺少列 'chat_type'"):
        handover_table(store.orders, store.refunds, store.chats.drop(columns="chat_type"), at=store.end)
    with pytest.raises(ValueError, match=r"数据表 orders 缺少列 'paid_at'"):
        handover_table(store.orders.drop(columns="paid_at"), store.refunds, store.chats, at=store.end)


def test_handover_table_needs_every_time_column(store):
    with pytest.raises(
        ValueError, match=r"参数 time_cols 要给出每个状态对应的时间列，缺少：交易成功、交易关闭"
    ):
        handover_table(
            store.orders,
            store.refunds,
            store.chats,
            at=store.end,
            time_cols={PAID: "paid_at", SHIPPED: "shipped_at"},
        )
