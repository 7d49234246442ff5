"""The simulated 千牛 workbench: sub-accounts, permissions, limits, audit log, monitoring."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

import crm_helpers
from crm_helpers import vocabulary
from crm_helpers.red_packets import CHANGE_ACTIONS, unauthorised_changes
from crm_helpers.vocabulary import (
    AUDIT_ACTIONS,
    AUDIT_RESULTS,
    LIMIT_ACTIONS,
    PERMISSION_CHANGE_ACTIONS,
    ROLE_NAMES,
)
from crm_helpers.vocabulary import MAIN_ONLY_ACTIONS as MAIN_ONLY
from crm_helpers.workbench import (
    DEPARTMENTS,
    PERMISSIONS,
    ROLES,
    PermissionDenied,
    Session,
    Workbench,
    permission_matrix,
)
from crm_helpers.workbench._table import TIME, Table
from crm_helpers.workbench.core import OPERATIONS, Entry, Logged, operation

SHOP = "乐童优选"
XIAOHUI = dict(
    role="客服",
    account_name=f"{SHOP}:小会",
    password="Kefu2025!",
    department="客服部",
    phone="13800138000",
    certificate_limit=1,
)


@pytest.fixture(scope="module")
def store():
    return crm_helpers.simulate_store(300, 20, seed=8)


@pytest.fixture
def wb(store):
    return Workbench(store)


def refused(wb):
    log = wb.audit_log
    return log[log["result"] == "拒绝"]


# ---- 新建员工 ---------------------------------------------------------------------------


def test_create_sub_account_with_least_privilege(wb):
    boss = wb.main_account()
    assert boss.create_sub_account(**XIAOHUI) == f"{SHOP}:小会"
    row = wb.sub_accounts.set_index("account_name").loc[f"{SHOP}:小会"]
    assert row["role"] == "客服" and row["department"] == "客服部"
    assert row["daily_red_packet_limit"] == 100
    assert row["phone"] == "138****8000"
    assert wb.permissions_of(f"{SHOP}:小会") == ROLES["客服"].permissions
    new = wb.audit_log.tail(3)
    assert new["action"].tolist() == ["新建员工", "设置权限", "设置红包限额"]
    assert (new["operator"] == SHOP).all() and (new["result"] == "成功").all()
    assert new["logged_at"].is_monotonic_increasing


@pytest.mark.parametrize(
    "field, value, error, match",
    [
        ("role", "客服专员", ValueError, r"岗位（role） 不能是 '客服专员'.*'客服'"),
        ("account_name", "小会", ValueError, r"账号名（account_name）的格式应该是 主账号名:子账号名.*'小会'"),
        (
            "account_name",
            "别的店:小会",
            ValueError,
            r"冒号前面必须是主账号名 乐童优选，收到的是 '别的店'",
        ),
        ("account_name", f"{SHOP}:小 会", ValueError, r"子账号名 '小 会' 不合规"),
        ("account_name", f"{SHOP}:", ValueError, r"子账号名 '' 不合规"),
        ("account_name", f"{SHOP}:小美", ValueError, r"乐童优选:小美 已经存在"),
        ("password", "Ab1!", ValueError, r"密码（password）按本课程的规定应该是 8～20 位，现在是 4 位"),
        ("password", "abcdefghij", ValueError, r"密码（password）太简单"),
        ("password", "Kefu 2025!", ValueError, r"不能包含空格"),
        ("password", "小会2025abc", ValueError, r"不能包含子账号名"),
        ("password", 12345678, TypeError, r"密码（password）应该是文字（str），收到的是 int"),
        ("department", "销售部", ValueError, r"部门（department） 不能是 '销售部'"),
        ("department", "财务部", ValueError, r"岗位“客服”属于客服部，收到的部门是 财务部"),
        ("phone", "1380013800", ValueError, r"11 位手机号码.*'1380013800'"),
        ("phone", "12800138000", ValueError, r"第二位是 3～9"),
        ("phone", 13800138000, ValueError, r"安全验证手机（phone）"),
        ("certificate_limit", 0, ValueError, r"证书允许开启数量（certificate_limit） 至少要是 1，收到的是 0"),
        ("certificate_limit", 1.5, TypeError, r"证书允许开启数量（certificate_limit） 应该是整数"),
        ("certificate_limit", 11, ValueError, r"最多 10，收到的是 11"),
    ],
)
def test_every_field_is_validated(wb, field, value, error, match):
    before = wb.sub_accounts
    with pytest.raises(error, match=match):
        wb.main_account().create_sub_account(**(XIAOHUI | {field: value}))
    pd.testing.assert_frame_equal(wb.sub_accounts, before)  # nothing half-done


def test_quota_of_sub_accounts(wb):
    boss = wb.main_account()
    for i in range(20 - len(wb.sub_accounts)):
        boss.create_sub_account(**(XIAOHUI | {"account_name": f"{SHOP}:员工{i}"}))
    with pytest.raises(ValueError, match=r"子账号已达上限 20 个"):
        boss.create_sub_account(**XIAOHUI)


# ---- permissions ---------------------------------------------------------------------


def _main_only_calls(session, target):
    return {
        "create_sub_account": lambda: session.create_sub_account(**XIAOHUI),
        "set_permissions": lambda: session.set_permissions(target, ["chat"]),
        "set_red_packet_limit": lambda: session.set_red_packet_limit(target, 50),
        "disable_sub_account": lambda: session.disable_sub_account(target),
        "view_audit_log": lambda: session.view_audit_log(),
        "activity": lambda: session.activity(),
    }


@pytest.mark.parametrize("role", list(ROLES))
@pytest.mark.parametrize("operation", list(MAIN_ONLY))
def test_main_only_operations_are_refused_for_every_role(store, role, operation):
    wb = Workbench(store)
    boss = wb.main_account()
    name = boss.create_sub_account(
        **(XIAOHUI | {"role": role, "department": ROLES[role].department, "account_name": f"{SHOP}:测试"})
    )
    target = f"{SHOP}:小美"
    before_accounts = wb.sub_accounts
    n_refused = len(refused(wb))
    with pytest.raises(PermissionDenied, match=r"只有主账号（乐童优选）可以.*已记入操作日志"):
        _main_only_calls(wb.sub_account(name), target)[operation]()
    assert len(refused(wb)) == n_refused + 1
    last = wb.audit_log.iloc[-1]
    assert last["operator"] == name and last["result"] == "拒绝" and last["action"] == MAIN_ONLY[operation]
    pd.testing.assert_frame_equal(wb.sub_accounts, before_accounts)


@pytest.mark.parametrize("operation", list(MAIN_ONLY))
def test_main_account_may_do_main_only_operations(store, operation):
    wb = Workbench(store)
    _main_only_calls(wb.main_account(), f"{SHOP}:小美")[operation]()
    assert len(refused(wb)) == 0


@pytest.mark.parametrize("role", list(ROLES))
def test_red_packet_permission_follows_the_role(store, role):
    wb = Workbench(store)
    name = wb.main_account().create_sub_account(
        **(XIAOHUI | {"role": role, "department": ROLES[role].department, "account_name": f"{SHOP}:测试"})
    )
    session = wb.sub_account(name)
    if "send_red_packet" in ROLES[role].permissions:
        session.send_red_packet(1, 10)
    else:
        with pytest.raises(PermissionDenied, match=r"没有“发红包”权限"):
            session.send_red_packet(1, 10)


def test_permission_matrix_table():
    m = permission_matrix()
    assert list(m.index) == list(ROLES) + ["主账号"]
    assert set(PERMISSIONS.values()) | set(MAIN_ONLY.values()) == set(m.columns)
    assert (m.loc["主账号"] == "✓").all()
    assert (m.loc[list(ROLES), list(MAIN_ONLY.values())] == "").all().all()
    assert m.loc["客服", "发红包"] == "✓" and m.loc["客服", "订单改价"] == ""


def test_main_account_grants_and_revokes(wb):
    boss = wb.main_account()
    boss.create_sub_account(**XIAOHUI)
    boss.grant_permission(f"{SHOP}:小会", "订单改价")
    assert "change_price" in wb.permissions_of(f"{SHOP}:小会")
    boss.revoke_permission(f"{SHOP}:小会", "change_price")
    assert wb.permissions_of(f"{SHOP}:小会") == ROLES["客服"].permissions
    changes = wb.audit_log[wb.audit_log["action"] == "修改权限"].tail(2)
    assert "订单改价" in changes.iloc[0]["after"] and "订单改价" in changes.iloc[1]["before"]
    with pytest.raises(ValueError, match=r"权限（permission） 不能是 '上天'"):
        boss.grant_permission(f"{SHOP}:小会", "上天")
    with pytest.raises(ValueError, match=r"权限（permission） 不能是 5"):
        boss.set_permissions(f"{SHOP}:小会", 5)


# ---- escalation attempts ---------------------------------------------------------------


def test_escalation_attempts_are_refused_and_logged(wb):
    me = f"{SHOP}:小陈"
    xc = wb.sub_account(me)
    limit = wb.sub_accounts.set_index("account_name").loc[me, "daily_red_packet_limit"]
    attempts = [
        (lambda: xc.set_red_packet_limit(me, 99999), "修改红包限额"),
        (lambda: xc.grant_permission(me, "change_price"), "修改权限"),
        (lambda: xc.set_permissions(me, list(PERMISSIONS)), "修改权限"),
        (lambda: xc.edit_audit_log(14, after="100"), "修改操作日志"),
        (lambda: xc.delete_audit_log(), "删除操作日志"),
        (lambda: xc.switch_account(SHOP), "切换账号"),
        (lambda: xc.view_audit_log(), "查看操作日志"),
        (lambda: xc.create_sub_account(**XIAOHUI), "新建员工"),
    ]
    for attempt, action in attempts:
        with pytest.raises(PermissionDenied):
            attempt()
        last = wb.audit_log.iloc[-1]
        assert (last["operator"], last["action"], last["result"]) == (me, action, "拒绝")
        assert last["reason"]
    assert wb.sub_accounts.set_index("account_name").loc[me, "daily_red_packet_limit"] == limit
    assert wb.permissions_of(me) == ROLES["客服"].permissions
    assert len(refused(wb)) == len(attempts)


def test_audit_log_cannot_be_changed_from_outside(wb):
    wb.main_account().create_sub_account(**XIAOHUI)
    log = wb.audit_log
    log.loc[:, "result"] = "篡改"
    assert (wb.audit_log["result"] != "篡改").all() and len(wb.audit_log) > 0
    with pytest.raises(PermissionDenied, match=r"包括主账号"):
        wb.main_account().delete_audit_log(0)
    with pytest.raises(PermissionDenied, match=r"包括主账号"):
        wb.main_account().edit_audit_log(0, result="成功")


def test_disabled_account_can_do_nothing(wb):
    boss = wb.main_account()
    boss.disable_sub_account(f"{SHOP}:小陈")
    with pytest.raises(PermissionDenied, match=r"已被停用"):
        wb.sub_account(f"{SHOP}:小陈").send_red_packet(1, 5)
    assert not wb.sub_accounts.set_index("account_name").loc[f"{SHOP}:小陈", "active"]


def test_unknown_sub_account():
    wb = Workbench(crm_helpers.simulate_store(50, 5, seed=1))
    with pytest.raises(ValueError, match=r"没有子账号 '乐童优选:小明'.*主账号名:子账号名"):
        wb.sub_account("乐童优选:小明")
    with pytest.raises(TypeError, match=r"Workbench 需要一家网店（Store"):
        Workbench("乐童优选")


# ---- red packets --------------------------------------------------------------------------


def test_daily_red_packet_limit_is_enforced(wb):
    me = f"{SHOP}:小美"
    xm = wb.sub_account(me)
    xm.send_red_packet(1, 60)
    xm.send_red_packet(2, 40)  # exactly the limit of 100 is allowed
    with pytest.raises(
        PermissionDenied, match=r"超过今日红包限额：乐童优选:小美 今天已发 100 元，再发 1 元就超过限额 100 元"
    ):
        xm.send_red_packet(3, 1)
    assert refused(wb).iloc[-1]["action"] == "发红包"
    wb.now += pd.Timedelta(days=1)
    xm.send_red_packet(3, 100)  # a new day
    new = wb.red_packets.tail(3)
    assert new["amount"].tolist() == [60.0, 40.0, 100.0]
    assert (
        new["red_packet_id"].is_unique
        and new["red_packet_id"].min() > wb.store.red_packets["red_packet_id"].max()
    )
    assert len(wb.store.red_packets) == len(wb.red_packets) - 3  # the store itself is untouched


@pytest.mark.parametrize(
    "kwargs, match",
    [
        ({"customer_id": 1, "amount": 0}, r"红包金额（amount）应该大于 0、不超过 200 元，收到的是 0"),
        ({"customer_id": 1, "amount": 250}, r"不超过 200 元，收到的是 250"),
        ({"customer_id": 999999, "amount": 5}, r"客户编号（customer_id）999999 不存在"),
        ({"customer_id": 1, "amount": 5, "purpose": "赌博"}, r"发红包原因（purpose） 不能是 '赌博'"),
    ],
)
def test_bad_red_packets(wb, kwargs, match):
    with pytest.raises(ValueError, match=match):
        wb.sub_account(f"{SHOP}:小美").send_red_packet(**kwargs)


def test_the_fraud_cannot_happen_again(store):
    """Seed 000: 小陈 raised her own limit and tipped herself. Today it is refused and logged."""
    wb = Workbench(store)
    boss, me = wb.main_account(), f"{SHOP}:小陈"
    boss.set_red_packet_limit(me, 100)  # the owner restores the authorised limit
    xc = wb.sub_account(me)
    with pytest.raises(PermissionDenied):
        xc.set_red_packet_limit(me, 5000)
    xc.send_red_packet(5, 99)
    with pytest.raises(PermissionDenied, match="超过今日红包限额"):
        xc.send_red_packet(5, 99)
    log = boss.view_audit_log()
    mine = log[(log["operator"] == me) & (log["logged_at"] >= store.end)]
    assert mine["result"].tolist() == ["拒绝", "拒绝"]


# ---- monitoring ------------------------------------------------------------------------


def test_activity_per_sub_account_and_day(wb, store):
    xm = wb.sub_account(f"{SHOP}:小美")
    xm.send_red_packet(1, 10)
    with pytest.raises(PermissionDenied):
        xm.set_red_packet_limit(f"{SHOP}:小美", 1000)
    act = wb.main_account().activity()
    assert list(act.columns) == ["接待咨询", "催付", "发红包次数", "红包金额", "工作台操作", "被拒绝"]
    today = act.loc[(wb.now.normalize(), f"{SHOP}:小美")]
    assert today["发红包次数"] == 1 and today["红包金额"] == 10 and today["被拒绝"] == 1
    history = act.xs(f"{SHOP}:小美", level="账号")["接待咨询"].sum()
    assert history == (store.chats["agent_id"] == 1).sum()
    assert SHOP not in act.index.get_level_values("账号")


def test_activity_counts_the_history_audit_log(wb, store):
    """The fraud's limit change (操作日志, before the workbench) shows as 工作台操作 on its day."""
    log = store.audit_log
    change = log[log["action"] == "修改红包限额"].iloc[0]
    act = wb.main_account().activity()
    row = act.loc[(change["logged_at"].normalize(), change["operator"])]
    assert row["工作台操作"] == 1
    assert "0" not in act.index.get_level_values("账号").astype(str)


