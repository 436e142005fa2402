"""The briefing pack (.docx, .xlsx) and the report page that reads top-down: content, scope,
masking, permissions, units and the cut of long tables."""

import io

import pytest
from django.urls import reverse
from docx import Document
from openpyxl import load_workbook

from projects.reports.models import Target
from tests import factories
from tests.reports.test_report_views import grow, page_table

ROLLUP = reverse("reports:rollup")
DOCX = reverse("reports:briefing_docx")
XLSX = reverse("reports:report_xlsx")


def docx_text(response) -> str:
    document = Document(io.BytesIO(response.content))
    parts = [paragraph.text for paragraph in document.paragraphs]
    for table in document.tables:
        for row in table.rows:
            parts.extend(cell.text for cell in row.cells)
    return "\n".join(parts)


def workbook(response):
    return load_workbook(io.BytesIO(response.content))


# --------------------------------------------------------------------------------------------
# Who may download what


@pytest.mark.parametrize("url", [DOCX, XLSX])
def test_anonymous_users_are_sent_to_the_login_page(client, db, url):
    response = client.get(url)

    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))


@pytest.mark.parametrize("url", [DOCX, XLSX])
def test_another_zones_platform_is_a_filter_error_not_a_document(client, report_world, url):
    client.force_login(report_world["manager"])

    response = client.get(url, {"platform": report_world["platform_c"].pk})

    assert response.status_code == 400
    assert "platform" in response.json()["errors"]


@pytest.mark.parametrize("url", [DOCX, XLSX])
def test_absurd_years_are_a_filter_error(client, report_world, url):
    client.force_login(report_world["manager"])

    assert client.get(url, {"year": 10**20}).status_code == 400


# --------------------------------------------------------------------------------------------
# The Word document


def test_docx_states_scope_date_headline_briefing_and_sources(client, report_world):
    client.force_login(report_world["manager"])

    response = client.get(DOCX, {"zone": report_world["zone1"].pk, "year": 2024})

    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    assert "attachment" in response["Content-Disposition"]
    text = docx_text(response)
    assert "成都高新区 · 2024" in text  # the scope
    assert "数据截至" in text
    assert "成都高新区共有中试平台2家" in text  # the briefing names its scope
    assert "2024年服务中试项目3个" in text
    assert "中试平台数\n2" in text  # headline table: figure, value
    assert text.count("来源") >= 4  # a source line under every table and chart


def test_docx_masks_confidential_titles_for_the_manager_not_for_own_staff(client, report_world):
    client.force_login(report_world["manager"])
    manager_text = docx_text(client.get(DOCX))
    client.force_login(report_world["staff_a"])
    staff_text = docx_text(client.get(DOCX))

    assert "A2 标题" not in manager_text
    assert "保密项目" in manager_text
    assert "A1 标题" in manager_text
    assert "A2 标题" in staff_text


def test_docx_carries_the_four_charts_as_images(client, report_world):
    client.force_login(report_world["manager"])

    document = Document(io.BytesIO(client.get(DOCX).content))

    assert len(document.inline_shapes) == 4


def test_docx_in_english_for_an_english_reader(client, report_world):
    client.force_login(report_world["manager"])

    text = docx_text(client.get(DOCX, HTTP_ACCEPT_LANGUAGE="en"))

    assert "Headline figures" in text
    assert f"{report_world['zone1'].name_en} has built 2 pilot-test platforms" in text


# --------------------------------------------------------------------------------------------
# The workbook


def test_xlsx_first_sheet_has_scope_date_headline_and_briefing(client, report_world):
    client.force_login(report_world["manager"])

    book = workbook(client.get(XLSX, {"zone": report_world["zone1"].pk}))

    summary = book.worksheets[0]
    values = [cell for row in summary.iter_rows(values_only=True) for cell in row if cell]
    assert "成都高新区" in values  # the scope
    texts = [value for value in values if isinstance(value, str)]
    assert any(text.startswith("成都高新区共有中试平台2家") for text in texts)
    revenue = next(row for row in summary.iter_rows(values_only=True) if row[0] == "中试服务收入")
    assert float(revenue[1]) == pytest.approx(1300.60)  # yuan, the exact sum
    assert revenue[2] == "万元"


def test_xlsx_has_one_sheet_per_table_with_bold_frozen_filtered_headers_and_units(
    client, report_world
):
    client.force_login(report_world["manager"])

    book = workbook(client.get(XLSX))

    assert "按平台" in book.sheetnames and "良率提升最大的项目" in book.sheetnames
    assert "按园区" not in book.sheetnames  # one zone visible
    sheet = book["按平台"]
    header = [cell.value for cell in sheet[1]]
    assert sheet.freeze_panes == "A2"
    assert sheet.auto_filter.ref.startswith("A1:")
    assert all(cell.font.bold for cell in sheet[1])
    assert sheet.column_dimensions["A"].width > 8
    revenue = header.index("中试服务收入（万元）")
    cell = sheet.cell(row=2, column=revenue + 1)
    assert isinstance(cell.value, int | float)  # a number in yuan ...
    assert "万元" in cell.number_format  # ... shown in 万元


