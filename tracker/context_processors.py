"""What every page's navigation shows: who is signed in, in which role, over which scope."""

from django.db.models import Value
from django.utils.functional import SimpleLazyObject
from django.utils.translation import gettext as _


def _describe_role(user) -> dict:
    if not user.is_authenticated:
        return {}
    if user.is_superuser:
        return {"role": _("Administrator"), "scope": _("All zones")}
    # One query for both kinds of membership (the menu asks one more: may the user import?).
    staff_of = user.platform_memberships.annotate(kind=Value("platform")).values_list(
        "kind", "platform__name"
    )
    manager_of = user.zone_memberships.annotate(kind=Value("zone")).values_list(
        "kind", "zone__name"
    )
    rows = list(staff_of.order_by().union(manager_of.order_by(), all=True))
    platforms = sorted(name for kind, name in rows if kind == "platform")
    zones = sorted(name for kind, name in rows if kind == "zone")
    roles = []
    if platforms:
        roles.append(_("Platform staff"))
    if zones:
        roles.append(_("Zone manager"))
    return {
        "role": " / ".join(roles) or _("No role yet"),
        "scope": "、".join(zones + platforms),
    }


def user_role(request):
    """Lazily, so that pages which never show the navigation pay no query for it."""
    return {"user_role": SimpleLazyObject(lambda: _describe_role(request.user))}
