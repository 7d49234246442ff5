"""Start the course's JupyterLab and drive it in Debian's Chromium through Playwright.

用真实的浏览器（Debian 的 chromium + Playwright）打开课程的 JupyterLab：浏览器测试
``tests/test_browser.py`` 和第 0 课截图工具 ``tools/assignment_list_screenshots.py`` 都用它。

Three layers, each usable on its own:

* **The server** — :func:`running_lab` starts ``jupyter lab`` exactly as ``make lab`` does (in
  a course folder, with this environment's ``bin/`` on PATH so that nbgrader finds
  ``alembic``) on 127.0.0.1, a free port and a token, with a temporary HOME and Jupyter
  config, data, runtime, settings and workspace directories, so that nothing of the user's
  own Jupyter setup leaks in and nothing is written outside the given folders.
  :func:`copy_course` makes the throw-away copy of ``course/`` it runs in (no exchange,
  gradebook or fetched assignments copied).  ``tests/test_lab_setup.py`` uses this layer alone.
* **The browser** — :func:`chromium` launches Debian's ``/usr/bin/chromium`` (Playwright's own
  browser download is not used: ``executable_path``) headless with a fresh profile and no
  background networking.  Fonts: the page gets the course's own Noto Sans SC (from the
  ``pylopdf-fonts-zh-cn`` package) through a private fontconfig file, so the Chinese interface
  renders on a machine without system Chinese fonts, the same glyphs as the plots.
* **JupyterLab in the page** — :class:`LabPage` does what a student does with the mouse: open a
  notebook, 运行 → 运行所有单元格, wait until the kernel is idle (explicit waits on
  JupyterLab's DOM states, never sleeps), read error output, open nbgrader's Assignment List,
  Fetch, Validate, Submit.

Playwright is imported only when a browser is started, so the server layer needs nothing but
the course environment.
"""

from __future__ import annotations

import contextlib
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
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:  # pragma: no cover - type hints only
    from playwright.sync_api import BrowserContext, Locator, Page

__all__ = [
    "CHROMIUM_ARGS",
    "COURSE_ID",
    "LabError",
    "LabPage",
    "LabServer",
    "chromium",
    "chromium_executable",
    "copy_course",
    "free_port",
    "running_lab",
]

ROOT = Path(__file__).resolve().parents[1]
COURSE = ROOT / "course"
BIN = Path(sys.executable).parent
#: c.CourseDirectory.course_id in course/assignments/nbgrader_config.py
COURSE_ID = "crm_course"
TOKEN = "crm-course-test-token"
STARTUP_TIMEOUT = 60  # seconds until the server answers
#: nbgrader working folders that are never copied from a teacher's checkout
WORK_DIRS = frozenset(
    {"exchange", "gradebook.db", "submitted", "autograded", "feedback", ".ipynb_checkpoints"}
)
#: Headless, no sandbox (CI runs as root), and nothing that talks to the internet by itself.
CHROMIUM_ARGS = (
    "--no-sandbox",
    "--disable-gpu",
    "--disable-dev-shm-usage",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-default-apps",
    "--disable-sync",
    "--no-first-run",
    "--no-default-browser-check",
    "--metrics-recording-only",
    "--password-store=basic",
)
_FONT_PACKAGE = "pylopdf_fonts_zh_cn"
_STDERR_OUTPUT = '.jp-OutputArea-output[data-mime-type="application/vnd.jupyter.stderr"]'


class LabError(RuntimeError):
    """The server did not start or answered a request with an error (message has its log)."""


# ---- the server --------------------------------------------------------------------------


