"""The role × action × object matrix: ``platforms.access`` directly, then through the pages.

Ten roles over one small world. Zone 1 (成都) hosts platforms A and B, zone 2 (昆山) hosts C.

=============  ==================================================================
anonymous      not signed in
no_role        signed in, no membership
inactive_root  a superuser whose account is deactivated: no right at all
staff_a        staff of A           staff_b   staff of B (A's zone mate)
staff_c        staff of C (the other zone)
manager_1      manages zone 1       manager_2  manages zone 2
staff_b_mgr_1  staff of B *and* manager of zone 1: reads A, edits only B
admin          an active superuser
=============  ==================================================================

Objects: project P of A (confidential), its client E_A (served by A only), E_C (served by C
only), E_AC (served by A and C).

``MODULE`` asks the access functions (15 actions × 10 roles = 150 cells); ``VIEWS`` performs
the same actions through the web pages and imports (13 actions × 10 roles = 130 cells): 280
cells in all. Where a rule has both a queryset form (for lists) and a predicate (for one
object), a module cell checks that both agree.
"""

import pytest
from django.contrib.auth.models import AnonymousUser
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse

from platforms import access
from platforms.choices import PlatformStatus
from platforms.models import Platform, Zone
from projects.choices import Confidentiality
from projects.imports.choices import ImportOutcome
from projects.imports.models import ImportBatch
from projects.models import Enterprise, Project
from tests import factories
from tests.imports.helpers import write_xlsx
from tests.workspace import english, form_data, new_project_data

pytestmark = pytest.mark.django_db

ROLES = (
    "anonymous",
    "no_role",
    "inactive_root",
    "staff_a",
    "staff_b",
    "staff_c",
    "manager_1",
    "manager_2",
    "staff_b_mgr_1",
    "admin",
)


def table(text: str, prefix: str) -> dict:
    """A matrix written as text: one line per action (the function ``<prefix><action>`` of this
    module), then one cell per role in ``ROLES`` order → {function: {role: cell}}."""
    rows = {}
    for line in text.strip().splitlines():
        if line.startswith("#"):
            continue
        action, *cells = line.split()
        assert len(cells) == len(ROLES), line
        rows[globals()[prefix + action]] = dict(zip(ROLES, cells, strict=True))
    return rows


@pytest.fixture
def cast(world):
    """The ten users and the objects of the matrix."""
    staff_b_mgr_1 = factories.PlatformMembershipFactory(platform=world["platform_b"]).user
    factories.ZoneMembershipFactory(user=staff_b_mgr_1, zone=world["zone1"])
    users = {
        "anonymous": AnonymousUser(),
        "no_role": factories.UserFactory(),
        "inactive_root": factories.UserFactory(is_superuser=True, is_staff=True, is_active=False),
        "staff_a": world["staff_a"],
        "staff_b": world["staff_b"],
        "staff_c": factories.PlatformMembershipFactory(platform=world["platform_c"]).user,
        "manager_1": world["manager"],
        "manager_2": world["other_manager"],
        "staff_b_mgr_1": staff_b_mgr_1,
        "admin": world["admin_user"],
    }
    project = factories.ProjectFactory(
        platform=world["platform_a"],
        code="A-P",
        title="保密的产品路线",
        confidentiality=Confidentiality.CONFIDENTIAL,
        enterprise__name="甲方客户有限公司",
    )
    served_by_c = factories.ProjectFactory(
        platform=world["platform_c"], enterprise__name="昆山客户有限公司"
    ).enterprise
    shared = factories.ProjectFactory(
        platform=world["platform_a"], enterprise__name="共同客户有限公司"
    ).enterprise
    factories.ProjectFactory(platform=world["platform_c"], enterprise=shared)
    return {
        "users": users,
        "project": project,
        "e_a": project.enterprise,
        "e_c": served_by_c,
        "e_ac": shared,
        "platform": world["platform_a"],
        "zone": world["zone1"],
        # The platform each role creates its projects on (theirs, or A when they have none).
        "home": {
            "staff_b": world["platform_b"],
            "staff_b_mgr_1": world["platform_b"],
            "staff_c": world["platform_c"],
        },
    }


