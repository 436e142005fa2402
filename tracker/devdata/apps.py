from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DevdataConfig(AppConfig):
    """Development data (``seed_demo``, ``generate_bulk``); it has no models."""

    name = "tracker.devdata"
    label = "devdata"
    verbose_name = _("Development data")
