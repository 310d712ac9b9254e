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


_NOT_ALNUM = re.compile(r"[^A-Z0-9]+")


def plain_address(line: str) -> str:
    """An address line in capitals without accents or punctuation, house numbers kept: '12a,
    High St.' -> '12A HIGH ST' (a street name alone is shared by thousands of homes)."""
    if not line:
        return ""
    text = unicodedata.normalize("NFKD", line.upper().translate(_FOLD))
    text = text.encode("ascii", "ignore").decode("ascii").replace("'", "").replace(".", "")
    return _NOT_ALNUM.sub(" ", text).strip()


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


def within_one_edit(a: str, b: str) -> bool:
    """True if a and b differ by at most one insertion, deletion, substitution or swap of two
    neighbouring letters (optimal string alignment distance <= 1)."""
    if a == b:
        return True
    la, lb = len(a), len(b)
    if abs(la - lb) > 1:
        return False
    i = 0
    while i < min(la, lb) and a[i] == b[i]:
        i += 1
    if la == lb:
        if a[i + 1 :] == b[i + 1 :]:
            return True  # one substitution
        return a[i + 2 :] == b[i + 2 :] and a[i] == b[i + 1] and a[i + 1] == b[i]
    return a[i + 1 :] == b[i:] if la > lb else a[i:] == b[i + 1 :]


def _deletes(word: str) -> set[str]:
    return {word[:i] + word[i + 1 :] for i in range(len(word))}


@functools.cache
def _known_name_index() -> dict[str, list[str]]:
    """Each known name of four letters or more, and every form of it with one letter removed ->
    the known names it came from (a symmetric-delete index for one-edit look-ups)."""
    index: dict[str, list[str]] = {}
    for name in variant_groups():
        if len(name) < 4:
            continue
        for form in {name} | _deletes(name):
            index.setdefault(form, []).append(name)
    return index


@functools.lru_cache(maxsize=200_000)
def fuzzy_given_name_keys(name: str) -> tuple[str, ...]:
    """Like given_name_keys, but a name that is not a known name (usually a typing slip, such as
    'Edwurd' or 'Ivn') also takes the keys of the known names one edit away from it, so that
    'Edwurd' and 'Eddy' can be recognised as forms of one name."""
    keys = given_name_keys(name)
    parts = tokens(name)
    if not parts or len(parts[0]) < 3 or parts[0] in variant_groups():
        return keys
    first = parts[0]
    index = _known_name_index()
    near = {known for form in {first} | _deletes(first) for known in index.get(form, ())}
    extra = [
        key
        for known in sorted(near)
        if within_one_edit(first, known)
        for key in variant_groups()[known]
    ]
    return tuple(dict.fromkeys([*keys, *extra]))


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
