"""Steps 4 and 5: guards, prior decisions, one pair per record (best first), second
registrations, and what is left on each list."""

from __future__ import annotations

from collections import defaultdict
from typing import Any

from .comparisons import DOB_ELSE, GIVEN_ELSE, NHS_SLIP
from .names import (
    soundex,
    within_one_edit,
)
from .types import LinkageSettings, Pair

# A given name seen at least this share of all records (and at least MIN_NAME_COUNT times) is an
# established name, not a typing slip: two different established names that are not variants of
# one another are two children, even if they look alike (Amelia and Amelie).
ESTABLISHED_NAME_SHARE = 1e-4
MIN_NAME_COUNT = 3


def _siblings(cols: dict[str, list[Any]]) -> dict[str, list[str]]:
    """Records on one list with the same date of birth and the same family name or the same home,
    but not the same given name: twins and other multiple births (found even when one twin's
    record carries a move or a changed surname)."""
    groups: dict[tuple, list[int]] = defaultdict(list)
    columns = (cols["dob_str"], cols["family_std"], cols["postcode"], cols["address_std"])
    for i, (dob, family, postcode, address) in enumerate(zip(*columns, strict=True)):
        if dob:
            if family:
                groups[(True, dob, family)].append(i)
            # The home is the postcode (an address line alone is shared by many streets).
            if home := postcode or address:
                groups[(False, dob, home)].append(i)
    ids, given_keys = cols["unique_id"], cols["given_keys"]
    siblings: dict[str, set[str]] = defaultdict(set)
    for members in groups.values():
        if len(members) < 2:
            continue
        for i in members:
            keys_i = set(given_keys[i] or ())
            for j in members:
                if j != i and not keys_i.intersection(given_keys[j] or ()):
                    siblings[ids[i]].add(ids[j])
    return {uid: sorted(others) for uid, others in siblings.items()}


def _established_names(*lists: dict[str, list[Any]], column: str = "given_std") -> set[str]:
    """Names common enough on these lists to be names in their own right, not slips."""
    counts: dict[str, int] = defaultdict(int)
    total = 0
    for cols in lists:
        for name in cols[column]:
            total += 1
            if name:
                counts[name] += 1
    floor = max(MIN_NAME_COUNT, ESTABLISHED_NAME_SHARE * total)
    return {name for name, n in counts.items() if n >= floor}


class _LookAlikes:
    """How many other children on a list would be expected, by chance, to share a record's given
    name, family name and date of birth in its postcode area: the name frequencies of both lists
    times the area's records, spread over the days of birth the lists cover."""

    def __init__(self, *lists: dict[str, list[Any]]):
        self.given: dict[str, int] = defaultdict(int)
        self.family: dict[str, int] = defaultdict(int)
        self.area: dict[str | None, int] = defaultdict(int)
        dobs = []
        for cols in lists:
            for name in cols["given_std"]:
                self.given[name] += 1
            for name in cols["family_std"]:
                self.family[name] += 1
            dobs += [d for d in cols["dob"] if d]
        self.records = sum(len(cols["unique_id"]) for cols in lists) or 1
        self.days = max((max(dobs) - min(dobs)).days + 1, 365) if dobs else 365
        self.lists = len(lists) or 1

    def expected(self, cols: dict[str, list[Any]], i: int, j: int) -> float:
        given = max(self.given[cols["given_std"][i]], self.given[cols["given_std"][j]])
        family = self.family[cols["family_std"][i]]
        in_area = self.area_count(cols, i)
        return in_area * (given / self.records) * (family / self.records) / self.days

    def area_count(self, cols: dict[str, list[Any]], i: int) -> int:
        key = (id(cols), cols["pc_area"][i])
        if key not in self.area:
            counts: dict[str | None, int] = defaultdict(int)
            for area in cols["pc_area"]:
                counts[area] += 1
            for area, n in counts.items():
                self.area[(id(cols), area)] = n
        return self.area[key]


def _same_child(
    cols: dict[str, list[Any]], i: int, j: int, look_alikes: _LookAlikes, limit: float
) -> bool:
    """Is record i (not linked) clearly a second registration of record j (linked) on one list?
    The same NHS number; or the same given name (or a form of it) and sex, no NHS numbers that
    disagree, and either the same home (postcode) with the family name and date of birth equal
    or a slip apart, or the same family name and date of birth in the same postcode area when a
    look-alike there is unlikely (fewer than `limit` expected: two children of one common name
    and birthday are not rare in one area)."""
    nhs_i, nhs_j = cols["nhs_number"][i], cols["nhs_number"][j]
    if nhs_i and nhs_j:
        return nhs_i == nhs_j

    def same(column: str) -> bool:
        return bool(cols[column][i] and cols[column][i] == cols[column][j])

    keys_i, keys_j = set(cols["given_keys"][i] or ()), set(cols["given_keys"][j] or ())
    sex_agrees = not (cols["sex"][i] and cols["sex"][j]) or same("sex")
    if not (keys_i & keys_j and sex_agrees):
        return False
    if same("postcode"):
        # In one home a slip in the family name or the date of birth does not make another
        # child (brothers and sisters are born months apart; twins have different names).
        family_i, family_j = cols["family_std"][i], cols["family_std"][j]
        dob_i, dob_j = cols["dob"][i], cols["dob"][j]
        return bool(
            family_i
            and family_j
            and (
                within_one_edit(family_i, family_j)
                or set(cols["family_tokens"][i] or ()) & set(cols["family_tokens"][j] or ())
            )
            and dob_i
            and dob_j
            and (abs((dob_i - dob_j).days) <= 3 or cols["dob_swap"][i] == cols["dob_str"][j])
        )
    # Elsewhere in the area: only for a record without an NHS number (a registration that has
    # a number, while the record it would repeat has none, is more often another child).
    return bool(
        not nhs_i
        and same("dob_str")
        and same("family_std")
        and same("pc_area")
        and look_alikes.expected(cols, i, j) <= limit
    )


