"""客户分组 (customer groups): the tables of 千牛's 分组管理 and pure functions on them.

千牛's click path (seed 000, 活动2-2): 客户运营 → 客户管理 → 客户列表 → 分组管理 → 新增分组
(分组名称, 分组方式) → 确定; then, on a customer, 添加分组 picks the groups the customer joins.
One customer may be in many groups.  Groups exist so that the shop can act on many customers
at once: 批量设置, 送优惠券, 送支付宝红包, 送流量.

Three tables hold what the page shows (the workbench keeps them in
:class:`~crm_helpers.workbench.core.WorkbenchState`, see :mod:`crm_helpers.workbench.groups`):

``groups`` (:data:`GROUP_SCHEMA`)
    One row per group: 编号, 分组名称, 分组方式, 分组条件, 新建时间, 新建人.
``members`` (:data:`MEMBER_SCHEMA`)
    One row per (group, customer): 加入时间, 操作人.
``coupons`` (:data:`COUPON_SCHEMA`)
    One row per coupon sent to a member of a group (送优惠券).

Every function here takes those tables and returns new ones; nothing is modified in place.
Rules that refuse a change raise ``ValueError`` (the workbench logs them as refused attempts)
and wrong types raise ``TypeError``; a refused change changes nothing.

The course's readings (本课程的规定; 千牛 does not publish them):

* a group name is 1 to :data:`MAX_GROUP_NAME_LENGTH` characters after leading and trailing
  spaces are removed, and no two groups have the same name;
* 分组方式 (:data:`crm_helpers.vocabulary.GROUP_METHODS`): **手动分组** -- the shop picks the
  customers one by one (添加分组); **条件分组** -- the members are computed once, when the group
  is created, from a condition of :data:`crm_helpers.vocabulary.GROUP_CONDITIONS`; later the
  group is edited like a manual one (it is not recomputed);
* the two conditions, with 成交 = an order with ``paid_at`` set and ``close_reason`` not
  全额退款 and 近两年 = the 730 calendar days up to and including 统计日 (``today``):
  **新客户** -- exactly one 成交 in 近两年, and it is in the last 180 days (days_ago ≤ 179);
  **老客户** -- at least one 成交 in 近两年 and not a 新客户 (two or more, or one older than 180
  days).  A customer without 成交 in 近两年 is in neither group;
* a coupon (送优惠券) is 满 ``threshold`` 减 ``amount``: ``amount`` is 1 to
  :data:`MAX_COUPON_AMOUNT` 元, ``threshold`` is 0 (无门槛) or more than ``amount``.

Examples
--------
>>> groups, members, _ = empty_tables()
>>> now = pd.Timestamp("2025-12-20 10:00")
>>> groups, group_id = add_group(groups, " 新客户 ", "手动分组", now, "乐童优选")
>>> groups[["group_id", "group_name", "method"]].to_dict("records")
[{'group_id': 1, 'group_name': '新客户', 'method': '手动分组'}]
>>> members, change = add_members(members, groups, group_id, [3, 1, 3], now, "乐童优选", known=[1, 2, 3])
>>> change
已把客户 3、1 加入分组“新客户”。
>>> add_members(members, groups, group_id, [1], now, "乐童优选", known=[1, 2, 3])[1]
客户 1 已经在分组“新客户”里，没有重复添加。
"""

from __future__ import annotations

import numbers
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd

from ._format import format_amount
from ._validation import _preview, check_choice, check_dataframe, check_number, is_list_like
from .vocabulary import GROUP_ACTIONS, GROUP_CONDITIONS, GROUP_METHODS

__all__ = [
    "COUPON_LABELS",
    "COUPON_SCHEMA",
    "GROUP_LABELS",
    "GROUP_SCHEMA",
    "MAX_COUPON_AMOUNT",
    "MAX_GROUP_NAME_LENGTH",
    "MEMBER_LABELS",
    "MEMBER_SCHEMA",
    "MembershipChange",
    "add_group",
    "add_members",
    "check_customer_ids",
    "check_group_name",
    "chinese_coupons",
    "chinese_groups",
    "chinese_members",
    "condition_members",
    "coupon_rows",
    "coupon_text",
    "customers_text",
    "deals_in_two_years",
    "empty_tables",
    "find_group",
    "remove_group",
    "remove_members",
    "rename_group",
    "replay_log",
]

