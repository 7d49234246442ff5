"""Tests for crm_helpers.red_packets: tiny hand-built tables, the planted fraud, bad input."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

import crm_helpers
from crm_helpers import red_packets as rp

MAIN = "店"
T = pd.Timestamp


# ---- the tiny shop ----------------------------------------------------------------------------
#
# agents: 1 店:甲 (limit 200 now), 2 店:乙 (1000 now: raised by 乙 itself), 3 店:丙 (20, never
# set by the main account in the log).
# audit_log (not in time order on purpose):
#   0  2024-01-01 09:00  店     新建员工      店:甲
#   1  2024-01-01 09:01  店     设置红包限额  店:甲  0 → 100   成功
#   2  2024-01-01 09:02  店     设置红包限额  店:乙  0 → 50    成功
#   3  2024-03-01 03:00  店:乙  修改红包限额  店:乙  50 → 1000 成功   ← unauthorised
#   4  2024-02-01 10:00  店     修改红包限额  店:甲  100 → 200 成功
#   5  2024-03-02 10:00  店:甲  修改权限      店:甲  …        拒绝   ← refused attempt
#   6  2024-03-03 10:00  店     设置红包限额  店:乙  50 → 9999 拒绝   ← not an authorisation
#   7  2024-03-04 10:00  店:丙  查看订单      ''                成功   ← not a change


def make_agents() -> pd.DataFrame:
    return pd.DataFrame(
        {
            "agent_id": [1, 2, 3],
            "account_name": ["店:甲", "店:乙", "店:丙"],
            "nickname": ["甲", "乙", "丙"],
            "daily_red_packet_limit": [200.0, 1000.0, 20.0],
        }
    )


def make_log() -> pd.DataFrame:
    rows = [
        ("2024-01-01 09:00", MAIN, "新建员工", "店:甲", "", "岗位=客服", "成功"),
        ("2024-01-01 09:01", MAIN, "设置红包限额", "店:甲", "0", "100", "成功"),
        ("2024-01-01 09:02", MAIN, "设置红包限额", "店:乙", "0", "50", "成功"),
        ("2024-03-01 03:00", "店:乙", "修改红包限额", "店:乙", "50", "1000", "成功"),
        ("2024-02-01 10:00", MAIN, "修改红包限额", "店:甲", "100", "200", "成功"),
        ("2024-03-02 10:00", "店:甲", "修改权限", "店:甲", "发红包", "发红包、订单改价", "拒绝"),
        ("2024-03-03 10:00", MAIN, "设置红包限额", "店:乙", "50", "9999", "拒绝"),
        ("2024-03-04 10:00", "店:丙", "查看订单", "", "", "", "成功"),
    ]
    log = pd.DataFrame(
        rows, columns=["logged_at", "operator", "action", "target", "before", "after", "result"]
    )
    log["logged_at"] = pd.to_datetime(log["logged_at"])
    return log


# red packets: (agent, customer, sent_at, amount)
PACKETS = [
    (1, 11, "2023-12-31 12:00", 30.0),  # before any authorisation → 员工表 limit 200
    (1, 11, "2024-01-10 09:00", 60.0),  # 01-10: 60 + 40 = 100 = limit → not over
    (1, 12, "2024-01-10 18:00", 40.0),
    (1, 11, "2024-01-11 09:00", 60.0),  # 01-11: 100.01 > 100 → over by 0.01
    (1, 13, "2024-01-11 10:00", 40.01),
    (1, 11, "2024-02-01 08:00", 150.0),  # raised to 200 at 10:00 the same day → not over
    (1, 14, "2024-02-02 09:00", 60.4),  # 60.4 + 60.2 + 79.4 = 200 = limit → not over
    (1, 15, "2024-02-02 10:00", 60.2),
    (1, 16, "2024-02-02 11:00", 79.4),
    (2, 21, "2024-03-01 04:00", 500.0),  # authorised 50 → over by 450; 员工表 1000 → not over
    (3, 31, "2024-01-05 05:59:59", 10.0),  # no authorisation → 员工表 20
    (0, 41, "2024-01-05 06:00:00", 99.0),  # not in agents (the main account) → no limit
]


def make_packets() -> pd.DataFrame:
    df = pd.DataFrame(PACKETS, columns=["agent_id", "customer_id", "sent_at", "amount"])
    df["sent_at"] = pd.to_datetime(df["sent_at"], format="ISO8601")
    df.insert(0, "red_packet_id", np.arange(1, len(df) + 1))
    return df


# ---- 1. authorised_limits -----------------------------------------------------------------------


def test_authorised_limits_only_main_account_successes_latest_wins():
    limits = rp.authorised_limits(make_log(), MAIN)
    assert limits.name == "授权限额"
    assert limits.index.name == "target"
    # 甲: 100 then 200 (the later one, although logged earlier in the table); 乙: 50 -- its
    # own change to 1000 and the main account's refused 9999 do not count; 丙: never set.
    assert limits.to_dict() == {"店:乙": 50.0, "店:甲": 200.0}


def test_authorised_limits_simulated_shop(store):
    limits = rp.authorised_limits(store.audit_log, store.shop_name)
    assert limits["乐童优选:小陈"] == 100
    assert limits["乐童优选:晓雯"] == 200
    assert len(limits) == len(store.agents)


# ---- 2. unauthorised_changes --------------------------------------------------------------------


def test_unauthorised_changes_successes_by_default():
    found = rp.unauthorised_changes(make_log(), MAIN)
    assert list(found.index) == [3]
    assert found.loc[3, "operator"] == "店:乙"
    assert found.loc[3, "说明"] == "店:乙 给自己把红包限额从50元改成1000元（不是主账号，已生效）"


def test_unauthorised_changes_include_refused_sorted_by_time():
    found = rp.unauthorised_changes(make_log(), MAIN, include_refused=True)
    assert list(found.index) == [3, 5]  # the main account's refused row 6 is not listed
    assert list(found["result"]) == ["成功", "拒绝"]
    assert "被系统拒绝" in found.loc[5, "说明"]
    assert "权限" in found.loc[5, "说明"]
    assert list(found.columns[:-1]) == list(make_log().columns)


def test_unauthorised_changes_someone_else_and_none_found():
    log = make_log()
    log.loc[3, "operator"] = "店:甲"  # 甲 raised 乙's limit
    found = rp.unauthorised_changes(log, MAIN)
    assert found.loc[3, "说明"].startswith("店:甲 给 店:乙 把红包限额从50元改成1000元")
    clean = make_log().drop(index=[3, 5])
    assert rp.unauthorised_changes(clean, MAIN, include_refused=True).empty


def test_unauthorised_changes_simulated_shop(store):
    found = rp.unauthorised_changes(store.audit_log, store.shop_name)
    assert len(found) == 1
    row = found.iloc[0]
    assert (row["operator"], row["target"], row["before"], row["after"]) == (
        "乐童优选:小陈",
        "乐童优选:小陈",
        "100",
        "100000",
    )
    assert row["logged_at"].hour < 6  # at night


# ---- 3. daily_red_packet_totals -----------------------------------------------------------------


def test_daily_totals_with_authorised_limits():
    daily = rp.daily_red_packet_totals(make_packets(), make_agents(), make_log(), MAIN)
    assert list(daily.columns) == ["agent_id", "日期", "次数", "金额", "限额", "限额来源", "超限", "超出金额"]
    rows = {(r.agent_id, r.日期.strftime("%m-%d")): r for r in daily.itertuples()}
    assert len(rows) == len(daily) == 8
    expect = {  # (agent, day): (次数, 金额, 限额, 来源, 超限, 超出金额)
        (1, "12-31"): (1, 30.0, 200.0, "员工表", False, 0.0),
        (1, "01-10"): (2, 100.0, 100.0, "主账号授权", False, 0.0),  # exactly at the limit
        (1, "01-11"): (2, 100.01, 100.0, "主账号授权", True, 0.01),
        (1, "02-01"): (1, 150.0, 200.0, "主账号授权", False, 0.0),
        (1, "02-02"): (3, 200.0, 200.0, "主账号授权", False, 0.0),
        (2, "03-01"): (1, 500.0, 50.0, "主账号授权", True, 450.0),
        (3, "01-05"): (1, 10.0, 20.0, "员工表", False, 0.0),
    }
    for key, (n, amount, limit, source, over, extra) in expect.items():
        r = rows[key]
        assert (r.次数, r.金额, r.限额, r.限额来源, r.超限, r.超出金额) == (
            n,
            amount,
            limit,
            source,
            over,
            extra,
        ), key
    unknown = rows[(0, "01-05")]
    assert np.isnan(unknown.限额) and unknown.限额来源 == "未知" and not unknown.超限
    assert list(daily["agent_id"]) == sorted(daily["agent_id"])
    assert daily["超限"].dtype == bool


def test_daily_totals_float_sums_at_the_limit_are_not_over():
    # Summed alone, 60.4 + 60.2 + 79.4 gives 200.00000000000003 in floating point.
    packets = make_packets().iloc[6:9]
    daily = rp.daily_red_packet_totals(packets, make_agents())
    assert (daily["金额"].iloc[0], daily["限额"].iloc[0], daily["超限"].iloc[0]) == (200, 200, False)
    assert daily["超出金额"].iloc[0] == 0


def test_daily_totals_without_log_use_the_agents_table():
    daily = rp.daily_red_packet_totals(make_packets(), make_agents())
    assert set(daily["限额来源"]) == {"员工表", "未知"}
    # 乙's 500 is under the 1000 it gave itself: the current limit hides the abuse.
    assert not daily["超限"].any()


def test_daily_totals_limit_lowered_later_does_not_reach_back():
    log = make_log()
    log.loc[len(log)] = [T("2024-06-01 10:00"), MAIN, "修改红包限额", "店:甲", "200", "10", "成功"]
    daily = rp.daily_red_packet_totals(make_packets(), make_agents(), log, MAIN)
    feb = daily[(daily["agent_id"] == 1) & (daily["日期"] == T("2024-02-02"))].iloc[0]
    assert feb["限额"] == 200 and not feb["超限"]
    assert rp.authorised_limits(log, MAIN)["店:甲"] == 10


def test_daily_totals_time_zones():
    packets, log = make_packets(), make_log()
    packets["sent_at"] = packets["sent_at"].dt.tz_localize("Asia/Shanghai")
    log["logged_at"] = log["logged_at"].dt.tz_localize("Asia/Shanghai")
    daily = rp.daily_red_packet_totals(packets, make_agents(), log, MAIN)
    assert str(daily["日期"].dt.tz) == "Asia/Shanghai"
    assert daily["超限"].sum() == 2
    with pytest.raises(ValueError, match="时区"):
        rp.daily_red_packet_totals(packets, make_agents(), make_log(), MAIN)


def test_daily_totals_text_times_and_own_column_names():
    packets = make_packets().rename(
        columns={"agent_id": "客服", "amount": "金额（元）", "sent_at": "时间", "customer_id": "买家"}
    )
    packets["时间"] = packets["时间"].dt.strftime("%Y-%m-%d %H:%M:%S")  # as read from a CSV
    agents = make_agents().rename(
        columns={"agent_id": "编号", "account_name": "账号", "daily_red_packet_limit": "限额"}
    )
    log = make_log().rename(columns={"logged_at": "时间", "operator": "操作人", "after": "新值"})
    daily = rp.daily_red_packet_totals(
        packets,
        agents,
        log,
        MAIN,
        packet_agent_col="客服",
        amount_col="金额（元）",
        sent_col="时间",
        agent_col="编号",
        account_name_col="账号",
        daily_red_packet_limit_col="限额",
        logged_col="时间",
        operator_col="操作人",
        after_col="新值",
    )
    expected = rp.daily_red_packet_totals(make_packets(), make_agents(), make_log(), MAIN)
    pd.testing.assert_frame_equal(
        daily.drop(columns=["客服", "日期"]), expected.drop(columns=["agent_id", "日期"]), check_dtype=False
    )


# ---- 4. repeated_recipients ---------------------------------------------------------------------


def test_repeated_recipients_threshold_and_shares():
    packets = make_packets()
    # 甲 (9 packets, 580.01 元) sent 4 of them (300 元) to customer 11; every other pair has 1.
    pairs = rp.repeated_recipients(packets, min_packets=4)
    assert list(pairs.columns) == ["agent_id", "customer_id", "次数", "金额", "次数占比", "金额占比"]
    assert pairs.empty is False
    row = pairs.iloc[0]
    assert (row["agent_id"], row["customer_id"], row["次数"], row["金额"]) == (1, 11, 4, 300.0)
    assert row["次数占比"] == pytest.approx(4 / 9)
    assert row["金额占比"] == pytest.approx(300 / 580.01)
    assert len(pairs) == 1
    assert rp.repeated_recipients(packets, min_packets=5).empty  # 4 packets < 5
    assert len(rp.repeated_recipients(packets, min_packets=1)) == 9


def test_repeated_recipients_zero_money_share_is_empty():
    packets = make_packets()
    packets["amount"] = 0.0
    pairs = rp.repeated_recipients(packets, min_packets=4)
    assert np.isnan(pairs["金额占比"].iloc[0])


def test_repeated_recipients_simulated_shop(store):
    pairs = rp.repeated_recipients(store.red_packets)
    assert set(pairs["agent_id"]) == {2}
    assert len(pairs) == 3
    assert pairs["次数占比"].sum() > 0.9
    assert list(pairs["次数"]) == sorted(pairs["次数"], reverse=True)


# ---- 5. odd_hour_share --------------------------------------------------------------------------


def test_odd_hour_share_boundaries():
    packets = pd.DataFrame(
        {
            "agent_id": [1, 1, 1, 1, 2],
            "sent_at": pd.to_datetime(
                [
                    "2024-01-01 00:00",
                    "2024-01-01 05:59:59",
                    "2024-01-01 06:00",
                    "2024-01-01 23:59",
                    "2024-01-02 03:00",
                ],
                format="ISO8601",
            ),
        }
    )
    share = rp.odd_hour_share(packets)
    assert share.name == "非工作时间占比" and share.index.name == "agent_id"
    assert share.to_dict() == {1: 0.5, 2: 1.0}  # 00:00 and 05:59:59 in; 06:00 and 23:59 out
    assert rp.odd_hour_share(packets, hours=[23, 6]).to_dict() == {1: 0.5, 2: 0.0}
    assert rp.odd_hour_share(packets, hours=np.arange(24)).to_dict() == {1: 1.0, 2: 1.0}


def test_odd_hour_share_simulated_shop(store):
    share = rp.odd_hour_share(store.red_packets)
    assert share[2] > 0.8
    assert (share.drop(2) < 0.5).all()


# ---- 6. red_packet_alerts -----------------------------------------------------------------------


def one_agent_case(
    *, own_change=False, refused=False, table_limit=100.0, packets=((11, "2024-05-01 10:00", 50.0),)
):
    """One agent 店:甲, authorised 100 元 a day by the main account, with optional extras."""
    agents = pd.DataFrame(
        {
            "agent_id": [1],
            "account_name": ["店:甲"],
            "nickname": ["甲"],
            "daily_red_packet_limit": [table_limit],
        }
    )
    rows = [("2024-01-01 09:00", MAIN, "设置红包限额", "店:甲", "0", "100", "成功")]
    if own_change:
        rows.append(("2024-04-01 02:00", "店:甲", "修改红包限额", "店:甲", "100", "5000", "成功"))
    if refused:
        rows.append(("2024-04-02 02:00", "店:甲", "修改红包限额", "店:甲", "100", "5000", "拒绝"))
    log = pd.DataFrame(
        rows, columns=["logged_at", "operator", "action", "target", "before", "after", "result"]
    )
    log["logged_at"] = pd.to_datetime(log["logged_at"])
    red = pd.DataFrame(packets, columns=["customer_id", "sent_at", "amount"])
    red["sent_at"] = pd.to_datetime(red["sent_at"])
    red.insert(0, "agent_id", 1)
    return red, agents, log


NIGHT_TO_ONE = tuple((11, f"2024-05-0{d} 0{h}:00", 10.0) for d in (1, 2) for h in (1, 2))  # 4 × 10 元
OVER_ONCE = ((12, "2024-05-03 10:00", 60.0), (13, "2024-05-03 11:00", 60.0))  # 120 > 100


@pytest.mark.parametrize(
    ("case", "level", "count"),
    [
        ({}, "低", 0),
        ({"packets": OVER_ONCE}, "中", 1),  # over the limit alone
        ({"own_change": True}, "中", 1),  # a change alone, nothing spent over
        ({"refused": True}, "中", 1),  # a refused attempt alone
        ({"packets": NIGHT_TO_ONE}, "中", 2),  # patterns only, no broken rule
        ({"own_change": True, "table_limit": 5000.0, "packets": OVER_ONCE}, "高", 2),
        ({"packets": NIGHT_TO_ONE + OVER_ONCE}, "高", 3),
        ({"table_limit": 5000.0, "refused": True}, "高", 2),  # raised without a log entry + attempt
    ],
)
def test_alert_risk_rule(case, level, count):
    red, agents, log = one_agent_case(**case)
    alerts = rp.red_packet_alerts(red, agents, log, MAIN, min_packets=4)
    row = alerts.loc[1]
    assert (row["风险等级"], row["疑点数"]) == (level, count), row["说明"]
    assert (row["说明"] == "未发现异常") == (level == "低")


def test_alert_explanations():
    red, agents, log = one_agent_case(
        own_change=True, refused=True, table_limit=5000.0, packets=NIGHT_TO_ONE + OVER_ONCE
    )
    note = rp.red_packet_alerts(red, agents, log, MAIN, min_packets=4).loc[1, "说明"]
    assert note == (
        "擅自把自己的红包限额从100元改成5000元；有1天超过授权限额（共超出20元）；"
        "67%的红包发给同1个账号（每个至少4个）；67%在0:00-5:59（非工作时间）发出；"
        "1次试图修改限额或权限被系统拒绝"
    )
    red, agents, log = one_agent_case(table_limit=5000.0)
    note = rp.red_packet_alerts(red, agents, log, MAIN).loc[1, "说明"]
    assert note == "员工表里的当前限额5000元高于主账号授权的100元"


def test_alerts_on_tiny_shop_columns_and_order():
    alerts = rp.red_packet_alerts(make_packets(), make_agents(), make_log(), MAIN, min_packets=4)
    assert list(alerts.columns) == [
        "账号名", "昵称", "当前限额", "授权限额", "红包次数", "红包金额", "单日最高金额", "超限天数", "超出金额",
        "集中收款账号数", "集中收款占比", "非工作时间占比", "擅自改动次数", "越权尝试次数", "疑点数", "风险等级", "说明",
    ]  # fmt: skip
    assert alerts.index.name == "agent_id"
    assert list(alerts.index) == [1, 2, 0, 3]  # 高 by money (580.01 > 500), then 低 (99 > 10)
    assert list(alerts["风险等级"]) == ["高", "高", "低", "低"]
    assert alerts.loc[2, "说明"].startswith("擅自把自己的红包限额从50元改成1000元；有1天超过")
    # 甲: over on 01-11 by 0.01, and a refused attempt to widen its permissions.
    assert (alerts.loc[1, "超限天数"], alerts.loc[1, "超出金额"], alerts.loc[1, "越权尝试次数"]) == (
        1,
        0.01,
        1,
    )
    assert alerts.loc[0, "账号名"] == "（员工表中没有）" and np.isnan(alerts.loc[0, "当前限额"])
    assert np.isnan(alerts.loc[3, "授权限额"])
    assert list(alerts["风险等级"].cat.categories) == ["低", "中", "高"]


def test_alerts_change_by_someone_else_flags_both():
    log = make_log()
    log.loc[3, "operator"] = "店:甲"  # 甲 raised 乙's limit
    alerts = rp.red_packet_alerts(make_packets(), make_agents(), log, MAIN)
    assert alerts.loc[1, "擅自改动次数"] == 1 and alerts.loc[2, "擅自改动次数"] == 1
    assert alerts.loc[1, "说明"].startswith("擅自把 店:乙 的红包限额从50元改成1000元")
    assert alerts.loc[2, "说明"].startswith("红包限额被 店:甲 擅自从50元改成1000元")


def test_alerts_without_nickname_column():
    agents = make_agents().drop(columns="nickname")
    alerts = rp.red_packet_alerts(make_packets(), agents, make_log(), MAIN, nickname_col=None)
    assert "昵称" not in alerts.columns


def check_planted_case(shop):
    alerts = rp.red_packet_alerts(shop.red_packets, shop.agents, shop.audit_log, shop.shop_name)
    assert len(alerts) == len(shop.agents)
    high = alerts[alerts["风险等级"] == "高"]
    assert list(high["昵称"]) == ["小陈"]
    assert (alerts.drop(high.index)["风险等级"] == "低").all()
    chen = high.iloc[0]
    assert (chen["当前限额"], chen["授权限额"]) == (100000, 100)
    assert chen["超限天数"] == 5
    assert chen["擅自改动次数"] == 1
    assert chen["集中收款账号数"] == 3
    assert chen["红包次数"] > 2000 and chen["红包金额"] > 300_000
    assert chen["集中收款占比"] > 0.8 and chen["非工作时间占比"] > 0.8
    assert chen["说明"].startswith("擅自把自己的红包限额从100元改成10万元；有5天超过授权限额")
    return alerts


def test_planted_case_default_shop(store):
    alerts = check_planted_case(store)
    assert alerts.index[0] == 2


def test_planted_case_bigger_shop(big_store):
    """Another seed tells its own story (RedPacketFraudPattern.for_seed): its culprit, limit, accounts."""
    from crm_helpers.patterns import RedPacketFraudPattern
    from crm_helpers.simulation.inputs import fraud_culprits

    story = RedPacketFraudPattern().for_seed(11, fraud_culprits(crm_helpers._data.read_data_table("agents")))
    alerts = rp.red_packet_alerts(
        big_store.red_packets, big_store.agents, big_store.audit_log, big_store.shop_name
    )
    high = alerts[alerts["风险等级"] == "高"]
    assert list(high["昵称"]) == [story.agent] != ["小陈"]
    assert (alerts.drop(high.index)["风险等级"] == "低").all()
    culprit = high.iloc[0]
    assert (culprit["当前限额"], culprit["授权限额"]) == (story.new_limit, 100)
    assert culprit["擅自改动次数"] == 1 and culprit["集中收款账号数"] == story.accounts
    assert culprit["红包次数"] >= story.packets and culprit["非工作时间占比"] > 0.5


# ---- bad input ----------------------------------------------------------------------------------


def call_all(packets, agents, log, main=MAIN):
    """Call every function on the given tables (used for input checks and non-modification)."""
    rp.authorised_limits(log, main)
    rp.unauthorised_changes(log, main, include_refused=True)
    rp.daily_red_packet_totals(packets, agents, log, main)
    rp.repeated_recipients(packets, min_packets=2)
    rp.odd_hour_share(packets)
    return rp.red_packet_alerts(packets, agents, log, main, min_packets=2)


def test_inputs_are_not_modified(store):
    tables = [make_packets(), make_agents(), make_log()]
    copies = [t.copy(deep=True) for t in tables]
    call_all(*tables)
    for table, copy in zip(tables, copies):
        pd.testing.assert_frame_equal(table, copy)
    shop_tables = [store.red_packets, store.agents, store.audit_log]
    shop_copies = [t.copy(deep=True) for t in shop_tables]
    call_all(*shop_tables, main=store.shop_name)
    for table, copy in zip(shop_tables, shop_copies):
        pd.testing.assert_frame_equal(table, copy)


def test_not_a_dataframe():
    with pytest.raises(TypeError, match="DataFrame"):
        rp.odd_hour_share([1, 2, 3])
    with pytest.raises(TypeError, match="DataFrame"):
        rp.authorised_limits({"operator": [MAIN]}, MAIN)
    with pytest.raises(TypeError, match="DataFrame"):
        rp.daily_red_packet_totals(make_packets(), "agents.csv")


def test_empty_tables():
    with pytest.raises(ValueError, match="空的"):
        rp.repeated_recipients(make_packets().iloc[:0])
    with pytest.raises(ValueError, match="空的"):
        rp.unauthorised_changes(make_log().iloc[:0], MAIN)
    with pytest.raises(ValueError, match="数据表 agents 是空的"):
        rp.red_packet_alerts(make_packets(), make_agents().iloc[:0], make_log(), MAIN)


def test_missing_columns():
    with pytest.raises(ValueError, match="缺少列 'amount'"):
        rp.daily_red_packet_totals(make_packets().drop(columns="amount"), make_agents())
    with pytest.raises(ValueError, match="缺少列 'customer_id'"):
        rp.repeated_recipients(make_packets().drop(columns="customer_id"))
    with pytest.raises(ValueError, match="缺少列 'result'"):
        rp.authorised_limits(make_log().drop(columns="result"), MAIN)
    with pytest.raises(ValueError, match="缺少列 'before'"):
        rp.unauthorised_changes(make_log().drop(columns="before"), MAIN)
    with pytest.raises(ValueError, match="缺少列 'nickname'"):
        rp.red_packet_alerts(make_packets(), make_agents().drop(columns="nickname"), make_log(), MAIN)


def test_bad_amounts():
    packets = make_packets()
    packets.loc[3, "amount"] = -5.0
    with pytest.raises(ValueError, match="负数"):
        rp.daily_red_packet_totals(packets, make_agents())
    packets = make_packets()
    packets["amount"] = packets["amount"].astype(str)
    with pytest.raises(ValueError, match="应该是数字"):
        rp.repeated_recipients(packets)
    packets = make_packets()
    packets.loc[2, "amount"] = np.nan
    with pytest.raises(ValueError, match="缺失的红包金额"):
        rp.red_packet_alerts(packets, make_agents(), make_log(), MAIN)
    agents = make_agents()
    agents.loc[0, "daily_red_packet_limit"] = -1.0
    with pytest.raises(ValueError, match="负数"):
        rp.daily_red_packet_totals(make_packets(), agents)


def test_bad_limits_in_the_log():
    log = make_log()
    log.loc[1, "after"] = "一百"
    with pytest.raises(ValueError, match="设置红包限额的新值"):
        rp.authorised_limits(log, MAIN)
    log.loc[1, "after"] = "-100"
    with pytest.raises(ValueError, match="索引为 1 的那一行"):
        rp.daily_red_packet_totals(make_packets(), make_agents(), log, MAIN)


@pytest.mark.filterwarnings("ignore:Could not infer format")  # pandas, while failing to read 昨天
def test_missing_timestamps():
    packets = make_packets()
    packets.loc[4, "sent_at"] = pd.NaT
    with pytest.raises(ValueError, match="缺失的发放时间"):
        rp.odd_hour_share(packets)
    with pytest.raises(ValueError, match="缺失的发放时间"):
        rp.daily_red_packet_totals(packets, make_agents())
    log = make_log()
    log.loc[2, "logged_at"] = pd.NaT
    with pytest.raises(ValueError, match="缺失的操作时间"):
        rp.authorised_limits(log, MAIN)
    packets = make_packets()
    packets["sent_at"] = "昨天"
    with pytest.raises(ValueError, match="应该是时间"):
        rp.odd_hour_share(packets)


def test_bad_main_account():
    with pytest.raises(ValueError, match="找不到主账号 '乐童'"):
        rp.authorised_limits(make_log(), "乐童")
    with pytest.raises(TypeError, match="主账号"):
        rp.unauthorised_changes(make_log(), None)
    with pytest.raises(ValueError, match="要么都给"):
        rp.daily_red_packet_totals(make_packets(), make_agents(), make_log())
    with pytest.raises(TypeError, match="include_refused"):
        rp.unauthorised_changes(make_log(), MAIN, include_refused="yes")


def test_bad_parameters():
    packets = make_packets()
    with pytest.raises(TypeError, match="hours"):
        rp.odd_hour_share(packets, hours="0-6")
    with pytest.raises(ValueError, match="24"):
        rp.odd_hour_share(packets, hours=[23, 24])
    with pytest.raises(ValueError, match="空的"):
        rp.odd_hour_share(packets, hours=[])
    with pytest.raises(ValueError, match="min_packets 至少要是 1"):
        rp.repeated_recipients(packets, min_packets=0)
    with pytest.raises(TypeError, match="整数"):
        rp.repeated_recipients(packets, min_packets=2.5)
    with pytest.raises(ValueError, match="0 到 1 之间"):
        rp.red_packet_alerts(packets, make_agents(), make_log(), MAIN, concentration_threshold=50)
    with pytest.raises(ValueError, match="odd_hour_threshold"):
        rp.red_packet_alerts(packets, make_agents(), make_log(), MAIN, odd_hour_threshold=-0.1)


def test_duplicate_agents():
    agents = pd.concat([make_agents(), make_agents().iloc[[0]]], ignore_index=True)
    with pytest.raises(ValueError, match="员工编号 1 出现了不止一次"):
        rp.daily_red_packet_totals(make_packets(), agents)


def test_plot_daily_totals_marks_the_over_limit_days(store):
    import matplotlib.pyplot as plt

    from crm_helpers.red_packets import daily_red_packet_totals, plot_daily_totals

    log = store.audit_log
    daily = daily_red_packet_totals(store.red_packets, store.agents, log, store.shop_name)
    ax = plot_daily_totals(daily, 2, title="小陈每天发出的红包金额")
    red, blue = ax.containers[1], ax.containers[0]
    assert len(red) == int(daily.loc[daily["agent_id"] == 2, "超限"].sum()) and len(blue) > len(red)
    assert ax.get_yscale() == "log" and ax.get_title() == "小陈每天发出的红包金额"
    with pytest.raises(ValueError, match="没有员工编号 99"):
        plot_daily_totals(daily, 99, title="t")
    plt.close("all")
