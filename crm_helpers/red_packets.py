"""红包发放的监控与异常识别 (monitoring red packets and spotting abuse).

The course's case (seed 000): 邹先生 let four customer-service agents send 红包 from their
sub-accounts (子账号), at most 100 元 a day each.  Agent 小陈 secretly raised her own limit and
tipped herself more than 2000 times, 32万元 in a few days.  The functions here find such a
case in three tables of the shop:

* ``red_packets`` (红包发放表): who sent how much to whom, and when;
* ``agents`` (员工表): the sub-accounts and their *current* daily limit -- which the
  fraudster changed, so it cannot be trusted on its own;
* ``audit_log`` (操作日志): every change of a limit or a permission, with its operator.

The rule of 千牛 is that **only the main account (主账号) may set limits and permissions**.  So
the limit that counts is the one the main account authorised (:func:`authorised_limits`);
any change made by somebody else is suspicious (:func:`unauthorised_changes`).  The other
functions measure the traces abuse leaves in the money: days over the authorised limit
(:func:`daily_red_packet_totals`), many packets to the same few accounts
(:func:`repeated_recipients`) and packets sent at night (:func:`odd_hour_share`).
:func:`red_packet_alerts` puts the evidence together, one row per agent, with a 风险等级.

Every function takes plain ``pandas.DataFrame`` tables and never modifies them.  Column
names are keyword parameters, so a shop's own export works too, e.g.
``odd_hour_share(my_packets, agent_col="客服", sent_col="发放时间")``.  Bad input raises a
``TypeError`` / ``ValueError`` with a Chinese message.

Examples
--------
>>> import crm_helpers
>>> store = crm_helpers.load_store()
>>> alerts = red_packet_alerts(store.red_packets, store.agents, store.audit_log, store.shop_name)
>>> alerts.loc[alerts["风险等级"] == "高", "昵称"].tolist()
['小陈']
"""

from __future__ import annotations

import numbers
from collections.abc import Iterable
from typing import Any

import numpy as np
import pandas as pd

from ._format import format_money
from ._time import DAY_NS, check_same_zone, wall_ns
from ._validation import (
    check_columns,
    check_dataframe,
    check_datetime,
    check_fraction,
    check_int,
    check_no_missing,
    check_non_negative,
    check_numeric,
    check_unique,
    is_list_like,
)
from .vocabulary import LIMIT_ACTIONS, PERMISSION_CHANGE_ACTIONS

__all__ = [
    "CHANGE_ACTIONS",
    "LIMIT_ACTIONS",
    "authorised_limits",
    "daily_red_packet_totals",
    "odd_hour_share",
    "plot_daily_totals",
    "red_packet_alerts",
    "repeated_recipients",
    "unauthorised_changes",
]

#: Audit-log actions that change a limit or a permission (only the main account may do them).
CHANGE_ACTIONS = (*LIMIT_ACTIONS, *PERMISSION_CHANGE_ACTIONS)

#: Default hours counted as outside working hours: 0:00-5:59.
NIGHT_HOURS = range(0, 6)

_LEVELS = ["低", "中", "高"]


# ---- input checks ---------------------------------------------------------------------------


def _check_main_account(main_account: Any) -> str:
    if not isinstance(main_account, str) or not main_account.strip():
        raise TypeError(
            "参数 main_account 应该是主账号的名称（文字），例如 store.shop_name 即 '乐童优选'；"
            f"收到的是 {main_account!r}。"
        )
    return main_account


def _check_red_packets(
    red_packets: Any, agent_col: str, amount_col: str, sent_col: str | None, customer_col: str | None = None
) -> pd.Series | None:
    """Check the 红包发放表; return the send times (or ``None`` when ``sent_col`` is ``None``)."""
    columns = [agent_col, amount_col] + [c for c in (sent_col, customer_col) if c is not None]
    check_dataframe(red_packets, "red_packets", columns)
    check_no_missing(red_packets, "red_packets", agent_col, "员工编号")
    check_numeric(red_packets, "red_packets", amount_col)
    check_no_missing(red_packets, "red_packets", amount_col, "红包金额")
    check_non_negative(red_packets, "red_packets", amount_col)
    if customer_col is not None:
        check_no_missing(red_packets, "red_packets", customer_col, "收款客户")
    if sent_col is None:
        return None
    times = check_datetime(red_packets, "red_packets", sent_col)
    check_no_missing(times.to_frame(sent_col), "red_packets", sent_col, "发放时间")
    return times


def _check_agents(
    agents: Any, agent_col: str, account_name_col: str, daily_red_packet_limit_col: str
) -> None:
    check_dataframe(agents, "agents", [agent_col, account_name_col, daily_red_packet_limit_col])
    for column, what in ((agent_col, "员工编号"), (account_name_col, "账号名")):
        check_no_missing(agents, "agents", column, what)
        check_unique(agents, "agents", column, what)
    check_numeric(agents, "agents", daily_red_packet_limit_col)
    check_no_missing(agents, "agents", daily_red_packet_limit_col, "红包限额")
    check_non_negative(agents, "agents", daily_red_packet_limit_col)


