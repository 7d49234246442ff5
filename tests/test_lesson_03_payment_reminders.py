"""Lesson 03 (催付): every number its prose quotes is computed here from the lesson's shop.

The shop is ``simulate_store(25050, 365, seed=2025)`` and the story's moment 2025-11-12 10:00,
as in the lesson.  ``prose_values`` is the one place the quoted values are computed; each test
names the sentence that quotes them, so a change to the shop fails here with the sentence to
rewrite.  Where the prose states a direction (which strategy pays more, which reason is the
hardest), the direction itself is computed from the data and checked.
"""

from __future__ import annotations

import pandas as pd
import pytest
from helpers import assert_prose_says, lesson_markdown
from lesson_runner import assert_self_checks

import crm_helpers
from crm_helpers._format import format_money
from crm_helpers.payment_reminders import (
    compare_reminder_strategies,
    due_reminders,
    reminder_register,
    reminder_success_rate,
    reminder_window,
    reminder_windows,
    simulate_reminder_strategy,
)

SLUG = "03_payment_reminders"
NOW = pd.Timestamp("2025-11-12 10:00")
STRATEGIES = ["不催付", "立即", "按表4.1", "晚一天"]


def lesson_store() -> crm_helpers.Store:
    return crm_helpers.simulate_store(n_customers=25050, days=365, seed=2025)


def _percent(share: float, digits: int = 1) -> str:
    return f"{share:.{digits}%}"


def _day(moment: pd.Timestamp) -> str:
    return f"{moment.month} 月 {moment.day} 日"  # the prose writes "{first_day}拍的"


def _compare(higher: float, lower: float) -> str:
    """How the prose says that ``higher`` compares with ``lower`` (in percentage points)."""
    points = round((higher - lower) * 100, 1)
    if points > 0:
        return f"高 {points:g} 个百分点"
    if points < 0:
        return f"低 {-points:g} 个百分点"
    return "一样"


def unpaid_at_now(orders: pd.DataFrame, now: pd.Timestamp = NOW) -> pd.DataFrame:
    """The orders still waiting for payment at ``now``, as the lesson selects them."""
    still_open = (
        (orders["created_at"] <= now)
        & (orders["paid_at"].isna() | (orders["paid_at"] > now))
        & (orders["closed_at"].isna() | (orders["closed_at"] > now))
    )
    unpaid = orders[still_open].copy()
    unpaid["关闭时间"] = unpaid["created_at"] + pd.Timedelta(hours=72)
    unpaid["剩余小时"] = ((unpaid["关闭时间"] - now) / pd.Timedelta(hours=1)).round(1)
    return unpaid


def ordinary_mornings() -> pd.DatetimeIndex:
    """10:00 of every day of the year but the first and last days (the shop is warming up or
    ending there)."""
    return pd.date_range("2025-01-05 10:00", "2025-12-25 10:00", freq="D")


def unpaid_count_at(orders: pd.DataFrame, moment: pd.Timestamp) -> int:
    """How many orders were waiting for payment at ``moment``."""
    return len(unpaid_at_now(orders, moment))


def strategy_by_buyer(orders: pd.DataFrame) -> tuple[pd.DataFrame, pd.Series, pd.Series]:
    """最终付款率 per strategy and buyer kind, each kind's share who paid by themselves
    within 48 h without any reminder, and the 催付时距 shares of 按表4.1's reminders per kind."""
    rates = {}
    self_paid = delays = None
    for name in STRATEGIES:
        simulated, _ = simulate_reminder_strategy(orders, name, seed=1)
        rates[name] = simulated.groupby("两次以上购买")["是否付款"].mean()
        if name == "按表4.1":
            delays = simulated.groupby("两次以上购买")["催付时距"].value_counts(normalize=True)
        if name == "不催付":
            soon = simulated["付款时间"] - simulated["下单时间"] < pd.Timedelta(hours=48)
            self_paid = (simulated["是否付款"] & soon).groupby(simulated["两次以上购买"]).mean()
    return pd.DataFrame(rates).T, self_paid, delays


