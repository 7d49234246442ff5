"""crm_helpers.after_sales: the request state machine, the return policy, refund rates and reasons."""

from __future__ import annotations

import dataclasses

import pandas as pd
import pytest
from helpers import assert_unchanged, snapshot

from crm_helpers import metrics
from crm_helpers.after_sales import (
    AFTER_SALES_TRANSITIONS,
    REQUEST_COLUMNS,
    REQUEST_LABELS,
    ReturnPolicy,
    advance_request,
    after_sales_transition_table,
    check_request_transition,
    policy_review,
    reasons_by_category,
    received_times,
    refund_rate_by_category,
    refund_rate_by_product,
    request_position,
    request_result,
    requests_at,
    transition_refusal,
)
from crm_helpers.vocabulary import AFTER_SALES_REJECT_REASONS, AFTER_SALES_STATES, REFUND_TYPES

BOSS = "乐童优选"


# ---- the state machine ------------------------------------------------------------------------


def test_the_machine_uses_the_vocabulary_and_every_type_ends():
    assert tuple(AFTER_SALES_TRANSITIONS) == REFUND_TYPES
    for kind, machine in AFTER_SALES_TRANSITIONS.items():
        assert set(machine) <= set(AFTER_SALES_STATES)
        assert dict(machine["申请中"]) == {"已同意": "同意申请", "已拒绝": "拒绝申请"}
        assert not machine["已关闭"]  # final
        # every state reaches a final state
        for start in machine:
            seen, todo = set(), [start]
            while todo:
                state = todo.pop()
                seen.add(state)
                todo += [n for n in machine[state] if n not in seen]
            assert seen & {"退款成功", "已关闭"}, (kind, start)
    assert "买家已退货" not in AFTER_SALES_TRANSITIONS["仅退款"]
    assert "退款成功" not in AFTER_SALES_TRANSITIONS["换货"]
    assert "换货已寄出" not in AFTER_SALES_TRANSITIONS["退货退款"]


def test_transition_table_lists_every_step():
    table = after_sales_transition_table()
    assert table.columns.tolist() == ["售后类型", "当前状态", "新状态", "操作"]
    assert len(table) == sum(len(n) for m in AFTER_SALES_TRANSITIONS.values() for n in m.values())
    assert after_sales_transition_table("换货")["操作"].tolist().count("关闭售后") == 2
    with pytest.raises(ValueError, match=r"refund_type（售后类型） 不能是 '退款'"):
        after_sales_transition_table("退款")


@pytest.mark.parametrize(
    ("kind", "current", "new", "match"),
    [
        (
            "仅退款",
            "申请中",
            "退款成功",
            r"现在是“申请中”，不能直接变为“退款成功”。从“申请中”只能变为：“已同意”（同意申请）、“已拒绝”",
        ),
        (
            "仅退款",
            "已同意",
            "买家已退货",
            r"没有“买家已退货”这一步（仅退款不用退回商品.*现在是“已同意”.*“退款成功”（退款）",
        ),
        (
            "换货",
            "买家已退货",
            "退款成功",
            r"没有“退款成功”这一步（换货是.*“换货已寄出”（寄出换货）、“已拒绝”",
        ),
        (
            "退货退款",
            "已同意",
            "退款成功",
            r"现在是“已同意”，不能直接变为“退款成功”。.*“买家已退货”（确认收到退货）",
        ),
        ("退货退款", "退款成功", "已关闭", r"已经是“退款成功”，是最终状态，不能再变为“已关闭”"),
        ("换货", "已关闭", "已同意", r"已经是“已关闭”，是最终状态"),
        ("仅退款", "已同意", "已同意", r"已经是“已同意”，不需要再操作"),
    ],
)
def test_refused_steps_name_the_state_and_what_is_allowed(kind, current, new, match):
    assert transition_refusal(kind, current, new) is not None
    with pytest.raises(ValueError, match=match):
        check_request_transition(kind, current, new)


def test_allowed_steps_return_their_operation():
    assert transition_refusal("退货退款", "买家已退货", "退款成功") is None
    assert check_request_transition("换货", "换货已寄出", "已关闭") == "关闭售后"
    with pytest.raises(ValueError, match=r"current（当前售后状态） 不能是 '待处理'"):
        check_request_transition("换货", "待处理", "已同意")
    with pytest.raises(ValueError, match=r"refund_type（售后类型） 不能是 '退款退货'"):
        transition_refusal("退款退货", "申请中", "已同意")


