"""Export in the import format, so that a file taken out can be brought back unchanged.

Every registered sheet gives its rows (``registry.Sheet.export``), usually through
``column_rows``: choices as their stored values, amounts as numeric cells in yuan, dates as
date cells; text that a spreadsheet would run as a formula is prefixed with an apostrophe
(``tracker.exports.escape_cell``), which the import removes again. Rows are streamed from the
database with ``iterator()`` into a write-only workbook, so exporting a million runs does not
load them all.

An export holds what its reader may see, with a confidential project's title, product and
description written as "Confidential project" unless the reader may read them, as on every
page; the command line exports as an administrator and writes them all.
"""

from collections.abc import Iterator, Mapping

from django.db.models import QuerySet

from tracker.exports import xlsx_bytes

from .columns import header_for
from .registry import ExportScope, Sheet, registry

EXPORT_CHUNK = 2000


def export_workbook(user, language: str = "en", *, zone: str | None = None) -> bytes:
    """The .xlsx bytes of every sheet, as ``user`` may see it (of one zone if given), headers
    in ``language``."""
    scope = ExportScope(user=user, zone=zone)
    sheets = [
        (
            sheet.kind,
            [header_for(column, language) for column in sheet.columns],
            sheet.export(sheet, scope),
        )
        for sheet in registry.sheets()
    ]
    return xlsx_bytes(sheets)


def column_rows(
    sheet: Sheet, queryset: QuerySet, *, order: list, paths: Mapping | None = None
) -> Iterator[tuple]:
    """The rows of ``queryset`` in the sheet's column order, streamed: each column's value is
    read at its field, or at ``paths[field]`` (a lookup path such as ``zone__name``, or an
    expression)."""
    paths = paths or {}
    values = [paths.get(column.field, column.field) for column in sheet.columns]
    rows = queryset.order_by(*order).values_list(*values)
    return rows.iterator(chunk_size=EXPORT_CHUNK)
