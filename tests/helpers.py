"""Small helpers shared by the test files (import them as ``from helpers import ...``)."""

from __future__ import annotations

from pathlib import Path

import nbformat
import pandas as pd


def snapshot(*frames: pd.DataFrame) -> list[pd.DataFrame]:
    """Deep copies of the frames, to check later that a function did not modify them."""
    return [f.copy(deep=True) for f in frames]


def assert_unchanged(before: list[pd.DataFrame], *frames: pd.DataFrame) -> None:
    """Fail if any frame differs from its snapshot."""
    for old, new in zip(before, frames, strict=True):
        pd.testing.assert_frame_equal(old, new)


# ---- numbers in a lesson's prose ------------------------------------------------------------

LESSONS_DIR = Path(__file__).resolve().parent.parent / "course" / "lessons"


def lesson_markdown(slug: str) -> str:
    """All Markdown cells of lesson ``slug`` (e.g. ``"03_payment_reminders"``), joined by blank lines."""
    nb = nbformat.read(LESSONS_DIR / slug / f"{slug}.ipynb", as_version=4)
    return "\n\n".join(cell.source for cell in nb.cells if cell.cell_type == "markdown")


def assert_prose_says(slug: str, template: str, **values) -> None:
    """Fail unless lesson ``slug`` says ``template`` filled with ``values`` (computed from the data).

    Write each sentence of a lesson that quotes a number from the shop as a template whose
    fields are computed by the test from the same shop the lesson uses, e.g.::

        assert_prose_says("03_payment_reminders", "{unpaid} 笔未付款订单里，现在能催的只有 {due} 笔",
                          unpaid=len(unpaid), due=int(due.sum()))

    A change to the shop that changes a number then fails here, naming the sentence to fix.
    """
    expected = template.format(**values)
    assert expected in lesson_markdown(slug), f"课 {slug} 的正文应该写着：{expected!r}（数据变了就改正文）"
