"""Open an uploaded file and hand out its sheets as (Excel row number, cell values) rows.

Workbooks are read with python-calamine (Rust) rather than openpyxl: openpyxl's read-only
mode needs about 28 s for the 400,000 rows of the benchmark file, calamine 2.5 s, and the
import must finish in 60 s. Calamine builds each sheet as a dense grid and aborts the process
when memory runs out, so ``workbook_guard`` measures the package first (real extent of every
imported sheet, unzipped sizes, shared strings) and finds the cells that hold formulas, which
calamine would silently replace by their cached values.

CSV files are UTF-8 (with or without BOM) or GB18030, a superset of the GBK that Chinese Excel
writes; text that GB18030 decodes into nonsense (Big5, Shift-JIS, EUC-KR) is refused, see
``text_encoding``. They are read twice, once to check their shape and once row by row, so that
a 20 MB file is never held as millions of Python strings.
"""

import csv
import io
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

from django.conf import settings
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext as _

from . import text_encoding
from .errors import ImportFileError
from .registry import registry
from .workbook_guard import check_extent, inspect_workbook

YIELD_RUNS_PER_PROJECT = 3
XLSX_SUFFIXES = {".xlsx", ".xlsm"}
CSV_SUFFIXES = {".csv", ".tsv", ".txt"}


def max_bytes() -> int:
    return settings.IMPORT_MAX_BYTES


def max_rows(kind: str) -> int:
    """Data rows per sheet: 200,000, and three times that for yield runs.

    A project has about three yield runs, and a workbook of 100,000 projects with their
    300,000 runs is the size a zone's history comes in; so the runs sheet gets a larger limit.
    """
    base = settings.IMPORT_MAX_ROWS
    return base * YIELD_RUNS_PER_PROJECT if kind == "yield_runs" else base


@dataclass
class SheetData:
    """One sheet (or CSV file) of a known kind; ``load()`` gives its header, rows and row count.

    Loading is deferred so that only one sheet of a workbook is in memory at a time.
    """

    kind: str
    name: str
    loader: Callable[[], tuple[list, Iterator[tuple[int, list]], int]]
    # (Excel row, 0-based absolute column) → formula text, for cells that hold a formula.
    formulas: dict = field(default_factory=dict)
    # 0-based column of the first cell of each row (workbooks may start right of column A).
    first_col: int = 0

    def load(self):
        """(header cells, iterator of (Excel row number, cells), number of data rows)."""
        return self.loader()


def check_size(size: int) -> None:
    if size == 0:
        raise ImportFileError(_("The file is empty."))
    if size > max_bytes():
        raise ImportFileError(
            _("The file is %(size)s; files over %(limit)s are refused. Split it into parts.")
            % {"size": filesizeformat(size), "limit": filesizeformat(max_bytes())}
        )


def check_name(file_name: str) -> None:
    """Refuse by the name what cannot be a workbook or CSV file (the content is checked later)."""
    suffix = Path(file_name).suffix.lower()
    if suffix == ".xls":
        raise ImportFileError(_("Old .xls workbooks are not supported; save the file as .xlsx."))
    if suffix not in XLSX_SUFFIXES | CSV_SUFFIXES:
        raise ImportFileError(
            _("%(name)s is not a spreadsheet; upload an .xlsx workbook or a .csv file.")
            % {"name": file_name}
        )


def read_file(path: Path, file_name: str, *, kind=None, encoding=None) -> list[SheetData]:
    """The sheets of the file in processing order; refuses files that are not importable."""
    path = Path(path)
    check_size(path.stat().st_size)
    suffix = Path(file_name).suffix.lower()
    with path.open("rb") as handle:
        magic = handle.read(8)
    if magic.startswith(b"\xd0\xcf\x11\xe0"):
        raise ImportFileError(_("Old .xls workbooks are not supported; save the file as .xlsx."))
    if suffix in XLSX_SUFFIXES or magic.startswith(b"PK\x03\x04"):
        if kind:
            raise ImportFileError(_("A kind is only given for CSV files; workbooks name sheets."))
        return _read_xlsx(path)
    if suffix in CSV_SUFFIXES:
        return [_read_csv(path, file_name, kind=kind, encoding=encoding)]
    raise ImportFileError(
        _("%(name)s is not a spreadsheet; upload an .xlsx workbook or a .csv file.")
        % {"name": file_name}
    )


def _too_many_rows(kind: str, file_name: str) -> ImportFileError:
    return ImportFileError(
        _("%(name)s has more than %(limit)d data rows; split it into parts.")
        % {"name": file_name, "limit": max_rows(kind)}
    )


class Sheets(list):
    """The sheets to import, in processing order; ``skipped`` names the workbook's other tabs
    (the template's examples and notes, a user's own helper sheets), which are never read."""

    skipped: list[str]


def _read_xlsx(path: Path) -> Sheets:
    from python_calamine import CalamineWorkbook

    every_name: list[str] = []

    def choose(names):
        every_name.extend(names)
        return _sheets_to_import(names)

    scans = inspect_workbook(path, choose)
    if not scans:
        raise ImportFileError(
            _("The workbook has no sheet named %(names)s.") % {"names": ", ".join(registry.kinds())}
        )
    by_kind = {registry.kind_for_sheet(name): name for name in scans}
    for kind, name in by_kind.items():
        check_extent(scans[name], name, max_rows(kind))
    try:
        workbook = CalamineWorkbook.from_path(str(path))
    except Exception:  # calamine raises its own zip/XML/format errors for a damaged file
        raise ImportFileError(_("The workbook is damaged and cannot be read.")) from None
    sheets = Sheets(
        _xlsx_sheet(workbook, kind, by_kind[kind], scans[by_kind[kind]].formulas)
        for kind in registry.kinds()
        if kind in by_kind
    )
    sheets.skipped = [name for name in every_name if name not in scans]
    return sheets


