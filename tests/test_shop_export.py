"""Reading a shop's own 千牛 order export (crm_helpers.shop_export)."""

from __future__ import annotations

import io

import numpy as np
import openpyxl
import pandas as pd
import pytest
from helpers import assert_unchanged, snapshot

import crm_helpers
from crm_helpers import metrics
from crm_helpers import payment_reminders as pr
from crm_helpers.shop_export import (
    EXPORT_COLUMNS,
    EXPORT_STATUSES,
    REQUIRED_EXPORT_COLUMNS,
    example_order_export_path,
    export_column_table,
    read_order_export,
    to_order_export,
    write_example_order_export,
)
from crm_helpers.vocabulary import ORDER_STATUSES

HEADER = ["订单编号", "买家会员名", "买家实际支付金额", "订单状态", "订单创建时间", "订单付款时间"]


def csv_bytes(rows: list[list[str]], header: list[str] = HEADER, encoding: str = "gbk") -> bytes:
    """A small export: the header and rows joined by commas (cells must not hold commas)."""
    lines = [",".join(header)] + [",".join(row) for row in rows]
    return ("\r\n".join(lines) + "\r\n").encode(encoding)


GOOD_ROWS = [
    ["1001", "小鱼儿", "99.00", "交易成功", "2025-03-01 10:00:00", "2025-03-01 10:01:00"],
    ["1002", "阿木", "0.00", "等待买家付款", "2025-03-02 11:00:00", ""],
    ["1003", "小鱼儿", "59.00", "买家已付款，等待卖家发货", "2025-03-03 09:30:00", "2025-03-03 09:31:00"],
]


def with_cell(row_index: int, column: str, value: str, rows=GOOD_ROWS) -> list[list[str]]:
    rows = [list(r) for r in rows]
    rows[row_index][HEADER.index(column)] = value
    return rows


@pytest.fixture(scope="module")
def sim():
    """A small simulated shop with every status (its orders go through the export and back)."""
    return crm_helpers.simulate_store(1500, 120, seed=9)


@pytest.fixture(scope="module")
def sim_export(sim):
    return to_order_export(sim)


@pytest.fixture(scope="module")
def read_back(sim_export):
    return read_order_export(sim_export.to_csv(index=False).encode("gbk"))


@pytest.fixture(scope="module")
def example():
    return read_order_export(example_order_export_path())


# ---- what is read --------------------------------------------------------------------------


def test_example_export_has_the_course_shape(example, store):
    assert len(example.orders) == 30
    assert 20 <= len(example.orders) <= 40
    assert example_order_export_path().stat().st_size < 20_000
    assert example.shop_name == "乐童优选"
    # The same column names and dtypes as the simulated shop's orders.
    pd.testing.assert_series_equal(example.orders.dtypes, store.orders.dtypes)
    assert example.customers["customer_id"].dtype == store.customers["customer_id"].dtype
    assert example.customers["member_name"].dtype == store.customers["member_name"].dtype
    assert set(example.orders["status"]) == set(ORDER_STATUSES)
    assert example.orders["created_at"].is_monotonic_increasing
    assert example.orders["order_id"].min() > 10**18  # 19-digit order numbers survive
    assert example.start == pd.Timestamp("2025-01-05") and example.end == pd.Timestamp("2025-05-01")
    # Tables the order report does not have are empty.
    assert len(example.chats) == 0 and len(example.reminders) == 0 and len(example.agents) == 0
    assert list(example.chats.columns) == list(store.chats.columns)


def test_example_file_is_what_the_tool_writes(tmp_path):
    written = write_example_order_export(tmp_path / "x.csv")
    assert written.read_bytes() == example_order_export_path().read_bytes()
    with pytest.raises(UnicodeDecodeError):  # GBK like the real download, not UTF-8
        example_order_export_path().read_bytes().decode("utf-8")


def test_customers_numbered_by_first_order(example):
    orders, customers = example.orders, example.customers
    first = orders.drop_duplicates("customer_id")["customer_id"].tolist()
    assert first == list(range(1, len(customers) + 1))
    names = orders["customer_id"].map(customers.set_index("customer_id")["member_name"])
    raw = pd.read_csv(example_order_export_path(), encoding="gbk", dtype=str)
    by_id = dict(zip(raw["订单编号"].str.slice(2, -1).astype("int64"), raw["买家会员名"]))
    assert names.tolist() == orders["order_id"].map(by_id).tolist()
    # region: the province of the buyer's latest order; personal data is not kept
    assert customers.loc[customers["member_name"] == "田园小熊1557", "region"].item() == "广西"
    assert list(customers.columns) == ["customer_id", "member_name", "region"]