#: The longest group name, in characters (本课程的规定).
MAX_GROUP_NAME_LENGTH = 20
#: The largest coupon, in 元 (本课程的规定).
MAX_COUPON_AMOUNT = 1000
#: 新客户: the one 成交 of 近两年 is at most this many days ago (days_ago ≤ 179).
NEW_CUSTOMER_DAYS = 180
#: 近两年 in calendar days, today included.
TWO_YEARS_DAYS = 730

_TIME = "datetime64[s]"
#: Columns of the group table (分组) and their dtypes.
GROUP_SCHEMA = {
    "group_id": "int64",
    "group_name": "str",
    "method": "str",
    "condition": "str",
    "created_at": _TIME,
    "created_by": "str",
}
#: Columns of the membership table (分组成员) and their dtypes.
MEMBER_SCHEMA = {"group_id": "int64", "customer_id": "int64", "added_at": _TIME, "added_by": "str"}
#: Columns of the coupon table (送优惠券记录) and their dtypes.
COUPON_SCHEMA = {
    "coupon_id": "int64",
    "group_id": "int64",
    "group_name": "str",
    "customer_id": "int64",
    "amount": "float64",
    "threshold": "float64",
    "sent_at": _TIME,
    "sent_by": "str",
}
#: Chinese headers of the group list (分组管理 page).
GROUP_LABELS = {
    "group_id": "编号",
    "group_name": "分组名称",
    "method": "分组方式",
    "condition": "分组条件",
    "member_count": "人数",
    "created_at": "新建时间",
    "created_by": "新建人",
}
#: Chinese headers of the member list.
MEMBER_LABELS = {
    "group_id": "分组编号",
    "group_name": "分组名称",
    "customer_id": "客户编号",
    "member_name": "会员名",
    "added_at": "加入时间",
    "added_by": "操作人",
}
#: Chinese headers of the coupon records.
COUPON_LABELS = {
    "coupon_id": "优惠券编号",
    "group_id": "分组编号",
    "group_name": "分组名称",
    "customer_id": "客户编号",
    "member_name": "会员名",
    "amount": "面额（元）",
    "threshold": "使用门槛（元）",
    "sent_at": "发放时间",
    "sent_by": "操作人",
}


@dataclass(frozen=True)
class MembershipChange:
    """What 添加分组 / 移出分组 did: who changed and who was already as asked.

    Attributes
    ----------
    group_id : int
        The group.
    group_name : str
        Its name.
    changed : tuple of int
        Customers added (or removed), in the order given.
    unchanged : tuple of int
        Customers already in the group (adding) or not in it (removing): nothing to do.
    removing : bool
        True for 移出分组.
    """

    group_id: int
    group_name: str
    changed: tuple[int, ...]
    unchanged: tuple[int, ...]
    removing: bool = False

    @property
    def message(self) -> str:
        """The result as one Chinese sentence (also the ``repr``)."""
        name = f"分组“{self.group_name}”"
        parts = []
        if self.changed:
            ids = _preview(self.changed)
            parts.append(f"已把客户 {ids} 移出{name}。" if self.removing else f"已把客户 {ids} 加入{name}。")
        if self.unchanged:
            ids = _preview(self.unchanged)
            parts.append(
                f"客户 {ids} 本来就不在{name}里，不用移出。"
                if self.removing
                else f"客户 {ids} 已经在{name}里，没有重复添加。"
            )
        return "".join(parts)

    def __repr__(self) -> str:
        return self.message


def _empty(schema: dict[str, str]) -> pd.DataFrame:
    return pd.DataFrame({name: pd.Series(dtype=dtype) for name, dtype in schema.items()})


