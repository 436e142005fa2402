"""Look-alike codes are one code, or refused (issue 8, item 11).

``ＦＮ-２０１９-０００４`` (full width), ``fn-2019-0004`` and `` FN-2019-0004 `` are stored as
``FN-2019-0004``, so they meet the uniqueness rules as the same code; a code with a zero-width
space, a bidi override, a control character or a space inside is refused with a message naming
the character. The same holds for credit codes (Enterprise.uscc, Platform.operator_uscc), in
model validation, the web form, the import and the database; the list search finds the code
whatever of that was typed.
"""

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.urls import reverse
from django.utils import translation

from platforms.models import Platform
from projects.imports.choices import ImportOutcome
from projects.models import Enterprise, Project
from tests import factories
from tests.factories import make_uscc
from tests.imports.helpers import (
    PROJECT_HEADER,
    RUN_HEADER,
    counts,
    project_row,
    row_counts,
    run_import,
    write_csv,
    write_xlsx,
)
from tests.legacy_rows import write_raw
from tests.workspace import VALID_USCC, english, new_project_data
from tracker.migration_steps import RowsBreakNewRule, refuse_rows_breaking
from tracker.validators import (
    normalize_project_code,
    normalize_uscc,
    searchable_code,
    validate_project_code,
    validate_uscc,
)

pytestmark = pytest.mark.django_db

CODE = "FN-2019-0004"
LOOKALIKES = [
    "ＦＮ-２０１９-０００４",
    "fn-2019-0004",
    "  Fn-2019-0004\u3000",
    "\tFN－2019－0004\n",
]
# (a character that must not be inside a code, how the message names it)
HIDDEN_CHARACTERS = [
    ("\u200b", "U+200B ZERO WIDTH SPACE"),
    ("\ufeff", "U+FEFF ZERO WIDTH NO-BREAK SPACE"),
    ("\u202e", "U+202E RIGHT-TO-LEFT OVERRIDE"),
    ("\u200e", "U+200E LEFT-TO-RIGHT MARK"),
    ("\u2066", "U+2066 LEFT-TO-RIGHT ISOLATE"),
    ("\u00ad", "U+00AD SOFT HYPHEN"),
    ("\x07", "U+0007"),
    ("\u3164", "U+3164 HANGUL FILLER"),
    (" ", "U+0020 SPACE"),
    ("\u3000", "U+3000 IDEOGRAPHIC SPACE"),
]
# Project codes holding them, inside and (for the invisible ones) at either end.
HIDDEN = [(f"FN-2019{char}-0004", named) for char, named in HIDDEN_CHARACTERS] + [
    ("\u200bFN-2019-0004", "U+200B ZERO WIDTH SPACE"),
    ("FN-2019-0004\ufeff", "U+FEFF ZERO WIDTH NO-BREAK SPACE"),
    ("FN-2019-\u202e4000", "U+202E RIGHT-TO-LEFT OVERRIDE"),
]


@pytest.fixture
def staff_client(client, world):
    client.force_login(world["staff_a"])
    return english(client)


def assert_db_refuses(action):
    with pytest.raises(IntegrityError), transaction.atomic():
        action()


def full_width(text: str) -> str:
    return "".join(chr(ord(c) + 0xFEE0) if "!" <= c <= "~" else c for c in text)


# --- the normalising functions ----------------------------------------------------------------


@pytest.mark.parametrize("typed", LOOKALIKES)
def test_look_alike_project_codes_normalise_to_one_code(typed):
    assert normalize_project_code(typed) == CODE
    validate_project_code(typed)


def test_look_alike_credit_codes_normalise_to_one_code():
    for typed in (full_width(VALID_USCC), VALID_USCC.lower(), f"\u3000{VALID_USCC} "):
        assert normalize_uscc(typed) == VALID_USCC
        validate_uscc(typed)


@pytest.mark.parametrize(("typed", "named"), HIDDEN)
def test_a_project_code_with_a_hidden_character_is_refused_naming_it(typed, named):
    with translation.override("en"):
        with pytest.raises(ValidationError) as error:
            validate_project_code(typed)
        assert error.value.code == "hidden_characters"
        assert named in error.value.messages[0]
        assert "retype it" in error.value.messages[0]


@pytest.mark.parametrize(("char", "named"), HIDDEN_CHARACTERS)
def test_a_credit_code_with_a_hidden_character_is_refused_naming_it(char, named):
    code = VALID_USCC[:9] + char + VALID_USCC[9:]
    with translation.override("en"):
        with pytest.raises(ValidationError) as error:
            validate_uscc(code)
        assert error.value.code == "hidden_characters"
        assert named in error.value.messages[0]


