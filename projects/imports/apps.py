from django.apps import AppConfig
from django.utils.module_loading import autodiscover_modules
from django.utils.translation import gettext_lazy as _


class ImportsConfig(AppConfig):
    """Bulk import and export in spreadsheets, of the sheets the other apps register.

    Each app that owns importable records describes them in its ``sheets`` module (columns,
    row rules, lookups, export rows); ``ready()`` imports those modules, so the engine itself
    never names a model of another app. See ``projects.imports.registry``.
    """

    name = "projects.imports"
    label = "imports"
    verbose_name = _("Imports")

    def ready(self):
        autodiscover_modules("sheets")
