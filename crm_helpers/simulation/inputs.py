"""The shipped tables the simulator starts from (catalogue, agents, names, reasons …).

They are CSV files in ``crm_helpers/data/`` (see :mod:`crm_helpers._data`), read once per
shop into a :class:`ShopData`.
"""

from __future__ import annotations

from typing import NamedTuple

import numpy as np
import pandas as pd

from .._data import read_data_table
from ..patterns import LESSON_SEED

#: Agents of this role answer chats and may be a seed's 红包 culprit.
CULPRIT_ROLE = "客服"

__all__ = ["ServingAgents", "ShopData", "fraud_culprits", "read_shop_data", "serving_agents"]


class ShopData(NamedTuple):
    """The shipped tables of the shop, as read from ``crm_helpers/data``."""

    settings: pd.Series  # shop.csv: key → value (shop_name, main_account …)
    products: pd.DataFrame
    categories: pd.DataFrame  # indexed by category
    agents: pd.DataFrame
    regions: pd.DataFrame
    channels: pd.DataFrame
    surnames: pd.DataFrame
    given_name_chars: pd.Series  # gender → characters
    nickname_parts: pd.DataFrame
    unpaid_reasons: pd.DataFrame
    refund_reasons: pd.DataFrame
    chat_topics: pd.DataFrame
    chat_questions: pd.DataFrame  # topic → typical questions (店小蜜's keyword rules)


def read_shop_data() -> ShopData:
    """Read every shipped table the simulator needs.

    Returns
    -------
    ShopData
        Fresh copies of the tables.
    """
    return ShopData(
        settings=read_data_table("shop").set_index("key")["value"],
        products=read_data_table("products"),
        categories=read_data_table("categories").set_index("category"),
        agents=read_data_table("agents"),
        regions=read_data_table("regions"),
        channels=read_data_table("channels"),
        surnames=read_data_table("surnames"),
        given_name_chars=read_data_table("given_name_chars").set_index("gender")["chars"],
        nickname_parts=read_data_table("nickname_parts"),
        unpaid_reasons=read_data_table("unpaid_reasons"),
        refund_reasons=read_data_table("refund_reasons"),
        chat_topics=read_data_table("chat_topics"),
        chat_questions=read_data_table("chat_questions"),
    )


class ServingAgents(NamedTuple):
    """The agents who answer chats (``chat_share`` > 0), in ``agents.csv`` order."""

    ids: np.ndarray  # agent_id
    share: np.ndarray  # share of the chats each one answers
    median_response: np.ndarray  # median first-response time, seconds


def serving_agents(agents: pd.DataFrame, seed: int = LESSON_SEED) -> ServingAgents:
    """The agents of ``agents.csv`` who serve customers, with their share and speed.

    On a seed other than :data:`~crm_helpers.patterns.LESSON_SEED` the 客服's median
    response times are shuffled among them, so each seed has its own slowest agent.

    Parameters
    ----------
    agents : pandas.DataFrame
        ``agents.csv``.
    seed : int, default LESSON_SEED
        The shop's seed.

    Returns
    -------
    ServingAgents
        Their ids, chat shares and median response times.
    """
    serving = agents["chat_share"].to_numpy(float) > 0
    median = agents["median_response_seconds"].to_numpy(float)[serving]
    if seed != LESSON_SEED:
        staff = np.flatnonzero(agents["role"].to_numpy()[serving] == CULPRIT_ROLE)
        rng = np.random.default_rng(np.random.SeedSequence([seed, 7_2025]))
        median = median.copy()
        median[staff] = median[rng.permutation(staff)]
    return ServingAgents(
        ids=agents["agent_id"].to_numpy()[serving],
        share=agents["chat_share"].to_numpy(float)[serving],
        median_response=median,
    )


def fraud_culprits(agents: pd.DataFrame) -> tuple[str, ...]:
    """Nicknames of the agents a seed's 红包 story may pick: the 客服 who answer chats.

    Parameters
    ----------
    agents : pandas.DataFrame
        ``agents.csv``.

    Returns
    -------
    tuple of str
        The nicknames, in ``agents.csv`` order.
    """
    serving = (agents["chat_share"].to_numpy(float) > 0) & (agents["role"].to_numpy() == CULPRIT_ROLE)
    return tuple(agents["nickname"].to_numpy()[serving].tolist())
