"""Absurd values are refused with a message, never a crash (issue 8, items 9 and 10).

* Money: at most 10^12 yuan (``tracker.formatting.MAX_AMOUNT``) in model validation, the web forms,
  the import and the database; Infinity / NaN / sNaN are refused where they are typed and the
  form comes back as typed; a value stored before the maximum existed still reads.
* Dates: 1949-10-01 … today + 10 years for every date a user types, 1949-10-01 … 2100-12-31 in
  the database; the report's year lists stay bounded whatever is stored.
* Numbers in list and report URLs: bounded, answered with a message (200) or 400, never 500.
"""

import datetime as dt
import io
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.db import IntegrityError, connection, transaction
from django.urls import reverse
from django.utils import timezone, translation

from platforms.models import Platform, Recognition, RecognitionList
from projects.imports.choices import ImportOutcome
from projects.models import Enterprise, Financing, Project, YieldRun
from projects.reports.forms import ReportFilterForm
from tests import factories
from tests.factories import make_uscc
from tests.imports.helpers import (
    PROJECT_HEADER,
    RUN_HEADER,
    project_row,
    row_counts,
    run_import,
    write_csv,
    write_xlsx,
)
from tests.legacy_rows import write_raw
from tests.workspace import add_financing, add_run, english, form_data, new_project_data
from tracker.fields import MoneyInput
from tracker.formatting import MAX_AMOUNT, format_amount, format_wan
from tracker.paginators import MAX_PER_PAGE, FastCountPaginator
from tracker.validators import latest_date

pytestmark = pytest.mark.django_db

ONE_FEN_TOO_MUCH = MAX_AMOUNT + Decimal("0.01")
# The largest amount the form accepted before the maximum: 16 digits, stored as a double on
# SQLite and read back as 100,000,000,000,000.00 (17 digits), which crashed every read.
OLD_LARGEST = Decimal("99999999999999.99")
NOT_NUMBERS = ["Infinity", "-Infinity", "inf", "NaN", "sNaN", "-sNaN", "1e13", "1e999999"]
TOO_LARGE_TYPED = ["1,000,000,000,000.01", "99,999,999,999,999.99", "10001亿", "1.5万亿"]
NOT_AN_AMOUNT = (
    "Not an amount. Write yuan as 1234.5 or 1,234.5, or with a unit: 12.5万, 1.2亿, 1.5万亿 "
    "(full-width digits are fine)."
)
MONEY_FIELDS = [(Project, "service_revenue"), (Project, "output_value"), (Financing, "amount")]


def a_client_of_platform_a(world):
    """An enterprise platform A already serves: its staff may name it by credit code alone."""
    enterprise = factories.EnterpriseFactory(uscc=make_uscc(1))
    factories.ProjectFactory(platform=world["platform_a"], enterprise=enterprise)
    return enterprise


@pytest.fixture
def staff_client(client, world):
    client.force_login(world["staff_a"])
    return english(client)


@pytest.fixture
def admin_client_(client, world):
    client.force_login(world["admin_user"])
    return english(client)


def a_record(model, world):
    project = factories.ProjectFactory(platform=world["platform_a"])
    return project if model is Project else factories.FinancingFactory(project=project)


def assert_db_refuses(action):
    with pytest.raises(IntegrityError), transaction.atomic():
        action()


def ten_years_ahead(days=0):
    return latest_date() + dt.timedelta(days=days)


# --- money: the maximum -----------------------------------------------------------------------


@pytest.mark.parametrize(("model", "field"), MONEY_FIELDS)
def test_the_maximum_amount_is_kept_to_the_fen_and_one_fen_more_is_refused(world, model, field):
    record = a_record(model, world)
    for amount in (MAX_AMOUNT, Decimal("999999999999.99")):
        setattr(record, field, amount)
        record.full_clean()
        record.save()
        record.refresh_from_db()
        assert getattr(record, field) == amount
    setattr(record, field, ONE_FEN_TOO_MUCH)
    with translation.override("en"):
        with pytest.raises(ValidationError) as error:
            record.full_clean()
        assert error.value.message_dict[field] == [
            "An amount cannot exceed 1,000,000,000,000 yuan (1 trillion)."
        ]


def test_the_maximum_is_explained_in_chinese(world):
    project = factories.ProjectFactory(platform=world["platform_a"])
    project.service_revenue = ONE_FEN_TOO_MUCH
    with translation.override("zh-hans"):
        with pytest.raises(ValidationError) as error:
            project.full_clean()
        assert error.value.message_dict["service_revenue"] == ["金额不能超过1万亿元。"]


