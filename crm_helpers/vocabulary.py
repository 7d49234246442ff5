"""One vocabulary: every label list the shop, the workbench and the lessons share (统一的取值表).

Each list is defined here once, in the order students see it in 千牛, and every module (the
simulator's categorical columns, the workbench's checks, the lessons' helpers) imports it
from here instead of writing its own copy.  :func:`vocabulary_table` shows all of them in
Chinese, beside the column glossary, and the tests check that the shipped data files
(``crm_helpers/data/*.csv``) and every simulated table use only these labels.

Only plain tuples live here: importing the module reads no file and builds nothing.
"""

from __future__ import annotations

from types import MappingProxyType

import pandas as pd

__all__ = [
    "AFTER_SALES_REJECT_REASONS",
    "AFTER_SALES_STATES",
    "ANSWERED_BY",
    "AUDIT_ACTIONS",
    "AUDIT_RESULTS",
    "BOT_ANSWER",
    "CHAT_TYPES",
    "COMPLAINT_TYPES",
    "CONTACT_CHANNELS",
    "CROWD_ACTIONS",
    "CROWD_BASE_FEATURES",
    "CROWD_BEHAVIOURS",
    "DEPARTMENTS",
    "EVENT_TYPES",
    "GENDERS",
    "GROUP_ACTIONS",
    "GROUP_CONDITIONS",
    "GROUP_METHODS",
    "GROWTH_SOURCES",
    "LIMIT_ACTIONS",
    "MAIN_ONLY_ACTIONS",
    "MANUAL_CLOSE_REASONS",
    "ORDER_CLOSE_REASONS",
    "ORDER_STATUSES",
    "PERMISSIONS",
    "PERMISSION_CHANGE_ACTIONS",
    "RED_PACKET_PURPOSES",
    "REFUND_REASON_GROUPS",
    "REFUND_STATUSES",
    "REFUND_TYPES",
    "REVIEW_RATINGS",
    "ROLE_NAMES",
    "UNPAID_REASON_GROUPS",
    "vocabulary_table",
    # issue 9, customer information and tags (lesson 06)
    "AGE_BANDS",
    "RULE_TAGS",
    "TAG_ACTIONS",
    "TAG_SOURCES",
]

#: The five 千牛 order statuses, in the order of the order state machine.
ORDER_STATUSES = ("等待买家付款", "买家已付款", "卖家已发货", "交易成功", "交易关闭")
#: Why an order was closed (交易关闭): by the buyer, by the 72-hour rule, by a full refund.
ORDER_CLOSE_REASONS = ("买家取消订单", "超时未付款自动关闭", "全额退款")
#: Why a seller closes an unpaid order by hand (千牛's 关闭订单 button on the workbench).
MANUAL_CLOSE_REASONS = ("卖家关闭订单", "买家取消订单")

#: Tools a 客服 contacts a buyer with (催付, 关怀): 千牛 (旺旺) message, text message, phone.
CONTACT_CHANNELS = ("千牛", "短信", "电话")
#: 催付 reason groups (seed 001: 客观原因 / 主观原因).
UNPAID_REASON_GROUPS = ("客观原因", "主观原因")

#: Kinds of 旺旺 consultation.
CHAT_TYPES = ("售前", "售后")
#: Who answered a 旺旺 chat: an agent (人工) or the assistant bot 店小蜜 (nights).
ANSWERED_BY = ("人工", "店小蜜")
#: The value of ``chats.answered_by`` for the bot: KPIs of agents leave these chats out.
BOT_ANSWER = ANSWERED_BY[1]
#: Customer behaviour events (行为表).
EVENT_TYPES = ("浏览", "加购", "收藏")
#: Genders as recorded in the member profile.
GENDERS = ("男", "女")

#: After-sales request types (售后类型).
REFUND_TYPES = ("仅退款", "退货退款", "换货")
#: Reason groups of an after-sales request (seed 004 8.1.3).
REFUND_REASON_GROUPS = ("物流原因", "商品原因", "买家主观原因")
#: Where an after-sales request ended.
REFUND_STATUSES = ("退款成功", "退款关闭", "换货完成", "处理中")

#: States of an after-sales request on the workbench (售后状态), in the order of the state
#: machine (:data:`crm_helpers.after_sales.AFTER_SALES_TRANSITIONS`): 申请中 = 待卖家处理;
#: 买家已退货 = the seller confirmed the returned goods arrived; 退款成功 and 已关闭 are final.
AFTER_SALES_STATES = ("申请中", "已同意", "已拒绝", "买家已退货", "退款成功", "换货已寄出", "已关闭")
#: Why a seller may refuse an after-sales request on the workbench (拒绝理由, 本课程的规定).
AFTER_SALES_REJECT_REASONS = (
    "超过退换货期限",
    "该类目不支持7天无理由退换",
    "退回的商品不符合退换条件",
    "买家撤销了申请",
)

