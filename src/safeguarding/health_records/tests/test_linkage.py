"""The linkage pipeline on a few hundred generated children plus hand-made hard cases."""

from __future__ import annotations

import csv
import dataclasses
import datetime
import json

import pytest

from safeguarding.health_records.linkage import (
    LinkageSettings,
    Record,
    link,
    read_extract,
    write_outputs,
)
from safeguarding.health_records.linkage.evaluate import evaluate, read_truth
from safeguarding.health_records.linkage.extracts import nhs_number_is_valid
from safeguarding.health_records.linkage.generate import generate
from safeguarding.health_records.linkage.names import (
    fuzzy_given_name_keys,
    given_names_agree,
    plain,
    plain_address,
    soundex,
    within_one_edit,
)

TODAY = datetime.date(2014, 3, 31)
TWIN_DOB = datetime.date(2012, 7, 9)


def _child(
    record_id,
    nhs,
    given,
    sex,
    *,
    family="Okonkwo-Reilly",
    dob=TWIN_DOB,
    kind="gp",
    postcode="ZE2 9QA",
    address="7 Lerwick Lane",
    nhs_raw=None,
):
    return Record(
        record_id=record_id,
        nhs_number=nhs,
        nhs_number_raw=nhs_raw or nhs or "",
        nhs_number_valid=nhs is not None,
        given_name=given,
        family_name=family,
        date_of_birth=dob,
        sex=sex,
        postcode=postcode,
        address_line=address,
        gp_practice_code="Z99001" if kind == "gp" else "",
        hv_team="HV team 01" if kind == "hv" else "",
    )


