"""Time units and conversions shared by every module (one time-zone policy).

The policy
----------
Times are compared on the shop's **wall clock**: a 22:30 order is a night order whatever
time zone its column carries.  A time-zone-aware column is read in its own zone and its
zone dropped (``tz_localize(None)``, never ``tz_convert``); results go back into the zone of
the input.  Two columns compared with each other must both carry a zone or both not.

Units
-----
``DAY`` is always 86 400 **seconds** (the simulator counts in seconds); vectorised code that
works on ``datetime64[ns]`` integers uses the ``*_NS`` constants; ``ONE_DAY`` is the
``pandas.Timedelta`` of one day.
"""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd

from ._validation import check_timestamp

__all__ = [
    "DAY",
    "DAY_NS",
    "HOUR",
    "HOUR_NS",
    "MINUTE",
    "MINUTE_NS",
    "NAT_NS",
    "ONE_DAY",
    "SECOND_NS",
    "check_same_zone",
    "from_wall_ns",
    "moment_in_zone",
    "moment_wall_ns",
    "time_zone",
    "wall_ns",
]

MINUTE = 60
HOUR = 3600
DAY = 86_400

SECOND_NS = 10**9
MINUTE_NS = 60 * SECOND_NS
HOUR_NS = 60 * MINUTE_NS
DAY_NS = 24 * HOUR_NS
#: How ``NaT`` looks as an int64 nanosecond count.
NAT_NS = np.iinfo(np.int64).min

ONE_DAY = pd.Timedelta(days=1)


def time_zone(times: pd.Series) -> Any:
    """The time zone of a date-time column, or ``None`` when it carries none."""
    return getattr(times.dtype, "tz", None)


def wall_ns(times: pd.Series) -> np.ndarray:
    """Wall-clock times as int64 nanoseconds (``NaT`` becomes :data:`NAT_NS`).

    Parameters
    ----------
    times : pandas.Series
        A date-time column, with or without a time zone.

    Returns
    -------
    numpy.ndarray
        int64 nanoseconds since 1970-01-01 on the column's own wall clock.
    """
    if time_zone(times) is not None:
        times = times.dt.tz_localize(None)
    return times.to_numpy(dtype="datetime64[ns]").view(np.int64)


def from_wall_ns(values: np.ndarray, tz: Any = None, index: pd.Index | None = None) -> pd.Series:
    """Wall-clock int64 nanoseconds back to a date-time Series, in ``tz`` when given.

    A wall-clock time that does not exist in ``tz`` (a daylight-saving gap) moves forward;
    an ambiguous one becomes ``NaT``.
    """
    out = pd.Series(np.asarray(values, dtype=np.int64).view("datetime64[ns]"), index=index, copy=False)
    if tz is not None:
        out = out.dt.tz_localize(tz, ambiguous="NaT", nonexistent="shift_forward")
    return out


def check_same_zone(a: pd.Series, b: pd.Series, what: str) -> None:
    """Refuse to compare a zone-aware column with a zone-naive one.

    Parameters
    ----------
    a, b : pandas.Series
        Date-time columns.
    what : str
        The two columns as the message should name them, e.g.
        ``"数据表 orders 的列 'paid_at' 和下单时间"``.

    Raises
    ------
    ValueError
        If exactly one of the two carries a time zone.
    """
    if (time_zone(a) is None) != (time_zone(b) is None):
        raise ValueError(
            f"{what}一个带时区、一个不带时区（time zone），无法比较。"
            "请先统一，例如都用 .dt.tz_localize(None) 去掉时区。"
        )


def moment_in_zone(value: Any, name: str, like: pd.Series) -> pd.Timestamp:
    """A moment given by the user (``end``, ``now`` …) as a Timestamp comparable with ``like``.

    Text such as ``"2025-03-01 10:00"`` is read.  A naive moment is taken in the column's
    zone; an aware one is converted to it.

    Raises
    ------
    TypeError, ValueError
        If ``value`` is not a time (see :func:`crm_helpers._validation.check_timestamp`), or
        it carries a zone while ``like`` does not.
    """
    ts = check_timestamp(value, name)
    tz = time_zone(like)
    if ts.tzinfo is None:
        return ts if tz is None else ts.tz_localize(tz)
    if tz is None:
        raise ValueError(f"参数 {name} 带时区，而数据里的时间不带时区（time zone），无法比较；请去掉时区。")
    return ts.tz_convert(tz)


def moment_wall_ns(value: Any, name: str, like: pd.Series) -> int:
    """:func:`moment_in_zone` as wall-clock int64 nanoseconds."""
    ts = moment_in_zone(value, name, like)
    if ts.tzinfo is not None:
        ts = ts.tz_localize(None)
    return int(ts.as_unit("ns").value)
