"""``python manage.py open_period CODE --due YYYY-MM-DD [--zone NAME]``: open a reporting round.

Every active platform of the zone (or of every zone) gets a return to fill in. A malformed code,
a bad date, an unknown zone or a round overlapping an existing one is exit 2 with a message.
"""

import datetime as dt

from django.core.management.base import BaseCommand, CommandError

from platforms.models import Zone
from projects.reports.management.commands.rollup import USAGE_ERROR, _lookup
from projects.reports.scope import command_user
from projects.returns import services


class Command(BaseCommand):
    help = "Open a reporting round (CODE: 2025, 2025H1, 2025Q4 or 2025-11) for a zone or all."

    def add_arguments(self, parser):
        parser.add_argument("code")
        parser.add_argument("--due", required=True, help="Due date, YYYY-MM-DD")
        parser.add_argument("--zone", help="Zone id or name (default: every zone)")

    def handle(self, *args, **options):
        try:
            due_on = dt.date.fromisoformat(options["due"])
        except ValueError:
            raise CommandError(
                f"--due {options['due']!r} is not a date (YYYY-MM-DD).", returncode=USAGE_ERROR
            ) from None
        zone = _lookup(Zone, options["zone"], "zone") if options["zone"] else None
        try:
            round_ = services.open_round(options["code"], due_on, zone, command_user())
        except services.Refused as refusal:
            raise CommandError(" ".join(refusal.reasons), returncode=USAGE_ERROR) from None
        where = zone.name if zone else "every zone"
        self.stdout.write(
            f"Opened round {round_.code} ({round_.start_on} – {round_.end_on}, "
            f"due {round_.due_on}) for {where}: {round_.returns.count()} returns expected."
        )
