"""What permission checks cost: each workbench operation against the bare function.

    python benchmarks/bench_workbench.py

Prints the time per operation (median of repeats) on the lesson shop.  A lesson cell runs a
handful of operations, so anything under a few milliseconds is invisible to a student.  The
last figure is 1,000 consecutive 红包 from one sub-account: each one checks the day's total
against the limit, so it shows whether the cost of a call grows with the red packets sent.
"""

from __future__ import annotations

import statistics
import time

import crm_helpers
from crm_helpers import orders as order_ops
from crm_helpers.workbench import Workbench


def per_call(fn, repeat: int = 200) -> float:
    """Median seconds per call over ``repeat`` calls."""
    times = []
    for _ in range(repeat):
        t0 = time.perf_counter()
        fn()
        times.append(time.perf_counter() - t0)
    return statistics.median(times)


def consecutive_red_packets(store, n: int = 1_000) -> tuple[float, float, float]:
    """Seconds for ``n`` 红包 in a row from one sub-account, and per call for the first and last 100."""
    wb = Workbench(store)
    account = "乐童优选:小美"
    wb.main_account().set_red_packet_limit(account, 10_000)
    session = wb.sub_account(account)
    times = []
    for i in range(n):
        t0 = time.perf_counter()
        session.send_red_packet(1 + i % 50, 1)
        times.append(time.perf_counter() - t0)
    return sum(times), statistics.mean(times[:100]), statistics.mean(times[-100:])


def main() -> None:
    store = crm_helpers.load_store()
    wb = Workbench(store)
    boss = wb.main_account()
    xm = wb.sub_account("乐童优选:小美")
    unpaid = int(store.orders.loc[store.orders["status"] == "等待买家付款", "order_id"].iloc[0])
    orders = store.orders

    def refused():
        try:
            xm.set_red_packet_limit("乐童优选:小美", 5000)
        except PermissionError:
            pass

    rows = [
        ("查找订单 find_orders", lambda: xm.find_orders(status="交易成功"),
         lambda: order_ops.find_orders(orders, store.customers, status="交易成功")),
        ("订单备注 add_remark", lambda: xm.add_remark(unpaid, "客户说晚上付款", flag="黄"),
         lambda: order_ops.add_remark(orders, unpaid, "客户说晚上付款", flag="黄", author="x")),
        ("改价 change_price", lambda: boss.change_price(unpaid, 99),
         lambda: order_ops.change_price(orders, unpaid, 99)),
        ("发红包 send_red_packet (1 元)", lambda: boss.send_red_packet(1, 1), None),
        ("被拒绝的越权尝试（记入日志）", refused, None),
        ("权限判断本身 permissions_of", lambda: "change_price" in wb.permissions_of("乐童优选:小美"), None),
    ]  # fmt: skip
    print("== 千牛工作台：每次操作的耗时（毫秒，中位数）==")
    print(f"{'操作':<34}{'工作台':>10}{'直接调用函数':>14}{'权限+日志开销':>14}")
    for label, via_workbench, bare in rows:
        with_checks = per_call(via_workbench)
        without = per_call(bare) if bare else float("nan")
        overhead = with_checks - without if bare else float("nan")
        print(f"{label:<34}{with_checks * 1e3:>10.3f}{without * 1e3:>14.3f}{overhead * 1e3:>14.3f}")
    print(f"(audit log now has {len(wb.audit_log):,} rows; {len(wb.red_packets):,} red packets in all)")

    total, first, last = consecutive_red_packets(store)
    print(
        f"\n子账号连续发 1,000 个红包（每次都核对当天限额）：共 {total * 1e3:.0f} ms；"
        f"前 100 个平均 {first * 1e3:.3f} ms/个，最后 100 个平均 {last * 1e3:.3f} ms/个"
    )


if __name__ == "__main__":
    main()