@pytest.mark.parametrize(("model", "field"), MONEY_FIELDS)
def test_the_database_refuses_an_amount_above_the_maximum(world, model, field):
    record = a_record(model, world)
    rows = model.objects.filter(pk=record.pk)
    assert_db_refuses(lambda: rows.update(**{field: ONE_FEN_TOO_MUCH}))
    assert_db_refuses(lambda: rows.update(**{field: OLD_LARGEST}))
    record.pk = None
    if model is Project:
        record.code = "NEW-1"
    setattr(record, field, ONE_FEN_TOO_MUCH)
    assert_db_refuses(lambda: model.objects.bulk_create([record]))


@pytest.mark.parametrize("typed", TOO_LARGE_TYPED)
@pytest.mark.parametrize("field", ["service_revenue", "output_value"])
def test_the_project_form_refuses_too_large_an_amount_and_keeps_it(
    staff_client, world, field, typed
):
    data = new_project_data(staff_client, world["platform_a"], **{field: typed})
    response = staff_client.post(reverse("projects:project_create"), data)
    assert response.status_code == 400
    assert response.context["form"].errors[field] == [
        "An amount cannot exceed 1,000,000,000,000 yuan (1 trillion)."
    ]
    assert f'value="{typed}"' in response.content.decode()
    assert not Project.objects.exists()


@pytest.mark.parametrize("typed", TOO_LARGE_TYPED)
def test_the_financing_form_refuses_too_large_an_amount_and_keeps_it(staff_client, world, typed):
    data = add_financing(new_project_data(staff_client, world["platform_a"]), typed)
    response = staff_client.post(reverse("projects:project_create"), data)
    assert response.status_code == 400
    assert response.context["financing"].forms[0].errors["amount"] == [
        "An amount cannot exceed 1,000,000,000,000 yuan (1 trillion)."
    ]
    assert f'value="{typed}"' in response.content.decode()
    assert not Financing.objects.exists()


@pytest.mark.parametrize(
    "cell", [1_000_000_000_000.01, 1e13, "1000000000000.01", "10001亿", "1.5万亿"]
)
def test_the_import_refuses_too_large_an_amount_naming_the_column(world, tmp_path, cell):
    a_client_of_platform_a(world)
    header = [*PROJECT_HEADER, "service_revenue"]
    row = [*project_row("P-1", world["platform_a"]), cell]
    before = row_counts()
    with translation.override("en"):
        batch = run_import(
            write_xlsx(tmp_path / "big.xlsx", {"projects": [header, row]}), user=world["staff_a"]
        )
    assert batch.outcome == ImportOutcome.INVALID
    assert [(e["row"], e["column"], e["message"]) for e in batch.errors] == [
        (2, "service_revenue", "An amount cannot exceed 1,000,000,000,000 yuan (1 trillion).")
    ]
    assert row_counts() == before


def test_the_import_refuses_too_large_a_financing_amount(world, tmp_path):
    project = factories.ProjectFactory(platform=world["platform_a"], code="P-1")
    header = ["project", "date", "round", "amount"]
    before = row_counts()
    with translation.override("en"):
        batch = run_import(
            write_xlsx(
                tmp_path / "f.xlsx",
                {"financing": [header, [project.code, "2024-06-01", "A轮", "1.5万亿"]]},
            ),
            user=world["staff_a"],
        )
    assert [(e["column"], e["message"]) for e in batch.errors] == [
        ("amount", "An amount cannot exceed 1,000,000,000,000 yuan (1 trillion).")
    ]
    assert row_counts() == before


# --- money: a bad value stored before the maximum existed -------------------------------------


@pytest.fixture
def legacy_amounts(world):
    """A project and a financing round holding the old largest amount, written past the CHECK
    constraints (as a database from before them holds it), in the records and their history."""
    project = factories.ProjectFactory(platform=world["platform_a"], code="BIG-1")
    financing = factories.FinancingFactory(project=project)
    write_raw(
        Project,
        project.pk,
        ["projects_project_service_revenue_at_most_max"],
        service_revenue=OLD_LARGEST,
    )
    write_raw(
        Financing, financing.pk, ["projects_financing_amount_at_most_max"], amount=OLD_LARGEST
    )
    history = Project.history.model
    history.objects.filter(id=project.pk).update(service_revenue=OLD_LARGEST)
    return project


