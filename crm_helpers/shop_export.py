"""网店自己的数据：读取千牛“已卖出的宝贝”订单导出 (reading a real 千牛 order export into the course's tables).

Teachers of 职业院校 often run a real 实训 shop.  In 千牛 they download its orders (usually
交易 → 已卖出的宝贝 → 批量导出, the 订单报表) as a CSV file (GBK, sometimes UTF-8 with a BOM) or
an .xlsx workbook.  :func:`read_order_export` reads such a file into a :class:`~crm_helpers.Store`
whose ``orders``, ``customers``, ``products``, ``order_items`` and ``refunds`` tables have the
course's column names and dtypes, so the KPIs of :mod:`crm_helpers.metrics`, the 催付 rules of
:mod:`crm_helpers.payment_reminders` and the later customer topics run on the shop's own data.

What is read, and how (the mapping is data: :data:`EXPORT_COLUMNS`, :data:`EXPORT_STATUSES`,
:data:`EXPORT_CLOSE_REASONS`; :func:`export_column_table` shows it in Chinese):

* ``orders``: 订单编号 → ``order_id``; 订单创建时间 → ``created_at``; 订单付款时间 → ``paid_at``
  (empty: never paid); 发货时间 → ``shipped_at``, 确认收货时间 → ``finished_at`` and 交易关闭时间 →
  ``closed_at`` only when the export has these columns (older exports have none of them: the
  times then stay empty, the reader never guesses them); 订单状态 → ``status`` (one of the five
  course statuses, :data:`EXPORT_STATUSES`); 订单关闭原因 → ``close_reason`` for closed orders
  (:data:`EXPORT_CLOSE_REASONS`); 买家实际支付金额 → ``payment``, except for an order that was
  never paid: there ``payment`` is what the buyer had to pay (总金额), like the simulated shop's
  ``payment`` column; 买家应付货款 (goods after the shop's discounts) → ``goods_amount``;
  ``discount`` stays empty (the order report does not list discounts); 订单备注 → ``remark``;
  ``agent_id`` stays empty (the export does not say which 客服 served the buyer).
* ``customers``: one row per 买家会员名 (``member_name``).  ``customer_id`` numbers the buyers
  1, 2, 3 … in the order of their first order (by 订单创建时间, then by row in the file), so the
  same export always gives the same numbers and a later export covering the same start gives
  the old buyers the same numbers.  ``region`` is the province at the start of 收货地址 of the
  buyer's latest order (empty when it does not start with a province).  Names, phone numbers,
  Alipay accounts and full addresses are personal data: they are not kept.
* ``products`` / ``order_items``: 宝贝标题 and 宝贝总数量, one row per order (the order report
  puts all goods of an order into one cell; an order with several kinds of goods keeps its
  combined title as one product).  ``product_id`` numbers the titles in order of first sale.
* ``refunds``: one row per order with 退款金额 > 0, read as a successful refund of that amount
  (``status`` 退款成功); type, reason, quantity and times are not in the order report.
* Every other table (chats, events, reminders …) is empty: the order report does not have them.

Bad input (a missing or unknown column, an unreadable time or amount, an unknown status, bytes
valid in no supported encoding, an empty file, a duplicated 订单编号 …) raises a ``ValueError``
or ``TypeError`` whose Chinese message names the column and the row as Excel shows it (the
header is row 1); nothing half-read is returned.

:func:`to_order_export` goes the other way (a shop's tables as a 千牛-style order report); the
tests and the benchmark use it, and :func:`example_order_export_path` is a small example export
shipped with the package (30 orders of an invented shop, written by
:func:`write_example_order_export`).

Examples
--------
>>> from crm_helpers.shop_export import example_order_export_path, read_order_export
>>> shop = read_order_export(example_order_export_path())
>>> len(shop.orders), shop.orders["status"].dtype.name
(30, 'category')
"""

from __future__ import annotations

import io
import os
import re
from collections.abc import Callable, Mapping
from importlib import resources
from pathlib import Path
from types import MappingProxyType
from typing import Any

import numpy as np
import pandas as pd

from ._data import read_data_table
from ._validation import check_choice, check_flag, check_text
from .store import TABLE_NAMES, Store
from .vocabulary import ORDER_CLOSE_REASONS, ORDER_STATUSES, REFUND_STATUSES

__all__ = [
    "EXPORT_CLOSE_REASONS",
    "EXPORT_COLUMNS",
    "EXPORT_COLUMN_ALIASES",
    "EXPORT_STATUSES",
    "IGNORED_EXPORT_COLUMNS",
    "REQUIRED_EXPORT_COLUMNS",
    "example_order_export_path",
    "export_column_table",
    "read_order_export",
    "to_order_export",
    "write_example_order_export",
]

#: The headers of a 千牛 订单报表 the reader uses → (course table.column, how it is read).
EXPORT_COLUMNS = MappingProxyType(
    {
        "订单编号": ("orders.order_id", '整数；去掉 Excel 保护用的制表符、="…" 和单引号'),
        "买家会员名": ("customers.member_name", "每个会员名是一位客户，customer_id 按第一次下单的先后编号"),
        "订单状态": ("orders.status", "按 EXPORT_STATUSES 对应到课程的五种订单状态"),
        "订单创建时间": ("orders.created_at", "时间，例如 2025-03-01 10:23:45"),
        "订单付款时间": ("orders.paid_at", "时间；空着表示没有付款"),
        "买家实际支付金额": (
            "orders.payment",
            "金额（元），可以带 ¥ 和千分位逗号；没付款的订单用总金额（应付）",
        ),
        "总金额": ("orders.payment", "没付款的订单要付的金额（买家应付货款 + 邮费）"),
        "买家应付货款": ("orders.goods_amount", "商品金额（已减去店铺优惠，不含邮费）"),
        "发货时间": ("orders.shipped_at", "时间；没有这一列时发货时间留空"),
        "确认收货时间": ("orders.finished_at", "时间；没有这一列时成交时间留空"),
        "交易关闭时间": ("orders.closed_at", "时间；没有这一列时关闭时间留空"),
        "订单关闭原因": ("orders.close_reason", "只用于交易关闭的订单，按 EXPORT_CLOSE_REASONS 对应"),
        "订单备注": ("orders.remark", "卖家备注的文字"),
        "宝贝标题": ("products.name", "一笔订单的宝贝标题（多种宝贝时是合在一起的标题）"),
        "宝贝总数量": ("order_items.quantity", "整数"),
        "退款金额": ("refunds.amount", "大于 0 时记一条“退款成功”的售后"),
        "收货地址": ("customers.region", "只取开头的省份（最近一笔订单的）；详细地址不保留"),
        "店铺名称": ("Store.shop_name", "店铺名"),
    }
)

#: The columns a file must have: without them no KPI can be computed.
REQUIRED_EXPORT_COLUMNS = (
    "订单编号",
    "买家会员名",
    "订单状态",
    "订单创建时间",
    "订单付款时间",
    "买家实际支付金额",
)

