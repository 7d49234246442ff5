"""Input checks shared by every module.

Each check raises a ``TypeError`` or ``ValueError`` whose message is Chinese first (the
English term in brackets), names the offending value and says what is allowed.  Checks
never modify what they are given.
"""

from __future__ import annotations

import numbers
from collections.abc import Iterable
from typing import Any

import pandas as pd

__all__ = [
    "is_list_like",
    "check_choice",
    "check_columns",
    "check_dataframe",
    "check_int",
    "check_no_missing",
    "check_non_negative",
    "check_seed",
]


def is_list_like(value: Any) -> bool:
    """Whether ``value`` is a collection of values (list, tuple, set, Series …) and not text.

    Examples
    --------
    >>> is_list_like(["千牛", "短信"]), is_list_like("千牛"), is_list_like(3)
    (True, False, False)
    """
    return not isinstance(value, (str, bytes)) and isinstance(value, Iterable)


def _preview(items: Iterable[Any], limit: int = 12) -> str:
    items = [str(i) for i in items]
    shown = "、".join(items[:limit])
    return shown + (f" 等 {len(items)} 个" if len(items) > limit else "")


def check_dataframe(df: Any, name: str, columns: Iterable[str] = (), *, allow_empty: bool = False) -> None:
    """Check that ``df`` is a non-empty DataFrame with the given columns.

    Parameters
    ----------
    df : object
        The value to check.
    name : str
        How the value is called in the message (usually the parameter name).
    columns : iterable of str
        Columns that must be present.
    allow_empty : bool, default False
        Accept a table without rows (e.g. a shop that had no refunds).

    Raises
    ------
    TypeError
        If ``df`` is not a ``pandas.DataFrame``.
    ValueError
        If ``df`` has no rows or lacks a column.
    """
    if not isinstance(df, pd.DataFrame):
        raise TypeError(f"参数 {name} 应该是 pandas 数据表（DataFrame），收到的却是 {type(df).__name__}。")
    if len(df) == 0 and not allow_empty:
        raise ValueError(f"数据表 {name} 是空的（empty DataFrame），至少需要一行数据才能计算。")
    check_columns(df, name, columns)


def check_columns(df: pd.DataFrame, name: str, columns: Iterable[str]) -> None:
    """Raise ``ValueError`` naming the first column of ``columns`` missing from ``df``."""
    for column in columns:
        if column not in df.columns:
            raise ValueError(
                f"数据表 {name} 缺少列 '{column}'（missing column）。"
                f"现有的列：{_preview(df.columns)}。"
                "如果你的数据用了别的列名，请用对应的参数告诉函数。"
            )


def check_no_missing(df: pd.DataFrame, name: str, column: str, what: str = "值") -> None:
    """Raise ``ValueError`` if ``df[column]`` has missing values, naming the first row."""
    missing = df[column].isna()
    if missing.any():
        first = missing.idxmax()
        raise ValueError(
            f"数据表 {name} 的列 '{column}' 有 {int(missing.sum())} 个缺失的{what}（missing value），"
            f"例如索引为 {first} 的那一行。请先补全或删掉这些行。"
        )


def check_non_negative(df: pd.DataFrame, name: str, column: str) -> None:
    """Raise ``ValueError`` if ``df[column]`` holds a negative number, naming the first one."""
    values = pd.to_numeric(df[column], errors="coerce")
    negative = values < 0
    if negative.any():
        first = negative.idxmax()
        raise ValueError(
            f"数据表 {name} 的列 '{column}' 出现了负数（negative value）{values[first]}"
            f"（索引为 {first} 的那一行），这一列只允许 0 或正数。"
        )


def check_choice(value: Any, name: str, allowed: Iterable[Any]) -> None:
    """Raise ``ValueError`` if ``value`` is not one of ``allowed``."""
    allowed = list(allowed)
    if value not in allowed:
        raise ValueError(
            f"参数 {name} 不能是 {value!r}，只能是以下之一：{_preview(repr(a) for a in allowed)}。"
        )


def check_int(value: Any, name: str, minimum: int | None = None) -> int:
    """Return ``value`` as ``int`` after checking it is a whole number not below ``minimum``.

    ``bool`` is refused even though Python treats it as an integer.
    """
    if isinstance(value, bool) or not isinstance(value, numbers.Integral):
        raise TypeError(f"参数 {name} 应该是整数（integer），收到的是 {value!r}（{type(value).__name__}）。")
    value = int(value)
    if minimum is not None and value < minimum:
        raise ValueError(f"参数 {name} 至少要是 {minimum}，收到的是 {value}。")
    return value