def empty_tables() -> tuple[pd.DataFrame, pd.DataFrame, pd.DataFrame]:
    """空的分组表 (empty group tables): a shop without groups.

    Returns
    -------
    (pandas.DataFrame, pandas.DataFrame, pandas.DataFrame)
        The group, membership and coupon tables, without rows, with the columns and dtypes
        of :data:`GROUP_SCHEMA`, :data:`MEMBER_SCHEMA` and :data:`COUPON_SCHEMA`.
    """
    return _empty(GROUP_SCHEMA), _empty(MEMBER_SCHEMA), _empty(COUPON_SCHEMA)


def _append(table: pd.DataFrame, rows: dict[str, Any], schema: dict[str, str]) -> pd.DataFrame:
    """``table`` plus ``rows`` (a column → values mapping), with the schema's dtypes."""
    new = pd.DataFrame({name: pd.Series(rows[name], dtype=dtype) for name, dtype in schema.items()})
    if not len(table):
        return new
    return pd.concat([table, new], ignore_index=True).astype(schema)


# ---- checks ---------------------------------------------------------------------------------


def check_group_name(name: Any, groups: pd.DataFrame, *, renaming: int | None = None) -> str:
    """检查分组名称 (check a group name): text, 1-20 characters once trimmed, not taken.

    Parameters
    ----------
    name : str
        The name typed (leading and trailing spaces are removed).
    groups : pandas.DataFrame
        The group table.
    renaming : int, optional
        The group being renamed: its own current name is not a duplicate.

    Returns
    -------
    str
        The trimmed name.

    Raises
    ------
    TypeError
        If ``name`` is not text.
    ValueError
        If it is empty, longer than :data:`MAX_GROUP_NAME_LENGTH` or taken.
    """
    if not isinstance(name, str):
        raise TypeError(
            f"分组名称（group_name）应该是文字（str），收到的是 {name!r}（{type(name).__name__}）。"
        )
    trimmed = name.strip()
    if not trimmed:
        raise ValueError(
            f"分组名称（group_name）不能是空的，收到的是 {name!r}：请给分组起一个名字，例如“新客户”。"
        )
    if len(trimmed) > MAX_GROUP_NAME_LENGTH:
        raise ValueError(
            f"分组名称（group_name）“{trimmed}”有 {len(trimmed)} 个字，本课程的规定是最多 "
            f"{MAX_GROUP_NAME_LENGTH} 个字。"
        )
    others = groups if renaming is None else groups[groups["group_id"] != renaming]
    if (others["group_name"] == trimmed).any():
        raise ValueError(
            f"已经有名为“{trimmed}”的分组了，分组名称（group_name）不能重复。"
            f"现有的分组：{_preview(groups['group_name'])}。"
        )
    return trimmed


def find_group(groups: pd.DataFrame, group: Any) -> int:
    """找分组 (find a group): the 编号 of a group given by 编号 or 分组名称.

    Parameters
    ----------
    groups : pandas.DataFrame
        The group table.
    group : int or str
        编号 (Python or NumPy integer) or 分组名称 (spaces around it are ignored).

    Returns
    -------
    int
        The group's 编号.

    Raises
    ------
    TypeError
        If ``group`` is neither an integer nor text.
    ValueError
        If there is no such group (the message lists the groups there are).
    """
    if isinstance(group, str):
        found = groups.loc[groups["group_name"] == group.strip(), "group_id"]
    elif isinstance(group, numbers.Integral) and not isinstance(group, bool):
        found = groups.loc[groups["group_id"] == int(group), "group_id"]
    else:
        raise TypeError(
            f"分组（group）应该是分组编号（整数）或分组名称（文字），收到的是 {group!r}（{type(group).__name__}）。"
        )
    if found.empty:
        existing = (
            "、".join(f"{i} {n}" for i, n in zip(groups["group_id"], groups["group_name"]))
            or "（还没有分组）"
        )
        raise ValueError(f"没有分组 {group!r}。现有的分组（编号 名称）：{existing}。")
    return int(found.iloc[0])