def _second_registrations(
    cols: dict[str, list[Any]],
    linked: dict[str, str],
    look_alikes: _LookAlikes,
    limit: float,
    partner_numbers: dict[str, str | None] | None = None,
) -> dict[str, str]:
    """Records on one list not linked to the other list that are a second registration of a
    linked record on the same list: {record: the linked record}. partner_numbers (the NHS
    numbers of the other list's records) lets a linked partner's number rule a record out."""
    partner_numbers = partner_numbers or {}
    ids = cols["unique_id"]
    by_number: dict[str, int] = {}
    by_birth: dict[tuple[str, str], list[int]] = defaultdict(list)
    by_home: dict[str, list[int]] = defaultdict(list)
    for i, uid in enumerate(ids):
        if uid in linked:
            if number := cols["nhs_number"][i]:
                by_number.setdefault(number, i)
            if cols["dob_str"][i] and cols["family_std"][i]:
                by_birth[(cols["dob_str"][i], cols["family_std"][i])].append(i)
            if cols["postcode"][i]:
                by_home[cols["postcode"][i]].append(i)
    found = {}
    for i, uid in enumerate(ids):
        if uid in linked:
            continue
        number = cols["nhs_number"][i]
        if number and number in by_number:
            found[uid] = ids[by_number[number]]
            continue
        same_home = by_home.get(cols["postcode"][i], []) if cols["postcode"][i] else []
        for j in same_home + by_birth.get((cols["dob_str"][i], cols["family_std"][i]), []):
            partner_number = partner_numbers.get(linked[ids[j]])
            if number and partner_number and number != partner_number:
                continue  # the linked child's number, from the other list, is another one
            if _same_child(cols, i, j, look_alikes, limit):
                found[uid] = ids[j]
                break
    return found


