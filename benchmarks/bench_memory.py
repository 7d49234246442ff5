"""Memory per student on a computer-room server, and the sizing that follows.

For every lesson (``course/lessons/*/*.ipynb``) and every homework (the teacher's version
from ``course/assignments/source/``, i.e. a student who has answered everything), a fresh
``python3`` kernel of this environment runs the notebook top to bottom, the way a student
presses "运行全部"; then the kernel's memory is read:

* RSS: resident memory as ``top`` shows it (shared libraries counted in full);
* USS: memory only this process uses, what each extra student really adds (the shared
  libraries' code pages are shared between all students' kernels).

The kernel's CPU time for the whole notebook is reported too.  Then a JupyterLab server of
this environment (the same server and extensions ``jupyterhub-singleuser`` runs, without the
hub) is started on 127.0.0.1 in a temporary home, its /lab page and Assignment List are
requested, and its memory is read the same way.

Run::

    .venv/bin/python benchmarks/bench_memory.py
    .venv/bin/python benchmarks/bench_memory.py --students 40
"""

from __future__ import annotations

import argparse
import json
import math
import os
import shutil
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from dataclasses import dataclass
from pathlib import Path

import nbformat
import psutil
from jupyter_client.manager import KernelManager
from nbclient import NotebookClient

ROOT = Path(__file__).resolve().parents[1]
MIB = 1024 * 1024
TOKEN = "bench-memory"


@dataclass
class Measure:
    """Memory (MiB) and CPU time (s) of one process after a piece of work."""

    name: str
    rss: float
    uss: float
    cpu: float
    seconds: float


def _read(process: psutil.Process, name: str, seconds: float) -> Measure:
    family = [process, *process.children(recursive=True)]
    infos = [p.memory_full_info() for p in family]
    cpu = sum(sum(p.cpu_times()[:2]) for p in family)
    return Measure(name, sum(i.rss for i in infos) / MIB, sum(i.uss for i in infos) / MIB, cpu, seconds)


def run_in_new_kernel(path: Path, timeout: int = 600) -> tuple[KernelManager, float]:
    """Start a kernel in the notebook's folder, run every cell; return it (still running) and the time."""
    manager = KernelManager(kernel_name="python3")
    manager.start_kernel(cwd=str(path.parent), stderr=subprocess.DEVNULL)
    try:
        client = NotebookClient(
            nbformat.read(path, as_version=4),
            km=manager,
            timeout=timeout,
            allow_errors=False,
            resources={"metadata": {"path": str(path.parent)}},
        )
        started = time.perf_counter()
        client.execute()  # uses the running kernel and leaves it running
        return manager, time.perf_counter() - started
    except BaseException:
        manager.shutdown_kernel(now=True)
        raise


def _kernel_process(manager: KernelManager) -> psutil.Process:
    return psutil.Process(manager.provisioner.process.pid)


def measure_notebook(path: Path, name: str) -> Measure:
    """Run ``path`` in a fresh kernel (working folder: the notebook's) and measure the kernel."""
    manager, elapsed = run_in_new_kernel(path)
    try:
        return _read(_kernel_process(manager), name, elapsed)
    finally:
        manager.shutdown_kernel(now=True)


