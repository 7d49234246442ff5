"""``crm-course report``: what the class got right, what to re-teach.

班级报告（中文、带图），写成 ``export/<作业>_班级报告.html`` 和可以在 JupyterLab 里打开、
重新运行的 ``export/<作业>_班级报告.ipynb``：

* 每道题的满分率（在已评分的学生里），以及这道题考的是哪一课的哪一节
  （``lesson_sections.csv``）——满分率低于 60% 的题标出“建议重讲”；
* 总分的分布（直方图）；
* 最常见的没通过的检查和它们的中文提示；
* 评分失败、超时、未交的学生名单。
"""

from __future__ import annotations

import base64
import collections
import dataclasses
import datetime as dt
import html
import io
import re
from pathlib import Path
from typing import Any

from .cells import is_test, nbgrader_meta
from .course import Course, GradedItem
from .grades import StudentRow, status_rows

__all__ = ["ClassData", "RETEACH_BELOW", "class_data", "class_report"]

RETEACH_BELOW = 0.6


@dataclasses.dataclass
class ClassData:
    """Everything the report shows, computed from the gradebook and the autograded notebooks."""

    assignment: str
    items: list[GradedItem]
    rows: list[StudentRow]
    failed_checks: list[tuple[str, str, int, list[str]]]  # grade_id, message, count, students

    @property
    def graded(self) -> list[StudentRow]:
        return [r for r in self.rows if r.status in ("已评", "简答未评")]

    def question_table(self) -> list[dict[str, Any]]:
        """Per question: title, lesson section, points, mean, full-mark rate (graded students)."""
        out = []
        graded = self.graded
        for item in self.items:
            scores = [r.scores.get(item.grade_id) for r in graded]
            scored = [s for s in scores if s is not None]
            full = sum(1 for s in scored if s >= item.points)
            rate = full / len(scored) if scored else None
            out.append(
                {
                    "题目": item.label,
                    "grade_id": item.grade_id,
                    "课": item.lesson,
                    "小节": item.section,
                    "满分": item.points,
                    "已评人数": len(scored),
                    "平均分": round(sum(scored) / len(scored), 2) if scored else None,
                    "满分率": rate,
                    "建议": "" if rate is None else ("建议重讲" if rate < RETEACH_BELOW else ""),
                    "简答": item.manual,
                }
            )
        return out

    def status_counts(self) -> dict[str, int]:
        counts = collections.Counter(r.status for r in self.rows)
        return {
            status: counts.get(status, 0) for status in ("已评", "简答未评", "评分失败", "未交", "待评分")
        }


def _chinese_error(ename: str, evalue: str) -> str:
    """The failed check as the teacher reads it: the test's Chinese message, or a translation."""
    missing = re.fullmatch(r"name '(\w+)' is not defined", evalue)
    if ename == "NameError" and missing:
        return f"还没有定义 {missing.group(1)}（没有作答，或答案单元格出错）"
    if ename == "CellTimeoutError":
        return "运行超时被中断"
    return evalue if ename == "AssertionError" and evalue else f"{ename}：{evalue or '（没有提示语）'}"


def _failed_checks(
    course: Course, assignment: str, rows: list[StudentRow]
) -> list[tuple[str, str, int, list[str]]]:
    """Most common (test cell, error message) pairs in the autograded notebooks."""
    import nbformat

    seen: dict[tuple[str, str], list[str]] = collections.defaultdict(list)
    for row in rows:
        if row.status not in ("已评", "简答未评"):
            continue
        for path in sorted(course.autograded(row.student, assignment).parent.glob("*.ipynb")):
            nb = nbformat.read(path, as_version=4)
            for cell in nb.cells:
                if not is_test(cell):
                    continue
                for out in cell.get("outputs", []):
                    if out.get("output_type") == "error":
                        message = _chinese_error(out.get("ename", ""), out.get("evalue", ""))
                        seen[(nbgrader_meta(cell)["grade_id"], message)].append(row.student)
    ranked = sorted(seen.items(), key=lambda kv: (-len(kv[1]), kv[0]))
    return [(gid, message, len(students), students) for (gid, message), students in ranked]


def class_data(course: Course, assignment: str) -> ClassData:
    """Collect the report's data for ``assignment``."""
    items, rows = status_rows(course, assignment)
    return ClassData(assignment, items, rows, _failed_checks(course, assignment, rows))


