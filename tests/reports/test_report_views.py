"""Report page, JSON and exports: permissions, scoping, content, escaping and query counts."""

import datetime as dt
import io
from decimal import Decimal

import pytest
from django.core.cache import cache
from django.db import connection
from django.urls import reverse
from openpyxl import load_workbook

from projects.choices import Confidentiality
from projects.reports.models import Target
from tests import factories

JSON_KEYS = {
    "scope",
    "platforms",
    "key_platforms",
    "key_platform_share",
    "projects",
    "enterprises",
    "new_products",
    "service_revenue",
    "output_value",
    "financing",
    "yield_projects",
    "yield_gain_pp_mean",
    "yield_gain_pp_median",
    "as_of",
    "targets",
}
ROLLUP = reverse("reports:rollup")
ROLLUP_JSON = reverse("reports:rollup_json")


def export_url(table, fmt):
    return reverse("reports:export", args=[table, fmt])


def grow(world, projects_per_platform=15):
    """More of everything (platforms, projects, runs, financing, recognitions) in both zones."""
    extra = factories.PlatformFactory(zone=world["zone1"])
    factories.RecognitionFactory(platform=extra, recognition_list=world["key_list"])
    for platform in (world["platform_a"], world["platform_b"], world["platform_c"], extra):
        for n in range(projects_per_platform):
            project = factories.ProjectFactory(
                platform=platform,
                start_on=dt.date(2020 + n % 6, 1, 1),
                confidentiality=Confidentiality.CONFIDENTIAL if n % 4 == 0 else "public",
                new_product=n % 2 == 0,
            )
            for sequence in (1, 2):
                factories.YieldRunFactory(
                    project=project,
                    sequence=sequence,
                    measured_on=dt.date(2020 + n % 6, 2, sequence),
                    units_passed=50 + sequence * n % 50,
                )
            factories.FinancingFactory(project=project, date=dt.date(2020 + n % 6, 3, 1))


def page_table(response, name):
    """A table of the report page's context, by name."""
    tables = [table for section in response.context["sections"] for table in section["tables"]]
    return next(table for table in tables if table["name"] == name)


def add_targets(zone, per_metric=1):
    """Targets that need every figure group (platforms, projects, financing), ``per_metric``
    year ranges each."""
    for n in range(per_metric):
        for metric in ("new_platforms", "projects", "new_products", "financing"):
            Target.objects.create(
                zone=zone, metric=metric, start_year=2020 + n, end_year=2026, value=100
            )


# --------------------------------------------------------------------------------------------
# Permissions


@pytest.mark.parametrize("url", [ROLLUP, ROLLUP_JSON, export_url("platforms", "csv")])
def test_anonymous_users_are_sent_to_the_login_page(client, db, url):
    response = client.get(url)

    assert response.status_code == 302
    assert response.url.startswith(reverse("login"))


def test_unknown_export_table_or_format_is_404(client, report_world):
    client.force_login(report_world["manager"])

    assert client.get(export_url("secrets", "csv")).status_code == 404
    assert client.get(export_url("platforms", "pdf")).status_code == 404


def test_a_platform_the_user_cannot_see_is_a_filter_error_not_a_report(client, report_world):
    client.force_login(report_world["staff_a"])

    response = client.get(ROLLUP_JSON, {"platform": report_world["platform_c"].pk})

    assert response.status_code == 400
    assert "platform" in response.json()["errors"]


def test_filter_choices_offer_only_what_the_user_can_see(client, report_world):
    client.force_login(report_world["manager"])

    form = client.get(ROLLUP).context["form"]

    assert list(form.fields["zone"].queryset) == [report_world["zone1"]]
    assert set(form.fields["platform"].queryset) == {
        report_world["platform_a"],
        report_world["platform_b"],
    }
    assert [value for value, _ in form.fields["year"].widget.choices] == ["", 2024, 2023]


# --------------------------------------------------------------------------------------------
# JSON


