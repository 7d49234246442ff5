"""客户分群 on the workbench: 保存人群 and 删除人群 (needs 客户管理).

千牛's path (seed 000): 客户运营平台 → 客户分群 → 新建人群 → 标签 → 参数 → 人群名称 → 保存.
Operations registered on :class:`~crm_helpers.workbench.Session`, each needing the permission
客户管理 (``manage_customers``: 客服主管, 运营 and the main account):

``save_crowd(crowd_name, conditions) -> int``
    保存人群: the conditions are ``(标签, 下限, 上限)`` as in
    :func:`crm_helpers.crowds.define_crowd`; the 预计触达人数 is computed at once on the shop's
    tag table (统计日 = the workbench's day, at the latest ``store.last_day``).  Returns the new
    人群编号.
``delete_crowd(crowd) -> None``
    删除人群 (``crowd`` is the 人群编号 or the 人群名称).

Each change writes one audit-log row whose action names the operation (保存人群, 删除人群:
:data:`crm_helpers.vocabulary.CROWD_ACTIONS`), target ``人群 <编号>``: 保存人群 has
``人群名称：人群定义；预计触达 N 人`` in ``after``, 删除人群 the name in ``before``.  A rule that
refuses (an empty, too long or duplicated name, an inverted range, an unknown tag, a tag the
shop's data cannot compute, an unknown crowd) changes nothing and is logged with action
客户管理, result 拒绝 and the reason; the caller gets
:class:`~crm_helpers.workbench.PermissionDenied` with that reason.  A wrong type (a number as
a name) raises ``TypeError`` and is not logged.  The saved crowds are ``wb.crowds`` (with the
conditions as tuples, for grading) and ``wb.crowd_list()`` (Chinese headers, for reading).

Examples
--------
>>> from crm_helpers import load_store
>>> from crm_helpers.workbench import Workbench
>>> wb = Workbench(load_store())
>>> wb.main_account().save_crowd("小额交易活跃", [("近两年付款总金额", 5, 50), ("近两年付款笔数", 10, 100)])
1
>>> wb.crowd_list()[["人群名称", "预计触达人数"]].values.tolist()
[['小额交易活跃', 11]]
"""

from __future__ import annotations

from typing import Any

import pandas as pd

from .. import crowds
from .._validation import check_int
from .core import Entry, Logged, Refused, Session, Workbench, operation

__all__ = ["CROWD_COLUMNS", "CROWD_LABELS", "crowd_features_of", "empty_crowds"]

#: Columns of the workbench's saved crowds (``wb.crowds``).
CROWD_COLUMNS = ("crowd_id", "crowd_name", "definition", "conditions", "reach", "saved_at", "saved_by")
#: Chinese headers of the crowd list as students see it (:meth:`Workbench.crowd_list`).
CROWD_LABELS = {
    "crowd_id": "人群编号",
    "crowd_name": "人群名称",
    "definition": "人群定义",
    "reach": "预计触达人数",
    "saved_at": "保存时间",
    "saved_by": "保存人",
}


def empty_crowds() -> pd.DataFrame:
    """空的人群列表: the saved crowds of a new workbench, none yet.

    Returns
    -------
    pandas.DataFrame
        No rows; the columns of :data:`CROWD_COLUMNS` with their dtypes.
    """
    return pd.DataFrame(
        {
            "crowd_id": pd.Series(dtype="int64"),
            "crowd_name": pd.Series(dtype=object),
            "definition": pd.Series(dtype=object),
            "conditions": pd.Series(dtype=object),
            "reach": pd.Series(dtype="int64"),
            "saved_at": pd.Series(dtype="datetime64[ns]"),
            "saved_by": pd.Series(dtype=object),
        }
    )


def crowd_features_of(workbench: Workbench) -> pd.DataFrame:
    """工作台的标签表: the tag table the workbench's crowds are counted on (built once per 统计日).

    统计日 is the workbench's day, at the latest the shop's last day (the default workbench
    opens on the morning after it, and counts as of ``store.last_day`` like the lessons).

    Parameters
    ----------
    workbench : Workbench

    Returns
    -------
    pandas.DataFrame
        :func:`crm_helpers.crowds.customer_features` of the workbench's shop.
    """
    store = workbench.store
    today = workbench.now.normalize()
    if store.last_day is not None:
        today = min(today, store.last_day.normalize())
    cached = workbench.state.crowd_features
    if cached is None or cached.attrs.get("统计日") != today:
        cached = crowds.customer_features(store, today=today)
        workbench.state.crowd_features = cached
    return cached


