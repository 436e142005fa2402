"""``/reports/report.xlsx``: the whole report as ONE workbook (openpyxl).

The first sheet holds the scope, the date, the source, the headline figures and the briefing
text (and the targets); then one sheet per report table. Every table has a bold header row,
frozen, with an autofilter and column widths fitted to the text; every header names its unit.
Amounts are numbers in yuan (exact, to the fen) shown through a number format: in Chinese
``0!.0000"万元"`` (12,345,678 yuan reads 1234.5678万元, the cell still holds 12345678), in
English ``#,##0.00`` yuan. Booleans read 是/否 (Yes/No). Text that a spreadsheet would run as a
formula is escaped (``tracker.exports.escape_cell``).
"""

import io
from decimal import Decimal

from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.styles import Alignment, Font
from openpyxl.utils import get_column_letter

from tracker.exports import escape_cell

from ..tables import INT, MONEY, PCT, PP, TABLES
from .content import is_chinese, pack_content

WAN_FORMAT = '0!.0000"万元"'
YUAN_FORMAT = "#,##0.00"
NUMBER_FORMATS = {INT: "0", PCT: "0.0", PP: "0.0"}
BOLD = Font(bold=True)
MAX_WIDTH = 60
FORBIDDEN_IN_SHEET_TITLES = str.maketrans(dict.fromkeys("[]:*?/\\", " "))


def _money_format() -> str:
    return WAN_FORMAT if is_chinese() else YUAN_FORMAT


def money_header(label: str) -> str:
    """A money column's header: the unit the cells read in (the number format's)."""
    unit = "万元" if is_chinese() else _("yuan")
    return _("%(label)s (%(unit)s)") % {"label": label, "unit": unit}


def yes_no(value: bool) -> str:
    return _("Yes") if value else _("No")


def _text_width(value) -> int:
    """Rough display width: CJK characters take two columns."""
    text = str(value) if value is not None else ""
    return sum(2 if ord(char) > 0x2E80 else 1 for char in text)


def _cell_value(value):
    if isinstance(value, bool):
        return yes_no(value)
    if value is None or isinstance(value, int | float | Decimal):
        return value
    return escape_cell(str(value))


def _write_table(sheet, first_row: int, header: list[str], rows: list[list], kinds: list[str]):
    """A header row (bold, autofilter) and its rows; formats by kind; returns the last row."""
    for column, title in enumerate(header, start=1):
        cell = sheet.cell(row=first_row, column=column, value=escape_cell(str(title)))
        cell.font = BOLD
        cell.alignment = Alignment(wrap_text=True, vertical="top")
    row_number = first_row
    for row in rows:
        row_number += 1
        for column, (value, kind) in enumerate(zip(row, kinds, strict=True), start=1):
            cell = sheet.cell(row=row_number, column=column, value=_cell_value(value))
            if kind == MONEY:
                cell.number_format = _money_format()
            elif kind in NUMBER_FORMATS and value is not None:
                cell.number_format = NUMBER_FORMATS[kind]
    last_column = get_column_letter(len(header))
    sheet.auto_filter.ref = f"A{first_row}:{last_column}{max(row_number, first_row)}"
    return row_number


def _fit_columns(sheet, header: list[str], rows: list[list], kinds: list[str]) -> None:
    for index, title in enumerate(header):
        widths = [_text_width(title)]
        for row in rows[:500]:
            value = row[index]
            if kinds[index] == MONEY and value is not None:
                widths.append(len(f"{value:,.2f}") + 3)
            else:
                widths.append(_text_width(_cell_value(value)))
        sheet.column_dimensions[get_column_letter(index + 1)].width = min(
            max(widths) + 2, MAX_WIDTH
        )


def _sheet_title(title: str, taken: set) -> str:
    base = str(title).translate(FORBIDDEN_IN_SHEET_TITLES)[:31]
    name, n = base, 2
    while name in taken:
        name = f"{base[:28]} {n}"
        n += 1
    taken.add(name)
    return name


