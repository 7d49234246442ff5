"""The README's way to run nbgrader in a new terminal works on a fresh checkout.

README “教师快速上手”: ``cd course/assignments`` and ``source ../../.venv/bin/activate``, then
``nbgrader …``.  The test takes the ``source …`` line from the README and runs it with
``nbgrader generate_assignment`` (which creates the gradebook, and nbgrader then runs the
``alembic`` command by name) in a shell whose PATH does not contain the environment, as in a
new terminal.  It also shows why the README warns against the old route: the full path
``../../.venv/bin/nbgrader`` without activating fails there.

The course runs in a temporary copy, next to a ``.venv`` link to this environment, so the
relative path of the README resolves exactly as in the repository and no gradebook lands in it.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
VENV = ROOT / ".venv"
ASSIGNMENT = "ps01_workbench"
PLAIN_PATH = "/usr/bin:/bin"  # a new terminal: no virtual environment on PATH

pytestmark = pytest.mark.skipif(
    Path(sys.prefix).resolve() != VENV.resolve() or shutil.which("bash") is None,
    reason="the README route is for the environment `make` creates in .venv (and needs bash)",
)


def _readme_activate_line() -> str:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    section = readme[readme.index("## 教师快速上手") :]
    match = re.search(r"^source (\S+/bin/activate)$", section, re.M)
    assert match, "README 教师快速上手 has no `source …/bin/activate` line"
    return match.group(1)


@pytest.fixture()
def checkout(tmp_path) -> Path:
    """A copy of course/assignments with source/ only, beside a .venv link; returns its folder."""
    course = tmp_path / "course" / "assignments"
    course.mkdir(parents=True)
    shutil.copy2(ROOT / "course" / "assignments" / "nbgrader_config.py", course)
    shutil.copytree(ROOT / "course" / "assignments" / "source" / ASSIGNMENT, course / "source" / ASSIGNMENT)
    (tmp_path / ".venv").symlink_to(VENV, target_is_directory=True)
    return course


def _bash(script: str, cwd: Path) -> subprocess.CompletedProcess:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("JUPYTER", "VIRTUAL_ENV", "CONDA"))}
    env.update(PATH=PLAIN_PATH, HOME=str(cwd), JUPYTER_CONFIG_DIR=str(cwd / "no-user-config"))
    return subprocess.run(
        ["bash", "-c", script], cwd=cwd, env=env, capture_output=True, text=True, timeout=300
    )


def test_readme_route_activates_the_environment(checkout):
    activate = _readme_activate_line()
    assert (checkout / activate).resolve() == (VENV / "bin" / "activate").resolve(), activate
    done = _bash(f"source {activate} && nbgrader generate_assignment {ASSIGNMENT} --force", checkout)
    assert done.returncode == 0, done.stdout + done.stderr
    assert (checkout / "gradebook.db").is_file(), done.stdout + done.stderr
    assert (checkout / "release" / ASSIGNMENT / f"{ASSIGNMENT}.ipynb").is_file()


@pytest.mark.skipif(
    shutil.which("alembic", path=PLAIN_PATH) is not None, reason="alembic is installed system-wide"
)
def test_full_path_without_activating_fails_as_the_readme_warns(checkout):
    done = _bash(f"../../.venv/bin/nbgrader generate_assignment {ASSIGNMENT} --force", checkout)
    assert done.returncode != 0 and "alembic" in done.stdout + done.stderr, done.stdout + done.stderr
