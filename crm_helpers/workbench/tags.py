"""人工标签 on the workbench: tag customers by hand (needs 客户管理), see every tag.

Operations registered on :class:`~crm_helpers.workbench.Session`: ``add_tag`` and
``remove_tag`` (permission 客户管理 ``manage_customers``: 客服主管 and 运营 have it, a plain
客服 does not).  Read-only views on :class:`~crm_helpers.workbench.Workbench`:
``wb.manual_tags`` (the manual-tag table, English columns, for grading) and
``wb.customer_tags`` (every tag -- rule tags of :func:`crm_helpers.tags.rule_tags` and manual
ones -- with 来源 规则/人工, Chinese headers, for reading).

The course's rules for a manual tag (本课程的规定)
------------------------------------------------
* a name of 1 to :data:`MAX_TAG_LENGTH` characters after leading and trailing spaces are
  removed;
* not the name of a rule tag (:data:`crm_helpers.vocabulary.RULE_TAGS`): those are computed
  from the data, nobody sets or removes them by hand;
* only customers of the shop; adding a tag a customer already has changes nothing for him,
  removing a tag a customer does not have is refused.

Each refusal (empty or too long a name, a rule tag's name, unknown customers, nothing
selected, nothing to add or remove) raises :class:`~crm_helpers.workbench.PermissionDenied`
with a Chinese reason naming the value, is written to the audit log (action 客户管理, result
拒绝) and leaves the state unchanged.  A customer id that is not a whole number raises
``TypeError`` (malformed input, not logged).  A successful call writes one audit-log row
(打标签 / 移除标签) whose target lists the customers and whose ``after`` names the tag.
"""

from __future__ import annotations

from dataclasses import replace
from typing import Any

import numpy as np
import pandas as pd

from .. import tags as tag_topic
from .._validation import check_int, is_list_like
from ..vocabulary import RULE_TAGS
from .core import Attempt, Entry, Logged, Refused, Session, Workbench, operation

__all__ = ["MAX_TAG_LENGTH"]

#: The longest manual tag name, in characters (本课程的规定).
MAX_TAG_LENGTH = 10
_SHOWN_IDS = 20


def _id_list(customer_ids: Any) -> list[int]:
    """The customer ids as plain ints, each once, in the order given (``TypeError`` for text)."""
    values = list(customer_ids) if is_list_like(customer_ids) else [customer_ids]
    return list(dict.fromkeys(check_int(value, "客户编号（customer_ids）") for value in values))


def _ids_text(ids: list[int]) -> str:
    shown = "、".join(str(i) for i in ids[:_SHOWN_IDS])
    return f"客户 {shown}" + (f" 等 {len(ids)} 位" if len(ids) > _SHOWN_IDS else "")


def _describe(session: Session, customer_ids: Any, tag: Any) -> Attempt:
    """The log's target (the customers) and the tag, written before any check."""
    try:
        target = _ids_text(_id_list(customer_ids))
    except (TypeError, ValueError):
        target = f"客户 {customer_ids!r}"
    return Attempt(target, "", f"标签：{tag}")


def _checked_tag(tag: Any) -> str:
    if not isinstance(tag, str):
        raise TypeError(f"标签名（tag）应该是文字（str），收到的是 {tag!r}（{type(tag).__name__}）。")
    name = tag.strip()
    after = f"标签：{tag}"
    if not name:
        raise Refused(
            f"标签名不能是空的（收到 {tag!r}）：本课程规定标签名 1-{MAX_TAG_LENGTH} 个字。", "", after
        )
    if len(name) > MAX_TAG_LENGTH:
        raise Refused(
            f"标签名“{name}”有 {len(name)} 个字，太长了：本课程规定标签名最多 {MAX_TAG_LENGTH} 个字，请精简。",
            "",
            after,
        )
    if name in RULE_TAGS:
        raise Refused(
            f"“{name}”是规则标签，由系统按店铺数据计算，不能手动打或移除；人工标签请换一个名字"
            f"（规则标签有：{'、'.join(RULE_TAGS)}）。",
            "",
            after,
        )
    return name


def _checked_customers(session: Session, customer_ids: Any, tag: str, verb: str) -> list[int]:
    ids = _id_list(customer_ids)
    after = f"标签：{tag}"
    if not ids:
        raise Refused("没有选择客户：请至少给出一个客户编号（customer_ids）。", "", after)
    known = session.workbench.state.customer_ids
    unknown = [i for i in ids if i not in known]
    if unknown:
        shown = "、".join(map(str, unknown[:_SHOWN_IDS]))
        raise Refused(f"客户编号 {shown} 不存在，这次没有给任何客户{verb}标签“{tag}”。", "", after)
    return ids


def _has_tag(tags: pd.DataFrame, ids: list[int], name: str) -> np.ndarray:
    """For each id, whether it already carries the manual tag ``name``."""
    mine = tags.loc[tags["tag"] == name, "customer_id"]
    return np.isin(np.array(ids, dtype=np.int64), mine.to_numpy(dtype=np.int64))