#: Other names some export versions use for the same column → the name in :data:`EXPORT_COLUMNS`.
EXPORT_COLUMN_ALIASES = MappingProxyType(
    {
        "订单号": "订单编号",
        "主订单编号": "订单编号",
        "买家昵称": "买家会员名",
        "买家会员名称": "买家会员名",
        "创建时间": "订单创建时间",
        "下单时间": "订单创建时间",
        "付款时间": "订单付款时间",
        "实付金额": "买家实际支付金额",
        "卖家备注": "订单备注",
        "商家备注": "订单备注",
        "卖家发货时间": "发货时间",
        "交易成功时间": "确认收货时间",
        "收货人地址": "收货地址",
    }
)

#: Headers of 千牛 order reports the course does not use (they are recognised and left out;
#: contact details are personal data and are never kept).
IGNORED_EXPORT_COLUMNS = (
    "买家支付宝账号",
    "买家应付邮费",
    "买家支付积分",
    "返点积分",
    "买家实际支付积分",
    "买家留言",
    "收货人姓名",
    "运送方式",
    "联系电话",
    "联系手机",
    "宝贝种类",
    "物流单号",
    "物流公司",
    "店铺Id",
    "卖家服务费",
    "买家服务费",
    "发票抬头",
    "是否手机订单",
    "分阶段订单信息",
    "特权订金订单id",
    "是否上传合同照片",
    "是否上传小票",
    "是否代付",
    "定金排名",
    "修改后的sku",
    "修改后的收货地址",
    "异常信息",
    "天猫卡券抵扣",
    "集分宝抵扣",
    "是否是O2O交易",
    "预约门店",
    "打款商家金额",
    "订单类型",
    "支付单号",
    "支付详情",
    "商家编码",
)

#: 订单状态 texts of 千牛 exports → the course's five statuses (:data:`ORDER_STATUSES`).
#: 卖家部分发货 (some goods on the way) and 买家已签收 (signed, not yet confirmed) count as 卖家已发货.
EXPORT_STATUSES = MappingProxyType(
    {
        "等待买家付款": "等待买家付款",
        "买家已付款": "买家已付款",
        "等待卖家发货": "买家已付款",
        "买家已付款，等待卖家发货": "买家已付款",
        "卖家已发货": "卖家已发货",
        "卖家部分发货": "卖家已发货",
        "等待买家确认收货": "卖家已发货",
        "卖家已发货，等待买家确认": "卖家已发货",
        "买家已签收": "卖家已发货",
        "交易成功": "交易成功",
        "交易关闭": "交易关闭",
        "交易自动关闭": "交易关闭",
        "付款以前，卖家或买家主动关闭交易": "交易关闭",
        "付款以后用户退款成功，交易自动关闭": "交易关闭",
    }
)

#: 订单关闭原因 texts → the course's close reasons (:data:`ORDER_CLOSE_REASONS`); ``None``: a
#: reason the course has no label for (the order's ``close_reason`` stays empty).
EXPORT_CLOSE_REASONS = MappingProxyType(
    {
        "买家取消订单": "买家取消订单",
        "买家取消": "买家取消订单",
        "买家不想买了": "买家取消订单",
        "我不想买了": "买家取消订单",
        "拍错了": "买家取消订单",
        "信息填写错误，重新拍": "买家取消订单",
        "超时未付款自动关闭": "超时未付款自动关闭",
        "超时关闭": "超时未付款自动关闭",
        "未及时付款": "超时未付款自动关闭",
        "付款超时": "超时未付款自动关闭",
        "订单超时未付款，系统自动关闭": "超时未付款自动关闭",
        "全额退款": "全额退款",
        "退款": "全额退款",
        "退款成功": "全额退款",
        "订单未关闭": None,
        "卖家缺货": None,
        "同城见面交易": None,
        "其他原因": None,
    }
)

#: Cell texts that mean "empty".
_GUARD_STARTS = frozenset("='")
_MISSING_TEXTS = frozenset({"", "null", "NULL", "Null", "None", "none", "NaN", "nan", "--"})

#: Status texts of the course as :func:`to_order_export` writes them (the long 千牛 forms).
_STATUS_TEXTS = {
    "等待买家付款": "等待买家付款",
    "买家已付款": "买家已付款，等待卖家发货",
    "卖家已发货": "卖家已发货，等待买家确认",
    "交易成功": "交易成功",
    "交易关闭": "交易关闭",
}
_PAID_STATUSES = ("买家已付款", "卖家已发货", "交易成功")
_EXAMPLE_FILE = "example_order_export.csv"
_TIME_FORMAT = "%Y-%m-%d %H:%M:%S"
#: A line of UTF-8 text inside a file read with ``surrogateescape``: a character from U+0800 on
#: (Chinese is U+4E00…) and no undecodable byte (U+DC80…U+DCFF) on the same line.
_UTF8_LINE = re.compile(
    "(?m)^[^\n\udc80-\udcff\u0800-\ud7ff\ue000-\uffff]*+[\u0800-\ud7ff\ue000-\uffff][^\n\udc80-\udcff]*+$"
)
_MONEY_DECORATION = re.compile(r"[¥￥,，\s元]")
_INT64_MAX = str(np.iinfo(np.int64).max)
_ZONED_TIME = re.compile(r"\d:\d{2}(:\d{2}(\.\d+)?)?\s*(Z|[+-]\d{2}:?\d{2})$")
_DATE_LIKE = re.compile(r"\d{4}[-/.年]\d{1,2}[-/.月]\d{1,2}日?(\s+\d{1,2}[:：]\d{1,2}([:：]\d{1,2})?)?")


# ---- reading the bytes -------------------------------------------------------------------


def _read_source(source: Any) -> bytes:
    """The file's bytes, read once."""
    if isinstance(source, (str, os.PathLike)):
        path = Path(source)
        if not path.is_file():
            raise ValueError(f"找不到文件 {str(path)!r}（file not found）；请检查文件名和所在的文件夹。")
        return path.read_bytes()
    if isinstance(source, (bytes, bytearray)):
        return bytes(source)
    if hasattr(source, "read"):
        data = source.read()
        if isinstance(data, str):
            data = data.encode("utf-8")
        if not isinstance(data, (bytes, bytearray)):
            raise TypeError(f"从 path_or_buffer 读到的不是文字或字节，而是 {type(data).__name__}。")
        return bytes(data)
    raise TypeError(
        "参数 path_or_buffer 应该是文件路径（str 或 Path）、字节（bytes）或打开的文件，"
        f"收到的是 {source!r}（{type(source).__name__}）。"
    )


def _line_of(data: bytes, position: int) -> int:
    return data.count(b"\n", 0, position) + 1