def _check_audit_log(audit_log: Any, columns: Iterable[str], logged_col: str) -> pd.Series:
    """Check the 操作日志; return its times."""
    check_dataframe(audit_log, "audit_log", list(columns))
    times = check_datetime(audit_log, "audit_log", logged_col)
    check_no_missing(times.to_frame(logged_col), "audit_log", logged_col, "操作时间")
    return times


def _require_main_in_log(audit_log: pd.DataFrame, operator_col: str, main_account: str) -> None:
    if not (audit_log[operator_col] == main_account).any():
        raise ValueError(
            f"操作日志 audit_log 的列 '{operator_col}' 里找不到主账号 {main_account!r} 的任何操作。"
            "请检查主账号名称是否写对（模拟网店的主账号是 store.shop_name）。"
        )


def _check_hours(hours: Any) -> frozenset[int]:
    """``hours`` as a set of whole hours 0-23."""
    message = "参数 hours 应该是 0～23 之间的整点（整数）的集合，例如 range(0, 6) 表示 0:00-5:59；"
    if not is_list_like(hours):
        raise TypeError(message + f"收到的是 {hours!r}。")
    values = list(hours)
    if not values:
        raise ValueError(message + "收到的是空的。")
    for h in values:
        if isinstance(h, (bool, np.bool_)) or not isinstance(h, numbers.Integral) or not 0 <= h <= 23:
            raise ValueError(message + f"其中的 {h!r} 不符合要求。")
    return frozenset(int(h) for h in values)


def _check_limits(values: pd.Series, audit_log: pd.DataFrame, after_col: str) -> pd.Series:
    """The ``after`` values of limit settings as numbers (not negative)."""
    numbers_ = pd.to_numeric(values, errors="coerce")
    bad = numbers_.isna() | (numbers_ < 0)
    if bad.any():
        first = bad.idxmax()
        raise ValueError(
            f"操作日志 audit_log 的列 '{after_col}' 在索引为 {first} 的那一行是 {audit_log.at[first, after_col]!r}，"
            "设置红包限额的新值应该是 0 或正数（金额，单位：元）。"
        )
    return numbers_.astype("float64")


# ---- small helpers --------------------------------------------------------------------------


def _limit_text(value: Any) -> str:
    """A limit from the log (text such as ``'100'``) for a sentence: ``'100元'``."""
    number = pd.to_numeric(pd.Series([value]), errors="coerce").iloc[0]
    return format_money(float(number)) if pd.notna(number) else f"{value}"


def _describe_hours(hours: frozenset[int]) -> str:
    """``{0, 1, 2, 3, 4, 5}`` → ``'0:00-5:59'``; runs are joined with 、."""
    ordered = sorted(hours)
    runs, start = [], ordered[0]
    for prev, cur in zip(ordered, ordered[1:] + [99]):
        if cur != prev + 1:  # the run start..prev ends here
            runs.append(f"{start}:00-{prev}:59")
            start = cur
    return "、".join(runs)


def _authorisations(
    audit_log: pd.DataFrame,
    times: pd.Series,
    main_account: str,
    *,
    operator_col: str,
    action_col: str,
    target_col: str,
    after_col: str,
    result_col: str,
    success_value: Any,
) -> pd.DataFrame:
    """Limit settings by the main account that succeeded: columns account, t (ns), limit; by time."""
    mask = (
        (audit_log[operator_col] == main_account)
        & audit_log[action_col].isin(LIMIT_ACTIONS)
        & (audit_log[result_col] == success_value)
    )
    rows = audit_log.loc[mask]
    out = pd.DataFrame(
        {
            "account": rows[target_col].to_numpy(),
            "t": wall_ns(times[mask]),
            "limit": _check_limits(rows[after_col], audit_log, after_col).to_numpy(),
        }
    )
    return out.sort_values("t", kind="stable").reset_index(drop=True)


# ---- 1. authorised limits ---------------------------------------------------------------------


def authorised_limits(
    audit_log: pd.DataFrame,
    main_account: str,
    *,
    logged_col: str = "logged_at",
    operator_col: str = "operator",
    action_col: str = "action",
    target_col: str = "target",
    after_col: str = "after",
    result_col: str = "result",
    success_value: Any = "成功",
) -> pd.Series:
    """主账号授权的红包限额: the daily limit the main account last set for each sub-account.

    Only rows of the 操作日志 that (1) were done by ``main_account``, (2) set or changed a 红包
    limit (``action`` 设置红包限额 or 修改红包限额) and (3) succeeded count.  A change made by
    anybody else -- even if the system let it through -- is *not* an authorisation: in
    千牛 only the main account may set limits.  When the main account set a limit several
    times, the latest one (by ``logged_col``) wins.

    Parameters
    ----------
    audit_log : pandas.DataFrame
        The shop's 操作日志.
    main_account : str
        The main account's name (the simulated shop's is ``store.shop_name``).
    logged_col, operator_col, action_col, target_col, after_col, result_col : str
        Columns of ``audit_log``: time, who, what, on which account, new value, result.
    success_value : default "成功"
        The value of ``result_col`` for an operation that took effect.

    Returns
    -------
    pandas.Series
        Named ``授权限额`` (元 per day), indexed by the sub-account (``target_col``), sorted by
        account.  Accounts the main account never gave a limit are absent.

    Raises
    ------
    TypeError, ValueError
        Not a DataFrame, empty, a missing column or time, a limit that is not a
        non-negative number, or no operation at all by ``main_account`` (a misspelled name).

    Examples
    --------
    >>> import crm_helpers
    >>> store = crm_helpers.load_store()
    >>> authorised_limits(store.audit_log, store.shop_name)["乐童优选:小陈"]
    np.float64(100.0)
    """
    main_account = _check_main_account(main_account)
    columns = [logged_col, operator_col, action_col, target_col, after_col, result_col]
    times = _check_audit_log(audit_log, columns, logged_col)
    _require_main_in_log(audit_log, operator_col, main_account)
    auth = _authorisations(
        audit_log,
        times,
        main_account,
        operator_col=operator_col,
        action_col=action_col,
        target_col=target_col,
        after_col=after_col,
        result_col=result_col,
        success_value=success_value,
    )
    last = auth.groupby("account", sort=True)["limit"].last()
    return last.rename("授权限额").rename_axis(target_col)


