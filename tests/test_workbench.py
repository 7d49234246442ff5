"""The simulated 千牛 workbench: sub-accounts, permissions, limits, audit log, monitoring."""

from __future__ import annotations

import pandas as pd
import pytest

import crm_helpers
from crm_helpers.vocabulary import MAIN_ONLY_ACTIONS as MAIN_ONLY
from crm_helpers.workbench import (
    PERMISSIONS,
    ROLES,
    PermissionDenied,
    Workbench,
    permission_matrix,
)

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
        ("account_name", "小会", ValueError, r"账号名（account_name）的格式应该是 店铺名:昵称.*'小会'"),
        (
            "account_name",
            "别的店:小会",
            ValueError,
            r"冒号前面必须是本店的店铺名 乐童优选，收到的是 '别的店'",
        ),
        ("account_name", f"{SHOP}:小 会", ValueError, r"昵称 '小 会' 不合规"),
        ("account_name", f"{SHOP}:", ValueError, r"昵称 '' 不合规"),
        ("account_name", f"{SHOP}:小美", ValueError, r"乐童优选:小美 已经存在"),
        ("password", "Ab1!", ValueError, r"密码（password）长度应该是 8～20 位，现在是 4 位"),
        ("password", "abcdefghij", ValueError, r"密码（password）太简单"),
        ("password", "Kefu 2025!", ValueError, r"不能包含空格"),
        ("password", "小会2025abc", ValueError, r"不能包含账号昵称"),
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
    with pytest.raises(ValueError, match=r"没有子账号 '乐童优选:小明'.*店铺名:昵称"):
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
    orders_before = wb.orders
    if allowed:
        call()
        assert len(refused(wb)) == 0
    else:
        with pytest.raises(PermissionDenied, match=f"没有“{PERMISSIONS[permission]}”权限"):
            call()
        assert refused(wb).iloc[-1]["action"] == PERMISSIONS[permission]
        pd.testing.assert_frame_equal(wb.orders, orders_before)


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