# Hard cases added to the generated lists:
# - twins Ada and Cara on both lists, the HV records without NHS numbers;
# - twin Finn GP-registered only, his twin Gus known to health visiting only (no NHS number);
# - a child whose nickname and a transposed date of birth are on the HV list;
# - twins Tomas and Tamas Varga: Tamas's GP record has moved, only Tamas is known to health
#   visiting (no NHS number), and the names are one letter apart;
# - brothers both called Elias Hartigan, born 16 months apart, one on each list, no NHS numbers;
# - Nadia Brennock, moved, whose HV record has her NHS number with two digits swapped;
# - Edward Quennell, "Edwurd" on the GP list (a typing slip) and "Eddie" on the HV list;
# - Maisie Trelawny, registered at a second practice after a move within her postcode area (no
#   NHS number there), and a look-alike Maisie Trelawny, born the same day, far away in KW;
# - Chloe Davies (GP) and Chloe Davis (health visiting, no NHS number), born the same day in one
#   postcode district: two families' names a letter apart, each common on the lists.
ELIAS_DOB = datetime.date(2012, 9, 30)
MAISIE_DOB = datetime.date(2013, 1, 22)
CHLOE_DOB = datetime.date(2013, 6, 5)
NADIA_NHS = "9990000042"  # valid: 9, 9, 9, 0, 0, 0, 0, 0, 4 give check digit 2
EXTRA_GP = [
    _child("XG-TOMAS", "9990000050", "Tomas", "M", family="Varga"),
    _child(
        "XG-TAMAS", None, "Tamas", "M", family="Varga", postcode="ZE1 0AB", address="2 Hill Road"
    ),
    _child("XG-ELIAS", None, "Elias", "M", family="Hartigan", dob=ELIAS_DOB, postcode="ZE3 1AA"),
    _child("XG-NADIA", NADIA_NHS, "Nadia", "F", family="Brennock", postcode="ZE3 2BB"),
    _child("XG-EDWURD", None, "Edwurd", "M", family="Quennell", postcode="ZE3 3DD"),
    _child("XG-ADA", "9990000018", "Ada", "F"),
    _child("XG-CARA", "9990000026", "Cara", "F"),
    _child("XG-FINN", "9990000034", "Finn", "M", family="Quist"),
    _child("XG-WILL", None, "William", "M", family="Thorogood", dob=datetime.date(2011, 3, 4)),
    *[
        _child(uid, nhs, "Maisie", "F", family="Trelawny", dob=MAISIE_DOB, postcode=pc, address=a)
        for uid, nhs, pc, a in [
            ("XG-MAISIE", "9990000107", "ZE5 1AB", "3 Voe Road"),
            ("XG-MAISIE-2", None, "ZE7 4QT", "11 Scalloway Row"),
            ("XG-MAISIE-FAR", None, "KW15 1AA", "40 Kirkwall Street"),
        ]
    ],
    _child("XG-CHLOE", "9990000115", "Chloe", "F", family="Davies", dob=CHLOE_DOB),
    *[
        _child(f"XG-DAVIES-{n}", None, name, "M", family="Davies", dob=CHLOE_DOB.replace(year=y))
        for n, (name, y) in enumerate([("Rhys", 2010), ("Owain", 2011), ("Dewi", 2012)])
    ],
]
EXTRA_HV = [
    _child("XH-TAMAS", None, "Tamas", "M", family="Varga", kind="hv"),
    _child(
        "XH-ELIAS",
        None,
        "Elias",
        "M",
        family="Hartigan",
        dob=datetime.date(2011, 5, 14),
        postcode="ZE3 1AA",
        kind="hv",
    ),
    _child(
        "XH-NADIA",
        None,
        "Nadia",
        "F",
        family="Brennock",
        postcode="ZE4 9ZZ",
        address="90 Far Street",
        nhs_raw="9990000024",
        kind="hv",
    ),
    _child("XH-EDDIE", None, "Eddie", "M", family="Quennell", postcode="ZE3 3DD", kind="hv"),
    _child("XH-CARA", None, "Cara", "F", kind="hv"),
    _child("XH-ADA", None, "Ada", "F", kind="hv"),
    _child("XH-GUS", None, "Gus", "M", family="Quist", kind="hv"),
    _child(
        "XH-BILL", None, "Billy", "M", family="Thorogood", dob=datetime.date(2011, 4, 3), kind="hv"
    ),
    _child(
        "XH-MAISIE",
        "9990000107",
        "Maisie",
        "F",
        family="Trelawny",
        dob=MAISIE_DOB,
        postcode="ZE5 1AB",
        address="3 Voe Road",
        kind="hv",
    ),
    _child("XH-CHLOE", None, "Chloe", "F", family="Davis", dob=CHLOE_DOB, address="9 Bay Road"),
    *[
        _child(f"XH-DAVIS-{n}", None, name, "F", family="Davis", dob=CHLOE_DOB.replace(year=y))
        for n, (name, y) in enumerate([("Nia", 2010), ("Ffion", 2011), ("Seren", 2012)])
    ],
]


@pytest.fixture(scope="module")
def generated(tmp_path_factory):
    out = tmp_path_factory.mktemp("extracts")
    generate(300, 7, out)
    gp = read_extract(out / "gp_extract.csv", "gp", today=TODAY)
    hv = read_extract(out / "hv_extract.csv", "hv", today=TODAY)
    return out, gp.accepted + EXTRA_GP, hv.accepted + EXTRA_HV


@pytest.fixture(scope="module")
def snapshot(generated):
    """The records as they were before the module's linkage run (link must not change them)."""
    _, gp, hv = generated
    return [dataclasses.asdict(r) for r in gp + hv]


@pytest.fixture(scope="module")
def linked(generated, snapshot):
    _, gp, hv = generated
    return link(gp, hv, LinkageSettings())


@pytest.fixture(scope="module")
def relinked(generated, linked):
    """A second run with a person's decisions and a stricter match threshold (one run for the
    tests of both, to keep the module quick)."""
    _, gp, hv = generated
    match = next(p for p in linked.pairs if p.match_status == "match" and not p.reason)
    decisions = {
        (match.gp_record_id, match.hv_record_id): False,  # a person said: not the same child
        ("XG-FINN", "XH-GUS"): True,  # and (wrongly, but it is theirs to say) that these are
    }
    settings = LinkageSettings(decisions=decisions, match_threshold=0.999999)
    return match, link(gp, hv, settings)