def _decode(data: bytes, encoding: str | None) -> str:
    """Text of a CSV file: UTF-8 (BOM or not) or GB18030/GBK, detected when ``encoding`` is None."""
    if encoding is not None:
        encoding = check_text(encoding, "encoding（文件编码）")
        try:
            return data.decode(encoding)
        except LookupError as exc:
            raise ValueError(
                f"不认识的编码 encoding={encoding!r}；千牛导出常用 'gbk'（也写 'gb18030'）或 'utf-8-sig'。"
            ) from exc
        except UnicodeDecodeError as exc:
            raise ValueError(
                f"文件第 {_line_of(data, exc.start)} 行有按 {encoding} 编码读不了的字节（encoding error）；"
                "请去掉 encoding 参数让程序自动识别，或换成 'gbk' / 'utf-8-sig'。"
            ) from exc
    bom = data.startswith(b"\xef\xbb\xbf")
    if bom:
        data = data[3:]
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as utf8_error:
        first_bad = utf8_error.start
    # Not UTF-8: GB18030 (the superset of GBK) -- unless some lines are UTF-8 (a mixed file):
    # a line with a character beyond U+07FF and no undecodable byte is UTF-8 text.
    loose = data.decode("utf-8", "surrogateescape")
    utf8_line = _UTF8_LINE.search(loose)
    bad_line = _line_of(data, first_bad)
    if utf8_line is not None or bom:
        good = loose.count("\n", 0, utf8_line.start()) + 1 if utf8_line is not None else 1
        raise ValueError(
            f"文件混用了两种编码（mixed encodings）：第 {good} 行是 UTF-8，第 {bad_line} 行却不是。"
            "请在 Excel 或记事本里把它另存为同一种编码（千牛下载的原文件是 GBK），再读一次。"
        )
    try:
        return data.decode("gb18030")
    except UnicodeDecodeError as exc:
        raise ValueError(
            f"文件第 {_line_of(data, exc.start)} 行有既不是 UTF-8 也不是 GBK 的字节（encoding error），"
            "可能是几个文件拼在一起或者文件损坏了。只支持 GBK/GB18030 和 UTF-8（可以带 BOM）；"
            "请重新从千牛下载，或在 Excel 里另存为“CSV UTF-8”。"
        ) from exc


def _cell_text(value: Any) -> str:
    """One .xlsx cell as the text a CSV export would hold."""
    if value is None:
        return ""
    if isinstance(value, str):
        return value
    if hasattr(value, "strftime"):
        return value.strftime(_TIME_FORMAT) if hasattr(value, "hour") else value.strftime("%Y-%m-%d")
    if isinstance(value, float) and not isinstance(value, bool):
        # Whole numbers up to 15 digits are exact; longer ones have lost digits (shown as 1.2e+18).
        return str(int(value)) if value.is_integer() and abs(value) < 1e15 else repr(value)
    return str(value)


def _xlsx_rows(data: bytes, sheet_name: str | int) -> list[list[Any]]:
    """The cells of one worksheet, row by row (values as stored, formulas as their last result)."""
    import openpyxl

    try:
        book = openpyxl.load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except Exception as exc:  # openpyxl raises many kinds of errors for a broken file
        raise ValueError(
            f"无法打开这个 .xlsx 文件（{type(exc).__name__}）；请在 Excel 里打开后另存为 .xlsx 再试。"
        ) from exc
    try:
        names = book.sheetnames
        if isinstance(sheet_name, int):
            if not 0 <= sheet_name < len(names):
                raise ValueError(f"工作簿只有 {len(names)} 个工作表，sheet_name={sheet_name} 不存在。")
            sheet_name = names[sheet_name]
        check_choice(sheet_name, "sheet_name（工作表）", names)
        rows = [list(row) for row in book[sheet_name].iter_rows(values_only=True)]
    finally:
        book.close()
    while rows and all(_cell_text(v).strip() == "" for v in rows[-1]):
        rows.pop()
    if not rows:
        raise ValueError(
            f"工作表 {sheet_name!r} 是空的（empty sheet），连表头都没有。请用 sheet_name= 选择订单所在的工作表"
            f"（这个工作簿有：{'、'.join(names)}），或重新从千牛导出。"
        )
    return rows


def _xlsx_table(data: bytes, sheet_name: str | int) -> tuple[list[str], Callable[[list[int]], pd.DataFrame]]:
    rows = _xlsx_rows(data, sheet_name)
    header = [_cell_text(v) for v in rows[0]]
    while header and header[-1].strip() == "":
        header.pop()
    body = rows[1:]
    for number, row in enumerate(body, start=2):
        if any(_cell_text(v).strip() for v in row[len(header) :]):
            raise ValueError(
                f"工作表第 {number} 行在表头以外的格子里还有内容（表头只有 {len(header)} 列）；"
                "请给这些列写上列名，或者删掉多余的内容。"
            )

    def columns(positions: list[int]) -> pd.DataFrame:
        data = {
            i: np.array([_cell_text(r[i]) if i < len(r) else "" for r in body], dtype=object)
            for i in positions
        }
        return pd.DataFrame(data, index=pd.RangeIndex(len(body)))

    return header, columns


def _csv_table(text: str) -> tuple[list[str], Callable[[list[int]], pd.DataFrame]]:
    if not text.strip():
        raise ValueError("导出文件是空的（empty file），连表头都没有；请重新从千牛导出。")
    try:
        # No header row for pandas: the first line fixes the number of cells, so a row with
        # more cells is an error (with a header pandas would take the first column as index).
        table = pd.read_csv(
            io.StringIO(text),
            header=None,
            dtype=object,
            keep_default_na=False,
            na_filter=False,
            skip_blank_lines=False,
        )
    except pd.errors.ParserError as exc:
        found = re.search(r"line (\d+), saw (\d+)", str(exc))
        where = f"第 {found[1]} 行有 {found[2]} 个格子，比表头多" if found else str(exc)
        raise ValueError(
            f"导出文件的格式不对（CSV parser error）：{where}。请检查这一行有没有多余的逗号。"
        ) from exc
    header = [str(h) for h in table.iloc[0]]

    def columns(positions: list[int]) -> pd.DataFrame:
        body = table.iloc[1:, positions].fillna("").reset_index(drop=True)
        filled = (body != "").any(axis=1).to_numpy()
        last = len(filled) - int(np.argmax(filled[::-1])) if filled.any() else 0
        return body.iloc[:last]  # blank lines at the end of the file are no rows

    return header, columns


# ---- headers -----------------------------------------------------------------------------


