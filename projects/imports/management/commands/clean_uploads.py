"""``manage.py clean_uploads --older-than 7d``: remove uploads nobody confirmed.

An uploaded file waits in the ``imports`` storage for its check and confirm. A job that started
longer ago than ``--older-than`` and never ended (its worker was killed) is marked failed, saying
so, and its file removed. The files of
batches still waiting (uploaded, or checked and not confirmed) that were uploaded longer ago
than ``--older-than`` are removed and their batches marked expired: their page then says so and
offers to upload again. Files left by a batch that no longer exists or has ended are removed too.
A batch being checked or written is never touched; a confirm that wins the race keeps its file
(expiring is the same conditional claim the confirm makes).

Durations: a whole number and a unit, s, m, h, d or w (``7d``, ``12h``, ``90m``). Exit codes: 0
done; 2 usage error (a duration that is not one). Run it daily from cron or a systemd timer.
"""

import re
from datetime import timedelta

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone
from django.utils.translation import gettext as _

from projects.imports import storage
from projects.imports.choices import ImportOutcome
from projects.imports.models import ImportBatch
from projects.imports.service import expire, fail_interrupted

UNITS = {"s": "seconds", "m": "minutes", "h": "hours", "d": "days", "w": "weeks"}
WAITING = (ImportOutcome.PENDING, ImportOutcome.PREVIEWED)
RUNNING = (ImportOutcome.CHECKING, ImportOutcome.IMPORTING)


def parse_duration(text: str) -> timedelta:
    """``7d`` → 7 days; anything else (no unit, zero, negative, absurd) → ValueError."""
    match = re.fullmatch(r"\s*(\d{1,6})\s*([smhdw])\s*", text or "", flags=re.IGNORECASE)
    if match is None or int(match[1]) == 0:
        raise ValueError(text)
    return timedelta(**{UNITS[match[2].lower()]: int(match[1])})


class Command(BaseCommand):
    help = "Remove uploaded import files that were not confirmed in time; their batches expire."

    def add_arguments(self, parser):
        parser.add_argument(
            "--older-than",
            required=True,
            help="age of the uploads to remove: a number and s, m, h, d or w (7d, 12h)",
        )
        parser.add_argument("--dry-run", action="store_true", help="only say what would go")

    def handle(self, *args, **options):
        try:
            age = parse_duration(options["older_than"])
        except ValueError:
            raise CommandError(
                _("--older-than takes a duration such as 7d, 12h or 90m, not %(value)r.")
                % {"value": options["older_than"]},
                returncode=2,
            ) from None
        cutoff = timezone.now() - age
        dry_run = options["dry_run"]
        expired = 0
        stale = ImportBatch.objects.filter(outcome__in=WAITING, created_at__lt=cutoff)
        for batch in stale.only("pk", "outcome", "file_name").iterator(chunk_size=500):
            if dry_run:
                expired += 1
            elif expire(batch, batch.outcome):
                storage.delete(batch)
                expired += 1
        stuck = ImportBatch.objects.filter(outcome__in=RUNNING, job_started_at__lt=cutoff)
        failed = 0
        for batch in stuck.iterator(chunk_size=500):
            if dry_run:
                failed += 1
            elif fail_interrupted(batch):
                storage.delete(batch)
                failed += 1
        orphans = self._orphans(cutoff)
        if not dry_run:
            for name in orphans:
                storage.upload_storage().delete(name)
        self.stdout.write(
            _(
                "%(expired)d waiting upload(s) expired, %(failed)d interrupted job(s) failed, "
                "%(orphans)d leftover file(s) removed%(dry)s."
            )
            % {
                "expired": expired,
                "failed": failed,
                "orphans": len(orphans),
                "dry": _(" (dry run: nothing removed)") if dry_run else "",
            }
        )

    @staticmethod
    def _orphans(cutoff) -> list[str]:
        """Files older than the cutoff whose batch is gone or has ended."""
        names = {}
        for name in storage.stored_names():
            stem = name.removesuffix(".upload")
            names[name] = int(stem) if stem.isdigit() else None
        live = set(
            ImportBatch.objects.filter(
                pk__in=[pk for pk in names.values() if pk is not None],
                outcome__in=(*WAITING, *RUNNING),
            ).values_list("pk", flat=True)
        )
        return [
            name
            for name, pk in names.items()
            if pk not in live and storage.modified_at(name) < cutoff
        ]
