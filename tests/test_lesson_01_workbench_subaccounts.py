"""Every number lesson 01 quotes from the shop, computed from the lesson's own data.

The lesson opens the workbench on 王小明's first day (``LESSON_NOW``) and investigates the
红包 case on the workbench's tables (the shop as it was that day).  A change to the shop that
changes a number fails here, naming the sentence to fix.
"""

from __future__ import annotations

import nbformat
import pandas as pd
import pytest
from helpers import LESSONS_DIR, assert_prose_says

import crm_helpers
from crm_helpers.red_packets import (
    daily_red_packet_totals,
    odd_hour_share,
    repeated_recipients,
    unauthorised_changes,
)
from crm_helpers.workbench import ROLES, Workbench

SLUG = "01_workbench_subaccounts"
LESSON = LESSONS_DIR / SLUG / f"{SLUG}.ipynb"
LESSON_NOW = "2025-11-03 09:00"
DIGITS = "零一二三四五六七八九"


@pytest.fixture(scope="module")
def case():
    """The lesson's data: the shop, its workbench on the lesson's day and the case's tables."""
    store = crm_helpers.load_store()
    wb = Workbench(store, now=LESSON_NOW)
    log = wb.audit_log
    daily = daily_red_packet_totals(wb.red_packets, store.agents, log, wb.shop_name)
    return {
        "store": store,
        "wb": wb,
        "log": log,
        "daily": daily,
        "over": daily[daily["超限"]],
        "change": unauthorised_changes(log, wb.shop_name).iloc[0],
    }


def _limit(store, nickname):
    agents = store.agents.set_index("nickname")
    return agents.loc[nickname, "daily_red_packet_limit"]


def test_the_limits_in_the_story(case):
    store = case["store"]
    normal = _limit(store, "小美")
    assert_prose_says(SLUG, "每人**一天最多发 {n:g} 元**", n=normal)
    assert_prose_says(
        SLUG,
        '小陈的"每日红包限额"却是 **{limit:g} 元**，是别人的 {times:g} 倍',
        limit=_limit(store, "小陈"),
        times=_limit(store, "小陈") / normal,
    )
    assert_prose_says(SLUG, "客服主管晓雯的限额是 {n:g} 元", n=_limit(store, "晓雯"))
    assert_prose_says(SLUG, "客服每天最多发 {n:g} 元红包", n=ROLES["客服"].red_packet_limit)


def test_the_unauthorised_change(case):
    change = case["change"]
    when = pd.Timestamp(change["logged_at"])
    assert change["operator"] == change["target"] == "乐童优选:小陈"
    assert_prose_says(
        SLUG,
        "**{t.year} 年 {t.month} 月 {t.day} 日凌晨 {t.hour} 点 {t.minute} 分**，小陈用她自己的子账号，"
        "把自己的每日红包限额从 {before} 元改成了 {after} 元",
        t=when,
        before=change["before"],
        after=change["after"],
    )
    assert when.hour < 6  # 凌晨


def test_the_over_limit_days(case):
    over = case["over"]
    assert set(over["agent_id"]) == {2}
    packets, total = int(over["次数"].sum()), float(over["金额"].sum())
    about = f"{packets // 1000 * 1000} 多"
    wan = round(total / 10_000)
    assert_prose_says(SLUG, "打赏了 **{about}次，共 {wan} 万元**", about=about, wan=wan)
    assert_prose_says(
        SLUG,
        "{days} 个超限的日子全是员工编号 2，也就是小陈：{days} 天里发了 {about}个红包，共约 {wan} 万元",
        days=len(over),
        about=about,
        wan=wan,
    )
    assert_prose_says(
        SLUG, "{days} 天里天天超过主账号授权的 100 元，共发出约 {wan} 万元", days=len(over), wan=wan
    )
    assert over["金额"].between(10_000, 99_999).all()  # "每天有几万元"
    first, last = over["日期"].min(), over["日期"].max()
    assert_prose_says(SLUG, "{a.month} 月 {a.day} 日到 {b.day} 日那几天，每天有几万元", a=first, b=last)
    assert first.month == last.month


def test_the_receiving_accounts(case):
    repeated = repeated_recipients(case["wb"].red_packets)
    counts = repeated["次数"]
    hundreds = sorted({int(n) // 100 for n in counts})
    share = round(100 * repeated["次数占比"].sum())
    assert_prose_says(
        SLUG,
        "只有 {n} 个账号，每个都从小陈那里收了{words}百个红包，加起来占了她全部红包的 {share}%",
        n=len(repeated),
        words="".join(DIGITS[h] for h in hundreds),
        share=share,
    )
    assert_prose_says(SLUG, "{share}% 的红包发给了同 {n} 个账号", share=share, n=len(repeated))


def test_the_night_share(case):
    night = odd_hour_share(case["wb"].red_packets)
    share = night.loc[2]
    assert 0.85 <= share < 0.9  # 近九成
    assert_prose_says(SLUG, "{p}% 的红包（近九成）在凌晨 0～6 点发出", p=round(100 * share))


def test_the_story_day_and_the_staff(case):
    store = case["store"]
    day = pd.Timestamp(LESSON_NOW)
    weekday = "一二三四五六日"[day.day_of_week]
    assert_prose_says(
        SLUG, "{d.year} 年 {d.month} 月 {d.day} 日（星期{w}）早上，实习生王小明", d=day, w=weekday
    )
    code = "\n".join(c.source for c in nbformat.read(LESSON, as_version=4).cells if c.cell_type == "code")
    assert f'now="{LESSON_NOW}"' in code  # the lesson opens the workbench on the story day
    service = store.agents[store.agents["role"] == "客服"]["nickname"].tolist()
    names = "、".join(service[:-1]) + "和" + service[-1]
    assert_prose_says(SLUG, "店里请了 {n} 位客服：{names}", n=len(service), names=names)
