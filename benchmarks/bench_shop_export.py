"""Time crm_helpers.shop_export.read_order_export on a 100,000-row 千牛 order report.

The export is written once (not timed) from a simulated shop (``simulate_store(65_000, 365,
seed=5)``, its newest 100,000 orders, through :func:`to_order_export`) into a temporary folder:

* as a GBK CSV, like the real 千牛 download (订单编号 guarded as ``="…"``);
* as a UTF-8 CSV with a byte order mark (the encoding is detected either way);
* as an .xlsx workbook (openpyxl, write-only; 订单编号 as text cells).

Timed, best of ``--repeat`` runs (the .xlsx once: openpyxl reads cell by cell).
Target: the GBK CSV in at most 3 seconds on a 2-core machine.

Run::

    .venv/bin/python benchmarks/bench_shop_export.py            # best of 3 runs per file
    .venv/bin/python benchmarks/bench_shop_export.py --repeat 1
"""

from __future__ import annotations

import tempfile
import time
from pathlib import Path

from _common import repeat_arguments, timed

import crm_helpers
from crm_helpers.shop_export import read_order_export, to_order_export

N_ROWS = 100_000


def build(folder: Path) -> dict[str, Path]:
    """Write the three files (deterministic: fixed seed) and return their paths."""
    import openpyxl

    shop = crm_helpers.simulate_store(65_000, 365, seed=5)
    export = to_order_export(shop).head(N_ROWS)
    if len(export) < N_ROWS:
        raise RuntimeError(f"the simulated shop has only {len(export):,} orders")
    paths = {"GBK CSV": folder / "orders_gbk.csv", "UTF-8 BOM CSV": folder / "orders_utf8.csv"}
    text = export.to_csv(index=False, lineterminator="\r\n")
    paths["GBK CSV"].write_bytes(text.encode("gbk"))
    paths["UTF-8 BOM CSV"].write_bytes(text.encode("utf-8-sig"))
    book = openpyxl.Workbook(write_only=True)
    sheet = book.create_sheet("订单报表")
    sheet.append(list(export.columns))
    # A workbook holds 订单编号 as a text cell, not as the ="…" formula of the CSV download.
    for row in to_order_export(shop, excel_guard=False).head(N_ROWS).itertuples(index=False):
        sheet.append(list(row))
    paths["xlsx"] = folder / "orders.xlsx"
    book.save(paths["xlsx"])
    return paths


def main() -> None:
    args = repeat_arguments(__doc__.splitlines()[0])
    with tempfile.TemporaryDirectory() as tmp:
        t0 = time.perf_counter()
        paths = build(Path(tmp))
        sizes = ", ".join(f"{name} {path.stat().st_size / 2**20:.1f} MiB" for name, path in paths.items())
        print(f"built in {time.perf_counter() - t0:.1f} s (not timed): {N_ROWS:,} rows; {sizes}")
        for name, path in paths.items():
            repeat = 1 if name == "xlsx" else args.repeat
            cpu: list[float] = []

            def read(path: Path = path, cpu: list[float] = cpu):
                start = time.process_time()
                shop = read_order_export(path)
                cpu.append(time.process_time() - start)
                return shop

            best, shop = timed(read, repeat)
            flag = ("OK " if best <= 3 else "SLOW") if name == "GBK CSV" else "   "
            print(
                f"read_order_export {name:<14} {best:6.2f} s  {flag}  (CPU {min(cpu):.2f} s; "
                f"{len(shop.orders):,} orders, {len(shop.customers):,} customers)"
            )
        print("target: GBK CSV ≤ 3 s wall-clock (CPU time shown too: it does not depend on other load)")


if __name__ == "__main__":
    main()