def test_a_bad_stored_amount_still_loads_to_the_nearest_figure(legacy_amounts):
    project = Project.objects.get(pk=legacy_amounts.pk)
    # PostgreSQL keeps it exactly; SQLite kept a double, read back with 15 digits.
    assert project.service_revenue in (OLD_LARGEST, Decimal("100000000000000.00"))
    assert Project.objects.values_list("service_revenue", flat=True).get() == (
        project.service_revenue
    )
    assert list(Project.history.values_list("service_revenue", flat=True))


@pytest.mark.parametrize(
    "page",
    [
        "projects:project_detail",
        "projects:project_update",
        "projects:project_delete",
        "projects:project_list",
        "projects:project_export",
        "projects:enterprise_detail",
        "platforms:platform_detail",
    ],
)
def test_a_bad_stored_amount_does_not_break_the_pages(staff_client, legacy_amounts, page):
    args = {
        "projects:project_detail": [legacy_amounts.pk],
        "projects:project_update": [legacy_amounts.pk],
        "projects:project_delete": [legacy_amounts.pk],
        "projects:enterprise_detail": [legacy_amounts.enterprise_id],
        "platforms:platform_detail": [legacy_amounts.platform_id],
    }.get(page, [])
    kwargs = {"export_format": "csv"} if page == "projects:project_export" else None
    response = staff_client.get(reverse(page, args=args or None, kwargs=kwargs))
    assert response.status_code == 200


def test_a_bad_stored_amount_is_shown_and_must_be_corrected_at_the_next_save(
    staff_client, legacy_amounts
):
    url = reverse("projects:project_update", args=[legacy_amounts.pk])
    page = staff_client.get(url)
    shown = (
        "99,999,999,999,999.99" if connection.vendor == "postgresql" else "100,000,000,000,000.00"
    )
    assert f'name="service_revenue" value="{shown}"' in page.content.decode()
    data = form_data(page)
    response = staff_client.post(url, data)
    assert response.status_code == 400
    too_large = ["An amount cannot exceed 1,000,000,000,000 yuan (1 trillion)."]
    assert response.context["form"].errors["service_revenue"] == too_large
    assert response.context["financing"].forms[0].errors["amount"] == too_large
    data.update({"service_revenue": "1,000", "financing-0-amount": "2,000"})
    assert staff_client.post(url, data).status_code == 302
    assert Project.objects.get(pk=legacy_amounts.pk).service_revenue == Decimal("1000.00")


@pytest.mark.parametrize("model", [Project, Financing])
def test_a_bad_stored_amount_does_not_break_the_admin(admin_client_, legacy_amounts, model):
    meta = model._meta
    changelist = reverse(f"admin:{meta.app_label}_{meta.model_name}_changelist")
    assert admin_client_.get(changelist).status_code == 200
    change = reverse(
        f"admin:{meta.app_label}_{meta.model_name}_change", args=[model.objects.get().pk]
    )
    assert admin_client_.get(change).status_code == 200
    history = reverse(
        f"admin:{meta.app_label}_{meta.model_name}_history", args=[model.objects.get().pk]
    )
    assert admin_client_.get(history).status_code == 200


def test_a_bad_stored_amount_does_not_stop_a_backup(legacy_amounts):
    out = io.StringIO()
    call_command("dumpdata", "projects", format="json", stdout=out)
    assert '"code": "BIG-1"' in out.getvalue()


def test_the_rounded_figure_of_an_absurd_amount_is_shown_not_refused():
    assert format_wan(Decimal("1e30")) == "1" + "0" * 26 + "万元"
    assert format_amount(Decimal("1e30"), "zh-hans") == "1" + "0" * 22 + "亿元"


# --- money: not a number ----------------------------------------------------------------------


def test_infinity_and_nan_in_the_project_form_are_refused_and_kept(staff_client, world):
    for typed in NOT_NUMBERS:
        data = new_project_data(staff_client, world["platform_a"], service_revenue=typed)
        response = staff_client.post(reverse("projects:project_create"), data)
        assert response.status_code == 400, typed
        assert response.context["form"].errors["service_revenue"] == [NOT_AN_AMOUNT]
        page = response.content.decode()
        assert f'name="service_revenue" value="{typed}"' in page
        # The rest of what the user typed is still there.
        assert 'value="路内停车移动巡查设备"' in page
    assert not Project.objects.exists()


