"""客户分组 on the workbench: 分组管理, 添加分组 and 送优惠券 (needs 客户管理).

千牛's click path (seed 000): 客户运营 → 客户管理 → 客户列表 → 分组管理 → 新增分组 (分组名称,
分组方式) → 确定, then 添加分组 on a customer.  Operations registered on
:class:`~crm_helpers.workbench.Session`, each needing the permission 客户管理
(``manage_customers``: 客服主管, 运营 and the main account):

``create_group(group_name, method="手动分组", condition=None) -> int``
    新增分组; returns the new 编号.  With ``method="条件分组"`` the members are computed once,
    now, from ``condition`` (新客户 / 老客户, see :mod:`crm_helpers.groups`).
``rename_group(group, new_name) -> None``
    修改分组名称 (``group`` is the 编号 or the current 分组名称).
``delete_group(group) -> None``
    删除分组 with its memberships (the customers stay in the shop and their other groups).
``add_to_group(group, customer_ids) -> MembershipChange``
    添加分组 for one or several customers; who is already in the group stays as is.
``add_customer_to_groups(customer_id, groups) -> list[MembershipChange]``
    千牛's step 4: one customer, 添加分组, several groups ticked at once.
``remove_from_group(group, customer_ids) -> MembershipChange``
    移出分组.
``send_group_coupon(group, amount, threshold=0) -> int``
    送优惠券 (满 ``threshold`` 减 ``amount``) to every member; returns how many were sent.

Each change writes audit-log rows whose action names the operation (新增分组, 修改分组名称,
删除分组, 添加分组, 移出分组, 送优惠券: :data:`crm_helpers.vocabulary.GROUP_ACTIONS`) with
target ``分组 <编号>``: 新增分组 has the name in ``after``, 修改分组名称 the old and new name,
删除分组 the name in ``before``, 添加分组 the customers added in ``after`` (``客户 1、2、3``),
移出分组 those removed in ``before``.  A 条件分组 writes its 新增分组 row and one 添加分组 row
with its members.  Nothing is written for a call that changed nothing (everyone already in
the group).  :func:`crm_helpers.groups.replay_log` rebuilds groups and memberships from the
log, so a homework can tell work done through the operations from a table edited by hand
(which leaves no row).  A rule that refuses (empty,
too long or duplicated name, unknown customers or group, a coupon the rules do not allow)
changes nothing and is logged with action 客户管理, result 拒绝 and the reason; the caller
gets :class:`~crm_helpers.workbench.PermissionDenied` with that reason.  A wrong type (a
number as a name) raises ``TypeError`` and is not logged.

Examples
--------
>>> from crm_helpers import simulate_store
>>> from crm_helpers.workbench import Workbench
>>> wb = Workbench(simulate_store(100, 10, seed=1))
>>> boss = wb.main_account()
>>> boss.create_group("老客户回馈")
1
>>> boss.add_to_group("老客户回馈", [5, 7])
已把客户 5、7 加入分组“老客户回馈”。
>>> boss.add_to_group(1, [5, 999999])
Traceback (most recent call last):
...
crm_helpers.workbench.PermissionDenied: 这些客户编号（customer_ids）不是本店的客户：999999。请先在客户列表里查到正确的客户编号；这次一位客户也没有添加或移出。这次尝试已记入操作日志。
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import Any

import pandas as pd

from .. import groups as topic
from .._validation import is_list_like
from .core import Attempt, Entry, Logged, Refused, Session, operation

__all__: list[str] = []


def _statistics_day(session: Session) -> pd.Timestamp:
    """统计日 for 条件分组: the workbench's day, at most the shop's last simulated day."""
    wb = session.workbench
    today = wb.now.normalize()
    last = wb.store.last_day
    return today if last is None or today < last else last


def _refusing(step: Callable[..., Any], *args: Any, **kwargs: Any) -> Any:
    """Run a pure step of :mod:`crm_helpers.groups`; a rule it breaks (``ValueError``) becomes a logged refusal."""
    try:
        return step(*args, **kwargs)
    except ValueError as error:
        raise Refused(str(error)) from error


def _describe(verb: str) -> Callable[..., Attempt]:
    """The log target of an attempt: the operation's name and what it was about."""

    def describe(session: Session, subject: Any = "", *args: Any, **kwargs: Any) -> Attempt:
        return Attempt(f"{verb} {subject}".strip())

    return describe


