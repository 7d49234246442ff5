"""售后处理 on the workbench: the request table, the operations, permissions, policy and the log."""

from __future__ import annotations

import pandas as pd
import pytest
from helpers import assert_unchanged, snapshot

import crm_helpers
from crm_helpers.after_sales import REQUEST_COLUMNS, ReturnPolicy, requests_at
from crm_helpers.workbench import PermissionDenied, Workbench

SHOP = "乐童优选"
SUPERVISOR, FINANCE, AGENT = f"{SHOP}:晓雯", f"{SHOP}:王会计", f"{SHOP}:小美"
STORY = "2025-11-20 09:00"  # the after-sales wave after 双11


def refused(wb: Workbench) -> pd.DataFrame:
    log = wb.audit_log
    return log[log["result"] == "拒绝"]


def row(wb: Workbench, refund_id: int) -> pd.Series:
    return wb.after_sales.set_index("refund_id").loc[refund_id]


# ---- the table ------------------------------------------------------------------------------


def test_the_default_workbench_holds_the_stores_open_requests(store):
    wb = Workbench(store)
    table = wb.after_sales
    assert table.columns.tolist() == list(REQUEST_COLUMNS)
    assert (
        table["refund_id"].tolist()
        == store.refunds.loc[store.refunds["status"] == "处理中", "refund_id"].tolist()
    )
    assert set(table["state"]) == {"申请中"}


def test_a_moment_picks_the_requests_open_then_deterministically(store):
    wb = Workbench(store, now=STORY)
    again = Workbench(crm_helpers.load_store(), now=STORY)
    pd.testing.assert_frame_equal(wb.after_sales, again.after_sales)
    pd.testing.assert_frame_equal(wb.after_sales, requests_at(store.refunds, store.orders, STORY))
    assert wb.after_sales["refund_id"].tolist() == [567, 569, 571, 572, 573, 574]


def test_a_shop_export_opens_without_requests():
    from crm_helpers.shop_export import example_order_export_path, read_order_export

    store = read_order_export(example_order_export_path())  # its refunds have no application times
    wb = Workbench(store)
    assert wb.after_sales.empty and wb.after_sales.columns.tolist() == list(REQUEST_COLUMNS)
    assert wb.after_sales_list().empty
    with pytest.raises(ValueError, match=r"缺少列 'applied_at'"):
        requests_at(store.refunds, store.orders, wb.now)  # the explicit call still says what is missing


def test_views_are_copies_and_chinese(store):
    wb = Workbench(store, now=STORY)
    view = wb.after_sales
    view.loc[0, "state"] = "退款成功"
    assert row(wb, 567)["state"] == "申请中"
    shown = wb.after_sales_list()
    assert shown.columns.tolist() == [
        "售后编号",
        "订单编号",
        "会员名",
        "商品名称",
        "售后类型",
        "原因大类",
        "具体原因",
        "售后数量",
        "退款金额",
        "申请时间",
        "签收时间",
        "申请截止时间",
        "退货运费承担",
        "售后状态",
        "处理结果",
        "拒绝理由",
        "处理人",
        "最近处理时间",
    ]
    assert shown.loc[0, "商品名称"] == "儿童纯棉睡衣" and shown.loc[0, "退货运费承担"] == "卖家"
    assert shown["拒绝理由"].eq("").all() and shown["最近处理时间"].eq("").all()
    assert (
        shown.loc[0, "申请时间"] == "2025-11-15 10:24" and shown.loc[0, "申请截止时间"] == "2025-11-27 00:00"
    )
    assert shown.set_index("售后编号").loc[572, "申请截止时间"] == "不限"  # 物流原因
    assert not shown.isna().any().any()
    assert wb.after_sales_list(state="已同意").empty
    with pytest.raises(ValueError, match=r"state（售后状态） 不能是 '待处理'"):
        wb.after_sales_list(state="待处理")


# ---- the operations, one path per type ----------------------------------------------------------


def test_exchange_path_by_the_supervisor(store):
    before = snapshot(*store.tables.values())
    wb = Workbench(store, now=STORY)
    xiaowen = wb.sub_account(SUPERVISOR)
    for step in (
        xiaowen.approve_request,
        xiaowen.confirm_return,
        xiaowen.ship_exchange,
        xiaowen.close_request,
    ):
        assert step(567) is None
    done = row(wb, 567)
    assert (done["state"], done["status"], done["handled_by"]) == ("已关闭", "换货完成", SUPERVISOR)
    log = wb.audit_log.iloc[-4:]
    assert log["action"].eq("退款处理").all() and log["target"].eq("售后 567").all()
    assert list(zip(log["before"], log["after"], strict=True)) == [
        ("申请中", "已同意"),
        ("已同意", "买家已退货"),
        ("买家已退货", "换货已寄出"),
        ("换货已寄出", "已关闭"),
    ]
    assert done["updated_at"] == wb.audit_log["logged_at"].iloc[-1]
    assert_unchanged(before, *store.tables.values())