def test_the_refusal_is_explained_in_chinese():
    with translation.override("zh-hans"):
        with pytest.raises(ValidationError) as error:
            validate_project_code("FN-2019\u200b-0004")
        assert error.value.messages == [
            "编号中不能含有空格或不可见字符（U+200B ZERO WIDTH SPACE），请重新输入，不要复制粘贴。"
        ]


def test_a_search_drops_what_a_code_may_not_contain():
    assert searchable_code("ｆｎ-2019\u200b-0004\u202e") == CODE


def test_a_code_that_grows_past_its_length_when_normalised_is_refused():
    # "㍻" (one character) is "平成" (two) once normalised: 40 of them are 80 characters.
    with pytest.raises(ValidationError) as error:
        validate_project_code("㍻" * 40)
    assert error.value.code == "project_code_length"


# --- models and database ----------------------------------------------------------------------


@pytest.mark.parametrize("typed", LOOKALIKES)
def test_a_look_alike_of_an_existing_project_code_is_a_duplicate(world, typed):
    factories.ProjectFactory(platform=world["platform_a"], code=CODE)
    twin = factories.ProjectFactory.build(
        platform=world["platform_a"], enterprise=factories.EnterpriseFactory(), code=typed
    )
    with translation.override("en"):
        with pytest.raises(ValidationError) as error:
            twin.full_clean()
        assert error.value.message_dict["code"] == [
            "Project with this Project code already exists."
        ]


def test_a_project_code_is_stored_normalised(world):
    project = factories.ProjectFactory.build(
        platform=world["platform_a"], enterprise=factories.EnterpriseFactory(), code="ｆｎ-１"
    )
    project.full_clean()
    project.save()
    assert Project.objects.get().code == "FN-1"


@pytest.mark.parametrize(
    "stored", ["fn-2019-0004", " FN-2019-0004", "FN-2019-0004 ", "FN 1", "FN-1\u200b", "FN\u202e1"]
)
def test_the_database_refuses_a_project_code_that_is_not_normalised(world, stored):
    project = factories.ProjectFactory(platform=world["platform_a"])
    assert_db_refuses(lambda: Project.objects.filter(pk=project.pk).update(code=stored))
    copy = factories.ProjectFactory.build(
        platform=world["platform_a"], enterprise=project.enterprise, code=stored
    )
    assert_db_refuses(lambda: Project.objects.bulk_create([copy]))


@pytest.mark.parametrize("hidden", ["\u200b", "\u202e", "\ufeff", " "])
def test_the_database_refuses_a_credit_code_with_a_hidden_character(world, hidden):
    # Same length (18) and upper case: the older shape rule alone let these through.
    code = VALID_USCC[:8] + hidden + VALID_USCC[9:]
    enterprise = factories.EnterpriseFactory()
    assert_db_refuses(lambda: Enterprise.objects.filter(pk=enterprise.pk).update(uscc=code))
    platform = world["platform_a"]
    assert_db_refuses(lambda: Platform.objects.filter(pk=platform.pk).update(operator_uscc=code))


def test_a_full_width_credit_code_of_an_existing_enterprise_is_a_duplicate(world):
    factories.EnterpriseFactory(uscc=VALID_USCC)
    twin = Enterprise(name="另一家", uscc=full_width(VALID_USCC))
    with translation.override("en"):
        with pytest.raises(ValidationError) as error:
            twin.full_clean()
        assert "already exists" in error.value.message_dict["uscc"][0]


def test_a_platform_operator_credit_code_is_stored_normalised(world):
    platform = world["platform_a"]
    platform.operator_uscc = full_width(VALID_USCC.lower())
    platform.full_clean()
    platform.save()
    assert Platform.objects.get(pk=platform.pk).operator_uscc == VALID_USCC


# --- the web form -----------------------------------------------------------------------------


@pytest.mark.parametrize("typed", LOOKALIKES)
def test_the_form_refuses_a_look_alike_of_an_existing_project_code(staff_client, world, typed):
    factories.ProjectFactory(platform=world["platform_a"], code=CODE)
    data = new_project_data(staff_client, world["platform_a"], code=typed)
    response = staff_client.post(reverse("projects:project_create"), data)
    assert response.status_code == 400
    [error] = response.context["form"].errors["code"]
    assert error.startswith(f"The code {CODE} is already used by {CODE} ")
    assert Project.objects.count() == 1


def test_the_form_stores_a_full_width_lower_case_code_normalised(staff_client, world):
    data = new_project_data(staff_client, world["platform_a"], code="ｚｓ-２０２４-００１")
    assert staff_client.post(reverse("projects:project_create"), data).status_code == 302
    assert Project.objects.get().code == "ZS-2024-001"


