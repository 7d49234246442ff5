"""`make lab` gives a Chinese JupyterLab whose nbgrader panels work on one machine.

Starts the real ``jupyter lab`` of this environment the way ``make lab`` does (in ``course/``,
with ``.venv/bin`` on PATH) on 127.0.0.1, a free port and a token, with a temporary HOME,
runtime, data and settings directories, and asks it over HTTP:

* the interface language defaults to 简体中文 and the zh_CN language pack is served;
* the ipywidgets and nbgrader lab extensions are loaded by the page, not disabled;
* the nbgrader panels answer without errors: Assignment List (``/courses``,
  ``/assignments``), Course List (``/formgraders``) and Formgrader (no exchange warning);
* a teacher releases and a student fetches and submits through the course-local exchange,
  and the teacher collects — the round trip of one classroom laptop.

The server runs in a copy of ``course/`` so that the exchange, gradebook and fetched
folders never land in the repository; the copy also proves the course config has no
absolute paths.  All tests share one server (one xdist group), stopped by the fixture.
"""

from __future__ import annotations

import importlib.util
import json
import os
import re
import shutil
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.parse
import urllib.request
from pathlib import Path

import pytest

pytestmark = pytest.mark.xdist_group("jupyter_lab_server")

ROOT = Path(__file__).resolve().parents[1]
BIN = Path(sys.executable).parent
CONFIGURE = ROOT / "tools" / "configure_lab.py"
TOKEN = "crm-course-test-token"
COURSE_ID = "crm_course"  # c.CourseDirectory.course_id in course/assignments/nbgrader_config.py
STARTUP_TIMEOUT = 60  # seconds
# nbgrader working folders that must not be copied from a teacher's checkout
_WORK_DIRS = {"exchange", "gradebook.db", "submitted", "autograded", "feedback", ".ipynb_checkpoints"}

_spec = importlib.util.spec_from_file_location("configure_lab", CONFIGURE)
configure_lab = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(configure_lab)


class Lab:
    """A running ``jupyter lab``: its URL, course folder and log."""

    def __init__(self, base: str, course: Path, log: Path) -> None:
        self.base, self.course, self.log = base, course, log

    def log_tail(self) -> str:
        return "\n--- jupyter lab log (tail) ---\n" + self.log.read_text(errors="replace")[-4000:]

    def request(self, path: str, method: str = "GET", **params: str) -> bytes:
        url = self.base + path
        if params:
            url += ("&" if "?" in url else "?") + urllib.parse.urlencode(params)
        data = b"" if method == "POST" else None
        request = urllib.request.Request(
            url, data=data, method=method, headers={"Authorization": f"token {TOKEN}"}
        )
        try:
            with urllib.request.urlopen(request, timeout=30) as response:
                return response.read()
        except urllib.error.HTTPError as error:
            pytest.fail(f"{method} {path} → HTTP {error.code}: {error.read()[:2000]!r}{self.log_tail()}")

    def json(self, path: str, method: str = "GET", **params: str):
        return json.loads(self.request(path, method, **params))

    def ok(self, path: str, method: str = "GET", **params: str):
        """An nbgrader call that must answer ``{"success": true, ...}``; returns its value."""
        answer = self.json(path, method, **params)
        assert answer.get("success") is True, f"{method} {path} failed: {answer}{self.log_tail()}"
        return answer.get("value")


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _copy_course(target: Path) -> Path:
    release = ROOT / "course" / "assignments" / "release"

    def ignore(folder: str, names: list[str]) -> set[str]:
        skipped = _WORK_DIRS & set(names)
        if Path(folder) == ROOT / "course":  # assignments a teacher fetched while trying it out
            skipped |= {name for name in names if (release / name).is_dir()}
        return skipped

    return Path(shutil.copytree(ROOT / "course", target / "course", ignore=ignore))