class LabServer:
    """A running ``jupyter lab``: its address, course folder and log.

    Parameters
    ----------
    base : str
        ``http://127.0.0.1:PORT``.
    course : Path
        The folder the server runs in (a copy of ``course/``).
    log : Path
        The server's combined stdout and stderr.
    """

    def __init__(self, base: str, course: Path, log: Path) -> None:
        self.base, self.course, self.log = base, course, log

    def log_tail(self, chars: int = 4000) -> str:
        """The end of the server log, headed for an error message."""
        return "\n--- jupyter lab log (tail) ---\n" + self.log.read_text(errors="replace")[-chars:]

    def url(self, path: str = "/lab") -> str:
        """Address of ``path`` that also logs the browser in (token in the query)."""
        return f"{self.base}{path}{'&' if '?' in path else '?'}token={TOKEN}"

    def request(self, path: str, method: str = "GET", **params: str) -> bytes:
        """Answer of the server to an authenticated request.

        Raises
        ------
        LabError
            On any HTTP error status, with the answer and the server log.
        """
        url = self.base + path
        if params:
            url += ("&" if "?" in url else "?") + urllib.parse.urlencode(params)
        data = b"" if method == "POST" else None
        request = urllib.request.Request(
            url, data=data, method=method, headers={"Authorization": f"token {TOKEN}"}
        )
        try:
            with urllib.request.urlopen(request, timeout=60) as response:
                return response.read()
        except urllib.error.HTTPError as error:
            raise LabError(
                f"{method} {path} → HTTP {error.code}: {error.read()[:2000]!r}{self.log_tail()}"
            ) from error

    def json(self, path: str, method: str = "GET", **params: str) -> Any:
        """:meth:`request`, decoded from JSON."""
        return json.loads(self.request(path, method, **params))

    def ok(self, path: str, method: str = "GET", **params: str) -> Any:
        """An nbgrader call that must answer ``{"success": true, ...}``; returns its value.

        Raises
        ------
        LabError
            If nbgrader reports a failure.
        """
        answer = self.json(path, method, **params)
        if answer.get("success") is not True:
            raise LabError(f"{method} {path} failed: {answer}{self.log_tail()}")
        return answer.get("value")

    def release(self, assignment: str) -> None:
        """The teacher presses 发布 (release) for ``assignment`` in the formgrader.

        Raises
        ------
        LabError
            If nbgrader could not release it.
        """
        log = self.json(f"/formgrader/api/assignment/{assignment}/release", "POST")
        if not log.get("success"):
            raise LabError(f"release of {assignment} failed: {log}{self.log_tail()}")


