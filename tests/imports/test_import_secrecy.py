"""Import errors never tell staff that another platform's codes, names or clients exist.

A row naming a record of a platform the user may not edit is reported in exactly the words of a
row naming a record nobody has: "no project with this code among your platforms". Each test
imports the same row twice, once with another platform's key and once with a key that does not
exist, and compares the whole error list with the keys blanked out.

A = platform_a (zone 1), staff_a its staff; B = platform_b (zone 1); C = platform_c (zone 2).
"""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import translation

from projects.imports.choices import ImportOutcome
from projects.imports.models import ImportBatch
from tests import factories
from tests.imports.helpers import PROJECT_HEADER, RUN_HEADER, row_counts, run_import, write_xlsx

pytestmark = pytest.mark.django_db

FINANCING_HEADER = ["project", "date", "round", "amount"]
MISSING_CODE = "NOBODY-1"
MISSING_PLATFORM = "从未登记的平台"


@pytest.fixture(autouse=True)
def english_messages():
    with translation.override("en"):
        yield


@pytest.fixture
def foreign_projects(world):
    """A project of the zone mate B and one of C in the other zone."""
    return {
        "zone_mate": factories.ProjectFactory(platform=world["platform_b"], code="B-SECRET-1"),
        "other_zone": factories.ProjectFactory(platform=world["platform_c"], code="C-SECRET-1"),
    }


def blanked(batch, key) -> list[tuple]:
    """The batch's errors with ``key`` replaced, to compare two imports that differ only by it."""
    return [
        (
            e["sheet"],
            e["row"],
            e["column"],
            e["value"].replace(key, "KEY"),
            e["message"].replace(key, "KEY"),
        )
        for e in batch.errors
    ]


def import_as(user, tmp_path, name, sheets):
    return run_import(write_xlsx(tmp_path / name, sheets), user=user)


def child_sheets(code):
    return {
        "yield_runs": [RUN_HEADER, [code, "DVT", 1, "2024-03-01", 10, 5]],
        "financing": [FINANCING_HEADER, [code, "2024-06-01", "a", "100万"]],
    }


@pytest.mark.parametrize("whose", ["zone_mate", "other_zone"])
def test_runs_and_financing_of_another_platforms_project_read_like_a_missing_code(
    world, foreign_projects, tmp_path, whose
):
    code = foreign_projects[whose].code
    before = row_counts()
    foreign = import_as(world["staff_a"], tmp_path, "f.xlsx", child_sheets(code))
    missing = import_as(world["staff_a"], tmp_path, "m.xlsx", child_sheets(MISSING_CODE))
    assert foreign.outcome == missing.outcome == ImportOutcome.INVALID
    assert blanked(foreign, code) == blanked(missing, MISSING_CODE)
    assert [e["message"] for e in foreign.errors] == [
        f"No project with the code {code} among your platforms."
    ] * 2
    assert row_counts() == before


def test_the_chinese_message_for_a_project_of_another_platform(world, foreign_projects, tmp_path):
    code = foreign_projects["zone_mate"].code
    with translation.override("zh-hans"):
        batch = import_as(world["staff_a"], tmp_path, "f.xlsx", child_sheets(code))
    assert [e["message"] for e in batch.errors] == [f"您的平台中没有编号为 {code} 的项目。"] * 2


def test_a_project_the_user_sees_as_a_manager_but_does_not_edit_is_not_theirs_to_import(
    world, tmp_path
):
    """Staff of B who also manage zone 1 see A's projects; their import still cannot name one."""
    user = world["staff_b"]
    factories.ZoneMembershipFactory(user=user, zone=world["zone1"])
    code = factories.ProjectFactory(platform=world["platform_a"], code="A-SEEN-1").code
    seen = import_as(user, tmp_path, "s.xlsx", child_sheets(code))
    missing = import_as(user, tmp_path, "m.xlsx", child_sheets(MISSING_CODE))
    assert blanked(seen, code) == blanked(missing, MISSING_CODE)


@pytest.mark.parametrize("whose", ["platform_b", "platform_c"])
def test_a_project_row_on_another_platform_reads_like_a_missing_platform(world, tmp_path, whose):
    enterprise = factories.ProjectFactory(platform=world["platform_a"]).enterprise
    name = world[whose].name

    def row(platform_name):
        return {
            "projects": [
                PROJECT_HEADER,
                ["ZS-1", platform_name, enterprise.uscc, "x", "2024-01-01"],
            ]
        }

    foreign = import_as(world["staff_a"], tmp_path, "f.xlsx", row(name))
    missing = import_as(world["staff_a"], tmp_path, "m.xlsx", row(MISSING_PLATFORM))
    assert blanked(foreign, name) == blanked(missing, MISSING_PLATFORM)
    assert [e["message"] for e in foreign.errors] == [
        f"No platform called {name} among your platforms."
    ]


def test_reusing_another_platforms_project_code_names_neither_the_platform_nor_the_project(
    world, foreign_projects, tmp_path
):
    project = foreign_projects["other_zone"]
    enterprise = factories.ProjectFactory(platform=world["platform_a"]).enterprise
    before = row_counts()
    batch = import_as(
        world["staff_a"],
        tmp_path,
        "t.xlsx",
        {
            "projects": [
                PROJECT_HEADER,
                [project.code, world["platform_a"].name, enterprise.uscc, "x", "2024-01-01"],
            ]
        },
    )
    assert [e["message"] for e in batch.errors] == [
        f"The project code {project.code} is taken; give this project another code."
    ]
    text = str(batch.errors)
    for secret in (project.title, world["platform_c"].name, project.enterprise.name):
        assert secret not in text
    assert row_counts() == before


def test_an_administrator_is_told_plainly_that_a_code_is_unknown(world, tmp_path):
    batch = import_as(world["admin_user"], tmp_path, "m.xlsx", child_sheets(MISSING_CODE))
    assert [e["message"] for e in batch.errors] == [f"Unknown project code: {MISSING_CODE}"] * 2


def test_the_batch_page_shows_the_same_words_for_a_foreign_and_a_missing_code(
    client, world, foreign_projects, tmp_path, settings
):
    client.force_login(world["staff_a"])
    pages = {}
    for code in (foreign_projects["other_zone"].code, MISSING_CODE):
        path = write_xlsx(
            tmp_path / f"{code}.xlsx", {"yield_runs": child_sheets(code)["yield_runs"]}
        )
        upload = SimpleUploadedFile(path.name, path.read_bytes())
        client.post(reverse("imports:upload"), {"file": upload})
        batch = ImportBatch.objects.latest("pk")
        page = client.get(reverse("imports:batch", args=[batch.pk])).content.decode()
        assert f"您的平台中没有编号为 {code} 的项目。" in page  # zh-hans: the default language
        pages[code] = page
    foreign = foreign_projects["other_zone"]
    assert foreign.title not in pages[foreign.code]
    assert world["platform_c"].name not in pages[foreign.code]