def _membership_entries(change: topic.MembershipChange) -> tuple[Entry, ...]:
    """One 添加分组 / 移出分组 row for the customers a call changed (none if nobody changed)."""
    if not change.changed:
        return ()
    target, customers = f"分组 {change.group_id}", topic.customers_text(change.changed)
    if change.removing:
        return (Entry("移出分组", target, customers, ""),)
    return (Entry("添加分组", target, "", customers),)


@operation(permission="manage_customers", describe=_describe("新增分组"))
def create_group(
    session: Session, group_name: str, method: str = "手动分组", condition: str | None = None
) -> Logged:
    """新增分组 (needs 客户管理): 分组名称 and 分组方式.

    Parameters
    ----------
    group_name : str
        1-20 characters once trimmed, not used by another group (本课程的规定).
    method : {"手动分组", "条件分组"}, default "手动分组"
        分组方式 (:data:`crm_helpers.vocabulary.GROUP_METHODS`).
    condition : {"新客户", "老客户"}, optional
        For 条件分组 only: the members are the customers this condition picks now
        (:func:`crm_helpers.groups.condition_members` on the workbench's orders, 统计日 =
        the workbench's day, at most the shop's last day); they are added at once.

    Returns
    -------
    int
        The new group's 编号.

    Raises
    ------
    PermissionDenied
        Without 客户管理, or when a rule refuses (logged either way).
    TypeError
        If the name is not text.
    """
    wb = session.workbench
    state = wb.state
    groups, group_id = _refusing(
        topic.add_group,
        state.groups,
        group_name,
        method,
        wb.now,
        session.account,
        condition,
        last_id=state.last_group_id,
    )
    members, entries = (
        state.group_members,
        [Entry("新增分组", f"分组 {group_id}", "", groups["group_name"].iloc[-1])],
    )
    if method == "条件分组":
        chosen = topic.condition_members(state.orders, condition, _statistics_day(session))
        if chosen:
            members, change = topic.add_members(
                members, groups, group_id, chosen, wb.now, session.account, state.customer_ids
            )
            entries += _membership_entries(change)
    state.groups, state.group_members, state.last_group_id = groups, members, group_id
    return Logged(group_id, tuple(entries))


@operation(permission="manage_customers", describe=_describe("修改分组名称"))
def rename_group(session: Session, group: int | str, new_name: str) -> Logged:
    """修改分组名称 (needs 客户管理); the new name follows the same rules as a new one.

    ``group`` is the 编号 or the current 分组名称.
    """
    state = session.workbench.state
    groups, old, new = _refusing(topic.rename_group, state.groups, group, new_name)
    group_id = topic.find_group(groups, new)
    state.groups = groups
    return Logged(None, (Entry("修改分组名称", f"分组 {group_id}", old, new),))


@operation(permission="manage_customers", describe=_describe("删除分组"))
def delete_group(session: Session, group: int | str) -> Logged:
    """删除分组 (needs 客户管理) with its memberships; coupons already sent stay recorded."""
    state = session.workbench.state
    groups, members, group_id, name, _ = _refusing(
        topic.remove_group, state.groups, state.group_members, group
    )
    state.groups, state.group_members = groups, members
    return Logged(None, (Entry("删除分组", f"分组 {group_id}", name, ""),))


