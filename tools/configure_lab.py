"""Preset JupyterLab for the course in this environment (run by make after installing).

Writes ``{sys.prefix}/share/jupyter/lab/settings/overrides.json`` so that JupyterLab opens in
简体中文 (the language pack ``jupyterlab-language-pack-zh-CN`` is installed with the course).
This is JupyterLab's documented place for environment-wide default settings; a user can still
switch the language in the 设置 menu.  Existing overrides are kept; running twice changes
nothing.  The user's home directory is never touched.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

OVERRIDES = {
    "@jupyterlab/translation-extension:plugin": {"locale": "zh_CN"},
}


def overrides_path(prefix: str = sys.prefix) -> Path:
    """Where JupyterLab reads environment-wide setting overrides."""
    return Path(prefix) / "share" / "jupyter" / "lab" / "settings" / "overrides.json"


def configure(prefix: str = sys.prefix) -> Path:
    """Merge the course's settings into the overrides file and return its path."""
    path = overrides_path(prefix)
    current = json.loads(path.read_text(encoding="utf-8")) if path.exists() else {}
    for plugin, settings in OVERRIDES.items():
        current.setdefault(plugin, {}).update(settings)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(current, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
    return path


if __name__ == "__main__":
    print(f"JupyterLab 界面语言已预设为简体中文：{configure()}")
