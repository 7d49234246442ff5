"""``crm-course collect``: an LMS zip or folder → nbgrader's ``submitted/`` folder.

收作业：把教学平台（学习通、钉钉、雨课堂……）导出的压缩包或文件夹放进 nbgrader 的
``submitted/<学号>/<作业>/<作业>.ipynb``，并列出收了什么、跳过了什么、为什么。

认得的结构（可以混在一起）：

* 平铺的文件：``学号_姓名_作业.ipynb``（例如 ``2024010101_张三_ps03_service_kpis.ipynb``）；
* 每个学生一个文件夹：``学号_姓名/任意名字.ipynb``（或 ``学号/…``、``姓名_学号/…``）；
* 整个压缩包外面多套一层文件夹也可以。

规则：

* **学号**只能由字母和数字组成（前导 0 保留；全角数字自动转成半角）。含空格、汉字或
  其他符号的学号不收，在清单里写明原因——请学生按规定重新命名后再交，或老师改好文件名
  再收一次。
* 压缩包里的中文文件名：带 UTF-8 标记的按 UTF-8；没有标记的（Windows 自带的压缩，GBK）
  先试 UTF-8，再按 GBK（cp936）解码，张三不会变成乱码。
* 浏览器改名（``ps03_service_kpis (1).ipynb``）照收。
* 同一个学生交了几次：以**最新**的一次为准（按压缩包里记录的修改时间 / 文件的修改时间），
  其余的列为“已被更新的提交代替”。已经收过的更新提交不会被旧文件替换。
* 文件损坏（不是完整的笔记本）、不是 .ipynb、是别的作业的笔记本、超过大小上限：不收，
  写明原因，评分表里这个学生记为“评分失败”并附原因。
* 收到的压缩包或文件夹总是先原样存进 ``teacher/originals/``，任何情况下都不改、不删。
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import json
import re
import shutil
import unicodedata
import zipfile
from pathlib import Path
from typing import Any

from .course import Course

__all__ = [
    "CollectReport",
    "Entry",
    "MAX_NOTEBOOK_MB",
    "collect",
    "decode_zip_name",
    "normalise_student_id",
]

MAX_NOTEBOOK_MB = 20.0
_IGNORED_FILES = {".DS_Store", "Thumbs.db", "desktop.ini"}
_BROWSER_COPY = re.compile(r"\s*[（(]\d+[）)]$")
_STUDENT_ID = re.compile(r"^[A-Za-z0-9]+$")
_CJK = re.compile(r"[\u3400-\u9fff]")


@dataclasses.dataclass
class Entry:
    """One file that was received (inside the zip or the folder)."""

    path: str  # as shown to the teacher (decoded zip name or relative path)
    modified: dt.datetime
    size: int
    read: Any  # () -> bytes
    student: str = ""
    name: str = ""
    problem: str = ""  # why it was not taken (Chinese), empty when it was

    def describe(self) -> str:
        return f"{self.path}（{self.modified:%Y-%m-%d %H:%M:%S}）"


@dataclasses.dataclass
class CollectReport:
    """What ``collect`` took and skipped, with one Chinese line each."""

    assignment: str
    original: Path
    taken: list[Entry] = dataclasses.field(default_factory=list)
    skipped: list[Entry] = dataclasses.field(default_factory=list)
    message: str = ""

    def lines(self) -> list[str]:
        """The Chinese list printed for the teacher."""
        out = [f"收作业 {self.assignment}：原始文件已原样保存在 {self.original}"]
        if self.message:
            out.append(self.message)
        out.append(f"收下 {len(self.taken)} 份：")
        out += [f"  ✔ {e.student} {e.name}：{e.describe()}" for e in self.taken]
        if self.skipped:
            out.append(f"跳过 {len(self.skipped)} 个文件：")
            out += [f"  ✘ {e.path}：{e.problem}" for e in self.skipped]
        return out


def decode_zip_name(info: zipfile.ZipInfo) -> str:
    """The real file name of a zip entry (UTF-8 flag, else UTF-8 or GBK bytes).

    Python decodes names without the UTF-8 flag (bit 11) as cp437; Windows' built-in zip
    and many Chinese tools write GBK (cp936) bytes there.
    """
    if info.flag_bits & 0x800:
        return info.filename
    try:
        raw = info.filename.encode("cp437")
    except UnicodeEncodeError:
        return info.filename
    for encoding in ("utf-8", "gbk"):
        try:
            return raw.decode(encoding)
        except UnicodeDecodeError:
            continue
    return info.filename


def normalise_student_id(text: str) -> str:
    """A 学号 as text: full-width characters → ASCII, surrounding spaces removed.

    Raises ``ValueError`` (Chinese) when it still contains anything but letters and digits.

    Examples
    --------
    >>> normalise_student_id(" ２０２４０１０１ ")
    '20240101'
    >>> normalise_student_id("0123")
    '0123'
    """
    sid = unicodedata.normalize("NFKC", text).strip()
    if not sid:
        raise ValueError("没有学号：文件名应该是 学号_姓名_作业.ipynb")
    if not _STUDENT_ID.match(sid):
        what = "空格" if re.search(r"\s", sid) else ("汉字" if _CJK.search(sid) else "符号")
        raise ValueError(f"学号 {sid!r} 含有{what}，学号只能由字母和数字组成；请改好文件名后再收")
    return sid


def _split_label(label: str, assignment: str) -> tuple[str, str]:
    """(学号, 姓名) from ``学号_姓名[_作业]`` (or ``姓名_学号``), the assignment name removed."""
    label = unicodedata.normalize("NFKC", _BROWSER_COPY.sub("", label)).strip()
    label = label.replace(assignment, "").strip("_ -")
    parts = [p.strip() for p in label.split("_") if p.strip()]
    if not parts:
        raise ValueError("文件名里没有学号和姓名：应该是 学号_姓名_作业.ipynb")
    has_digit = [p for p in parts if re.search(r"\d", p)]
    sid_text = has_digit[0] if has_digit else parts[0]
    rest = [p for p in parts if p != sid_text]
    name = next((p for p in rest if _CJK.search(p)), rest[0] if rest else "")
    return normalise_student_id(sid_text), name


def _entries_from_zip(path: Path) -> list[Entry]:
    try:
        archive = zipfile.ZipFile(path)
    except zipfile.BadZipFile as err:
        raise ValueError(f"{path.name} 不是有效的 zip 压缩包（{err}）") from None
    entries = []
    for info in archive.infolist():
        if info.is_dir():
            continue
        entries.append(
            Entry(
                path=decode_zip_name(info),
                modified=dt.datetime(*info.date_time),
                size=info.file_size,
                read=lambda info=info: archive.read(info),
            )
        )
    return entries


def _entries_from_folder(path: Path) -> list[Entry]:
    return [
        Entry(
            path=str(p.relative_to(path)),
            modified=dt.datetime.fromtimestamp(p.stat().st_mtime),
            size=p.stat().st_size,
            read=p.read_bytes,
        )
        for p in sorted(path.rglob("*"))
        if p.is_file()
    ]


def _archive_original(course: Course, assignment: str, source: Path) -> Path:
    """Copy what was received, byte for byte, to ``teacher/originals/<作业>/``; never overwrite."""
    folder = course.teacher_dir / "originals" / assignment
    folder.mkdir(parents=True, exist_ok=True)
    stamp = dt.datetime.now().strftime("%Y%m%d-%H%M%S")
    target = folder / f"{stamp}_{source.name}"
    n = 1
    while target.exists():
        n += 1
        target = folder / f"{stamp}-{n}_{source.name}"
    if source.is_dir():
        shutil.copytree(source, target)
    else:
        shutil.copy2(source, target)
    return target


def _notebook_problem(data: bytes, assignment: str, fingerprints: dict[str, tuple[set, set]]) -> str:
    """Why ``data`` is not a notebook of ``assignment`` (Chinese), or ``""``."""
    import nbformat

    try:
        nb = nbformat.reads(data.decode("utf-8-sig"), as_version=4)
        nbformat.validate(nb)
    except Exception as err:  # noqa: BLE001 - any parse/validation failure means a broken file
        reason = type(err).__name__
        return f"文件损坏：不是完整的 Jupyter 笔记本（{reason}），请学生重新下载后再交"
    ids = {c.get("id") for c in nb.cells if c.get("id")}
    texts = {c.source for c in nb.cells if c.cell_type == "markdown"}

    def overlap(name: str) -> float:
        want_ids, want_texts = fingerprints[name]
        by_id = len(ids & want_ids) / max(len(want_ids), 1)
        by_text = len(texts & want_texts) / max(len(want_texts), 1)
        return max(by_id, by_text)

    if overlap(assignment) >= 0.5:
        return ""
    others = [name for name in fingerprints if name != assignment and overlap(name) >= 0.5]
    if others:
        return f"作业交错了：这是 {others[0]} 的笔记本，不是 {assignment}"
    return f"不是作业 {assignment} 的笔记本（和发下去的学生版对不上），文件名不对或交错了文件"


def _fingerprints(course: Course) -> dict[str, tuple[set, set]]:
    """Cell ids and markdown texts of every released notebook (to recognise an assignment)."""
    import nbformat

    prints = {}
    for name in course.assignments():
        ids: set = set()
        texts: set = set()
        folder = course.root / "release" / name
        if not folder.is_dir():
            folder = course.root / "source" / name
        for path in folder.glob("*.ipynb"):
            nb = nbformat.read(path, as_version=4)
            ids |= {c.get("id") for c in nb.cells if c.get("id")}
            texts |= {c.source for c in nb.cells if c.cell_type == "markdown"}
        prints[name] = (ids, texts)
    return prints


def _label_of(entry: Entry, wrapper: str) -> tuple[str, bool]:
    """The part of the path that names the student, and whether it is a folder."""
    parts = [p for p in re.split(r"[\\/]", entry.path) if p]
    if wrapper and len(parts) > 1 and parts[0] == wrapper:
        parts = parts[1:]
    if len(parts) > 1:
        return parts[0], True
    return Path(parts[0]).stem, False


def _common_wrapper(entries: list[Entry], assignment: str) -> str:
    tops = {re.split(r"[\\/]", e.path)[0] for e in entries if re.search(r"[\\/]", e.path)}
    if len(tops) == 1 and all(re.search(r"[\\/]", e.path) for e in entries):
        top = tops.pop()
        try:
            _split_label(top, assignment)
        except ValueError:
            return top
    return ""


def collect(
    course: Course, assignment: str, source: str | Path, *, max_mb: float = MAX_NOTEBOOK_MB
) -> CollectReport:
    """Collect the submissions in ``source`` (a .zip or a folder) for ``assignment``.

    Returns a :class:`CollectReport`; the same lines are saved in ``teacher/``. Raises
    ``ValueError`` (Chinese) when ``source`` is neither a zip nor a folder.
    """
    course.check_assignment(assignment)
    source = Path(source)
    if not source.exists():
        raise ValueError(f"找不到要收的文件或文件夹：{source}")
    if not (source.is_dir() or zipfile.is_zipfile(source)):
        raise ValueError(
            f"{source.name} 既不是 zip 压缩包也不是文件夹；请给教学平台导出的 .zip 或解压后的文件夹"
        )
    original = _archive_original(course, assignment, source)
    entries = _entries_from_folder(source) if source.is_dir() else _entries_from_zip(source)
    report = CollectReport(assignment=assignment, original=original)
    entries = [e for e in entries if Path(e.path).name not in _IGNORED_FILES and "__MACOSX" not in e.path]
    if not entries:
        report.message = "压缩包（文件夹）是空的，没有收到任何文件"
        _save(course, report)
        return report

    fingerprints = _fingerprints(course)
    wrapper = _common_wrapper(entries, assignment)
    candidates: dict[str, list[Entry]] = {}
    for entry in entries:
        label, _ = _label_of(entry, wrapper)
        try:
            entry.student, entry.name = _split_label(label, assignment)
        except ValueError as err:
            entry.problem = str(err)
        if not entry.problem and Path(entry.path).suffix.lower() != ".ipynb":
            entry.problem = (
                f"不是 Jupyter 笔记本（{Path(entry.path).suffix or '没有扩展名'}），只收 .ipynb 文件"
            )
        if not entry.problem and entry.size > max_mb * 1024 * 1024:
            entry.problem = (
                f"文件太大（{entry.size / 1024 / 1024:.1f} MB，上限 {max_mb:g} MB），请学生清除输出后再交"
            )
        if not entry.problem:
            entry.problem = _notebook_problem(entry.read(), assignment, fingerprints)
        if entry.problem:
            report.skipped.append(entry)
        if entry.student:
            candidates.setdefault(entry.student, []).append(entry)

    records = course.load_records()
    book = records.setdefault("assignments", {}).setdefault(assignment, {})
    placed = book.setdefault("students", {})
    unmatched = book.setdefault("unmatched", {})
    for entry in report.skipped:
        if not entry.student:  # no usable 学号: listed by its file name in the grade table
            unmatched[entry.path] = entry.problem
    names = records.setdefault("students", {})
    for student, attempts in sorted(candidates.items()):
        good = sorted((e for e in attempts if not e.problem), key=lambda e: e.modified, reverse=True)
        record = placed.get(student, {})
        if not good:
            if not record.get("submitted_at"):  # nothing usable yet: the reason is the status
                record.update(failure=attempts[0].problem, failure_kind="collect")
                placed[student] = record
            names.setdefault(student, attempts[0].name)
            continue
        newest, older = good[0], good[1:]
        for entry in older:
            entry.problem = f"同一学生交了多次，以最新的 {newest.describe()} 为准"
            report.skipped.append(entry)
        previous = record.get("submitted_at")
        if previous and dt.datetime.fromisoformat(previous) > newest.modified:
            newest.problem = f"比已经收下的那份（{previous}）旧，保留已收的"
            report.skipped.append(newest)
            continue
        target = course.submitted(student, assignment)
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(newest.read())
        (target.parent / "timestamp.txt").write_text(newest.modified.isoformat(sep=" "), encoding="utf-8")
        record.update(
            submitted_at=newest.modified.isoformat(), original=newest.path, failure="", failure_kind=""
        )
        placed[student] = record
        names[student] = newest.name or names.get(student, "")
        report.taken.append(newest)
    course.save_records(records)
    _register_students(course, {e.student: names.get(e.student, "") for e in report.taken})
    _save(course, report)
    return report


def _register_students(course: Course, students: dict[str, str]) -> None:
    """Put 学号 and 姓名 into nbgrader's gradebook (last name = 姓, first name = 名)."""
    if not students:
        return
    with course.gradebook() as gb:
        for sid, name in students.items():
            gb.update_or_create_student(sid, last_name=name[:1] or None, first_name=name[1:] or None)


def _save(course: Course, report: CollectReport) -> None:
    folder = course.teacher_dir / "collect_logs"
    folder.mkdir(parents=True, exist_ok=True)
    stamp = dt.datetime.now().strftime("%Y%m%d-%H%M%S-%f")
    (folder / f"{report.assignment}_{stamp}.txt").write_text(
        "\n".join(report.lines()) + "\n", encoding="utf-8"
    )
    summary = {
        "taken": [e.student for e in report.taken],
        "skipped": [[e.path, e.problem] for e in report.skipped],
    }
    (folder / f"{report.assignment}_{stamp}.json").write_text(
        json.dumps(summary, ensure_ascii=False), "utf-8"
    )
