"""Generate the student versions of the homework: ``release/`` from ``source/``.

由教师版 ``course/assignments/source/psNN_*/`` 生成学生版 ``release/psNN_*/``（``make release``）。

    python tools/release_assignments.py            # regenerate release/ (写入 release/)
    python tools/release_assignments.py --check    # only compare; exit 1 if release/ is stale

How it works (为什么这样做):

* ``nbgrader generate_assignment "ps*" --force --no-db`` runs in a temporary copy of the
  course (``nbgrader_config.py`` + ``source/``). ``--no-db`` skips the gradebook (the student
  version does not depend on it; the teacher's gradebook is filled when they run
  ``nbgrader generate_assignment`` before grading). The course config derives every path from
  its own location, so even its exchange/ lands in the temporary directory. The repository
  never gains a gradebook.db.
* Determinism: the generated notebooks are re-written through ``nbformat`` (sorted keys,
  one-space indent, Chinese unescaped, final newline), cells without an id get one derived
  from their position instead of nbformat's random one, and user-level Jupyter config is
  ignored (``JUPYTER_CONFIG_DIR`` points to an empty directory). Two runs give identical bytes.
* Other files in ``source/psNN_*/`` (data files) are released byte for byte, as nbgrader does.
* ``--check`` generates into the temporary directory only and lists every release file that
  is missing, different or no longer produced by ``source/``. It passes with 0 assignments.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

import nbformat

REPO = Path(__file__).resolve().parent.parent
DEFAULT_COURSE_DIR = REPO / "course" / "assignments"
ASSIGNMENT_GLOB = "ps*"
# Same names nbgrader skips by default (CourseDirectory.ignore), plus editor/OS clutter.
_IGNORE = shutil.ignore_patterns(
    ".ipynb_checkpoints", "__pycache__", "*.pyc", "feedback", ".DS_Store", "Thumbs.db"
)


def find_assignments(course_dir: Path) -> list[str]:
    """Names of the assignment folders ``source/ps*/`` (sorted)."""
    source = course_dir / "source"
    if not source.is_dir():
        return []
    return sorted(p.name for p in source.glob(ASSIGNMENT_GLOB) if p.is_dir())


def nbgrader_env(workdir: Path) -> dict[str, str]:
    """Environment for running nbgrader in a subprocess.

    nbgrader calls the ``alembic`` executable by name when it creates a gradebook
    (nbgrader/api.py ``get_alembic_version``), so the interpreter's bin directory must be on
    PATH even when the virtual environment is not activated.
    """
    env = dict(os.environ)
    bindir = str(Path(sys.executable).parent)
    env["PATH"] = bindir + os.pathsep + env.get("PATH", "")
    empty_config = workdir / "jupyter_config"
    empty_config.mkdir(exist_ok=True)
    env["JUPYTER_CONFIG_DIR"] = str(empty_config)  # ignore ~/.jupyter/nbgrader_config.py
    env.setdefault("PYDEVD_DISABLE_FILE_VALIDATION", "1")
    return env


def run_nbgrader(args: list[str], cwd: Path, env: dict[str, str]) -> subprocess.CompletedProcess:
    """Run ``python -m nbgrader ARGS`` in ``cwd``; raise with nbgrader's log on failure."""
    proc = subprocess.run(
        [sys.executable, "-m", "nbgrader", *args],
        cwd=cwd,
        env=env,
        capture_output=True,
        text=True,
        encoding="utf-8",
        errors="replace",
    )
    if proc.returncode != 0:
        raise RuntimeError(
            f"nbgrader {' '.join(args)} 失败 / failed (exit {proc.returncode}) in {cwd}:\n"
            f"{proc.stdout}\n{proc.stderr}"
        )
    return proc


def notebook_bytes(nb: nbformat.NotebookNode) -> bytes:
    """The exact bytes ``nbformat.write`` would produce (UTF-8, Chinese unescaped)."""
    text = nbformat.writes(nb)
    if not text.endswith("\n"):
        text += "\n"
    return text.encode("utf-8")


def _give_cells_stable_ids(path: Path) -> None:
    """Give cells that lack an id a deterministic one.

    Read as plain JSON: nbformat.read would already have "repaired" them with random ids.
    """
    raw = json.loads(path.read_text(encoding="utf-8"))
    if (raw.get("nbformat", 0), raw.get("nbformat_minor", 0)) < (4, 5):
        return
    changed = False
    for index, cell in enumerate(raw.get("cells", [])):
        if not cell.get("id"):
            cell["id"] = hashlib.sha1(f"{path.stem}:{index}".encode()).hexdigest()[:8]
            changed = True
    if changed:
        nbformat.write(nbformat.from_dict(raw), path)


def prepare_course_copy(course_dir: Path, workdir: Path) -> Path:
    """Copy ``nbgrader_config.py`` and ``source/ps*`` into ``workdir/course``."""
    config = course_dir / "nbgrader_config.py"
    if not config.is_file():
        raise FileNotFoundError(f"找不到 / not found: {config}")
    root = workdir / "course"
    (root / "source").mkdir(parents=True)
    shutil.copy2(config, root / "nbgrader_config.py")
    for name in find_assignments(course_dir):
        shutil.copytree(course_dir / "source" / name, root / "source" / name, ignore=_IGNORE)
    for path in sorted((root / "source").rglob("*.ipynb")):
        _give_cells_stable_ids(path)
    return root


