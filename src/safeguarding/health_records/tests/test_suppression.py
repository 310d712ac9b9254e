"""The subtraction attack on every aggregate page of health records, as a board member sees them:
the index page (run history and the trend) and the breakdowns of every run, read together. The
data is built to leak: a locality of 3 beside one of 10 (a row "fewer than 5", 10, total 13 gave
the 3 away), a run whose totals sit on the index page beside its per-locality rows, a run total
of 2, GP practices with many small counts, and extracts whose sizes are the matched children plus
the unknown ones (a total "fewer than 5" worked out as extract minus matched).

`test_the_old_rendering_of_the_same_data_leaks` shows the same attack finding the hidden counts
in what the pages showed before (each small cell on its own)."""

from __future__ import annotations

import datetime

import pytest
from django.test import Client
from django.urls import reverse

from safeguarding.conftest import signed_in
from safeguarding.core.tests.suppression_attack import attack, html_tables
from safeguarding.health_records.models import Direction, LinkageRun

pytestmark = pytest.mark.django_db

GP, HV = Direction.GP_NOT_KNOWN_TO_HV, Direction.HV_NOT_REGISTERED
TABLES = {"locality": "by locality", "team": "by health visiting team"}
TABLES |= {"gp_practice": "by gp practice", "age_band": "by age band"}
FIELDS = ["matched", "review", "gp_not_known_to_hv", "hv_not_registered_with_gp"]


def _breakdowns(gp: dict[str, dict[str, int]], hv: dict[str, dict[str, int]]) -> dict:
    return {GP: gp, HV: hv}


def _run(agency, extract_date, *, matched, review, gp_unknown, hv_unknown, breakdowns, other=0):
    return LinkageRun.objects.create(
        partnership=agency.partnership,
        agency=agency,
        extract_date=extract_date,
        status=LinkageRun.Status.COMPLETED,
        gp_records=matched + gp_unknown + other,
        hv_records=matched + hv_unknown,
        matched=matched,
        review=review,
        gp_not_known_to_hv=gp_unknown,
        hv_not_registered_with_gp=hv_unknown,
        breakdowns=breakdowns,
    )


def _practices(counts):
    return {f"A8{1000 + i}": n for i, n in enumerate(counts)}


@pytest.fixture
def leaky_runs(agency_b):
    small = [1, 2, 3, 1, 4, 2, 0, 6, 1, 3, 9, 2, 1, 1, 4, 12, 2, 3]
    gp_practices = _practices(small)
    hv_practices = _practices([n % 4 for n in reversed(small)])
    gp_total, hv_total = sum(gp_practices.values()), sum(hv_practices.values())
    march = _run(
        agency_b,
        datetime.date(2014, 3, 31),
        matched=120,
        review=0,
        gp_unknown=gp_total,
        hv_unknown=hv_total,
        breakdowns=_breakdowns(
            {
                "locality": {"North": 3, "South": 10, "East": gp_total - 13},
                "team": {"North team": 3, "South team": gp_total - 3},
                "gp_practice": gp_practices,
                "age_band": {"Under 1": 2, "1 to 2": gp_total - 2},
            },
            {
                "locality": {"North": 10, "South": 12, "East": hv_total - 22},
                "team": {"North team": 1, "South team": hv_total - 1},
                "gp_practice": hv_practices,
                "age_band": {"Under 1": hv_total - 4, "1 to 2": 4},
            },
        ),
    )
    february = _run(
        agency_b,
        datetime.date(2014, 2, 28),
        matched=98,
        review=3,
        gp_unknown=2,
        hv_unknown=13,
        other=1,
        breakdowns=_breakdowns(
            {
                "locality": {"North": 2},
                "team": {"North team": 2},
                "gp_practice": {"A81001": 2},
                "age_band": {"Under 1": 2},
            },
            {
                "locality": {"North": 3, "South": 10},
                "team": {"South team": 13},
                "gp_practice": {"A81001": 6, "A81002": 7},
                "age_band": {"Under 1": 13},
            },
        ),
    )
    return [march, february]


def _shown_by_the_pages(client, runs) -> dict:
    """{key: text shown}: every count of the index page and of each run's breakdowns."""
    shown: dict = {}
    index = html_tables(client.get(reverse("health_records:index")).content.decode())
    trend = next(t for t in index if t.caption.startswith("Children on one list only"))
    history = next(t for t in index if not t.caption)
    for run in runs:
        _, *counts = history.row(f"{run.extract_date:%-d %B %Y}")
        for field, text in zip(FIELDS, counts, strict=True):
            shown[(run.pk, field)] = text
        gp_records, hv_records, gp_unknown, hv_unknown = trend.row(f"{run.extract_date:%B %Y}")
        # The same number on both tables of the page (and as the breakdowns' column totals).
        assert (gp_unknown, hv_unknown) == (
            shown[(run.pk, "gp_not_known_to_hv")],
            shown[(run.pk, "hv_not_registered_with_gp")],
        )
        shown[(run.pk, "gp_records")], shown[(run.pk, "hv_records")] = gp_records, hv_records
        url = reverse("health_records:breakdowns") + f"?run={run.pk}"
        for table in html_tables(client.get(url).content.decode()):
            name = next(n for n, caption in TABLES.items() if caption == table.caption.lower())
            for label, (gp, hv, total) in table.rows:
                shown[(run.pk, name, label, "gp")] = gp
                shown[(run.pk, name, label, "hv")] = hv
                shown[(run.pk, name, label, "total")] = total
    return shown


