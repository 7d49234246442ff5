"""Glossary shown to students and export of tables for Excel."""

from __future__ import annotations

import openpyxl
import pandas as pd
import pytest

import crm_helpers
from crm_helpers import glossary as glossary_module
from crm_helpers.glossary import export_table, glossary, to_chinese_columns


@pytest.fixture(scope="module")
def store():
    return crm_helpers.simulate_store(200, 30, seed=4)


def test_glossary_of_one_table():
    g = glossary("orders")
    assert list(g.columns) == ["列名", "中文名", "说明"]
    assert g.set_index("列名").loc["payment", "中文名"] == "实付款"
    assert list(glossary().columns) == ["表", "列名", "中文名", "说明"]
    assert store_glossary_is_same(g)


def store_glossary_is_same(g):
    return crm_helpers.load_store().glossary("orders").equals(g)


def test_unknown_table_is_refused():
    with pytest.raises(ValueError, match=r"参数 table（表名） 不能是 'order'.*'orders'"):
        glossary("order")


def test_store_chinese_view(store):
    paid = store.orders[store.orders["paid_at"].notna()]
    view = store.chinese("orders", paid)
    assert list(view.columns[:2]) == ["订单编号", "客户编号"] and len(view) == len(paid)
    assert store.chinese("customers").columns[1] == "会员名"
    with pytest.raises(ValueError, match=r"table（表名） 不能是 'order'"):
        store.chinese("order")


def test_chinese_columns_keep_unknown_ones(store):
    df = store.orders.head().assign(my_note="x")
    out = to_chinese_columns(df, "orders")
    assert {"订单编号", "实付款", "订单状态", "my_note"} <= set(out.columns)
    assert "order_id" in df.columns  # the input is not renamed in place


def test_csv_export_opens_in_excel_with_chinese(store, tmp_path):
    before = store.orders.copy()
    path = export_table(store.orders, tmp_path / "订单.csv", table="orders")
    raw = path.read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf"), "Excel needs the UTF-8 byte order mark"
    back = pd.read_csv(path, encoding="utf-8-sig")
    assert list(back.columns[:3]) == ["订单编号", "客户编号", "接待客服"]
    assert len(back) == len(store.orders)
    assert "交易成功" in set(back["订单状态"])
    first = back.loc[0, "下单时间"]
    assert len(first) == 19 and first[4] == "-" and first[13] == ":"
    pd.testing.assert_frame_equal(store.orders, before)


def test_xlsx_export(store, tmp_path):
    path = export_table(store.customers, tmp_path / "客户.xlsx", table="customers")
    sheet = openpyxl.load_workbook(path).active
    header = [c.value for c in next(sheet.iter_rows(max_row=1))]
    assert header[:3] == ["客户编号", "会员名", "姓名"]
    assert sheet.max_row == len(store.customers) + 1


def test_english_headers_on_request(store, tmp_path):
    path = export_table(store.products, tmp_path / "p.csv", table="products", chinese_headers=False)
    assert pd.read_csv(path, encoding="utf-8-sig").columns[0] == "product_id"


def test_export_whole_store(store, tmp_path):
    files = store.export(tmp_path / "导出", fmt="csv")
    assert len(files) == len(store.tables)
    assert all(f.exists() and f.stat().st_size > 0 for f in files)


def test_bad_suffix_and_too_many_rows(store, tmp_path, monkeypatch):
    with pytest.raises(ValueError, match=r"导出文件的扩展名.*不能是 '\.txt'.*'\.csv'"):
        export_table(store.orders, tmp_path / "x.txt")
    with pytest.raises(TypeError, match=r"要导出的应该是 pandas 数据表（DataFrame），收到的是 list"):
        export_table([1, 2], tmp_path / "x.csv")
    monkeypatch.setattr(glossary_module, "EXCEL_MAX_ROWS", 10)
    with pytest.raises(ValueError, match=r"超过了 Excel 一个工作表最多 9 行的限制"):
        export_table(store.orders, tmp_path / "x.xlsx", table="orders")
    assert not (tmp_path / "x.xlsx").exists()


def test_glossary_lists_columns_in_the_tables_order(store):
    """The glossary reads like the table (and empty tables built from it have the real order)."""
    for name, df in store.tables.items():
        assert list(glossary(name)["列名"]) == list(df.columns), name