def test_workbench_never_modifies_the_store(store):
    before = {name: df.copy() for name, df in store.tables.items()}
    wb = Workbench(store)
    boss = wb.main_account()
    boss.create_sub_account(**XIAOHUI)
    boss.set_red_packet_limit(f"{SHOP}:小陈", 100)
    wb.sub_account(f"{SHOP}:小会").send_red_packet(1, 20)
    for name, df in store.tables.items():
        pd.testing.assert_frame_equal(df, before[name])


def test_same_operations_give_the_same_log(store):
    def run():
        wb = Workbench(store)
        wb.main_account().create_sub_account(**XIAOHUI)
        wb.sub_account(f"{SHOP}:小会").send_red_packet(1, 20)
        return wb.audit_log

    pd.testing.assert_frame_equal(run(), run())


# ---- the full permission matrix: every role × every operation ----------------------------


def _permissioned_calls(session, wb):
    orders = wb.orders
    unpaid = int(orders.loc[orders["status"] == "等待买家付款", "order_id"].iloc[0])
    paid = int(orders.loc[orders["status"] == "买家已付款", "order_id"].iloc[0])
    return {
        "view_orders": lambda: session.find_orders(status="交易成功"),
        "remark_order": lambda: session.add_remark(unpaid, "客户说晚上付款", flag="黄"),
        "change_price": lambda: session.change_price(unpaid, 99),
        "ship_order": lambda: session.ship_order(paid),
        "close_order": lambda: session.close_order(unpaid),
        "view_customers": lambda: session.customer_profile(1),
        "send_red_packet": lambda: session.send_red_packet(1, 5),
        "manage_customers": lambda: session.create_group("老客户回馈"),
    }


