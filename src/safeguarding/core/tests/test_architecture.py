"""The tree keeps the shape docs/architecture.md describes: every domain app has the same anatomy,
sub-domains are subpackages rather than file-name prefixes, modules stay small, and the app
template (core/app_template) produces an app of that shape."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import pytest
from django.core.management import call_command

SRC = Path(__file__).resolve().parents[2]
ROOT = SRC.parents[1]
DOMAIN_APPS = ("learning", "risk", "health_records")
# Every domain app has these; docs/architecture.md's table names each.
REQUIRED = ("apps.py", "access.py", "urls.py", "navigation.py", "demo", "services/", "selectors/")
MAX_LINES = 560  # "about 500": a module beyond this is split by what it does


def _module_or_package(app: Path, name: str) -> bool:
    if name.endswith("/"):
        return (app / name / "__init__.py").exists()
    if name.endswith(".py"):
        return (app / name).exists()
    return (app / f"{name}.py").exists() or (app / name / "__init__.py").exists()


@pytest.mark.parametrize("app", DOMAIN_APPS)
def test_domain_app_has_the_anatomy(app):
    missing = [name for name in REQUIRED if not _module_or_package(SRC / app, name)]
    assert missing == []


@pytest.mark.parametrize("app", DOMAIN_APPS)
def test_services_and_selectors_are_packages_not_modules(app):
    assert not (SRC / app / "services.py").exists()
    assert not (SRC / app / "selectors.py").exists()


def _code_modules():
    for path in SRC.rglob("*.py"):
        parts = path.relative_to(SRC).parts
        if "migrations" in parts or "tests" in parts or "browser_tests" in parts:
            continue
        if path.name == "conftest.py":
            continue
        yield path


def test_no_sub_domain_written_as_a_file_name_prefix():
    """`calibration_forms.py` beside `calibration_views.py` is a sub-domain that wants a package."""
    offenders = []
    for folder in {path.parent for path in _code_modules()}:
        names = [p.stem for p in folder.glob("*.py") if "_" in p.stem]
        prefixes: dict[str, list[str]] = {}
        for name in names:
            prefixes.setdefault(name.split("_")[0], []).append(name)
        for prefix, group in prefixes.items():
            if prefix in {"forms", "views"} or len(group) >= 3:
                offenders.append(f"{folder.relative_to(SRC)}: {sorted(group)}")
    assert offenders == []


def test_no_forms_or_views_modules_by_prefix():
    offenders = [
        str(path.relative_to(SRC))
        for path in _code_modules()
        if re.fullmatch(r"(forms|views)_\w+", path.stem)
    ]
    assert offenders == []


def test_modules_are_split_by_what_they_do():
    long = {
        str(path.relative_to(SRC)): count
        for path in _code_modules()
        if (count := len(path.read_text(encoding="utf-8").splitlines())) > MAX_LINES
    }
    assert long == {}


def test_architecture_page_names_only_paths_that_exist():
    """Every `core/...` module the page names in its tables exists."""
    page = (ROOT / "docs" / "architecture.md").read_text(encoding="utf-8")
    named = set(re.findall(r"`(core/[\w/]+(?:\.py)?)`", page))
    assert named, "the page names core's shared modules"
    missing = [name for name in sorted(named) if not (SRC / name).exists()]
    assert missing == []


def test_app_template_makes_an_app_of_this_shape(tmp_path):
    target = tmp_path / "governance"
    target.mkdir()
    call_command("startapp", "governance", str(target), template=str(SRC / "core" / "app_template"))
    missing = [name for name in REQUIRED if not _module_or_package(target, name)]
    assert missing == []
    assert (target / "api" / "urls.py").exists()
    assert (target / "templates" / "governance" / "notes.html").exists()
    assert (target / "tests" / "persona_urls.py").exists()
    # It is Python that names only what exists (ruff: syntax, undefined and unused names).
    result = subprocess.run(  # noqa: S603
        [sys.executable, "-m", "ruff", "check", "--no-cache", "--select", "E9,F", str(target)],
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stdout + result.stderr