def test_names_variants_and_soundex():
    assert given_names_agree("Bill", "William")
    assert given_names_agree("Muhammad", "Mohammed")
    assert given_names_agree("Aisha", "Ayesha")
    assert not given_names_agree("Ada", "Cara")
    assert soundex("Robert") == soundex("Rupert") == "R163"
    assert soundex("Ashcraft") == "A261"
    assert plain("  O'Brien-Smith ") == "OBRIEN-SMITH"
    assert plain("Zoë") == "ZOE"
    assert plain_address("12a, High St.") == "12A HIGH ST"  # the house number is kept
    assert plain_address("12 High Street") != plain_address("14 High Street")


def test_a_typing_slip_reaches_the_known_name():
    assert within_one_edit("IVAN", "IVN") and within_one_edit("EDWARD", "EDWRAD")
    assert within_one_edit("TOPHER", "TOPEER") and not within_one_edit("XAB", "ABX")
    assert "EDWARD" in fuzzy_given_name_keys("Edwurd")
    assert "JOHN" in fuzzy_given_name_keys("Ivn")  # Ivan is a form of John
    assert fuzzy_given_name_keys("Amelia") == ("AMELIA",)  # a known name stays as it is
    assert not given_names_agree("Edwurd", "Eddie")  # the exact variant test is unchanged


def test_hand_made_nhs_numbers_are_valid():
    assert nhs_number_is_valid(NADIA_NHS) and nhs_number_is_valid("9990000050")
    assert not nhs_number_is_valid("9990000024")  # Nadia's, two digits swapped


def test_generated_lists_link_with_the_targets_met(generated, linked):
    out, _, _ = generated
    truth = read_truth(out / "truth.csv")
    # the hand-made records are scored by the other tests
    pairs = [p for p in linked.pairs if not p.gp_record_id.startswith("X")]
    gp_unknown = [r for r in linked.gp_not_known_to_hv if not r.startswith("X")]
    hv_unregistered = [r for r in linked.hv_not_registered_with_gp if not r.startswith("X")]
    scores = evaluate(truth, pairs, gp_unknown, hv_unregistered)
    assert scores["precision"] == 1.0
    assert scores["recall"] >= 0.99
    assert scores["twin_cross_links"] == 0
    assert scores["unknown_list_recall"] == 1.0
    assert scores["unregistered_list_recall"] == 1.0
    assert scores["unknown_list_precision"] >= 0.9


def test_twins_are_linked_to_themselves_never_to_each_other(linked):
    partner = {p.gp_record_id: p.hv_record_id for p in linked.pairs}
    assert partner.get("XG-ADA") in (None, "XH-ADA")
    assert partner.get("XG-CARA") in (None, "XH-CARA")
    assert partner["XG-ADA"] == "XH-ADA" and partner["XG-CARA"] == "XH-CARA"


def test_a_twin_on_one_list_is_not_linked_to_the_other_twin(linked):
    assert "XG-FINN" not in {p.gp_record_id for p in linked.pairs}
    assert "XH-GUS" not in {p.hv_record_id for p in linked.pairs}
    assert "XG-FINN" in linked.gp_not_known_to_hv
    assert "XH-GUS" in linked.hv_not_registered_with_gp
    assert linked.counts.get("blocked_given_names_disagree", 0) >= 1


def test_a_twin_whose_record_moved_is_still_guarded(linked):
    partner = {p.gp_record_id: p.hv_record_id for p in linked.pairs}
    assert partner.get("XG-TOMAS") != "XH-TAMAS"
    assert "XG-TOMAS" in linked.gp_not_known_to_hv


def test_brothers_of_one_name_born_apart_are_not_matched(linked):
    pairs = [p for p in linked.pairs if p.gp_record_id == "XG-ELIAS"]
    assert all(p.match_status == "review" for p in pairs)
    assert "XG-ELIAS" in linked.gp_not_known_to_hv