def generate(course_dir: Path, workdir: Path) -> dict[str, bytes]:
    """Generate every student version in ``workdir``.

    Returns ``{"psNN_slug/file": content}`` with paths relative to ``release/`` (POSIX
    separators) and notebooks normalised through nbformat.
    """
    names = find_assignments(course_dir)
    root = prepare_course_copy(course_dir, workdir)
    if not names:
        return {}
    env = nbgrader_env(workdir)
    run_nbgrader(["generate_assignment", ASSIGNMENT_GLOB, "--force", "--no-db"], cwd=root, env=env)
    files: dict[str, bytes] = {}
    release = root / "release"
    for name in names:
        produced = release / name
        if not produced.is_dir():
            raise RuntimeError(f"nbgrader 没有生成 / did not generate {produced}")
        for path in sorted(p for p in produced.rglob("*") if p.is_file()):
            rel = path.relative_to(release).as_posix()
            if path.suffix == ".ipynb":
                files[rel] = notebook_bytes(nbformat.read(path, as_version=4))
            else:
                files[rel] = path.read_bytes()
    return files


def committed_release(course_dir: Path) -> dict[str, bytes]:
    """Files currently under ``release/ps*/``."""
    release = course_dir / "release"
    files: dict[str, bytes] = {}
    if not release.is_dir():
        return files
    for folder in sorted(p for p in release.glob(ASSIGNMENT_GLOB) if p.is_dir()):
        for path in sorted(p for p in folder.rglob("*") if p.is_file()):
            files[path.relative_to(release).as_posix()] = path.read_bytes()
    return files


def _same(rel: str, new: bytes, old: bytes) -> bool:
    if rel.endswith(".ipynb"):  # tolerate a Windows checkout with core.autocrlf
        old = old.replace(b"\r\n", b"\n")
    return new == old


def stale_files(generated: dict[str, bytes], committed: dict[str, bytes]) -> list[str]:
    """Human-readable list of differences (empty when release/ is up to date)."""
    problems = []
    for rel in sorted(set(generated) | set(committed)):
        if rel not in committed:
            problems.append(f"缺少 missing:   release/{rel}")
        elif rel not in generated:
            problems.append(f"多余 obsolete:  release/{rel}")
        elif not _same(rel, generated[rel], committed[rel]):
            problems.append(f"过期 outdated:  release/{rel}")
    return problems


def write_release(course_dir: Path, generated: dict[str, bytes]) -> list[str]:
    """Make ``release/ps*/`` equal to ``generated``; return the paths that changed."""
    release = course_dir / "release"
    committed = committed_release(course_dir)
    changed = []
    for rel, content in sorted(generated.items()):
        if rel in committed and committed[rel] == content:
            continue
        target = release / rel
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(content)
        changed.append(rel)
    for rel in sorted(set(committed) - set(generated)):
        (release / rel).unlink()
        changed.append(rel)
    # remove folders left empty (e.g. an assignment whose source was deleted)
    if release.is_dir():
        for folder in sorted((p for p in release.rglob("*") if p.is_dir()), reverse=True):
            if not any(folder.iterdir()):
                folder.rmdir()
    return changed


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--check",
        action="store_true",
        help="只检查 release/ 是否最新，不写文件 / only check that release/ is up to date",
    )
    parser.add_argument(
        "--course-dir",
        type=Path,
        default=DEFAULT_COURSE_DIR,
        help="nbgrader 课程目录 / nbgrader course root (default: course/assignments)",
    )
    args = parser.parse_args(argv)
    course_dir = args.course_dir.resolve()
    names = find_assignments(course_dir)
    others = sorted(
        p.name
        for p in (course_dir / "source").glob("*")
        if p.is_dir() and p.name not in names and not p.name.startswith(".")
    )
    for name in others:
        print(f"跳过 skipped: source/{name}（作业文件夹要以 ps 开头 / must start with 'ps'）")

    with tempfile.TemporaryDirectory(prefix="release_assignments_") as tmp:
        try:
            generated = generate(course_dir, Path(tmp))
        except (RuntimeError, FileNotFoundError) as err:
            print(err, file=sys.stderr)
            return 2

    if args.check:
        problems = stale_files(generated, committed_release(course_dir))
        if problems:
            print(
                "学生版 release/ 与教师版 source/ 不一致，请运行 `make release` 并提交结果。\n"
                "release/ is out of date with source/; run `make release` and commit the result.",
                file=sys.stderr,
            )
            for line in problems:
                print("  " + line, file=sys.stderr)
            return 1
        print(f"release/ 是最新的（{len(names)} 个作业）/ release/ is up to date ({len(names)} assignments).")
        return 0

    changed = write_release(course_dir, generated)
    for rel in changed:
        print(f"更新 updated: release/{rel}")
    print(
        f"已生成 {len(names)} 个作业的学生版 / generated {len(names)} assignments; {len(changed)} files changed."
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
