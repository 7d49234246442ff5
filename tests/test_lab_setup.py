"""`make lab` gives a Chinese JupyterLab whose nbgrader panels work on one machine.

Starts the real ``jupyter lab`` of this environment the way ``make lab`` does (in ``course/``,
with ``.venv/bin`` on PATH) on 127.0.0.1, a free port and a token, with a temporary HOME,
runtime, data and settings directories, and asks it over HTTP:

* the interface language defaults to 简体中文 and the zh_CN language pack is served;
* no Jupyter news prompt, no update check, no Extension Manager (nothing reaches the internet);
* the ipywidgets and nbgrader lab extensions are loaded by the page, not disabled;
* the nbgrader panels answer without errors: Assignment List (``/courses``,
  ``/assignments``), Course List (``/formgraders``) and Formgrader (no exchange warning);
* a teacher releases and a student fetches and submits through the course-local exchange,
  and the teacher collects — the round trip of one classroom laptop.

The server runs in a copy of ``course/`` so that the exchange, gradebook and fetched
folders never land in the repository; the copy also proves the course config has no
absolute paths.  All tests share one server (one xdist group), stopped by the fixture; it is
started by ``tools/browser_lab.py``, the same code the real-browser test uses.
"""

from __future__ import annotations

import importlib.util
import json
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

pytestmark = pytest.mark.xdist_group("jupyter_lab_server")

ROOT = Path(__file__).resolve().parents[1]
CONFIGURE = ROOT / "tools" / "configure_lab.py"
SCHEMAS = Path(sys.prefix) / "share" / "jupyter" / "lab" / "schemas"


def _load_tool(name: str):
    spec = importlib.util.spec_from_file_location(name, ROOT / "tools" / f"{name}.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


configure_lab = _load_tool("configure_lab")
browser_lab = _load_tool("browser_lab")  # starts the server as make lab does (shared with test_browser)
COURSE_ID = browser_lab.COURSE_ID
Lab = browser_lab.LabServer


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

    course = browser_lab.copy_course(tmp_path_factory.mktemp("clone"))
    with browser_lab.running_lab(course, home) as server:
        yield server


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
        "@jupyterlab/apputils-extension:notification": {"fetchNews": "false", "checkForUpdates": False},
        "@jupyterlab/extensionmanager-extension:plugin": {"enabled": False},
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


def test_overrides_name_real_settings_of_this_jupyterlab():
    """Every plugin id and key in OVERRIDES exists in the installed schemas, with a valid value."""
    for plugin, settings in configure_lab.OVERRIDES.items():
        package, name = plugin.split(":")
        schema_path = SCHEMAS / package / f"{name}.json"
        assert schema_path.is_file(), f"{plugin}: no schema {schema_path}"
        properties = json.loads(schema_path.read_text(encoding="utf-8"))["properties"]
        for key, value in settings.items():
            assert key in properties, f"{plugin} has no setting {key!r}: {sorted(properties)}"
            allowed = properties[key].get("oneOf")
            if allowed:
                assert value in [choice["const"] for choice in allowed], (plugin, key, value)
            elif properties[key].get("type") == "boolean":
                assert isinstance(value, bool), (plugin, key, value)


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


def test_no_news_prompt_no_update_check_no_extension_manager(lab):
    """The defaults a new user gets: never ask about news, never check for updates."""
    expected = {
        "@jupyterlab/apputils-extension:notification": {"fetchNews": "false", "checkForUpdates": False},
        "@jupyterlab/extensionmanager-extension:plugin": {"enabled": False},
    }
    for plugin, settings in expected.items():
        setting = lab.json(f"/lab/api/settings/{plugin}")
        for key, value in settings.items():
            assert setting["schema"]["properties"][key]["default"] == value, (plugin, key, setting["schema"])
            assert key not in setting["settings"], setting["settings"]  # a default, not a user choice


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