#: Departments (部门) a sub-account belongs to.
DEPARTMENTS = ("客服部", "运营部", "财务部", "仓储部")
#: Jobs (岗位) a sub-account can have; their permissions are in :mod:`crm_helpers.workbench`.
ROLE_NAMES = ("客服", "客服主管", "运营", "财务", "仓储")
#: Why a 红包 was sent.
RED_PACKET_PURPOSES = ("售后补偿", "好评感谢")

#: Audit-log actions that set a daily 红包 limit (only the main account may do them).
LIMIT_ACTIONS = ("设置红包限额", "修改红包限额")
#: Audit-log actions that set or change a sub-account's permissions.
PERMISSION_CHANGE_ACTIONS = ("设置权限", "修改权限")
#: Permission code → its Chinese name in 千牛 (权限); roles combine them in the workbench.
PERMISSIONS = MappingProxyType(
    {
        "chat": "旺旺接待",
        "view_orders": "查看订单",
        "remark_order": "订单备注",
        "change_price": "订单改价",
        "close_order": "关闭订单",
        "ship_order": "订单发货",
        "refund": "退款处理",
        "remind_payment": "催付",
        "send_red_packet": "发红包",
        "view_customers": "查看客户",
        "manage_customers": "客户管理",
        "manage_campaign": "活动管理",
        "view_reports": "查看数据报表",
        "view_finance": "查看资金账单",
    }
)
#: Operations only the main account may perform (operation code → action in the log).
MAIN_ONLY_ACTIONS = MappingProxyType(
    {
        "create_sub_account": "新建员工",
        "set_permissions": "修改权限",
        "set_red_packet_limit": "修改红包限额",
        "disable_sub_account": "停用子账号",
        "view_audit_log": "查看操作日志",
        "activity": "查看子账号监控",
        "set_return_policy": "修改退换货政策",
    }
)
#: 客户分组 (lesson 07): 分组方式 as the course reads it (本课程的规定) -- 手动分组: the shop picks
#: the customers; 条件分组: the members are computed once, at creation, from a condition.
GROUP_METHODS = ("手动分组", "条件分组")
#: Conditions of 条件分组 (their readings are in :mod:`crm_helpers.groups`).
GROUP_CONDITIONS = ("新客户", "老客户")
#: Audit-log actions of the 分组管理 operations (one per kind of change, so a homework can see
#: which operation made a group or a membership).
GROUP_ACTIONS = ("新增分组", "修改分组名称", "删除分组", "添加分组", "移出分组", "送优惠券")
# ---- crowds (lesson 08, crm_helpers.crowds) ----
#: The behaviours 人群分析 looks at (seed 000): the three events and 购买 (a 成交).
CROWD_BEHAVIOURS = (*EVENT_TYPES, "购买")
#: The base features (基础特征) 人群分析 compares with the whole shop: the Chinese names of
#: :data:`crm_helpers.customers.COMPOSITION_FIELDS` (``customers.channel`` is 获客渠道, as in the glossary).
CROWD_BASE_FEATURES = ("地区", "性别", "年龄段", "获客渠道")
#: Audit-log actions of the 客户分群 operations on the workbench (保存人群, 删除人群).
CROWD_ACTIONS = ("保存人群", "删除人群")

# ---- issue 9: customer information and tags (lesson 06) ----------------------------------
#: Age bands (年龄段) of 客户构成分析 (the course's bands; :func:`crm_helpers.customers.age_band`).
AGE_BANDS = ("24岁及以下", "25-29岁", "30-34岁", "35-39岁", "40岁及以上")
#: The rule tags (规则标签) :mod:`crm_helpers.tags` computes, in the order it shows them.
RULE_TAGS = (
    "高价值",
    "负值顾客",
    "忠诚客户",
    "新客户",
    "沉睡客户",
    "母婴常客",
    "生日本月",
    "小额交易活跃",
    "退款较多",
    "签到活跃",
    "已完善信息",
)
#: Where a tag comes from: set by hand on the workbench, or computed by a rule.
TAG_SOURCES = ("人工", "规则")
#: Audit-log actions of manual tags on the workbench.
TAG_ACTIONS = ("打标签", "移除标签")

