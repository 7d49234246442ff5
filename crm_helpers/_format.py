"""How amounts of money, durations and moments appear in Chinese sentences (one format each)."""

from __future__ import annotations

import pandas as pd

__all__ = ["format_amount", "format_duration", "format_money", "format_moment"]


def format_amount(amount: float) -> str:
    """An amount in 元 as short text, without unit: at most two decimals, no trailing zeros.

    Examples
    --------
    >>> format_amount(95.5), format_amount(100.0), format_amount(12.345)
    ('95.5', '100', '12.35')
    """
    return f"{float(amount):.2f}".rstrip("0").rstrip(".")


def format_money(amount: float) -> str:
    """An amount with its unit, in 万元 from 10 000 元 on, as a Chinese sentence says it.

    Examples
    --------
    >>> format_money(95.5), format_money(100000), format_money(313650.26)
    ('95.5元', '10万元', '31.4万元')
    """
    if abs(amount) >= 10_000:
        return f"{amount / 10_000:.1f}".removesuffix(".0") + "万元"
    return format_amount(amount) + "元"


def format_duration(delta: pd.Timedelta) -> str:
    """A duration in Chinese: ``3 天 2 小时``, ``5 小时 12 分`` or ``40 分钟``."""
    minutes = max(int(delta / pd.Timedelta(minutes=1)), 0)
    days, rest = divmod(minutes, 24 * 60)
    hours, mins = divmod(rest, 60)
    if days:
        return f"{days} 天 {hours} 小时" if hours else f"{days} 天"
    if hours:
        return f"{hours} 小时 {mins} 分" if mins else f"{hours} 小时"
    return f"{mins} 分钟"


def format_moment(ts: pd.Timestamp) -> str:
    """A moment as a Chinese sentence says it: ``2025年3月1日 09:30``."""
    return f"{ts.year}年{ts.month}月{ts.day}日 {ts:%H:%M}"
