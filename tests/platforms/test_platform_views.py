"""Platform list and detail: scoped, filtered, sortable, exportable, with fixed query counts."""

import datetime as dt
from decimal import Decimal

import pytest
from django.db import connection
from django.urls import reverse

from platforms.choices import PlatformStatus, Sector
from tests import factories
from tests.workspace import english, populate

pytestmark = pytest.mark.django_db


@pytest.fixture
def manager_client(client, world):
    client.force_login(world["manager"])
    return english(client)


def listed(response):
    return [row.record.name for row in response.context["table"].paginated_rows]


def test_a_zone_manager_lists_the_platforms_of_the_zone_only(manager_client, world):
    assert listed(manager_client.get(reverse("platforms:platform_list"))) == [
        "另一平台",
        "蜂鸟平台",
    ]


def test_staff_list_only_their_platform(client, world):
    client.force_login(world["staff_a"])
    assert listed(client.get(reverse("platforms:platform_list"))) == ["蜂鸟平台"]


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ({"q": "蜂鸟"}, ["蜂鸟平台"]),
        ({"sector": Sector.RAW_MATERIALS}, ["另一平台"]),
        ({"status": PlatformStatus.SUSPENDED}, ["另一平台"]),
        ({"sort": "-project_count"}, ["蜂鸟平台", "另一平台"]),
    ],
)
def test_the_platform_filters_and_sorting(manager_client, world, query, expected):
    platform_b = world["platform_b"]
    platform_b.sector = Sector.RAW_MATERIALS
    platform_b.status = PlatformStatus.SUSPENDED
    platform_b.save()
    factories.ProjectFactory(platform=world["platform_a"])
    assert listed(manager_client.get(reverse("platforms:platform_list"), query)) == expected


def test_the_recognition_filter_ignores_revoked_entries(manager_client, world):
    recognition = factories.RecognitionFactory(platform=world["platform_a"])
    factories.RecognitionFactory(
        platform=world["platform_b"],
        recognition_list=recognition.recognition_list,
        revoked_on=dt.date(2025, 6, 1),
    )
    response = manager_client.get(
        reverse("platforms:platform_list"), {"recognition_list": recognition.recognition_list.pk}
    )
    assert listed(response) == ["蜂鸟平台"]


def test_the_zone_filter_offers_only_visible_zones(manager_client, world):
    response = manager_client.get(reverse("platforms:platform_list"))
    assert list(response.context["filter"].form.fields["zone"].queryset) == [world["zone1"]]


def test_the_detail_shows_profile_recognitions_and_figures(manager_client, world):
    platform = world["platform_a"]
    project = factories.ProjectFactory(
        platform=platform,
        new_product=True,
        service_revenue=Decimal("150000000"),
        output_value=Decimal("2000000000"),
    )
    factories.ProjectFactory(platform=platform, status="completed")
    factories.FinancingFactory(project=project, amount=Decimal("30000000"))
    factories.RecognitionFactory(platform=platform, recognition_list__name="首批重点培育名单")
    response = manager_client.get(platform.get_absolute_url())
    figures = response.context["figures"]
    assert figures["projects"] == 2
    assert figures["new_products"] == 1
    assert figures["service_revenue"] == Decimal("150100000.00")
    assert figures["financing"] == Decimal("30000000.00")
    page = response.content.decode()
    assert "首批重点培育名单" in page
    assert "2 billion yuan" in page
    assert project.title in page


def test_the_platform_export_lists_the_filtered_platforms(manager_client, world):
    response = manager_client.get(
        reverse("platforms:platform_export", kwargs={"export_format": "csv"}), {"q": "蜂鸟"}
    )
    lines = response.content.decode("utf-8-sig").strip().splitlines()
    assert len(lines) == 2 and "蜂鸟平台" in lines[1]


# user, the versions of the visible platforms, their summary rows' labels, COUNT, the page's
# rows (zone joined, each figure a subquery on the summaries), zone choices, recognition-list
# choices, navigation role ×2.
LIST_QUERIES = 9
# Right after writes to every platform (a new world): their summaries are computed (projects by
# year, financing by year, enterprises: 3) and stored (savepoint, older rows deleted, insert,
# release: 4; on SQLite three PRAGMAs that keep the store from waiting for an import's lock).
COLD_LIST_QUERIES = LIST_QUERIES + 3 + 4 + (3 if connection.vendor == "sqlite" else 0)


@pytest.mark.parametrize("rows", [5, 50])
def test_the_platform_list_runs_a_fixed_number_of_queries(
    manager_client, world, rows, django_assert_num_queries
):
    populate(world, rows)
    with django_assert_num_queries(COLD_LIST_QUERIES):
        manager_client.get(reverse("platforms:platform_list"))
    with django_assert_num_queries(LIST_QUERIES):
        response = manager_client.get(reverse("platforms:platform_list"), {"sort": "-financing"})
    assert len(response.context["table"].page.object_list) == min(rows + 2, 50)


@pytest.mark.parametrize("rows", [5, 50])
def test_the_platform_detail_runs_a_fixed_number_of_queries(
    manager_client, world, rows, django_assert_num_queries
):
    populate(world, rows)
    # user, platform (zone, province joined; "may edit?" as an EXISTS in the same
    # query), project figures, financing total, recognitions (list joined), latest projects
    # (enterprise joined), navigation role ×2.
    with django_assert_num_queries(8):
        response = manager_client.get(world["platform_a"].get_absolute_url())
    assert len(response.context["recognitions"]) == rows


def test_the_list_figures_equal_a_count_over_the_projects_and_follow_writes(manager_client, world):
    platform = world["platform_a"]
    client_firm = factories.EnterpriseFactory()
    first = factories.ProjectFactory(
        platform=platform,
        enterprise=client_firm,
        status="in_progress",
        service_revenue=Decimal("0.10"),
    )
    factories.ProjectFactory(
        platform=platform,
        enterprise=client_firm,
        start_on=dt.date(2022, 3, 1),
        status="completed",
        service_revenue=Decimal("0.20"),
    )
    factories.FinancingFactory(project=first, amount=Decimal("30000000.05"))

    def row():
        response = manager_client.get(reverse("platforms:platform_list"), {"q": platform.name})
        (record,) = [r.record for r in response.context["table"].paginated_rows]
        return (
            record.project_count,
            record.active_project_count,
            record.enterprise_count,
            record.revenue_fen,
            record.financing_fen,
        )

    # Two projects (one active: contracted or in progress), one client, 0.30 yuan in fen.
    assert row() == (2, 1, 1, 30, 3000000005)
    factories.ProjectFactory(platform=platform, status="contracted", service_revenue=Decimal(1))
    assert row() == (3, 2, 2, 130, 3000000005)


def test_the_platform_list_sorts_by_revenue_and_exports_exact_yuan(manager_client, world):
    factories.ProjectFactory(platform=world["platform_b"], service_revenue=Decimal("12345.67"))
    factories.ProjectFactory(platform=world["platform_a"], service_revenue=Decimal("5.00"))

    response = manager_client.get(reverse("platforms:platform_list"), {"sort": "-service_revenue"})
    assert listed(response)[:2] == [world["platform_b"].name, world["platform_a"].name]
    export = manager_client.get(
        reverse("platforms:platform_export", kwargs={"export_format": "csv"}),
        {"sort": "-service_revenue"},
    )
    lines = export.content.decode("utf-8-sig").splitlines()
    assert "Service revenue (yuan)" in lines[0]
    assert "12345.67" in lines[1]
