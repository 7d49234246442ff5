"""客户分群 on the workbench: 保存人群 / 删除人群 with 客户管理, logged, refusals change nothing."""

from __future__ import annotations

import pandas as pd
import pytest

from crm_helpers.crowds import customer_features, standard_crowds
from crm_helpers.shop_export import example_order_export_path, read_order_export
from crm_helpers.vocabulary import AUDIT_ACTIONS, CROWD_ACTIONS
from crm_helpers.workbench import PermissionDenied, Workbench

SHOP = "乐童优选"
SMALL = [("近两年付款总金额", 5, 50), ("近两年付款笔数", 10, 100)]
STAFF = {"password": "Kefu2025!", "phone": "13800138000", "certificate_limit": 1}


@pytest.fixture
def wb(store):
    return Workbench(store)


def _staff(wb, role, name):
    department = {"客服": "客服部", "客服主管": "客服部", "运营": "运营部"}[role]
    return wb.sub_account(
        wb.main_account().create_sub_account(
            role=role, account_name=f"{SHOP}:{name}", department=department, **STAFF
        )
    )


def test_save_crowd_records_definition_reach_and_log(wb):
    operator = _staff(wb, "运营", "小运")
    assert operator.save_crowd("小额交易活跃", SMALL) == 1
    row = wb.crowds.iloc[0]
    assert (row["crowd_name"], row["reach"], row["saved_by"]) == ("小额交易活跃", 11, f"{SHOP}:小运")
    assert row["conditions"] == (("近两年付款总金额", 5.0, 50.0), ("近两年付款笔数", 10.0, 100.0))
    assert wb.crowd_list().columns.tolist() == [
        "人群编号",
        "人群名称",
        "人群定义",
        "预计触达人数",
        "保存时间",
        "保存人",
    ]
    last = wb.audit_log.iloc[-1]
    assert (last["action"], last["target"], last["result"]) == ("保存人群", "人群 1", "成功")
    assert (
        last["after"]
        == "小额交易活跃：近两年付款总金额 5～50 元 且 近两年付款笔数 10～100 笔；预计触达 11 人"
    )


def test_standard_crowds_saved_on_the_workbench_have_the_module_reach(wb, store):
    boss = wb.main_account()
    features = customer_features(store)
    for crowd in standard_crowds():
        boss.save_crowd(crowd.name, crowd.conditions)
    assert wb.crowds["reach"].tolist() == [c.reach(features) for c in standard_crowds()]
    assert wb.crowds["crowd_id"].tolist() == [1, 2, 3, 4, 5]


def test_a_story_day_counts_as_of_that_day(store):
    wb = Workbench(store, now="2025-06-30 10:00")
    wb.main_account().save_crowd("小额交易活跃", SMALL)
    expected = standard_crowds()[4].reach(customer_features(store, today="2025-06-30"))
    assert wb.crowds["reach"].iloc[0] == expected


def test_delete_crowd_by_name_or_id(wb):
    boss = wb.main_account()
    boss.save_crowd("甲", [("年龄", 20, 30)])
    boss.save_crowd("乙", [("年龄", 31, 40)])
    boss.delete_crowd("甲")
    boss.delete_crowd(2)
    assert wb.crowds.empty
    log = wb.audit_log.tail(2)
    assert log["action"].tolist() == ["删除人群", "删除人群"] and log["before"].tolist() == ["甲", "乙"]


def test_a_plain_service_agent_may_not_save(wb):
    agent = _staff(wb, "客服", "小新")
    with pytest.raises(PermissionDenied, match="没有“客户管理”权限"):
        agent.save_crowd("小额交易活跃", SMALL)
    assert wb.crowds.empty
    last = wb.audit_log.iloc[-1]
    assert (last["action"], last["result"]) == ("客户管理", "拒绝")


@pytest.mark.parametrize(
    "name, conditions, match",
    [
        ("反了", [("近两年付款笔数", 100, 10)], "下限 100 大于上限 10"),
        ("未知", [("付款次数", 1, 2)], "没有叫「付款次数」的标签"),
        ("", SMALL, "人群名称 不能是空的"),
        ("名" * 21, SMALL, "人群名称 最多 20 个字"),
        ("已有", SMALL, "人群名称“已有”已经有了"),
    ],
)
def test_refused_crowds_are_logged_and_change_nothing(wb, name, conditions, match):
    boss = wb.main_account()
    boss.save_crowd("已有", [("年龄", 1, 99)])
    before = wb.crowds
    with pytest.raises(PermissionDenied, match=match):
        boss.save_crowd(name, conditions)
    pd.testing.assert_frame_equal(wb.crowds, before)
    last = wb.audit_log.iloc[-1]
    assert (last["action"], last["result"]) == ("客户管理", "拒绝") and match.split("「")[0][:4] in last[
        "reason"
    ]


def test_unknown_crowd_and_wrong_types(wb):
    boss = wb.main_account()
    with pytest.raises(
        PermissionDenied, match="没有名称为“不存在”的人群。已保存的人群：（还没有保存任何人群）"
    ):
        boss.delete_crowd("不存在")
    with pytest.raises(TypeError, match="人群名称 应该是文字"):
        boss.save_crowd(5, SMALL)
    with pytest.raises(TypeError, match="人群编号或人群名称"):
        boss.delete_crowd(1.5)


def test_an_export_refuses_crowds_it_cannot_count():
    wb = Workbench(read_order_export(example_order_export_path()))
    boss = wb.main_account()
    with pytest.raises(PermissionDenied, match="它要用行为表（events），这份数据里这张表是空的"):
        boss.save_crowd("兴趣人群", standard_crowds()[0].conditions)
    assert boss.save_crowd("老客户", standard_crowds()[3].conditions) == 1


def test_crowd_actions_are_audit_actions():
    assert set(CROWD_ACTIONS) <= set(AUDIT_ACTIONS)
