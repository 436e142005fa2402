"""Who may do what: the one module every view, form, export, import, report and cache asks.

There are three roles, given by membership rows, never by flags on pages:

* **Administrator**: an *active* superuser. Sees and changes everything, including reference
  data (zones, a platform's zone, status, sector and construction model, recognition lists,
  recognitions, province totals), through the admin site or an import.
* **Platform staff** (``PlatformMembership``): read and write their own platforms' projects,
  yield runs and financing; update the descriptive fields of their own platforms
  (``PLATFORM_STAFF_FIELDS``) and nothing else about them. Another platform's record does not
  exist for them (404).
* **Zone manager** (``ZoneMembership``): read every record of their zones, export, review (approve
  or return) their zones' period returns; never write a record (403).

A user may hold both staff and manager memberships; each right is the union of what the
memberships give. An inactive or anonymous user has no right at all.

The actions, and the function that decides each:

===================  ==========================================================================
see                  ``platforms_visible_to`` / ``projects_visible_to`` / ``enterprises_visible_to``
edit                 ``platforms_editable_by`` / ``projects_editable_by``
edit platform field  ``platform_fields_editable_by``
link an enterprise   ``enterprises_linkable_by`` / ``may_link_enterprise``
change an enterprise ``enterprises_changeable_by`` / ``may_change_enterprise``
import               ``may_import``
unmask               ``unmasked_projects_q`` / ``unmasking_platforms_q`` / ``may_unmask``
review returns       ``zones_reviewable_by`` / ``may_review_zone``
period returns       ``returns_visible_to`` / ``may_fill_return`` / ``may_review_return`` /
                     ``may_reopen_return`` / ``may_open_round``
reference data       ``may_change_reference_data``
admin site           ``may_use_admin_site``
===================  ==========================================================================

Every rule is written once, here, as a queryset filter (so lists, exports and reports scope in
SQL) and, where a single object is asked about, as a predicate built on the same filter. The
model managers (``Platform.objects.visible_to(user)`` ...) delegate to these functions; no other
module re-writes a rule.
"""

from django.db.models import Exists, OuterRef, Q

# Descriptive fields of a platform its own staff may update (web or import); everything else
# about a platform (zone, status, sector, construction model, recognitions, name, operator) is
# reference data that only administrators change.
PLATFORM_STAFF_FIELDS = frozenset({"name_en", "description", "contact_name", "contact_phone"})


# --------------------------------------------------------------------------------------------
# Who the user is


def is_signed_in(user) -> bool:
    """An authenticated, active account. Everything below starts from this."""
    return user is not None and user.is_authenticated and user.is_active


def has_full_access(user) -> bool:
    """An active superuser: sees and edits everything, so no membership filter applies.

    Callers use it to skip a filter that would match every row (an IN over all platforms
    only slows a scan of a million projects), never to grant anything the querysets don't.
    """
    return is_signed_in(user) and user.is_superuser


def _memberships():
    # Imported here: the models import this module for their managers.
    from platforms.models import PlatformMembership, ZoneMembership

    return PlatformMembership, ZoneMembership


def staff_platform_ids(user):
    """Subquery of the ids of the platforms the user is staff of."""
    platform_membership, _zone_membership = _memberships()
    return platform_membership.objects.filter(user=user).values("platform_id")


def managed_zone_ids(user):
    """Subquery of the ids of the zones the user manages."""
    _platform_membership, zone_membership = _memberships()
    return zone_membership.objects.filter(user=user).values("zone_id")


def is_platform_staff(user) -> bool:
    return is_signed_in(user) and user.platform_memberships.exists()


def is_zone_manager(user) -> bool:
    return is_signed_in(user) and user.zone_memberships.exists()


# --------------------------------------------------------------------------------------------
# Platforms and zones


def platforms_visible_to(platforms, user):
    """Platforms a user may read: their own (staff), every one in a managed zone (manager)."""
    if has_full_access(user):
        return platforms
    if not is_signed_in(user):
        return platforms.none()
    return platforms.filter(
        Q(pk__in=staff_platform_ids(user)) | Q(zone_id__in=managed_zone_ids(user))
    )


def platforms_editable_by(platforms, user):
    """Platforms whose records (projects, runs, financing) a user may write: staff only."""
    if has_full_access(user):
        return platforms
    if not is_signed_in(user):
        return platforms.none()
    return platforms.filter(pk__in=staff_platform_ids(user))


def zones_visible_to(zones, user):
    """Zones a user can see: managed zones plus the zones of the user's platforms."""
    from platforms.models import Platform

    if has_full_access(user):
        return zones
    if not is_signed_in(user):
        return zones.none()
    return zones.filter(pk__in=platforms_visible_to(Platform.objects.all(), user).values("zone_id"))


def can_see_platform(user, platform) -> bool:
    return platforms_visible_to(type(platform).objects.filter(pk=platform.pk), user).exists()


def can_edit_platform(user, platform) -> bool:
    return platforms_editable_by(type(platform).objects.filter(pk=platform.pk), user).exists()


