"""千牛工作台 (simulated): the main account, sub-accounts, permissions, 红包 and the audit log.

A :class:`Workbench` is the back office of one shop.  The student operates it through a
:class:`Session`: ``wb.main_account()`` is the shop owner (主账号), ``wb.sub_account(name)``
role-plays a sub-account (子账号).  Every operation checks the session's permissions first;
refused attempts raise :class:`PermissionDenied` and, like every change of a permission or a
limit, are written to an append-only audit log (操作日志) that nobody can edit.

Lessons and homework use the same functions, so what a student does is graded from the
workbench's state (``wb.sub_accounts``, ``wb.audit_log``, ``wb.orders`` …).

Examples
--------
>>> from crm_helpers import simulate_store
>>> wb = Workbench(simulate_store(100, 10, seed=1))
>>> boss = wb.main_account()
>>> boss.create_sub_account(role="客服", account_name="乐童优选:小会", password="Kefu2025!",
...                         department="客服部", phone="13800138000", certificate_limit=1)
'乐童优选:小会'
>>> wb.sub_account("乐童优选:小会").set_red_packet_limit("乐童优选:小会", 5000)
Traceback (most recent call last):
...
crm_helpers.workbench.PermissionDenied: 子账号 乐童优选:小会 不能修改红包限额：只有主账号（乐童优选）可以修改红包限额。这次尝试已记入操作日志。
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Iterable
from dataclasses import dataclass

import pandas as pd

from . import orders as order_ops
from ._validation import check_choice, check_int
from .simulation import load_store
from .store import Store

__all__ = [
    "DEPARTMENTS",
    "MAX_SINGLE_RED_PACKET",
    "PERMISSIONS",
    "ROLES",
    "SUB_ACCOUNT_QUOTA",
    "PermissionDenied",
    "Session",
    "Workbench",
    "permission_matrix",
]

#: Permission code → Chinese name shown in 千牛.
PERMISSIONS = {
    "chat": "旺旺接待",
    "view_orders": "查看订单",
    "remark_order": "订单备注",
    "change_price": "订单改价",
    "close_order": "关闭订单",
    "ship_order": "订单发货",
    "refund": "退款处理",
    "remind_payment": "催付",
    "send_red_packet": "发红包",
    "view_customers": "查看客户",
    "manage_campaign": "活动管理",
    "view_reports": "查看数据报表",
    "view_finance": "查看资金账单",
}


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
#: The roles a sub-account can have (least privilege: each gets only what the job needs).
ROLES = {
    "客服": Role("客服", "客服部", _SERVICE, 100.0),
    "客服主管": Role(
        "客服主管", "客服部", _SERVICE | {"change_price", "close_order", "refund", "view_reports"}, 200.0
    ),
    "运营": Role(
        "运营",
        "运营部",
        frozenset({"view_orders", "view_customers", "manage_campaign", "view_reports", "change_price"}),
        0.0,
    ),
    "财务": Role("财务", "财务部", frozenset({"view_orders", "view_finance", "view_reports", "refund"}), 0.0),
    "仓储": Role("仓储", "仓储部", frozenset({"view_orders", "ship_order"}), 0.0),
}
DEPARTMENTS = ("客服部", "运营部", "财务部", "仓储部")
#: Operations only the main account may perform, whatever permissions a sub-account has.
MAIN_ONLY = {
    "create_sub_account": "新建员工",
    "set_permissions": "修改权限",
    "set_red_packet_limit": "修改红包限额",
    "disable_sub_account": "停用子账号",
    "view_audit_log": "查看操作日志",
    "activity": "查看子账号监控",
}
#: Why an unpaid order may be closed from the workbench.
CLOSE_REASONS = ("卖家关闭订单", "买家取消订单")
#: A single 红包 may not exceed this amount (元).
MAX_SINGLE_RED_PACKET = 200.0
#: How many sub-accounts the shop may have (千牛 shows it as 可新建数量).
SUB_ACCOUNT_QUOTA = 20

_NICKNAME = re.compile(r"[\u4e00-\u9fffA-Za-z0-9_]{1,20}")
_PHONE = re.compile(r"1[3-9]\d{9}")


class PermissionDenied(PermissionError):
    """Raised when an account tries an operation it is not allowed to do (权限不足)."""


def _permission_codes(permissions: Iterable[str]) -> frozenset[str]:
    """Accept permission codes or their Chinese names; refuse unknown ones."""
    by_label = {label: code for code, label in PERMISSIONS.items()}
    codes = set()
    if isinstance(permissions, str):
        permissions = [permissions]
    for p in permissions:
        code = by_label.get(p, p)
        check_choice(code, "权限（permission）", list(PERMISSIONS) + list(by_label))
        codes.add(code)
    return frozenset(codes)


def _labels(codes: Iterable[str]) -> str:
    return "、".join(PERMISSIONS[c] for c in PERMISSIONS if c in codes)


def permission_matrix() -> pd.DataFrame:
    """Roles × permissions as a ✓ table (岗位权限表), main-only operations included."""
    rows = {}
    for name, role in ROLES.items():
        row = {label: ("✓" if code in role.permissions else "") for code, label in PERMISSIONS.items()}
        row.update({label: "" for label in MAIN_ONLY.values()})
        rows[name] = row
    main = {label: "✓" for label in PERMISSIONS.values()}
    main.update({label: "✓" for label in MAIN_ONLY.values()})
    rows["主账号"] = main
    out = pd.DataFrame.from_dict(rows, orient="index")
    out.index.name = "岗位"
    return out


def _hash_password(account: str, password: str) -> str:
    return hashlib.pbkdf2_hmac("sha256", password.encode(), account.encode(), 10_000).hex()


def _mask_phone(phone: str | None) -> str:
    return f"{phone[:3]}****{phone[-4:]}" if phone else "未登记"


class Workbench:
    """The simulated 千牛工作台 of one shop (模拟千牛卖家工作台).

    Parameters
    ----------
    store : Store, optional
        The shop; default :func:`crm_helpers.load_store`.  The workbench works on its own
        copies of the tables, so the store is never modified.
    now : str or pandas.Timestamp, optional
        The workbench clock; default 09:00 on the first day after the simulated period.
        Each logged operation moves the clock on by one minute, so runs are reproducible.

    Attributes
    ----------
    shop_name : str
        The shop, also the name of the main account.
    now : pandas.Timestamp
        The current time of the workbench.
    """

    def __init__(self, store: Store | None = None, *, now: str | pd.Timestamp | None = None) -> None:
        if store is None:
            store = load_store()
        if not isinstance(store, Store):
            raise TypeError(
                f"Workbench 需要一家网店（Store，用 load_store() 得到），收到的是 {type(store).__name__}。"
            )
        self.store = store
        self.shop_name = store.shop_name
        self.now = pd.Timestamp(now) if now is not None else (store.end + pd.Timedelta(hours=9))
        self._orders = store.orders.copy()
        agents = store.agents.copy()
        self._accounts: dict[str, dict] = {}
        for row in agents.itertuples(index=False):
            role = ROLES[str(row.role)]
            self._accounts[row.account_name] = {
                "agent_id": int(row.agent_id),
                "account_name": row.account_name,
                "nickname": row.nickname,
                "department": str(row.department),
                "role": role.name,
                "permissions": role.permissions,
                "daily_red_packet_limit": float(row.daily_red_packet_limit),
                "phone": None,
                "certificate_limit": 1,
                "password_hash": None,
                "active": True,
                "created_at": row.created_at,
            }
        self._audit: list[dict] = []
        self._new_red_packets: list[dict] = []
        self._operations: list[dict] = []

    # ---- sessions ---------------------------------------------------------------------
    def main_account(self) -> Session:
        """The shop owner's session (主账号)."""
        return Session(self, self.shop_name)

    def sub_account(self, account_name: str) -> Session:
        """Role-play a sub-account (以子账号身份操作), e.g. ``"乐童优选:小美"``."""
        self._account(account_name)
        return Session(self, account_name)

    # ---- read-only views (fresh copies: editing them changes nothing) ----------------
    @property
    def sub_accounts(self) -> pd.DataFrame:
        """The sub-account list (子账号列表) as 千牛 shows it."""
        rows = [
            {
                "agent_id": a["agent_id"],
                "account_name": a["account_name"],
                "nickname": a["nickname"],
                "department": a["department"],
                "role": a["role"],
                "permissions": _labels(a["permissions"]),
                "daily_red_packet_limit": a["daily_red_packet_limit"],
                "phone": _mask_phone(a["phone"]),
                "certificate_limit": a["certificate_limit"],
                "active": a["active"],
                "created_at": a["created_at"],
            }
            for a in self._accounts.values()
        ]
        return pd.DataFrame(rows)

    def permissions_of(self, account_name: str) -> frozenset[str]:
        """Permission codes of a sub-account (or of the main account: all of them)."""
        if account_name == self.shop_name:
            return frozenset(PERMISSIONS)
        return self._account(account_name)["permissions"]

    @property
    def audit_log(self) -> pd.DataFrame:
        """The audit log (操作日志): the shop's history plus everything done here."""
        new = pd.DataFrame(self._audit, columns=list(self.store.audit_log.columns))
        if not len(new):
            return self.store.audit_log.copy()
        return pd.concat([self.store.audit_log, new], ignore_index=True)

    @property
    def red_packets(self) -> pd.DataFrame:
        """All 红包: the shop's history plus those sent through the workbench."""
        new = pd.DataFrame(self._new_red_packets, columns=list(self.store.red_packets.columns))
        if not len(new):
            return self.store.red_packets.copy()
        new = new.astype({"red_packet_id": "int64", "agent_id": "int64", "customer_id": "int64"})
        new["purpose"] = pd.Categorical(
            new["purpose"], categories=self.store.red_packets["purpose"].cat.categories
        )
        return pd.concat([self.store.red_packets, new], ignore_index=True)

    @property
    def orders(self) -> pd.DataFrame:
        """The orders as they are now on the workbench (after remarks, price changes …)."""
        return self._orders.copy()

    # ---- internals --------------------------------------------------------------------
    def _account(self, account_name: str) -> dict:
        if account_name not in self._accounts:
            raise ValueError(
                f"没有子账号 {account_name!r}。现有的子账号：{'、'.join(self._accounts)}。"
                "账号名的格式是 店铺名:昵称。"
            )
        return self._accounts[account_name]

    def _tick(self) -> pd.Timestamp:
        t = self.now
        self.now = self.now + pd.Timedelta(minutes=1)
        return t

    def _log(self, operator, action, target, before="", after="", result="成功", reason="") -> None:
        row = {
            "logged_at": self._tick(),
            "operator": operator,
            "action": action,
            "target": target,
            "before": str(before),
            "after": str(after),
            "result": result,
            "reason": reason,
        }
        self._audit.append(row)
        self._operations.append(
            {"time": row["logged_at"], "account": operator, "action": action, "result": result}
        )

    def _record(self, operator, action) -> None:
        """An ordinary operation (not a change of permission or limit): for monitoring only."""
        self._operations.append(
            {"time": self._tick(), "account": operator, "action": action, "result": "成功"}
        )


