"""``/reports/briefing.docx``: the briefing as a Word document (python-docx), to be edited in
Word or WPS: title, scope, date, the headline table, the briefing text, the targets, the top
tables (by platform, by sector, largest yield gains, confidential titles masked) and the charts
as images, each table and chart followed by its source line."""

import io

from django.utils.translation import gettext as _
from docx import Document
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Cm, Pt

from tracker import formatting

from ..tables import TABLES, TEXT, display
from .chart_images import bar_png
from .content import DOCX_TABLES, headline_text, pack_content, top_rows

EAST_ASIAN_FONT = "宋体"
TABLE_FONT_SIZE = Pt(9)


def _set_east_asian_font(document) -> None:
    """Chinese text in 宋体 (Word and WPS both have it), Latin text in the default font."""
    style = document.styles["Normal"]
    style.font.size = Pt(10.5)
    fonts = style.element.get_or_add_rPr().get_or_add_rFonts()
    fonts.set(qn("w:eastAsia"), EAST_ASIAN_FONT)


def _repeat_header(row) -> None:
    """Mark a table's first row as a header row, repeated on every page the table spans."""
    properties = row._tr.get_or_add_trPr()
    header = OxmlElement("w:tblHeader")
    header.set(qn("w:val"), "true")
    properties.append(header)


def _table(document, header: list[str], rows: list[list[str]], numeric: list[bool]):
    table = document.add_table(rows=1, cols=len(header))
    table.style = "Table Grid"
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    _repeat_header(table.rows[0])
    for cell, text in zip(table.rows[0].cells, header, strict=True):
        cell.text = ""
        run = cell.paragraphs[0].add_run(text)
        run.bold = True
        run.font.size = TABLE_FONT_SIZE
    for values in rows:
        cells = table.add_row().cells
        for cell, text, is_number in zip(cells, values, numeric, strict=True):
            paragraph = cell.paragraphs[0]
            run = paragraph.add_run(text)
            run.font.size = TABLE_FONT_SIZE
            if is_number:
                paragraph.alignment = WD_ALIGN_PARAGRAPH.RIGHT
    return table


def _source(document, text: str) -> None:
    paragraph = document.add_paragraph()
    run = paragraph.add_run(text)
    run.italic = True
    run.font.size = Pt(8)


def _report_table(document, report, name: str, keys: tuple, source: str) -> None:
    spec = TABLES[name]
    columns = [column for column in spec.columns if column.key in keys]
    rows = top_rows(report, name)
    document.add_heading(str(spec.title), level=2)
    _table(
        document,
        [column.page_header() for column in columns],
        [[display(row.get(column.key), column.kind) for column in columns] for row in rows],
        [column.kind != TEXT for column in columns],
    )
    _source(document, source)


def _chart(document, caption: str, points, source: str, *, money=False) -> None:
    document.add_paragraph(caption).runs[0].bold = True
    document.add_picture(io.BytesIO(bar_png(points, money=money)), width=Cm(16))
    _source(document, source)


def briefing_docx(report, as_of=None) -> bytes:
    """The Word document of ``report`` (its scope and user), in the active language."""
    content = pack_content(report, as_of)
    document = Document()
    _set_east_asian_font(document)
    for section in document.sections:
        section.left_margin = section.right_margin = Cm(2)
    document.add_heading(content.title, level=0)
    document.add_paragraph(f"{_('Scope')}: {content.scope}")
    document.add_paragraph(f"{_('Data as of')}: {content.as_of_text}")

    document.add_heading(_("Headline figures"), level=1)
    _table(
        document,
        [_("Figure"), _("Value")],
        [[label, headline_text(value, kind)] for label, value, kind in content.headline],
        [False, True],
    )
    _source(document, content.source)

    document.add_heading(_("Briefing text"), level=1)
    for text in (content.briefing_zh, content.briefing_en):
        for line in text.split("\n"):
            document.add_paragraph(line)

    if content.targets:
        document.add_heading(_("Targets"), level=1)
        _table(
            document,
            [_("Zone"), _("Target"), _("Years"), _("Reached / target"), _("Progress")],
            [_target_cells(row) for row in content.targets],
            [False, False, False, True, True],
        )
        _source(document, content.source)

    if content.official:
        return _saved(document)

    document.add_heading(_("Tables"), level=1)
    for name, keys in DOCX_TABLES:
        _report_table(document, report, name, keys, content.source)

    document.add_heading(_("Charts"), level=1)
    unit = formatting.table_amount_unit()
    years = report.years
    _chart(
        document,
        _("Projects by start year"),
        [(row["label"], row["projects"]) for row in years],
        content.source,
    )
    _chart(
        document,
        _("Service revenue by start year (%(unit)s)") % {"unit": unit},
        [(row["label"], row["service_revenue"]) for row in years],
        content.source,
        money=True,
    )
    _chart(
        document,
        _("Financing by year (%(unit)s)") % {"unit": unit},
        [(row["label"], row["amount"]) for row in report.financing["year"]],
        content.source,
        money=True,
    )
    _chart(
        document,
        _("Projects by yield gain (pp)"),
        [(row["label"], row["projects"]) for row in report.yields.histogram],
        content.source,
    )
    return _saved(document)


def _saved(document) -> bytes:
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def _target_cells(row: dict) -> list[str]:
    show = formatting.format_amount if row["is_amount"] else formatting.format_count
    return [
        row["zone"],
        str(row["label"]),
        f"{row['start_year']}–{row['end_year']}",
        f"{show(row['value'])} / {show(row['target'])}",
        formatting.format_percent(row["share"]),
    ]
