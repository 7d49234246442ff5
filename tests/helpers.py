"""Small helpers shared by the test files (import them as ``from helpers import ...``)."""

from __future__ import annotations

import pandas as pd


def snapshot(*frames: pd.DataFrame) -> list[pd.DataFrame]:
    """Deep copies of the frames, to check later that a function did not modify them."""
    return [f.copy(deep=True) for f in frames]


def assert_unchanged(before: list[pd.DataFrame], *frames: pd.DataFrame) -> None:
    """Fail if any frame differs from its snapshot."""
    for old, new in zip(before, frames, strict=True):
        pd.testing.assert_frame_equal(old, new)
