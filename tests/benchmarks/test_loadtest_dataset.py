"""The load test's data and server settings (benchmarks/loadtest/dataset.py, run.py): the
workbook it imports must stay importable by its importer, run after run, and its users must be
who the traffic expects. Small data, no server."""

import pytest
from django.contrib.auth import get_user_model

from benchmarks.loadtest import dataset, run
from platforms.models import Platform
from projects.imports.choices import ImportOutcome
from projects.models import Enterprise, Project, YieldRun
from tests import factories
from tests.imports.helpers import run_import

pytestmark = pytest.mark.django_db


def authenticate(username: str, password: str):
    """The user if the password is theirs (the sign-in itself is the load test's first step)."""
    user = get_user_model().objects.get(username=username)
    return user if user.check_password(password) else None


def imported_rows(platform) -> tuple[int, int]:
    projects = Project.objects.filter(
        platform=platform, code__startswith=dataset.IMPORT_CODE_PREFIX
    )
    return projects.count(), YieldRun.objects.filter(project__in=projects).count()


def test_the_workbook_imports_for_its_platform_staff_and_again_after_the_cleanup(tmp_path):
    membership = factories.PlatformMembershipFactory()
    path = tmp_path / "loadtest.xlsx"
    dataset.write_workbook(path, 40, membership.platform.name)

    batch = run_import(path, user=membership.user)
    assert batch.outcome == ImportOutcome.IMPORTED, batch.errors[:3]
    assert imported_rows(membership.platform) == (40, 80)
    assert Enterprise.objects.filter(uscc__startswith=dataset.USCC_PREFIX).count() == 2

    # The next run starts from the same state: the imported projects and their new clients go.
    dataset.remove_previous_import(lambda text: None)
    assert imported_rows(membership.platform) == (0, 0)
    assert not Enterprise.objects.filter(uscc__startswith=dataset.USCC_PREFIX).exists()
    batch = run_import(path, user=membership.user)
    assert batch.outcome == ImportOutcome.IMPORTED, batch.errors[:3]
    assert imported_rows(membership.platform) == (40, 80)


def test_the_cleanup_keeps_every_other_project():
    kept = factories.ProjectFactory(code="P-KEEP-1")
    dataset.remove_previous_import(lambda text: None)
    assert Project.objects.filter(pk=kept.pk).exists()


def test_users_writers_on_the_largest_platforms_managers_of_the_largest_zone():
    big_zone, small_zone = factories.ZoneFactory(), factories.ZoneFactory()
    big = [factories.PlatformFactory(zone=big_zone) for _ in range(2)]
    small = factories.PlatformFactory(zone=small_zone)
    for platform in big:
        factories.ProjectFactory.create_batch(3, platform=platform)
    factories.ProjectFactory.create_batch(4, platform=small)

    plan = dataset.prepare_users(
        writers=4, managers=2, hot_projects=3, password="load-pw", say=lambda text: None
    )

    assert plan["zone"] == big_zone.pk  # 6 projects against 4
    assert len(plan["writers"]) == 4
    for writer in plan["writers"]:
        user = authenticate(username=writer["username"], password="load-pw")
        assert user is not None
        own = Project.objects.filter(platform__memberships__user=user)
        assert sorted(writer["projects"]) == list(
            own.order_by("pk").values_list("pk", flat=True)[:3]
        )
        assert len(writer["projects"]) == 3
    # Two writers per platform, the platform with the most projects first.
    platforms = [
        Platform.objects.get(memberships__user__username=w["username"]) for w in plan["writers"]
    ]
    assert platforms[0] == platforms[1] == small
    assert platforms[2] == platforms[3] != small
    managers = [m["username"] for m in plan["managers"]]
    assert len(managers) == 2
    for name in managers:
        user = authenticate(username=name, password="load-pw")
        assert list(user.zone_memberships.values_list("zone", flat=True)) == [big_zone.pk]
    importer = plan["importer"]
    assert Platform.objects.get(name=importer["platform"]).zone == big_zone
    assert authenticate(username=importer["username"], password="load-pw") is not None
    assert set(plan["zone_platforms"]) >= {platform.pk for platform in big}

    # Run again (a new password): the same accounts, reset, no duplicate memberships.
    again = dataset.prepare_users(
        writers=4, managers=2, hot_projects=3, password="other-pw", say=lambda text: None
    )
    assert again["writers"] == plan["writers"]
    assert authenticate(username=managers[0], password="other-pw") is not None
    assert authenticate(username=managers[0], password="load-pw") is None


def test_the_server_runs_with_production_settings_on_its_own_redis_database():
    env = run.server_environment("postgres://postgres@127.0.0.1:5432/loadtest")
    assert env["DEBUG"] == "0"
    assert env["ALLOWED_HOSTS"] == "127.0.0.1"
    assert env["SECURE_SSL_REDIRECT"] == "0"
    assert len(env["SECRET_KEY"]) >= 50
    assert env["SECRET_KEY"] != run.server_environment("x")["SECRET_KEY"]
    assert env["DATABASE_URL"].endswith("/loadtest")
    assert env["REDIS_URL"] == "redis://127.0.0.1:6379/6"
    assert env["CELERY_BROKER_URL"]
