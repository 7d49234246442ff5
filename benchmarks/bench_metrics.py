"""Time every KPI of crm_helpers.metrics on a large synthetic shop.

The frames are built directly with numpy (seeded, no simulator): 1,000,000 orders,
about 1,000,000 chats, 1,500,000 order items and 80,000 refunds over one year.
Target: each KPI in at most 1 second on a 2-core machine.

Run::

    .venv/bin/python benchmarks/bench_metrics.py            # best of 3 runs per KPI
    .venv/bin/python benchmarks/bench_metrics.py --repeat 1
"""

from __future__ import annotations

import argparse
import time

import numpy as np
import pandas as pd

from crm_helpers import metrics as m

DAY = 86_400
START = np.datetime64("2024-01-01T00:00:00", "s")


def build(seed: int = 2024, n_orders: int = 1_000_000, n_chats: int = 1_000_000) -> dict[str, pd.DataFrame]:
    """Synthetic chats, orders, order_items and refunds (all columns the KPIs use)."""
    rng = np.random.default_rng(seed)
    n_customers, n_agents, n_products = 300_000, 20, 500

    # Orders over 365 days; 40 % silent; 85 % paid a few minutes later.
    created = START + np.sort(rng.integers(0, 365 * DAY, n_orders)).astype("timedelta64[s]")
    paid_ok = rng.random(n_orders) < 0.85
    paid = np.where(
        paid_ok, created + rng.exponential(600, n_orders).astype("timedelta64[s]"), np.datetime64("NaT")
    )
    agent = pd.array(rng.integers(1, n_agents + 1, n_orders), dtype="Int64")
    agent[rng.random(n_orders) < 0.4] = pd.NA
    goods = np.round(rng.gamma(2.0, 60.0, n_orders), 2)
    discount = np.minimum(goods, rng.choice([0.0, 5.0, 10.0, 20.0], n_orders))
    status = np.where(paid_ok, rng.choice([1, 2, 3], n_orders, p=[0.1, 0.2, 0.7]), 4)
    statuses = ["等待买家付款", "买家已付款", "卖家已发货", "交易成功", "交易关闭"]
    orders = pd.DataFrame(
        {
            "order_id": np.arange(100_001, 100_001 + n_orders),
            "customer_id": rng.integers(1, n_customers + 1, n_orders),
            "agent_id": agent,
            "created_at": created,
            "paid_at": paid,
            "status": pd.Categorical.from_codes(status, statuses, ordered=True),
            "goods_amount": goods,
            "discount": discount,
            "payment": goods - discount,
        }
    )

    # Chats: 70 % pre-sale; response times in seconds.
    started = START + np.sort(rng.integers(0, 365 * DAY, n_chats)).astype("timedelta64[s]")
    first = np.clip(np.rint(rng.lognormal(3.5, 1.2, n_chats)), 1, 3600).astype(np.int64)
    chats = pd.DataFrame(
        {
            "chat_id": np.arange(1, n_chats + 1),
            "customer_id": rng.integers(1, n_customers + 1, n_chats),
            "agent_id": rng.integers(1, n_agents + 1, n_chats),
            "started_at": started,
            "chat_type": pd.Categorical.from_codes(
                (rng.random(n_chats) < 0.3).astype(np.int8), ["售前", "售后"]
            ),
            "first_response_seconds": first,
            "avg_response_seconds": np.clip(np.rint(first * rng.uniform(0.5, 1.5, n_chats)), 1, 3600).astype(
                np.int64
            ),
        }
    )

    # Order items: 1 line for most orders, 2-3 for some (about 1.5 per order).
    lines = 1 + (rng.random(n_orders) < 0.35) + (rng.random(n_orders) < 0.15)
    item_order = np.repeat(orders["order_id"].to_numpy(), lines)
    # Distinct products within an order: a random start plus the line number.
    line_no = np.arange(len(item_order)) - np.repeat(np.cumsum(lines) - lines, lines)
    product = 1 + (np.repeat(rng.integers(0, n_products, n_orders), lines) + line_no) % n_products
    order_items = pd.DataFrame(
        {
            "order_id": item_order,
            "product_id": product,
            "quantity": rng.integers(1, 4, len(item_order)),
            "unit_price": np.round(rng.gamma(2.0, 40.0, len(item_order)), 2),
        }
    )

    # Refunds: 80,000 item rows, some of unpaid orders or unknown (to be left out).
    n_refunds = 80_000
    rows = rng.choice(len(order_items), n_refunds, replace=False)
    refund_type = rng.choice(3, n_refunds, p=[0.4, 0.45, 0.15])
    status = np.where(refund_type == 2, 2, (rng.random(n_refunds) < 0.15).astype(np.int64))
    qty = order_items["quantity"].to_numpy()[rows]
    refunds = pd.DataFrame(
        {
            "refund_id": np.arange(1, n_refunds + 1),
            "order_id": item_order[rows],
            "product_id": product[rows],
            "refund_type": pd.Categorical.from_codes(refund_type, ["仅退款", "退货退款", "换货"]),
            "quantity": 1 + (rng.random(n_refunds) * qty).astype(np.int64) % qty,
            "amount": np.where(refund_type == 2, 0.0, np.round(rng.gamma(2.0, 30.0, n_refunds), 2)),
            "status": pd.Categorical.from_codes(status, ["退款成功", "退款关闭", "换货完成"]),
        }
    )
    return {"chats": chats, "orders": orders, "order_items": order_items, "refunds": refunds}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=3, help="runs per KPI; the best is shown (default 3)")
    args = parser.parse_args()

    t0 = time.perf_counter()
    data = build()
    chats, orders, items, refunds = (data[k] for k in ("chats", "orders", "order_items", "refunds"))
    print(
        f"built in {time.perf_counter() - t0:.1f} s: " + ", ".join(f"{k} {len(v):,}" for k, v in data.items())
    )

    cases = {
        "inquiry_conversion_rate (buyers, 28 days)": lambda: m.inquiry_conversion_rate(chats, orders),
        "inquiry_conversion_rate (buyers, paid, by agent)": lambda: m.inquiry_conversion_rate(
            chats, orders, outcome="paid", by="agent"
        ),
        "inquiry_conversion_rate (buyers, all chats)": lambda: m.inquiry_conversion_rate(
            chats, orders, period_days=None
        ),
        "inquiry_conversion_rate (buyers, all chats, by day)": lambda: m.inquiry_conversion_rate(
            chats, orders, period_days=None, by="day"
        ),
        "inquiry_conversion_rate (orders, all chats, by agent)": lambda: m.inquiry_conversion_rate(
            chats, orders, method="orders", period_days=None, by="agent"
        ),
        "customer_unit_price": lambda: m.customer_unit_price(orders),
        "customer_unit_price (by day)": lambda: m.customer_unit_price(orders, by="day"),
        "customer_unit_price (by agent)": lambda: m.customer_unit_price(orders, by="agent"),
        "order_unit_price (by day)": lambda: m.order_unit_price(orders, by="day"),
        "first_response_time": lambda: m.first_response_time(chats),
        "first_response_time (by day)": lambda: m.first_response_time(chats, by="day"),
        "average_response_time (by agent)": lambda: m.average_response_time(chats, by="agent"),
        "response_within_3min_rate (by agent)": lambda: m.response_within_3min_rate(chats, by="agent"),
        "refund_rate (quantity, no orders)": lambda: m.refund_rate(items, refunds),
        "refund_rate (quantity, paid, by product)": lambda: m.refund_rate(
            items, refunds, orders=orders, by="product_id"
        ),
        "refund_rate (taobao, 30 days)": lambda: m.refund_rate(
            items, refunds, orders=orders, method="taobao"
        ),
        "refund_rate (taobao, 365 days, by product)": lambda: m.refund_rate(
            items, refunds, orders=orders, method="taobao", period_days=365, by="product_id"
        ),
        "repurchase_rate": lambda: m.repurchase_rate(orders),
        "repurchase_rate (by status)": lambda: m.repurchase_rate(orders, by="status"),
        "silent_order_share (by day)": lambda: m.silent_order_share(orders, by="day"),
        "kpi_board (28 days)": lambda: m.kpi_board(chats, orders),
        "kpi_board (all data)": lambda: m.kpi_board(chats, orders, period_days=None),
    }
    width = max(map(len, cases))
    slowest = 0.0
    for name, call in cases.items():
        times = []
        for _ in range(max(1, args.repeat)):
            t = time.perf_counter()
            result = call()
            times.append(time.perf_counter() - t)
        best = min(times)
        slowest = max(slowest, best)
        shown = f"{result:.4f}" if isinstance(result, float) else f"{type(result).__name__} of {len(result)}"
        print(f"{name:<{width}}  {best:6.3f} s  {'OK ' if best <= 1 else 'SLOW'}  ({shown})")
    print(f"slowest: {slowest:.3f} s (target ≤ 1 s each)")


if __name__ == "__main__":
    main()
