"""``crm-course grade``: autograde exactly what is new or changed, on every core.

评分：只评新交的或改过的提交（按提交文件的哈希和上次评分的记录比较），几个进程同时评
（每个进程里就是 nbgrader 自己的 ``autograde``，成绩照样写进 ``gradebook.db``），显示进度，
最后用中文总结：已评分 / 评分失败（文件损坏、文件名不对、超时……）/ 未交。

时间预算（防止死循环拖住全班）：

* 第一次评某份作业时，先在临时目录里把教师版（``source/``）完整运行一遍，记下最慢的那个
  单元格用了多少秒、整本用了多少秒（“参考运行”，结果按教师版的哈希缓存）。
* 每个单元格的时限 = 5 × 最慢单元格 + 3 秒，不少于 5 秒，不超过 ``nbgrader_config.py`` 里的
  ``Execute.timeout``（60 秒）。超时的单元格被中断、那道题记 0 分，后面的题照常评分。
* 每本笔记本的总预算 = 5 × 参考总时长 + 2 × 单元格时限；用完以后剩下的每个单元格最多再给
  1 秒。于是一个死循环最多耽误一个单元格时限，不管学生写了几个死循环，一本笔记本也不会
  超过总预算太多。
"""

from __future__ import annotations

import concurrent.futures as cf
import contextlib
import dataclasses
import datetime as dt
import math
import multiprocessing
import os
import shutil
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

from traitlets import Float

from .cells import nbgrader_meta
from .course import Course, hash_files, nbgrader_env

__all__ = [
    "BudgetedExecute",
    "GradeReport",
    "TimeBudget",
    "default_workers",
    "grade",
    "reference_run",
    "time_budget",
]

CELL_FACTOR = 5.0
CELL_MARGIN = 3.0
MIN_CELL_TIMEOUT = 5
NOTEBOOK_FACTOR = 5.0

try:
    from nbgrader.preprocessors import Execute as _Execute
except ImportError:  # pragma: no cover - nbgrader comes with the classroom extra
    _Execute = object  # type: ignore[assignment,misc]


class BudgetedExecute(_Execute):  # type: ignore[misc,valid-type]
    """nbgrader's ``Execute`` with a total time budget per notebook on top of the cell timeout.

    Each cell gets ``min(timeout, what is left of notebook_budget)`` seconds, at least 1.
    """

    notebook_budget = Float(0.0, help="整本笔记本的时间预算（秒），0 表示不限").tag(config=True)

    def preprocess(self, nb: Any, resources: Any = None, km: Any = None) -> Any:
        self._crm_started = time.monotonic()
        return super().preprocess(nb, resources, km=km)

    def _get_timeout(self, cell: Any) -> int | None:
        timeout = super()._get_timeout(cell)
        if not self.notebook_budget or timeout is None:
            return timeout
        left = self.notebook_budget - (time.monotonic() - getattr(self, "_crm_started", time.monotonic()))
        return max(1, min(timeout, math.ceil(left)))


@dataclasses.dataclass(frozen=True)
class TimeBudget:
    """Per-cell timeout and per-notebook budget (seconds), derived from the reference run."""

    cell_timeout: int
    notebook_budget: float
    reference_total: float
    reference_slowest: float


def time_budget(slowest: float, total: float, ceiling: int) -> TimeBudget:
    """The budget for a reference run whose slowest cell took ``slowest`` s, all cells ``total`` s.

    Examples
    --------
    >>> time_budget(1.2, 3.0, 60)
    TimeBudget(cell_timeout=9, notebook_budget=33.0, reference_total=3.0, reference_slowest=1.2)
    """
    cell = int(min(ceiling, max(MIN_CELL_TIMEOUT, math.ceil(CELL_FACTOR * slowest + CELL_MARGIN))))
    return TimeBudget(
        cell_timeout=cell,
        notebook_budget=round(NOTEBOOK_FACTOR * total + 2 * cell, 1),
        reference_total=round(total, 2),
        reference_slowest=round(slowest, 2),
    )


def source_hash(course: Course, assignment: str) -> str:
    """Hash of the instructor version (notebooks and data files)."""
    folder = course.root / "source" / assignment
    return hash_files([p for p in folder.rglob("*") if p.is_file() and ".ipynb_checkpoints" not in p.parts])


