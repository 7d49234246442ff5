"""催付 (payment reminders): which unpaid orders to remind, when, with which tool, and how well it worked.

The course follows seed 001 No.4: 挑选订单 (find the unpaid orders that will soon close), 分析原因
(客观原因: 操作不熟练, 忘记支付密码, 余额不足; 主观原因: 议价不成功, 有所担心, 货比三家, 忘记了),
催付工具 (千牛, 短信, 电话), 催付禁忌 (time: 表4.1 催付参照时间表; frequency), and two working
tables: the 催付登记表 (one row per reminder) and the 总结优化表 (success rate by reason, tool
and hour, to improve the next round).

* :data:`REMINDER_TIME_TABLE` -- 表4.1 as an explicit, configurable table (rows of
  :class:`ReminderTimeRule`); :func:`reminder_time_table` shows it with Chinese headers and
  :data:`REMINDER_RULE_READING` states how the course reads it.
* :func:`reminder_window` / :func:`reminder_windows` -- the time window ``[最早, 最晚)`` in
  which an order may be reminded; :func:`repeat_buyer_flags` marks 两次以上购买的买家.
* :func:`due_reminders` -- the to-do list at a moment ``now``: open unpaid orders inside
  their window and under the frequency limit, with the tool to use next.
* :func:`reminder_register` -- 催付登记表; :func:`reminder_success_rate` -- 催付成功率;
  :func:`reminder_summary` -- 总结优化表.
* :func:`reminder_response_probability` -- the response model the simulated shop uses (the
  planted pattern); :func:`simulate_reminder_strategy` and
  :func:`compare_reminder_strategies` try reminder strategies on a shop's orders.

Conventions: input tables keep their own (English) column names, given as keyword
parameters (``created_col="created_at"`` …), so a shop's own export works too.  Every table
returned is for reading, so its columns are Chinese (订单编号, 催付时间 …), like the other
display tables of the package (交接表, 红包预警).  Inputs are never modified.  Bad input raises
a ``TypeError`` / ``ValueError`` with a Chinese message.

Examples
--------
>>> import crm_helpers
>>> store = crm_helpers.load_store()
>>> register = reminder_register(store.reminders, store.orders, store.customers)
>>> len(register) == len(store.reminders)
True
>>> 0 < reminder_success_rate(register) < 1
True
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping, Sequence
from dataclasses import astuple, dataclass
from functools import lru_cache
from types import MappingProxyType
from typing import Any

import numpy as np
import pandas as pd

from ._data import read_data_table
from ._time import (
    DAY_NS,
    HOUR_NS,
    MINUTE_NS,
    NAT_NS,
    SECOND_NS,
    check_same_zone,
    from_wall_ns,
    moment_wall_ns,
    time_zone,
    wall_ns,
)
from ._validation import (
    check_bool_column,
    check_choice,
    check_clock,
    check_columns,
    check_dataframe,
    check_datetime,
    check_flag,
    check_int,
    check_no_missing,
    check_seed,
    check_timedelta,
    check_timestamp,
    check_unique,
    is_list_like,
)
from .patterns import (  # the response model lives with the other planted patterns
    DELAY_BUCKET_LIMITS as _DELAY_LIMITS,
)
from .patterns import (
    DELAY_BUCKETS,
    DELAY_FACTORS,
    MAX_PAY_PROBABILITY,
    NIGHT_FACTOR,
    PHONE_FACTOR,
    UNREMINDED_FACTOR,
    ReminderResponsePattern,
    reminder_response_probability,
)
from .vocabulary import CONTACT_CHANNELS

__all__ = [
    "DELAY_BUCKETS",
    "DELAY_FACTORS",
    "GENERAL_BUYER",
    "MAX_PAY_PROBABILITY",
    "NIGHT_FACTOR",
    "PHONE_FACTOR",
    "REMINDER_CHANNELS",
    "REMINDER_RULE_READING",
    "REMINDER_STRATEGIES",
    "REMINDER_TIME_TABLE",
    "REPEAT_BUYER",
    "UNREMINDED_FACTOR",
    "ReminderTimeRule",
    "compare_reminder_strategies",
    "due_reminders",
    "reminder_register",
    "reminder_response_probability",
    "reminder_success_rate",
    "reminder_summary",
    "reminder_time_table",
    "reminder_window",
    "reminder_windows",
    "repeat_buyer_flags",
    "simulate_reminder_strategy",
]

#: The three 催付工具, in the order they are used (千牛 first; never the same one twice).
REMINDER_CHANNELS = CONTACT_CHANNELS

#: 适用买家 of the rows of the time table.
GENERAL_BUYER = "一般买家"
REPEAT_BUYER = "两次以上购买的买家"


REMINDER_RULE_READING = """\
**本课程对表4.1《催付参照时间表》的读法**（原表有重叠、有空档，这里把它写成一张不重叠、没有空档的表）

| 下单时间 | 可以催付的时间段 |
|---|---|
| 08:00 至 11:00 前（上午11点前） | 下单 10 分钟后 至 当日 15:00 前 |
| 11:00 至 15:00 前（下午15点前） | 下单 10 分钟后 至 当日发货前（发货截止时间，默认 17:00） |
| 15:00 至 22:00 前（晚上22点前） | 下单 10 分钟后 至 次日 12:00 前（中午，下午上班前），夜里不催 |
| 22:00 至 24:00（夜间） | 次日 12:00 至 次日 18:00 前 |
| 00:00 至 08:00 前（夜间，原表的"00:00以后"） | 当日 12:00 至 当日 18:00 前 |
| 两次以上购买的买家（任何时间下单） | 下单 48 小时后 至 72 小时后（订单自动关闭）前，夜里不催 |

1. 每个时间段都"含开始、不含结束"：11:00 整下的单属于"11点至15点前"，15:00 整催付已经超出"当日15点前"。
2. 原表的"00:00以后 → 次日12点以后"和"上午11点前"在凌晨重叠，22 点到 24 点又没有写。本课程把 22:00 到
   次日 08:00 下的单都算作夜间订单：夜里不打扰买家，等到中午 12 点以后再催，最晚到当天 18:00。
   22-24 点下的单是下一个日历日的 12 点，0-8 点下的单是同一个日历日的 12 点。08:00 到 11:00 下的单
   按"上午11点前"处理。
3. **夜里（22:00 至次日 08:00）任何订单都不催付**（本课程的规定）：时间段的开头落在夜里，就推到第二天
   08:00；结尾落在夜里，就提前到当晚 22:00。例如 21:55 下的单最早第二天 08:00 催；两次以上购买的买家
   凌晨 3 点下的单，48 小时后是凌晨 3 点，推到 08:00，72 小时后又是凌晨，所以最晚到前一晚 22:00。
4. 下单后 10 分钟内不催付：买家可能正在付款。
5. "两次以上购买的买家"：这笔订单下单之前，同一位客户已经有 2 笔或更多付过款的订单（付款时间早于本单
   下单时间；后来退了款的也算）。老买家熟悉店铺，拍下 48 小时后再催；72 小时后未付款的订单自动关闭。
6. 频率（原表没有给出，本课程的规定）：每笔订单最多催 2 次，同一种工具不用第二次，按 千牛 → 短信 → 电话
   的顺序换用。
7. 发货截止时间、夜间开始和结束时间、10 分钟的等待时间都可以改（参数 ship_cutoff、night_start、
   night_end、min_wait），表格本身也可以改（参数 table）。