@pytest.fixture(scope="module")
def lesson_store():
    return crm_helpers.load_store()  # has unpaid and paid-but-unshipped orders at its end


@pytest.mark.parametrize("role", [*ROLES, "主账号"])
@pytest.mark.parametrize(
    "permission",
    [
        "view_orders",
        "remark_order",
        "change_price",
        "ship_order",
        "close_order",
        "view_customers",
        "send_red_packet",
        "manage_customers",
    ],
)
def test_permission_matrix_every_role_every_operation(lesson_store, role, permission):
    wb = Workbench(lesson_store)
    if role == "主账号":
        session, allowed = wb.main_account(), True
    else:
        name = wb.main_account().create_sub_account(
            **(XIAOHUI | {"role": role, "department": ROLES[role].department, "account_name": f"{SHOP}:测试"})
        )
        session, allowed = wb.sub_account(name), permission in ROLES[role].permissions
    call = _permissioned_calls(session, wb)[permission]
    orders_before, groups_before = wb.orders, wb.groups
    if allowed:
        call()
        assert len(refused(wb)) == 0
    else:
        with pytest.raises(PermissionDenied, match=f"没有“{PERMISSIONS[permission]}”权限"):
            call()
        assert refused(wb).iloc[-1]["action"] == PERMISSIONS[permission]
        pd.testing.assert_frame_equal(wb.orders, orders_before)
        pd.testing.assert_frame_equal(wb.groups, groups_before)


