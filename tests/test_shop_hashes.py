"""Guard: the simulated shops are bit-for-bit what they were.

Restructuring the package must change no number. Each table of the lesson shop and of a
larger shop is hashed (values, index, column names and dtypes); the digests below were
taken before the restructuring. A change that is *meant* to change the data re-pins them
on purpose (run this file with ``-s`` and ``CRM_PRINT_HASHES=1`` to print the new ones).
"""

from __future__ import annotations

import hashlib
import os

import pandas as pd
import pytest

import crm_helpers


def table_digest(df: pd.DataFrame) -> str:
    """A SHA-256 of a table's values, index, column names and dtypes."""
    h = hashlib.sha256()
    h.update(repr(list(df.columns)).encode())
    h.update(repr([str(t) for t in df.dtypes]).encode())
    h.update(pd.util.hash_pandas_object(df, index=True).to_numpy().tobytes())
    for col in df.columns:
        if isinstance(df[col].dtype, pd.CategoricalDtype):
            h.update(repr(list(df[col].cat.categories)).encode())
    return h.hexdigest()[:16]


EXPECTED = {
    "lesson": {
        "customers": "2625a4189b6a8b51",
        "products": "bb04170625435bbb",
        "orders": "0eb11efbfbb1d1c5",
        "order_items": "0bd5176b49ef1bb0",
        "chats": "989a0316aa66c097",
        "events": "825a2eedbace95d2",
        "refunds": "857a794bbcb707bf",
        "reminders": "a1697bb781a8ab8a",
        "agents": "4e03a6e79087fec5",
        "red_packets": "e1bec09b36faf637",
        "audit_log": "e9d5d443c5736df4",
        "complaints": "82338f1255b5f116",
        "reviews": "1bdf3443bf614a41",
    },
    "big": {
        "customers": "48cb6f7bcfa457ec",
        "products": "bb04170625435bbb",
        "orders": "b12e08f85ad8cf10",
        "order_items": "671d07ef4be9156e",
        "chats": "4b29b55011f893e1",
        "events": "31a5dabebbb940a3",
        "refunds": "5b6e96fdca2d9283",
        "reminders": "49425e12f8e128f5",
        "agents": "55e11c855d7b697e",
        "red_packets": "9df4f7f6f58f77c4",
        "audit_log": "a38d558edc50c0d8",
        "complaints": "b009c2aef0264c89",
        "reviews": "8862f0d3d62da903",
    },
}

# Tables whose categoricals gained unused categories from crm_helpers.vocabulary (agents:
# department and role take every DEPARTMENTS / ROLE_NAMES label): their digest above was
# re-pinned; these digests of their *values* (categoricals cast to object) were taken
# before that change and must not move.
VALUES_EXPECTED = {
    "lesson": {"agents": "d1b18d9bd850c3b4"},
    "big": {"agents": "5c0a43c6e56e1d28"},
}


def values_digest(df: pd.DataFrame) -> str:
    """:func:`table_digest` of the table with its categoricals cast to plain objects."""
    categorical = [c for c in df.columns if isinstance(df[c].dtype, pd.CategoricalDtype)]
    return table_digest(df.astype({c: object for c in categorical}))


@pytest.fixture(scope="module")
def shops():
    return {
        "lesson": crm_helpers.load_store(),
        "big": crm_helpers.simulate_store(20_000, 365, seed=11),
    }


@pytest.mark.parametrize("shop", ["lesson", "big"])
def test_every_table_is_unchanged(shops, shop):
    store = shops[shop]
    actual = {name: table_digest(df) for name, df in store.tables.items()}
    if os.environ.get("CRM_PRINT_HASHES"):
        print(shop, actual)
    assert actual == EXPECTED[shop]


@pytest.mark.parametrize("shop", ["lesson", "big"])
def test_values_unchanged_where_categories_grew(shops, shop):
    store = shops[shop]
    actual = {name: values_digest(store.tables[name]) for name in VALUES_EXPECTED[shop]}
    assert actual == VALUES_EXPECTED[shop]
