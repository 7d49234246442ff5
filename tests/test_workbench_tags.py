"""人工标签 on the workbench: add_tag / remove_tag (客户管理), the views, every refusal logged."""

from __future__ import annotations

import re

import numpy as np
import pandas as pd
import pytest
from helpers import assert_unchanged, snapshot

from crm_helpers import tags as tag_topic
from crm_helpers.vocabulary import AUDIT_ACTIONS, RULE_TAGS
from crm_helpers.workbench import PermissionDenied, Workbench
from crm_helpers.workbench.tags import MAX_TAG_LENGTH

SHOP = "乐童优选"
BOSS = f"{SHOP}:晓雯"  # 客服主管: has 客户管理
AGENT = f"{SHOP}:小美"  # 客服: does not


@pytest.fixture
def wb(store):
    return Workbench(store)


def _state(wb):
    return wb.manual_tags, wb.audit_log


def test_add_and_remove_are_logged_with_the_operation(wb, store):
    before = snapshot(*store.tables.values())
    supervisor = wb.sub_account(BOSS)
    assert supervisor.add_tag([3, np.int64(5), 3], "爱晒单") == 2  # each customer once
    assert supervisor.add_tag(pd.Series([5, 7]), " 爱晒单 ") == 1  # 5 had it already; spaces trimmed
    tags = wb.manual_tags
    assert tags[["customer_id", "tag", "operator"]].values.tolist() == [
        [3, "爱晒单", BOSS],
        [5, "爱晒单", BOSS],
        [7, "爱晒单", BOSS],
    ]
    assert supervisor.remove_tag(5, "爱晒单") == 1
    assert wb.manual_tags["customer_id"].tolist() == [3, 7]
    log = wb.audit_log.iloc[-3:]
    assert log[["operator", "action", "target", "before", "after", "result"]].values.tolist() == [
        [BOSS, "打标签", "客户 3、5", "", "标签：爱晒单", "成功"],
        [BOSS, "打标签", "客户 7", "", "标签：爱晒单", "成功"],
        [BOSS, "移除标签", "客户 5", "标签：爱晒单", "", "成功"],
    ]
    assert set(log["action"]) <= set(AUDIT_ACTIONS)
    assert_unchanged(before, *store.tables.values())


def test_views_are_copies_and_show_both_sources(wb, store):
    wb.main_account().add_tag([2, 10], "送过小样")
    view = wb.customer_tags
    assert list(view.columns) == ["客户编号", "会员名", "标签", "来源"]
    assert set(view["来源"]) == {"规则", "人工"}
    rule = tag_topic.long_tags(tag_topic.rule_tags(store))
    assert (view["来源"] == "规则").sum() == len(rule)
    ten = view[view["客户编号"] == 10]
    assert ten["标签"].tolist() == ["忠诚客户", "母婴常客", "送过小样"] and ten["来源"].tolist() == [
        "规则",
        "规则",
        "人工",
    ]
    assert ten["会员名"].iloc[0] == store.customers.set_index("customer_id").loc[10, "member_name"]
    copy = wb.manual_tags
    copy.loc[0, "tag"] = "改掉"
    view.loc[0, "标签"] = "改掉"
    assert wb.manual_tags.loc[0, "tag"] == "送过小样" and "改掉" not in set(wb.customer_tags["标签"])


def test_a_plain_agent_may_not_tag(wb):
    manual, log = _state(wb)
    with pytest.raises(PermissionDenied, match=r"子账号 乐童优选:小美 没有“客户管理”权限"):
        wb.sub_account(AGENT).add_tag(1, "爱晒单")
    pd.testing.assert_frame_equal(wb.manual_tags, manual)
    last = wb.audit_log.iloc[-1]
    assert (last["action"], last["result"], last["target"]) == ("客户管理", "拒绝", "客户 1")
    assert len(wb.audit_log) == len(log) + 1


