"""The instrument engine and the two shipped instruments: every rule pinned, table by table."""

from __future__ import annotations

import datetime

import pytest
import yaml

from safeguarding.risk.instruments import (
    AnswerError,
    InstrumentError,
    add_months,
    get_instrument,
    load_instrument_file,
    parse_instrument,
    shipped_instruments,
)

MATRIX = "children-da-matrix"
DASH = "dash-2009"
TODAY = datetime.date(2014, 7, 15)


def matrix():
    return get_instrument(MATRIX)


def dash():
    return get_instrument(DASH)


def _matrix_answers(**yes) -> dict:
    answers = {"child_under_7": "no", "special_needs": "no", "pregnancy_or_baby_under_1": "no"}
    answers.update(yes)
    return answers


# The shipped files ----------------------------------------------------------------------------


def test_shipped_instruments_load_and_match_their_paths():
    assert set(shipped_instruments()) == {(MATRIX, 1), (DASH, 1)}


def test_matrix_has_four_scales_and_every_indicator_area():
    inst = matrix()
    assert [lv.code for lv in inst.levels] == [
        "no_indicator",
        "scale_1",
        "scale_2",
        "scale_3",
        "scale_4",
    ]
    assert [s.code for s in inst.sections] == [
        "evidence",
        "pregnancy",
        "children",
        "abusive_parent",
        "non_abusing_parent",
        "protective",
    ]
    for section in inst.sections[:5]:
        scales = {q.scale for q in section.questions if q.kind == "indicator"}
        assert scales, section.code
    assert {q.scale for q in inst.questions if q.kind == "indicator"} == {1, 2, 3, 4}
    assert {q.code for q in inst.questions if q.kind == "modifier"} == {
        "child_under_7",
        "special_needs",
        "pregnancy_or_baby_under_1",
    }
    assert [q for q in inst.questions if q.kind == "protective_factor"]


def test_matrix_actions_map_to_the_local_thresholds():
    inst = matrix()
    assert "single practitioner" in " ".join(inst.level(1).actions)
    assert "lead professional" in " ".join(inst.level(2).actions)
    assert "section 17" in " ".join(inst.level(3).actions)
    assert "section 47" in " ".join(inst.level(4).actions)
    assert "police" in " ".join(inst.level(4).actions).lower()


def test_dash_has_24_yes_no_dont_know_questions():
    counted = [q for q in dash().questions if q.kind == "indicator"]
    assert len(counted) == 24
    assert {q.answer_type for q in counted} == {"yes_no_dont_know"}
    assert all(q.required for q in counted)


# The matrix's rules ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("yes", "expected"),
    [
        ([], "no_indicator"),
        (["ev_minor_incidents"], "scale_1"),
        (["ev_minor_incidents", "ch_witnessed"], "scale_2"),
        (["ch_witnessed", "ap_controlling", "ev_minor_incidents"], "scale_3"),
        (["ev_minor_incidents", "ch_injured"], "scale_4"),
        (["np_fears_for_life"], "scale_4"),
    ],
)
def test_matrix_suggests_the_highest_scale_with_an_indicator_yes(yes, expected):
    ev = matrix().evaluate(_matrix_answers(**dict.fromkeys(yes, "yes")))
    assert ev.level.code == expected


@pytest.mark.parametrize("modifier", ["child_under_7", "special_needs"])
@pytest.mark.parametrize(
    ("indicator", "without", "with_modifier"),
    [
        ("ev_minor_incidents", "scale_1", "scale_1"),  # scale 1 is not raised
        ("ch_witnessed", "scale_2", "scale_3"),
        ("ap_controlling", "scale_3", "scale_4"),
        ("ch_injured", "scale_4", "scale_4"),  # nothing above 4
    ],
)
def test_age_and_special_needs_raise_2_to_3_and_3_to_4(modifier, indicator, without, with_modifier):
    inst = matrix()
    assert inst.evaluate(_matrix_answers(**{indicator: "yes"})).level.code == without
    raised = inst.evaluate(_matrix_answers(**{indicator: "yes", modifier: "yes"}))
    assert raised.level.code == with_modifier
    if without != with_modifier:
        assert [r.question_code for r in raised.reasons if r.effect == "raised"] == [modifier]


