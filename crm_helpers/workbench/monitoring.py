"""子账号监控: what each sub-account did, per day (main account only).

Operation registered on :class:`~crm_helpers.workbench.Session`: ``activity``.  The table is
computed by ``_activity_table``, a pure function of the shop's history and the
workbench's tables.
"""

from __future__ import annotations

import pandas as pd

from .core import Session, operation

__all__ = ["ACTIVITY_COLUMNS"]

#: The columns of the 子账号监控 table.
ACTIVITY_COLUMNS = ("接待咨询", "催付", "发红包次数", "红包金额", "工作台操作", "被拒绝")


def _activity_table(
    chats: pd.DataFrame,
    reminders: pd.DataFrame,
    red_packets: pd.DataFrame,
    operations: pd.DataFrame,
    account_names: pd.Series,
) -> pd.DataFrame:
    """Count what each sub-account did per day (子账号监控表).

    Parameters
    ----------
    chats, reminders : pandas.DataFrame
        The shop's 旺旺 consultations (``started_at``, ``agent_id``) and 催付 records
        (``reminded_at``, ``agent_id``).
    red_packets : pandas.DataFrame
        Every 红包 (``sent_at``, ``agent_id``, ``amount``).
    operations : pandas.DataFrame
        Every workbench operation (``time``, ``account``, ``result``); the main account's
        rows are left out.
    account_names : pandas.Series
        Sub-account name by ``agent_id``.

    Returns
    -------
    pandas.DataFrame
        Indexed by (``日期``, ``账号``), columns :data:`ACTIVITY_COLUMNS`.
    """
    names = account_names.to_dict()
    parts = [
        pd.DataFrame(
            {"日期": chats["started_at"].dt.normalize(), "账号": chats["agent_id"].map(names), "接待咨询": 1}
        ),
        pd.DataFrame(
            {
                "日期": reminders["reminded_at"].dt.normalize(),
                "账号": reminders["agent_id"].map(names),
                "催付": 1,
            }
        ),
    ]
    mine = red_packets[red_packets["agent_id"].isin(names)]
    parts.append(
        pd.DataFrame(
            {
                "日期": mine["sent_at"].dt.normalize(),
                "账号": mine["agent_id"].map(names),
                "发红包次数": 1,
                "红包金额": mine["amount"],
            }
        )
    )
    ops = operations[operations["account"].isin(set(names.values()))]
    parts.append(
        pd.DataFrame(
            {
                "日期": pd.to_datetime(ops["time"]).dt.normalize(),
                "账号": ops["account"],
                "工作台操作": (ops["result"] == "成功").astype(int),
                "被拒绝": (ops["result"] == "拒绝").astype(int),
            }
        )
    )
    columns = list(ACTIVITY_COLUMNS)
    frames = [p for p in parts if len(p)]
    if not frames:
        return pd.DataFrame(columns=columns, index=pd.MultiIndex.from_tuples([], names=["日期", "账号"]))
    out = pd.concat(frames, ignore_index=True)
    out = out[out["账号"].notna()].fillna(0)  # chats answered by 店小蜜 have no account
    out = out.groupby(["日期", "账号"]).sum()
    for column in columns:
        if column not in out:
            out[column] = 0
    out = out[columns]
    counts = [c for c in columns if c != "红包金额"]
    out[counts] = out[counts].astype("int64")
    return out


@operation(main_only="activity", describe="全部子账号")
def activity(session: Session) -> pd.DataFrame:
    """子账号监控: what each sub-account did, per day (main account only).

    Columns: 接待咨询, 催付, 发红包次数, 红包金额, 工作台操作, 被拒绝 — counted from the
    shop's history (chats, reminders, red packets, the 操作日志 ``store.audit_log``) and from
    the workbench.
    """
    wb = session.workbench
    accounts = wb.state.accounts
    names = pd.Series(accounts.new_values("account_name"), index=accounts.new_values("agent_id"))
    chats, reminders = wb.store.chats, wb.store.reminders
    chats = chats[chats["started_at"] <= wb.now]
    reminders = reminders[reminders["reminded_at"] <= wb.now]
    # The shop's history (操作日志 before the workbench opened) counts as well, so a change a
    # sub-account made in the past (e.g. its own 红包 limit) shows as 工作台操作 on its day.
    history = wb.store.audit_log.rename(columns={"logged_at": "time", "operator": "account"})
    history = history[history["time"] <= wb.now]
    operations = pd.concat(
        [history[["time", "account", "result"]], wb.state.operations.frame()[["time", "account", "result"]]],
        ignore_index=True,
    )
    return _activity_table(chats, reminders, wb.red_packets, operations, names)
