"""Project pages: create, edit, delete, list, detail and export, with their error paths."""

import csv
import datetime as dt
import io
from decimal import Decimal

import pytest
from django.test import Client
from django.urls import reverse
from openpyxl import load_workbook

from projects.models import Enterprise, Financing, Project, YieldRun
from tests import factories
from tests.workspace import (
    VALID_USCC,
    WRONG_CHECK_USCC,
    add_financing,
    add_run,
    english,
    form_data,
    new_project_data,
    populate,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def staff_client(client, world):
    client.force_login(world["staff_a"])
    return english(client)


def three_runs(data):
    """DVT#1 40%, DVT#2 65%, PVT#1 90%: the published case."""
    add_run(data, "DVT", 1, "2024-02-01", 100, 40)
    add_run(data, "DVT", 2, "2024-03-01", 200, 130)
    add_run(data, "PVT", 1, "2024-04-01", 1000, 900)
    return data


def project_with_runs(platform, **kwargs):
    project = factories.ProjectFactory(platform=platform, **kwargs)
    for stage, sequence, day, passed in (("DVT", 1, 1, 40), ("DVT", 2, 2, 65), ("PVT", 1, 3, 90)):
        factories.YieldRunFactory(
            project=project,
            stage=stage,
            sequence=sequence,
            measured_on=dt.date(2024, 3, day),
            units_tested=100,
            units_passed=passed,
        )
    project.refresh_from_db()
    return project


def edit_data(client, project):
    return form_data(client.get(reverse("projects:project_update", args=[project.pk])))


# --- creating -------------------------------------------------------------------------------


def test_staff_creates_a_project_for_a_new_enterprise_with_three_yield_runs(staff_client, world):
    data = three_runs(new_project_data(staff_client, world["platform_a"]))
    response = staff_client.post(reverse("projects:project_create"), data, follow=True)
    project = Project.objects.get(code="ZS-2024-001")
    assert response.redirect_chain[-1][0] == project.get_absolute_url()
    assert project.enterprise.uscc == VALID_USCC
    assert project.service_revenue == Decimal("1234.56")
    assert project.yield_run_count == 3
    assert project.yield_gain_pp == Decimal("50.0000")
    assert "40% → 90% (+50 pp, +125%)" in response.content.decode()
    assert "ZS-2024-001" in " ".join(str(m) for m in response.context["messages"])


def test_the_enterprise_can_be_picked_by_its_uscc_or_its_exact_name(staff_client, world):
    existing = factories.ProjectFactory(platform=world["platform_a"]).enterprise
    for number, reference in enumerate([existing.uscc.lower(), existing.name]):
        data = new_project_data(
            staff_client,
            world["platform_a"],
            code=f"PICK-{number}",
            new_enterprise_name="",
            new_enterprise_uscc="",
            enterprise_ref=reference,
        )
        response = staff_client.post(reverse("projects:project_create"), data)
        assert response.status_code == 302, response.context["form"].errors
        assert Project.objects.get(code=f"PICK-{number}").enterprise == existing
    assert Enterprise.objects.count() == 1


def test_an_invalid_uscc_for_a_new_enterprise_is_refused_and_nothing_is_written(
    staff_client, world
):
    data = three_runs(
        new_project_data(staff_client, world["platform_a"], new_enterprise_uscc=WRONG_CHECK_USCC)
    )
    response = staff_client.post(reverse("projects:project_create"), data)
    assert response.status_code == 400
    assert response.context["form"].errors["new_enterprise_uscc"] == [
        "Invalid unified social credit code check character"
    ]
    assert not Project.objects.exists()
    assert not Enterprise.objects.exists()
    assert not YieldRun.objects.exists()
    # What the user typed is kept.
    assert WRONG_CHECK_USCC in response.content.decode()


def test_a_new_enterprise_whose_uscc_is_registered_under_another_name_is_refused_unnamed(
    staff_client, world
):
    factories.EnterpriseFactory(uscc=VALID_USCC, name="已登记公司")
    data = new_project_data(staff_client, world["platform_a"])
    response = staff_client.post(reverse("projects:project_create"), data)
    error = response.context["form"].errors["new_enterprise_uscc"][0]
    assert "already registered" in error
    assert "已登记公司" not in response.content.decode()  # not a client of A: never named
    assert not Project.objects.exists()


def test_an_unknown_enterprise_name_is_refused_with_a_hint(staff_client, world):
    data = new_project_data(
        staff_client,
        world["platform_a"],
        new_enterprise_name="",
        new_enterprise_uscc="",
        enterprise_ref="不存在的公司",
    )
    response = staff_client.post(reverse("projects:project_create"), data)
    assert "不存在的公司" in response.context["form"].errors["enterprise_ref"][0]


@pytest.mark.parametrize(
    ("run", "field", "message"),
    [
        (("DVT", 1, "2024-02-01", 100, 101), "units_passed", "cannot exceed units tested"),
        (("DVT", 1, "2024-02-01", 0, 0), "units_tested", "greater than or equal to 1"),
        (("DVT", 1, "2023-12-31", 100, 50), "measured_on", "before the project started"),
        (("MP", 1, "2024-02-01", 100, 50), None, None),
        (("LAB", 1, "2024-02-01", 100, 50), "stage", "does not belong"),
    ],
)
def test_yield_run_rules_are_enforced_in_the_form(staff_client, world, run, field, message):
    data = add_run(new_project_data(staff_client, world["platform_a"]), *run)
    response = staff_client.post(reverse("projects:project_create"), data)
    if field is None:
        assert response.status_code == 302
        return
    assert response.status_code == 400
    errors = response.context["runs"].forms[0].errors
    assert message in " ".join(errors[field])
    assert not Project.objects.exists()


def test_the_same_stage_and_number_twice_in_one_submission_is_refused(staff_client, world):
    data = new_project_data(staff_client, world["platform_a"])
    add_run(data, "DVT", 1, "2024-02-01", 100, 40)
    add_run(data, "DVT", 1, "2024-03-01", 100, 60)
    response = staff_client.post(reverse("projects:project_create"), data)
    assert response.status_code == 400
    assert "DVT#1 is entered twice." in response.context["runs"].forms[1].errors["sequence"]
    assert not Project.objects.exists()


def test_a_run_duplicating_one_already_saved_is_refused(staff_client, world):
    project = project_with_runs(world["platform_a"])
    data = add_run(edit_data(staff_client, project), "DVT", 2, "2024-05-01", 10, 5)
    response = staff_client.post(reverse("projects:project_update", args=[project.pk]), data)
    assert response.status_code == 400
    assert "DVT#2 is entered twice." in response.content.decode()
    assert project.yield_runs.count() == 3


def test_a_run_saved_meanwhile_with_the_same_stage_and_number_is_caught_by_the_database_check(
    staff_client, world
):
    project = project_with_runs(world["platform_a"])
    data = edit_data(staff_client, project)  # the form lists DVT#1, DVT#2, PVT#1
    factories.YieldRunFactory(project=project, stage="PVT", sequence=2)  # saved meanwhile
    add_run(data, "PVT", 2, "2024-05-01", 10, 5)
    response = staff_client.post(reverse("projects:project_update", args=[project.pk]), data)
    assert response.status_code == 400
    errors = response.context["runs"].forms[3].non_field_errors()
    assert "This project already has a run with that stage and number." in errors
    assert project.yield_runs.count() == 4


@pytest.mark.parametrize(
    ("fields", "field", "message"),
    [
        ({"end_on": "2023-12-31"}, "end_on", "The end date cannot be before the start date."),
        ({"service_revenue": "-1"}, "service_revenue", "An amount cannot be negative."),
        ({"output_value": "-0.01"}, "output_value", "An amount cannot be negative."),
        ({"service_revenue": "12abc"}, "service_revenue", "Not an amount. Write yuan as 1234.5"),
        ({"stage": "LAB"}, "stage", "does not belong to the Discrete"),
    ],
)
def test_project_rules_are_enforced_in_the_form(staff_client, world, fields, field, message):
    data = three_runs(new_project_data(staff_client, world["platform_a"], **fields))
    response = staff_client.post(reverse("projects:project_create"), data)
    assert response.status_code == 400
    assert message in " ".join(response.context["form"].errors[field])
    assert not Project.objects.exists()
    assert not Enterprise.objects.exists()


def test_a_financing_amount_must_be_positive(staff_client, world):
    data = add_financing(new_project_data(staff_client, world["platform_a"]), "0")
    response = staff_client.post(reverse("projects:project_create"), data)
    assert response.status_code == 400
    assert response.context["financing"].forms[0].errors["amount"]
    assert not Financing.objects.exists()


def test_money_accepts_thousands_separators_and_shows_wan(staff_client, world):
    data = add_financing(new_project_data(staff_client, world["platform_a"]), "12,345,678.90")
    staff_client.post(reverse("projects:project_create"), data)
    project = Project.objects.get()
    assert project.financings.get().amount == Decimal("12345678.90")
    page = staff_client.get(reverse("projects:project_update", args=[project.pk])).content.decode()
    assert 'value="12,345,678.90"' in page
    assert "1234.57万元" in page


def test_a_foreign_platform_id_in_the_post_is_rejected(staff_client, world):
    data = new_project_data(staff_client, world["platform_b"])
    response = staff_client.post(reverse("projects:project_create"), data)
    assert response.status_code == 400
    assert "platform" in response.context["form"].errors
    assert not Project.objects.exists()
    platforms = response.context["form"].fields["platform"].queryset
    assert list(platforms) == [world["platform_a"]]


def test_moving_a_project_to_a_foreign_platform_is_rejected(staff_client, world):
    project = factories.ProjectFactory(platform=world["platform_a"])
    data = edit_data(staff_client, project)
    data["platform"] = str(world["platform_c"].pk)
    response = staff_client.post(reverse("projects:project_update", args=[project.pk]), data)
    assert response.status_code == 400
    project.refresh_from_db()
    assert project.platform == world["platform_a"]


def test_the_platform_can_be_preselected_from_the_query_string(staff_client, world):
    url = reverse("projects:project_create") + f"?platform={world['platform_a'].pk}"
    form = staff_client.get(url).context["form"]
    assert str(form["platform"].value()) == str(world["platform_a"].pk)


# --- editing ------------------------------------------------------------------------------


def test_editing_a_run_updates_the_gain_and_returns_to_the_list_with_its_filters(
    staff_client, world
):
    project = project_with_runs(world["platform_a"])
    data = edit_data(staff_client, project)
    data["runs-2-units_passed"] = "95"
    data["next"] = "/projects/?status=intent&sort=-yield_gain_pp"
    response = staff_client.post(reverse("projects:project_update", args=[project.pk]), data)
    assert response.status_code == 302
    assert response["Location"] == "/projects/?status=intent&sort=-yield_gain_pp"
    project.refresh_from_db()
    assert project.yield_gain_pp == Decimal("55.0000")
    assert project.version == 2


def test_next_pointing_to_another_site_is_ignored(staff_client, world):
    project = factories.ProjectFactory(platform=world["platform_a"])
    data = edit_data(staff_client, project)
    data["next"] = "https://evil.example.com/"
    response = staff_client.post(reverse("projects:project_update", args=[project.pk]), data)
    assert response["Location"] == project.get_absolute_url()


def test_a_run_and_a_financing_round_can_be_removed(staff_client, world):
    project = project_with_runs(world["platform_a"])
    factories.FinancingFactory(project=project)
    data = edit_data(staff_client, project)
    data["runs-1-DELETE"] = "on"
    data["financing-0-DELETE"] = "on"
    staff_client.post(reverse("projects:project_update", args=[project.pk]), data)
    assert list(project.yield_runs.values_list("stage", "sequence")) == [("DVT", 1), ("PVT", 1)]
    assert not project.financings.exists()


def test_a_stale_edit_is_refused_saying_who_changed_it_and_nothing_is_lost(client, world):
    project = factories.ProjectFactory(platform=world["platform_a"], title="原标题")
    colleague = factories.PlatformMembershipFactory(
        platform=world["platform_a"], user__username="colleague"
    ).user
    english(client).force_login(world["staff_a"])
    mine = edit_data(client, project)
    second = english(Client())  # the colleague's browser
    second.force_login(colleague)
    theirs = edit_data(second, project)

    theirs["title"] = "同事的标题"
    assert (
        second.post(reverse("projects:project_update", args=[project.pk]), theirs).status_code
        == 302
    )

    mine["title"] = "我的标题"
    add_run(mine, "DVT", 1, "2024-02-01", 10, 5)
    response = client.post(reverse("projects:project_update", args=[project.pk]), mine)
    assert response.status_code == 409
    page = response.content.decode()
    assert "colleague changed this project on" in page
    assert "我的标题" in page  # the refused edit is still in the form
    project.refresh_from_db()
    assert project.title == "同事的标题"  # the first save stands
    assert project.version == 2
    assert not project.yield_runs.exists()  # nothing of the refused edit was written


def test_the_detail_page_shows_the_change_history(staff_client, world):
    project = project_with_runs(world["platform_a"], title="旧标题")
    data = edit_data(staff_client, project)
    data["title"] = "新标题"
    data["runs-0-units_passed"] = "45"
    staff_client.post(reverse("projects:project_update", args=[project.pk]), data)
    response = staff_client.get(project.get_absolute_url())
    history = response.context["history"]
    project_change = next(e for e in history if e.subject == "Project" and e.changes)
    assert project_change.who == world["staff_a"]
    assert [(c.field, c.old, c.new) for c in project_change.changes] == [
        ("Title", "旧标题", "新标题")
    ]
    run_change = next(e for e in history if e.subject == "Yield run DVT#1" and e.changes)
    assert [(c.field, c.old, c.new) for c in run_change.changes] == [("Units passed", "40", "45")]
    assert "旧标题 → 新标题" in response.content.decode()


# --- deleting -----------------------------------------------------------------------------


def test_a_project_with_financing_cannot_be_deleted_and_the_user_is_told_why(staff_client, world):
    project = factories.ProjectFactory(platform=world["platform_a"])
    factories.FinancingFactory(project=project)
    url = reverse("projects:project_delete", args=[project.pk])
    confirm = staff_client.get(url).content.decode()
    assert "cannot be deleted: it has 1 financing round on record" in confirm
    response = staff_client.post(url, follow=True)
    assert Project.objects.filter(pk=project.pk).exists()
    assert "cannot be deleted" in " ".join(str(m) for m in response.context["messages"])


def test_deleting_a_project_removes_its_runs_and_returns_to_the_list(staff_client, world):
    project = project_with_runs(world["platform_a"])
    url = reverse("projects:project_delete", args=[project.pk])
    response = staff_client.post(url, {"next": "/projects/?q=abc"})
    assert response["Location"] == "/projects/?q=abc"
    assert not Project.objects.filter(pk=project.pk).exists()
    assert not YieldRun.objects.exists()


# --- list, filters, export ----------------------------------------------------------------


def listed_codes(response):
    return [row.record.code for row in response.context["table"].paginated_rows]


def test_the_list_shows_only_visible_projects(staff_client, world):
    mine = factories.ProjectFactory(platform=world["platform_a"])
    factories.ProjectFactory(platform=world["platform_b"])
    assert listed_codes(staff_client.get(reverse("projects:project_list"))) == [mine.code]


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("q=camera", ["CAM"]),
        ("q=cam-", ["CAM"]),
        ("q=91510100000000777", []),
        ("min_gain=50", ["CAM"]),
        ("min_gain=10", ["CAM", "OLD"]),
        ("start_year_from=2024", ["CAM"]),
        ("start_year_to=2021", ["OLD"]),
        ("new_product=true", ["OLD"]),
        ("status=completed", ["OLD"]),
        ("stage=PVT", ["CAM"]),
        ("track=process", []),
    ],
)
def test_the_project_filters(staff_client, world, query, expected):
    cam = project_with_runs(world["platform_a"], code="CAM-1", title="camera module", stage="PVT")
    old = factories.ProjectFactory(
        platform=world["platform_a"],
        code="OLD-1",
        start_on=dt.date(2020, 5, 1),
        new_product=True,
        status="completed",
    )
    Project.objects.filter(pk=old.pk).update(yield_gain_pp=Decimal("20"))
    response = staff_client.get(reverse("projects:project_list") + "?" + query)
    names = {cam.code: "CAM", old.code: "OLD"}
    assert sorted(names[code] for code in listed_codes(response)) == expected