def test_xlsx_booleans_read_yes_or_no_and_titles_are_masked(client, report_world):
    client.force_login(report_world["manager"])

    sheet = workbook(client.get(XLSX))["良率提升最大的项目"]

    rows = list(sheet.iter_rows(values_only=True))
    confidential = rows[0].index("保密项目")
    titles = {row[1]: row[confidential] for row in rows[1:]}
    assert titles["保密项目"] == "是"
    assert titles["A1 标题"] == "否"
    assert "A2 标题" not in titles


def test_xlsx_escapes_formula_like_text(client, report_world):
    report_world["platform_a"].name = "=HYPERLINK(1)"
    report_world["platform_a"].save()
    client.force_login(report_world["manager"])

    sheet = workbook(client.get(XLSX))["按平台"]

    names = [row[0] for row in sheet.iter_rows(min_row=2, values_only=True)]
    assert "'=HYPERLINK(1)" in names


def test_xlsx_lists_the_targets(client, report_world):
    Target.objects.create(
        zone=report_world["zone1"], metric="projects", start_year=2024, end_year=2024, value=10
    )
    client.force_login(report_world["manager"])

    sheet = workbook(client.get(XLSX))["目标"]

    rows = list(sheet.iter_rows(values_only=True))
    assert rows[1][:6] == ("成都高新区", "服务中试项目数", 2024, 2024, 10, 3)


# --------------------------------------------------------------------------------------------
# The report page


def test_page_reads_scope_date_headline_briefing_then_contents(client, report_world):
    client.force_login(report_world["manager"])

    body = client.get(ROLLUP).content.decode()

    order = [
        body.index('id="title-block"'),
        body.index('id="headline"'),
        body.index('id="briefing"'),
        body.index('class="report-contents'),
        body.index('id="by-platform"'),
        body.index('id="trends"'),
    ]
    assert order == sorted(order)
    for anchor in ("by-platform", "by-sector", "by-year", "yield", "financing", "trends"):
        assert f'href="#{anchor}"' in body
    assert "数据截至" in body
    assert 'data-copy="briefing-zh"' in body
    assert reverse("reports:briefing_docx") in body and reverse("reports:report_xlsx") in body


def test_money_headers_state_the_unit_the_cells_show(client, report_world):
    client.force_login(report_world["manager"])

    table = page_table(client.get(ROLLUP), "platforms")

    labels = [header["label"] for header in table["headers"]]
    assert "中试服务收入（万元）" in labels
    revenue = labels.index("中试服务收入（万元）")
    cells = {row[0][0]: row[revenue][0] for row in table["rows"]}
    assert cells["蜂鸟平台"] == "0.03"  # 300.60 yuan in 万元
    assert "万" not in cells["蜂鸟平台"]


def test_long_tables_show_20_rows_in_the_chosen_order_until_show_all(client, report_world):
    for _n in range(23):
        factories.PlatformFactory(zone=report_world["zone1"])
    client.force_login(report_world["manager"])

    short = page_table(client.get(ROLLUP, {"platforms_sort": "-projects"}), "platforms")
    full = page_table(
        client.get(ROLLUP, {"platforms_sort": "-projects", "platforms_all": "1"}), "platforms"
    )

    assert len(short["rows"]) == 20
    assert short["rows"][0][0][0] == "蜂鸟平台"  # sorted before the cut: the most projects
    assert short["total_rows"] == 25 and short["shortened"]
    assert "platforms_all=1" in short["toggle_url"]
    assert len(full["rows"]) == 25
    assert "platforms_all" not in full["toggle_url"]


def test_charts_carry_a_text_alternative(client, report_world):
    client.force_login(report_world["manager"])

    body = client.get(ROLLUP).content.decode()

    assert body.count("<desc>") == 4
    assert "<desc>2023: 1; 2024: 3</desc>" in body


def test_page_shows_the_targets_with_a_bar(client, report_world):
    Target.objects.create(
        zone=report_world["zone1"], metric="projects", start_year=2024, end_year=2024, value=10
    )
    client.force_login(report_world["manager"])

    body = client.get(ROLLUP).content.decode()

    assert 'id="targets"' in body
    assert '<progress max="100" value="30.0"' in body
    assert "3 / 10" in body


def test_the_largest_gains_show_20_of_up_to_100_until_show_all(client, report_world):
    grow(report_world)  # 60 more projects with two runs
    client.force_login(report_world["manager"])

    short = page_table(client.get(ROLLUP), "yield_top")
    full = page_table(client.get(ROLLUP, {"yield_top_all": "1"}), "yield_top")

    assert len(short["rows"]) == 20 and short["shortened"]
    assert len(full["rows"]) == short["total_rows"] > 20
