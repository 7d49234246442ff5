"""The nbgrader course folder as the teacher's tools see it.

课程目录（nbgrader 的 course root，含 ``nbgrader_config.py``）：在哪里、怎样在子进程里
运行 nbgrader（把本环境的 ``bin/`` 放到 PATH 上，nbgrader 建成绩库时要调用 ``alembic``）、
每份作业有哪些评分单元格、每题对应课上的哪一节（``lesson_sections.csv``）。

教师工具自己的文件都在课程目录里：

* ``teacher/originals/`` 学生交来的原始文件（原样保存，从不改动、从不覆盖）
* ``teacher/records.json`` 收作业与评分记录（提交文件的哈希、状态、原因）
* ``teacher/logs/`` 每次评分的 nbgrader 日志
* ``export/`` 发给学生或上传到教学平台的文件：成绩表、反馈压缩包、班级报告
"""

from __future__ import annotations

import contextlib
import csv
import dataclasses
import hashlib
import json
import os
import subprocess
import sys
import warnings
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from .cells import nbgrader_meta

__all__ = [
    "Course",
    "GradedItem",
    "hash_files",
    "nbgrader_env",
]

CONFIG_NAME = "nbgrader_config.py"
SECTIONS_FILE = "lesson_sections.csv"


def hash_files(paths: list[Path]) -> str:
    """SHA-256 over the names and bytes of ``paths`` (order-independent)."""
    digest = hashlib.sha256()
    for path in sorted(paths):
        digest.update(path.name.encode())
        digest.update(path.read_bytes())
    return digest.hexdigest()


def nbgrader_env(base: dict[str, str] | None = None) -> dict[str, str]:
    """Environment for nbgrader subprocesses: this interpreter's ``bin/`` first on PATH.

    nbgrader runs ``alembic`` by name when it creates a gradebook, so a teacher who calls
    ``.venv/bin/crm-course`` without activating the environment still gets a working nbgrader.
    """
    env = dict(os.environ if base is None else base)
    bindir = str(Path(sys.executable).parent)
    parts = env.get("PATH", "").split(os.pathsep)
    if bindir not in parts:
        env["PATH"] = os.pathsep.join([bindir, *[p for p in parts if p]])
    env.setdefault("PYDEVD_DISABLE_FILE_VALIDATION", "1")
    return env


@dataclasses.dataclass(frozen=True)
class GradedItem:
    """One graded cell of an assignment: an autograder test cell or a 简答 (manual) answer."""

    notebook: str
    grade_id: str
    manual: bool
    points: float
    title: str = ""
    lesson: str = ""
    section: str = ""

    @property
    def label(self) -> str:
        """Short Chinese label for tables: the question title, else the grade_id."""
        return self.title or self.grade_id


