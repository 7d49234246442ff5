"""客户分组 on the workbench: operations, permission 客户管理, the log, refusals that change nothing."""

from __future__ import annotations

import dataclasses
import re

import numpy as np
import pandas as pd
import pytest

import crm_helpers
from crm_helpers import groups as topic
from crm_helpers.vocabulary import AUDIT_ACTIONS, GROUP_ACTIONS
from crm_helpers.workbench import ROLES, PermissionDenied, Workbench

SHOP = "乐童优选"


@pytest.fixture
def wb(store):
    return Workbench(store)


def new_rows(wb, n_before):
    return wb.audit_log.iloc[n_before:].reset_index(drop=True)


def snapshot(wb):
    return wb.groups, wb.group_members, wb.group_coupons


def assert_same_state(wb, before):
    for now, then in zip(snapshot(wb), before):
        pd.testing.assert_frame_equal(now, then)


def sub_account(wb, role, name="测试"):
    return wb.sub_account(
        wb.main_account().create_sub_account(
            role=role,
            account_name=f"{SHOP}:{name}",
            password="Kefu2025!",
            department=ROLES[role].department,
            phone="13800138000",
            certificate_limit=1,
        )
    )


# ---- the click path -------------------------------------------------------------------------


def test_create_add_and_list(wb):
    boss = wb.main_account()
    n = len(wb.audit_log)
    assert boss.create_group("老客户回馈") == 1
    change = boss.add_to_group("老客户回馈", [5, np.int64(7)])
    assert change.changed == (5, 7) and repr(change) == "已把客户 5、7 加入分组“老客户回馈”。"
    groups = wb.groups
    assert list(groups.columns) == [
        "group_id",
        "group_name",
        "method",
        "condition",
        "created_at",
        "created_by",
    ]
    assert groups.iloc[0][["group_id", "group_name", "method", "created_by"]].tolist() == [
        1,
        "老客户回馈",
        "手动分组",
        SHOP,
    ]
    members = wb.group_members
    assert list(members.columns) == ["group_id", "customer_id", "added_at", "added_by"]
    assert members[["group_id", "customer_id"]].values.tolist() == [[1, 5], [1, 7]]
    log = new_rows(wb, n)
    assert log[["action", "target", "before", "after", "result"]].values.tolist() == [
        ["新增分组", "分组 1", "", "老客户回馈", "成功"],
        ["添加分组", "分组 1", "", "客户 5、7", "成功"],
    ]
    listed = wb.group_list()
    assert listed[["编号", "分组名称", "分组方式", "人数", "新建人"]].values.tolist() == [
        [1, "老客户回馈", "手动分组", 2, SHOP]
    ]
    shown = wb.group_member_list("老客户回馈")
    names = wb.store.customers.set_index("customer_id")["member_name"]
    assert shown["会员名"].tolist() == [names[5], names[7]]
    assert list(shown.columns) == ["分组编号", "分组名称", "客户编号", "会员名", "加入时间", "操作人"]


def test_one_customer_in_many_groups_and_no_duplicates(wb):
    boss = wb.main_account()
    for name in ("新客户", "宝妈", "双11"):
        boss.create_group(name)
    changes = boss.add_customer_to_groups(12, ["新客户", "宝妈", 3])
    assert [c.group_name for c in changes] == ["新客户", "宝妈", "双11"]
    assert sorted(wb.group_members.query("customer_id == 12")["group_id"]) == [1, 2, 3]
    n, before = len(wb.audit_log), snapshot(wb)
    again = boss.add_to_group("宝妈", [12])
    assert again.changed == () and again.message == "客户 12 已经在分组“宝妈”里，没有重复添加。"
    assert len(wb.audit_log) == n  # nothing changed, nothing logged
    assert_same_state(wb, before)
    assert not wb.group_members.duplicated(["group_id", "customer_id"]).any()


def test_rename_remove_and_delete(wb):
    boss = wb.main_account()
    boss.create_group("甲")
    boss.create_group("乙")
    boss.add_to_group("甲", [1, 2, 3])
    boss.add_to_group("乙", [3])
    n = len(wb.audit_log)
    boss.rename_group("甲", " 甲 ")  # its own name: nothing changes, nothing is logged
    assert len(wb.audit_log) == n
    boss.rename_group("甲", "首单客户")
    removed = boss.remove_from_group(1, [2, 4])
    assert removed.changed == (2,) and removed.unchanged == (4,)
    boss.delete_group("乙")
    assert wb.groups["group_name"].tolist() == ["首单客户"]
    assert wb.group_members[["group_id", "customer_id"]].values.tolist() == [[1, 1], [1, 3]]
    assert new_rows(wb, n)[["action", "target", "before", "after"]].values.tolist() == [
        ["修改分组名称", "分组 1", "甲", "首单客户"],
        ["移出分组", "分组 1", "客户 2", ""],
        ["删除分组", "分组 2", "乙", ""],
    ]
    assert boss.create_group("乙") == 3  # the deleted group's 编号 2 is not given again


