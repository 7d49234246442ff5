"""Refresh crm_helpers/data/example_order_export.csv, the small 千牛-style order export.

Run ``.venv/bin/python tools/make_example_export.py``; tests/test_shop_export.py checks that the
shipped file is exactly what this writes.
"""

from __future__ import annotations

from pathlib import Path

from crm_helpers.shop_export import write_example_order_export

if __name__ == "__main__":
    target = Path(__file__).resolve().parents[1] / "crm_helpers" / "data" / "example_order_export.csv"
    print(write_example_order_export(target))