# ---- 2. unauthorised changes ------------------------------------------------------------------


def _limit_change(before: Any, after: Any) -> str:
    """``'红包限额从100元改成5000元'`` (or ``'红包限额设成5000元'`` without a previous value)."""
    if f"{before}" == "":
        return f"红包限额设成{_limit_text(after)}"
    return f"红包限额从{_limit_text(before)}改成{_limit_text(after)}"


def _change_sentence(operator: str, action: str, target: str, before: Any, after: Any, ok: bool) -> str:
    """One row of :func:`unauthorised_changes` in words."""
    who = "给自己" if operator == target else f"给 {target} "
    if action in LIMIT_ACTIONS:
        what = "把" + _limit_change(before, after)
    else:
        what = f"把权限从「{before}」改成「{after}」" if f"{before}" else f"把权限设成「{after}」"
    outcome = "已生效" if ok else "被系统拒绝"
    return f"{operator} {who}{what}（不是主账号，{outcome}）"


def _change_note(operator: str, action: str, target: str, before: Any, after: Any, account: str) -> str:
    """An unauthorised change in the 说明 of ``account`` (who is its operator, target or both)."""
    if action in LIMIT_ACTIONS:
        change = _limit_change(before, after)
        if operator == account:
            return f"擅自把{'自己' if target == account else f' {target} '}的{change}"
        return change.replace("红包限额", f"红包限额被 {operator} 擅自", 1)
    if operator == account:
        return f"擅自修改了{'自己' if target == account else f' {target} '}的权限"
    return f"权限被 {operator} 擅自修改"


def unauthorised_changes(
    audit_log: pd.DataFrame,
    main_account: str,
    *,
    include_refused: bool = False,
    actions: Iterable[str] = CHANGE_ACTIONS,
    logged_col: str = "logged_at",
    operator_col: str = "operator",
    action_col: str = "action",
    target_col: str = "target",
    before_col: str = "before",
    after_col: str = "after",
    result_col: str = "result",
    success_value: Any = "成功",
) -> pd.DataFrame:
    """擅自修改限额或权限: changes of a limit or a permission not made by the main account.

    In 千牛 only the main account may set 红包 limits and permissions, so every such change
    by another account is a finding -- above all when it succeeded, because then the system
    failed to stop it (this is how 小陈 raised her own limit).  By default only the changes
    that succeeded (``result_col == success_value``) are returned; ``include_refused=True``
    adds the refused attempts (any other result): nothing changed, but somebody tried.

    Parameters
    ----------
    audit_log : pandas.DataFrame
        The shop's 操作日志.
    main_account : str
        The main account's name (``store.shop_name``).
    include_refused : bool, default False
        Also return attempts that did not succeed.
    actions : iterable of str, default :data:`CHANGE_ACTIONS`
        The actions that change a limit or a permission: 设置红包限额, 修改红包限额,
        设置权限, 修改权限.
    logged_col, operator_col, action_col, target_col, before_col, after_col, result_col : str
        Columns of ``audit_log``.
    success_value : default "成功"
        The value of ``result_col`` for an operation that took effect.

    Returns
    -------
    pandas.DataFrame
        The matching rows of ``audit_log`` (a copy, with their original index so they can
        be found in the log), sorted by time, plus a column ``说明`` that says in Chinese
        who changed what for whom and whether it took effect.  No row: nothing found.

    Examples
    --------
    >>> import crm_helpers
    >>> store = crm_helpers.load_store()
    >>> unauthorised_changes(store.audit_log, store.shop_name)["说明"].tolist()
    ['乐童优选:小陈 给自己把红包限额从100元改成10万元（不是主账号，已生效）']
    """
    main_account = _check_main_account(main_account)
    if not isinstance(include_refused, (bool, np.bool_)):
        raise TypeError(f"参数 include_refused 应该是 True 或 False，收到的是 {include_refused!r}。")
    actions = list(actions) if is_list_like(actions) else [actions]
    columns = [logged_col, operator_col, action_col, target_col, before_col, after_col, result_col]
    times = _check_audit_log(audit_log, columns, logged_col)
    _require_main_in_log(audit_log, operator_col, main_account)
    mask = (audit_log[operator_col] != main_account) & audit_log[action_col].isin(actions)
    ok = audit_log[result_col] == success_value
    if not include_refused:
        mask &= ok
    order = np.argsort(wall_ns(times[mask]), kind="stable")
    rows = audit_log.loc[mask].iloc[order].copy()
    rows["说明"] = [
        _change_sentence(op, act, tgt, b, a, good)
        for op, act, tgt, b, a, good in zip(
            rows[operator_col],
            rows[action_col],
            rows[target_col],
            rows[before_col].fillna(""),
            rows[after_col].fillna(""),
            ok[mask].iloc[order],
        )
    ]
    return rows


