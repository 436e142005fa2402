"""The downloadable template: one empty sheet per kind (its header row only), a sheet of
examples, and a sheet of column notes.

The examples (given where each sheet is registered) live on their own sheet, "示例" /
"Examples", which is not the name of any kind, so an import never reads it (the preview lists it
as not imported): uploading the unchanged template changes nothing. The notes say how a blank
cell and the ``#CLEAR`` / ``#清空`` marker behave.

Headers and choice labels are in the user's language (both are accepted back on import);
sheet names stay English because they are how the import recognises a sheet.
"""

import datetime as dt
import io
from decimal import Decimal

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from openpyxl import Workbook
from openpyxl.styles import Font

from .columns import AMOUNT, BOOL, CHOICE, DATE, INT, REF, REFS, TEXT
from .parsers import CLEAR_MARKERS
from .registry import registry
from .wording import choice_label

BLANK_NOTE = gettext_lazy("A blank cell keeps the stored value")
TYPE_NOTES = {
    TEXT: gettext_lazy("Text"),
    CHOICE: gettext_lazy("One of the values listed"),
    DATE: gettext_lazy("Date: 2024-03-01, 2024/3/1 or 2024年3月1日"),
    AMOUNT: gettext_lazy("Amount in yuan: 1,234.56, 12.5万 or 1.2亿"),
    INT: gettext_lazy("Whole number"),
    BOOL: gettext_lazy("Yes/no: 1/0, yes/no, 是/否"),
    REF: gettext_lazy("Name or code of an existing record, or of one earlier in the file"),
    REFS: gettext_lazy("Names separated by semicolons"),
}


def _label(column, value, chinese: bool):
    if column.value_type != CHOICE or value in ("", None):
        return value
    return choice_label(column, value, chinese=chinese)


def template_bytes(language: str) -> bytes:
    chinese = language.startswith("zh")
    workbook = Workbook()
    workbook.remove(workbook.active)
    bold = Font(bold=True)
    for spec in registry.sheets():
        sheet = workbook.create_sheet(spec.kind)
        sheet.append([column.chinese if chinese else column.english for column in spec.columns])
        for cell in sheet[1]:
            cell.font = bold
    examples = workbook.create_sheet(_("Examples")[:31])
    examples.append(
        [_("Examples only: this sheet is never imported. Copy a row to the sheet of its kind.")]
    )
    for spec in registry.sheets():
        examples.append([])
        examples.append([spec.kind])
        examples.append([column.chinese if chinese else column.english for column in spec.columns])
        for cell in examples[examples.max_row]:
            cell.font = bold
        examples.append([_label(c, spec.example.get(c.field, ""), chinese) for c in spec.columns])
        for cell in examples[examples.max_row]:
            if isinstance(cell.value, dt.date):
                cell.number_format = "yyyy-mm-dd"
            elif isinstance(cell.value, Decimal):
                cell.number_format = "#,##0.00"
    notes = workbook.create_sheet(_("columns")[:31])
    titles = [_("Sheet"), _("Column (English)"), _("Column (Chinese)"), _("Required")]
    notes.append([*titles, _("Format"), _("Allowed values"), _("Notes")])
    for cell in notes[1]:
        cell.font = bold
    markers = " / ".join(CLEAR_MARKERS)
    notes.append(
        [
            "",
            "",
            "",
            "",
            str(BLANK_NOTE),
            "",
            _("To empty a stored value, write %(markers)s in the cell (optional columns only).")
            % {"markers": markers},
        ]
    )
    for spec in registry.sheets():
        for column in spec.columns:
            allowed = ""
            if column.choices is not None:
                allowed = "; ".join(
                    f"{value} = {_label(column, value, chinese)}" for value in column.choices.values
                )
            notes.append(
                [
                    spec.kind,
                    column.english,
                    column.chinese,
                    _("yes") if column.required else "",
                    str(TYPE_NOTES[column.value_type]),
                    allowed,
                    str(column.help),
                ]
            )
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()