@pytest.mark.parametrize(("typed", "named"), HIDDEN)
def test_the_form_refuses_a_project_code_with_a_hidden_character_and_keeps_it(
    staff_client, world, typed, named
):
    data = new_project_data(staff_client, world["platform_a"], code=typed)
    response = staff_client.post(reverse("projects:project_create"), data)
    assert response.status_code == 400
    assert named in response.context["form"].errors["code"][0]
    assert response.context["form"]["code"].value() == typed
    assert not Project.objects.exists()


def test_the_form_takes_a_full_width_credit_code_as_the_registered_one(staff_client, world):
    registered = factories.EnterpriseFactory(uscc=VALID_USCC, name="已登记公司")
    factories.ProjectFactory(platform=world["platform_a"], enterprise=registered)
    data = new_project_data(
        staff_client, world["platform_a"], new_enterprise_uscc=full_width(VALID_USCC)
    )
    response = staff_client.post(reverse("projects:project_create"), data)
    assert response.status_code == 400
    assert "已登记公司" in response.context["form"].errors["new_enterprise_uscc"][0]
    assert Enterprise.objects.count() == 1


def test_the_form_refuses_a_credit_code_with_a_zero_width_space(staff_client, world):
    typed = VALID_USCC[:9] + "\u200b" + VALID_USCC[9:]
    data = new_project_data(staff_client, world["platform_a"], new_enterprise_uscc=typed)
    response = staff_client.post(reverse("projects:project_create"), data)
    assert response.status_code == 400
    assert "U+200B ZERO WIDTH SPACE" in response.context["form"].errors["new_enterprise_uscc"][0]
    assert not Enterprise.objects.exists()


# --- the import -------------------------------------------------------------------------------


@pytest.fixture
def client_enterprise(world):
    """A client platform A already serves, so its staff may name it by credit code alone."""
    enterprise = factories.EnterpriseFactory(uscc=make_uscc(1))
    factories.ProjectFactory(platform=world["platform_a"], enterprise=enterprise)
    return enterprise


def import_sheets(tmp_path, user, sheets):
    with translation.override("en"):
        return run_import(write_xlsx(tmp_path / "codes.xlsx", sheets), user=user)


@pytest.mark.parametrize("typed", LOOKALIKES)
def test_an_imported_look_alike_code_updates_the_existing_project(
    world, client_enterprise, tmp_path, typed
):
    project = factories.ProjectFactory(
        platform=world["platform_a"], enterprise=client_enterprise, code=CODE
    )
    row = project_row(typed, world["platform_a"], title="新的名称")
    batch = import_sheets(tmp_path, world["staff_a"], {"projects": [PROJECT_HEADER, row]})
    assert batch.outcome == ImportOutcome.IMPORTED, batch.errors
    assert batch.counts["projects"] == counts(created=0, updated=1, unchanged=0)
    project.refresh_from_db()
    assert project.title == "新的名称"
    assert Project.objects.filter(enterprise=client_enterprise).count() == 2  # no third one


def test_two_look_alike_rows_in_one_file_are_duplicates(world, client_enterprise, tmp_path):
    rows = [PROJECT_HEADER, project_row(CODE, world["platform_a"])]
    rows.append(project_row("ｆｎ-２０１９-０００４", world["platform_a"]))
    before = row_counts()
    batch = import_sheets(tmp_path, world["staff_a"], {"projects": rows})
    assert [(e["row"], e["column"], e["message"]) for e in batch.errors] == [
        (3, "code", "Duplicate of row 2 of this sheet.")
    ]
    assert row_counts() == before


@pytest.mark.parametrize(("typed", "named"), HIDDEN)
def test_an_imported_project_code_with_a_hidden_character_is_refused_naming_the_column(
    world, client_enterprise, tmp_path, typed, named
):
    before = row_counts()
    rows = [PROJECT_HEADER, project_row(typed, world["platform_a"])]
    # CSV: a workbook cannot even hold control characters.
    with translation.override("en"):
        batch = run_import(
            write_csv(tmp_path / "codes.csv", rows), user=world["staff_a"], kind="projects"
        )
    assert [(e["row"], e["column"]) for e in batch.errors] == [(2, "code")]
    assert named in batch.errors[0]["message"]
    assert row_counts() == before


def test_yield_runs_find_their_project_by_a_look_alike_code(world, client_enterprise, tmp_path):
    project = factories.ProjectFactory(platform=world["platform_a"], code=CODE)
    rows = [RUN_HEADER, ["ｆｎ-２０１９-０００４", "DVT", 1, "2024-03-01", 100, 90]]
    batch = import_sheets(tmp_path, world["staff_a"], {"yield_runs": rows})
    assert batch.outcome == ImportOutcome.IMPORTED, batch.errors
    assert project.yield_runs.count() == 1


