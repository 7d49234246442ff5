"""Sub-accounts, permissions and 红包 limits (子账号、权限与红包限额): main-account operations.

Operations registered on :class:`~crm_helpers.workbench.Session`: ``create_sub_account``
(新建员工), ``set_permissions`` / ``grant_permission`` / ``revoke_permission`` (修改权限),
``set_red_packet_limit`` (修改红包限额), ``disable_sub_account`` (停用子账号) and
``switch_account``; and :func:`permission_matrix`, the roles × permissions table.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Iterable
from typing import Any

import pandas as pd

from .._validation import check_choice, check_int, check_number, is_list_like
from ..vocabulary import DEPARTMENTS, MAIN_ONLY_ACTIONS, PERMISSIONS
from .core import ROLES, Attempt, Entry, Logged, Refused, Session, operation, permission_labels

__all__ = ["MAX_DAILY_RED_PACKET_LIMIT", "MAX_CERTIFICATES", "SUB_ACCOUNT_QUOTA", "permission_matrix"]

#: How many sub-accounts the shop may have (千牛 shows it as 可新建数量).
SUB_ACCOUNT_QUOTA = 20
#: On how many computers one sub-account may log in at most (证书允许开启数量).
MAX_CERTIFICATES = 10
#: The highest daily 红包 limit (元) the main account may give a sub-account.
MAX_DAILY_RED_PACKET_LIMIT = 10_000

_NICKNAME = re.compile(r"[\u4e00-\u9fffA-Za-z0-9_]{1,20}")
_PHONE = re.compile(r"1[3-9]\d{9}")


def permission_matrix() -> pd.DataFrame:
    """Roles × permissions as a ✓ table (岗位权限表), main-only operations included.

    The roles' permissions are the simulated shop's settings (本店的规定), see :data:`ROLES`.

    Returns
    -------
    pandas.DataFrame
        One row per role and one for 主账号 (index ``岗位``); one column per permission
        and per main-only operation, ``"✓"`` or ``""``.
    """
    rows = {}
    for name, role in ROLES.items():
        row = {label: ("✓" if code in role.permissions else "") for code, label in PERMISSIONS.items()}
        row.update({label: "" for label in MAIN_ONLY_ACTIONS.values()})
        rows[name] = row
    main = {label: "✓" for label in PERMISSIONS.values()}
    main.update({label: "✓" for label in MAIN_ONLY_ACTIONS.values()})
    rows["主账号"] = main
    out = pd.DataFrame.from_dict(rows, orient="index")
    out.index.name = "岗位"
    return out


# ---- checks and pure helpers ----------------------------------------------------------------


def _permission_codes(permissions: str | Iterable[str]) -> frozenset[str]:
    """Permission codes from codes or their Chinese names; unknown ones are refused."""
    by_label = {label: code for code, label in PERMISSIONS.items()}
    if not is_list_like(permissions):
        permissions = [permissions]
    codes = set()
    for permission in permissions:
        code = by_label.get(permission, permission)
        check_choice(code, "权限（permission）", list(PERMISSIONS) + list(by_label))
        codes.add(code)
    return frozenset(codes)


def _hash_password(account: str, password: str) -> str:
    return hashlib.pbkdf2_hmac("sha256", password.encode(), account.encode(), 10_000).hex()


def _check_account_name(account_name: Any, main_name: str, taken: Iterable[str]) -> str:
    """The 子账号名 of a new account name ``主账号名:子账号名`` after checking its form.

    The 主账号名 is the main account's 会员名, not necessarily the shop's name (in the
    simulated shop both are 乐童优选).  The allowed characters and length of the 子账号名 are
    the course's rule (本课程的规定).
    """
    if not isinstance(account_name, str) or ":" not in account_name:
        raise ValueError(
            f"账号名（account_name）的格式应该是 主账号名:子账号名，例如 {main_name}:小会；收到的是 {account_name!r}。"
        )
    main, nickname = account_name.split(":", 1)
    if main != main_name:
        raise ValueError(f"账号名（account_name）冒号前面必须是主账号名 {main_name}，收到的是 {main!r}。")
    if not _NICKNAME.fullmatch(nickname):
        raise ValueError(
            f"账号名（account_name）冒号后面的子账号名 {nickname!r} 不合规（本课程规定）：只能用 1～20 个汉字、字母、数字或下划线，不能有空格和冒号。"
        )
    if account_name in taken:
        raise ValueError(f"账号名（account_name）{account_name} 已经存在，请换一个昵称。")
    return nickname


def _check_password(password: Any, nickname: str) -> None:
    """The course's password rules for the simulated 新建员工 form (本课程的规定)."""
    if not isinstance(password, str):
        raise TypeError(f"密码（password）应该是文字（str），收到的是 {type(password).__name__}。")
    if not 8 <= len(password) <= 20:
        raise ValueError(f"密码（password）按本课程的规定应该是 8～20 位，现在是 {len(password)} 位。")
    if re.search(r"\s", password):
        raise ValueError("密码（password）不能包含空格（本课程的规定）。")
    kinds = sum(bool(re.search(p, password)) for p in (r"[A-Za-z]", r"\d", r"[^A-Za-z\d\s]"))
    if kinds < 2:
        raise ValueError("密码（password）太简单：本课程规定至少要包含字母、数字、符号中的两种。")
    if nickname and nickname.lower() in password.lower():
        raise ValueError("密码（password）不能包含子账号名，别人容易猜到（本课程的规定）。")