def test_both_modifiers_raise_only_one_scale():
    ev = matrix().evaluate(
        _matrix_answers(ch_witnessed="yes", child_under_7="yes", special_needs="yes")
    )
    assert ev.level.code == "scale_3"


def test_modifier_alone_is_no_indicator():
    ev = matrix().evaluate(_matrix_answers(child_under_7="yes", special_needs="yes"))
    assert ev.level.code == "no_indicator"


@pytest.mark.parametrize(
    ("indicator", "expected"),
    [
        (None, "no_indicator"),  # pregnancy without any domestic abuse indicator
        ("ev_minor_incidents", "scale_4"),
        ("ch_aware", "scale_4"),
        ("ap_controlling", "scale_4"),
    ],
)
def test_pregnancy_or_baby_with_any_indicator_gives_scale_4(indicator, expected):
    answers = _matrix_answers(pregnancy_or_baby_under_1="yes")
    if indicator:
        answers[indicator] = "yes"
    ev = matrix().evaluate(answers)
    assert ev.level.code == expected
    if indicator:
        assert any(r.effect == "set" for r in ev.reasons)


def test_pregnancy_dont_know_is_an_information_gap_not_a_raise():
    ev = matrix().evaluate(
        _matrix_answers(ev_minor_incidents="yes", pregnancy_or_baby_under_1="dont_know")
    )
    assert ev.level.code == "scale_1"
    assert ev.information_gaps == ["pregnancy_or_baby_under_1"]


@pytest.mark.parametrize("indicator", ["ev_minor_incidents", "ch_witnessed", "ap_controlling"])
def test_protective_factors_are_shown_and_never_lower_the_scale(indicator):
    inst = matrix()
    protective = {q.code: "yes" for q in inst.questions if q.kind == "protective_factor"}
    without = inst.evaluate(_matrix_answers(**{indicator: "yes"}))
    with_all = inst.evaluate(_matrix_answers(**{indicator: "yes"}, **protective))
    assert with_all.level == without.level
    assert sorted(with_all.details["protective_factors"]) == sorted(protective)
    assert {r.question_code for r in with_all.reasons if r.effect == "protective"} == set(
        protective
    )


def test_matrix_reasons_name_the_answers_that_drove_the_level():
    ev = matrix().evaluate(_matrix_answers(ch_witnessed="yes", ev_minor_incidents="yes"))
    assert [r.question_code for r in ev.reasons if r.effect == "indicator"] == [
        "ch_witnessed",
        "ev_minor_incidents",
    ]
    assert ev.actions == matrix().level(2).actions


def test_a_rule_naming_a_protective_factor_is_refused():
    data = yaml.safe_load(matrix().source)
    data["rules"]["adjustments"][0]["when_any_yes"] = ["pf_safe_adult"]
    with pytest.raises(InstrumentError, match="protective factor 'pf_safe_adult' cannot change"):
        parse_instrument(yaml.safe_dump(data), "local.yaml")


# DASH -----------------------------------------------------------------------------------------


def _dash_answers(yes: int, dont_know: int = 0, **extra) -> dict:
    codes = [q.code for q in dash().questions if q.kind == "indicator"]
    answers = {}
    for n, code in enumerate(codes):
        answers[code] = "yes" if n < yes else "dont_know" if n < yes + dont_know else "no"
    answers["children_in_household"] = "no"
    answers.update(extra)
    return answers


@pytest.mark.parametrize(
    ("yes", "band", "visible_high_risk"),
    [
        (0, "standard", False),
        (9, "standard", False),
        (10, "medium", False),
        (13, "medium", False),
        (14, "high", True),
        (24, "high", True),
    ],
)
def test_dash_bands_and_visible_high_risk(yes, band, visible_high_risk):
    ev = dash().evaluate(_dash_answers(yes), {"assessed_on": TODAY})
    assert ev.level.code == band
    assert ev.details["yes_count"] == yes
    assert ("visible_high_risk" in ev.marac_criteria) is visible_high_risk
    assert ("Refer to MARAC" in " ".join(ev.actions)) is visible_high_risk