# ---- 3. daily totals ------------------------------------------------------------------------


def _authorised_on_days(auth: pd.DataFrame, accounts: np.ndarray, day_start: np.ndarray) -> np.ndarray:
    """For each (account, day starting at ``day_start`` ns): the largest limit the main account
    had authorised at any moment of that day, ``NaN`` if none yet."""
    out = np.full(len(accounts), np.nan)
    day_end = day_start + DAY_NS
    for account, group in auth.groupby("account", sort=False):
        rows = np.flatnonzero(accounts == account)
        if not len(rows):
            continue
        t = group["t"].to_numpy()
        v = group["limit"].to_numpy()
        # In force when the day begins: the last setting strictly before the day's start.
        lo = np.searchsorted(t, day_start[rows], side="left") - 1
        # Settings made during the day: indices lo+1 .. hi-1.
        hi = np.searchsorted(t, day_end[rows], side="left")
        lo = np.maximum(lo, 0)
        j = np.arange(len(t))[:, None]
        inside = (j >= lo[None, :]) & (j < hi[None, :])
        best = np.where(inside, v[:, None], -np.inf).max(axis=0)
        out[rows] = np.where(hi > 0, best, np.nan)
    return out


def daily_red_packet_totals(
    red_packets: pd.DataFrame,
    agents: pd.DataFrame,
    audit_log: pd.DataFrame | None = None,
    main_account: str | None = None,
    *,
    packet_agent_col: str = "agent_id",
    amount_col: str = "amount",
    sent_col: str = "sent_at",
    agent_col: str = "agent_id",
    account_name_col: str = "account_name",
    daily_red_packet_limit_col: str = "daily_red_packet_limit",
    logged_col: str = "logged_at",
    operator_col: str = "operator",
    action_col: str = "action",
    target_col: str = "target",
    after_col: str = "after",
    result_col: str = "result",
    success_value: Any = "成功",
) -> pd.DataFrame:
    """每人每天的红包合计: red packets per agent and calendar day, compared with the limit.

    Which limit (``限额``):

    * with ``audit_log`` and ``main_account``: the limit **the main account authorised**
      (``限额来源`` = ``主账号授权``).  Limits can change over time, so each day is compared with
      the largest limit the main account had authorised at any moment of that day (the one in
      force when the day began, or a new one set during the day) -- the reading most
      favourable to the agent, so a finding is never caused by a change made the same day.
      A day before any setting by the main account falls back to the 员工表 limit
      (``限额来源`` = ``员工表``);
    * without them: the limit in the 员工表 (``daily_red_packet_limit_col``, ``限额来源`` = ``员工表``).  Beware:
      that is the *current* limit, and whoever raised it without permission (小陈) is
      then never over it.

    A red packet sent by an id missing from ``agents`` (e.g. the main account itself) has no
    limit: ``限额`` is empty (``NaN``), ``限额来源`` is ``未知`` and it is never over.

    Parameters
    ----------
    red_packets : pandas.DataFrame
        The 红包发放表: who sent (``packet_agent_col``), how much (``amount_col``, 元, not negative)
        and when (``sent_col``, no missing time).
    agents : pandas.DataFrame
        The 员工表: id (``agent_col``), account name (``account_name_col``, as in the log's
        ``target_col``) and the current daily limit (``daily_red_packet_limit_col``).
    audit_log : pandas.DataFrame, optional
        The 操作日志; give it together with ``main_account``.
    main_account : str, optional
        The main account's name (``store.shop_name``).
    packet_agent_col, amount_col, sent_col : str
        Columns of ``red_packets``.
    agent_col, account_name_col, daily_red_packet_limit_col : str
        Columns of ``agents``.
    logged_col, operator_col, action_col, target_col, after_col, result_col, success_value :
        Columns of ``audit_log`` and the success value, as in :func:`authorised_limits`.

    Returns
    -------
    pandas.DataFrame
        One row per agent and day with at least one red packet, sorted by agent and day.
        Columns: ``packet_agent_col``, ``日期`` (the day, as a date-time at midnight), ``次数``,
        ``金额`` (rounded to the cent), ``限额``, ``限额来源``, ``超限`` (``金额 > 限额``: exactly
        at the limit is *not* over) and ``超出金额`` (0 when not over).

    Examples
    --------
    >>> import crm_helpers
    >>> store = crm_helpers.load_store()
    >>> daily = daily_red_packet_totals(store.red_packets, store.agents, store.audit_log, store.shop_name)
    >>> int(daily["超限"].sum())
    5
    """
    if (audit_log is None) != (main_account is None):
        raise ValueError(
            "参数 audit_log 和 main_account 要么都给（按主账号授权的限额比较），要么都不给（按员工表的限额比较）。"
        )
    times = _check_red_packets(red_packets, packet_agent_col, amount_col, sent_col)
    _check_agents(agents, agent_col, account_name_col, daily_red_packet_limit_col)
    auth = None
    if audit_log is not None:
        main_account = _check_main_account(main_account)
        columns = [logged_col, operator_col, action_col, target_col, after_col, result_col]
        log_times = _check_audit_log(audit_log, columns, logged_col)
        _require_main_in_log(audit_log, operator_col, main_account)
        check_same_zone(times, log_times, "红包发放表和操作日志的时间")
        auth = _authorisations(
            audit_log,
            log_times,
            main_account,
            operator_col=operator_col,
            action_col=action_col,
            target_col=target_col,
            after_col=after_col,
            result_col=result_col,
            success_value=success_value,
        )

    work = pd.DataFrame(
        {
            "a": red_packets[packet_agent_col].to_numpy(),
            "d": times.dt.normalize(),
            "x": red_packets[amount_col],
        },
        index=red_packets.index,
    )
    grouped = work.groupby(["a", "d"], sort=True, observed=True)["x"]
    daily = pd.DataFrame({"次数": grouped.size(), "金额": grouped.sum().round(2)}).reset_index()

    ids = agents[agent_col]
    known = daily["a"].isin(ids).to_numpy()
    table_limit = daily["a"].map(
        pd.Series(agents[daily_red_packet_limit_col].to_numpy(dtype="float64"), index=ids)
    )
    limit = table_limit.to_numpy(dtype="float64", na_value=np.nan)
    source = np.where(known, "员工表", "未知").astype(object)
    if auth is not None and len(auth):
        account = (
            daily["a"].map(pd.Series(agents[account_name_col].to_numpy(), index=ids)).to_numpy(dtype=object)
        )
        granted = _authorised_on_days(auth, account, wall_ns(daily["d"]))
        has = ~np.isnan(granted)
        limit = np.where(has, granted, limit)
        source[has] = "主账号授权"

    amount = daily["金额"].to_numpy(dtype="float64")
    over = amount > limit  # NaN limit → False
    out = pd.DataFrame(
        {
            packet_agent_col: daily["a"].to_numpy(),
            "日期": daily["d"].array,
            "次数": daily["次数"].to_numpy(dtype="int64"),
            "金额": amount,
            "限额": limit,
            "限额来源": source.astype(str),
            "超限": over,
            "超出金额": np.where(over, np.round(amount - limit, 2), 0.0),
        }
    )
    return out


