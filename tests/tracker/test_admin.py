"""The admin is the back office: every model's changelist, form and search work for a
superuser, and a changelist costs the same number of queries for 5 rows as for 50."""

import pytest
from django.apps import apps
from django.contrib import admin
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from tests import factories

pytestmark = pytest.mark.django_db

TRACKER_MODELS = [
    model
    for model in apps.get_models()
    if model._meta.app_label in {"platforms", "projects"}
    and not model.__name__.startswith("Hist")
    and model.__name__ != "ImportBatch"  # read-only evidence, tested on its own below
]


def admin_url(model, action, *args):
    return reverse(f"admin:{model._meta.app_label}_{model._meta.model_name}_{action}", args=args)


@pytest.fixture
def admin_client_(client, world):
    client.force_login(world["admin_user"])
    return client


def make_rows(count):
    for _ in range(count):
        financing = factories.FinancingFactory()
        factories.YieldRunFactory(project=financing.project)
        factories.RecognitionFactory(platform=financing.project.platform)
        factories.ProvinceListTotalFactory()


def test_every_tracker_model_is_registered():
    missing = [m.__name__ for m in TRACKER_MODELS if m not in admin.site._registry]
    assert missing == []


@pytest.mark.parametrize("model", TRACKER_MODELS, ids=lambda m: m.__name__)
def test_changelist_add_form_and_search_load(admin_client_, model):
    make_rows(2)
    assert admin_client_.get(admin_url(model, "changelist")).status_code == 200
    assert admin_client_.get(admin_url(model, "changelist"), {"q": "成都"}).status_code == 200
    assert admin_client_.get(admin_url(model, "add")).status_code == 200
    obj = model.objects.first()
    assert admin_client_.get(admin_url(model, "change", obj.pk)).status_code == 200
    if model in admin.site._registry and hasattr(admin.site._registry[model], "history_view"):
        assert admin_client_.get(admin_url(model, "history", obj.pk)).status_code == 200


def count_queries(client, url):
    with CaptureQueriesContext(connection) as captured:
        assert client.get(url).status_code == 200
    return len(captured)


@pytest.mark.parametrize("model", TRACKER_MODELS, ids=lambda m: m.__name__)
def test_changelist_query_count_does_not_grow_with_rows(admin_client_, model):
    make_rows(5)
    url = admin_url(model, "changelist")
    small = count_queries(admin_client_, url)
    make_rows(45)
    assert count_queries(admin_client_, url) == small


def test_project_changelist_runs_a_fixed_number_of_queries(
    admin_client_, django_assert_num_queries
):
    make_rows(5)
    url = admin_url(apps.get_model("projects", "Project"), "changelist")
    # user, date-hierarchy bounds, count (filtered + total), page
    # rows with platform and enterprise joined, and the choices of the zone and platform filters.
    with django_assert_num_queries(8):
        admin_client_.get(url)
    make_rows(45)
    with django_assert_num_queries(8):
        admin_client_.get(url)


def test_user_admin_shows_platform_and_zone_roles(admin_client_, world):
    url = reverse("admin:auth_user_change", args=[world["staff_a"].pk])
    response = admin_client_.get(url)
    assert response.status_code == 200
    assert world["platform_a"].name in response.content.decode()


def test_history_records_who_changed_a_project(admin_client_, world):
    project = factories.ProjectFactory(platform=world["platform_a"])
    data = project_change_data(project, "新标题")
    response = admin_client_.post(admin_url(project.__class__, "change", project.pk), data)
    assert response.status_code == 302, response.context["errors"] if response.context else ""
    latest = project.history.latest()
    assert latest.history_user == world["admin_user"]
    assert latest.title == "新标题"


def project_change_data(project, title):
    """The admin change form's POST data for ``project`` with a new title and no inline rows."""
    return {
        "code": project.code,
        "platform": project.platform_id,
        "enterprise": project.enterprise_id,
        "title": title,
        "product": project.product,
        "track": project.track,
        "stage": project.stage,
        "status": project.status,
        "start_on": project.start_on.isoformat(),
        "service_revenue": "1.00",
        "output_value": "2.00",
        "confidentiality": "public",
        "yield_runs-TOTAL_FORMS": "0",
        "yield_runs-INITIAL_FORMS": "0",
        "financings-TOTAL_FORMS": "0",
        "financings-INITIAL_FORMS": "0",
    }


def test_import_batches_are_listed_but_cannot_be_added_or_edited(admin_client_, world):
    from projects.imports.models import ImportBatch

    batch = ImportBatch.objects.create(user=world["admin_user"], file_name="projects.xlsx")
    assert admin_client_.get(admin_url(ImportBatch, "changelist")).status_code == 200
    assert admin_client_.get(admin_url(ImportBatch, "add")).status_code == 403
    response = admin_client_.get(admin_url(ImportBatch, "change", batch.pk))
    assert response.status_code == 200
    assert b'name="_save"' not in response.content


def test_an_admin_edit_makes_a_web_form_opened_before_it_stale(admin_client_, world):
    project = factories.ProjectFactory(platform=world["platform_a"])
    read_version = project.version
    response = admin_client_.post(
        admin_url(project.__class__, "change", project.pk), project_change_data(project, "改")
    )
    assert response.status_code == 302
    project.refresh_from_db()
    assert project.version == read_version + 1
