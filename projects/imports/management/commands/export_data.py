"""``manage.py export_data PATH.xlsx [--zone NAME]``: everything, in the import format."""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from projects.imports.exporting import export_workbook
from projects.imports.registry import registry
from projects.reports.scope import command_user


class Command(BaseCommand):
    help = "Export platforms, enterprises, projects, yield runs and financing to one .xlsx"

    def add_arguments(self, parser):
        parser.add_argument("path")
        parser.add_argument("--zone", help="only the platforms of this zone (by name)")
        parser.add_argument(
            "--language", default="en", choices=["en", "zh-hans"], help="language of headers"
        )

    def handle(self, *args, **options):
        path = Path(options["path"])
        if path.suffix.lower() != ".xlsx":
            raise CommandError(_("The export is an .xlsx workbook."), returncode=2)
        zone = options["zone"]
        zones = registry.lookup("zones")
        if zone and not zones.exists(zone):
            raise CommandError(zones.unknown_message(zone, restricted=False), returncode=2)
        # The operator exports as an administrator: every confidential text unmasked.
        path.write_bytes(export_workbook(command_user(), options["language"], zone=zone))
        self.stdout.write(_("Exported to %(path)s.") % {"path": path})
