"""Keep committed notebooks clean: no outputs, plain python3 kernel, written by nbformat.

    python tools/normalize_notebooks.py          # rewrite every notebook under course/
    python tools/normalize_notebooks.py --check  # only report (exit 1 if any would change)

Teachers who edit a lesson in JupyterLab run ``make format`` before committing; CI runs the
check through ``tests/test_notebooks.py``.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

import nbformat

ROOT = Path(__file__).resolve().parents[1]
KERNELSPEC = {"name": "python3", "display_name": "Python 3 (ipykernel)", "language": "python"}
LANGUAGE_INFO = {"name": "python"}
# Cell metadata that editors add and that should not be committed.
VOLATILE_CELL_METADATA = ("execution", "collapsed", "scrolled", "jp-MarkdownHeadingCollapsed", "ExecuteTime")


def course_notebooks(root: Path = ROOT) -> list[Path]:
    """Every notebook under ``course/`` except checkpoints and nbgrader working folders."""
    skip = {".ipynb_checkpoints", "submitted", "autograded", "feedback", "exchange"}
    return sorted(p for p in (root / "course").rglob("*.ipynb") if not skip & set(p.parts))


def normalized(nb: nbformat.NotebookNode) -> nbformat.NotebookNode:
    """Return ``nb`` without outputs and execution counts, with the plain python3 kernel."""
    nb = nbformat.from_dict(nb)
    nb.metadata["kernelspec"] = dict(KERNELSPEC)
    nb.metadata["language_info"] = dict(LANGUAGE_INFO)
    for key in ("widgets", "toc", "varInspector"):
        nb.metadata.pop(key, None)
    for cell in nb.cells:
        for key in VOLATILE_CELL_METADATA:
            cell.metadata.pop(key, None)
        if cell.cell_type == "code":
            cell.outputs = []
            cell.execution_count = None
    return nb


def render(nb: nbformat.NotebookNode) -> str:
    """The exact text nbformat writes for ``nb`` (UTF-8, Chinese unescaped)."""
    return nbformat.writes(nb) + "\n"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--check", action="store_true", help="report only; exit 1 if a notebook would change")
    args = parser.parse_args(argv)
    changed = []
    for path in course_notebooks():
        text = path.read_text(encoding="utf-8")
        nb = nbformat.reads(text, as_version=4)
        nbformat.validate(nb)
        new = render(normalized(nb))
        if new != text:
            changed.append(path.relative_to(ROOT))
            if not args.check:
                path.write_text(new, encoding="utf-8")
    if changed and args.check:
        print("这些笔记本需要先运行 make format 清理（outputs/kernel/format）：", file=sys.stderr)
        for p in changed:
            print(f"  {p}", file=sys.stderr)
        return 1
    for p in changed:
        print(f"已清理 {p}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