def _header_targets(
    headers: list[str], columns: Mapping[str, str | None] | None, unknown_columns: str
) -> tuple[dict[int, str], list[int]]:
    """Which position of the file is which column of :data:`EXPORT_COLUMNS`; the unnamed ones."""
    headers = [str(h).strip().lstrip("\ufeff").strip() for h in headers]
    mapping = dict(columns or {})
    for own, standard in mapping.items():
        if own not in headers:
            raise ValueError(
                f"columns 里的列 {own!r} 不在文件的表头里（not in header）。文件的列：{'、'.join(headers)}。"
            )
        if standard is not None and standard not in EXPORT_COLUMNS:
            raise ValueError(
                f"columns 把列 {own!r} 对应到 {standard!r}，但只能对应到这些列名（或 None 表示不用这一列）："
                f"{'、'.join(EXPORT_COLUMNS)}。"
            )
    if {"标题", "购买数量"} <= set(headers) and "买家会员名" not in headers:
        raise ValueError(
            "这个文件像是“宝贝报表”（订单明细，每件宝贝一行），不是“订单报表”（每笔订单一行）。"
            "请在千牛导出时选择订单报表，再读一次。"
        )
    targets: dict[int, str] = {}
    unnamed: list[int] = []
    for position, header in enumerate(headers):
        if header == "":
            unnamed.append(position)  # some exports end every line with a comma
            continue
        if header in mapping:
            target = mapping[header]
        elif header in EXPORT_COLUMNS:
            target = header
        elif header in EXPORT_COLUMN_ALIASES:
            target = EXPORT_COLUMN_ALIASES[header]
        elif header in IGNORED_EXPORT_COLUMNS or unknown_columns == "ignore":
            target = None
        else:
            raise ValueError(
                f"导出文件里有不认识的列 {header!r}（unknown column，第 {position + 1} 列）。"
                f"如果它就是课程要用的某一列，请用 columns={{{header!r}: '订单编号'}} 这样告诉函数；"
                f"如果用不到，写 columns={{{header!r}: None}}，或者用 unknown_columns='ignore' 忽略所有不认识的列。"
                f"课程认识的列：{'、'.join(EXPORT_COLUMNS)}。"
            )
        if target is None:
            continue
        if target in targets.values():
            first = headers[next(p for p, t in targets.items() if t == target)]
            raise ValueError(
                f"列 {first!r} 和列 {header!r} 都表示“{target}”（duplicate column）；"
                f"请用 columns={{{header!r}: None}} 说明不用其中一列。"
            )
        targets[position] = target
    missing = [c for c in REQUIRED_EXPORT_COLUMNS if c not in targets.values()]
    if missing:
        raise ValueError(
            f"导出文件缺少必需的列 {'、'.join(missing)}（missing column）。"
            f"文件的列：{'、'.join(headers)}。必需的列：{'、'.join(REQUIRED_EXPORT_COLUMNS)}；"
            "如果你的文件用了别的列名，请用 columns={'你的列名': '订单编号'} 这样对应。"
        )
    return targets, unnamed


def _select(
    header: list[str],
    read_columns: Callable[[list[int]], pd.DataFrame],
    columns: Mapping[str, str | None] | None,
    unknown_columns: str,
) -> pd.DataFrame:
    """The used columns of the file, named as in :data:`EXPORT_COLUMNS`, cells as text."""
    targets, unnamed = _header_targets(header, columns, unknown_columns)
    table = read_columns(sorted([*targets, *unnamed]))
    for position in unnamed:
        filled = np.array([str(v).strip() != "" for v in table[position]], dtype=bool)
        if filled.any():
            raise ValueError(
                f"导出文件第 {position + 1} 列没有表头，却在第 {int(filled.argmax()) + 2} 行有内容；"
                "请给这一列写上列名，或者删掉这一列。"
            )
    return table[list(targets)].set_axis(list(targets.values()), axis=1)


# ---- cells -------------------------------------------------------------------------------


def _row_error(column: str, rows: np.ndarray, what: str, value: Any, allowed: str) -> ValueError:
    """A message naming the column, the first offending row as Excel counts it, the value."""
    row = int(rows[0]) + 2  # the header is row 1
    more = f"（另外还有 {len(rows) - 1} 行也是这样）" if len(rows) > 1 else ""
    return ValueError(f"第 {row} 行的“{column}”{what}：{value!r}{more}。{allowed}")


def _clean(values: pd.Series) -> tuple[np.ndarray, np.ndarray]:
    """Cell texts without spaces and Excel guards (a tab, ="…", a leading '), and the mask of
    empty cells ("", null …).  Plain list comprehensions: several times faster than ``.str``."""
    text = [str(v).strip() for v in values.to_numpy(dtype=object)]
    for i in [i for i, t in enumerate(text) if t[:1] in _GUARD_STARTS]:
        t = text[i]
        if t[:2] == '="' and t[-1:] == '"' and len(t) > 2:
            text[i] = t[2:-1].strip()
        elif t[:1] == "'":
            text[i] = t[1:].strip()
    cells = np.array(text, dtype=object)
    return cells, pd.Series(cells).isin(_MISSING_TEXTS).to_numpy()


def _required(column: str, missing: np.ndarray, what: str) -> None:
    if missing.any():
        rows = np.flatnonzero(missing)
        raise _row_error(column, rows, f"是空的（missing {what}）", "", f"每笔订单都必须有{what}。")


def _order_ids(values: pd.Series) -> np.ndarray:
    text, missing = _clean(values)
    _required("订单编号", missing, "订单编号")
    bad = np.array(
        [
            not (t.isascii() and t.isdigit() and (len(t) < 19 or (len(t) == 19 and t <= _INT64_MAX)))
            for t in text
        ],
        dtype=bool,
    )
    if bad.any():
        rows = np.flatnonzero(bad)
        value = text[rows[0]]
        if re.fullmatch(r"\d(\.\d+)?[eE]\+?\d+", value):
            raise _row_error(
                "订单编号",
                rows,
                "被 Excel 改成了科学计数法（scientific notation），后面的数字已经丢了",
                value,
                "请重新从千牛下载原文件直接读取，不要先用 Excel 打开再保存。",
            )
        raise _row_error("订单编号", rows, "不是订单编号（应该全是数字）", value, "订单编号只能由数字组成。")
    ids = np.fromiter((int(t) for t in text), dtype=np.int64, count=len(text))
    duplicated = pd.Series(ids).duplicated(keep=False).to_numpy()
    if duplicated.any():
        rows = np.flatnonzero(duplicated)
        same = rows[ids[rows] == ids[rows[0]]]
        raise ValueError(
            f"订单编号 {ids[rows[0]]} 出现了不止一次（duplicate）：第 {same[0] + 2} 行和第 {same[1] + 2} 行。"
            "订单报表里每笔订单只有一行；请检查是不是把两个导出文件拼在了一起。"
        )
    return ids


def _amounts(values: pd.Series, column: str, *, required: bool) -> np.ndarray:
    text, missing = _clean(values)
    if required:
        _required(column, missing, "金额")
    present = np.where(missing, None, text)
    numbers = pd.to_numeric(pd.Series(present, dtype=object), errors="coerce").to_numpy(
        dtype=float, copy=True
    )
    retry = np.flatnonzero(np.isnan(numbers) & ~missing)
    if len(retry):  # ¥1,299.00 and the like
        plain = [_MONEY_DECORATION.sub("", t) for t in text[retry]]
        numbers[retry] = pd.to_numeric(pd.Series(plain, dtype=object), errors="coerce").to_numpy(dtype=float)
    bad = np.isnan(numbers) & ~missing
    if bad.any():
        rows = np.flatnonzero(bad)
        raise _row_error(
            column, rows, "不是金额", text[rows[0]], "金额应该是数字，例如 129.00 或 ¥1,299.00。"
        )
    negative = numbers < 0
    if negative.any():
        rows = np.flatnonzero(negative)
        raise _row_error(column, rows, "是负数", text[rows[0]], "金额只能是 0 或正数。")
    return numbers