def test_infinity_and_nan_in_the_financing_form_are_refused_and_kept(staff_client, world):
    for typed in NOT_NUMBERS:
        data = add_financing(new_project_data(staff_client, world["platform_a"]), typed)
        response = staff_client.post(reverse("projects:project_create"), data)
        assert response.status_code == 400, typed
        assert response.context["financing"].forms[0].errors["amount"] == [NOT_AN_AMOUNT]
        assert f'value="{typed}"' in response.content.decode()
    assert not Financing.objects.exists()


def test_infinity_and_nan_in_an_edit_form_are_refused_and_kept(staff_client, world):
    """The edit form compares what was typed with what is stored (``has_changed``): a
    signalling NaN must not reach that comparison."""
    project = factories.ProjectFactory(platform=world["platform_a"])
    factories.FinancingFactory(project=project)
    url = reverse("projects:project_update", args=[project.pk])
    data = form_data(staff_client.get(url))
    for typed in NOT_NUMBERS:
        data.update({"service_revenue": typed, "financing-0-amount": typed})
        response = staff_client.post(url, data)
        assert response.status_code == 400, typed
        assert response.context["form"].errors["service_revenue"] == [NOT_AN_AMOUNT]
        assert response.context["financing"].forms[0].errors["amount"] == [NOT_AN_AMOUNT]
        assert response.content.decode().count(f'value="{typed}"') == 2
    project.refresh_from_db()
    assert project.service_revenue == Decimal("100000.00")


@pytest.mark.parametrize("typed", [*NOT_NUMBERS, "-1e999999"])
def test_the_wan_hint_of_a_refused_amount_is_empty_rather_than_a_crash(typed):
    html = MoneyInput().render("amount", typed, attrs={"id": "id_amount"})
    assert f'value="{typed}"' in html
    assert '<output class="wan" data-wan-for="id_amount" aria-live="polite"></output>' in html


@pytest.mark.parametrize("value", [Decimal("Infinity"), Decimal("-Infinity"), Decimal("NaN")])
def test_formatting_a_non_finite_amount_shows_a_dash(value):
    assert format_wan(value) == "—"
    assert format_amount(value, "en") == "—"


def test_the_import_refuses_infinity_nan_and_absurd_exponents_naming_the_column(world, tmp_path):
    """Exponents are refused as no way to write money (``tracker.formatting``), before their
    size is even looked at: "1e999999" would be a million digits."""
    a_client_of_platform_a(world)
    header = [*PROJECT_HEADER, "output_value"]
    cells = [(cell, NOT_AN_AMOUNT) for cell in [*NOT_NUMBERS, "inf万", "NaN亿"]]
    cells += [(cell, NOT_AN_AMOUNT) for cell in ["9e99999万亿", "-1e-999999", "1E5"]]
    cells += [("12.345", "Amounts are in yuan with at most two decimals (fen).")]
    before = row_counts()
    for number, (cell, message) in enumerate(cells):
        row = [*project_row(f"P-{number}", world["platform_a"]), cell]
        with translation.override("en"):
            batch = run_import(
                write_csv(tmp_path / f"projects{number}.csv", [header, row]),
                user=world["staff_a"],
                kind="projects",
            )
        assert [(e["row"], e["column"], e["message"]) for e in batch.errors] == [
            (2, "output_value", message)
        ], cell
    assert row_counts() == before


# --- dates ------------------------------------------------------------------------------------

DATE_FIELDS = [
    (Project, "start_on"),
    (Project, "end_on"),
    (YieldRun, "measured_on"),
    (Financing, "date"),
    (Enterprise, "founded_on"),
    (Platform, "established_on"),
    (RecognitionList, "published_on"),
    (Recognition, "granted_on"),
    (Recognition, "revoked_on"),
]
REFUSED_DATES = [
    dt.date(1, 1, 1),
    dt.date(1949, 9, 30),
    dt.date(9999, 12, 31),
    dt.date(2101, 1, 1),
]