def test_return_refund_by_finance_and_refusal_of_returned_goods(store):
    wb = Workbench(store, now=STORY)
    finance = wb.sub_account(FINANCE)
    finance.approve_request(571)
    finance.confirm_return(571)
    finance.refund_request(571)
    assert tuple(row(wb, 571)[["state", "status"]]) == ("退款成功", "退款成功")
    finance.approve_request(569)
    finance.confirm_return(569)
    finance.reject_request(569, "退回的商品不符合退换条件")
    finance.close_request(569)
    assert tuple(row(wb, 569)[["state", "status", "reject_reason"]]) == (
        "已关闭",
        "退款关闭",
        "退回的商品不符合退换条件",
    )


def test_refund_only_and_withdrawal(store):
    wb = Workbench(store, now=STORY)
    boss = wb.main_account()
    boss.approve_request(572)
    boss.refund_request(572)
    boss.reject_request(573, "买家撤销了申请")
    boss.close_request(573)
    assert row(wb, 572)["status"] == "退款成功" and row(wb, 573)["status"] == "退款关闭"
    assert len(refused(wb)) == 0


# ---- refusals: permission, state, policy, unknown requests ------------------------------------


def test_an_agent_without_refund_permission_is_refused_and_logged(store):
    wb = Workbench(store, now=STORY)
    table, orders = wb.after_sales, wb.orders
    agent = wb.sub_account(AGENT)
    for call in (lambda: agent.approve_request(567), lambda: agent.reject_request(567, "买家撤销了申请")):
        with pytest.raises(
            PermissionDenied, match=r"子账号 乐童优选:小美 没有“退款处理”权限.*已记入操作日志"
        ):
            call()
    last = refused(wb).iloc[-1]
    assert (last["operator"], last["action"], last["target"]) == (AGENT, "退款处理", "售后 567")
    assert len(refused(wb)) == 2
    pd.testing.assert_frame_equal(wb.after_sales, table)
    pd.testing.assert_frame_equal(wb.orders, orders)


@pytest.mark.parametrize(
    ("steps", "call", "match", "before", "after"),
    [
        (
            (),
            lambda s: s.refund_request(572),
            r"售后 572：.*现在是“申请中”，不能直接变为“退款成功”",
            "申请中",
            "退款成功",
        ),
        (
            (),
            lambda s: s.ship_exchange(572),
            r"售后 572：.*“仅退款”的申请没有“换货已寄出”这一步",
            "申请中",
            "换货已寄出",
        ),
        (
            (),
            lambda s: s.close_request(567),
            r"现在是“申请中”，不能直接变为“已关闭”.*“已同意”（同意申请）",
            "申请中",
            "已关闭",
        ),
        (
            (lambda s: s.approve_request(571),),
            lambda s: s.refund_request(571),
            r"退货退款.*现在是“已同意”，不能直接变为“退款成功”.*“买家已退货”（确认收到退货）",
            "已同意",
            "退款成功",
        ),
        (
            (lambda s: s.approve_request(572), lambda s: s.refund_request(572)),
            lambda s: s.approve_request(572),
            r"已经是“退款成功”，是最终状态",
            "退款成功",
            "已同意",
        ),
        (
            (),
            lambda s: s.approve_request(9999),
            r"没有售后编号（refund_id）为 9999 的售后申请。现有的售后编号：567、569",
            "",
            "",
        ),
        (
            (),
            lambda s: s.reject_request(567, "超过退换货期限"),
            r"售后 567 是在期限内申请的（截止时间是 2025-11-27 00:00），不能以“超过退换货期限”拒绝",
            "申请中",
            "已拒绝",
        ),
        (
            (),
            lambda s: s.reject_request(572, "超过退换货期限"),
            r"是在期限内申请的（没有期限（物流原因））",
            "申请中",
            "已拒绝",
        ),
        (
            (),
            lambda s: s.reject_request(569, "该类目不支持7天无理由退换"),
            r"不在本店政策不支持7天无理由的范围内",
            "申请中",
            "已拒绝",
        ),
        (
            (),
            lambda s: s.reject_request(567, "退回的商品不符合退换条件"),
            r"售后 567 还没有收到退回的商品（现在是“申请中”）",
            "申请中",
            "已拒绝",
        ),
        (
            (lambda s: s.approve_request(567), lambda s: s.confirm_return(567)),
            lambda s: s.reject_request(567, "买家撤销了申请"),
            r"商品已经退回（现在是“买家已退货”），这时只能以“退回的商品不符合退换条件”拒绝",
            "买家已退货",
            "已拒绝",
        ),
    ],
)
def test_wrong_steps_are_refused_logged_and_change_nothing(store, steps, call, match, before, after):
    wb = Workbench(store, now=STORY)
    boss = wb.main_account()
    for step in steps:
        step(boss)
    table, orders, n_log = wb.after_sales, wb.orders, len(wb.audit_log)
    with pytest.raises(PermissionDenied, match=match) as caught:
        call(boss)
    assert caught.value.__suppress_context__  # one message for the student, no chained traceback
    assert len(wb.audit_log) == n_log + 1
    last = wb.audit_log.iloc[-1]
    assert (last["result"], last["action"], last["before"], last["after"]) == (
        "拒绝",
        "退款处理",
        before,
        after,
    )
    assert last["reason"] and last["reason"] in str(last["reason"])
    pd.testing.assert_frame_equal(wb.after_sales, table)
    pd.testing.assert_frame_equal(wb.orders, orders)


