"""Prepare a school server for the course's JupyterHub (run once, as root).

What it does (each step is safe to run again):

1. creates the shared nbgrader exchange (``/srv/nbgrader/exchange``, mode 777: nbgrader
   itself keeps students from reading each other's submissions inside it);
2. creates the students' Unix group (``crm-students``): only its members may log in;
3. copies the repository's ``course/`` to the teacher's course folder
   (``~teacher/crm-course``), owned by the teacher and closed to everybody else (mode 700),
   so that no student can read ``assignments/source/`` (solutions and hidden tests) or the
   gradebook.  An existing course folder is never overwritten.

Usage::

    sudo /opt/crm-course/.venv/bin/python deploy/jupyterhub/setup_server.py --teacher teacher

The settings and their defaults are shared with ``jupyterhub_config.py`` (``SETTINGS``);
environment variables of the same names override them.
"""

from __future__ import annotations

import argparse
import grp
import os
import pwd
import shutil
import subprocess
import sys
from pathlib import Path

__all__ = [
    "COURSE_WORK_FILES",
    "DEFAULTS",
    "course_dir",
    "create_group",
    "give_lessons",
    "install_course",
    "prepare_exchange",
    "settings",
]

REPO = Path(__file__).resolve().parents[2]

#: Settings of the computer-room server and their defaults (environment variables override).
DEFAULTS: dict[str, str] = {
    # 老师的登录名（空格分隔，可以有几位）。老师是 JupyterHub 管理员，有评分面板。
    "CRM_HUB_TEACHERS": "teacher",
    # 学生账号所在的 Linux 用户组：组里的人才能登录（useradd -G crm-students 账号）。
    "CRM_HUB_STUDENT_GROUP": "crm-students",
    # 老师的课程目录（仓库 course/ 的一份拷贝，属于老师，别人不能读）；{home} = 老师的家目录。
    "CRM_HUB_COURSE_DIR": "{home}/crm-course",
    # nbgrader 的交换目录：老师发布、学生提交都经过这里。
    "CRM_COURSE_EXCHANGE": "/srv/nbgrader/exchange",
    # 项目的虚拟环境（jupyterlab、nbgrader、crm_helpers）；空 = 运行 JupyterHub 的这个 Python 的环境。
    "CRM_HUB_VENV": "",
    # 对外的网址和端口：学校内网访问 http://服务器地址:8000 。
    "CRM_HUB_URL": "http://:8000",
    # 课堂笔记本：每个学生启动 JupyterLab 时，还没有的课复制到他家目录的 lessons/ 里
    # （已经有的不覆盖，学生自己的笔记不会丢）。空 = 本仓库的 course/lessons。
    "CRM_HUB_LESSONS": "",
}

#: nbgrader working files of a course that are never copied to a new server.
COURSE_WORK_FILES = frozenset(
    {"exchange", "gradebook.db", "submitted", "autograded", "feedback", ".ipynb_checkpoints", "__pycache__"}
)


def settings(environ: dict[str, str] | None = None) -> dict[str, str]:
    """The server's settings: :data:`DEFAULTS` overridden by ``environ`` (default ``os.environ``)."""
    environ = os.environ if environ is None else environ
    values = {name: environ.get(name, default) for name, default in DEFAULTS.items()}
    values["CRM_HUB_VENV"] = values["CRM_HUB_VENV"] or sys.prefix
    values["CRM_HUB_LESSONS"] = values["CRM_HUB_LESSONS"] or str(REPO / "course" / "lessons")
    return values


def _account(name: str) -> pwd.struct_passwd:
    try:
        return pwd.getpwnam(name)
    except KeyError:
        raise ValueError(f"老师账号 {name!r} 在这台服务器上不存在（先用 useradd 创建）。") from None


def course_dir(teacher: str, template: str | None = None) -> Path:
    """The course folder of ``teacher`` (``{home}`` in the template is their home folder).

    Raises
    ------
    ValueError
        If ``teacher`` is not a Unix account on this machine.
    """
    home = _account(teacher).pw_dir
    template = settings()["CRM_HUB_COURSE_DIR"] if template is None else template
    return Path(template.format(home=home, user=teacher))


def prepare_exchange(root: str | Path) -> Path:
    """Create nbgrader's shared exchange folder, writable by everyone (mode 777)."""
    root = Path(root)
    root.mkdir(parents=True, exist_ok=True)
    root.chmod(0o777)  # what nbgrader's release_assignment expects (it warns otherwise)
    return root