def _sheets_to_import(names: list[str]) -> list[str]:
    """The first sheet of each kind, in workbook order; the others are never read."""
    chosen = {}
    for name in names:
        kind = registry.kind_for_sheet(name)
        if kind and kind not in chosen:
            chosen[kind] = name
    return list(chosen.values())


def _xlsx_sheet(workbook, kind: str, name: str, formulas: dict) -> SheetData:
    def load():
        try:
            sheet = workbook.get_sheet_by_name(name)
        except Exception:
            raise ImportFileError(_("The workbook is damaged and cannot be read.")) from None
        height = sheet.height
        first_row = sheet.start[0] + 1 if sheet.start else 1
        data.first_col = sheet.start[1] if sheet.start else 0
        rows = sheet.iter_rows()
        header = next(rows, [])
        numbered = ((first_row + index, row) for index, row in enumerate(rows, start=1))
        return list(header), numbered, max(height - 1, 0)

    data = SheetData(kind, name, load, formulas)
    return data


def decode_csv(data: bytes, encoding: str | None) -> str:
    """Decode as told (UTF-8 or GB18030 only), else UTF-8 (BOM or not), else GB18030.

    GB18030 text must read as Chinese: see ``text_encoding.foreign_encoding``.
    """
    if b"\x00" in data:
        raise ImportFileError(
            _(
                'The file contains NUL bytes, so it is not a text CSV file (a "Unicode text" '
                "export is UTF-16). Save it as CSV UTF-8."
            )
        )
    codec = text_encoding.canonical(encoding)
    if codec in (None, "utf-8"):
        try:
            return data.decode("utf-8-sig")
        except UnicodeDecodeError:
            if codec == "utf-8":
                raise ImportFileError(
                    _("The file cannot be read as UTF-8; choose GBK, or save it as CSV UTF-8.")
                ) from None
    try:
        text = data.decode("gb18030")
    except UnicodeDecodeError:
        raise ImportFileError(
            _("The file is neither UTF-8 nor GBK text; save it as CSV (UTF-8).")
        ) from None
    foreign = text_encoding.foreign_encoding(data)
    if foreign:
        raise ImportFileError(
            _(
                "The file is not UTF-8, and read as GBK it gives no sensible Chinese text: it "
                "looks like %(encoding)s. Open it and save it as CSV UTF-8."
            )
            % {"encoding": foreign}
        )
    return text


def _read_csv(path: Path, file_name: str, *, kind=None, encoding=None) -> SheetData:
    kind = kind or registry.kind_for_sheet(Path(file_name).stem)
    if kind not in registry.kinds():
        raise ImportFileError(
            _("Say which kind of rows this CSV file holds (one of %(kinds)s).")
            % {"kinds": ", ".join(registry.kinds())}
        )
    text = decode_csv(path.read_bytes(), encoding)
    first_line = text.split("\n", 1)[0]
    delimiter = "\t" if first_line.count("\t") > first_line.count(",") else ","
    header, rows = _csv_shape(text, delimiter, kind, file_name)

    def load():
        records = _csv_records(text, delimiter)
        next(records)
        numbered = ((number, row) for number, row in enumerate(records, start=2))
        return header, numbered, rows

    return SheetData(kind, file_name, load)


def _csv_records(text: str, delimiter: str) -> Iterator[list[str]]:
    return csv.reader(io.StringIO(text), delimiter=delimiter)


def _csv_shape(text: str, delimiter: str, kind: str, file_name: str) -> tuple[list, int]:
    """The header and the number of data rows; refuses what the row-by-row read would choke on.

    The same limits as for a sheet: rows per kind, columns, and rows × columns.
    """
    records = _csv_records(text, delimiter)
    header, rows, widest = None, 0, 0
    try:
        for record in records:
            if header is None:
                header = record
            else:
                rows += 1
            widest = max(widest, len(record))
            if widest > settings.IMPORT_MAX_COLUMNS:
                raise ImportFileError(
                    _("Line %(line)d has %(count)d fields; at most %(limit)d columns are accepted.")
                    % {
                        "line": records.line_num,
                        "count": len(record),
                        "limit": settings.IMPORT_MAX_COLUMNS,
                    }
                )
            if rows > max_rows(kind):
                raise _too_many_rows(kind, file_name)
    except csv.Error as error:
        raise _unreadable_csv(records.line_num, error) from None
    if header is None or not any(cell.strip() for cell in header):
        raise ImportFileError(_("The file is empty."))
    if (rows + 1) * widest > settings.IMPORT_MAX_CELLS:
        raise ImportFileError(
            _(
                "The file has %(rows)d lines of up to %(columns)d fields, over the %(limit)d cells "
                "accepted. Split it into parts."
            )
            % {"rows": rows + 1, "columns": widest, "limit": settings.IMPORT_MAX_CELLS}
        )
    return header, rows


def _unreadable_csv(line: int, error: csv.Error) -> ImportFileError:
    if "field larger than field limit" in str(error):
        return ImportFileError(
            _(
                "Line %(line)d has a field of over %(limit)d characters. No column holds that much "
                'text: look for a quote (") that is opened and never closed before that line.'
            )
            % {"line": line, "limit": csv.field_size_limit()}
        )
    return ImportFileError(
        _("Line %(line)d cannot be read as CSV (%(reason)s).") % {"line": line, "reason": error}
    )