def reference_run(course: Course, assignment: str) -> dict[str, float]:
    """Run the instructor notebooks once in a temporary folder; slowest cell and total seconds."""
    import nbformat
    from nbclient import NotebookClient

    slowest = total = 0.0
    with tempfile.TemporaryDirectory(prefix="crm_course_reference_") as tmp:
        work = Path(tmp) / assignment
        shutil.copytree(course.root / "source" / assignment, work)
        for path in sorted(work.glob("*.ipynb")):
            nb = nbformat.read(path, as_version=4)
            client = NotebookClient(
                nb,
                timeout=int(course.config().Execute.get("timeout", 60)),
                allow_errors=True,
                record_timing=True,
                resources={"metadata": {"path": str(work)}},
            )
            client.execute()
            for cell in nb.cells:
                timing = cell.get("metadata", {}).get("execution", {})
                if "iopub.execute_input" in timing and "shell.execute_reply" in timing:
                    start = dt.datetime.fromisoformat(timing["iopub.execute_input"].replace("Z", "+00:00"))
                    end = dt.datetime.fromisoformat(timing["shell.execute_reply"].replace("Z", "+00:00"))
                    seconds = (end - start).total_seconds()
                    slowest = max(slowest, seconds)
                    total += seconds
    return {"slowest": slowest, "total": total}


def budget_for(course: Course, assignment: str, records: dict[str, Any]) -> TimeBudget:
    """The cached budget, or a fresh reference run when the instructor version changed."""
    book = records.setdefault("assignments", {}).setdefault(assignment, {})
    digest = source_hash(course, assignment)
    ref = book.get("reference", {})
    if ref.get("source_hash") != digest:
        ref = {"source_hash": digest, **reference_run(course, assignment)}
        book["reference"] = ref
    ceiling = int(course.config().Execute.get("timeout", 60))
    return time_budget(ref["slowest"], ref["total"], ceiling)


# ---------------------------------------------------------------------------------------
# Worker processes
# ---------------------------------------------------------------------------------------

_WORKER: dict[str, Any] = {}


BACKUPS_KEPT = 5


def _backup_gradebook(course: Course) -> Path | None:
    """A consistent copy of ``gradebook.db`` in ``teacher/backups/`` before the workers write.

    The workers write without waiting for the disk (:func:`_fast_gradebook_writes`); should the
    computer lose power in the middle of a grading run, this copy still has every grade given
    before it, the teacher's 简答 scores and comments included.  The newest
    :data:`BACKUPS_KEPT` copies are kept.
    """
    import sqlite3

    if not course.db_path.exists():
        return None
    folder = course.teacher_dir / "backups"
    folder.mkdir(parents=True, exist_ok=True)
    target = folder / f"gradebook_{dt.datetime.now():%Y%m%d-%H%M%S-%f}.db"
    with contextlib.closing(sqlite3.connect(course.db_path, timeout=120)) as source:
        with contextlib.closing(sqlite3.connect(target)) as copy:
            source.backup(copy)
    for old in sorted(folder.glob("gradebook_*.db"))[:-BACKUPS_KEPT]:
        old.unlink()
    return target


def _flush_gradebook(course: Course) -> None:
    """Make everything the workers wrote durable (one fsync of the database file at the end)."""
    if course.db_path.exists():
        with open(course.db_path, "rb+") as handle:
            os.fsync(handle.fileno())


def _fast_gradebook_writes() -> None:
    """``synchronous=OFF`` for every SQLite connection this worker process opens.

    nbgrader commits once per graded cell, and by default SQLite waits for the disk at every
    commit (fsync): about 0.2 s per notebook here, while the cores sit idle.  Without the wait
    a crash of the program still loses nothing (the rollback journal is written as usual, and
    locking between the workers is unchanged); only a power cut during grading could damage
    the file, which is why :func:`grade` keeps a copy from before the run
    (:func:`_backup_gradebook`) and syncs the file once when the run ends (:func:`_flush_gradebook`).
    """
    from sqlalchemy import event
    from sqlalchemy.engine import Engine

    def pragmas(dbapi_connection: Any, _record: Any) -> None:
        if type(dbapi_connection).__module__.startswith("sqlite3"):
            cursor = dbapi_connection.cursor()
            cursor.execute("PRAGMA synchronous=OFF")
            cursor.close()

    event.listen(Engine, "connect", pragmas)


