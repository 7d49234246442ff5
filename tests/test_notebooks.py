"""Hygiene of every committed notebook (lessons, assignment sources and releases).

Executing the lessons is done by nbval (``pytest --nbval-lax`` collects
``course/lessons/**/*.ipynb``, see ``pyproject.toml``); the nbgrader round trip of the
assignments is in ``test_assignments.py``.
"""

from __future__ import annotations

import re
import sys
from pathlib import Path

import nbformat
import pytest

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "tools"))
import normalize_notebooks  # noqa: E402

NOTEBOOKS = normalize_notebooks.course_notebooks()
LESSONS = sorted((ROOT / "course" / "lessons").glob("*/"))


def test_there_are_lessons():
    assert len(LESSONS) >= 2


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: str(p.relative_to(ROOT)))
def test_notebook_is_committed_clean(path):
    text = path.read_text(encoding="utf-8")
    nb = nbformat.reads(text, as_version=4)
    nbformat.validate(nb)
    assert nb.metadata["kernelspec"]["name"] == "python3"
    for cell in nb.cells:
        if cell.cell_type == "code":
            assert cell.outputs == [] and cell.execution_count is None, "outputs committed: run make format"
    assert text == normalize_notebooks.render(normalize_notebooks.normalized(nb)), "run make format"
    assert "\\u" not in text, "Chinese must be stored unescaped"


@pytest.mark.parametrize("folder", LESSONS, ids=lambda p: p.name)
def test_lesson_layout(folder):
    """course/lessons/NN_slug/NN_slug.ipynb with an ASCII slug and a Chinese title inside."""
    assert re.fullmatch(r"\d\d_[a-z0-9_]+", folder.name), folder.name
    nb_path = folder / f"{folder.name}.ipynb"
    assert nb_path.exists()
    nb = nbformat.read(nb_path, as_version=4)
    first = nb.cells[0]
    assert first.cell_type == "markdown" and first.source.startswith("# ")
    assert re.search(r"[\u4e00-\u9fff]", first.source.splitlines()[0]), "title should be Chinese"
    text = "\n".join(c.source for c in nb.cells if c.cell_type == "markdown")
    for heading in ("学习目标", "小结", "自测"):
        assert heading in text, f"{folder.name} has no {heading} section"


def test_check_mode_reports_dirty_notebook(tmp_path, monkeypatch):
    lesson = tmp_path / "course" / "lessons" / "99_demo"
    lesson.mkdir(parents=True)
    nb = nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell("1 + 1", execution_count=3)])
    nb.cells[0].outputs = [nbformat.v4.new_output("execute_result", {"text/plain": "2"}, execution_count=3)]
    nbformat.write(nb, lesson / "99_demo.ipynb")
    monkeypatch.setattr(normalize_notebooks, "ROOT", tmp_path)
    monkeypatch.setattr(normalize_notebooks, "course_notebooks", lambda: [lesson / "99_demo.ipynb"])
    assert normalize_notebooks.main(["--check"]) == 1
    assert normalize_notebooks.main([]) == 0
    assert normalize_notebooks.main(["--check"]) == 0
    clean = nbformat.read(lesson / "99_demo.ipynb", as_version=4)
    assert clean.cells[0].outputs == [] and clean.metadata.kernelspec.name == "python3"


_IMAGE_LINK = re.compile(r"!\[[^\]]*\]\(([^)\s]+)\)")


@pytest.mark.parametrize("folder", LESSONS, ids=lambda p: p.name)
def test_lesson_images_are_committed_next_to_the_lesson(folder):
    """Every ``![…](path)`` in a lesson is a relative link to a small PNG inside its folder."""
    nb = nbformat.read(folder / f"{folder.name}.ipynb", as_version=4)
    links = [link for c in nb.cells if c.cell_type == "markdown" for link in _IMAGE_LINK.findall(c.source)]
    for link in links:
        assert "://" not in link and not link.startswith("/"), f"{link}: use a relative link (works offline)"
        image = (folder / link).resolve()
        assert image.is_relative_to(folder.resolve()) and image.is_file(), f"{folder.name}: {link} is missing"
        assert image.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n", f"{link} is not a PNG"
        assert image.stat().st_size < 100_000, f"{link} is {image.stat().st_size} bytes: keep images small"
    if folder.name == "00_intro":  # 作业怎么领、怎么交: every screenshot the tool takes is shown
        import assignment_list_screenshots

        assert sorted(Path(link).name for link in links) == sorted(assignment_list_screenshots.IMAGES)
