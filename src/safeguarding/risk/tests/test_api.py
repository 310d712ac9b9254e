"""The risk API: instruments, the calculator (published outcomes, 400s with field errors,
nothing saved) and identifications scoped as on the web."""

from __future__ import annotations

import pytest
from django.test import Client

from safeguarding.conftest import signed_in
from safeguarding.core.models import AuditEntry
from safeguarding.risk.models import Identification
from safeguarding.risk.tests.journey_fixtures import journey_dash_answers, journey_matrix

pytestmark = pytest.mark.django_db
EVALUATE = "/api/v1/risk/evaluate/"


@pytest.fixture
def api(practitioner_a):
    return signed_in(Client(), practitioner_a)


def _evaluate(api, instrument, answers, **extra):
    return api.post(
        EVALUATE,
        {"instrument": instrument, "answers": answers, **extra},
        content_type="application/json",
    )


def test_instruments_list_questions_with_kinds_and_scales(api):
    data = {i["code"]: i for i in api.get("/api/v1/risk/instruments/").json()}
    assert set(data) == {"children-da-matrix", "dash-2009"}
    questions = {q["code"]: q for q in data["children-da-matrix"]["questions"]}
    assert questions["ch_injured"] | {"text": ""} == questions["ch_injured"] | {
        "text": "",
        "code": "ch_injured",
        "answer_type": "yes_no",
        "kind": "indicator",
        "scale": 4,
    }
    assert questions["child_under_7"]["kind"] == "modifier"
    assert questions["pf_safe_adult"]["kind"] == "protective_factor"
    dash = [q for q in data["dash-2009"]["questions"] if q["kind"] == "indicator"]
    assert len(dash) == 24 and {q["answer_type"] for q in dash} == {"yes_no_dont_know"}


@pytest.mark.parametrize(
    ("yes", "level", "criteria"),
    [
        (9, "standard", []),
        (10, "medium", []),
        (13, "medium", []),
        (14, "high", ["visible_high_risk"]),
    ],
)
def test_calculator_gives_the_published_dash_outcomes(api, yes, level, criteria):
    answers = journey_dash_answers(yes, children_in_household="no")
    answers["q24_criminal_history"] = "dont_know" if yes < 24 else "yes"
    data = _evaluate(api, "dash-2009", answers, assessed_on="2014-07-15").json()
    assert (data["level"], data["marac_criteria"]) == (level, criteria)
    assert data["information_gaps"] == 1
    assert not Identification.objects.exists()


def test_calculator_gives_the_matrix_scales(api):
    base = {"child_under_7": "no", "special_needs": "no", "pregnancy_or_baby_under_1": "no"}
    assert _evaluate(api, "children-da-matrix", base).json()["level"] == "no_indicator"
    data = _evaluate(
        api, "children-da-matrix", {**base, "ch_witnessed": "yes", "special_needs": "yes"}
    ).json()
    assert (data["level"], data["level_label"]) == ("scale_3", "Scale 3 – serious")
    data = _evaluate(
        api,
        "children-da-matrix",
        {**base, "ev_minor_incidents": "yes", "pregnancy_or_baby_under_1": "yes"},
    ).json()
    assert data["level"] == "scale_4"
    assert any(r["effect"] == "set" for r in data["reasons"])


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"instrument": "nope", "answers": {}}, "instrument"),
        ({"instrument": "dash-2009", "answers": []}, "answers"),
        ({"answers": {}}, "instrument"),
    ],
)
def test_calculator_bad_requests(api, body, field):
    response = api.post(EVALUATE, body, content_type="application/json")
    assert response.status_code == 400
    assert field in response.json()


def test_calculator_names_each_bad_answer(api):
    answers = journey_dash_answers(3)
    answers["q01_injury"] = "maybe"
    answers["nonsense"] = "yes"
    del answers["q02_frightened"]
    response = _evaluate(api, "dash-2009", answers)
    assert response.status_code == 400
    errors = response.json()["answers"]
    assert set(errors) == {"q01_injury", "nonsense", "q02_frightened"}
    assert AuditEntry.objects.filter(action__startswith="risk.").count() == 0


def test_api_identifications_are_scoped_like_the_web(practitioner_a, practitioner_b):
    identification = journey_matrix(practitioner_a)
    author = signed_in(Client(), practitioner_a)
    other = signed_in(Client(), practitioner_b)
    listed = author.get("/api/v1/risk/identifications/").json()["results"]
    assert [i["id"] for i in listed] == [identification.pk]
    assert other.get("/api/v1/risk/identifications/").json()["results"] == []
    url = f"/api/v1/risk/identifications/{identification.pk}/"
    assert other.get(url).status_code == 404
    assert author.get(url).json()["confirmed_label"] == "Scale 2 – moderate to serious"
    assert (
        AuditEntry.objects.filter(
            action="risk.identification.viewed", changes__purpose="API"
        ).count()
        == 1
    )


def test_anonymous_callers_get_401(client):
    assert client.get("/api/v1/risk/instruments/").status_code == 401