# ---- 4. repeated recipients -------------------------------------------------------------------


def repeated_recipients(
    red_packets: pd.DataFrame,
    *,
    min_packets: int = 20,
    agent_col: str = "agent_id",
    customer_col: str = "customer_id",
    amount_col: str = "amount",
) -> pd.DataFrame:
    """反复收红包的账号: customer accounts that got many red packets from the same agent.

    An honest agent sends a 红包 to a customer once, maybe twice (a compensation, a thank
    you).  Dozens of packets from one agent to one account look like paying oneself.

    Parameters
    ----------
    red_packets : pandas.DataFrame
        The 红包发放表.
    min_packets : int, default 20
        Keep the (agent, customer) pairs with at least this many packets.
    agent_col, customer_col, amount_col : str
        Columns of ``red_packets``.

    Returns
    -------
    pandas.DataFrame
        One row per pair, sorted by agent and then by ``次数`` (largest first).  Columns:
        ``agent_col``, ``customer_col``, ``次数``, ``金额``, ``次数占比`` (the pair's share of the
        agent's packets) and ``金额占比`` (of the agent's 红包 money; empty if that is 0).
        No row: no such pair.

    Examples
    --------
    >>> import crm_helpers
    >>> store = crm_helpers.load_store()
    >>> pairs = repeated_recipients(store.red_packets)
    >>> len(pairs), round(float(pairs["次数占比"].sum()), 3)
    (3, 0.975)
    """
    min_packets = check_int(min_packets, "min_packets", minimum=1)
    _check_red_packets(red_packets, agent_col, amount_col, None, customer_col)
    work = pd.DataFrame(
        {"a": red_packets[agent_col].to_numpy(), "c": red_packets[customer_col].to_numpy()},
        index=red_packets.index,
    )
    work["x"] = red_packets[amount_col].to_numpy(dtype="float64")
    per_agent = work.groupby("a", sort=False)["x"].agg(["size", "sum"])
    pairs = work.groupby(["a", "c"], sort=False)["x"].agg(["size", "sum"]).reset_index()
    pairs = pairs.loc[pairs["size"] >= min_packets]
    total_n = pairs["a"].map(per_agent["size"]).to_numpy(dtype="float64")
    total_x = pairs["a"].map(per_agent["sum"]).to_numpy(dtype="float64")
    with np.errstate(divide="ignore", invalid="ignore"):
        money_share = np.where(total_x > 0, pairs["sum"].to_numpy() / total_x, np.nan)
    out = pd.DataFrame(
        {
            agent_col: pairs["a"].to_numpy(),
            customer_col: pairs["c"].to_numpy(),
            "次数": pairs["size"].to_numpy(dtype="int64"),
            "金额": pairs["sum"].round(2).to_numpy(dtype="float64"),
            "次数占比": pairs["size"].to_numpy() / total_n,
            "金额占比": money_share,
        }
    )
    out = out.sort_values([agent_col, "次数", customer_col], ascending=[True, False, True], kind="stable")
    return out.reset_index(drop=True)