class Course:
    """An nbgrader course folder (the directory holding ``nbgrader_config.py``).

    Parameters
    ----------
    root
        The course folder. :meth:`find` locates it from the current directory.
    """

    def __init__(self, root: str | os.PathLike) -> None:
        self.root = Path(root).resolve()
        if not (self.root / CONFIG_NAME).is_file():
            raise ValueError(
                f"{self.root} 不是 nbgrader 课程目录：里面没有 {CONFIG_NAME}（not a course folder）"
            )

    # -- locating ---------------------------------------------------------------------------
    @classmethod
    def find(cls, start: str | os.PathLike | None = None) -> Course:
        """The course folder at or above ``start`` (``course/`` also leads to ``course/assignments/``)."""
        here = Path(start or os.getcwd()).resolve()
        for folder in (here, *here.parents):
            for candidate in (folder, folder / "assignments", folder / "course" / "assignments"):
                if (candidate / CONFIG_NAME).is_file() and (candidate / "source").is_dir():
                    return cls(candidate)
        raise ValueError(
            f"在 {here} 及其上级目录里找不到课程目录（含 {CONFIG_NAME} 和 source/ 的文件夹）；"
            "请在 course/assignments/ 里运行，或用 --course 指定 (course folder not found)"
        )

    # -- folders ------------------------------------------------------------------------------
    @property
    def teacher_dir(self) -> Path:
        return self.root / "teacher"

    @property
    def export_dir(self) -> Path:
        return self.root / "export"

    @property
    def db_path(self) -> Path:
        return self.root / "gradebook.db"

    def submitted(self, student: str, assignment: str) -> Path:
        """``submitted/<学号>/<作业>/<作业>.ipynb``."""
        return self.root / "submitted" / student / assignment / f"{assignment}.ipynb"

    def autograded(self, student: str, assignment: str, notebook: str | None = None) -> Path:
        return self.root / "autograded" / student / assignment / f"{notebook or assignment}.ipynb"

    def feedback_html(self, student: str, assignment: str, notebook: str | None = None) -> Path:
        return self.root / "feedback" / student / assignment / f"{notebook or assignment}.html"

    def submitted_students(self, assignment: str) -> list[str]:
        """学号 of every ``submitted/<学号>/<作业>/<作业>.ipynb``."""
        pattern = f"*/{assignment}/{assignment}.ipynb"
        return sorted(p.parent.parent.name for p in (self.root / "submitted").glob(pattern))

    def submission_hash(self, student: str, assignment: str) -> str:
        """SHA-256 of everything in ``submitted/<学号>/<作业>/`` (names and bytes)."""
        folder = self.submitted(student, assignment).parent
        return hash_files([p for p in folder.rglob("*") if p.is_file()])

    def roster(self) -> dict[str, str]:
        """学号 → 姓名 of every known student (collect records and the gradebook)."""
        names = dict(self.load_records().get("students", {}))
        if self.db_path.exists():
            with self.gradebook() as gb:
                for student in gb.students:
                    name = f"{student.last_name or ''}{student.first_name or ''}"
                    if name or student.id not in names:
                        names[student.id] = names.get(student.id) or name
        return names

    def assignments(self) -> list[str]:
        """Assignment names: the folders in ``source/``."""
        return sorted(
            p.name for p in (self.root / "source").iterdir() if p.is_dir() and not p.name.startswith(".")
        )

    def check_assignment(self, assignment: str) -> str:
        """``assignment`` if ``source/<assignment>/`` exists, else a Chinese ValueError."""
        names = self.assignments()
        if assignment not in names:
            raise ValueError(f"没有作业 {assignment!r}；source/ 里的作业有：{'、'.join(names) or '（没有）'}")
        return assignment

    def source_notebooks(self, assignment: str) -> dict[str, Any]:
        """The instructor notebooks of an assignment, read with nbformat."""
        import nbformat

        folder = self.root / "source" / self.check_assignment(assignment)
        return {p.stem: nbformat.read(p, as_version=4) for p in sorted(folder.glob("*.ipynb"))}

    # -- records ------------------------------------------------------------------------------
    def load_records(self) -> dict[str, Any]:
        """``teacher/records.json`` (empty structure when there is none yet)."""
        path = self.teacher_dir / "records.json"
        if not path.is_file():
            return {"students": {}, "assignments": {}}
        return json.loads(path.read_text(encoding="utf-8"))

    def save_records(self, records: dict[str, Any]) -> None:
        """Write the records atomically (a crash never leaves half a file)."""
        self.teacher_dir.mkdir(parents=True, exist_ok=True)
        path = self.teacher_dir / "records.json"
        tmp = path.with_suffix(".tmp")
        tmp.write_text(json.dumps(records, ensure_ascii=False, indent=1, sort_keys=True), encoding="utf-8")
        os.replace(tmp, path)

    # -- nbgrader -----------------------------------------------------------------------------
    def env(self) -> dict[str, str]:
        return nbgrader_env()

    def run_nbgrader(self, args: list[str], check: bool = True) -> subprocess.CompletedProcess:
        """``python -m nbgrader ARGS`` in the course folder; Chinese error with the log on failure."""
        proc = subprocess.run(
            [sys.executable, "-m", "nbgrader", *args],
            cwd=self.root,
            env=self.env(),
            capture_output=True,
            text=True,
            encoding="utf-8",
            errors="replace",
        )
        if check and proc.returncode != 0:
            raise RuntimeError(
                f"nbgrader {' '.join(args)} 失败（exit {proc.returncode}）：\n{proc.stdout[-3000:]}{proc.stderr[-3000:]}"
            )
        return proc

    def config(self) -> Any:
        """The course's nbgrader configuration (traitlets Config)."""
        from traitlets.config.loader import PyFileConfigLoader

        return PyFileConfigLoader(CONFIG_NAME, path=str(self.root)).load_config()

    def course_id(self) -> str:
        return str(self.config().CourseDirectory.get("course_id", "default_course"))

    @contextlib.contextmanager
    def gradebook(self) -> Iterator[Any]:
        """nbgrader's Gradebook on ``gradebook.db`` (SQLAlchemy warnings silenced)."""
        os.environ["PATH"] = nbgrader_env()["PATH"]  # Gradebook() may call alembic
        from nbgrader.api import Gradebook

        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            with Gradebook(f"sqlite:///{self.db_path}", self.course_id()) as gb:
                yield gb

    def ensure_in_gradebook(self, assignment: str, refresh: bool = False) -> None:
        """Register the assignment's notebooks and grade cells in the gradebook if needed.

        Runs ``nbgrader generate_assignment`` (always when ``refresh``: the instructor version
        changed) with its output in ``teacher/release_check/`` so the committed ``release/``
        folder is never rewritten.
        """
        from nbgrader.api import MissingEntry

        if self.db_path.exists() and not refresh:
            with self.gradebook() as gb:
                try:
                    if gb.find_assignment(assignment).notebooks:
                        return
                except MissingEntry:
                    pass
        out = self.teacher_dir / "release_check"
        self.run_nbgrader(
            ["generate_assignment", assignment, "--force", f"--CourseDirectory.release_directory={out}"]
        )

    # -- assignment structure -----------------------------------------------------------------
    def lesson_sections(self, assignment: str) -> dict[str, dict[str, str]]:
        """``grade_id → {题目, 课, 小节}`` from ``lesson_sections.csv`` (empty if absent)."""
        path = self.root / SECTIONS_FILE
        if not path.is_file():
            return {}
        with path.open(encoding="utf-8-sig", newline="") as fh:
            return {row["grade_id"]: row for row in csv.DictReader(fh) if row.get("作业") == assignment}

    def graded_items(self, assignment: str) -> list[GradedItem]:
        """Every graded cell of the assignment, in notebook order, with its lesson section."""
        sections = self.lesson_sections(assignment)
        items = []
        for name, nb in self.source_notebooks(assignment).items():
            for cell in nb.cells:
                meta = nbgrader_meta(cell)
                if not meta.get("grade"):
                    continue
                gid = meta["grade_id"]
                row = sections.get(gid, {})
                items.append(
                    GradedItem(
                        notebook=name,
                        grade_id=gid,
                        manual=bool(meta.get("solution")),
                        points=float(meta.get("points", 0)),
                        title=row.get("题目", ""),
                        lesson=row.get("课", ""),
                        section=row.get("小节", ""),
                    )
                )
        return items
