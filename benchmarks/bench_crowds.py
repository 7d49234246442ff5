"""Time the crowd builder's work on a shop with about 1,000,000 orders.

The shop is ``simulate_store(600_000, 365, seed=1)`` (about 1.0 million orders), as in
``run_benchmarks.py``.  Printed: building the tag table once (``customer_features``), then
the reach count (预计触达人数) of every standard crowd and of a crowd with four conditions,
which is what the crowd builder widget recomputes while a student types, and one keystroke
in the widget itself.
Target: any crowd's reach ≤ 0.5 s.

Run::

    .venv/bin/python benchmarks/bench_crowds.py            # best of 3 runs per call
    .venv/bin/python benchmarks/bench_crowds.py --repeat 1
"""

from __future__ import annotations

import time

from _common import repeat_arguments, timed

import crm_helpers
from crm_helpers.crowds import crowd_table, customer_features, define_crowd, standard_crowds
from crm_helpers.widgets import CrowdBuilder

N_CUSTOMERS = 600_000  # → about 1.0 million orders in one year


def main() -> None:
    args = repeat_arguments(__doc__.splitlines()[0])
    t0 = time.perf_counter()
    store = crm_helpers.simulate_store(N_CUSTOMERS, 365, seed=1)
    print(
        f"shop: {len(store.customers):,} customers, {len(store.orders):,} orders, "
        f"{len(store.events):,} events (simulated in {time.perf_counter() - t0:.1f} s)"
    )
    seconds, features = timed(lambda: customer_features(store), args.repeat)
    print(f"customer_features (tag table, built once): {seconds:.2f} s, {features.shape[1]} tags")
    crowds = [
        *standard_crowds(),
        define_crowd(
            "四个条件",
            [
                ("近两年付款总金额", 100, 2000),
                ("近两年付款笔数", 2, None),
                ("最近一次成交距今天数", 0, 90),
                ("年龄", 25, 35),
            ],
        ),
    ]
    worst = 0.0
    for crowd in crowds:
        seconds, reach = timed(lambda crowd=crowd: crowd.reach(features), args.repeat)
        worst = max(worst, seconds)
        print(f"  reach of {crowd.name}: {seconds * 1000:.1f} ms ({reach:,} customers)")
    print(f"slowest reach: {worst * 1000:.1f} ms  [target ≤ 500 ms]")
    seconds, _ = timed(lambda: crowd_table(crowds, features), args.repeat)
    print(f"crowd_table of {len(crowds)} crowds: {seconds * 1000:.1f} ms")

    # The widget: one keystroke in 上限 recomputes 预计触达人数 of the added condition and the typed one.
    builder = CrowdBuilder(features)
    builder.fields["标签"].value = "近两年付款总金额"
    builder.fields["下限"].value = "5"
    builder.add_condition()
    builder.fields["标签"].value = "近两年付款笔数"
    builder.fields["下限"].value = "1"
    keys = iter(range(10**6))
    seconds, _ = timed(lambda: setattr(builder.fields["上限"], "value", str(10 + next(keys))), args.repeat)
    print(f"crowd builder, one keystroke (live 预计触达人数 {builder.reach:,}): {seconds * 1000:.1f} ms")


if __name__ == "__main__":
    main()
