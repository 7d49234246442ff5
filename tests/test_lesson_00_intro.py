"""Every number lesson 00 quotes from the lesson shop, computed from the shop itself."""

from __future__ import annotations

import pandas as pd
from helpers import assert_prose_says

SLUG = "00_intro"


def test_the_shop_in_numbers(store):
    years = sorted(store.orders["created_at"].dt.year.unique())
    assert years == [2024, 2025]
    assert_prose_says(SLUG, "{n} 位客户，2024、2025 两年的订单", n=len(store.customers))
    assert_prose_says(SLUG, "列出店里的 {n} 张数据表", n=len(store.tables))
    assert_prose_says(SLUG, "店里卖的 {n} 种商品", n=len(store.products))
    unpaid = int((store.orders["status"] == "等待买家付款").sum())
    assert_prose_says(SLUG, '那 {n} 笔"等待买家付款"的订单', n=unpaid)


def test_months_and_days(store):
    created = store.orders["created_at"]
    months = created.dt.to_period("M").nunique()
    days = created.dt.date.nunique()
    assert_prose_says(SLUG, "把两年的订单按年月分成 {n} 堆", n=months)
    assert_prose_says(SLUG, "（两年 {n} 行）", n=days)
    assert_prose_says(SLUG, "{n} 个数字太多", n=days)


def test_the_busiest_days_are_the_two_double_elevens_then_618(store):
    daily = store.orders.groupby(store.orders["created_at"].dt.date).size().sort_values(ascending=False)
    top = [pd.Timestamp(day).strftime("%Y-%m-%d") for day in daily.index[:3]]
    assert top == ["2025-11-11", "2024-11-11", "2025-06-18"]
    assert_prose_says(SLUG, "两年里订单最多的一天是 **2025 年 11 月 11 日**（双11），其次是 2024 年的双11")
