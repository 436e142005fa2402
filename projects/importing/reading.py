"""Open an uploaded file and hand out its sheets as (Excel row number, cell values) rows.

Workbooks are read with python-calamine (Rust) rather than openpyxl: openpyxl's read-only
mode needs about 28 s for the 400,000 rows of the benchmark file, calamine 2.5 s, and the
import must finish in 60 s. Calamine returns cached values of formula cells, so formulas are
found separately (a byte scan of the sheet XML, then openpyxl only for the offending workbook)
and refused. CSV files are decoded as UTF-8 (with or without BOM) or, failing that, GB18030, a
superset of the GBK that Chinese Excel writes.
"""

import csv
import io
import re
import zipfile
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

from django.conf import settings
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext as _

from .columns import KINDS, kind_for_sheet
from .errors import ImportFileError

MAX_BYTES = 20 * 1024 * 1024
MAX_ROWS = 200_000
YIELD_RUNS_PER_PROJECT = 3
XLSX_SUFFIXES = {".xlsx", ".xlsm"}
CSV_SUFFIXES = {".csv", ".tsv", ".txt"}


def max_bytes() -> int:
    return getattr(settings, "IMPORT_MAX_BYTES", MAX_BYTES)


def max_rows(kind: str) -> int:
    """Data rows per sheet: 200,000, and three times that for yield runs.

    A project has about three yield runs, and a workbook of 100,000 projects with their
    300,000 runs is the size a zone's history comes in; so the runs sheet gets a larger limit.
    """
    base = getattr(settings, "IMPORT_MAX_ROWS", MAX_ROWS)
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


def _too_many_rows(kind: str, sheet_name: str, rows: int) -> ImportFileError:
    return ImportFileError(
        _("Sheet %(sheet)s has %(rows)d rows; at most %(limit)d are accepted. Split the file.")
        % {"sheet": sheet_name, "rows": rows, "limit": max_rows(kind)}
    )


def _read_xlsx(path: Path) -> list[SheetData]:
    from python_calamine import CalamineWorkbook

    if not zipfile.is_zipfile(path):
        raise ImportFileError(_("The workbook is damaged and cannot be read."))
    try:
        workbook = CalamineWorkbook.from_path(str(path))
        names = list(workbook.sheet_names)
    except Exception:  # calamine raises its own zip/XML/format errors for a damaged file
        raise ImportFileError(_("The workbook is damaged and cannot be read.")) from None
    by_kind = {}
    for name in names:
        found = kind_for_sheet(name)
        if found and found not in by_kind:
            by_kind[found] = name
    if not by_kind:
        raise ImportFileError(
            _("The workbook has no sheet named %(names)s.") % {"names": ", ".join(KINDS)}
        )
    formulas = _formula_cells(path) if _has_formulas(path) else {}
    sheets = []
    for kind in KINDS:
        if kind in by_kind:
            sheets.append(_xlsx_sheet(workbook, kind, by_kind[kind], formulas.get(by_kind[kind])))
    return sheets


def _xlsx_sheet(workbook, kind: str, name: str, formulas) -> SheetData:
    def load():
        try:
            sheet = workbook.get_sheet_by_name(name)
        except Exception:
            raise ImportFileError(_("The workbook is damaged and cannot be read.")) from None
        height = sheet.height
        if height - 1 > max_rows(kind):
            raise _too_many_rows(kind, name, height - 1)
        first_row = sheet.start[0] + 1 if sheet.start else 1
        data.first_col = sheet.start[1] if sheet.start else 0
        rows = sheet.iter_rows()
        header = next(rows, [])
        numbered = ((first_row + index, row) for index, row in enumerate(rows, start=1))
        return list(header), numbered, max(height - 1, 0)

    data = SheetData(kind, name, load, formulas or {})
    return data


def _has_formulas(path: Path) -> bool:
    """A fast scan for <f> elements, so that openpyxl's slow reader runs only when needed."""
    pattern = re.compile(rb"<(?:\w+:)?f[ >/]")
    with zipfile.ZipFile(path) as archive:
        for name in archive.namelist():
            if not (name.startswith("xl/worksheets/") and name.endswith(".xml")):
                continue
            with archive.open(name) as stream:
                tail = b""
                while chunk := stream.read(1 << 20):
                    if pattern.search(tail + chunk):
                        return True
                    tail = chunk[-16:]
    return False


def _formula_cells(path: Path) -> dict[str, dict]:
    from openpyxl import load_workbook

    found: dict[str, dict] = {}
    workbook = load_workbook(path, read_only=True, data_only=False)
    try:
        for sheet in workbook.worksheets:
            for row in sheet.iter_rows():
                for cell in row:
                    if getattr(cell, "data_type", None) == "f":
                        key = (cell.row, cell.column - 1)
                        found.setdefault(sheet.title, {})[key] = str(cell.value)
    finally:
        workbook.close()
    return found


def decode_csv(data: bytes, encoding: str | None) -> str:
    """Decode as told, else UTF-8 (BOM or not), else GB18030 (covers GBK and GB2312)."""
    if b"\x00" in data[:4096]:
        raise ImportFileError(_("This is not a text CSV file."))
    if encoding:
        try:
            return data.decode(encoding).removeprefix("\ufeff")
        except LookupError:
            raise ImportFileError(_("Unknown encoding %(name)s.") % {"name": encoding}) from None
        except UnicodeDecodeError:
            raise ImportFileError(
                _("The file cannot be read as %(name)s.") % {"name": encoding}
            ) from None
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        pass
    try:
        return data.decode("gb18030")
    except UnicodeDecodeError:
        raise ImportFileError(
            _("The file is neither UTF-8 nor GBK text; save it as CSV (UTF-8).")
        ) from None


def _read_csv(path: Path, file_name: str, *, kind=None, encoding=None) -> SheetData:
    kind = kind or kind_for_sheet(Path(file_name).stem)
    if kind not in KINDS:
        raise ImportFileError(
            _("Say which kind of rows this CSV file holds (one of %(kinds)s).")
            % {"kinds": ", ".join(KINDS)}
        )
    text = decode_csv(path.read_bytes(), encoding)
    first_line = text.split("\n", 1)[0]
    delimiter = "\t" if first_line.count("\t") > first_line.count(",") else ","
    records = list(csv.reader(io.StringIO(text), delimiter=delimiter))
    if not records or not any(cell.strip() for cell in records[0]):
        raise ImportFileError(_("The file is empty."))
    if len(records) - 1 > max_rows(kind):
        raise _too_many_rows(kind, file_name, len(records) - 1)
    rows = ((number, row) for number, row in enumerate(records[1:], start=2))
    return SheetData(kind, file_name, lambda: (records[0], rows, len(records) - 1))