def test_the_search_finds_a_project_by_its_client_uscc(staff_client, world):
    project = factories.ProjectFactory(platform=world["platform_a"])
    response = staff_client.get(
        reverse("projects:project_list"), {"q": project.enterprise.uscc.lower()}
    )
    assert listed_codes(response) == [project.code]


def test_a_foreign_platform_in_the_filter_is_an_error_not_a_leak(staff_client, world):
    factories.ProjectFactory(platform=world["platform_b"])
    response = staff_client.get(
        reverse("projects:project_list"), {"platform": world["platform_b"].pk}
    )
    assert "platform" in response.context["filter"].form.errors
    assert listed_codes(response) == []


def test_the_list_sorts_by_gain_and_keeps_filters_in_page_links(staff_client, world):
    for number in range(55):
        project = factories.ProjectFactory(platform=world["platform_a"], code=f"S-{number:03d}")
        Project.objects.filter(pk=project.pk).update(yield_gain_pp=number)
    response = staff_client.get(
        reverse("projects:project_list"), {"status": "intent", "sort": "-yield_gain_pp"}
    )
    assert listed_codes(response)[:2] == ["S-054", "S-053"]
    assert len(listed_codes(response)) == 50
    page = response.content.decode()
    assert "status=intent" in page and "page=2" in page
    second = staff_client.get(
        reverse("projects:project_list"),
        {"status": "intent", "sort": "-yield_gain_pp", "page": 2},
    )
    assert listed_codes(second) == [f"S-{n:03d}" for n in range(4, -1, -1)]


