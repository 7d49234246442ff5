"""The workbench core: its state as tables, the sessions, and the :func:`operation` pipeline.

Every operation a session offers is a function in one of the topic files of this package,
registered with :func:`operation`.  The decorator makes it a :class:`Session` method and runs
the same four steps around it every time:

1. **check** -- the account is active and has the permission (or is the main account);
   a refused attempt is written to the audit log and raises :class:`PermissionDenied`;
2. **validate** -- the function checks its input through :mod:`crm_helpers._validation`;
3. **apply** -- it computes the new tables with pure functions and stores them in
   :class:`WorkbenchState`;
4. **record** -- the wrapper writes what the function returned in :class:`Logged` to the
   audit log, or notes an ordinary operation for 子账号监控.

A function that finds a reason to refuse after validating (e.g. the day's 红包 limit) raises
:class:`Refused`; the wrapper logs it like a failed permission check.
"""

from __future__ import annotations

import functools
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any, NamedTuple, TypeVar

import pandas as pd

from .. import groups as customer_groups
from .._time import MINUTE_NS
from .._validation import check_choice, check_timestamp
from ..orders import orders_at
from ..simulation import load_store
from ..store import Store
from ..vocabulary import MAIN_ONLY_ACTIONS, PERMISSIONS, RED_PACKET_PURPOSES
from ._table import TIME, Table

__all__ = [
    "OPERATIONS",
    "ROLES",
    "SUB_ACCOUNT_LABELS",
    "Attempt",
    "Entry",
    "Logged",
    "Operation",
    "PermissionDenied",
    "Refused",
    "Role",
    "Session",
    "Workbench",
    "WorkbenchState",
    "operation",
    "permission_labels",
]

F = TypeVar("F", bound=Callable[..., Any])


class PermissionDenied(PermissionError):
    """Raised when an account tries an operation it is not allowed to do (权限不足)."""


@dataclass(frozen=True)
class Role:
    """A job (岗位): its department, default permissions and default daily 红包 limit."""

    name: str
    department: str
    permissions: frozenset[str]
    red_packet_limit: float


_SERVICE = frozenset(
    {"chat", "view_orders", "remark_order", "remind_payment", "send_red_packet", "view_customers"}
)
#: The roles a sub-account can have (least privilege: each gets only what the job needs), by
#: name in the order of :data:`crm_helpers.vocabulary.ROLE_NAMES`.  These are the simulated
#: shop's own settings (本店的岗位设置): on 千牛 the main account picks each sub-account's
#: permissions, e.g. it may grant 订单改价 to a 客服; this shop grants it to 客服主管 and 运营.
ROLES = {
    "客服": Role("客服", "客服部", _SERVICE, 100.0),
    "客服主管": Role(
        "客服主管",
        "客服部",
        _SERVICE | {"change_price", "close_order", "refund", "view_reports", "manage_customers"},
        200.0,
    ),
    "运营": Role(
        "运营",
        "运营部",
        frozenset(
            {
                "view_orders",
                "view_customers",
                "manage_customers",
                "manage_campaign",
                "view_reports",
                "change_price",
            }
        ),
        0.0,
    ),
    "财务": Role("财务", "财务部", frozenset({"view_orders", "view_finance", "view_reports", "refund"}), 0.0),
    "仓储": Role("仓储", "仓储部", frozenset({"view_orders", "ship_order"}), 0.0),
}


def permission_labels(codes: Iterable[str]) -> str:
    """权限名称: the Chinese names of permission codes, in 千牛's order, joined by 、.

    Parameters
    ----------
    codes : iterable of str
        Permission codes (keys of :data:`crm_helpers.vocabulary.PERMISSIONS`).

    Returns
    -------
    str
        E.g. ``"旺旺接待、查看订单"``; ``""`` for no permission.
    """
    codes = set(codes)
    return "、".join(label for code, label in PERMISSIONS.items() if code in codes)


def _mask_phone(phone: str | None) -> str:
    return f"{phone[:3]}****{phone[-4:]}" if phone else "未登记"