def test_condition_group_is_computed_once_at_creation(store):
    wb = Workbench(store)
    boss = wb.main_account()
    n = len(wb.audit_log)
    new_id = boss.create_group("新客户", method="条件分组", condition="新客户")
    old_id = boss.create_group("老客户", method="条件分组", condition="老客户")
    expected_new = topic.condition_members(store, "新客户", store.last_day)
    expected_old = topic.condition_members(store, "老客户", store.last_day)
    members = wb.group_members
    assert sorted(members.loc[members["group_id"] == new_id, "customer_id"]) == expected_new
    assert sorted(members.loc[members["group_id"] == old_id, "customer_id"]) == expected_old
    assert len(expected_new) > 0 and len(expected_old) > 0
    assert not set(expected_new) & set(expected_old)
    log = new_rows(wb, n)
    assert log["action"].tolist() == ["新增分组", "添加分组", "新增分组", "添加分组"]
    assert log.loc[1, "after"] == topic.customers_text(expected_new)
    # edited like a manual group afterwards; not recomputed
    boss.remove_from_group("新客户", expected_new[0])
    assert len(wb.group_members.query(f"group_id == {new_id}")) == len(expected_new) - 1
    # the clock moved one minute per log row, not one per member
    assert wb.now == store.end + pd.Timedelta(hours=9, minutes=5)


def test_condition_on_a_past_workbench_day_uses_that_day(store):
    day = pd.Timestamp("2025-12-10 15:00")
    wb = Workbench(store, now=day)
    wb.main_account().create_group("新客户", method="条件分组", condition="新客户")
    shop_then = dataclasses.replace(store, orders=crm_helpers.orders.orders_at(store.orders, day))
    assert sorted(wb.group_members["customer_id"]) == topic.condition_members(
        shop_then, "新客户", day.normalize()
    )


def test_coupon_to_a_group(wb):
    boss = wb.main_account()
    boss.create_group("双11")
    boss.add_to_group("双11", [9, 3, 6])
    n = len(wb.audit_log)
    assert boss.send_group_coupon("双11", 10, threshold=99) == 3
    coupons = wb.group_coupons
    assert list(coupons.columns) == [
        "coupon_id", "group_id", "group_name", "customer_id", "amount", "threshold", "sent_at", "sent_by",
    ]  # fmt: skip
    assert coupons["customer_id"].tolist() == [3, 6, 9] and coupons["coupon_id"].tolist() == [1, 2, 3]
    assert set(coupons["amount"]) == {10.0} and set(coupons["threshold"]) == {99.0}
    assert new_rows(wb, n)[["action", "target", "after"]].values.tolist() == [
        ["送优惠券", "分组 1", "满99减10 × 3 人（优惠券 1～3）"]
    ]
    assert boss.send_group_coupon(1, 5) == 3
    assert wb.audit_log.iloc[-1]["after"] == "无门槛减5 × 3 人（优惠券 4～6）"
    shown = wb.group_coupon_list()
    assert "会员名" in shown.columns and len(shown) == 6
    boss.delete_group("双11")
    assert len(wb.group_coupons) == 6  # coupons already sent stay recorded


# ---- permission 客户管理 -------------------------------------------------------------------------


@pytest.mark.parametrize("role", list(ROLES))
def test_only_roles_with_manage_customers_may_group(store, role):
    wb = Workbench(store)
    session = sub_account(wb, role)
    allowed = "manage_customers" in ROLES[role].permissions
    assert allowed == (role in ("客服主管", "运营"))
    if allowed:
        assert session.create_group("宝妈") == 1
        assert wb.audit_log.iloc[-1]["operator"] == f"{SHOP}:测试"
        assert wb.groups["created_by"].tolist() == [f"{SHOP}:测试"]
    else:
        with pytest.raises(PermissionDenied, match=r"没有“客户管理”权限"):
            session.create_group("宝妈")
        last = wb.audit_log.iloc[-1]
        assert (last["action"], last["target"], last["result"]) == ("客户管理", "新增分组 宝妈", "拒绝")
        assert len(wb.groups) == 0


# ---- bad input: refused, logged, nothing changed --------------------------------------------