def assign(
    candidates: list[dict[str, Any]],
    gp_cols: dict[str, list[Any]],
    hv_cols: dict[str, list[Any]],
    settings: LinkageSettings,
) -> tuple[list[Pair], dict[str, int]]:
    decisions = settings.decisions
    gp_ids, hv_ids = set(gp_cols["unique_id"]), set(hv_cols["unique_id"])
    by_pair = {(c["gp"], c["hv"]): c for c in candidates}
    # A pair a person accepted is linked again even if the model no longer proposes it.
    for (gp_id, hv_id), accepted in decisions.items():
        if accepted and gp_id in gp_ids and hv_id in hv_ids and (gp_id, hv_id) not in by_pair:
            by_pair[(gp_id, hv_id)] = {
                "gp": gp_id,
                "hv": hv_id,
                "p": 0.0,
                "nhs": -1,
                "given": 99,
                "dob": 99,
                "home": 99,
            }
    gp_siblings, hv_siblings = _siblings(gp_cols), _siblings(hv_cols)
    established = _established_names(gp_cols, hv_cols)
    established_families = _established_names(gp_cols, hv_cols, column="family_std")
    gp_index = {uid: i for i, uid in enumerate(gp_cols["unique_id"])}
    hv_index = {uid: i for i, uid in enumerate(hv_cols["unique_id"])}
    counts = defaultdict(int)

    def distinct_names(c: dict[str, Any]) -> bool:
        """Two different established given names that are not forms of one name."""
        i, j = gp_index.get(c["gp"]), hv_index.get(c["hv"])
        if i is None or j is None:
            return False
        a, b = gp_cols["given_std"][i], hv_cols["given_std"][j]
        if not (a and b) or a == b or a not in established or b not in established:
            return False
        return not set(gp_cols["given_keys"][i]) & set(hv_cols["given_keys"][j])

    review = settings.review_threshold

    def look_alike_families(c: dict[str, Any]) -> bool:
        """Two different established family names a letter or a sound apart (Davies and Davis):
        two families, or a slip that happens to give another family's name."""
        i, j = gp_index.get(c["gp"]), hv_index.get(c["hv"])
        if i is None or j is None:
            return False
        a, b = gp_cols["family_std"][i], hv_cols["family_std"][j]
        if not (a and b) or a == b or not {a, b} <= established_families:
            return False
        if set(gp_cols["family_tokens"][i] or ()) & set(hv_cols["family_tokens"][j] or ()):
            return False
        return within_one_edit(a, b) or soundex(a) == soundex(b)

    def doubt(c: dict[str, Any]) -> str:
        """Why a pair above the match threshold still needs a person, unless NHS numbers agree."""
        if c["nhs"] >= NHS_SLIP:
            return ""
        # Brothers of one name in one home are not rare; nor are Chloe Davies and Chloe Davis.
        if c["dob"] == DOB_ELSE:
            return "dates of birth disagree"
        if look_alike_families(c):
            return "two different family names"
        return ""

    def blocked(c: dict[str, Any]) -> str | None:
        if c["nhs"] >= NHS_SLIP:  # the numbers agree (or nearly): not a twin, whatever the name
            return None
        if c["given"] == GIVEN_ELSE or distinct_names(c):
            return "given_names_disagree"
        # A twin's pair with a better-named, itself plausible, partner (two children of one
        # surname born the same day elsewhere are not twins, and seldom a plausible pair).
        for sibling in gp_siblings.get(c["gp"], ()):
            other = by_pair.get((sibling, c["hv"]))
            if other and other["given"] > c["given"] and other["p"] >= review:
                return "twin_guard"
        for sibling in hv_siblings.get(c["hv"], ()):
            other = by_pair.get((c["gp"], sibling))
            if other and other["given"] > c["given"] and other["p"] >= review:
                return "twin_guard"
        return None

    def order(c: dict[str, Any]):
        return (not decisions.get((c["gp"], c["hv"]), False), -c["p"], c["gp"], c["hv"])

    pairs: list[Pair] = []
    gp_used: dict[str, str] = {}
    hv_used: dict[str, str] = {}
    for c in sorted(by_pair.values(), key=order):
        decided = decisions.get((c["gp"], c["hv"]))
        if decided is False:
            counts["rejected_by_reviewer"] += 1
            continue
        if decided is None:
            if c["p"] < settings.review_threshold:
                continue
            reason = blocked(c)
            if reason:
                counts[f"blocked_{reason}"] += 1
                continue
        if c["gp"] in gp_used or c["hv"] in hv_used:
            continue
        above = c["p"] >= settings.match_threshold
        why_not = doubt(c) if above and not decided else ""
        status = "match" if decided or (above and not why_not) else "review"
        reason = "accepted by a reviewer" if decided else why_not
        pairs.append(Pair(c["gp"], c["hv"], round(c["p"], 6), status, reason))
        gp_used[c["gp"]] = c["hv"]
        hv_used[c["hv"]] = c["gp"]
        counts["accepted_by_reviewer"] += bool(decided)

    # A second registration of a matched child goes to a person to confirm (pair status "review"
    # with the reason) rather than being reported as an unknown child.
    look_alikes = _LookAlikes(gp_cols, hv_cols)
    limit = settings.look_alike_limit
    gp_numbers = dict(zip(gp_cols["unique_id"], gp_cols["nhs_number"], strict=True))
    hv_numbers = dict(zip(hv_cols["unique_id"], hv_cols["nhs_number"], strict=True))
    # Only a matched record's child is known; one whose pair is still under review may not be.
    gp_matched = {p.gp_record_id: p.hv_record_id for p in pairs if p.match_status == "match"}
    hv_matched = {hv_id: gp_id for gp_id, hv_id in gp_matched.items()}
    gp_seconds = _second_registrations(gp_cols, gp_matched, look_alikes, limit, hv_numbers)
    hv_seconds = _second_registrations(hv_cols, hv_matched, look_alikes, limit, gp_numbers)
    for first, gp_id, hv_id, kind in [
        *((f, s, gp_matched[f], "gp") for s, f in gp_seconds.items()),
        *((f, hv_matched[f], s, "hv") for s, f in hv_seconds.items()),
    ]:
        p = by_pair.get((gp_id, hv_id), {}).get("p", 0.0)
        name = "GP" if kind == "gp" else "health visiting"
        reason = f"second registration of the child in {name} record {first}"
        pairs.append(Pair(gp_id, hv_id, round(p, 6), "review", reason, (kind, first)))
        counts["second_registrations"] += 1
    return pairs, dict(counts)


def unknown_lists(
    pairs: list[Pair], gp_ids: list[str], hv_ids: list[str]
) -> tuple[list[str], list[str]]:
    """GP records not known to health visiting, health visiting records not registered with a GP.

    Only a match or a second registration of a matched child takes a record off the unknown
    lists: a child whose best candidate is still under review is followed up as unknown too,
    so that no unknown child waits on a review that turns out to be a different child."""
    linked = [p for p in pairs if p.match_status == "match" or p.reason.startswith("second")]
    gp_linked = {p.gp_record_id for p in linked}
    hv_linked = {p.hv_record_id for p in linked}
    return (
        [uid for uid in gp_ids if uid not in gp_linked],
        [uid for uid in hv_ids if uid not in hv_linked],
    )
