"""Who may import: platform staff (their own platforms' rows) and superusers, nobody else.

Zone managers read everything in their zone but never write, so they may not import. The
row-level rule (a staff member's row for another platform is an error) lives in ``kinds``.
"""

from platforms.models import Platform


def may_import(user) -> bool:
    if user is None or not user.is_authenticated or not user.is_active:
        return False
    return user.is_superuser or Platform.objects.editable_by(user).exists()
