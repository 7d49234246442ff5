"""``crm-course``: one command per teacher step (run in ``course/assignments/``).

::

    crm-course collect ps03_service_kpis 学习通导出.zip   # 收作业（zip 或文件夹）
    crm-course grade ps03_service_kpis                    # 只评新交/改过的，几个进程同时评
    crm-course feedback ps03_service_kpis                 # 反馈 HTML + 一个上传用的 zip
    crm-course grades ps03_service_kpis                   # 成绩 .xlsx 和 .csv（带状态）
    crm-course report ps03_service_kpis                   # 班级报告 HTML + 笔记本
    crm-course all ps03_service_kpis 学习通导出.zip       # 以上五步一次做完
    crm-course practice ps03_service_kpis 练习.zip        # 练习班级，先试一遍

Every step is nbgrader underneath (``nbgrader autograde``, ``generate_feedback``; the
gradebook is nbgrader's ``gradebook.db``). The command puts its own interpreter's ``bin/``
on PATH, so nbgrader's ``alembic`` call works without activating the environment.
"""

from __future__ import annotations

import argparse
import os
import sys
from collections.abc import Sequence

from .course import Course, nbgrader_env

__all__ = ["main"]


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="crm-course",
        description="网店客服与客户关系管理 课程的教师工具（在 nbgrader 之上的一层）。在 course/assignments/ 里运行。",
    )
    parser.add_argument("--course", help="课程目录（含 nbgrader_config.py），默认从当前目录向上找")
    sub = parser.add_subparsers(dest="command", required=True, metavar="命令")

    p = sub.add_parser("collect", help="收作业：教学平台导出的 zip 或文件夹 → submitted/")
    p.add_argument("assignment", help="作业名，例如 ps03_service_kpis")
    p.add_argument("source", help="zip 压缩包或文件夹")
    p.add_argument("--max-mb", type=float, default=None, help="单个笔记本的大小上限（MB，默认 20）")

    p = sub.add_parser("grade", help="自动评分：只评新交的或改过的提交，多进程")
    p.add_argument("assignment")
    p.add_argument("--workers", type=int, default=None, help="进程数（默认 = CPU 核数 + 1）")
    p.add_argument("--force", action="store_true", help="全部重新评分")
    p.add_argument("--student", action="append", help="只评这个学号（可重复）")

    p = sub.add_parser("feedback", help="生成反馈（不含标准答案）和上传用的 zip")
    p.add_argument("assignment")
    p.add_argument(
        "--full-tests",
        action="store_true",
        help="截止以后公布完整的隐藏测试（反馈里会有标准答案，要明确选择）",
    )

    p = sub.add_parser("grades", help="导出成绩 .xlsx 和 .csv（UTF-8 BOM），含状态列")
    p.add_argument("assignment")

    p = sub.add_parser("report", help="班级报告：每题满分率、分数分布、常见错误（HTML + 笔记本）")
    p.add_argument("assignment")

    p = sub.add_parser(
        "practice", help="生成一个练习班级的压缩包（全对、半对、空白、死循环……），先试一遍流程"
    )
    p.add_argument("assignment")
    p.add_argument("output", help="要写的 .zip 文件")
    p.add_argument("--size", type=int, default=12, help="班级人数（默认 12）")
    p.add_argument("--endless", type=int, default=1, help="其中写了死循环的人数（默认 1）")

    p = sub.add_parser("all", help="collect → grade → feedback → grades → report")
    p.add_argument("assignment")
    p.add_argument("source", nargs="?", help="zip 或文件夹（省略则跳过收作业）")
    p.add_argument("--workers", type=int, default=None)
    return parser


def _collect(course: Course, args: argparse.Namespace) -> int:
    from .collect import MAX_NOTEBOOK_MB, collect

    report = collect(
        course, args.assignment, args.source, max_mb=getattr(args, "max_mb", None) or MAX_NOTEBOOK_MB
    )
    print("\n".join(report.lines()))
    return 0 if report.taken else 1


def _grade(course: Course, args: argparse.Namespace) -> int:
    from .grading import grade

    report = grade(
        course,
        args.assignment,
        workers=args.workers,
        force=getattr(args, "force", False),
        students=getattr(args, "student", None),
    )
    print("\n".join(report.lines(course.roster())))
    return 0


def _feedback(course: Course, args: argparse.Namespace) -> int:
    from .feedback import feedback

    result = feedback(course, args.assignment, full_tests=getattr(args, "full_tests", False))
    print("\n".join(result.lines()))
    return 0


def _grades(course: Course, args: argparse.Namespace) -> int:
    from .grades import export_grades

    xlsx, csv_path = export_grades(course, args.assignment)
    print(f"成绩表：{xlsx}\n        {csv_path}（UTF-8 BOM，Excel 直接打开不乱码）")
    return 0


def _report(course: Course, args: argparse.Namespace) -> int:
    from .report import class_report

    html, notebook = class_report(course, args.assignment)
    print(f"班级报告：{html}\n        {notebook}（可以在 JupyterLab 里打开）")
    return 0


def _practice(course: Course, args: argparse.Namespace) -> int:
    from pathlib import Path

    from .practice import write_class_zip

    course.check_assignment(args.assignment)
    path = write_class_zip(course.root, args.assignment, args.size, Path(args.output), endless=args.endless)
    print(f"练习班级（{args.size} 人，其中 {args.endless} 人写了死循环）：{path}")
    print(f"接着试：crm-course all {args.assignment} {path}")
    return 0


def main(argv: Sequence[str] | None = None) -> int:
    """Entry point of the ``crm-course`` console script."""
    args = _parser().parse_args(argv)
    os.environ["PATH"] = nbgrader_env()["PATH"]  # nbgrader calls `alembic` by name
    try:
        course = Course(args.course) if args.course else Course.find()
        if args.command != "all":
            return {
                "collect": _collect,
                "grade": _grade,
                "feedback": _feedback,
                "grades": _grades,
                "report": _report,
                "practice": _practice,
            }[args.command](course, args)
        if args.source:
            _collect(course, args)
        for step in (_grade, _feedback, _grades, _report):
            step(course, args)
        return 0
    except ValueError as err:
        print(f"错误：{err}", file=sys.stderr)
        return 2


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