# ---- 5. odd hours ---------------------------------------------------------------------------


def odd_hour_share(
    red_packets: pd.DataFrame,
    *,
    hours: Iterable[int] = NIGHT_HOURS,
    agent_col: str = "agent_id",
    sent_col: str = "sent_at",
) -> pd.Series:
    """非工作时间发红包的占比: per agent, the share of red packets sent in the given hours.

    The default, 0:00-5:59, is when nobody of the shop is at work: customer service on
    淘宝 runs in shifts from 8:00 to 24:00 (早班 and 晚班) and the shop's managers are not
    around either, so a 红包 sent then is sent unsupervised.  6:00-7:59 is left out as a
    margin for early starts.  A time counts by its hour: 5:59 is in, 6:00 is out.  Give
    your shop's own hours, e.g. ``hours=[22, 23, 0, 1, 2, 3, 4, 5, 6, 7]``.

    Parameters
    ----------
    red_packets : pandas.DataFrame
        The 红包发放表.
    hours : iterable of int, default range(0, 6)
        The hours of the day (0-23) that are outside working hours.
    agent_col, sent_col : str
        Columns of ``red_packets``.

    Returns
    -------
    pandas.Series
        Named ``非工作时间占比`` (0 to 1), indexed by agent id (every agent with a red packet),
        sorted by id.

    Examples
    --------
    >>> import crm_helpers
    >>> store = crm_helpers.load_store()
    >>> share = odd_hour_share(store.red_packets)
    >>> round(float(share[2]), 2)
    0.88
    """
    chosen = _check_hours(hours)
    check_dataframe(red_packets, "red_packets", [agent_col, sent_col])
    check_no_missing(red_packets, "red_packets", agent_col, "员工编号")
    times = check_datetime(red_packets, "red_packets", sent_col)
    check_no_missing(times.to_frame(sent_col), "red_packets", sent_col, "发放时间")
    inside = times.dt.hour.isin(list(chosen)).to_numpy(dtype="float64")
    share = pd.Series(inside, index=red_packets[agent_col].to_numpy()).groupby(level=0, sort=True).mean()
    return share.rename("非工作时间占比").rename_axis(agent_col)


# ---- 6. alerts ------------------------------------------------------------------------------


