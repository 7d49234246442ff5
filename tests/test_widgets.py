"""The 新建员工 form and the order search panel, driven from code as nbval would."""

from __future__ import annotations

import pandas as pd
import pytest

import crm_helpers
from crm_helpers.widgets import group_manager, new_employee_form, order_search_panel
from crm_helpers.workbench import Workbench

SHOP = "乐童优选"


@pytest.fixture
def wb():
    return Workbench(crm_helpers.load_store())


def fill(form, **values):
    for name, value in values.items():
        form.fields[name].value = value


def test_form_creates_the_account_and_lists_it(wb):
    form = new_employee_form(wb)
    assert [form.fields[n].description for n in form.fields] == [
        "选择岗位", "账号名", "密码", "部门", "安全验证手机", "证书允许开启数量",
    ]  # fmt: skip
    fill(form, account_name=f"{SHOP}:小会", password="Kefu2025!", phone="13800138000")
    assert form.submit() == f"{SHOP}:小会"
    assert "已新建子账号" in form.status.value
    assert f"{SHOP}:小会" in set(wb.sub_accounts["account_name"])
    assert all(m.value == "" for m in form.messages.values())


@pytest.mark.parametrize(
    "field, value, text",
    [
        ("account_name", "小会", "主账号名:子账号名"),
        ("password", "123", "8～20 位"),
        ("phone", "12345", "11 位手机号码"),
        ("department", "财务部", "岗位“客服”属于客服部"),
        ("certificate_limit", 0, "至少要是 1"),
    ],
)
def test_form_shows_the_message_under_the_wrong_field(wb, field, value, text):
    form = new_employee_form(wb)
    fill(form, account_name=f"{SHOP}:小会", password="Kefu2025!", phone="13800138000")
    fill(form, **{field: value})
    before = len(wb.sub_accounts)
    assert form.submit() is None
    assert text in form.messages[field].value and "color:#c0392b" in form.messages[field].value
    others = [m.value for name, m in form.messages.items() if name != field]
    assert others == [""] * len(others)
    assert len(wb.sub_accounts) == before


def test_red_message_stays_after_a_later_success(wb):
    """Run from top to bottom (运行所有单元格), the lesson's refused attempt still shows in red."""
    form = new_employee_form(wb)
    fill(form, account_name=f"{SHOP}:zzh", password="zzh12345", phone="13912345678")
    assert form.submit() is None
    refused = form.messages["password"].value
    assert "第 1 次确认新建：✗" in refused and "不能包含子账号名" in refused and "color:#c0392b" in refused
    fill(form, password="Kefu@2025")
    assert form.submit() == f"{SHOP}:zzh"
    shown = form.messages["password"].value
    assert shown.startswith(refused)  # the red line is still there, first
    assert "第 2 次确认新建：✓ 已改正" in shown and "color:#1e8449" in shown
    others = [m.value for name, m in form.messages.items() if name != "password"]
    assert others == [""] * len(others) and form.attempts == 2
    assert "已新建子账号" in form.status.value


def test_sub_account_list_has_chinese_headers(wb):
    """The list under the form (and in lesson 01) shows no English column names."""
    wb.main_account().disable_sub_account(f"{SHOP}:小美")
    shown = wb.sub_account_list()
    assert list(shown.columns) == [
        "账号名",
        "岗位",
        "部门",
        "权限",
        "每日红包限额（元）",
        "安全验证手机",
        "状态",
    ]
    assert shown.loc[0, "状态"] == "停用" and shown.loc[1, "状态"] == "启用"
    assert list(wb.sub_account_list(["account_name", "created_at"]).columns) == ["账号名", "新建时间"]
    with pytest.raises(ValueError, match="列名（columns）.*'password_hash'"):
        wb.sub_account_list(["account_name", "password_hash"])


def test_form_for_a_sub_account_is_refused(wb):
    form = new_employee_form(wb.sub_account(f"{SHOP}:小美"))
    fill(form, account_name=f"{SHOP}:小会", password="Kefu2025!", phone="13800138000")
    assert form.submit() is None
    assert "只有主账号" in form.status.value
    assert wb.audit_log.iloc[-1]["result"] == "拒绝"


def test_order_search_panel(wb):
    panel = order_search_panel(wb)
    panel.fields["status"].value = "等待买家付款"
    found = panel.search()
    assert len(found) == (wb.orders["status"] == "等待买家付款").sum()
    assert "找到" in panel.status.value
    member = found["member_name"].iloc[0]
    panel.fields["status"].value = "全部"
    panel.fields["member_name"].value = member
    assert set(panel.search()["member_name"]) == {member}
    panel.fields["order_id"].value = "abc"
    assert panel.search() is None and "订单编号只能是数字" in panel.status.value


