"""Tests for crm_helpers.orders: state machine, 查找订单, 备注, 改价."""

from __future__ import annotations

import itertools
import warnings

import pandas as pd
import pytest
from helpers import assert_unchanged, snapshot

from crm_helpers import STATUSES
from crm_helpers._validation import check_text, check_timestamp
from crm_helpers.orders import (
    FLAG_COLOURS,
    ORDER_TRANSITIONS,
    TIME_COLUMNS,
    add_remark,
    change_price,
    check_transition,
    chinese_orders,
    draw_state_machine,
    find_orders,
    orders_at,
    status_at,
    transition,
    transition_table,
)

T = pd.Timestamp
UNPAID, PAID, SHIPPED, FINISHED, CLOSED = STATUSES
PAIRS = list(itertools.product(STATUSES, STATUSES))


# One order in each state, with times consistent with it (an order line per status).
TIMES = {
    "created_at": T("2025-03-01 10:00"),
    "paid_at": T("2025-03-01 10:05"),
    "shipped_at": T("2025-03-02 09:00"),
    "finished_at": T("2025-03-05 12:00"),
    "closed_at": T("2025-03-03 08:00"),
}
SET_IN = {  # which time columns are filled for an order in each status
    UNPAID: ["created_at"],
    PAID: ["created_at", "paid_at"],
    SHIPPED: ["created_at", "paid_at", "shipped_at"],
    FINISHED: ["created_at", "paid_at", "shipped_at", "finished_at"],
    CLOSED: ["created_at", "closed_at"],
}


def one_order(status: str, order_id: int = 1) -> pd.DataFrame:
    row = {"order_id": order_id, "customer_id": 9}
    for column, time in TIMES.items():
        row[column] = time if column in SET_IN[status] else pd.NaT
    row["status"] = status
    row["close_reason"] = None
    row["goods_amount"] = 199.0
    row["discount"] = 0.0
    row["payment"] = 199.0
    frame = pd.DataFrame([row])
    frame["status"] = pd.Categorical(frame["status"], categories=STATUSES, ordered=True)
    for column in TIMES:
        frame[column] = frame[column].astype("datetime64[s]")
    frame["close_reason"] = pd.Categorical(
        [None], categories=["买家取消订单", "超时未付款自动关闭", "全额退款"]
    )
    return frame


def tiny_orders() -> pd.DataFrame:
    return pd.concat([one_order(s, i) for i, s in enumerate(STATUSES, start=1)], ignore_index=True)


# ---- the state machine as data --------------------------------------------------------------


def test_transitions_cover_the_five_statuses_and_are_read_only():
    assert tuple(ORDER_TRANSITIONS) == STATUSES
    for allowed in ORDER_TRANSITIONS.values():
        assert set(allowed) <= set(STATUSES)
        assert all(isinstance(events, tuple) and events for events in allowed.values())
    assert dict(ORDER_TRANSITIONS[FINISHED]) == {} and dict(ORDER_TRANSITIONS[CLOSED]) == {}
    assert set(ORDER_TRANSITIONS[UNPAID][CLOSED]) == {"超时未付款自动关闭", "买家取消订单", "卖家关闭订单"}
    assert ORDER_TRANSITIONS[PAID][CLOSED] == ORDER_TRANSITIONS[SHIPPED][CLOSED] == ("全额退款",)
    with pytest.raises(TypeError):
        ORDER_TRANSITIONS[FINISHED] = {UNPAID: ("x",)}  # type: ignore[index]
    with pytest.raises(TypeError):
        ORDER_TRANSITIONS[UNPAID][FINISHED] = ("x",)  # type: ignore[index]
    assert set(TIME_COLUMNS) == {PAID, SHIPPED, FINISHED, CLOSED}


def test_transition_table_lists_every_allowed_change():
    table = transition_table()
    assert table.columns.tolist() == ["当前状态", "新状态", "触发事件"]
    expected = {(a, b) for a, allowed in ORDER_TRANSITIONS.items() for b in allowed}
    assert set(zip(table["当前状态"], table["新状态"])) == expected
    assert len(table) == len(expected) == 6