def _times(values: pd.Series, column: str) -> pd.Series:
    text, missing = _clean(values)
    # An ISO time without zone has 19 characters: only longer ones can carry one.
    zoned = np.flatnonzero([len(t) > 19 and _ZONED_TIME.search(t) is not None for t in text])
    if len(zoned):  # the course compares wall-clock times; a zone would need a decision
        raise _row_error(
            column,
            zoned,
            "带有时区",
            text[zoned[0]],
            "请用店铺当地时间、不带时区，例如 2025-03-01 10:23:45。",
        )
    present = pd.Series(np.where(missing, None, text), dtype=object)
    times = pd.to_datetime(present, format="ISO8601", errors="coerce")
    todo = np.flatnonzero(times.isna().to_numpy() & ~missing)
    if len(todo):
        # Files saved again by Excel hold 2025/3/1 10:23; read the date-like leftovers one by one.
        leftover = [t if _DATE_LIKE.fullmatch(t) else None for t in text[todo]]
        normal = [
            None if t is None else re.sub(r"[年月/.]", "-", t).replace("日", "").replace("：", ":")
            for t in leftover
        ]
        again = pd.to_datetime(pd.Series(normal, dtype=object), format="mixed", errors="coerce")
        bad = todo[again.isna().to_numpy()]
        if len(bad):
            raise _row_error(
                column, bad, "不是时间", text[bad[0]], "时间应该写成 2025-03-01 10:23:45 或 2025/3/1 10:23。"
            )
        times = times.astype("datetime64[ns]")
        times.iloc[todo] = again.astype("datetime64[ns]").to_numpy()
    return times.astype("datetime64[s]")


def _merged(
    base: Mapping[str, str | None], extra: Any, name: str, allowed: tuple[str, ...], *, allow_none: bool
) -> dict[str, str | None]:
    """``base`` with the teacher's ``extra`` texts added, each checked against ``allowed``."""
    if extra is None:
        return dict(base)
    if not isinstance(extra, Mapping):
        raise TypeError(
            f"参数 {name} 应该是字典（dict），例如 {{'旧写法': '新写法'}}；收到的是 {type(extra).__name__}。"
        )
    merged = dict(base)
    for text, label in extra.items():
        if not (allow_none and label is None):
            check_choice(label, f"{name}[{text!r}]", allowed)
        merged[str(text)] = label
    return merged


def _refuse_unknown(
    column: str, text: np.ndarray, unknown: np.ndarray, mapping: dict[str, str | None], parameter: str
) -> None:
    """Refuse texts of ``column`` missing from ``mapping``, saying how to add them."""
    if unknown.any():
        rows = np.flatnonzero(unknown)
        labels = (
            ORDER_STATUSES
            if parameter == "statuses"
            else (*ORDER_CLOSE_REASONS, "None（课程里没有对应的，留空）")
        )
        raise _row_error(
            column,
            rows,
            f"是不认识的写法（unknown {parameter}）",
            text[rows[0]],
            f"认识的写法：{'、'.join(mapping)}。如果你的千牛版本写法不同，请用 {parameter}={{'你的写法': "
            f"'{labels[0]}'}} 告诉函数它对应课程的哪一个（{'、'.join(labels)}）。",
        )


def _statuses(values: pd.Series, mapping: dict[str, str | None]) -> pd.Categorical:
    text, _ = _clean(values)
    mapped = np.array([mapping.get(t) for t in text], dtype=object)
    _refuse_unknown("订单状态", text, np.array([m is None for m in mapped], dtype=bool), mapping, "statuses")
    return pd.Categorical(mapped, categories=list(ORDER_STATUSES), ordered=True)


def _close_reasons(values: pd.Series, closed: np.ndarray, mapping: dict[str, str | None]) -> np.ndarray:
    text, missing = _clean(values)
    unknown = np.array([t not in mapping for t in text], dtype=bool) & ~missing
    _refuse_unknown("订单关闭原因", text, unknown, mapping, "close_reasons")
    return np.array([mapping.get(t) if c else None for t, c in zip(text, closed & ~missing)], dtype=object)


def _texts(values: pd.Series) -> pd.Series:
    text, missing = _clean(values)
    return pd.Series(pd.array(np.where(missing, None, text), dtype="str"))


def _whole_numbers(values: pd.Series, column: str) -> pd.arrays.IntegerArray:
    text, missing = _clean(values)
    present = pd.Series(np.where(missing, None, text), dtype=object)
    numbers = pd.to_numeric(present, errors="coerce").to_numpy(dtype=float)
    unreadable = np.isnan(numbers) & ~missing
    bad = unreadable | (np.nan_to_num(numbers) < 0) | (np.mod(np.nan_to_num(numbers), 1) != 0)
    if bad.any():
        rows = np.flatnonzero(bad)
        raise _row_error(column, rows, "不是件数", text[rows[0]], "件数应该是 0 或正整数。")
    out = pd.array(np.nan_to_num(numbers).astype(np.int64), dtype="Int64")
    out[missing] = pd.NA
    return out


def _check_time_order(earlier: pd.Series, later: pd.Series, first: str, second: str) -> None:
    wrong = (later < earlier).to_numpy(dtype=bool)
    if wrong.any():
        rows = np.flatnonzero(wrong)
        raise _row_error(
            second,
            rows,
            f"早于{first}（{earlier.iloc[rows[0]]:%Y-%m-%d %H:%M:%S}）",
            f"{later.iloc[rows[0]]:%Y-%m-%d %H:%M:%S}",
            "请检查这笔订单的时间是否被改动过。",
        )


def _check_payment_state(status: pd.Categorical, paid_at: pd.Series) -> None:
    codes = np.asarray(status.codes)
    has_paid = paid_at.notna().to_numpy()
    must_pay = np.isin(codes, [ORDER_STATUSES.index(s) for s in _PAID_STATUSES]) & ~has_paid
    if must_pay.any():
        rows = np.flatnonzero(must_pay)
        raise _row_error(
            "订单付款时间",
            rows,
            f"是空的，而订单状态是“{status[rows[0]]}”",
            "",
            "买家已付款、卖家已发货和交易成功的订单都应该有付款时间。",
        )
    unpaid_with_time = (codes == ORDER_STATUSES.index("等待买家付款")) & has_paid
    if unpaid_with_time.any():
        rows = np.flatnonzero(unpaid_with_time)
        raise _row_error(
            "订单付款时间",
            rows,
            "有时间，而订单状态是“等待买家付款”",
            f"{paid_at.iloc[rows[0]]:%Y-%m-%d %H:%M:%S}",
            "等待买家付款的订单不应该有付款时间。",
        )


# ---- building the tables -----------------------------------------------------------------


def _regions(addresses: pd.Series) -> pd.Categorical:
    """The province at the start of each address (empty when there is none)."""
    names = list(read_data_table("regions")["region"])
    known = set(names)
    text, missing = _clean(addresses)
    found = [
        None if gone else (t[:3] if t[:3] in known else t[:2] if t[:2] in known else None)
        for t, gone in zip(text, missing)
    ]
    return pd.Categorical(found, categories=names)


def _empty_table(table: str) -> pd.DataFrame:
    from .glossary import glossary

    return pd.DataFrame({column: pd.Series(dtype=object) for column in glossary(table)["列名"]})


