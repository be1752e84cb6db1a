"""CSV downloads: one writer for every export, safe to open in a spreadsheet.

- Formula injection (OWASP "CSV Injection"): a cell that begins with =, +, -, @, a tab or a carriage return is
  read as a formula by Excel, LibreOffice and Google Sheets. Such text cells get a leading apostrophe, which the
  spreadsheet shows as text. Numbers are written as they are.
- Encoding: UTF-8 with a byte order mark, so that Excel opens Korean names correctly.
"""

import csv
from collections.abc import Iterable, Iterator, Sequence
from datetime import date, datetime
from typing import Any

from django.http import StreamingHttpResponse

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r", "\n")
BOM = "\ufeff"


def csv_cell(value: Any) -> Any:
    """The value as a spreadsheet-safe cell."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, int | float | datetime | date):
        return value.isoformat() if isinstance(value, date) else value
    text = str(value)
    if text.startswith(FORMULA_STARTS):
        return "'" + text
    return text


class _Echo:
    def write(self, value: str) -> str:
        return value


def csv_lines(header: Sequence[str], rows: Iterable[Sequence[Any]]) -> Iterator[str]:
    """The BOM, the header and every row, one CSV line at a time (for streaming a large export)."""
    writer = csv.writer(_Echo())
    yield BOM + writer.writerow([csv_cell(name) for name in header])
    for row in rows:
        yield writer.writerow([csv_cell(value) for value in row])


def csv_response(*, filename: str, header: Sequence[str], rows: Iterable[Sequence[Any]]) -> StreamingHttpResponse:
    """A streamed CSV download (rows may be a generator over a queryset's iterator())."""
    response = StreamingHttpResponse(csv_lines(header, rows), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response
