"""Small vectorised helpers shared by the simulation steps: random draws and time units.

Times inside the simulator are whole seconds after the first midnight of the period.
"""

from __future__ import annotations

import numpy as np

__all__ = [
    "DAY",
    "HOUR",
    "MINUTE",
    "STREAMS",
    "Streams",
    "choice",
    "group_choice",
    "run_starts",
    "spawn_streams",
    "stable_order",
    "uniform_seconds",
]

MINUTE = 60
HOUR = 3600
DAY = 86400

#: One random stream per part of the shop, spawned from the seed in this order.  A step
#: draws only from its own stream(s), so steps are independent of each other's draws.
STREAMS = (
    "customers", "orders", "items", "payment", "logistics", "refunds", "chats",
    "events", "red_packets", "complaints", "reviews", "reminders", "growth",
)  # fmt: skip


class Streams:
    """The random generators of one shop, by name (``streams.orders`` …)."""

    __slots__ = STREAMS

    def __init__(self, generators: dict[str, np.random.Generator]) -> None:
        for name in STREAMS:
            setattr(self, name, generators[name])


def spawn_streams(seed: int) -> Streams:
    """One ``numpy.random.Generator`` per entry of :data:`STREAMS`, children of ``seed``.

    Parameters
    ----------
    seed : int
        The shop's seed.

    Returns
    -------
    Streams
        The generators, as attributes named after the streams.
    """
    children = np.random.SeedSequence(seed).spawn(len(STREAMS))
    return Streams({name: np.random.default_rng(s) for name, s in zip(STREAMS, children)})


def choice(rng: np.random.Generator, weights: np.ndarray, size: int) -> np.ndarray:
    """Indices drawn with probability proportional to ``weights`` (fast inverse CDF)."""
    cdf = np.cumsum(np.asarray(weights, dtype=float))
    return np.searchsorted(cdf, rng.random(size) * cdf[-1], side="right").clip(0, len(cdf) - 1)


def group_choice(
    rng: np.random.Generator, groups: np.ndarray, table_groups: np.ndarray, weights: np.ndarray
) -> np.ndarray:
    """For each element of ``groups`` pick a row of a table whose group matches, by weight.

    ``table_groups`` must be sorted; returns row indices into the table.
    """
    out = np.empty(len(groups), dtype=np.int64)
    for g in np.unique(groups):
        rows = np.flatnonzero(table_groups == g)
        mask = groups == g
        out[mask] = rows[choice(rng, weights[rows], int(mask.sum()))]
    return out


def run_starts(values: np.ndarray) -> np.ndarray:
    """True where a run of equal values begins (works for empty arrays too)."""
    starts = np.ones(len(values), bool)
    starts[1:] = values[1:] != values[:-1]
    return starts


def uniform_seconds(rng: np.random.Generator, low, high, size=None) -> np.ndarray:
    """Whole seconds drawn uniformly from [low, high)."""
    return np.floor(rng.uniform(low, high, size)).astype(np.int64)


def stable_order(keys: np.ndarray) -> np.ndarray:
    """``np.argsort(keys, kind="stable")`` for non-negative integer keys, faster on big arrays.

    Each key is made unique by its position (``key × n + position``), so a plain (unstable,
    SIMD) sort gives the stable order on every machine.  Falls back to the stable argsort
    when the combined keys would not fit in int64.
    """
    keys = np.asarray(keys, dtype=np.int64)
    n = len(keys)
    if n == 0 or keys.min() < 0 or int(keys.max()) >= np.iinfo(np.int64).max // max(n, 1):
        return np.argsort(keys, kind="stable")
    return np.sort(keys * n + np.arange(n, dtype=np.int64)) % n