@pytest.mark.parametrize("current, new", PAIRS)
def test_check_transition_matrix(current, new):
    if new in ORDER_TRANSITIONS[current]:
        assert check_transition(current, new) == ORDER_TRANSITIONS[current][new]
    else:
        with pytest.raises(ValueError, match=f"“{current}”.*“{new}”|已经是“{current}”"):
            check_transition(current, new)


@pytest.mark.parametrize(
    "current, new, match",
    [
        (FINISHED, UNPAID, r"“交易成功”是最终状态.*走售后流程"),
        (CLOSED, PAID, r"“交易关闭”是最终状态"),
        (CLOSED, UNPAID, r"状态不能再改变"),
        (UNPAID, SHIPPED, r"不能跳步：从“等待买家付款”到“卖家已发货”要先经过“买家已付款”"),
        (UNPAID, FINISHED, r"要先经过“买家已付款”“卖家已发货”"),
        (PAID, FINISHED, r"要先经过“卖家已发货”。从“买家已付款”只能变为：“卖家已发货”（卖家发货）"),
        (SHIPPED, PAID, r"不能倒退：“卖家已发货”之后不能再回到“买家已付款”"),
        (PAID, UNPAID, r"不能倒退"),
        (PAID, PAID, r"订单已经是“买家已付款”，不需要再变更"),
        (
            UNPAID,
            UNPAID,
            r"只能变为：“买家已付款”（买家付款）、“交易关闭”（超时未付款自动关闭/买家取消订单/卖家关闭订单）",
        ),
    ],
)
def test_check_transition_says_why(current, new, match):
    with pytest.raises(ValueError, match=match):
        check_transition(current, new)


@pytest.mark.parametrize("current, new", [("已付款", PAID), (UNPAID, "已发货"), (None, PAID)])
def test_check_transition_unknown_status(current, new):
    with pytest.raises(ValueError, match=r"不能是 .*只能是以下之一：'等待买家付款'"):
        check_transition(current, new)


# ---- transition ---------------------------------------------------------------------------


@pytest.mark.parametrize("current, new", PAIRS)
def test_transition_matrix(current, new):
    orders = one_order(current)
    before = snapshot(orders)
    at = T("2025-03-06 10:00")  # after every time of the order
    allowed = ORDER_TRANSITIONS[current]
    if new in allowed:
        result = transition(orders, 1, new, at, event=allowed[new][0])
        assert result.loc[0, "status"] == new
        assert result.loc[0, TIME_COLUMNS[new]] == at
        assert isinstance(result["status"].dtype, pd.CategoricalDtype)
        assert result["status"].cat.ordered
        if new == CLOSED:
            assert result.loc[0, "close_reason"] == allowed[new][0]
        untouched = [c for c in orders.columns if c not in ("status", TIME_COLUMNS[new], "close_reason")]
        pd.testing.assert_frame_equal(result[untouched], orders[untouched])
    else:
        with pytest.raises(ValueError, match="订单"):
            transition(orders, 1, new, at)
    assert_unchanged(before, orders)


def test_transition_changes_only_the_chosen_order():
    orders = tiny_orders()
    before = snapshot(orders)
    result = transition(orders, 2, SHIPPED, "2025-03-02 08:30")
    assert result["status"].tolist() == [UNPAID, SHIPPED, SHIPPED, FINISHED, CLOSED]
    assert result.loc[1, "shipped_at"] == T("2025-03-02 08:30")
    others = result.drop(index=1)
    pd.testing.assert_frame_equal(others, orders.drop(index=1))
    assert result["shipped_at"].dtype == orders["shipped_at"].dtype
    assert_unchanged(before, orders)


