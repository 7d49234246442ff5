"""crm_helpers.display: readable tables and lesson 05's KPI board with and without widgets."""

from __future__ import annotations

import pandas as pd
import pytest
from helpers import assert_unchanged, snapshot

from crm_helpers import display, metrics


def _cells(styler) -> list[list[str]]:
    """The displayed text of every body cell of a Styler, row by row."""
    rows = styler._translate(styler.data.copy(), styler.data.copy())["body"]  # noqa: SLF001
    return [[c["display_value"] for c in row if c["type"] == "td"] for row in rows]


def test_readable_formats_by_column_name_without_changing_numbers():
    table = pd.DataFrame(
        {
            "客服": ["小美", "阿强"],
            "接待人数": [1234, 48],
            "询单转化率": [0.615, float("nan")],
            "客单价": [843.898, 1200.5],
            "首次响应时间（秒）": [27.68, 242.57],
            "与整体相比（百分点）": [3.25, -10.0],
        }
    )
    before = snapshot(table)
    shown = display.readable(table)
    assert _cells(shown) == [
        ["小美", "1,234", "61.5%", "843.90 元", "27.7", "+3.2"],
        ["阿强", "48", "—", "1,200.50 元", "242.6", "-10.0"],
    ]
    assert_unchanged(before, table)
    assert shown.data["询单转化率"].iloc[0] == 0.615


def test_readable_series_and_explicit_columns():
    series = pd.Series({"按买家": 0.615, "按笔数": 0.603}, name="询单转化率")
    assert _cells(display.readable(series)) == [["61.5%"], ["60.3%"]]
    table = pd.DataFrame({"付款": [0.25], "金额": [10.0]})
    assert _cells(display.readable(table, percent=["付款"], money=[], digits=0)) == [["25%", "10.00"]]


def test_readable_shows_yes_no_and_days_in_chinese():
    days = pd.to_datetime(["2025-05-20", "2025-05-21"])
    table = pd.DataFrame({"超限": [True, False], "下单时间": days + pd.Timedelta("9h")}, index=days)
    shown = display.readable(table.rename_axis("日期"))
    assert _cells(shown) == [["是", "2025-05-20 09:00:00"], ["否", "2025-05-21 09:00:00"]]
    rows = shown._translate(shown.data.copy(), shown.data.copy())["body"]  # noqa: SLF001
    assert [row[0]["display_value"] for row in rows] == ["2025-05-20", "2025-05-21"]
    assert shown.data["超限"].tolist() == [True, False]


def test_readable_errors():
    with pytest.raises(TypeError, match="DataFrame"):
        display.readable([1, 2])
    with pytest.raises(ValueError, match="表格里没有列 '比例'"):
        display.readable(pd.DataFrame({"a": [1]}), percent=["比例"])
    with pytest.raises(TypeError, match="不是数字"):
        display.readable(pd.DataFrame({"a": ["x"]}), money=["a"])
    with pytest.raises(ValueError, match="digits"):
        display.readable(pd.DataFrame({"a": [1]}), digits=-1)


def test_agent_kpi_summary_prints_the_agents_numbers(store, capsys):
    display.agent_kpi_summary(store.chats, store.orders, store.agents, "阿强", 28)
    board = metrics.kpi_board(store.chats, store.orders, agents=store.agents).set_index("客服")
    out = capsys.readouterr().out
    rate = board.loc["阿强", "询单转化率"]
    fast = board.loc["阿强", "3分钟响应率"]
    assert out.startswith(f"阿强 最近 28 天：询单转化率 {rate:.1%}，3分钟响应率 {fast:.1%}")


def test_agent_kpi_summary_errors(store):
    with pytest.raises(ValueError, match="nickname（客服昵称）"):
        display.agent_kpi_summary(store.chats, store.orders, store.agents, "王会计")
    with pytest.raises(ValueError, match="days"):
        display.agent_kpi_summary(store.chats, store.orders, store.agents, "小美", 0)


def test_kpi_explorer_controls_drive_the_board(store):
    box = display.kpi_explorer(store.chats, store.orders, store.agents, nickname="小美", days=91)
    agent_box, days_box, _ = box.children
    assert agent_box.description == "客服：" and days_box.description == "统计天数："
    assert (agent_box.value, days_box.value) == ("小美", 91)
    assert list(agent_box.options) == ["小美", "小陈", "小丽", "阿强", "晓雯"]
    with pytest.raises(ValueError, match="最多是 364"):
        display.kpi_explorer(store.chats, store.orders, store.agents, days=365)
    with pytest.raises(ValueError, match="nickname"):
        display.kpi_explorer(store.chats, store.orders, store.agents, nickname="大刘")


def test_percent_and_yuan():
    assert display.percent(0.6149) == "61.5%"
    assert display.percent(0.0354, digits=2) == "3.54%"
    assert display.yuan(843.898) == "843.9元"
    assert display.yuan(470485.33) == "47万元"
    with pytest.raises(TypeError, match="share（比例）"):
        display.percent("61%")
    with pytest.raises(TypeError, match="amount（金额）"):
        display.yuan(None)
    with pytest.raises(ValueError, match="digits"):
        display.percent(0.5, digits=-1)