def dated_record(model, world):
    """A saved record of ``model`` whose dates are all ordinary."""
    if model is Project:
        return factories.ProjectFactory(platform=world["platform_a"], start_on=dt.date(1949, 10, 1))
    if model is YieldRun:
        project = factories.ProjectFactory(start_on=dt.date(1949, 10, 1))
        return factories.YieldRunFactory(project=project)
    if model is Financing:
        return factories.FinancingFactory()
    if model is Enterprise:
        return factories.EnterpriseFactory()
    if model is Platform:
        return world["platform_a"]
    if model is RecognitionList:
        return factories.RecognitionListFactory()
    return factories.RecognitionFactory(granted_on=dt.date(1949, 10, 1))


@pytest.mark.parametrize(("model", "field"), DATE_FIELDS)
def test_a_date_field_takes_1949_10_01_to_ten_years_ahead_and_nothing_else(world, model, field):
    record = dated_record(model, world)
    if model is Project and field == "start_on":
        record.end_on = None
    for value in (dt.date(1949, 10, 1), timezone.localdate(), latest_date()):
        setattr(record, field, value)
        record.full_clean()
    message = f"Enter a date between 1949-10-01 and {latest_date().isoformat()}."
    for value in [*REFUSED_DATES, ten_years_ahead(days=1)]:
        setattr(record, field, value)
        with translation.override("en"):
            with pytest.raises(ValidationError) as error:
                record.full_clean()
            assert message in error.value.message_dict[field], value


def test_the_date_window_is_explained_in_chinese(world):
    project = factories.ProjectFactory(platform=world["platform_a"])
    project.start_on = dt.date(1, 1, 1)
    with translation.override("zh-hans"):
        with pytest.raises(ValidationError) as error:
            project.full_clean()
        assert error.value.message_dict["start_on"] == [
            f"请输入1949-10-01至{latest_date().isoformat()}之间的日期。"
        ]


@pytest.mark.parametrize(("model", "field"), DATE_FIELDS)
def test_the_database_refuses_dates_outside_its_fixed_window(world, model, field):
    record = dated_record(model, world)
    rows = model.objects.filter(pk=record.pk)
    for value in (dt.date(2101, 1, 1), dt.date(9999, 12, 31), dt.date(1949, 9, 30)):
        updates = {field: value}
        if field == "start_on":
            updates["end_on"] = None
        assert_db_refuses(lambda updates=updates: rows.update(**updates))
    rows.update(**{field: dt.date(2100, 12, 31)})


def test_the_database_refuses_a_bulk_created_project_dated_year_one(world):
    project = factories.ProjectFactory.build(
        platform=world["platform_a"],
        enterprise=factories.EnterpriseFactory(),
        start_on=dt.date(1, 1, 1),
    )
    assert_db_refuses(lambda: Project.objects.bulk_create([project]))


def test_the_project_form_refuses_dates_outside_the_window_and_keeps_them(staff_client, world):
    message = f"Enter a date between 1949-10-01 and {latest_date().isoformat()}."
    for typed in ["0001-01-01", "1949-09-30", "9999-12-31", ten_years_ahead(days=1).isoformat()]:
        data = new_project_data(staff_client, world["platform_a"], start_on=typed)
        response = staff_client.post(reverse("projects:project_create"), data)
        assert response.status_code == 400, typed
        assert response.context["form"].errors["start_on"] == [message]
        assert f'value="{typed}"' in response.content.decode()
    assert not Project.objects.exists()


def test_the_run_and_financing_forms_refuse_dates_outside_the_window(staff_client, world):
    data = new_project_data(staff_client, world["platform_a"], start_on="1950-01-01")
    add_run(data, "DVT", 1, "9999-12-31", 100, 40)
    add_financing(data, "1000", date="0001-01-01")
    response = staff_client.post(reverse("projects:project_create"), data)
    assert response.status_code == 400
    message = f"Enter a date between 1949-10-01 and {latest_date().isoformat()}."
    assert response.context["runs"].forms[0].errors["measured_on"] == [message]
    assert response.context["financing"].forms[0].errors["date"] == [message]
    assert not Project.objects.exists()


def test_the_date_pickers_offer_only_the_window(staff_client):
    page = staff_client.get(reverse("projects:project_create")).content.decode()
    assert f'min="1949-10-01" max="{latest_date().isoformat()}"' in page


