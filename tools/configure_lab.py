"""Preset JupyterLab for the course in this environment (run by make after installing).

Writes ``{sys.prefix}/share/jupyter/lab/settings/overrides.json`` so that JupyterLab opens in
简体中文 (the language pack ``jupyterlab-language-pack-zh-CN`` is installed with the course)
and stays quiet and offline in a classroom:

* no "您是否希望接收有关官方 Jupyter 新闻的通知？" prompt on first open, no news fetched
  (``fetchNews``: ``"false"`` = Never; the default ``"none"`` asks every new user);
* no check for newer JupyterLab versions (``checkForUpdates``: the server would ask PyPI, and
  a student cannot and should not upgrade anyway);
* the Extension Manager switched off (``enabled``: it searches PyPI and installs extensions;
  extensions are the teacher's business, installed with ``pip``).

The plugin ids and keys are those of the schemas under
``<sys.prefix>/share/jupyter/lab/schemas`` (``apputils-extension/notification.json``,
``extensionmanager-extension/plugin.json``); ``tests/test_lab_setup.py`` checks that they
exist there and that the running server serves these defaults.

Why this file: ``overrides.json`` in the *application settings directory* sets new default
values for extension settings (JupyterLab docs, "Advanced Usage" → "overrides.json"); the
application directory is ``<sys.prefix>/share/jupyter/lab`` unless ``JUPYTERLAB_DIR`` says
otherwise.  It lives inside this virtual environment, so nothing outside it changes and the
user's home directory is never touched.  A choice the user makes in the 设置 → 语言 menu is
saved in their user settings and wins over this default.

Existing overrides are kept (only the course's keys are set); running it again changes
nothing.  Usage: ``.venv/bin/python tools/configure_lab.py`` (``make`` does it).
"""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Any

#: Setting defaults the course presets, by JupyterLab plugin id.
OVERRIDES: dict[str, dict[str, Any]] = {
    "@jupyterlab/translation-extension:plugin": {"locale": "zh_CN"},
    "@jupyterlab/apputils-extension:notification": {"fetchNews": "false", "checkForUpdates": False},
    "@jupyterlab/extensionmanager-extension:plugin": {"enabled": False},
}


def overrides_path(prefix: str | Path = sys.prefix) -> Path:
    """Where JupyterLab reads environment-wide setting overrides for ``prefix``."""
    return Path(prefix) / "share" / "jupyter" / "lab" / "settings" / "overrides.json"


def merged(current: dict[str, Any]) -> dict[str, Any]:
    """``current`` with the course's settings set (other plugins and keys untouched)."""
    result = dict(current)
    for plugin, settings in OVERRIDES.items():
        existing = result.get(plugin)
        result[plugin] = {**(existing if isinstance(existing, dict) else {}), **settings}
    return result


def configure(prefix: str | Path = sys.prefix) -> tuple[Path, bool]:
    """Merge the course's settings into the overrides file.

    Returns
    -------
    tuple of (Path, bool)
        The file's path and whether it was written (``False``: already up to date).

    Raises
    ------
    SystemExit
        If the existing file is not a JSON object (it is then left as it is).
    """
    path = overrides_path(prefix)
    current: dict[str, Any] = {}
    if path.exists():
        try:
            current = json.loads(path.read_text(encoding="utf-8"))
        except (ValueError, UnicodeDecodeError) as error:
            raise SystemExit(
                f"无法读取 {path}（不是有效的 JSON：{error}）。请修正或删除它后重新运行。"
            ) from error
        if not isinstance(current, dict):
            raise SystemExit(f"{path} 的内容应该是一个 JSON 对象 {{...}}。请修正或删除它后重新运行。")
    new = merged(current)
    if path.exists() and new == current:
        return path, False
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_suffix(".json.tmp")
    tmp.write_text(json.dumps(new, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
    tmp.replace(path)  # atomic: JupyterLab never reads a half-written file
    return path, True


def main() -> None:
    path, changed = configure()
    state = "已写入" if changed else "已经是最新的"
    print(f"JupyterLab 预设{state}：界面简体中文，不弹新闻通知、不检查更新、不联网装插件（{path}）")


if __name__ == "__main__":
    main()