def test_result_of_a_state():
    assert request_result("退款成功") == "退款成功"
    assert request_result("已关闭", previous="已拒绝") == "退款关闭"
    assert request_result("已关闭", previous="换货已寄出") == "换货完成"
    assert [request_result(s) for s in ("申请中", "已同意", "已拒绝", "买家已退货", "换货已寄出")] == [
        "处理中"
    ] * 5


# ---- 签收时间 and the requests open at a moment ---------------------------------------------


def test_received_time_reading():
    orders = pd.DataFrame(
        {
            "shipped_at": pd.to_datetime(["2025-11-12 10:00", "2025-11-12 10:00", None, "2025-11-12 10:00"]),
            "finished_at": pd.to_datetime(["2025-11-13 20:00", None, None, "2025-11-22 10:00"]),
        }
    )
    got = received_times(orders)
    expected = pd.to_datetime(["2025-11-13 20:00", "2025-11-15 10:00", None, "2025-11-15 10:00"])
    assert got.tolist() == expected.tolist()
    assert received_times(orders, transit_days=1).iloc[1] == pd.Timestamp("2025-11-13 10:00")
    with pytest.raises(ValueError, match=r"transit_days（快递在途天数） 至少要是 0，收到的是 -1"):
        received_times(orders, transit_days=-1)
    with pytest.raises(ValueError, match=r"缺少|没有.*shipped"):
        received_times(orders.drop(columns="shipped_at"))


def test_requests_open_at_the_end_are_the_stores_open_requests(store):
    before = snapshot(store.refunds, store.orders)
    table = requests_at(store.refunds, store.orders, store.end)
    assert_unchanged(before, store.refunds, store.orders)
    assert table.columns.tolist() == list(REQUEST_COLUMNS)
    open_ids = store.refunds.loc[store.refunds["status"] == "处理中", "refund_id"].tolist()
    assert table["refund_id"].tolist() == open_ids
    assert set(table["state"]) == {"申请中"} and set(table["status"]) == {"处理中"}
    assert table["handled_by"].isna().all() and table["updated_at"].isna().all()


def test_requests_open_at_a_past_moment(store):
    at = pd.Timestamp("2025-11-20 09:00")
    table = requests_at(store.refunds, store.orders, at)
    refunds = store.refunds
    expected = refunds[(refunds["applied_at"] <= at) & ~(refunds["finished_at"] <= at)]
    assert table["refund_id"].tolist() == expected.sort_values("applied_at")["refund_id"].tolist()
    assert len(table) > 0 and (table["received_at"].dropna() <= at).all()
    # the same moment gives the same requests (homework relies on it)
    pd.testing.assert_frame_equal(table, requests_at(store.refunds, store.orders, "2025-11-20 09:00"))
    with pytest.raises(TypeError, match=r"at（时刻） 应该是时间"):
        requests_at(store.refunds, store.orders, 20251120)


def test_advance_request_follows_the_machine(store):
    requests = requests_at(store.refunds, store.orders, store.end)
    before = snapshot(requests)
    at = store.end + pd.Timedelta(hours=9)
    agreed = advance_request(requests, 598, "已同意", at, handled_by=BOSS)
    assert_unchanged(before, requests)
    row = agreed.set_index("refund_id").loc[598]
    assert (row["state"], row["status"], row["handled_by"], row["updated_at"]) == (
        "已同意",
        "处理中",
        BOSS,
        at,
    )
    refused = advance_request(agreed, 598, "买家已退货", at, handled_by=BOSS)
    refused = advance_request(
        refused, 598, "已拒绝", at, handled_by=BOSS, reject_reason="退回的商品不符合退换条件"
    )
    closed = advance_request(refused, 598, "已关闭", at, handled_by=BOSS)
    row = closed.set_index("refund_id").loc[598]
    assert (row["state"], row["status"], row["reject_reason"]) == (
        "已关闭",
        "退款关闭",
        "退回的商品不符合退换条件",
    )


