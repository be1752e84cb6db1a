import csv
import io
from datetime import UTC, date, datetime

import pytest

from core.csv_export import BOM, csv_cell, csv_lines


@pytest.mark.parametrize(
    ("value", "cell"),
    [
        ('=HYPERLINK("http://evil","x")', '\'=HYPERLINK("http://evil","x")'),
        ("+1+cmd|' /C calc'!A0", "'+1+cmd|' /C calc'!A0"),
        ("-2+3", "'-2+3"),
        ("@SUM(A1)", "'@SUM(A1)"),
        ("\t=1", "'\t=1"),
        ("\r=1", "'\r=1"),
        ("김민수", "김민수"),
        ("a=b", "a=b"),
        (-3, -3),
        (4.5, 4.5),
        (None, ""),
        (True, "yes"),
        (date(2030, 1, 2), "2030-01-02"),
        (datetime(2030, 1, 2, 3, 4, tzinfo=UTC), "2030-01-02T03:04:00+00:00"),
    ],
)
def test_cells_that_a_spreadsheet_would_run_are_escaped(value, cell):
    assert csv_cell(value) == cell


def test_lines_start_with_a_bom_and_read_back():
    text = "".join(csv_lines(["name", "skills"], [["김민수", "=1+1"], ["Ann", "Go, Rust"]]))
    assert text.startswith(BOM)
    rows = list(csv.reader(io.StringIO(text.removeprefix(BOM))))
    assert rows == [["name", "skills"], ["김민수", "'=1+1"], ["Ann", "Go, Rust"]]
    assert text.encode("utf-8").startswith(b"\xef\xbb\xbf")
