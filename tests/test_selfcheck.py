"""Self-checks used in the lessons' 练一练 (feedback only, never grading)."""

import pandas as pd

from crm_helpers.selfcheck import CheckResult, check_table, check_value


def test_right_wrong_and_unanswered_values(capsys):
    assert check_value(0.5, 0.5049, name="询单转化率")
    assert "✅「询单转化率」正确" in capsys.readouterr().out
    assert not check_value(0.6, 0.5, name="询单转化率", hint="只看售前咨询")
    assert "❌「询单转化率」还不对：你的结果是 0.6。提示：只看售前咨询" in capsys.readouterr().out
    assert not check_value(..., 1.0, name="客单价")
    assert "⏳ 还没有作答" in capsys.readouterr().out
    assert not check_value("12", 12.0, name="客单价")
    assert "应该是一个数字" in capsys.readouterr().out
    assert not check_value(True, 1.0) and not check_value(float("nan"), 1.0)


def test_tables(capsys):
    expected = pd.Series({1: 0.5, 2: 0.25}, name="x")
    assert check_table(expected.iloc[::-1].rename("y"), expected, name="KPI")
    assert not check_table(expected * 2, expected)
    assert not check_table(expected.to_frame(), expected)
    frame = pd.DataFrame({"a": [1, 2], "b": [3.0, 4.0]})
    assert check_table(frame[["b", "a"]], frame)
    assert not check_table(None, frame)
    out = capsys.readouterr().out
    assert out.count("✅") == 2 and "⏳" in out


def test_result_shows_nothing_in_a_notebook():
    result = CheckResult(True)
    assert result._ipython_display_() is None and bool(result) and repr(result) == "正确"


def test_check_exercise_computes_the_answer_out_of_sight(capsys):
    import pytest

    import crm_helpers
    from crm_helpers.selfcheck import EXERCISES, check_exercise
    from crm_helpers.workbench import Workbench

    store = crm_helpers.load_store()
    wb = Workbench(store, now="2025-11-04 09:00")
    october = wb.orders["created_at"].between("2025-10-01", "2025-11-01", inclusive="left")
    n_closed = int((october & (wb.orders["status"] == "交易关闭")).sum())
    assert check_exercise("02-十月关闭笔数", n_closed, wb)
    assert not check_exercise("02-十月关闭笔数", n_closed + 1, wb)
    assert "end 不包含在内" in capsys.readouterr().out
    assert not check_exercise("01-红包个数", ..., store.red_packets)
    assert "还没有作答" in capsys.readouterr().out
    assert check_exercise("01-红包个数", store.red_packets.groupby("agent_id").size(), store.red_packets)
    assert set(EXERCISES) >= {"01-超出金额", "01-仓储权限数", "02-交易成功笔数", "02-议价成交次数"}
    with pytest.raises(ValueError, match="没有练一练 '03-x'"):
        check_exercise("03-x", 1, wb)
