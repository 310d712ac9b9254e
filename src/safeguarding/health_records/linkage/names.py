"""Name handling for linkage: plain upper-case forms, given-name variant groups, Soundex."""

from __future__ import annotations

import functools
import re
import unicodedata
from pathlib import Path

DATA_DIR = Path(__file__).resolve().parent / "data"
VARIANTS_FILE = DATA_DIR / "given_name_variants.csv"

_NOT_LETTER = re.compile(r"[^A-Z \-]")
_SEPARATORS = re.compile(r"[\s\-]+")
_FOLD = str.maketrans({"ß": "SS", "Æ": "AE", "Ø": "O", "Ł": "L", "Đ": "D", "Þ": "TH"})


@functools.lru_cache(maxsize=200_000)
def plain(name: str) -> str:
    """Upper case, accents removed, apostrophes and dots dropped, hyphens and spaces kept single."""
    if not name:
        return ""
    text = name.upper().translate(_FOLD)
    text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode("ascii")
    text = _NOT_LETTER.sub("", text.replace(".", "").replace("'", ""))
    return _SEPARATORS.sub(lambda m: "-" if "-" in m.group(0) else " ", text).strip(" -")


def tokens(name: str) -> list[str]:
    """The parts of a (possibly double-barrelled) name: 'SMITH-JONES' -> ['SMITH', 'JONES']."""
    return [t for t in _SEPARATORS.split(plain(name)) if t]


def compact(name: str) -> str:
    """One string for comparison: parts joined without separators ('SMITHJONES')."""
    return "".join(tokens(name))


@functools.cache
def variant_groups() -> dict[str, tuple[str, ...]]:
    """Each known given name -> the keys of the variant groups it belongs to."""
    groups: dict[str, list[str]] = {}
    for line in VARIANTS_FILE.read_text(encoding="utf-8").splitlines():
        line = line.strip()
        if not line or line.startswith("#"):
            continue
        names = [n.strip() for n in line.split(",") if n.strip()]
        key = names[0]
        for name in names:
            keys = groups.setdefault(name, [])
            if key not in keys:
                keys.append(key)
    return {name: tuple(keys) for name, keys in groups.items()}


@functools.lru_cache(maxsize=200_000)
def given_name_keys(name: str) -> tuple[str, ...]:
    """The variant-group keys of the first part of a given name (the name itself if unknown)."""
    parts = tokens(name)
    if not parts:
        return ()
    first = parts[0]
    return variant_groups().get(first, (first,))


def given_names_agree(a: str, b: str) -> bool:
    """True if two given names are the same name or variants of one another."""
    return bool(set(given_name_keys(a)) & set(given_name_keys(b)))


_SOUNDEX_CODES = {
    **dict.fromkeys("BFPV", "1"),
    **dict.fromkeys("CGJKQSXZ", "2"),
    **dict.fromkeys("DT", "3"),
    "L": "4",
    **dict.fromkeys("MN", "5"),
    "R": "6",
}


@functools.lru_cache(maxsize=200_000)
def soundex(word: str) -> str:
    """American Soundex (H and W do not separate equal codes): 'ROBERT' -> 'R163'."""
    letters = [c for c in word.upper() if "A" <= c <= "Z"]
    if not letters:
        return ""
    first = letters[0]
    code = [first]
    previous = _SOUNDEX_CODES.get(first, "")
    for char in letters[1:]:
        digit = _SOUNDEX_CODES.get(char, "")
        if digit and digit != previous:
            code.append(digit)
            if len(code) == 4:
                break
        if char not in "HW":
            previous = digit
    return "".join(code).ljust(4, "0")
