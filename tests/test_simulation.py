"""The simulated shop: schema, invariants between tables, planted patterns, determinism."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

import crm_helpers
from crm_helpers import STATUSES, simulate_store
from crm_helpers.glossary import glossary

REQUIRED_COLUMNS = {
    "orders": ["order_id", "customer_id", "agent_id", "created_at", "paid_at", "shipped_at",
               "finished_at", "closed_at", "status", "payment"],
    "order_items": ["order_id", "product_id", "quantity", "unit_price"],
    "chats": ["chat_id", "customer_id", "agent_id", "started_at", "first_response_seconds", "order_id"],
    "refunds": ["refund_id", "order_id", "product_id", "quantity", "amount", "reason_group"],
    "customers": ["customer_id", "registered_at"],
}  # fmt: skip


# ---- schema -------------------------------------------------------------------------


def test_tables_and_required_columns(store):
    for table, columns in REQUIRED_COLUMNS.items():
        missing = set(columns) - set(store.tables[table].columns)
        assert not missing, f"{table} 缺少列 {missing}"
    assert set(store.tables) == {
        "customers", "products", "orders", "order_items", "chats", "events", "refunds",
        "reminders", "agents", "red_packets", "audit_log", "complaints", "reviews", "growth",
    }  # fmt: skip


def test_glossary_covers_every_column_and_nothing_else(store):
    g = glossary()
    documented = set(zip(g["表"], g["列名"]))
    actual = {(name, col) for name, df in store.tables.items() for col in df.columns}
    assert actual - documented == set(), "columns without a glossary entry"
    assert documented - actual == set(), "glossary entries for columns that do not exist"
    assert g["中文名"].str.len().gt(0).all() and g["说明"].str.len().gt(3).all()


def test_dtypes_students_rely_on(store):
    o = store.orders
    assert list(o["status"].cat.categories) == list(STATUSES)
    assert o["status"].cat.ordered
    for col in ["created_at", "paid_at", "shipped_at", "finished_at", "closed_at"]:
        assert pd.api.types.is_datetime64_any_dtype(o[col]), col
    assert str(o["agent_id"].dtype) == "Int64"
    assert str(store.chats["order_id"].dtype) == "Int64"
    assert store.customers["gender"].cat.categories.tolist() == ["男", "女"]
    for name, df in store.tables.items():
        id_col = df.columns[0]
        if id_col.endswith("_id") and name not in ("order_items", "events"):
            assert df[id_col].is_unique, f"{name}.{id_col} 不唯一"


def test_default_shop_is_sized_for_lessons(store):
    # Two years of history (近两年 crowds, yearly member-level deduction); end is "now".
    assert store.start == pd.Timestamp("2024-01-01")
    assert store.end == pd.Timestamp("2026-01-01")
    assert 4000 < len(store.orders) < 15000
    assert len(store.customers) == 3000
    assert repr(store).splitlines()[0] == "网店「乐童优选」（2024-01-01 至 2025-12-31）"
    assert len(repr(store).splitlines()) == 1 + len(store.tables)
    assert store.last_day == pd.Timestamp("2025-12-31")
    summary = store.summary()
    assert summary["行数"].sum() == sum(len(df) for df in store.tables.values())


# ---- invariants -----------------------------------------------------------------------


def _all_timestamps(store):
    for name, df in store.tables.items():
        for col in df.columns:
            if pd.api.types.is_datetime64_any_dtype(df[col]) and col not in ("birthday",):
                yield name, col, df[col]


def test_timestamps_within_period(store):
    for name, col, values in _all_timestamps(store):
        if (name, col) in {
            ("customers", "registered_at"),
            ("customers", "first_order_at"),  # members who bought before the period too
            ("agents", "created_at"),
            ("audit_log", "logged_at"),
        }:
            assert values.max() < store.end
            continue
        v = values.dropna()
        assert (v >= store.start).all() and (v < store.end).all(), f"{name}.{col}"


def test_order_timestamps_in_order(big_store):
    o = big_store.orders
    assert (o["paid_at"].isna() | (o["paid_at"] >= o["created_at"])).all()
    assert (o["shipped_at"].isna() | (o["shipped_at"] >= o["paid_at"])).all()
    assert (o["finished_at"].isna() | (o["finished_at"] >= o["shipped_at"])).all()
    assert (o["closed_at"].isna() | (o["closed_at"] >= o["created_at"])).all()
    assert o["shipped_at"].isna()[o["paid_at"].isna()].all()
    assert o["created_at"].is_monotonic_increasing


def test_status_consistent_with_timestamps(big_store):
    o = big_store.orders
    has = {c: o[c].notna() for c in ["paid_at", "shipped_at", "finished_at", "closed_at"]}
    expected = np.select(
        [has["closed_at"], has["finished_at"], has["shipped_at"], has["paid_at"]],
        ["交易关闭", "交易成功", "卖家已发货", "买家已付款"],
        "等待买家付款",
    )
    assert (o["status"].astype(str).to_numpy() == expected).all()
    closed = o[o["status"] == "交易关闭"]
    assert closed["finished_at"].isna().all()
    assert (
        closed["close_reason"].notna().all() and o.loc[o["status"] != "交易关闭", "close_reason"].isna().all()
    )
    # Unpaid orders close within 72 hours; the open ones are younger than that.
    waiting = o[o["status"] == "等待买家付款"]
    assert (waiting["created_at"] >= big_store.end - pd.Timedelta(hours=72)).all()
    assert set(o["status"].unique()) == set(STATUSES)


def test_amounts_add_up(big_store):
    o, items = big_store.orders, big_store.order_items
    goods = (items["unit_price"] * items["quantity"]).groupby(items["order_id"]).sum()
    assert np.allclose(goods.reindex(o["order_id"]).to_numpy(), o["goods_amount"].to_numpy(), atol=0.011)
    assert np.allclose(o["payment"], o["goods_amount"] - o["discount"], atol=0.011)
    assert (o["payment"] > 0).all() and (o["discount"] >= 0).all()
    assert (items["quantity"] >= 1).all() and not items.duplicated(["order_id", "product_id"]).any()


def test_refunds_never_exceed_what_was_bought_and_paid(big_store):
    o, items, r = big_store.orders.set_index("order_id"), big_store.order_items, big_store.refunds
    line = r.merge(items, on=["order_id", "product_id"], suffixes=("", "_bought"), validate="many_to_one")
    assert len(line) == len(r)
    assert (line["quantity"] <= line["quantity_bought"]).all()
    assert (line["amount"] <= line["unit_price"] * line["quantity"] + 0.01).all()
    per_order = r.groupby("order_id")["amount"].sum()
    assert (per_order <= o.loc[per_order.index, "payment"] + 0.01).all()
    paid_at = o.loc[r["order_id"], "paid_at"].to_numpy()
    assert pd.notna(paid_at).all() and (r["applied_at"].to_numpy() >= paid_at).all()
    assert (r.loc[r["refund_type"] == "换货", "amount"] == 0).all()
    done = r["finished_at"].notna()
    assert (r.loc[done, "finished_at"] >= r.loc[done, "applied_at"]).all()
    assert (r["status"] == "处理中").eq(~done).all()
    # The same customer who bought.
    assert (o.loc[r["order_id"], "customer_id"].to_numpy() == r["customer_id"].to_numpy()).all()


def test_fully_refunded_orders_close(big_store):
    o = big_store.orders
    closed_by_refund = o[o["close_reason"] == "全额退款"]
    assert len(closed_by_refund) > 0
    assert closed_by_refund["paid_at"].notna().all()


def test_conversions_belong_to_the_customer_and_come_after_the_chat(big_store):
    c, o = big_store.chats, big_store.orders.set_index("order_id")
    led = c[c["order_id"].notna()]
    orders = o.loc[led["order_id"].astype("int64")]
    assert (orders["customer_id"].to_numpy() == led["customer_id"].to_numpy()).all()
    answered = led["started_at"] + pd.to_timedelta(led["first_response_seconds"], unit="s")
    assert (orders["created_at"].to_numpy() > answered.to_numpy()).all()
    pd.testing.assert_series_equal(
        orders["agent_id"].reset_index(drop=True), led["agent_id"].reset_index(drop=True), check_names=False
    )
    # An order has an agent exactly when a chat answered by an agent (not 店小蜜) led to it;
    # each order at most once.
    assert led["order_id"].is_unique
    assert o["agent_id"].notna().sum() == (led["answered_by"] == "人工").sum()
    assert led.loc[led["answered_by"] == "店小蜜", "agent_id"].isna().all()
    assert (c.loc[c["chat_type"] == "售后", "order_id"].isna()).all()


def test_customers_order_after_registering_and_names_are_unique(big_store):
    first = big_store.orders.groupby("customer_id")["created_at"].min()
    reg = big_store.customers.set_index("customer_id")["registered_at"]
    assert (first >= reg.loc[first.index]).all()
    assert big_store.customers["member_name"].is_unique
    assert big_store.customers["name"].str.len().between(2, 4).all()
    assert big_store.customers["customer_id"].tolist() == list(range(1, len(big_store.customers) + 1))


def test_birthdays_match_ages(store):
    c = store.customers
    last_day = store.end - pd.Timedelta(days=1)
    age = last_day.year - c["birthday"].dt.year
    before_birthday = (c["birthday"].dt.month > last_day.month) | (
        (c["birthday"].dt.month == last_day.month) & (c["birthday"].dt.day > last_day.day)
    )
    assert ((age - before_birthday.astype(int)) - c["age"]).abs().le(1).all()


def test_reminders_happen_while_the_order_is_open(big_store):
    rem = big_store.reminders.merge(big_store.orders, on="order_id", suffixes=("", "_order"))
    assert (rem["reminded_at"] >= rem["created_at"]).all()
    assert (rem["paid_at"].isna() | (rem["paid_at"] >= rem["reminded_at"])).all()
    assert (rem["closed_at"].isna() | (rem["closed_at"] >= rem["reminded_at"])).all()
    assert (rem["paid_after"] == rem["paid_at"].notna()).all()


def test_reviews_and_complaints_follow_their_orders(big_store):
    rv = big_store.reviews.merge(big_store.orders, on="order_id", suffixes=("", "_order"))
    assert (rv["created_at"] >= rv["finished_at"]).all()
    assert (rv["customer_id"] == rv["customer_id_order"]).all()
    cp = big_store.complaints.merge(big_store.orders, on="order_id", suffixes=("", "_order"))
    assert (cp["created_at"] >= cp["paid_at"]).all()
    assert (cp["resolved_at"].isna() | (cp["resolved_at"] >= cp["created_at"])).all()


def test_events_are_sorted_and_valid(store):
    e = store.events
    assert e["occurred_at"].is_monotonic_increasing
    assert e["product_id"].isin(store.products["product_id"]).all()
    assert e["customer_id"].between(1, len(store.customers)).all()


# ---- planted patterns -------------------------------------------------------------------


def test_faster_first_response_converts_more(big_store):
    pre = big_store.chats[big_store.chats["chat_type"] == "售前"]
    converted = pre["order_id"].notna()
    fast = converted[pre["first_response_seconds"] <= 30].mean()
    slow = converted[pre["first_response_seconds"] > 180].mean()
    assert fast - slow > 0.15, (fast, slow)
    by_agent = (
        pre.assign(c=converted)
        .groupby("agent_id")
        .agg(speed=("first_response_seconds", "median"), conv=("c", "mean"))
    )
    assert by_agent["speed"].rank().corr(by_agent["conv"].rank()) < -0.8


def test_spending_is_heavy_tailed(big_store):
    paid = big_store.orders[big_store.orders["paid_at"].notna()]
    spend = paid.groupby("customer_id")["payment"].sum().sort_values(ascending=False)
    share = spend.iloc[: len(spend) // 5].sum() / spend.sum()
    assert 0.55 <= share <= 0.85, share


def test_consumables_are_bought_again_on_their_cycle(big_store):
    items = big_store.order_items.merge(
        big_store.orders[["order_id", "customer_id", "created_at"]], on="order_id"
    )
    items = items.merge(big_store.products[["product_id", "repurchase_cycle_days"]], on="product_id")
    diapers = items[items["product_id"] == 201].sort_values(["customer_id", "created_at"])
    gaps = diapers.groupby("customer_id")["created_at"].diff().dropna().dt.days
    assert len(gaps) > 500
    assert 18 <= gaps.median() <= 30  # cycle: 20 days


def test_customers_churn(big_store):
    orders = big_store.orders.groupby("customer_id")["created_at"]
    quiet = (big_store.end - orders.max()) > pd.Timedelta(days=90)
    # Without churn about 0.31 of buyers are quiet for 90 days (rare buyers) and only 5 % of
    # the regulars (≥ 4 orders); with it more than half, and a third of the regulars.
    assert 0.45 < quiet.mean() < 0.8
    assert quiet[orders.size() >= 4].mean() > 0.2


def test_refund_reasons_differ_by_category(big_store):
    r = big_store.refunds.merge(big_store.products[["product_id", "category"]], on="product_id")
    apparel = r[r["category"] == "童装"]
    assert (apparel["refund_type"] == "换货").mean() > 0.35
    assert apparel["reason"].value_counts().index[0] == "尺码不合适"
    assert (r.loc[r["category"] == "零食", "refund_type"] != "换货").all()
    rate = (
        r.groupby("category", observed=True).size()
        / big_store.order_items.merge(big_store.products[["product_id", "category"]])
        .groupby("category", observed=True)
        .size()
    )
    assert rate.idxmax() == "童装"


def test_reminder_timing_matters(big_store):
    rem = big_store.reminders.merge(big_store.orders[["order_id", "created_at"]], on="order_id")
    hours = (rem["reminded_at"] - rem["created_at"]).dt.total_seconds() / 3600
    sensible = rem.loc[(hours > 0.5) & (hours <= 6), "paid_after"].mean()
    late = rem.loc[hours > 24, "paid_after"].mean()
    too_early = rem.loc[hours < 1 / 6, "paid_after"].mean()
    assert sensible > late + 0.1 and sensible > too_early + 0.05, (sensible, late, too_early)


def test_planted_red_packet_fraud(store):
    agents = store.agents.set_index("nickname")
    fraud_id = agents.loc["小陈", "agent_id"]
    assert agents.loc["小陈", "daily_red_packet_limit"] == 100000
    rp = store.red_packets
    daily = rp.groupby(["agent_id", rp["sent_at"].dt.date])["amount"].sum()
    over = daily[daily > 100]
    assert set(over.index.get_level_values(0)) == {fraud_id}
    theirs = rp[rp["agent_id"] == fraud_id]
    assert 300_000 <= theirs["amount"].sum() <= 350_000
    assert len(theirs) > 2000
    assert theirs["customer_id"].value_counts().iloc[:3].sum() / len(theirs) > 0.9
    night = theirs["sent_at"].dt.hour.isin([23, 0, 1, 2, 3, 4, 5]).mean()
    assert night > 0.9
    change = store.audit_log[store.audit_log["action"] == "修改红包限额"]
    assert len(change) == 1
    assert change.iloc[0]["operator"] == change.iloc[0]["target"] == "乐童优选:小陈"
    assert (change.iloc[0]["before"], change.iloc[0]["after"]) == ("100", "100000")
    # Honest agents stayed within their own limits.
    limits = store.agents.set_index("agent_id")["daily_red_packet_limit"]
    honest = daily.drop(index=fraud_id, level=0)
    assert (honest.to_numpy() <= limits.loc[honest.index.get_level_values(0)].to_numpy()).all()


def test_negative_value_customers_exist(big_store):
    items = big_store.order_items.merge(big_store.products[["product_id", "cost"]], on="product_id")
    paid_orders = big_store.orders.loc[
        big_store.orders["paid_at"].notna(), ["order_id", "customer_id", "payment", "discount"]
    ]
    cost = (items["cost"] * items["quantity"]).groupby(items["order_id"]).sum()
    po = paid_orders.assign(cost=paid_orders["order_id"].map(cost))
    refunded = (
        big_store.refunds[big_store.refunds["status"] == "退款成功"].groupby("customer_id")["amount"].sum()
    )
    by_customer = po.groupby("customer_id")[["payment", "cost"]].sum()
    profit = by_customer["payment"] - by_customer["cost"] - refunded.reindex(by_customer.index, fill_value=0)
    assert 0.005 < (profit < 0).mean() < 0.15
    # Refunds alone make about 2 % of buyers unprofitable; the planted problem customers are
    # the ones with a coupon on (nearly) every order: the unprofitable use coupons far more.
    coupon_share = (po["discount"] > 0).groupby(po["customer_id"]).mean()
    assert coupon_share[profit[profit < 0].index].mean() > 1.3 * coupon_share.mean()


def test_double11_peak_and_daily_rhythm(big_store):
    created = big_store.orders["created_at"]
    per_day = created.dt.date.value_counts()
    assert str(per_day.idxmax()) == "2025-11-11"
    assert per_day.max() > 3 * per_day.median()
    hours = created.dt.hour.value_counts().sort_index()
    assert hours.loc[20:22].mean() > 5 * hours.loc[2:5].mean()
    # The weekly rhythm, outside the festival months (双11 and 618 pull many orders onto
    # their own weekday, a Tuesday and a Wednesday in 2025).
    usual = ~created.dt.month.isin([6, 11])
    weekend = created[usual].dt.day_of_week >= 5
    assert weekend.mean() > 2 / 7


def test_silent_orders_and_chats_are_realistic(store):
    silent = store.orders["agent_id"].isna().mean()
    assert 0.4 < silent < 0.85
    pre = store.chats[store.chats["chat_type"] == "售前"]
    assert 0.4 < pre["order_id"].notna().mean() < 0.8
    assert (store.chats["first_response_seconds"] <= 180).mean() > 0.7


# ---- determinism and sizes ------------------------------------------------------------


def test_same_seed_same_shop_different_seed_different_shop():
    a = simulate_store(400, 60, seed=5)
    b = simulate_store(400, 60, seed=5)
    c = simulate_store(400, 60, seed=6)
    for name in a.tables:
        pd.testing.assert_frame_equal(a.tables[name], b.tables[name])
    assert not a.orders.equals(c.orders)


def test_default_shop_fingerprint():
    """Pin the default shop: a change here changes every lesson and homework answer."""
    store = crm_helpers.load_store()
    assert len(store.orders) == 8362
    assert len(store.chats) == 5051
    assert float(store.orders["payment"].sum()) == pytest.approx(1551262.60, abs=0.01)


@pytest.mark.parametrize("n, days", [(1, 1), (5, 3), (50, 1), (200, 400)])
def test_tiny_and_odd_sizes_work(n, days):
    s = simulate_store(n, days, seed=3)
    assert len(s.customers) == n
    for df in s.tables.values():
        assert isinstance(df, pd.DataFrame)
    assert s.end - s.start == pd.Timedelta(days=days)


def test_start_date_moves_the_calendar():
    s = simulate_store(3000, 30, seed=1, start="2024-11-01")
    assert s.orders["created_at"].min() >= pd.Timestamp("2024-11-01")
    assert str(s.orders["created_at"].dt.date.value_counts().idxmax()) == "2024-11-11"


# ---- bad input ------------------------------------------------------------------------


@pytest.mark.parametrize(
    "kwargs, error, match",
    [
        ({"n_customers": 0}, ValueError, r"n_customers（客户数） 至少要是 1，收到的是 0"),
        ({"n_customers": -5}, ValueError, r"至少要是 1，收到的是 -5"),
        ({"n_customers": 2.5}, TypeError, r"n_customers（客户数） 应该是整数.*2\.5"),
        ({"n_customers": "100"}, TypeError, r"应该是整数.*'100'"),
        ({"n_customers": True}, TypeError, r"应该是整数.*True"),
        ({"n_customers": 10_000_000}, ValueError, r"最多 5,000,000"),
        ({"days": 0}, ValueError, r"days（模拟天数） 至少要是 1，收到的是 0"),
        ({"days": 7.0}, TypeError, r"days（模拟天数） 应该是整数"),
        ({"days": 5000}, ValueError, r"最多 3650"),
        ({"seed": "abc"}, TypeError, r"随机种子 seed 应该是非负整数.*'abc'"),
        ({"seed": 1.5}, TypeError, r"随机种子 seed.*1\.5"),
        ({"seed": -1}, ValueError, r"0 到 2\*\*63-1 之间，收到的是 -1"),
        ({"start": "not a date"}, ValueError, r"start（开始日期）应该是日期.*'not a date'"),
        ({"start": "2025-01-01 08:00"}, ValueError, r"某一天的零点"),
    ],
)
def test_bad_input_is_refused_in_chinese(kwargs, error, match):
    args = {"n_customers": 100, "days": 10, "seed": 1} | kwargs
    with pytest.raises(error, match=match):
        simulate_store(**args)


def test_numpy_integers_are_accepted():
    s = simulate_store(np.int64(50), np.int32(5), seed=np.uint8(3))
    assert len(s.customers) == 50


# ---- a story per seed ---------------------------------------------------------------------


def _culprit_and_slowest(seed: int) -> tuple[str, str]:
    """The 红包 culprit as every table tells it, and the slowest agent (median first response)."""
    from crm_helpers.red_packets import red_packet_alerts

    s = simulate_store(1500, 120, seed=seed)
    agents = s.agents.set_index("agent_id")
    changes = s.audit_log[s.audit_log["action"] == "修改红包限额"]
    assert len(changes) == 1 and changes["operator"].iloc[0] == changes["target"].iloc[0]
    by_log = changes["operator"].iloc[0].split(":")[1]
    raised = agents[agents["daily_red_packet_limit"] > 1000]["nickname"].tolist()
    daily = s.red_packets.groupby(["agent_id", s.red_packets["sent_at"].dt.date])["amount"].sum()
    over = {agents.loc[a, "nickname"] for a, _ in daily[daily > 200].index}
    alerts = red_packet_alerts(s.red_packets, s.agents, s.audit_log, s.shop_name)
    high = alerts[alerts["风险等级"] == "高"]["昵称"].tolist()
    assert raised == [by_log] and over == {by_log} and high == [by_log], (seed, raised, over, high)
    human = s.chats[s.chats["answered_by"] == "人工"]
    speed = human.groupby("agent_id")["first_response_seconds"].median()
    return by_log, agents.loc[speed.idxmax(), "nickname"]


def test_each_seed_tells_its_own_story():
    stories = [_culprit_and_slowest(seed) for seed in (1, 2, 3, 5, 8, 13)]
    assert len({culprit for culprit, _ in stories}) >= 2
    assert len({slowest for _, slowest in stories}) >= 2
    assert _culprit_and_slowest(3) == stories[2]  # deterministic


def test_the_lesson_shop_keeps_the_seed_story(store):
    """Seed 000: 小陈 raised her own limit from 100 to 100000 at night and sent 2000+ packets (≈32万)."""
    change = store.audit_log[store.audit_log["action"] == "修改红包限额"].iloc[0]
    assert change["operator"] == change["target"] == f"{store.shop_name}:小陈"
    assert (change["before"], change["after"]) == ("100", "100000")
    assert change["logged_at"].hour < 5
    assert change["logged_at"].normalize() == pd.Timestamp("2025-05-20")
    speed = store.chats.groupby("agent_id")["first_response_seconds"].median()
    assert store.agents.set_index("agent_id").loc[speed.idxmax(), "nickname"] == "阿强"


def test_first_order_dates_for_care_occasions(big_store):
    """customers.first_order_at (首购纪念日): the first order in the data is on that day when it
    falls inside the period; members who never ordered have none."""
    c = big_store.customers.set_index("customer_id")
    first_in_data = big_store.orders.groupby("customer_id")["created_at"].min()
    inside = c["first_order_at"] >= big_store.start
    both = first_in_data.index.intersection(c.index[inside])
    assert len(both) > 1000
    assert (first_in_data[both].dt.normalize() == c.loc[both, "first_order_at"].dt.normalize()).mean() > 0.99
    assert (first_in_data[both] >= c.loc[both, "first_order_at"]).all()
    assert c.loc[first_in_data.index, "first_order_at"].notna().all()
    assert (c["first_order_at"].dropna() >= c.loc[c["first_order_at"].notna(), "registered_at"]).all()


# ---- data for the coming topics -------------------------------------------------------------


def test_growth_records_follow_their_sources(store):
    """成长值明细表: 交易 = whole 元 of a finished order, 评价 per review, 签到, 完善信息 once."""
    from crm_helpers.simulation.behaviour import GROWTH_POINTS
    from crm_helpers.vocabulary import GROWTH_SOURCES

    g = store.growth
    assert list(g["source"].cat.categories) == list(GROWTH_SOURCES)
    assert set(g["source"]) == set(GROWTH_SOURCES)
    assert g["earned_at"].is_monotonic_increasing
    assert (g["earned_at"] >= store.start).all() and (g["earned_at"] < store.end).all()
    trade = g[g["source"] == "交易"].set_index("order_id")
    finished = store.orders.set_index("order_id").loc[trade.index]
    assert (trade["earned_at"].to_numpy() == finished["finished_at"].to_numpy()).all()
    assert (trade["points"].to_numpy() == finished["payment"].astype(int).to_numpy()).all()
    assert (trade["customer_id"].to_numpy() == finished["customer_id"].to_numpy()).all()
    assert (g.loc[g["source"] == "评价", "order_id"].sort_values().to_numpy()
            == store.reviews["order_id"].sort_values().to_numpy()).all()  # fmt: skip
    for source in ("签到", "评价", "完善信息"):
        assert (g.loc[g["source"] == source, "points"] == GROWTH_POINTS[source]).all()
    assert g.loc[g["source"] == "完善信息", "customer_id"].is_unique
    assert g.loc[g["source"].isin(["签到", "完善信息"]), "order_id"].isna().all()
    joined = g.merge(store.customers[["customer_id", "registered_at"]], on="customer_id")
    assert (joined["earned_at"] >= joined["registered_at"]).all()


def test_chat_questions_match_their_topic(store):
    """Each chat carries a typical question of its topic (crm_helpers/data/chat_questions.csv)."""
    questions = crm_helpers._data.read_data_table("chat_questions")
    topic_of = dict(zip(questions["question"], questions["topic"]))
    chats = store.chats
    assert chats["question"].notna().all()
    assert (chats["question"].astype(str).map(topic_of) == chats["topic"].astype(str)).all()
    assert set(questions["topic"]) == set(crm_helpers._data.read_data_table("chat_topics")["topic"])


def test_complaint_types_come_from_the_vocabulary(store):
    from crm_helpers.vocabulary import COMPLAINT_TYPES

    types = store.complaints["complaint_type"]
    assert list(types.cat.categories) == list(COMPLAINT_TYPES) and set(types) == set(COMPLAINT_TYPES)


def test_two_years_of_behaviour_for_every_product(store):
    """浏览/加购/收藏 in both years, for (almost) every product: tags' sources for lesson 06."""
    ev = store.events
    per = ev.groupby([ev["occurred_at"].dt.year, "event_type"], observed=True).size()
    for year in (2024, 2025):
        assert all(per.loc[(year, kind)] > 100 for kind in ("浏览", "加购", "收藏"))
    assert set(ev["product_id"]) == set(store.products["product_id"])