def test_round_trip_keeps_every_order(sim, read_back):
    original = sim.orders.set_index("order_id").sort_index()
    back = read_back.orders.set_index("order_id").sort_index()
    assert back.index.equals(original.index)
    for column in ("created_at", "paid_at", "shipped_at", "status"):
        pd.testing.assert_series_equal(back[column], original[column], check_names=False)
    closed = original["status"] == "交易关闭"
    pd.testing.assert_series_equal(back.loc[closed, "close_reason"], original.loc[closed, "close_reason"])
    np.testing.assert_allclose(back["payment"], original["payment"])
    np.testing.assert_allclose(back["goods_amount"], original["goods_amount"] - original["discount"])
    assert (
        back["finished_at"].isna().all() and back["closed_at"].isna().all()
    )  # not in the export: not invented
    assert back["discount"].isna().all() and back["agent_id"].isna().all()
    members = sim.customers.set_index("customer_id")["member_name"]
    back_members = read_back.customers.set_index("customer_id")["member_name"]
    assert back["customer_id"].map(back_members).tolist() == original["customer_id"].map(members).tolist()


def test_metrics_run_unchanged_and_agree(sim, read_back):
    for kpi in (metrics.customer_unit_price, metrics.order_unit_price, metrics.repurchase_rate):
        assert kpi(read_back.orders) == pytest.approx(kpi(sim.orders))
    pd.testing.assert_series_equal(
        metrics.customer_unit_price(read_back.orders, by="day"),
        metrics.customer_unit_price(sim.orders, by="day"),
    )
    # 退款率 by Taobao's rule (sub-orders with a successful refund ÷ paid sub-orders, 30 days)
    rate = metrics.refund_rate(
        read_back.order_items, read_back.refunds, orders=read_back.orders, method="taobao"
    )
    assert 0 < rate < 0.2
    # by quantity needs refunded quantities, which the order report does not have
    with pytest.raises(ValueError, match="缺少列 'quantity'"):
        metrics.refund_rate(read_back.order_items, read_back.refunds, orders=read_back.orders)


def test_refunds_are_the_export_refund_amounts(sim, read_back):
    done = sim.refunds[sim.refunds["status"] == "退款成功"].groupby("order_id")["amount"].sum()
    back = read_back.refunds.set_index("order_id")["amount"].sort_index()
    pd.testing.assert_series_equal(back, done.sort_index(), check_names=False)
    assert (read_back.refunds["status"] == "退款成功").all()
    assert read_back.refunds["product_id"].notna().all()


def test_payment_reminders_run_unchanged_and_agree(sim, read_back):
    flags = pr.repeat_buyer_flags(read_back.orders)
    flags_sim = pr.repeat_buyer_flags(sim.orders)
    by_id = dict(zip(sim.orders["order_id"], flags_sim))
    assert flags.tolist() == read_back.orders["order_id"].map(by_id).tolist()
    assert flags.any()
    unpaid = read_back.orders[read_back.orders["paid_at"].isna()]
    windows = pr.reminder_windows(unpaid, customers_orders=read_back.orders)
    unpaid_sim = sim.orders[sim.orders["paid_at"].isna()]
    expected = pr.reminder_windows(unpaid_sim, customers_orders=sim.orders)
    got = windows.set_index("订单编号").sort_index()
    pd.testing.assert_frame_equal(got, expected.set_index("订单编号").sort_index(), check_dtype=False)


def test_goods_tables(example):
    items, products = example.order_items, example.products
    assert len(items) == len(example.orders)
    assert items["quantity"].dtype == "Int64" and (items["quantity"] >= 1).all()
    assert products["product_id"].tolist() == list(range(1, len(products) + 1))
    combined = products["name"].str.contains("，")
    assert combined.any() and not combined.all()  # orders with several kinds keep a combined title


