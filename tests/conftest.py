"""Shared test fixtures: the two shops most tests use, each built once per test process.

``store`` is the lesson shop (:func:`crm_helpers.load_store`); ``big_store`` is a larger shop
(``simulate_store(20_000, 365, seed=11)``) on which planted patterns are statistically
clear.  Both are shared, so a test must never modify them (the library never does: every
function returns new tables, which the tests check with ``helpers.snapshot``).
"""

from __future__ import annotations

import pytest

import crm_helpers


@pytest.fixture(scope="session")
def store() -> crm_helpers.Store:
    """The lesson shop (3000 customers, 2024-01-01 to 2025-12-31, seed 2025)."""
    return crm_helpers.load_store()


@pytest.fixture(scope="session")
def big_store() -> crm_helpers.Store:
    """A larger shop for planted patterns: 20,000 customers, 365 days, seed 11."""
    return crm_helpers.simulate_store(20_000, 365, seed=11)