def red_packet_alerts(
    red_packets: pd.DataFrame,
    agents: pd.DataFrame,
    audit_log: pd.DataFrame,
    main_account: str,
    *,
    min_packets: int = 20,
    concentration_threshold: float = 0.5,
    hours: Iterable[int] = NIGHT_HOURS,
    odd_hour_threshold: float = 0.5,
    packet_agent_col: str = "agent_id",
    customer_col: str = "customer_id",
    amount_col: str = "amount",
    sent_col: str = "sent_at",
    agent_col: str = "agent_id",
    account_name_col: str = "account_name",
    nickname_col: str | None = "nickname",
    daily_red_packet_limit_col: str = "daily_red_packet_limit",
    logged_col: str = "logged_at",
    operator_col: str = "operator",
    action_col: str = "action",
    target_col: str = "target",
    before_col: str = "before",
    after_col: str = "after",
    result_col: str = "result",
    success_value: Any = "成功",
) -> pd.DataFrame:
    """红包风险预警: one row per agent with the evidence, a 风险等级 and a Chinese 说明.

    Five 疑点 (findings) are checked for every agent:

    1. **擅自改动** -- a change of a limit or a permission not made by the main account
       succeeded with the agent as operator or target (:func:`unauthorised_changes`), or the
       员工表's current limit is higher than the one the main account authorised;
    2. **超限** -- on at least one day the agent sent more than the main account authorised
       (:func:`daily_red_packet_totals`; exactly at the limit is not over);
    3. **集中收款** -- at least ``concentration_threshold`` of the agent's packets went to
       accounts that each got ``min_packets`` or more from the agent (:func:`repeated_recipients`);
    4. **非工作时间** -- the agent sent at least ``min_packets`` packets in all, and at least
       ``odd_hour_threshold`` of them in ``hours`` (:func:`odd_hour_share`; the minimum keeps
       an agent with three packets, two at night, out);
    5. **越权尝试** -- the agent tried to change a limit or a permission and was refused.

    风险等级 (risk rule):

    * **高** -- at least two 疑点, and at least one of them is a broken rule (1 擅自改动 or
      2 超限): money went out beyond what the main account allowed, or the rules were
      changed behind its back, *and* there is more evidence.  Act now: freeze the
      sub-account's 红包 permission and check the money;
    * **中** -- any other 疑点 (one broken rule alone, or only patterns 3-5): ask and check;
    * **低** -- no 疑点.

    Parameters
    ----------
    red_packets, agents, audit_log : pandas.DataFrame
        The 红包发放表, 员工表 and 操作日志.
    main_account : str
        The main account's name (``store.shop_name``).
    min_packets : int, default 20
        For 疑点 3 and 4, see above.
    concentration_threshold : float, default 0.5
        Share (0-1) for 疑点 3.
    hours : iterable of int, default range(0, 6)
        Hours outside working hours (0:00-5:59), see :func:`odd_hour_share`.
    odd_hour_threshold : float, default 0.5
        Share (0-1) for 疑点 4.
    packet_agent_col, customer_col, amount_col, sent_col : str
        Columns of ``red_packets``.
    agent_col, account_name_col, nickname_col, daily_red_packet_limit_col : str
        Columns of ``agents``; ``nickname_col=None`` if the table has no nickname.
    logged_col, operator_col, action_col, target_col, before_col, after_col, result_col, success_value :
        Columns of ``audit_log`` and the success value.

    Returns
    -------
    pandas.DataFrame
        Indexed by agent id: every agent of ``agents`` plus any id that sent red packets
        without being in ``agents``.  Sorted by 风险等级 (高 first), then by 红包金额.
        Columns: ``账号名``, ``昵称`` (unless ``nickname_col`` is ``None``), ``当前限额``
        (员工表), ``授权限额`` (last set by the main account; empty if never), ``红包次数``,
        ``红包金额``, ``单日最高金额``, ``超限天数``, ``超出金额``, ``集中收款账号数``,
        ``集中收款占比``, ``非工作时间占比`` (0 for an agent without red packets),
        ``擅自改动次数``, ``越权尝试次数``, ``疑点数``, ``风险等级`` (ordered categories 低 < 中 <
        高) and ``说明``.

    Examples
    --------
    >>> import crm_helpers
    >>> store = crm_helpers.load_store()
    >>> alerts = red_packet_alerts(store.red_packets, store.agents, store.audit_log, store.shop_name)
    >>> alerts["风险等级"].value_counts(sort=False).to_dict()
    {'低': 6, '中': 0, '高': 1}
    """
    main_account = _check_main_account(main_account)
    min_packets = check_int(min_packets, "min_packets", minimum=1)
    concentration_threshold = check_fraction(concentration_threshold, "concentration_threshold")
    odd_hour_threshold = check_fraction(odd_hour_threshold, "odd_hour_threshold")
    chosen = _check_hours(hours)
    _check_agents(agents, agent_col, account_name_col, daily_red_packet_limit_col)
    if nickname_col is not None:
        check_columns(agents, "agents", [nickname_col])
    log_kw = dict(
        logged_col=logged_col,
        operator_col=operator_col,
        action_col=action_col,
        target_col=target_col,
        after_col=after_col,
        result_col=result_col,
        success_value=success_value,
    )
    daily = daily_red_packet_totals(
        red_packets,
        agents,
        audit_log,
        main_account,
        packet_agent_col=packet_agent_col,
        amount_col=amount_col,
        sent_col=sent_col,
        agent_col=agent_col,
        account_name_col=account_name_col,
        daily_red_packet_limit_col=daily_red_packet_limit_col,
        **log_kw,
    )
    granted = authorised_limits(audit_log, main_account, **log_kw)
    changes = unauthorised_changes(
        audit_log, main_account, include_refused=True, before_col=before_col, **log_kw
    )
    pairs = repeated_recipients(
        red_packets,
        min_packets=min_packets,
        agent_col=packet_agent_col,
        customer_col=customer_col,
        amount_col=amount_col,
    )
    odd = odd_hour_share(red_packets, hours=chosen, agent_col=packet_agent_col, sent_col=sent_col)

    # One row per agent: the 员工表 first, then ids only seen in red_packets.
    ids = list(agents[agent_col])
    extra = [a for a in pd.unique(daily[packet_agent_col]) if a not in set(ids)]
    index = pd.Index(ids + extra, name=packet_agent_col)
    out = pd.DataFrame(index=index)
    account = pd.Series(list(agents[account_name_col]) + [None] * len(extra), index=index, dtype=object)
    out["账号名"] = account.fillna("（员工表中没有）")
    if nickname_col is not None:
        out["昵称"] = pd.Series(list(agents[nickname_col]) + [None] * len(extra), index=index, dtype=object)
    out["当前限额"] = pd.Series(
        list(agents[daily_red_packet_limit_col].astype("float64")) + [np.nan] * len(extra),
        index=index,
        dtype="float64",
    )
    out["授权限额"] = account.map(granted).astype("float64")

    per_agent = daily.groupby(packet_agent_col, sort=False)
    out["红包次数"] = per_agent["次数"].sum().reindex(index, fill_value=0).astype("int64")
    out["红包金额"] = per_agent["金额"].sum().round(2).reindex(index, fill_value=0.0)
    out["单日最高金额"] = per_agent["金额"].max().reindex(index, fill_value=0.0)
    out["超限天数"] = per_agent["超限"].sum().reindex(index, fill_value=0).astype("int64")
    out["超出金额"] = per_agent["超出金额"].sum().round(2).reindex(index, fill_value=0.0)
    by_pair = pairs.groupby(packet_agent_col, sort=False)
    out["集中收款账号数"] = by_pair.size().reindex(index, fill_value=0).astype("int64")
    out["集中收款占比"] = by_pair["次数占比"].sum().reindex(index, fill_value=0.0)
    out["非工作时间占比"] = odd.reindex(index, fill_value=0.0)

    ok = changes[result_col] == success_value
    done, tried = changes.loc[ok], changes.loc[~ok]
    acc = account.to_numpy(dtype=object)
    out["擅自改动次数"] = [
        int(((done[operator_col] == a) | (done[target_col] == a)).sum()) if a is not None else 0 for a in acc
    ]
    out["越权尝试次数"] = [int((tried[operator_col] == a).sum()) if a is not None else 0 for a in acc]

    raised = (out["当前限额"] > out["授权限额"]).to_numpy()
    flags = pd.DataFrame(
        {
            "擅自改动": (out["擅自改动次数"] > 0).to_numpy() | raised,
            "超限": (out["超限天数"] > 0).to_numpy(),
            "集中收款": (out["集中收款占比"] >= concentration_threshold).to_numpy()
            & (out["集中收款账号数"] > 0).to_numpy(),
            "非工作时间": (out["红包次数"] >= min_packets).to_numpy()
            & (out["非工作时间占比"] >= odd_hour_threshold).to_numpy(),
            "越权尝试": (out["越权尝试次数"] > 0).to_numpy(),
        },
        index=index,
    )
    count = flags.sum(axis=1).astype("int64")
    rule_broken = flags["擅自改动"] | flags["超限"]
    level = np.where((count >= 2) & rule_broken, "高", np.where(count >= 1, "中", "低"))
    out["疑点数"] = count
    out["风险等级"] = pd.Categorical(level, categories=_LEVELS, ordered=True)

    hours_text = _describe_hours(chosen)
    notes = []
    for i in range(len(index)):
        a = acc[i]
        parts: list[str] = []
        if flags["擅自改动"].iloc[i]:
            mine = done.loc[(done[operator_col] == a) | (done[target_col] == a)]
            parts += [
                _change_note(op, act, tgt, b, af, a)
                for op, act, tgt, b, af in zip(
                    mine[operator_col],
                    mine[action_col],
                    mine[target_col],
                    mine[before_col].fillna(""),
                    mine[after_col].fillna(""),
                )
            ]
            limit_changed = (mine[action_col].isin(LIMIT_ACTIONS) & (mine[target_col] == a)).any()
            if raised[i] and not limit_changed:
                parts.append(
                    f"员工表里的当前限额{format_money(out['当前限额'].iloc[i])}高于主账号授权的{format_money(out['授权限额'].iloc[i])}"
                )
        if flags["超限"].iloc[i]:
            parts.append(
                f"有{out['超限天数'].iloc[i]}天超过授权限额（共超出{format_money(out['超出金额'].iloc[i])}）"
            )
        if flags["集中收款"].iloc[i]:
            parts.append(
                f"{out['集中收款占比'].iloc[i]:.0%}的红包发给同{out['集中收款账号数'].iloc[i]}个账号"
                f"（每个至少{min_packets}个）"
            )
        if flags["非工作时间"].iloc[i]:
            parts.append(f"{out['非工作时间占比'].iloc[i]:.0%}在{hours_text}（非工作时间）发出")
        if flags["越权尝试"].iloc[i]:
            parts.append(f"{out['越权尝试次数'].iloc[i]}次试图修改限额或权限被系统拒绝")
        notes.append("；".join(parts) if parts else "未发现异常")
    out["说明"] = notes

    order = np.lexsort(
        (np.arange(len(out)), -out["红包金额"].to_numpy(), -out["风险等级"].cat.codes.to_numpy())
    )
    return out.iloc[order]


