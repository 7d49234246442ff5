"""The audit log (操作日志): the main account reads it; nobody can change or delete it.

Operations registered on :class:`~crm_helpers.workbench.Session`: ``view_audit_log``
(查看操作日志, main account only), ``edit_audit_log`` and ``delete_audit_log`` (always
refused and logged: the log is append-only, for every account).
"""

from __future__ import annotations

from typing import Any

import pandas as pd

from .core import Refused, Session, operation

__all__: list[str] = []


@operation(main_only="view_audit_log", describe="操作日志")
def view_audit_log(session: Session) -> pd.DataFrame:
    """查看操作日志 (main account only): the shop's history plus everything done here."""
    return session.workbench.audit_log


@operation(action="修改操作日志", describe=lambda session, index, **changes: f"第 {index} 条")
def edit_audit_log(session: Session, index: int, **changes: Any) -> None:
    """Always refused: the audit log is append-only, for every account."""
    raise Refused("操作日志只能追加，任何账号（包括主账号）都不能修改。")


def _rows(session: Session, index: int | None = None) -> str:
    return "全部" if index is None else f"第 {index} 条"


@operation(action="删除操作日志", describe=_rows)
def delete_audit_log(session: Session, index: int | None = None) -> None:
    """Always refused: the audit log is append-only, for every account."""
    raise Refused("操作日志只能追加，任何账号（包括主账号）都不能删除。")
