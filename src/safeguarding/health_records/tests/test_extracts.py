"""read_extract: columns, encodings, validation rules and the import report."""

from __future__ import annotations

import datetime
import io

import pytest
from openpyxl import Workbook

from safeguarding.health_records.linkage import ExtractRefused, read_extract
from safeguarding.health_records.linkage.extracts import (
    nhs_number_is_valid,
    normalise_postcode,
    normalise_sex,
    parse_date_of_birth,
)

TODAY = datetime.date(2014, 3, 31)
GP_HEADER = (
    "record_id,nhs_number,given_name,family_name,date_of_birth,sex,postcode,address_line,"
    "gp_practice_code"
)


def gp_file(*rows: str, header: str = GP_HEADER, encoding: str = "utf-8") -> io.BytesIO:
    return io.BytesIO("\n".join([header, *rows]).encode(encoding))


def test_modulus_11_check_digit():
    assert nhs_number_is_valid("9434765919")
    assert not nhs_number_is_valid("9434765918")
    # 9,9,9,0,0,0,0,0,1 weighted 10..2: 90 + 81 + 72 + 2 = 245; 245 % 11 = 3; 11 - 3 = 8
    assert nhs_number_is_valid("9990000018")
    assert not nhs_number_is_valid("99900000")


def test_a_nine_digit_prefix_whose_check_would_be_10_is_never_valid():
    # 999000003: 90+81+72+6 = 249; 249 % 11 = 7 -> 4; find one giving 10 by search instead.
    from safeguarding.health_records.linkage.extracts import nhs_check_digit

    impossible = next(f"999{n:06d}" for n in range(1000) if nhs_check_digit(f"999{n:06d}") is None)
    assert not any(nhs_number_is_valid(impossible + str(d)) for d in range(10))


@pytest.mark.parametrize(
    ("raw", "expected"),
    [("2013-04-30", datetime.date(2013, 4, 30)), ("30/04/2013", datetime.date(2013, 4, 30))],
)
def test_dates_of_birth_in_iso_and_uk_forms(raw, expected):
    assert parse_date_of_birth(raw, TODAY) == (expected, None)


def test_future_and_impossible_dates_are_problems():
    assert parse_date_of_birth("2014-12-25", TODAY) == (
        None,
        "date of birth 25/12/2014 is in the future; left blank",
    )
    assert parse_date_of_birth("2014-06-06", TODAY)[0] is None  # swapping changes nothing
    assert parse_date_of_birth("2014-12-04", TODAY)[0] is None  # 12/04/2014 is in the future too
    assert "not a real date" in parse_date_of_birth("31/02/2013", TODAY)[1]
    assert "not a date like" in parse_date_of_birth("April 2013", TODAY)[1]


def test_a_future_date_that_is_past_with_day_and_month_swapped_is_read_that_way():
    # A baby born on 12 January 2014, written with day and month the wrong way round.
    assert parse_date_of_birth("01/12/2014", TODAY) == (
        datetime.date(2014, 1, 12),
        "date of birth 01/12/2014 is in the future; read as 12/01/2014 (day and month swapped)",
    )


def test_sex_words_and_postcodes_are_normalised():
    assert normalise_sex("female") == ("F", None)
    assert normalise_sex(" Boy ") == ("M", None)
    assert normalise_sex("")[0] == "U"
    assert normalise_sex("maybe")[0] == "U" and normalise_sex("maybe")[1]
    assert normalise_postcode("sw1a1aa") == ("SW1A 1AA", None)
    assert normalise_postcode(" ab1  2cd ") == ("AB1 2CD", None)
    assert normalise_postcode("12345")[0] is None