def test_malformed_input_is_an_error_not_a_logged_refusal(store):
    wb = Workbench(store, now=STORY)
    boss, n_log = wb.main_account(), len(wb.audit_log)
    with pytest.raises(TypeError, match=r"refund_id（售后编号）应该是整数.*收到的是 '567'（str）"):
        boss.approve_request("567")
    with pytest.raises(TypeError, match=r"收到的是 True（bool）"):
        boss.confirm_return(True)
    with pytest.raises(
        ValueError, match=r"reason（拒绝理由） 不能是 '不想退'，只能是以下之一：'超过退换货期限'"
    ):
        boss.reject_request(567, "不想退")
    assert len(wb.audit_log) == n_log


def test_past_the_deadline_approval_is_refused_and_rejection_works(store):
    wb = Workbench(store, now=STORY)
    # 订单 107654 was received 2025-11-08 02:03: 7天无理由 ended at the end of the 15th
    late = wb.submit_request(107654, 303, "退货退款", "买家主观原因", "不想要了")
    boss = wb.main_account()
    table = wb.after_sales
    with pytest.raises(
        PermissionDenied,
        match=r"售后 601（买家主观原因）的申请时间 2025-11-20 09:00 晚于本店政策的申请截止时间 2025-11-16 00:00"
        r"（签收时间 2025-11-08 02:03）：不能同意，请用拒绝理由“超过退换货期限”拒绝",
    ):
        boss.approve_request(late)
    pd.testing.assert_frame_equal(wb.after_sales, table)
    boss.reject_request(late, "超过退换货期限")
    boss.close_request(late)
    assert tuple(row(wb, late)[["status", "reject_reason"]]) == ("退款关闭", "超过退换货期限")


def test_policy_set_by_the_main_account_is_enforced(store):
    wb = Workbench(store, now=STORY)
    boss = wb.main_account()
    assert wb.return_policy == ReturnPolicy()
    strict = ReturnPolicy(no_reason_excluded=("母婴用品",))
    with pytest.raises(PermissionDenied, match=r"只有主账号（乐童优选）可以修改退换货政策"):
        wb.sub_account(SUPERVISOR).set_return_policy(strict)
    assert wb.return_policy == ReturnPolicy()
    boss.set_return_policy(strict)
    assert wb.return_policy is strict
    last = wb.audit_log.iloc[-1]
    assert (last["action"], last["target"], last["after"]) == (
        "修改退换货政策",
        "退换货政策",
        "7天无理由 7 天；质量问题 15 天；不支持7天无理由：母婴用品",
    )
    with pytest.raises(
        PermissionDenied,
        match=r"商品类目“母婴用品”按本店退换货政策不支持7天无理由退换.*“该类目不支持7天无理由退换”",
    ):
        boss.approve_request(569)
    boss.reject_request(569, "该类目不支持7天无理由退换")
    boss.approve_request(571)  # 商品原因: 7天无理由 exclusions do not apply
    with pytest.raises(TypeError, match=r"policy（退换货政策）应该是 ReturnPolicy"):
        boss.set_return_policy({"no_reason_days": 7})


# ---- refunds and the orders table ----------------------------------------------------------------


def test_a_full_refund_closes_a_paid_order(store):
    wb = Workbench(store)
    boss = wb.main_account()
    refund_id = wb.submit_request(108342, 501, "仅退款", "买家主观原因", "拍错了")
    assert row(wb, refund_id)["amount"] == 1.0 and pd.isna(row(wb, refund_id)["received_at"])
    boss.approve_request(refund_id)
    boss.refund_request(refund_id)
    order = wb.orders.set_index("order_id").loc[108342]
    assert (order["status"], order["close_reason"]) == ("交易关闭", "全额退款")
    last = wb.audit_log.iloc[-1]
    assert (last["target"], last["before"], last["after"]) == ("订单 108342", "买家已付款", "交易关闭")
    assert store.orders.set_index("order_id").loc[108342, "status"] == "买家已付款"


