"""``manage.py import_data``: exit code 0 on success, 1 on validation errors, 2 on usage errors."""

import io

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.utils import translation

from projects.imports.choices import ImportOutcome
from projects.imports.models import ImportBatch
from projects.models import Project
from tests import factories
from tests.factories import make_uscc
from tests.imports.helpers import PROJECT_HEADER, project_row, row_counts, write_xlsx


def run_command(*args) -> tuple[int, str, str]:
    """(exit code, stdout, stderr) as the shell would see them."""
    out, err = io.StringIO(), io.StringIO()
    try:
        call_command("import_data", *args, stdout=out, stderr=err)
    except CommandError as error:
        return error.returncode, out.getvalue(), err.getvalue() + str(error)
    return 0, out.getvalue(), err.getvalue()


@pytest.fixture(autouse=True)
def english_messages():
    """Assertions below quote the English output; the zh-hans catalogue is tested elsewhere."""
    with translation.override("en"):
        yield


@pytest.fixture
def good_file(world, tmp_path):
    # A client platform A already serves, so that its staff may name it by its USCC alone.
    factories.ProjectFactory(platform=world["platform_a"], enterprise__uscc=make_uscc(1))
    rows = [PROJECT_HEADER, project_row("C-1", world["platform_a"])]
    return write_xlsx(tmp_path / "good.xlsx", {"projects": rows})


def test_a_good_file_exits_0_and_prints_the_counts(good_file):
    code, out, _err = run_command(str(good_file))
    assert code == 0
    assert "projects: 1 created, 0 updated, 0 unchanged" in out
    assert Project.objects.filter(code="C-1").exists()
    assert ImportBatch.objects.get().outcome == ImportOutcome.IMPORTED


def test_a_dry_run_exits_0_and_writes_nothing(good_file):
    before = row_counts()
    code, out, _err = run_command(str(good_file), "--dry-run")
    assert code == 0 and "1 created" in out
    assert row_counts() == before


def test_validation_errors_exit_1_list_every_error_and_write_nothing(world, tmp_path):
    rows = [
        PROJECT_HEADER,
        ["C-2", "没有这个平台", make_uscc(1), "x", "2024-01-01"],
        ["C-3", world["platform_a"].name, make_uscc(2), "x", "not a date"],
    ]
    path = write_xlsx(tmp_path / "bad.xlsx", {"projects": rows})
    before = row_counts()
    code, _out, err = run_command(str(path))
    assert code == 1
    assert "projects!2 [platform]" in err and "projects!3 [start_on]" in err
    assert row_counts() == before


def test_a_refused_file_exits_1(world, tmp_path):
    path = tmp_path / "empty.xlsx"
    path.write_bytes(b"")
    assert run_command(str(path))[0] == 1


def test_a_missing_file_exits_2(world, tmp_path):
    assert run_command(str(tmp_path / "nope.xlsx"))[0] == 2


def test_an_unknown_user_exits_2(good_file):
    assert run_command(str(good_file), "--user", "nobody")[0] == 2


def test_a_zone_manager_may_not_import_and_exits_2(good_file, world):
    before = row_counts()
    assert run_command(str(good_file), "--user", world["manager"].username)[0] == 2
    assert row_counts() == before


def test_a_staff_user_imports_with_their_own_rights(good_file, world):
    code, _out, err = run_command(str(good_file), "--user", world["staff_b"].username)
    assert code == 1 and world["platform_a"].name in err
    assert run_command(str(good_file), "--user", world["staff_a"].username)[0] == 0
    assert ImportBatch.objects.filter(user=world["staff_a"]).exists()


def test_an_unknown_kind_is_a_usage_error(good_file):
    with pytest.raises(CommandError) as raised:
        call_command("import_data", str(good_file), "--kind", "tables")
    assert raised.value.returncode == 2 or "invalid choice" in str(raised.value)


def test_a_kind_for_a_workbook_is_a_usage_error(good_file):
    assert run_command(str(good_file), "--kind", "projects")[0] == 2