def prose_values(store) -> dict[str, object]:
    """Every value lesson 03's prose quotes, computed from ``store`` as the lesson computes it."""
    orders, reminders = store.orders, store.reminders
    timeout = orders[orders["close_reason"] == "超时未付款自动关闭"]
    paid = orders[orders["paid_at"].notna()]
    unpaid = unpaid_at_now(orders)
    first = unpaid.sort_values("剩余小时").iloc[0]
    windows = reminder_windows(unpaid, customers_orders=orders)
    can_now = (windows["最早催付时间"] <= NOW) & (NOW < windows["最晚催付时间"])
    passed = windows["最晚催付时间"] <= NOW
    rule = windows["催付规则"].astype(str)
    repeat = rule == "两次以上购买的买家"
    waiting = ~repeat & (windows["最早催付时间"] > NOW)
    due = due_reminders(orders, NOW, reminders=reminders)
    tools = due["建议催付工具"].value_counts()
    tools = tools[tools > 0]
    register = reminder_register(reminders, orders, store.customers)
    by_group = reminder_success_rate(register, by="reason_group")["催付成功率"]
    by_reason = reminder_success_rate(register, by="reason")["催付成功率"].sort_values(ascending=False)
    by_channel = reminder_success_rate(register, by="channel")
    by_delay = reminder_success_rate(register, by="delay")["催付成功率"]
    counts = reminders.groupby("reason", observed=True).size()
    groups = reminders.groupby("reason_group", observed=True).size()
    by_buyer, self_paid, delays = strategy_by_buyer(orders)
    general, repeat_kind = by_buyer[False], by_buyer[True]
    best_general = general.idxmax()
    best_repeat = repeat_kind.idxmax()
    return {
        "n_orders": f"{len(orders):,}",
        "n_timeout": f"{len(timeout):,}",
        "timeout_money": format_money(timeout["payment"].sum()),
        "timeout_share": _percent(timeout["payment"].sum() / paid["payment"].sum()),
        "first_day": _day(first["created_at"]),
        "first_close": f"{first['关闭时间']:%H:%M}",
        "first_hours": f"{first['剩余小时']:g}",
        "n_unpaid": len(unpaid),
        "median_unpaid": round(pd.Series([unpaid_count_at(orders, t) for t in ordinary_mornings()]).median()),
        "n_on_1111": int((unpaid["created_at"].dt.normalize() == pd.Timestamp("2025-11-11")).sum()),
        "n_can_now": int(can_now.sum()),
        "n_1522": int((can_now & (rule == "15点至22点前")).sum()),
        "n_night_wait": int(waiting.sum()),
        "night_wait_all_night": bool(
            rule[waiting].str.startswith("夜间").all()
            and (windows.loc[waiting, "最早催付时间"] == NOW.normalize() + pd.Timedelta(hours=12)).all()
        ),
        "n_passed": int((passed & ~repeat).sum()),
        "n_repeat_waiting_1111": int(
            (
                repeat
                & (windows["最早催付时间"] > NOW)
                & (unpaid["created_at"].dt.normalize() == pd.Timestamp("2025-11-11")).to_numpy()
            ).sum()
        ),
        "n_repeat": int(repeat.sum()),
        "n_repeat_now": int((can_now & repeat).sum()),
        "n_due": len(due),
        "n_due_noon": int((due["最晚催付时间"] <= NOW.normalize() + pd.Timedelta(hours=12)).sum()),
        "tool_counts": "、".join(f"{tool} {n} 笔" for tool, n in tools.items()),
        "n_never": int((due["已催付次数"] == 0).sum()),
        "subjective": int(groups["主观原因"]),
        "objective": int(groups["客观原因"]),
        "top_reason": counts.idxmax(),
        "n_reminders": f"{len(register):,}",
        "overall_rate": _percent(reminder_success_rate(register)),
        "objective_rate": _percent(by_group["客观原因"]),
        "subjective_rate": _percent(by_group["主观原因"]),
        "best_reasons": "、".join(f"「{r}」" for r in by_reason.index[:3]),
        "worst_reasons": "、".join(f"「{r}」" for r in by_reason.index[-2:][::-1]),
        "worst_rates": "、".join(_percent(v, 0) for v in by_reason.iloc[-2:][::-1]),
        "best_channel": by_channel["催付成功率"].idxmax(),
        "best_channel_count": f"{int(by_channel.loc[by_channel['催付成功率'].idxmax(), '催付订单数']):,}",
        "best_delay": by_delay.idxmax(),
        "best_delay_rate": _percent(by_delay.max(), 0),
        "worst_delay": by_delay.idxmin(),
        "worst_delay_rate": _percent(by_delay.min(), 0),
        "g41": _percent(general["按表4.1"]),
        "g0": _percent(general["不催付"]),
        "g_best": "按表4.1 最高" if best_general == "按表4.1" else f"最高的是「{best_general}」",
        "r41": _percent(repeat_kind["按表4.1"]),
        "r0": _percent(repeat_kind["不催付"]),
        "r_best": "按表4.1 最高" if best_repeat == "按表4.1" else f"最高的是「{best_repeat}」",
        "r_best_name": best_repeat,
        "n_general": int((~repeat).sum()),
        "r_vs_none": _compare(repeat_kind["按表4.1"], repeat_kind["不催付"]),
        "g_vs_none": _compare(general["按表4.1"], general["不催付"]),
        "self_repeat": _percent(self_paid[True]),
        "g41_best_delay_share": _percent(delays[(False, "10分钟-6小时")], 0),
        "r41_late_share": float(delays[(True, ">24小时")]),
        "self_general": _percent(self_paid[False]),
    }


