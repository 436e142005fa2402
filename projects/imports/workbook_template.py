"""The downloadable template: one sheet per kind with an example row, and a sheet of column notes.

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

from .columns import (
    AMOUNT,
    BOOL,
    CHINESE_LABELS,
    CHOICE,
    DATE,
    INT,
    KINDS,
    REF,
    REFS,
    SHEETS,
    TEXT,
)

EXAMPLES = {
    "platforms": {
        "name": "成都高新蜂鸟智能硬件中试平台",
        "name_en": "Chengdu Hi-tech Hummingbird Intelligent Hardware Pilot Platform",
        "zone": "成都高新区",
        "sector": "information_technology",
        "operator_name": "成都高新蜂鸟科技有限公司",
        "operator_uscc": "",
        "construction_model": "enterprise_market",
        "established_on": dt.date(2019, 6, 1),
        "status": "active",
        "description": "",
        "contact_name": "张明",
        "contact_phone": "028-85190000",
        "recognition_lists": "",
    },
    "enterprises": {
        "uscc": "91350100M000100Y43",
        "name": "成都臻识科技发展有限公司",
        "sector": "information_technology",
        "size": "small",
        "is_high_tech": True,
        "srdi_level": "provincial",
        "founded_on": dt.date(2015, 3, 1),
    },
    "projects": {
        "code": "FN-2023-001",
        "platform": "成都高新蜂鸟智能硬件中试平台",
        "enterprise": "91350100M000100Y43",
        "title": "路内停车移动巡查设备小批量试产",
        "product": "路内停车移动巡查设备",
        "track": "discrete",
        "stage": "PVT",
        "status": "completed",
        "start_on": dt.date(2023, 3, 1),
        "end_on": dt.date(2023, 12, 31),
        "service_revenue": "12.5万",
        "output_value": "1.2亿",
        "new_product": True,
        "confidentiality": "public",
        "description": "",
    },
    "yield_runs": {
        "project": "FN-2023-001",
        "stage": "DVT",
        "sequence": 1,
        "measured_on": dt.date(2023, 5, 10),
        "units_tested": 50,
        "units_passed": 20,
        "first_pass_units": 18,
        "unit": "pcs",
        "notes": "DVT#1",
    },
    "financing": {
        "project": "FN-2023-001",
        "date": dt.date(2023, 9, 1),
        "round": "a",
        "instrument": "equity",
        "investor": "成都科创投",
        "investor_type": "guidance_fund",
        "amount": "3000万",
    },
}

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
    if chinese:
        return CHINESE_LABELS[column.choices].get(value, value)
    return str(column.choices(value).label)


def template_bytes(language: str) -> bytes:
    chinese = language.startswith("zh")
    workbook = Workbook()
    workbook.remove(workbook.active)
    bold = Font(bold=True)
    for kind in KINDS:
        sheet = workbook.create_sheet(kind)
        columns = SHEETS[kind].columns
        sheet.append([column.chinese if chinese else column.english for column in columns])
        sheet.append([_label(c, EXAMPLES[kind].get(c.field, ""), chinese) for c in columns])
        for cell in sheet[1]:
            cell.font = bold
        for cell in sheet[2]:
            if isinstance(cell.value, dt.date):
                cell.number_format = "yyyy-mm-dd"
            elif isinstance(cell.value, Decimal):
                cell.number_format = "#,##0.00"
    notes = workbook.create_sheet(_("columns")[:31])
    titles = [_("Sheet"), _("Column (English)"), _("Column (Chinese)"), _("Required")]
    notes.append([*titles, _("Format"), _("Allowed values"), _("Notes")])
    for cell in notes[1]:
        cell.font = bold
    for kind in KINDS:
        for column in SHEETS[kind].columns:
            allowed = ""
            if column.choices is not None:
                allowed = "; ".join(
                    f"{value} = {_label(column, value, chinese)}" for value in column.choices.values
                )
            notes.append(
                [
                    kind,
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