def shared_kernel_pss(path: Path, count: int = 3) -> float:
    """Average PSS (MiB) of ``count`` kernels that all ran ``path``: each one's fair share.

    With several students on one server the libraries' code pages are shared; PSS splits
    shared pages between the processes that map them, so it is what one more kernel costs.
    """
    managers = []
    try:
        for _ in range(count):
            managers.append(run_in_new_kernel(path)[0])
        return sum(_kernel_process(m).memory_full_info().pss for m in managers) / count / MIB
    finally:
        for manager in managers:
            manager.shutdown_kernel(now=True)


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def measure_server() -> Measure:
    """A JupyterLab server of this environment after its /lab page and Assignment List."""
    home = Path(tempfile.mkdtemp(prefix="bench-memory-"))
    course = Path(
        shutil.copytree(ROOT / "course", home / "course", ignore=shutil.ignore_patterns("exchange"))
    )
    env = {k: v for k, v in os.environ.items() if not k.startswith(("JUPYTER", "JPY_"))}
    env.update(HOME=str(home), PATH=f"{Path(sys.executable).parent}{os.pathsep}{env.get('PATH', '')}")
    port = _free_port()
    base = f"http://127.0.0.1:{port}"
    server = subprocess.Popen(
        [sys.executable, "-m", "jupyterlab", "--no-browser", "--ip=127.0.0.1", f"--port={port}",
         f"--IdentityProvider.token={TOKEN}", "--allow-root"],
        cwd=course, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
    )  # fmt: skip
    try:
        started = time.perf_counter()
        deadline = time.monotonic() + 120
        while True:
            try:
                urllib.request.urlopen(f"{base}/api/status?token={TOKEN}", timeout=5).read()
                break
            except OSError:
                if server.poll() is not None or time.monotonic() > deadline:
                    raise RuntimeError("jupyter lab did not start") from None
                time.sleep(0.3)
        for path in ("/lab", "/assignments?course_id=crm_course", "/api/contents/lessons"):
            urllib.request.urlopen(
                f"{base}{path}{'&' if '?' in path else '?'}token={TOKEN}", timeout=60
            ).read()
        elapsed = time.perf_counter() - started
        return _read(psutil.Process(server.pid), "JupyterLab server (no hub, same extensions)", elapsed)
    finally:
        server.kill()  # a throw-away server with nothing to save
        server.wait()
        shutil.rmtree(home, ignore_errors=True)


def sizing(server: Measure, kernels: list[Measure], students: int) -> dict[str, float]:
    """RAM and cores for ``students`` working at the same time.

    Each student: one server and two kernels (a lesson and a homework open together), each
    kernel at the largest USS measured; plus 30 % headroom (plots, their own experiments) and
    2 GiB for the system, the hub and the teacher.  Cores: everyone presses 运行全部 on the
    heaviest notebook within the same minute.
    """
    biggest = max(k.uss for k in kernels)
    per_student = server.uss + 2 * biggest
    ram_gib = (students * per_student * 1.3 + 2048) / 1024
    heaviest_cpu = max(k.cpu for k in kernels)
    cores = students * heaviest_cpu / 60
    return {
        "per_student_mib": per_student,
        "ram_gib": ram_gib,
        "heaviest_cpu_s": heaviest_cpu,
        "cores_for_one_minute": cores,
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--students", type=int, default=50)
    args = parser.parse_args()

    print(f"python {sys.version.split()[0]}, {psutil.cpu_count()} cores, {time.strftime('%Y-%m-%d %H:%M')}")
    kernels = []
    for path in sorted((ROOT / "course" / "lessons").glob("*/*.ipynb")):
        kernels.append(measure_notebook(path, f"lesson {path.stem}"))
    for path in sorted((ROOT / "course" / "assignments" / "source").glob("*/*.ipynb")):
        kernels.append(measure_notebook(path, f"homework {path.stem} (answered)"))
    server = measure_server()
    heaviest = max(kernels, key=lambda m: m.uss)
    heaviest_path = next(
        p
        for p in (ROOT / "course").glob("**/*.ipynb")
        if p.stem in heaviest.name and "release" not in p.parts
    )
    pss = shared_kernel_pss(heaviest_path)

    print(f"\n{'after running':<44} {'RSS MiB':>8} {'USS MiB':>8} {'CPU s':>7} {'wall s':>7}")
    for m in [*kernels, server]:
        print(f"{m.name:<44} {m.rss:>8.0f} {m.uss:>8.0f} {m.cpu:>7.1f} {m.seconds:>7.1f}")
    print(f"{heaviest.name}: 3 kernels side by side, PSS (fair share) per kernel {pss:.0f} MiB")
    size = sizing(server, kernels, args.students)
    print(
        f"\nper student (server + 2 kernels at the largest USS): {size['per_student_mib']:.0f} MiB"
        f"\n{args.students} students: RAM ≈ {size['ram_gib']:.1f} GiB (+30 % headroom, +2 GiB system)"
        f"\nheaviest notebook: {size['heaviest_cpu_s']:.1f} CPU-s → {args.students} students pressing "
        f"运行全部 within one minute need ≈ {math.ceil(size['cores_for_one_minute'])} cores"
    )
    print(
        json.dumps(
            {
                "kernels_uss": {m.name: round(m.uss) for m in kernels},
                "server_uss": round(server.uss),
                "pss": round(pss),
            }
        )
    )


if __name__ == "__main__":
    main()