def test_json_has_exactly_the_documented_keys_and_types(client, report_world):
    client.force_login(report_world["manager"])

    data = client.get(ROLLUP_JSON).json()

    assert set(data) == JSON_KEYS
    for key in ("platforms", "key_platforms", "projects", "enterprises", "new_products"):
        assert type(data[key]) is int
    assert type(data["yield_projects"]) is int
    for key in ("service_revenue", "output_value", "financing"):
        assert isinstance(data[key], str)
        assert Decimal(data[key]).as_tuple().exponent == -2
    assert data["key_platform_share"] == 0.25
    assert data["yield_gain_pp_mean"] == 40.0
    assert data["yield_gain_pp_median"] == 40.0
    assert data["service_revenue"] == "1300.60"
    assert data["financing"] == "1000300.03"
    assert data["scope"] == {
        "zone": None,
        "platform": None,
        "sector": None,
        "year_from": None,
        "year_to": None,
    }


def test_json_nulls_where_figures_are_unknown(client, report_world):
    client.force_login(report_world["admin_user"])

    data = client.get(ROLLUP_JSON, {"platform": report_world["platform_b"].pk}).json()

    assert data["key_platform_share"] is None
    assert data["yield_gain_pp_mean"] is None
    assert data["yield_gain_pp_median"] is None
    assert data["yield_projects"] == 0


def test_json_filters_by_zone_sector_and_year(client, report_world):
    client.force_login(report_world["admin_user"])
    zone1 = report_world["zone1"]

    data = client.get(
        ROLLUP_JSON, {"zone": zone1.pk, "sector": "information_technology", "year": 2024}
    ).json()

    assert data["scope"]["zone"] == {"id": zone1.pk, "name": "成都高新区"}
    assert (data["scope"]["sector"], data["scope"]["year_from"]) == ("information_technology", 2024)
    assert (data["platforms"], data["projects"], data["service_revenue"]) == (1, 2, "200.50")


def test_staff_json_differs_from_the_managers(client, report_world):
    client.force_login(report_world["staff_a"])
    staff = client.get(ROLLUP_JSON).json()
    client.force_login(report_world["manager"])
    manager = client.get(ROLLUP_JSON).json()

    assert (staff["platforms"], staff["projects"]) == (1, 3)
    assert (manager["platforms"], manager["projects"]) == (2, 4)


def test_a_repeated_report_reads_the_headline_from_the_cache(
    client, report_world, django_assert_num_queries
):
    client.force_login(report_world["manager"])
    first = client.get(ROLLUP_JSON).json()

    # User (1; sessions are in the cache), the data version (1) and the zone's targets (1; none
    # set, and targets are never cached): the five headline queries are not run.
    with django_assert_num_queries(3):
        assert client.get(ROLLUP_JSON).json() == first


def test_a_repeated_page_reads_every_section_from_the_cache(
    client, report_world, django_assert_num_queries
):
    client.force_login(report_world["manager"])
    client.get(ROLLUP)

    # User (1), year choices (1), zone, platform and reporting round choices (3), navigation
    # role (2), the data version (1) and the zone's targets (1: none set; targets are not
    # cached): no report query runs.
    with django_assert_num_queries(9):
        assert client.get(ROLLUP).context["headline"].projects == 4


def test_cached_sections_follow_the_users_visibility_and_language(client, report_world):
    client.force_login(report_world["manager"])
    client.get(ROLLUP, HTTP_ACCEPT_LANGUAGE="en")
    client.force_login(report_world["staff_a"])

    staff_page = client.get(ROLLUP, HTTP_ACCEPT_LANGUAGE="en").content.decode()

    assert "A2 标题" in staff_page  # not the manager's masked copy


