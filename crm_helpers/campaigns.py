"""活动三要素 (a shop campaign): 活动时间, 参与条件, 活动方式.

:class:`Campaign` holds one campaign, :meth:`Campaign.validate` lists what is missing or
contradictory in Chinese, and :meth:`Campaign.describe` writes the announcement a 客服 can
send.  The coming lessons on customer care reuse it for their campaigns.
"""

from __future__ import annotations

from dataclasses import KW_ONLY, dataclass
from typing import Any

import numpy as np
import pandas as pd

from ._format import format_amount, format_moment
from ._validation import check_timestamp

__all__ = ["CAMPAIGN_METHODS", "Campaign"]

#: 活动方式 a :class:`Campaign` may use.
CAMPAIGN_METHODS = ("满减", "折扣", "赠品", "优惠券", "红包")


_METHOD_FIELDS = {
    "满减": ("threshold", "discount"),
    "折扣": ("threshold", "discount_rate"),
    "赠品": ("threshold", "gift"),
    "优惠券": ("threshold", "discount"),
    "红包": ("threshold", "discount"),
}
_FIELD_LABELS = {
    "discount": "优惠金额 discount",
    "discount_rate": "折扣率 discount_rate",
    "gift": "赠品 gift",
}


def _is_number(value: Any) -> bool:
    return (
        not isinstance(value, bool)
        and isinstance(value, (int, float, np.integer, np.floating))
        and value == value
    )


