"""`make lab` gives a Chinese JupyterLab whose nbgrader panels work on one machine.

Starts the real ``jupyter lab`` server from this environment in ``course/`` (as ``make lab``
does) on 127.0.0.1 with a token, a temporary HOME and runtime dir, and asks it over HTTP.
"""

from __future__ import annotations

import json
import os
import shutil
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
BIN = Path(sys.executable).parent
TOKEN = "crm-course-test"


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _get(base: str, path: str) -> dict:
    request = urllib.request.Request(base + path, headers={"Authorization": f"token {TOKEN}"})
    with urllib.request.urlopen(request, timeout=30) as response:
        return json.loads(response.read().decode("utf-8"))


@pytest.fixture(scope="module")
def lab(tmp_path_factory):
    """A running JupyterLab in a copy of course/ (so nothing is written into the repo)."""
    subprocess.run(
        [sys.executable, str(ROOT / "tools" / "configure_lab.py")], check=True, capture_output=True
    )
    home = tmp_path_factory.mktemp("home")
    course = tmp_path_factory.mktemp("clone") / "course"
    shutil.copytree(ROOT / "course", course, ignore=shutil.ignore_patterns("exchange", "gradebook.db"))
    port = _free_port()
    env = {
        **os.environ,
        "HOME": str(home),
        "JUPYTER_RUNTIME_DIR": str(home / "runtime"),
        "JUPYTER_CONFIG_DIR": str(home / ".jupyter"),
        "JUPYTERLAB_SETTINGS_DIR": str(home / "lab-settings"),
        "JUPYTERLAB_WORKSPACES_DIR": str(home / "lab-workspaces"),
        "PATH": f"{BIN}{os.pathsep}{os.environ.get('PATH', '')}",
    }
    log = open(home / "lab.log", "w")  # noqa: SIM115 (closed in the finaliser)
    server = subprocess.Popen(
        [str(BIN / "jupyter"), "lab", "--no-browser", "--ip=127.0.0.1", f"--port={port}",
         f"--IdentityProvider.token={TOKEN}", "--ServerApp.open_browser=False", "--allow-root"],
        cwd=course, env=env, stdout=log, stderr=subprocess.STDOUT,
    )  # fmt: skip
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 90
        while True:
            try:
                _get(base, "/api/status")
                break
            except (urllib.error.URLError, ConnectionError, OSError):
                if server.poll() is not None or time.monotonic() > deadline:
                    log.flush()
                    pytest.fail(
                        "JupyterLab 没有启动 (did not start):\n" + (home / "lab.log").read_text()[-3000:]
                    )
                time.sleep(0.5)
        yield base, course
    finally:
        server.terminate()
        try:
            server.wait(timeout=20)
        except subprocess.TimeoutExpired:
            server.kill()
        log.close()


def test_interface_language_is_preset_to_chinese(lab):
    base, _ = lab
    setting = _get(base, "/lab/api/settings/@jupyterlab/translation-extension:plugin")
    # overrides.json changes the default; the user's own choice (empty here) would win over it.
    assert setting["schema"]["properties"]["locale"]["default"] == "zh_CN"
    assert "locale" not in setting["settings"]
    pack = _get(base, "/lab/api/translations/zh_CN")
    assert pack["data"], "the zh_CN language pack is not installed"
    assert "jupyterlab" in pack["data"]


def test_widgets_and_nbgrader_extensions_are_enabled():
    out = subprocess.run(
        [str(BIN / "jupyter"), "labextension", "list"], capture_output=True, text=True
    ).stdout
    out += subprocess.run(
        [str(BIN / "jupyter"), "labextension", "list"], capture_output=True, text=True
    ).stderr
    for name in ("@jupyter/nbgrader", "@jupyter-widgets/jupyterlab-manager"):
        line = next((ln for ln in out.splitlines() if name in ln), "")
        assert "enabled" in line and "OK" in line, f"{name} not enabled:\n{out}"


def test_assignment_list_works_with_the_local_exchange(lab):
    base, course = lab
    courses = _get(base, "/courses")
    assert courses["success"], courses
    assert courses["value"] == [] or "crm_course" in courses["value"]
    listing = _get(base, "/assignments?course_id=crm_course")
    assert listing["success"], listing
    assert (course / "assignments" / "exchange").is_dir()


def test_formgrader_sees_the_course(lab):
    base, _ = lab
    assignments = _get(base, "/formgrader/api/assignments")
    names = {a["name"] for a in assignments}
    sources = {p.name for p in (ROOT / "course" / "assignments" / "source").iterdir() if p.is_dir()}
    assert sources <= names, (sources, names)