# ---- state --------------------------------------------------------------------------------

#: Columns of the sub-account table.  ``permissions`` holds frozensets of codes, ``phone`` the
#: full number and ``password_hash`` the PBKDF2 hash; the public view masks or drops them.
ACCOUNT_SCHEMA = {
    "agent_id": "int64",
    "account_name": "object",
    "nickname": "object",
    "department": "object",
    "role": "object",
    "permissions": "object",
    "daily_red_packet_limit": "float64",
    "phone": "object",
    "certificate_limit": "int64",
    "password_hash": "object",
    "active": "bool",
    "created_at": TIME,
}
#: Chinese headers of the sub-account list as students see it (:meth:`Workbench.sub_account_list`).
SUB_ACCOUNT_LABELS = {
    "agent_id": "员工编号",
    "account_name": "账号名",
    "nickname": "子账号名",
    "department": "部门",
    "role": "岗位",
    "permissions": "权限",
    "daily_red_packet_limit": "每日红包限额（元）",
    "phone": "安全验证手机",
    "certificate_limit": "证书允许开启数量",
    "active": "状态",
    "created_at": "新建时间",
}
#: Columns of the monitoring record (every operation, for 子账号监控).
OPERATION_SCHEMA = {"time": TIME, "account": "object", "action": "object", "result": "object"}
#: Columns of the 红包 table (the shop's ``red_packets``).
RED_PACKET_SCHEMA = {
    "red_packet_id": "int64",
    "agent_id": "int64",
    "customer_id": "int64",
    "amount": "float64",
    "sent_at": TIME,
    "purpose": pd.CategoricalDtype(RED_PACKET_PURPOSES),
}


class WorkbenchState:
    """Everything the workbench changes, as tables (工作台的数据).

    Parameters
    ----------
    store : Store
        The shop; its tables are read, never changed.
    now : pandas.Timestamp
        The clock.  Before the end of the simulated period the state is the shop as it was
        then: later orders, 红包, log entries and sub-accounts are left out and each order has
        the status it had (:func:`crm_helpers.orders.orders_at`).

    Attributes
    ----------
    accounts : Table
        The sub-accounts, one mutable row each (:data:`ACCOUNT_SCHEMA`).
    audit : Table
        The append-only audit log: the shop's history, then what happened here.
    operations : Table
        Every operation done here, for 子账号监控 (:data:`OPERATION_SCHEMA`).
    red_packets : Table
        The shop's 红包 history, then those sent here.
    orders : pandas.DataFrame
        The orders as they are now; operations replace it with a new frame.
    groups, group_members, group_coupons : pandas.DataFrame
        客户分组: the groups, who is in which group, and the coupons sent to groups
        (:mod:`crm_helpers.groups`); the shop starts without groups.  Operations replace
        them with new frames.
    now : pandas.Timestamp
        The clock; each recorded operation moves it on by one minute.
    """

    def __init__(self, store: Store, now: pd.Timestamp) -> None:
        past = store.end is not None and now < store.end
        self.orders = orders_at(store.orders, now) if past else store.orders.copy()
        self.accounts = Table(ACCOUNT_SCHEMA, mutable=True)
        self.positions: dict[str, int] = {}
        agents = store.agents[store.agents["created_at"] <= now] if past else store.agents
        for row in agents.itertuples(index=False):
            role = ROLES[str(row.role)]
            self.add_account(
                agent_id=int(row.agent_id),
                account_name=row.account_name,
                nickname=row.nickname,
                department=str(row.department),
                role=role.name,
                permissions=role.permissions,
                daily_red_packet_limit=float(row.daily_red_packet_limit),
                phone=None,
                certificate_limit=1,
                password_hash=None,
                active=True,
                created_at=row.created_at,
            )
        audit_schema = dict.fromkeys(store.audit_log.columns, "str") | {"logged_at": TIME}
        audit, packets = store.audit_log, store.red_packets
        if past:
            audit = audit[audit["logged_at"] <= now].reset_index(drop=True)
            packets = packets[packets["sent_at"] <= now].reset_index(drop=True)
        self.audit = Table(audit_schema, audit)
        self.operations = Table(OPERATION_SCHEMA)
        self.red_packets = Table(RED_PACKET_SCHEMA, packets)
        self._customers = store.customers
        self.groups, self.group_members, self.group_coupons = customer_groups.empty_tables()
        self.last_group_id = 0  # the largest 分组编号 given, so a deleted group's is not reused
        self.now = now

    @property
    def now(self) -> pd.Timestamp:
        """The clock (kept as nanoseconds: moving it on costs no ``Timestamp`` arithmetic)."""
        if self._now is None:
            self._now = pd.Timestamp(self._now_ns).as_unit(self._now_unit)
        return self._now

    @now.setter
    def now(self, value: pd.Timestamp) -> None:
        self._now, self._now_ns, self._now_unit = value, value.value, value.unit
        self.audit.raise_unit("logged_at", value.unit)
        self.operations.raise_unit("time", value.unit)

    @functools.cached_property
    def customer_ids(self) -> frozenset[int]:
        """The shop's customer ids (built on first use)."""
        return frozenset(self._customers["customer_id"].tolist())

    def add_account(self, **row: Any) -> None:
        """Append a sub-account row and index it by its account name."""
        self.positions[row["account_name"]] = self.accounts.append(**row)

    def tick(self) -> int:
        """The current time in nanoseconds; the clock moves on by one minute."""
        t = self._now_ns
        self._now_ns, self._now = t + MINUTE_NS, None
        return t

    def log(self, operator: str, entry: Entry, result: str = "成功", reason: str = "") -> None:
        """Append one audit-log row (and its monitoring row)."""
        t = self.tick()
        action = entry.action
        self.audit.append(
            logged_at=t,
            operator=operator,
            action=action,
            target=entry.target,
            before=str(entry.before),
            after=str(entry.after),
            result=result,
            reason=reason,
        )
        self.operations.append(time=t, account=operator, action=action, result=result)

    def record(self, operator: str, action: str) -> None:
        """Note an ordinary operation (not audited) for 子账号监控."""
        self.operations.append(time=self.tick(), account=operator, action=action, result="成功")