def test_a_mistyped_nhs_number_and_a_typing_slip_in_a_name_still_link(linked):
    partner = {p.gp_record_id: p for p in linked.pairs}
    assert partner["XG-NADIA"].hv_record_id == "XH-NADIA"
    assert partner["XG-NADIA"].match_status == "match"
    assert partner["XG-EDWURD"].hv_record_id == "XH-EDDIE"
    assert "XG-EDWURD" not in linked.gp_not_known_to_hv


def test_nickname_and_transposed_date_still_link(linked):
    pair = next(p for p in linked.pairs if p.gp_record_id == "XG-WILL")
    assert pair.hv_record_id == "XH-BILL"
    assert pair.match_status in ("match", "review")


def test_a_second_registration_in_the_same_area_is_not_an_unknown_child(linked):
    pairs = {p.gp_record_id: p for p in linked.pairs}
    assert pairs["XG-MAISIE"].hv_record_id == "XH-MAISIE"
    assert pairs["XG-MAISIE"].match_status == "match"
    second = pairs["XG-MAISIE-2"]
    assert (second.hv_record_id, second.match_status) == ("XH-MAISIE", "review")
    assert second.reason == "second registration of the child in GP record XG-MAISIE"
    assert "XG-MAISIE-2" not in linked.gp_not_known_to_hv


def test_a_look_alike_in_another_area_stays_on_the_unknown_list(linked):
    assert "XG-MAISIE-FAR" not in {p.gp_record_id for p in linked.pairs}
    assert "XG-MAISIE-FAR" in linked.gp_not_known_to_hv


def test_two_common_family_names_a_letter_apart_are_left_to_a_person(linked):
    pair = next(p for p in linked.pairs if p.gp_record_id == "XG-CHLOE")
    assert pair.hv_record_id == "XH-CHLOE"
    assert (pair.match_status, pair.reason) == ("review", "two different family names")
    assert "XG-CHLOE" in linked.gp_not_known_to_hv


def test_a_common_look_alike_in_the_same_area_is_not_taken_for_a_second_registration():
    from safeguarding.health_records.linkage.assignment import _LookAlikes, _second_registrations
    from safeguarding.health_records.linkage.features import features

    # Five Oliver Smiths, two born on one day in the ZE area: with names this common, two
    # children are as likely as one registered twice.
    records = [
        _child(f"G{n}", None, "Oliver", "M", family="Smith", dob=dob, postcode=f"ZE{n} 1AA")
        for n, dob in enumerate([TWIN_DOB, TWIN_DOB, ELIAS_DOB, MAISIE_DOB, CHLOE_DOB])
    ]
    cols = features(records)
    look_alikes = _LookAlikes(cols)
    assert look_alikes.expected(cols, 0, 1) > 1e-4
    assert _second_registrations(cols, {"G0": "H0"}, look_alikes, 1e-4) == {}
    assert _second_registrations(cols, {"G0": "H0"}, look_alikes, 1.0) == {"G1": "G0"}
    # The same NHS number is enough, wherever the record is.
    records[4] = dataclasses.replace(records[4], nhs_number="9990000018", postcode="KW1 1AA")
    records[0] = dataclasses.replace(records[0], nhs_number="9990000018")
    cols = features(records)
    assert _second_registrations(cols, {"G0": "H0"}, _LookAlikes(cols), 1e-4) == {"G4": "G0"}


def test_in_one_home_a_slip_in_the_family_name_or_date_is_still_one_child():
    from safeguarding.health_records.linkage.assignment import _LookAlikes, _second_registrations
    from safeguarding.health_records.linkage.features import features

    near = TWIN_DOB + datetime.timedelta(days=2)
    records = [
        _child("G0", None, "Oliver", "M", family="Smith"),
        _child("G1", None, "Oliver", "M", family="Smyth", dob=near),  # the same child
        _child("G2", None, "Olivia", "F", family="Smith"),  # his twin sister
        _child("G3", None, "Oliver", "M", family="Smith", dob=ELIAS_DOB),  # a brother of one name
    ]
    cols = features(records)
    found = _second_registrations(cols, {"G0": "H0"}, _LookAlikes(cols), 1e-4)
    assert found == {"G1": "G0"}