def test_order_operations_change_the_workbench_orders_only(lesson_store):
    wb = Workbench(lesson_store)
    boss = wb.main_account()
    unpaid = int(wb.orders.loc[wb.orders["status"] == "等待买家付款", "order_id"].iloc[0])
    boss.add_remark(unpaid, "已电话催付", flag="绿")
    boss.change_price(unpaid, 88)
    row = wb.orders.set_index("order_id").loc[unpaid]
    assert (row["remark"], row["remark_flag"], row["remark_by"], row["payment"]) == (
        "已电话催付",
        "绿",
        SHOP,
        88,
    )
    assert wb.audit_log.iloc[-1]["action"] == "订单改价" and wb.audit_log.iloc[-1]["after"] == "88"
    boss.close_order(unpaid)
    assert wb.orders.set_index("order_id").loc[unpaid, "status"] == "交易关闭"
    with pytest.raises(ValueError, match="改价"):
        boss.change_price(unpaid, 50)  # closed now: refused by the state machine
    paid = int(wb.orders.loc[wb.orders["status"] == "买家已付款", "order_id"].iloc[0])
    with pytest.raises(
        ValueError, match=r"只能关闭还没付款的订单：订单 \d+ 的状态是「买家已付款」.*退款流程"
    ):
        boss.close_order(paid)
    with pytest.raises(ValueError, match=r"关闭原因（reason） 不能是 '全额退款'"):
        boss.close_order(paid, reason="全额退款")
    assert lesson_store.orders.set_index("order_id").loc[unpaid, "status"] == "等待买家付款"