def test_two_managers_of_one_zone_share_one_computation(
    client, report_world, django_assert_num_queries
):
    other = factories.ZoneMembershipFactory(zone=report_world["zone1"]).user
    client.force_login(report_world["manager"])
    first = client.get(ROLLUP).context["headline"]
    client.force_login(other)

    # User (1), year choices (1), zone, platform and reporting round choices (3), navigation
    # role (2), the versions (1) and the zone's targets (1: none set; targets are read every
    # time): the other manager's page is read from the first one's entries.
    with django_assert_num_queries(9):
        assert client.get(ROLLUP).context["headline"] == first


def test_a_manager_who_also_unmasks_a_platform_gets_entries_of_her_own(client, report_world):
    manager_and_staff = factories.ZoneMembershipFactory(zone=report_world["zone1"]).user
    factories.PlatformMembershipFactory(user=manager_and_staff, platform=report_world["platform_a"])
    client.force_login(report_world["manager"])
    assert "A2 标题" not in client.get(ROLLUP).content.decode()
    client.force_login(manager_and_staff)

    assert "A2 标题" in client.get(ROLLUP).content.decode()  # the same platforms, unmasked


def test_bulk_writes_invalidate_the_cached_headline(client, report_world):
    from platforms.models import Recognition
    from projects.models import Financing, Project

    client.force_login(report_world["manager"])
    assert client.get(ROLLUP_JSON).json()["service_revenue"] == "1300.60"

    Project.objects.filter(code="B1").update(service_revenue=Decimal("2000.00"))
    assert client.get(ROLLUP_JSON).json()["service_revenue"] == "2300.60"

    Financing.objects.bulk_create(
        [Financing(project=report_world["b1"], date=dt.date(2024, 8, 1), round="b", amount=1)]
    )
    assert client.get(ROLLUP_JSON).json()["financing"] == "1000301.03"

    Recognition.objects.filter(platform=report_world["platform_a"]).update(
        revoked_on=dt.date(2026, 1, 1)
    )
    assert client.get(ROLLUP_JSON).json()["key_platforms"] == 0


def test_a_new_membership_changes_the_staff_members_next_report(client, report_world):
    client.force_login(report_world["staff_a"])
    assert client.get(ROLLUP_JSON).json()["platforms"] == 1

    factories.PlatformMembershipFactory(
        user=report_world["staff_a"], platform=report_world["platform_b"]
    )

    assert client.get(ROLLUP_JSON).json()["platforms"] == 2


def test_a_new_project_changes_the_next_report(client, report_world):
    client.force_login(report_world["manager"])
    before = client.get(ROLLUP_JSON).json()
    factories.ProjectFactory(platform=report_world["platform_b"], service_revenue=Decimal("0.01"))

    after = client.get(ROLLUP_JSON).json()

    assert after["projects"] == before["projects"] + 1
    assert after["service_revenue"] == "1300.61"


# --------------------------------------------------------------------------------------------
# Page


def test_page_shows_headline_tables_charts_and_briefing(client, report_world):
    client.force_login(report_world["manager"])

    response = client.get(ROLLUP)

    body = response.content.decode()
    assert response.status_code == 200
    assert response.context["headline"].projects == 4
    assert "共有中试平台2家" in body
    assert f"{report_world['zone1'].name_en} has built 2 pilot-test platforms" in body
    assert body.count("<svg") == 4
    for table in ("platforms", "sectors", "years", "yield_top", "financing_round"):
        assert f'id="{table}"' in body
    assert 'id="zones"' not in body  # one zone visible: no zone table


def test_zone_table_appears_when_several_zones_are_visible(client, report_world):
    client.force_login(report_world["admin_user"])

    assert 'id="zones"' in client.get(ROLLUP).content.decode()


def test_breakdown_totals_row_equals_the_headline(client, report_world):
    client.force_login(report_world["manager"])

    platforms = page_table(client.get(ROLLUP), "platforms")
    totals = [value for value, _numeric in platforms["totals"]]
    assert totals[3:6] == ["2", "1", "4"]  # platforms, key platforms, projects


