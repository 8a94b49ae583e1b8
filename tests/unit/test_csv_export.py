"""CSV export: a byte-order mark, spreadsheet-safe text, numbers and UTC times."""

import csv
import io
from datetime import UTC, datetime, timedelta, timezone

import pytest

from quizapp.domain.csv_export import BOM, csv_chunks, neutralise, to_csv


def parse(text):
    return list(csv.reader(io.StringIO(text.lstrip("\ufeff"))))


def single_cell(cell):
    return parse(to_csv(["value"], [[cell]]))[1][0]


def test_file_starts_with_one_byte_order_mark():
    text = to_csv(["name"], [["Baker"], ["Genscher"]])

    assert text.startswith("\ufeff")
    assert text.count("\ufeff") == 1


def test_one_header_row_then_the_rows():
    text = to_csv(
        ["student", "score", "finished"],
        [["anna", 0.5, True], ["ben", 1.0, False], ["cem", None, None]],
    )

    assert parse(text) == [
        ["student", "score", "finished"],
        ["anna", "0.5", "yes"],
        ["ben", "1", "no"],
        ["cem", "", ""],
    ]


def test_rows_end_with_crlf():
    assert to_csv(["a", "b"], [[1, 2]]) == "\ufeffa,b\r\n1,2\r\n"


def test_no_rows_gives_the_header_alone():
    assert parse(to_csv(["student", "score"], [])) == [["student", "score"]]


@pytest.mark.parametrize(
    "value",
    [
        '=HYPERLINK("http://evil","x")',
        "+1+cmd|' /C calc'!A0",
        "-2+3",
        "@SUM(A1:A9)",
        "\t=1+1",
        "\r=1+1",
    ],
    ids=["equals", "plus", "minus", "at", "tab", "carriage return"],
)
def test_formula_prefixes_are_neutralised(value):
    assert neutralise(value) == "'" + value
    assert single_cell(value) == "'" + value


@pytest.mark.parametrize("value", ["Baker", "1990", "", " =not at the start", "'quoted"])
def test_other_text_is_unchanged(value):
    assert neutralise(value) == value


def test_header_is_neutralised():
    assert parse(to_csv(["=cmd", "ok"], []))[0] == ["'=cmd", "ok"]


@pytest.mark.parametrize(
    "value",
    [
        "Baker, James",
        'the "not one inch" assurance',
        "line one\nline two",
        "line one\r\nline two",
        "Gorbatschow – «nicht einen Zoll»",
        "Горбачёв",
    ],
    ids=["comma", "quotes", "newline", "crlf inside", "german quotes", "cyrillic"],
)
def test_awkward_text_round_trips(value):
    assert single_cell(value) == value


@pytest.mark.parametrize(
    ("number", "written"),
    [
        (0.5, "0.5"),
        (1.0, "1"),
        (7.25, "7.25"),
        (0.0, "0"),
        (-0.5, "-0.5"),
        (2 / 3, "0.6667"),
        (0.00001, "0"),
        (-0.00001, "0"),
        (1e20, "100000000000000000000"),
        (42, "42"),
        (-3, "-3"),
    ],
)
def test_numbers_are_written_plainly_and_not_neutralised(number, written):
    assert single_cell(number) == written


@pytest.mark.parametrize("number", [float("nan"), float("inf"), float("-inf")])
def test_non_finite_float_is_rejected(number):
    with pytest.raises(ValueError, match="not a finite number"):
        to_csv(["value"], [[number]])


def test_bool_is_yes_or_no():
    assert parse(to_csv(["a", "b"], [[True, False]]))[1] == ["yes", "no"]


def test_datetime_with_offset_is_converted_to_utc():
    # 22:44:07 at +02:00 is 20:44:07 UTC.
    at = datetime(2026, 11, 25, 22, 44, 7, 123456, tzinfo=timezone(timedelta(hours=2)))

    assert single_cell(at) == "2026-11-25T20:44:07Z"


def test_naive_datetime_is_taken_as_utc():
    assert single_cell(datetime(2026, 11, 25, 20, 44, 7)) == "2026-11-25T20:44:07Z"


def test_utc_datetime_keeps_its_time():
    assert single_cell(datetime(1990, 2, 9, 9, 0, tzinfo=UTC)) == "1990-02-09T09:00:00Z"


def test_row_of_wrong_length_is_rejected():
    with pytest.raises(ValueError, match="row 2 has 1 cells for 2 columns"):
        to_csv(["a", "b"], [[1, 2], [3]])


def test_unknown_cell_type_is_rejected():
    with pytest.raises(TypeError, match="cannot write a dict"):
        to_csv(["a"], [[{}]])


def test_a_long_file_comes_in_chunks_that_join_to_the_whole_file():
    rows = [[f"student {n}", n, "=1+1"] for n in range(1, 1202)]
    chunks = list(csv_chunks(["student", "n", "answer"], rows))
    assert len(chunks) == 3  # 500 + 500 + 201 rows, the header in the first
    assert "".join(chunks) == to_csv(["student", "n", "answer"], rows)
    assert chunks[0].startswith(BOM) and not any(BOM in chunk for chunk in chunks[1:])
    assert chunks[1].startswith("student 501,501,'=1+1\r\n")
