"""Take the screenshots of nbgrader's Assignment List for lesson 00 (“作业怎么领、怎么交”).

重新生成第 0 课里“作业怎么领、怎么交”一节的截图（真实的 JupyterLab + Chromium）：

    .venv/bin/python tools/assignment_list_screenshots.py            # → course/lessons/00_intro/images/
    .venv/bin/python tools/assignment_list_screenshots.py --out DIR  # somewhere else

What it does, in a throw-away copy of ``course/`` (nothing in the repository changes except
the PNG files): the teacher releases ps01_workbench, then the student opens Nbgrader →
Assignment List, presses Fetch, opens the homework, presses Validate on the untouched homework
(the result window shows “第 1 题还没有作答”) and presses Submit.  One screenshot per step,
cut to the part that matters and reduced to a 64-colour palette so each file stays small.

Needs Debian's Chromium (``apt-get install chromium``) and the test dependencies (Playwright).
"""

from __future__ import annotations

import argparse
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
import browser_lab  # noqa: E402  (a sibling module in tools/)

__all__ = ["IMAGES", "OUT_DIR", "take_screenshots"]

OUT_DIR = browser_lab.COURSE / "lessons" / "00_intro" / "images"
HOMEWORK = "ps01_workbench"
#: file name → what it shows (the lesson links these names)
IMAGES = {
    "assignment_list_menu.png": "菜单 Nbgrader → Assignment List",
    "assignment_list_fetch.png": "Released assignments：老师发布的作业和 Fetch 按钮",
    "assignment_list_downloaded.png": "Downloaded assignments：Submit 和 Validate 按钮",
    "validate_results.png": "Validate 的结果窗口（没作答的作业）",
    "assignment_list_submitted.png": "Submitted assignments：提交记录",
}


def _save(image_bytes: bytes, path: Path) -> None:
    """Write a screenshot as a small palette PNG."""
    import io

    from PIL import Image

    with Image.open(io.BytesIO(image_bytes)) as image:
        small = image.convert("RGB").quantize(colors=64, method=Image.Quantize.MEDIANCUT)
        small.save(path, optimize=True)


def take_screenshots(out: Path) -> list[Path]:
    """Run the student's steps in a real browser and save :data:`IMAGES` into ``out``.

    Returns
    -------
    list of Path
        The files written, in the order of :data:`IMAGES`.
    """
    out.mkdir(parents=True, exist_ok=True)
    names = iter(IMAGES)
    written: list[Path] = []

    def save(image_bytes: bytes) -> None:
        path = out / next(names)
        _save(image_bytes, path)
        written.append(path)

    with tempfile.TemporaryDirectory(prefix="crm-screenshots-") as tmp:
        work = Path(tmp)
        course = browser_lab.copy_course(work)
        with (
            browser_lab.running_lab(course, work / "home") as lab,
            browser_lab.chromium(work / "chromium", width=1280, height=600) as context,
        ):
            page = context.pages[0] if context.pages else context.new_page()
            page.set_default_timeout(60_000)
            student = browser_lab.LabPage(page, lab)
            lab.release(HOMEWORK)  # the teacher's 发布
            student.open()

            student.menu("Nbgrader")
            item = page.locator(".lm-Menu .lm-Menu-item", has_text="Assignment List")
            item.hover()
            save(page.screenshot(clip={"x": 0, "y": 0, "width": 520, "height": 150}))
            item.click()

            panel = student.loaded_assignment_list()
            released = panel.locator("#released_assignments_list .list_item", has_text=HOMEWORK)
            released.wait_for()
            save(panel.locator("#assignments").screenshot())

            released.get_by_role("button", name="Fetch").click()
            fetched = panel.locator("#fetched_assignments_list > .list_item", has_text=HOMEWORK)
            fetched.locator("a.assignment-notebooks-link").click()
            notebook_link = fetched.locator(".nested_list_item a", has_text=HOMEWORK)
            notebook_link.wait_for(state="visible")
            save(panel.locator("#assignments").screenshot())

            notebook_link.click()
            student.wait_until_idle(timeout=60)
            dialog = student.validate(timeout=180)
            # show the end of the first failure: the Chinese "第 1 题还没有作答" line
            dialog.locator("#validation-message .jp-RenderedText pre").nth(1).evaluate(
                "el => el.scrollIntoView({block: 'end'})"
            )
            save(dialog.locator(".jp-Dialog-content").screenshot())
            student.close_dialog()

            panel = student.assignment_list()
            fetched = panel.locator("#fetched_assignments_list > .list_item", has_text=HOMEWORK)
            fetched.get_by_role("button", name="Submit").click()
            panel.locator("#submitted_assignments_list .list_item", has_text=HOMEWORK).first.wait_for()
            save(panel.locator("#assignments").screenshot())
    return written


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=OUT_DIR, help=f"folder for the PNG files ({OUT_DIR})")
    args = parser.parse_args(argv)
    if browser_lab.chromium_executable() is None:
        raise SystemExit("没有找到 Chromium 浏览器：请先运行 apt-get install chromium。")
    for path in take_screenshots(args.out):
        print(f"已保存 saved: {path} ({path.stat().st_size // 1024} KB)")


if __name__ == "__main__":
    main()
