"""Tests for crm_helpers.groups: the group tables and pure functions on tiny hand-built tables."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from crm_helpers import groups as g
from crm_helpers.vocabulary import GROUP_ACTIONS, GROUP_CONDITIONS, GROUP_METHODS

NOW = pd.Timestamp("2025-12-20 10:00")
SHOP = "乐童优选"
KNOWN = [1, 2, 3, 4, 5]


def two_groups():
    groups, members, coupons = g.empty_tables()
    groups, first = g.add_group(groups, "新客户", "手动分组", NOW, SHOP)
    groups, second = g.add_group(groups, "老客户", "手动分组", NOW, SHOP)
    members, _ = g.add_members(members, groups, first, [1, 2], NOW, SHOP, KNOWN)
    members, _ = g.add_members(members, groups, second, [2, 3], NOW, SHOP, KNOWN)
    return groups, members, coupons


def copies(*frames):
    return [f.copy(deep=True) for f in frames]


def assert_unchanged(frames, before):
    for frame, copy in zip(frames, before):
        pd.testing.assert_frame_equal(frame, copy)


# ---- the tables -------------------------------------------------------------------------------


def test_empty_tables_have_the_schemas():
    groups, members, coupons = g.empty_tables()
    for table, schema in ((groups, g.GROUP_SCHEMA), (members, g.MEMBER_SCHEMA), (coupons, g.COUPON_SCHEMA)):
        assert list(table.columns) == list(schema) and len(table) == 0
        assert {c: str(t) for c, t in table.dtypes.items()} == {
            c: str(pd.Series(dtype=t).dtype) for c, t in schema.items()
        }


def test_add_group_numbers_groups_and_trims_the_name():
    groups, members, _ = g.empty_tables()
    groups, first = g.add_group(groups, "  新客户 ", "手动分组", NOW, SHOP)
    groups, second = g.add_group(groups, "老客户", "条件分组", NOW, SHOP, condition="老客户")
    assert (first, second) == (1, 2)
    assert groups.to_dict("records") == [
        {"group_id": 1, "group_name": "新客户", "method": "手动分组", "condition": "", "created_at": NOW, "created_by": SHOP},
        {"group_id": 2, "group_name": "老客户", "method": "条件分组", "condition": "老客户", "created_at": NOW, "created_by": SHOP},
    ]  # fmt: skip
    assert (
        groups.dtypes.to_dict()
        == g.add_group(g.empty_tables()[0], "x", "手动分组", NOW, SHOP)[0].dtypes.to_dict()
    )


def test_ids_are_never_reused_after_a_delete():
    groups, members, _ = two_groups()
    groups, members, *_ = g.remove_group(groups, members, 2)
    assert g.add_group(groups, "第三组", "手动分组", NOW, SHOP)[1] == 2  # the table alone forgets 2
    groups, new_id = g.add_group(groups, "第三组", "手动分组", NOW, SHOP, last_id=2)
    assert new_id == 3  # with the largest id ever given, a deleted group's id is not given again
    assert g.add_group(groups, "第四组", "手动分组", NOW, SHOP, last_id=1)[1] == 4


@pytest.mark.parametrize(
    "name, error, match",
    [
        ("", ValueError, r"分组名称（group_name）不能是空的，收到的是 ''"),
        ("   ", ValueError, r"分组名称（group_name）不能是空的，收到的是 '   '"),
        ("超" * 21, ValueError, r"有 21 个字，本课程的规定是最多 20 个字"),
        ("新客户", ValueError, r"已经有名为“新客户”的分组了.*不能重复.*现有的分组：新客户、老客户"),
        (" 新客户", ValueError, r"已经有名为“新客户”的分组了"),
        (5, TypeError, r"分组名称（group_name）应该是文字（str），收到的是 5（int）"),
        (None, TypeError, r"收到的是 None（NoneType）"),
    ],
)
def test_bad_group_names_are_refused(name, error, match):
    groups, members, _ = two_groups()
    before = copies(groups)
    with pytest.raises(error, match=match):
        g.add_group(groups, name, "手动分组", NOW, SHOP)
    assert_unchanged([groups], before)


def test_twenty_characters_are_allowed():
    groups, _, _ = g.empty_tables()
    assert g.add_group(groups, "二" * g.MAX_GROUP_NAME_LENGTH, "手动分组", NOW, SHOP)[1] == 1


@pytest.mark.parametrize(
    "method, condition, match",
    [
        ("自动分组", None, r"分组方式（method） 不能是 '自动分组'.*'手动分组'、'条件分组'"),
        ("条件分组", None, r"分组条件（condition） 不能是 None.*'新客户'、'老客户'"),
        ("条件分组", "大客户", r"分组条件（condition） 不能是 '大客户'"),
        ("手动分组", "新客户", r"手动分组不需要分组条件（condition），收到的是 '新客户'"),
    ],
)
def test_method_and_condition_are_checked(method, condition, match):
    groups, _, _ = g.empty_tables()
    with pytest.raises(ValueError, match=match):
        g.add_group(groups, "甲", method, NOW, SHOP, condition)


def test_vocabulary_lists():
    assert GROUP_METHODS == ("手动分组", "条件分组")
    assert GROUP_CONDITIONS == ("新客户", "老客户")
    assert set(GROUP_ACTIONS) == {"新增分组", "修改分组名称", "删除分组", "添加分组", "移出分组", "送优惠券"}


# ---- rename, delete, find --------------------------------------------------------------------


def test_rename_keeps_the_id_and_checks_duplicates():
    groups, members, _ = two_groups()
    before = copies(groups)
    renamed, old, new = g.rename_group(groups, "新客户", " 首单客户 ")
    assert (old, new) == ("新客户", "首单客户")
    assert renamed.set_index("group_id")["group_name"].to_dict() == {1: "首单客户", 2: "老客户"}
    assert g.rename_group(groups, 1, "新客户")[2] == "新客户"  # its own name is no duplicate
    with pytest.raises(ValueError, match=r"已经有名为“老客户”的分组了"):
        g.rename_group(groups, 1, "老客户")
    with pytest.raises(ValueError, match=r"不能是空的"):
        g.rename_group(groups, 1, "")
    assert_unchanged([groups], before)


def test_remove_group_takes_its_memberships_only():
    groups, members, _ = two_groups()
    before = copies(groups, members)
    kept_groups, kept_members, group_id, name, count = g.remove_group(groups, members, "新客户")
    assert (group_id, name, count) == (1, "新客户", 2)
    assert kept_groups["group_name"].tolist() == ["老客户"]
    assert kept_members[["group_id", "customer_id"]].values.tolist() == [[2, 2], [2, 3]]
    assert_unchanged([groups, members], before)


@pytest.mark.parametrize(
    "group, error, match",
    [
        (9, ValueError, r"没有分组 9。现有的分组（编号 名称）：1 新客户、2 老客户"),
        ("大客户", ValueError, r"没有分组 '大客户'"),
        (1.0, TypeError, r"分组（group）应该是分组编号（整数）或分组名称（文字），收到的是 1.0（float）"),
        (True, TypeError, r"收到的是 True（bool）"),
    ],
)
def test_unknown_groups_are_named(group, error, match):
    groups, _, _ = two_groups()
    with pytest.raises(error, match=match):
        g.find_group(groups, group)


def test_find_group_by_id_or_name():
    groups, _, _ = two_groups()
    assert g.find_group(groups, np.int64(2)) == g.find_group(groups, "老客户") == 2
    with pytest.raises(ValueError, match=r"（还没有分组）"):
        g.find_group(g.empty_tables()[0], 1)


# ---- members -------------------------------------------------------------------------------


def test_one_customer_in_many_groups_and_no_duplicate_rows():
    groups, members, _ = two_groups()
    assert sorted(members.loc[members["customer_id"] == 2, "group_id"]) == [1, 2]
    before = copies(members)
    again, change = g.add_members(members, groups, 1, [2, np.int64(4), 4], NOW, "乐童优选:小美", KNOWN)
    assert change.changed == (4,) and change.unchanged == (2,)
    assert repr(change) == "已把客户 4 加入分组“新客户”。客户 2 已经在分组“新客户”里，没有重复添加。"
    assert len(again) == len(members) + 1
    assert not again.duplicated(["group_id", "customer_id"]).any()
    assert again.iloc[-1].to_dict() == {
        "group_id": 1,
        "customer_id": 4,
        "added_at": NOW,
        "added_by": "乐童优选:小美",
    }
    same, nothing = g.add_members(members, groups, 1, 1, NOW, SHOP, KNOWN)
    assert nothing.changed == () and nothing.message == "客户 1 已经在分组“新客户”里，没有重复添加。"
    pd.testing.assert_frame_equal(same, members)
    assert_unchanged([members], before)


@pytest.mark.parametrize(
    "customer_ids, error, match",
    [
        (
            [1, 2, 999999],
            ValueError,
            r"这些客户编号（customer_ids）不是本店的客户：999999。.*一位客户也没有添加或移出",
        ),
        ([0, 999999, 7], ValueError, r"不是本店的客户：0、999999、7"),
        ([], ValueError, r"客户编号（customer_ids）是空的：请至少选择一位客户"),
        (["1"], TypeError, r"客户编号（customer_ids）应该是整数（integer），其中的 '1'（str）不是"),
        ([1, 2.0], TypeError, r"其中的 2.0（float）不是"),
        ([True], TypeError, r"其中的 True（bool）不是"),
        ("1", TypeError, r"其中的 '1'（str）不是"),
    ],
)
def test_bad_customers_add_and_remove_nobody(customer_ids, error, match):
    groups, members, _ = two_groups()
    before = copies(groups, members)
    with pytest.raises(error, match=match):
        g.add_members(members, groups, 1, customer_ids, NOW, SHOP, KNOWN)
    with pytest.raises(error, match=match):
        g.remove_members(members, groups, 1, customer_ids, KNOWN)
    assert_unchanged([groups, members], before)


def test_remove_members_from_one_group_only():
    groups, members, _ = two_groups()
    before = copies(members)
    kept, change = g.remove_members(members, groups, "老客户", [2, 5], KNOWN)
    assert change.removing and change.changed == (2,) and change.unchanged == (5,)
    assert change.message == "已把客户 2 移出分组“老客户”。客户 5 本来就不在分组“老客户”里，不用移出。"
    assert kept[["group_id", "customer_id"]].values.tolist() == [[1, 1], [1, 2], [2, 3]]
    assert_unchanged([members], before)


def test_add_members_to_an_unknown_group_is_refused():
    groups, members, _ = two_groups()
    with pytest.raises(ValueError, match=r"没有分组 '大客户'"):
        g.add_members(members, groups, "大客户", [1], NOW, SHOP, KNOWN)


# ---- 条件分组 ---------------------------------------------------------------------------------


def test_new_and_old_customers_follow_the_stated_readings():
    today = pd.Timestamp("2025-12-31")
    rows = [
        (1, "2025-07-05 12:00", None),  # days_ago 179 → 新客户
        (2, "2025-07-04 23:59", None),  # days_ago 180 → 老客户 (one deal, older than 180 days)
        (3, "2025-12-01", None),  # two deals → 老客户
        (3, "2025-12-02", None),
        (4, "2025-12-01", None),  # one deal + a full refund (not a deal) → 新客户
        (4, "2025-11-01", "全额退款"),
        (5, "2024-01-02", None),  # days_ago 729: the first day of 近两年 → 老客户
        (6, "2024-01-01", None),  # days_ago 730: outside 近两年 → neither
        (7, None, None),  # never paid → neither
        (8, "2025-12-31 23:00", "买家取消订单"),  # paid today, not refused → 新客户
    ]
    orders = pd.DataFrame(rows, columns=["customer_id", "paid_at", "close_reason"])
    orders["paid_at"] = pd.to_datetime(orders["paid_at"], format="ISO8601")
    before = copies(orders)
    assert g.condition_members(orders, "新客户", today) == [1, 4, 8]
    assert g.condition_members(orders, "老客户", today) == [2, 3, 5]
    assert_unchanged([orders], before)
    with pytest.raises(ValueError, match=r"分组条件（condition） 不能是 '大客户'"):
        g.condition_members(orders, "大客户", today)


# ---- 送优惠券 ----------------------------------------------------------------------------------


def test_coupon_rows_one_per_member():
    groups, members, coupons = two_groups()
    before = copies(groups, members, coupons)
    coupons2, new = g.coupon_rows(coupons, members, groups, "老客户", 10, 99, NOW, SHOP)
    assert new["customer_id"].tolist() == [2, 3] and new["coupon_id"].tolist() == [1, 2]
    assert (
        set(new["group_name"]) == {"老客户"}
        and set(new["amount"]) == {10.0}
        and set(new["threshold"]) == {99.0}
    )
    coupons3, newer = g.coupon_rows(coupons2, members, groups, 1, np.float64(5), 0, NOW, SHOP)
    assert newer["coupon_id"].tolist() == [3, 4] and len(coupons3) == 4
    assert list(coupons3.columns) == list(g.COUPON_SCHEMA)
    assert_unchanged([groups, members, coupons], before)
    assert (g.coupon_text(10, 99), g.coupon_text(5, 0), g.coupon_text(2.5, 30)) == (
        "满99减10",
        "无门槛减5",
        "满30减2.5",
    )


@pytest.mark.parametrize(
    "amount, threshold, error, match",
    [
        (0, 0, ValueError, r"优惠券面额（amount）0 元不行：本课程的规定是 1～1000 元"),
        (1001, 0, ValueError, r"面额（amount）1001 元不行"),
        (10, 10, ValueError, r"使用门槛（threshold）10 元不行：门槛要么是 0（无门槛），要么大于面额 10 元"),
        (10, 5, ValueError, r"使用门槛（threshold）5 元不行"),
        ("10", 0, TypeError, r"面额（amount） 应该是数字（number），收到的是 '10'（str）"),
        (10, float("nan"), TypeError, r"使用门槛（threshold） 应该是数字"),
    ],
)
def test_bad_coupons_are_refused(amount, threshold, error, match):
    groups, members, coupons = two_groups()
    with pytest.raises(error, match=match):
        g.coupon_rows(coupons, members, groups, 1, amount, threshold, NOW, SHOP)


def test_coupons_to_an_empty_group_are_refused():
    groups, members, coupons = two_groups()
    groups, empty = g.add_group(groups, "空组", "手动分组", NOW, SHOP)
    with pytest.raises(ValueError, match=r"分组“空组”里还没有客户，送不出优惠券"):
        g.coupon_rows(coupons, members, groups, empty, 10, 0, NOW, SHOP)


# ---- the log and the Chinese views -----------------------------------------------------------


def test_replay_log_follows_every_action_in_order():
    log = pd.DataFrame(
        [
            ("新增分组", "分组 1", "", "甲", "成功"),
            ("新增分组", "分组 2", "", "乙", "成功"),
            ("添加分组", "分组 1", "", "客户 1、2、3", "成功"),
            ("添加分组", "分组 2", "", "客户 3", "成功"),
            ("移出分组", "分组 1", "客户 2", "", "成功"),
            ("客户管理", "添加分组 甲", "", "", "拒绝"),
            ("添加分组", "分组 1", "", "客户 9", "拒绝"),  # refused rows change nothing
            ("修改分组名称", "分组 2", "乙", "丙", "成功"),
            ("删除分组", "分组 1", "甲", "", "成功"),
            ("送优惠券", "分组 2", "", "满99减10 × 1 人（优惠券 1～1）", "成功"),
            ("新建员工", "乐童优选:小会", "", "", "成功"),
        ],
        columns=["action", "target", "before", "after", "result"],
    )
    groups, members = g.replay_log(log)
    assert groups.to_dict("records") == [{"group_id": 2, "group_name": "丙"}]
    assert members.to_dict("records") == [{"group_id": 2, "customer_id": 3}]
    empty_groups, empty_members = g.replay_log(log.iloc[:0])
    assert len(empty_groups) == len(empty_members) == 0
    with pytest.raises(ValueError, match=r"数据表 audit_log 缺少列 'before'"):
        g.replay_log(log.drop(columns="before"))
    assert g.customers_text([np.int64(3), 1]) == "客户 3、1"


def test_chinese_views():
    groups, members, coupons = two_groups()
    customers = pd.DataFrame({"customer_id": KNOWN, "member_name": ["甲甲", "乙乙", "丙丙", "丁丁", "戊戊"]})
    listed = g.chinese_groups(groups, members)
    assert list(listed.columns) == ["编号", "分组名称", "分组方式", "分组条件", "人数", "新建时间", "新建人"]
    assert listed["人数"].tolist() == [2, 2]
    groups, _ = g.add_group(groups, "空组", "手动分组", NOW, SHOP)
    assert g.chinese_groups(groups, members)["人数"].tolist() == [2, 2, 0]
    shown = g.chinese_members(members, groups, customers)
    assert list(shown.columns) == ["分组编号", "分组名称", "客户编号", "会员名", "加入时间", "操作人"]
    assert shown["会员名"].tolist() == ["甲甲", "乙乙", "乙乙", "丙丙"]
    _, new = g.coupon_rows(coupons, members, groups, 2, 10, 0, NOW, SHOP)
    assert g.chinese_coupons(new, customers)["会员名"].tolist() == ["乙乙", "丙丙"]
    assert "面额（元）" in g.chinese_coupons(new, customers).columns