def _find(table: pd.DataFrame, crowd: Any) -> int:
    """The 人群编号 of ``crowd`` (编号 or 人群名称); Refused when there is none."""
    if isinstance(crowd, str):
        found = table.loc[table["crowd_name"] == crowd.strip(), "crowd_id"]
        what = f"名称为“{crowd}”的人群"
    else:
        crowd = check_int(crowd, "人群（crowd）：人群编号或人群名称", minimum=1)
        found = table.loc[table["crowd_id"] == crowd, "crowd_id"]
        what = f"编号为 {crowd} 的人群"
    if found.empty:
        names = "、".join(table["crowd_name"]) or "（还没有保存任何人群）"
        raise Refused(f"没有{what}。已保存的人群：{names}。")
    return int(found.iloc[0])


@operation(
    permission="manage_customers", describe=lambda session, crowd_name, *args, **kwargs: f"人群 {crowd_name}"
)
def save_crowd(session: Session, crowd_name: str, conditions: Any) -> Logged:
    """保存人群: a crowd from its name and conditions, with its 预计触达人数 (needs 客户管理).

    Parameters
    ----------
    crowd_name : str
        人群名称, 1 to :data:`crm_helpers.crowds.CROWD_NAME_MAX_LENGTH` characters, not yet used.
    conditions : list
        ``(标签, 下限, 上限)`` tuples (or :class:`crm_helpers.crowds.Condition`), joined by 且;
        bounds inclusive, ``None`` = 不限.

    Returns
    -------
    Logged
        The wrapper returns the new 人群编号 (int).

    Raises
    ------
    PermissionDenied
        Without 客户管理, or when a rule refuses (name empty, too long or taken; an inverted
        range; an unknown tag or one the shop's data cannot compute): logged, nothing saved.
    TypeError
        If the name is not text or a bound is not a number (not logged).
    """
    wb = session.workbench
    state = wb.state
    try:
        crowd = crowds.define_crowd(crowd_name, conditions)
    except ValueError as error:
        raise Refused(str(error)) from None
    table = state.crowds
    if (table["crowd_name"] == crowd.name).any():
        raise Refused(f"人群名称“{crowd.name}”已经有了，请换一个名称（人群名称不能重复）。")
    try:
        reach = crowd.reach(crowd_features_of(wb))
    except ValueError as error:
        raise Refused(str(error)) from None
    crowd_id = int(table["crowd_id"].max()) + 1 if len(table) else 1
    row = {
        "crowd_id": crowd_id,
        "crowd_name": crowd.name,
        "definition": crowd.definition,
        "conditions": tuple((c.feature, c.lower, c.upper) for c in crowd.conditions),
        "reach": reach,
        "saved_at": wb.now,
        "saved_by": session.account,
    }
    state.crowds = pd.concat([table, pd.DataFrame([row]).astype(table.dtypes.to_dict())], ignore_index=True)
    after = f"{crowd.name}：{crowd.definition}；预计触达 {reach} 人"
    return Logged(crowd_id, (Entry("保存人群", f"人群 {crowd_id}", "", after),))


@operation(permission="manage_customers", describe=lambda session, crowd, *args, **kwargs: f"人群 {crowd}")
def delete_crowd(session: Session, crowd: Any) -> Logged:
    """删除人群 (needs 客户管理).

    Parameters
    ----------
    crowd : int or str
        The 人群编号 or the 人群名称.

    Returns
    -------
    Logged
        The wrapper returns None.

    Raises
    ------
    PermissionDenied
        Without 客户管理, or when there is no such crowd (logged, nothing changed).
    TypeError
        If ``crowd`` is neither a whole number nor text.
    """
    state = session.workbench.state
    crowd_id = _find(state.crowds, crowd)
    keep = state.crowds["crowd_id"] != crowd_id
    name = state.crowds.loc[~keep, "crowd_name"].iloc[0]
    state.crowds = state.crowds[keep].reset_index(drop=True)
    return Logged(None, (Entry("删除人群", f"人群 {crowd_id}", name, ""),))
