"""CSV and XLSX downloads that are safe to open in Excel and WPS.

A cell that starts with = + - @ tab or carriage return is read by spreadsheet programs as a
formula (CSV injection), so such text is prefixed with an apostrophe. Numbers stay numbers:
amounts are exported in yuan as numeric cells, and only text is escaped.
"""

import csv
import datetime as dt
import io
from collections.abc import Iterable, Sequence
from decimal import Decimal
from urllib.parse import quote

from django.http import HttpResponse
from django.utils import timezone
from django.utils.text import slugify
from openpyxl import Workbook

FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")
XLSX_CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def escape_cell(value):
    """Neutralise text that a spreadsheet would run as a formula; leave numbers and dates alone."""
    if isinstance(value, str) and value.startswith(FORMULA_PREFIXES):
        return "'" + value
    return value


def _csv_value(value):
    if value is None:
        return ""
    if isinstance(value, bool):
        return "1" if value else "0"
    if isinstance(value, Decimal):
        return f"{value:f}"
    if isinstance(value, dt.date):
        return value.isoformat()
    return escape_cell(str(value))


def _xlsx_value(value):
    if isinstance(value, dt.datetime) and timezone.is_aware(value):
        return timezone.localtime(value).replace(tzinfo=None)
    if value is None or isinstance(value, bool | int | float | Decimal | dt.date):
        return value
    return escape_cell(str(value))


def export_filename(stem: str, scope_parts: Iterable[str], extension: str) -> str:
    """``projects_chengdu-high-tech-zone_2026-11-26.csv``: what it is, for which scope, when."""
    parts = [stem, *(slugify(part, allow_unicode=True) for part in scope_parts if part)]
    parts.append(timezone.localdate().isoformat())
    return "_".join(parts) + "." + extension


def csv_response(filename: str, header: Sequence[str], rows: Iterable[Sequence]) -> HttpResponse:
    """UTF-8 with BOM, so that Chinese Excel opens it without mangling the characters."""
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f"attachment; filename*=UTF-8''{_quote(filename)}"
    response.write("\ufeff")
    writer = csv.writer(response)
    writer.writerow([escape_cell(str(title)) for title in header])
    for row in rows:
        writer.writerow([_csv_value(value) for value in row])
    return response


def xlsx_bytes(sheets: Iterable[tuple[str, Sequence[str], Iterable[Sequence]]]) -> bytes:
    """One workbook, one sheet per (title, header, rows); streamed row by row (write-only)."""
    workbook = Workbook(write_only=True)
    for title, header, rows in sheets:
        sheet = workbook.create_sheet(title=title[:31])
        sheet.append([escape_cell(str(column)) for column in header])
        for row in rows:
            sheet.append([_xlsx_value(value) for value in row])
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def xlsx_response(filename: str, header: Sequence[str], rows: Iterable[Sequence], title="data"):
    response = HttpResponse(xlsx_bytes([(title, header, rows)]), content_type=XLSX_CONTENT_TYPE)
    response["Content-Disposition"] = attachment(filename)
    return response


def _quote(filename: str) -> str:
    return quote(filename)


def attachment(filename: str) -> str:
    """A Content-Disposition for a download whose name may be Chinese (RFC 6266 / 5987)."""
    return f"attachment; filename*=UTF-8''{_quote(filename)}"