# ---- numbers from pandas are accepted; text, bool and None are refused (TypeError) --------


@pytest.mark.parametrize(
    "call",
    [
        lambda xm, boss: xm.send_red_packet(np.int64(1), np.int64(10)),
        lambda xm, boss: xm.send_red_packet(1, np.float64(10.5)),
        lambda xm, boss: xm.send_red_packet(1, np.float32(2.5), "好评感谢"),
        lambda xm, boss: boss.set_red_packet_limit(f"{SHOP}:小美", np.int64(150)),
        lambda xm, boss: boss.set_red_packet_limit(f"{SHOP}:小美", np.float64(150.5)),
        lambda xm, boss: xm.customer_profile(np.int64(1)),
        lambda xm, boss: boss.create_sub_account(**(XIAOHUI | {"certificate_limit": np.int64(2)})),
    ],
)
def test_numpy_numbers_are_accepted(wb, call):
    call(wb.sub_account(f"{SHOP}:小美"), wb.main_account())
    assert len(refused(wb)) == 0


def test_numpy_amounts_are_stored_as_plain_numbers(wb):
    boss = wb.main_account()
    assert boss.set_red_packet_limit(f"{SHOP}:小美", np.int64(150)) == 150.0
    red_packet_id = wb.sub_account(f"{SHOP}:小美").send_red_packet(np.int64(2), np.int64(10))
    assert type(red_packet_id) is int
    row = wb.red_packets.iloc[-1]
    assert (row["customer_id"], row["amount"], row["agent_id"]) == (2, 10.0, 1)
    assert wb.audit_log.iloc[-1]["after"] == "150"


@pytest.mark.parametrize(
    "call, match",
    [
        (
            lambda s: s.send_red_packet(1, "10"),
            r"红包金额（amount） 应该是数字（number），收到的是 '10'（str）",
        ),
        (
            lambda s: s.send_red_packet(1, True),
            r"红包金额（amount） 应该是数字（number），收到的是 True（bool）",
        ),
        (lambda s: s.send_red_packet(1, None), r"红包金额（amount） 应该是数字（number），收到的是 None"),
        (lambda s: s.send_red_packet(1, np.nan), r"红包金额（amount） 应该是数字（number），收到的是 nan"),
        (
            lambda s: s.send_red_packet("1", 10),
            r"客户编号（customer_id） 应该是整数（integer），收到的是 '1'（str）",
        ),
        (
            lambda s: s.send_red_packet(None, 10),
            r"客户编号（customer_id） 应该是整数（integer），收到的是 None",
        ),
        (
            lambda s: s.send_red_packet(True, 10),
            r"客户编号（customer_id） 应该是整数（integer），收到的是 True",
        ),
        (
            lambda s: s.send_red_packet(1.0, 10),
            r"客户编号（customer_id） 应该是整数（integer），收到的是 1\.0",
        ),
        (
            lambda s: s.customer_profile("1"),
            r"客户编号（customer_id） 应该是整数（integer），收到的是 '1'（str）",
        ),
        (lambda s: s.customer_profile(None), r"客户编号（customer_id） 应该是整数（integer），收到的是 None"),
        (
            lambda s: s.add_remark("105077", "备注"),
            r"order_id（订单编号） 应该是数字形式的订单编号.*'105077'（str）",
        ),
        (lambda s: s.add_remark(None, "备注"), r"order_id（订单编号） 应该是数字形式的订单编号.*None"),
    ],
)
def test_text_bool_and_none_are_refused_with_a_type_error(wb, call, match):
    before = wb.red_packets
    with pytest.raises(TypeError, match=match):
        call(wb.sub_account(f"{SHOP}:小美"))
    pd.testing.assert_frame_equal(wb.red_packets, before)  # nothing half-done