def test_every_supported_encoding_and_format_gives_the_same_shop(sim_export, tmp_path):
    small = sim_export.head(60)
    text = small.to_csv(index=False)
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append(list(small.columns))
    unguarded = small.assign(
        订单编号=small["订单编号"].str.slice(2, -1), 物流单号=small["物流单号"].str.strip('="')
    )
    for row in unguarded.itertuples(index=False):
        sheet.append(list(row))
    book.save(tmp_path / "orders.xlsx")
    (tmp_path / "orders.csv").write_bytes(text.encode("gbk"))
    sources = [
        text.encode("gbk"),
        text.encode("gb18030"),
        text.encode("utf-8"),
        text.encode("utf-8-sig"),
        io.BytesIO(text.encode("gbk")),
        tmp_path / "orders.csv",
        str(tmp_path / "orders.csv"),
        tmp_path / "orders.xlsx",
        (tmp_path / "orders.xlsx").read_bytes(),
    ]
    shops = [read_order_export(source) for source in sources]
    shops.append(read_order_export(text.encode("gbk"), encoding="gbk"))
    for shop in shops[1:]:
        for table in ("orders", "customers", "products", "order_items", "refunds"):
            pd.testing.assert_frame_equal(getattr(shop, table), getattr(shops[0], table))


def test_xlsx_with_real_cells_and_other_sheet(tmp_path):
    book = openpyxl.Workbook()
    book.active.title = "说明"
    sheet = book.create_sheet("订单")
    sheet.append(HEADER)
    sheet.append(["4021593572643300099", "小鱼儿", 99, "交易成功", pd.Timestamp("2025-03-01 10:00"), None])
    sheet.append([1002, "阿木", 0.0, "交易关闭", pd.Timestamp("2025-03-02 11:00"), None])
    sheet["F2"] = pd.Timestamp("2025-03-01 10:05").to_pydatetime()
    book.save(tmp_path / "own.xlsx")
    shop = read_order_export(tmp_path / "own.xlsx", sheet_name="订单")
    assert shop.orders["order_id"].tolist() == [4021593572643300099, 1002]
    assert shop.orders["paid_at"].iloc[0] == pd.Timestamp("2025-03-01 10:05")
    assert read_order_export(tmp_path / "own.xlsx", sheet_name=1).orders.equals(shop.orders)
    with pytest.raises(ValueError, match="sheet_name.*不能是 '订单表'.*'说明'"):
        read_order_export(tmp_path / "own.xlsx", sheet_name="订单表")
    with pytest.raises(ValueError, match="只有 2 个工作表，sheet_name=5 不存在"):
        read_order_export(tmp_path / "own.xlsx", sheet_name=5)
    with pytest.raises(ValueError, match="工作表 '说明' 是空的.*sheet_name=.*说明、订单"):
        read_order_export(tmp_path / "own.xlsx")  # the first sheet is the wrong one
    sheet["H3"] = "备注写错了地方"
    book.save(tmp_path / "wide.xlsx")
    with pytest.raises(ValueError, match="第 3 行在表头以外的格子里还有内容（表头只有 6 列）"):
        read_order_export(tmp_path / "wide.xlsx", sheet_name="订单")
    sheet["H3"] = None
    sheet["A2"] = 4021593572643300099.0  # a number Excel stored as a float: digits lost
    book.save(tmp_path / "lost.xlsx")
    with pytest.raises(ValueError, match="第 2 行的“订单编号”被 Excel 改成了科学计数法"):
        read_order_export(tmp_path / "lost.xlsx", sheet_name="订单")


def test_excel_guards_money_signs_nulls_and_other_date_forms():
    header = [*HEADER, "总金额", "订单备注", "发货时间"]
    rows = [
        [
            '="1001"',
            " 小鱼儿 ",
            '"￥1,299.00"',
            "交易成功",
            "2025/3/1 10:00",
            "2025/3/1 10:01",
            "1299",
            "null",
            "",
        ],
        ["\t1002", "阿木", "0.00", "等待买家付款", "2025-03-02 11:00", "null", "59.00", "已催付", "NULL"],
        [
            "'1003",
            "小鱼儿",
            "59",
            "卖家已发货",
            "2025年3月3日 9:30",
            "2025-03-03 09:31:00",
            "59",
            "",
            "2025-03-04",
        ],
    ]
    shop = read_order_export(csv_bytes(rows, header))
    orders = shop.orders
    assert orders["order_id"].tolist() == [1001, 1002, 1003]
    assert orders["payment"].tolist() == [1299.0, 59.0, 59.0]  # the unpaid order: 总金额 (what is due)
    assert (
        orders["created_at"].tolist()
        == pd.to_datetime(["2025-03-01 10:00", "2025-03-02 11:00", "2025-03-03 09:30"]).tolist()
    )
    assert orders["paid_at"].isna().tolist() == [False, True, False]
    assert orders["shipped_at"].isna().tolist() == [True, True, False]
    assert orders["remark"].isna().tolist() == [True, False, True]
    assert shop.customers["member_name"].tolist() == ["小鱼儿", "阿木"]
    assert len(shop.products) == 0 and len(shop.refunds) == 0 and shop.shop_name == "我的网店"