# --------------------------------------------------------------------------------------------
# The access module


def _one(queryset, obj) -> bool:
    return queryset.filter(pk=obj.pk).exists()


def see_project(cast, user):
    return _one(access.projects_visible_to(Project.objects.all(), user), cast["project"])


def edit_project(cast, user):
    return _one(access.projects_editable_by(Project.objects.all(), user), cast["project"])


def see_platform(cast, user):
    in_list = _one(access.platforms_visible_to(Platform.objects.all(), user), cast["platform"])
    assert access.can_see_platform(user, cast["platform"]) == in_list
    return in_list


def _platform_fields(cast, user):
    fields = access.platform_fields_editable_by(user, cast["platform"])
    assert fields is None or fields <= access.PLATFORM_STAFF_FIELDS
    return fields


def edit_platform_staff_fields(cast, user):
    fields = _platform_fields(cast, user)
    return fields is None or fields == access.PLATFORM_STAFF_FIELDS


def edit_platform_protected_fields(cast, user):
    # ``None`` means every field: zone, status, sector, construction model, operator...
    return _platform_fields(cast, user) is None


def _link(cast, user, key, **kwargs):
    enterprise = cast[key]
    allowed = access.may_link_enterprise(user, enterprise, **kwargs)
    if not kwargs:  # the picking rule has a queryset form too (the form's suggestions)
        listed = _one(access.enterprises_linkable_by(Enterprise.objects.all(), user), enterprise)
        assert listed == allowed
    return allowed


def link_a_client_by_code(cast, user):
    return _link(cast, user, "e_a")


def link_c_client_by_code(cast, user):
    return _link(cast, user, "e_c")


def link_c_client_by_exact_name(cast, user):
    return _link(cast, user, "e_c", name=f"  {cast['e_c'].name} ")


def link_c_client_by_near_name(cast, user):
    return _link(cast, user, "e_c", name=cast["e_c"].name[:-1])


def _change(cast, user, key):
    enterprise = cast[key]
    allowed = access.may_change_enterprise(user, enterprise)
    listed = _one(access.enterprises_changeable_by(Enterprise.objects.all(), user), enterprise)
    assert listed == allowed
    return allowed


def change_exclusive_client(cast, user):
    return _change(cast, user, "e_a")


def change_shared_client(cast, user):
    return _change(cast, user, "e_ac")


def import_(cast, user):
    return access.may_import(user)


def unmask(cast, user):
    allowed = access.may_unmask(user, cast["project"])
    in_sql = Project.objects.filter(access.unmasked_projects_q(user), pk=cast["project"].pk)
    assert in_sql.exists() == allowed
    return allowed


def review_zone_1(cast, user):
    allowed = access.may_review_zone(user, cast["zone"])
    assert _one(access.zones_reviewable_by(Zone.objects.all(), user), cast["zone"]) == allowed
    return allowed


def reference_data(cast, user):
    return access.may_change_reference_data(user)


