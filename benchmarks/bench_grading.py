"""Grading a class: ``crm-course grade`` (parallel workers) against nbgrader's serial ``autograde``.

    python benchmarks/bench_grading.py                    # a class of 40 (make bench), 5-8 min on 2 cores
    python benchmarks/bench_grading.py --class-size 8     # quick look, about 1-2 min

Targets (2 cores): a class of 40 graded in ≤ 0.55× the time of nbgrader's serial
``autograde`` on the same submissions; two endless loops in the class add ≤ 25 % to the total.

Each figure is wall-clock time of the command a teacher types, in a fresh temporary copy of
the course (``course/assignments``) with a practice class from :mod:`crm_course.practice`:

1. ``nbgrader autograde ps03_service_kpis`` (serial, the course's 60 s cell timeout);
2. ``crm-course grade ps03_service_kpis`` on the same submissions, first run (includes the
   reference run of the instructor version that sets the time budget);
3. the same class with two students' answers replaced by ``while True: pass``, graded by
   ``crm-course grade`` (nbgrader's serial run would spend the full 60 s cell timeout on each);
4. ``crm-course grade`` again with nothing changed (only the check that nothing is new).
"""

from __future__ import annotations

import argparse
import os
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from crm_course.course import nbgrader_env
from crm_course.practice import copy_course, write_class_zip

REPO = Path(__file__).resolve().parent.parent
COURSE_DIR = REPO / "course" / "assignments"
BIN = Path(sys.executable).parent


def timed(args: list[str], cwd: Path, env: dict[str, str]) -> float:
    """Seconds the command took; raises with its output when it fails.

    Also prints the CPU seconds it used (with its worker processes and kernels) and the load
    average: on a shared machine other people's work takes cores away from the workers.
    """
    cpu_before = _children_cpu()
    start = time.perf_counter()
    proc = subprocess.run(args, cwd=cwd, env=env, capture_output=True, text=True, encoding="utf-8")
    seconds = time.perf_counter() - start
    if proc.returncode != 0:
        raise RuntimeError(f"{' '.join(args)} failed:\n{proc.stdout[-2000:]}\n{proc.stderr[-2000:]}")
    LAST["cpu"] = _children_cpu() - cpu_before
    LAST["load"] = os.getloadavg()[0]
    return seconds


LAST: dict[str, float] = {}


def _children_cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def _cpu_note() -> str:
    return f"（CPU {LAST['cpu']:.0f} s，1 分钟负载 {LAST['load']:.1f}）"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--class-size", type=int, default=40)
    parser.add_argument("--assignment", default="ps03_service_kpis")
    parser.add_argument(
        "--workers", type=int, default=None, help="crm-course grade --workers (default: cores + 1)"
    )
    args = parser.parse_args()
    a = args.assignment
    env = nbgrader_env()
    workers = ["--workers", str(args.workers)] if args.workers else []
    print(f"== 评一个班：{args.class_size} 人，作业 {a}，{os.cpu_count()} 个 CPU 核 ==", flush=True)

    with tempfile.TemporaryDirectory(prefix="bench_grading_") as tmp:
        work = Path(tmp)
        env["JUPYTER_CONFIG_DIR"] = str(work / "jupyter_config")  # ignore ~/.jupyter
        plain = write_class_zip(COURSE_DIR, a, args.class_size, work / "class.zip")
        loops = write_class_zip(COURSE_DIR, a, args.class_size, work / "class_loops.zip", endless=2)
        crm = str(BIN / "crm-course")

        serial = copy_course(COURSE_DIR, work / "serial")
        timed([crm, "collect", a, str(plain)], serial, env)
        timed([sys.executable, "-m", "nbgrader", "generate_assignment", a, "--force"], serial, env)
        t_serial = timed([sys.executable, "-m", "nbgrader", "autograde", a], serial, env)
        print(f"nbgrader autograde（串行）:            {t_serial:7.1f} s  {_cpu_note()}", flush=True)

        parallel = copy_course(COURSE_DIR, work / "parallel")
        timed([crm, "collect", a, str(plain)], parallel, env)
        timed([sys.executable, "-m", "nbgrader", "generate_assignment", a, "--force"], parallel, env)
        t_parallel = timed([crm, "grade", a, *workers], parallel, env)
        ratio = t_parallel / t_serial
        print(
            f"crm-course grade（并行，含参考运行）:  {t_parallel:7.1f} s  = {ratio:.2f}× 串行  [target ≤ 0.55×]"
            f"  {_cpu_note()}",
            flush=True,
        )
        t_again = timed([crm, "grade", a, *workers], parallel, env)
        print(f"crm-course grade 再运行（没有新提交）:  {t_again:7.1f} s", flush=True)

        looping = copy_course(COURSE_DIR, work / "loops")
        timed([crm, "collect", a, str(loops)], looping, env)
        timed([sys.executable, "-m", "nbgrader", "generate_assignment", a, "--force"], looping, env)
        t_loops = timed([crm, "grade", a, *workers], looping, env)
        extra = t_loops / t_parallel - 1
        print(
            f"crm-course grade，班里有 2 个死循环:    {t_loops:7.1f} s  = +{100 * extra:.0f} %  [target ≤ +25 %]"
            f"  {_cpu_note()}\n  （nbgrader 串行要为每个死循环等满 60 s 的单元格时限）",
            flush=True,
        )


if __name__ == "__main__":
    main()