def _equations(runs, shown) -> list:
    """What any reader can add up. The records taken off the unknown lists as second
    registrations are not shown, but they are among the pairs to review: a reader knows they
    are 0 or more and add up, with the other pairs, to the pairs to review. With none to review,
    extract minus matched is the unknown children."""
    equations = []
    for run in runs:
        k = run.pk
        gp_other = run.gp_records - run.matched - run.gp_not_known_to_hv
        hv_other = run.hv_records - run.matched - run.hv_not_registered_with_gp
        for side, unknown in (("gp", "gp_not_known_to_hv"), ("hv", "hv_not_registered_with_gp")):
            shown[(k, f"{side}_other")] = None
            parts = [(k, "matched"), (k, unknown), (k, f"{side}_other")]
            equations.append((parts, (k, f"{side}_records")))
        if run.review - gp_other - hv_other >= 0:
            shown[(k, "review_rest")] = None
            parts = [(k, "gp_other"), (k, "hv_other"), (k, "review_rest")]
            equations.append((parts, (k, "review")))
        for table in TABLES:
            labels = [key[2] for key in shown if key[:2] == (k, table) and key[3] == "total"]
            for label in labels:
                equations.append(
                    ([(k, table, label, "gp"), (k, table, label, "hv")], (k, table, label, "total"))
                )
            if labels:
                equations.append(([(k, table, label, "gp") for label in labels], (k, GP)))
                equations.append(([(k, table, label, "hv") for label in labels], (k, HV)))
        shown[(k, GP)] = shown[(k, "gp_not_known_to_hv")]
        shown[(k, HV)] = shown[(k, "hv_not_registered_with_gp")]
        equations += [([(k, GP)], (k, "gp_not_known_to_hv"))]
        equations += [([(k, HV)], (k, "hv_not_registered_with_gp"))]
    return equations


def test_no_hidden_count_can_be_worked_out_from_the_pages_together(leaky_runs, board_member):
    client = signed_in(Client(), board_member)
    shown = _shown_by_the_pages(client, leaky_runs)
    assert "fewer than 5" in shown.values() and "withheld" in shown.values()
    assert attack(shown, _equations(leaky_runs, shown)) == []


def test_the_saved_run_is_safe_and_the_pages_agree_for_board_and_business_unit(
    hr_saved_run, board_member, admin
):
    """A run saved the normal way (its withheld entries worked out when it was saved)."""
    seen = []
    for user in (board_member, admin):
        shown = _shown_by_the_pages(signed_in(Client(), user), [hr_saved_run])
        assert attack(shown, _equations([hr_saved_run], shown)) == []
        seen.append(shown)
    assert seen[0] == seen[1]


def test_the_old_rendering_of_the_same_data_leaks(leaky_runs):
    """Each small cell on its own (health_records before issue 9): the attacker finds the
    North locality's 3 as its total minus 10, and the run total of 2 as extract minus matched."""

    def old(n: int) -> int | str:
        return "fewer than 5" if 0 < n < 5 else n

    shown: dict = {}
    for run in leaky_runs:
        for field in [*FIELDS, "gp_records", "hv_records"]:
            shown[(run.pk, field)] = old(getattr(run, field))
        for table in TABLES:
            gp = run.breakdowns[GP].get(table, {})
            hv = run.breakdowns[HV].get(table, {})
            for label in set(gp) | set(hv):
                g, h = gp.get(label, 0), hv.get(label, 0)
                shown[(run.pk, table, label, "gp")] = old(g)
                shown[(run.pk, table, label, "hv")] = old(h)
                shown[(run.pk, table, label, "total")] = old(g + h)
    found = {f.key: f.value for f in attack(shown, _equations(leaky_runs, shown))}
    march, february = leaky_runs
    assert found[(march.pk, "locality", "North", "gp")] == 3
    assert found[(february.pk, "gp_not_known_to_hv")] == 2


def test_analysts_see_every_number(leaky_runs, hr_analyst):
    client = signed_in(Client(), hr_analyst)
    page = client.get(reverse("health_records:breakdowns") + f"?run={leaky_runs[0].pk}")
    locality = next(t for t in html_tables(page.content.decode()) if t.caption == "By locality")
    assert locality.row("North") == ["3", "10", "13"]
    assert "fewer than 5" not in page.content.decode()