def _assemble(work: pd.DataFrame, shop_name: str) -> Store:
    """The Store of the read orders (``work``: one row per order, the fields read)."""
    n = len(work)
    work = work.iloc[np.lexsort((np.arange(n), work["created_at"].to_numpy()))].reset_index(drop=True)
    codes, names = pd.factorize(work["member_name"])
    customer_id = codes.astype(np.int64) + 1
    nat = pd.Series(np.full(n, np.datetime64("NaT"), dtype="datetime64[s]"))
    orders = pd.DataFrame(
        {
            "order_id": work["order_id"],
            "customer_id": customer_id,
            "agent_id": pd.array([pd.NA] * n, dtype="Int64"),
            "created_at": work["created_at"],
            "paid_at": work["paid_at"],
            "shipped_at": work.get("shipped_at", nat),
            "finished_at": work.get("finished_at", nat),
            "closed_at": work.get("closed_at", nat),
            "status": work["status"],
            "close_reason": pd.Categorical(work["close_reason"], categories=list(ORDER_CLOSE_REASONS)),
            "goods_amount": work["goods_amount"],
            "discount": np.full(n, np.nan),
            "payment": work["payment"],
            "remark": work["remark"],
        }
    )
    customers = pd.DataFrame(
        {
            "customer_id": np.arange(1, len(names) + 1, dtype=np.int64),
            "member_name": pd.array(names, dtype="str"),
        }
    )
    if "region" in work:
        known = work["region"].notna().to_numpy()
        latest = work["region"][known].groupby(customer_id[known], observed=True).last()
        customers["region"] = pd.Categorical(
            customers["customer_id"].map(latest).astype(object), categories=work["region"].cat.categories
        )
    products, order_items = _goods(work)
    refunds = _refunds(work, orders, order_items)
    tables = {name: _empty_table(name) for name in TABLE_NAMES}
    tables.update(
        customers=customers, orders=orders, products=products, order_items=order_items, refunds=refunds
    )
    days = orders["created_at"].dt.normalize()
    return Store(**tables, shop_name=shop_name, start=days.min(), end=days.max() + pd.Timedelta(days=1))