@pytest.mark.parametrize(
    "amount, error, match",
    [
        ("5000", TypeError, r"红包限额（amount） 应该是数字（number），收到的是 '5000'（str）"),
        (None, TypeError, r"红包限额（amount） 应该是数字（number），收到的是 None"),
        (False, TypeError, r"红包限额（amount） 应该是数字（number），收到的是 False（bool）"),
        (-1, ValueError, r"红包限额（amount）应该是 0～10000 元之间的数，收到的是 -1"),
        (np.float64(20000.5), ValueError, r"红包限额（amount）应该是 0～10000 元之间的数，收到的是 20000\.5"),
    ],
)
def test_bad_red_packet_limits(wb, amount, error, match):
    before = wb.sub_accounts
    with pytest.raises(error, match=match):
        wb.main_account().set_red_packet_limit(f"{SHOP}:小美", amount)
    pd.testing.assert_frame_equal(wb.sub_accounts, before)


@pytest.mark.parametrize(
    "value, match",
    [
        ("2", r"证书允许开启数量（certificate_limit） 应该是整数（integer），收到的是 '2'（str）"),
        (None, r"证书允许开启数量（certificate_limit） 应该是整数（integer），收到的是 None"),
        (True, r"证书允许开启数量（certificate_limit） 应该是整数（integer），收到的是 True"),
    ],
)
def test_certificate_limit_must_be_an_integer(wb, value, match):
    with pytest.raises(TypeError, match=match):
        wb.main_account().create_sub_account(**(XIAOHUI | {"certificate_limit": value}))


def test_order_numbers_from_pandas_work_and_text_is_refused(lesson_store):
    wb = Workbench(lesson_store)
    boss = wb.main_account()
    orders = wb.orders
    unpaid = orders.loc[orders["status"] == "等待买家付款", "order_id"].iloc[0]  # numpy.int64
    paid = orders.loc[orders["status"] == "买家已付款", "order_id"].iloc[0]
    for call in (
        lambda: boss.change_price(unpaid, "88"),
        lambda: boss.change_price(str(unpaid), 88),
        lambda: boss.ship_order(str(paid)),
        lambda: boss.close_order(str(unpaid)),
    ):
        with pytest.raises(TypeError, match=r"（str）"):
            call()
    pd.testing.assert_frame_equal(wb.orders, orders)
    boss.change_price(unpaid, np.float64(88.5))
    assert wb.audit_log.iloc[-1]["after"] == "88.5"
    boss.ship_order(paid)
    boss.close_order(unpaid)
    assert wb.orders.set_index("order_id").loc[[unpaid, paid], "status"].tolist() == [
        "交易关闭",
        "卖家已发货",
    ]


def test_checks_come_before_validation(wb):
    """A sub-account without the permission is refused (and logged) whatever it typed."""
    warehouse = wb.main_account().create_sub_account(
        **(XIAOHUI | {"role": "仓储", "department": "仓储部", "account_name": f"{SHOP}:小吴"})
    )
    with pytest.raises(PermissionDenied, match=r"没有“发红包”权限"):
        wb.sub_account(warehouse).send_red_packet("1", "10")
    assert refused(wb).iloc[-1]["target"] == "客户 1"


# ---- the clock --------------------------------------------------------------------------


def test_clock_accepts_text_and_refuses_nonsense(store):
    wb = Workbench(store, now="2026-02-01 10:00")
    assert wb.now == pd.Timestamp("2026-02-01 10:00")
    wb.main_account().create_sub_account(**XIAOHUI)
    assert wb.audit_log["logged_at"].iloc[-3:].tolist() == list(
        pd.date_range("2026-02-01 10:00", periods=3, freq="min")
    )
    assert wb.now == pd.Timestamp("2026-02-01 10:03")
    with pytest.raises(ValueError, match=r"工作台时间（now） 应该是时间（datetime）.*'abc' 无法读成时间"):
        Workbench(store, now="abc")
    with pytest.raises(TypeError, match=r"工作台时间（now） 应该是时间（datetime）.*收到的是 5（int）"):
        Workbench(store, now=5)
    with pytest.raises(ValueError, match=r"工作台时间（now） 不能是空的时间"):
        wb.now = pd.NaT
    assert wb.now == pd.Timestamp("2026-02-01 10:03")


# ---- one vocabulary: what the workbench writes is what the lessons' helpers read ---------