@operation(permission="manage_customers", describe=_describe)
def add_tag(session: Session, customer_ids: Any, tag: str) -> int:
    """打标签: give one manual tag to one or more customers (needs 客户管理).

    Parameters
    ----------
    customer_ids : int or list of int
        The customers (Python or NumPy integers; a list, array or Series).
    tag : str
        The tag, 1 to :data:`MAX_TAG_LENGTH` characters, not a rule tag's name.

    Returns
    -------
    int
        How many customers got the tag now (those who had it already are not counted).

    Raises
    ------
    PermissionDenied
        Without 客户管理; or a refusal of the module's rules (logged, nothing changed).
    TypeError
        If a customer id is not a whole number or ``tag`` is not text.
    """
    state = session.workbench.state
    name = _checked_tag(tag)
    ids = _checked_customers(session, customer_ids, name, "打")
    new = [i for i, has in zip(ids, _has_tag(state.manual_tags, ids, name), strict=True) if not has]
    if not new:
        raise Refused(f"{_ids_text(ids)} 都已经有标签“{name}”了，不用再打。", "", f"标签：{name}")
    rows = pd.DataFrame(
        {
            "customer_id": np.array(new, dtype=np.int64),
            "tag": pd.array([name] * len(new), dtype="str"),
            "tagged_at": pd.Series([state.now] * len(new), dtype="datetime64[ns]"),
            "operator": pd.array([session.account] * len(new), dtype="str"),
        }
    )
    state.manual_tags = pd.concat([state.manual_tags, rows], ignore_index=True)
    return Logged(len(new), (Entry("打标签", _ids_text(new), "", f"标签：{name}"),))


@operation(permission="manage_customers", describe=_describe)
def remove_tag(session: Session, customer_ids: Any, tag: str) -> int:
    """移除标签: take a manual tag off one or more customers (needs 客户管理).

    Parameters
    ----------
    customer_ids : int or list of int
        The customers; each must have the manual tag.
    tag : str
        The manual tag.

    Returns
    -------
    int
        How many customers lost the tag.

    Raises
    ------
    PermissionDenied
        Without 客户管理; or a refusal (a customer without the tag, a rule tag, an empty or
        too long name, unknown customers), logged with nothing changed.
    TypeError
        If a customer id is not a whole number or ``tag`` is not text.
    """
    state = session.workbench.state
    name = _checked_tag(tag)
    ids = _checked_customers(session, customer_ids, name, "移除")
    has = _has_tag(state.manual_tags, ids, name)
    if not has.all():
        without = [str(i) for i, h in zip(ids, has, strict=True) if not h]
        raise Refused(
            f"客户 {'、'.join(without[:_SHOWN_IDS])} 没有人工标签“{name}”，这次一个也没有移除。",
            f"标签：{name}",
            "",
        )
    tags = state.manual_tags
    drop = (tags["tag"] == name).to_numpy() & tags["customer_id"].isin(ids).to_numpy()
    state.manual_tags = tags[~drop].reset_index(drop=True)
    return Logged(len(ids), (Entry("移除标签", _ids_text(ids), f"标签：{name}", ""),))


# ---- read-only views on the workbench ----------------------------------------------------


def _manual_tags(wb: Workbench) -> pd.DataFrame:
    """The manual tags set on this workbench (人工标签表): a copy, editing it changes nothing."""
    return wb.state.manual_tags.copy()


def _customer_tags(wb: Workbench) -> pd.DataFrame:
    """Every customer's tags (客户标签): rule tags and manual tags, with 来源 规则/人工.

    Rule tags are computed by :func:`crm_helpers.tags.rule_tags` on the workbench's current
    orders and 红包 (the shop's last day as 统计日).  Columns 客户编号, 会员名, 标签, 来源;
    sorted by 客户编号, rule tags first.
    """
    state = wb.state
    key = (id(state.orders), len(state.red_packets))
    cached = getattr(wb, "_rule_tag_cache", None)
    if cached is None or cached[0] != key:
        shop = replace(wb.store, orders=state.orders, red_packets=state.red_packets.frame())
        wb._rule_tag_cache = cached = (key, tag_topic.long_tags(tag_topic.rule_tags(shop)))
    rule = cached[1].assign(标签=lambda t: t["标签"].astype(str))
    manual = state.manual_tags
    by_hand = pd.DataFrame(
        {"客户编号": manual["customer_id"].to_numpy(), "标签": manual["tag"].astype(str), "来源": "人工"}
    )
    both = pd.concat([rule, by_hand], ignore_index=True)
    both = both.iloc[np.lexsort((np.arange(len(both)), both["客户编号"].to_numpy()))].reset_index(drop=True)
    names = wb.store.customers.set_index("customer_id")["member_name"]
    both.insert(1, "会员名", names.reindex(both["客户编号"]).to_numpy())
    return both


Workbench.manual_tags = property(_manual_tags)  # type: ignore[attr-defined]
Workbench.customer_tags = property(_customer_tags)  # type: ignore[attr-defined]