def free_port() -> int:
    """A TCP port on 127.0.0.1 that is free right now."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def copy_course(target: Path) -> Path:
    """Copy ``course/`` into ``target/course`` for a throw-away server.

    nbgrader working folders (:data:`WORK_DIRS`) and assignments a teacher fetched into
    ``course/`` while trying things out are left behind.  The copy also proves that the course
    config has no absolute paths.

    Parameters
    ----------
    target : Path
        The folder that receives ``course/``.

    Returns
    -------
    Path
        ``target/course``.
    """
    release = COURSE / "assignments" / "release"

    def ignore(folder: str, names: list[str]) -> set[str]:
        skipped = WORK_DIRS & set(names)
        if Path(folder) == COURSE:
            skipped |= {name for name in names if (release / name).is_dir()}
        return skipped

    return Path(shutil.copytree(COURSE, Path(target) / "course", ignore=ignore))


def lab_environment(home: Path) -> dict[str, str]:
    """Environment of ``make lab`` with every Jupyter directory inside ``home``."""
    env = {k: v for k, v in os.environ.items() if not k.startswith(("JUPYTER", "JPY_"))}
    env.update(
        HOME=str(home),
        JUPYTER_CONFIG_DIR=str(home / ".jupyter"),
        JUPYTER_DATA_DIR=str(home / "data"),
        JUPYTER_RUNTIME_DIR=str(home / "runtime"),
        JUPYTERLAB_SETTINGS_DIR=str(home / "lab-settings"),
        JUPYTERLAB_WORKSPACES_DIR=str(home / "lab-workspaces"),
        PATH=f"{BIN}{os.pathsep}{os.environ.get('PATH', '')}",  # as make lab: nbgrader runs alembic
        PYDEVD_DISABLE_FILE_VALIDATION="1",  # no debugger warning on stderr of every kernel
    )
    return env


@contextlib.contextmanager
def running_lab(course: Path, home: Path, timeout: float = STARTUP_TIMEOUT) -> Iterator[LabServer]:
    """``make lab`` in ``course`` with HOME ``home``; always stopped on exit.

    Parameters
    ----------
    course : Path
        The folder to serve (normally a :func:`copy_course`).
    home : Path
        HOME and every Jupyter directory of the server (created if missing).
    timeout : float
        Seconds to wait for the server to answer.

    Yields
    ------
    LabServer
        The running server.

    Raises
    ------
    LabError
        If the server exits or does not answer within ``timeout`` seconds (with its log).
    """
    home.mkdir(parents=True, exist_ok=True)
    port = free_port()
    log_path = home / "jupyter-lab.log"
    with open(log_path, "w") as log:
        server = subprocess.Popen(
            [str(BIN / "jupyter"), "lab", "--no-browser", "--ip=127.0.0.1", f"--port={port}",
             f"--IdentityProvider.token={TOKEN}", "--allow-root"],
            cwd=course, env=lab_environment(home), stdout=log, stderr=subprocess.STDOUT,
        )  # fmt: skip
    lab = LabServer(f"http://127.0.0.1:{port}", Path(course), log_path)
    try:
        deadline = time.monotonic() + timeout
        while True:
            try:
                urllib.request.urlopen(lab.url("/api/status"), timeout=5).read()
                break
            except (urllib.error.URLError, OSError) as error:
                if server.poll() is not None:
                    raise LabError(
                        f"jupyter lab exited with code {server.returncode}{lab.log_tail()}"
                    ) from error
                if time.monotonic() > deadline:
                    raise LabError(
                        f"jupyter lab not answering after {timeout} s ({error}){lab.log_tail()}"
                    ) from error
                time.sleep(0.3)  # polling a starting process: nothing in a page to wait on
        yield lab
    finally:
        server.terminate()
        try:
            server.wait(timeout=20)
        except subprocess.TimeoutExpired:
            server.kill()
            server.wait()


# ---- the browser -------------------------------------------------------------------------


def chromium_executable() -> str | None:
    """Debian's Chromium: ``$CHROMIUM`` if set, else ``chromium`` on PATH (None: not installed)."""
    return os.environ.get("CHROMIUM") or shutil.which("chromium") or shutil.which("chromium-browser")


def _fontconfig_file(folder: Path) -> Path:
    """A fontconfig file: the system's fonts plus the course's Noto Sans SC."""
    from importlib import resources

    fonts = Path(str(resources.files(_FONT_PACKAGE)))
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / "fonts.conf"
    path.write_text(
        '<?xml version="1.0"?>\n<!DOCTYPE fontconfig SYSTEM "fonts.dtd">\n<fontconfig>\n'
        '  <include ignore_missing="yes">/etc/fonts/fonts.conf</include>\n'
        f"  <dir>{fonts}</dir>\n  <cachedir>{folder / 'cache'}</cachedir>\n</fontconfig>\n",
        encoding="utf-8",
    )
    return path


@contextlib.contextmanager
def chromium(workdir: Path, width: int = 1280, height: int = 800) -> Iterator[BrowserContext]:
    """Headless Chromium with a fresh profile in ``workdir``; closed on exit.

    Parameters
    ----------
    workdir : Path
        Holds the browser profile and the fontconfig file.
    width, height : int
        Size of the page in pixels (JupyterLab folds toolbar items below about 1100 px).

    Yields
    ------
    playwright.sync_api.BrowserContext
        The browser; its first page is ``context.pages[0]``.

    Raises
    ------
    FileNotFoundError
        If Chromium is not installed (``apt-get install chromium``).
    """
    from playwright.sync_api import sync_playwright

    executable = chromium_executable()
    if executable is None:
        raise FileNotFoundError("没有找到 Chromium 浏览器（apt-get install chromium）/ chromium not found")
    env = {**os.environ, "FONTCONFIG_FILE": str(_fontconfig_file(workdir / "fontconfig"))}
    with sync_playwright() as playwright:
        context = playwright.chromium.launch_persistent_context(
            str(workdir / "profile"),
            executable_path=executable,
            headless=True,
            args=list(CHROMIUM_ARGS),
            env=env,
            viewport={"width": width, "height": height},
            locale="zh-CN",
            timezone_id="Asia/Shanghai",
        )
        try:
            yield context
        finally:
            context.close()