@pytest.fixture(scope="module")
def lab(tmp_path_factory) -> Lab:
    """``make lab`` in a copy of course/, on a free port; always stopped afterwards."""
    home = tmp_path_factory.mktemp("home")
    # make runs tools/configure_lab.py after installing; idempotent, and it must not touch HOME
    done = subprocess.run(
        [sys.executable, str(CONFIGURE)],
        env={**os.environ, "HOME": str(home)},
        capture_output=True,
        text=True,
    )
    assert done.returncode == 0, done.stdout + done.stderr
    assert not any(home.iterdir()), f"configure_lab.py wrote into HOME: {list(home.iterdir())}"

    course = _copy_course(tmp_path_factory.mktemp("clone"))
    env = {k: v for k, v in os.environ.items() if not k.startswith(("JUPYTER", "JPY_"))}
    env.update(
        HOME=str(home),
        JUPYTER_CONFIG_DIR=str(home / ".jupyter"),
        JUPYTER_DATA_DIR=str(home / "data"),
        JUPYTER_RUNTIME_DIR=str(home / "runtime"),
        JUPYTERLAB_SETTINGS_DIR=str(home / "lab-settings"),
        JUPYTERLAB_WORKSPACES_DIR=str(home / "lab-workspaces"),
        PATH=f"{BIN}{os.pathsep}{os.environ.get('PATH', '')}",  # as make lab: nbgrader runs alembic
    )
    port = _free_port()
    log_path = home / "jupyter-lab.log"
    with open(log_path, "w") as log:
        server = subprocess.Popen(
            [str(BIN / "jupyter"), "lab", "--no-browser", "--ip=127.0.0.1", f"--port={port}",
             f"--IdentityProvider.token={TOKEN}", "--allow-root"],
            cwd=course, env=env, stdout=log, stderr=subprocess.STDOUT,
        )  # fmt: skip
    lab = Lab(f"http://127.0.0.1:{port}", course, log_path)
    try:
        deadline = time.monotonic() + STARTUP_TIMEOUT
        while True:
            try:
                urllib.request.urlopen(lab.base + "/api/status?token=" + TOKEN, timeout=5).read()
                break
            except (urllib.error.URLError, OSError) as error:
                if server.poll() is not None:
                    pytest.fail(f"jupyter lab exited with code {server.returncode}{lab.log_tail()}")
                if time.monotonic() > deadline:
                    pytest.fail(
                        f"jupyter lab not answering after {STARTUP_TIMEOUT} s ({error}){lab.log_tail()}"
                    )
                time.sleep(0.3)
        yield lab
    finally:
        server.terminate()
        try:
            server.wait(timeout=20)
        except subprocess.TimeoutExpired:
            server.kill()
            server.wait()


def _page_config(lab: Lab) -> dict:
    html = lab.request("/lab").decode("utf-8")
    match = re.search(r'<script id="jupyter-config-data" type="application/json">(.*?)</script>', html, re.S)
    assert match, "no jupyter-config-data in the /lab page"
    return json.loads(match.group(1))


# ---- configure_lab.py on its own -----------------------------------------------------------


def test_configure_lab_merges_and_is_idempotent(tmp_path):
    path = configure_lab.overrides_path(tmp_path)
    path.parent.mkdir(parents=True)
    theirs = {
        "@jupyterlab/apputils-extension:themes": {"theme": "JupyterLab Dark"},
        "@jupyterlab/translation-extension:plugin": {"displayStringsPrefix": True, "locale": "en"},
    }
    path.write_text(json.dumps(theirs), encoding="utf-8")
    assert configure_lab.configure(tmp_path) == (path, True)
    written = json.loads(path.read_text(encoding="utf-8"))
    assert written == {
        "@jupyterlab/apputils-extension:themes": {"theme": "JupyterLab Dark"},
        "@jupyterlab/translation-extension:plugin": {"displayStringsPrefix": True, "locale": "zh_CN"},
    }
    before = path.stat().st_mtime_ns
    assert configure_lab.configure(tmp_path) == (path, False)  # second run: nothing to do
    assert path.stat().st_mtime_ns == before

    path.write_text("{not json", encoding="utf-8")
    with pytest.raises(SystemExit, match="JSON"):
        configure_lab.configure(tmp_path)
    assert path.read_text(encoding="utf-8") == "{not json"  # a broken file is left for a human


def test_configure_lab_creates_the_file(tmp_path):
    path, changed = configure_lab.configure(tmp_path)
    assert changed and path == tmp_path / "share/jupyter/lab/settings/overrides.json"
    assert json.loads(path.read_text(encoding="utf-8")) == configure_lab.OVERRIDES


# ---- the running server --------------------------------------------------------------------


