"""Time crm_helpers.payment_reminders (催付) on 100,000 unpaid orders.

Synthetic tables are built with NumPy (not timed):

* 100,000 unpaid orders placed in the 3 days before ``now`` (order times follow no rhythm,
  every minute of the day occurs), 40,000 customers;
* an order history of 300,000 paid orders of the same customers (for 两次以上购买的买家);
* 80,000 reminders of the unpaid orders (one or two each, different tools), with reasons.

Timed, best of ``--repeat`` runs: :func:`reminder_windows`, :func:`due_reminders` (the unpaid
orders + the history; and the whole 400,000-order table), :func:`reminder_register`,
:func:`reminder_success_rate` / :func:`reminder_summary`, and one
:func:`simulate_reminder_strategy` run.  Target: at most 1 second each for the schedule and
the register on a 2-core machine.

Run::

    .venv/bin/python benchmarks/bench_payment_reminders.py            # best of 3 runs per call
    .venv/bin/python benchmarks/bench_payment_reminders.py --repeat 1
"""

from __future__ import annotations

import time

import numpy as np
import pandas as pd
from _common import repeat_arguments, timed

from crm_helpers import payment_reminders as rm
from crm_helpers._data import read_data_table

N_UNPAID = 100_000
N_HISTORY = 300_000
N_CUSTOMERS = 40_000
NOW = pd.Timestamp("2025-06-18 15:00")


def build(seed: int = 1) -> tuple[pd.DataFrame, pd.DataFrame, pd.DataFrame]:
    """(all orders, unpaid orders, reminders) -- synthetic, vectorised."""
    rng = np.random.default_rng(seed)
    start = NOW - pd.Timedelta(days=3)
    created = start + pd.to_timedelta(rng.integers(0, 3 * 86400, N_UNPAID), unit="s")
    unpaid = pd.DataFrame(
        {
            "order_id": np.arange(1, N_UNPAID + 1),
            "customer_id": rng.integers(1, N_CUSTOMERS + 1, N_UNPAID),
            "created_at": created,
            "paid_at": pd.Series(pd.NaT, index=range(N_UNPAID), dtype="datetime64[ns]"),
            "closed_at": pd.Series(pd.NaT, index=range(N_UNPAID), dtype="datetime64[ns]"),
            "payment": np.round(rng.uniform(9.9, 399, N_UNPAID), 2),
        }
    )
    h_created = (
        NOW - pd.Timedelta(days=400) + pd.to_timedelta(rng.integers(0, 396 * 86400, N_HISTORY), unit="s")
    )
    history = pd.DataFrame(
        {
            "order_id": np.arange(N_UNPAID + 1, N_UNPAID + N_HISTORY + 1),
            "customer_id": rng.integers(1, N_CUSTOMERS + 1, N_HISTORY),
            "created_at": h_created,
            "paid_at": h_created + pd.to_timedelta(rng.integers(5, 600, N_HISTORY), unit="s"),
            "closed_at": pd.Series(pd.NaT, index=range(N_HISTORY), dtype="datetime64[ns]"),
            "payment": np.round(rng.uniform(9.9, 399, N_HISTORY), 2),
        }
    )
    orders = pd.concat([history, unpaid], ignore_index=True)
    # 60,000 orders reminded once by 千牛, 20,000 of them a second time by 短信
    first = rng.choice(N_UNPAID, 60_000, replace=False)
    second = first[:20_000]
    which = np.concatenate([first, second])
    delay = np.concatenate([rng.integers(60, 6 * 3600, 60_000), rng.integers(6 * 3600, 30 * 3600, 20_000)])
    reasons = read_data_table("unpaid_reasons")
    reason = rng.integers(0, len(reasons), len(which))
    reminders = pd.DataFrame(
        {
            "reminder_id": np.arange(1, len(which) + 1),
            "order_id": unpaid["order_id"].to_numpy()[which],
            "agent_id": rng.integers(1, 6, len(which)),
            "reminded_at": created[which] + pd.to_timedelta(delay, unit="s"),
            "channel": pd.Categorical(
                np.repeat(["千牛", "短信"], [60_000, 20_000]), categories=rm.REMINDER_CHANNELS
            ),
            "reason_group": pd.Categorical(reasons["reason_group"].to_numpy()[reason]),
            "reason": pd.Categorical(reasons["reason"].to_numpy()[reason]),
            "paid_after": rng.random(len(which)) < 0.35,
        }
    )
    # some of the reminded orders were paid after the reminder
    paid = reminders.loc[reminders["paid_after"], ["order_id", "reminded_at"]].drop_duplicates("order_id")
    position = paid["order_id"].to_numpy() - 1 + N_HISTORY
    orders.loc[position, "paid_at"] = paid["reminded_at"].to_numpy() + np.timedelta64(30, "m")
    unpaid = orders.iloc[N_HISTORY:].reset_index(drop=True)
    return orders, unpaid, reminders


def main() -> None:
    args = repeat_arguments(__doc__.splitlines()[0])

    t0 = time.perf_counter()
    orders, unpaid, reminders = build()
    print(
        f"built in {time.perf_counter() - t0:.1f} s (not timed): {len(unpaid):,} unpaid orders, "
        f"{len(orders):,} orders in all, {len(reminders):,} reminders"
    )
    register = rm.reminder_register(reminders, orders)
    cases = {
        "reminder_windows (unpaid + history)": lambda: rm.reminder_windows(unpaid, customers_orders=orders),
        "due_reminders (unpaid + history)": lambda: rm.due_reminders(
            unpaid, NOW, reminders=reminders, customers_orders=orders
        ),
        "due_reminders (all 400,000 orders)": lambda: rm.due_reminders(orders, NOW, reminders=reminders),
        "reminder_register": lambda: rm.reminder_register(reminders, orders),
        "reminder_success_rate by delay": lambda: rm.reminder_success_rate(register, by="delay"),
        "reminder_summary": lambda: rm.reminder_summary(register),
        "simulate_reminder_strategy 按表4.1": lambda: rm.simulate_reminder_strategy(orders, "按表4.1"),
    }
    targets = {"reminder_windows", "due_reminders", "reminder_register"}
    slowest = 0.0
    for name, call in cases.items():
        best, result = timed(call, args.repeat)
        target = name.split(" ")[0] in targets
        if target:
            slowest = max(slowest, best)
        size = f"{type(result).__name__} of {len(result):,}" if hasattr(result, "__len__") else repr(result)
        flag = ("OK " if best <= 1 else "SLOW") if target else "   "
        print(f"{name:<38} {best:6.3f} s  {flag}  ({size})")
    print(f"slowest schedule/register call: {slowest:.3f} s (target ≤ 1 s each)")


if __name__ == "__main__":
    main()