def check_seed(seed: Any) -> int:
    """Return ``seed`` as ``int``; it must be a whole number from 0 to 2**63 - 1."""
    if isinstance(seed, bool) or not isinstance(seed, numbers.Integral):
        raise TypeError(
            f"随机种子 seed 应该是非负整数（integer），例如 2024；收到的是 {seed!r}"
            f"（{type(seed).__name__}）。"
        )
    seed = int(seed)
    if not 0 <= seed < 2**63:
        raise ValueError(f"随机种子 seed 必须在 0 到 2**63-1 之间，收到的是 {seed}。")
    return seed


def check_numeric(df: pd.DataFrame, name: str, column: str) -> None:
    """Raise ``ValueError`` if ``df[column]`` does not hold numbers (text and ``bool`` are refused)."""
    dtype = df[column].dtype
    if not pd.api.types.is_numeric_dtype(dtype) or pd.api.types.is_bool_dtype(dtype):
        raise ValueError(
            f"数据表 {name} 的列 '{column}' 应该是数字（numeric），现在的类型却是 {dtype}。"
            "如果数据是从文件读入的文字，请先用 pd.to_numeric 转成数字。"
        )


def check_datetime(df: pd.DataFrame, name: str, column: str) -> pd.Series:
    """Return ``df[column]`` as date-times, converting text such as ``"2024-03-01 10:00"``.

    ``df`` itself is not changed.  Numbers are refused rather than read as nanoseconds.

    Raises
    ------
    ValueError
        If the column holds numbers, or text that is not a date-time.
    """
    values = df[column]
    if pd.api.types.is_datetime64_any_dtype(values.dtype):
        return values
    numeric = pd.api.types.is_numeric_dtype(values.dtype) or pd.api.types.is_bool_dtype(values.dtype)
    if numeric and not values.isna().all():  # an all-empty column read from a file is float
        raise ValueError(
            f"数据表 {name} 的列 '{column}' 应该是时间（datetime），现在的类型却是 {values.dtype}。"
        )
    try:
        return pd.to_datetime(values)
    except (ValueError, TypeError) as exc:
        raise ValueError(
            f"数据表 {name} 的列 '{column}' 应该是时间（datetime），但有的值无法读成时间：{exc}。"
            "请先用 pd.to_datetime 转换并检查这些值。"
        ) from exc


def check_number(value: Any, name: str, minimum: float | None = None, *, strict: bool = False) -> float:
    """Return ``value`` as ``float`` after checking it is a real number at or above ``minimum``.

    With ``strict=True`` the number must be above ``minimum``.  ``bool`` and ``NaN`` are refused.
    """
    if isinstance(value, bool) or not isinstance(value, numbers.Real) or value != value:
        raise TypeError(f"参数 {name} 应该是数字（number），收到的是 {value!r}（{type(value).__name__}）。")
    value = float(value)
    if minimum is not None and (value <= minimum if strict else value < minimum):
        relation = "大于" if strict else "至少是"
        raise ValueError(f"参数 {name} 必须{relation} {minimum:g}，收到的是 {value:g}。")
    return value


def check_timestamp(value: Any, name: str) -> pd.Timestamp:
    """Return ``value`` as a ``pandas.Timestamp``; text such as ``"2025-03-01 10:00"`` is read.

    Numbers and ``bool`` are refused rather than read as nanoseconds; an empty time (``None``,
    ``NaT``) is refused too.

    Raises
    ------
    TypeError
        If ``value`` is a number or ``bool``.
    ValueError
        If ``value`` is empty or cannot be read as a time.
    """
    if isinstance(value, (bool, numbers.Number)):
        raise TypeError(
            f"参数 {name} 应该是时间（datetime），例如 '2025-03-01 10:00'；"
            f"收到的是 {value!r}（{type(value).__name__}）。"
        )
    try:
        ts = pd.Timestamp(value)
    except (TypeError, ValueError) as exc:
        raise ValueError(
            f"参数 {name} 应该是时间（datetime），例如 '2025-03-01 10:00'；收到的 {value!r} 无法读成时间。"
        ) from exc
    if pd.isna(ts):
        raise ValueError(
            f"参数 {name} 不能是空的时间（NaT / None），请给出具体时间，例如 '2025-03-01 10:00'。"
        )
    return ts


def check_text(value: Any, name: str, *, max_length: int | None = None) -> str:
    """Return ``value`` stripped of surrounding spaces; it must be non-empty text.

    Raises
    ------
    TypeError
        If ``value`` is not a ``str``.
    ValueError
        If it is empty (or only spaces) or longer than ``max_length`` characters.
    """
    if not isinstance(value, str):
        raise TypeError(f"参数 {name} 应该是文字（str），收到的是 {value!r}（{type(value).__name__}）。")
    text = value.strip()
    if not text:
        raise ValueError(f"参数 {name} 不能是空的，请填写内容。")
    if max_length is not None and len(text) > max_length:
        raise ValueError(f"参数 {name} 最多 {max_length} 个字，现在有 {len(text)} 个字，请精简。")
    return text


