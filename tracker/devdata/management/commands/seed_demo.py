"""``python manage.py seed_demo [--password PW]``: load the demo data set (idempotent)."""

import time

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django.utils.translation import gettext as _

from tracker.devdata.demo import DemoSeeder

DEFAULT_PASSWORD = "demo"  # noqa: S105  (the documented development password)


class Command(BaseCommand):
    help = _(
        "Load the demo data: the published cases and synthetic filler reproducing Chengdu "
        "High-tech Zone's roll-up, plus the demo accounts. Running it again changes nothing."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--password",
            default=None,
            help=_("Password of the demo accounts (default: %(default)s, only with DEBUG on)")
            % {"default": DEFAULT_PASSWORD},
        )

    def handle(self, *args, **options):
        password = options["password"]
        if password is None:
            # A well-known password on a production server would be an open door.
            if not settings.DEBUG:
                raise CommandError(
                    _(
                        "DEBUG is off: refusing to create the demo accounts with the default "
                        "password. Give one with --password."
                    )
                )
            password = DEFAULT_PASSWORD
        started = time.monotonic()
        seeder = DemoSeeder()
        with transaction.atomic():
            seeder.run(password)
        self._report(seeder, time.monotonic() - started, options["password"] is None)

    def _report(self, seeder, seconds, default_password):
        if seeder.created:
            summary = ", ".join(f"{label}: {n}" for label, n in sorted(seeder.created.items()))
            self.stdout.write(_("Created %(summary)s.") % {"summary": summary})
        else:
            self.stdout.write(_("The demo data was already complete: nothing written."))
        self.stdout.write(_("Done in %(seconds).1f s.") % {"seconds": seconds})
        if default_password:
            self.stdout.write(
                _("Demo accounts (password: %(password)s):") % {"password": DEFAULT_PASSWORD}
            )
        else:
            self.stdout.write(_("Demo accounts (password: the one given with --password):"))
        roles = {
            "admin": _("superuser, sees everything, back office at /admin/"),
            "manager": _("zone manager of %(zone)s (read only)") % {"zone": seeder.chengdu},
            "staff": _("staff of %(platform)s") % {"platform": seeder.hummingbird},
            "staff2": _("staff of %(platform)s") % {"platform": seeder.staff2_platform},
        }
        for username, role in roles.items():
            self.stdout.write(f"  {username:<8} {role}")