def test_sort_links_reorder_a_table(client, report_world):
    client.force_login(report_world["manager"])

    ascending = client.get(ROLLUP, {"platforms_sort": "projects"})
    descending = client.get(ROLLUP, {"platforms_sort": "-projects"})

    def names(response):
        return [row[0][0] for row in page_table(response, "platforms")["rows"]]

    assert names(ascending) == ["另一平台", "蜂鸟平台"]
    assert names(descending) == ["蜂鸟平台", "另一平台"]


def test_confidential_titles_are_masked_for_the_manager_only(client, report_world):
    client.force_login(report_world["manager"])
    manager_page = client.get(ROLLUP, HTTP_ACCEPT_LANGUAGE="en").content.decode()
    client.force_login(report_world["staff_a"])
    staff_page = client.get(ROLLUP).content.decode()

    assert "A2 标题" not in manager_page
    assert "Confidential project" in manager_page
    assert "A1 标题" in manager_page  # public titles stay
    assert "A2 标题" in staff_page


def test_invalid_filters_show_errors_instead_of_a_report(client, report_world):
    client.force_login(report_world["manager"])

    response = client.get(ROLLUP, {"year_from": 2025, "year_to": 2023})

    assert response.context["report"] is None
    assert "year_to" in response.context["form"].errors


# --------------------------------------------------------------------------------------------
# Exports


def test_csv_export_has_units_raw_amounts_totals_and_a_scoped_file_name(client, report_world):
    client.force_login(report_world["manager"])

    response = client.get(
        export_url("platforms", "csv"),
        {"zone": report_world["zone1"].pk},
        HTTP_ACCEPT_LANGUAGE="en",
    )

    text = response.content.decode("utf-8-sig")
    lines = text.strip().splitlines()
    assert "Service revenue (yuan)" in lines[0]
    assert lines[-1].startswith("Total,,,2,1,4,2,2,1300.60,3500.55,1000300.03")
    disposition = response["Content-Disposition"]
    assert "report-platforms_" in disposition
    assert "%E6%88%90%E9%83%BD%E9%AB%98%E6%96%B0%E5%8C%BA" in disposition  # 成都高新区
    assert dt.date.today().isoformat()[:4] in disposition


def test_exports_escape_formula_like_text(client, report_world):
    report_world["platform_b"].name = '=HYPERLINK("http://evil")'
    report_world["platform_b"].save()
    client.force_login(report_world["manager"])

    csv_text = client.get(export_url("platforms", "csv")).content.decode("utf-8-sig")
    workbook = load_workbook(io.BytesIO(client.get(export_url("platforms", "xlsx")).content))

    assert "'=HYPERLINK" in csv_text
    values = [cell.value for row in workbook.active.iter_rows() for cell in row]
    assert '\'=HYPERLINK("http://evil")' in values
    assert not any(isinstance(v, str) and v.startswith("=") for v in values)


def test_xlsx_export_keeps_amounts_as_numbers(client, report_world):
    client.force_login(report_world["manager"])

    response = client.get(export_url("financing_round", "xlsx"), HTTP_ACCEPT_LANGUAGE="en")

    sheet = load_workbook(io.BytesIO(response.content)).active
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0] == ("Round", "Rounds", "Amount (yuan)")
    assert rows[-1] == ("Total", 3, 1000300.03)
    assert all(isinstance(row[2], int | float) for row in rows[1:])


def test_confidential_titles_are_masked_in_exports_too(client, report_world):
    client.force_login(report_world["manager"])

    text = client.get(export_url("yield_top", "csv")).content.decode("utf-8-sig")

    assert "A2 标题" not in text
    assert "A1 标题" in text


# --------------------------------------------------------------------------------------------
# Query counts: the same whatever the amount of data


