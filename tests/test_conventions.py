"""The package's conventions, checked over every public module at once.

* every public module declares ``__all__`` and every name in it exists;
* every public function and class is documented: numpydoc ``Parameters`` when it takes
  arguments and ``Returns`` when it returns something, and a Chinese summary line wherever
  students meet it (everything but the simulator's step modules);
* column parameters follow the naming rule of README's 约定 section;
* importing the package does no work: no data file read, no plotting or widget library loaded;
* no public function modifies the tables it is given (each one is called here on the lesson
  shop and its inputs compared with a snapshot; a new public function that takes a DataFrame
  must be added to ``CALLS``).

A new module is picked up automatically; nothing here lists modules by hand.
"""

from __future__ import annotations

import ast
import importlib
import inspect
import pkgutil
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pandas as pd
import pytest
from helpers import assert_unchanged, snapshot

import crm_helpers

PACKAGE_DIR = Path(crm_helpers.__file__).parent


def public_modules() -> list[str]:
    """Every importable module of the package whose path has no ``_``-prefixed part."""
    names = ["crm_helpers"]
    for info in pkgutil.walk_packages(crm_helpers.__path__, "crm_helpers."):
        if not any(part.startswith("_") for part in info.name.split(".")[1:]):
            names.append(info.name)
    return sorted(names)


MODULES = public_modules()


def public_objects():
    """(module name, name, object) for every name in a public module's ``__all__``."""
    for module_name in MODULES:
        module = importlib.import_module(module_name)
        for name in getattr(module, "__all__", ()):
            yield module_name, name, getattr(module, name)


def has_chinese(text: str) -> bool:
    return any("\u4e00" <= ch <= "\u9fff" for ch in text)


@pytest.mark.parametrize("module_name", MODULES)
def test_module_declares_all(module_name):
    module = importlib.import_module(module_name)
    assert hasattr(module, "__all__"), f"{module_name} has no __all__"
    missing = [name for name in module.__all__ if not hasattr(module, name)]
    assert not missing, f"{module_name}.__all__ names what the module lacks: {missing}"
    assert module.__doc__ and module.__doc__.strip(), f"{module_name} has no module docstring"


#: Step modules of the simulator: machinery a maintainer reads, not an API a student calls, so
#: their summaries may be English (they still need numpydoc sections).
MACHINERY_PACKAGES = ("crm_helpers.simulation.",)


def _documented_problems(qualname: str, obj: Callable) -> list[str]:
    doc = inspect.getdoc(obj) or ""
    if not doc:
        return [f"{qualname}: no docstring"]
    problems = []
    student_facing = not qualname.startswith(MACHINERY_PACKAGES)
    if student_facing and not has_chinese(doc.splitlines()[0]):
        problems.append(f"{qualname}: the summary line should name the idea in Chinese")
    if inspect.isfunction(obj):
        signature = inspect.signature(obj)
        if signature.parameters and "Parameters" not in doc:
            problems.append(f"{qualname}: no Parameters section")
        if signature.return_annotation not in ("None", None) and "Returns" not in doc and "Yields" not in doc:
            problems.append(f"{qualname}: no Returns section")
    return problems


def test_public_api_is_documented():
    problems = []
    for module_name, name, obj in public_objects():
        if inspect.isfunction(obj) or inspect.isclass(obj):
            if getattr(obj, "__module__", "").split(".")[0] != "crm_helpers":
                continue  # re-exported from elsewhere
            problems += _documented_problems(f"{module_name}.{name}", obj)
    assert not problems, "\n".join(problems)


# ---- column parameters ------------------------------------------------------------------------

#: Table prefixes allowed when a function reads the same column from several tables.
TABLE_PREFIXES = ("order_", "chat_", "refund_", "item_", "reminder_", "packet_", "customer_", "log_")


