"""The persona table format shared by every app's tests/persona_urls.py."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

PERSONAS = ("anonymous", "admin", "practitioner_a", "practitioner_b", "line_manager_a", "auditor")


@dataclass(frozen=True)
class Route:
    expect: dict[str, int]
    args: Callable[[dict], list] = field(default=lambda world: [])
    query: str = ""
    public: bool = False  # public pages answer anonymous visitors themselves
    # For POST-only URLs: the status each persona gets for a POST with no data (who may act).
    post: dict[str, int] | None = None


def expect(
    anonymous=302,
    admin=200,
    practitioner_a=200,
    practitioner_b=200,
    line_manager_a=200,
    auditor=200,
) -> dict[str, int]:
    return {
        "anonymous": anonymous,
        "admin": admin,
        "practitioner_a": practitioner_a,
        "practitioner_b": practitioner_b,
        "line_manager_a": line_manager_a,
        "auditor": auditor,
    }


def everyone(status: int) -> dict[str, int]:
    return dict.fromkeys(PERSONAS, status)