def _prepared(wb):
    boss = wb.main_account()
    boss.create_group("新客户")
    boss.create_group("老客户")
    boss.add_to_group("新客户", [1, 2])
    return boss


REFUSALS = [
    ("create empty", lambda s: s.create_group(""), "新增分组", r"分组名称（group_name）不能是空的，收到的是 ''"),
    ("create blank", lambda s: s.create_group("  "), "新增分组", r"不能是空的，收到的是 '  '"),
    ("create long", lambda s: s.create_group("很" * 21), "新增分组 " + "很" * 21, r"有 21 个字，本课程的规定是最多 20 个字"),
    ("create duplicate", lambda s: s.create_group("老客户"), "新增分组 老客户", r"已经有名为“老客户”的分组了.*不能重复"),
    ("create method", lambda s: s.create_group("甲", "自动分组"), "新增分组 甲", r"分组方式（method） 不能是 '自动分组'"),
    ("create condition", lambda s: s.create_group("甲", "条件分组"), "新增分组 甲", r"分组条件（condition） 不能是 None"),
    ("rename duplicate", lambda s: s.rename_group("新客户", "老客户"), "修改分组名称 新客户", r"已经有名为“老客户”的分组了"),
    ("rename empty", lambda s: s.rename_group(1, ""), "修改分组名称 1", r"不能是空的"),
    ("rename long", lambda s: s.rename_group(1, "长" * 30), "修改分组名称 1", r"有 30 个字，本课程的规定是最多 20 个字"),
    ("rename unknown", lambda s: s.rename_group("大客户", "甲"), "修改分组名称 大客户", r"没有分组 '大客户'。现有的分组（编号 名称）：1 新客户、2 老客户"),
    ("delete unknown", lambda s: s.delete_group(9), "删除分组 9", r"没有分组 9"),
    ("add unknown customers", lambda s: s.add_to_group("老客户", [1, 2, 999999]), "添加分组 老客户", r"不是本店的客户：999999。.*一位客户也没有添加"),
    ("add several unknown", lambda s: s.add_to_group("老客户", [0, 999998, 999999]), "添加分组 老客户", r"不是本店的客户：0、999998、999999"),
    ("add nobody", lambda s: s.add_to_group("老客户", []), "添加分组 老客户", r"请至少选择一位客户"),
    ("add unknown group", lambda s: s.add_to_group("大客户", [1]), "添加分组 大客户", r"没有分组 '大客户'"),
    ("step 4 unknown group", lambda s: s.add_customer_to_groups(3, ["老客户", "大客户"]), "添加分组 客户 3", r"没有分组 '大客户'"),
    ("step 4 no group", lambda s: s.add_customer_to_groups(3, []), "添加分组 客户 3", r"请至少勾选一个分组"),
    ("step 4 unknown customer", lambda s: s.add_customer_to_groups(999999, ["老客户"]), "添加分组 客户 999999", r"不是本店的客户：999999"),
    ("remove unknown customers", lambda s: s.remove_from_group("新客户", [1, 999999]), "移出分组 新客户", r"不是本店的客户：999999。.*一位客户也没有添加或移出"),
    ("remove unknown group", lambda s: s.remove_from_group(7, [1]), "移出分组 7", r"没有分组 7"),
    ("coupon empty group", lambda s: s.send_group_coupon("老客户", 10), "送优惠券 老客户", r"分组“老客户”里还没有客户，送不出优惠券"),
    ("coupon amount", lambda s: s.send_group_coupon("新客户", 0), "送优惠券 新客户", r"面额（amount）0 元不行：本课程的规定是 1～1000 元"),
    ("coupon threshold", lambda s: s.send_group_coupon("新客户", 10, 8), "送优惠券 新客户", r"使用门槛（threshold）8 元不行"),
    ("coupon unknown group", lambda s: s.send_group_coupon("大客户", 10), "送优惠券 大客户", r"没有分组 '大客户'"),
]  # fmt: skip


@pytest.mark.parametrize("call, target, match", [r[1:] for r in REFUSALS], ids=[r[0] for r in REFUSALS])
def test_refusals_are_logged_and_change_nothing(wb, call, target, match):
    boss = _prepared(wb)
    before, n = snapshot(wb), len(wb.audit_log)
    with pytest.raises(PermissionDenied, match=match + r".*这次尝试已记入操作日志"):
        call(boss)
    assert_same_state(wb, before)
    log = new_rows(wb, n)
    assert len(log) == 1
    row = log.iloc[0]
    assert (row["action"], row["target"], row["result"]) == ("客户管理", target, "拒绝")
    assert re.search(match, row["reason"]) and not row["reason"].endswith("这次尝试已记入操作日志。")


