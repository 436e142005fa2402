"""``python manage.py generate_bulk --projects N [--seed S]``: scale data for benchmarks."""

import time

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from tracker.devdata.bulk import BulkGenerator


class Command(BaseCommand):
    help = _(
        "Generate N synthetic projects (with zones, platforms, clients, about three yield runs "
        "and 0.3 financing rounds each) for benchmarks; the same seed gives the same data."
    )

    def add_arguments(self, parser):
        parser.add_argument("--projects", type=int, required=True, help=_("Number of projects"))
        parser.add_argument("--seed", type=int, default=1, help=_("Random seed (default 1)"))
        parser.add_argument(
            "--batch-size", type=int, default=10_000, help=_("Projects per batch (default 10000)")
        )

    def handle(self, *args, **options):
        if options["projects"] < 1:
            raise CommandError(_("--projects must be at least 1."))
        if not 0 <= options["seed"] < 961:
            # The seed is written into USCCs as two base-31 characters.
            raise CommandError(_("--seed must be between 0 and 960."))
        self.started = time.monotonic()
        self.verbosity = options["verbosity"]
        generator = BulkGenerator(
            options["projects"],
            options["seed"],
            batch_size=max(1, options["batch_size"]),
            progress=self._progress,
        )
        if generator.already_loaded():
            raise CommandError(
                _("Projects of seed %(seed)d are already loaded; choose another --seed.")
                % {"seed": options["seed"]}
            )
        counts = generator.run()
        summary = ", ".join(f"{label}: {n:,}" for label, n in counts.items())
        self.stdout.write(
            _("Created %(summary)s in %(seconds).1f s.")
            % {"summary": summary, "seconds": time.monotonic() - self.started}
        )

    def _progress(self, label, done, total):
        """One line per batch on stderr, so stdout stays clean for the summary."""
        if self.verbosity < 1:
            return
        elapsed = time.monotonic() - self.started
        # Plain style: progress is not an error even though it goes to stderr.
        self.stderr.write(f"{label}: {done:,}/{total:,} ({elapsed:.0f} s)", style_func=str)
