"""查看客户 on the workbench: a customer's profile (needs the 查看客户 permission).

Operation registered on :class:`~crm_helpers.workbench.Session`: ``customer_profile``, which
calls :func:`crm_helpers.customers.customer_profile` on the workbench's current orders.
"""

from __future__ import annotations

import pandas as pd

from .. import customers as customer_topic
from .core import Session, operation

__all__: list[str] = []


@operation(permission="view_customers", describe=lambda session, customer_id: f"客户 {customer_id}")
def customer_profile(session: Session, customer_id: int) -> pd.Series:
    """客户档案 of one customer with order count and spend (needs 查看客户).

    See :func:`crm_helpers.customers.customer_profile`.
    """
    wb = session.workbench
    return customer_topic.customer_profile(wb.store.customers, wb.state.orders, customer_id)