def check_fraction(value: Any, name: str) -> float:
    """Return ``value`` as ``float`` after checking it is a share from 0 to 1 (比例，例如 0.5 表示 50%)."""
    value = check_number(value, name, 0)
    if value > 1:
        raise ValueError(
            f"参数 {name} 是一个比例，应该在 0 到 1 之间（例如 0.5 表示 50%），收到的是 {value:g}。"
        )
    return value


def check_unique(df: pd.DataFrame, name: str, column: str, what: str = "值") -> None:
    """Raise ``ValueError`` if ``df[column]`` holds a value twice, naming the first repeated one."""
    repeated = df[column].duplicated()
    if repeated.any():
        first = df[column][repeated].iloc[0]
        raise ValueError(
            f"数据表 {name} 的列 '{column}' 里{what} {first} 出现了不止一次（duplicate），"
            "每个值只能出现一次。请先删掉重复的行。"
        )


def check_flag(value: Any, name: str) -> bool:
    """Return ``value`` as ``bool``; only ``True`` / ``False`` (also NumPy's) are accepted."""
    import numpy as np

    if not isinstance(value, (bool, np.bool_)):
        raise TypeError(f"参数 {name} 应该是 True 或 False，收到的是 {value!r}（{type(value).__name__}）。")
    return bool(value)


def check_bool_column(df: pd.DataFrame, name: str, column: str) -> pd.Series:
    """Return ``df[column]`` as ``bool`` after checking it holds only True/False, no missing value."""
    values = df[column]
    if not pd.api.types.is_bool_dtype(values.dtype):
        raise ValueError(
            f"数据表 {name} 的列 '{column}' 应该只有 True / False（是 / 否），现在的类型却是 {values.dtype}。"
        )
    check_no_missing(df, name, column, "是/否")
    return values.astype(bool)


def check_timedelta(value: Any, name: str, minimum: Any = None, *, strict: bool = False) -> pd.Timedelta:
    """Return ``value`` as a ``pandas.Timedelta``; text such as ``"10min"`` or ``"72h"`` is read.

    Numbers are refused (is ``10`` ten minutes or ten hours?), so are ``bool`` and empty values.
    With ``minimum`` the duration must be at least (``strict=True``: more than) ``minimum``.
    """
    example = "例如 '10min'（10分钟）、'6h'（6小时）或 pd.Timedelta(hours=6)"
    if isinstance(value, (bool, numbers.Number)):
        raise TypeError(
            f"参数 {name} 应该是一段时间（duration），{example}；收到的是 {value!r}（{type(value).__name__}），"
            "只写数字分不清是分钟还是小时。"
        )
    try:
        delta = pd.Timedelta(value)
    except (TypeError, ValueError) as exc:
        raise ValueError(
            f"参数 {name} 应该是一段时间（duration），{example}；收到的 {value!r} 无法读懂。"
        ) from exc
    if pd.isna(delta):
        raise ValueError(f"参数 {name} 不能是空的时间段（NaT / None），{example}。")
    if minimum is not None:
        low = pd.Timedelta(minimum)
        if delta < low or (strict and delta == low):
            relation = "大于" if strict else "至少是"
            raise ValueError(f"参数 {name} 必须{relation} {low}，收到的是 {delta}。")
    return delta


def check_clock(value: Any, name: str, *, allow_24: bool = False) -> pd.Timedelta:
    """Return a clock time ``"HH:MM"`` (or ``datetime.time``) as the time since midnight.

    ``"24:00"`` (the midnight at the end of the day) is accepted only with ``allow_24``.
    """
    import datetime as dt
    import re

    if isinstance(value, dt.time):
        if value.second or value.microsecond or value.tzinfo is not None:
            raise ValueError(f"参数 {name} 只能精确到分钟、不带时区，例如 '17:00'；收到的是 {value!r}。")
        return pd.Timedelta(hours=value.hour, minutes=value.minute)
    latest = "24:00" if allow_24 else "23:59"
    if not isinstance(value, str):
        raise TypeError(
            f"参数 {name} 应该是钟点，写成 '时:分'，例如 '17:00'；收到的是 {value!r}（{type(value).__name__}）。"
        )
    match = re.fullmatch(r"\s*(\d{1,2})[:：](\d{2})\s*", value)
    minutes = int(match[1]) * 60 + int(match[2]) if match else -1
    if match is None or int(match[2]) > 59 or not 0 <= minutes <= (1440 if allow_24 else 1439):
        raise ValueError(
            f"参数 {name} 应该是 00:00 到 {latest} 之间的钟点，写成 '时:分'，例如 '17:00'；收到的是 {value!r}。"
        )
    return pd.Timedelta(minutes=minutes)
