"""The admin site is the administrators' back office, and nobody else's.

Django lets any active account with ``is_staff`` into the admin, where model permissions then
decide. Reference data (zones, a platform's zone, status, sector and construction model,
recognition lists and recognitions, province totals) and the records of every platform are
changed there, so the site itself asks ``platforms.access``: only an administrator (an active
superuser) gets in. A zone manager or platform staff member flagged ``is_staff`` by mistake,
even with every model permission, is sent to the admin's sign-in page.
"""

from django.contrib.admin import AdminSite
from django.contrib.admin.apps import AdminConfig

from platforms import access


class AdministratorsAdminSite(AdminSite):
    def has_permission(self, request):
        return access.may_use_admin_site(request.user)


class TrackerAdminConfig(AdminConfig):
    """``django.contrib.admin`` with ``AdministratorsAdminSite`` as ``admin.site``."""

    default_site = "platforms.admin_site.AdministratorsAdminSite"