def _summary(sheet, content) -> None:
    """Scope, date, source, the headline figures and the briefing text (and the targets)."""
    sheet.title = _("Summary")[:31]
    lines = [
        (_("Report"), content.title),
        (_("Scope"), content.scope),
        (_("Data as of"), content.as_of),
        (_("Source"), content.source),
    ]
    for row, (label, value) in enumerate(lines, start=1):
        sheet.cell(row=row, column=1, value=escape_cell(str(label))).font = BOLD
        cell = sheet.cell(row=row, column=2, value=_cell_value(value))
        if label == _("Data as of"):
            cell.value = content.as_of
            cell.number_format = "yyyy-mm-dd"
    header_row = len(lines) + 2
    rows, kinds = [], []
    for label, value, kind in content.headline:
        rows.append([label, value])
        kinds.append(kind)
    sheet.cell(row=header_row, column=1, value=_("Figure")).font = BOLD
    sheet.cell(row=header_row, column=2, value=_("Value")).font = BOLD
    sheet.cell(row=header_row, column=3, value=_("Unit")).font = BOLD
    units = {
        INT: "",
        MONEY: "万元" if is_chinese() else _("yuan"),
        PCT: "%",
        PP: _("percentage points"),
    }
    for offset, ([label, value], kind) in enumerate(zip(rows, kinds, strict=True), start=1):
        sheet.cell(row=header_row + offset, column=1, value=escape_cell(str(label)))
        cell = sheet.cell(row=header_row + offset, column=2, value=_cell_value(value))
        if kind == MONEY:
            cell.number_format = _money_format()
        elif kind in NUMBER_FORMATS and value is not None:
            cell.number_format = NUMBER_FORMATS[kind]
        sheet.cell(row=header_row + offset, column=3, value=units[kind])
    sheet.freeze_panes = sheet.cell(row=header_row + 1, column=1)
    sheet.auto_filter.ref = f"A{header_row}:C{header_row + len(rows)}"
    next_row = header_row + len(rows) + 2
    sheet.cell(row=next_row, column=1, value=_("Briefing text")).font = BOLD
    for text in (content.briefing_zh, content.briefing_en):
        next_row += 1
        cell = sheet.cell(row=next_row, column=1, value=escape_cell(text))
        cell.alignment = Alignment(wrap_text=True, vertical="top")
        sheet.merge_cells(start_row=next_row, start_column=1, end_row=next_row, end_column=3)
        sheet.row_dimensions[next_row].height = 15 * (2 + _text_width(text) // 90)
    sheet.column_dimensions["A"].width = 44
    sheet.column_dimensions["B"].width = 44
    sheet.column_dimensions["C"].width = 16


def _targets_sheet(workbook, content, taken) -> None:
    sheet = workbook.create_sheet(_sheet_title(_("Targets"), taken))
    header = [
        _("Zone"),
        _("Target"),
        _("Start year"),
        _("End year"),
        _("Target value"),
        _("Reached"),
        _("Unit"),
        _("Reached (%)"),
    ]
    rows, kinds = [], []
    for row in content.targets:
        rows.append(
            [
                row["zone"],
                str(row["label"]),
                row["start_year"],
                row["end_year"],
                row["target"],
                row["value"],
                ("万元" if is_chinese() else _("yuan")) if row["is_amount"] else _("count"),
                row["share"],
            ]
        )
    kinds = [None, None, INT, INT, INT, INT, None, PCT]
    _write_table(sheet, 1, header, rows, kinds)
    # Amount targets read in money; counts stay whole numbers.
    for offset, row in enumerate(content.targets, start=2):
        if row["is_amount"]:
            sheet.cell(row=offset, column=5).number_format = _money_format()
            sheet.cell(row=offset, column=6).number_format = _money_format()
    sheet.freeze_panes = "A2"
    _fit_columns(sheet, header, rows, kinds)


def report_xlsx(report, as_of=None) -> bytes:
    """One workbook of ``report`` (its scope and user), in the active language."""
    content = pack_content(report, as_of)
    workbook = Workbook()
    _summary(workbook.active, content)
    taken = {workbook.active.title}
    if content.targets:
        _targets_sheet(workbook, content, taken)
    tables = () if content.official else TABLES.values()
    several_zones = not content.official and len(report.zones) > 1
    for spec in tables:
        if spec.name == "zones" and not several_zones:
            continue
        columns = list(spec.columns)
        header = [
            money_header(column.label) if column.kind == MONEY else str(column.header)
            for column in columns
        ]
        kinds = [column.kind for column in columns]
        rows = [[row.get(column.key) for column in columns] for row in spec.rows(report)]
        if spec.name == "yield_top":
            header.append(_("Confidential project"))
            kinds.append(None)
            for row, source in zip(rows, spec.rows(report), strict=True):
                row.append(bool(source.get("masked")))
        if spec.totals is not None:
            totals = spec.totals(report.headline)
            rows.append(
                [
                    _("Total") if i == 0 else totals.get(column.key)
                    for i, column in enumerate(columns)
                ]
            )
        sheet = workbook.create_sheet(_sheet_title(spec.title, taken))
        _write_table(sheet, 1, header, rows, kinds)
        sheet.freeze_panes = "A2"
        _fit_columns(sheet, header, rows, kinds)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()