class Session:
    """What one account can do on the workbench (一个账号的操作界面).

    Get one from :meth:`Workbench.main_account` or :meth:`Workbench.sub_account`.
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

    # ---- permission checks -----------------------------------------------------------
    def _refuse(self, action: str, target: str, reason: str, before="", after="") -> None:
        self._wb._log(self.account, action, target, before, after, result="拒绝", reason=reason)
        raise PermissionDenied(f"{reason}这次尝试已记入操作日志。")

    def _active_or_refuse(self, action: str, target: str) -> None:
        if not self.is_main and not self._wb._account(self.account)["active"]:
            self._refuse(action, target, f"子账号 {self.account} 已被停用，不能再做任何操作。")

    def _require_main(self, operation: str, target: str, before="", after="") -> None:
        label = MAIN_ONLY[operation]
        self._active_or_refuse(label, target)
        if not self.is_main:
            self._refuse(
                label,
                target,
                f"子账号 {self.account} 不能{label}：只有主账号（{self._wb.shop_name}）可以{label}。",
                before,
                after,
            )

    def _require(self, permission: str, target: str = "") -> None:
        label = PERMISSIONS[permission]
        self._active_or_refuse(label, target)
        if permission not in self._wb.permissions_of(self.account):
            self._refuse(
                label, target, f"子账号 {self.account} 没有“{label}”权限，这项操作请交给有权限的同事或主管。"
            )

    # ---- main account: sub-accounts, permissions, limits -----------------------------
    def create_sub_account(
        self,
        *,
        role: str,
        account_name: str,
        password: str,
        department: str,
        phone: str,
        certificate_limit: int = 1,
    ) -> str:
        """新建员工: create a sub-account with the fields of 千牛's form.

        Parameters
        ----------
        role : str
            岗位, one of :data:`ROLES` (客服, 客服主管, 运营, 财务, 仓储).
        account_name : str
            账号名 ``店铺名:昵称``; the 昵称 has 1-20 Chinese characters, letters, digits or ``_``.
        password : str
            密码: 8-20 characters, at least two kinds of letters / digits / symbols, no spaces,
            not containing the 昵称.
        department : str
            部门, one of :data:`DEPARTMENTS`; it must be the role's department.
        phone : str
            安全验证手机: an 11-digit mainland mobile number (1 then 3-9 then 9 digits).
        certificate_limit : int, default 1
            证书允许开启数量: on how many computers the account may log in, 1 to 10.

        Returns
        -------
        str
            The new account name.  Its permissions and daily 红包 limit are the role's
            defaults (least privilege); the main account can change them afterwards.
        """
        self._require_main("create_sub_account", str(account_name))
        wb = self._wb
        check_choice(role, "岗位（role）", ROLES)
        if not isinstance(account_name, str) or ":" not in account_name:
            raise ValueError(
                f"账号名（account_name）的格式应该是 店铺名:昵称，例如 {wb.shop_name}:小会；收到的是 {account_name!r}。"
            )
        shop, nickname = account_name.split(":", 1)
        if shop != wb.shop_name:
            raise ValueError(
                f"账号名（account_name）冒号前面必须是本店的店铺名 {wb.shop_name}，收到的是 {shop!r}。"
            )
        if not _NICKNAME.fullmatch(nickname):
            raise ValueError(
                f"账号名（account_name）冒号后面的昵称 {nickname!r} 不合规：只能用 1～20 个汉字、字母、数字或下划线，不能有空格和冒号。"
            )
        if account_name in wb._accounts:
            raise ValueError(f"账号名（account_name）{account_name} 已经存在，请换一个昵称。")
        self._check_password(password, nickname)
        check_choice(department, "部门（department）", DEPARTMENTS)
        if department != ROLES[role].department:
            raise ValueError(
                f"部门（department）和岗位不符：岗位“{role}”属于{ROLES[role].department}，收到的部门是 {department}。"
            )
        if not isinstance(phone, str) or not _PHONE.fullmatch(phone):
            raise ValueError(
                f"安全验证手机（phone）应该是 11 位手机号码（以 1 开头，第二位是 3～9），收到的是 {phone!r}。"
            )
        certificate_limit = check_int(certificate_limit, "证书允许开启数量（certificate_limit）", minimum=1)
        if certificate_limit > 10:
            raise ValueError(f"证书允许开启数量（certificate_limit）最多 10，收到的是 {certificate_limit}。")
        if len(wb._accounts) >= SUB_ACCOUNT_QUOTA:
            raise ValueError(
                f"子账号已达上限 {SUB_ACCOUNT_QUOTA} 个（可新建数量为 0），请先停用不用的子账号。"
            )
        r = ROLES[role]
        created = wb.now
        wb._accounts[account_name] = {
            "agent_id": max(a["agent_id"] for a in wb._accounts.values()) + 1 if wb._accounts else 1,
            "account_name": account_name,
            "nickname": nickname,
            "department": department,
            "role": role,
            "permissions": r.permissions,
            "daily_red_packet_limit": r.red_packet_limit,
            "phone": phone,
            "certificate_limit": certificate_limit,
            "password_hash": _hash_password(account_name, password),
            "active": True,
            "created_at": created,
        }
        wb._log(self.account, "新建员工", account_name, "", f"岗位={role}")
        wb._log(self.account, "设置权限", account_name, "", _labels(r.permissions))
        wb._log(self.account, "设置红包限额", account_name, "0", f"{r.red_packet_limit:g}")
        return account_name

    @staticmethod
    def _check_password(password: str, nickname: str) -> None:
        if not isinstance(password, str):
            raise TypeError(f"密码（password）应该是文字（str），收到的是 {type(password).__name__}。")
        if not 8 <= len(password) <= 20:
            raise ValueError(f"密码（password）长度应该是 8～20 位，现在是 {len(password)} 位。")
        if re.search(r"\s", password):
            raise ValueError("密码（password）不能包含空格。")
        kinds = sum(bool(re.search(p, password)) for p in (r"[A-Za-z]", r"\d", r"[^A-Za-z\d\s]"))
        if kinds < 2:
            raise ValueError("密码（password）太简单：至少要包含字母、数字、符号中的两种。")
        if nickname and nickname.lower() in password.lower():
            raise ValueError("密码（password）不能包含账号昵称，别人容易猜到。")

    def set_permissions(self, account_name: str, permissions: Iterable[str]) -> frozenset[str]:
        """修改权限: give a sub-account exactly these permissions (codes or Chinese names)."""
        codes = _permission_codes(permissions)
        before = _labels(self._wb.permissions_of(account_name))
        self._require_main("set_permissions", account_name, before, _labels(codes))
        self._wb._account(account_name)["permissions"] = codes
        self._wb._log(self.account, "修改权限", account_name, before, _labels(codes))
        return codes

    def grant_permission(self, account_name: str, permission: str) -> frozenset[str]:
        """授予一项权限 (main account only)."""
        return self.set_permissions(
            account_name, self._wb.permissions_of(account_name) | _permission_codes(permission)
        )

    def revoke_permission(self, account_name: str, permission: str) -> frozenset[str]:
        """收回一项权限 (main account only)."""
        return self.set_permissions(
            account_name, self._wb.permissions_of(account_name) - _permission_codes(permission)
        )

    def set_red_packet_limit(self, account_name: str, amount: float) -> float:
        """修改红包限额: the most 红包 money the sub-account may send per day (main account only)."""
        before = self._wb._account(account_name)["daily_red_packet_limit"]
        self._require_main("set_red_packet_limit", account_name, f"{before:g}", f"{amount}")
        if isinstance(amount, bool) or not isinstance(amount, (int, float)) or not 0 <= amount <= 10_000:
            raise ValueError(f"红包限额（amount）应该是 0～10000 元之间的数，收到的是 {amount!r}。")
        self._wb._account(account_name)["daily_red_packet_limit"] = float(amount)
        self._wb._log(self.account, "修改红包限额", account_name, f"{before:g}", f"{float(amount):g}")
        return float(amount)

    def disable_sub_account(self, account_name: str) -> None:
        """停用子账号: it can do nothing any more (main account only)."""
        self._wb._account(account_name)
        self._require_main("disable_sub_account", account_name)
        self._wb._account(account_name)["active"] = False
        self._wb._log(self.account, "停用子账号", account_name, "启用", "停用")

    def switch_account(self, account_name: str) -> Session:
        """Switch to another account: only the main account may act as someone else."""
        if not self.is_main:
            self._refuse(
                "切换账号",
                account_name,
                f"子账号 {self.account} 不能切换成 {account_name}：只有主账号可以查看或代替其他账号操作。",
            )
        return (
            self._wb.main_account()
            if account_name == self._wb.shop_name
            else self._wb.sub_account(account_name)
        )

    # ---- audit log: append-only -----------------------------------------------------
    def view_audit_log(self) -> pd.DataFrame:
        """查看操作日志 (main account only)."""
        self._require_main("view_audit_log", "操作日志")
        return self._wb.audit_log

    def edit_audit_log(self, index: int, **changes) -> None:
        """Always refused: the audit log is append-only, for every account."""
        self._refuse("修改操作日志", f"第 {index} 条", "操作日志只能追加，任何账号（包括主账号）都不能修改。")

    def delete_audit_log(self, index: int | None = None) -> None:
        """Always refused: the audit log is append-only, for every account."""
        target = "全部" if index is None else f"第 {index} 条"
        self._refuse("删除操作日志", target, "操作日志只能追加，任何账号（包括主账号）都不能删除。")

    # ---- red packets -------------------------------------------------------------------
    def send_red_packet(self, customer_id: int, amount: float, purpose: str = "售后补偿") -> int:
        """发红包 to a customer, within the account's daily limit.

        Returns
        -------
        int
            The new red packet's id.
        """
        wb = self._wb
        target = f"客户 {customer_id}"
        self._require("send_red_packet", target)
        customer_id = check_int(customer_id, "客户编号（customer_id）", minimum=1)
        if customer_id not in set(wb.store.customers["customer_id"]):
            raise ValueError(f"客户编号（customer_id）{customer_id} 不存在。")
        if (
            isinstance(amount, bool)
            or not isinstance(amount, (int, float))
            or not 0 < amount <= MAX_SINGLE_RED_PACKET
        ):
            raise ValueError(
                f"红包金额（amount）应该大于 0、不超过 {MAX_SINGLE_RED_PACKET:g} 元，收到的是 {amount!r}。"
            )
        check_choice(purpose, "发红包原因（purpose）", list(wb.store.red_packets["purpose"].cat.categories))
        if not self.is_main:
            acc = wb._account(self.account)
            sent = wb.red_packets
            today = sent[
                (sent["agent_id"] == acc["agent_id"]) & (sent["sent_at"].dt.normalize() == wb.now.normalize())
            ]
            spent = float(today["amount"].sum())
            limit = acc["daily_red_packet_limit"]
            if spent + amount > limit + 1e-9:
                self._refuse(
                    "发红包",
                    target,
                    f"超过今日红包限额：{self.account} 今天已发 {spent:g} 元，再发 {amount:g} 元就超过限额 {limit:g} 元。",
                    f"{spent:g}",
                    f"{spent + amount:g}",
                )
            agent_id = acc["agent_id"]
        else:
            agent_id = 0
        history = wb.store.red_packets["red_packet_id"]
        next_id = (int(history.max()) if len(history) else 0) + len(wb._new_red_packets) + 1
        wb._new_red_packets.append(
            {
                "red_packet_id": next_id,
                "agent_id": agent_id,
                "customer_id": customer_id,
                "amount": float(amount),
                "sent_at": wb.now,
                "purpose": purpose,
            }
        )
        wb._record(self.account, "发红包")
        return next_id

    # ---- orders (订单处理) --------------------------------------------------------------
    def find_orders(
        self, *, member_name=None, order_id=None, status=None, start=None, end=None
    ) -> pd.DataFrame:
        """查找订单 by 会员名, 订单编号, 订单状态 and 下单时间 [start, end) (needs 查看订单).

        See :func:`crm_helpers.orders.find_orders`.
        """
        self._require("view_orders", "订单")
        found = order_ops.find_orders(
            self._wb._orders,
            self._wb.store.customers,
            member_name=member_name,
            order_id=order_id,
            status=status,
            start=start,
            end=end,
        )
        self._wb._record(self.account, "查找订单")
        return found

    def add_remark(self, order_id: int, text: str, *, flag: str = "红") -> None:
        """订单备注 with a flag colour; the author is this account (needs 订单备注)."""
        self._require("remark_order", f"订单 {order_id}")
        self._wb._orders = order_ops.add_remark(
            self._wb._orders, order_id, text, flag=flag, author=self.account
        )
        self._wb._record(self.account, "订单备注")

    def change_price(self, order_id: int, new_payment: float) -> None:
        """改价: only while 等待买家付款 (needs 订单改价); recorded in the audit log."""
        self._require("change_price", f"订单 {order_id}")
        updated = order_ops.change_price(self._wb._orders, order_id, new_payment)
        before = self._wb._orders.loc[self._wb._orders["order_id"] == order_id, "payment"].iloc[0]
        self._wb._orders = updated
        self._wb._log(self.account, "订单改价", f"订单 {order_id}", f"{before:g}", f"{float(new_payment):g}")

    def ship_order(self, order_id: int) -> None:
        """发货: 买家已付款 → 卖家已发货 (needs 订单发货)."""
        self._require("ship_order", f"订单 {order_id}")
        self._wb._orders = order_ops.transition(self._wb._orders, order_id, "卖家已发货", self._wb.now)
        self._wb._record(self.account, "订单发货")

    def close_order(self, order_id: int, reason: str = "卖家关闭订单") -> None:
        """关闭订单 that is still unpaid (needs 关闭订单).

        A paid order is closed only by a full refund (退款流程), never by this button.

        Parameters
        ----------
        reason : {"卖家关闭订单", "买家取消订单"}
            Why the unpaid order is closed.
        """
        self._require("close_order", f"订单 {order_id}")
        check_choice(reason, "关闭原因（reason）", CLOSE_REASONS)
        orders = self._wb._orders
        found = orders.loc[orders["order_id"] == order_id, "status"]
        if len(found) and str(found.iloc[0]) != "等待买家付款":
            raise ValueError(
                f"只能关闭还没付款的订单：订单 {order_id} 的状态是「{found.iloc[0]}」。"
                "已付款的订单要走退款流程，全额退款后交易才会关闭。"
            )
        self._wb._orders = order_ops.transition(orders, order_id, "交易关闭", self._wb.now, event=reason)
        self._wb._record(self.account, "关闭订单")

    def customer_profile(self, customer_id: int) -> pd.Series:
        """客户档案 of one customer with order count and spend (needs 查看客户)."""
        self._require("view_customers", f"客户 {customer_id}")
        customers = self._wb.store.customers
        row = customers[customers["customer_id"] == customer_id]
        if row.empty:
            raise ValueError(f"客户编号（customer_id）{customer_id} 不存在。")
        mine = self._wb._orders[self._wb._orders["customer_id"] == customer_id]
        paid = mine[mine["paid_at"].notna()]
        profile = row.iloc[0].copy()
        profile["订单数"] = len(mine)
        profile["已付款订单数"] = len(paid)
        profile["累计实付款"] = round(float(paid["payment"].sum()), 2)
        profile["最近下单时间"] = mine["created_at"].max() if len(mine) else pd.NaT
        self._wb._record(self.account, "查看客户")
        return profile

    # ---- monitoring -----------------------------------------------------------------
    def activity(self) -> pd.DataFrame:
        """子账号监控: what each sub-account did, per day (main account only).

        Columns: 接待咨询, 催付, 发红包次数, 红包金额, 工作台操作, 被拒绝 — counted from the
        shop's history (chats, reminders, red packets) and from the workbench.
        """
        self._require_main("activity", "全部子账号")
        return _activity(self._wb)


def _activity(wb: Workbench) -> pd.DataFrame:
    names = {a["agent_id"]: name for name, a in wb._accounts.items()}
    store = wb.store
    parts = []
    chats = store.chats
    parts.append(
        pd.DataFrame(
            {"日期": chats["started_at"].dt.normalize(), "账号": chats["agent_id"].map(names), "接待咨询": 1}
        )
    )
    rem = store.reminders
    parts.append(
        pd.DataFrame(
            {"日期": rem["reminded_at"].dt.normalize(), "账号": rem["agent_id"].map(names), "催付": 1}
        )
    )
    rp = wb.red_packets
    rp = rp[rp["agent_id"].isin(names)]
    parts.append(
        pd.DataFrame(
            {
                "日期": rp["sent_at"].dt.normalize(),
                "账号": rp["agent_id"].map(names),
                "发红包次数": 1,
                "红包金额": rp["amount"],
            }
        )
    )
    ops = pd.DataFrame(wb._operations, columns=["time", "account", "action", "result"])
    ops = ops[ops["account"] != wb.shop_name]
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
    columns = ["接待咨询", "催付", "发红包次数", "红包金额", "工作台操作", "被拒绝"]
    frames = [p for p in parts if len(p)]
    if not frames:
        return pd.DataFrame(columns=columns, index=pd.MultiIndex.from_tuples([], names=["日期", "账号"]))
    out = pd.concat(frames, ignore_index=True).fillna(0)
    out = out.groupby(["日期", "账号"]).sum()
    for column in columns:
        if column not in out:
            out[column] = 0
    out = out[columns]
    ints = [c for c in columns if c != "红包金额"]
    out[ints] = out[ints].astype("int64")
    return out
