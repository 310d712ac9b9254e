"""core.tabular: one reader for CSV (UTF-8, UTF-8 with BOM, Windows-1252) and XLSX files."""

from __future__ import annotations

import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from openpyxl import Workbook

from safeguarding.core.tabular import Contract, TabularError, header_key, open_table

CONTRACT = Contract(required=["name", "email"], optional=["team"], aliases={"e_mail": "email"})
ROWS = [["Name", "E-mail", "Team"], ["Zoë O’Brien", "zoe@example.org", "North"]]


def csv_bytes(rows, encoding="utf-8") -> bytes:
    text = "\r\n".join(",".join(row) for row in rows) + "\r\n"
    return text.encode(encoding)


def xlsx_bytes(rows) -> bytes:
    workbook = Workbook()
    sheet = workbook.active
    for row in rows:
        sheet.append(row)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def read(source, **options):
    with open_table(source, contract=CONTRACT, **options) as table:
        return table.encoding, list(table.records())


@pytest.mark.parametrize(
    ("data", "encoding"),
    [
        (csv_bytes(ROWS), "utf-8"),
        (b"\xef\xbb\xbf" + csv_bytes(ROWS), "utf-8-sig"),
        (csv_bytes(ROWS, "cp1252"), "cp1252"),
        (xlsx_bytes(ROWS), "xlsx"),
    ],
    ids=["utf-8", "utf-8-bom", "windows-1252", "xlsx"],
)
def test_each_encoding_reads_the_same_names(data, encoding):
    assert read(data) == (
        encoding,
        [(2, {"name": "Zoë O’Brien", "email": "zoe@example.org", "team": "North"})],
    )


def test_windows_1252_apostrophe_is_byte_0x92():
    data = csv_bytes(ROWS, "cp1252")
    assert b"O\x92Brien" in data
    assert read(data)[1][0][1]["name"] == "Zoë O’Brien"


def test_a_file_on_disk_and_an_upload(tmp_path):
    path = tmp_path / "people.csv"
    path.write_bytes(csv_bytes(ROWS))
    upload = SimpleUploadedFile("people.xlsx", xlsx_bytes(ROWS))
    assert read(path)[1] == read(upload)[1]
    with open_table(path) as table:
        assert table.name == "people.csv"


def test_headers_match_whatever_the_case_spaces_and_hyphens():
    assert header_key("  Line manager E-mail ") == "line_manager_e_mail"
    assert header_key("\ufeffGiven-Name") == "given_name"
    data = csv_bytes([[" NAME ", "e-mail"], ["Ann", "ann@example.org"]])
    assert read(data)[1] == [(2, {"name": "Ann", "email": "ann@example.org"})]


def test_missing_required_columns_refuse_the_whole_file_naming_them():
    with pytest.raises(TabularError) as refused:
        read(csv_bytes([["team", "other"], ["North", "x"]]))
    assert refused.value.code == "missing_columns"
    assert refused.value.missing_columns == ["name", "email"]
    assert str(refused.value) == "The file is missing these columns: name, email."


def test_blank_lines_are_skipped_and_rows_keep_their_numbers_in_the_file():
    rows = [["", ""], ["name", "email"], ["Ann", "a@example.org"], ["", " "], ["Bo", "b@x.org"]]
    encoding, records = read(csv_bytes(rows))
    assert [number for number, _ in records] == [3, 5]
    encoding, records = read(xlsx_bytes([[None], *rows[1:3], [None, None], rows[4]]))
    assert [number for number, _ in records] == [3, 5]


def test_rows_give_cells_as_read_with_their_row_numbers():
    with open_table(xlsx_bytes([["name", "email"], ["Ann", 12.0]]), contract=CONTRACT) as table:
        assert table.header_row == 1
        assert list(table.rows()) == [(2, ["Ann", 12])]


@pytest.mark.parametrize(
    ("data", "code"),
    [
        (b"", "empty"),
        (b" \r\n\r\n", "empty"),
        (xlsx_bytes([]), "empty"),
        ("name,email\r\n".encode("utf-16"), "utf16"),
        (b"\x00\x01\x02binary", "binary"),
        (b"PK\x03\x04 not really a workbook", "xlsx"),
    ],
)
def test_files_that_cannot_be_read_are_refused(data, code):
    with pytest.raises(TabularError) as refused:
        read(data)
    assert refused.value.code == code


def test_too_many_rows_is_refused():
    rows = [["name", "email"]] + [[f"P{i}", f"p{i}@example.org"] for i in range(4)]
    with pytest.raises(TabularError, match="more than 3 rows"):
        read(csv_bytes(rows), max_rows=3)
    assert len(read(csv_bytes(rows), max_rows=4)[1]) == 4


def test_duplicate_columns_refused_when_asked():
    data = csv_bytes([["name", "email", "Name"], ["a", "b", "c"]])
    assert read(data)[1] == [(2, {"name": "a", "email": "b"})]  # the first one counts
    with pytest.raises(TabularError, match="more than once: name"):
        read(data, refuse_duplicate_columns=True)


def test_undecodable_text_is_refused():
    data = csv_bytes([["name", "email"]]) + b"\x81\x8d,x\r\n"  # undefined in Windows-1252
    with pytest.raises(TabularError) as refused:
        read(data)
    assert refused.value.code == "encoding"
