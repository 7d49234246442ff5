"""A computer room on a real JupyterHub (deploy/jupyterhub/), on 127.0.0.1 only.

Runs ``jupyterhub`` with ``deploy/jupyterhub/jupyterhub_config.py`` unchanged (a small test
config loads it and adds only ports, state files and an admin API token), the proxy from npm
(``make proxy``), and real Unix accounts made for the test with ``useradd``: one teacher and two
students, removed afterwards.  Each person's JupyterLab is spawned by the hub as their own
account (LocalProcessSpawner) and is reached through the hub's proxy with their own API token:

* students get the Chinese lab and ``crm_helpers``, the Assignment List but no formgrader or
  course list, and cannot read the teacher's course folder (solutions and hidden tests);
* a JupyterLab terminal of a background server has the project environment on PATH;
* teacher generates and releases → each student fetches, answers (one the solution, one
  nothing) and submits → teacher collects, autogrades, generates and releases feedback →
  each student fetches it; grades are checked per student id (= account name).

Needs root (accounts), ``useradd``, and configurable-http-proxy (``make proxy``, from npm);
without them the tests are skipped with the reason.  When this project's Python lives where
other accounts cannot read it (for example under /root), the test builds a deployment venv
from the system Python, as a school server would have, and keeps it in
/var/tmp/crm-course-hub-test/ for the next run (safe to delete).
"""

from __future__ import annotations

import asyncio
import contextlib
import copy
import fcntl
import hashlib
import importlib.metadata
import importlib.util
import json
import os
import pwd
import secrets
import shutil
import signal
import socket
import stat
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.parse
import urllib.request
from pathlib import Path

import nbformat
import pytest

pytestmark = [
    pytest.mark.xdist_group("jupyterhub"),
    pytest.mark.skipif(sys.platform != "linux", reason="JupyterHub with Unix accounts: Linux only"),
]

ROOT = Path(__file__).resolve().parents[1]
BIN = Path(sys.executable).parent
DEPLOY = ROOT / "deploy" / "jupyterhub"
PROXY = Path(sys.prefix) / "node" / "node_modules" / ".bin" / "configurable-http-proxy"
COURSE_ID = "crm_course"
ADMIN_TOKEN = secrets.token_hex(16)
VENV_CACHE = Path("/var/tmp/crm-course-hub-test")  # the deployment venv between runs (see below)
START_TIMEOUT = 180  # seconds for the hub and three single-user servers on a busy 2-core machine
REQUEST_TIMEOUT = 300  # autograde of one submission runs a kernel

_spec = importlib.util.spec_from_file_location("setup_server", DEPLOY / "setup_server.py")
setup_server = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(setup_server)


# ---- helpers ---------------------------------------------------------------------------------


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _readable_by_others(path: Path) -> bool:
    """Whether an unprivileged account can reach ``path`` (every parent folder searchable)."""
    path = path.resolve()
    for folder in [*reversed(path.parents), path]:
        mode = folder.stat().st_mode
        if not mode & stat.S_IXOTH or (folder == path and not mode & stat.S_IROTH):
            return False
    return True


def _skip_reason() -> str | None:
    if os.geteuid() != 0:
        return "需要 root：测试要创建临时的 Linux 账号（CI 以 root 运行）"
    for tool in ("useradd", "userdel", "groupadd", "groupdel", "runuser"):
        if shutil.which(tool) is None:
            return f"没有 {tool} 命令"
    if not PROXY.exists() and shutil.which("npm") and shutil.which("make"):
        subprocess.run(["make", "-C", str(ROOT), "proxy"], capture_output=True, text=True)
    if not PROXY.exists():
        return "没有 configurable-http-proxy：需要 npm（运行 make proxy 安装到 .venv/node）"
    return None