def platform_fields_editable_by(user, platform) -> frozenset | None:
    """Which fields of ``platform`` the user may change: ``None`` means every field
    (administrator), an empty set none at all (manager, other platform's staff)."""
    if has_full_access(user):
        return None
    if platform is not None and platform.pk is not None and can_edit_platform(user, platform):
        return PLATFORM_STAFF_FIELDS
    return frozenset()


def may_change_reference_data(user) -> bool:
    """Zones, a platform's zone/status/sector/construction model, recognition lists,
    recognitions and province totals: administrators only."""
    return has_full_access(user)


def may_use_admin_site(user) -> bool:
    """The admin site is the administrators' back office (``platforms.admin_site``): an
    ``is_staff`` flag set by mistake on a manager or a platform's staff opens nothing there, and
    the site's menu offers "Admin" to administrators only."""
    return has_full_access(user)


# --------------------------------------------------------------------------------------------
# Projects (and their runs and financing, which follow their project)


def projects_visible_to(projects, user):
    """Projects of the platforms the user may read.

    A superuser's queryset stays unfiltered (not "platform IN all platforms"), so that the
    planner can walk an index for the first page and skip the semi-join over every row.
    """
    from platforms.models import Platform

    if has_full_access(user):
        return projects.all()
    return projects.filter(
        platform_id__in=platforms_visible_to(Platform.objects.all(), user).values("pk")
    )


def projects_editable_by(projects, user):
    """Projects of the platforms the user is staff of."""
    from platforms.models import Platform

    if has_full_access(user):
        return projects.all()
    return projects.filter(
        platform_id__in=platforms_editable_by(Platform.objects.all(), user).values("pk")
    )


def unmasked_projects_q(user, prefix: str = "") -> Q:
    """Condition true for the projects whose hidden text (title, product, description) the
    user may read: every project that is not confidential, and a confidential one only for its
    own platform's staff and administrators. Everyone else sees "Confidential project" and the
    figures. ``prefix`` reaches the project from another model (e.g. ``"project__"``).
    """
    from projects.choices import Confidentiality

    if has_full_access(user):
        return Q()
    public = ~Q(**{f"{prefix}confidentiality": Confidentiality.CONFIDENTIAL})
    if not is_signed_in(user):
        return public
    return public | Q(**{f"{prefix}platform_id__in": staff_platform_ids(user)})


def unmasking_platforms_q(user, prefix: str = "") -> Q | None:
    """Condition on platforms: those whose confidential projects the user reads unmasked (the
    same rule as ``unmasked_projects_q``: own platforms' staff, administrators everywhere).
    ``None`` means every platform. The report cache keys what a user sees by it, so that users
    who see the same platforms the same way share entries."""
    if has_full_access(user):
        return None
    if not is_signed_in(user):
        return Q(**{f"{prefix}pk__in": []})
    return Q(**{f"{prefix}pk__in": staff_platform_ids(user)})


def may_unmask(user, project) -> bool:
    from projects.choices import Confidentiality

    if project.confidentiality != Confidentiality.CONFIDENTIAL or has_full_access(user):
        return True
    return (
        is_signed_in(user)
        and user.platform_memberships.filter(platform_id=project.platform_id).exists()
    )


# --------------------------------------------------------------------------------------------
# Enterprises: shared by every platform that serves them


def enterprises_visible_to(enterprises, user):
    """Enterprises a user may see: clients of at least one project the user may see."""
    from projects.models import Project

    if has_full_access(user):
        return enterprises
    visible = projects_visible_to(Project.objects.all(), user)
    return enterprises.filter(pk__in=visible.values("enterprise_id"))


def enterprises_linkable_by(enterprises, user):
    """Enterprises a user may name as a project's client by picking them: clients of at least
    one project of the user's own platforms. (Any other existing enterprise can only be linked
    by typing its exact name and credit code together: ``may_link_enterprise``.)"""
    from projects.models import Project

    if has_full_access(user):
        return enterprises
    own = projects_editable_by(Project.objects.all(), user)
    return enterprises.filter(pk__in=own.values("enterprise_id"))


def names_enterprise_exactly(enterprise, name) -> bool:
    """Is ``name`` the enterprise's full registered name, exactly (surrounding spaces aside)?

    The proof ``may_link_enterprise`` accepts for a client of another platform.

    No case folding, no partial match, no look-alike forgiveness: the point is to prove that
    the user already knows the company, and a near miss proves nothing.
    """
    if name is None:
        return False
    name = str(name).strip()
    return bool(name) and name == enterprise.name


def may_link_enterprise(user, enterprise, *, name: str | None = None) -> bool:
    """May ``user`` make ``enterprise`` the client of one of their projects?

    Yes if it is already a client of one of their platforms, or if the user typed its full
    exact name together with its credit code (knowing both proves they deal with that company;
    the credit code alone is public and guessable, and would expose the client's name). Only a
    user who may write at all links anything. The link changes nothing about the enterprise.
    """
    if not may_write_anything(user):
        return False
    if names_enterprise_exactly(enterprise, name):
        return True
    return enterprises_linkable_by(type(enterprise).objects.filter(pk=enterprise.pk), user).exists()