@pytest.mark.parametrize(
    ("kwargs", "error", "match"),
    [
        (
            {"refund_id": 1},
            ValueError,
            r"没有售后编号（refund_id）为 1 的售后申请。现有的售后编号：597、598、599、600",
        ),
        ({"refund_id": "597"}, TypeError, r"refund_id（售后编号）应该是整数.*收到的是 '597'（str）"),
        ({"new_state": "退款成功"}, ValueError, r"没有“退款成功”这一步.*从“申请中”只能变为：“已同意”"),
        (
            {"new_state": "已拒绝"},
            ValueError,
            r"拒绝售后申请要写明理由（reject_reason），只能是以下之一：超过退换货期限",
        ),
        (
            {"new_state": "已拒绝", "reject_reason": "不想退"},
            ValueError,
            r"reject_reason（拒绝理由） 不能是 '不想退'",
        ),
        ({"reject_reason": "买家撤销了申请"}, ValueError, r"只有拒绝申请（变为“已拒绝”）才写拒绝理由"),
        ({"at": "2025-12-01"}, ValueError, r"处理时间 at=2025-12-01 00:00:00 早于售后 597 的申请时间"),
        ({"handled_by": ""}, ValueError, r"handled_by（处理人） 不能是空的"),
    ],
)
def test_advance_request_refuses_bad_input(store, kwargs, error, match):
    requests = requests_at(store.refunds, store.orders, store.end)
    before = snapshot(requests)
    call = {"refund_id": 597, "new_state": "已同意", "at": store.end, "handled_by": BOSS} | kwargs
    refund_id, new_state, at = call.pop("refund_id"), call.pop("new_state"), call.pop("at")
    with pytest.raises(error, match=match):
        advance_request(requests, refund_id, new_state, at, **call)
    assert_unchanged(before, requests)


def test_request_position(store):
    requests = requests_at(store.refunds, store.orders, store.end)
    assert request_position(requests, 599) == 2
    with pytest.raises(TypeError, match=r"refund_id（售后编号）应该是整数"):
        request_position(requests, True)


# ---- 退换货政策 ------------------------------------------------------------------------------


def test_default_policy_reads_as_the_seeds_say():
    policy = ReturnPolicy()
    table = policy.describe()
    assert table.columns.tolist() == ["项目", "本店规定"]
    text = "\n".join(table["项目"] + "：" + table["本店规定"])
    for words in (
        "签收次日起 7 天内",
        "物流原因由卖家承担",
        "买家主观原因由买家承担",
        "多还少补",
        "延长 10 天",
        "交易成功后 14 天内",
    ):
        assert words in text
    received = pd.Timestamp("2025-11-15 10:00")  # 签收 on the 15th: days 16-22 → apply before the 23rd
    assert policy.deadline("买家主观原因", received) == pd.Timestamp("2025-11-23")
    assert policy.deadline("商品原因", received) == pd.Timestamp("2025-12-01")
    assert policy.deadline("物流原因", received) is None
    assert policy.deadline("买家主观原因", pd.NaT) is None
    assert policy.fake_claim_deadline("2025-11-20 12:00") == pd.Timestamp("2025-12-05")
    with pytest.raises(dataclasses.FrozenInstanceError):
        policy.no_reason_days = 3
    with pytest.raises(TypeError):
        policy.postage_payer["买家主观原因"] = "卖家"  # read-only mapping


@pytest.mark.parametrize(
    ("kwargs", "error", "match"),
    [
        ({"no_reason_days": 5}, ValueError, r"no_reason_days（7天无理由天数） 至少要是 7，收到的是 5"),
        ({"quality_days": 1.5}, TypeError, r"quality_days（质量问题退换天数） 应该是整数"),
        ({"conditions": ["吊牌完好"]}, TypeError, r"conditions（退换货条件） 应该是文字组成的元组"),
        ({"conditions": ("",)}, ValueError, r"conditions（退换货条件） 不能是空的"),
        (
            {"postage_payer": {"物流原因": "卖家", "商品原因": "卖家"}},
            ValueError,
            r"缺少原因大类“买家主观原因”",
        ),
        (
            {"postage_payer": {"物流原因": "卖家", "商品原因": "快递", "买家主观原因": "买家"}},
            ValueError,
            r"postage_payer\['商品原因'\]（承担方） 不能是 '快递'",
        ),
        ({"postage_payer": "卖家"}, TypeError, r"postage_payer（退货运费承担）应该是字典"),
        ({"exchange_price_rule": ""}, ValueError, r"exchange_price_rule（换货差价） 不能是空的"),
        ({"fake_claim_days": 0}, ValueError, r"fake_claim_days（假一赔三天数） 至少要是 1"),
    ],
)
def test_policy_refuses_bad_values(kwargs, error, match):
    with pytest.raises(error, match=match):
        ReturnPolicy(**kwargs)