def test_transition_through_the_whole_life_of_an_order(store):
    orders = store.orders
    before = snapshot(orders)
    order_id = int(orders.loc[orders["status"] == UNPAID, "order_id"].iloc[0])
    now = store.end + pd.Timedelta(hours=1)
    steps = [(PAID, "paid_at"), (SHIPPED, "shipped_at"), (FINISHED, "finished_at")]
    result = orders
    for hours, (status, column) in enumerate(steps):
        result = transition(result, order_id, status, now + pd.Timedelta(hours=hours))
        row = result.set_index("order_id").loc[order_id]
        assert row["status"] == status and row[column] == now + pd.Timedelta(hours=hours)
    counts = result["status"].value_counts()
    assert counts[UNPAID] == orders["status"].value_counts()[UNPAID] - 1
    assert counts[FINISHED] == orders["status"].value_counts()[FINISHED] + 1
    with pytest.raises(ValueError, match="最终状态"):
        transition(result, order_id, CLOSED, now + pd.Timedelta(days=1))
    assert_unchanged(before, orders)


def test_transition_close_reason():
    orders = tiny_orders()
    at = T("2025-03-06")
    closed = transition(orders, 1, CLOSED, at, event="卖家关闭订单")
    assert closed.loc[0, "close_reason"] == "卖家关闭订单"  # a new category is added
    assert "卖家关闭订单" in closed["close_reason"].cat.categories
    refunded = transition(orders, 3, CLOSED, at)  # only one possible event
    assert refunded.loc[2, "close_reason"] == "全额退款"
    with pytest.raises(
        ValueError,
        match=r"关闭订单 1 要说明原因：请用参数 event 给出 超时未付款自动关闭、买家取消订单、卖家关闭订单",
    ):
        transition(orders, 1, CLOSED, at)
    with pytest.raises(ValueError, match=r"event（“买家已付款”→“交易关闭”的触发事件） 不能是 '买家取消订单'"):
        transition(orders, 2, CLOSED, at, event="买家取消订单")
    without_reason = orders.drop(columns="close_reason")
    assert transition(without_reason, 1, CLOSED, at).loc[0, "status"] == CLOSED


def test_transition_keeps_sub_second_times():
    at = T("2025-03-06 10:00:00.250")
    result = transition(one_order(UNPAID), 1, PAID, at)
    assert result.loc[0, "paid_at"] == at


def test_transition_without_time_columns():
    orders = pd.DataFrame({"order_id": [5], "status": [UNPAID]})
    result = transition(orders, 5, PAID, "2025-01-01", time_cols={})
    assert result.loc[0, "status"] == PAID and list(result.columns) == ["order_id", "status"]
    with pytest.raises(ValueError, match=r"数据表 orders 缺少列 'paid_at'"):
        transition(orders, 5, PAID, "2025-01-01")


@pytest.mark.parametrize(
    "order_id, new, at, error, match",
    [
        (
            999,
            PAID,
            "2025-03-06",
            ValueError,
            r"找不到订单编号（order_id）为 999 的订单：订单表里共有 5 笔订单，编号从 1 到 5",
        ),
        (
            "1",
            PAID,
            "2025-03-06",
            TypeError,
            r"order_id（订单编号） 应该是数字形式的订单编号.*收到的是 '1'（str）",
        ),
        (1, "已付款", "2025-03-06", ValueError, r"new_status（新状态） 不能是 '已付款'"),
        (1, PAID, "2025-02-28", ValueError, r"早于订单 1 已有的下单时间（created_at=2025-03-01 10:00:00）"),
        (3, FINISHED, "2025-03-02 08:00", ValueError, r"早于订单 3 已有的发货时间"),
        (1, PAID, "昨天", ValueError, r"at（变更时间） 应该是时间.*'昨天' 无法读成时间"),
        (1, PAID, 20250306, TypeError, r"at（变更时间） 应该是时间.*收到的是 20250306（int）"),
        (1, PAID, None, ValueError, r"at（变更时间） 不能是空的时间"),
    ],
)
def test_transition_bad_input(order_id, new, at, error, match):
    orders = tiny_orders()
    with pytest.raises(error, match=match):
        transition(orders, order_id, new, at)