def _figure_png(fig: Any) -> str:
    buffer = io.BytesIO()
    fig.savefig(buffer, format="png", dpi=110, bbox_inches="tight")
    return base64.b64encode(buffer.getvalue()).decode("ascii")


def plot_full_marks(data: ClassData) -> Any:
    """Horizontal bars: full-mark rate per question, red below the re-teach threshold."""
    import matplotlib

    matplotlib.use("Agg", force=False)
    import matplotlib.pyplot as plt

    from crm_helpers.plotting import use_chinese_font

    use_chinese_font()
    table = [q for q in data.question_table() if q["满分率"] is not None]
    fig, ax = plt.subplots(figsize=(7, 0.45 * max(len(table), 1) + 1.2))
    labels = [q["题目"] for q in table][::-1]
    rates = [100 * q["满分率"] for q in table][::-1]
    colors = ["#d9534f" if r < 100 * RETEACH_BELOW else "#5cb85c" for r in rates]
    ax.barh(labels, rates, color=colors)
    ax.axvline(100 * RETEACH_BELOW, color="gray", linestyle="--", linewidth=1)
    ax.set_xlim(0, 100)
    ax.set_xlabel("满分率（%）")
    ax.set_title(f"{data.assignment}：每道题的满分率（红色 = 低于 {RETEACH_BELOW:.0%}，建议重讲）")
    for y, rate in enumerate(rates):
        ax.text(min(rate + 1, 92), y, f"{rate:.0f}%", va="center", fontsize=9)
    return fig


def plot_histogram(data: ClassData) -> Any:
    """Histogram of the total scores of graded students."""
    import matplotlib

    matplotlib.use("Agg", force=False)
    import matplotlib.pyplot as plt

    from crm_helpers.plotting import use_chinese_font

    use_chinese_font()
    totals = [r.total for r in data.graded if r.total is not None]
    full = sum(i.points for i in data.items)
    fig, ax = plt.subplots(figsize=(7, 3.2))
    bins = range(0, int(full) + 2)
    ax.hist(totals, bins=bins, color="#337ab7", edgecolor="white", align="left")
    ax.set_xlabel(f"总分（满分 {full:g}；简答未评的只含自动评分）")
    ax.set_ylabel("人数")
    ax.set_title(f"{data.assignment}：总分分布（{len(totals)} 人已评分）")
    return fig


def _table_html(headers: list[str], rows: list[list[Any]]) -> str:
    head = "".join(f"<th>{html.escape(h)}</th>" for h in headers)
    body = "".join(
        "<tr>" + "".join(f"<td>{html.escape('' if v is None else str(v))}</td>" for v in row) + "</tr>"
        for row in rows
    )
    return f"<table><thead><tr>{head}</tr></thead><tbody>{body}</tbody></table>"


def _sections(data: ClassData) -> list[tuple[str, str, list[str], list[list[Any]]]]:
    """(heading, intro, headers, rows) of every table in the report."""
    questions = [
        [
            q["题目"],
            f"{q['课']} · {q['小节']}" if q["课"] else "（lesson_sections.csv 里没有这道题）",
            f"{q['满分']:g}",
            q["已评人数"],
            "" if q["平均分"] is None else f"{q['平均分']:g}",
            "" if q["满分率"] is None else f"{q['满分率']:.0%}",
            q["建议"] or ("简答，老师评分" if q["简答"] else ""),
        ]
        for q in data.question_table()
    ]
    checks = [[gid, message, count, "、".join(students[:8]) + (" …" if len(students) > 8 else "")]
              for gid, message, count, students in data.failed_checks[:12]]  # fmt: skip
    trouble = [
        [r.student or "（没有学号）", r.name, r.status, r.note]
        for r in data.rows
        if r.status in ("评分失败", "未交", "待评分") or "超时" in r.note
    ]
    return [
        ("每道题的满分率与对应的课", f"满分率低于 {RETEACH_BELOW:.0%} 的题建议在课上重讲对应的小节。",
         ["题目", "考的是", "满分", "已评人数", "平均分", "满分率", "建议"], questions),
        ("最常见的没通过的检查", "同一项检查没通过的人数（来自自动评分的结果，提示语是测试里写的中文）。",
         ["测试单元格", "没通过的检查（提示）", "人数", "学生（学号）"], checks),
        ("评分失败、超时和未交", "这些学生需要老师跟进。", ["学号", "姓名", "状态", "原因"], trouble),
    ]  # fmt: skip


