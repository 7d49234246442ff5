"""Customer-service KPIs (客服数据指标): 询单转化率, 客单价, 响应速度, 退款率, 复购率 ….

Every function takes plain ``pandas.DataFrame`` tables (the shop's ``chats``, ``orders``,
``order_items``, ``refunds``), checks them, and returns a number (``by=None``) or a
``pandas.Series`` named in Chinese, one value per group (``by="agent"``, ``by="day"`` or
a column name).  The tables are never modified.  Column names are keyword parameters, so
a shop's own export with other column names works too, e.g.
``customer_unit_price(my_orders, payment_col="实付款")``.

Definitions used (课程采用的口径)
---------------------------------
* **询单转化率** (inquiry conversion rate).  Only pre-sale chats (``chat_type == "售前"``)
  count, in a window of ``period_days`` whole days ending at ``end`` (default: the 28 days
  up to and including the day of the latest chat).  Seed 002 gives both readings below.

  - ``method="buyers"`` (default; the seed's definition, 近28天咨询的买家中下单的买家数 ÷
    咨询过的买家数): 下单人数 ÷ 询单人数 -- of the customers who consulted in the window, the
    share who placed an order at or after their first consultation in the window and
    before ``end``.  It is the default because it is the seed's definition and because a
    buyer who asks many times is one person won or lost, not many.
  - ``method="orders"`` (the seed's 计算方法): 咨询并最终下单的笔数 ÷ 咨询总笔数 -- a chat counts
    as converted when the same customer placed an order later on the same natural day.

  ``outcome="created"`` (default) counts 下单 (any order placed); ``outcome="paid"`` counts
  付款 (the order was paid, at any time).  The default is 下单 because both of the seed's
  sentences say 下单 (下单的买家数, 最终下单的订单笔数); 付款 is the stricter variant some
  third-party tools use, and the gap between the two is what 催付 (lesson 03) works on.
  No platform report is claimed to use either reading: state the reading with the number.

  **店小蜜** (the shop's assistant bot answers part of the night chats; ``answered_by`` is
  ``"店小蜜"`` and ``agent_id`` is empty).  The shop-wide figure counts *every* pre-sale
  chat, also those answered by 店小蜜: the seed counts 咨询的买家 -- a buyer who asked the
  shop and was answered by the bot still consulted the shop, and leaving them out would
  hide the night buyers the bot did not win.  (Response times are different: they measure
  how fast a *person* answers, so bots are left out there.)  Per agent (``by="agent"``)
  and in :func:`kpi_board`, a chat without an agent belongs to no agent and is left out,
  so a buyer counts for the agent of their first chat *with an agent*.  To see 人工 and
  店小蜜 side by side, group by the column: ``by="answered_by"``.
* **客单价** = 销售额 ÷ 成交顾客数 and **笔单价** = 销售额 ÷ 成交笔数, over paid orders;
  销售额 is the sum of 实付款 (``payment``), refunds are not subtracted.
* **首次响应时间 / 平均响应时间** are means over the chats answered by a person (all chats,
  pre- and after-sale; chats answered by 店小蜜 are left out, as bots are on Taobao);
  a night chat that waited for the morning shift counts with its whole wait;
  the average response time of each chat is capped at 600 s (Taobao counts per conversation,
  capped at 10 minutes).  **3分钟响应率** is the share of chats first answered within 180 s
  (exactly 180 s counts).
* **商品退款率** = 退款件数 ÷ 售出件数 (the seed); ``method="taobao"``: 退款成功的子订单数 ÷
  支付子订单数 over 30 days.  An exchange (换货) and a refused or withdrawn refund (退款关闭)
  are not refunds.
* **复购率** = 购买 2 次及以上的买家数 ÷ 购买过的买家数 (paid orders).
* **静默下单占比** = 没有咨询客服就付款的订单数 ÷ 付款订单数.

Errors are Chinese ``TypeError`` / ``ValueError`` messages; a value that cannot be computed
(nobody to divide by) raises ``ValueError`` instead of returning ``NaN``.
"""

from __future__ import annotations

from collections.abc import Hashable
from typing import Any

import numpy as np
import pandas as pd

from ._time import ONE_DAY, moment_in_zone
from ._validation import (
    check_choice,
    check_columns,
    check_dataframe,
    check_datetime,
    check_int,
    check_no_missing,
    check_non_negative,
    check_number,
    check_numeric,
)
from .vocabulary import BOT_ANSWER

__all__ = [
    "average_response_time",
    "customer_unit_price",
    "first_response_time",
    "inquiry_conversion_rate",
    "kpi_board",
    "order_unit_price",
    "refund_rate",
    "repurchase_rate",
    "response_within_3min_rate",
    "silent_order_share",
]

#: Index name of results grouped with ``by="day"``.
DAY_INDEX = "日期"


# ---- small helpers -----------------------------------------------------------------------


def _check_amounts(df: pd.DataFrame, name: str, column: str) -> None:
    """A numeric column without missing or negative values (数量、金额、秒数)."""
    check_numeric(df, name, column)
    check_no_missing(df, name, column)
    check_non_negative(df, name, column)


def _times(df: pd.DataFrame, name: str, column: str, *, required: bool) -> pd.Series:
    """The date-time column ``column``; with ``required`` it must have no missing value."""
    times = check_datetime(df, name, column)
    if required:
        check_no_missing(times.to_frame(column), name, column, "时间")
    return times


def _window(
    times: pd.Series, period_days: Any, end: Any, end_name: str = "end"
) -> tuple[pd.Timestamp | None, pd.Timestamp]:
    """``(start, end)`` of the window ``[end - period_days days, end)``.

    ``end=None`` means the day after the date of the latest time (so the last day is whole);
    ``period_days=None`` means no start.
    """
    if period_days is not None:
        period_days = check_int(period_days, "period_days", minimum=1)
    if end is None:
        latest = times.max()
        if latest is pd.NaT:
            raise ValueError("找不到任何时间，无法确定统计截止时间 end，请直接给出 end。")
        end = latest.normalize() + ONE_DAY
    else:
        end = moment_in_zone(end, end_name, times)
    start = None if period_days is None else end - period_days * ONE_DAY
    return start, end