def enterprises_changeable_by(enterprises, user):
    """Enterprises whose name or attributes a user may change: those every project of which
    belongs to the user's platforms (at least one). An enterprise another platform also serves
    is changed by an administrator, so that no platform rewrites another's client."""
    from projects.models import Project

    if has_full_access(user):
        return enterprises
    if not is_signed_in(user):
        return enterprises.none()
    own = projects_editable_by(Project.objects.all(), user)
    foreign = Project.objects.filter(enterprise_id=OuterRef("pk")).exclude(
        platform_id__in=staff_platform_ids(user)
    )
    return enterprises.filter(pk__in=own.values("enterprise_id")).exclude(Exists(foreign))


def may_change_enterprise(user, enterprise) -> bool:
    if enterprise.pk is None:
        return may_write_anything(user)
    return enterprises_changeable_by(
        type(enterprise).objects.filter(pk=enterprise.pk), user
    ).exists()


# --------------------------------------------------------------------------------------------
# Writing at all, importing


def may_write_anything(user) -> bool:
    """Staff of at least one platform, or an administrator: may open the data-entry pages."""
    return has_full_access(user) or is_platform_staff(user)


def may_import(user) -> bool:
    """Platform staff (their own platforms' rows) and administrators; never a zone manager."""
    return may_write_anything(user)


def import_batches_visible_to(batches, user):
    """The import batches (a queryset) a user may look at: their own; an administrator's: all."""
    return batches if has_full_access(user) else batches.filter(user=user)


# --------------------------------------------------------------------------------------------
# Reviewing period returns


def zones_reviewable_by(zones, user):
    """Zones whose period returns a user may approve or send back: managed zones (admins all)."""
    if has_full_access(user):
        return zones
    if not is_signed_in(user):
        return zones.none()
    return zones.filter(pk__in=managed_zone_ids(user))


def may_review_zone(user, zone) -> bool:
    return zones_reviewable_by(type(zone).objects.filter(pk=zone.pk), user).exists()


def returns_visible_to(returns, user):
    """Period returns a user may read: those of the platforms the user may see (staff their
    own, managers their zones', administrators all). Anything else does not exist (404)."""
    from platforms.models import Platform

    if has_full_access(user):
        return returns
    return returns.filter(platform__in=platforms_visible_to(Platform.objects.all(), user))


def may_fill_return(user, period_return) -> bool:
    """Save the manual fields, upload evidence, submit: the platform's own staff (and
    administrators); a zone manager never edits a return's figures or fields."""
    return has_full_access(user) or (
        is_signed_in(user)
        and user.platform_memberships.filter(platform_id=period_return.platform_id).exists()
    )


def own_returns(returns, user):
    """The returns of the platforms the user is staff of (the home page's "your returns"; an
    administrator's home lists none rather than every platform's)."""
    if not is_signed_in(user):
        return returns.none()
    return returns.filter(platform_id__in=staff_platform_ids(user))


def may_review_return(user, period_return) -> bool:
    """Approve or send back: the managers of the platform's zone (and administrators)."""
    return has_full_access(user) or (
        is_signed_in(user)
        and user.zone_memberships.filter(zone_id=period_return.platform.zone_id).exists()
    )


def may_reopen_return(user) -> bool:
    """Unlock an approved return (with a recorded reason): administrators only."""
    return has_full_access(user)


def may_open_round(user, zone) -> bool:
    """Open a reporting round: for one zone its managers (and administrators); for every zone
    (``zone`` None) administrators only."""
    if zone is None:
        return has_full_access(user)
    return may_review_zone(user, zone)


# --------------------------------------------------------------------------------------------
# Caches


def visibility_key(user) -> str:
    """A cache-key part that is equal for users who see exactly the same data the same way.

    Administrators share one key. Anyone else is keyed by the platforms they are staff of and
    the zones they manage (sorted ids), not by user id, so every manager of one zone shares the
    zone's cached figures; staff membership is part of it because it unmasks confidential text.
    """
    if has_full_access(user):
        return "all"
    if not is_signed_in(user):
        return "none"
    staff = sorted(user.platform_memberships.values_list("platform_id", flat=True))
    zones = sorted(user.zone_memberships.values_list("zone_id", flat=True))
    return "p{}-z{}".format(".".join(map(str, staff)), ".".join(map(str, zones)))


# --------------------------------------------------------------------------------------------
# Zone targets


def zones_with_targets_visible_to(zones, user):
    """Zones whose policy targets and progress a user sees: managed zones (admins all).

    Progress is the whole zone's; platform staff see only their own platforms' records, so a
    zone's progress would be neither theirs nor true for them.
    """
    return zones_reviewable_by(zones, user)


def has_zone_dashboard_home(user) -> bool:
    """A zone manager who is nobody's platform staff lands on the zone dashboard; staff (who
    enter data) and administrators keep the platform cards."""
    return not has_full_access(user) and is_zone_manager(user) and not is_platform_staff(user)