def check_customer_ids(customer_ids: Any, known: Iterable[int] | pd.Series) -> tuple[int, ...]:
    """检查客户编号 (check customer ids): every id an integer and a customer of the shop.

    Parameters
    ----------
    customer_ids : int or list of int
        One customer id or several (Python or NumPy integers).
    known : iterable of int
        The shop's customer ids.

    Returns
    -------
    tuple of int
        The ids as ``int``, repeats dropped, in the order given.

    Raises
    ------
    TypeError
        If an id is not an integer.
    ValueError
        If no id is given, or some ids are not customers of the shop (all of them are named).
    """
    values = list(customer_ids) if is_list_like(customer_ids) else [customer_ids]
    for value in values:
        if isinstance(value, (bool, np.bool_)) or not isinstance(value, numbers.Integral):
            raise TypeError(
                f"客户编号（customer_ids）应该是整数（integer），其中的 {value!r}（{type(value).__name__}）不是。"
            )
    ids = tuple(dict.fromkeys(int(v) for v in values))
    if not ids:
        raise ValueError("客户编号（customer_ids）是空的：请至少选择一位客户。")
    known = set(known)
    unknown = [i for i in ids if i not in known]
    if unknown:
        raise ValueError(
            f"这些客户编号（customer_ids）不是本店的客户：{_preview(unknown)}。"
            "请先在客户列表里查到正确的客户编号；这次一位客户也没有添加或移出。"
        )
    return ids


# ---- groups ---------------------------------------------------------------------------------


def _group_name(groups: pd.DataFrame, group_id: int) -> str:
    return str(groups.loc[groups["group_id"] == group_id, "group_name"].iloc[0])


def _next_id(values: pd.Series) -> int:
    return int(values.max()) + 1 if len(values) else 1


def add_group(
    groups: pd.DataFrame,
    name: Any,
    method: str,
    created_at: pd.Timestamp,
    created_by: str,
    condition: str | None = None,
    *,
    last_id: int = 0,
) -> tuple[pd.DataFrame, int]:
    """新增分组: the group table with one more group, and the new group's 编号.

    Parameters
    ----------
    groups : pandas.DataFrame
        The group table.
    name : str
        分组名称 (see :func:`check_group_name`).
    method : {"手动分组", "条件分组"}
        分组方式.
    created_at : pandas.Timestamp
        新建时间.
    created_by : str
        新建人 (the account).
    condition : str, optional
        For 条件分组, one of :data:`crm_helpers.vocabulary.GROUP_CONDITIONS`; must be empty
        for 手动分组.
    last_id : int, default 0
        The largest 编号 ever given, deleted groups included (the workbench keeps it), so
        that a deleted group's 编号 is never given again.

    Returns
    -------
    (pandas.DataFrame, int)
        The new table and the new group's 编号: one more than the largest of ``last_id`` and
        the 编号 in ``groups``.

    Raises
    ------
    TypeError, ValueError
        A bad name, an unknown 分组方式 or condition, or a condition with 手动分组.
    """
    name = check_group_name(name, groups)
    check_choice(method, "分组方式（method）", GROUP_METHODS)
    if method == "条件分组":
        check_choice(condition, "分组条件（condition）", GROUP_CONDITIONS)
    elif condition is not None:
        raise ValueError(
            f"手动分组不需要分组条件（condition），收到的是 {condition!r}；"
            "要按条件自动选出客户，请把分组方式（method）设为“条件分组”。"
        )
    group_id = max(_next_id(groups["group_id"]), last_id + 1)
    row = {
        "group_id": [group_id],
        "group_name": [name],
        "method": [method],
        "condition": [condition or ""],
        "created_at": [created_at],
        "created_by": [created_by],
    }
    return _append(groups, row, GROUP_SCHEMA), group_id


