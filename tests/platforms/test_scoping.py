"""Who sees what: one set of queryset methods decides, for every view, export and report."""

import pytest
from django.contrib.auth.models import AnonymousUser

from platforms.models import Platform, Zone
from projects.models import Enterprise, Project
from tests import factories

pytestmark = pytest.mark.django_db


@pytest.fixture
def projects(world):
    return {
        key: factories.ProjectFactory(platform=world[f"platform_{key}"]) for key in ("a", "b", "c")
    }


def visible_codes(user):
    return set(Project.objects.visible_to(user).values_list("code", flat=True))


def editable_codes(user):
    return set(Project.objects.editable_by(user).values_list("code", flat=True))


def test_platform_staff_see_and_edit_only_their_platform(world, projects):
    assert visible_codes(world["staff_a"]) == {projects["a"].code}
    assert editable_codes(world["staff_a"]) == {projects["a"].code}


def test_zone_manager_sees_every_platform_of_the_zone_but_edits_nothing(world, projects):
    assert visible_codes(world["manager"]) == {projects["a"].code, projects["b"].code}
    assert editable_codes(world["manager"]) == set()
    assert set(Zone.objects.visible_to(world["manager"])) == {world["zone1"]}


def test_manager_of_another_zone_sees_only_that_zone(world, projects):
    assert visible_codes(world["other_manager"]) == {projects["c"].code}


def test_superuser_sees_and_edits_everything(world, projects):
    everything = {p.code for p in projects.values()}
    assert visible_codes(world["admin_user"]) == everything
    assert editable_codes(world["admin_user"]) == everything


def test_anonymous_and_inactive_users_see_nothing(world, projects):
    assert visible_codes(AnonymousUser()) == set()
    world["manager"].is_active = False
    assert visible_codes(world["manager"]) == set()
    assert not Platform.objects.visible_to(None).exists()


def test_user_with_both_roles_sees_the_union_and_edits_only_own_platform(world, projects):
    factories.ZoneMembershipFactory(user=world["staff_a"], zone=world["zone2"])
    assert visible_codes(world["staff_a"]) == {projects["a"].code, projects["c"].code}
    assert editable_codes(world["staff_a"]) == {projects["a"].code}


def test_enterprises_are_visible_through_visible_projects(world, projects):
    visible = set(Enterprise.objects.visible_to(world["staff_b"]))
    assert visible == {projects["b"].enterprise}


def test_an_inactive_superuser_sees_nothing_anywhere(world, projects):
    world["admin_user"].is_active = False
    assert visible_codes(world["admin_user"]) == set()
    assert editable_codes(world["admin_user"]) == set()
    assert not Enterprise.objects.visible_to(world["admin_user"]).exists()
