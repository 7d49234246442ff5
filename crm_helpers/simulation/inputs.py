"""The shipped tables the simulator starts from (catalogue, agents, names, reasons …).

They are CSV files in ``crm_helpers/data/`` (see :mod:`crm_helpers._data`), read once per
shop into a :class:`ShopData`.
"""

from __future__ import annotations

from typing import NamedTuple

import numpy as np
import pandas as pd

from .._data import read_data_table

__all__ = ["ServingAgents", "ShopData", "read_shop_data", "serving_agents"]


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
    )


class ServingAgents(NamedTuple):
    """The agents who answer chats (``chat_share`` > 0), in ``agents.csv`` order."""

    ids: np.ndarray  # agent_id
    share: np.ndarray  # share of the chats each one answers
    median_response: np.ndarray  # median first-response time, seconds


def serving_agents(agents: pd.DataFrame) -> ServingAgents:
    """The agents of ``agents.csv`` who serve customers, with their share and speed.

    Parameters
    ----------
    agents : pandas.DataFrame
        ``agents.csv``.

    Returns
    -------
    ServingAgents
        Their ids, chat shares and median response times.
    """
    serving = agents["chat_share"].to_numpy(float) > 0
    return ServingAgents(
        ids=agents["agent_id"].to_numpy()[serving],
        share=agents["chat_share"].to_numpy(float)[serving],
        median_response=agents["median_response_seconds"].to_numpy(float)[serving],
    )