# "y" allowed, "." refused.
MODULE = table(
    """
#                                anon  none  inact stA   stB   stC   mg1   mg2   stB+1 admin
see_project                      .     .     .     y     .     .     y     .     y     y
edit_project                     .     .     .     y     .     .     .     .     .     y
see_platform                     .     .     .     y     .     .     y     .     y     y
edit_platform_staff_fields       .     .     .     y     .     .     .     .     .     y
edit_platform_protected_fields   .     .     .     .     .     .     .     .     .     y
link_a_client_by_code            .     .     .     y     .     .     .     .     .     y
link_c_client_by_code            .     .     .     .     .     y     .     .     .     y
link_c_client_by_exact_name      .     .     .     y     y     y     .     .     y     y
link_c_client_by_near_name       .     .     .     .     .     y     .     .     .     y
change_exclusive_client          .     .     .     y     .     .     .     .     .     y
change_shared_client             .     .     .     .     .     .     .     .     .     y
import_                          .     .     .     y     y     y     .     .     y     y
unmask                           .     .     .     y     .     .     .     .     .     y
review_zone_1                    .     .     .     .     .     .     y     .     y     y
reference_data                   .     .     .     .     .     .     .     .     .     y
""",
    prefix="",
)


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("action", MODULE, ids=lambda action: action.__name__)
def test_the_access_module(cast, action, role):
    assert action(cast, cast["users"][role]) == (MODULE[action][role] == "y")


# --------------------------------------------------------------------------------------------
# The same actions through the pages
#
# Outcomes: "login" (sent to the sign-in page), "404", "403", "200" (page shown), "ok" (the
# write happened; for an import: the check passed and the file would be written), "no" (the
# form or the import check refused it and nothing was written).


def client_for(cast, role) -> Client:
    client = english(Client())
    if role != "anonymous":
        client.force_login(cast["users"][role])
    return client


def admin_client(cast) -> Client:
    return client_for(cast, "admin")


def _status(response, *, done_when=None) -> str:
    if response.status_code == 302 and response["Location"].startswith(reverse("login")):
        return "login"
    if response.status_code in (403, 404, 200):
        return str(response.status_code)
    if response.status_code == 400:
        return "no"
    assert response.status_code == 302, response.status_code
    assert done_when is not None and done_when(), "redirected without doing it"
    return "ok"


def view_see_project(cast, role):
    return _status(client_for(cast, role).get(cast["project"].get_absolute_url()))


def view_edit_project(cast, role):
    project = cast["project"]
    url = reverse("projects:project_update", args=[project.pk])
    data = form_data(admin_client(cast).get(url))
    data["title"] = "改过的标题"
    response = client_for(cast, role).post(url, data)
    changed = Project.objects.filter(pk=project.pk, title="改过的标题").exists
    outcome = _status(response, done_when=changed)
    assert changed() == (outcome == "ok")
    return outcome


def view_delete_project(cast, role):
    project = cast["project"]
    response = client_for(cast, role).post(reverse("projects:project_delete", args=[project.pk]))

    def gone():
        return not Project.objects.filter(pk=project.pk).exists()

    outcome = _status(response, done_when=gone)
    assert gone() == (outcome == "ok")
    return outcome


def view_see_platform(cast, role):
    return _status(client_for(cast, role).get(cast["platform"].get_absolute_url()))


def view_edit_platform_staff_fields(cast, role):
    platform = cast["platform"]
    url = reverse("platforms:platform_update", args=[platform.pk])
    response = client_for(cast, role).post(url, {"description": "新简介", "contact_name": "张明"})
    changed = Platform.objects.filter(pk=platform.pk, description="新简介").exists
    outcome = _status(response, done_when=changed)
    assert changed() == (outcome == "ok")
    return outcome


def web_import(cast, role, sheets, tmp_path) -> str:
    """Upload and check a workbook as ``role``: "ok" when it would be written (previewed),
    "no" when the check found errors; the write step itself is the import tests' job."""
    path = write_xlsx(tmp_path / f"{role}.xlsx", sheets)
    client = client_for(cast, role)
    upload = SimpleUploadedFile(path.name, path.read_bytes())
    response = client.post(reverse("imports:upload"), {"file": upload})
    if response.status_code != 302 or response["Location"].startswith(reverse("login")):
        return _status(response)
    batch = ImportBatch.objects.latest("pk")
    return {ImportOutcome.PREVIEWED: "ok", ImportOutcome.INVALID: "no"}[batch.outcome]