def test_minimal_export_runs_the_kpis():
    shop = read_order_export(csv_bytes(GOOD_ROWS))
    assert metrics.customer_unit_price(shop.orders) == pytest.approx((99 + 59) / 1)
    assert metrics.repurchase_rate(shop.orders) == 1.0
    assert shop.orders["goods_amount"].isna().all()
    assert shop.orders["close_reason"].isna().all()
    assert len(shop.order_items) == 0


def test_own_headers_aliases_and_ignored_columns():
    header = ["订单号", "买家昵称", "实付", "状态", "下单时间", "付款时间", "我的备用列", "买家留言"]
    rows = [r + ["x", "请尽快发货"] for r in GOOD_ROWS]
    mapping = {"实付": "买家实际支付金额", "状态": "订单状态", "我的备用列": None}
    shop = read_order_export(csv_bytes(rows, header), columns=mapping)
    assert shop.orders["order_id"].tolist() == [1001, 1002, 1003]
    again = read_order_export(
        csv_bytes(rows, header),
        columns={"实付": "买家实际支付金额", "状态": "订单状态"},
        unknown_columns="ignore",
    )
    pd.testing.assert_frame_equal(again.orders, shop.orders)


def test_more_status_and_close_reason_texts():
    header = [*HEADER, "订单关闭原因"]
    rows = [
        ["1001", "小鱼儿", "0", "已关闭", "2025-03-01 10:00", "", "卖家缺货"],
        ["1002", "阿木", "0", "交易关闭", "2025-03-02 11:00", "", "拍多了"],
        ["1003", "阿木", "10", "交易成功", "2025-03-02 11:00", "2025-03-02 11:01", "订单未关闭"],
    ]
    shop = read_order_export(
        csv_bytes(rows, header), statuses={"已关闭": "交易关闭"}, close_reasons={"拍多了": "买家取消订单"}
    )
    assert shop.orders["status"].tolist() == ["交易关闭", "交易关闭", "交易成功"]
    assert shop.orders["close_reason"].isna().tolist() == [True, False, True]  # 卖家缺货: no course label
    assert shop.orders["close_reason"].iloc[1] == "买家取消订单"


def test_optional_times_are_read_when_present():
    header = [*HEADER, "确认收货时间", "交易关闭时间"]
    rows = [
        ["1001", "小鱼儿", "99", "交易成功", "2025-03-01 10:00", "2025-03-01 10:01", "2025-03-05 10:00", ""],
        ["1002", "阿木", "0", "交易关闭", "2025-03-02 11:00", "", "", "2025-03-05 11:00"],
    ]
    orders = read_order_export(csv_bytes(rows, header)).orders
    assert orders["finished_at"].tolist()[0] == pd.Timestamp("2025-03-05 10:00")
    assert orders["closed_at"].tolist()[1] == pd.Timestamp("2025-03-05 11:00")


def test_column_table_documents_the_mapping():
    table = export_column_table()
    assert table["导出列名"].tolist() == list(EXPORT_COLUMNS)
    assert set(table.loc[table["必需"] == "是", "导出列名"]) == set(REQUIRED_EXPORT_COLUMNS)
    assert table.set_index("导出列名").loc["买家会员名", "也认这些列名"] == "买家昵称、买家会员名称"
    assert set(EXPORT_STATUSES.values()) == set(ORDER_STATUSES)


def test_store_is_not_modified(sim):
    before = snapshot(*sim.tables.values())
    to_order_export(sim, excel_guard=False)
    assert_unchanged(before, *sim.tables.values())