def test_the_list_rows_have_one_cell_per_column_header(staff_client, world):
    project = project_with_runs(world["platform_a"], service_revenue=Decimal("123456789"))
    page = staff_client.get(reverse("projects:project_list")).content.decode()
    table = page[page.index("<table") : page.index("</table>")]
    head, body = table.split("<tbody>")
    assert head.count("<th ") == body.count("<td") == 12
    assert "123.46 million yuan" in body and "+50.0 pp" in body and "90%" in body
    assert f'href="{project.get_absolute_url()}?next=%2Fprojects%2F"' in body


def test_a_title_with_a_script_is_shown_escaped(staff_client, world):
    payload = '<script>alert("x")</script>'
    project = factories.ProjectFactory(platform=world["platform_a"], title=payload)
    for url in (project.get_absolute_url(), reverse("projects:project_list"), "/"):
        page = staff_client.get(url).content.decode()
        assert payload not in page
    assert "&lt;script&gt;" in staff_client.get(project.get_absolute_url()).content.decode()


def read_csv(response):
    text = response.content.decode("utf-8-sig")
    return list(csv.reader(io.StringIO(text)))


def test_the_csv_export_has_the_filtered_rows_with_formulas_escaped(staff_client, world):
    factories.ProjectFactory(platform=world["platform_a"], title='=HYPERLINK("http://x")')
    factories.ProjectFactory(platform=world["platform_a"], title="@SUM(A1)", status="completed")
    factories.ProjectFactory(platform=world["platform_b"], title="别人的项目")
    response = staff_client.get(
        reverse("projects:project_export", kwargs={"export_format": "csv"}), {"status": "intent"}
    )
    assert response["Content-Type"].startswith("text/csv")
    rows = read_csv(response)
    assert rows[0][:3] == ["Code", "Title", "Platform"]
    assert [row[1] for row in rows[1:]] == ['\'=HYPERLINK("http://x")']
    header = rows[0]
    assert rows[1][header.index("Service revenue")] == "100000.00"