def _worker_init(root: str, assignment: str) -> None:
    """Set up nbgrader once per worker process (config loaded, API built).

    It runs while the main process is still doing the reference run, so the workers are ready
    when the time budget is known; the budget comes with each task (:func:`_worker_grade`).
    """
    os.environ.update(nbgrader_env())
    os.chdir(root)
    # kernels inherit this process's stderr: their start-up warnings go to a log, not the progress bar
    log_dir = Path(root) / "teacher" / "logs" / assignment
    log_dir.mkdir(parents=True, exist_ok=True)
    kernel_log = os.open(
        log_dir / f"kernels_{os.getpid()}.log", os.O_WRONLY | os.O_CREAT | os.O_APPEND, 0o644
    )
    os.dup2(kernel_log, 2)
    import logging

    from nbgrader.apps.api import NbGraderAPI
    from nbgrader.coursedir import CourseDirectory
    from nbgrader.preprocessors import Execute

    course = Course(root)
    config = course.config()
    config.CourseDirectory.root = root
    # concurrent writers wait for the sqlite lock instead of failing after 5 s
    config.CourseDirectory.db_url = f"sqlite:///{course.db_path}?timeout=120"
    from nbgrader.converters import Autograde

    default = Autograde.class_traits()["autograde_preprocessors"].default()
    config.Autograde.autograde_preprocessors = [
        BudgetedExecute if pp is Execute else pp
        for pp in config.Autograde.get("autograde_preprocessors", default)
    ]
    coursedir = CourseDirectory(config=config)
    api = NbGraderAPI(coursedir=coursedir, config=config)
    api.log.setLevel(logging.INFO)
    _fast_gradebook_writes()
    _WORKER.update(api=api, assignment=assignment)


def default_workers() -> int:
    """Worker processes by default: one more than the CPU cores.

    A worker keeps a core busy only part of the time: it waits for its kernel to start and to
    run each cell, and for the gradebook.  Measured with ``benchmarks/bench_grading.py`` on 2
    cores and a class of 40 (ps03): 2 workers used the cores 72 % of the time (52 CPU-seconds
    in 36 s); 3 workers graded the class in 29.7 s instead of 36.1 s.
    """
    return (os.cpu_count() or 1) + 1


def _worker_ready() -> int:
    """A task that only makes the pool start its processes (and run their initializer) now."""
    return os.getpid()


def _worker_grade(student: str, budget: TimeBudget) -> dict[str, Any]:
    import warnings

    # every autograde builds its converter from the API's config: this student's limits
    config = _WORKER["api"].config
    config.Execute.timeout = budget.cell_timeout
    config.BudgetedExecute.notebook_budget = budget.notebook_budget
    start = time.perf_counter()
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        result = _WORKER["api"].autograde(_WORKER["assignment"], student, force=True, create=True)
    return {
        "student": student,
        "success": bool(result.get("success")),
        "log": result.get("log", ""),
        "error": result.get("error", ""),
        "seconds": time.perf_counter() - start,
    }


# ---------------------------------------------------------------------------------------
# The command
# ---------------------------------------------------------------------------------------