# ---- bad input ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("rows", "message"),
    [
        (
            with_cell(1, "订单创建时间", "昨天下午"),
            r"第 3 行的“订单创建时间”不是时间：'昨天下午'.*2025-03-01 10:23:45",
        ),
        (with_cell(2, "订单创建时间", ""), r"第 4 行的“订单创建时间”是空的"),
        (
            with_cell(2, "订单付款时间", "2025-03-03T09:31:00+08:00"),
            r"第 4 行的“订单付款时间”带有时区：'2025-03-03T09:31:00\+08:00'.*不带时区",
        ),
        (
            with_cell(0, "订单付款时间", "2025-02-30 10:00"),
            r"第 2 行的“订单付款时间”不是时间：'2025-02-30 10:00'",
        ),
        (with_cell(2, "买家实际支付金额", "五十九"), r"第 4 行的“买家实际支付金额”不是金额：'五十九'"),
        (with_cell(0, "买家实际支付金额", "-5"), r"第 2 行的“买家实际支付金额”是负数：'-5'"),
        (with_cell(0, "买家实际支付金额", ""), r"第 2 行的“买家实际支付金额”是空的"),
        (
            with_cell(1, "订单状态", "退款中"),
            r"第 3 行的“订单状态”是不认识的写法.*'退款中'.*statuses=\{'你的写法': '等待买家付款'\}",
        ),
        (with_cell(1, "订单编号", ""), r"第 3 行的“订单编号”是空的"),
        (with_cell(1, "订单编号", "A1002"), r"第 3 行的“订单编号”不是订单编号.*'A1002'"),
        (with_cell(1, "订单编号", "4.02159E+18"), r"第 3 行的“订单编号”被 Excel 改成了科学计数法"),
        (with_cell(1, "订单编号", "99999999999999999999"), r"第 3 行的“订单编号”不是订单编号"),
        (with_cell(2, "订单编号", "1001"), r"订单编号 1001 出现了不止一次.*第 2 行和第 4 行"),
        (with_cell(1, "买家会员名", " "), r"第 3 行的“买家会员名”是空的"),
        (with_cell(0, "订单付款时间", ""), r"第 2 行的“订单付款时间”是空的，而订单状态是“交易成功”"),
        (
            with_cell(1, "订单付款时间", "2025-03-02 11:05"),
            r"第 3 行的“订单付款时间”有时间，而订单状态是“等待买家付款”",
        ),
        (with_cell(0, "订单付款时间", "2025-03-01 09:00"), r"第 2 行的“订单付款时间”早于订单创建时间"),
    ],
)
def test_bad_cells_name_the_column_and_the_excel_row(rows, message):
    with pytest.raises(ValueError, match=message):
        read_order_export(csv_bytes(rows))


def test_bad_optional_cells():
    header = [*HEADER, "宝贝总数量", "订单关闭原因", "发货时间"]
    base = [r + ["1", "", ""] for r in GOOD_ROWS]
    bad_quantity = [list(r) for r in base]
    bad_quantity[2][6] = "1.5"
    with pytest.raises(ValueError, match=r"第 4 行的“宝贝总数量”不是件数：'1.5'"):
        read_order_export(csv_bytes(bad_quantity, header))
    bad_reason = [list(r) for r in base]
    bad_reason[1][7] = "不知道"
    with pytest.raises(
        ValueError,
        match=r"第 3 行的“订单关闭原因”是不认识的写法.*'不知道'.*close_reasons=.*None（课程里没有对应的，留空）",
    ):
        read_order_export(csv_bytes(bad_reason, header))
    early_ship = [list(r) for r in base]
    early_ship[0][8] = "2025-03-01 10:00:30"
    with pytest.raises(ValueError, match=r"第 2 行的“发货时间”早于订单付款时间"):
        read_order_export(csv_bytes(early_ship, header))


def test_more_errors_are_counted():
    rows = with_cell(1, "订单状态", "退款中", with_cell(2, "订单状态", "退款中"))
    with pytest.raises(ValueError, match="另外还有 1 行也是这样"):
        read_order_export(csv_bytes(rows))


@pytest.mark.parametrize(
    ("header", "message"),
    [
        (HEADER[:-1], r"缺少必需的列 订单付款时间.*columns="),
        (["订单编号", "标题", "价格", "购买数量", "商品属性"], "像是“宝贝报表”.*选择订单报表"),
        (
            [*HEADER, "顾客心情"],
            r"不认识的列 '顾客心情'（unknown column，第 7 列）.*unknown_columns='ignore'",
        ),
        ([*HEADER, "订单号"], r"列 '订单编号' 和列 '订单号' 都表示“订单编号”"),
    ],
)
def test_bad_headers(header, message):
    rows = [r + [""] * (len(header) - len(r)) for r in GOOD_ROWS]
    rows = [r[: len(header)] for r in rows]
    with pytest.raises(ValueError, match=message):
        read_order_export(csv_bytes(rows, header))