# ---- the workbench ------------------------------------------------------------------------


class Workbench:
    """The simulated 千牛工作台 of one shop (模拟千牛卖家工作台).

    Parameters
    ----------
    store : Store, optional
        The shop; default :func:`crm_helpers.load_store`.  The workbench works on its own
        tables, so the store is never modified.
    now : str or pandas.Timestamp, optional
        The workbench clock; default 09:00 on the first day after the simulated period.
        Each logged operation moves the clock on by one minute, so runs are reproducible.
        A time inside the simulated period opens the shop as it was then (e.g. a lesson's
        story day): orders, 红包, the log and the sub-accounts of later times are left out.
        Daily 红包 limits are those of the shop's table (its last state).

    Attributes
    ----------
    store : Store
        The shop.
    shop_name : str
        The shop, also the name of the main account.
    state : WorkbenchState
        The tables the operations change.

    Raises
    ------
    TypeError
        If ``store`` is not a :class:`~crm_helpers.store.Store` or ``now`` is a number.
    ValueError
        If ``now`` cannot be read as a time.
    """

    def __init__(self, store: Store | None = None, *, now: str | pd.Timestamp | None = None) -> None:
        if store is None:
            store = load_store()
        if not isinstance(store, Store):
            raise TypeError(
                f"Workbench 需要一家网店（Store，用 load_store() 得到），收到的是 {type(store).__name__}。"
            )
        clock = (
            store.end + pd.Timedelta(hours=9) if now is None else check_timestamp(now, "工作台时间（now）")
        )
        self.store = store
        self.shop_name = store.shop_name
        self.state = WorkbenchState(store, clock)

    @property
    def now(self) -> pd.Timestamp:
        """The current time of the workbench (settable, e.g. ``wb.now += pd.Timedelta(days=1)``)."""
        return self.state.now

    @now.setter
    def now(self, value: str | pd.Timestamp) -> None:
        self.state.now = check_timestamp(value, "工作台时间（now）")

    # ---- sessions ---------------------------------------------------------------------
    def main_account(self) -> Session:
        """The shop owner's session (主账号)."""
        return Session(self, self.shop_name)

    def sub_account(self, account_name: str) -> Session:
        """Role-play a sub-account (以子账号身份操作), e.g. ``"乐童优选:小美"``."""
        self.account_position(account_name)
        return Session(self, account_name)

    # ---- read-only views (fresh copies: editing them changes nothing) ----------------
    @property
    def sub_accounts(self) -> pd.DataFrame:
        """The sub-account list (子账号列表) as 千牛 shows it."""
        accounts = self.state.accounts
        table = accounts.frame()
        table["permissions"] = [permission_labels(codes) for codes in accounts.new_values("permissions")]
        table["phone"] = [_mask_phone(phone) for phone in accounts.new_values("phone")]
        columns = [c for c in ACCOUNT_SCHEMA if c != "password_hash"]
        return table[columns].infer_objects()

    def sub_account_list(self, columns: list[str] | None = None) -> pd.DataFrame:
        """子账号列表 with Chinese headers, as the 子账号管理 page shows it (for reading).

        Parameters
        ----------
        columns : list of str, optional
            Which columns of :attr:`sub_accounts` to show (English names); default 账号名,
            岗位, 部门, 权限, 每日红包限额, 安全验证手机, 状态.

        Returns
        -------
        pandas.DataFrame
            One row per sub-account, headers from :data:`SUB_ACCOUNT_LABELS`; 状态 reads
            启用 / 停用.

        Raises
        ------
        ValueError
            If a column is not one of the sub-account list's columns.
        """
        if columns is None:
            columns = [
                "account_name",
                "role",
                "department",
                "permissions",
                "daily_red_packet_limit",
                "phone",
                "active",
            ]
        for column in columns:
            check_choice(column, "列名（columns）", list(SUB_ACCOUNT_LABELS))
        table = self.sub_accounts[list(columns)]
        if "active" in table.columns:
            table = table.assign(active=table["active"].map({True: "启用", False: "停用"}))
        return table.rename(columns=SUB_ACCOUNT_LABELS)

    def permissions_of(self, account_name: str) -> frozenset[str]:
        """Permission codes of a sub-account (or of the main account: all of them)."""
        if account_name == self.shop_name:
            return frozenset(PERMISSIONS)
        return self.state.accounts.get(self.account_position(account_name), "permissions")

    @property
    def audit_log(self) -> pd.DataFrame:
        """The audit log (操作日志): the shop's history plus everything done here."""
        return self.state.audit.frame()

    @property
    def red_packets(self) -> pd.DataFrame:
        """All 红包: the shop's history plus those sent through the workbench."""
        return self.state.red_packets.frame()

    @property
    def orders(self) -> pd.DataFrame:
        """The orders as they are now on the workbench (after remarks, price changes …)."""
        return self.state.orders.copy()

    # ---- 客户分组 (crm_helpers.groups; operations in workbench/groups.py) ------------------
    @property
    def groups(self) -> pd.DataFrame:
        """The groups (分组): group_id, group_name, method, condition, created_at, created_by."""
        return self.state.groups.copy()

    @property
    def group_members(self) -> pd.DataFrame:
        """Who is in which group: group_id, customer_id, added_at, added_by (one row each)."""
        return self.state.group_members.copy()

    @property
    def group_coupons(self) -> pd.DataFrame:
        """Coupons sent to groups (送优惠券), one row per member: see :data:`crm_helpers.groups.COUPON_SCHEMA`."""
        return self.state.group_coupons.copy()

    def group_list(self) -> pd.DataFrame:
        """分组管理 as 千牛 shows it: 编号, 分组名称, 分组方式, 分组条件, 人数, 新建时间, 新建人."""
        return customer_groups.chinese_groups(self.state.groups, self.state.group_members)

    def group_member_list(self, group: int | str | None = None) -> pd.DataFrame:
        """分组成员 with 会员名 (Chinese headers); all groups, or one given by 编号 or 分组名称.

        Raises
        ------
        TypeError, ValueError
            If ``group`` is not an id or a name, or there is no such group.
        """
        state = self.state
        members = state.group_members
        if group is not None:
            members = members[members["group_id"] == customer_groups.find_group(state.groups, group)]
        return customer_groups.chinese_members(members, state.groups, self.store.customers)

    def group_coupon_list(self) -> pd.DataFrame:
        """送优惠券记录 with 会员名 (Chinese headers)."""
        return customer_groups.chinese_coupons(self.state.group_coupons, self.store.customers)

    def account_position(self, account_name: str) -> int:
        """The row of a sub-account in ``state.accounts``; a clear error if there is none."""
        position = self.state.positions.get(account_name) if isinstance(account_name, str) else None
        if position is None:
            raise ValueError(
                f"没有子账号 {account_name!r}。现有的子账号：{'、'.join(self.state.positions)}。"
                "账号名的格式是 主账号名:子账号名。"
            )
        return position

    def account(self, account_name: str, column: str) -> Any:
        """One field of a sub-account, e.g. ``wb.account(name, "daily_red_packet_limit")``."""
        return self.state.accounts.get(self.account_position(account_name), column)


