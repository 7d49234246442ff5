"""ipywidgets versions of 千牛 pages: the 新建员工 form, the order search panel, 分组管理.

The widgets call exactly the same functions as code does (:meth:`Session.create_sub_account`,
:meth:`Session.find_orders`), so a form filled in by hand leaves the same workbench state as
the code a homework grades.  Each form object can also be driven from code (set
``form.fields[...]``, call ``form.submit()``), which is how the tests and nbval run them.
"""

from __future__ import annotations

import re
from collections.abc import Callable

import pandas as pd

from .orders import chinese_orders
from .vocabulary import DEPARTMENTS, ORDER_STATUSES
from .workbench import ROLES, PermissionDenied, Session, Workbench

__all__ = [
    "EmployeeForm",
    "GroupManager",
    "OrderSearchPanel",
    "group_manager",
    "new_employee_form",
    "order_search_panel",
]

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


# ---- 客户分组: the 分组管理 page (lesson 07) ------------------------------------------------------

_CUSTOMER_SEPARATORS = re.compile(r"[\s,，、;；]+")


def _customer_ids_from_text(text: str, customers: pd.DataFrame) -> list[int]:
    """Customers typed as 会员名 or 客户编号, separated by spaces, commas or 、.

    Raises
    ------
    ValueError
        If nothing is typed, or a 会员名 is not one of the shop's (all of them are named).
    """
    tokens = [t for t in _CUSTOMER_SEPARATORS.split(text.strip()) if t]
    if not tokens:
        raise ValueError("请输入要添加或移出的客户：会员名或客户编号，多个用逗号、顿号或空格隔开。")
    by_name = dict(zip(customers["member_name"], customers["customer_id"]))
    unknown = [t for t in tokens if not t.isdigit() and t not in by_name]
    if unknown:
        raise ValueError(f"没有会员名为 {'、'.join(unknown)} 的客户：请检查会员名，或者改用客户编号。")
    return [int(t) if t.isdigit() else int(by_name[t]) for t in tokens]


