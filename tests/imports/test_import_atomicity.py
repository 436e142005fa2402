"""An import writes all of a file or nothing: a failure half-way through the write leaves no row
of the file behind, and the batch says it failed and that nothing was written.

The tests are transactional, so the write runs in autocommit as in production: a statement
the import issued outside its one transaction (``writing.write``) would stay committed. The
writes are cut into batches of one row, so the failure comes after several batches, and
several sheets, are already written.
"""

import pytest
from django.utils import translation

from projects.imports import writing
from projects.imports.choices import ImportOutcome
from projects.models import Enterprise, Financing, Project, YieldRun
from tests.factories import make_uscc
from tests.imports.helpers import PROJECT_HEADER, RUN_HEADER, row_counts, run_import, write_xlsx

pytestmark = pytest.mark.django_db(transaction=True)

CODES = ["AT-1", "AT-2", "AT-3"]


@pytest.fixture
def workbook(world, tmp_path):
    """Four sheets of three new rows each: enterprises, projects, yield runs, financing."""
    platform = world["platform_a"].name
    return write_xlsx(
        tmp_path / "whole.xlsx",
        {
            "enterprises": [
                ["uscc", "name"],
                *[[make_uscc(50 + n), f"原子企业{n}"] for n in range(3)],
            ],
            "projects": [
                PROJECT_HEADER,
                *[
                    [code, platform, make_uscc(50 + n), "试产", "2024-01-01"]
                    for n, code in enumerate(CODES)
                ],
            ],
            "yield_runs": [
                RUN_HEADER,
                *[[code, "DVT", 1, "2024-03-01", 50, 40] for code in CODES],
            ],
            "financing": [
                ["project", "date", "round", "amount"],
                *[[code, "2024-06-01", "A轮", "1000万"] for code in CODES],
            ],
        },
    )


@pytest.fixture
def one_row_batches(monkeypatch):
    monkeypatch.setattr(writing, "BATCH_ROWS", 1)


@pytest.fixture(autouse=True)
def in_english():
    with translation.override("en"):
        yield


def fail_at(monkeypatch, model, batch_number, failure):
    """Make the ``batch_number``-th batch of ``model`` fail, through ``failure(objects)``
    (which raises, or spoils the rows so that the database refuses them)."""
    original = writing.create_with_history
    calls = {"count": 0}

    def create(run, written_model, objects):
        if written_model is model:
            calls["count"] += 1
            if calls["count"] == batch_number:
                failure(objects)
        return original(run, written_model, objects)

    monkeypatch.setattr(writing, "create_with_history", create)
    return calls


def written_by_the_file():
    return {
        "enterprises": Enterprise.objects.filter(name__startswith="原子企业").count(),
        "projects": Project.objects.filter(code__in=CODES).count(),
        "yield runs": YieldRun.objects.filter(project__code__in=CODES).count(),
        "financing": Financing.objects.filter(project__code__in=CODES).count(),
    }


NOTHING = {"enterprises": 0, "projects": 0, "yield runs": 0, "financing": 0}


def test_the_file_checks_and_writes_whole_without_a_failure(world, workbook, one_row_batches):
    """The control: the same file, the same one-row batches, nothing made to fail."""
    batch = run_import(workbook, user=world["admin_user"])
    assert batch.outcome == ImportOutcome.IMPORTED, batch.errors
    assert written_by_the_file() == {
        "enterprises": 3,
        "projects": 3,
        "yield runs": 3,
        "financing": 3,
    }


def test_an_error_in_the_middle_of_the_third_sheet_leaves_no_row_written(
    world, workbook, one_row_batches, monkeypatch
):
    def disk_full(_objects):
        raise OSError(28, "No space left on device")

    # Enterprises and projects are written, and the first yield run, when the second fails.
    calls = fail_at(monkeypatch, YieldRun, 2, disk_full)
    before = row_counts()
    batch = run_import(workbook, user=world["admin_user"])
    assert calls["count"] == 2  # the failure did come in the middle of the write
    assert written_by_the_file() == NOTHING
    assert row_counts() == before
    assert batch.outcome == ImportOutcome.FAILED
    assert batch.error_count == 1
    message = batch.errors[0]["message"]
    assert "unexpected error" in message and "Nothing was written" in message


def test_a_batch_the_database_refuses_leaves_no_row_written(
    world, workbook, one_row_batches, monkeypatch
):
    def breaks_a_constraint(objects):
        # More units passed than tested: the database's CHECK constraint refuses the batch.
        objects[0].units_passed = objects[0].units_tested + 1

    calls = fail_at(monkeypatch, YieldRun, 3, breaks_a_constraint)
    before = row_counts()
    batch = run_import(workbook, user=world["admin_user"])
    assert calls["count"] == 3
    assert written_by_the_file() == NOTHING
    assert row_counts() == before
    assert batch.outcome == ImportOutcome.FAILED
    # What the import says when the database refuses a write (an IntegrityError).
    message = batch.errors[0]["message"]
    assert "someone else saved" in message and "Nothing was written" in message
