"""A table the workbench appends to: one growable NumPy array per column, a DataFrame on demand.

The workbench writes one row at a time (a log entry, a 红包, a new sub-account) and reads whole
tables rarely (a lesson shows the log).  :class:`Table` makes the write cheap -- it sets one
element per column, doubling an array when it is full -- and builds the ``DataFrame`` only when
somebody reads it, once per change.  Rows that came with the shop (the history) stay in their
own, never-copied ``DataFrame``; :meth:`Table.frame` puts history and new rows together.

Times are stored as int64 nanoseconds (``Timestamp.value``), so a column of times can be
compared and grouped by day without building ``Timestamp`` objects; the frame gives them back
as date-times in the finest unit that was written (as pandas does when it builds a frame from
``Timestamp`` objects), or that :meth:`Table.raise_unit` asked for when plain nanoseconds are
appended.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import numpy as np
import pandas as pd

__all__ = ["TIME", "Table"]

#: Marks a column of date-times in a :class:`Table` schema.
TIME = "time"

_UNITS = ("s", "ms", "us", "ns")


def _storage_dtype(kind: Any) -> np.dtype:
    """How a column of this kind is stored while rows are appended."""
    if kind == TIME:
        return np.dtype("int64")
    if kind in ("int64", "float64", "bool"):
        return np.dtype(kind)
    return np.dtype(object)  # text, categories, frozensets


class Table:
    """Rows appended one at a time, read as a ``pandas.DataFrame`` (列式追加表).

    Parameters
    ----------
    schema : mapping of str to str or pandas dtype
        Column name → kind: ``"int64"``, ``"float64"``, ``"bool"``, :data:`TIME`,
        ``"object"`` (any Python value), ``"str"`` or a ``pandas.CategoricalDtype``.
    history : pandas.DataFrame, optional
        Rows that existed before (the shop's history), with the same columns.  They are
        kept as they are -- never copied, never changed -- and come first in :meth:`frame`.
    mutable : bool, default False
        Allow :meth:`update` of an appended row.  An append-only table (the audit log)
        refuses it.
    """

    def __init__(
        self, schema: Mapping[str, Any], history: pd.DataFrame | None = None, *, mutable: bool = False
    ) -> None:
        self._schema = dict(schema)
        self._history = history
        self._mutable = mutable
        self._arrays = {name: np.empty(16, dtype=_storage_dtype(kind)) for name, kind in self._schema.items()}
        self._units = dict.fromkeys((n for n, k in self._schema.items() if k == TIME), "s")
        self._size = 0
        self._frame: pd.DataFrame | None = None
        self._history_values: dict[str, np.ndarray] = {}

    # ---- writing ------------------------------------------------------------------------
    def append(self, **row: Any) -> int:
        """Append one row (every column given) and return its position among the new rows."""
        position = self._size
        if position == len(next(iter(self._arrays.values()))):
            for name, values in self._arrays.items():
                grown = np.empty(2 * len(values), dtype=values.dtype)
                grown[:position] = values
                self._arrays[name] = grown
        units = self._units
        for name, values in self._arrays.items():
            values[position] = self._store(name, row[name]) if name in units else row[name]
        self._size = position + 1
        self._frame = None
        return position

    def update(self, position: int, **values: Any) -> None:
        """Change cells of an appended row (only in a mutable table)."""
        if not self._mutable:
            raise TypeError("这张表只能追加，不能修改（append-only）。")
        for name, value in values.items():
            self._arrays[name][position] = self._store(name, value) if name in self._units else value
        self._frame = None

    def raise_unit(self, name: str, unit: str) -> None:
        """Make the time column ``name`` at least as fine as ``unit`` (``"s"`` … ``"ns"``) in :meth:`frame`."""
        if _UNITS.index(unit) > _UNITS.index(self._units[name]):
            self._units[name] = unit
            self._frame = None

    def _store(self, name: str, value: Any) -> int:
        """A time as int64 nanoseconds; an int is taken as nanoseconds already."""
        if isinstance(value, (int, np.integer)):
            return int(value)
        ts = pd.Timestamp(value)
        self.raise_unit(name, ts.unit)
        return ts.value

    # ---- reading ------------------------------------------------------------------------
    def __len__(self) -> int:
        return (0 if self._history is None else len(self._history)) + self._size

    @property
    def n_new(self) -> int:
        """How many rows were appended (the history not counted)."""
        return self._size

    def get(self, position: int, name: str) -> Any:
        """One cell of an appended row, as stored (a time is int64 nanoseconds)."""
        return self._arrays[name][position]

    def new_values(self, name: str) -> np.ndarray:
        """A read-only view of one column of the appended rows, as stored."""
        view = self._arrays[name][: self._size]
        view.flags.writeable = False
        return view

    def values(self, name: str) -> np.ndarray:
        """One column of history and appended rows together, as stored (times in nanoseconds)."""
        new = self._arrays[name][: self._size]
        if self._history is None or not len(self._history):
            return new.copy()
        if name not in self._history_values:
            column = self._history[name]
            if self._schema[name] == TIME:
                old = column.to_numpy(dtype="datetime64[ns]").view("int64")
            else:
                old = column.to_numpy(dtype=_storage_dtype(self._schema[name]))
            self._history_values[name] = old
        return np.concatenate([self._history_values[name], new])

    def frame(self) -> pd.DataFrame:
        """History and appended rows as a new ``DataFrame`` (changing it changes nothing here)."""
        if self._frame is None:
            self._frame = self._build()
        return self._frame.copy()

    def _new_frame(self) -> pd.DataFrame:
        columns = {}
        for name, kind in self._schema.items():
            values = self._arrays[name][: self._size].copy()
            if kind == TIME:
                values = pd.Series(values.view("datetime64[ns]")).astype(f"datetime64[{self._units[name]}]")
            elif isinstance(kind, pd.CategoricalDtype):
                values = pd.Categorical(values, dtype=kind)
            elif kind == "str":
                values = pd.array(values, dtype="str")
            columns[name] = values
        return pd.DataFrame(columns)

    def _build(self) -> pd.DataFrame:
        if self._history is None:
            return self._new_frame()
        if not self._size:
            return self._history.copy()
        return pd.concat([self._history, self._new_frame()], ignore_index=True)