def create_group(name: str) -> bool:
    """Create the Unix group ``name`` if it is missing; return whether it was created."""
    try:
        grp.getgrnam(name)
        return False
    except KeyError:
        subprocess.run(["groupadd", name], check=True)
        return True


def _chown_tree(top: Path, account: pwd.struct_passwd) -> None:
    for folder, dirs, files in os.walk(top):
        for name in [folder, *(os.path.join(folder, n) for n in dirs + files)]:
            os.chown(name, account.pw_uid, account.pw_gid, follow_symlinks=False)


def give_lessons(username: str, lessons: str | Path) -> list[str]:
    """Copy the lessons ``username`` does not have yet into ``~username/lessons/``.

    A lesson folder that already exists is left alone (the student's notes stay); new
    lessons the teacher adds later appear at the next start.  Returns the copied folders.

    Raises
    ------
    ValueError
        If ``username`` is not a Unix account or ``lessons`` is not a folder.
    """
    try:
        account = pwd.getpwnam(username)
    except KeyError:
        raise ValueError(f"账号 {username!r} 在这台服务器上不存在。") from None
    lessons = Path(lessons)
    if not lessons.is_dir():
        raise ValueError(f"课堂笔记本的文件夹 {lessons} 不存在（设置 CRM_HUB_LESSONS）。")
    target = Path(account.pw_dir) / "lessons"
    if not target.exists():
        target.mkdir()
        os.chown(target, account.pw_uid, account.pw_gid)
    copied = []
    for lesson in sorted(p for p in lessons.iterdir() if p.is_dir() and p.name not in COURSE_WORK_FILES):
        if (target / lesson.name).exists():
            continue
        shutil.copytree(lesson, target / lesson.name, ignore=shutil.ignore_patterns(*COURSE_WORK_FILES))
        _chown_tree(target / lesson.name, account)
        copied.append(lesson.name)
    return copied


def install_course(teacher: str, target: str | Path | None = None, source: str | Path | None = None) -> Path:
    """Copy the course to ``teacher``'s course folder, owned by them and closed to others.

    Parameters
    ----------
    teacher : str
        The teacher's Unix account.
    target : path, optional
        Where the course goes (default: :func:`course_dir` of ``teacher``).
    source : path, optional
        The course to copy (default: this repository's ``course/``); nbgrader working files
        (:data:`COURSE_WORK_FILES`) and assignments fetched while trying it out are left out.

    Raises
    ------
    ValueError
        If ``teacher`` does not exist, ``source`` is not a course or ``target`` already exists.
    """
    account = _account(teacher)
    target = Path(target) if target is not None else course_dir(teacher)
    source = Path(source) if source is not None else REPO / "course"
    if not (source / "assignments" / "nbgrader_config.py").is_file():
        raise ValueError(f"{source} 不是课程目录（里面应该有 assignments/nbgrader_config.py）。")
    if target.exists():
        raise ValueError(f"{target} 已经存在，没有覆盖（里面可能有成绩库和学生的作业）。")
    released = {p.name for p in (source / "assignments" / "release").iterdir() if p.is_dir()}

    def ignore(folder: str, names: list[str]) -> set[str]:
        skipped = COURSE_WORK_FILES & set(names)
        if Path(folder) == source:  # course/<assignment>/ fetched by a teacher trying make lab
            skipped |= released & set(names)
        return skipped

    shutil.copytree(source, target, ignore=ignore)
    _chown_tree(target, account)
    target.chmod(0o700)  # students cannot even list it: source/, gradebook.db, submitted/
    return target


def main(argv: list[str] | None = None) -> None:
    values = settings()
    parser = argparse.ArgumentParser(description="准备机房服务器：交换目录、学生用户组、老师的课程目录。")
    parser.add_argument("--teacher", default=values["CRM_HUB_TEACHERS"].split()[0], help="老师的登录名")
    args = parser.parse_args(argv)
    if os.geteuid() != 0:
        raise SystemExit("请用 root 运行（sudo）：要创建 /srv 下的目录、用户组，并把课程目录交给老师账号。")
    exchange = prepare_exchange(values["CRM_COURSE_EXCHANGE"])
    print(f"交换目录：{exchange}（所有人可写）")
    group = values["CRM_HUB_STUDENT_GROUP"]
    print(f"学生用户组 {group}：" + ("已创建" if create_group(group) else "已经存在"))
    try:
        target = install_course(args.teacher)
        print(f"课程目录：{target}（只有 {args.teacher} 能读写）")
    except ValueError as error:
        raise SystemExit(str(error)) from None


if __name__ == "__main__":
    main()
