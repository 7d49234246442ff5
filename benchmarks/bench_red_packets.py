"""Time crm_helpers.red_packets on a large shop.

1. ``red_packet_alerts`` (and each step it uses) on ``simulate_store(600_000, 365, seed=1)``:
   about 1,000,000 orders and some 20,000 red packets.  Building the shop is not timed.
2. The same on a red-packet table scaled to about 1,000,000 rows (the big shop's packets
   repeated with shifted times and customers), to show how the functions grow with the
   number of red packets rather than with the number of orders.

Target: at most 1 second per call on a 2-core machine.

Run::

    .venv/bin/python benchmarks/bench_red_packets.py            # best of 3 runs per call
    .venv/bin/python benchmarks/bench_red_packets.py --repeat 1
"""

from __future__ import annotations

import time

import numpy as np
import pandas as pd
from _common import repeat_arguments, timed

import crm_helpers
from crm_helpers import red_packets as rp


def scaled(red_packets: pd.DataFrame, copies: int) -> pd.DataFrame:
    """``red_packets`` repeated ``copies`` times; copy k is shifted by k minutes and k*10 customer ids."""
    n = len(red_packets)
    k = np.repeat(np.arange(copies), n)
    big = pd.concat([red_packets] * copies, ignore_index=True)
    big["red_packet_id"] = np.arange(1, len(big) + 1)
    big["sent_at"] = big["sent_at"] + pd.to_timedelta(k, unit="min")
    big["customer_id"] = big["customer_id"] + 10 * k
    return big


def main() -> None:
    args = repeat_arguments(__doc__.splitlines()[0])

    t0 = time.perf_counter()
    store = crm_helpers.simulate_store(600_000, 365, seed=1)
    print(
        f"built in {time.perf_counter() - t0:.1f} s (not timed below): orders {len(store.orders):,}, "
        f"red_packets {len(store.red_packets):,}, audit_log {len(store.audit_log):,}"
    )
    big = scaled(store.red_packets, max(1, round(1_000_000 / len(store.red_packets))))
    agents, log, main = store.agents, store.audit_log, store.shop_name

    slowest = 0.0
    for label, packets in (("shop", store.red_packets), (f"{len(big):,} packets", big)):
        cases = {
            "red_packet_alerts": lambda p=packets: rp.red_packet_alerts(p, agents, log, main),
            "daily_red_packet_totals": lambda p=packets: rp.daily_red_packet_totals(p, agents, log, main),
            "repeated_recipients": lambda p=packets: rp.repeated_recipients(p),
            "odd_hour_share": lambda p=packets: rp.odd_hour_share(p),
        }
        for name, call in cases.items():
            best, result = timed(call, args.repeat)
            slowest = max(slowest, best)
            print(
                f"{label:<18} {name:<24} {best:6.3f} s  {'OK ' if best <= 1 else 'SLOW'}"
                f"  ({type(result).__name__} of {len(result)})"
            )
        if packets is store.red_packets:  # the scaled table breaks every limit by construction
            alerts = rp.red_packet_alerts(packets, agents, log, main)
            high = alerts.loc[alerts["风险等级"] == "高", "昵称"].tolist()
            print(f"{label:<18} 高风险: {high}")
    print(f"slowest: {slowest:.3f} s (target ≤ 1 s each)")


if __name__ == "__main__":
    main()
