"""The student pack (``make student-pack``): everything a student needs, nothing of the teacher's.

Builds the zip in a temporary folder and opens it: lessons, released homework, crm_helpers,
requirements, start scripts and instructions are there; ``source/``, nbgrader configs, tests
and teacher tools are not; no file contains an nbgrader solution or hidden-test marker, nor
any line of the source notebooks' hidden tests; the unpacked ``crm_helpers`` imports and
loads the lesson shop.  (Installing the requirements into a fresh venv is not done here: it
downloads the whole stack and takes minutes.)
"""

from __future__ import annotations

import importlib.util
import os
import re
import shutil
import subprocess
import sys
import zipfile
from pathlib import Path

import nbformat
import pytest
import tomllib

ROOT = Path(__file__).resolve().parents[1]
BUILDER = ROOT / "tools" / "build_student_pack.py"
SOURCE = ROOT / "course" / "assignments" / "source"
RELEASE = ROOT / "course" / "assignments" / "release"
LESSONS = ROOT / "course" / "lessons"

_spec = importlib.util.spec_from_file_location("build_student_pack", BUILDER)
builder = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(builder)


@pytest.fixture(scope="module")
def pack(tmp_path_factory) -> Path:
    return builder.build_pack(tmp_path_factory.mktemp("pack") / "student.zip")


def _entries(pack: Path) -> dict[str, bytes]:
    """The zip's files by path below the pack's top folder."""
    with zipfile.ZipFile(pack) as archive:
        names = archive.namelist()
        assert all(name.startswith(builder.PACK_FOLDER + "/") for name in names), names
        return {name.split("/", 1)[1]: archive.read(name) for name in names}


def _lines(name: str, content: bytes) -> set[str]:
    """Stripped lines of a packed file (for notebooks: of every cell's source)."""
    if name.endswith(".ipynb"):
        notebook = nbformat.reads(content.decode("utf-8"), as_version=4)
        text = "\n".join(cell.source for cell in notebook.cells)
    else:
        text = content.decode("utf-8", errors="ignore")
    return {line.strip() for line in text.splitlines()}


def _hidden_test_lines() -> set[str]:
    """Every line between ``### BEGIN/END HIDDEN TESTS`` in the teacher's notebooks that says
    anything (lines of brackets only, such as ``)``, reveal nothing and occur everywhere)."""
    hidden: set[str] = set()
    for path in SOURCE.glob("*/*.ipynb"):
        for cell in nbformat.read(path, as_version=4).cells:
            inside = False
            for line in cell.source.splitlines():
                stripped = line.strip()
                if stripped in ("### BEGIN HIDDEN TESTS", "### END HIDDEN TESTS"):
                    inside = stripped.startswith("### BEGIN")
                elif inside and re.search(r"\w", stripped):
                    hidden.add(stripped)
    return hidden


def test_pack_has_the_lessons_homework_and_crm_helpers(pack):
    files = _entries(pack)
    lessons = {f"lessons/{p.relative_to(LESSONS).as_posix()}" for p in LESSONS.glob("*/*.ipynb")}
    homework = {f"homework/{p.relative_to(RELEASE).as_posix()}" for p in RELEASE.rglob("*") if p.is_file()}
    helpers = {
        f"crm_helpers/{p.relative_to(ROOT / 'crm_helpers').as_posix()}"
        for p in (ROOT / "crm_helpers").rglob("*")
        if p.is_file() and "__pycache__" not in p.parts
    }
    assert lessons and homework and helpers
    assert lessons | homework | helpers <= set(files), sorted(lessons | homework | helpers - set(files))
    for name in (
        "requirements.txt",
        "configure_lab.py",
        "启动课程.bat",
        "启动课程.sh",
        "使用说明.txt",
        "LICENSE",
    ):
        assert name in files, name
    for name in homework:
        assert files[name] == (RELEASE / name.split("/", 1)[1]).read_bytes(), name