def plot_daily_totals(daily: pd.DataFrame, agent_id: int, *, title: str, ax: Any = None) -> Any:
    """画出一位员工每天的红包金额 (one agent's daily 红包 total), over-limit days in red.

    The authorised limit is drawn as a dashed line; the y axis is logarithmic (1, 10, 100 …)
    because a normal day and an abused one differ by thousands of times.

    Parameters
    ----------
    daily : pandas.DataFrame
        The result of :func:`daily_red_packet_totals` (columns ``agent_id``, 日期, 金额,
        限额, 超限).
    agent_id : int
        The agent to draw.
    title : str
        The Chinese title.
    ax : matplotlib.axes.Axes, optional
        Where to draw; default a new figure.

    Returns
    -------
    matplotlib.axes.Axes
        The axes with the chart.

    Raises
    ------
    ValueError
        If ``daily`` lacks a column or has no row for ``agent_id``.
    """
    import matplotlib.pyplot as plt

    from .plotting import use_chinese_font

    check_dataframe(daily, "daily", ["agent_id", "日期", "金额", "限额", "超限"])
    mine = daily[daily["agent_id"] == agent_id]
    if mine.empty:
        raise ValueError(f"daily 里没有员工编号 {agent_id!r} 的记录。")
    use_chinese_font()
    if ax is None:
        _, ax = plt.subplots(figsize=(9, 4))
    over = mine["超限"].to_numpy(dtype=bool)
    ax.bar(mine["日期"][~over], mine["金额"][~over], width=2, color="tab:blue", label="未超限的日子")
    ax.bar(mine["日期"][over], mine["金额"][over], width=2, color="tab:red", label="超限的日子")
    limit = float(mine["限额"].min())
    ax.axhline(limit, color="black", linestyle="--", label=f"主账号授权的限额（{limit:g} 元/天）")
    ax.set_yscale("log")
    ticks = [1, 10, 100, 1000, 10000, 100000]
    ax.set_yticks(ticks, labels=["1", "10", "100", "1000", "1万", "10万"])
    ax.set_title(title)
    ax.set_xlabel("日期")
    ax.set_ylabel("红包金额（元，对数刻度）")
    ax.legend()
    return ax