@dataclasses.dataclass
class GradeReport:
    """Outcome of one ``grade`` run."""

    assignment: str
    budget: TimeBudget
    graded: list[str] = dataclasses.field(default_factory=list)
    timed_out: dict[str, list[str]] = dataclasses.field(default_factory=dict)
    failed: dict[str, str] = dataclasses.field(default_factory=dict)
    unchanged: list[str] = dataclasses.field(default_factory=list)
    missing: list[str] = dataclasses.field(default_factory=list)
    unmatched: dict[str, str] = dataclasses.field(default_factory=dict)  # file → why no student
    seconds: float = 0.0
    workers: int = 1

    def lines(self, names: dict[str, str]) -> list[str]:
        """The Chinese summary."""

        def who(sid: str) -> str:
            return f"{sid} {names.get(sid, '')}".strip()

        b = self.budget
        out = [
            f"评分 {self.assignment}：{self.seconds:.1f} 秒，{self.workers} 个进程；"
            f"单元格时限 {b.cell_timeout} 秒、每本预算 {b.notebook_budget:g} 秒"
            f"（参考运行：最慢单元格 {b.reference_slowest:g} 秒，共 {b.reference_total:g} 秒）",
            f"已评分 {len(self.graded)} 份"
            + (f"（另有 {len(self.unchanged)} 份没有变化，沿用上次成绩）" if self.unchanged else ""),
        ]
        for sid, cells in sorted(self.timed_out.items()):
            out.append(f"  ⏱ {who(sid)}：超时被中断（{'、'.join(cells)}），这些题记 0 分，其余照常评分")
        n_failed = len(self.failed) + len(self.unmatched)
        out.append(f"评分失败 {n_failed} 份" + ("：" if n_failed else ""))
        out += [f"  ✘ {who(sid)}：{reason}" for sid, reason in sorted(self.failed.items())]
        out += [f"  ✘ 文件 {path}：{reason}" for path, reason in sorted(self.unmatched.items())]
        out.append(
            f"未交 {len(self.missing)} 人"
            + ("：" + "、".join(who(s) for s in self.missing) if self.missing else "")
        )
        return out


def _timeouts(course: Course, student: str, assignment: str) -> list[str]:
    """grade_ids (or cell numbers) of cells interrupted by the timeout in the autograded notebook."""
    import nbformat

    found = []
    for path in sorted(course.autograded(student, assignment).parent.glob("*.ipynb")):
        nb = nbformat.read(path, as_version=4)
        for index, cell in enumerate(nb.cells, start=1):
            if any(o.get("ename") == "CellTimeoutError" for o in cell.get("outputs", [])):
                gid = nbgrader_meta(cell).get("grade_id")
                found.append(gid or f"第 {index} 个单元格")
    return found


def _failure_reason(result: dict[str, Any], budget: TimeBudget) -> str:
    text = result["log"] + result["error"]
    if "UnresponsiveKernel" in text or "kernel became unresponsive" in text or "Kernel died" in text:
        return f"超时：内核卡死或崩溃，无法中断（每本预算 {budget.notebook_budget:g} 秒）"
    if "NotJSONError" in text or "JSONDecodeError" in text or "Notebook does not appear to be JSON" in text:
        return "文件损坏：nbgrader 读不了这个笔记本"
    if "ValidationError" in text or "SchemaTooOld" in text or "SchemaTooNew" in text:
        return "文件损坏：笔记本的格式或 nbgrader 信息被改坏了"
    last = [ln for ln in result["error"].strip().splitlines() if ln.strip()][-1:] or ["未知错误"]
    return f"评分出错：{last[0][:200]}（详见 teacher/logs/）"


def _progress(done: int, total: int, started: float, text: str, stream: Any) -> None:
    width = 24
    filled = int(width * done / max(total, 1))
    line = f"评分进度 [{'#' * filled}{'-' * (width - filled)}] {done}/{total}  {time.perf_counter() - started:5.1f} 秒  {text}"
    if stream.isatty():
        stream.write("\r\x1b[K" + line + ("\n" if done == total else ""))
    else:
        stream.write(line + "\n")
    stream.flush()