def test_dont_know_is_counted_as_an_information_gap_and_never_as_yes():
    ev = dash().evaluate(_dash_answers(9, dont_know=5), {"assessed_on": TODAY})
    assert ev.level.code == "standard"
    assert ev.details["dont_know_count"] == 5
    assert len(ev.information_gaps) == 5
    assert sum(r.effect == "information_gap" for r in ev.reasons) == 5


def test_dash_bands_are_configurable():
    data = yaml.safe_load(dash().source)
    data["version"] = 2
    data["rules"]["bands"] = [{"level": "high", "min_yes": 17}, {"level": "medium", "min_yes": 14}]
    data["rules"]["marac"]["visible_high_risk"]["min_yes"] = 17
    local = parse_instrument(yaml.safe_dump(data), "local.yaml")
    assert local.evaluate(_dash_answers(14), {"assessed_on": TODAY}).level.code == "medium"
    ev = local.evaluate(_dash_answers(17), {"assessed_on": TODAY})
    assert (ev.level.code, ev.marac_criteria) == ("high", ["visible_high_risk"])


def test_professional_judgement_needs_written_reasons():
    answers = _dash_answers(3, professional_judgement="yes")
    with pytest.raises(AnswerError) as error:
        dash().clean_answers(answers)
    assert "professional_judgement_reasons" in error.value.errors
    answers["professional_judgement_reasons"] = "Non-fatal strangulation last week."
    ev = dash().evaluate(answers, {"assessed_on": TODAY})
    assert ev.marac_criteria == ["professional_judgement"]
    assert ev.level.code == "standard"  # the band stays what the count says
    assert "Non-fatal strangulation" in " ".join(r.text for r in ev.reasons)


def _days_before(days: int) -> str:
    return (TODAY - datetime.timedelta(days=days)).isoformat()


@pytest.mark.parametrize(
    ("dates", "escalation"),
    [
        ([TODAY.isoformat(), _days_before(30)], False),  # 2 in the window
        ([TODAY.isoformat(), _days_before(30), "2013-07-15"], True),  # 12 months ago: inside
        ([TODAY.isoformat(), _days_before(30), "2013-07-14"], False),  # a day earlier: outside
        (["2014-07-01", "2014-05-01", "2014-01-01", "2016-01-01"], True),  # future date ignored
    ],
)
def test_potential_escalation_window_boundaries(dates, escalation):
    ev = dash().evaluate(_dash_answers(2, incident_dates=dates), {"assessed_on": TODAY})
    assert ("potential_escalation" in ev.marac_criteria) is escalation


def test_potential_escalation_threshold_and_window_are_configurable():
    data = yaml.safe_load(dash().source)
    data["rules"]["marac"]["potential_escalation"] = {
        "question": "incident_dates",
        "min_incidents": 3,
        "months": 6,
    }
    local = parse_instrument(yaml.safe_dump(data), "local.yaml")
    inside = ["2014-07-15", "2014-03-01", "2014-01-15"]
    outside = ["2014-07-15", "2014-03-01", "2014-01-14"]
    assert local.evaluate(
        _dash_answers(0, incident_dates=inside), {"assessed_on": TODAY}
    ).marac_criteria == ["potential_escalation"]
    assert (
        local.evaluate(
            _dash_answers(0, incident_dates=outside), {"assessed_on": TODAY}
        ).marac_criteria
        == []
    )