def test_interface_language_is_preset_to_chinese(lab):
    setting = lab.json("/lab/api/settings/@jupyterlab/translation-extension:plugin")
    # overrides.json changes the default; the composite value is the user's own choice (none
    # here, so none in "settings") or else this default.
    assert setting["schema"]["properties"]["locale"]["default"] == "zh_CN", setting["schema"]
    assert "locale" not in setting["settings"], setting["settings"]
    languages = lab.json("/lab/api/translations")["data"]
    assert "zh_CN" in languages, f"language pack not found: {sorted(languages)}"
    pack = lab.json("/lab/api/translations/zh_CN")["data"]
    assert "jupyterlab" in pack, sorted(pack)[:20]
    assert pack["jupyterlab"].get("Settings") == ["设置"]  # really Chinese strings


def test_widgets_and_nbgrader_lab_extensions_are_enabled(lab):
    config = _page_config(lab)
    loaded = {ext["name"] for ext in config["federated_extensions"]}
    disabled = config.get("disabledExtensions") or []
    for name in ("@jupyter-widgets/jupyterlab-manager", "@jupyter/nbgrader"):
        assert name in loaded, f"{name} is not installed as a lab extension: {sorted(loaded)}"
        assert not any(d == name or d.startswith(name + ":") for d in disabled), disabled
    # the nbgrader panels refuse to work when lab and server extension versions differ
    package = next(Path(d) / "@jupyter/nbgrader/package.json" for d in config["labextensionsPath"]
                   if (Path(d) / "@jupyter/nbgrader/package.json").is_file())  # fmt: skip
    version = json.loads(package.read_text(encoding="utf-8"))["version"]
    assert lab.json("/nbgrader_version", version=version) == {"success": True}


def test_nbgrader_panels_answer_without_errors(lab):
    assert lab.ok("/courses") == []  # Assignment List: nothing released yet, and no error
    assert lab.ok("/assignments", course_id=COURSE_ID) == []
    assert (lab.course / "assignments" / "exchange").is_dir(), "the course-local exchange was not created"
    formgraders = lab.ok("/formgraders")  # Course List panel
    assert [(c["course_id"], c["kind"]) for c in formgraders] == [(COURSE_ID, "local")], formgraders
    page = lab.request("/formgrader/manage_assignments").decode("utf-8")  # Formgrader panel
    for warning in ("warning-exchange", "warning-course-id", "error-500"):
        assert warning not in page, f"formgrader shows {warning}{lab.log_tail()}"
    names = {a["name"] for a in lab.json("/formgrader/api/assignments")}
    sources = {p.name for p in (ROOT / "course" / "assignments" / "source").iterdir() if p.is_dir()}
    assert sources <= names, (sources, names)


def test_release_fetch_submit_collect_on_one_machine(lab):
    released = sorted(p.name for p in (lab.course / "assignments" / "release").iterdir() if p.is_dir())
    assert released, "course/assignments/release/ has no assignment to release"
    assignment = released[0]

    # teacher: Formgrader → 发布 (release)
    log = lab.json(f"/formgrader/api/assignment/{assignment}/release", "POST")
    assert log["success"], log
    outbound = lab.course / "assignments" / "exchange" / COURSE_ID / "outbound" / assignment
    assert outbound.is_dir(), log

    # student: Assignment List shows it, 获取 (fetch) puts it next to the lessons
    listing = lab.ok("/assignments", course_id=COURSE_ID)
    assert [(a["assignment_id"], a["status"]) for a in listing] == [(assignment, "released")], listing
    listing = lab.ok("/assignments/fetch", "POST", course_id=COURSE_ID, assignment_id=assignment)
    fetched = [a for a in listing if a["status"] == "fetched"]
    assert [a["path"] for a in fetched] == [assignment], listing  # relative to course/
    assert any((lab.course / assignment).glob("*.ipynb")), list((lab.course / assignment).iterdir())
    assert lab.ok("/courses") == [COURSE_ID]

    # student: 提交 (submit); teacher: 收作业 (collect)
    listing = lab.ok("/assignments/submit", "POST", course_id=COURSE_ID, assignment_id=assignment)
    assert any(a["status"] == "submitted" for a in listing), listing
    log = lab.json(f"/formgrader/api/assignment/{assignment}/collect", "POST")
    assert log["success"], log
    assert list((lab.course / "assignments" / "submitted").glob(f"*/{assignment}/*.ipynb")), log