def rename_group(groups: pd.DataFrame, group: Any, new_name: Any) -> tuple[pd.DataFrame, str, str]:
    """修改分组名称 (rename a group); the new name follows the rules of :func:`check_group_name`.

    Parameters
    ----------
    groups : pandas.DataFrame
        The group table.
    group : int or str
        The group's 编号 or current 分组名称.
    new_name : str
        The new name (its own current name is allowed).

    Returns
    -------
    (pandas.DataFrame, str, str)
        The new table, the old name and the new (trimmed) name.

    Raises
    ------
    TypeError, ValueError
        An unknown group or a bad name.
    """
    group_id = find_group(groups, group)
    new_name = check_group_name(new_name, groups, renaming=group_id)
    row = groups["group_id"] == group_id
    old = _group_name(groups, group_id)
    result = groups.copy()
    result.loc[row, "group_name"] = new_name
    return result, old, new_name


def remove_group(
    groups: pd.DataFrame, members: pd.DataFrame, group: Any
) -> tuple[pd.DataFrame, pd.DataFrame, int, str, int]:
    """删除分组 and its memberships (the customers stay in the shop and in other groups).

    Parameters
    ----------
    groups, members : pandas.DataFrame
        The group and membership tables.
    group : int or str
        The group's 编号 or 分组名称.

    Returns
    -------
    (pandas.DataFrame, pandas.DataFrame, int, str, int)
        The new group and membership tables, the deleted group's 编号 and name and how many
        members it had.

    Raises
    ------
    TypeError, ValueError
        An unknown group.
    """
    group_id = find_group(groups, group)
    name = _group_name(groups, group_id)
    mine = members["group_id"] == group_id
    kept_groups = groups[groups["group_id"] != group_id].reset_index(drop=True)
    return kept_groups, members[~mine].reset_index(drop=True), group_id, name, int(mine.sum())


def add_members(
    members: pd.DataFrame,
    groups: pd.DataFrame,
    group: Any,
    customer_ids: Iterable[int] | int,
    added_at: pd.Timestamp,
    added_by: str,
    known: Iterable[int],
) -> tuple[pd.DataFrame, MembershipChange]:
    """添加分组: put customers into a group; those already in it are left as they are.

    Parameters
    ----------
    members, groups : pandas.DataFrame
        The membership and group tables.
    group : int or str
        The group's 编号 or 分组名称.
    customer_ids : int or list of int
        The customers.
    added_at, added_by :
        加入时间 and 操作人.
    known : iterable of int
        The shop's customer ids; unknown ids refuse the whole call (nobody is added).

    Returns
    -------
    (pandas.DataFrame, MembershipChange)
        The new membership table and what changed.
    """
    group_id = find_group(groups, group)
    ids = check_customer_ids(customer_ids, known)
    present = set(members.loc[members["group_id"] == group_id, "customer_id"].tolist())
    new = tuple(i for i in ids if i not in present)
    change = MembershipChange(
        group_id, _group_name(groups, group_id), new, tuple(i for i in ids if i in present)
    )
    rows = {
        "group_id": [group_id] * len(new),
        "customer_id": list(new),
        "added_at": [added_at] * len(new),
        "added_by": [added_by] * len(new),
    }
    return (_append(members, rows, MEMBER_SCHEMA) if new else members), change


def remove_members(
    members: pd.DataFrame,
    groups: pd.DataFrame,
    group: Any,
    customer_ids: Iterable[int] | int,
    known: Iterable[int],
) -> tuple[pd.DataFrame, MembershipChange]:
    """移出分组: take customers out of one group (they stay in their other groups).

    Parameters
    ----------
    members, groups : pandas.DataFrame
        The membership and group tables.
    group : int or str
        The group's 编号 or 分组名称.
    customer_ids : int or list of int
        The customers.
    known : iterable of int
        The shop's customer ids; unknown ids refuse the whole call (nobody is removed).

    Returns
    -------
    (pandas.DataFrame, MembershipChange)
        The new membership table and what changed; customers of the shop who were not in
        the group are reported in ``unchanged``.
    """
    group_id = find_group(groups, group)
    ids = check_customer_ids(customer_ids, known)
    mine = members["group_id"] == group_id
    present = set(members.loc[mine, "customer_id"].tolist())
    gone = tuple(i for i in ids if i in present)
    change = MembershipChange(
        group_id,
        _group_name(groups, group_id),
        gone,
        tuple(i for i in ids if i not in present),
        removing=True,
    )
    kept = members[~(mine & members["customer_id"].isin(gone))].reset_index(drop=True)
    return kept, change


