"""ipywidgets versions of 千牛 pages: the 新建员工 form and the order search panel.

The widgets call exactly the same functions as code does (:meth:`Session.create_sub_account`,
:meth:`Session.find_orders`), so a form filled in by hand leaves the same workbench state as
the code a homework grades.  Each form object can also be driven from code (set
``form.fields[...]``, call ``form.submit()``), which is how the tests and nbval run them.
"""

from __future__ import annotations

import re

import pandas as pd

from .orders import chinese_orders
from .vocabulary import DEPARTMENTS, ORDER_STATUSES
from .workbench import ROLES, PermissionDenied, Session, Workbench

__all__ = ["EmployeeForm", "OrderSearchPanel", "new_employee_form", "order_search_panel"]

_FIELD_OF_PARAMETER = {
    "role": "岗位",
    "account_name": "账号名",
    "password": "密码",
    "department": "部门",
    "phone": "安全验证手机",
    "certificate_limit": "证书允许开启数量",
}
_ERROR_STYLE = "color:#c0392b"
_OK_STYLE = "color:#1e8449"


def _session(target: Workbench | Session) -> Session:
    if isinstance(target, Workbench):
        return target.main_account()
    if isinstance(target, Session):
        return target
    raise TypeError(f"需要一个千牛工作台（Workbench）或账号（Session），收到的是 {type(target).__name__}。")


class EmployeeForm:
    """The 新建员工 page: fields, inline messages, and the 子账号 list below.

    Attributes
    ----------
    fields : dict of str to ipywidgets.Widget
        The inputs, keyed by the parameter names of ``create_sub_account``.
    messages : dict of str to ipywidgets.HTML
        The messages under each field: one line per attempt that concerned it (red when the
        value broke a rule, green once a later attempt succeeded).
    attempts : int
        How many times 确认新建 was pressed.
    status : ipywidgets.HTML
        The overall result line.
    widget : ipywidgets.VBox
        What is displayed.
    """

    def __init__(self, target: Workbench | Session) -> None:
        import ipywidgets as w

        self.session = _session(target)
        wb = self.session.workbench
        style = {"description_width": "9em"}
        layout = w.Layout(width="26em")
        self.fields = {
            "role": w.Dropdown(
                options=list(ROLES), value="客服", description="选择岗位", style=style, layout=layout
            ),
            "account_name": w.Text(
                value=f"{wb.shop_name}:",
                description="账号名",
                placeholder=f"{wb.shop_name}:子账号名",
                style=style,
                layout=layout,
            ),
            "password": w.Password(
                description="密码",
                placeholder="本课程规定：8～20 位，字母数字符号至少两种",
                style=style,
                layout=layout,
            ),
            "department": w.Dropdown(
                options=list(DEPARTMENTS), value="客服部", description="部门", style=style, layout=layout
            ),
            "phone": w.Text(
                description="安全验证手机", placeholder="11 位手机号", style=style, layout=layout
            ),
            "certificate_limit": w.BoundedIntText(
                value=1, min=0, max=99, description="证书允许开启数量", style=style, layout=layout
            ),
        }
        self.messages = {name: w.HTML() for name in self.fields}
        self._notes: dict[str, list[str]] = {name: [] for name in self.fields}
        self.attempts = 0
        self.button = w.Button(description="确认新建", button_style="primary", icon="user-plus")
        self.button.on_click(lambda _: self.submit())
        self.status = w.HTML()
        self.table = w.Output()
        rows = [w.VBox([self.fields[n], self.messages[n]]) for n in self.fields]
        self.widget = w.VBox(
            [
                w.HTML("<h3>新建员工</h3>"),
                *rows,
                self.button,
                self.status,
                w.HTML("<b>子账号列表</b>"),
                self.table,
            ]
        )
        self._show_accounts()

    def _ipython_display_(self) -> None:
        from IPython.display import display

        display(self.widget)

    def _show_accounts(self) -> None:
        from IPython.display import display

        shown = self.session.workbench.sub_account_list()
        self.table.clear_output()
        with self.table:
            display(shown)

    def _note(self, field: str, style: str, text: str) -> None:
        """Add one line under ``field``: the verdict of attempt number ``self.attempts``."""
        line = f'<div style="{style}">第 {self.attempts} 次确认新建：{text}</div>'
        self._notes[field].append(line)
        self.messages[field].value = "".join(self._notes[field])

    def submit(self) -> str | None:
        """Press 确认新建: create the account, or show what is wrong under its field.

        The message under a field is a record of the attempts, one line each: a refused
        attempt's red line stays when a later attempt succeeds (that one adds a green
        "已改正" line), so a notebook run from top to bottom still shows what went wrong.

        Returns
        -------
        str or None
            The new account name, or None when the form was refused.
        """
        self.attempts += 1
        values = {name: widget.value for name, widget in self.fields.items()}
        try:
            created = self.session.create_sub_account(**values)
        except (ValueError, TypeError, PermissionDenied) as error:
            text = str(error)
            match = re.search(r"（(" + "|".join(self.fields) + r")）", text)
            if match:
                self._note(match.group(1), _ERROR_STYLE, f"✗ {text}")
                field = _FIELD_OF_PARAMETER[match.group(1)]
                self.status.value = f'<span style="{_ERROR_STYLE}">没有建成：请修改“{field}”后再确认。</span>'
            else:
                self.status.value = f'<span style="{_ERROR_STYLE}">✗ {text}</span>'
            return None
        for field, notes in self._notes.items():
            if notes:
                self._note(field, _OK_STYLE, "✓ 已改正")
        self.status.value = f'<span style="{_OK_STYLE}">✓ 已新建子账号 {created}。</span>'
        self._show_accounts()
        return created


