"""CSV files for people's spreadsheets and other systems: UTF-8, one header row, CRLF, and
no cell a spreadsheet would run as a formula."""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable

from flask import Response


def csv_response(name: str, header: list[str], rows: Iterable[Iterable[object]]) -> Response:
    """The rows as a CSV download called `name`."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow(header)
    writer.writerows([csv_cell(value) for value in row] for row in rows)
    return Response(
        buffer.getvalue(),
        mimetype="text/csv",
        headers={"Content-Disposition": f"attachment; filename={name}"},
    )


def csv_cell(value: object) -> object:
    """A text a spreadsheet would run as a formula (a name that begins with =, +, - or @) is
    kept as text, with an apostrophe before it."""
    if isinstance(value, str) and value[:1] in ("=", "+", "-", "@", "\t", "\r"):
        return "'" + value
    return value
