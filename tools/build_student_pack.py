"""Build the student pack: one zip for schools without a server (``make student-pack``).

学生课程包：没有 JupyterHub 的学校（包括 Windows 机房）把这个 zip 发给学生，学生解压后双击
``启动课程.bat``（Windows）或运行 ``sh 启动课程.sh``（macOS/Linux）。

What goes in (under one folder ``crm-course-student/``):

* ``lessons/``: every lesson folder of ``course/lessons/``;
* ``homework/``: the student versions from ``course/assignments/release/`` (no answers, no
  hidden tests: nbgrader's ``generate_assignment`` removed them);
* ``crm_helpers/``: the package's source and data files (the start scripts put the pack's
  folder on ``PYTHONPATH``, so every notebook imports it without an install step);
* ``requirements.txt``: the runtime dependencies and the Chinese JupyterLab (from
  ``pyproject.toml``; no nbgrader, no formgrader), ``configure_lab.py`` (presets 简体中文);
* ``启动课程.bat`` (GBK, CRLF: what ``cmd.exe`` on Chinese Windows reads), ``启动课程.sh``,
  ``使用说明.txt`` (UTF-8 with BOM: Notepad shows it right), the licences.

What never goes in: ``source/``, nbgrader configs, the gradebook, tests, teacher tools.  The
build refuses to write a pack in which any file contains an nbgrader solution or hidden-test
marker.  The zip is reproducible (sorted entries, fixed timestamps).

Usage::

    python tools/build_student_pack.py                 # → dist/crm-course-student.zip
    python tools/build_student_pack.py --output x.zip
"""

from __future__ import annotations

import argparse
import re
import stat
import sys
import zipfile
from pathlib import Path

import tomllib

__all__ = ["FORBIDDEN_MARKERS", "PACK_FOLDER", "build_pack", "pack_files", "requirements"]

ROOT = Path(__file__).resolve().parents[1]
PACK_FOLDER = "crm-course-student"
DEFAULT_OUTPUT = ROOT / "dist" / f"{PACK_FOLDER}.zip"
#: Text that only the teacher's versions contain; the build fails if a packed file has one.
FORBIDDEN_MARKERS = (
    "### BEGIN SOLUTION",
    "### END SOLUTION",
    "### BEGIN HIDDEN TESTS",
    "### END HIDDEN TESTS",
)
_SKIPPED = {".ipynb_checkpoints", "__pycache__", ".DS_Store", "Thumbs.db"}
_TIMESTAMP = (2025, 1, 1, 0, 0, 0)
# packages of the lab extra a student does not need (nbgrader brings the formgrader)
_TEACHER_ONLY = {"nbgrader"}

START_BAT = r"""@echo off
rem 网店客服与客户关系管理：启动课程（Windows）。第一次运行时创建课程环境 .venv 并安装软件。
setlocal
cd /d "%~dp0"
set "PYTHONPATH=%~dp0."
if exist ".venv\installed.txt" goto start
echo 第一次使用：正在创建课程环境 .venv 并安装软件，需要联网，大约 5 分钟……
where py >nul 2>nul
if errorlevel 1 goto nopython
if exist ".venv" rmdir /s /q ".venv"
py -3 -m venv .venv
if errorlevel 1 goto fail
".venv\Scripts\python.exe" -m pip install --upgrade pip
".venv\Scripts\python.exe" -m pip install -r requirements.txt
if errorlevel 1 goto fail
".venv\Scripts\python.exe" configure_lab.py
if errorlevel 1 goto fail
echo ok> ".venv\installed.txt"
:start
echo 正在打开 JupyterLab，浏览器会自动弹出。上课期间不要关闭这个黑色窗口；关闭它就退出课程。
".venv\Scripts\python.exe" -m jupyterlab --notebook-dir="%~dp0."
goto :eof
:nopython
echo 没有找到 Python。请先安装 Python 3.10 或更新的版本：安装时勾选 Add python.exe to PATH，然后再双击本文件。
pause
exit /b 1
:fail
echo 安装没有成功。请检查网络后重新双击本文件；还是不行的话，把这个窗口截图发给老师。
pause
exit /b 1
"""

START_SH = """#!/bin/sh
# 网店客服与客户关系管理：启动课程（macOS / Linux）。第一次运行时创建课程环境 .venv 并安装软件。
set -e
cd "$(dirname "$0")"
if [ ! -f .venv/installed.txt ]; then
    echo "第一次使用：正在创建课程环境 .venv 并安装软件，需要联网，大约 5 分钟……"
    rm -rf .venv
    "${PYTHON:-python3}" -m venv .venv
    .venv/bin/python -m pip install --upgrade pip
    .venv/bin/python -m pip install -r requirements.txt
    .venv/bin/python configure_lab.py
    echo ok > .venv/installed.txt
fi
echo "正在打开 JupyterLab。关闭这个终端窗口（或按 Ctrl+C）就退出课程。"
PYTHONPATH="$PWD" exec .venv/bin/python -m jupyterlab --notebook-dir="$PWD"
"""

