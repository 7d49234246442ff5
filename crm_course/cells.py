"""What kind of nbgrader cell a notebook cell is (答案单元格、测试单元格)."""

from __future__ import annotations

from typing import Any

__all__ = ["is_answer", "is_test", "nbgrader_meta"]


def nbgrader_meta(cell: Any) -> dict:
    """The cell's ``nbgrader`` metadata (empty dict when it has none)."""
    return cell.get("metadata", {}).get("nbgrader", {})


def is_answer(cell: Any) -> bool:
    """An autograded answer cell: solution code that is not itself graded."""
    meta = nbgrader_meta(cell)
    return cell.get("cell_type") == "code" and bool(meta.get("solution")) and not meta.get("grade")


def is_test(cell: Any) -> bool:
    """An autograder test cell: graded code that is not a solution."""
    meta = nbgrader_meta(cell)
    return cell.get("cell_type") == "code" and bool(meta.get("grade")) and not meta.get("solution")
