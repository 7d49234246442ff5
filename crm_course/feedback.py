"""``crm-course feedback``: fresh feedback without the answer key, one zip for the LMS.

反馈：对每个已评分的学生运行 nbgrader 的 ``generate_feedback``（与 Formgrader 的按钮同一段
代码，反馈里的隐藏测试由 :class:`crm_course.answer_key.HideAnswerKey` 去掉）。

* **总是最新**：成绩（自动分、老师在 Formgrader 里打的简答分和评语）或评分结果变了，
  就重新生成；没变的不重复生成。
* 还有简答没打分时给出提醒（反馈里这些题显示为待评分）。
* 文件名 ``学号_姓名_作业.html``，全部放进 ``export/<作业>_反馈.zip``，直接上传到教学平台。
"""

from __future__ import annotations

import dataclasses
import hashlib
import json
import shutil
import zipfile
from pathlib import Path
from typing import Any

from .course import Course

__all__ = ["FeedbackResult", "feedback", "feedback_api"]


@dataclasses.dataclass
class FeedbackResult:
    """What ``feedback`` produced."""

    assignment: str
    generated: list[str] = dataclasses.field(default_factory=list)
    unchanged: list[str] = dataclasses.field(default_factory=list)
    failed: dict[str, str] = dataclasses.field(default_factory=dict)
    manual_pending: dict[str, list[str]] = dataclasses.field(default_factory=dict)
    files: list[Path] = dataclasses.field(default_factory=list)
    zip_path: Path | None = None
    full_tests: bool = False

    def lines(self) -> list[str]:
        out = [
            f"反馈 {self.assignment}：新生成 {len(self.generated)} 份，没有变化 {len(self.unchanged)} 份；"
            f"共 {len(self.files)} 个文件打包在 {self.zip_path}"
        ]
        if self.full_tests:
            out.append("注意：这次的反馈包含完整的隐藏测试（--full-tests），学生能看到标准答案")
        if self.manual_pending:
            out.append(
                f"提醒：还有 {len(self.manual_pending)} 位学生的简答没有打分（在 Formgrader 里评完后再运行一次本命令，"
                "反馈会自动更新）："
            )
            out += [f"  ✎ {sid}：{'、'.join(ids)}" for sid, ids in sorted(self.manual_pending.items())]
        out += [f"  ✘ {sid}：反馈生成失败：{reason}" for sid, reason in sorted(self.failed.items())]
        return out


def feedback_api(course: Course, full_tests: bool = False) -> Any:
    """nbgrader's ``NbGraderAPI`` on the course (what the formgrader's buttons call)."""
    from nbgrader.apps.api import NbGraderAPI
    from nbgrader.coursedir import CourseDirectory

    config = course.config()
    config.CourseDirectory.root = str(course.root)
    config.HideAnswerKey.show_hidden_tests = bool(full_tests)
    return NbGraderAPI(coursedir=CourseDirectory(config=config), config=config)


def _signatures(course: Course, assignment: str, students: list[str]) -> dict[str, tuple[str, list[str]]]:
    """student → (hash of everything the feedback shows, grade_ids of ungraded 简答)."""
    from nbgrader.api import MissingEntry

    out = {}
    with course.gradebook() as gb:
        for sid in students:
            digest = hashlib.sha256()
            pending = []
            for path in sorted(course.autograded(sid, assignment).parent.glob("*.ipynb")):
                digest.update(path.read_bytes())
                try:
                    nb = gb.find_submission_notebook(path.stem, assignment, sid)
                except MissingEntry:
                    continue
                for g in sorted(nb.grades, key=lambda g: g.name):
                    digest.update(json.dumps([g.name, g.auto_score, g.manual_score, g.extra_credit]).encode())
                    if g.needs_manual_grade:
                        pending.append(g.name)
                for c in sorted(nb.comments, key=lambda c: c.name):
                    digest.update(json.dumps([c.name, c.auto_comment, c.manual_comment]).encode())
            out[sid] = (digest.hexdigest(), pending)
    return out


def feedback(course: Course, assignment: str, *, full_tests: bool = False) -> FeedbackResult:
    """Generate what is stale, copy to ``export/<作业>_反馈/``, zip it. See the module doc."""
    from .grades import status_rows

    course.check_assignment(assignment)
    _, rows = status_rows(course, assignment)
    graded = [r for r in rows if r.status in ("已评", "简答未评")]
    names = {r.student: r.name for r in graded}
    result = FeedbackResult(assignment=assignment, full_tests=full_tests)
    records = course.load_records()
    placed = records.setdefault("assignments", {}).setdefault(assignment, {}).setdefault("students", {})
    signatures = _signatures(course, assignment, list(names))
    api = None
    for sid in sorted(names):
        digest, pending = signatures[sid]
        key = hashlib.sha256(f"{digest}|full_tests={full_tests}".encode()).hexdigest()
        if pending:
            result.manual_pending[sid] = pending
        html = sorted(course.feedback_html(sid, assignment).parent.glob("*.html"))
        if placed.get(sid, {}).get("feedback_key") == key and html:
            result.unchanged.append(sid)
            continue
        api = api or feedback_api(course, full_tests)
        outcome = api.generate_feedback(assignment, sid, force=True)
        if not outcome.get("success"):
            text = (outcome.get("error") or outcome.get("log") or "").strip() or "未知错误"
            result.failed[sid] = text.splitlines()[-1][:200]
            continue
        placed.setdefault(sid, {})["feedback_key"] = key
        result.generated.append(sid)
    course.save_records(records)

    out_dir = course.export_dir / f"{assignment}_反馈"
    if out_dir.exists():
        shutil.rmtree(out_dir)  # rebuilt from feedback/ every time: nothing stale is handed out
    out_dir.mkdir(parents=True)
    for sid in sorted(names):
        if sid in result.failed:
            continue
        pages = sorted(course.feedback_html(sid, assignment).parent.glob("*.html"))
        for page in pages:
            suffix = "" if page.stem == assignment else f"_{page.stem}"
            target = out_dir / f"{sid}_{names[sid] or '未知姓名'}_{assignment}{suffix}.html"
            shutil.copyfile(page, target)
            result.files.append(target)
    result.zip_path = course.export_dir / f"{assignment}_反馈.zip"
    with zipfile.ZipFile(result.zip_path, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        for path in result.files:
            archive.write(path, arcname=path.name)
    return result