"""


# ---- 表4.1 as a table --------------------------------------------------------------------------


@dataclass(frozen=True)
class ReminderTimeRule:
    """表4.1 的一行：某类买家在某个时段下的单，可以在什么时间段催付 (one row of the time table).

    Attributes
    ----------
    buyer : str
        适用买家: :data:`GENERAL_BUYER` (``"一般买家"``) or :data:`REPEAT_BUYER`
        (``"两次以上购买的买家"``).
    period : str
        下单时段, the row's name (shown as 催付规则 in the results).
    start, end : str
        The order time of day ``[start, end)``: ``"HH:MM"`` (``end`` may be ``"24:00"``) or
        ``"夜间开始"`` / ``"夜间结束"`` (the parameters ``night_start``, default 22:00, and
        ``night_end``, default 08:00).  A row cannot pass
        midnight; split it into two rows.
    earliest, latest : str
        The window ``[earliest, latest)``: ``"下单后"`` (the order time + ``min_wait``),
        ``"下单后48小时"`` / ``"下单后30分钟"`` / ``"下单后2天"``, ``"当日15:00"`` /
        ``"次日12:00"`` (a clock time on the order's calendar day or the next one), or
        ``"当日发货截止"`` / ``"次日发货截止"`` (the parameter ``ship_cutoff``, default 17:00).
    source : str
        表4.1原文 -- what the seed's table says, for reference.
    """

    buyer: str
    period: str
    start: str
    end: str
    earliest: str
    latest: str
    source: str = ""


_RULE_COLUMNS = {
    "buyer": "适用买家",
    "period": "下单时段",
    "start": "开始",
    "end": "结束",
    "earliest": "最早催付",
    "latest": "最晚催付",
    "source": "表4.1原文",
}

#: 表4.1 催付参照时间表 as the course reads it (see :data:`REMINDER_RULE_READING`).  Each kind
#: of buyer's rows cover the 24 hours of a day exactly once.  Show it with
#: :func:`reminder_time_table`; pass a changed copy as ``table=`` to any function.
REMINDER_TIME_TABLE: tuple[ReminderTimeRule, ...] = (
    ReminderTimeRule(
        GENERAL_BUYER, "上午11点前", "夜间结束", "11:00", "下单后", "当日15:00", "上午11点前 → 当日15点前"
    ),
    ReminderTimeRule(
        GENERAL_BUYER, "11点至15点前", "11:00", "15:00", "下单后", "当日发货截止", "下午15点前 → 当日发货前"
    ),
    ReminderTimeRule(
        GENERAL_BUYER,
        "15点至22点前",
        "15:00",
        "夜间开始",
        "下单后",
        "次日12:00",
        "晚上22点前 → 次日中午前（下午上班前）",
    ),
    ReminderTimeRule(
        GENERAL_BUYER,
        "夜间22点至24点",
        "夜间开始",
        "24:00",
        "次日12:00",
        "次日18:00",
        "原表没有写（课程：按夜间订单处理）",
    ),
    ReminderTimeRule(
        GENERAL_BUYER,
        "夜间0点至8点前",
        "00:00",
        "夜间结束",
        "当日12:00",
        "当日18:00",
        "00:00以后 → 次日12点以后（课程：当天12点以后）",
    ),
    ReminderTimeRule(
        REPEAT_BUYER,
        "两次以上购买的买家",
        "00:00",
        "24:00",
        "下单后48小时",
        "下单后72小时",
        "两次以上购买的买家 → 拍下48小时后",
    ),
)


def reminder_time_table(table: Any = REMINDER_TIME_TABLE) -> pd.DataFrame:
    """催付参照时间表（表4.1）：用中文列名显示 (the time table with Chinese headers).

    Parameters
    ----------
    table : sequence of ReminderTimeRule or pandas.DataFrame, default REMINDER_TIME_TABLE
        The rules.  A DataFrame needs the columns 适用买家, 下单时段, 开始, 结束, 最早催付,
        最晚催付 (表4.1原文 is optional).

    Returns
    -------
    pandas.DataFrame
        One row per rule, columns 适用买家, 下单时段, 开始, 结束, 最早催付, 最晚催付, 表4.1原文.
        Change a cell and pass the table back as ``table=`` to use another rule.

    Examples
    --------
    >>> t = reminder_time_table()
    >>> t.loc[0, ["下单时段", "开始", "结束", "最早催付", "最晚催付"]].tolist()
    ['上午11点前', '夜间结束', '11:00', '下单后', '当日15:00']
    >>> t.loc[0, "最晚催付"] = "当日16:00"     # a shop that reminds until 16:00
    >>> reminder_window("2025-03-03 09:00", table=t)[1]
    Timestamp('2025-03-03 16:00:00')
    """
    rules = _as_rules(table)
    return pd.DataFrame([astuple(r) for r in rules], columns=list(_RULE_COLUMNS.values()))


def _as_rules(table: Any) -> tuple[ReminderTimeRule, ...]:
    """``table`` (rules or a DataFrame with Chinese headers) as a tuple of rules."""
    if isinstance(table, pd.DataFrame):
        required = [c for k, c in _RULE_COLUMNS.items() if k != "source"]
        check_dataframe(table, "table（催付时间表）", required)
        has_source = _RULE_COLUMNS["source"] in table.columns
        rules = []
        for i in range(len(table)):  # a handful of rows
            cells = [table[c].iloc[i] for c in required]
            for column, cell in zip(required, cells):
                if not isinstance(cell, str):
                    raise ValueError(
                        f"催付时间表第 {i + 1} 行的「{column}」应该是文字，例如 '当日15:00'，收到的是 {cell!r}。"
                    )
            source = table[_RULE_COLUMNS["source"]].iloc[i] if has_source else ""
            rules.append(ReminderTimeRule(*cells, "" if pd.isna(source) else str(source)))
        return tuple(rules)
    if not is_list_like(table):
        raise TypeError(
            "参数 table（催付时间表）应该是 ReminderTimeRule 的列表，或 reminder_time_table() 那样的数据表；"
            f"收到的是 {type(table).__name__}。"
        )
    rules = tuple(table)
    for i, rule in enumerate(rules):
        if not isinstance(rule, ReminderTimeRule):
            raise TypeError(
                "参数 table（催付时间表）的每一行都应该是 ReminderTimeRule，"
                f"收到了 {rule!r}（{type(rule).__name__}）。"
            )
        for key, column in _RULE_COLUMNS.items():
            if not isinstance(getattr(rule, key), str):
                raise ValueError(
                    f"催付时间表第 {i + 1} 行的「{column}」应该是文字，例如 '当日15:00'，"
                    f"收到的是 {getattr(rule, key)!r}。"
                )
    if not rules:
        raise ValueError("催付时间表 table 是空的，至少要有一行规则。")
    return rules


# ---- parsing and checking the table -------------------------------------------------------------


@dataclass(frozen=True)
class _Rules:
    """The table in numbers (nanoseconds), ready for vectorised use."""

    labels: tuple[str, ...]
    group: np.ndarray  # 0 一般买家, 1 两次以上购买的买家
    start: np.ndarray  # time of day, ns
    end: np.ndarray
    e_after: np.ndarray  # True: order time + e_offset; False: day + e_day days + e_clock
    e_offset: np.ndarray
    e_day: np.ndarray
    e_clock: np.ndarray
    l_after: np.ndarray
    l_offset: np.ndarray
    l_day: np.ndarray
    l_clock: np.ndarray
    min_wait: int
    has_repeat: bool
    night_start: int  # time of day, ns: no reminder from here ...
    night_end: int  # ... until here (the next morning)


_TIME_HELP = "可以写：'下单后'、'下单后48小时'、'下单后30分钟'、'当日15:00'、'次日12:00'、'当日发货截止'。"


def _parse_moment(text: str, where: str, ship: int, min_wait: int) -> tuple[bool, int, int, int]:
    """A cell of 最早催付 / 最晚催付 as (after_order, offset, day, clock) in ns."""
    value = text.strip()
    if value == "下单后":
        return True, min_wait, 0, 0
    match = re.fullmatch(r"下单后\s*(\d+(?:\.\d+)?)\s*(分钟|小时|天)", value)
    if match:
        unit = {"分钟": MINUTE_NS, "小时": HOUR_NS, "天": DAY_NS}[match[2]]
        return True, int(round(float(match[1]) * unit)), 0, 0
    match = re.fullmatch(r"(当日|次日)\s*(.+)", value)
    if match:
        day = 0 if match[1] == "当日" else 1
        if match[2] == "发货截止":
            return False, 0, day, ship
        try:
            clock = check_clock(match[2], where, allow_24=True)
        except (TypeError, ValueError):
            pass
        else:
            return False, 0, day, int(clock.value)
    raise ValueError(f"{where}写成了 {text!r}，看不懂。{_TIME_HELP}")


def _parse_bound(text: str, where: str, night_start: int, night_end: int) -> int:
    value = text.strip()
    if value == "夜间结束":
        return night_end
    if value == "夜间开始":
        return night_start
    try:
        return int(check_clock(value, where, allow_24=True).value)
    except (TypeError, ValueError):
        raise ValueError(
            f"{where}写成了 {text!r}，看不懂。可以写 '时:分'（例如 '11:00'、'24:00'）、'夜间开始' 或 '夜间结束'。"
        ) from None


def _hhmm(ns: int) -> str:
    minutes = int(ns // MINUTE_NS)
    return f"{minutes // 60:02d}:{minutes % 60:02d}"


@lru_cache(maxsize=32)
def _parse_rules(
    rules: tuple[ReminderTimeRule, ...], ship: int, night_start: int, night_end: int, min_wait: int
) -> _Rules:
    """Check the table (buyer kinds, cells, a full day without gaps or overlaps, no empty window)."""
    if not night_end < night_start:
        raise ValueError(
            f"夜间开始 night_start={_hhmm(night_start)} 应该晚于夜间结束 night_end={_hhmm(night_end)}"
            "（夜间从晚上开始、到第二天早上结束，例如 22:00 至 08:00）。"
        )
    n = len(rules)
    arrays: dict[str, list] = {k: [] for k in ("group", "start", "end", "e", "l")}
    for i, rule in enumerate(rules):
        where = f"催付时间表第 {i + 1} 行（{rule.period}）"
        check_choice(rule.buyer, f"{where}的「适用买家」", (GENERAL_BUYER, REPEAT_BUYER))
        start = _parse_bound(rule.start, f"{where}的「开始」", night_start, night_end)
        end = _parse_bound(rule.end, f"{where}的「结束」", night_start, night_end)
        if start >= end:
            raise ValueError(
                f"{where}的开始 {_hhmm(start)} 必须早于结束 {_hhmm(end)}（含开始、不含结束）；"
                "一行不能跨过零点，跨零点的时段请分成两行，例如 22:00-24:00 和 00:00-08:00。"
            )
        arrays["group"].append(int(rule.buyer == REPEAT_BUYER))
        arrays["start"].append(start)
        arrays["end"].append(end)
        arrays["e"].append(_parse_moment(rule.earliest, f"{where}的「最早催付」", ship, min_wait))
        arrays["l"].append(_parse_moment(rule.latest, f"{where}的「最晚催付」", ship, min_wait))
    group = np.array(arrays["group"], np.int8)
    if not (group == 0).any():
        raise ValueError(f"催付时间表里没有「{GENERAL_BUYER}」的规则，至少要有覆盖全天的一般买家规则。")
    e = np.array(arrays["e"], dtype=np.int64).reshape(n, 4)
    lt = np.array(arrays["l"], dtype=np.int64).reshape(n, 4)
    parsed = _Rules(
        labels=tuple(r.period for r in rules),
        group=group,
        start=np.array(arrays["start"], np.int64),
        end=np.array(arrays["end"], np.int64),
        e_after=e[:, 0].astype(bool),
        e_offset=e[:, 1],
        e_day=e[:, 2],
        e_clock=e[:, 3],
        l_after=lt[:, 0].astype(bool),
        l_offset=lt[:, 1],
        l_day=lt[:, 2],
        l_clock=lt[:, 3],
        min_wait=min_wait,
        has_repeat=bool((group == 1).any()),
        night_start=night_start,
        night_end=night_end,
    )
    # Every minute of the day must fall in exactly one row of each kind of buyer; rows are
    # in whole minutes, so checking the minutes is exact.
    minute = np.arange(1440, dtype=np.int64) * MINUTE_NS
    for g in np.unique(group):
        rows = np.flatnonzero(group == g)
        hit = (minute[:, None] >= parsed.start[rows]) & (minute[:, None] < parsed.end[rows])
        count = hit.sum(axis=1)
        buyer = (GENERAL_BUYER, REPEAT_BUYER)[g]
        if (count == 0).any():
            m = int(np.argmax(count == 0))
            raise ValueError(
                f"催付时间表有空档：{buyer}在 {_hhmm(minute[m])} 下的单不属于任何一行。"
                "同一种买家的各行必须正好覆盖一天 24 小时、互不重叠。"
            )
        if (count > 1).any():
            m = int(np.argmax(count > 1))
            names = "」和「".join(rules[r].period for r in rows[hit[m]])
            raise ValueError(
                f"催付时间表有重叠：{buyer}在 {_hhmm(minute[m])} 下的单同时属于「{names}」。"
                "同一种买家的各行必须正好覆盖一天 24 小时、互不重叠。"
            )
        # No empty window: try the first and the last instant of every minute of a day.
        probe = np.concatenate([minute, minute + MINUTE_NS - 1]) + 20_089 * DAY_NS  # 2025-01-01
        rule, earliest, latest = _windows_ns(probe, np.full(len(probe), bool(g)), parsed)
        empty = latest <= earliest
        if empty.any():
            k = int(np.argmax(empty))
            raise ValueError(
                f"催付时间表第 {rule[k] + 1} 行（{parsed.labels[rule[k]]}）给{buyer}的催付时间段是空的："
                f"{_hhmm(probe[k] % DAY_NS)} 下的单，最早 {_fmt_ns(earliest[k], probe[k])}、"
                f"最晚 {_fmt_ns(latest[k], probe[k])}（不含）。"
                "请检查这一行，或参数 ship_cutoff（发货截止）、night_start / night_end（夜间开始/结束）、"
                "min_wait（等待时间）。"
            )
    return parsed


def _fmt_ns(value: int, order: int) -> str:
    days = int(value // DAY_NS - order // DAY_NS)
    prefix = {0: "当日", 1: "次日"}.get(days, f"{days} 天后的")
    return prefix + _hhmm(value % DAY_NS)


def _windows_ns(created: np.ndarray, repeat: np.ndarray, p: _Rules) -> tuple[np.ndarray, ...]:
    """Rule index, earliest and latest (int64 ns, wall clock) for order times ``created``."""
    day = np.floor_divide(created, DAY_NS) * DAY_NS
    tod = created - day
    group = (repeat & p.has_repeat).astype(np.int8)
    rule = np.zeros(len(created), np.int64)
    for i in range(len(p.labels)):  # a handful of rules, each applied to all orders at once
        rule[(group == p.group[i]) & (tod >= p.start[i]) & (tod < p.end[i])] = i
    earliest = np.where(
        p.e_after[rule], created + p.e_offset[rule], day + p.e_day[rule] * DAY_NS + p.e_clock[rule]
    )
    earliest = np.maximum(earliest, created + p.min_wait)
    latest = np.where(
        p.l_after[rule], created + p.l_offset[rule], day + p.l_day[rule] * DAY_NS + p.l_clock[rule]
    )
    return rule, _out_of_night(earliest, p, forward=True), _out_of_night(latest, p, forward=False)


def _at_night(moment: int, p: _Rules) -> bool:
    """Whether a wall-clock moment (ns) falls in the night, when nobody is reminded."""
    tod = moment % DAY_NS
    return bool(tod >= p.night_start or tod < p.night_end)


def _out_of_night(moment: np.ndarray, p: _Rules, *, forward: bool) -> np.ndarray:
    """Move window bounds out of the night [night_start, next night_end).

    ``forward`` (an earliest time) carries a night moment to the morning the night ends; else
    (a latest time, which is excluded) a bound inside the night, or at its very end, comes back
    to the evening the night starts, so the window's last moment is before the night.
    """
    day = np.floor_divide(moment, DAY_NS) * DAY_NS
    tod = moment - day
    if forward:
        evening = tod >= p.night_start
        morning = tod < p.night_end
        return np.where(evening, day + DAY_NS + p.night_end, np.where(morning, day + p.night_end, moment))
    evening = tod > p.night_start
    morning = tod <= p.night_end
    return np.where(evening, day + p.night_start, np.where(morning, day - DAY_NS + p.night_start, moment))


def _rules_for(table: Any, ship_cutoff: Any, night_start: Any, night_end: Any, min_wait: Any) -> _Rules:
    rules = _as_rules(table)
    ship = int(check_clock(ship_cutoff, "ship_cutoff（发货截止时间）", allow_24=True).value)
    start = int(check_clock(night_start, "night_start（夜间开始时间）").value)
    end = int(check_clock(night_end, "night_end（夜间结束时间）").value)
    wait = int(check_timedelta(min_wait, "min_wait（下单后至少等待）", "0s").value)
    return _parse_rules(rules, ship, start, end, wait)


# ---- time helpers ---------------------------------------------------------------------------------


def _times(df: pd.DataFrame, name: str, column: str, what: str, *, required: bool) -> pd.Series:
    times = check_datetime(df, name, column)
    if required:
        check_no_missing(times.to_frame(column), name, column, what)
    return times


# ---- 两次以上购买的买家 ----------------------------------------------------------------------------


def _earlier_paid_counts(
    query_customer: pd.Series,
    query_created: np.ndarray,
    history: pd.DataFrame,
    customer_col: str,
    paid: np.ndarray,
) -> np.ndarray:
    """For each query order: how many history orders of the same customer were paid strictly
    before it was created (one sort of all events, no loop over rows)."""
    keep = (paid != NAT_NS) & history[customer_col].notna().to_numpy(dtype=bool)
    h_customer = history[customer_col].to_numpy()[keep]
    codes, _ = pd.factorize(np.concatenate([query_customer.to_numpy(), h_customer]))
    nq = len(query_customer)
    code = codes
    time = np.concatenate([query_created, paid[keep]])
    is_paid = np.concatenate([np.zeros(nq, np.int64), np.ones(len(h_customer), np.int64)])
    # At the same instant the order comes first: a payment at the very moment of the order
    # is not "earlier".
    order = np.lexsort((is_paid, time, code))
    paid_sorted = is_paid[order]
    code_sorted = code[order]
    cum = np.cumsum(paid_sorted)
    group_start = np.searchsorted(code_sorted, code_sorted, side="left")
    before_group = np.where(group_start > 0, cum[np.maximum(group_start - 1, 0)], 0)
    counts_sorted = cum - before_group
    counts = np.empty(len(order), np.int64)
    counts[order] = counts_sorted
    return counts[:nq]


def repeat_buyer_flags(
    orders: pd.DataFrame,
    *,
    customers_orders: pd.DataFrame | None = None,
    min_paid_orders: int = 2,
    customer_col: str = "customer_id",
    created_col: str = "created_at",
    paid_col: str = "paid_at",
) -> pd.Series:
    """标记“两次以上购买的买家”下的订单 (is each order from a buyer who bought twice or more before?).

    An order is a repeat buyer's order when, before it was created, the same customer already
    had at least ``min_paid_orders`` orders with a payment time (``paid_at`` strictly earlier
    than this order's ``created_at``).  Orders paid and later refunded count; unpaid ones do not.

    Parameters
    ----------
    orders : pandas.DataFrame
        The orders to mark; not modified.
    customers_orders : pandas.DataFrame, optional
        The order history to count in (columns ``customer_col`` and ``paid_col``), e.g. all
        orders of the shop; default ``orders`` itself.
    min_paid_orders : int, default 2
        How many earlier paid orders make a 两次以上购买的买家.
    customer_col, created_col, paid_col : str
        Column names (the same in both tables).

    Returns
    -------
    pandas.Series
        ``bool``, named 两次以上购买, with the index of ``orders``.

    Raises
    ------
    TypeError, ValueError
        If a table lacks a column, a time cannot be read or a customer/time is missing.

    Examples
    --------
    >>> orders = pd.DataFrame({
    ...     "customer_id": [7, 7, 7, 7],
    ...     "created_at": pd.to_datetime(["2025-03-01 10:00", "2025-03-02 10:00",
    ...                                   "2025-03-03 10:00", "2025-03-03 10:00"]),
    ...     "paid_at": pd.to_datetime(["2025-03-01 10:01", "2025-03-02 10:01",
    ...                                "2025-03-03 10:00", None])})
    >>> repeat_buyer_flags(orders).tolist()
    [False, False, True, True]
    """
    min_paid = check_int(min_paid_orders, "min_paid_orders（之前付款订单数）", minimum=1)
    check_dataframe(orders, "orders", [customer_col, created_col], allow_empty=True)
    created = _times(orders, "orders", created_col, "下单时间", required=True)
    check_no_missing(orders, "orders", customer_col, "客户编号")
    history = orders if customers_orders is None else customers_orders
    name = "orders" if customers_orders is None else "customers_orders"
    check_dataframe(history, name, [customer_col, paid_col], allow_empty=True)
    paid = _times(history, name, paid_col, "付款时间", required=False)
    check_same_zone(paid, created, f"数据表 {name} 的列 '{paid_col}' 和下单时间")
    counts = _earlier_paid_counts(
        orders[customer_col], wall_ns(created), history, customer_col, wall_ns(paid)
    )
    return pd.Series(counts >= min_paid, index=orders.index, name="两次以上购买")


# ---- 催付时间窗 -------------------------------------------------------------------------------------


def reminder_window(
    created_at: Any,
    *,
    repeat_buyer: bool = False,
    table: Any = REMINDER_TIME_TABLE,
    ship_cutoff: str = "17:00",
    night_start: str = "22:00",
    night_end: str = "08:00",
    min_wait: str | pd.Timedelta = "10min",
) -> tuple[pd.Timestamp, pd.Timestamp]:
    """按表4.1算出一笔订单的催付时间段 (the reminder window of one order).

    The window is half-open, ``[最早, 最晚)``: remind at or after the earliest time and before
    the latest.  The course reads 表4.1 as follows (:data:`REMINDER_RULE_READING`):

    * ordered 08:00-11:00 (上午11点前): order + ``min_wait`` → 当日 15:00;
    * ordered 11:00-15:00 (下午15点前): order + ``min_wait`` → 当日 ``ship_cutoff`` (发货前);
    * ordered 15:00-22:00 (晚上22点前): order + ``min_wait`` → 次日 12:00 (中午), not at night;
    * ordered 22:00-24:00 (夜间; the seed says nothing): 次日 12:00 → 次日 18:00;
    * ordered 00:00-08:00 (夜间; the seed's 00:00以后): 当日 12:00 → 当日 18:00;
    * 两次以上购买的买家, ordered at any time: order + 48 h → order + 72 h (the auto-close).

    Nobody is reminded at night (``night_start`` to ``night_end``, the course's rule): a window
    that would start at night starts when the night ends, one that would end at night ends
    when it starts (e.g. a repeat buyer's order at 03:00: from 08:00 two days later to 22:00).

    Order times are half-open too (an order at exactly 11:00 is in 11:00-15:00).
    The seed's "00:00以后 → 次日12点以后" overlaps "上午11点前" in the early morning and the
    table says nothing about 22-24点; the course treats every order from 22:00 to
    ``night_end`` as a night order (no reminder at night; after 12:00 of the day the night
    ends, until 18:00).  No reminder in the first ``min_wait`` after the order: the buyer may
    still be paying.

    Parameters
    ----------
    created_at : str or pandas.Timestamp
        下单时间, e.g. ``"2025-03-01 10:59"``.
    repeat_buyer : bool, default False
        Is the buyer a 两次以上购买的买家 (see :func:`repeat_buyer_flags` for how the course
        counts)?
    table : sequence of ReminderTimeRule or pandas.DataFrame, default REMINDER_TIME_TABLE
        The rules (:func:`reminder_time_table` shows them and gives an editable copy).
    ship_cutoff : str, default "17:00"
        发货截止时间 -- the "当日发货前" of the table.
    night_start : str, default "22:00"
        夜间开始 -- no reminder from this time until ``night_end`` the next morning; a window
        that starts at night moves to the morning, one that ends at night ends at ``night_start``.
    night_end : str, default "08:00"
        夜间结束 -- orders from 22:00 to this time are night orders.
    min_wait : str or pandas.Timedelta, default "10min"
        No reminder earlier than this after the order.

    Returns
    -------
    tuple of pandas.Timestamp
        ``(最早催付时间, 最晚催付时间)``; the latest is excluded.

    Raises
    ------
    TypeError, ValueError
        If ``created_at`` is not a time, a parameter is malformed, or the table has a gap, an
        overlap, an unreadable cell or an empty window.

    Examples
    --------
    >>> reminder_window("2025-03-01 10:59")
    (Timestamp('2025-03-01 11:09:00'), Timestamp('2025-03-01 15:00:00'))
    >>> reminder_window("2025-03-01 22:00")
    (Timestamp('2025-03-02 12:00:00'), Timestamp('2025-03-02 18:00:00'))
    >>> reminder_window("2025-03-01 10:00", repeat_buyer=True)
    (Timestamp('2025-03-03 10:00:00'), Timestamp('2025-03-04 10:00:00'))
    >>> reminder_window("2025-03-01 21:55")
    (Timestamp('2025-03-02 08:00:00'), Timestamp('2025-03-02 12:00:00'))
    >>> reminder_window("2025-03-01 03:00", repeat_buyer=True)
    (Timestamp('2025-03-03 08:00:00'), Timestamp('2025-03-03 22:00:00'))
    """
    created = check_timestamp(created_at, "created_at（下单时间）")
    repeat = check_flag(repeat_buyer, "repeat_buyer（是否两次以上购买的买家）")
    parsed = _rules_for(table, ship_cutoff, night_start, night_end, min_wait)
    tz = created.tz
    wall = created.tz_localize(None) if tz is not None else created
    _, earliest, latest = _windows_ns(np.array([wall.as_unit("ns").value]), np.array([repeat]), parsed)
    out = from_wall_ns(np.concatenate([earliest, latest]), tz)
    return out.iloc[0], out.iloc[1]


def reminder_windows(
    orders: pd.DataFrame,
    *,
    customers_orders: pd.DataFrame | None = None,
    repeat_col: str | None = None,
    table: Any = REMINDER_TIME_TABLE,
    ship_cutoff: str = "17:00",
    night_start: str = "22:00",
    night_end: str = "08:00",
    min_wait: str | pd.Timedelta = "10min",
    order_col: str = "order_id",
    customer_col: str = "customer_id",
    created_col: str = "created_at",
    paid_col: str = "paid_at",
) -> pd.DataFrame:
    """按表4.1算出许多订单的催付时间段 (reminder windows of many orders at once).

    The same rule as :func:`reminder_window` (read it there or in
    :data:`REMINDER_RULE_READING`), for a whole table, without a loop over the orders.

    Parameters
    ----------
    orders : pandas.DataFrame
        The orders (any status; usually the unpaid ones); not modified.
    customers_orders : pandas.DataFrame, optional
        The order history used to find 两次以上购买的买家 (:func:`repeat_buyer_flags`);
        default ``orders`` itself.  Pass all the shop's orders when ``orders`` is only a part.
    repeat_col : str, optional
        A ``bool`` column of ``orders`` that already says whether the buyer is a 两次以上购买的
        买家; then nothing is counted and ``customers_orders`` is not used.
    table, ship_cutoff, night_start, night_end, min_wait
        The rule, as in :func:`reminder_window`.
    order_col, customer_col, created_col, paid_col : str
        Column names.

    Returns
    -------
    pandas.DataFrame
        The index of ``orders``; columns 订单编号, 下单时间, 两次以上购买, 催付规则 (the row of
        the table used), 最早催付时间, 最晚催付时间 (excluded).

    Raises
    ------
    TypeError, ValueError
        If a column is missing, a time cannot be read, an order time is missing, or the rule is
        malformed (see :func:`reminder_window`).

    Examples
    --------
    >>> orders = pd.DataFrame({"order_id": [1, 2, 3], "customer_id": [5, 6, 7],
    ...     "created_at": pd.to_datetime(["2025-03-01 08:00", "2025-03-01 14:59", "2025-03-01 23:59"]),
    ...     "paid_at": pd.NaT})
    >>> windows = reminder_windows(orders)
    >>> windows["催付规则"].tolist()
    ['上午11点前', '11点至15点前', '夜间22点至24点']
    >>> windows["最早催付时间"].dt.strftime("%m-%d %H:%M").tolist()
    ['03-01 08:10', '03-01 15:09', '03-02 12:00']
    >>> windows["最晚催付时间"].dt.strftime("%m-%d %H:%M").tolist()
    ['03-01 15:00', '03-01 17:00', '03-02 18:00']
    """
    parsed = _rules_for(table, ship_cutoff, night_start, night_end, min_wait)
    check_dataframe(orders, "orders", [order_col, created_col], allow_empty=True)
    created = _times(orders, "orders", created_col, "下单时间", required=True)
    repeat = _repeat(
        orders, created, customers_orders, repeat_col, customer_col=customer_col, paid_col=paid_col
    )
    rule, earliest, latest = _windows_ns(wall_ns(created), repeat, parsed)
    return _window_frame(orders, created, repeat, rule, earliest, latest, parsed, order_col)


def _repeat(
    orders: pd.DataFrame,
    created: pd.Series,
    customers_orders: pd.DataFrame | None,
    repeat_col: str | None,
    *,
    customer_col: str,
    paid_col: str,
) -> np.ndarray:
    """两次以上购买 of each order, from ``repeat_col`` or counted in the history."""
    if repeat_col is not None:
        check_columns(orders, "orders", [repeat_col])
        return check_bool_column(orders, "orders", repeat_col).to_numpy(dtype=bool)
    check_columns(orders, "orders", [customer_col])
    check_no_missing(orders, "orders", customer_col, "客户编号")
    history = orders if customers_orders is None else customers_orders
    name = "orders" if customers_orders is None else "customers_orders"
    check_dataframe(history, name, [customer_col, paid_col], allow_empty=True)
    paid = _times(history, name, paid_col, "付款时间", required=False)
    check_same_zone(paid, created, f"数据表 {name} 的列 '{paid_col}' 和下单时间")
    counts = _earlier_paid_counts(
        orders[customer_col], wall_ns(created), history, customer_col, wall_ns(paid)
    )
    return counts >= 2


def _window_frame(
    orders: pd.DataFrame,
    created: pd.Series,
    repeat: np.ndarray,
    rule: np.ndarray,
    earliest: np.ndarray,
    latest: np.ndarray,
    parsed: _Rules,
    order_col: str,
) -> pd.DataFrame:
    tz = time_zone(created)
    names = pd.Index(parsed.labels).unique()
    codes = names.get_indexer(pd.Index(parsed.labels))[rule]
    return pd.DataFrame(
        {
            "订单编号": orders[order_col],
            "下单时间": created,
            "两次以上购买": pd.Series(repeat, index=orders.index),
            "催付规则": pd.Series(pd.Categorical.from_codes(codes, categories=names), index=orders.index),
            "最早催付时间": from_wall_ns(earliest, tz, orders.index),
            "最晚催付时间": from_wall_ns(latest, tz, orders.index),
        },
        index=orders.index,
    )


# ---- 今天该催哪些订单 ---------------------------------------------------------------------------------


def _check_channels(channels: Any) -> tuple[str, ...]:
    if not is_list_like(channels):
        raise TypeError(
            f"参数 channels（催付工具顺序）应该是工具名称的列表，例如 {list(REMINDER_CHANNELS)}；收到的是 {channels!r}。"
        )
    values = tuple(channels)
    if not values or not all(isinstance(c, str) and c.strip() for c in values):
        raise ValueError(
            f"参数 channels（催付工具顺序）应该是不为空的工具名称列表，例如 {list(REMINDER_CHANNELS)}；收到的是 {channels!r}。"
        )
    if len(set(values)) != len(values):
        raise ValueError(f"参数 channels（催付工具顺序）里有重复的工具：{list(values)}。")
    return values


def due_reminders(
    orders: pd.DataFrame,
    now: Any,
    *,
    reminders: pd.DataFrame | None = None,
    customers_orders: pd.DataFrame | None = None,
    max_per_order: int = 2,
    channels: Sequence[str] = REMINDER_CHANNELS,
    auto_close: str | pd.Timedelta = "72h",
    repeat_col: str | None = None,
    table: Any = REMINDER_TIME_TABLE,
    ship_cutoff: str = "17:00",
    night_start: str = "22:00",
    night_end: str = "08:00",
    min_wait: str | pd.Timedelta = "10min",
    order_col: str = "order_id",
    customer_col: str = "customer_id",
    created_col: str = "created_at",
    paid_col: str = "paid_at",
    closed_col: str | None = "closed_at",
    payment_col: str | None = "payment",
    reminded_col: str = "reminded_at",
    channel_col: str = "channel",
) -> pd.DataFrame:
    """现在该催付哪些订单、用什么工具 (the orders to remind at ``now``, and the tool to use).

    An order is listed when, at ``now``:

    1. it is still waiting for payment (等待买家付款): created at or before ``now``, no
       payment time at or before ``now``, not closed at or before ``now``, and younger than
       ``auto_close`` (Taobao closes unpaid orders after 72 hours).  This is read from the
       time columns, not from ``status``, so ``now`` may also be a moment in the past;
    2. ``now`` is inside its window ``[最早催付时间, 最晚催付时间)`` of 表4.1
       (:func:`reminder_window`; 两次以上购买的买家 are counted with :func:`repeat_buyer_flags`),
       and ``now`` is not in the night (``night_start`` to ``night_end``): at night nothing is due;
    3. it is under the frequency limit (the course's rule; the seed gives none): fewer than
       ``max_per_order`` reminders so far, and a tool not used yet for this order is left.
       The tool to use next is the first unused one in ``channels`` (千牛 → 短信 → 电话).

    Parameters
    ----------
    orders : pandas.DataFrame
        The orders (all of the shop's, or just the unpaid ones); not modified.
    now : str or pandas.Timestamp
        The moment of the check, e.g. ``store.end`` or ``"2025-06-01 14:00"``.
    reminders : pandas.DataFrame, optional
        The reminders sent so far (the shop's ``reminders`` table); only those at or before
        ``now`` count.  Without it, no order has been reminded.
    customers_orders : pandas.DataFrame, optional
        Order history for 两次以上购买的买家; default ``orders`` itself.
    max_per_order : int, default 2
        At most this many reminders per order.
    channels : sequence of str, default ("千牛", "短信", "电话")
        The tools in the order they are used.
    auto_close : str or pandas.Timedelta, default "72h"
        Unpaid orders older than this are closed even without a ``closed_at``.
    repeat_col : str, optional
        A ``bool`` column of ``orders`` that already marks 两次以上购买的买家.
    table, ship_cutoff, night_start, night_end, min_wait
        The rule, as in :func:`reminder_window`.
    order_col, customer_col, created_col, paid_col : str
        Column names of ``orders`` (``order_col`` also of ``reminders``).
    closed_col : str or None, default "closed_at"
        Close time; ``None`` if the table has none (then only ``auto_close`` closes orders).
    payment_col : str or None, default "payment"
        实付款, shown in the result; ``None`` to leave it out.
    reminded_col, channel_col : str
        Reminder time and tool columns of ``reminders``.

    Returns
    -------
    pandas.DataFrame
        One row per order to remind, the most urgent (earliest 最晚催付时间) first: 订单编号,
        客户编号 (when ``orders`` has ``customer_col``), 下单时间, 实付款 (with
        ``payment_col``), 催付规则, 最早催付时间, 最晚催付时间, 已催付次数, 已用工具 (e.g.
        ``"千牛"``), 建议催付工具.

    Raises
    ------
    TypeError, ValueError
        If a table lacks a column, a time cannot be read, ``now`` is not a time, or a
        parameter is out of range.

    Examples
    --------
    >>> orders = pd.DataFrame({"order_id": [1, 2, 3], "customer_id": [5, 6, 7],
    ...     "created_at": pd.to_datetime(["2025-03-01 09:00", "2025-03-01 09:30", "2025-03-01 09:55"]),
    ...     "paid_at": pd.NaT, "closed_at": pd.NaT, "payment": [99.0, 59.0, 19.9]})
    >>> reminders = pd.DataFrame({"order_id": [1], "reminded_at": [pd.Timestamp("2025-03-01 09:20")],
    ...                           "channel": ["千牛"]})
    >>> due = due_reminders(orders, "2025-03-01 10:00", reminders=reminders)
    >>> due[["订单编号", "已催付次数", "已用工具", "建议催付工具"]].to_dict("list")
    {'订单编号': [1, 2], '已催付次数': [1, 0], '已用工具': ['千牛', ''], '建议催付工具': ['短信', '千牛']}

    Order 3 is not listed: at 10:00 it is only 5 minutes old (no reminder in the first 10 minutes).
    """
    max_per_order = check_int(max_per_order, "max_per_order（每单最多催付次数）", minimum=1)
    channel_order = _check_channels(channels)
    close_after = check_timedelta(auto_close, "auto_close（自动关闭时间）", "0s", strict=True)
    parsed = _rules_for(table, ship_cutoff, night_start, night_end, min_wait)
    needed = [order_col, created_col, paid_col] + ([closed_col] if closed_col is not None else [])
    check_dataframe(orders, "orders", needed, allow_empty=True)
    if payment_col is not None:
        check_columns(orders, "orders", [payment_col])
    check_no_missing(orders, "orders", order_col, "订单编号")
    check_unique(orders, "orders", order_col, "订单编号")
    created = _times(orders, "orders", created_col, "下单时间", required=True)
    now_ns = moment_wall_ns(now, "now（当前时间）", created)
    c = wall_ns(created)
    paid = _times(orders, "orders", paid_col, "付款时间", required=False)
    check_same_zone(paid, created, f"数据表 orders 的列 '{paid_col}' 和下单时间")
    p = wall_ns(paid)
    open_ = (c <= now_ns) & ((p == NAT_NS) | (p > now_ns)) & (now_ns < c + close_after.value)
    if closed_col is not None:
        closed = _times(orders, "orders", closed_col, "关闭时间", required=False)
        check_same_zone(closed, created, f"数据表 orders 的列 '{closed_col}' 和下单时间")
        k = wall_ns(closed)
        open_ &= (k == NAT_NS) | (k > now_ns)
    cand = orders[open_]
    c_cand = created[open_]
    repeat = _repeat(
        cand, c_cand, orders if customers_orders is None else customers_orders, repeat_col,
        customer_col=customer_col, paid_col=paid_col,
    )  # fmt: skip
    rule, earliest, latest = _windows_ns(c[open_], repeat, parsed)
    inside = (earliest <= now_ns) & (now_ns < latest) & ~_at_night(now_ns, parsed)

    n = len(cand)
    count = np.zeros(n, np.int64)
    used = np.zeros((len(channel_order), n), bool)
    if reminders is not None:
        check_dataframe(reminders, "reminders", [order_col, reminded_col, channel_col], allow_empty=True)
        when = _times(reminders, "reminders", reminded_col, "催付时间", required=True)
        check_same_zone(when, created, f"数据表 reminders 的列 '{reminded_col}' 和下单时间")
        sent = wall_ns(when) <= now_ns
        pos = pd.Index(cand[order_col]).get_indexer(reminders[order_col][sent])
        hit = pos >= 0
        count = np.bincount(pos[hit], minlength=n)
        codes = pd.Index(channel_order).get_indexer(reminders[channel_col][sent])[hit]  # -1: another tool
        for j in range(len(channel_order)):
            used[j] = np.bincount(pos[hit][codes == j], minlength=n) > 0
    free = ~used
    has_free = free.any(axis=0)
    due = inside & (count < max_per_order) & has_free
    next_channel = np.asarray(channel_order, dtype=object)[np.argmax(free, axis=0)]
    used_text = np.full(n, "", dtype=object)
    for j, name in enumerate(channel_order):
        used_text = np.where(used[j], np.where(used_text == "", name, used_text + "、" + name), used_text)

    idx = np.flatnonzero(due)
    idx = idx[np.lexsort((c[open_][idx], latest[idx]))]  # most urgent first, then oldest
    sub = cand.iloc[idx].reset_index(drop=True)
    window = _window_frame(
        sub, c_cand.iloc[idx].reset_index(drop=True), repeat[idx], rule[idx], earliest[idx], latest[idx],
        parsed, order_col,
    )  # fmt: skip
    result = window[["订单编号"]].copy()
    if customer_col in orders.columns:
        result["客户编号"] = sub[customer_col]
    result["下单时间"] = window["下单时间"]
    if payment_col is not None:
        result["实付款"] = sub[payment_col]
    for column in ("催付规则", "最早催付时间", "最晚催付时间"):
        result[column] = window[column]
    result["已催付次数"] = count[idx]
    result["已用工具"] = pd.array(used_text[idx].tolist(), dtype="str")
    result["建议催付工具"] = pd.Categorical(next_channel[idx], categories=list(channel_order))
    return result


# ---- 催付登记表 --------------------------------------------------------------------------------------


def reminder_register(
    reminders: pd.DataFrame,
    orders: pd.DataFrame,
    customers: pd.DataFrame | None = None,
    *,
    order_col: str = "order_id",
    customer_col: str = "customer_id",
    member_name_col: str = "member_name",
    created_col: str = "created_at",
    paid_col: str = "paid_at",
    payment_col: str | None = "payment",
    reminded_col: str = "reminded_at",
    channel_col: str = "channel",
    reason_group_col: str | None = "reason_group",
    reason_col: str | None = "reason",
    agent_col: str | None = "agent_id",
) -> pd.DataFrame:
    """催付登记表：每次催付一行 (the reminder register, one row per reminder).

    Each reminder is joined to its order.  是否付款 is ``True`` exactly when the order has a
    payment time and it is at or after the reminder (a payment before the reminder does not
    count: that reminder was not needed).

    Parameters
    ----------
    reminders : pandas.DataFrame
        The reminders (the shop's ``reminders`` table); not modified.
    orders : pandas.DataFrame
        The orders; every reminded order must be in it (order ids unique).
    customers : pandas.DataFrame, optional
        The customers, for the 会员名 column (left out without it).
    order_col, customer_col, member_name_col, created_col, paid_col : str
        Column names (``order_col`` in both tables, ``customer_col`` in orders and customers).
    payment_col : str or None, default "payment"
        实付款 of the order; ``None`` to leave it out.
    reminded_col, channel_col : str
        Reminder time and tool.
    reason_group_col, reason_col, agent_col : str or None
        未付款原因大类, 未付款原因 and 催付客服 of the reminder; ``None`` to leave one out.

    Returns
    -------
    pandas.DataFrame
        In the order of ``reminders``: 订单编号, 会员名 (with ``customers``), 下单时间, 实付款,
        催付时间, 催付工具, 未付款原因大类, 未付款原因, 催付客服, 是否付款, 付款时间 (the
        order's, may be missing), 催付后多久付款（分钟） (missing when not paid after the reminder).

    Raises
    ------
    TypeError, ValueError
        If a table lacks a column, an order id is repeated in ``orders``, a reminded order is
        not in ``orders``, a time is missing or a reminder comes before its order.

    Examples
    --------
    >>> orders = pd.DataFrame({"order_id": [1, 2], "created_at": pd.to_datetime(["2025-03-01 09:00"] * 2),
    ...     "paid_at": pd.to_datetime(["2025-03-01 10:30", None]), "payment": [99.0, 59.0]})
    >>> reminders = pd.DataFrame({"order_id": [1, 2], "channel": ["千牛", "短信"],
    ...     "reminded_at": pd.to_datetime(["2025-03-01 10:00", "2025-03-01 10:00"])})
    >>> register = reminder_register(reminders, orders, reason_group_col=None, reason_col=None,
    ...                              agent_col=None)
    >>> register.columns.tolist()
    ['订单编号', '下单时间', '实付款', '催付时间', '催付工具', '是否付款', '付款时间', '催付后多久付款（分钟）']
    >>> register[["订单编号", "是否付款", "催付后多久付款（分钟）"]].to_dict("list")
    {'订单编号': [1, 2], '是否付款': [True, False], '催付后多久付款（分钟）': [30.0, nan]}
    """
    optional = [c for c in (reason_group_col, reason_col, agent_col) if c is not None]
    check_dataframe(
        reminders, "reminders", [order_col, reminded_col, channel_col, *optional], allow_empty=True
    )
    needed = [order_col, created_col, paid_col] + ([payment_col] if payment_col is not None else [])
    if customers is not None:
        needed.append(customer_col)
    check_dataframe(orders, "orders", needed, allow_empty=True)
    check_no_missing(orders, "orders", order_col, "订单编号")
    check_unique(orders, "orders", order_col, "订单编号")
    check_no_missing(reminders, "reminders", order_col, "订单编号")
    when = _times(reminders, "reminders", reminded_col, "催付时间", required=True)
    created = _times(orders, "orders", created_col, "下单时间", required=True)
    paid = _times(orders, "orders", paid_col, "付款时间", required=False)
    check_same_zone(when, created, f"数据表 reminders 的列 '{reminded_col}' 和下单时间")
    check_same_zone(paid, created, f"数据表 orders 的列 '{paid_col}' 和下单时间")
    pos = pd.Index(orders[order_col]).get_indexer(reminders[order_col])
    if (pos < 0).any():
        missing = pd.unique(reminders[order_col].to_numpy()[pos < 0])
        shown = "、".join(str(x) for x in missing[:5]) + (
            f" 等 {len(missing)} 个" if len(missing) > 5 else ""
        )
        raise ValueError(
            f"催付记录里的订单编号 {shown} 在订单表 orders 里找不到。每一条催付都应该对应一笔订单，"
            f"请检查两个表的 '{order_col}' 列（例如一个是数字、一个是文字）。"
        )
    o_created = created.to_numpy()[pos]
    o_paid = paid.to_numpy()[pos]
    w = when.to_numpy()
    early = w < o_created
    if early.any():
        first = int(np.argmax(early))
        raise ValueError(
            f"催付记录 reminders 索引为 {reminders.index[first]} 的那一行：催付时间 {pd.Timestamp(w[first])} "
            f"早于订单的下单时间 {pd.Timestamp(o_created[first])}，数据有误，请先检查。"
        )
    paid_after = ~pd.isna(o_paid) & (o_paid >= w)
    minutes = (pd.Series(o_paid) - pd.Series(w)).dt.total_seconds().to_numpy() / 60
    out: dict[str, Any] = {"订单编号": reminders[order_col].to_numpy()}
    if customers is not None:
        check_dataframe(customers, "customers", [customer_col, member_name_col], allow_empty=True)
        check_unique(customers, "customers", customer_col, "客户编号")
        member = customers.set_index(customer_col)[member_name_col]
        out["会员名"] = orders[customer_col].iloc[pos].map(member).to_numpy()
    out["下单时间"] = o_created
    if payment_col is not None:
        out["实付款"] = orders[payment_col].to_numpy()[pos]
    out["催付时间"] = w
    out["催付工具"] = reminders[channel_col].to_numpy()
    names = (
        (reason_group_col, "未付款原因大类"),
        (reason_col, "未付款原因"),
        (agent_col, "催付客服"),
    )
    for column, label in names:
        if column is not None:
            out[label] = reminders[column].to_numpy()
    out["是否付款"] = paid_after
    out["付款时间"] = o_paid
    out["催付后多久付款（分钟）"] = np.where(paid_after, np.round(minutes, 1), np.nan)
    result = pd.DataFrame(out)
    for column, source in (
        ("催付工具", channel_col),
        ("未付款原因大类", reason_group_col),
        ("未付款原因", reason_col),
    ):
        if source is not None and isinstance(reminders[source].dtype, pd.CategoricalDtype):
            result[column] = reminders[source].reset_index(drop=True)
    if "会员名" in result:
        result["会员名"] = result["会员名"].astype("str")
    return result


# ---- 催付成功率 --------------------------------------------------------------------------------------

_BY = {
    "reason": "未付款原因",
    "reason_group": "未付款原因大类",
    "channel": "催付工具",
    "hour": "催付时刻（点）",
    "delay": "催付时距",
}


def _delay_codes(seconds: np.ndarray) -> np.ndarray:
    """Bucket of :data:`DELAY_BUCKETS` for each delay in seconds (the model's boundaries)."""
    a, b, c = _DELAY_LIMITS
    return np.select([seconds < a, seconds <= b, seconds <= c], [0, 1, 2], 3)


def _success_frame(
    data: pd.DataFrame,
    by: str | None,
    *,
    order_col: str,
    paid_after_col: str,
    reminded_col: str,
    channel_col: str,
    reason_col: str,
    reason_group_col: str,
) -> pd.DataFrame:
    """Columns ``order``, ``paid`` and (with ``by``) ``key``: one row per reminder."""
    check_dataframe(data, "register_or_reminders（催付登记表或催付记录）", allow_empty=True)
    register = "是否付款" in data.columns and "订单编号" in data.columns
    name = "register（催付登记表）" if register else "reminders（催付记录）"
    if register:
        cols = {
            "order": "订单编号",
            "paid": "是否付款",
            "time": "催付时间",
            "created": "下单时间",
            "channel": "催付工具",
            "reason": "未付款原因",
            "reason_group": "未付款原因大类",
        }
    else:
        cols = {
            "order": order_col,
            "paid": paid_after_col,
            "time": reminded_col,
            "channel": channel_col,
            "reason": reason_col,
            "reason_group": reason_group_col,
        }
    check_dataframe(data, name, [cols["order"], cols["paid"], cols["time"]], allow_empty=True)
    time = check_datetime(data, name, cols["time"])
    keep = time.notna().to_numpy(dtype=bool)  # a simulated order that was not reminded
    data = data[keep]
    time = time[keep]
    if len(data) == 0:
        raise ValueError("没有任何催付记录，无法计算催付成功率（分母是催付过的订单数，不能为 0）。")
    check_no_missing(data, name, cols["order"], "订单编号")
    frame = pd.DataFrame(
        {
            "order": data[cols["order"]].to_numpy(),
            "paid": check_bool_column(data, name, cols["paid"]).to_numpy(),
        }
    )
    if by is None:
        return frame
    if by in ("channel", "reason", "reason_group"):
        check_columns(data, name, [cols[by]])
        key = data[cols[by]]
        check_no_missing(data, name, cols[by])
        if isinstance(key.dtype, pd.CategoricalDtype):
            frame["key"] = key.reset_index(drop=True)
        elif by == "channel":  # the tools in their usual order, then any others
            present = pd.unique(key.to_numpy())
            order = [c for c in REMINDER_CHANNELS if c in set(present)]
            order += sorted((c for c in present if c not in REMINDER_CHANNELS), key=str)
            frame["key"] = pd.Categorical(key.to_numpy(), categories=order)
        else:
            frame["key"] = key.to_numpy()
    elif by == "hour":
        frame["key"] = time.dt.hour.to_numpy()
    else:  # delay
        if "created" not in cols:
            raise ValueError(
                "按催付时距（by='delay'）分组需要下单时间：请先用 reminder_register(reminders, orders) "
                "生成催付登记表，再计算催付成功率。"
            )
        check_columns(data, name, [cols["created"]])
        created = check_datetime(data, name, cols["created"])
        check_no_missing(created.to_frame(cols["created"]), name, cols["created"], "下单时间")
        seconds = (time - created).dt.total_seconds().to_numpy()
        frame["key"] = pd.Categorical.from_codes(
            _delay_codes(seconds), categories=list(DELAY_BUCKETS), ordered=True
        )
    return frame


def reminder_success_rate(
    register_or_reminders: pd.DataFrame,
    *,
    by: str | None = None,
    order_col: str = "order_id",
    paid_after_col: str = "paid_after",
    reminded_col: str = "reminded_at",
    channel_col: str = "channel",
    reason_col: str = "reason",
    reason_group_col: str = "reason_group",
) -> float | pd.DataFrame:
    """催付成功率 (reminder success rate), overall or by reason, tool, hour or delay.

    There is no standard formula for 催付成功率; **the course defines it** as

        催付成功率 = 催付后付款的订单数 ÷ 催付过的订单数

    counting *orders*, not reminders: an order reminded twice counts once, and it is a
    success when it was paid after (at least) one of its reminders.  By group, an order
    counts once in every group it was reminded in (an order reminded by 千牛 and then by 短信
    is in both rows), so the group counts may add up to more than the overall count.

    Parameters
    ----------
    register_or_reminders : pandas.DataFrame
        The 催付登记表 from :func:`reminder_register` (or the table of
        :func:`simulate_reminder_strategy`; rows without a 催付时间 are not reminders and are
        left out), or the raw reminders table (English columns, see below).
    by : {None, "reason", "reason_group", "channel", "hour", "delay"}, default None
        None: one number.  ``"reason"`` 未付款原因, ``"reason_group"`` 未付款原因大类,
        ``"channel"`` 催付工具, ``"hour"`` the hour of the reminder (0-23), ``"delay"`` the
        time from order to reminder in the buckets of :data:`DELAY_BUCKETS` (<10分钟,
        10分钟-6小时, 6-24小时, >24小时; needs the register, which has the order time).
    order_col, paid_after_col, reminded_col, channel_col, reason_col, reason_group_col : str
        Column names of a raw reminders table (the register's Chinese names are fixed).

    Returns
    -------
    float or pandas.DataFrame
        With ``by=None`` the rate.  Otherwise one row per group that has reminders (index
        named 未付款原因 / 未付款原因大类 / 催付工具 / 催付时刻（点） / 催付时距), columns
        催付订单数, 催付后付款订单数, 催付成功率.

    Raises
    ------
    TypeError, ValueError
        If a column is missing, 是否付款 is not True/False, there is no reminder at all, or
        ``by="delay"`` is asked of a raw reminders table.

    Examples
    --------
    >>> register = pd.DataFrame({"订单编号": [1, 1, 2, 3],
    ...     "催付时间": pd.to_datetime(["2025-03-01 10:00", "2025-03-01 15:00", "2025-03-01 11:00",
    ...                             "2025-03-01 12:00"]),
    ...     "催付工具": ["千牛", "短信", "千牛", "电话"], "是否付款": [True, True, False, True]})
    >>> reminder_success_rate(register)          # orders 1 and 3 of 3
    0.6666666666666666
    >>> by_tool = reminder_success_rate(register, by="channel")
    >>> by_tool.index.name, by_tool.columns.tolist()
    ('催付工具', ['催付订单数', '催付后付款订单数', '催付成功率'])
    >>> by_tool["催付成功率"].to_dict()
    {'千牛': 0.5, '短信': 1.0, '电话': 1.0}
    """
    if by is not None:
        check_choice(by, "by（分组方式）", [None, *_BY])
    frame = _success_frame(
        register_or_reminders,
        by,
        order_col=order_col,
        paid_after_col=paid_after_col,
        reminded_col=reminded_col,
        channel_col=channel_col,
        reason_col=reason_col,
        reason_group_col=reason_group_col,
    )
    if by is None:
        per_order = frame.groupby("order", sort=False)["paid"].any()
        return float(per_order.mean())
    pairs = frame.groupby(["key", "order"], sort=False, observed=True)["paid"].any()
    grouped = pairs.groupby(level="key", sort=True, observed=True)
    result = pd.DataFrame({"催付订单数": grouped.size(), "催付后付款订单数": grouped.sum().astype(np.int64)})
    result["催付成功率"] = result["催付后付款订单数"] / result["催付订单数"]
    return result.rename_axis(_BY[by])


def reminder_summary(
    register: pd.DataFrame,
    *,
    by: Sequence[str] = ("reason", "channel", "hour"),
    **columns: str,
) -> pd.DataFrame:
    """总结优化表：按未付款原因、催付工具、催付时刻汇总催付成功率 (the summary table, tidy).

    One table with the 催付成功率 (:func:`reminder_success_rate`, the course's definition) of
    every group of every dimension, and how far each is above or below the overall rate --
    to see which reasons need a better script, which tool works and when to remind.

    Parameters
    ----------
    register : pandas.DataFrame
        The 催付登记表 (:func:`reminder_register`) or the raw reminders table.
    by : sequence of str, default ("reason", "channel", "hour")
        The dimensions, any of ``"reason"``, ``"reason_group"``, ``"channel"``, ``"hour"``,
        ``"delay"`` (see :func:`reminder_success_rate`).
    **columns : str
        Column names of a raw reminders table, as in :func:`reminder_success_rate`.

    Returns
    -------
    pandas.DataFrame
        Columns 维度 (未付款原因 / 催付工具 / 催付时刻（点） …), 分组 (the group as text, e.g.
        ``"千牛"``, ``"14点"``), 催付订单数, 催付后付款订单数, 催付成功率, 与整体相比（百分点）
        (the rate minus the overall rate, × 100).

    Raises
    ------
    TypeError, ValueError
        As :func:`reminder_success_rate`; also for an unknown or empty ``by``.

    Examples
    --------
    >>> import crm_helpers
    >>> store = crm_helpers.load_store()
    >>> table = reminder_summary(reminder_register(store.reminders, store.orders))
    >>> table["维度"].unique().tolist()
    ['未付款原因', '催付工具', '催付时刻（点）']
    """
    if not is_list_like(by):
        raise TypeError(
            f"参数 by 应该是维度名称的列表，例如 ['reason', 'channel', 'hour']；收到的是 {by!r}。"
        )
    dims = list(by)
    if not dims:
        raise ValueError("参数 by 不能是空的，例如 ['reason', 'channel', 'hour']。")
    for dim in dims:
        check_choice(dim, "by（汇总维度）", list(_BY))
    overall = reminder_success_rate(register, **columns)
    parts = []
    for dim in dims:
        rates = reminder_success_rate(register, by=dim, **columns)
        labels = [f"{k}点" for k in rates.index] if dim == "hour" else [str(k) for k in rates.index]
        part = rates.reset_index(drop=True)
        part.insert(0, "分组", labels)
        part.insert(0, "维度", _BY[dim])
        parts.append(part)
    result = pd.concat(parts, ignore_index=True)
    result["与整体相比（百分点）"] = ((result["催付成功率"] - overall) * 100).round(1)
    return result


# ---- strategies (on the response model of crm_helpers.patterns) ------------------------------------------------------------


#: The named strategies of :func:`simulate_reminder_strategy` (all remind by 千牛).
REMINDER_STRATEGIES: Mapping[str, str] = MappingProxyType(
    {
        "不催付": "不催付（对照组）",
        "立即": "下单后 1 分钟就催付",
        "按表4.1": "按表4.1，在最早可以催付的时间催付",
        "晚一天": "下单 24 小时后才催付",
    }
)


def _strategy_times(
    name_or_function: Any, frame: pd.DataFrame, created: pd.Series, windows: Callable[[], pd.Series]
) -> tuple[pd.Series, pd.Series]:
    """Reminder times and tools of the candidates, from a named strategy or a function."""
    n = len(frame)
    if isinstance(name_or_function, str):
        check_choice(name_or_function, "strategy（催付策略）", list(REMINDER_STRATEGIES))
        if name_or_function == "不催付":
            times = pd.Series(pd.NaT, index=frame.index, dtype=created.dtype)
        elif name_or_function == "立即":
            times = created + pd.Timedelta(minutes=1)
        elif name_or_function == "晚一天":
            times = created + pd.Timedelta(hours=24)
        else:
            times = windows()
        return times, pd.Series("千牛", index=frame.index)
    if not callable(name_or_function):
        raise TypeError(
            f"参数 strategy（催付策略）应该是策略名称（{'、'.join(REMINDER_STRATEGIES)}）或一个函数；"
            f"收到的是 {name_or_function!r}。"
        )
    result = name_or_function(frame.copy())
    channel = None
    if isinstance(result, pd.DataFrame):
        check_columns(result, "策略函数返回的数据表", ["催付时间"])
        channel = result["催付工具"] if "催付工具" in result.columns else None
        result = result["催付时间"]
    if isinstance(result, pd.Series):
        if not result.index.equals(frame.index):
            raise ValueError(
                "策略函数返回的结果要和传给它的订单表一一对应（同样的索引 index），"
                "例如 return orders['created_at'] + pd.Timedelta(hours=1)。"
            )
    else:
        if not is_list_like(result):
            raise TypeError(
                "策略函数应该返回催付时间（每笔订单一个时间的 Series），或带“催付时间”“催付工具”两列的数据表；"
                f"收到的是 {type(result).__name__}。"
            )
        result = pd.Series(list(result), index=frame.index if len(list(result)) == n else None)
        if len(result) != n:
            raise ValueError(
                f"策略函数返回了 {len(result)} 个催付时间，但有 {n} 笔未付款订单，两者要一样多。"
            )
    times = check_datetime(result.to_frame("催付时间"), "策略函数的结果", "催付时间")
    if channel is None:
        channel = pd.Series("千牛", index=frame.index)
    channel = pd.Series(channel.to_numpy(dtype=object), index=frame.index).where(
        channel.notna().to_numpy(), "千牛"
    )
    bad = ~channel.isin(REMINDER_CHANNELS)
    if bad.any():
        raise ValueError(
            f"策略函数给出的催付工具只能是 {'、'.join(REMINDER_CHANNELS)} 之一，收到了 {channel[bad].iloc[0]!r}。"
        )
    return times, channel


def simulate_reminder_strategy(
    orders: pd.DataFrame,
    strategy: str | Callable[[pd.DataFrame], Any],
    *,
    seed: int = 0,
    customers_orders: pd.DataFrame | None = None,
    reasons: pd.DataFrame | None = None,
    paid_within: str | pd.Timedelta = "10min",
    auto_close: str | pd.Timedelta = "72h",
    table: Any = REMINDER_TIME_TABLE,
    ship_cutoff: str = "17:00",
    night_start: str = "22:00",
    night_end: str = "08:00",
    min_wait: str | pd.Timedelta = "10min",
    order_col: str = "order_id",
    customer_col: str = "customer_id",
    created_col: str = "created_at",
    paid_col: str = "paid_at",
) -> tuple[pd.DataFrame, float]:
    """模拟一种催付策略的效果 (simulate what a reminder strategy would have achieved).

    The orders that were not paid at once (no payment within ``paid_within`` of the order)
    are replayed: each gets a reason for not paying (drawn with the weights of
    ``unpaid_reasons.csv``), the strategy gives it a reminder time and tool, and what the
    buyer does comes from :meth:`crm_helpers.patterns.ReminderResponsePattern.outcome` --
    the same model and code as the simulated shop: he may pay by himself (一般买家 about 8
    hours after the order, 两次以上购买的买家 more often and later, about 30 hours), and a
    buyer who pays before the planned reminder is not reminded (``催付时间`` empty); a
    reminder convinces some of the others (:func:`reminder_response_probability`) and they
    pay about 40 minutes after it.  So reminding never loses to not reminding.  A reminder
    at or after the auto-close (``auto_close`` after the order) cannot happen: that order
    counts as not reminded.  Payments happen only before the auto-close.
    The random numbers depend only on ``seed`` and the orders, not on the strategy, so two
    strategies with the same seed are compared on the same buyers.

    Parameters
    ----------
    orders : pandas.DataFrame
        The orders (e.g. ``store.orders``); not modified.
    strategy : str or callable
        A name from :data:`REMINDER_STRATEGIES` -- ``"立即"`` (1 minute after the order),
        ``"按表4.1"`` (the earliest time of the window of :func:`reminder_windows`),
        ``"晚一天"`` (24 hours after the order), ``"不催付"`` -- all by 千牛; or a function
        that receives the unpaid orders (a copy, with an extra ``bool`` column
        ``repeat_buyer`` = 两次以上购买的买家) and returns their reminder times (a Series with
        the same index; ``NaT`` = no reminder) or a DataFrame with columns 催付时间 and
        催付工具 (千牛/短信/电话; missing = 千牛).
    seed : int, default 0
        Random seed; the same seed gives the same result.
    customers_orders : pandas.DataFrame, optional
        History for 两次以上购买的买家; default ``orders``.
    reasons : pandas.DataFrame, optional
        Reasons with columns reason_group, reason, weight, pay_probability; default the
        shipped ``unpaid_reasons.csv``.
    paid_within : str or pandas.Timedelta, default "10min"
        Orders paid within this time after the order were paid at once and are not replayed.
    auto_close : str or pandas.Timedelta, default "72h"
        Unpaid orders close this long after the order.
    table, ship_cutoff, night_start, night_end, min_wait
        The rule used by ``"按表4.1"``, as in :func:`reminder_window`.
    order_col, customer_col, created_col, paid_col : str
        Column names.

    Returns
    -------
    (pandas.DataFrame, float)
        The simulated register, one row per unpaid order: 订单编号, 下单时间, 两次以上购买,
        未付款原因大类, 未付款原因, 催付时间 (``NaT`` = not reminded), 催付工具, 催付时距,
        付款概率 (the chance to pay at all: by himself, or after the reminder -- never lower
        than without one), 是否付款 (within the auto-close; for a reminded order that is after
        the reminder), 付款时间, 催付后多久付款（分钟）; and the 催付成功率 of the reminded
        orders (:func:`reminder_success_rate`; ``NaN`` when no order was reminded).

    Raises
    ------
    TypeError, ValueError
        For a bad table, an unknown strategy name, a strategy function whose result does not
        fit the orders or reminds before an order was placed, or a bad parameter.

    Examples
    --------
    >>> import crm_helpers
    >>> store = crm_helpers.simulate_store(3000, 120, seed=1)
    >>> register, rate = simulate_reminder_strategy(store.orders, "按表4.1", seed=1)
    >>> rate == simulate_reminder_strategy(store.orders, "按表4.1", seed=1)[1]   # same seed, same result
    True
    >>> bool(register["催付时间"].isna().any())   # a buyer who paid before the planned reminder
    True
    >>> def two_hours_by_phone(unpaid):
    ...     return pd.DataFrame({"催付时间": unpaid["created_at"] + pd.Timedelta(hours=2), "催付工具": "电话"})
    >>> register, rate = simulate_reminder_strategy(store.orders, two_hours_by_phone, seed=1)
    >>> register["催付工具"].dropna().unique().tolist()
    ['电话']
    """
    seed = check_seed(seed)
    within = check_timedelta(paid_within, "paid_within（拍下即付的时限）", "0s")
    close_after = check_timedelta(auto_close, "auto_close（自动关闭时间）", "0s", strict=True)
    check_dataframe(orders, "orders", [order_col, created_col, paid_col], allow_empty=True)
    created_all = _times(orders, "orders", created_col, "下单时间", required=True)
    paid_all = _times(orders, "orders", paid_col, "付款时间", required=False)
    check_same_zone(paid_all, created_all, f"数据表 orders 的列 '{paid_col}' 和下单时间")
    reason_table = read_data_table("unpaid_reasons") if reasons is None else reasons
    check_dataframe(reason_table, "reasons", ["reason_group", "reason", "weight", "pay_probability"])
    weights = pd.to_numeric(reason_table["weight"], errors="coerce").to_numpy(dtype=float)
    base_p = pd.to_numeric(reason_table["pay_probability"], errors="coerce").to_numpy(dtype=float)
    if np.isnan(weights).any() or (weights < 0).any() or weights.sum() <= 0:
        raise ValueError("数据表 reasons 的列 'weight'（权重）应该是不为负的数字，而且不能全是 0。")
    if np.isnan(base_p).any() or (base_p < 0).any() or (base_p > 1).any():
        raise ValueError("数据表 reasons 的列 'pay_probability'（付款概率）应该是 0 到 1 之间的数字。")

    c_all, p_all = wall_ns(created_all), wall_ns(paid_all)
    unpaid = (p_all == NAT_NS) | (p_all - c_all >= within.value)
    frame = orders[unpaid]
    created = created_all[unpaid]
    history = orders if customers_orders is None else customers_orders
    repeat = _repeat(frame, created, history, None, customer_col=customer_col, paid_col=paid_col)
    frame = frame.assign(repeat_buyer=repeat)

    def windows() -> pd.Series:
        out = reminder_windows(
            frame, repeat_col="repeat_buyer", table=table, ship_cutoff=ship_cutoff, night_start=night_start, night_end=night_end,
            min_wait=min_wait, order_col=order_col, created_col=created_col,
        )  # fmt: skip
        return out["最早催付时间"]

    times, channel = _strategy_times(strategy, frame, created, windows)
    check_same_zone(times, created, "数据表 策略函数的结果 的列 '催付时间' 和下单时间")
    c = wall_ns(created)
    t = wall_ns(times)
    has_time = t != NAT_NS
    early = has_time & (t < c)
    if early.any():
        k = int(np.argmax(early))
        raise ValueError(
            f"策略给订单 {frame[order_col].iloc[k]} 的催付时间 {times.iloc[k]} 早于它的下单时间 "
            f"{created.iloc[k]}：不能在下单之前催付。"
        )
    reminded = has_time & (t < c + close_after.value)

    n = len(frame)
    rng = np.random.default_rng(seed)
    cdf = np.cumsum(weights)
    reason = np.searchsorted(cdf, rng.random(n) * cdf[-1], side="right").clip(0, len(cdf) - 1)
    draws = np.vstack([rng.random((2, n)), rng.exponential(1.0, (2, n))])

    delay = np.where(reminded, (t - c) / SECOND_NS, np.nan)
    hour = np.where(reminded, (t % DAY_NS) // HOUR_NS, 12)
    channel_values = np.where(reminded, channel.to_numpy(dtype=object), "千牛")
    # Check the inputs as the public model function does, then run the simulator's model.
    reminder_response_probability(delay, hour, channel_values, base_p[reason])
    model = ReminderResponsePattern()
    outcome = model.outcome(
        delay=delay, hour=hour, channel=channel_values, base=base_p[reason], repeat=repeat, draws=draws,
        auto_close_seconds=close_after.value / SECOND_NS,
    )  # fmt: skip
    # A buyer who paid by himself before the planned reminder was not reminded.
    reminded = outcome.reminded
    delay = np.where(reminded, delay, np.nan)
    probability = model.pay_chance(delay, hour, channel_values, base_p[reason], repeat)
    pays = outcome.pays
    pay_ns = c + (np.nan_to_num(outcome.pay_after) * SECOND_NS).astype(np.int64)
    response = np.where(reminded, (pay_ns - t) / SECOND_NS, np.nan)
    tz = time_zone(created)
    delay_label = pd.Categorical.from_codes(
        np.where(reminded, _delay_codes(np.nan_to_num(delay)), -1),
        categories=list(DELAY_BUCKETS),
        ordered=True,
    )
    index = pd.RangeIndex(n)
    groups = reason_table["reason_group"].astype(str).to_numpy()[reason]
    names = reason_table["reason"].astype(str).to_numpy()[reason]
    register = pd.DataFrame(
        {
            "订单编号": frame[order_col].to_numpy(),
            "下单时间": created.reset_index(drop=True),
            "两次以上购买": repeat,
            "未付款原因大类": pd.Categorical(
                groups, categories=pd.unique(reason_table["reason_group"].astype(str))
            ),
            "未付款原因": pd.Categorical(names, categories=pd.unique(reason_table["reason"].astype(str))),
            "催付时间": from_wall_ns(np.where(reminded, t, NAT_NS), tz, index),
            "催付工具": pd.Categorical(
                np.where(reminded, channel_values, None), categories=list(REMINDER_CHANNELS)
            ),
            "催付时距": delay_label,
            "付款概率": probability,
            "是否付款": pays,
            "付款时间": from_wall_ns(np.where(pays, pay_ns, NAT_NS), tz, index),
            "催付后多久付款（分钟）": np.where(pays & reminded, np.round(response / 60, 1), np.nan),
        },
        index=index,
    )
    rate = reminder_success_rate(register) if reminded.any() else float("nan")
    return register, rate


def compare_reminder_strategies(
    orders: pd.DataFrame,
    strategies: Sequence[str] | Mapping[str, Any] = tuple(REMINDER_STRATEGIES),
    *,
    seed: int = 0,
    **options: Any,
) -> pd.DataFrame:
    """比较几种催付策略 (compare reminder strategies on the same unpaid orders).

    Runs :func:`simulate_reminder_strategy` once per strategy with the same ``seed`` (so on
    the same simulated buyers) and puts the results side by side.

    Parameters
    ----------
    orders : pandas.DataFrame
        The orders (e.g. ``store.orders``).
    strategies : sequence of str or mapping, default all of REMINDER_STRATEGIES
        Strategy names, or a mapping 名称 → name or function.
    seed : int, default 0
        Random seed.
    **options
        Other keyword arguments of :func:`simulate_reminder_strategy` (``table=``,
        ``created_col=`` …).

    Returns
    -------
    pandas.DataFrame
        One row per strategy (index 策略): 未付款订单数, 催付订单数, 催付后付款订单数,
        催付成功率 (the course's definition; ``NaN`` without reminders), 付款订单数 (paid
        before the auto-close, with or without a reminder), 最终付款率 (付款订单数 ÷
        未付款订单数).

    Examples
    --------
    >>> import crm_helpers
    >>> store = crm_helpers.simulate_store(3000, 120, seed=1)
    >>> table = compare_reminder_strategies(store.orders, seed=1)
    >>> table.index.tolist()
    ['不催付', '立即', '按表4.1', '晚一天']
    >>> int(table.loc["不催付", "催付订单数"])
    0
    """
    if isinstance(strategies, Mapping):
        items = list(strategies.items())
    elif not is_list_like(strategies):
        raise TypeError(
            f"参数 strategies 应该是策略名称的列表，例如 {list(REMINDER_STRATEGIES)}；收到的是 {strategies!r}。"
        )
    else:
        items = [(name, name) for name in strategies]
    if not items:
        raise ValueError("参数 strategies 不能是空的，至少要比较一种策略。")
    rows = {}
    for label, strategy in items:
        register, rate = simulate_reminder_strategy(orders, strategy, seed=seed, **options)
        reminded = register["催付时间"].notna()
        rows[str(label)] = {
            "未付款订单数": len(register),
            "催付订单数": int(reminded.sum()),
            "催付后付款订单数": int((register["是否付款"] & reminded).sum()),
            "催付成功率": rate,
            "付款订单数": int(register["是否付款"].sum()),
            "最终付款率": float(register["是否付款"].mean()) if len(register) else float("nan"),
        }
    return pd.DataFrame.from_dict(rows, orient="index").rename_axis("策略")
