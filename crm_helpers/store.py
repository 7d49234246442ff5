"""The :class:`Store`: every table of one shop, with its Chinese glossary and export."""

from __future__ import annotations

from dataclasses import dataclass, field, fields
from pathlib import Path

import pandas as pd

from .vocabulary import ORDER_STATUSES

__all__ = ["STATUSES", "TABLE_NAMES", "Store"]

#: The five 千牛 order statuses, in the order of the order state machine (one list for the
#: whole package: :data:`crm_helpers.vocabulary.ORDER_STATUSES`).
STATUSES = ORDER_STATUSES

#: Table attribute → Chinese table name shown to students.
TABLE_NAMES = {
    "customers": "客户表",
    "products": "商品表",
    "orders": "订单表",
    "order_items": "订单商品明细表",
    "chats": "旺旺咨询表",
    "events": "行为表（浏览/加购/收藏）",
    "refunds": "售后表（退款/退货/换货）",
    "reminders": "催付记录表",
    "agents": "员工（子账号）表",
    "red_packets": "红包发放表",
    "audit_log": "操作日志",
    "complaints": "投诉表",
    "reviews": "评价表",
    "growth": "成长值明细表",
}


@dataclass(repr=False)
class Store:
    """All tables of one online shop (一家网店的全部数据).

    Build one with :func:`crm_helpers.load_store` or :func:`crm_helpers.simulate_store`.
    Every table is a ``pandas.DataFrame`` attribute; column meanings are in
    :meth:`glossary`.

    Attributes
    ----------
    customers, products, orders, order_items, chats, events, refunds, reminders, agents,
    red_packets, audit_log, complaints, reviews, growth : pandas.DataFrame
        The tables (see ``TABLE_NAMES`` for their Chinese names).
    shop_name : str
        The shop's name, also the main account (主账号).
    start, end : pandas.Timestamp
        The simulated period is ``[start, end)``; ``end`` is "now" for the shop.
    seed : int or None
        The random seed the shop was simulated with.
    """

    customers: pd.DataFrame
    products: pd.DataFrame
    orders: pd.DataFrame
    order_items: pd.DataFrame
    chats: pd.DataFrame
    events: pd.DataFrame
    refunds: pd.DataFrame
    reminders: pd.DataFrame
    agents: pd.DataFrame
    red_packets: pd.DataFrame
    audit_log: pd.DataFrame
    complaints: pd.DataFrame
    reviews: pd.DataFrame
    growth: pd.DataFrame = field(default_factory=pd.DataFrame)
    shop_name: str = "乐童优选"
    start: pd.Timestamp | None = None
    end: pd.Timestamp | None = None
    seed: int | None = None

    @property
    def tables(self) -> dict[str, pd.DataFrame]:
        """The tables by attribute name, in a fixed order."""
        return {f.name: getattr(self, f.name) for f in fields(self) if f.name in TABLE_NAMES}

    def summary(self) -> pd.DataFrame:
        """One row per table: Chinese name, number of rows and columns (数据概览)."""
        rows = [
            {"表": name, "中文名": TABLE_NAMES[name], "行数": len(df), "列数": df.shape[1]}
            for name, df in self.tables.items()
        ]
        return pd.DataFrame(rows)

    def glossary(self, table: str | None = None) -> pd.DataFrame:
        """Chinese name and a one-line explanation of every column (字段说明).

        Parameters
        ----------
        table : str, optional
            Only this table, e.g. ``"orders"``.
        """
        from .glossary import glossary

        return glossary(table)

    def chinese(self, table: str, df: pd.DataFrame | None = None) -> pd.DataFrame:
        """A copy of a table with Chinese column headers (中文列名), for reading or Excel.

        Parameters
        ----------
        table : str
            Which table, e.g. ``"orders"``.
        df : pandas.DataFrame, optional
            A part of that table (after filtering); default the whole table.
        """
        from ._validation import check_choice
        from .glossary import to_chinese_columns

        check_choice(table, "table（表名）", list(self.tables))
        return to_chinese_columns(self.tables[table] if df is None else df, table)

    @property
    def last_day(self) -> pd.Timestamp | None:
        """The last simulated day (``end`` is the midnight after it, exclusive)."""
        return None if self.end is None else self.end - pd.Timedelta(days=1)

    def export(self, folder: str | Path, fmt: str = "csv", chinese_headers: bool = True) -> list[Path]:
        """Write every table to ``folder`` for Excel (导出给 Excel 用).

        See :func:`crm_helpers.glossary.export_table` for the formats.

        Returns
        -------
        list of pathlib.Path
            The files written.
        """
        from .glossary import export_table

        folder = Path(folder)
        folder.mkdir(parents=True, exist_ok=True)
        return [
            export_table(df, folder / f"{name}.{fmt}", table=name, chinese_headers=chinese_headers)
            for name, df in self.tables.items()
        ]

    def __repr__(self) -> str:
        period = ""
        if self.start is not None and self.end is not None:
            period = f"（{self.start:%Y-%m-%d} 至 {self.last_day:%Y-%m-%d}）"
        lines = [f"网店「{self.shop_name}」{period}"]
        lines += [
            f"  {name:<12}{TABLE_NAMES[name]:　<14}{len(df):>10,} 行" for name, df in self.tables.items()
        ]
        return "\n".join(lines)