@pytest.fixture(scope="module")
def shop():
    return lesson_store()


@pytest.fixture(scope="module")
def values(shop):
    return prose_values(shop)


def test_the_year_in_numbers(values):
    assert_prose_says(SLUG, "一年有 {n_orders} 笔订单", **values)
    assert_prose_says(
        SLUG, "全年因为超时未付款被关闭的订单有 {n_timeout} 笔、共 {timeout_money}，相当于已付款销售额的 {timeout_share}",
        **values,
    )  # fmt: skip


def test_orders_waiting_at_ten(values, shop):
    assert_prose_says(
        SLUG, '"等待买家付款"的订单有 {n_unpaid} 笔，平时上午 10 点一般只有 {median_unpaid} 笔左右', **values
    )
    assert_prose_says(SLUG, "{n_unpaid} 笔里有 {n_on_1111} 笔是双11 当天拍下的", **values)
    unpaid = unpaid_at_now(shop.orders)
    first = unpaid.sort_values("剩余小时").iloc[0]
    first_day = unpaid[unpaid["created_at"].dt.normalize() == first["created_at"].normalize()]
    assert len(first_day) >= 2 and (first_day["关闭时间"].dt.normalize() == NOW.normalize()).all()  # 今天陆续
    assert_prose_says(SLUG, "还有几笔是 {first_day}拍的，今天就陆续满 72 小时了", **values)
    assert_prose_says(
        SLUG, "排在最前面的一笔是 {first_day}拍下的，今天 {first_close} 就要关闭，只剩 {first_hours} 小时", **values
    )  # fmt: skip


def test_who_can_be_reminded_now(values):
    assert_prose_says(SLUG, "{n_unpaid} 笔未付款订单里，现在能催的只有 {n_can_now} 笔", **values)
    assert_prose_says(
        SLUG, '一般买家的订单只有 {n_general} 笔。"15点至22点前"的 {n_1522} 笔现在就能催', **values
    )
    assert values["n_general"] == values["n_1522"] + values["n_night_wait"] + values["n_passed"]
    assert values["night_wait_all_night"]  # the orders still to wait are night orders, due from 12:00 today
    assert_prose_says(SLUG, "{n_night_wait} 笔夜间订单，要等到今天 12 点以后", **values)
    assert_prose_says(SLUG, "另外 {n_passed} 笔一般买家的订单，时间段已经过去了", **values)
    assert_prose_says(
        SLUG, "其余 {n_repeat} 笔两次以上购买的买家，现在在时间段里的有 {n_repeat_now} 笔，"
        "其余的大多是双11 当天拍下、还没满 48 小时的",
        **values,
    )  # fmt: skip
    assert values["n_repeat"] > values["n_unpaid"] / 2  # "为什么大部分是老买家的订单"
    assert values["n_repeat_waiting_1111"] > (values["n_repeat"] - values["n_repeat_now"]) / 2  # "大多是"
    assert_prose_says(SLUG, "时间段已经过去、订单还没关闭的那 {n_passed} 笔", **values)


def test_the_to_do_list(values):
    assert values["n_due"] == values["n_can_now"]  # "正好是上一节'现在能催'的那些订单"
    assert_prose_says(SLUG, "这就是小明上午的**催付清单**，一共 {n_due} 笔", **values)
    assert_prose_says(SLUG, "排在最前面的 {n_due_noon} 笔，中午 12 点就过了催付时间", **values)
    assert_prose_says(SLUG, "建议这次用的工具：{tool_counts}；其中 {n_never} 笔一次都没催过", **values)


def test_reasons_and_success_rates(values, shop):
    assert values["subjective"] > values["objective"]  # "主观原因的催付次数比客观原因多"
    assert_prose_says(
        SLUG, "主观原因 {subjective} 次，客观原因 {objective} 次，其中「{top_reason}」最多", **values
    )
    assert_prose_says(SLUG, "全年催付 {n_reminders} 次，催付成功率 {overall_rate}", **values)
    assert_prose_says(
        SLUG, "客观原因的催付成功率（{objective_rate}）明显高于主观原因（{subjective_rate}）", **values
    )  # fmt: skip
    assert_prose_says(
        SLUG, "{best_reasons}的买家，催了就付的最多；{worst_reasons}最难挽回，只有 {worst_rates}", **values
    )
    assert_prose_says(SLUG, "{best_channel}的成功率最高，但全年只用了 {best_channel_count} 次", **values)
    register = reminder_register(shop.reminders, shop.orders, shop.customers)
    assert register["订单编号"].is_unique  # "这家店每笔订单只催了一次"
    by_group = reminder_success_rate(register, by="reason_group")["催付成功率"]
    assert by_group["客观原因"] - by_group["主观原因"] >= 0.05  # "明显高于"
    assert values["best_channel"] == "电话"  # the sentence goes on about 电话's cost


