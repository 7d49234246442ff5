"""environment.yml (conda) and pyproject.toml (pip) list the same packages and bounds."""

from __future__ import annotations

import re
from pathlib import Path

import tomllib
import yaml

ROOT = Path(__file__).resolve().parents[1]


def _normalize(requirement: str) -> tuple[str, str]:
    """('pandas', '>=2.2') from 'pandas>=2.2' or 'pandas >=2.2', names lower-case with '-'."""
    requirement = requirement.split("#")[0].replace(" ", "")
    name, spec = re.match(r"([A-Za-z0-9_.\-]+)(.*)", requirement).groups()
    spec = ",".join(sorted(spec.split(","))) if spec else ""
    return re.sub(r"[-_.]+", "-", name).lower(), spec


def pyproject_requirements() -> dict[str, str]:
    project = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    requirements = list(project["dependencies"])
    for extra in project["optional-dependencies"].values():
        requirements += extra
    return dict(_normalize(r) for r in requirements)


def environment_requirements() -> dict[str, str]:
    env = yaml.safe_load((ROOT / "environment.yml").read_text(encoding="utf-8"))
    found = {}
    for item in env["dependencies"]:
        entries = item["pip"] if isinstance(item, dict) else [item]
        for entry in entries:
            if entry.startswith("-e") or entry in ("pip",) or entry.startswith("python"):
                continue
            name, spec = _normalize(entry)
            found[name] = spec
    return found


def test_same_packages_and_bounds():
    pip_side, conda_side = pyproject_requirements(), environment_requirements()
    assert set(pip_side) == set(conda_side), {
        "only in pyproject.toml": sorted(set(pip_side) - set(conda_side)),
        "only in environment.yml": sorted(set(conda_side) - set(pip_side)),
    }
    differing = {n: (pip_side[n], conda_side[n]) for n in pip_side if pip_side[n] != conda_side[n]}
    assert not differing, differing


def test_python_versions_agree():
    project = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    env = yaml.safe_load((ROOT / "environment.yml").read_text(encoding="utf-8"))
    assert f"python{project['requires-python']}" in env["dependencies"]


def test_drift_is_detected():
    assert _normalize("Foo_Bar >=1.0,<2") == ("foo-bar", "<2,>=1.0")
    assert _normalize("jupyterlab-language-pack-zh-CN>=4.2") == ("jupyterlab-language-pack-zh-cn", ">=4.2")


def test_a_real_install_carries_every_subpackage():
    """A non-editable install (the student pack, a school's hub) must not drop a subpackage."""
    pyproject = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    assert pyproject["tool"]["setuptools"]["packages"]["find"]["include"] == ["crm_helpers*", "crm_course*"]
    for folder in [*(ROOT / "crm_helpers").rglob("*"), *(ROOT / "crm_course").rglob("*")]:
        if folder.is_dir() and any(folder.glob("*.py")):
            assert (folder / "__init__.py").exists(), f"{folder} has modules but no __init__.py"