def test_transition_refuses_duplicated_ids_and_bad_tables():
    orders = pd.concat([one_order(UNPAID), one_order(UNPAID)], ignore_index=True)
    with pytest.raises(ValueError, match=r"订单编号（order_id）1 在订单表里出现了 2 次"):
        transition(orders, 1, PAID, "2025-03-06")
    with pytest.raises(TypeError, match=r"参数 orders 应该是 pandas 数据表"):
        transition([1, 2], 1, PAID, "2025-03-06")
    with pytest.raises(ValueError, match=r"缺少列 'status'"):
        transition(orders.drop(columns="status"), 1, PAID, "2025-03-06")
    missing = one_order(UNPAID)
    missing["status"] = pd.NA
    with pytest.raises(ValueError, match=r"订单 1 没有状态"):
        transition(missing, 1, PAID, "2025-03-06")


# ---- drawing ------------------------------------------------------------------------------


def test_draw_state_machine_without_warnings():
    from matplotlib.axes import Axes
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.figure import Figure

    fig = Figure(figsize=(11, 4.5))
    FigureCanvasAgg(fig)
    ax = fig.subplots()
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        result = draw_state_machine(ax)
        fig.canvas.draw()  # missing Chinese glyphs would warn here
    assert result is ax and isinstance(result, Axes)
    texts = " ".join(t.get_text() for t in ax.texts)
    for status in STATUSES:
        assert status in texts
    for allowed in ORDER_TRANSITIONS.values():
        for events in allowed.values():
            for event in events:
                assert event in texts
    assert len(ax.patches) == len(STATUSES)


def test_draw_state_machine_makes_its_own_figure():
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    with warnings.catch_warnings():
        warnings.simplefilter("error")
        ax = draw_state_machine()
        ax.figure.canvas.draw()
    plt.close(ax.figure)


# ---- 查找订单 ------------------------------------------------------------------------------


def with_names(store) -> pd.DataFrame:
    return store.orders.merge(store.customers[["customer_id", "member_name"]], on="customer_id", how="left")


def busy_member(store) -> str:
    """A member with several orders of different statuses."""
    counts = store.orders.groupby("customer_id")["status"].nunique()
    customer = int(counts.idxmax())
    return store.customers.set_index("customer_id").loc[customer, "member_name"]


def assert_found(result: pd.DataFrame, expected: pd.DataFrame):
    assert sorted(result["order_id"]) == sorted(expected["order_id"])
    assert result["created_at"].is_monotonic_decreasing
    assert result.index.tolist() == list(range(len(result)))


def test_find_orders_by_status(store):
    before = snapshot(store.orders, store.customers)
    for status in STATUSES:
        result = find_orders(store.orders, store.customers, status=status)
        assert_found(result, store.orders[store.orders["status"] == status])
        assert (result["status"] == status).all()
    both = find_orders(store.orders, store.customers, status=[PAID, SHIPPED])
    assert_found(both, store.orders[store.orders["status"].isin([PAID, SHIPPED])])
    assert len(both) == 86
    assert_unchanged(before, store.orders, store.customers)


def test_find_orders_by_member_name_joins_the_name(store):
    name = busy_member(store)
    result = find_orders(store.orders, store.customers, member_name=name)
    full = with_names(store)
    assert_found(result, full[full["member_name"] == name])
    assert len(result) > 1 and (result["member_name"] == name).all()
    columns = result.columns.tolist()
    assert columns.index("member_name") == columns.index("customer_id") + 1
    assert columns == store.orders.columns.insert(2, "member_name").tolist()
    # A part of the name is not a match (exact match only).
    assert find_orders(store.orders, store.customers, member_name=name[:-1]).empty