def _every_operation(wb):
    """Call every operation once as the main account and once as a 客服 (most are refused)."""
    boss, me = wb.main_account(), f"{SHOP}:小美"
    xm = wb.sub_account(me)
    orders = wb.orders
    unpaid = int(orders.loc[orders["status"] == "等待买家付款", "order_id"].iloc[0])
    paid = int(orders.loc[orders["status"] == "买家已付款", "order_id"].iloc[0])
    calls = {
        "create_sub_account": lambda s: s.create_sub_account(
            **(XIAOHUI | {"account_name": f"{SHOP}:新{id(s)}"})
        ),
        "set_permissions": lambda s: s.set_permissions(me, ROLES["客服"].permissions),
        "grant_permission": lambda s: s.grant_permission(me, "订单改价"),
        "revoke_permission": lambda s: s.revoke_permission(me, "订单改价"),
        "set_red_packet_limit": lambda s: s.set_red_packet_limit(me, 100),
        "switch_account": lambda s: s.switch_account(me),
        "view_audit_log": lambda s: s.view_audit_log(),
        "edit_audit_log": lambda s: s.edit_audit_log(0, result="成功"),
        "delete_audit_log": lambda s: s.delete_audit_log(),
        "activity": lambda s: s.activity(),
        "send_red_packet": lambda s: s.send_red_packet(1, 100),
        "find_orders": lambda s: s.find_orders(status="交易成功"),
        "add_remark": lambda s: s.add_remark(unpaid, "客户说晚上付款"),
        "change_price": lambda s: s.change_price(unpaid, 99),
        "ship_order": lambda s: s.ship_order(paid),
        "close_order": lambda s: s.close_order(unpaid),
        "customer_profile": lambda s: s.customer_profile(1),
        "create_group": lambda s: s.create_group(f"分组{id(s)}"),
        "rename_group": lambda s: s.rename_group(f"分组{id(s)}", f"改名{id(s)}"),
        "add_to_group": lambda s: s.add_to_group(f"改名{id(s)}", [1, 2]),
        "add_customer_to_groups": lambda s: s.add_customer_to_groups(3, [f"改名{id(s)}"]),
        "remove_from_group": lambda s: s.remove_from_group(f"改名{id(s)}", 2),
        "send_group_coupon": lambda s: s.send_group_coupon(f"改名{id(s)}", 10, 100),
        "delete_group": lambda s: s.delete_group(f"改名{id(s)}"),
        "disable_sub_account": lambda s: s.disable_sub_account(me),
    }
    assert set(calls) == set(OPERATIONS), "a new operation needs a line here"
    for call in calls.values():
        for session in (xm, xm, boss):  # the second 红包 of 小美 is over her limit
            try:
                call(session)
            except PermissionDenied:
                pass
    with pytest.raises(PermissionDenied, match="已被停用"):
        xm.send_red_packet(1, 5)


def test_every_logged_action_is_in_the_vocabulary(lesson_store):
    wb = Workbench(lesson_store)
    _every_operation(wb)
    log = wb.audit_log
    assert set(log["action"]) <= set(AUDIT_ACTIONS)
    assert set(log["result"]) <= set(AUDIT_RESULTS)
    assert {"拒绝", "成功"} <= set(log["result"])
    registered = {spec.action for spec in OPERATIONS.values() if spec.action}
    assert registered <= set(AUDIT_ACTIONS)
    assert set(OPERATIONS) >= set(MAIN_ONLY)  # every main-only operation exists
    assert {spec.main_only for spec in OPERATIONS.values() if spec.main_only} == set(MAIN_ONLY)


def test_change_detection_matches_what_the_workbench_writes(lesson_store):
    """red_packets.unauthorised_changes reads exactly the actions the workbench writes."""
    assert CHANGE_ACTIONS == (*LIMIT_ACTIONS, *PERMISSION_CHANGE_ACTIONS)
    wb = Workbench(lesson_store)
    n_history = len(wb.audit_log)
    _every_operation(wb)
    new = wb.audit_log.iloc[n_history:]
    changes = {"新建员工", "修改权限", "修改红包限额", "设置权限", "设置红包限额"}  # what changes access
    written = set(new.loc[new["action"].isin(changes) & (new["action"] != "新建员工"), "action"])
    assert written == set(CHANGE_ACTIONS)
    found = unauthorised_changes(wb.audit_log, SHOP, include_refused=True)
    mine = found[found["logged_at"] >= lesson_store.end]
    attempts = new[(new["operator"] != SHOP) & new["action"].isin(CHANGE_ACTIONS)]
    assert len(mine) == len(attempts) > 0
    assert set(mine["action"]) == {"修改权限", "修改红包限额"}


def test_roles_use_the_vocabulary():
    assert tuple(ROLES) == ROLE_NAMES
    assert {role.department for role in ROLES.values()} <= set(DEPARTMENTS)
    assert all(role.permissions <= set(PERMISSIONS) for role in ROLES.values())
    assert PERMISSIONS is vocabulary.PERMISSIONS and DEPARTMENTS is vocabulary.DEPARTMENTS


# ---- the extension point: a new topic adds a file, not methods on one class -----------------


@pytest.fixture
def temporary_operations():
    names = []
    yield names
    for name in names:
        OPERATIONS.pop(name, None)
        if hasattr(Session, name):
            delattr(Session, name)


