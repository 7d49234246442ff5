"""Static tables shipped with the package (names, regions, catalogue, glossary …).

They live as CSV files in ``crm_helpers/data/`` so that teachers can read and change them
without touching the generation code.  Files are read on first use, never at import.
"""

from __future__ import annotations

from functools import cache
from importlib import resources

import pandas as pd

__all__ = ["read_data_table"]


@cache
def _read_cached(name: str) -> pd.DataFrame:
    path = resources.files("crm_helpers").joinpath("data", f"{name}.csv")
    with path.open("r", encoding="utf-8") as handle:
        return pd.read_csv(handle, keep_default_na=True)


def read_data_table(name: str) -> pd.DataFrame:
    """Return a copy of the shipped table ``crm_helpers/data/<name>.csv``.

    Parameters
    ----------
    name : str
        File name without the ``.csv`` suffix, e.g. ``"products"``.

    Returns
    -------
    pandas.DataFrame
        A fresh copy, so callers may modify it freely.
    """
    return _read_cached(name).copy()
