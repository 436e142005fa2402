"""What every page's navigation shows: who is signed in, in which role, over which scope."""

from django.utils.functional import SimpleLazyObject
from django.utils.translation import gettext as _


def _describe_role(user) -> dict:
    if not user.is_authenticated:
        return {}
    if user.is_superuser:
        return {"role": _("Administrator"), "scope": _("All zones")}
    platforms = list(user.platform_memberships.values_list("platform__name", flat=True))
    zones = list(user.zone_memberships.values_list("zone__name", flat=True))
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