def view_edit_platform_protected_fields(cast, role, tmp_path):
    platform = cast["platform"]
    header = ["name", "zone", "sector", "status"]
    values = [platform.name, platform.zone.name, platform.sector, PlatformStatus.CLOSED]
    return web_import(cast, role, {"platforms": [header, values]}, tmp_path)


def _create_project(cast, role, reference):
    platform = cast["home"].get(role, cast["platform"])
    data = new_project_data(
        admin_client(cast),
        platform,
        code="NEW-1",
        enterprise_ref=reference,
        new_enterprise_name="",
        new_enterprise_uscc="",
    )
    response = client_for(cast, role).post(reverse("projects:project_create"), data)
    created = Project.objects.filter(code="NEW-1").exists
    outcome = _status(response, done_when=created)
    assert created() == (outcome == "ok")
    return outcome


def view_link_a_client_by_code(cast, role):
    return _create_project(cast, role, cast["e_a"].uscc)


def view_link_c_client_by_code(cast, role):
    return _create_project(cast, role, cast["e_c"].uscc)


def view_link_c_client_by_exact_name(cast, role):
    return _create_project(cast, role, f"{cast['e_c'].name} {cast['e_c'].uscc}")


def _rename(cast, role, key, tmp_path):
    enterprise = cast[key]
    sheets = {"enterprises": [["uscc", "name"], [enterprise.uscc, "改名后的公司"]]}
    outcome = web_import(cast, role, sheets, tmp_path)
    enterprise.refresh_from_db()
    assert enterprise.name != "改名后的公司"  # checked only: nothing is written yet
    return outcome


def view_change_exclusive_client(cast, role, tmp_path):
    return _rename(cast, role, "e_a", tmp_path)


def view_change_shared_client(cast, role, tmp_path):
    return _rename(cast, role, "e_ac", tmp_path)


def view_import(cast, role):
    return _status(client_for(cast, role).get(reverse("imports:upload")))


def view_reference_data(cast, role):
    url = reverse("admin:platforms_platform_change", args=[cast["platform"].pk])
    response = client_for(cast, role).get(url)
    if response.status_code == 302 and response["Location"].startswith(reverse("admin:login")):
        return "login"
    return _status(response)


VIEWS = table(
    """
#                                anon  none  inact stA   stB   stC   mg1   mg2   stB+1 admin
see_project                      login 404   login 200   404   404   200   404   200   200
edit_project                     login 404   login ok    404   404   403   404   403   ok
delete_project                   login 404   login ok    404   404   403   404   403   ok
see_platform                     login 404   login 200   404   404   200   404   200   200
edit_platform_staff_fields       login 404   login ok    404   404   403   404   403   ok
edit_platform_protected_fields   login 403   login no    no    no    403   403   no    ok
link_a_client_by_code            login 403   login ok    no    no    403   403   no    ok
link_c_client_by_code            login 403   login no    no    ok    403   403   no    ok
link_c_client_by_exact_name      login 403   login ok    ok    ok    403   403   ok    ok
change_exclusive_client          login 403   login ok    no    no    403   403   no    ok
change_shared_client             login 403   login no    no    no    403   403   no    ok
import                           login 403   login 200   200   200   403   403   200   200
reference_data                   login login login login login login login login login 200
""",
    prefix="view_",
)
NEEDS_FILES = {
    view_edit_platform_protected_fields,
    view_change_exclusive_client,
    view_change_shared_client,
}


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("action", VIEWS, ids=lambda action: action.__name__)
def test_the_pages(cast, action, role, tmp_path, settings):
    extra = (tmp_path,) if action in NEEDS_FILES else ()
    assert action(cast, role, *extra) == VIEWS[action][role]


def test_the_matrix_size():
    """Stated in the module docstring and the issue's closing note: keep them true."""
    assert (len(MODULE), len(VIEWS), len(ROLES)) == (15, 13, 10)
    assert len(MODULE) * len(ROLES) + len(VIEWS) * len(ROLES) == 280