def test_find_orders_combined_filters(store):
    full = with_names(store)
    name = busy_member(store)
    start, end = T("2025-03-01"), T("2025-11-12")
    in_time = (full["created_at"] >= start) & (full["created_at"] < end)
    cases = [
        (
            {"member_name": name, "status": FINISHED},
            (full["member_name"] == name) & (full["status"] == FINISHED),
        ),
        ({"start": start, "end": end}, in_time),
        ({"start": "2025-03-01"}, full["created_at"] >= start),
        ({"end": "2025-11-12"}, full["created_at"] < end),
        ({"status": CLOSED, "start": start, "end": end}, in_time & (full["status"] == CLOSED)),
        (
            {"member_name": [name], "status": [FINISHED, CLOSED], "start": start, "end": end},
            in_time & (full["member_name"] == name) & full["status"].isin([FINISHED, CLOSED]),
        ),
        ({"order_id": 100005}, full["order_id"] == 100005),
        ({"order_id": [100005, 100007, 1]}, full["order_id"].isin([100005, 100007])),
        ({"order_id": 100005, "status": UNPAID}, (full["order_id"] == 100005) & (full["status"] == UNPAID)),
        ({}, full["order_id"] > 0),
    ]
    for filters, mask in cases:
        result = find_orders(store.orders, store.customers, **filters)
        assert_found(result, full[mask])
    assert len(find_orders(store.orders, store.customers, start=start, end=end)) == int(in_time.sum())


def test_find_orders_newest_first_with_ties_by_order_id():
    orders = pd.DataFrame(
        {
            "order_id": [1, 2, 3],
            "customer_id": [1, 1, 2],
            "status": [UNPAID, PAID, PAID],
            "created_at": pd.to_datetime(["2025-01-01", "2025-01-02", "2025-01-02"]),
        }
    )
    assert find_orders(orders)["order_id"].tolist() == [3, 2, 1]
    assert "member_name" not in find_orders(orders).columns


def test_find_orders_nothing_matches_gives_an_empty_table(store):
    for filters in ({"member_name": "没有这个人"}, {"order_id": 1}, {"start": "2030-01-01"}):
        result = find_orders(store.orders, store.customers, **filters)
        assert result.empty
        assert "member_name" in result.columns


def test_find_orders_uses_an_existing_member_column(store):
    joined = find_orders(store.orders, store.customers)
    name = busy_member(store)
    again = find_orders(joined, member_name=name)
    assert_found(again, joined[joined["member_name"] == name])
    assert again.columns.tolist() == joined.columns.tolist()


@pytest.mark.parametrize(
    "filters, error, match",
    [
        (
            {"status": "已付款"},
            ValueError,
            r"status（订单状态） 不能是 '已付款'，只能是以下之一：'等待买家付款'",
        ),
        ({"status": [PAID, "待发货"]}, ValueError, r"不能是 '待发货'"),
        (
            {"start": "2025-05-01", "end": "2025-05-01"},
            ValueError,
            r"开始时间 start=2025-05-01 00:00:00 必须早于结束时间 end",
        ),
        ({"start": "2025-06-01", "end": "2025-05-01"}, ValueError, r"start ≤ 下单时间 < end"),
        ({"start": "五月"}, ValueError, r"start（开始时间） 应该是时间"),
        (
            {"order_id": "100005"},
            TypeError,
            r"应该是数字形式的订单编号，例如 100001（不加引号）；收到的是 '100005'",
        ),
        ({"member_name": 123}, TypeError, r"member_name（会员名） 应该是文字"),
    ],
)
def test_find_orders_bad_input(store, filters, error, match):
    with pytest.raises(error, match=match):
        find_orders(store.orders, store.customers, **filters)


def test_find_orders_member_name_needs_customers(store):
    with pytest.raises(ValueError, match=r"按会员名（member_name）查找订单需要客户表"):
        find_orders(store.orders, member_name="某人")
    twice = pd.concat([store.customers.head(2), store.customers.head(1)])
    with pytest.raises(ValueError, match=r"customers 的列 'customer_id' 有重复的客户编号"):
        find_orders(store.orders, twice)


# ---- 备注 ----------------------------------------------------------------------------------


def test_flag_colours():
    assert tuple(FLAG_COLOURS) == ("红", "黄", "绿", "蓝", "紫")
    assert all(isinstance(note, str) and 4 <= len(note) <= 40 for note in FLAG_COLOURS.values())


