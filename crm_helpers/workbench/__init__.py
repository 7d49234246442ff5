"""千牛工作台 (simulated): the main account, sub-accounts, permissions, 红包 and the audit log.

A :class:`Workbench` is the back office of one shop.  The student operates it through a
:class:`Session`: ``wb.main_account()`` is the shop owner (主账号), ``wb.sub_account(name)``
role-plays a sub-account (子账号).  Every operation checks the session's permissions first;
refused attempts raise :class:`PermissionDenied` and, like every change of a permission or a
limit, are written to an append-only audit log (操作日志) that nobody can edit.

Lessons and homework use the same functions, so what a student does is graded from the
workbench's state (``wb.sub_accounts``, ``wb.audit_log``, ``wb.orders`` …).

How the package is built
------------------------
``core.py``
    The state as tables (:class:`~crm_helpers.workbench.core.WorkbenchState`: sub-accounts,
    the append-only audit log, the monitoring record, 红包, orders), :class:`Workbench`,
    :class:`Session` and the :func:`~crm_helpers.workbench.core.operation` decorator.
``accounts.py``, ``audit.py``, ``monitoring.py``, ``red_packets.py``, ``orders.py``, ``customers.py``,
``groups.py``
    One file per topic; each defines its operations as plain functions.

Every operation runs the same pipeline, done by ``@operation`` around the function:
check the permission (a refusal is logged and raises :class:`PermissionDenied`) → the
function validates its input through :mod:`crm_helpers._validation` → it computes new tables
with pure functions → the wrapper records it (the audit-log rows it returned in ``Logged``, or
one line for 子账号监控).  A new topic adds a file, not methods on one class::

    # crm_helpers/workbench/after_sales.py, then import it at the end of this file
    from .. import refunds                                   # the topic's pure functions
    from .._validation import check_int
    from .core import Entry, Logged, Session, operation

    @operation(permission="refund", describe=lambda session, refund_id: f"售后 {refund_id}")
    def approve_refund(session: Session, refund_id: int) -> Logged:
        \"\"\"同意退款 (needs 退款处理).\"\"\"
        refund_id = check_int(refund_id, "售后编号（refund_id）", minimum=1)
        state = session.workbench.state
        state.refunds = refunds.approve(state.refunds, refund_id)
        return Logged(refund_id, (Entry("退款处理", f"售后 {refund_id}", "处理中", "退款成功"),))

``permission=`` names a code of :data:`PERMISSIONS`, ``main_only=`` one of
:data:`crm_helpers.vocabulary.MAIN_ONLY_ACTIONS`; every action written to the log must be in
:data:`crm_helpers.vocabulary.AUDIT_ACTIONS` (a test checks it).

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

from ..vocabulary import DEPARTMENTS, PERMISSIONS
from . import accounts, audit, customers, groups, monitoring, orders, red_packets  # noqa: F401 -- registers the operations
from .accounts import SUB_ACCOUNT_QUOTA, permission_matrix
from .core import ROLES, PermissionDenied, Role, Session, Workbench
from .red_packets import MAX_SINGLE_RED_PACKET

for _public in (PermissionDenied, Role, Session, Workbench):
    _public.__module__ = __name__  # documented (and shown in tracebacks) as crm_helpers.workbench.X

__all__ = [
    "DEPARTMENTS",
    "MAX_SINGLE_RED_PACKET",
    "PERMISSIONS",
    "ROLES",
    "SUB_ACCOUNT_QUOTA",
    "PermissionDenied",
    "Role",
    "Session",
    "Workbench",
    "permission_matrix",
]