@dataclass
class Campaign:
    """一个店铺活动及其三要素 (a shop campaign): 活动时间, 参与条件, 活动方式.

    Parameters
    ----------
    name : str
        活动名称, e.g. ``"双11满减"``.
    start, end : str or pandas.Timestamp
        活动时间: the campaign runs from ``start`` until ``end``.
    method : str
        活动方式, one of :data:`CAMPAIGN_METHODS` (满减, 折扣, 赠品, 优惠券, 红包).
    threshold : float, default 0
        参与条件: the order must reach this many 元 (0 = 无门槛).  满减 needs one.
    discount : float, optional
        优惠金额 in 元: what 满减 takes off, or the value of the 优惠券 / 红包.
    discount_rate : float, optional
        折扣率 for 折扣, between 0 and 1 (``0.85`` = 8.5 折).
    gift : str, optional
        赠品 for 赠品.
    scope : str, default "全店商品"
        参与范围: which goods take part.

    Examples
    --------
    >>> c = Campaign("双11满减", "2025-11-01", "2025-11-12", "满减", threshold=199, discount=20)
    >>> c.validate()
    []
    >>> print(c.describe())
    【双11满减】活动时间：2025年11月1日 00:00 至 2025年11月12日 00:00；参与条件：全店商品单笔订单满 199 元；活动方式：满减，满 199 元减 20 元，下单自动优惠。欢迎选购！
    >>> Campaign("清仓", "2025-12-01", "2025-11-01", "折扣", discount_rate=8.5).validate()
    ['结束时间 end（2025-11-01 00:00:00）必须晚于开始时间 start（2025-12-01 00:00:00）。', '折扣率 discount_rate 必须在 0 和 1 之间，例如 0.85 表示 8.5 折；现在是 8.5。']
    """

    name: str
    start: Any
    end: Any
    method: str
    _: KW_ONLY
    threshold: float = 0.0
    discount: float | None = None
    discount_rate: float | None = None
    gift: str | None = None
    scope: str = "全店商品"

    def _times(self) -> tuple[pd.Timestamp | None, pd.Timestamp | None, list[str]]:
        problems, times = [], []
        for field, label in (("start", "开始时间"), ("end", "结束时间")):
            try:
                times.append(check_timestamp(getattr(self, field), f"{field}（{label}）"))
            except (TypeError, ValueError) as exc:
                problems.append(str(exc))
                times.append(None)
        return times[0], times[1], problems

    def validate(self) -> list[str]:
        """检查活动设置 (check the campaign): a list of problems in Chinese, empty when consistent."""
        problems = []
        if not isinstance(self.name, str) or not self.name.strip():
            problems.append(f"活动名称 name 不能为空，请起一个买家看得懂的名字；现在是 {self.name!r}。")
        start, end, time_problems = self._times()
        problems += time_problems
        if start is not None and end is not None and end <= start:
            problems.append(f"结束时间 end（{end}）必须晚于开始时间 start（{start}）。")
        if not isinstance(self.scope, str) or not self.scope.strip():
            problems.append(f"参与范围 scope 不能为空，例如 '全店商品'；现在是 {self.scope!r}。")
        if self.method not in CAMPAIGN_METHODS:
            problems.append(
                f"活动方式 method 不能是 {self.method!r}，只能是：{'、'.join(CAMPAIGN_METHODS)}。"
            )
            return problems
        threshold_ok = _is_number(self.threshold) and self.threshold >= 0
        if not threshold_ok:
            problems.append(
                f"门槛 threshold（满多少元）应该是 0 或正数，0 表示无门槛；现在是 {self.threshold!r}。"
            )
        used = _METHOD_FIELDS[self.method]
        for field, label in _FIELD_LABELS.items():
            if field not in used and getattr(self, field) is not None:
                problems.append(
                    f"活动方式为{self.method}时不用填写{label}（现在是 {getattr(self, field)!r}），请删掉。"
                )
        if "discount" in used:
            what = {"满减": "减免金额", "优惠券": "优惠券面额", "红包": "红包金额"}[self.method]
            if not (_is_number(self.discount) and self.discount > 0):
                problems.append(
                    f"{self.method}要填写{what} discount（元），必须大于 0；现在是 {self.discount!r}。"
                )
            elif threshold_ok and self.threshold > 0 and self.discount >= self.threshold:
                problems.append(
                    f"{what} discount（{format_amount(self.discount)} 元）必须小于门槛 threshold"
                    f"（{format_amount(self.threshold)} 元），否则等于白送。"
                )
        if self.method == "满减" and threshold_ok and self.threshold == 0:
            problems.append(
                "满减要有门槛：threshold（满多少元）必须大于 0；没有门槛的优惠请用“优惠券”或“红包”。"
            )
        if self.method == "折扣" and not (_is_number(self.discount_rate) and 0 < self.discount_rate < 1):
            problems.append(
                f"折扣率 discount_rate 必须在 0 和 1 之间，例如 0.85 表示 8.5 折；现在是 {self.discount_rate!r}。"
            )
        if self.method == "赠品" and not (isinstance(self.gift, str) and self.gift.strip()):
            problems.append(f"赠品活动要写明赠品 gift，例如 '婴儿湿巾一包'；现在是 {self.gift!r}。")
        return problems

    def describe(self) -> str:
        """活动通知 (the announcement for buyers): one Chinese sentence with the three elements.

        Raises
        ------
        ValueError
            If :meth:`validate` finds problems (an inconsistent campaign is not announced).
        """
        problems = self.validate()
        if problems:
            listed = "；".join(f"{i}. {p.rstrip('。')}" for i, p in enumerate(problems, 1))
            raise ValueError(f"活动设置有问题，先改正再发通知：{listed}。")
        start, end, _ = self._times()
        scope = self.scope.strip()
        if self.threshold > 0:
            condition = f"{scope}单笔订单满 {format_amount(self.threshold)} 元"
        else:
            condition = f"{scope}均可参与，无门槛"
        if self.method == "满减":
            way = f"满 {format_amount(self.threshold)} 元减 {format_amount(self.discount)} 元，下单自动优惠"
        elif self.method == "折扣":
            way = f"打 {format_amount(self.discount_rate * 10)} 折"
        elif self.method == "赠品":
            way = f"送{self.gift.strip()}，送完为止"
        elif self.method == "优惠券":
            use = f"满 {format_amount(self.threshold)} 元可用" if self.threshold > 0 else "无门槛"
            way = f"领取 {format_amount(self.discount)} 元优惠券（{use}）"
        else:
            way = f"发放 {format_amount(self.discount)} 元红包"
        return (
            f"【{self.name.strip()}】活动时间：{format_moment(start)} 至 {format_moment(end)}；"
            f"参与条件：{condition}；活动方式：{self.method}，{way}。欢迎选购！"
        )
