"""客户信息 (customer information): one customer's profile from the shop's tables.

The workbench's 查看客户 (:meth:`Session.customer_profile
<crm_helpers.workbench.Session.customer_profile>`) calls :func:`customer_profile`; lesson 06
(客户信息与标签) extends this module.
"""

from __future__ import annotations

from typing import Any

import pandas as pd

from ._validation import check_columns, check_dataframe, check_int

__all__ = ["customer_profile"]


def customer_profile(
    customers: pd.DataFrame,
    orders: pd.DataFrame,
    customer_id: Any,
    *,
    customer_col: str = "customer_id",
    paid_col: str = "paid_at",
    payment_col: str = "payment",
    created_col: str = "created_at",
) -> pd.Series:
    """客户档案: a customer's row with order count and spend.

    Parameters
    ----------
    customers : pandas.DataFrame
        The customer table (客户表); it is not modified.
    orders : pandas.DataFrame
        The orders (订单表); it is not modified.
    customer_id : int
        The customer (Python or NumPy integer).
    customer_col : str, default "customer_id"
        The customer column of both tables.
    paid_col, payment_col, created_col : str
        Columns of ``orders``: payment time (empty while unpaid), 实付款 and order time.

    Returns
    -------
    pandas.Series
        The customer's row plus ``订单数``, ``已付款订单数``, ``累计实付款`` (元, 2 decimals)
        and ``最近下单时间`` (``NaT`` without orders).

    Raises
    ------
    TypeError
        If ``customer_id`` is not an integer.
    ValueError
        If a column is missing or the customer does not exist.

    Examples
    --------
    >>> customers = pd.DataFrame({"customer_id": [1, 2], "member_name": ["小林", "阿花"]})
    >>> orders = pd.DataFrame({"customer_id": [1, 1], "paid_at": [pd.Timestamp("2025-03-01"), pd.NaT],
    ...                        "payment": [99.5, 20.0],
    ...                        "created_at": pd.to_datetime(["2025-03-01", "2025-03-05"])})
    >>> customer_profile(customers, orders, 1)[["订单数", "已付款订单数", "累计实付款"]].tolist()
    [2, 1, 99.5]
    """
    check_dataframe(customers, "customers", [customer_col], allow_empty=True)
    check_dataframe(orders, "orders", [customer_col], allow_empty=True)
    check_columns(orders, "orders", [paid_col, payment_col, created_col])
    customer_id = check_int(customer_id, "客户编号（customer_id）")
    row = customers[customers[customer_col] == customer_id]
    if row.empty:
        raise ValueError(f"客户编号（customer_id）{customer_id} 不存在。")
    mine = orders[orders[customer_col] == customer_id]
    paid = mine[mine[paid_col].notna()]
    profile = row.iloc[0].copy()
    profile["订单数"] = len(mine)
    profile["已付款订单数"] = len(paid)
    profile["累计实付款"] = round(float(paid[payment_col].sum()), 2)
    profile["最近下单时间"] = mine[created_col].max() if len(mine) else pd.NaT
    return profile