# ---- sessions and the operation pipeline --------------------------------------------------


class Session:
    """What one account can do on the workbench (一个账号的操作界面).

    Get one from :meth:`Workbench.main_account` or :meth:`Workbench.sub_account`.  Its
    operations (``create_sub_account``, ``send_red_packet``, ``find_orders`` …) are defined
    in the topic files of :mod:`crm_helpers.workbench` and registered with :func:`operation`.
    """

    def __init__(self, workbench: Workbench, account: str) -> None:
        self._wb = workbench
        self.account = account

    def __repr__(self) -> str:
        kind = "主账号" if self.is_main else "子账号"
        return f"<千牛工作台 {kind} {self.account}>"

    @property
    def workbench(self) -> Workbench:
        """The workbench this session operates on."""
        return self._wb

    @property
    def is_main(self) -> bool:
        """True for the shop owner's main account."""
        return self.account == self._wb.shop_name

    def _refuse(self, action: str, attempt: Attempt, reason: str) -> None:
        """Write a refused attempt to the audit log and raise :class:`PermissionDenied`."""
        self._wb.state.log(self.account, Entry(action, *attempt), result="拒绝", reason=reason)
        raise PermissionDenied(f"{reason}这次尝试已记入操作日志。")

    def _check(self, spec: Operation, attempt: Attempt) -> None:
        """Step 1 of every operation: refuse (and log) what this account may not do."""
        if spec.permission is None and spec.main_only is None:
            return
        if not self.is_main and not self._wb.account(self.account, "active"):
            self._refuse(
                spec.action,
                Attempt(attempt.target),
                f"子账号 {self.account} 已被停用，不能再做任何操作。",
            )
        if spec.main_only is not None and not self.is_main:
            label, shop = spec.action, self._wb.shop_name
            self._refuse(
                spec.action, attempt, f"子账号 {self.account} 不能{label}：只有主账号（{shop}）可以{label}。"
            )
        if spec.permission is not None and spec.permission not in self._wb.permissions_of(self.account):
            reason = f"子账号 {self.account} 没有“{spec.action}”权限，这项操作请交给有权限的同事或主管。"
            self._refuse(spec.action, Attempt(attempt.target), reason)


