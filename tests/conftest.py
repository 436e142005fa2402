"""Shared fixtures: a small two-platform world with one user per role.

Platform A and B are in zone 1; platform C in zone 2. ``staff_a`` edits A, ``staff_b`` edits B,
``manager`` reads zone 1, ``other_manager`` reads zone 2, ``admin_user`` is a superuser.
"""

import pytest

from tests import factories
from tests.report_fixtures import (  # noqa: F401 (fixtures of the report tests)
    empty_report_cache,
    fast_passwords,
    report_world,
)


@pytest.fixture(autouse=True)
def fast_password_hashing(settings):
    """PBKDF2's deliberate slowness protects real passwords, not test users."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture
def world(db):
    zone1 = factories.ZoneFactory(name="成都高新区")
    zone2 = factories.ZoneFactory(name="昆山高新区")
    platform_a = factories.PlatformFactory(zone=zone1, name="蜂鸟平台")
    platform_b = factories.PlatformFactory(zone=zone1, name="另一平台")
    platform_c = factories.PlatformFactory(zone=zone2, name="昆山平台")
    users = {
        "staff_a": factories.PlatformMembershipFactory(platform=platform_a).user,
        "staff_b": factories.PlatformMembershipFactory(platform=platform_b).user,
        "manager": factories.ZoneMembershipFactory(zone=zone1).user,
        "other_manager": factories.ZoneMembershipFactory(zone=zone2).user,
        "admin_user": factories.UserFactory(username="root", is_superuser=True, is_staff=True),
    }
    return {
        "zone1": zone1,
        "zone2": zone2,
        "platform_a": platform_a,
        "platform_b": platform_b,
        "platform_c": platform_c,
        **users,
    }
