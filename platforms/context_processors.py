"""What the site's menu offers the signed-in user: only what they may use, asked of
``platforms.access`` (a zone manager is not offered "Import", which would answer 403; only
administrators are offered "Admin")."""

from django.utils.functional import SimpleLazyObject

from . import access


def _menu(user) -> dict:
    return {
        "may_import": access.may_import(user),
        "may_use_admin_site": access.may_use_admin_site(user),
    }


def navigation(request):
    """Lazily, so that a page without the menu (signed out, the 500 page) asks nothing."""
    return {"menu": SimpleLazyObject(lambda: _menu(request.user))}