@pytest.mark.parametrize(
    "call, match",
    [
        (lambda s: s.create_group(5), r"分组名称（group_name）应该是文字（str），收到的是 5（int）"),
        (
            lambda s: s.add_to_group("新客户", ["3"]),
            r"客户编号（customer_ids）应该是整数（integer），其中的 '3'（str）不是",
        ),
        (
            lambda s: s.add_to_group(1.5, [3]),
            r"分组（group）应该是分组编号（整数）或分组名称（文字），收到的是 1.5",
        ),
        (lambda s: s.send_group_coupon("新客户", "10"), r"面额（amount） 应该是数字（number）"),
    ],
)
def test_wrong_types_raise_type_error_and_change_nothing(wb, call, match):
    boss = _prepared(wb)
    before = snapshot(wb)
    with pytest.raises(TypeError, match=match):
        call(boss)
    assert_same_state(wb, before)


def test_views_are_copies(wb):
    boss = _prepared(wb)
    boss.send_group_coupon("新客户", 10)
    for view in (wb.groups, wb.group_members, wb.group_coupons):
        view.iloc[0, 0] = 999
        del view[view.columns[-1]]
    assert len(wb.groups) == 2 and len(wb.group_members) == 2 and len(wb.group_coupons) == 2


# ---- the log tells an operation from a table edit -------------------------------------------


def test_replay_of_the_log_matches_the_state_unless_tables_were_edited(wb):
    boss = wb.main_account()
    boss.create_group("新客户", method="条件分组", condition="新客户")
    boss.create_group("甲")
    boss.add_to_group("甲", [1, 2, 3])
    boss.add_customer_to_groups(4, ["甲", "新客户"])
    boss.remove_from_group("甲", 2)
    boss.rename_group("甲", "乙")
    boss.create_group("丙")
    boss.add_to_group("丙", [8])
    boss.delete_group("丙")
    with pytest.raises(PermissionDenied):
        boss.add_to_group("乙", [5, 999999])
    groups, members = topic.replay_log(wb.audit_log)
    pd.testing.assert_frame_equal(
        groups, wb.groups[["group_id", "group_name"]].sort_values("group_id", ignore_index=True)
    )
    state_pairs = wb.group_members[["group_id", "customer_id"]].sort_values(
        ["group_id", "customer_id"], ignore_index=True
    )
    pd.testing.assert_frame_equal(members, state_pairs)
    # a student who edits the table instead of using 添加分组 leaves no log row
    state = wb.state
    state.group_members = pd.concat(
        [state.group_members, state.group_members.iloc[[0]].assign(customer_id=6, group_id=2)],
        ignore_index=True,
    )
    _, replayed = topic.replay_log(wb.audit_log)
    assert len(replayed) == len(wb.group_members) - 1


def test_group_actions_are_audit_actions(wb):
    boss = _prepared(wb)
    boss.send_group_coupon("新客户", 10)
    boss.rename_group("老客户", "回头客")
    boss.remove_from_group("新客户", 1)
    boss.delete_group("回头客")
    written = set(wb.audit_log["action"])
    assert set(GROUP_ACTIONS) <= written
    assert set(GROUP_ACTIONS) <= set(AUDIT_ACTIONS)
    assert written <= set(AUDIT_ACTIONS)


# ---- a shop's own data -------------------------------------------------------------------------


def test_groups_on_a_shops_own_order_export():
    """The 分组 steps run on a 千牛 order export: manual groups, condition groups, coupons, refusals."""
    from crm_helpers.crowds import customer_features, standard_crowds
    from crm_helpers.shop_export import example_order_export_path, read_order_export

    export = read_order_export(example_order_export_path())
    wb = Workbench(export)
    boss = wb.main_account()
    ids = sorted(export.customers["customer_id"].tolist())
    boss.create_group("实训店老客户")
    assert boss.add_to_group("实训店老客户", ids[:3]).changed == tuple(ids[:3])
    boss.create_group("新客户", method="条件分组", condition="新客户")
    expected = standard_crowds()[1].members(customer_features(export))
    members = wb.group_members.merge(wb.groups, on="group_id").query("group_name == '新客户'")
    assert sorted(members["customer_id"].tolist()) == sorted(int(i) for i in expected)
    assert boss.send_group_coupon("实训店老客户", 5, threshold=30) == 3
    unknown = max(ids) + 1
    before = snapshot(wb)
    with pytest.raises(PermissionDenied, match=rf"客户.*{unknown}"):
        boss.add_to_group("实训店老客户", [ids[0], unknown])
    assert_same_state(wb, before)