def _in_window(times: pd.Series, start: pd.Timestamp | None, end: pd.Timestamp) -> pd.Series:
    mask = times < end
    if start is not None:
        mask &= times >= start
    return mask


def _describe_window(start: pd.Timestamp | None, end: pd.Timestamp) -> str:
    last = (end - pd.Timedelta(microseconds=1)).strftime("%Y-%m-%d")
    if start is None:
        return f"{last} 及以前"
    return f"{start:%Y-%m-%d} 至 {last}"


def _check_by(by: Any, special: tuple[Any, ...], columns: pd.Index | tuple = ()) -> None:
    """``by`` must be one of ``special`` or a column name."""
    if isinstance(by, Hashable) and (by in special or by in columns):
        return
    check_choice(by, "by", [*special, *columns])


def _ratio(num: Any, den: Any, name: str, zero_message: str) -> float | pd.Series:
    """``num / den`` as a float, or per group as a float Series over the groups of ``den``.

    ``den`` of zero (or no group at all) raises ``ValueError(zero_message)``.
    """
    if isinstance(den, pd.Series):
        den = den[den > 0]
        if den.empty:
            raise ValueError(zero_message)
        num = num.reindex(den.index, fill_value=0)
        out = num.astype("float64") / den.astype("float64")
        out.name = name
        return out
    if den == 0:
        raise ValueError(zero_message)
    return float(num) / float(den)


def _name_index(result: Any, index_name: Hashable | None) -> Any:
    """``result`` with its index named ``index_name`` (a new object; numbers pass through)."""
    if isinstance(result, pd.Series):
        return result.rename_axis(index_name)
    return result


def _group_size(work: pd.DataFrame) -> pd.Series:
    return work.groupby("key", sort=True, observed=True).size()


# ---- 询单转化率 --------------------------------------------------------------------------


def _presale_chats(
    chats: pd.DataFrame,
    *,
    period_days: Any,
    end: Any,
    customer_col: str,
    agent_col: str | None,
    started_col: str,
    chat_type_col: str | None,
    presale_value: Any,
) -> tuple[pd.DataFrame, pd.Timestamp | None, pd.Timestamp]:
    """Pre-sale chats in the window as a frame with columns ``c`` (customer), ``t`` (start)
    and, when ``agent_col`` is given, ``a`` (agent); plus the window."""
    columns = [customer_col, started_col] + ([agent_col] if agent_col is not None else [])
    check_dataframe(chats, "chats", columns)
    check_no_missing(chats, "chats", customer_col, "客户编号")
    times = _times(chats, "chats", started_col, required=True)
    start, end = _window(times, period_days, end)
    mask = _in_window(times, start, end)
    if chat_type_col is not None and chat_type_col in chats.columns:
        mask &= (chats[chat_type_col] == presale_value).fillna(False).astype(bool)
    data = {"c": chats[customer_col][mask], "t": times[mask]}
    if agent_col is not None:
        data["a"] = chats[agent_col][mask]
    return pd.DataFrame(data), start, end


def _order_times(
    orders: pd.DataFrame,
    *,
    outcome: str,
    start: pd.Timestamp | None,
    end: pd.Timestamp,
    customer_col: str,
    created_col: str,
    paid_col: str,
) -> pd.DataFrame:
    """Orders that count as an outcome, created in ``[start, end)``: columns ``c``, ``t``."""
    columns = [customer_col, created_col] + ([paid_col] if outcome == "paid" else [])
    check_dataframe(orders, "orders", columns)
    check_no_missing(orders, "orders", customer_col, "客户编号")
    created = _times(orders, "orders", created_col, required=True)
    mask = _in_window(created, start, end)
    if outcome == "paid":
        mask &= check_datetime(orders, "orders", paid_col).notna()
    return pd.DataFrame({"c": orders[customer_col][mask], "t": created[mask]})