class OrderSearchPanel:
    """The order search panel (订单查找): 会员名, 订单编号, 订单状态, 下单时间.

    Attributes
    ----------
    fields : dict of str to ipywidgets.Widget
        ``member_name``, ``order_id``, ``status``, ``start``, ``end``.
    result : pandas.DataFrame or None
        The last search result.
    """

    def __init__(self, target: Workbench | Session) -> None:
        import ipywidgets as w

        self.session = _session(target)
        style = {"description_width": "6em"}
        self.fields = {
            "member_name": w.Text(description="会员名", placeholder="完整的会员名", style=style),
            "order_id": w.Text(description="订单编号", placeholder="例如 100123", style=style),
            "status": w.Dropdown(
                options=["全部", *ORDER_STATUSES], value="全部", description="订单状态", style=style
            ),
            "start": w.DatePicker(description="下单从", style=style),
            "end": w.DatePicker(description="到（不含）", style=style),
        }
        self.button = w.Button(description="搜索", button_style="primary", icon="search")
        self.button.on_click(lambda _: self.search())
        self.status = w.HTML()
        self.output = w.Output()
        self.result: pd.DataFrame | None = None
        self.widget = w.VBox(
            [
                w.HTML("<h3>订单查找</h3>"),
                w.HBox([self.fields["member_name"], self.fields["order_id"], self.fields["status"]]),
                w.HBox([self.fields["start"], self.fields["end"], self.button]),
                self.status,
                self.output,
            ]
        )

    def _ipython_display_(self) -> None:
        from IPython.display import display

        display(self.widget)

    def search(self) -> pd.DataFrame | None:
        """Press 搜索: show (and return) the matching orders, newest first."""
        from IPython.display import display

        f = {name: widget.value for name, widget in self.fields.items()}
        criteria = {
            "member_name": f["member_name"].strip() or None,
            "order_id": None,
            "status": None if f["status"] == "全部" else f["status"],
            "start": pd.Timestamp(f["start"]) if f["start"] else None,
            "end": pd.Timestamp(f["end"]) if f["end"] else None,
        }
        self.output.clear_output()
        try:
            if f["order_id"].strip():
                if not f["order_id"].strip().isdigit():
                    raise ValueError(f"订单编号只能是数字，收到的是 {f['order_id']!r}。")
                criteria["order_id"] = int(f["order_id"].strip())
            found = self.session.find_orders(**criteria)
        except (ValueError, TypeError, PermissionDenied) as error:
            self.status.value = f'<span style="{_ERROR_STYLE}">✗ {error}</span>'
            self.result = None
            return None
        self.result = found
        self.status.value = f"找到 <b>{len(found)}</b> 笔订单" + (
            "（只显示最新的 20 笔）" if len(found) > 20 else ""
        )
        with self.output:
            display(chinese_orders(found.head(20)))
        return found


def new_employee_form(target: Workbench | Session) -> EmployeeForm:
    """新建员工表单: the 新建员工 form, submitting as the account of ``target``.

    Parameters
    ----------
    target : Workbench or Session
        A workbench (the form acts as its main account) or an account's session.

    Returns
    -------
    EmployeeForm
        Display it in a notebook, or fill ``form.fields`` and call ``form.submit()``.
    """
    return EmployeeForm(target)


def order_search_panel(target: Workbench | Session) -> OrderSearchPanel:
    """订单查找面板: the order search panel, searching as ``target`` (needs 查看订单).

    Parameters
    ----------
    target : Workbench or Session
        A workbench (the panel searches as its main account) or an account's session.

    Returns
    -------
    OrderSearchPanel
        Display it in a notebook, or fill ``panel.fields`` and call ``panel.search()``.
    """
    return OrderSearchPanel(target)