class GroupManager:
    """The 分组管理 page of 千牛's 客户列表: the groups with their member counts and the buttons.

    Every button calls the workbench operation of the same name (``create_group``,
    ``rename_group``, ``delete_group``, ``add_to_group``, ``remove_from_group``), so the
    page leaves the same state and audit log as code; a refusal is shown in red under the
    buttons (and the workbench has logged it).  Customers are typed as 会员名 or 客户编号; a
    会员名 the shop does not have is refused by the page itself, before anything is sent.

    Attributes
    ----------
    fields : dict of str to ipywidgets.Widget
        ``group_name``, ``method``, ``condition`` (新增分组); ``group`` (the group the other
        buttons act on), ``new_name`` (修改名称), ``customers`` (添加分组 / 移出分组).
    buttons : dict of str to ipywidgets.Button
        ``create``, ``rename``, ``delete``, ``add``, ``remove``.
    status : ipywidgets.HTML
        The result of the last click, green or red.
    widget : ipywidgets.VBox
        What is displayed.
    """

    def __init__(self, target: Workbench | Session) -> None:
        import ipywidgets as w

        from .vocabulary import GROUP_CONDITIONS, GROUP_METHODS

        self.session = _session(target)
        style = {"description_width": "6em"}
        self.fields = {
            "group_name": w.Text(
                description="分组名称", placeholder="例如 新客户（最多 20 个字）", style=style
            ),
            "method": w.Dropdown(
                options=list(GROUP_METHODS), value="手动分组", description="分组方式", style=style
            ),
            "condition": w.Dropdown(
                options=list(GROUP_CONDITIONS), value=GROUP_CONDITIONS[0], description="分组条件", style=style
            ),
            "group": w.Dropdown(options=[], description="选择分组", style=style),
            "new_name": w.Text(description="新名称", placeholder="修改后的分组名称", style=style),
            "customers": w.Text(
                description="客户",
                placeholder="会员名或客户编号，多个用逗号隔开",
                style=style,
                layout=w.Layout(width="34em"),
            ),
        }
        self.fields["condition"].disabled = True
        self.fields["method"].observe(self._method_changed, names="value")
        labels = {
            "create": ("确定", "primary", "plus"),
            "rename": ("修改名称", "", "pencil"),
            "delete": ("删除分组", "danger", "trash"),
            "add": ("添加分组", "success", "user-plus"),
            "remove": ("移出分组", "warning", "user-times"),
        }
        self.buttons = {
            key: w.Button(description=text, button_style=kind, icon=icon)
            for key, (text, kind, icon) in labels.items()
        }
        actions = {
            "create": self.create,
            "rename": self.rename,
            "delete": self.delete,
            "add": self.add_customers,
            "remove": self.remove_customers,
        }
        for key, button in self.buttons.items():
            button.on_click(lambda _, act=actions[key]: act())
        self.status = w.HTML()
        self.table = w.Output()
        self.members = w.Output()
        self.fields["group"].observe(lambda _: self._show_members(), names="value")
        f, b = self.fields, self.buttons
        self.widget = w.VBox(
            [
                w.HTML("<h3>分组管理</h3>"),
                self.table,
                w.HTML("<b>新增分组</b>"),
                w.HBox([f["group_name"], f["method"], f["condition"], b["create"]]),
                w.HTML("<b>管理分组</b>"),
                w.HBox([f["group"], f["new_name"], b["rename"], b["delete"]]),
                w.HBox([f["customers"], b["add"], b["remove"]]),
                self.status,
                w.HTML("<b>分组成员</b>"),
                self.members,
            ]
        )
        self._refresh()

    def _ipython_display_(self) -> None:
        from IPython.display import display

        display(self.widget)

    def _method_changed(self, change: dict) -> None:
        self.fields["condition"].disabled = change["new"] != "条件分组"

    def _refresh(self, selected: int | None = None) -> None:
        """Redraw the group list and the group choices (keeping or moving to ``selected``)."""
        from IPython.display import display

        wb = self.session.workbench
        groups = wb.groups
        choices = [(f"{i} {n}", int(i)) for i, n in zip(groups["group_id"], groups["group_name"])]
        current = selected if selected is not None else self.fields["group"].value
        self.fields["group"].options = choices
        ids = [value for _, value in choices]
        self.fields["group"].value = current if current in ids else (ids[0] if ids else None)
        self.table.clear_output()
        with self.table:
            display(wb.group_list() if len(groups) else "还没有分组：先在下面“新增分组”。")
        self._show_members()

    def _show_members(self) -> None:
        from IPython.display import display

        group = self.fields["group"].value
        self.members.clear_output()
        if group is None:
            return
        with self.members:
            display(self.session.workbench.group_member_list(group))

    def _done(self, text: str) -> None:
        self.status.value = f'<span style="{_OK_STYLE}">✓ {text}</span>'

    def _refused(self, error: Exception) -> None:
        self.status.value = f'<span style="{_ERROR_STYLE}">✗ {error}</span>'

    def _run(self, action: Callable[[], str], selected: Callable[[], int | None] = lambda: None) -> bool:
        """Do one click: the operation, then the message and the redrawn page."""
        try:
            text = action()
        except (ValueError, TypeError, PermissionDenied) as error:
            self._refused(error)
            return False
        self._refresh(selected())
        self._done(text)
        return True

    def _chosen_group(self) -> int:
        group = self.fields["group"].value
        if group is None:
            raise ValueError("还没有分组可选：请先新增分组。")
        return group

    def create(self) -> int | None:
        """Press 确定 under 新增分组: create the group from 分组名称, 分组方式 (and 分组条件).

        Returns
        -------
        int or None
            The new group's 编号, or None when it was refused.
        """
        f = {name: widget.value for name, widget in self.fields.items()}
        condition = f["condition"] if f["method"] == "条件分组" else None
        created: list[int] = []

        def act() -> str:
            created.append(self.session.create_group(f["group_name"], f["method"], condition))
            count = len(self.session.workbench.group_member_list(created[0]))
            extra = f"，按条件“{condition}”选出 {count} 位客户" if condition else ""
            return f"已新增分组“{f['group_name'].strip()}”（编号 {created[0]}）{extra}。"

        if self._run(act, lambda: created[0]):
            self.fields["group_name"].value = ""
            return created[0]
        return None

    def rename(self) -> bool:
        """Press 修改名称: rename the chosen group to 新名称; True when it was done.

        Returns
        -------
        bool
            Whether the group was renamed.
        """

        def act() -> str:
            group, new = self._chosen_group(), self.fields["new_name"].value
            self.session.rename_group(group, new)
            return f"分组 {group} 已改名为“{new.strip()}”。"

        return self._run(act)

    def delete(self) -> bool:
        """Press 删除分组: delete the chosen group (its members stay in the shop).

        Returns
        -------
        bool
            Whether the group was deleted.
        """

        def act() -> str:
            group = self._chosen_group()
            name = self.fields["group"].label
            self.session.delete_group(group)
            return f"已删除分组 {name}；客户还在店里，也还在别的分组里。"

        return self._run(act)

    def _membership(self, operation: str) -> str:
        group = self._chosen_group()
        customers = _customer_ids_from_text(
            self.fields["customers"].value, self.session.workbench.store.customers
        )
        change = getattr(self.session, operation)(group, customers)
        return change.message

    def add_customers(self) -> bool:
        """Press 添加分组: put the customers typed (会员名 or 客户编号) into the chosen group.

        Returns
        -------
        bool
            Whether the operation went through (customers already in the group are reported,
            not added twice).
        """
        return self._run(lambda: self._membership("add_to_group"))

    def remove_customers(self) -> bool:
        """Press 移出分组: take the customers typed out of the chosen group.

        Returns
        -------
        bool
            Whether the operation went through.
        """
        return self._run(lambda: self._membership("remove_from_group"))


def group_manager(target: Workbench | Session) -> GroupManager:
    """分组管理页面: the 千牛 分组管理 page, acting as the account of ``target`` (needs 客户管理).

    Parameters
    ----------
    target : Workbench or Session
        A workbench (the page acts as its main account) or an account's session.

    Returns
    -------
    GroupManager
        Display it in a notebook, or fill ``manager.fields`` and call ``manager.create()``,
        ``rename()``, ``delete()``, ``add_customers()`` or ``remove_customers()``.
    """
    return GroupManager(target)
