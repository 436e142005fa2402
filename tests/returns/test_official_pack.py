"""The briefing pack of an official roll-up (``basis=returns``): the approved returns' figures
and what they rest on, never mixed with tables computed from today's records."""

import io
from decimal import Decimal

import pytest
from django.urls import reverse
from docx import Document
from openpyxl import load_workbook

from projects.models import Project
from projects.returns import services

from .test_pages import submitted, the_return

pytestmark = pytest.mark.django_db

OFFICIAL = {"period": "2025", "basis": "returns"}


def docx_text(response) -> str:
    document = Document(io.BytesIO(response.content))
    cells = [cell.text for table in document.tables for row in table.rows for cell in row.cells]
    return "\n".join([p.text for p in document.paragraphs] + cells)


@pytest.fixture
def approved(client, round_2025, world):
    submitted(world)
    services.approve(the_return(world), world["manager"])
    client.force_login(world["manager"])
    return the_return(world)


def test_the_official_docx_states_its_basis_and_holds_no_live_tables(client, approved, world):
    text = docx_text(client.get(reverse("reports:briefing_docx"), {**OFFICIAL, "zone": ""}))

    assert "依据2家平台中1家已审核报表" in text
    assert "from the approved returns of 1 of 2 platforms" in text
    assert "Pilot-test platforms: official roll-up" in text
    assert "Tables" not in text and "Charts" not in text


def test_the_official_workbook_has_only_its_summary_and_ignores_later_edits(
    client, approved, world
):
    url = reverse("reports:report_xlsx")
    before = load_workbook(io.BytesIO(client.get(url, OFFICIAL).content))
    Project.objects.filter(platform=world["platform_a"]).update(
        service_revenue=Decimal("99999999.00")
    )
    after = load_workbook(io.BytesIO(client.get(url, OFFICIAL).content))

    assert after.sheetnames == before.sheetnames == ["Summary"]
    figures = [[cell.value for cell in row] for row in before.active.iter_rows()]
    assert figures == [[cell.value for cell in row] for row in after.active.iter_rows()]
    revenue = next(row[1] for row in figures if row[0] == "Pilot-service revenue")
    assert revenue == Decimal("500000.00")