INSTRUCTIONS = """网店客服与客户关系管理 —— 学生课程包

这个文件夹里有全部课堂笔记本（lessons）、作业（homework）和课程用的工具包 crm_helpers。
在自己的电脑或机房电脑上就能上课、做作业，不需要服务器。

一、第一次使用（需要联网，大约 5 分钟）
  Windows：
    1. 安装 Python 3.10 或更新的版本（python.org），安装时勾选“Add python.exe to PATH”。
    2. 把压缩包完整解压到一个文件夹（不要在压缩包里直接双击）。文件夹的路径里最好没有空格。
    3. 双击“启动课程.bat”。它会创建 .venv 文件夹、安装需要的软件，然后在浏览器里
       打开中文界面的 JupyterLab。
  macOS / Linux：在终端里进入这个文件夹，运行  sh 启动课程.sh

二、以后每次上课
  双击“启动课程.bat”（macOS / Linux：sh 启动课程.sh）。那个黑色窗口就是课程的服务，
  上课期间不要关；关掉它就退出课程。

三、文件夹
  lessons/      课堂笔记本，按课的编号排列
  homework/     作业（学生版），每份作业一个文件夹
  crm_helpers/  课程用的工具包（模拟网店数据），不要修改

四、交作业
  1. 在 JupyterLab 里打开 homework/ 里的作业，按题目要求作答，随时按 Ctrl+S 保存。
  2. 交之前点菜单“运行 → 重启内核并运行所有单元格”，确认从头到尾没有报错。
  3. 按老师的要求把作业文件（例如 homework/ps03_service_kpis/ps03_service_kpis.ipynb）
     上传到学习通、钉钉、雨课堂等教学平台。不要改文件名，只交 .ipynb 文件本身。

五、常见问题
  - 双击后提示“没有找到 Python”：先按第一步安装 Python，重新双击。
  - 安装很慢或失败：检查网络；学校网络访问 PyPI 慢时，请老师告诉你可以用的软件源，
    用 pip config set global.index-url 软件源地址  设置后，删掉 .venv 文件夹再双击。
  - 界面是英文：菜单 Settings → Language → 中文 (简体, 中国)。
  - 想重新开始某一份作业：向老师再要一份原始的作业文件，不要只删自己写的代码。
"""


def _files_of(folder: Path) -> list[Path]:
    return sorted(
        p for p in folder.rglob("*") if p.is_file() and not _SKIPPED & set(p.relative_to(folder).parts)
    )


def requirements(pyproject: Path = ROOT / "pyproject.toml") -> list[str]:
    """What a student's computer installs: the runtime dependencies and the Chinese JupyterLab."""
    project = tomllib.loads(pyproject.read_text(encoding="utf-8"))["project"]
    lab = project["optional-dependencies"]["lab"]
    wanted = [*project["dependencies"], *lab]
    return [r for r in wanted if re.split(r"[<>=!~ \[]", r, maxsplit=1)[0].lower() not in _TEACHER_ONLY]


def pack_files(root: Path = ROOT) -> dict[str, bytes]:
    """Every file of the pack, by its path inside the zip (without the top folder).

    Raises
    ------
    ValueError
        If a lesson or released homework is missing, or a file to be packed contains one of
        :data:`FORBIDDEN_MARKERS` (an answer or a hidden test would leave the teacher's hands).
    """
    lessons, release = root / "course" / "lessons", root / "course" / "assignments" / "release"
    files: dict[str, bytes] = {}
    for name, folder in (("lessons", lessons), ("homework", release), ("crm_helpers", root / "crm_helpers")):
        found = _files_of(folder)
        if not found:
            raise ValueError(f"{folder} 里没有文件，无法生成课程包。")
        for path in found:
            if path.suffix == ".pyc":
                continue
            files[f"{name}/{path.relative_to(folder).as_posix()}"] = path.read_bytes()
    files["requirements.txt"] = (
        "# 学生电脑需要的软件（启动课程.bat / 启动课程.sh 会自动安装）\n" + "\n".join(requirements()) + "\n"
    ).encode("utf-8")
    files["configure_lab.py"] = (root / "tools" / "configure_lab.py").read_bytes()
    files["启动课程.bat"] = START_BAT.replace("\n", "\r\n").encode("gbk")
    files["启动课程.sh"] = START_SH.encode("utf-8")
    files["使用说明.txt"] = ("\ufeff" + INSTRUCTIONS.replace("\n", "\r\n")).encode("utf-8")
    for licence in ("LICENSE", "LICENSE-CONTENT.md"):
        files[licence] = (root / licence).read_bytes()
    for name, content in files.items():
        text = content.decode("utf-8", errors="ignore")
        leaked = [marker for marker in FORBIDDEN_MARKERS if marker in text]
        if leaked:
            raise ValueError(f"{name} 含有只属于教师版的内容（{leaked[0]}），课程包没有生成。")
    return files


def build_pack(output: Path = DEFAULT_OUTPUT, root: Path = ROOT) -> Path:
    """Write the student pack to ``output`` (a zip); return its path."""
    files = pack_files(root)
    output.parent.mkdir(parents=True, exist_ok=True)
    tmp = output.with_suffix(".zip.tmp")
    with zipfile.ZipFile(tmp, "w", compression=zipfile.ZIP_DEFLATED) as pack:
        for name in sorted(files):
            info = zipfile.ZipInfo(f"{PACK_FOLDER}/{name}", date_time=_TIMESTAMP)
            info.compress_type = zipfile.ZIP_DEFLATED
            mode = 0o755 if name.endswith(".sh") else 0o644
            info.external_attr = (stat.S_IFREG | mode) << 16
            pack.writestr(info, files[name])
    tmp.replace(output)
    return output


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description="生成学生课程包（zip）。")
    parser.add_argument("--output", type=Path, default=DEFAULT_OUTPUT, help="zip 文件的位置")
    args = parser.parse_args(argv)
    try:
        path = build_pack(args.output)
    except ValueError as error:
        sys.exit(str(error))
    with zipfile.ZipFile(path) as pack:
        count = len(pack.namelist())
    print(f"学生课程包：{path}（{count} 个文件，{path.stat().st_size / 1024 / 1024:.1f} MB）")


if __name__ == "__main__":
    main()