class Attempt(NamedTuple):
    """操作对象: what an operation is about, for the audit log -- its target and the change it would make."""

    target: str
    before: Any = ""
    after: Any = ""


class Entry(NamedTuple):
    """一条日志 (one audit-log row) an operation asks to write: action, target, before and after."""

    action: str
    target: str
    before: Any = ""
    after: Any = ""


class Logged(NamedTuple):
    """要记日志的结果: what an audited operation returns -- its result and the audit-log rows to write."""

    value: Any
    entries: tuple[Entry, ...]


class Refused(Exception):  # noqa: N818 -- it is a decision, not an error
    """Raised inside an operation that refuses after validating (e.g. over the 红包 limit).

    Parameters
    ----------
    reason : str
        Why, in Chinese; shown to the user and written to the log.
    before, after : str
        What the change would have been (e.g. the day's total before and after).
    """

    def __init__(self, reason: str, before: str = "", after: str = "") -> None:
        super().__init__(reason)
        self.reason, self.before, self.after = reason, before, after


@dataclass(frozen=True)
class Operation:
    """已登记的操作 (a registered operation): its function and how it is checked and recorded."""

    name: str
    function: Callable[..., Any]
    action: str
    permission: str | None
    main_only: str | None
    monitored: bool
    topic: str


#: Every registered operation by method name (filled when the topic files are imported).
OPERATIONS: dict[str, Operation] = {}


