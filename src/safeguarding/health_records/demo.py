"""The demo's children missing from health records: a linkage run at the end of each month of
2013/14 on synthetic extracts, telling the seed report's "overall improvement" — each month the
health visiting teams find more of the children on one list only, so fewer are unknown.

The extracts come from the linkage package's generator (one synthetic population, NHS numbers
from the 999 test range). Each month a growing share of the children on one list only is added
to the other list (as happens when a team makes contact or a family registers), and the real
read_extract / link / save_run pipeline runs on the result: every figure on the pages is what
the linkage found, not a number written here. Review pairs of earlier months are decided (the
next run reuses the decisions); the last month's are left for the demo's analyst, with its
worklist open and a few outcomes recorded.
"""

from __future__ import annotations

import calendar
import csv
import datetime
import logging
import random
import tempfile
from collections import defaultdict
from pathlib import Path

from safeguarding.health_records.models import (
    LinkageRun,
    Outcome,
    PostcodeDistrict,
    ReviewPair,
    WorklistItem,
)
from safeguarding.health_records.selectors.review import prior_decisions
from safeguarding.health_records.services.review import review_decide
from safeguarding.health_records.services.runs import save_run
from safeguarding.health_records.services.worklist import worklist_outcome_record
from safeguarding.people.models import Agency, Locality, Membership, Role, Sector

CHILDREN = 160
SEED = 201314
YEAR_START = datetime.date(2013, 4, 1)
MONTHS = 12


def _month_end(index: int) -> datetime.date:
    year = YEAR_START.year + (YEAR_START.month - 1 + index) // 12
    month = (YEAR_START.month - 1 + index) % 12 + 1
    return datetime.date(year, month, calendar.monthrange(year, month)[1])


def _rows(path: Path) -> tuple[list[str], list[dict]]:
    with path.open(newline="", encoding="utf-8") as handle:
        reader = csv.DictReader(handle)
        return list(reader.fieldnames or []), list(reader)


def _write(path: Path, header: list[str], rows: list[dict]) -> None:
    with path.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.DictWriter(handle, fieldnames=header)
        writer.writeheader()
        writer.writerows(rows)


def _outward(postcode: str) -> str:
    compact = postcode.replace(" ", "").upper()
    return compact[:-3] if len(compact) > 3 else ""


def _analyst_and_agency(partnership) -> tuple[object, Agency] | None:
    membership = (
        Membership.objects.filter(
            agency__partnership=partnership,
            agency__sector=Sector.COMMUNITY_HEALTH,
            role_grants__role=Role.HEALTH_RECORDS_ANALYST,
        )
        .select_related("user", "agency")
        .order_by("created_at")
        .first()
    )
    return (membership.user, membership.agency) if membership else None


def load(partnership, stdout) -> None:
    found = _analyst_and_agency(partnership)
    if found is None:
        stdout.write("  Health records: no community health analyst in the demo; skipped.")
        return
    analyst, agency = found
    existing = LinkageRun.objects.filter(
        agency=agency, extract_date__range=(YEAR_START, _month_end(MONTHS - 1))
    )
    if existing.exists():
        stdout.write(f"  Health records: {existing.count()} monthly runs already loaded.")
        return
    from safeguarding.health_records.linkage import LinkageSettings, link, read_extract
    from safeguarding.health_records.linkage.generate import generate

    logging.getLogger("splink").setLevel(logging.ERROR)
    rng = random.Random(SEED)
    with tempfile.TemporaryDirectory() as temp:
        base = Path(temp)
        generate(CHILDREN, SEED, base, as_of=_month_end(MONTHS - 1))
        gp_header, gp_rows = _rows(base / "gp_extract.csv")
        hv_header, hv_rows = _rows(base / "hv_extract.csv")
        _, truth = _rows(base / "truth.csv")
        lists = defaultdict(set)
        for row in truth:
            lists[row["child_id"]].add(row["list"])
        child_of = {row["record_id"]: row["child_id"] for row in truth}
        _districts(partnership, gp_rows, hv_rows)

        # When each child on one list only joins the other list (or never: about a fifth, so
        # the worklist stays live).
        one_list = [r for r in gp_rows if lists[child_of[r["record_id"]]] == {"gp"}]
        one_list += [r for r in hv_rows if lists[child_of[r["record_id"]]] == {"hv"}]
        never = [None] * 3
        joins = {r["record_id"]: rng.choice([*range(1, MONTHS), *never]) for r in one_list}
        on_both = [r for r in hv_rows if lists[child_of[r["record_id"]]] == {"gp", "hv"}]
        practices = sorted({r["gp_practice_code"] for r in gp_rows})
        for month in range(MONTHS):
            extract_date = _month_end(month)
            gp_now, hv_now = list(gp_rows), list(hv_rows)
            for row in one_list:
                joined = joins[row["record_id"]]
                if joined is None or joined > month:
                    continue
                copy = dict(row)
                if "gp_practice_code" in row:  # registered with a GP: health visiting found them
                    copy["record_id"] = "HJ" + row["record_id"]
                    copy["hv_team"] = "HV team 01"
                    copy.pop("gp_practice_code")
                    hv_now.append(copy)
                else:
                    copy["record_id"] = "GJ" + row["record_id"]
                    copy["gp_practice_code"] = practices[len(row["record_id"]) % len(practices)]
                    copy.pop("hv_team")
                    gp_now.append(copy)
            blurred = 10 if month == MONTHS - 1 else 4  # leave the analyst a review queue
            hv_now = _blur(hv_now, on_both, random.Random(SEED + month), blurred)
            folder = base / f"{extract_date:%Y-%m}"
            folder.mkdir()
            _write(folder / "gp.csv", gp_header, gp_now)
            _write(folder / "hv.csv", hv_header, hv_now)
            gp_report = read_extract(folder / "gp.csv", kind="gp")
            hv_report = read_extract(folder / "hv.csv", kind="hv")
            settings = LinkageSettings(decisions=prior_decisions(agency=agency))
            result = link(gp_report.accepted, hv_report.accepted, settings)
            run = save_run(
                gp_report,
                hv_report,
                result,
                gp_filename=f"gp-registrations-{extract_date:%Y-%m}.csv",
                hv_filename=f"hv-caseload-{extract_date:%Y-%m}.csv",
                actor=analyst,
                agency=agency,
                extract_date=extract_date,
                linkage_settings=settings,
            )
            if month < MONTHS - 1:
                _decide_reviews(run, analyst, child_of)
        _record_outcomes(agency, analyst, rng)
    runs = LinkageRun.objects.filter(agency=agency).order_by("extract_date")
    first, last = runs.first(), runs.last()
    before = first.gp_not_known_to_hv + first.hv_not_registered_with_gp
    after = last.gp_not_known_to_hv + last.hv_not_registered_with_gp
    stdout.write(
        f"  Health records: {runs.count()} monthly runs; children on one list only: {before} "
        f"({first.extract_date:%B %Y}) to {after} ({last.extract_date:%B %Y}); "
        f"{last.review} pair(s) to review."
    )


