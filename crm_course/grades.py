"""``crm-course grades``: one row per student with a status, as .xlsx and UTF-8-BOM CSV.

成绩表：学号（文本，前导 0 保留）、姓名、每道题的得分、总分、状态和说明。状态只有五种：

* ``已评``：自动评分和简答都评完了；
* ``简答未评``：自动评分完成，简答题还没打分（总分暂不含简答）；
* ``评分失败``：文件损坏、文件名不对、作业交错、超时卡死……（说明里写原因），**不给分数**；
* ``未交``：名单上有这个学生，但没有收到这份作业；
* ``待评分``：收到了（或交了新版本），还没运行 ``crm-course grade``。

成绩读自 nbgrader 的 ``gradebook.db``（Formgrader 里改的分数也在里面），状态和原因读自
``teacher/records.json``。
"""

from __future__ import annotations

import csv
import dataclasses
from pathlib import Path
from typing import Any

from .course import Course, GradedItem

__all__ = [
    "STATUSES",
    "StudentRow",
    "export_grades",
    "status_rows",
]

STATUSES = ("已评", "简答未评", "评分失败", "未交", "待评分")


@dataclasses.dataclass
class StudentRow:
    """One student's result for one assignment."""

    student: str
    name: str
    status: str
    note: str = ""
    scores: dict[str, float | None] = dataclasses.field(default_factory=dict)  # grade_id → points

    @property
    def total(self) -> float | None:
        """Sum of the points given so far; ``None`` when nothing was graded (failed, missing)."""
        if self.status not in ("已评", "简答未评"):
            return None
        return round(sum(v for v in self.scores.values() if v is not None), 2)


def _gradebook_scores(course: Course, assignment: str, items: list[GradedItem]) -> dict[str, dict[str, Any]]:
    """student → {grade_id: (score, needs_manual_grade)} from nbgrader's gradebook."""
    from nbgrader.api import MissingEntry

    out: dict[str, dict[str, Any]] = {}
    if not course.db_path.exists():
        return out
    notebooks = sorted({item.notebook for item in items})
    with course.gradebook() as gb:
        try:
            submissions = gb.find_assignment(assignment).submissions
        except MissingEntry:
            return out
        for submission in submissions:
            grades: dict[str, Any] = {}
            for name in notebooks:
                try:
                    nb = gb.find_submission_notebook(name, assignment, submission.student.id)
                except MissingEntry:
                    continue
                for g in nb.grades:
                    grades[g.name] = (g.score, g.needs_manual_grade)
            out[submission.student.id] = grades
    return out


def status_rows(course: Course, assignment: str) -> tuple[list[GradedItem], list[StudentRow]]:
    """The graded items and one :class:`StudentRow` per known student, sorted by 学号."""
    course.check_assignment(assignment)
    items = course.graded_items(assignment)
    names = course.roster()
    book = course.load_records().get("assignments", {}).get(assignment, {})
    records = book.get("students", {})
    scores = _gradebook_scores(course, assignment, items)
    submitted = set(course.submitted_students(assignment))
    rows = []
    for sid in sorted(set(names) | submitted | set(records)):
        rec = records.get(sid, {})
        row = StudentRow(student=sid, name=names.get(sid, ""), status="未交")
        graded = course.autograded(sid, assignment).exists() and sid in scores
        if sid in submitted:
            changed = rec.get("graded_hash") and rec["graded_hash"] != course.submission_hash(sid, assignment)
            if rec.get("status") == "failed" and not changed:
                row.status, row.note = "评分失败", rec.get("failure", "")
            elif not graded or changed:
                row.status = "待评分"
                row.note = "交了新版本，请重新运行 crm-course grade" if changed else "请运行 crm-course grade"
            else:
                got = scores[sid]
                row.scores = {  # an ungraded 简答 has no score yet (nbgrader reports 0)
                    i.grade_id: None if got.get(i.grade_id, (None, True))[1] else got[i.grade_id][0]
                    for i in items
                }
                pending = [i.label for i in items if got.get(i.grade_id, (None, False))[1]]
                row.status = "简答未评" if pending else "已评"
                notes = []
                if pending:
                    notes.append("总分暂不含简答：" + "、".join(pending))
                if rec.get("timeouts"):
                    notes.append("超时被中断：" + "、".join(rec["timeouts"]))
                row.note = "；".join(notes)
        elif rec.get("failure"):
            row.status, row.note = "评分失败", rec["failure"]
        rows.append(row)
    for path, problem in sorted(book.get("unmatched", {}).items()):
        rows.append(StudentRow(student="", name="", status="评分失败", note=f"{path}：{problem}"))
    return items, rows


def _header(items: list[GradedItem]) -> list[str]:
    cols = [f"{item.label}（{item.points:g}分{'，简答' if item.manual else ''}）" for item in items]
    return ["学号", "姓名", *cols, f"总分（{sum(i.points for i in items):g}分）", "状态", "说明"]


def _values(row: StudentRow, items: list[GradedItem]) -> list[Any]:
    shown = row.status in ("已评", "简答未评")
    points = [row.scores.get(item.grade_id) if shown else None for item in items]
    return [row.student, row.name, *points, row.total, row.status, row.note]


def export_grades(course: Course, assignment: str, folder: Path | None = None) -> tuple[Path, Path]:
    """Write ``<作业>_成绩.xlsx`` and ``<作业>_成绩.csv`` (UTF-8 with BOM) into ``export/``."""
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Font, PatternFill

    items, rows = status_rows(course, assignment)
    folder = Path(folder or course.export_dir)
    folder.mkdir(parents=True, exist_ok=True)
    header = _header(items)
    csv_path = folder / f"{assignment}_成绩.csv"
    with csv_path.open("w", encoding="utf-8-sig", newline="") as fh:
        writer = csv.writer(fh)
        writer.writerow(header)
        for row in rows:
            writer.writerow(
                ["" if v is None else (f"{v:g}" if isinstance(v, float) else v) for v in _values(row, items)]
            )

    wb = Workbook()
    ws = wb.active
    ws.title = "成绩"
    ws.append(header)
    for cell in ws[1]:
        cell.font = Font(bold=True)
        cell.alignment = Alignment(wrap_text=True, vertical="center")
    fills = {"评分失败": "F8D7DA", "未交": "E2E3E5", "简答未评": "FFF3CD", "待评分": "FFF3CD"}
    for row in rows:
        ws.append(_values(row, items))
        r = ws.max_row
        ws.cell(r, 1).number_format = "@"  # 学号 stays text: leading zeros kept
        if row.status in fills:
            ws.cell(r, len(header) - 1).fill = PatternFill("solid", fgColor=fills[row.status])
    ws.column_dimensions["A"].width = 14
    ws.column_dimensions["B"].width = 10
    ws.column_dimensions[ws.cell(1, len(header)).column_letter].width = 60
    ws.freeze_panes = "C2"
    xlsx_path = folder / f"{assignment}_成绩.xlsx"
    wb.save(xlsx_path)
    return xlsx_path, csv_path