@operation(permission="manage_customers", describe=_describe("添加分组"))
def add_to_group(
    session: Session, group: int | str, customer_ids: int | Iterable[int]
) -> topic.MembershipChange | Logged:
    """添加分组 (needs 客户管理): put one or several customers into a group.

    Parameters
    ----------
    group : int or str
        The group's 编号 or 分组名称.
    customer_ids : int or list of int
        客户编号.  If any of them is not a customer of the shop, nobody is added.

    Returns
    -------
    MembershipChange
        Who was added and who was already in the group (not added twice); its ``repr`` is
        the Chinese sentence.
    """
    wb = session.workbench
    state = wb.state
    members, change = _refusing(
        topic.add_members,
        state.group_members,
        state.groups,
        group,
        customer_ids,
        wb.now,
        session.account,
        state.customer_ids,
    )
    state.group_members = members
    return Logged(change, _membership_entries(change))


def _describe_customer(session: Session, customer_id: Any = "", *args: Any, **kwargs: Any) -> Attempt:
    return Attempt(f"添加分组 客户 {customer_id}")


@operation(permission="manage_customers", describe=_describe_customer)
def add_customer_to_groups(
    session: Session, customer_id: int, groups: int | str | Iterable[int | str]
) -> Logged:
    """千牛's step 4 (needs 客户管理): on one customer, 添加分组 with several groups ticked.

    Parameters
    ----------
    customer_id : int
        The customer.
    groups : int, str or list of them
        The groups (编号 or 分组名称).  If one of them does not exist, the customer joins none.

    Returns
    -------
    list of MembershipChange
        One per group, in the order given.
    """
    wb = session.workbench
    state = wb.state
    wanted = list(groups) if is_list_like(groups) else [groups]
    if not wanted:
        raise Refused("没有选择分组（groups）：请至少勾选一个分组。")
    members, changes = state.group_members, []
    for group in wanted:
        members, change = _refusing(
            topic.add_members,
            members,
            state.groups,
            group,
            customer_id,
            wb.now,
            session.account,
            state.customer_ids,
        )
        changes.append(change)
    state.group_members = members
    return Logged(changes, tuple(entry for change in changes for entry in _membership_entries(change)))


@operation(permission="manage_customers", describe=_describe("移出分组"))
def remove_from_group(session: Session, group: int | str, customer_ids: int | Iterable[int]) -> Logged:
    """移出分组 (needs 客户管理): take customers out of one group (not out of their other groups).

    Returns
    -------
    MembershipChange
        Who was removed and who was not in the group anyway.
    """
    state = session.workbench.state
    members, change = _refusing(
        topic.remove_members, state.group_members, state.groups, group, customer_ids, state.customer_ids
    )
    state.group_members = members
    return Logged(change, _membership_entries(change))


@operation(permission="manage_customers", describe=_describe("送优惠券"))
def send_group_coupon(session: Session, group: int | str, amount: float, threshold: float = 0) -> Logged:
    """送优惠券 to every member of a group (needs 客户管理): 满 ``threshold`` 减 ``amount``.

    One coupon per member, recorded in ``wb.group_coupons``; the audit log gets one 送优惠券
    row (target ``分组 <编号>``, after e.g. ``满100减10 × 5 人（优惠券 1～5）``).

    Parameters
    ----------
    group : int or str
        The group's 编号 or 分组名称; it must have members.
    amount : float
        面额, 1 to 1000 元 (本课程的规定).
    threshold : float, default 0
        使用门槛: 0 = 无门槛, otherwise more than ``amount``.

    Returns
    -------
    int
        How many coupons were sent.
    """
    wb = session.workbench
    state = wb.state
    coupons, new = _refusing(
        topic.coupon_rows,
        state.group_coupons,
        state.group_members,
        state.groups,
        group,
        amount,
        threshold,
        wb.now,
        session.account,
    )
    state.group_coupons = coupons
    text = topic.coupon_text(new["amount"].iloc[0], new["threshold"].iloc[0])
    ids = new["coupon_id"]
    after = f"{text} × {len(new)} 人（优惠券 {ids.iloc[0]}～{ids.iloc[-1]}）"
    return Logged(len(new), (Entry("送优惠券", f"分组 {new['group_id'].iloc[0]}", "", after),))
