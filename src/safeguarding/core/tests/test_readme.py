"""README.md's configuration table is the operator's manual: it must name every variable the
settings read from the environment."""

from __future__ import annotations

import re
from pathlib import Path


def _read(name: str) -> str:
    here = Path(__file__).resolve()
    for parent in here.parents:
        candidate = parent / name
        if candidate.exists():
            return candidate.read_text(encoding="utf-8")
    raise FileNotFoundError(name)


def test_readme_configuration_table_names_every_environment_variable():
    source = (Path(__file__).resolve().parents[2] / "settings.py").read_text(encoding="utf-8")
    read = set(re.findall(r"env_\w+\(\s*\"([A-Z][A-Z0-9_]+)\"", source))
    assert len(read) > 20  # the pattern still finds the settings' variables
    table = {
        match
        for line in _read("README.md").splitlines()
        if line.startswith("| `")
        for match in re.findall(r"`([A-Z][A-Z0-9_]+)`", line.split("|")[1])
    }
    assert sorted(read - table) == []