BLURS = ("moved and nickname", "new surname and nickname", "date of birth mistyped")


def _nickname(name: str) -> str:
    """Another form of the given name from the linkage package's variants (Amelia → Millie)."""
    variants = Path(__file__).parent / "linkage" / "data" / "given_name_variants.csv"
    if variants.exists():
        for line in variants.read_text(encoding="utf-8").splitlines():
            if line.startswith("#"):
                continue
            names = [n.strip() for n in line.split(",") if n.strip()]
            if names and names[0] == name.upper() and len(names) > 1:
                return names[1].title()
    return name[:3] + "ie"


def _blur(rows: list[dict], on_both: list[dict], rng: random.Random, count: int) -> list[dict]:
    """A few health visiting records of children on both lists, written this month without an
    NHS number and with another problem, so the linkage is unsure and a person must decide."""
    chosen = {
        r["record_id"]: BLURS[i % len(BLURS)] for i, r in enumerate(rng.sample(on_both, count))
    }
    out = []
    for row in rows:
        blur = chosen.get(row["record_id"])
        if blur is None:
            out.append(row)
            continue
        row = {**row, "nhs_number": ""}
        if "nickname" in blur:
            row["given_name"] = _nickname(row["given_name"])
        if "moved" in blur:
            row["postcode"], row["address_line"] = "PE99 9ZZ", "Flat 3, 1 Station Road"
        if "surname" in blur:
            row["family_name"] = "Quennell"
        if "mistyped" in blur:
            text = row["date_of_birth"]
            born = (
                datetime.datetime.strptime(text, "%d/%m/%Y").date()
                if "/" in text
                else datetime.date.fromisoformat(text)
            )
            row["date_of_birth"] = (born + datetime.timedelta(days=40)).isoformat()
        out.append(row)
    return out


def _districts(partnership, gp_rows, hv_rows) -> None:
    """Each generated area's postcode districts go to one of the demo's localities (the team
    named in the health visiting extract says which area a district is in)."""
    localities = list(Locality.objects.filter(partnership=partnership).order_by("name"))
    if not localities:
        return
    area_of_practice_letter = {}
    for row in hv_rows:
        area = int(row["hv_team"].rsplit(" ", 1)[-1]) - 1
        code = _outward(row["postcode"])
        if code:
            PostcodeDistrict.objects.get_or_create(
                partnership=partnership,
                outward_code=code,
                defaults={"locality": localities[area % len(localities)]},
            )
    for row in gp_rows:
        letter = row["gp_practice_code"][:1]
        area = area_of_practice_letter.setdefault(letter, (ord(letter) - 65) % len(localities))
        code = _outward(row["postcode"])
        if code:
            PostcodeDistrict.objects.get_or_create(
                partnership=partnership, outward_code=code, defaults={"locality": localities[area]}
            )


def _decide_reviews(run, analyst, child_of) -> None:
    """The analyst decides each month's review pairs: the same child or not (from the truth)."""
    for pair in ReviewPair.objects.filter(run=run):
        gp_child = child_of.get(pair.gp_record_id.removeprefix("GJ"))
        hv_child = child_of.get(pair.hv_record_id.removeprefix("HJ"))
        review_decide(pair=pair, accepted=gp_child == hv_child, actor=analyst)


def _record_outcomes(agency, analyst, rng) -> None:
    """A few outcomes on the open worklist, as the teams would have recorded them."""
    open_items = list(WorklistItem.objects.filter(agency=agency, outcome=Outcome.OPEN))
    rng.shuffle(open_items)
    for item, (outcome, notes) in zip(
        open_items[: len(open_items) // 3],  # most stay open: the worklist is live
        [
            (Outcome.MOVED_OUT, "Family moved to Norfolk in February; records transferred."),
            (Outcome.CONTACT_MADE, "Spoke to the parent; new birth visit booked."),
            (Outcome.DUPLICATE, "Second GP registration for the same child."),
        ],
        strict=False,
    ):
        worklist_outcome_record(item=item, outcome=outcome, notes=notes, actor=analyst)
