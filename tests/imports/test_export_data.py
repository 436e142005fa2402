"""Export → import gives back the same rows and reports 0 created, 0 updated, N unchanged."""

import io
from decimal import Decimal

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from openpyxl import load_workbook

from projects.imports.choices import ImportOutcome
from projects.models import Enterprise, Financing, Project, YieldRun
from tests import factories
from tests.imports.helpers import row_counts, run_import


def snapshot():
    """Every imported column of every row, to compare before and after a round trip."""
    return {
        "projects": list(
            Project.objects.order_by("code").values_list(
                "code", "platform__name", "enterprise__uscc", "title", "product", "track",
                "stage", "status", "start_on", "end_on", "service_revenue", "output_value",
                "new_product", "confidentiality", "description", "version",
            )
        ),
        "runs": list(YieldRun.objects.order_by("pk").values_list(
            "project__code", "stage", "sequence", "measured_on", "units_tested", "units_passed",
            "first_pass_units", "unit", "notes")),
        "financing": list(Financing.objects.order_by("pk").values_list(
            "project__code", "date", "round", "instrument", "investor", "investor_type", "amount")),
        "enterprises": list(Enterprise.objects.order_by("uscc").values_list(
            "uscc", "name", "sector", "size", "is_high_tech", "srdi_level", "founded_on")),
    }  # fmt: skip


@pytest.fixture
def data(world):
    recognition = factories.RecognitionFactory(platform=world["platform_a"])
    project = factories.ProjectFactory(
        platform=world["platform_a"],
        title="=cmd|' /C calc'!A0",  # entered through a form; the export must escape it
        description="-负数开头的说明",
        service_revenue=Decimal("1234567.89"),
        end_on=None,
    )
    factories.YieldRunFactory(project=project, stage="DVT", sequence=1, units_passed=40)
    factories.YieldRunFactory(project=project, stage="PVT", sequence=1, units_passed=90)
    factories.FinancingFactory(project=project, amount=Decimal("28500000.50"))
    factories.ProjectFactory(platform=world["platform_c"], new_product=True)
    return {"project": project, "recognition": recognition}


def test_export_then_import_changes_nothing(data, tmp_path):
    path = tmp_path / "all.xlsx"
    call_command("export_data", str(path), stdout=io.StringIO())
    before, counts = snapshot(), row_counts()
    history = Project.history.count() + YieldRun.history.count()
    batch = run_import(path)
    assert batch.outcome == ImportOutcome.IMPORTED, batch.errors
    for kind, sheet_counts in batch.counts.items():
        assert sheet_counts["created"] == 0 and sheet_counts["updated"] == 0, kind
    assert batch.counts["projects"]["unchanged"] == 2
    assert batch.counts["yield_runs"]["unchanged"] == 2
    assert snapshot() == before and row_counts() == counts
    assert Project.history.count() + YieldRun.history.count() == history


def test_the_export_escapes_text_that_would_run_as_a_formula(data, tmp_path):
    path = tmp_path / "escaped.xlsx"
    call_command("export_data", str(path), stdout=io.StringIO())
    sheet = load_workbook(path)["projects"]
    titles = [row[3] for row in sheet.iter_rows(min_row=2, values_only=True)]
    assert "'=cmd|' /C calc'!A0" in titles


def test_export_into_an_empty_database_rebuilds_the_same_rows(data, tmp_path, world):
    path = tmp_path / "all.xlsx"
    call_command("export_data", str(path), stdout=io.StringIO())
    before = snapshot()
    for model in (YieldRun, Financing, Project, Enterprise):
        model.objects.all().delete()
    batch = run_import(path)
    assert batch.outcome == ImportOutcome.IMPORTED, batch.errors
    assert batch.counts["projects"]["created"] == 2
    assert snapshot() == before
    assert Project.objects.get(code=data["project"].code).yield_gain_pp == Decimal("50.0000")


def test_export_of_one_zone_holds_only_its_platforms(data, tmp_path, world):
    path = tmp_path / "zone.xlsx"
    call_command("export_data", str(path), "--zone", world["zone2"].name, stdout=io.StringIO())
    workbook = load_workbook(path)
    platforms = [row[0] for row in workbook["platforms"].iter_rows(min_row=2, values_only=True)]
    assert platforms == [world["platform_c"].name]
    assert workbook["projects"].max_row == 2


def test_export_to_an_unknown_zone_or_a_csv_path_is_a_usage_error(data, tmp_path):
    with pytest.raises(CommandError):
        call_command("export_data", str(tmp_path / "x.xlsx"), "--zone", "无此园区")
    with pytest.raises(CommandError):
        call_command("export_data", str(tmp_path / "x.csv"))


def test_an_export_with_chinese_headers_imports_back_unchanged(data, tmp_path):
    path = tmp_path / "zh.xlsx"
    call_command("export_data", str(path), "--language", "zh-hans", stdout=io.StringIO())
    assert load_workbook(path)["projects"]["A1"].value == "项目编号"
    batch = run_import(path)
    assert batch.outcome == ImportOutcome.IMPORTED, batch.errors
    assert all(counts["created"] == counts["updated"] == 0 for counts in batch.counts.values())
