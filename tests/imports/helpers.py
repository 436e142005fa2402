"""Helpers for the import tests: write small workbooks and CSV files into tmp_path, run imports.

Test files are generated in the tests (never committed as binary fixtures).
"""

import csv
import datetime as dt

from openpyxl import Workbook

from platforms.models import Platform
from projects.imports.models import ImportBatch
from projects.imports.service import execute
from projects.models import Enterprise, Financing, Project, YieldRun
from tests.factories import make_uscc

PROJECT_HEADER = ["code", "platform", "enterprise_uscc", "title", "start_on"]
RUN_HEADER = ["project", "stage", "sequence", "measured_on", "units_tested", "units_passed"]


def write_xlsx(path, sheets: dict):
    """sheets: {name: [header, row, ...]}; strings starting with "=" become formulas (openpyxl)."""
    workbook = Workbook()
    workbook.remove(workbook.active)
    for name, rows in sheets.items():
        sheet = workbook.create_sheet(name)
        for row in rows:
            sheet.append(row)
    workbook.save(path)
    return path


def write_csv(path, rows, *, encoding="utf-8", delimiter=","):
    with open(path, "w", encoding=encoding, newline="") as handle:
        csv.writer(handle, delimiter=delimiter).writerows(rows)
    return path


def run_import(path, *, user=None, dry_run=False, kind=None, encoding=None) -> ImportBatch:
    batch = ImportBatch.objects.create(user=user, file_name=path.name, kind=kind or "workbook")
    for _event in execute(batch, path, dry_run=dry_run, kind=kind, encoding=encoding):
        pass
    batch.refresh_from_db()
    return batch


def row_counts() -> dict:
    """Row counts of every importable table, to assert that a refused import wrote nothing."""
    return {
        model.__name__: model.objects.count()
        for model in (Platform, Enterprise, Project, YieldRun, Financing)
    }


def project_row(code, platform, uscc_n=1, title="智能模组试产", start=dt.date(2024, 1, 1)):
    return [code, platform.name, make_uscc(uscc_n), title, start]


def messages(batch) -> list[str]:
    return [error["message"] for error in batch.errors]


def counts(*, created=0, updated=0, unchanged=0, invalid=0) -> dict:
    """A sheet's counts as the batch records them: every row is one of the four."""
    return {
        "rows": created + updated + unchanged + invalid,
        "created": created,
        "updated": updated,
        "unchanged": unchanged,
        "invalid": invalid,
    }