def _conversion_counts(
    pre: pd.DataFrame, ords: pd.DataFrame, *, method: str, by: str | None
) -> tuple[Any, Any, Hashable | None]:
    """Numerator and denominator of 询单转化率 (scalars, or Series per group).

    Customers (and, when counted per natural day, days) are turned into one integer key
    shared by chats and orders, which keeps the grouping fast on a million rows.
    """
    n = len(pre)
    customers = pd.concat([pre["c"], ords["c"]], ignore_index=True)
    if pd.api.types.is_integer_dtype(customers.dtype):  # ids are numbers already
        codes = customers.to_numpy(dtype=np.int64)
        codes = codes - codes.min()
    else:
        codes = pd.factorize(customers)[0].astype(np.int64)
    same_day = method == "orders" or by == "day"
    if same_day:
        pre = pre.assign(d=pre["t"].dt.normalize())
        days = pd.concat([pre["d"], ords["t"].dt.normalize()], ignore_index=True)
        days = ((days - days.min()) // ONE_DAY).to_numpy(dtype=np.int64)
        n_days = int(days.max()) + 1
        if int(codes.max()) >= 2**62 // n_days:  # huge ids: number them first
            codes = pd.factorize(codes)[0].astype(np.int64)
        codes = codes * n_days + days
    pre = pre.assign(k=codes[:n])
    if method == "buyers":
        # One row per buyer (per buyer and day when counted per day): the first consultation.
        pre = pre.sort_values("t", kind="stable")
        pre = pre[~pre["k"].duplicated()]
    # Latest qualifying order of each key; a consultation is converted when that order is not
    # earlier than the consultation.  Orders are already limited to before the window end.
    latest = ords["t"].groupby(codes[n:], sort=False).max()
    last_order = pd.Series(latest.reindex(pre["k"].to_numpy()).array, index=pre.index)
    converted = (last_order >= pre["t"]).fillna(False).astype(bool)
    if by is None:
        return int(converted.sum()), len(pre), None
    key = pre["a"] if by == "agent" else pre["d"]
    num = converted.groupby(key, sort=True, observed=True).sum()
    den = key.groupby(key, sort=True, observed=True).size()
    return num, den, ("agent" if by == "agent" else DAY_INDEX)


def inquiry_conversion_rate(
    chats: pd.DataFrame,
    orders: pd.DataFrame,
    *,
    method: str = "buyers",
    outcome: str = "created",
    by: str | None = None,
    period_days: int | None = 28,
    end: Any = None,
    chat_customer_col: str = "customer_id",
    chat_agent_col: str = "agent_id",
    started_col: str = "started_at",
    chat_type_col: str | None = "chat_type",
    presale_value: Any = "售前",
    order_customer_col: str = "customer_id",
    created_col: str = "created_at",
    paid_col: str = "paid_at",
) -> float | pd.Series:
    """询单转化率: share of consultations that led to an order (inquiry conversion rate).

    Only pre-sale chats count: rows whose ``chat_type_col`` equals ``presale_value``
    (``"售前"``).  If the frame has no such column (or ``chat_type_col=None``), every chat
    counts.  After-sale chats (售后) never count as consultations.

    The window is ``[end - period_days days, end)``: a chat exactly at the window start is
    in, a chat at ``end`` is out.  By default ``end`` is midnight after the day of the latest
    chat in ``chats``, so the window is the last ``period_days`` whole days.  Only orders
    created before ``end`` count.

    Parameters
    ----------
    chats, orders : pandas.DataFrame
        The shop's 旺旺咨询表 and 订单表.
    method : {"buyers", "orders"}
        ``"buyers"`` (default: the seed's definition, see the module docstring):
        下单人数 ÷ 询单人数.  Of the distinct customers with a pre-sale chat in the window, the
        share who created an order at or after their first chat in the window (and before
        ``end``).  ``"orders"`` (the seed's 计算方法, counted per natural day):
        咨询并最终下单的笔数 ÷ 咨询总笔数.  A chat is converted when the same customer created
        an order on the same natural day at or after the chat started; each chat counts at
        most once.  The overall value is all converted chats ÷ all chats in the window.
    outcome : {"created", "paid"}
        ``"created"`` (default, as both of the seed's sentences say 下单): the order was
        placed (下单).  ``"paid"``: the order was also paid (付款, ``paid_col`` not missing;
        the payment may come after ``end``).
    by : {None, "agent", "day"} or a column name of ``chats``
        ``None``: one number, over every pre-sale chat (those answered by 店小蜜 included,
        see the module docstring).  ``"agent"``: per agent who received the chats; chats
        without an agent (店小蜜's) are left out, as in :func:`kpi_board` (buyers method:
        each buyer counts for the agent of their first chat with an agent in the window).
        ``"day"``: per
        day of the chats (buyers method: of the customers who consulted that day, those who
        ordered the same day after their first chat of the day).  A column of ``chats``
        (e.g. a 首次响应时间 band made with ``pandas.cut``): per value of that column, like
        ``"agent"`` (buyers method: the value of the buyer's first chat in the window); chats
        with a missing value are left out.
    period_days : int or None
        Length of the window in days (28, as in the seed); ``None`` means every chat
        before ``end``.
    end : str or Timestamp, optional
        End of the window (excluded).  Default: the day after the latest chat.
    chat_customer_col, chat_agent_col, started_col, chat_type_col : str
        Column names in ``chats``.
    presale_value : object
        The value of ``chat_type_col`` that marks a pre-sale chat.
    order_customer_col, created_col, paid_col : str
        Column names in ``orders``.

    Returns
    -------
    float or pandas.Series
        A share between 0 and 1; per group a Series named ``"询单转化率"``.

    Raises
    ------
    ValueError
        Unknown ``method`` / ``outcome`` / ``by``, bad tables, or no pre-sale chat in the
        window (nothing to divide by).

    Examples
    --------
    >>> chats = pd.DataFrame({"customer_id": [1, 2], "agent_id": [7, 7],
    ...     "started_at": pd.to_datetime(["2024-03-01 09:00", "2024-03-01 10:00"]),
    ...     "chat_type": ["售前", "售前"]})
    >>> orders = pd.DataFrame({"customer_id": [1],
    ...     "created_at": pd.to_datetime(["2024-03-01 09:30"]), "paid_at": [pd.NaT]})
    >>> inquiry_conversion_rate(chats, orders)
    0.5
    >>> inquiry_conversion_rate(chats, orders, outcome="paid")
    0.0
    """
    check_choice(method, "method", ("buyers", "orders"))
    check_choice(outcome, "outcome", ("created", "paid"))
    check_dataframe(chats, "chats")
    _check_by(by, (None, "agent", "day"), chats.columns)
    group_col = chat_agent_col if by == "agent" else None if by in (None, "day") else by
    pre, start, end = _presale_chats(
        chats,
        period_days=period_days,
        end=end,
        customer_col=chat_customer_col,
        agent_col=group_col,
        started_col=started_col,
        chat_type_col=chat_type_col,
        presale_value=presale_value,
    )
    if group_col is not None:  # 店小蜜's chats have no agent: they belong to no agent's figure
        pre = pre[pre["a"].notna()]
    ords = _order_times(
        orders,
        outcome=outcome,
        start=start,
        end=end,
        customer_col=order_customer_col,
        created_col=created_col,
        paid_col=paid_col,
    )
    message = (
        f"在 {_describe_window(start, end)} 这段时间里没有售前咨询（{presale_value}），"
        "询单转化率的分母是 0，无法计算。请检查 end、period_days 或咨询类型列。"
    )
    if group_col is not None:
        message = (
            f"在 {_describe_window(start, end)} 这段时间里没有分组列 '{group_col}' 有值的售前咨询"
            f"（{presale_value}；没有接待客服的咨询，例如店小蜜回答的，不属于任何客服），"
            "询单转化率的分母是 0，无法计算。"
        )
    if pre.empty:
        raise ValueError(message)
    num, den, index_name = _conversion_counts(
        pre, ords, method=method, by="agent" if group_col is not None else by
    )
    if group_col is not None:
        index_name = group_col
    return _name_index(_ratio(num, den, "询单转化率", message), index_name)


# ---- 客单价、笔单价 ----------------------------------------------------------------------


def _paid_orders(
    orders: pd.DataFrame,
    *,
    by: Any,
    special: tuple[Any, ...],
    columns: list[str],
    paid_col: str,
    agent_col: str,
) -> tuple[pd.DataFrame, Hashable | None]:
    """Paid orders as a frame of ``columns`` plus ``key`` (the group) when ``by`` is given.

    Rows whose group is missing are dropped (silent orders have no agent).
    """
    check_dataframe(orders, "orders")
    _check_by(by, special, orders.columns)
    needed = [*columns, paid_col]
    if by == "agent":
        needed.append(agent_col)
    elif by not in (None, "day"):
        needed.append(by)
    check_columns(orders, "orders", needed)
    paid_at = check_datetime(orders, "orders", paid_col)
    mask = paid_at.notna()
    if not mask.any():
        raise ValueError("订单表 orders 里没有已付款的订单（付款时间全部为空），没有成交，无法计算。")
    work = orders.loc[mask, columns]
    index_name = None
    if by == "day":
        work = work.assign(key=paid_at[mask].dt.normalize())
        index_name = DAY_INDEX
    elif by is not None:
        column = agent_col if by == "agent" else by
        work = work.assign(key=orders.loc[mask, column])
        work = work[work["key"].notna()]
        index_name = column
        if work.empty:
            raise ValueError(
                f"已付款订单的列 '{column}' 全是空值，无法分组计算"
                + ("（这些都是静默下单，没有接待客服）。" if by == "agent" else "。")
            )
    return work, index_name


def _unit_price(
    orders: pd.DataFrame,
    *,
    by: Any,
    per: str,
    customer_col: str,
    payment_col: str,
    paid_col: str,
    agent_col: str,
) -> float | pd.Series:
    columns = [payment_col] + ([customer_col] if per == "customer" else [])
    work, index_name = _paid_orders(
        orders,
        by=by,
        special=(None, "day", "agent"),
        columns=columns,
        paid_col=paid_col,
        agent_col=agent_col,
    )
    check_numeric(orders, "orders", payment_col)
    check_non_negative(orders, "orders", payment_col)
    check_no_missing(work, "orders（已付款订单）", payment_col, "实付款")
    if per == "customer":
        check_no_missing(work, "orders（已付款订单）", customer_col, "客户编号")
    name = "客单价" if per == "customer" else "笔单价"
    message = f"没有已付款的订单，{name}的分母是 0，无法计算。"
    if by is None:
        sales = work[payment_col].sum()
        den = work[customer_col].nunique() if per == "customer" else len(work)
        return _ratio(sales, den, name, message)
    groups = work.groupby("key", sort=True, observed=True)
    sales = groups[payment_col].sum()
    den = groups[customer_col].nunique() if per == "customer" else groups.size()
    return _name_index(_ratio(sales, den, name, message), index_name)


def customer_unit_price(
    orders: pd.DataFrame,
    *,
    by: str | None = None,
    customer_col: str = "customer_id",
    payment_col: str = "payment",
    paid_col: str = "paid_at",
    agent_col: str = "agent_id",
) -> float | pd.Series:
    """客单价 = 销售额 ÷ 成交顾客数: average spend per buyer (customer unit price).

    Only paid orders count (``paid_col`` not missing, whatever the order status now).
    销售额 is the sum of ``payment_col`` (实付款); refunds are not subtracted.  A buyer who
    paid for several orders is one 成交顾客 -- per order it is :func:`order_unit_price`.

    Parameters
    ----------
    orders : pandas.DataFrame
        The shop's 订单表.
    by : None, "day", "agent" or a column name of ``orders``
        ``"day"``: per day of payment (a buyer is counted once per day).  ``"agent"``: per
        agent in ``agent_col``; silent orders (静默下单, no agent) belong to no agent and are
        left out.  Any other column: per value of that column (rows with a missing value are
        left out).
    customer_col, payment_col, paid_col, agent_col : str
        Column names in ``orders``.

    Returns
    -------
    float or pandas.Series
        Yuan per buyer; per group a Series named ``"客单价"``.

    Examples
    --------
    >>> orders = pd.DataFrame({"customer_id": [1, 1, 2],
    ...     "payment": [100.0, 50.0, 90.0],
    ...     "paid_at": pd.to_datetime(["2024-03-01", "2024-03-02", "2024-03-02"])})
    >>> customer_unit_price(orders)  # (100 + 50 + 90) / 2 buyers
    120.0
    """
    return _unit_price(
        orders,
        by=by,
        per="customer",
        customer_col=customer_col,
        payment_col=payment_col,
        paid_col=paid_col,
        agent_col=agent_col,
    )


def order_unit_price(
    orders: pd.DataFrame,
    *,
    by: str | None = None,
    payment_col: str = "payment",
    paid_col: str = "paid_at",
    agent_col: str = "agent_id",
) -> float | pd.Series:
    """笔单价 = 销售额 ÷ 成交笔数: average payment per paid order (order unit price).

    Same rules as :func:`customer_unit_price`, but divided by the number of paid orders.

    Parameters
    ----------
    orders : pandas.DataFrame
        The shop's 订单表.
    by : None, "day", "agent" or a column name of ``orders``
        As in :func:`customer_unit_price`; silent orders belong to no agent.
    payment_col, paid_col, agent_col : str
        Column names in ``orders``.

    Returns
    -------
    float or pandas.Series
        Yuan per paid order; per group a Series named ``"笔单价"``.

    Examples
    --------
    >>> orders = pd.DataFrame({"payment": [100.0, 50.0, 90.0],
    ...     "paid_at": pd.to_datetime(["2024-03-01", "2024-03-02", "2024-03-02"])})
    >>> order_unit_price(orders)  # 240 / 3 orders
    80.0
    """
    return _unit_price(
        orders,
        by=by,
        per="order",
        customer_col="",
        payment_col=payment_col,
        paid_col=paid_col,
        agent_col=agent_col,
    )


# ---- 响应速度 -----------------------------------------------------------------------------


def _chat_values(
    chats: pd.DataFrame,
    *,
    value_col: str,
    by: Any,
    agent_col: str,
    started_col: str,
    answered_by_col: str | None = "answered_by",
) -> pd.DataFrame:
    """Frame with ``v`` (the checked seconds) and ``key`` (the group, when ``by`` is given).

    Chats answered by 店小蜜 (``answered_by_col`` equal to :data:`BOT_ANSWER`) are left out,
    as Taobao leaves bots out of 响应时间; a table without that column keeps every chat.
    """
    check_dataframe(chats, "chats")
    if answered_by_col is not None and answered_by_col in chats.columns:
        chats = chats[chats[answered_by_col].astype("object") != BOT_ANSWER]
    _check_by(by, (None, "agent", "day"), chats.columns)
    needed = [value_col]
    if by == "day":
        needed.append(started_col)
    elif by == "agent":
        needed.append(agent_col)
    elif by is not None:
        needed.append(by)
    check_columns(chats, "chats", needed)
    _check_amounts(chats, "chats", value_col)
    work = pd.DataFrame({"v": chats[value_col]})
    if by == "day":
        work["key"] = _times(chats, "chats", started_col, required=True).dt.normalize()
    elif by is not None:
        work["key"] = chats[agent_col if by == "agent" else by]
        work = work[work["key"].notna()]
        if work.empty:
            raise ValueError(
                f"咨询表 chats 的分组列 '{agent_col if by == 'agent' else by}' 全是空值，无法分组计算。"
            )
    return work


def _chat_mean(work: pd.DataFrame, name: str, by: Any, agent_col: str) -> float | pd.Series:
    if by is None:
        return float(work["v"].astype("float64").mean())
    out = work["v"].astype("float64").groupby(work["key"], sort=True, observed=True).mean()
    out.name = name
    return _name_index(out, DAY_INDEX if by == "day" else agent_col if by == "agent" else by)


def _capped_chat_mean(chats, value_col, cap_seconds, name, by, agent_col, started_col, answered_by_col):
    """Mean of a per-chat number of seconds, each capped at ``cap_seconds`` when given."""
    if cap_seconds is not None:
        cap_seconds = check_number(cap_seconds, "cap_seconds", 0, strict=True)
    work = _chat_values(
        chats, value_col=value_col, by=by, agent_col=agent_col, started_col=started_col,
        answered_by_col=answered_by_col,
    )  # fmt: skip
    if cap_seconds is not None:
        work = work.assign(v=work["v"].clip(upper=cap_seconds))
    return _chat_mean(work, name, by, agent_col)


def first_response_time(
    chats: pd.DataFrame,
    *,
    by: str | None = None,
    cap_seconds: float | None = None,
    first_response_col: str = "first_response_seconds",
    agent_col: str = "agent_id",
    started_col: str = "started_at",
    answered_by_col: str | None = "answered_by",
) -> float | pd.Series:
    """首次响应时间: mean seconds until the agent's first reply (first response time).

    Every chat counts, pre- and after-sale; filter ``chats`` first for one kind only.

    Parameters
    ----------
    chats : pandas.DataFrame
        The shop's 旺旺咨询表.
    by : None, "agent", "day" or a column name of ``chats``
        ``"day"`` groups by the date of ``started_col``.
    cap_seconds : float, optional
        If given, a longer first response counts as ``cap_seconds`` (default: no cap).
    first_response_col, agent_col, started_col : str
        Column names in ``chats``.
    answered_by_col : str or None, default "answered_by"
        Column saying who answered (人工 or 店小蜜); chats answered by 店小蜜 are left out
        (bots excluded).  Ignored when ``chats`` has no such column; ``None`` keeps every chat.

    Returns
    -------
    float or pandas.Series
        Seconds; per group a Series named ``"首次响应时间（秒）"``.
    """
    return _capped_chat_mean(
        chats,
        first_response_col,
        cap_seconds,
        "首次响应时间（秒）",
        by,
        agent_col,
        started_col,
        answered_by_col,
    )


def average_response_time(
    chats: pd.DataFrame,
    *,
    by: str | None = None,
    cap_seconds: float | None = 600,
    avg_response_col: str = "avg_response_seconds",
    agent_col: str = "agent_id",
    started_col: str = "started_at",
    answered_by_col: str | None = "answered_by",
) -> float | pd.Series:
    """平均响应时间: mean over chats of each chat's average reply time (average response time).

    As on Taobao, each chat's value is capped at ``cap_seconds`` (600 s = 10 minutes)
    before averaging, so one forgotten conversation does not swamp the figure.  Every
    chat counts, pre- and after-sale.

    Parameters
    ----------
    chats : pandas.DataFrame
        The shop's 旺旺咨询表.
    by : None, "agent", "day" or a column name of ``chats``
        ``"day"`` groups by the date of ``started_col``.
    cap_seconds : float or None
        The cap per chat (default 600); ``None`` for no cap.
    avg_response_col, agent_col, started_col : str
        Column names in ``chats``.
    answered_by_col : str or None, default "answered_by"
        Column saying who answered (人工 or 店小蜜); chats answered by 店小蜜 are left out
        (bots excluded).  Ignored when ``chats`` has no such column; ``None`` keeps every chat.

    Returns
    -------
    float or pandas.Series
        Seconds; per group a Series named ``"平均响应时间（秒）"``.
    """
    return _capped_chat_mean(
        chats,
        avg_response_col,
        cap_seconds,
        "平均响应时间（秒）",
        by,
        agent_col,
        started_col,
        answered_by_col,
    )


def response_within_3min_rate(
    chats: pd.DataFrame,
    *,
    by: str | None = None,
    threshold_seconds: float = 180,
    first_response_col: str = "first_response_seconds",
    agent_col: str = "agent_id",
    started_col: str = "started_at",
    answered_by_col: str | None = "answered_by",
) -> float | pd.Series:
    """3分钟响应率: share of chats first answered within 3 minutes (response rate ≤ 180 s).

    A first response of exactly ``threshold_seconds`` counts as within.  Every chat
    counts, pre- and after-sale.

    Parameters
    ----------
    chats : pandas.DataFrame
        The shop's 旺旺咨询表.
    by : None, "agent", "day" or a column name of ``chats``
        ``"day"`` groups by the date of ``started_col``.
    threshold_seconds : float
        The limit in seconds (default 180).
    first_response_col, agent_col, started_col : str
        Column names in ``chats``.
    answered_by_col : str or None, default "answered_by"
        Column saying who answered (人工 or 店小蜜); chats answered by 店小蜜 are left out
        (bots excluded).  Ignored when ``chats`` has no such column; ``None`` keeps every chat.

    Returns
    -------
    float or pandas.Series
        A share between 0 and 1; per group a Series named ``"3分钟响应率"`` (or
        ``"<n>秒响应率"`` for another threshold).

    Examples
    --------
    >>> chats = pd.DataFrame({"first_response_seconds": [10, 180, 181, 600]})
    >>> response_within_3min_rate(chats)  # 10 s and 180 s are within
    0.5
    """
    threshold_seconds = check_number(threshold_seconds, "threshold_seconds", 0)
    work = _chat_values(
        chats, value_col=first_response_col, by=by, agent_col=agent_col, started_col=started_col,
        answered_by_col=answered_by_col,
    )  # fmt: skip
    work = work.assign(v=(work["v"] <= threshold_seconds).astype("float64"))
    name = "3分钟响应率" if threshold_seconds == 180 else f"{threshold_seconds:g}秒响应率"
    return _chat_mean(work, name, by, agent_col)


# ---- 商品退款率 --------------------------------------------------------------------------


def refund_rate(
    order_items: pd.DataFrame,
    refunds: pd.DataFrame,
    *,
    orders: pd.DataFrame | None = None,
    method: str = "quantity",
    by: str | None = None,
    period_days: int | None = None,
    end: Any = None,
    order_col: str = "order_id",
    product_col: str = "product_id",
    quantity_col: str = "quantity",
    refund_quantity_col: str = "quantity",
    refund_status_col: str | None = "status",
    success_value: Any = "退款成功",
    refund_type_col: str | None = "refund_type",
    exchange_value: Any = "换货",
    refund_amount_col: str | None = "amount",
    paid_col: str = "paid_at",
) -> float | pd.Series:
    """商品退款率: share of sold goods that were refunded (refund rate).

    A refund counts only when it succeeded (``refund_status_col == "退款成功"``) and is not
    an exchange (``refund_type_col != "换货"``): 退款关闭 (refused or withdrawn) and 换货
    are not refunds.  If a refund table lacks one of these columns (or it is set to
    ``None``), that condition is skipped.  Refunds are matched to the sold rows of
    ``order_items`` on (order, product); a refund whose order and product are not among
    the sold rows (an unpaid order, outside the period, or not in ``order_items``) is left
    out.

    Parameters
    ----------
    order_items, refunds : pandas.DataFrame
        The shop's 订单商品明细表 and 售后表.
    orders : pandas.DataFrame, optional
        The 订单表.  When given, only rows of paid orders (``paid_col`` not missing) are
        sold, and ``period_days`` selects them by payment time.  Without ``orders`` every
        row of ``order_items`` counts as sold -- pass ``orders`` to leave out unpaid orders.
    method : {"quantity", "taobao"}
        ``"quantity"`` (default, the seed): 退款件数 ÷ 售出件数 -- the refunded quantity
        over the sold quantity.  ``"taobao"`` (Taobao's 退款率): the number of sub-orders
        (order, product) with a successful refund over the number of paid sub-orders,
        over the last 30 days of payments; needs ``orders``.
    by : None or a column name of ``order_items``
        Per value of that column, e.g. ``"product_id"``.  A refund is attributed to the
        group of its sold row (the first one, should an order list a product twice).
    period_days : int, optional
        Only goods paid in the ``period_days`` days before ``end`` (needs ``orders``).
        ``None`` means every sale for ``"quantity"`` and 30 days for ``"taobao"``.
        Refunds are those of the goods sold in the period, whenever they were applied for.
    end : str or Timestamp, optional
        End of the period (excluded); default: the day after the latest payment.
    order_col, product_col : str
        Column names used in all three tables.
    quantity_col : str
        Quantity column of ``order_items``.
    refund_quantity_col, refund_status_col, refund_type_col, refund_amount_col : str
        Columns of ``refunds`` (the amount is only checked for negative values).
    success_value, exchange_value : object
        The status of a successful refund and the type of an exchange.
    paid_col : str
        Payment time column of ``orders``.

    Returns
    -------
    float or pandas.Series
        A share between 0 and 1; per group a Series named ``"商品退款率"``.

    Examples
    --------
    >>> items = pd.DataFrame({"order_id": [1, 2], "product_id": [10, 10], "quantity": [3, 1]})
    >>> refunds = pd.DataFrame({"order_id": [1, 2], "product_id": [10, 10], "quantity": [1, 1],
    ...     "refund_type": ["仅退款", "换货"], "status": ["退款成功", "换货完成"]})
    >>> refund_rate(items, refunds)  # 1 refunded of 4 sold; the exchange is no refund
    0.25
    """
    check_choice(method, "method", ("quantity", "taobao"))
    check_dataframe(order_items, "order_items")
    check_dataframe(refunds, "refunds", allow_empty=True)
    _check_by(by, (None,), order_items.columns)
    if method == "taobao":
        if orders is None:
            raise ValueError(
                "淘宝口径的退款率（method='taobao'）按付款时间统计最近 30 天的子订单，需要订单表："
                "请传入 orders=订单表。"
            )
        if period_days is None:
            period_days = 30
    elif period_days is not None and orders is None:
        raise ValueError("按 period_days 统计时要用订单的付款时间，请同时传入 orders=订单表。")

    keys = [order_col, product_col]
    item_cols = [*keys, quantity_col] + ([by] if by is not None and by not in keys + [quantity_col] else [])
    check_dataframe(order_items, "order_items", item_cols)
    _check_amounts(order_items, "order_items", quantity_col)
    refund_cols = keys + ([refund_quantity_col] if method == "quantity" else [])
    check_dataframe(refunds, "refunds", refund_cols, allow_empty=True)  # no refunds: rate 0
    if method == "quantity":
        _check_amounts(refunds, "refunds", refund_quantity_col)
    if refund_amount_col is not None and refund_amount_col in refunds.columns:
        check_non_negative(refunds, "refunds", refund_amount_col)

    sold = order_items[item_cols]
    where = ""
    if orders is not None:
        check_dataframe(orders, "orders", [order_col, paid_col])
        paid_at = check_datetime(orders, "orders", paid_col)
        paid = paid_at.notna()
        if not paid.any():
            raise ValueError(
                "订单表 orders 里没有已付款的订单（付款时间全部为空），没有售出的商品，无法计算退款率。"
            )
        if period_days is not None or end is not None:
            start, stop = _window(paid_at[paid], period_days, end)
            paid &= _in_window(paid_at, start, stop)
            where = f"（付款时间 {_describe_window(start, stop)}）"
        sold = sold[sold[order_col].isin(orders.loc[paid, order_col])]
    if sold.empty:
        raise ValueError(f"没有售出的商品{where}，退款率的分母是 0，无法计算。")

    ok = pd.Series(True, index=refunds.index)
    if refund_status_col is not None and refund_status_col in refunds.columns:
        ok &= (refunds[refund_status_col] == success_value).fillna(False).astype(bool)
    if refund_type_col is not None and refund_type_col in refunds.columns:
        ok &= (refunds[refund_type_col] != exchange_value).fillna(True).astype(bool)
    good = refunds.loc[ok, refund_cols]

    group_col = [by] if by is not None and by not in keys else []
    sold_keys = sold[keys + group_col].drop_duplicates(keys)
    message = f"没有售出的商品{where}，退款率的分母是 0，无法计算。"
    if method == "taobao":
        matched = good.drop_duplicates(keys).merge(sold_keys, on=keys, how="inner")
        if by is None:
            return _ratio(len(matched), len(sold_keys), "商品退款率", message)
        num = matched.groupby(by, sort=True, observed=True).size()
        den = sold_keys.groupby(by, sort=True, observed=True).size()
    else:
        matched = good.rename(columns={refund_quantity_col: "__refunded__"}).merge(
            sold_keys, on=keys, how="inner"
        )
        if by is None:
            return _ratio(matched["__refunded__"].sum(), sold[quantity_col].sum(), "商品退款率", message)
        num = matched.groupby(by, sort=True, observed=True)["__refunded__"].sum()
        den = sold.groupby(by, sort=True, observed=True)[quantity_col].sum()
    return _name_index(_ratio(num, den, "商品退款率", message), by)


# ---- 复购率、静默下单占比 ---------------------------------------------------------------


def repurchase_rate(
    orders: pd.DataFrame,
    *,
    by: str | None = None,
    min_orders: int = 2,
    customer_col: str = "customer_id",
    paid_col: str = "paid_at",
) -> float | pd.Series:
    """复购率 (按人数): share of buyers with at least ``min_orders`` paid orders (repurchase rate).

    复购率 = 付款订单数 ≥ ``min_orders`` 的买家数 ÷ 有付款订单的买家数.  Each paid order is
    one purchase, so two orders on the same day count twice.

    Parameters
    ----------
    orders : pandas.DataFrame
        The shop's 订单表.
    by : None or a column name of ``orders``
        Per value of that column: a buyer's orders are counted within the group (e.g.
        ``by="agent_id"`` counts repeat purchases made through the same agent).  Rows with
        a missing value are left out.
    min_orders : int
        Purchases needed to count as a repeat buyer (default 2, at least 2).
    customer_col, paid_col : str
        Column names in ``orders``.

    Returns
    -------
    float or pandas.Series
        A share between 0 and 1; per group a Series named ``"复购率"``.

    Examples
    --------
    >>> orders = pd.DataFrame({"customer_id": [1, 1, 2, 3],
    ...     "paid_at": pd.to_datetime(["2024-03-01", "2024-04-01", "2024-03-05", None])})
    >>> repurchase_rate(orders)  # buyer 1 of buyers 1 and 2 (3 never paid)
    0.5
    """
    min_orders = check_int(min_orders, "min_orders", minimum=2)
    work, index_name = _paid_orders(
        orders, by=by, special=(None,), columns=[customer_col], paid_col=paid_col, agent_col=""
    )
    check_no_missing(work, "orders（已付款订单）", customer_col, "客户编号")
    message = "没有已付款的订单，复购率的分母（买家数）是 0，无法计算。"
    if by is None:
        counts = work[customer_col].value_counts()
        return _ratio(int((counts >= min_orders).sum()), len(counts), "复购率", message)
    counts = work.groupby(["key", customer_col], sort=False, observed=True).size()
    level = counts.index.get_level_values("key")
    num = (counts >= min_orders).groupby(level, sort=True).sum()
    den = counts.groupby(level, sort=True).size()
    return _name_index(_ratio(num, den, "复购率", message), index_name)


def silent_order_share(
    orders: pd.DataFrame,
    *,
    by: str | None = None,
    agent_col: str = "agent_id",
    paid_col: str = "paid_at",
) -> float | pd.Series:
    """静默下单占比: share of paid orders placed without talking to an agent (silent orders).

    静默下单占比 = 没有接待客服（``agent_col`` 为空）的付款订单数 ÷ 付款订单数.

    Parameters
    ----------
    orders : pandas.DataFrame
        The shop's 订单表.
    by : None or "day"
        ``"day"`` groups by the date of payment.
    agent_col, paid_col : str
        Column names in ``orders``.

    Returns
    -------
    float or pandas.Series
        A share between 0 and 1; per day a Series named ``"静默下单占比"``.
    """
    check_choice(by, "by", (None, "day"))
    work, index_name = _paid_orders(
        orders, by=by, special=(None, "day"), columns=[agent_col], paid_col=paid_col, agent_col=agent_col
    )
    silent = work[agent_col].isna()
    message = "没有已付款的订单，静默下单占比的分母是 0，无法计算。"
    if by is None:
        return _ratio(int(silent.sum()), len(work), "静默下单占比", message)
    num = silent.groupby(work["key"], sort=True).sum()
    den = _group_size(work)
    return _name_index(_ratio(num, den, "静默下单占比", message), index_name)


# ---- 客服 KPI 看板 ----------------------------------------------------------------------


def kpi_board(
    chats: pd.DataFrame,
    orders: pd.DataFrame,
    *,
    agents: pd.DataFrame | None = None,
    period_days: int | None = 28,
    end: Any = None,
    cap_seconds: float | None = 600,
    threshold_seconds: float = 180,
    chat_customer_col: str = "customer_id",
    chat_agent_col: str = "agent_id",
    started_col: str = "started_at",
    chat_type_col: str | None = "chat_type",
    presale_value: Any = "售前",
    first_response_col: str = "first_response_seconds",
    avg_response_col: str = "avg_response_seconds",
    order_customer_col: str = "customer_id",
    order_agent_col: str = "agent_id",
    created_col: str = "created_at",
    paid_col: str = "paid_at",
    payment_col: str = "payment",
    agent_col: str = "agent_id",
    nickname_col: str = "nickname",
) -> pd.DataFrame:
    """客服 KPI 看板: the service KPIs of every agent in one table (KPI board per agent).

    One row per agent who received chats in the window, sorted by agent id (the index).
    Every column uses the same window as :func:`inquiry_conversion_rate`:
    ``[end - period_days days, end)``, by default the last 28 whole days up to the latest
    chat (``period_days=None``: everything before ``end``).

    Columns (列):

    - ``客服``: nickname from ``agents`` (only when ``agents`` is given);
    - ``接待人数``: distinct customers who chatted with the agent (all chats);
    - ``询单转化率``: buyers method, outcome 下单 (see :func:`inquiry_conversion_rate`);
    - ``客单价``: the agent's orders paid in the window, 销售额 ÷ 成交顾客数;
    - ``首次响应时间（秒）``: mean first response, all chats;
    - ``平均响应时间（秒）``: mean of the per-chat average response, each capped at
      ``cap_seconds``;
    - ``3分钟响应率``: share of chats first answered within ``threshold_seconds`` (named
      ``<n>秒响应率`` for another threshold, as in :func:`response_within_3min_rate`).

    Chats without an agent (answered by 店小蜜) are left out of every column, as with
    ``by="agent"`` in the single-KPI functions: each column equals that function's value per
    agent.  An after-sale-only agent has no 询单转化率 and an agent without paid orders has
    no 客单价: those cells are empty (``NaN``) -- "not applicable", not zero.

    Parameters
    ----------
    chats, orders : pandas.DataFrame
        The shop's 旺旺咨询表 and 订单表.
    agents : pandas.DataFrame, optional
        The 员工表 with ``agent_col`` and ``nickname_col``; adds the 客服 column.
    period_days, end :
        The window, as in :func:`inquiry_conversion_rate`.
    cap_seconds, threshold_seconds : float
        As in :func:`average_response_time` and :func:`response_within_3min_rate`.
    chat_customer_col, chat_agent_col, started_col, chat_type_col, presale_value,
    first_response_col, avg_response_col : str
        Columns (and the pre-sale value) of ``chats``.
    order_customer_col, order_agent_col, created_col, paid_col, payment_col : str
        Columns of ``orders``.
    agent_col, nickname_col : str
        Columns of ``agents``.

    Returns
    -------
    pandas.DataFrame
        Indexed by agent id.
    """
    if cap_seconds is not None:
        cap_seconds = check_number(cap_seconds, "cap_seconds", 0, strict=True)
    threshold_seconds = check_number(threshold_seconds, "threshold_seconds", 0)
    check_dataframe(
        chats, "chats", [chat_customer_col, chat_agent_col, started_col, first_response_col, avg_response_col]
    )
    check_no_missing(chats, "chats", chat_customer_col, "客户编号")
    for column in (first_response_col, avg_response_col):
        _check_amounts(chats, "chats", column)
    check_dataframe(
        orders, "orders", [order_customer_col, order_agent_col, created_col, paid_col, payment_col]
    )
    check_numeric(orders, "orders", payment_col)
    check_non_negative(orders, "orders", payment_col)
    if agents is not None:
        check_dataframe(agents, "agents", [agent_col, nickname_col])

    times = _times(chats, "chats", started_col, required=True)
    start, end = _window(times, period_days, end)
    in_window = _in_window(times, start, end) & chats[chat_agent_col].notna()
    if not in_window.any():
        raise ValueError(f"在 {_describe_window(start, end)} 这段时间里没有客服接待的咨询，看板是空的。")
    work = pd.DataFrame(
        {
            "c": chats[chat_customer_col][in_window],
            "a": chats[chat_agent_col][in_window],
            "t": times[in_window],
            "first": chats[first_response_col][in_window].astype("float64"),
            "avg": chats[avg_response_col][in_window].astype("float64"),
        }
    )
    if cap_seconds is not None:
        work["avg"] = work["avg"].clip(upper=cap_seconds)
    work["fast"] = (work["first"] <= threshold_seconds).astype("float64")
    groups = work.groupby("a", sort=True, observed=True)
    board = pd.DataFrame({"接待人数": groups["c"].nunique()})

    # 询单转化率 (buyers method) per agent; agents without pre-sale chats stay empty.
    presale = pd.Series(True, index=work.index)
    if chat_type_col is not None and chat_type_col in chats.columns:
        presale = (chats[chat_type_col][in_window] == presale_value).fillna(False).astype(bool)
    ords = _order_times(
        orders,
        outcome="created",
        start=start,
        end=end,
        customer_col=order_customer_col,
        created_col=created_col,
        paid_col=paid_col,
    )
    pre = work.loc[presale, ["c", "t", "a"]]
    if pre.empty:
        board["询单转化率"] = np.nan
    else:
        num, den, _ = _conversion_counts(pre, ords, method="buyers", by="agent")
        board["询单转化率"] = num.astype("float64") / den.astype("float64")

    # 客单价 per agent over the orders paid in the window; silent orders have no agent.
    paid_at = check_datetime(orders, "orders", paid_col)
    paid = paid_at.notna() & _in_window(paid_at, start, end) & orders[order_agent_col].notna()
    sold = orders.loc[paid, [order_agent_col, order_customer_col, payment_col]]
    check_no_missing(sold, "orders（已付款订单）", payment_col, "实付款")
    sales = sold.groupby(order_agent_col, sort=True, observed=True)
    board["客单价"] = sales[payment_col].sum().astype("float64") / sales[order_customer_col].nunique()

    board["首次响应时间（秒）"] = groups["first"].mean()
    board["平均响应时间（秒）"] = groups["avg"].mean()
    board["3分钟响应率" if threshold_seconds == 180 else f"{threshold_seconds:g}秒响应率"] = groups[
        "fast"
    ].mean()
    if agents is not None:
        names = agents.drop_duplicates(agent_col).set_index(agent_col)[nickname_col]
        board.insert(0, "客服", board.index.map(names))
    board.index.name = chat_agent_col
    return board