def test_pack_has_nothing_of_the_teacher(pack):
    files = _entries(pack)
    for name in files:
        parts = name.split("/")
        assert not {"source", "tests", "deploy", "tools", "autograded", "submitted", "feedback"} & set(
            parts
        ), name
        assert not name.endswith((".pyc", "nbgrader_config.py", "gradebook.db")), name
    requirements = files["requirements.txt"].decode("utf-8")
    assert "nbgrader" not in requirements.lower(), requirements

    hidden = _hidden_test_lines()
    assert len(hidden) > 10, "the source notebooks should have hidden tests to look for"
    for name, content in files.items():
        text = content.decode("utf-8", errors="ignore")
        for marker in (
            "### BEGIN SOLUTION",
            "### END SOLUTION",
            "### BEGIN HIDDEN TESTS",
            "### END HIDDEN TESTS",
        ):
            assert marker not in text, f"{name} contains {marker}"
        leaked = hidden & _lines(name, content)
        assert not leaked, f"{name} contains hidden-test lines: {sorted(leaked)[:5]}"


def test_build_refuses_a_leaked_answer(tmp_path):
    root = tmp_path / "repo"
    for part in ("course/lessons", "course/assignments/release", "crm_helpers"):
        shutil.copytree(ROOT / part, root / part, ignore=shutil.ignore_patterns("__pycache__"))
    for part in ("tools/configure_lab.py", "pyproject.toml", "LICENSE", "LICENSE-CONTENT.md"):
        (root / part).parent.mkdir(parents=True, exist_ok=True)
        shutil.copy(ROOT / part, root / part)
    homework = next((root / "course/assignments/release").glob("*/*.ipynb"))
    notebook = nbformat.read(homework, as_version=4)
    notebook.cells[-1].source += "\n### BEGIN HIDDEN TESTS\nassert answer == 42\n### END HIDDEN TESTS"
    nbformat.write(notebook, homework)
    output = tmp_path / "pack.zip"
    with pytest.raises(ValueError, match=r"homework/.*教师版.*### BEGIN HIDDEN TESTS"):
        builder.build_pack(output, root=root)
    assert not output.exists(), "nothing half-written"


def test_build_refuses_a_course_without_lessons(tmp_path):
    (tmp_path / "course" / "lessons").mkdir(parents=True)
    with pytest.raises(ValueError, match=r"lessons 里没有文件，无法生成课程包"):
        builder.pack_files(tmp_path)


def test_unpacked_crm_helpers_imports(pack, tmp_path):
    with zipfile.ZipFile(pack) as archive:
        archive.extractall(tmp_path)
    folder = tmp_path / builder.PACK_FOLDER
    lesson = next((folder / "lessons").iterdir())
    code = "import crm_helpers; print(crm_helpers.__file__); print(len(crm_helpers.load_store().orders))"
    # as the start scripts run it: the pack's folder on PYTHONPATH, a kernel in a lesson folder
    env = {**os.environ, "PYTHONPATH": str(folder)}
    done = subprocess.run([sys.executable, "-c", code], cwd=lesson, env=env, capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
    location, orders = done.stdout.split()
    assert Path(location).is_relative_to(folder), f"imported {location}, not the pack's copy"
    assert int(orders) > 1000


def test_start_scripts_and_requirements(pack):
    files = _entries(pack)
    bat = files["启动课程.bat"]
    text = bat.decode("gbk")  # what cmd.exe reads on Chinese Windows (code page 936)
    assert bat.count(b"\r\n") == bat.count(b"\n"), "every line of the .bat must end with CRLF"
    for needed in (
        "py -3 -m venv .venv",
        "-r requirements.txt",
        "configure_lab.py",
        "PYTHONPATH",
        "jupyterlab",
    ):
        assert needed in text, needed
    assert "没有找到 Python" in text
    with zipfile.ZipFile(pack) as archive:
        mode = archive.getinfo(f"{builder.PACK_FOLDER}/启动课程.sh").external_attr >> 16
    assert mode & 0o111, "启动课程.sh should be executable"
    if shutil.which("sh"):
        check = subprocess.run(["sh", "-n"], input=files["启动课程.sh"], capture_output=True)
        assert check.returncode == 0, check.stderr
    instructions = files["使用说明.txt"]
    assert instructions.startswith("\ufeff".encode()), "UTF-8 BOM so that Notepad shows Chinese"
    assert "交作业" in instructions.decode("utf-8-sig")

    project = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    listed = [line for line in files["requirements.txt"].decode().splitlines() if not line.startswith("#")]
    for requirement in project["dependencies"]:
        assert requirement in listed, requirement
    assert any(r.startswith("jupyterlab-language-pack-zh-CN") for r in listed)


def test_pack_is_reproducible(pack, tmp_path):
    again = builder.build_pack(tmp_path / "again.zip")
    assert again.read_bytes() == pack.read_bytes()
