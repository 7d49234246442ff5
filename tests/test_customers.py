"""客户档案: the customers topic's pure function behind the workbench's 查看客户."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from crm_helpers.customers import customer_profile


@pytest.fixture
def tables():
    customers = pd.DataFrame({"customer_id": [1, 2, 3], "member_name": ["小林", "阿花", "大王"]})
    orders = pd.DataFrame(
        {
            "customer_id": [1, 1, 1, 2],
            "paid_at": pd.to_datetime(["2025-03-01", None, "2025-04-02", "2025-05-01"]),
            "payment": [99.5, 20.0, 0.105, 50.0],
            "created_at": pd.to_datetime(["2025-03-01", "2025-03-05", "2025-04-01", "2025-05-01"]),
        }
    )
    return customers, orders


def test_profile_counts_orders_and_spend(tables):
    customers, orders = tables
    before = [customers.copy(), orders.copy()]
    profile = customer_profile(customers, orders, np.int64(1))
    assert profile["member_name"] == "小林"
    assert (profile["订单数"], profile["已付款订单数"], profile["累计实付款"]) == (3, 2, 99.61)
    assert profile["最近下单时间"] == pd.Timestamp("2025-04-01")
    no_orders = customer_profile(customers, orders, 3)
    assert (no_orders["订单数"], no_orders["累计实付款"]) == (0, 0.0) and pd.isna(no_orders["最近下单时间"])
    pd.testing.assert_frame_equal(customers, before[0])
    pd.testing.assert_frame_equal(orders, before[1])


def test_profile_with_other_column_names(tables):
    customers, orders = tables
    renamed = orders.rename(columns={"customer_id": "buyer", "paid_at": "付款时间", "payment": "实付款"})
    profile = customer_profile(
        customers.rename(columns={"customer_id": "buyer"}),
        renamed,
        2,
        customer_col="buyer",
        paid_col="付款时间",
        payment_col="实付款",
    )
    assert (profile["订单数"], profile["累计实付款"]) == (1, 50.0)


@pytest.mark.parametrize(
    "args, error, match",
    [
        (
            lambda c, o: (c, o, "1"),
            TypeError,
            r"客户编号（customer_id） 应该是整数（integer），收到的是 '1'（str）",
        ),
        (
            lambda c, o: (c, o, None),
            TypeError,
            r"客户编号（customer_id） 应该是整数（integer），收到的是 None",
        ),
        (
            lambda c, o: (c, o, True),
            TypeError,
            r"客户编号（customer_id） 应该是整数（integer），收到的是 True",
        ),
        (lambda c, o: (c, o, 99), ValueError, r"客户编号（customer_id）99 不存在"),
        (lambda c, o: (c.to_dict(), o, 1), TypeError, r"参数 customers 应该是 pandas 数据表（DataFrame）"),
        (lambda c, o: (c, o.drop(columns="payment"), 1), ValueError, r"数据表 orders 缺少列 'payment'"),
        (
            lambda c, o: (c.drop(columns="customer_id"), o, 1),
            ValueError,
            r"数据表 customers 缺少列 'customer_id'",
        ),
    ],
)
def test_bad_input(tables, args, error, match):
    with pytest.raises(error, match=match):
        customer_profile(*args(*tables))
