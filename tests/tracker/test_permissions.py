"""Who may open what: every page × every role, and the write paths that must refuse.

A = platform_a (zone 1), staff_a is its staff; staff_b is staff of platform_b (zone 1);
manager reads zone 1; other_manager reads zone 2; admin_user is a superuser. The project and
the enterprise in the URLs belong to platform A.
"""

import pytest
from django.test import Client
from django.urls import reverse

from projects.models import Project
from tests import factories

pytestmark = pytest.mark.django_db

ROLES = ["anonymous", "staff_a", "staff_b", "manager", "other_manager", "admin_user"]

# view: url name, which object the URL names, then the expected status per role in ROLES order
# (302 for anonymous is the login redirect).
MATRIX = {
    "home": ("home", None, [302, 200, 200, 200, 200, 200]),
    "platform_list": ("platforms:platform_list", None, [302, 200, 200, 200, 200, 200]),
    "platform_export": ("platforms:platform_export", "csv", [302, 200, 200, 200, 200, 200]),
    "platform_detail": ("platforms:platform_detail", "platform", [302, 200, 404, 200, 404, 200]),
    "platform_update": ("platforms:platform_update", "platform", [302, 200, 404, 403, 404, 200]),
    "project_list": ("projects:project_list", None, [302, 200, 200, 200, 200, 200]),
    "project_export_csv": ("projects:project_export", "csv", [302, 200, 200, 200, 200, 200]),
    "project_export_xlsx": ("projects:project_export", "xlsx", [302, 200, 200, 200, 200, 200]),
    "project_create": ("projects:project_create", None, [302, 200, 200, 403, 403, 200]),
    "project_detail": ("projects:project_detail", "project", [302, 200, 404, 200, 404, 200]),
    "project_update": ("projects:project_update", "project", [302, 200, 404, 403, 404, 200]),
    "project_delete": ("projects:project_delete", "project", [302, 200, 404, 403, 404, 200]),
    "enterprise_list": ("projects:enterprise_list", None, [302, 200, 200, 200, 200, 200]),
    "enterprise_export": ("projects:enterprise_export", "csv", [302, 200, 200, 200, 200, 200]),
    "enterprise_detail": (
        "projects:enterprise_detail",
        "enterprise",
        [302, 200, 404, 200, 404, 200],
    ),
    "enterprise_update": (
        "projects:enterprise_update",
        "enterprise",
        [302, 200, 404, 403, 404, 200],
    ),
    "enterprise_suggest": ("projects:enterprise_suggest", None, [302, 200, 200, 403, 403, 200]),
    "password_change": ("password_change", None, [302, 200, 200, 200, 200, 200]),
}


@pytest.fixture
def project(world):
    return factories.ProjectFactory(platform=world["platform_a"])


def url_for(name, target, world, project):
    if target is None:
        return reverse(name)
    if target in ("csv", "xlsx"):
        return reverse(name, kwargs={"export_format": target})
    obj = {"platform": world["platform_a"], "project": project, "enterprise": project.enterprise}
    return reverse(name, args=[obj[target].pk])


def client_for(role, world):
    client = Client()
    if role != "anonymous":
        client.force_login(world[role])
    return client


@pytest.mark.parametrize("role_index", range(len(ROLES)), ids=ROLES)
@pytest.mark.parametrize("view", MATRIX, ids=list(MATRIX))
def test_permission_matrix(view, role_index, world, project):
    name, target, expected = MATRIX[view]
    role = ROLES[role_index]
    response = client_for(role, world).get(url_for(name, target, world, project))
    assert response.status_code == expected[role_index]
    if response.status_code == 302:
        assert response["Location"].startswith(reverse("login"))


@pytest.mark.parametrize(
    ("role", "status"),
    [("anonymous", 302), ("staff_b", 404), ("manager", 403), ("other_manager", 404)],
)
@pytest.mark.parametrize("action", ["project_update", "project_delete"])
def test_writes_by_anyone_but_the_platform_staff_are_refused(world, project, role, status, action):
    url = reverse(f"projects:{action}", args=[project.pk])
    response = client_for(role, world).post(url, {"title": "hacked", "code": "X"})
    assert response.status_code == status
    project.refresh_from_db()
    assert project.title != "hacked"


@pytest.mark.parametrize("role", ["manager", "other_manager"])
def test_a_zone_manager_cannot_create_a_project(world, role):
    response = client_for(role, world).post(reverse("projects:project_create"), {"code": "X"})
    assert response.status_code == 403
    assert not Project.objects.exists()


def test_a_zone_manager_sees_no_edit_buttons(world, project):
    client = client_for("manager", world)
    detail = client.get(project.get_absolute_url()).content.decode()
    assert reverse("projects:project_update", args=[project.pk]) not in detail
    assert reverse("projects:project_delete", args=[project.pk]) not in detail
    listing = client.get(reverse("projects:project_list")).content.decode()
    assert reverse("projects:project_create") not in listing


def test_staff_see_the_edit_button_on_their_own_project(world, project):
    detail = client_for("staff_a", world).get(project.get_absolute_url()).content.decode()
    assert reverse("projects:project_update", args=[project.pk]) in detail


def test_a_post_without_a_csrf_token_is_refused(world, project):
    client = Client(enforce_csrf_checks=True)
    client.force_login(world["staff_a"])
    url = reverse("projects:project_delete", args=[project.pk])
    assert client.post(url).status_code == 403
    assert Project.objects.filter(pk=project.pk).exists()


def test_staff_b_cannot_see_platform_a_in_any_choice_list(world):
    client = client_for("staff_b", world)
    listing = client.get(reverse("projects:project_list"))
    choices = list(listing.context["filter"].form.fields["platform"].queryset)
    assert choices == [world["platform_b"]]
    form = client.get(reverse("projects:project_create")).context["form"]
    assert list(form.fields["platform"].queryset) == [world["platform_b"]]


def test_exports_contain_only_what_the_user_may_see(world, project):
    factories.ProjectFactory(platform=world["platform_c"], code="KUNSHAN-1")
    url = reverse("projects:project_export", kwargs={"export_format": "csv"})
    text = client_for("manager", world).get(url).content.decode("utf-8-sig")
    assert project.code in text
    assert "KUNSHAN-1" not in text
