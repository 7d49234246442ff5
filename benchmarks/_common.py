"""Pieces every benchmark script shares (run as ``python benchmarks/bench_*.py``)."""

from __future__ import annotations

import argparse
import time
from collections.abc import Callable
from typing import Any


def timed(call: Callable[[], Any], repeat: int) -> tuple[float, Any]:
    """Best wall-clock seconds of ``repeat`` runs of ``call`` and the last result."""
    best, result = float("inf"), None
    for _ in range(max(1, repeat)):
        t = time.perf_counter()
        result = call()
        best = min(best, time.perf_counter() - t)
    return best, result


def repeat_arguments(description: str) -> argparse.Namespace:
    """Parse the common ``--repeat`` option (runs per call; the best is shown)."""
    parser = argparse.ArgumentParser(description=description)
    parser.add_argument("--repeat", type=int, default=3, help="runs per call; the best is shown (default 3)")
    return parser.parse_args()