# ---- JupyterLab in the page --------------------------------------------------------------

#: The course's notebooks all use the plain python3 kernel (tools/normalize_notebooks.py).
KERNEL_NAME = "Python 3 (ipykernel)"
# The execution indicator says "idle" also before a kernel is attached ("No Kernel"), so the
# kernel's name in the toolbar is checked first.
_NOTEBOOK_IDLE = """(panel) => {
  const kernel = panel.querySelector('.jp-Toolbar-kernelName');
  if (!kernel || kernel.textContent.trim() !== '%(kernel)s') return false;
  const indicator = panel.querySelector('.jp-Notebook-ExecutionIndicator');
  if (!indicator || indicator.dataset.status !== 'idle') return false;
  // a cell whose input is collapsed (the lessons' self-check cells) shows an empty prompt
  const prompts = [...panel.querySelectorAll('.jp-CodeCell .jp-InputPrompt')]
    .map(p => p.textContent).filter(text => text.trim() !== '');
  if (prompts.some(text => text.includes('*'))) return false;
  return !%(all_run)s || prompts.every(text => /\\[\\d+\\]/.test(text))
    || panel.querySelector('%(error)s') !== null;
}"""


class LabPage:
    """JupyterLab in a browser page, used the way a student uses it.

    Parameters
    ----------
    page : playwright.sync_api.Page
        A page of a context from :func:`chromium`.
    lab : LabServer
        The server to open.

    Attributes
    ----------
    requests : list of str
        Every URL the page requested, in order (to prove nothing left the machine).
    """

    def __init__(self, page: Page, lab: LabServer) -> None:
        self.page, self.lab = page, lab
        self.requests: list[str] = []
        page.on("request", lambda request: self.requests.append(request.url))

    # -- finding things --------------------------------------------------------------------
    @property
    def notebook(self) -> Locator:
        """The notebook panel on top in the main area."""
        return self.page.locator("#jp-main-dock-panel .jp-NotebookPanel:not(.lm-mod-hidden)")

    def code_cell(self, containing: str) -> Locator:
        """The first code cell of the open notebook whose source contains ``containing``."""
        return (
            self.notebook.locator(".jp-CodeCell")
            .filter(has=self.page.locator(".jp-InputArea .cm-content", has_text=containing))
            .first
        )

    def stderr_outputs(self) -> list[str]:
        """Text of every red output (errors, warnings, anything on stderr) in the open notebook."""
        # text content, not inner text: off-screen cells are not rendered (content-visibility)
        return self.notebook.locator(_STDERR_OUTPUT).all_text_contents()

    def outside_requests(self) -> list[str]:
        """Requests that went anywhere but this server."""
        return [url for url in self.requests if not url.startswith((self.lab.base, "data:", "blob:"))]

    # -- doing things ----------------------------------------------------------------------
    def open(self, path: str = "", timeout: float = 60) -> None:
        """Load JupyterLab (``path``: a file to open, relative to the course folder)."""
        self.page.goto(self.lab.url("/lab/tree/" + urllib.parse.quote(path) if path else "/lab"))
        self.page.locator("#jupyterlab-splash").wait_for(state="detached", timeout=timeout * 1000)
        self.page.locator("#jp-main-dock-panel").wait_for(timeout=timeout * 1000)

    def open_notebook(self, path: str, timeout: float = 60) -> Locator:
        """Open a notebook in JupyterLab and wait until its kernel is ready.

        Parameters
        ----------
        path : str
            The notebook, relative to the course folder.
        timeout : float
            Seconds for the page to load and the kernel to start.

        Returns
        -------
        playwright.sync_api.Locator
            The notebook panel.
        """
        self.open(path, timeout)
        name = path.rsplit("/", 1)[-1]
        self.page.locator("#jp-main-dock-panel .lm-TabBar-tab.lm-mod-current", has_text=name).wait_for(
            timeout=timeout * 1000
        )
        self.wait_until_idle(timeout, all_run=False)
        return self.notebook

    def menu(self, *labels: str) -> None:
        """Click through the menu bar, e.g. ``menu("运行", "运行所有单元格")``."""
        self.page.locator(".lm-MenuBar-item", has_text=re.compile(f"^{re.escape(labels[0])}$")).click()
        for label in labels[1:]:
            self.page.locator(
                ".lm-Menu .lm-Menu-item:not(.lm-mod-hidden):not(.lm-mod-collapsed)",
                has=self.page.locator(".lm-Menu-itemLabel", has_text=re.compile(f"^{re.escape(label)}$")),
            ).first.click()

    def run_all(self, timeout: float = 180) -> None:
        """运行 → 运行所有单元格, then wait until every code cell has run (or one failed).

        Parameters
        ----------
        timeout : float
            Seconds the whole notebook may take.
        """
        self.notebook.locator(".jp-Notebook").click(position={"x": 5, "y": 5})
        self.menu("运行", "运行所有单元格")
        self.wait_until_idle(timeout, all_run=True)

    def wait_until_idle(self, timeout: float = 180, all_run: bool = False) -> None:
        """Wait until the notebook's kernel is connected and idle and no cell shows ``[*]``.

        With ``all_run``, also until every code cell has an execution count (or one shows an
        error: JupyterLab stops Run All at the first error).  The kernel name and execution
        indicator are read in the notebook's toolbar, so the page must be wide enough for
        JupyterLab to show them there (1280 px is; a narrow toolbar folds them into a menu).
        """
        script = _NOTEBOOK_IDLE % {
            "all_run": "true" if all_run else "false",
            "error": _STDERR_OUTPUT,
            "kernel": KERNEL_NAME,
        }
        self.notebook.wait_for(timeout=timeout * 1000)
        self.page.wait_for_function(
            f"() => ({script})(document.querySelector("
            "'#jp-main-dock-panel .jp-NotebookPanel:not(.lm-mod-hidden)'))",
            timeout=timeout * 1000,
            polling=250,
        )

    def replace_cell_source(self, cell: Locator, source: str) -> None:
        """Select everything in ``cell``'s editor and put ``source`` in its place (as a paste)."""
        # a handle, not a locator: a locator found by the cell's text would move on to
        # another cell once the text is replaced
        editor = cell.locator(".cm-content").element_handle()
        editor.click()
        self.page.keyboard.press("Control+A")
        self.page.keyboard.insert_text(source)
        self.page.wait_for_function(
            "([el, text]) => el.innerText.replace(/\\u00a0/g, ' ').trim() === text.trim()",
            arg=[editor, source],
        )

    def validate(self, timeout: float = 180) -> Locator:
        """Press nbgrader's Validate in the notebook toolbar (it saves, then runs the notebook).

        Parameters
        ----------
        timeout : float
            Seconds nbgrader may take to run the notebook.

        Returns
        -------
        playwright.sync_api.Locator
            The "Validation Results" dialog.
        """
        self.notebook.locator(".validate-button").click()
        dialog = self.page.locator(".jp-Dialog", has=self.page.locator("#validation-message"))
        dialog.wait_for(timeout=timeout * 1000)
        return dialog

    def close_dialog(self) -> None:
        """Press the dialog's OK button and wait until it is gone."""
        dialog = self.page.locator(".jp-Dialog")
        dialog.locator(".jp-Dialog-button.jp-mod-accept").click()
        dialog.wait_for(state="detached")

    def assignment_list(self, timeout: float = 60) -> Locator:
        """Nbgrader → Assignment List; returns the panel once its lists are loaded."""
        self.menu("Nbgrader", "Assignment List")
        return self.loaded_assignment_list(timeout)

    def loaded_assignment_list(self, timeout: float = 60) -> Locator:
        """The Assignment List panel, once it is shown and its three lists are loaded."""
        panel = self.page.locator("#nbgrader-assignment-list")
        panel.wait_for(timeout=timeout * 1000)
        for loading in ("released", "fetched", "submitted"):
            panel.locator(f"#{loading}_assignments_list_loading").wait_for(
                state="hidden", timeout=timeout * 1000
            )
        return panel
