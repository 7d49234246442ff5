"""Run a lesson's code cells in this process (for tests that need the lesson's own variables).

``run_lesson(slug)`` executes every code cell in order and returns the variables and what was
printed; a cell tagged ``raises-exception`` (an error shown on purpose) must raise.  With ``answers=True`` each 练一练 answer cell (``# 练一练 …``) is replaced by the
reference answer in the ``参考答案`` block of the Markdown before it, so a test can check that
the reference answers pass the lesson's self-checks.
"""

from __future__ import annotations

import contextlib
import io
import re
from collections.abc import Callable

import matplotlib
import nbformat
from helpers import LESSONS_DIR

_ANSWER = re.compile(r"参考答案.*?```python\n(.*?)```", re.S)


def run_lesson(slug: str, *, answers: bool = False, skip: tuple[str, ...] = ()) -> tuple[dict, str]:
    """Execute lesson ``slug``'s code cells (those containing a string of ``skip`` are left out).

    Returns
    -------
    (dict, str)
        The namespace the cells ran in and everything they printed.
    """
    matplotlib.use("agg")
    import matplotlib.pyplot as plt

    nb = nbformat.read(LESSONS_DIR / slug / f"{slug}.ipynb", as_version=4)
    namespace: dict = {}
    printed = io.StringIO()
    reference = None
    for cell in nb.cells:
        if cell.cell_type == "markdown":
            found = _ANSWER.search(cell.source)
            reference = found.group(1) if found else reference
            continue
        if any(text in cell.source for text in skip):
            continue
        source = cell.source
        if answers and source.lstrip().startswith("# 练一练"):
            assert reference is not None, f"课 {slug} 的答案格前面没有参考答案：{source[:40]!r}"
            source, reference = reference, None
        with contextlib.redirect_stdout(printed):
            if "raises-exception" in cell.metadata.get("tags", ()):  # a cell that shows an error on purpose
                try:
                    exec(compile(source, f"<{slug}>", "exec"), namespace)  # noqa: S102
                except Exception:  # noqa: BLE001 -- nbval accepts any error in such a cell too
                    continue
                raise AssertionError(f"课 {slug} 的这一格应该报错，却没有报错：{source[:60]!r}")
            exec(compile(source, f"<{slug}>", "exec"), namespace)  # noqa: S102
    plt.close("all")
    return namespace, printed.getvalue()


def self_check_verdicts(printed: str) -> list[str]:
    """The first character (✅, ❌ or ⏳) of every self-check message in ``printed``."""
    return [line[0] for line in printed.splitlines() if line[:1] in ("✅", "❌", "⏳")]


def assert_self_checks(
    slug: str,
    count: int,
    *,
    is_check: Callable[[str], bool] = lambda source: "check_value(" in source,
    skip: tuple[str, ...] = (),
) -> None:
    """Lesson ``slug`` has ``count`` collapsed self-check cells; the reference answers pass them
    (✅ each) and the blank answer cells leave them waiting (⏳ each).

    ``is_check`` tells a self-check cell by its source; ``skip`` is passed to :func:`run_lesson`.
    """
    nb = nbformat.read(LESSONS_DIR / slug / f"{slug}.ipynb", as_version=4)
    checks = [c for c in nb.cells if c.cell_type == "code" and is_check(c.source)]
    assert len(checks) == count
    assert all(c.metadata.get("jupyter", {}).get("source_hidden") for c in checks)
    _, printed = run_lesson(slug, answers=True, skip=skip)
    assert self_check_verdicts(printed) == ["✅"] * count
    _, printed = run_lesson(slug, skip=skip)
    assert self_check_verdicts(printed) == ["⏳"] * count