def test_add_remark_adds_columns_and_replaces_the_old_remark(store):
    before = snapshot(store.orders)
    old = store.orders.loc[store.orders["remark"].notna()].iloc[0]
    result = add_remark(
        store.orders, old["order_id"], "  买家要求改地址，已改  ", flag="黄", author="乐童优选:小美"
    )
    row = result.set_index("order_id").loc[old["order_id"]]
    assert (row["remark"], row["remark_flag"], row["remark_by"]) == (
        "买家要求改地址，已改",
        "黄",
        "乐童优选:小美",
    )
    assert result.columns.tolist() == [*store.orders.columns, "remark_flag", "remark_by"]
    assert result["remark_flag"].notna().sum() == 1
    others = result["order_id"] != old["order_id"]
    pd.testing.assert_frame_equal(result.loc[others, store.orders.columns], store.orders.loc[others])
    again = add_remark(result, old["order_id"], "已发顺丰", author="乐童优选:小美")  # default 红
    row = again.set_index("order_id").loc[old["order_id"]]
    assert (row["remark"], row["remark_flag"]) == ("已发顺丰", "红")
    assert_unchanged(before, store.orders)


def test_add_remark_on_a_table_without_remarks():
    orders = pd.DataFrame({"order_id": [1, 2]})
    result = add_remark(orders, 1, "x" * 500, flag="紫", author="客服A")
    assert result.columns.tolist() == ["order_id", "remark", "remark_flag", "remark_by"]
    assert result.loc[0, "remark"] == "x" * 500 and pd.isna(result.loc[1, "remark"])


@pytest.mark.parametrize(
    "kwargs, error, match",
    [
        ({"order_id": 1, "text": "", "author": "A"}, ValueError, r"text（备注内容） 不能是空的"),
        ({"order_id": 1, "text": "   ", "author": "A"}, ValueError, r"不能是空的"),
        ({"order_id": 1, "text": "字" * 501, "author": "A"}, ValueError, r"最多 500 个字，现在有 501 个字"),
        (
            {"order_id": 1, "text": 5, "author": "A"},
            TypeError,
            r"text（备注内容） 应该是文字（str），收到的是 5（int）",
        ),
        (
            {"order_id": 1, "text": "ok", "flag": "黑", "author": "A"},
            ValueError,
            r"flag（旗帜颜色） 不能是 '黑'.*'红'",
        ),
        ({"order_id": 1, "text": "ok", "author": ""}, ValueError, r"author（备注人） 不能是空的"),
        ({"order_id": 3, "text": "ok", "author": "A"}, ValueError, r"找不到订单编号（order_id）为 3"),
    ],
)
def test_add_remark_bad_input(kwargs, error, match):
    orders = pd.DataFrame({"order_id": [1, 2]})
    with pytest.raises(error, match=match):
        add_remark(orders, **kwargs)


def test_add_remark_needs_an_author():
    with pytest.raises(TypeError, match="author"):
        add_remark(pd.DataFrame({"order_id": [1]}), 1, "ok")  # type: ignore[call-arg]


# ---- 改价 ----------------------------------------------------------------------------------


def test_change_price_before_payment():
    orders = tiny_orders()
    before = snapshot(orders)
    result = change_price(orders, 1, 179.9)
    assert result.loc[0, ["payment", "discount", "goods_amount"]].tolist() == [179.9, 19.1, 199.0]
    assert result.loc[0, "payment"] + result.loc[0, "discount"] == pytest.approx(199.0)
    pd.testing.assert_frame_equal(result.drop(index=0), orders.drop(index=0))
    assert change_price(orders, 1, 199).loc[0, "discount"] == 0  # back to full price
    assert_unchanged(before, orders)


def test_change_price_on_the_default_shop(store):
    before = snapshot(store.orders)
    row = store.orders.loc[store.orders["status"] == UNPAID].iloc[0]
    result = change_price(store.orders, row["order_id"], 1)
    changed = result.set_index("order_id").loc[row["order_id"]]
    assert changed["payment"] == 1 and changed["discount"] == pytest.approx(row["goods_amount"] - 1)
    assert_unchanged(before, store.orders)