@pytest.mark.parametrize(
    ("previous", "incident", "repeat"),
    [
        ("2013-07-15", "2014-07-15", True),  # exactly 12 months later: within
        ("2013-07-14", "2014-07-15", False),  # 12 months and a day
        ("2014-01-10", None, True),  # incident date defaults to the day of assessment
        ("2012-01-10", None, False),
        ("2014-08-01", "2014-07-15", False),  # the incident came before that MARAC
    ],
)
def test_repeat_window_boundaries(previous, incident, repeat):
    answers = _dash_answers(1, previous_marac_date=previous)
    if incident:
        answers["incident_date"] = incident
    ev = dash().evaluate(answers, {"assessed_on": TODAY})
    assert ("repeat" in ev.marac_criteria) is repeat


def test_children_in_household_prompt_a_childrens_matrix():
    ev = dash().evaluate(_dash_answers(2, children_in_household="yes"), {"assessed_on": TODAY})
    assert ev.details["children_prompt"] == MATRIX
    assert any("children's risk identification matrix" in a for a in ev.actions)
    ev = dash().evaluate(_dash_answers(2), {"assessed_on": TODAY})
    assert "children_prompt" not in ev.details


def test_every_criterion_at_once():
    answers = _dash_answers(
        15,
        professional_judgement="yes",
        professional_judgement_reasons="Threats to kill.",
        incident_dates=["2014-07-15", "2014-06-01", "2014-02-01"],
        previous_marac_date="2014-01-01",
    )
    ev = dash().evaluate(answers, {"assessed_on": TODAY})
    assert ev.marac_criteria == [
        "visible_high_risk",
        "professional_judgement",
        "potential_escalation",
        "repeat",
    ]


@pytest.mark.parametrize(
    ("day", "months", "expected"),
    [
        (datetime.date(2014, 3, 31), -1, datetime.date(2014, 2, 28)),
        (datetime.date(2016, 2, 29), -12, datetime.date(2015, 2, 28)),
        (datetime.date(2014, 7, 15), -12, datetime.date(2013, 7, 15)),
        (datetime.date(2014, 11, 30), 3, datetime.date(2015, 2, 28)),
    ],
)
def test_add_months_clamps_to_the_end_of_the_month(day, months, expected):
    assert add_months(day, months) == expected


# Answers that do not fit ----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("answers", "field", "message"),
    [
        ({"nonsense": "yes"}, "nonsense", "There is no question"),
        ({"q01_injury": "maybe"}, "q01_injury", "yes, no, dont_know"),
        ({"q01_injury": True}, "q01_injury", "yes, no, dont_know"),
        ({"professional_judgement": "dont_know"}, "professional_judgement", "yes, no"),
        ({"incident_date": "15/07/2014"}, "incident_date", "YYYY-MM-DD"),
        ({"incident_dates": "2014-07-01"}, "incident_dates", "list of dates"),
        ({"professional_judgement_reasons": 12}, "professional_judgement_reasons", "text"),
    ],
)
def test_bad_answers_name_the_question(answers, field, message):
    with pytest.raises(AnswerError) as error:
        dash().clean_answers(answers, partial=True)
    assert message in " ".join(error.value.errors[field])


def test_missing_required_answers_are_errors_unless_partial():
    with pytest.raises(AnswerError) as error:
        dash().clean_answers({"q01_injury": "yes"})
    assert len(error.value.errors) == 24  # 23 unanswered questions and children_in_household
    assert dash().clean_answers({"q01_injury": "yes"}, partial=True) == {"q01_injury": "yes"}


def test_answers_must_be_a_mapping():
    with pytest.raises(AnswerError):
        matrix().clean_answers(["yes"])


# Loading and validation -----------------------------------------------------------------------


def _broken(change) -> str:
    data = yaml.safe_load(matrix().source)
    change(data)
    return yaml.safe_dump(data)


def _set(path, value):
    def change(data):
        target = data
        for key in path[:-1]:
            target = target[key]
        target[path[-1]] = value

    return change


def _duplicate_question(data):
    data["sections"][1]["questions"].append(dict(data["sections"][0]["questions"][0]))


def _duplicate_section(data):
    data["sections"].append(dict(data["sections"][0]))