# ---- 条件分组 -----------------------------------------------------------------------------------


def deals_in_two_years(orders: pd.DataFrame, today: pd.Timestamp) -> pd.DataFrame:
    """近两年的成交 (deals of the last two years): paid, not fully refunded, paid within 近两年.

    近两年 = the 730 calendar days up to and including ``today`` (days_ago 0-729).

    Parameters
    ----------
    orders : pandas.DataFrame
        Orders with ``customer_id``, ``paid_at`` and ``close_reason``; not modified.
    today : pandas.Timestamp
        统计日.

    Returns
    -------
    pandas.DataFrame
        ``customer_id`` and ``days_ago`` (calendar days before ``today``; today is 0) of each
        such order.
    """
    today = pd.Timestamp(today).normalize()
    paid = orders["paid_at"]
    days_ago = (today - paid.dt.normalize()).dt.days
    deal = (
        paid.notna()
        & (orders["close_reason"] != "全额退款").to_numpy()
        & days_ago.between(0, TWO_YEARS_DAYS - 1)
    )
    return pd.DataFrame(
        {"customer_id": orders.loc[deal, "customer_id"].to_numpy(), "days_ago": days_ago[deal].to_numpy()}
    )


def condition_members(orders: pd.DataFrame, condition: str, today: pd.Timestamp) -> list[int]:
    """The customers a condition of 条件分组 picks on ``today``, by customer id.

    Parameters
    ----------
    orders : pandas.DataFrame
        Orders with ``customer_id``, ``paid_at`` and ``close_reason``.
    condition : {"新客户", "老客户"}
        See the module's readings (本课程的规定).
    today : pandas.Timestamp
        统计日.

    Returns
    -------
    list of int
        Sorted customer ids.

    Examples
    --------
    >>> orders = pd.DataFrame({"customer_id": [1, 2, 2, 3], "close_reason": [None] * 4,
    ...     "paid_at": pd.to_datetime(["2025-12-01", "2025-01-01", "2025-11-01", "2023-01-01"])})
    >>> condition_members(orders, "新客户", pd.Timestamp("2025-12-31")), condition_members(
    ...     orders, "老客户", pd.Timestamp("2025-12-31"))
    ([1], [2])
    """
    check_choice(condition, "分组条件（condition）", GROUP_CONDITIONS)
    deals = deals_in_two_years(orders, today)
    per = deals.groupby("customer_id")["days_ago"].agg(["size", "min"])
    new = (per["size"] == 1) & (per["min"] <= NEW_CUSTOMER_DAYS - 1)
    chosen = per.index[new] if condition == "新客户" else per.index[~new]
    return sorted(int(i) for i in chosen)


# ---- 送优惠券 -----------------------------------------------------------------------------------