# The headline when the platforms' summaries are current: platforms, list share, the stored
# summaries (3; enterprises and the median come from the sets the summaries keep).
HEADLINE_QUERIES = 3
# The headline right after writes to every platform in scope (a new world): the same, plus the
# summaries computed afresh (projects by year, financing by year, the projects' enterprises and
# gains: 3)
# and stored (savepoint, older labels deleted, insert, release: 4; and on SQLite three PRAGMAs
# that keep the store from waiting for an import's write lock).
COLD_HEADLINE_QUERIES = HEADLINE_QUERIES + 3 + 4 + (3 if connection.vendor == "sqlite" else 0)
# Targets: the list, then the platforms', projects' and financing figures (4).
TARGET_QUERIES = 4
# User (1; sessions are in the cache); year choices (1); zone, platform and reporting round
# choices (3); navigation role (2); the versions read by the report cache (1); headline (cold);
# breakdowns by platform, sector, zone and start year: the platforms' names, zones, sectors and
# key-list status (1), the figures from the headline's summary rows (0); yield: histogram, top
# 20, by stage (3); financing by round, instrument, investor type, year (4); targets.
PAGE_QUERIES = 1 + 1 + 3 + 2 + 1 + COLD_HEADLINE_QUERIES + 1 + 3 + 4 + TARGET_QUERIES
# User (1); the zone filter's lookup (1); versions (1); headline (cold); targets, and for a
# scope narrower than the zone the versions of the whole zone the targets measure (1).
JSON_QUERIES = 1 + 1 + 1 + COLD_HEADLINE_QUERIES + TARGET_QUERIES + 1
# User (1); the by-platform table: the platforms' attributes (1) and the summary rows, read once
# with the headline; versions + headline for the totals (1 + cold).
EXPORT_QUERIES = 1 + 1 + 1 + COLD_HEADLINE_QUERIES


@pytest.mark.parametrize("larger", [False, True])
def test_report_page_runs_a_fixed_number_of_queries(
    client, report_world, django_assert_num_queries, larger
):
    add_targets(report_world["zone1"], 3 if larger else 1)
    if larger:
        grow(report_world, projects_per_platform=40)  # 160 platforms' rows: tables cut at 20
    client.force_login(report_world["manager"])

    with django_assert_num_queries(PAGE_QUERIES):
        assert client.get(ROLLUP, {"platforms_sort": "-financing"}).status_code == 200


@pytest.mark.parametrize("larger", [False, True])
def test_json_runs_a_fixed_number_of_queries(
    client, report_world, django_assert_num_queries, larger
):
    add_targets(report_world["zone1"], 3 if larger else 1)
    if larger:
        grow(report_world)
    client.force_login(report_world["manager"])

    with django_assert_num_queries(JSON_QUERIES):
        params = {"zone": report_world["zone1"].pk, "year": 2024}
        assert client.get(ROLLUP_JSON, params).status_code == 200


@pytest.mark.parametrize("larger", [False, True])
def test_a_report_on_current_summaries_runs_the_three_headline_queries(
    client, report_world, django_assert_num_queries, larger
):
    if larger:
        grow(report_world)
    client.force_login(report_world["manager"])
    client.get(ROLLUP_JSON)  # computes and stores the summaries
    cache.clear()  # the figures are gone, the summaries stay (a new language, say)
    client.force_login(report_world["manager"])

    # User (1), versions (1), headline (3), the targets (1: none set).
    with django_assert_num_queries(1 + 1 + HEADLINE_QUERIES + 1):
        assert client.get(ROLLUP_JSON).json()["projects"] == (49 if larger else 4)


@pytest.mark.parametrize("larger", [False, True])
def test_export_runs_a_fixed_number_of_queries(
    client, report_world, django_assert_num_queries, larger
):
    if larger:
        grow(report_world)
    client.force_login(report_world["manager"])

    with django_assert_num_queries(EXPORT_QUERIES):
        assert client.get(export_url("platforms", "xlsx")).status_code == 200


# --------------------------------------------------------------------------------------------
# The published Chengdu figures, from the demo data, through the JSON