def _deployment_key() -> str:
    """What the deployment venv is built from: Python version, dependencies, both packages."""
    digest = hashlib.sha256(sys.version.encode())
    files = [ROOT / "pyproject.toml", ROOT / "constraints.txt", ROOT / "tools" / "configure_lab.py"]
    files += sorted(
        p
        for package in ("crm_helpers", "crm_course")  # both are installed (not editable) in the venv
        for p in (ROOT / package).rglob("*")
        if p.is_file() and "__pycache__" not in p.parts
    )
    for path in files:
        digest.update(path.relative_to(ROOT).as_posix().encode() + b"\0" + path.read_bytes())
    return digest.hexdigest()[:16]


def _deployment_venv() -> Path:
    """A virtual environment every account can run: this one, or one built from the system Python.

    The built one is kept in :data:`VENV_CACHE` for the next run (about 700 MB; building and
    deleting it take minutes on a busy machine); a change of dependencies or crm_helpers
    replaces it (a change of crm_course too).  Installed as a school would: ``pip install -c constraints.txt '.[lab,hub]'``
    (not editable), falling back to the version ranges when the system Python is older than
    a pin needs (Debian 12's 3.11.2), with the same JupyterHub version as the hub.
    """
    interpreter = Path(os.path.realpath(sys.executable))
    stdlib = Path(sys.base_prefix) / "lib"
    if all(_readable_by_others(p) for p in (Path(sys.prefix), interpreter, stdlib, ROOT / "crm_helpers")):
        return Path(sys.prefix)
    version = f"python{sys.version_info.major}.{sys.version_info.minor}"
    system_python = next(
        (p for p in (Path("/usr/bin") / version, Path("/usr/local/bin") / version) if p.exists()), None
    )
    if system_python is None:
        pytest.skip(f"本项目的 Python 其他账号读不到，系统里也没有 {version} 来建部署用的环境")
    VENV_CACHE.mkdir(parents=True, exist_ok=True)
    VENV_CACHE.chmod(0o755)
    venv = VENV_CACHE / f"venv-{_deployment_key()}"
    with open(VENV_CACHE / ".lock", "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)  # another run building the same venv: wait for it
        if (venv / ".complete").exists():
            return venv
        for stale in VENV_CACHE.glob("venv-*"):
            shutil.rmtree(stale, ignore_errors=True)
        subprocess.run([str(system_python), "-m", "venv", str(venv)], check=True)
        pip = [str(venv / "bin" / "python"), "-m", "pip", "install", "--quiet"]
        quiet = {"check": True, "capture_output": True}
        subprocess.run([*pip, "--upgrade", "pip"], **quiet)
        pinned = subprocess.run(
            [*pip, "-c", str(ROOT / "constraints.txt"), f"{ROOT}[lab,hub]"], capture_output=True
        )
        if pinned.returncode != 0:
            hub_version = importlib.metadata.version("jupyterhub")
            subprocess.run([*pip, f"{ROOT}[lab,hub]", f"jupyterhub=={hub_version}"], **quiet)
        subprocess.run([str(venv / "bin" / "python"), str(ROOT / "tools" / "configure_lab.py")], **quiet)
        (venv / ".complete").touch()
    return venv


class Hub:
    """A running JupyterHub: its URL, people, per-user tokens, course folder and log."""

    def __init__(self, base: Path, url: str, log: Path) -> None:
        self.base, self.url, self.log = base, url, log
        self.teacher = ""
        self.students: list[str] = []
        self.tokens: dict[str, str] = {}
        self.course = Path()
        self.exchange = Path()
        self.venv = Path()

    def log_tail(self) -> str:
        return "\n--- jupyterhub log (tail) ---\n" + self.log.read_text(errors="replace")[-6000:]

    def call(self, path: str, method: str = "GET", body=None, token: str = ADMIN_TOKEN, **params: str):
        """One HTTP request through the hub's proxy; returns (status, parsed JSON or text)."""
        url = self.url + path
        if params:
            url += ("&" if "?" in url else "?") + urllib.parse.urlencode(params)
        data = None if body is None and method == "GET" else json.dumps(body or {}).encode()
        request = urllib.request.Request(
            url, data=data, method=method, headers={"Authorization": f"token {token}"}
        )
        try:
            with urllib.request.urlopen(request, timeout=REQUEST_TIMEOUT) as response:
                status, raw = response.status, response.read()
        except urllib.error.HTTPError as error:
            status, raw = error.code, error.read()
        text = raw.decode("utf-8", errors="replace")
        try:
            return status, json.loads(text)
        except ValueError:
            return status, text

    def user(self, name: str, path: str, method: str = "GET", body=None, **params: str):
        """A request to ``name``'s own JupyterLab server with ``name``'s token; must succeed."""
        status, answer = self.call(f"/user/{name}{path}", method, body, token=self.tokens[name], **params)
        assert status < 300, (
            f"{method} /user/{name}{path} → HTTP {status}: {str(answer)[:2000]}{self.log_tail()}"
        )
        return answer

    def nbgrader(self, name: str, path: str, method: str = "GET", **params: str):
        """An nbgrader call that must answer ``{"success": true, ...}``; returns its value."""
        answer = self.user(name, path, method, **params)
        assert answer.get("success") is True, f"{name}: {method} {path} failed: {answer}{self.log_tail()}"
        return answer.get("value")

    def terminal(self, name: str, command: str, timeout: float = 60) -> str:
        """Run ``command`` in a new JupyterLab terminal of ``name``; return what it printed."""
        from tornado.httpclient import HTTPRequest
        from tornado.websocket import websocket_connect

        terminal = self.user(name, "/api/terminals", "POST")["name"]
        marker = "END-OF-COMMAND-42"
        url = self.url.replace("http://", "ws://") + f"/user/{name}/terminals/websocket/{terminal}"

        async def talk() -> str:
            request = HTTPRequest(url, headers={"Authorization": f"token {self.tokens[name]}"})
            connection = await websocket_connect(request)
            # $((…)) so that the marker appears only in the output, not in the echoed command
            await connection.write_message(
                json.dumps(["stdin", f"{command}; echo END-OF-COMMAND-$((40+2))\r"])
            )
            output = ""
            try:
                while output.count(marker) < 1:
                    message = await asyncio.wait_for(connection.read_message(), timeout)
                    if message is None:
                        break
                    kind, *content = json.loads(message)
                    if kind == "stdout":
                        output += content[0]
            finally:
                connection.close()
            return output.rsplit("$((40+2))", 1)[-1]  # what came after the (re)echoed command line

        try:
            return asyncio.run(talk())
        finally:
            self.user(name, f"/api/terminals/{terminal}", "DELETE")


def _status(url: str) -> int:
    """HTTP status of ``url``, 0 while nothing listens there yet."""
    try:
        with urllib.request.urlopen(url, timeout=10) as response:
            return response.status
    except urllib.error.HTTPError as error:
        return error.code
    except OSError:
        return 0


def _kill_processes_of(users: set[str]) -> None:
    """End the processes the test's accounts still run (the hub normally stops them)."""
    import psutil

    for process in psutil.process_iter(["pid", "username"]):
        if process.info["username"] in users:
            with contextlib.suppress(psutil.Error):
                process.kill()


@pytest.fixture(scope="module")
def hub() -> Hub:
    reason = _skip_reason()
    if reason:
        pytest.skip(reason)
    base = Path(tempfile.mkdtemp(prefix="crm-hub-", dir="/tmp"))
    base.chmod(0o755)
    suffix = secrets.token_hex(3)
    teacher, students = f"crmt{suffix}", [f"crms1{suffix}", f"crms2{suffix}"]
    group = f"crmg{suffix}"
    created: list[str] = []
    group_created = False
    server = None
    try:
        venv = _deployment_venv()
        deploy = Path(shutil.copytree(DEPLOY, base / "deploy", ignore=shutil.ignore_patterns("__pycache__")))
        for path in [deploy, *deploy.rglob("*")]:
            path.chmod(0o755 if path.is_dir() else 0o644)
        group_created = setup_server.create_group(group)
        (base / "home").mkdir(mode=0o755)
        for name in [teacher, *students]:
            extra = ["-G", group] if name in students else []
            subprocess.run(
                ["useradd", "-m", "-d", str(base / "home" / name), "-s", "/bin/bash", *extra, name],
                check=True,
            )
            created.append(name)
        exchange = setup_server.prepare_exchange(base / "exchange")
        course = setup_server.install_course(teacher, source=ROOT / "course")

        port, hub_port, api_port = _free_port(), _free_port(), _free_port()
        state = base / "state"
        state.mkdir()
        test_config = state / "test_config.py"
        test_config.write_text(
            "c = get_config()  # noqa\n"
            f"load_subconfig({str(deploy / 'jupyterhub_config.py')!r})  # noqa\n"
            f"c.JupyterHub.hub_ip = '127.0.0.1'\nc.JupyterHub.hub_port = {hub_port}\n"
            f"c.ConfigurableHTTPProxy.api_url = 'http://127.0.0.1:{api_port}'\n"
            f"c.JupyterHub.db_url = 'sqlite:///{state / 'jupyterhub.sqlite'}'\n"
            f"c.JupyterHub.cookie_secret_file = {str(state / 'cookie_secret')!r}\n"
            f"c.ConfigurableHTTPProxy.pid_file = {str(state / 'proxy.pid')!r}\n"
            "c.JupyterHub.services = [{'name': 'crm-test', 'api_token': %r}]\n"
            "c.JupyterHub.load_roles = [{'name': 'admin', 'services': ['crm-test']}]\n" % ADMIN_TOKEN,
            encoding="utf-8",
        )
        env = {k: v for k, v in os.environ.items() if not k.startswith(("JUPYTER", "JPY_"))}
        env.update(
            CRM_HUB_TEACHERS=teacher,
            CRM_HUB_STUDENT_GROUP=group,
            CRM_COURSE_EXCHANGE=str(exchange),
            CRM_HUB_VENV=str(venv),
            CRM_HUB_LESSONS=str(ROOT / "course" / "lessons"),
            CRM_HUB_URL=f"http://127.0.0.1:{port}",
            # the deployment looks for the proxy in its venv, then on PATH
            PATH=os.pathsep.join([str(PROXY.parent), str(BIN), env.get("PATH", "")]),
        )
        log = state / "jupyterhub.log"
        with open(log, "w") as out:
            server = subprocess.Popen(
                [str(BIN / "jupyterhub"), "-f", str(test_config)],
                cwd=state, env=env, stdout=out, stderr=subprocess.STDOUT, start_new_session=True,
            )  # fmt: skip
        hub = Hub(base, f"http://127.0.0.1:{port}", log)
        hub.teacher, hub.students, hub.course = teacher, students, course
        hub.exchange, hub.venv = exchange, venv
        deadline = time.monotonic() + START_TIMEOUT
        while _status(hub.url + "/hub/api/") != 200:
            assert server.poll() is None, f"jupyterhub exited with code {server.returncode}{hub.log_tail()}"
            assert time.monotonic() < deadline, (
                f"jupyterhub not answering after {START_TIMEOUT} s{hub.log_tail()}"
            )
            time.sleep(0.5)

        people = [teacher, *students]
        status, answer = hub.call("/hub/api/users", "POST", {"usernames": people})
        assert status == 201, (status, answer)
        for name in people:
            status, answer = hub.call(f"/hub/api/users/{name}/server", "POST")
            assert status in (201, 202), (name, status, answer)
            status, answer = hub.call(
                f"/hub/api/users/{name}/tokens", "POST", {"note": "test", "expires_in": 3600}
            )
            assert status == 201, (name, status, answer)
            hub.tokens[name] = answer["token"]
        for name in people:
            while not (hub.call(f"/hub/api/users/{name}")[1].get("servers", {}).get("", {}).get("ready")):
                assert time.monotonic() < deadline, (
                    f"{name}'s server not ready after {START_TIMEOUT} s{hub.log_tail()}"
                )
                time.sleep(0.5)
        yield hub
    finally:
        if server is not None:
            if server.poll() is None:
                server.send_signal(signal.SIGTERM)  # the hub stops the servers it spawned and the proxy
                try:
                    server.wait(timeout=60)
                except subprocess.TimeoutExpired:
                    os.killpg(server.pid, signal.SIGKILL)
                    server.wait()
        _kill_processes_of(set(created))
        for name in created:
            subprocess.run(["userdel", "-r", name], capture_output=True)
        if group_created:
            subprocess.run(["groupdel", group], capture_output=True)
        shutil.rmtree(base, ignore_errors=True)


# ---- setup_server.py on its own (no root needed) ----------------------------------------------


def test_setup_server_rejects_bad_input(tmp_path):
    me = pwd.getpwuid(os.getuid()).pw_name
    with pytest.raises(ValueError, match="老师账号 'no-such-teacher-x9' 在这台服务器上不存在"):
        setup_server.course_dir("no-such-teacher-x9")
    with pytest.raises(ValueError, match="老师账号 'no-such-teacher-x9'"):
        setup_server.install_course("no-such-teacher-x9", target=tmp_path / "c")
    with pytest.raises(ValueError, match=r"不是课程目录.*assignments/nbgrader_config.py"):
        setup_server.install_course(me, target=tmp_path / "c", source=tmp_path)
    (tmp_path / "existing").mkdir()
    with pytest.raises(ValueError, match="已经存在，没有覆盖"):
        setup_server.install_course(me, target=tmp_path / "existing")
    assert setup_server.course_dir(me, "{home}/kurs") == Path(pwd.getpwnam(me).pw_dir) / "kurs"


def test_give_lessons_rejects_bad_input(tmp_path):
    with pytest.raises(ValueError, match="账号 'no-such-student-x9' 在这台服务器上不存在"):
        setup_server.give_lessons("no-such-student-x9", ROOT / "course" / "lessons")
    me = pwd.getpwuid(os.getuid()).pw_name
    with pytest.raises(ValueError, match="课堂笔记本的文件夹 .*missing 不存在"):
        setup_server.give_lessons(me, tmp_path / "missing")


def test_setup_server_settings_and_exchange(tmp_path):
    values = setup_server.settings({"CRM_HUB_TEACHERS": "li wang"})
    assert values["CRM_HUB_TEACHERS"] == "li wang"
    assert values["CRM_COURSE_EXCHANGE"] == "/srv/nbgrader/exchange"
    assert values["CRM_HUB_VENV"] == sys.prefix  # empty default = the hub's own environment
    exchange = setup_server.prepare_exchange(tmp_path / "srv" / "exchange")
    assert stat.S_IMODE(exchange.stat().st_mode) == 0o777


# ---- what each person gets -------------------------------------------------------------------


def _page_config(hub: Hub, name: str) -> dict:
    import re

    html = hub.user(name, "/lab")
    match = re.search(r'<script id="jupyter-config-data" type="application/json">(.*?)</script>', html, re.S)
    assert match, f"no jupyter-config-data in {name}'s /lab page"
    return json.loads(match.group(1))


def test_servers_run_as_their_own_accounts(hub):
    for name in [hub.teacher, *hub.students]:
        assert "started" in hub.user(name, "/api/status")
        output = hub.terminal(name, "whoami; pwd")
        assert name in output.split(), output
    top = {item["name"] for item in hub.user(hub.teacher, "/api/contents")["content"]}
    assert {"lessons", "assignments"} <= top, f"the teacher's lab should show the course: {top}"


def test_terminal_keeps_the_project_environment(hub):
    """A background server's terminal finds the course's nbgrader, jupyter and python."""
    for name in (hub.teacher, hub.students[0]):
        output = hub.terminal(name, "command -v nbgrader python alembic || echo NOT-FOUND")
        assert "NOT-FOUND" not in output, output
        for tool in ("nbgrader", "python", "alembic"):
            assert str(hub.venv / "bin" / tool) in output, (tool, output)
        version = hub.terminal(name, "nbgrader --version")
        assert "command not found" not in version and "未找到" not in version, version


def test_students_get_the_chinese_lab_and_crm_helpers_without_teacher_tools(hub):
    student = hub.students[0]
    setting = hub.user(student, "/lab/api/settings/@jupyterlab/translation-extension:plugin")
    assert setting["schema"]["properties"]["locale"]["default"] == "zh_CN", setting["schema"]
    config = _page_config(hub, student)
    disabled = set(config.get("disabledExtensions") or [])
    for plugin in ("formgrader", "create-assignment", "course-list"):
        assert f"@jupyter/nbgrader:{plugin}" in disabled, disabled
    for plugin in ("assignment-list", "validate-assignment"):
        assert f"@jupyter/nbgrader:{plugin}" not in disabled, disabled
    for path in ("/formgrader", "/formgrader/api/assignments", "/formgraders"):
        status, _ = hub.call(f"/user/{student}{path}", token=hub.tokens[student])
        assert status == 404, f"student's {path} answered {status}"
    assert hub.nbgrader(student, "/assignments", course_id=COURSE_ID) == []  # Assignment List works

    output = hub.terminal(
        student, "python -c 'import crm_helpers; print(\"ROWS\", len(crm_helpers.load_store().orders))'"
    )
    assert "ROWS " in output and "Error" not in output, output

    teacher = _page_config(hub, hub.teacher)
    assert "@jupyter/nbgrader:formgrader" not in set(teacher.get("disabledExtensions") or [])
    names = {a["name"] for a in hub.user(hub.teacher, "/formgrader/api/assignments")}
    sources = {p.name for p in (ROOT / "course" / "assignments" / "source").iterdir() if p.is_dir()}
    assert sources <= names, (sources, names)


def test_students_find_the_lessons_in_their_home(hub):
    lessons = sorted(p.name for p in (ROOT / "course" / "lessons").iterdir() if p.is_dir())
    for student in hub.students:
        listing = hub.user(student, "/api/contents/lessons")["content"]
        assert sorted(item["name"] for item in listing) == lessons
        notebook = next((Path(pwd.getpwnam(student).pw_dir) / "lessons").glob("*/*.ipynb"))
        assert notebook.stat().st_uid == pwd.getpwnam(student).pw_uid, "the student's own copy"
    # at the next start: the student's notes stay, a lesson they lack (new, or deleted) comes back
    home = Path(pwd.getpwnam(hub.students[0]).pw_dir) / "lessons"
    notes = home / lessons[0] / f"{lessons[0]}.ipynb"
    notes.write_text(notes.read_text(encoding="utf-8").replace("乐童优选", "我的笔记", 1), encoding="utf-8")
    mine = notes.read_bytes()
    shutil.rmtree(home / lessons[-1])
    assert setup_server.give_lessons(hub.students[0], ROOT / "course" / "lessons") == [lessons[-1]]
    assert notes.read_bytes() == mine


def test_students_cannot_read_the_course(hub):
    source = hub.course / "assignments" / "source"
    notebook = next(source.glob("*/*.ipynb"))
    for name in hub.students:
        for command in (["ls", str(hub.course)], ["cat", str(notebook)], ["ls", str(source)]):
            done = subprocess.run(["runuser", "-u", name, "--", *command], capture_output=True, text=True)
            assert done.returncode != 0, f"{name} could run {command}: {done.stdout[:200]}"
    done = subprocess.run(["runuser", "-u", hub.teacher, "--", "cat", str(notebook)], capture_output=True)
    assert done.returncode == 0, done.stderr


# ---- the homework loop -----------------------------------------------------------------------


def _autograded_points(notebook: nbformat.NotebookNode) -> float:
    """Points of the autograder test cells (简答 are graded by hand)."""
    return sum(
        float(cell.metadata["nbgrader"].get("points", 0))
        for cell in notebook.cells
        if cell.metadata.get("nbgrader", {}).get("grade") and not cell.metadata["nbgrader"].get("solution")
    )


def test_release_fetch_submit_collect_autograde_feedback(hub):
    released = sorted(p.name for p in (hub.course / "assignments" / "release").iterdir() if p.is_dir())
    assignment = released[0]
    teacher, (good, blank) = hub.teacher, hub.students
    solution = nbformat.read(
        ROOT / "course/assignments/source" / assignment / f"{assignment}.ipynb", as_version=4
    )

    # teacher: 生成 (assign = generate_assignment, fills the gradebook) and 发布 (release) to the shared exchange
    for step in ("assign", "release"):
        log = hub.user(teacher, f"/formgrader/api/assignment/{assignment}/{step}", "POST")
        assert log["success"], log
    assert (hub.exchange / COURSE_ID / "outbound" / assignment).is_dir()

    # students: Assignment List → 获取 (fetch) into their home, answer, 提交 (submit)
    for student in (good, blank):
        listing = hub.nbgrader(student, "/assignments", course_id=COURSE_ID)
        assert [(a["assignment_id"], a["status"]) for a in listing] == [(assignment, "released")], listing
        listing = hub.nbgrader(
            student, "/assignments/fetch", "POST", course_id=COURSE_ID, assignment_id=assignment
        )
        assert [a["path"] for a in listing if a["status"] == "fetched"] == [assignment], listing
        home = Path(pwd.getpwnam(student).pw_dir)
        fetched = home / assignment / f"{assignment}.ipynb"
        assert fetched.stat().st_uid == pwd.getpwnam(student).pw_uid, "fetched files belong to the student"
        if student == good:  # saves the answers through the Contents API, as JupyterLab does
            answered = copy.deepcopy(solution)
            hub.user(student, f"/api/contents/{assignment}/{assignment}.ipynb", "PUT",
                     {"type": "notebook", "format": "json", "content": answered})  # fmt: skip
        listing = hub.nbgrader(
            student, "/assignments/submit", "POST", course_id=COURSE_ID, assignment_id=assignment
        )
        assert any(a["status"] == "submitted" for a in listing), listing
    # the exchange's inbound folder is write-only for students: nobody lists others' work
    inbound = hub.exchange / COURSE_ID / "inbound"
    done = subprocess.run(["runuser", "-u", blank, "--", "ls", str(inbound)], capture_output=True)
    assert done.returncode != 0, "a student can list the submissions of others"

    # teacher: 收作业 (collect) → student ids are the account names → autograde → feedback
    log = hub.user(teacher, f"/formgrader/api/assignment/{assignment}/collect", "POST")
    assert log["success"], log
    submitted = hub.course / "assignments" / "submitted"
    assert sorted(p.name for p in submitted.iterdir()) == sorted([good, blank])
    for student in (good, blank):
        log = hub.user(teacher, f"/formgrader/api/submission/{assignment}/{student}/autograde", "POST")
        assert log["success"], log
    log = hub.user(teacher, f"/formgrader/api/assignment/{assignment}/generate_feedback", "POST")
    assert log["success"], log
    log = hub.user(teacher, f"/formgrader/api/assignment/{assignment}/release_feedback", "POST")
    assert log["success"], log

    grades = {row["student"]: row for row in hub.user(teacher, f"/formgrader/api/submissions/{assignment}")}
    full = _autograded_points(solution)
    assert full > 0
    assert grades[good]["autograded"] and grades[blank]["autograded"], grades
    assert grades[good]["score"] == pytest.approx(full), (full, grades[good])
    assert grades[blank]["score"] == 0, grades[blank]
    assert grades[good]["max_score"] == grades[blank]["max_score"] >= full

    # students: 获取反馈 (fetch feedback) lands in their own assignment folder
    for student in (good, blank):
        hub.nbgrader(
            student, "/assignments/fetch_feedback", "POST", course_id=COURSE_ID, assignment_id=assignment
        )
        home = Path(pwd.getpwnam(student).pw_dir)
        feedback = list((home / assignment / "feedback").glob(f"*/{assignment}.html"))
        assert feedback, f"no feedback for {student}: {list((home / assignment).rglob('*'))}"
        page = feedback[0].read_text(encoding="utf-8")  # the formgrader's button used the Chinese template
        assert "作业反馈：" in page and "Test cell" not in page, f"feedback of {student} is not Chinese"