def _goods(work: pd.DataFrame) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Products (one per 宝贝标题) and order_items (one row per order with a title)."""
    if "title" not in work:
        products = pd.DataFrame({"product_id": pd.Series(dtype=np.int64), "name": pd.Series(dtype="str")})
        items = pd.DataFrame(
            {
                "order_id": pd.Series(dtype=np.int64),
                "product_id": pd.Series(dtype=np.int64),
                "quantity": pd.Series(dtype="Int64"),
            }
        )
        return products, items
    sold = work["title"].notna().to_numpy()
    codes, names = pd.factorize(work["title"][sold])
    products = pd.DataFrame(
        {"product_id": np.arange(1, len(names) + 1, dtype=np.int64), "name": pd.array(names, dtype="str")}
    )
    quantity = (
        work["quantity"] if "quantity" in work else pd.Series(pd.array([pd.NA] * len(work), dtype="Int64"))
    )
    items = pd.DataFrame(
        {
            "order_id": work["order_id"].to_numpy()[sold],
            "product_id": codes.astype(np.int64) + 1,
            "quantity": quantity.array[sold],
        }
    )
    return products, items


def _refunds(work: pd.DataFrame, orders: pd.DataFrame, items: pd.DataFrame) -> pd.DataFrame:
    """One successful refund per order with 退款金额 > 0."""
    amount = work["refund_amount"].to_numpy() if "refund_amount" in work else np.zeros(len(work))
    refunded = np.nan_to_num(amount) > 0
    product = orders.loc[refunded, ["order_id"]].merge(
        items[["order_id", "product_id"]], on="order_id", how="left"
    )
    return pd.DataFrame(
        {
            "refund_id": np.arange(1, int(refunded.sum()) + 1, dtype=np.int64),
            "order_id": orders["order_id"].to_numpy()[refunded],
            "product_id": pd.array(product["product_id"], dtype="Int64"),
            "customer_id": orders["customer_id"].to_numpy()[refunded],
            "amount": amount[refunded],
            "status": pd.Categorical(["退款成功"] * int(refunded.sum()), categories=list(REFUND_STATUSES)),
        }
    )


def _shop_name(values: pd.Series | None, given: str | None) -> str:
    if given is not None:
        return check_text(given, "shop_name（店铺名）")
    if values is None:
        return "我的网店"
    text, missing = _clean(values)
    names = pd.unique(text[~missing])
    return str(names[0]) if len(names) == 1 else "我的网店"


# ---- public functions --------------------------------------------------------------------


def read_order_export(
    path_or_buffer: Any,
    *,
    encoding: str | None = None,
    columns: Mapping[str, str | None] | None = None,
    statuses: Mapping[str, str] | None = None,
    close_reasons: Mapping[str, str | None] | None = None,
    unknown_columns: str = "error",
    sheet_name: str | int = 0,
    shop_name: str | None = None,
) -> Store:
    """读取千牛“已卖出的宝贝”订单导出 (read a 千牛 order report into the course's tables).

    The file is read once; a CSV file's encoding (UTF-8 with or without BOM, or GBK/GB18030)
    is detected unless ``encoding`` is given; a file starting like a zip archive (or named
    ``.xlsx``) is read as an Excel workbook.  What each column becomes is described in the
    module documentation and in :func:`export_column_table`.

    Parameters
    ----------
    path_or_buffer : str, pathlib.Path, bytes or file object
        The exported file, e.g. ``"ExportOrderList2025.csv"``.
    encoding : str, optional
        The CSV file's encoding, e.g. ``"gbk"`` or ``"utf-8-sig"``; default: detected.
    columns : mapping of str to str or None, optional
        Your own header → the header of :data:`EXPORT_COLUMNS` it stands for, or ``None`` to
        leave a column out, e.g. ``{"买家昵称": "买家会员名", "备用": None}``.
    statuses : mapping of str to str, optional
        More 订单状态 texts → course statuses, added to :data:`EXPORT_STATUSES`.
    close_reasons : mapping of str to str or None, optional
        More 订单关闭原因 texts → course close reasons (or ``None``), added to
        :data:`EXPORT_CLOSE_REASONS`.
    unknown_columns : {"error", "ignore"}, default "error"
        What to do with a header that is neither used, nor a known unused 千牛 column, nor in
        ``columns``.
    sheet_name : str or int, default 0
        The worksheet of an .xlsx file (name or position).
    shop_name : str, optional
        The shop's name; default the file's 店铺名称, else ``"我的网店"``.

    Returns
    -------
    crm_helpers.Store
        ``orders``, ``customers``, ``products``, ``order_items`` and ``refunds`` from the file
        (orders sorted by 订单创建时间); every other table empty.  ``start`` is the first order's
        day, ``end`` the midnight after the last order's day, ``seed`` is ``None``.

    Raises
    ------
    TypeError
        If ``path_or_buffer`` is not a file, or a parameter has the wrong type.
    ValueError
        If the file is empty, not readable in a supported encoding, lacks a required column,
        has an unknown column, or a cell cannot be read (the message names the column and the
        row as Excel shows it).

    Examples
    --------
    >>> shop = read_order_export(example_order_export_path())
    >>> shop.orders[["order_id", "customer_id", "status", "payment"]].head(2)
                  order_id  customer_id status  payment
    0  4021593572658300144            1   交易成功    357.0
    1  4021593572786300528            1   交易成功    794.0
    """
    check_choice(unknown_columns, "unknown_columns", ("error", "ignore"))
    status_texts = _merged(EXPORT_STATUSES, statuses, "statuses", ORDER_STATUSES, allow_none=False)
    reason_texts = _merged(
        EXPORT_CLOSE_REASONS, close_reasons, "close_reasons", ORDER_CLOSE_REASONS, allow_none=True
    )
    if columns is not None and not isinstance(columns, Mapping):
        raise TypeError(
            f"参数 columns 应该是字典（dict），例如 {{'买家昵称': '买家会员名'}}；收到的是 {type(columns).__name__}。"
        )
    if isinstance(sheet_name, bool) or not isinstance(sheet_name, (str, int)):
        raise TypeError(f"参数 sheet_name 应该是工作表的名字或位置（0 是第一个），收到的是 {sheet_name!r}。")
    data = _read_source(path_or_buffer)
    if not data.strip(b" \t\r\n\xef\xbb\xbf"):
        raise ValueError("导出文件是空的（empty file），连表头都没有；请重新从千牛导出。")
    if data.startswith(b"PK\x03\x04"):
        header, read_columns = _xlsx_table(data, sheet_name)
    else:
        header, read_columns = _csv_table(_decode(data, encoding))
    table = _select(header, read_columns, columns, unknown_columns)
    if len(table) == 0:
        raise ValueError("导出文件只有表头，没有订单（no rows）；请检查导出时选择的时间范围。")
    return _assemble(
        _read_fields(table, status_texts, reason_texts), _shop_name(table.get("店铺名称"), shop_name)
    )


def _read_fields(
    table: pd.DataFrame, status_texts: dict[str, str | None], reason_texts: dict[str, str | None]
) -> pd.DataFrame:
    """Every used column of ``table`` read and checked: one row per order, course names."""
    n = len(table)
    work = pd.DataFrame({"order_id": _order_ids(table["订单编号"])})
    member, member_missing = _clean(table["买家会员名"])
    _required("买家会员名", member_missing, "买家会员名")
    work["member_name"] = member
    status = _statuses(table["订单状态"], status_texts)
    work["status"] = status
    created = _times(table["订单创建时间"], "订单创建时间")
    _required("订单创建时间", created.isna().to_numpy(), "下单时间")
    paid = _times(table["订单付款时间"], "订单付款时间")
    _check_payment_state(status, paid)
    _check_time_order(created, paid, "订单创建时间", "订单付款时间")
    work["created_at"], work["paid_at"] = created, paid
    for header, field, earlier, earlier_name in (
        ("发货时间", "shipped_at", paid, "订单付款时间"),
        ("确认收货时间", "finished_at", paid, "订单付款时间"),
        ("交易关闭时间", "closed_at", created, "订单创建时间"),
    ):
        if header in table:
            work[field] = _times(table[header], header)
            _check_time_order(earlier, work[field], earlier_name, header)
    payment = _amounts(table["买家实际支付金额"], "买家实际支付金额", required=True)
    if "总金额" in table:  # an order never paid: what the buyer had to pay
        due = _amounts(table["总金额"], "总金额", required=False)
        payment = np.where(paid.isna().to_numpy() & ~np.isnan(due), due, payment)
    work["payment"] = payment
    work["goods_amount"] = (
        _amounts(table["买家应付货款"], "买家应付货款", required=False) if "买家应付货款" in table else np.nan
    )
    closed = np.asarray(status.codes) == ORDER_STATUSES.index("交易关闭")
    work["close_reason"] = (
        _close_reasons(table["订单关闭原因"], closed, reason_texts) if "订单关闭原因" in table else None
    )
    work["remark"] = _texts(table["订单备注"]) if "订单备注" in table else pd.array([pd.NA] * n, dtype="str")
    if "宝贝标题" in table:
        work["title"] = _texts(table["宝贝标题"])
    if "宝贝总数量" in table:
        work["quantity"] = _whole_numbers(table["宝贝总数量"], "宝贝总数量")
    if "退款金额" in table:
        work["refund_amount"] = _amounts(table["退款金额"], "退款金额", required=False)
    if "收货地址" in table:
        work["region"] = _regions(table["收货地址"])
    return work


def export_column_table() -> pd.DataFrame:
    """导出列对照表 (which column of a 千牛 order report becomes which course column).

    Returns
    -------
    pandas.DataFrame
        One row per used header: ``导出列名``, ``课程的表.列`` (e.g. ``orders.order_id``),
        ``必需`` (是/否), ``怎样读``, ``也认这些列名`` (aliases of other export versions).

    Examples
    --------
    >>> table = export_column_table()
    >>> table.loc[table["导出列名"] == "订单编号", "课程的表.列"].item()
    'orders.order_id'
    """
    aliases: dict[str, list[str]] = {}
    for alias, header in EXPORT_COLUMN_ALIASES.items():
        aliases.setdefault(header, []).append(alias)
    rows = [
        {
            "导出列名": header,
            "课程的表.列": target,
            "必需": "是" if header in REQUIRED_EXPORT_COLUMNS else "否",
            "怎样读": how,
            "也认这些列名": "、".join(aliases.get(header, [])),
        }
        for header, (target, how) in EXPORT_COLUMNS.items()
    ]
    return pd.DataFrame(rows)


def _province(region: pd.Series) -> pd.Series:
    """Region names as an address starts (浙江 → 浙江省, 北京 → 北京市 …)."""
    full = {
        "北京": "北京市",
        "天津": "天津市",
        "上海": "上海市",
        "重庆": "重庆市",
        "内蒙古": "内蒙古自治区",
        "广西": "广西壮族自治区",
        "西藏": "西藏自治区",
        "宁夏": "宁夏回族自治区",
        "新疆": "新疆维吾尔自治区",
    }
    text = region.astype(object)
    return text.map(lambda r: full.get(r, f"{r}省") if isinstance(r, str) else "")


def to_order_export(store: Store, *, excel_guard: bool = True) -> pd.DataFrame:
    """写成千牛订单报表的样子 (a shop's orders as a 千牛 “已卖出的宝贝” order report).

    The reverse of :func:`read_order_export`, for trying the reader on a simulated shop (the
    tests and the benchmark do) and for the example file.  One row per order, newest first,
    with the headers of a real export; contact details are invented placeholders derived from
    the order number (the simulated shop has no addresses or phone numbers).

    Parameters
    ----------
    store : crm_helpers.Store
        The shop; its tables are not modified.
    excel_guard : bool, default True
        Write 订单编号 and 物流单号 as ``="…"``, as 千牛 does to keep Excel from turning long
        numbers into ``1.2E+18``.

    Returns
    -------
    pandas.DataFrame
        All cells as text, headers as in a real 订单报表 (订单编号, 买家会员名, … 发货时间).

    Raises
    ------
    TypeError
        If ``store`` is not a :class:`~crm_helpers.Store`.

    Examples
    --------
    >>> import crm_helpers
    >>> export = to_order_export(crm_helpers.simulate_store(50, 30, seed=1))
    >>> export.columns[:3].tolist()
    ['订单编号', '买家会员名', '买家支付宝账号']
    """
    if not isinstance(store, Store):
        raise TypeError(f"参数 store 应该是一家网店（crm_helpers.Store），收到的是 {type(store).__name__}。")
    guard = check_flag(excel_guard, "excel_guard")
    orders = store.orders.sort_values(["created_at", "order_id"], ascending=False, kind="stable")
    customers = store.customers.set_index("customer_id")
    items = store.order_items.merge(store.products[["product_id", "name"]], on="product_id", how="left")
    per_order = items.groupby("order_id", sort=False).agg(
        title=("name", "，".join),
        kinds=("product_id", "nunique"),
        quantity=("quantity", "sum"),
    )
    goods = per_order.reindex(orders["order_id"])
    refunds = store.refunds
    refunded = refunds.loc[refunds["status"] == "退款成功"].groupby("order_id")["amount"].sum()
    order_id = orders["order_id"].to_numpy()
    paid = orders["paid_at"].notna().to_numpy()
    payable = (orders["goods_amount"] - orders["discount"]).to_numpy()

    def money(values: np.ndarray) -> list[str]:
        return [f"{v:.2f}" for v in values]

    def times(values: pd.Series) -> pd.Series:
        return values.dt.strftime(_TIME_FORMAT).fillna("")

    def guarded(texts: pd.Series) -> pd.Series:
        return ('="' + texts + '"') if guard else texts

    ids = pd.Series(order_id.astype(str))
    member = orders["customer_id"].map(customers["member_name"]).astype(object).to_numpy()
    name = orders["customer_id"].map(customers["name"]).astype(object).to_numpy()
    region = _province(orders["customer_id"].map(customers["region"])).to_numpy()
    shipped = orders["shipped_at"].notna().to_numpy()
    tracking = pd.Series([f"YT{7_000_000_000 + i * 37 % 999_999_937}" for i in order_id])
    status = orders["status"].astype(object).map(_STATUS_TEXTS).to_numpy()
    export = pd.DataFrame(
        {
            "订单编号": guarded(ids).to_numpy(),
            "买家会员名": member,
            "买家支付宝账号": [f"1{3 + i % 6}{i % 10}****{i * 7919 % 10_000:04d}" for i in order_id],
            "买家应付货款": money(payable),
            "买家应付邮费": money(np.zeros(len(orders))),
            "总金额": money(payable),
            "买家实际支付金额": money(np.where(paid, orders["payment"].to_numpy(), 0.0)),
            "订单状态": status,
            "买家留言": "",
            "收货人姓名": name,
            "收货地址": [f"{r} 某某市 某某区 学府路{i % 300 + 1}号" for r, i in zip(region, order_id)],
            "联系手机": [f"1{3 + i % 6}{i % 10}****{i * 104_729 % 10_000:04d}" for i in order_id],
            "订单创建时间": times(orders["created_at"]).to_numpy(),
            "订单付款时间": times(orders["paid_at"]).to_numpy(),
            "宝贝标题": goods["title"].fillna("").to_numpy(),
            "宝贝种类": goods["kinds"].fillna(0).astype(int).astype(str).to_numpy(),
            "物流单号": np.where(shipped, guarded(tracking).to_numpy(), ""),
            "物流公司": np.where(shipped, np.where(order_id % 2 == 0, "圆通速递", "中通快递"), ""),
            "订单备注": orders["remark"].astype(object).fillna("").to_numpy(),
            "宝贝总数量": goods["quantity"].fillna(0).astype(int).astype(str).to_numpy(),
            "店铺名称": store.shop_name,
            "订单关闭原因": orders["close_reason"].astype(object).fillna("").to_numpy(),
            "退款金额": money(orders["order_id"].map(refunded).fillna(0.0).to_numpy()),
            "发货时间": times(orders["shipped_at"]).to_numpy(),
        }
    )
    return export


#: The simulated shop the example export is cut from (small, fast, every status present).
_EXAMPLE_SHOP = {"n_customers": 1500, "days": 120, "seed": 9}


def _example_export() -> pd.DataFrame:
    """The 30 orders of :func:`example_order_export_path`, cut from a small simulated shop.

    Picked by fixed rules so that every status, every close reason, refunds, remarks and repeat
    buyers appear: the latest orders of each open status, one closed order per reason, two
    refunded ones, two with a remark, all orders of three buyers with three orders each, then
    the latest 交易成功 orders up to 30.
    """
    from dataclasses import replace

    from .simulation import simulate_store

    shop = simulate_store(**_EXAMPLE_SHOP)
    orders = shop.orders.sort_values(["created_at", "order_id"], ascending=False, kind="stable")
    picked: list[int] = []

    def pick(rows: pd.DataFrame, k: int) -> None:
        fresh = rows.loc[~rows["order_id"].isin(picked), "order_id"]
        picked.extend(int(i) for i in fresh.head(k))

    for status, k in (("等待买家付款", 2), ("买家已付款", 2), ("卖家已发货", 4)):
        pick(orders[orders["status"] == status], k)
    for reason in ORDER_CLOSE_REASONS:
        pick(orders[orders["close_reason"] == reason], 1)
    refunded = shop.refunds.loc[shop.refunds["status"] == "退款成功", "order_id"]
    pick(orders[orders["order_id"].isin(refunded) & (orders["status"] == "交易成功")], 2)
    pick(orders[orders["remark"].notna()], 2)
    counts = orders["customer_id"].value_counts(sort=False).sort_index()
    for customer in counts[counts == 3].index[:3]:
        pick(orders[orders["customer_id"] == customer], 3)
    pick(orders[orders["status"] == "交易成功"], 30 - len(picked))
    small = replace(shop, orders=shop.orders[shop.orders["order_id"].isin(picked)])
    export = to_order_export(small)
    # Real order numbers have 19 digits; give the invented ones the same look.
    long_ids = export["订单编号"].str.slice(2, -1).astype("int64") * 1_000_003 + 4_021_593_472_610_000_000
    export["订单编号"] = '="' + long_ids.astype(str) + '"'
    return export


def write_example_order_export(path: str | Path) -> Path:
    """写出示例订单导出文件 (write the example export, GBK-encoded like a real 千牛 download).

    ``tools/make_example_export.py`` calls it to refresh ``crm_helpers/data/example_order_export.csv``.

    Parameters
    ----------
    path : str or pathlib.Path
        Where to write the CSV file.

    Returns
    -------
    pathlib.Path
        The file written.
    """
    path = Path(path)
    path.write_bytes(_example_export().to_csv(index=False, lineterminator="\r\n").encode("gbk"))
    return path


def example_order_export_path() -> Path:
    """示例订单导出文件的位置 (the path of the small example export shipped with the package).

    A GBK-encoded CSV like a real 千牛 download: 30 orders of an invented shop (names, goods
    and addresses are made up), written by :func:`to_order_export` from a small simulated shop.

    Returns
    -------
    pathlib.Path
        ``crm_helpers/data/example_order_export.csv``.

    Examples
    --------
    >>> example_order_export_path().name
    'example_order_export.csv'
    """
    return Path(str(resources.files("crm_helpers").joinpath("data", _EXAMPLE_FILE)))