def test_bad_column_mappings_and_parameters():
    data = csv_bytes(GOOD_ROWS)
    with pytest.raises(ValueError, match="columns 里的列 '买家昵称' 不在文件的表头里"):
        read_order_export(data, columns={"买家昵称": "买家会员名"})
    with pytest.raises(ValueError, match="对应到 '客户'，但只能对应到这些列名"):
        read_order_export(data, columns={"买家会员名": "客户"})
    with pytest.raises(TypeError, match="参数 columns 应该是字典"):
        read_order_export(data, columns=["订单编号"])
    with pytest.raises(ValueError, match=r"statuses\['退款中'\].*不能是 '退款'"):
        read_order_export(data, statuses={"退款中": "退款"})
    with pytest.raises(ValueError, match="close_reasons.*不能是 '缺货'"):
        read_order_export(data, close_reasons={"卖家缺货": "缺货"})
    with pytest.raises(ValueError, match="unknown_columns 不能是 'skip'"):
        read_order_export(data, unknown_columns="skip")
    with pytest.raises(TypeError, match="sheet_name 应该是工作表的名字或位置"):
        read_order_export(data, sheet_name=True)
    with pytest.raises(TypeError, match="path_or_buffer 应该是文件路径"):
        read_order_export(12345)
    with pytest.raises(ValueError, match="找不到文件 '没有这个文件.csv'"):
        read_order_export("没有这个文件.csv")
    with pytest.raises(ValueError, match="不认识的编码 encoding='gbkk'"):
        read_order_export(data, encoding="gbkk")
    with pytest.raises(TypeError, match="参数 store 应该是一家网店"):
        to_order_export(pd.DataFrame())


def test_empty_files():
    for data in (b"", b"  \r\n", b"\xef\xbb\xbf"):
        with pytest.raises(ValueError, match="导出文件是空的"):
            read_order_export(data)
    with pytest.raises(ValueError, match="只有表头，没有订单"):
        read_order_export(csv_bytes([]))
    book = openpyxl.Workbook()
    buffer = io.BytesIO()
    book.save(buffer)
    with pytest.raises(ValueError, match="工作表 'Sheet' 是空的"):
        read_order_export(buffer.getvalue())
    with pytest.raises(ValueError, match=r"无法打开这个 \.xlsx 文件"):
        read_order_export(b"PK\x03\x04 broken")


def test_mixed_and_invalid_encodings():
    gbk = csv_bytes(GOOD_ROWS)
    utf8 = csv_bytes(GOOD_ROWS, encoding="utf-8")
    header_utf8, rows_gbk = utf8.split(b"\r\n", 1)[0], gbk.split(b"\r\n", 1)[1]
    with pytest.raises(ValueError, match="混用了两种编码.*第 1 行是 UTF-8，第 2 行却不是"):
        read_order_export(header_utf8 + b"\r\n" + rows_gbk)
    lines = gbk.split(b"\r\n")
    lines[3] = utf8.split(b"\r\n")[3]
    with pytest.raises(ValueError, match="混用了两种编码.*第 4 行是 UTF-8，第 1 行却不是"):
        read_order_export(b"\r\n".join(lines))
    with pytest.raises(ValueError, match="混用了两种编码"):
        read_order_export(b"\xef\xbb\xbf" + gbk)
    broken = gbk.replace("阿木".encode("gbk"), b"\xff\xff")
    with pytest.raises(ValueError, match="第 3 行有既不是 UTF-8 也不是 GBK 的字节"):
        read_order_export(broken)
    with pytest.raises(ValueError, match="第 1 行有按 utf-8 编码读不了的字节"):
        read_order_export(gbk, encoding="utf-8")


def test_malformed_csv_rows():
    data = csv_bytes(GOOD_ROWS).replace(b"\xb0\xa2\xc4\xbe,", b"\xb0\xa2\xc4\xbe,,extra,")
    with pytest.raises(ValueError, match="第 3 行有 8 个格子，比表头多"):
        read_order_export(data)
    trailing = [r + [""] for r in GOOD_ROWS]
    shop = read_order_export(csv_bytes(trailing, [*HEADER, ""]))  # a comma at the end of every line
    assert len(shop.orders) == 3
    filled = [r + ["?"] for r in GOOD_ROWS]
    with pytest.raises(ValueError, match="第 7 列没有表头，却在第 2 行有内容"):
        read_order_export(csv_bytes(filled, [*HEADER, ""]))
    blank_inside = csv_bytes(GOOD_ROWS).replace(b"\r\n1002", b"\r\n,,,,,\r\n1002")
    with pytest.raises(ValueError, match="第 3 行的“订单编号”是空的"):
        read_order_export(blank_inside)