def test_report_counts_flags_and_rejections():
    report = read_extract(
        gp_file(
            "G1,943 476 5919,Amelia,Smith,30/04/2013,Female,sw1a1aa,1 High Street,A81001",
            "G2,9434765918,Oliver,Jones,2012-01-02,M,SW1A 1AA,1 High Street,A81001",
            "G1,,Jack,Brown,2012-01-02,M,,,A81001",
            ",9434765919,Ava,Green,2012-01-02,F,,,A81001",
            "G5,,Noah,,,M,,,A81001",
            "G6,,Isla,Khan,2015-01-01,girl,,,A81001",
            ",,,,,,,,",
        ),
        kind="gp",
        today=TODAY,
    )
    assert report.rows_read == 6
    assert [r.record_id for r in report.accepted] == ["G1", "G2"]
    first, second = report.accepted
    assert (first.nhs_number, first.nhs_number_valid, first.sex, first.postcode) == (
        "9434765919",
        True,
        "F",
        "SW1A 1AA",
    )
    assert first.date_of_birth == datetime.date(2013, 4, 30)
    assert second.nhs_number is None and not second.nhs_number_valid
    assert second.nhs_number_raw == "9434765918"
    assert [p.row_number for p in report.flagged] == [3]
    assert "fails the check digit" in report.flagged[0].reasons[0]
    reasons = {p.row_number: p.reasons for p in report.rejected}
    assert reasons[4] == ["record_id “G1” is already used on row 2"]
    assert reasons[5] == ["record_id is blank"]
    assert "too little to identify" in reasons[6][0]
    assert "in the future" in reasons[7][1]  # no NHS number and no usable date: rejected


def test_header_names_are_case_insensitive_and_extra_columns_ignored():
    header = (
        "Record ID,NHS_Number,Given Name,FAMILY_NAME,Date-of-Birth,Sex,Postcode,Notes,"
        "Address_Line,GP_Practice_Code"
    )
    report = read_extract(
        gp_file(
            "G1,9434765919,Amelia,Smith,2013-04-30,F,AB1 2CD,ignored,1 Main St,A1", header=header
        ),
        kind="gp",
        today=TODAY,
    )
    assert report.accepted[0].address_line == "1 Main St"
    assert report.accepted[0].gp_practice_code == "A1"


def test_missing_columns_are_refused_by_name():
    with pytest.raises(ExtractRefused) as refused:
        read_extract(gp_file("G1,Amelia", header="record_id,forename,surname"), kind="gp")
    assert refused.value.missing_columns == [
        "nhs_number",
        "given_name",
        "family_name",
        "date_of_birth",
        "sex",
        "postcode",
        "address_line",
        "gp_practice_code",
    ]
    assert "missing these columns: nhs_number, given_name" in str(refused.value)


def test_an_hv_file_needs_hv_team():
    with pytest.raises(ExtractRefused) as refused:
        read_extract(gp_file("G1,,A,B,2013-01-01,F,,,X"), kind="hv")
    assert refused.value.missing_columns == ["hv_team"]


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b"", "is empty"),
        (b"\n\n", "is empty"),
        (GP_HEADER.encode(), "header row but no records"),
        ("record_id".encode("utf-16"), "UTF-16"),
        (b"\x00\x01\x02binary", "binary data"),
    ],
)
def test_unusable_files_are_refused_with_a_clear_message(content, message):
    with pytest.raises(ExtractRefused, match=message):
        read_extract(io.BytesIO(content), kind="gp")


def test_utf8_with_bom_and_windows_1252_are_both_read():
    row = "G1,9434765919,Zoë,Müller,2013-04-30,F,AB1 2CD,1 Main St,A1"
    with_bom = io.BytesIO(b"\xef\xbb\xbf" + "\n".join([GP_HEADER, row]).encode("utf-8"))
    cp1252 = gp_file(row, encoding="cp1252")
    for stream, encoding in ((with_bom, "utf-8-sig"), (cp1252, "cp1252")):
        report = read_extract(stream, kind="gp", today=TODAY)
        assert report.encoding == encoding
        assert (report.accepted[0].given_name, report.accepted[0].family_name) == ("Zoë", "Müller")


def test_xlsx_with_typed_cells(tmp_path):
    book = Workbook()
    sheet = book.active
    sheet.append(GP_HEADER.split(","))
    sheet.append(
        [1, 9434765919, "Amelia", "Smith", datetime.datetime(2013, 4, 30), "F", "AB1 2CD", "", "A1"]
    )
    path = tmp_path / "gp.xlsx"
    book.save(path)
    report = read_extract(path, kind="gp", today=TODAY)
    record = report.accepted[0]
    assert (record.record_id, record.nhs_number, record.date_of_birth) == (
        "1",
        "9434765919",
        datetime.date(2013, 4, 30),
    )


def test_an_unreadable_path_is_refused(tmp_path):
    with pytest.raises(ExtractRefused, match="could not be opened"):
        read_extract(tmp_path / "missing.csv", kind="gp")