def column_parameter_stem(default: str) -> str:
    """The rule: the default column name without a trailing ``_id``, ``_at`` or ``_seconds``."""
    for suffix in ("_id", "_at", "_seconds"):
        if default.endswith(suffix):
            return default[: -len(suffix)]
    return default


def column_parameters(path: Path):
    """(function, parameter, default) for every ``*_col`` parameter with a text default."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    for node in ast.walk(tree):
        if not isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef):
            continue
        args = node.args
        positional = args.posonlyargs + args.args
        pairs = list(zip(positional[len(positional) - len(args.defaults) :], args.defaults))
        pairs += list(zip(args.kwonlyargs, args.kw_defaults))
        for arg, default in pairs:
            if (
                arg.arg.endswith("_col")
                and isinstance(default, ast.Constant)
                and isinstance(default.value, str)
            ):
                yield node.name, arg.arg, default.value


def test_column_parameters_follow_the_naming_rule():
    problems = []
    for path in sorted(PACKAGE_DIR.rglob("*.py")):
        for function, parameter, default in column_parameters(path):
            expected = column_parameter_stem(default) + "_col"
            if parameter != expected and not any(parameter == p + expected for p in TABLE_PREFIXES):
                problems.append(f"{path.name}:{function}({parameter}={default!r}) → {expected}")
    assert not problems, "column parameters against the rule:\n" + "\n".join(problems)


def test_the_naming_rule_itself():
    assert column_parameter_stem("customer_id") == "customer"
    assert column_parameter_stem("started_at") == "started"
    assert column_parameter_stem("first_response_seconds") == "first_response"
    assert column_parameter_stem("payment") == "payment"


# ---- no work at import time -------------------------------------------------------------------


def test_importing_every_module_does_no_work():
    code = (
        "import importlib, sys\n"
        f"for name in {MODULES!r}:\n"
        "    importlib.import_module(name)\n"
        "import crm_helpers._data as d\n"
        "heavy = [m for m in ('matplotlib', 'seaborn', 'ipywidgets', 'IPython', 'openpyxl') if m in sys.modules]\n"
        "print(d._read_cached.cache_info().currsize, heavy)\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.split(maxsplit=1) == ["0", "[]\n"], out.stdout  # no data file, nothing heavy
    assert out.stderr == ""


# ---- callers' tables are never modified -------------------------------------------------------


def _calls() -> dict[str, Callable]:
    """One representative call per public function that takes tables, on the lesson shop."""
    from crm_helpers import (
        after_sales,
        crowds,
        customers,
        display,
        glossary,
        groups,
        handover,
        metrics,
        orders,
        payment_reminders,
        plotting,
        red_packets,
        selfcheck,
        shop_export,
        tags,
    )

    def register(s):
        return payment_reminders.reminder_register(s.reminders, s.orders, s.customers)

    unpaid = lambda s: s.orders[s.orders["status"] == "等待买家付款"]  # noqa: E731

    def open_requests(s):
        return after_sales.requests_at(s.refunds, s.orders, "2025-11-20 09:00")

    def crowd_features(s):
        return crowds.customer_features(s)

    def crowd_members(s):
        return crowds.standard_crowds()[3].members(crowd_features(s))

    return {
        # 售后 (after_sales.py)
        "after_sales.advance_request": lambda s: after_sales.advance_request(
            open_requests(s), 567, "已同意", "2025-11-20 10:00", handled_by="乐童优选"
        ),
        "after_sales.policy_review": lambda s: after_sales.policy_review(open_requests(s), s.products),
        "after_sales.reasons_by_category": lambda s: after_sales.reasons_by_category(s.refunds, s.products),
        "after_sales.received_times": lambda s: after_sales.received_times(s.orders),
        "after_sales.refund_rate_by_category": lambda s: after_sales.refund_rate_by_category(
            s.order_items, s.refunds, s.products, orders=s.orders
        ),
        "after_sales.refund_rate_by_product": lambda s: after_sales.refund_rate_by_product(
            s.order_items, s.refunds, s.products, orders=s.orders
        ),
        "after_sales.request_position": lambda s: after_sales.request_position(open_requests(s), 567),
        "after_sales.requests_at": open_requests,
        "after_sales.starting_requests": lambda s: after_sales.starting_requests(s.refunds, s.orders, s.end),
        "crowds.crowd_table": lambda s: crowds.crowd_table(crowds.standard_crowds(), crowd_features(s)),
        "crowds.plot_crowd_behaviour": lambda s: crowds.plot_crowd_behaviour(
            crowds.crowd_behaviour(s, crowd_members(s)), crowd_name="老客户"
        ),
        "crowds.plot_crowd_profile": lambda s: crowds.plot_crowd_profile(
            crowds.crowd_profile(s, crowd_members(s), "地区"), crowd_name="老客户"
        ),
        "widgets.crowd_builder": lambda s: crowd_builder_saving(crowd_features(s)),
        "customers.customer_profile": lambda s: customers.customer_profile(s.customers, s.orders, 1),
        # issue 9, customer information and tags (lesson 06)
        "customers.customer_composition": lambda s: customers.customer_composition(s.customers, "age_band"),
        "customers.composition_chart": lambda s: customers.composition_chart(
            customers.customer_composition(s.customers, "region")
        ),
        "customers.deal_mask": lambda s: customers.deal_mask(s.orders),
        "customers.profit_contribution": lambda s: customers.profit_contribution(s, period_days=365),
        "customers.negative_customers": lambda s: customers.negative_customers(
            customers.profit_contribution(s)
        ),
        "customers.pareto_curve": lambda s: customers.pareto_curve(customers.profit_contribution(s)),
        "customers.pareto_chart": lambda s: customers.pareto_chart(
            customers.pareto_curve(customers.profit_contribution(s))
        ),
        "customers.top_profit_share": lambda s: customers.top_profit_share(customers.profit_contribution(s)),
        "customers.lookalike_features": lambda s: customers.lookalike_features(s),
        "customers.loyal_profile": lambda s: customers.loyal_profile(customers.lookalike_features(s)),
        "customers.lookalike_customers": lambda s: customers.lookalike_customers(s),
        "tags.rule_tags": lambda s: tags.rule_tags(s),
        "tags.long_tags": lambda s: tags.long_tags(tags.rule_tags(s)),
        "tags.tag_counts": lambda s: tags.tag_counts(tags.rule_tags(s)),
        "display.agent_kpi_summary": lambda s: display.agent_kpi_summary(s.chats, s.orders, s.agents, "小美"),
        "display.kpi_explorer": lambda s: display.kpi_explorer(s.chats, s.orders, s.agents),
        "display.readable": lambda s: display.readable(metrics.kpi_board(s.chats, s.orders, agents=s.agents)),
        "glossary.export_table": None,  # writes a file; covered in tests/test_glossary.py
        "simulation.inputs.serving_agents": None,  # reads a fresh copy of agents.csv only
        "simulation.inputs.fraud_culprits": None,  # reads a fresh copy of agents.csv only
        "simulation.staff.check_fraud_agent": None,  # checks a pattern against agents.csv only
        "glossary.to_chinese_columns": lambda s: glossary.to_chinese_columns(s.orders, "orders"),
        "handover.handover_table": lambda s: handover.handover_table(
            s.orders, s.refunds, s.chats, at=s.end, customers=s.customers
        ),
        "metrics.average_response_time": lambda s: metrics.average_response_time(s.chats, by="agent"),
        "metrics.customer_unit_price": lambda s: metrics.customer_unit_price(s.orders),
        "metrics.first_response_time": lambda s: metrics.first_response_time(s.chats, by="day"),
        "metrics.inquiry_conversion_rate": lambda s: metrics.inquiry_conversion_rate(s.chats, s.orders),
        "metrics.kpi_board": lambda s: metrics.kpi_board(s.chats, s.orders, agents=s.agents),
        "metrics.order_unit_price": lambda s: metrics.order_unit_price(s.orders),
        "metrics.refund_rate": lambda s: metrics.refund_rate(s.order_items, s.refunds, orders=s.orders),
        "metrics.repurchase_rate": lambda s: metrics.repurchase_rate(s.orders),
        "metrics.response_within_3min_rate": lambda s: metrics.response_within_3min_rate(s.chats),
        "metrics.silent_order_share": lambda s: metrics.silent_order_share(s.orders),
        "orders.add_remark": lambda s: orders.add_remark(
            s.orders, int(s.orders["order_id"].iloc[0]), "已核对地址", author="小美"
        ),
        "orders.change_price": lambda s: orders.change_price(
            s.orders, int(unpaid(s)["order_id"].iloc[0]), float(unpaid(s)["payment"].iloc[0]) - 1
        ),
        "orders.find_orders": lambda s: orders.find_orders(s.orders, s.customers, status="交易成功"),
        "orders.chinese_orders": lambda s: orders.chinese_orders(s.orders),
        "orders.orders_at": lambda s: orders.orders_at(s.orders, "2025-11-04 09:00"),
        "orders.status_at": lambda s: orders.status_at(s.orders, "2025-11-04 09:00"),
        "orders.transition": lambda s: orders.transition(
            s.orders, int(unpaid(s)["order_id"].iloc[0]), "交易关闭", at=s.end, event="卖家关闭订单"
        ),
        "payment_reminders.compare_reminder_strategies": lambda s: (
            payment_reminders.compare_reminder_strategies(s.orders, seed=1)
        ),
        "payment_reminders.due_reminders": lambda s: payment_reminders.due_reminders(
            s.orders, "2025-06-01 10:00", reminders=s.reminders, customers_orders=s.orders
        ),
        "payment_reminders.reminder_register": register,
        "payment_reminders.reminder_success_rate": lambda s: payment_reminders.reminder_success_rate(
            register(s)
        ),
        "payment_reminders.reminder_summary": lambda s: payment_reminders.reminder_summary(register(s)),
        "payment_reminders.reminder_windows": lambda s: payment_reminders.reminder_windows(
            unpaid(s), customers_orders=s.orders
        ),
        "payment_reminders.repeat_buyer_flags": lambda s: payment_reminders.repeat_buyer_flags(s.orders),
        "payment_reminders.simulate_reminder_strategy": lambda s: (
            payment_reminders.simulate_reminder_strategy(s.orders, "按表4.1", seed=1)
        ),
        "shop_export.to_order_export": lambda s: shop_export.to_order_export(s),
        "selfcheck.check_table": lambda s: selfcheck.check_table(s.orders.head(), s.orders.head()),
        "plotting.bar_chart": lambda s: plotting.bar_chart(
            s.orders["payment"].head(3), title="t", xlabel="x", ylabel="y", percent=False
        ),
        "plotting.labelled_scatter": lambda s: plotting.labelled_scatter(
            s.orders.head(3),
            x="order_id",
            y="payment",
            label="customer_id",
            title="t",
            xlabel="x",
            ylabel="y",
        ),
        "red_packets.authorised_limits": lambda s: red_packets.authorised_limits(s.audit_log, s.shop_name),
        "red_packets.daily_red_packet_totals": lambda s: red_packets.daily_red_packet_totals(
            s.red_packets, s.agents, s.audit_log, s.shop_name
        ),
        "red_packets.odd_hour_share": lambda s: red_packets.odd_hour_share(s.red_packets),
        "red_packets.plot_daily_totals": None,  # draws; covered in tests/test_red_packets.py
        "red_packets.red_packet_alerts": lambda s: red_packets.red_packet_alerts(
            s.red_packets, s.agents, s.audit_log, s.shop_name
        ),
        "red_packets.repeated_recipients": lambda s: red_packets.repeated_recipients(s.red_packets),
        "red_packets.unauthorised_changes": lambda s: red_packets.unauthorised_changes(
            s.audit_log, s.shop_name
        ),
        **_group_calls(groups),
    }


def _group_calls(groups) -> dict[str, Callable]:
    """客户分组 (crm_helpers.groups): its functions take the group tables and the shop's orders."""
    now, shop = pd.Timestamp("2025-12-20 10:00"), "乐童优选"

    def tables(s):
        g, m, c = groups.empty_tables()
        g, first = groups.add_group(g, "新客户", "手动分组", now, shop)
        m, _ = groups.add_members(m, g, first, [1, 2], now, shop, s.customers["customer_id"])
        return g, m, c

    def unchanged_tables(call):
        def run(s):
            before = tables(s)
            frames = [f.copy(deep=True) for f in before]
            result = call(s, *before)
            for frame, copy in zip(before, frames):
                pd.testing.assert_frame_equal(frame, copy)
            return result

        return run

    ids = lambda s: s.customers["customer_id"]  # noqa: E731
    return {
        "groups.add_group": unchanged_tables(
            lambda s, g, m, c: groups.add_group(g, "老客户", "手动分组", now, shop)
        ),
        "groups.add_members": unchanged_tables(
            lambda s, g, m, c: groups.add_members(m, g, 1, [2, 3], now, shop, ids(s))
        ),
        "groups.check_group_name": unchanged_tables(lambda s, g, m, c: groups.check_group_name("甲", g)),
        "groups.chinese_coupons": unchanged_tables(lambda s, g, m, c: groups.chinese_coupons(c, s.customers)),
        "groups.chinese_groups": unchanged_tables(lambda s, g, m, c: groups.chinese_groups(g, m)),
        "groups.chinese_members": unchanged_tables(
            lambda s, g, m, c: groups.chinese_members(m, g, s.customers)
        ),
        "groups.condition_members": lambda s: groups.condition_members(s, "老客户"),
        "groups.coupon_rows": unchanged_tables(
            lambda s, g, m, c: groups.coupon_rows(c, m, g, 1, 10, 0, now, shop)
        ),
        "groups.find_group": unchanged_tables(lambda s, g, m, c: groups.find_group(g, "新客户")),
        "groups.remove_group": unchanged_tables(lambda s, g, m, c: groups.remove_group(g, m, 1)),
        "groups.remove_members": unchanged_tables(
            lambda s, g, m, c: groups.remove_members(m, g, 1, [1], ids(s))
        ),
        "groups.rename_group": unchanged_tables(lambda s, g, m, c: groups.rename_group(g, 1, "首单客户")),
        "groups.replay_log": lambda s: groups.replay_log(s.audit_log),
    }


def crowd_builder_saving(features):
    """The crowd builder with one condition added and the crowd saved (the widget's full path)."""
    from crm_helpers.widgets import crowd_builder

    builder = crowd_builder(features)
    builder.fields["下限"].value = "5"
    builder.fields["人群名称"].value = "测试"
    return builder.save()


CALLS = _calls()


def functions_taking_tables() -> list[str]:
    found = []
    for module_name, name, obj in public_objects():
        if inspect.isfunction(obj) and obj.__module__ == module_name:
            annotations = [str(p.annotation) for p in inspect.signature(obj).parameters.values()]
            if any("DataFrame" in a for a in annotations):
                found.append(f"{module_name.removeprefix('crm_helpers.')}.{name}")
    return sorted(found)


def test_every_function_taking_tables_is_called_below():
    missing = sorted(set(functions_taking_tables()) - set(CALLS))
    assert not missing, f"add a representative call to CALLS for: {missing}"


@pytest.mark.parametrize("qualname", sorted(name for name, call in CALLS.items() if call is not None))
def test_callers_tables_are_never_modified(qualname, store):
    before = snapshot(*store.tables.values())
    CALLS[qualname](store)
    assert_unchanged(before, *store.tables.values())