def test_postcode_area_is_the_leading_letters():
    from safeguarding.health_records.linkage.features import _postcode_area

    assert [_postcode_area(c) for c in ("LS6", "B15", "EC1A", "SW1A")] == ["LS", "B", "EC", "SW"]


def test_each_record_is_in_at_most_one_match(linked):
    matches = [p for p in linked.pairs if p.match_status == "match"]
    assert len({p.gp_record_id for p in matches}) == len(matches)
    assert len({p.hv_record_id for p in matches}) == len(matches)
    assert all(p.match_probability >= 0.95 or p.reason for p in matches)
    reviews = [p for p in linked.pairs if p.match_status == "review"]
    assert all(0.5 <= p.match_probability < 0.95 or p.reason for p in reviews)


def test_counts_timings_and_model_are_reported(linked):
    assert linked.counts["matches"] + linked.counts["gp_not_known_to_hv"] >= len(EXTRA_GP)
    assert set(linked.timings) >= {"features", "training", "scoring", "assignment", "total"}
    model = linked.model
    assert model["match_threshold"] == 0.95 and model["review_threshold"] == 0.5
    comparisons = {c["output_column_name"] for c in model["splink"]["comparisons"]}
    assert comparisons == {
        "nhs_number",
        "given_name",
        "family_name",
        "date_of_birth",
        "sex",
        "home",
    }
    trained = model["splink"]["comparisons"][1]["comparison_levels"][1]
    assert 0 < trained["m_probability"] <= 1  # estimated from these files by EM
    json.dumps(model)  # saved with the run


def test_review_decisions_are_reused(relinked):
    match, again = relinked
    pairs = {(p.gp_record_id, p.hv_record_id): p for p in again.pairs}
    assert (match.gp_record_id, match.hv_record_id) not in pairs
    assert pairs[("XG-FINN", "XH-GUS")].match_status == "match"
    assert pairs[("XG-FINN", "XH-GUS")].reason == "accepted by a reviewer"
    assert again.counts["rejected_by_reviewer"] == 1


def test_higher_thresholds_move_pairs_from_match_to_review(linked, relinked):
    _, strict = relinked
    assert strict.counts["matches"] < linked.counts["matches"]
    assert strict.counts["review"] > linked.counts["review"]


def test_thresholds_are_checked():
    with pytest.raises(ValueError, match="review_threshold <= match_threshold"):
        LinkageSettings(match_threshold=0.5, review_threshold=0.9)


def test_empty_list_gives_every_other_record_as_unknown():
    record = _child("G1", "9990000018", "Ada", "F")
    result = link([record], [], LinkageSettings())
    assert result.gp_not_known_to_hv == ["G1"] and result.pairs == []


def test_write_outputs(tmp_path, generated, linked):
    _, gp, hv = generated
    paths = write_outputs(linked, gp, hv, tmp_path / "out")
    with paths["matches"].open() as handle:
        rows = list(csv.DictReader(handle))
    assert list(rows[0])[:4] == [
        "gp_record_id",
        "hv_record_id",
        "match_probability",
        "match_status",
    ]
    assert {r["match_status"] for r in rows} <= {"match", "review"}
    assert len(rows) == len(linked.pairs)
    with paths["gp_not_known_to_hv"].open() as handle:
        unknown = list(csv.DictReader(handle))
    assert unknown[0]["gp_record_id"] and "family_name" in unknown[0]
    assert [r["gp_record_id"] for r in unknown] == linked.gp_not_known_to_hv
    with paths["hv_not_registered_with_gp"].open() as handle:
        assert len(list(csv.DictReader(handle))) == len(linked.hv_not_registered_with_gp)
    summary = json.loads(paths["summary"].read_text())
    assert summary["counts"] == linked.counts
    assert summary["peak_memory_mb"] > 0
    assert "splink" in summary["model"]


def test_records_are_not_mutated(generated, snapshot, linked):
    _, gp, hv = generated
    assert [dataclasses.asdict(r) for r in gp + hv] == snapshot