def _check_phone(phone: Any) -> str:
    if not isinstance(phone, str) or not _PHONE.fullmatch(phone):
        raise ValueError(
            f"安全验证手机（phone）应该是 11 位手机号码（以 1 开头，第二位是 3～9），收到的是 {phone!r}。"
        )
    return phone


# ---- operations -------------------------------------------------------------------------------


@operation(main_only="create_sub_account", describe=lambda session, **fields: str(fields.get("account_name")))
def create_sub_account(
    session: Session,
    *,
    role: str,
    account_name: str,
    password: str,
    department: str,
    phone: str,
    certificate_limit: int = 1,
) -> Logged:
    """新建员工: create a sub-account with the fields of 千牛's form.

    Parameters
    ----------
    role : str
        岗位, one of :data:`ROLES` (客服, 客服主管, 运营, 财务, 仓储).
    account_name : str
        账号名 ``主账号名:子账号名`` (the main account's 会员名, here the shop's name); the
        子账号名 has 1-20 Chinese characters, letters, digits or ``_`` (the course's rule).
    password : str
        密码, by the course's rules (本课程的规定, not 千牛's published ones): 8-20
        characters, at least two kinds of letters / digits / symbols, no spaces, not
        containing the 子账号名.
    department : str
        部门, one of :data:`DEPARTMENTS`; it must be the role's department.
    phone : str
        安全验证手机: an 11-digit mainland mobile number (1 then 3-9 then 9 digits).
    certificate_limit : int, default 1
        证书允许开启数量: on how many computers the account may log in, 1 to 10 (the
        course's range).

    Returns
    -------
    str
        The new account name.  Its permissions and daily 红包 limit are the role's
        defaults (least privilege); the main account can change them afterwards.

    Raises
    ------
    PermissionDenied
        If a sub-account tries it (the attempt is logged).
    TypeError, ValueError
        If a field breaks a rule; nothing is created then.
    """
    wb = session.workbench
    state = wb.state
    check_choice(role, "岗位（role）", ROLES)
    nickname = _check_account_name(account_name, wb.shop_name, state.positions)
    _check_password(password, nickname)
    check_choice(department, "部门（department）", DEPARTMENTS)
    job = ROLES[role]
    if department != job.department:
        raise ValueError(
            f"部门（department）和岗位不符：岗位“{role}”属于{job.department}，收到的部门是 {department}。"
        )
    phone = _check_phone(phone)
    certificate_limit = check_int(certificate_limit, "证书允许开启数量（certificate_limit）", minimum=1)
    if certificate_limit > MAX_CERTIFICATES:
        raise ValueError(
            f"证书允许开启数量（certificate_limit）按本课程的规定最多 {MAX_CERTIFICATES}，收到的是 {certificate_limit}。"
        )
    if len(state.positions) >= SUB_ACCOUNT_QUOTA:
        raise ValueError(f"子账号已达上限 {SUB_ACCOUNT_QUOTA} 个（可新建数量为 0），请先停用不用的子账号。")
    agent_ids = state.accounts.new_values("agent_id")
    state.add_account(
        agent_id=int(agent_ids.max()) + 1 if len(agent_ids) else 1,
        account_name=account_name,
        nickname=nickname,
        department=department,
        role=role,
        permissions=job.permissions,
        daily_red_packet_limit=job.red_packet_limit,
        phone=phone,
        certificate_limit=certificate_limit,
        password_hash=_hash_password(account_name, password),
        active=True,
        created_at=wb.now,
    )
    return Logged(
        account_name,
        (
            Entry("新建员工", account_name, "", f"岗位={role}"),
            Entry("设置权限", account_name, "", permission_labels(job.permissions)),
            Entry("设置红包限额", account_name, "0", f"{job.red_packet_limit:g}"),
        ),
    )


