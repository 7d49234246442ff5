"""Customer look-ups shared by the order topics (会员名 of a customer id)."""

from __future__ import annotations

from typing import Any

import pandas as pd

from ._validation import check_dataframe

__all__ = ["check_customers", "member_names"]


def member_names(
    customer_ids: pd.Series, customers: pd.DataFrame | None, customer_col: str, member_name_col: str
) -> pd.Series:
    """The 会员名 of each customer id (missing where unknown or without ``customers``)."""
    if customers is None:
        return pd.Series(pd.NA, index=customer_ids.index, dtype="str")
    lookup = customers.drop_duplicates(customer_col).set_index(customer_col)[member_name_col]
    return customer_ids.map(lookup).astype("str")


def check_customers(customers: Any, customer_col: str, member_name_col: str) -> None:
    """Check the customers table: the two columns exist and each customer has one row."""
    check_dataframe(customers, "customers", [customer_col, member_name_col], allow_empty=True)
    duplicated = customers[customer_col].duplicated()
    if duplicated.any():
        raise ValueError(
            f"数据表 customers 的列 '{customer_col}' 有重复的客户编号，例如 "
            f"{customers[customer_col][duplicated].iloc[0]!r}；每位客户只能有一行。"
        )