def test_partial_refunds_close_a_shipped_order_only_when_they_add_up(store):
    wb = Workbench(store)
    boss = wb.main_account()
    first = wb.submit_request(108221, 202, "退货退款", "商品原因", "质量问题")
    second = wb.submit_request(108221, 202, "退货退款", "商品原因", "质量问题")
    with pytest.raises(
        ValueError, match=r"售后数量（quantity）1 超过了订单 108221 里商品 202 还能申请的件数 0"
    ):
        wb.submit_request(108221, 202, "换货", "商品原因", "尺码不合适")
    for refund_id in (first, second):
        boss.approve_request(refund_id)
        boss.confirm_return(refund_id)
        boss.refund_request(refund_id)
        status = wb.orders.set_index("order_id").loc[108221, "status"]
        assert status == ("卖家已发货" if refund_id == first else "交易关闭")


def test_a_refund_after_the_deal_keeps_the_order_finished(store):
    wb = Workbench(store, now=STORY)
    boss = wb.main_account()
    finished = wb.orders.set_index("order_id").loc[107896, "status"]
    boss.approve_request(572)
    boss.refund_request(572)
    assert wb.orders.set_index("order_id").loc[107896, "status"] == finished == "交易成功"


# ---- the buyer's side ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("args", "kwargs", "error", "match"),
    [
        (
            (1, 501, "仅退款", "物流原因", "快递破损"),
            {},
            ValueError,
            r"找不到订单编号（order_id）为 1 的订单",
        ),
        (
            ("108342", 501, "仅退款", "物流原因", "快递破损"),
            {},
            TypeError,
            r"order_id（订单编号） 应该是整数",
        ),
        (
            (108362, 501, "仅退款", "物流原因", "快递破损"),
            {},
            ValueError,
            r"订单 108362 现在是“等待买家付款”，不能申请售后",
        ),
        (
            (108342, 101, "仅退款", "物流原因", "快递破损"),
            {},
            ValueError,
            r"订单 108342 里没有商品 101；这笔订单买的商品编号是：501",
        ),
        (
            (108342, 501, "退货退款", "商品原因", "质量问题"),
            {},
            ValueError,
            r"订单 108342 还没有发货，只能申请“仅退款”",
        ),
        (
            (108342, 501, "退款", "商品原因", "质量问题"),
            {},
            ValueError,
            r"refund_type（售后类型） 不能是 '退款'",
        ),
        (
            (108342, 501, "仅退款", "质量原因", "质量问题"),
            {},
            ValueError,
            r"reason_group（原因大类） 不能是 '质量原因'",
        ),
        ((108342, 501, "仅退款", "商品原因", ""), {}, ValueError, r"reason（具体原因） 不能是空的"),
        ((108342, 501, "仅退款", "商品原因", "坏了"), {"quantity": 2}, ValueError, r"还能申请的件数 1"),
        (
            (108342, 501, "仅退款", "商品原因", "坏了"),
            {"amount": 5},
            ValueError,
            r"退款金额（amount）5 元超过了这件商品可退的 1 元",
        ),
        (
            (108342, 501, "仅退款", "商品原因", "坏了"),
            {"amount": 0},
            ValueError,
            r"amount（退款金额） 必须大于 0",
        ),
        (
            (108221, 202, "换货", "商品原因", "尺码不合适"),
            {"amount": 10},
            ValueError,
            r"换货不退钱，退款金额（amount）应该不填或为 0",
        ),
    ],
)
def test_submit_request_refuses_bad_input(store, args, kwargs, error, match):
    wb = Workbench(store)
    table, n_log = wb.after_sales, len(wb.audit_log)
    with pytest.raises(error, match=match):
        wb.submit_request(*args, **kwargs)
    pd.testing.assert_frame_equal(wb.after_sales, table)
    assert len(wb.audit_log) == n_log


def test_submitted_requests_get_new_ids_and_start_pending(store):
    wb = Workbench(store)
    first = wb.submit_request(108221, 202, "换货", "商品原因", "尺码不合适")
    second = wb.submit_request(108342, 501, "仅退款", "买家主观原因", "拍错了", amount=0.5)
    assert (first, second) == (store.refunds["refund_id"].max() + 1, store.refunds["refund_id"].max() + 2)
    new = wb.after_sales.set_index("refund_id").loc[[first, second]]
    assert new["state"].tolist() == ["申请中", "申请中"] and new["amount"].tolist() == [0.0, 0.5]
    assert (new["applied_at"] == wb.now).all()