_CSS = """
body { font-family: "Noto Sans SC", "Microsoft YaHei", "PingFang SC", sans-serif; margin: 2em auto; max-width: 60em; }
table { border-collapse: collapse; margin: 0.5em 0 1.5em; }
th, td { border: 1px solid #ccc; padding: 0.3em 0.6em; text-align: left; vertical-align: top; }
th { background: #f0f0f0; }
img { max-width: 100%; }
"""


def class_report(course: Course, assignment: str, folder: Path | None = None) -> tuple[Path, Path]:
    """Write the class report (HTML and notebook) into ``export/`` and return both paths."""
    import matplotlib.pyplot as plt
    import nbformat
    from nbformat.v4 import new_code_cell, new_markdown_cell, new_notebook, new_output

    data = class_data(course, assignment)
    folder = Path(folder or course.export_dir)
    folder.mkdir(parents=True, exist_ok=True)
    counts = data.status_counts()
    summary = "，".join(f"{k} {v} 人" for k, v in counts.items() if v)
    stamp = dt.datetime.now().strftime("%Y-%m-%d %H:%M")
    figures = {}
    for name, plot in (("满分率", plot_full_marks), ("总分分布", plot_histogram)):
        fig = plot(data)
        figures[name] = _figure_png(fig)
        plt.close(fig)

    parts = [
        f"<h1>班级报告：{html.escape(assignment)}</h1>",
        f"<p>生成时间 {stamp}。{html.escape(summary or '还没有学生')}。</p>",
        f'<img alt="每道题的满分率" src="data:image/png;base64,{figures["满分率"]}">',
        f'<img alt="总分分布" src="data:image/png;base64,{figures["总分分布"]}">',
    ]
    for heading, intro, headers, rows in _sections(data):
        parts += [f"<h2>{html.escape(heading)}</h2>", f"<p>{html.escape(intro)}</p>"]
        parts.append(_table_html(headers, rows) if rows else "<p>（没有）</p>")
    page = (
        '<!DOCTYPE html><html lang="zh-CN"><head><meta charset="utf-8">'
        f"<title>班级报告 {html.escape(assignment)}</title><style>{_CSS}</style></head><body>"
        + "\n".join(parts)
        + "</body></html>"
    )
    html_path = folder / f"{assignment}_班级报告.html"
    html_path.write_text(page, encoding="utf-8")

    load = (
        "from crm_course.course import Course\n"
        "from crm_course.report import class_data, plot_full_marks, plot_histogram\n\n"
        f"data = class_data(Course(r{str(course.root)!r}), {assignment!r})"
    )
    cells = [
        new_markdown_cell(
            f"# 班级报告：{assignment}\n\n生成时间 {stamp}。{summary}。\n\n"
            "重新运行全部单元格，就能看到最新的成绩（读自 gradebook.db）。"
        ),  # fmt: skip
        new_code_cell(load),
    ]
    for name, plot in (("满分率", "plot_full_marks"), ("总分分布", "plot_histogram")):
        cell = new_code_cell(f"{plot}(data);")
        cell.outputs = [new_output("display_data", data={"image/png": figures[name], "text/plain": name})]
        cells.append(cell)
    for heading, intro, headers, rows in _sections(data):
        lines = ["| " + " | ".join(headers) + " |", "|" + "---|" * len(headers)]
        lines += ["| " + " | ".join(str(v).replace("|", "｜") for v in row) + " |" for row in rows] or []
        cells.append(
            new_markdown_cell(f"## {heading}\n\n{intro}\n\n" + ("\n".join(lines) if rows else "（没有）"))
        )
    nb = new_notebook(
        cells=cells,
        metadata={
            "kernelspec": {"display_name": "Python 3 (ipykernel)", "language": "python", "name": "python3"}
        },
    )
    nb_path = folder / f"{assignment}_班级报告.ipynb"
    nbformat.write(nb, nb_path)
    return html_path, nb_path
