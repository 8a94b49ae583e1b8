"""CSV files that spreadsheets open correctly and that cannot run formulas.

The text starts with a UTF-8 byte-order mark, without which Excel reads the file as
the local code page and mangles every non-ASCII name. Rows are written by the `csv`
module's excel dialect: comma separated, CRLF line ends, quoted where needed.
"""

from __future__ import annotations

import csv
import io
import math
from collections.abc import Iterable, Iterator, Sequence
from datetime import UTC, datetime
from typing import TypeAlias

BOM = "\ufeff"
FLOAT_DECIMALS = 4

# OWASP "CSV Injection": a spreadsheet runs a cell starting with one of these as a formula.
_FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")

Cell: TypeAlias = str | int | float | bool | datetime | None


def neutralise(value: str) -> str:
    """Prefix an apostrophe to text a spreadsheet would run as a formula.

    Text starting with =, +, -, @, a tab or a carriage return gets a leading "'";
    any other text is returned unchanged.
    """
    return "'" + value if value.startswith(_FORMULA_PREFIXES) else value


ROWS_PER_CHUNK = 500


def to_csv(header: Sequence[str], rows: Iterable[Sequence[Cell]]) -> str:
    """The whole file as one text: see `csv_chunks`."""
    return "".join(csv_chunks(header, rows))


def csv_chunks(header: Sequence[str], rows: Iterable[Sequence[Cell]]) -> Iterator[str]:
    """The file in pieces of up to 500 rows, for a download that starts at once: a
    byte-order mark, one header row, then the rows.

    Cells: None is empty; a bool is "yes" or "no"; an int as written; a float rounded
    to 4 decimals without trailing zeros or exponent (0.5, 1, 7.25); a datetime in UTC
    as 2026-11-25T20:44:07Z, a naive one taken as UTC; text and header through
    `neutralise`. Numbers are not neutralised: -0.5 is a number, not a formula.
    Raises ValueError for a row whose length differs from the header's, or a float
    that is not finite.
    """
    buffer = io.StringIO()
    buffer.write(BOM)
    writer = csv.writer(buffer)
    writer.writerow([neutralise(name) for name in header])
    for number, row in enumerate(rows, start=1):
        if len(row) != len(header):
            raise ValueError(f"row {number} has {len(row)} cells for {len(header)} columns")
        writer.writerow([_format_cell(cell) for cell in row])
        if number % ROWS_PER_CHUNK == 0:
            yield buffer.getvalue()
            buffer.seek(0)
            buffer.truncate()
    yield buffer.getvalue()


def _format_cell(cell: Cell) -> str:
    if cell is None:
        return ""
    if isinstance(cell, bool):
        return "yes" if cell else "no"
    if isinstance(cell, int):
        return str(cell)
    if isinstance(cell, float):
        return _format_float(cell)
    if isinstance(cell, datetime):
        return _format_datetime(cell)
    if isinstance(cell, str):
        return neutralise(cell)
    raise TypeError(f"cannot write a {type(cell).__name__} to CSV")


def _format_float(value: float) -> str:
    if not math.isfinite(value):
        raise ValueError(f"{value!r} is not a finite number")
    text = f"{value:.{FLOAT_DECIMALS}f}".rstrip("0").rstrip(".")
    return "0" if text == "-0" else text


def _format_datetime(value: datetime) -> str:
    if value.utcoffset() is None:
        value = value.replace(tzinfo=UTC)
    return value.astimezone(UTC).replace(tzinfo=None).isoformat(timespec="seconds") + "Z"
