"""Tests for crm_helpers.campaigns: 活动三要素."""

from __future__ import annotations

import re

import pandas as pd
import pytest

from crm_helpers.campaigns import CAMPAIGN_METHODS, Campaign

T = pd.Timestamp


# ---- 活动三要素 ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    "campaign, phrases",
    [
        (
            Campaign("双11满减", "2025-11-01", "2025-11-12", "满减", threshold=199, discount=20),
            [
                "【双11满减】",
                "2025年11月1日 00:00 至 2025年11月12日 00:00",
                "全店商品单笔订单满 199 元",
                "满 199 元减 20 元",
            ],
        ),
        (
            Campaign(
                "春季上新",
                T("2025-03-01 10:00"),
                T("2025-03-08 10:00"),
                "折扣",
                discount_rate=0.85,
                scope="春装",
            ),
            ["春装均可参与，无门槛", "打 8.5 折", "10:00"],
        ),
        (
            Campaign("满额送", "2025-06-01", "2025-06-19", "赠品", threshold=99, gift="婴儿湿巾一包"),
            ["满 99 元", "送婴儿湿巾一包"],
        ),
        (
            Campaign("领券", "2025-06-01", "2025-06-19", "优惠券", threshold=149, discount=15),
            ["领取 15 元优惠券（满 149 元可用）"],
        ),
        (Campaign("新人券", "2025-06-01", "2025-06-19", "优惠券", discount=5), ["5 元优惠券（无门槛）"]),
        (Campaign("老客回馈", "2025-06-01", "2025-06-02", "红包", discount=3.5), ["发放 3.5 元红包"]),
    ],
)
def test_campaign_valid(campaign, phrases):
    assert campaign.validate() == []
    text = campaign.describe()
    for phrase in ("活动时间：", "参与条件：", "活动方式：", campaign.method, *phrases):
        assert phrase in text


@pytest.mark.parametrize(
    "kwargs, match",
    [
        ({"name": ""}, r"活动名称 name 不能为空"),
        ({"name": None}, r"活动名称 name 不能为空"),
        (
            {"end": "2025-11-01"},
            r"结束时间 end（2025-11-01 00:00:00）必须晚于开始时间 start（2025-11-01 00:00:00）",
        ),
        ({"start": "双十一"}, r"start（开始时间） 应该是时间"),
        ({"end": None}, r"end（结束时间） 不能是空的时间"),
        ({"method": "秒杀"}, r"活动方式 method 不能是 '秒杀'，只能是：满减、折扣、赠品、优惠券、红包"),
        ({"threshold": 0}, r"满减要有门槛"),
        ({"threshold": -1}, r"门槛 threshold（满多少元）应该是 0 或正数"),
        ({"threshold": True}, r"门槛 threshold"),
        ({"discount": 0}, r"满减要填写减免金额 discount（元），必须大于 0"),
        ({"discount": None}, r"必须大于 0；现在是 None"),
        ({"discount": 199}, r"减免金额 discount（199 元）必须小于门槛 threshold（199 元），否则等于白送"),
        ({"discount_rate": 0.9}, r"活动方式为满减时不用填写折扣率 discount_rate（现在是 0.9）"),
        ({"gift": "袜子"}, r"不用填写赠品 gift"),
        ({"scope": " "}, r"参与范围 scope 不能为空"),
        (
            {"method": "折扣", "discount": None, "discount_rate": 1},
            r"折扣率 discount_rate 必须在 0 和 1 之间.*现在是 1",
        ),
        ({"method": "折扣", "discount": None, "discount_rate": 0}, r"必须在 0 和 1 之间"),
        ({"method": "折扣", "discount": None, "discount_rate": 85}, r"0.85 表示 8.5 折；现在是 85"),
        ({"method": "折扣", "discount": None}, r"必须在 0 和 1 之间.*现在是 None"),
        ({"method": "折扣"}, r"活动方式为折扣时不用填写优惠金额 discount"),
        ({"method": "赠品", "discount": None}, r"赠品活动要写明赠品 gift"),
        ({"method": "优惠券", "discount": 300}, r"优惠券面额 discount（300 元）必须小于门槛"),
        ({"method": "红包", "discount": -2}, r"红包要填写红包金额 discount"),
    ],
)
def test_campaign_problems(kwargs, match):
    fields = {
        "name": "双11满减",
        "start": "2025-11-01",
        "end": "2025-11-12",
        "method": "满减",
        "threshold": 199,
        "discount": 20,
    }
    fields.update(kwargs)
    campaign = Campaign(**fields)
    problems = campaign.validate()
    assert any(re.search(match, p) for p in problems), problems
    with pytest.raises(ValueError, match=r"活动设置有问题，先改正再发通知：1\. "):
        campaign.describe()


def test_campaign_lists_every_problem():
    campaign = Campaign("", "2025-12-01", "2025-11-01", "满减", threshold=0, discount=0)
    assert len(campaign.validate()) == 4
    assert set(CAMPAIGN_METHODS) == {"满减", "折扣", "赠品", "优惠券", "红包"}


def test_campaign_condition_fields_are_keyword_only():
    with pytest.raises(TypeError):
        Campaign("x", "2025-01-01", "2025-01-02", "满减", 199, 20)  # type: ignore[misc]