def test_a_financing_row_naming_a_code_with_a_zero_width_space_is_refused(world, tmp_path):
    factories.ProjectFactory(platform=world["platform_a"], code=CODE)
    rows = [["project", "date", "round", "amount"], ["FN-2019\u200b-0004", "2024-06-01", "A轮", 1]]
    before = row_counts()
    batch = import_sheets(tmp_path, world["staff_a"], {"financing": rows})
    assert [(e["column"], "U+200B ZERO WIDTH SPACE" in e["message"]) for e in batch.errors] == [
        ("project", True)
    ]
    assert row_counts() == before


def test_projects_find_their_client_by_a_full_width_credit_code(world, client_enterprise, tmp_path):
    row = project_row("P-1", world["platform_a"])
    row[2] = full_width(client_enterprise.uscc.lower())
    batch = import_sheets(tmp_path, world["staff_a"], {"projects": [PROJECT_HEADER, row]})
    assert batch.outcome == ImportOutcome.IMPORTED, batch.errors
    assert Project.objects.get(code="P-1").enterprise == client_enterprise


@pytest.mark.parametrize(
    ("sheet", "header", "row", "column"),
    [
        ("enterprises", ["uscc", "name"], ["{uscc}", "新公司"], "uscc"),
        ("platforms", ["name", "operator_uscc"], ["蜂鸟平台", "{uscc}"], "operator_uscc"),
        ("projects", PROJECT_HEADER, "project", "enterprise_uscc"),
    ],
)
def test_an_imported_credit_code_with_a_zero_width_space_is_refused_naming_the_column(
    world, client_enterprise, tmp_path, sheet, header, row, column
):
    uscc = client_enterprise.uscc[:9] + "\u200b" + client_enterprise.uscc[9:]
    if row == "project":
        row = project_row("P-1", world["platform_a"])
        row[2] = uscc
    else:
        row = [uscc if value == "{uscc}" else value for value in row]
    before = row_counts()
    batch = import_sheets(tmp_path, None, {sheet: [header, row]})
    assert [(e["row"], e["column"]) for e in batch.errors] == [(2, column)]
    assert "U+200B ZERO WIDTH SPACE" in batch.errors[0]["message"]
    assert row_counts() == before


# --- the list search --------------------------------------------------------------------------


def test_the_project_search_finds_a_code_however_it_was_typed(staff_client, world):
    factories.ProjectFactory(platform=world["platform_a"], code=CODE, title="无关标题")
    factories.ProjectFactory(platform=world["platform_a"], code="OTHER-1")
    for query in ["ｆｎ-２０１９", "fn-2019-0004", "FN-2019\u200b-0004", " FN-2019-0004\u200e"]:
        response = staff_client.get(reverse("projects:project_list"), {"q": query})
        assert [row.record.code for row in response.context["table"].page] == [CODE], query


def test_the_searches_find_a_credit_code_typed_in_full_width(staff_client, world):
    project = factories.ProjectFactory(platform=world["platform_a"])
    factories.ProjectFactory(platform=world["platform_a"])
    uscc = project.enterprise.uscc
    found = staff_client.get(reverse("projects:project_list"), {"q": full_width(uscc.lower())})
    assert [row.record for row in found.context["table"].page] == [project]
    found = staff_client.get(reverse("projects:enterprise_list"), {"q": full_width(uscc)})
    assert [row.record for row in found.context["table"].page] == [project.enterprise]


# --- the migration ----------------------------------------------------------------------------


def test_the_migration_check_names_rows_that_break_a_new_rule(world):
    """Before adding a constraint, the migration stops, naming the rows that break it."""
    from django.apps import apps
    from django.db import connection

    project = factories.ProjectFactory(platform=world["platform_a"])
    write_raw(Project, project.pk, ["projects_project_code_normalised"], code="fn-1")
    schema_editor = type("SchemaEditor", (), {"connection": connection})()
    # A rule every row keeps: the migration goes on.
    refuse_rows_breaking("projects", [("Project", ~Q(code=""), "codes")]).code(apps, schema_editor)
    step = refuse_rows_breaking("projects", [("Project", ~Q(code="fn-1"), "codes are upper case")])
    with pytest.raises(RowsBreakNewRule) as error:
        step.code(apps, schema_editor)
    assert (
        f"projects.Project: 1 row(s) break the rule 'codes are upper case' (ids {project.pk})"
        in (str(error.value))
    )