@pytest.mark.parametrize(
    "call, match",
    [
        (lambda s: s.add_tag(1, ""), r"标签名不能是空的（收到 ''）：本课程规定标签名 1-10 个字"),
        (lambda s: s.add_tag(1, "   "), r"标签名不能是空的（收到 '   '）"),
        (
            lambda s: s.add_tag(1, "一位很喜欢晒单的宝妈客户"),
            r"标签名“一位很喜欢晒单的宝妈客户”有 12 个字，太长了：本课程规定标签名最多 10 个字",
        ),
        (
            lambda s: s.add_tag([1, 99999, 88888], "爱晒单"),
            r"客户编号 99999、88888 不存在，这次没有给任何客户打标签“爱晒单”",
        ),
        (
            lambda s: s.remove_tag([99999], "爱晒单"),
            r"客户编号 99999 不存在，这次没有给任何客户移除标签“爱晒单”",
        ),
        (lambda s: s.add_tag([], "爱晒单"), r"没有选择客户"),
        (lambda s: s.add_tag(1, "高价值"), r"“高价值”是规则标签，由系统按店铺数据计算，不能手动打或移除"),
        (lambda s: s.remove_tag(1, "负值顾客"), r"“负值顾客”是规则标签"),
        (lambda s: s.add_tag([3, 5], "老朋友"), r"客户 3、5 都已经有标签“老朋友”了，不用再打"),
        (lambda s: s.remove_tag([3, 4], "老朋友"), r"客户 4 没有人工标签“老朋友”，这次一个也没有移除"),
    ],
)
def test_bad_input_is_refused_logged_and_changes_nothing(wb, call, match):
    supervisor = wb.sub_account(BOSS)
    supervisor.add_tag([3, 5], "老朋友")
    manual, log = _state(wb)
    with pytest.raises(PermissionDenied, match=match):
        call(supervisor)
    pd.testing.assert_frame_equal(wb.manual_tags, manual)
    new = wb.audit_log.iloc[len(log) :]
    assert len(new) == 1 and new.iloc[0]["result"] == "拒绝" and new.iloc[0]["action"] == "客户管理"
    assert re.search(match, new.iloc[0]["reason"])  # the log has the same Chinese reason


@pytest.mark.parametrize(
    "call, match",
    [
        (lambda s: s.add_tag("1", "爱晒单"), r"客户编号（customer_ids） 应该是整数（integer），收到的是 '1'"),
        (lambda s: s.add_tag([1, 2.5], "爱晒单"), r"客户编号（customer_ids） 应该是整数"),
        (lambda s: s.add_tag(1, 7), r"标签名（tag）应该是文字（str），收到的是 7（int）"),
        (lambda s: s.remove_tag(1, None), r"标签名（tag）应该是文字（str），收到的是 None"),
    ],
)
def test_malformed_input_is_a_type_error(wb, call, match):
    manual = wb.manual_tags
    with pytest.raises(TypeError, match=match):
        call(wb.main_account())
    pd.testing.assert_frame_equal(wb.manual_tags, manual)


def test_the_length_limit_is_the_stated_rule(wb):
    boss = wb.main_account()
    assert boss.add_tag(1, "一" * MAX_TAG_LENGTH) == 1
    with pytest.raises(PermissionDenied, match=f"最多 {MAX_TAG_LENGTH} 个字"):
        boss.add_tag(1, "一" * (MAX_TAG_LENGTH + 1))
    assert not set(RULE_TAGS) & set(wb.manual_tags["tag"])


def test_the_view_follows_the_workbench_orders(store):
    """Rule tags on the workbench read its current orders (a closed unpaid order changes nothing paid)."""
    wb = Workbench(store)
    first = wb.customer_tags
    unpaid = int(wb.orders.loc[wb.orders["status"] == "等待买家付款", "order_id"].iloc[0])
    wb.main_account().close_order(unpaid)
    pd.testing.assert_frame_equal(wb.customer_tags, first)