@pytest.mark.parametrize(
    ("change", "problem"),
    [
        (_duplicate_question, "duplicate question code 'ev_minor_incidents'"),
        (_duplicate_section, "duplicate section code 'evidence'"),
        (
            _set(["rules", "adjustments", 0, "when_any_yes"], ["child_under_seven"]),
            "adjustment 1 names unknown question 'child_under_seven'",
        ),
        (
            _set(["sections", 0, "questions", 0, "scale"], 5),
            "indicator 'ev_minor_incidents': scale 5 is out of range",
        ),
        (_set(["rules", "adjustments", 1, "set_to"], 9), "set_to 9 is out of range"),
        (_set(["rules", "method"], "vibes"), "unknown method 'vibes'"),
        (
            _set(["sections", 0, "questions", 0, "answer_type"], "maybe"),
            "unknown answer type 'maybe'",
        ),
        (_set(["levels", 1, "code"], "no_indicator"), "duplicate level code 'no_indicator'"),
        (_set(["version"], "one"), "'version' has the wrong type"),
    ],
)
def test_invalid_matrix_files_name_the_file_and_the_problem(change, problem):
    with pytest.raises(InstrumentError) as error:
        parse_instrument(_broken(change), "licensed-matrix.yaml")
    assert str(error.value).startswith("licensed-matrix.yaml: ")
    assert problem in str(error.value)


def _dash_broken(change) -> str:
    data = yaml.safe_load(dash().source)
    change(data)
    return yaml.safe_dump(data)


@pytest.mark.parametrize(
    ("change", "problem"),
    [
        (_set(["rules", "bands", 0, "min_yes"], 25), "min_yes is out of range: 25"),
        (_set(["rules", "bands", 1, "min_yes"], 0), "min_yes is out of range: 0"),
        (_set(["rules", "bands", 1, "min_yes"], 15), "highest min_yes"),
        (_set(["rules", "bands", 0, "level"], "extreme"), "band 1 names an unknown level"),
        (
            _set(["rules", "marac", "visible_high_risk", "min_yes"], 30),
            "visible_high_risk min_yes is out of range",
        ),
        (
            _set(["rules", "marac", "potential_escalation", "months"], 0),
            "potential_escalation months is out of range",
        ),
        (
            _set(["rules", "marac", "repeat", "question"], "last_marac"),
            "repeat names unknown question 'last_marac'",
        ),
        (
            _set(["rules", "marac", "professional_judgement", "question"], "q01_injury"),
            "must be answered yes_no",
        ),
        (_set(["rules", "marac", "vibes"], {}), "unknown MARAC criteria ['vibes']"),
    ],
)
def test_invalid_dash_files_name_the_file_and_the_problem(change, problem):
    with pytest.raises(InstrumentError) as error:
        parse_instrument(_dash_broken(change), "local-dash.yaml")
    assert str(error.value).startswith("local-dash.yaml: ")
    assert problem in str(error.value)


def test_unreadable_and_missing_files_are_named(tmp_path):
    bad = tmp_path / "bad.yaml"
    bad.write_text("code: [unclosed\n")
    with pytest.raises(InstrumentError, match=r"bad.yaml: cannot be read"):
        load_instrument_file(bad)
    with pytest.raises(InstrumentError, match=r"missing.yaml: cannot be read"):
        load_instrument_file(tmp_path / "missing.yaml")
    (tmp_path / "list.json").write_text("[1, 2]")
    with pytest.raises(InstrumentError, match="list.json: the file must describe one"):
        load_instrument_file(tmp_path / "list.json")


def test_json_files_load_too(tmp_path):
    path = tmp_path / "matrix.json"
    import json

    path.write_text(json.dumps(yaml.safe_load(matrix().source)))
    assert load_instrument_file(path).code == MATRIX


def test_unknown_instrument_or_version():
    with pytest.raises(InstrumentError, match="no such instrument"):
        get_instrument("nope")
    with pytest.raises(InstrumentError, match="no version 7"):
        get_instrument(MATRIX, version=7)