def test_the_xlsx_export_escapes_formulas_and_keeps_numbers(staff_client, world):
    factories.ProjectFactory(platform=world["platform_a"], title="+cmd|' /C calc'!A0")
    response = staff_client.get(
        reverse("projects:project_export", kwargs={"export_format": "xlsx"})
    )
    sheet = load_workbook(io.BytesIO(response.content)).active
    rows = list(sheet.values)
    header = list(rows[0])
    assert rows[1][header.index("Title")] == "'+cmd|' /C calc'!A0"
    assert rows[1][header.index("Service revenue")] == 100000


def test_an_unknown_export_format_is_404(staff_client):
    url = reverse("projects:project_export", kwargs={"export_format": "pdf"})
    assert staff_client.get(url).status_code == 404


# --- detail -------------------------------------------------------------------------------


def test_the_detail_shows_the_yield_journey_chart_and_financing_total(staff_client, world):
    project = project_with_runs(world["platform_a"])
    factories.FinancingFactory(project=project, amount=Decimal("5000000"))
    factories.FinancingFactory(project=project, amount=Decimal("2500000"), date=dt.date(2024, 9, 1))
    response = staff_client.get(project.get_absolute_url())
    page = response.content.decode()
    assert "40% → 90% (+50 pp, +125%)" in page
    assert page.count("<circle") == 3
    assert "DVT#2" in page and "65%" in page
    assert response.context["financing_total"] == Decimal("7500000")
    assert "7.5 million yuan" in page