def test_policy_review(store):
    requests = requests_at(store.refunds, store.orders, "2025-11-20 09:00")
    before = snapshot(requests, store.products)
    review = policy_review(requests, store.products)
    assert_unchanged(before, requests, store.products)
    assert review.columns.tolist() == [
        "售后编号",
        "类目",
        "原因大类",
        "签收时间",
        "申请时间",
        "申请截止时间",
        "在期限内",
        "支持7天无理由",
        "退货运费承担",
    ]
    assert review["售后编号"].tolist() == requests["refund_id"].tolist()
    logistics = review["原因大类"] == "物流原因"
    assert review.loc[logistics, "申请截止时间"].isna().all()
    only_refund = (requests["refund_type"] == "仅退款").to_numpy()
    assert (review.loc[only_refund, "退货运费承担"] == "无需退货").all()
    # a shorter policy makes a request late; excluding its category takes 7天无理由 away
    buyer = review[review["原因大类"] == "买家主观原因"].iloc[0]
    strict = ReturnPolicy(no_reason_excluded=(buyer["类目"],))
    assert (
        not policy_review(requests, store.products, strict)
        .set_index("售后编号")
        .loc[buyer["售后编号"], "支持7天无理由"]
    )
    late = requests.assign(applied_at=requests["received_at"] + pd.Timedelta(days=30))
    assert not policy_review(late, store.products)["在期限内"][~logistics.to_numpy()].any()
    with pytest.raises(TypeError, match=r"policy（退换货政策）应该是 ReturnPolicy"):
        policy_review(requests, store.products, {"no_reason_days": 7})
    with pytest.raises(ValueError, match=r"商品编号 999 在商品表 products 里找不到"):
        policy_review(requests.assign(product_id=999), store.products)


# ---- 退款率和退款原因 ----------------------------------------------------------------------


def test_rates_by_product_agree_with_the_metric(store):
    before = snapshot(store.order_items, store.refunds, store.products, store.orders)
    table = refund_rate_by_product(store.order_items, store.refunds, store.products, orders=store.orders)
    assert_unchanged(before, store.order_items, store.refunds, store.products, store.orders)
    assert table.columns.tolist() == ["商品编号", "商品名称", "类目", "售出件数", "退款件数", "商品退款率"]
    metric = metrics.refund_rate(store.order_items, store.refunds, orders=store.orders, by="product_id")
    pd.testing.assert_series_equal(
        table.set_index("商品编号")["商品退款率"].sort_index(), metric.sort_index(), check_names=False
    )
    overall = metrics.refund_rate(store.order_items, store.refunds, orders=store.orders)
    assert table["退款件数"].sum() / table["售出件数"].sum() == pytest.approx(overall)
    assert table["商品退款率"].is_monotonic_decreasing


def test_rates_by_category(store):
    table = refund_rate_by_category(store.order_items, store.refunds, store.products, orders=store.orders)
    assert table.columns.tolist() == ["类目", "售出件数", "退款件数", "商品退款率"]
    by_product = refund_rate_by_product(store.order_items, store.refunds, store.products, orders=store.orders)
    sums = by_product.groupby("类目")[["售出件数", "退款件数"]].sum()
    assert table.set_index("类目")["售出件数"].to_dict() == sums["售出件数"].to_dict()
    rate = table.set_index("类目")["商品退款率"]
    assert rate.idxmax() == "童装"  # apparel: size problems (planted)
    with pytest.raises(ValueError, match=r"商品编号 101 在商品表 products 里找不到"):
        refund_rate_by_category(
            store.order_items, store.refunds, store.products[store.products["product_id"] != 101]
        )


def test_reasons_by_category_show_apparel_sizes_and_exchanges(store):
    before = snapshot(store.refunds, store.products)
    reasons = reasons_by_category(store.refunds, store.products)
    assert_unchanged(before, store.refunds, store.products)
    assert reasons.index.name == "类目" and reasons.columns.name == "具体原因"
    assert reasons.loc["童装"].drop("合计").idxmax() == "尺码不合适"
    assert reasons["合计"].sum() == len(store.refunds)
    kinds = reasons_by_category(store.refunds, store.products, columns="refund_type", share=True)
    assert kinds.columns.tolist() == list(REFUND_TYPES)
    assert kinds["换货"].idxmax() == "童装"
    assert kinds.sum(axis=1).round(12).eq(1).all()
    groups = reasons_by_category(store.refunds, store.products, columns="reason_group")
    assert groups.columns.tolist() == ["物流原因", "商品原因", "买家主观原因", "合计"]
    with pytest.raises(ValueError, match=r"columns（按什么分列） 不能是 'status'"):
        reasons_by_category(store.refunds, store.products, columns="status")
    with pytest.raises(ValueError, match=r"售后表里的商品编号 .* 在商品表 products 里找不到"):
        reasons_by_category(store.refunds, store.products.iloc[:3])


def test_labels_are_chinese():
    assert set(REQUEST_COLUMNS) <= set(REQUEST_LABELS)
    assert all(any("\u4e00" <= ch <= "\u9fff" for ch in label) for label in REQUEST_LABELS.values())
    assert AFTER_SALES_REJECT_REASONS[0] == "超过退换货期限"