def coupon_rows(
    coupons: pd.DataFrame,
    members: pd.DataFrame,
    groups: pd.DataFrame,
    group: Any,
    amount: Any,
    threshold: Any,
    sent_at: pd.Timestamp,
    sent_by: str,
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """送优惠券 to every member of a group: the coupon table with one new row per member.

    Parameters
    ----------
    coupons, members, groups : pandas.DataFrame
        The coupon, membership and group tables.
    group : int or str
        The group's 编号 or 分组名称.
    amount : float
        面额, 1 to :data:`MAX_COUPON_AMOUNT` 元.
    threshold : float
        使用门槛 (满 ``threshold`` 元可用): 0 for 无门槛, otherwise more than ``amount``.
    sent_at, sent_by :
        发放时间 and 操作人.

    Returns
    -------
    (pandas.DataFrame, pandas.DataFrame)
        The whole new coupon table and just the new rows (ordered by customer id).

    Raises
    ------
    TypeError
        If ``amount`` or ``threshold`` is not a number.
    ValueError
        Unknown group, an empty group, or an amount or threshold the rules do not allow.
    """
    group_id = find_group(groups, group)
    amount = check_number(amount, "面额（amount）")
    threshold = check_number(threshold, "使用门槛（threshold）")
    if not 1 <= amount <= MAX_COUPON_AMOUNT:
        raise ValueError(
            f"优惠券面额（amount）{format_amount(amount)} 元不行：本课程的规定是 1～{MAX_COUPON_AMOUNT} 元。"
        )
    if threshold != 0 and threshold <= amount:
        raise ValueError(
            f"使用门槛（threshold）{format_amount(threshold)} 元不行：门槛要么是 0（无门槛），"
            f"要么大于面额 {format_amount(amount)} 元（满{format_amount(amount + 1)}元减{format_amount(amount)}元这样的券才有意义）。"
        )
    name = _group_name(groups, group_id)
    ids = sorted(members.loc[members["group_id"] == group_id, "customer_id"].tolist())
    if not ids:
        raise ValueError(f"分组“{name}”里还没有客户，送不出优惠券：请先添加客户。")
    first = _next_id(coupons["coupon_id"])
    n = len(ids)
    rows = {
        "coupon_id": list(range(first, first + n)),
        "group_id": [group_id] * n,
        "group_name": [name] * n,
        "customer_id": ids,
        "amount": [amount] * n,
        "threshold": [threshold] * n,
        "sent_at": [sent_at] * n,
        "sent_by": [sent_by] * n,
    }
    new = _append(coupons.iloc[:0], rows, COUPON_SCHEMA)
    return _append(coupons, rows, COUPON_SCHEMA), new


def coupon_text(amount: float, threshold: float) -> str:
    """优惠券的写法 (how a coupon reads): ``满100减10`` or ``无门槛减5``.

    Parameters
    ----------
    amount : float
        面额 (元).
    threshold : float
        使用门槛 (元); 0 = 无门槛.

    Returns
    -------
    str
        The coupon as text.

    Examples
    --------
    >>> coupon_text(10, 100), coupon_text(5, 0)
    ('满100减10', '无门槛减5')
    """
    condition = f"满{format_amount(threshold)}" if threshold else "无门槛"
    return f"{condition}减{format_amount(amount)}"


# ---- the audit log ------------------------------------------------------------------------------


def customers_text(customer_ids: Iterable[int]) -> str:
    """日志里的客户 (customers as the audit log writes them): ``客户 1、2、3``, all of them.

    Parameters
    ----------
    customer_ids : iterable of int
        The customers.

    Returns
    -------
    str
        The text of the log's ``before`` / ``after`` cell.

    Examples
    --------
    >>> customers_text([3, 1])
    '客户 3、1'
    """
    return "客户 " + "、".join(str(int(i)) for i in customer_ids)


def _customer_ids_in(text: str) -> list[int]:
    return [int(i) for i in text.removeprefix("客户 ").split("、") if i]


def replay_log(audit_log: pd.DataFrame) -> tuple[pd.DataFrame, pd.DataFrame]:
    """The groups and memberships the 分组 operations in an audit log add up to.

    Successful rows of :data:`crm_helpers.vocabulary.GROUP_ACTIONS` are replayed in order
    (新增分组, 修改分组名称, 删除分组 with its members, 添加分组, 移出分组).  Compared with
    the workbench's tables this tells work done through the operations from a table edited by
    hand: an edit leaves no row, so the replay misses it.

    Parameters
    ----------
    audit_log : pandas.DataFrame
        The workbench's ``audit_log`` (columns ``action``, ``target``, ``before``, ``after``,
        ``result``).

    Returns
    -------
    (pandas.DataFrame, pandas.DataFrame)
        ``group_id``, ``group_name`` of the groups that exist, and ``group_id``,
        ``customer_id`` of the memberships, both sorted.

    Examples
    --------
    >>> log = pd.DataFrame({"action": ["新增分组", "添加分组", "移出分组", "修改分组名称"],
    ...     "target": ["分组 1"] * 4, "before": ["", "", "客户 2", "甲"],
    ...     "after": ["甲", "客户 1、2", "", "乙"], "result": ["成功"] * 4})
    >>> groups, members = replay_log(log)
    >>> groups.to_dict("records"), members.to_dict("records")
    ([{'group_id': 1, 'group_name': '乙'}], [{'group_id': 1, 'customer_id': 1}])
    """
    check_dataframe(
        audit_log, "audit_log", ["action", "target", "before", "after", "result"], allow_empty=True
    )
    rows = audit_log[audit_log["action"].isin(GROUP_ACTIONS) & (audit_log["result"] == "成功")]
    names: dict[int, str] = {}
    members: set[tuple[int, int]] = set()
    for action, target, before, after in zip(rows["action"], rows["target"], rows["before"], rows["after"]):
        group_id = int(str(target).removeprefix("分组 "))
        if action in ("新增分组", "修改分组名称"):
            names[group_id] = str(after)
        elif action == "删除分组":
            names.pop(group_id, None)
            members = {pair for pair in members if pair[0] != group_id}
        elif action == "添加分组":
            members |= {(group_id, i) for i in _customer_ids_in(str(after))}
        elif action == "移出分组":
            members -= {(group_id, i) for i in _customer_ids_in(str(before))}
    groups = pd.DataFrame(sorted(names.items()), columns=["group_id", "group_name"]).astype(
        {"group_id": "int64", "group_name": "str"}
    )
    pairs = pd.DataFrame(sorted(members), columns=["group_id", "customer_id"]).astype("int64")
    return groups, pairs


# ---- Chinese views --------------------------------------------------------------------------


def chinese_groups(groups: pd.DataFrame, members: pd.DataFrame) -> pd.DataFrame:
    """分组列表 as the 分组管理 page shows it, with Chinese headers.

    Parameters
    ----------
    groups, members : pandas.DataFrame
        The group and membership tables.

    Returns
    -------
    pandas.DataFrame
        One row per group: 编号, 分组名称, 分组方式, 分组条件, 人数, 新建时间, 新建人.
    """
    counts = members.groupby("group_id").size()
    table = groups.assign(member_count=groups["group_id"].map(counts).fillna(0).astype("int64"))
    return table[list(GROUP_LABELS)].rename(columns=GROUP_LABELS)


def _with_names(table: pd.DataFrame, customers: pd.DataFrame) -> pd.Series:
    names = customers.set_index("customer_id")["member_name"]
    return table["customer_id"].map(names).astype("str")


def chinese_members(members: pd.DataFrame, groups: pd.DataFrame, customers: pd.DataFrame) -> pd.DataFrame:
    """分组成员 with 分组名称 and 会员名 (Chinese headers).

    Parameters
    ----------
    members, groups : pandas.DataFrame
        The membership and group tables.
    customers : pandas.DataFrame
        The customer table (``customer_id``, ``member_name``).

    Returns
    -------
    pandas.DataFrame
        分组编号, 分组名称, 客户编号, 会员名, 加入时间, 操作人; by group, then 加入时间.
    """
    names = groups.set_index("group_id")["group_name"]
    table = members.assign(
        group_name=members["group_id"].map(names).astype("str"), member_name=_with_names(members, customers)
    )
    table = table.sort_values(["group_id", "added_at", "customer_id"], kind="stable").reset_index(drop=True)
    return table[list(MEMBER_LABELS)].rename(columns=MEMBER_LABELS)


def chinese_coupons(coupons: pd.DataFrame, customers: pd.DataFrame) -> pd.DataFrame:
    """送优惠券记录 with 会员名 (Chinese headers).

    Parameters
    ----------
    coupons : pandas.DataFrame
        The coupon table.
    customers : pandas.DataFrame
        The customer table (``customer_id``, ``member_name``).

    Returns
    -------
    pandas.DataFrame
        The columns of :data:`COUPON_LABELS`.
    """
    table = coupons.assign(member_name=_with_names(coupons, customers))
    return table[list(COUPON_LABELS)].rename(columns=COUPON_LABELS)