#: Every action the audit log (操作日志) records: main-account operations, the setup of a new
#: sub-account, refused attempts (named by the permission they needed) and tampering attempts.
AUDIT_ACTIONS = tuple(
    dict.fromkeys(
        (
            *MAIN_ONLY_ACTIONS.values(),
            *PERMISSION_CHANGE_ACTIONS,
            *LIMIT_ACTIONS,
            "切换账号",
            "修改操作日志",
            "删除操作日志",
            *TAG_ACTIONS,  # issue 9: manual tags
            *PERMISSIONS.values(),
            *GROUP_ACTIONS,
            *CROWD_ACTIONS,
        )
    )
)
#: The outcome of an audited action.
AUDIT_RESULTS = ("成功", "拒绝")

#: Complaint types (投诉类型).
COMPLAINT_TYPES = ("商品质量", "服务态度", "物流问题", "虚假宣传", "售后处理")
#: Review ratings (评价).
REVIEW_RATINGS = ("好评", "中评", "差评")
#: Where a member's 成长值 (growth value) comes from: a finished trade, a daily check-in, a
#: review, completing the profile (the course's own sources; seed 003 gives only the levels).
GROWTH_SOURCES = ("交易", "签到", "评价", "完善信息")

_DESCRIPTIONS = {
    "ORDER_STATUSES": "订单状态（订单状态机的顺序）",
    "ORDER_CLOSE_REASONS": "交易关闭的原因",
    "MANUAL_CLOSE_REASONS": "卖家在工作台手动关闭未付款订单的原因",
    "CONTACT_CHANNELS": "联系买家的工具（催付、关怀）",
    "UNPAID_REASON_GROUPS": "未付款原因的类别",
    "CHAT_TYPES": "旺旺咨询的类型",
    "ANSWERED_BY": "旺旺咨询由谁回复（人工客服或店小蜜）",
    "EVENT_TYPES": "客户行为的类型",
    "GENDERS": "性别",
    "REFUND_TYPES": "售后类型",
    "REFUND_REASON_GROUPS": "售后原因的类别",
    "REFUND_STATUSES": "售后的结果",
    "AFTER_SALES_STATES": "工作台上售后申请的状态",
    "AFTER_SALES_REJECT_REASONS": "工作台上拒绝售后申请的理由",
    "DEPARTMENTS": "子账号的部门",
    "ROLE_NAMES": "子账号的岗位",
    "RED_PACKET_PURPOSES": "发红包的用途",
    "LIMIT_ACTIONS": "操作日志里设置红包限额的操作",
    "PERMISSION_CHANGE_ACTIONS": "操作日志里设置权限的操作",
    "PERMISSIONS": "子账号的权限",
    "MAIN_ONLY_ACTIONS": "只有主账号能做的操作",
    "AUDIT_ACTIONS": "操作日志记录的操作",
    "AUDIT_RESULTS": "操作的结果",
    "COMPLAINT_TYPES": "投诉类型",
    "REVIEW_RATINGS": "评价",
    "GROWTH_SOURCES": "成长值的来源",
    "GROUP_METHODS": "客户分组的分组方式（本课程的规定）",
    "GROUP_CONDITIONS": "条件分组可选的分组条件",
    "GROUP_ACTIONS": "操作日志里客户分组的操作",
    "CROWD_BEHAVIOURS": "人群分析看的行为",
    "CROWD_BASE_FEATURES": "人群分析看的基础特征",
    "CROWD_ACTIONS": "操作日志里客户分群的操作",
    "AGE_BANDS": "客户构成分析的年龄段",
    "RULE_TAGS": "按规则计算的客户标签",
    "TAG_SOURCES": "客户标签的来源",
    "TAG_ACTIONS": "操作日志里打标签的操作",
}


def vocabulary_table() -> pd.DataFrame:
    """Every label list with its Chinese description (取值一览).

    Returns
    -------
    pandas.DataFrame
        One row per list: ``名称`` (the Python name), ``说明`` and ``取值`` (the labels,
        joined by 、).

    Examples
    --------
    >>> table = vocabulary_table()
    >>> table.loc[table["名称"] == "CONTACT_CHANNELS", "取值"].item()
    '千牛、短信、电话'
    """
    rows = [
        {"名称": name, "说明": text, "取值": "、".join(_labels(globals()[name]))}
        for name, text in _DESCRIPTIONS.items()
    ]
    return pd.DataFrame(rows)


def _labels(values) -> tuple[str, ...]:
    """The labels of a list, or of a mapping's values."""
    return tuple(values.values()) if hasattr(values, "values") else tuple(values)