# ``demo`` (tests/conftest.py) is the demo data set, loaded once per session.


def test_chengdu_demo_json_reproduces_every_published_figure(client, db, demo):
    from django.contrib.auth import get_user_model

    from platforms.models import Zone

    client.force_login(get_user_model().objects.get(username="manager"))
    zone = Zone.objects.get(name="成都高新区")

    data = client.get(ROLLUP_JSON, {"zone": zone.pk}).json()

    assert (data["platforms"], data["key_platforms"], data["key_platform_share"]) == (96, 8, 0.5)
    assert data["projects"] == 4547
    assert Decimal("1800000000") < Decimal(data["service_revenue"]) < Decimal("1850000000")
    assert Decimal("10000000000") <= Decimal(data["output_value"]) < Decimal("10500000000")
    assert Decimal("2850000000") <= Decimal(data["financing"]) < Decimal("2900000000")


def test_hummingbird_demo_json_reproduces_the_platform_figures(client, db, demo):
    from django.contrib.auth import get_user_model

    from platforms.models import Platform

    client.force_login(get_user_model().objects.get(username="staff"))
    platform = Platform.objects.get(name="成都高新蜂鸟智能硬件中试平台")

    data = client.get(ROLLUP_JSON, {"platform": platform.pk}).json()

    assert 600 <= data["projects"] <= 649
    assert 380 <= data["new_products"] <= 399
    assert Decimal("1950000000") <= Decimal(data["output_value"]) <= Decimal("2050000000")
    assert client.get(ROLLUP_JSON).json()["projects"] == data["projects"]  # staff: one platform


# --------------------------------------------------------------------------------------------
# Figures the JSON must state exactly, and the cache following memberships


def test_one_project_with_29_fen_of_revenue_reports_0_29_not_0_28(client, world):
    # Summed as ``x * 100`` in floating point, 0.29 yuan is 28.999999999999996 fen: 0.28.
    project = factories.ProjectFactory(
        platform=world["platform_a"],
        service_revenue=Decimal("0.29"),
        output_value=Decimal("0.29"),
    )
    factories.FinancingFactory(project=project, amount=Decimal("0.29"))
    client.force_login(world["staff_a"])

    data = client.get(ROLLUP_JSON).json()

    assert (data["service_revenue"], data["output_value"], data["financing"]) == ("0.29",) * 3


def test_a_mean_gain_of_12_25_pp_reads_12_3_in_the_json(client, world):
    for latest in (104, 105):  # 40 % → 52 % and 40 % → 52.5 %: gains 12 and 12.5 pp
        project = factories.ProjectFactory(platform=world["platform_a"])
        for sequence, passed in enumerate((80, latest), start=1):
            factories.YieldRunFactory(
                project=project,
                sequence=sequence,
                measured_on=dt.date(2024, 3, sequence),
                units_tested=200,
                units_passed=passed,
            )
    client.force_login(world["staff_a"])

    data = client.get(ROLLUP_JSON).json()

    assert (data["yield_gain_pp_mean"], data["yield_gain_pp_median"]) == (12.3, 12.3)


def test_a_managers_second_zone_is_in_the_next_cached_report(
    client, report_world, settings, django_assert_num_queries
):
    settings.REPORTS_CACHE_SECONDS = 600
    manager = report_world["manager"]
    client.force_login(manager)
    assert client.get(ROLLUP_JSON).json()["platforms"] == 2
    # User, data version and the (uncached) targets: the figures come from the cache.
    with django_assert_num_queries(3):
        assert client.get(ROLLUP_JSON).json()["projects"] == 4

    # Only the membership table changes: its trigger must move the data version.
    factories.ZoneMembershipFactory(user=manager, zone=report_world["zone2"])
    data = client.get(ROLLUP_JSON).json()

    assert (data["platforms"], data["projects"], data["service_revenue"]) == (3, 5, "1305.60")