def operation(
    *,
    permission: str | None = None,
    main_only: str | None = None,
    action: str | None = None,
    describe: str | Callable[..., str | Attempt] = "",
    monitored: bool | None = None,
) -> Callable[[F], F]:
    """登记工作台操作: register a function as a :class:`Session` method that runs the pipeline.

    Parameters
    ----------
    permission : str, optional
        The permission code (a key of :data:`crm_helpers.vocabulary.PERMISSIONS`) a
        sub-account needs; the action in the log is its Chinese name.
    main_only : str, optional
        The operation code (a key of :data:`crm_helpers.vocabulary.MAIN_ONLY_ACTIONS`) for
        an operation only the main account may do.
    action : str, optional
        The action written to the log when neither check applies (the function may still
        refuse with :class:`Refused`); it must be in :data:`~crm_helpers.vocabulary.AUDIT_ACTIONS`.
    describe : str or callable, default ""
        The target of the operation in the log: a fixed text, or a function called with the
        operation's own arguments (session first) returning the target or an
        :class:`Attempt` ``(target, before, after)``.  It runs before the check, so it may
        refuse unknown accounts with ``ValueError``.
    monitored : bool, optional
        Note a successful call that returns no :class:`Logged` for 子账号监控; default: when
        the operation needs a ``permission``.

    Returns
    -------
    callable
        A decorator; the decorated function is returned unchanged and also set on
        :class:`Session` under its own name.

    Raises
    ------
    ValueError
        If both checks are given, a code is unknown, or the name is taken.
    """
    if permission is not None and main_only is not None:
        raise ValueError("一个操作只能指定 permission 或 main_only 其中之一。")
    if permission is not None:
        check_choice(permission, "权限（permission）", PERMISSIONS)
        action = PERMISSIONS[permission]
    elif main_only is not None:
        check_choice(main_only, "主账号操作（main_only）", MAIN_ONLY_ACTIONS)
        action = MAIN_ONLY_ACTIONS[main_only]
    monitored = permission is not None if monitored is None else monitored
    describe_attempt = (lambda *args, **kwargs: describe) if isinstance(describe, str) else describe

    def register(function: F) -> F:
        name = function.__name__
        if name in OPERATIONS or hasattr(Session, name):
            raise ValueError(f"工作台已经有名为 {name} 的操作，请换一个名字。")
        spec = Operation(name, function, action or "", permission, main_only, monitored, function.__module__)

        @functools.wraps(function)
        def run(session: Session, *args: Any, **kwargs: Any) -> Any:
            attempt = describe_attempt(session, *args, **kwargs)
            attempt = attempt if isinstance(attempt, Attempt) else Attempt(attempt)
            session._check(spec, attempt)
            try:
                result = function(session, *args, **kwargs)
            except Refused as refusal:
                session._refuse(
                    spec.action, Attempt(attempt[0], refusal.before, refusal.after), refusal.reason
                )
            state = session.workbench.state
            if isinstance(result, Logged):
                for entry in result.entries:
                    state.log(session.account, entry)
                return result.value
            if spec.monitored:
                state.record(session.account, spec.action)
            return result

        OPERATIONS[name] = spec
        setattr(Session, name, run)
        return function

    return register