def test_search_needs_the_view_orders_permission(wb):
    wb.main_account().revoke_permission(f"{SHOP}:小美", "查看订单")
    panel = order_search_panel(wb.sub_account(f"{SHOP}:小美"))
    assert panel.search() is None and "查看订单" in panel.status.value


def test_bad_target():
    with pytest.raises(TypeError, match="需要一个千牛工作台"):
        new_employee_form("乐童优选")


# ---- 分组管理 (lesson 07) -------------------------------------------------------------------------


def test_group_manager_follows_the_click_path(wb):
    page = group_manager(wb)
    assert [page.fields[n].description for n in ("group_name", "method", "condition")] == [
        "分组名称", "分组方式", "分组条件",
    ]  # fmt: skip
    assert page.fields["condition"].disabled and page.fields["group"].value is None
    page.fields["group_name"].value = "宝妈"
    assert page.create() == 1
    assert "已新增分组“宝妈”（编号 1）" in page.status.value and page.fields["group"].value == 1
    page.fields["method"].value = "条件分组"
    assert not page.fields["condition"].disabled
    page.fields["group_name"].value = "新客户"
    page.fields["condition"].value = "新客户"
    assert page.create() == 2
    assert page.fields["group"].value == 2
    count = len(wb.group_member_list(2))
    assert f"按条件“新客户”选出 {count} 位客户" in page.status.value and count > 0
    page.fields["group"].value = 1
    names = wb.store.customers.set_index("customer_id")["member_name"]
    page.fields["customers"].value = f"{names[3]}，7、 {names[9]}"
    assert page.add_customers()
    assert sorted(wb.group_members.query("group_id == 1")["customer_id"]) == [3, 7, 9]
    assert "已把客户 3、7、9 加入分组“宝妈”" in page.status.value
    assert page.add_customers() and "已经在分组“宝妈”里，没有重复添加" in page.status.value
    page.fields["customers"].value = "7"
    assert page.remove_customers() and "已把客户 7 移出分组“宝妈”" in page.status.value
    page.fields["new_name"].value = "宝妈客户"
    assert page.rename() and wb.groups.set_index("group_id").loc[1, "group_name"] == "宝妈客户"
    assert [label for label, _ in page.fields["group"].options] == ["1 宝妈客户", "2 新客户"]
    assert page.delete() and wb.groups["group_id"].tolist() == [2]
    assert page.fields["group"].value == 2
    actions = wb.audit_log["action"].tolist()[-7:]
    assert actions == ["新增分组", "新增分组", "添加分组", "添加分组", "移出分组", "修改分组名称", "删除分组"]


@pytest.mark.parametrize(
    "setup, press, text",
    [
        ({"group_name": ""}, "create", "分组名称（group_name）不能是空的"),
        ({"group_name": "很" * 21}, "create", "本课程的规定是最多 20 个字"),
        ({"group_name": "老客户"}, "create", "已经有名为“老客户”的分组了"),
        ({"new_name": "老客户"}, "rename", "已经有名为“老客户”的分组了"),
        ({"customers": "1, 2, 999999"}, "add_customers", "不是本店的客户：999999"),
        ({"customers": "不存在的会员"}, "add_customers", "没有会员名为 不存在的会员 的客户"),
        ({"customers": "  "}, "add_customers", "请输入要添加或移出的客户"),
    ],
)
def test_group_manager_shows_refusals_in_red(wb, setup, press, text):
    boss = wb.main_account()
    boss.create_group("新客户")
    boss.create_group("老客户")
    page = group_manager(boss)
    page.fields["group"].value = 1
    for name, value in setup.items():
        page.fields[name].value = value
    before = (wb.groups, wb.group_members)
    assert getattr(page, press)() in (None, False)
    assert text in page.status.value and "color:#c0392b" in page.status.value
    pd.testing.assert_frame_equal(wb.groups, before[0])
    pd.testing.assert_frame_equal(wb.group_members, before[1])


def test_group_manager_for_a_plain_kefu_is_refused(wb):
    page = group_manager(wb.sub_account(f"{SHOP}:小美"))
    page.fields["group_name"].value = "宝妈"
    assert page.create() is None and "没有“客户管理”权限" in page.status.value
    assert wb.audit_log.iloc[-1]["result"] == "拒绝" and len(wb.groups) == 0
    assert not page.add_customers() and "还没有分组可选：请先新增分组" in page.status.value