def test_change_price_with_whole_yuan_columns():
    orders = pd.DataFrame(
        {"order_id": [1], "status": [UNPAID], "goods_amount": [100], "discount": [0], "payment": [100]}
    )
    result = change_price(orders, 1, 88.8)
    assert result.loc[0, ["payment", "discount"]].tolist() == [88.8, 11.2]


@pytest.mark.parametrize("status", [PAID, SHIPPED, FINISHED, CLOSED])
def test_change_price_refused_after_payment(status):
    orders = tiny_orders()
    order_id = STATUSES.index(status) + 1
    with pytest.raises(
        ValueError, match=rf"订单 {order_id} 现在是“{status}”，不能改价.*买家付款以后价格就不能再改了"
    ):
        change_price(orders, order_id, 100)


@pytest.mark.parametrize(
    "price, error, match",
    [
        (0, ValueError, r"new_payment（新价格） 必须大于 0，收到的是 0"),
        (-5, ValueError, r"必须大于 0，收到的是 -5"),
        (
            199.01,
            ValueError,
            r"不能高于商品总价 goods_amount=199 元；本店规定改价只用来给优惠（淘宝本身允许付款前调高价格或修改邮费",
        ),
        (99.999, ValueError, r"最多只能有两位小数"),
        ("100", TypeError, r"new_payment（新价格） 应该是数字"),
        (True, TypeError, r"应该是数字"),
        (float("nan"), TypeError, r"应该是数字"),
    ],
)
def test_change_price_bad_price(price, error, match):
    with pytest.raises(error, match=match):
        change_price(tiny_orders(), 1, price)


def test_change_price_unknown_order():
    with pytest.raises(ValueError, match=r"找不到订单编号（order_id）为 42"):
        change_price(tiny_orders(), 42, 10)


# ---- shared checks ------------------------------------------------------------------------


def test_check_timestamp_and_check_text():
    assert check_timestamp("2025-03-01 10:00", "at") == T("2025-03-01 10:00")
    assert check_timestamp(T("2025-03-01"), "at") == T("2025-03-01")
    with pytest.raises(TypeError, match=r"参数 at 应该是时间.*收到的是 1.5（float）"):
        check_timestamp(1.5, "at")
    with pytest.raises(ValueError, match=r"参数 at 不能是空的时间"):
        check_timestamp(pd.NaT, "at")
    assert check_text("  你好 ", "text") == "你好"
    with pytest.raises(ValueError, match=r"参数 text 最多 2 个字，现在有 3 个字"):
        check_text("你好呀", "text", max_length=2)


def test_chinese_orders_headers_for_workbench_columns(store):
    found = find_orders(store.orders, store.customers, status="等待买家付款")
    found = add_remark(found, int(found["order_id"].iloc[0]), "已催付", flag="黄", author="乐童优选:小美")
    shown = chinese_orders(found)
    assert {"订单编号", "会员名", "实付款", "卖家备注", "旗帜颜色", "备注人"} <= set(shown.columns)
    assert not {"order_id", "member_name", "remark_flag"} & set(shown.columns)
    assert shown["卖家备注"].iloc[0] == "已催付" and (shown["旗帜颜色"].iloc[1:] == "").all()
    assert "order_id" in found.columns  # the input keeps its names
    with pytest.raises(TypeError, match="orders"):
        chinese_orders([1, 2])


def test_orders_at_is_the_shop_at_that_moment(store):
    at = pd.Timestamp("2025-11-04 09:00")
    then = orders_at(store.orders, at)
    assert len(then) == (store.orders["created_at"] <= at).sum()
    assert (then["status"].astype(str) == status_at(store.orders, at).dropna().astype(str).to_numpy()).all()
    closed = then["status"] == "交易关闭"
    assert then.loc[closed, "close_reason"].notna().all() and then.loc[~closed, "close_reason"].isna().all()
    assert then.loc[then["status"] == "等待买家付款", "remark"].isna().all()
    with pytest.raises(ValueError, match="at（时刻）"):
        orders_at(store.orders, "不是时间")