@pytest.mark.parametrize(
    ("sheet", "header", "row", "column"),
    [
        ("projects", PROJECT_HEADER, "project", "start_on"),
        ("yield_runs", RUN_HEADER, ["P-0", "DVT", 1, "{date}", 100, 90], "measured_on"),
        (
            "financing",
            ["project", "date", "round", "amount"],
            ["P-0", "{date}", "A轮", 1000],
            "date",
        ),
        (
            "enterprises",
            ["uscc", "name", "founded_on"],
            [make_uscc(7), "新公司", "{date}"],
            "founded_on",
        ),
        ("platforms", ["name", "established_on"], ["蜂鸟平台", "{date}"], "established_on"),
    ],
)
@pytest.mark.parametrize(
    "cell", ["0001-01-01", "9999-12-31", "1949/9/30", dt.date(1900, 1, 1), dt.date(9999, 12, 31)]
)
def test_the_import_refuses_dates_outside_the_window_naming_the_column(
    world, tmp_path, sheet, header, row, column, cell
):
    a_client_of_platform_a(world)
    factories.ProjectFactory(platform=world["platform_a"], code="P-0")
    if row == "project":
        row = [*project_row("P-1", world["platform_a"])[:4], cell]
    else:
        row = [cell if value == "{date}" else value for value in row]
    before = row_counts()
    with translation.override("en"):
        batch = run_import(write_xlsx(tmp_path / "d.xlsx", {sheet: [header, row]}), user=None)
    assert [(e["row"], e["column"], e["message"]) for e in batch.errors] == [
        (2, column, f"Enter a date between 1949-10-01 and {latest_date().isoformat()}.")
    ]
    assert row_counts() == before


def test_the_report_year_lists_stay_bounded_whatever_dates_are_stored(admin_client_, world):
    early = factories.ProjectFactory(platform=world["platform_a"])
    late = factories.ProjectFactory(platform=world["platform_a"])
    write_raw(Project, early.pk, ["projects_project_start_on_in_range"], start_on=dt.date(1, 1, 1))
    write_raw(
        Project,
        late.pk,
        ["projects_project_start_on_in_range", "projects_project_end_on_in_range"],
        start_on=dt.date(9999, 12, 31),
    )
    response = admin_client_.get(reverse("reports:rollup"))
    assert response.status_code == 200
    years = [value for value, _label in response.context["form"].fields["year"].widget.choices]
    assert years[1:] == list(range(2100, 1948, -1))
    assert len(response.content) < 1_000_000


# --- numbers in list and report URLs ----------------------------------------------------------

YEARS_REFUSED = ["0", "-5", "1948", "2101", "10000", "99999999999999999999", "1e5", "2024.5"]
YEAR_MESSAGES = [
    ["Ensure this value is greater than or equal to 1949."],
    ["Ensure this value is less than or equal to 2100."],
    ["Enter a whole number."],
]


@pytest.mark.parametrize("name", ["start_year_from", "start_year_to"])
def test_the_project_list_answers_an_impossible_year_with_a_message(staff_client, world, name):
    factories.ProjectFactory(platform=world["platform_a"])
    for value in YEARS_REFUSED:
        response = staff_client.get(reverse("projects:project_list"), {name: value})
        assert response.status_code == 200, value
        errors = response.context["filter"].form.errors[name]
        assert errors in YEAR_MESSAGES, value
        assert errors[0] in response.content.decode()
        assert len(response.context["table"].page.object_list) == 0
    for value in ("1949", "2100"):
        response = staff_client.get(reverse("projects:project_list"), {name: value})
        assert not response.context["filter"].form.errors


@pytest.fixture
def gained(world):
    """A project whose yield went from 40% to 90% (+50 pp)."""
    project = factories.ProjectFactory(platform=world["platform_a"])
    for sequence, passed in ((1, 40), (2, 90)):
        factories.YieldRunFactory(
            project=project, sequence=sequence, units_tested=100, units_passed=passed
        )
    Project.objects.all().refresh_yield_summary()
    return project


def test_the_project_list_bounds_the_minimum_gain(staff_client, gained):
    for value in ["101", "-101", "-100.0001", "1e999", "-99999999999999999999", "0.00001"]:
        response = staff_client.get(reverse("projects:project_list"), {"min_gain": value})
        assert response.status_code == 200
        assert response.context["filter"].form.errors["min_gain"], value
        assert len(response.context["table"].page.object_list) == 0
    for value in ["-100", "50", "49.9999"]:
        response = staff_client.get(reverse("projects:project_list"), {"min_gain": value})
        assert [row.record for row in response.context["table"].page] == [gained], value


