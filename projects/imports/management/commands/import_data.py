"""``manage.py import_data PATH``: the import of the web page, from a terminal.

Exit codes: 0 imported (or, with --dry-run, checked without error); 1 the file was refused or
has errors, nothing written; 2 usage error (no such file, unknown kind or user, user who may
not import).
"""

import sys
from pathlib import Path

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from projects.imports.choices import ImportOutcome
from projects.imports.models import ImportBatch
from projects.imports.permissions import may_import
from projects.imports.registry import registry
from projects.imports.service import execute


class Command(BaseCommand):
    help = "Import platforms, enterprises, projects, yield runs and financing from .xlsx or .csv"

    def add_arguments(self, parser):
        parser.add_argument("path")
        parser.add_argument("--kind", choices=registry.kinds(), help="kind of rows of a CSV file")
        parser.add_argument("--dry-run", action="store_true", help="check only, write nothing")
        parser.add_argument(
            "--encoding", help="encoding of a CSV file: utf-8 or gbk (default: detected)"
        )
        parser.add_argument("--user", help="import as this user, with that user's rights")

    def handle(self, *args, **options):
        path = Path(options["path"])
        if not path.is_file():
            raise CommandError(_("No such file: %(path)s") % {"path": path}, returncode=2)
        if options["kind"] and path.suffix.lower() in {".xlsx", ".xlsm"}:
            raise CommandError(
                _("--kind is for CSV files; a workbook names its sheets."), returncode=2
            )
        user = self._user(options["user"])
        batch = ImportBatch.objects.create(
            user=user,
            file_name=path.name,
            kind=options["kind"] or ("csv" if path.suffix.lower() != ".xlsx" else "workbook"),
            dry_run=options["dry_run"],
        )
        for event in execute(
            batch,
            path,
            dry_run=options["dry_run"],
            kind=options["kind"],
            encoding=options["encoding"],
        ):
            self._progress(event)
        sys.stderr.write("\n")
        self._report(batch)
        if batch.outcome not in (ImportOutcome.IMPORTED, ImportOutcome.PREVIEWED):
            raise CommandError(
                _("%(count)d error(s); nothing was written.") % {"count": batch.error_count},
                returncode=1,
            )

    def _user(self, username):
        if not username:
            return None
        user = get_user_model().objects.filter(username=username).first()
        if user is None:
            raise CommandError(_("No such user: %(name)s") % {"name": username}, returncode=2)
        if not may_import(user):
            raise CommandError(
                _("User %(name)s may not import: only platform staff and administrators can.")
                % {"name": username},
                returncode=2,
            )
        return user

    def _progress(self, event):
        """A one-line bar on stderr, redrawn in place: phase, sheet, rows done of total."""
        width = 30
        filled = int(width * event.done / event.total) if event.total else width
        bar = "#" * filled + "-" * (width - filled)
        sys.stderr.write(
            f"\r{event.phase:5} {event.sheet[:16]:16} [{bar}] {event.done:>7}/{event.total:<7}"
        )
        sys.stderr.flush()

    def _report(self, batch):
        for kind, counts in batch.counts.items():
            self.stdout.write(
                _("%(sheet)s: %(created)d created, %(updated)d updated, %(unchanged)d unchanged")
                % {"sheet": kind, **counts}
            )
        for error in batch.errors:
            location = f"{error['sheet']}!{error['row']}" if error["row"] else error["sheet"]
            column = f" [{error['column']}]" if error["column"] else ""
            value = f" “{error['value']}”" if error["value"] else ""
            self.stderr.write(f"{location}{column}{value}: {error['message']}")
        if batch.outcome == ImportOutcome.IMPORTED:
            self.stdout.write(self.style.SUCCESS(_("Imported (batch #%(id)d).") % {"id": batch.pk}))
        elif batch.outcome == ImportOutcome.PREVIEWED:
            self.stdout.write(_("Dry run: no errors, nothing written."))