# --- query counts -------------------------------------------------------------------------


@pytest.mark.parametrize("rows", [5, 50])
def test_the_project_list_runs_a_fixed_number_of_queries(
    staff_client, world, rows, django_assert_num_queries
):
    populate(world, rows)
    # user, COUNT, "may create?" (exists), the page's rows (platform and enterprise
    # joined), platform choices, zone choices, the navigation's role: platforms, zones.
    with django_assert_num_queries(8):
        response = staff_client.get(reverse("projects:project_list"), {"sort": "-yield_gain_pp"})
    assert len(response.context["table"].page.object_list) == rows


@pytest.mark.parametrize("rows", [5, 50])
def test_the_project_export_runs_a_fixed_number_of_queries(
    staff_client, world, rows, django_assert_num_queries
):
    populate(world, rows)
    # user, every row with platform and enterprise joined.
    with django_assert_num_queries(2):
        response = staff_client.get(
            reverse("projects:project_export", kwargs={"export_format": "csv"})
        )
    assert len(read_csv(response)) == rows + 1


@pytest.mark.parametrize("rows", [5, 50])
def test_the_project_detail_runs_a_fixed_number_of_queries(
    staff_client, world, rows, django_assert_num_queries
):
    project = populate(world, rows)["project"]
    # user, project (platform, zone, enterprise joined; "may edit?" as an EXISTS in
    # the same query), runs, financing, the three history tables (users and foreign keys
    # joined), navigation role ×2.
    with django_assert_num_queries(9):
        response = staff_client.get(project.get_absolute_url())
    assert len(response.context["runs"]) == rows


@pytest.mark.parametrize("rows", [5, 50])
def test_the_project_edit_form_runs_a_fixed_number_of_queries(
    staff_client, world, rows, django_assert_num_queries
):
    project = populate(world, rows)["project"]
    # user, project ("may edit?" as an EXISTS in the same query: being allowed to
    # edit it is what makes the user an editor), runs, financing, platform choices,
    # navigation role and menu. (Enterprise suggestions are fetched as the user types.)
    with django_assert_num_queries(7):
        response = staff_client.get(reverse("projects:project_update", args=[project.pk]))
    assert len(response.context["runs"].forms) == rows + 1
