"""交接表 (shift handover): the open items one shift hands to the next.

At the moment ``at`` of a shift change, :func:`handover_table` lists what the next shift must
follow up, most urgent first (:data:`HANDOVER_TYPES`): after-sales requests still open,
paid orders at risk of shipping late, red-flag remarks, after-sales chats, unpaid orders.
An order's status at ``at`` is read from its time columns (the same as the ``status``
column when ``at`` is "now").  The tables are never modified.

The seed (001 No.6) names the steps -- record the shift's important items, hand over a
交接表 (千牛待办事项, a shared spreadsheet or paper) -- but no columns: the item kinds and
columns here are this course's own design (本课程设计的交接表).  The shipping deadline
``ship_hours=24`` is the simulated shop's promise (本店规定); Taobao's usual default is 48
hours and it varies by order type and 活动.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import numpy as np
import pandas as pd

from ._format import format_amount, format_duration
from ._members import check_customers, member_names
from ._validation import check_dataframe, check_datetime, check_number, check_timestamp
from .orders import CLOSED, FINISHED, PAID, SHIPPED, TIME_COLUMNS, UNPAID, status_at

__all__ = ["HANDOVER_TYPES", "handover_table"]

#: The kinds of open items in the 交接表, most urgent first (also the table's sort order).
HANDOVER_TYPES = ("退款/换货处理中", "发货超时风险", "红旗备注", "售后咨询", "未付款订单")


def _handover_rows(
    kind: str, order_ids: Any, customer_ids: Any, times: Any, notes: Any, advice: str
) -> pd.DataFrame:
    return pd.DataFrame(
        {
            "类型": kind,
            "订单编号": pd.array(order_ids, dtype="Int64"),
            "_customer": np.asarray(customer_ids, dtype=object),
            "时间": pd.Series(times).to_numpy(),
            "说明": pd.array(list(notes), dtype="str"),
            "建议处理": advice,
        }
    )


def handover_table(
    orders: pd.DataFrame,
    refunds: pd.DataFrame,
    chats: pd.DataFrame,
    *,
    at: Any,
    customers: pd.DataFrame | None = None,
    hours: float = 24,
    ship_hours: float = 24,
    order_col: str = "order_id",
    customer_col: str = "customer_id",
    member_name_col: str = "member_name",
    created_col: str = "created_at",
    payment_col: str = "payment",
    remark_col: str = "remark",
    remark_flag_col: str = "remark_flag",
    remark_by_col: str = "remark_by",
    time_cols: Mapping[str, str] = TIME_COLUMNS,
    refund_applied_col: str = "applied_at",
    refund_finished_col: str = "finished_at",
    chat_started_col: str = "started_at",
    chat_type_col: str = "chat_type",
) -> pd.DataFrame:
    """交接表 (shift handover table): every open item the next shift must take over at ``at``.

    Five kinds of items (:data:`HANDOVER_TYPES`, most urgent first):

    * 退款/换货处理中 — refunds applied for by ``at`` and not finished at ``at``;
    * 发货超时风险 — orders 买家已付款 at ``at``, paid more than ``ship_hours`` hours before;
    * 红旗备注 — orders created by ``at`` whose remark has the red flag (红);
    * 售后咨询 — after-sale chats (``chat_type == "售后"``) in the ``hours`` hours up to ``at``;
    * 未付款订单 — orders 等待买家付款 at ``at`` (candidates for 催付).

    An order's status at ``at`` is read from its time columns (created, paid, shipped,
    finished, closed); an event exactly at ``at`` has happened.  When ``at`` is "now"
    (e.g. ``store.end``) this is what the ``status`` column says.

    Parameters
    ----------
    orders, refunds, chats : pandas.DataFrame
        The shop's tables (``refunds`` and ``chats`` may be empty); they are not modified.
    at : str or pandas.Timestamp
        The time of the shift change.
    customers : pandas.DataFrame, optional
        The customers table, for the 会员名 column (left empty without it).
    hours : float, default 24
        How far back after-sale chats are listed.
    ship_hours : float, default 24
        A paid order not shipped for more than this many hours is a 发货超时风险 (the shop's
        own promise; Taobao's usual default is 48 hours, shorter or longer by order type and 活动).
    order_col, customer_col, member_name_col, created_col, payment_col, remark_col, remark_flag_col, remark_by_col : str
        Column names (orders, customers).  Without a ``remark_flag`` column there are no
        red-flag items.
    time_cols : mapping, default :data:`TIME_COLUMNS`
        Status → time column of the orders table.
    refund_applied_col, refund_finished_col : str
        Refund application and completion times.
    chat_started_col, chat_type_col : str
        Chat start time and type (售前/售后).

    Returns
    -------
    pandas.DataFrame
        Columns 类型 (ordered categorical), 订单编号 (missing for a chat not tied to an
        order), 会员名, 时间 (when the item began: refund application, payment, order,
        chat), 说明, 建议处理; sorted by 类型, then 时间 (oldest first), then 订单编号.

    Raises
    ------
    TypeError, ValueError
        If a table lacks a column, a time cannot be read, or ``hours`` / ``ship_hours``
        is not a positive number.

    Examples
    --------
    >>> from crm_helpers import load_store
    >>> store = load_store()
    >>> table = handover_table(store.orders, store.refunds, store.chats,
    ...                        at=store.end, customers=store.customers)
    >>> table["类型"].value_counts(sort=False).to_dict()
    {'退款/换货处理中': 4, '发货超时风险': 6, '红旗备注': 0, '售后咨询': 1, '未付款订单': 1}
    """
    missing = [s for s in (PAID, SHIPPED, FINISHED, CLOSED) if s not in time_cols]
    if missing:
        raise ValueError(
            f"参数 time_cols 要给出每个状态对应的时间列，缺少：{'、'.join(missing)}；"
            f"例如 {dict(TIME_COLUMNS)}。"
        )
    needed = [
        order_col,
        customer_col,
        created_col,
        payment_col,
        *(time_cols[s] for s in (PAID, SHIPPED, FINISHED, CLOSED)),
    ]
    check_dataframe(orders, "orders", needed, allow_empty=True)
    check_dataframe(
        refunds, "refunds", [order_col, refund_applied_col, refund_finished_col], allow_empty=True
    )
    check_dataframe(chats, "chats", [customer_col, chat_started_col, chat_type_col], allow_empty=True)
    if customers is not None:
        check_customers(customers, customer_col, member_name_col)
    at = check_timestamp(at, "at（交接时间）")
    window = pd.Timedelta(hours=check_number(hours, "hours（售后咨询回看小时数）", 0, strict=True))
    ship_limit = pd.Timedelta(hours=check_number(ship_hours, "ship_hours（发货时限小时数）", 0, strict=True))

    status = status_at(orders, at, created_col=created_col, time_cols=time_cols)
    created = check_datetime(orders, "orders", created_col)
    paid = check_datetime(orders, "orders", time_cols[PAID])
    parts = []

    # 退款/换货处理中
    applied = check_datetime(refunds, "refunds", refund_applied_col)
    done = check_datetime(refunds, "refunds", refund_finished_col)
    open_refund = (applied <= at).fillna(False) & ~(done <= at).fillna(False)
    r = refunds[open_refund.to_numpy(dtype=bool)]
    r_applied = applied[open_refund.to_numpy(dtype=bool)]
    if customer_col in r.columns:
        r_customers = r[customer_col]
    else:
        r_customers = r[order_col].map(orders.drop_duplicates(order_col).set_index(order_col)[customer_col])
    notes = []
    for i in range(len(r)):
        row = r.iloc[i]
        bits = [str(row[c]) for c in ("refund_type", "reason") if c in r.columns and pd.notna(row[c])]
        text = "：".join(bits) if bits else "退款申请"
        if "quantity" in r.columns and pd.notna(row["quantity"]):
            text += f"，{int(row['quantity'])} 件"
        if "amount" in r.columns and pd.notna(row["amount"]) and row["amount"] > 0:
            text += f"，{format_amount(row['amount'])} 元"
        notes.append(f"{text}；已申请 {format_duration(at - r_applied.iloc[i])}")
    parts.append(
        _handover_rows(
            "退款/换货处理中",
            r[order_col],
            r_customers,
            r_applied,
            notes,
            "跟进售后进度：核实原因，及时同意退款或与买家协商，不要拖到超时",
        )
    )

    # 发货超时风险
    late = (status == PAID).to_numpy(dtype=bool) & ((at - paid) > ship_limit).fillna(False).to_numpy(
        dtype=bool
    )
    o = orders[late]
    parts.append(
        _handover_rows(
            "发货超时风险",
            o[order_col],
            o[customer_col],
            paid[late],
            [
                f"付款已 {format_duration(at - t)}仍未发货（本店承诺付款后 {ship_hours:g} 小时内发货）"
                for t in paid[late]
            ],
            "联系仓库尽快发货，并主动告诉买家发货时间，避免延迟发货投诉",
        )
    )

    # 红旗备注
    if remark_flag_col in orders.columns:
        red = (orders[remark_flag_col] == "红").fillna(False).to_numpy(dtype=bool) & status.notna().to_numpy(
            dtype=bool
        )
    else:
        red = np.zeros(len(orders), dtype=bool)
    o = orders[red]
    notes = []
    for i in range(len(o)):
        row = o.iloc[i]
        remark = (
            row[remark_col] if remark_col in o.columns and pd.notna(row[remark_col]) else "（无备注内容）"
        )
        by = (
            f"（{row[remark_by_col]}）" if remark_by_col in o.columns and pd.notna(row[remark_by_col]) else ""
        )
        notes.append(f"备注：{remark}{by}；订单状态：{status[red].iloc[i]}")
    parts.append(
        _handover_rows(
            "红旗备注",
            o[order_col],
            o[customer_col],
            created[red],
            notes,
            "按备注内容处理，处理完后把旗帜改为绿色",
        )
    )

    # 售后咨询
    started = check_datetime(chats, "chats", chat_started_col)
    recent = (
        (chats[chat_type_col] == "售后").fillna(False)
        & (started >= at - window).fillna(False)
        & (started <= at).fillna(False)
    ).to_numpy(dtype=bool)
    c = chats[recent]
    c_orders = c[order_col] if order_col in c.columns else pd.Series(pd.NA, index=c.index)
    notes = []
    for i in range(len(c)):
        row = c.iloc[i]
        topic = f"（{row['topic']}）" if "topic" in c.columns and pd.notna(row["topic"]) else ""
        agent = (
            f"，接待客服编号 {row['agent_id']}"
            if "agent_id" in c.columns and pd.notna(row["agent_id"])
            else ""
        )
        notes.append(f"售后咨询{topic}{agent}")
    parts.append(
        _handover_rows(
            "售后咨询",
            c_orders,
            c[customer_col],
            started[recent],
            notes,
            "回看聊天记录，确认问题已解决；没解决的继续跟进并回复买家",
        )
    )

    # 未付款订单
    unpaid = (status == UNPAID).to_numpy(dtype=bool)
    o = orders[unpaid]
    parts.append(
        _handover_rows(
            "未付款订单",
            o[order_col],
            o[customer_col],
            created[unpaid],
            [
                f"拍下已 {format_duration(at - t)}仍未付款，应付 {format_amount(p)} 元"
                for t, p in zip(created[unpaid], o[payment_col])
            ],
            "按催付时间表选择时间催付（千牛、短信或电话），不要频繁打扰买家",
        )
    )

    table = pd.concat(parts, ignore_index=True)
    table["类型"] = pd.Categorical(table["类型"], categories=HANDOVER_TYPES, ordered=True)
    table.insert(2, "会员名", member_names(table["_customer"], customers, customer_col, member_name_col))
    table = table.drop(columns="_customer")
    table = table.sort_values(["类型", "时间", "订单编号"], kind="stable", na_position="last")
    return table.reset_index(drop=True)