@pytest.mark.parametrize(
    ("name", "values"),
    [
        ("start_year_from", ["0", "-5", "10000", "99999999999999999999", "NaN", "-Infinity"]),
        ("start_year_to", ["0", "10000", "99999999999999999999", "1e5"]),
        ("min_gain", ["-101", "-99999999999999999999", "-1e999", "NaN", "-Infinity"]),
    ],
)
def test_the_project_export_answers_an_impossible_filter_with_no_rows(
    staff_client, gained, name, values
):
    url = reverse("projects:project_export", kwargs={"export_format": "csv"})
    for value in values:
        response = staff_client.get(url, {name: value})
        assert response.status_code == 200, value
        assert response.content.decode("utf-8-sig").count("\n") == 1, value  # the header only


@pytest.mark.parametrize("name", ["year", "year_from", "year_to"])
def test_the_report_filters_take_the_years_dates_may_have(admin_client_, world, name):
    for value in ["1948", "2101", "0", "99999999999999999999"]:
        response = admin_client_.get(reverse("reports:rollup"), {name: value})
        assert response.status_code == 200
        assert response.context["report"] is None
        assert response.context["form"].errors[name], value
        json = admin_client_.get(reverse("reports:rollup_json"), {name: value})
        assert json.status_code == 400
        assert name in json.json()["errors"]
    for value in ["1949", "2100"]:
        form = ReportFilterForm({name: value}, user=world["admin_user"])
        assert form.is_valid(), form.errors


NUMBERS = [
    "0",
    "-5",
    "10000",
    "99999999999999999999",
    "-99999999999999999999",
    "1e999",
    "NaN",
    "Infinity",
    "-Infinity",
    "sNaN",
    "2024.5",
    "",
    "abc",
    "\u0661\u0669\u0664\u0669",  # Arabic-Indic digits: 1949
]
LIST_PARAMETERS = {
    "projects:project_list": [
        "start_year_from",
        "start_year_to",
        "min_gain",
        "platform",
        "zone",
        "page",
        "per_page",
    ],
    "projects:enterprise_list": ["page", "per_page", "is_high_tech"],
    "platforms:platform_list": ["zone", "recognition_list", "page", "per_page"],
    "reports:rollup": ["year", "year_from", "year_to", "zone", "platform", "platforms_sort"],
    "reports:rollup_json": ["year", "year_from", "year_to", "zone", "platform"],
    "imports:history": ["page"],
}


def test_no_number_in_a_list_or_report_url_is_a_server_error(staff_client, world):
    factories.ProjectFactory(platform=world["platform_a"])
    for page, names in LIST_PARAMETERS.items():
        url = reverse(page)
        for name in names:
            for value in NUMBERS:
                response = staff_client.get(url, {name: value})
                # 404 is how Django's own list pagination answers a page that does not exist.
                assert response.status_code in (200, 400, 404), (page, name, value)


def test_a_page_holds_between_one_and_the_maximum_rows():
    for asked, given in [(0, 1), (-5, 1), (10**20, MAX_PER_PAGE), (30, 30)]:
        assert FastCountPaginator(list(range(1000)), asked).per_page == given


ADMIN_DATE_FILTERS = {
    "projects_project": ["start_on__year", "end_on__year", "created_at__year"],
    "projects_yieldrun": ["measured_on__year"],
    "projects_financing": ["date__year"],
    "projects_enterprise": ["founded_on__year"],
    "imports_importbatch": ["created_at__year"],
    "platforms_platform": ["established_on__year"],
    "platforms_recognitionlist": ["published_on__year"],
    "platforms_recognition": ["granted_on__year", "revoked_on__year"],
    "auth_user": ["date_joined__year", "last_login__year"],
}


@pytest.mark.parametrize(
    ("changelist", "name"),
    [(changelist, name) for changelist, names in ADMIN_DATE_FILTERS.items() for name in names],
)
def test_an_impossible_year_in_an_admin_list_url_is_an_invalid_lookup(
    admin_client_, world, changelist, name
):
    factories.FinancingFactory(project=factories.ProjectFactory(platform=world["platform_a"]))
    factories.RecognitionFactory(platform=world["platform_a"])
    url = reverse(f"admin:{changelist}_changelist")
    for value in ("0", "-5", "9999", "10000", "99999999999999999999"):
        response = admin_client_.get(url, {name: value})
        # The admin's answer to a lookup it cannot run: back to the list, flagged invalid.
        assert response.status_code in (200, 302), (name, value)
        if response.status_code == 302:
            assert response["Location"].endswith("?e=1")
