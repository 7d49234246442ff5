"""Time the rule tags (crm_helpers.tags.rule_tags) for 1,000,000 customers.

The shop is built once (not timed) with the simulator, ``simulate_store(1_000_000, 365,
seed=3)``: 1,000,000 customers, about 1.8 million orders, 2.4 million order items, 3.9 million
成长值 rows.  Timed, best of ``--repeat`` runs: every rule tag of
:data:`crm_helpers.tags.TAG_RULES` at once (the figures, the 利润 of every customer, the eleven
rules), then the long form (one row per customer and tag).
Target: the rule tags in at most 2 seconds on a 2-core machine.

Run::

    .venv/bin/python benchmarks/bench_tags.py            # best of 3 runs
    .venv/bin/python benchmarks/bench_tags.py --repeat 1
"""

from __future__ import annotations

import time

from _common import repeat_arguments, timed

import crm_helpers
from crm_helpers import customers, tags

N_CUSTOMERS = 1_000_000


def main() -> None:
    args = repeat_arguments(__doc__.splitlines()[0])
    t0 = time.perf_counter()
    shop = crm_helpers.simulate_store(N_CUSTOMERS, 365, seed=3)
    print(
        f"built in {time.perf_counter() - t0:.1f} s (not timed): {len(shop.customers):,} customers, "
        f"{len(shop.orders):,} orders, {len(shop.order_items):,} order items, {len(shop.growth):,} 成长值 rows"
    )
    best, wide = timed(lambda: tags.rule_tags(shop), args.repeat)
    flag = "OK " if best <= 2 else "SLOW"
    print(
        f"rule_tags (all {len(wide.columns)} rules)   {best:6.2f} s  {flag}  "
        f"({int(wide.to_numpy().sum()):,} tags on {len(wide):,} customers)"
    )
    best, profit = timed(lambda: customers.profit_contribution(shop), args.repeat)
    print(
        f"  of which profit_contribution {best:6.2f} s  ({len(profit):,} customers with a paid order or 红包)"
    )
    best, long = timed(lambda: tags.long_tags(wide), args.repeat)
    print(f"long_tags (one row per tag)    {best:6.2f} s  ({len(long):,} rows)")
    print("target: rule_tags ≤ 2 s wall-clock for 1,000,000 customers")


if __name__ == "__main__":
    main()