def test_when_to_remind(values):
    assert_prose_says(SLUG, "下单后 **{best_delay}** 催，成功率最高（{best_delay_rate}）", **values)
    assert_prose_says(SLUG, "**{worst_delay}** 才催，成功率最低（{worst_delay_rate}）", **values)
    assert_prose_says(SLUG, "催付时距：{worst_delay}", **values)
    assert values["worst_delay"] == ">24小时"  # "拖到 …… 才催 …… 买家已经忘了"; "拖得越久越难催回来"
    assert_prose_says(SLUG, "原因：{worst_reasons}", **values)


def test_strategy_comparison_is_read_from_the_data(values, shop):
    """Section 10 states each buyer kind's result with numbers and a direction computed here."""
    assert_prose_says(
        SLUG, "**一般买家**：按表4.1 的最终付款率是 {g41}，不催付是 {g0}，按表4.1 比不催付{g_vs_none}；四种策略里{g_best}",
        **values,
    )  # fmt: skip
    assert_prose_says(
        SLUG, "**两次以上购买的买家**：按表4.1 的最终付款率是 {r41}，不催付是 {r0}，按表4.1 比不催付{r_vs_none}；"
        "四种策略里{r_best}",
        **values,
    )  # fmt: skip
    # "两类买家都是按表4.1 催比不催好"; for repeat buyers another strategy gains more.
    assert values["g_vs_none"].startswith("高") and values["r_vs_none"].startswith("高")
    assert values["r_best_name"] != "按表4.1"
    assert_prose_says(SLUG, '所以按表4.1 对老买家的提升比"{r_best_name}"小', **values)
    assert_prose_says(SLUG, "正是第九节成功率最低的一段（{worst_delay_rate}）", **values)
    assert values["best_delay"] == "10分钟-6小时" and values["r41_late_share"] == 1.0  # 48 h → ">24小时"
    assert_prose_says(
        SLUG, "一般买家按表4.1 催，有 {g41_best_delay_share} 的催付落在下单后 **{best_delay}**，"
        "正是第九节成功率最高的时距",
        **values,
    )  # fmt: skip
    assert_prose_says(
        SLUG, "不催付时，两次以上购买的买家有 {self_repeat} 在 48 小时内自己付了款（一般买家是 {self_general}）",
        **values,
    )  # fmt: skip
    compare = compare_reminder_strategies(shop.orders, STRATEGIES, seed=1)
    assert (
        compare.loc["不催付", "最终付款率"] < compare.loc[["立即", "按表4.1", "晚一天"], "最终付款率"].min()
    )


def test_lesson_no_longer_explains_the_model_away():
    text = lesson_markdown(SLUG)
    assert "模拟店的付款规律是课程设定的" not in text
    assert "0～7 点" not in text  # the shop reminds nobody at night; the lesson does not claim it does


def test_night_rule_is_stated_consistently():
    """Every window is out of 22:00-08:00, as REMINDER_RULE_READING says, also in the answers."""
    text = lesson_markdown(SLUG)
    assert "次日 12:00 以后（到 18:00 为止）" in text  # 自测题 3: 23:10 → 次日 12:00-18:00
    earliest, latest = reminder_window("2025-11-11 23:10")
    assert (earliest, latest) == (pd.Timestamp("2025-11-12 12:00"), pd.Timestamp("2025-11-12 18:00"))
    earliest, _ = reminder_window("2025-11-11 21:59")
    assert earliest == pd.Timestamp("2025-11-12 08:00")  # "21:59 下的单 …… 要等到第二天 08:00"
    assert "21:59 下的单，10 分钟后已经是夜里，要等到第二天 08:00" in text
    earliest, latest = reminder_window("2025-11-11 10:30")
    assert (earliest, latest) == (pd.Timestamp("2025-11-11 10:40"), pd.Timestamp("2025-11-11 15:00"))
    assert "时间段是 10:40 到 15:00（不含）" in text
    earliest, _ = reminder_window("2025-11-11 23:30")
    assert (earliest - pd.Timestamp("2025-11-11 23:30")) / pd.Timedelta(hours=1) == 12.5
    assert "所以是 12.5 小时" in text


def test_the_courses_own_tables_are_labelled():
    text = lesson_markdown(SLUG)
    assert text.count("本课程设计的") >= 2  # 催付登记表 and 总结优化表 columns
    assert "第二课时" in text and "选学" in text


def test_self_check_cells_are_collapsed_and_the_reference_answers_pass_them():
    assert_self_checks(SLUG, 3, is_check=lambda source: "check_" in source and "import" in source)