def grade(
    course: Course,
    assignment: str,
    *,
    workers: int | None = None,
    force: bool = False,
    students: list[str] | None = None,
    progress: Any = None,
) -> GradeReport:
    """Autograde new or changed submissions of ``assignment`` in parallel worker processes.

    Parameters
    ----------
    course, assignment
        The course folder and the assignment to grade.
    workers
        Number of worker processes (default: :func:`default_workers`, one more than the cores).
    force
        Grade every submission again, changed or not.
    students
        Only these 学号 (default: everyone in ``submitted/``).
    progress
        A text stream for the progress bar (default ``sys.stderr``); ``False`` for none.
    """
    started = time.perf_counter()
    course.check_assignment(assignment)
    if workers is not None and workers < 1:
        raise ValueError(f"进程数 workers={workers} 至少是 1")
    records = course.load_records()
    book = records.setdefault("assignments", {}).setdefault(assignment, {})
    digest = source_hash(course, assignment)
    placed = book.setdefault("students", {})

    submitted = course.submitted_students(assignment)
    if students is not None:
        unknown = sorted(set(students) - set(submitted))
        if unknown:
            raise ValueError(f"这些学号在 submitted/ 里没有 {assignment} 的提交：{'、'.join(unknown)}")
        submitted = [s for s in submitted if s in students]
    todo, hashes, unchanged = [], {}, []
    for student in submitted:
        hashes[student] = course.submission_hash(student, assignment)
        rec = placed.get(student, {})
        fresh = (
            rec.get("graded_hash") == hashes[student]
            and rec.get("graded_source") == digest
            and rec.get("status") in ("graded", "failed")
            and (rec.get("status") == "failed" or course.autograded(student, assignment).exists())
        )
        if fresh and not force:
            unchanged.append(student)
        else:
            todo.append(student)

    n_workers = max(1, min(workers or default_workers(), len(todo) or 1))
    stream = sys.stderr if progress is None else progress
    logs = course.teacher_dir / "logs" / assignment
    logs.mkdir(parents=True, exist_ok=True)
    with contextlib.ExitStack() as stack:
        pool = None
        if todo:
            # Start the workers first (fork, before any thread exists here): they load nbgrader
            # while this process does the reference run and the gradebook sync.
            method = "fork" if "fork" in multiprocessing.get_all_start_methods() else "spawn"
            pool = stack.enter_context(
                cf.ProcessPoolExecutor(
                    max_workers=n_workers,
                    mp_context=multiprocessing.get_context(method),
                    initializer=_worker_init,
                    initargs=(str(course.root), assignment),
                )
            )
            ready = [pool.submit(_worker_ready) for _ in range(n_workers)]
        # The reference run (a kernel running the instructor version, when it changed) and the
        # gradebook sync are independent: run them side by side.
        with cf.ThreadPoolExecutor(max_workers=1) as side:
            reference = side.submit(budget_for, course, assignment, records)
            # the gradebook must know the current instructor version (grade cells, points, hidden tests)
            course.ensure_in_gradebook(assignment, refresh=book.get("gradebook_source", digest) != digest)
            book["gradebook_source"] = digest
            budget = reference.result()
        course.save_records(records)
        report = GradeReport(assignment=assignment, budget=budget, unchanged=unchanged, workers=n_workers)
        if pool is not None:
            _backup_gradebook(course)
            cf.wait(ready)
            futures = [pool.submit(_worker_grade, student, budget) for student in todo]
            for done, future in enumerate(cf.as_completed(futures), start=1):
                result = future.result()
                student = result["student"]
                (logs / f"{student}.log").write_text(result["log"] + result["error"], encoding="utf-8")
                rec = placed.setdefault(student, {})
                rec.update(
                    graded_hash=hashes[student], graded_source=digest, seconds=round(result["seconds"], 2)
                )
                rec["graded_at"] = dt.datetime.now().isoformat(timespec="seconds")
                if result["success"]:
                    rec.update(status="graded", failure="", failure_kind="")
                    report.graded.append(student)
                    cells = _timeouts(course, student, assignment)
                    rec["timeouts"] = cells
                    if cells:
                        report.timed_out[student] = cells
                    mark = "✔" if not cells else "⏱"
                else:
                    reason = _failure_reason(result, budget)
                    rec.update(status="failed", failure=reason, failure_kind="grade", timeouts=[])
                    report.failed[student] = reason
                    mark = "✘"
                course.save_records(records)
                if stream:
                    _progress(done, len(todo), started, f"{mark} {student}", stream)

    if todo:
        _flush_gradebook(course)
    names = course.roster()
    for student in report.unchanged:
        rec = placed.get(student, {})
        if rec.get("status") == "failed":
            report.failed[student] = rec.get("failure", "评分失败")
        elif rec.get("timeouts"):
            report.timed_out[student] = rec["timeouts"]
    for student, rec in placed.items():
        if student not in submitted and rec.get("failure"):
            report.failed[student] = rec["failure"]  # collect refused every file this student sent
    report.missing = sorted(s for s in names if s not in submitted and s not in report.failed)
    report.unmatched = dict(book.get("unmatched", {}))
    report.seconds = time.perf_counter() - started
    return report
