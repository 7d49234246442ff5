"""Column glossary (字段说明) and export of tables for Excel.

Every column of every shop table has a Chinese name and a one-line explanation, kept in
``crm_helpers/data/glossary.csv``.  Exported CSV files are written as UTF-8 with a byte
order mark, the encoding Excel needs to show Chinese without garbling.
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from ._data import read_data_table
from ._validation import check_choice

__all__ = ["EXCEL_MAX_ROWS", "export_table", "glossary", "to_chinese_columns"]

#: Excel shows at most this many rows (header included) on one sheet.
EXCEL_MAX_ROWS = 1_048_576


def glossary(table: str | None = None) -> pd.DataFrame:
    """字段说明表 (the glossary): table, column, Chinese name, explanation.

    Parameters
    ----------
    table : str, optional
        Only the columns of this table, e.g. ``"orders"``.

    Returns
    -------
    pandas.DataFrame
        Columns ``表`` (only without ``table``), ``列名``, ``中文名``, ``说明``.

    Examples
    --------
    >>> glossary("orders").loc[0, "中文名"]
    '订单编号'
    """
    data = read_data_table("glossary")
    if table is not None:
        check_choice(table, "table（表名）", data["table"].unique())
        data = data[data["table"] == table].drop(columns="table").reset_index(drop=True)
    return data.rename(columns={"table": "表", "column": "列名"})


def to_chinese_columns(df: pd.DataFrame, table: str) -> pd.DataFrame:
    """换成中文列名 (Chinese headers): a copy of ``df`` whose known columns carry their Chinese names.

    Columns not in the glossary of ``table`` keep their names.

    Parameters
    ----------
    df : pandas.DataFrame
        A shop table or part of one; it is not modified.
    table : str
        Which shop table ``df`` is, e.g. ``"orders"``.

    Returns
    -------
    pandas.DataFrame
        The same data with Chinese headers.
    """
    names = glossary(table).set_index("列名")["中文名"]
    return df.rename(columns={c: names[c] for c in df.columns if c in names.index})


def export_table(
    df: pd.DataFrame,
    path: str | Path,
    table: str | None = None,
    chinese_headers: bool = True,
) -> Path:
    """导出给 Excel (export): write one table to ``path`` so that Excel opens it with Chinese intact.

    Parameters
    ----------
    df : pandas.DataFrame
        The table; it is not modified.
    path : str or pathlib.Path
        Ends in ``.csv`` (UTF-8 with BOM) or ``.xlsx``.
    table : str, optional
        Which shop table ``df`` is, to translate the headers (e.g. ``"orders"``).
    chinese_headers : bool, default True
        Use the Chinese column names from the glossary (needs ``table``).

    Returns
    -------
    pathlib.Path
        The file written.

    Raises
    ------
    ValueError
        For another file type, or a table too long for one Excel sheet.
    """
    path = Path(path)
    suffix = path.suffix.lower()
    check_choice(suffix, "导出文件的扩展名（file suffix）", [".csv", ".xlsx"])
    if not isinstance(df, pd.DataFrame):
        raise TypeError(f"要导出的应该是 pandas 数据表（DataFrame），收到的是 {type(df).__name__}。")
    out = to_chinese_columns(df, table) if (chinese_headers and table) else df
    if suffix == ".csv":
        out.to_csv(path, index=False, encoding="utf-8-sig", date_format="%Y-%m-%d %H:%M:%S")
    else:
        if len(out) + 1 > EXCEL_MAX_ROWS:
            raise ValueError(
                f"这张表有 {len(out):,} 行，超过了 Excel 一个工作表最多 {EXCEL_MAX_ROWS - 1:,} 行的限制；"
                "请先筛选，或导出为 .csv。"
            )
        out.to_excel(path, index=False, engine="openpyxl")
    return path