def test_a_new_operation_gets_the_whole_pipeline(store, temporary_operations):
    temporary_operations += ["approve_refund", "close_shop"]

    @operation(permission="refund", describe=lambda session, refund_id: f"售后 {refund_id}")
    def approve_refund(session, refund_id):
        """同意退款."""
        from crm_helpers._validation import check_int

        refund_id = check_int(refund_id, "售后编号（refund_id）", minimum=1)
        return Logged(refund_id, (Entry("退款处理", f"售后 {refund_id}", "处理中", "退款成功"),))

    @operation(main_only="activity", describe="店铺")
    def close_shop(session):
        return "closed"

    wb = Workbench(store)
    boss = wb.main_account()
    assert boss.approve_refund(np.int64(7)) == 7 and Session.approve_refund.__doc__ == "同意退款."
    last = wb.audit_log.iloc[-1]
    assert (last["operator"], last["action"], last["target"], last["after"]) == (
        SHOP,
        "退款处理",
        "售后 7",
        "退款成功",
    )
    with pytest.raises(TypeError, match=r"售后编号（refund_id） 应该是整数"):
        boss.approve_refund("7")
    with pytest.raises(PermissionDenied, match=r"没有“退款处理”权限"):
        wb.sub_account(f"{SHOP}:小美").approve_refund(7)  # 客服 has no 退款处理
    assert refused(wb).iloc[-1][["action", "target"]].tolist() == ["退款处理", "售后 7"]
    with pytest.raises(PermissionDenied, match=r"只有主账号"):
        wb.sub_account(f"{SHOP}:小美").close_shop()
    assert boss.close_shop() == "closed"


def test_operation_declarations_are_checked(temporary_operations):
    with pytest.raises(ValueError, match=r"已经有名为 send_red_packet 的操作"):
        operation(permission="send_red_packet")(_named("send_red_packet"))
    with pytest.raises(ValueError, match=r"权限（permission） 不能是 '上天'"):
        operation(permission="上天")
    with pytest.raises(ValueError, match=r"主账号操作（main_only） 不能是 'x'"):
        operation(main_only="x")
    with pytest.raises(ValueError, match=r"permission 或 main_only 其中之一"):
        operation(permission="refund", main_only="activity")


def _named(name):
    def function(session):
        return None

    function.__name__ = name
    return function


# ---- the tables behind the state ---------------------------------------------------------------


def test_table_appends_grow_and_frames_are_copies():
    table = Table(
        {"n": "int64", "at": TIME, "label": "str"},
        pd.DataFrame({"n": [0], "at": [pd.Timestamp("2025-01-01")], "label": ["旧"]}),
    )
    for i in range(1, 41):
        table.append(n=i, at=pd.Timestamp("2025-01-02") + pd.Timedelta(minutes=i), label=f"第{i}行")
    frame = table.frame()
    assert len(table) == len(frame) == 41 and table.n_new == 40
    assert frame["n"].tolist() == list(range(41)) and frame["at"].is_monotonic_increasing
    frame.loc[0, "label"] = "改了"
    assert table.frame().loc[0, "label"] == "旧"
    assert table.values("n").tolist() == list(range(41))
    with pytest.raises(TypeError, match=r"只能追加，不能修改"):
        table.update(0, n=5)
    with pytest.raises(ValueError, match=r"read-only"):
        table.new_values("n")[0] = 99


def test_audit_log_table_is_append_only(wb):
    with pytest.raises(TypeError, match=r"只能追加"):
        wb.state.audit.update(0, result="成功")


def test_a_past_clock_opens_the_shop_as_it_was_then():
    """Workbench(store, now=…) inside the period: a lesson's story day sees that day's shop."""
    store = crm_helpers.load_store()  # the lesson shop
    now = pd.Timestamp("2025-11-04 09:00")
    wb = Workbench(store, now=now)
    orders = wb.orders
    assert len(orders) == (store.orders["created_at"] <= now).sum()
    assert (orders["created_at"] <= now).all()
    for column in ("paid_at", "shipped_at", "finished_at", "closed_at"):
        assert not (orders[column] > now).any()
    unpaid = orders[orders["status"] == "等待买家付款"]
    assert len(unpaid) and unpaid["paid_at"].isna().all() and unpaid["closed_at"].isna().all()
    assert (wb.red_packets["sent_at"] <= now).all() and (wb.audit_log["logged_at"] <= now).all()
    activity = wb.main_account().activity()
    assert activity.index.get_level_values("日期").max() <= now
    # the same order is 等待买家付款 then, so it may be repriced on that day
    order_id = int(unpaid["order_id"].iloc[0])
    wb.sub_account("乐童优选:晓雯").change_price(order_id, float(unpaid["payment"].iloc[0]) - 1)
    assert len(store.orders) > len(orders)  # the store is untouched


def test_the_default_clock_keeps_the_whole_shop(store):
    wb = Workbench(store)
    pd.testing.assert_frame_equal(wb.orders, store.orders)
    assert len(wb.red_packets) == len(store.red_packets)