def _describe_permission_change(session: Session, account_name: str, permissions: Any) -> Attempt:
    codes = _permission_codes(permissions)
    before = permission_labels(session.workbench.permissions_of(account_name))
    return Attempt(account_name, before, permission_labels(codes))


@operation(main_only="set_permissions", describe=_describe_permission_change)
def set_permissions(session: Session, account_name: str, permissions: str | Iterable[str]) -> Logged:
    """修改权限: give a sub-account exactly these permissions (main account only).

    Parameters
    ----------
    account_name : str
        The sub-account, ``主账号名:子账号名``.
    permissions : str or iterable of str
        Permission codes (``"send_red_packet"``) or their Chinese names (``"发红包"``).

    Returns
    -------
    frozenset of str
        The permission codes the account has now.
    """
    wb = session.workbench
    codes = _permission_codes(permissions)
    before = permission_labels(wb.permissions_of(account_name))
    wb.state.accounts.update(wb.account_position(account_name), permissions=codes)
    return Logged(codes, (Entry("修改权限", account_name, before, permission_labels(codes)),))


@operation()
def grant_permission(session: Session, account_name: str, permission: str) -> frozenset[str]:
    """授予一项权限 (main account only): :meth:`set_permissions` with one permission more."""
    current = session.workbench.permissions_of(account_name)
    return session.set_permissions(account_name, current | _permission_codes(permission))


@operation()
def revoke_permission(session: Session, account_name: str, permission: str) -> frozenset[str]:
    """收回一项权限 (main account only): :meth:`set_permissions` with one permission less."""
    current = session.workbench.permissions_of(account_name)
    return session.set_permissions(account_name, current - _permission_codes(permission))


def _describe_limit_change(session: Session, account_name: str, amount: Any) -> Attempt:
    before = session.workbench.account(account_name, "daily_red_packet_limit")
    return Attempt(account_name, f"{before:g}", f"{amount}")


@operation(main_only="set_red_packet_limit", describe=_describe_limit_change)
def set_red_packet_limit(session: Session, account_name: str, amount: float) -> Logged:
    """修改红包限额: the most 红包 money the sub-account may send per day (main account only).

    Parameters
    ----------
    account_name : str
        The sub-account.
    amount : int or float
        The new daily limit in 元, 0 to 10000 (Python or NumPy number).

    Returns
    -------
    float
        The new limit.
    """
    wb = session.workbench
    amount = check_number(amount, "红包限额（amount）")
    if not 0 <= amount <= MAX_DAILY_RED_PACKET_LIMIT:
        raise ValueError(
            f"红包限额（amount）应该是 0～{MAX_DAILY_RED_PACKET_LIMIT} 元之间的数，收到的是 {amount:g}。"
        )
    position = wb.account_position(account_name)
    before = wb.state.accounts.get(position, "daily_red_packet_limit")
    wb.state.accounts.update(position, daily_red_packet_limit=amount)
    return Logged(amount, (Entry("修改红包限额", account_name, f"{before:g}", f"{amount:g}"),))


def _existing_account(session: Session, account_name: str) -> str:
    session.workbench.account_position(account_name)
    return account_name


@operation(main_only="disable_sub_account", describe=_existing_account)
def disable_sub_account(session: Session, account_name: str) -> Logged:
    """停用子账号: it can do nothing any more (main account only)."""
    wb = session.workbench
    wb.state.accounts.update(wb.account_position(account_name), active=False)
    return Logged(None, (Entry("停用子账号", account_name, "启用", "停用"),))


@operation(action="切换账号", describe=lambda session, account_name: account_name)
def switch_account(session: Session, account_name: str) -> Session:
    """Switch to another account: only the main account may act as someone else."""
    if not session.is_main:
        raise Refused(
            f"子账号 {session.account} 不能切换成 {account_name}：只有主账号可以查看或代替其他账号操作。"
        )
    wb = session.workbench
    return wb.main_account() if account_name == wb.shop_name else wb.sub_account(account_name)
