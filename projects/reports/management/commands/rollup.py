"""``python manage.py rollup``: the roll-up JSON, the briefing text or the by-platform table.

The JSON carries the zone's targets (``targets``) and the text ends with one line per target.

Runs unscoped, as an administrator would (see ``projects.reports.scope.command_user``). The
same report functions as the page and the JSON produce the figures.
"""

import csv
import json

from django.core.management.base import BaseCommand, CommandError
from django.db.models import Q
from django.utils import translation

from platforms.choices import Sector
from platforms.models import Platform, Zone
from projects.reports import briefing
from projects.reports.queries import Report, returns_headline, targets_json
from projects.reports.scope import Scope, command_user
from projects.reports.tables import TABLES, export_header, export_rows
from projects.returns.models import ReportingPeriod
from tracker.exports import escape_cell
from tracker.formatting import format_amount, format_count, format_percent

USAGE_ERROR = 2


def target_line(row: dict) -> str:
    """One target's progress: "成都高新区 · 新增中试平台 2024–2026: 7 / 20 (35.0%)"."""
    if row["is_amount"]:
        value, goal = format_amount(row["value"]), format_amount(row["target"])
    else:
        value, goal = format_count(row["value"]), format_count(row["target"])
    return (
        f"{row['zone']} · {row['label']} {row['start_year']}–{row['end_year']}: "
        f"{value} / {goal} ({format_percent(row['share'])})"
    )


def _lookup(model, value: str, label: str):
    """A zone or platform by id, name or English name; exit code 2 when there is none."""
    condition = Q(name=value) | Q(name_en=value)
    if value.isdigit():
        condition |= Q(pk=int(value))
    matches = list(model.objects.filter(condition)[:2])
    if not matches:
        raise CommandError(f"Unknown {label}: {value!r}.", returncode=USAGE_ERROR)
    if len(matches) > 1:
        raise CommandError(
            f"Several {label}s match {value!r}; give the id instead.", returncode=USAGE_ERROR
        )
    return matches[0]


class Command(BaseCommand):
    help = "Print the roll-up of a scope as JSON, briefing text or the by-platform CSV table."

    def add_arguments(self, parser):
        parser.add_argument("--zone", help="Zone id or name")
        parser.add_argument("--platform", help="Platform id or name")
        parser.add_argument("--sector", choices=Sector.values, help="MIIT key area")
        parser.add_argument("--year", type=int, help="Project start year")
        parser.add_argument("--period", help="Reporting round code (e.g. 2025)")
        parser.add_argument(
            "--basis",
            choices=["live", "returns"],
            default="live",
            help="live: today's records (up to the period's end); returns: approved returns",
        )
        parser.add_argument("--format", choices=["json", "text", "csv"], default="json")
        parser.add_argument("--lang", choices=["zh-hans", "en"], default="zh-hans")

    def handle(self, *args, **options):
        zone = _lookup(Zone, options["zone"], "zone") if options["zone"] else None
        platform = (
            _lookup(Platform, options["platform"], "platform") if options["platform"] else None
        )
        if zone is not None and platform is not None and platform.zone_id != zone.pk:
            raise CommandError(
                f"Platform {platform.name!r} is not in zone {zone.name!r}.",
                returncode=USAGE_ERROR,
            )
        year = options["year"]
        period = None
        if options["period"]:
            period = ReportingPeriod.objects.filter(code=options["period"]).first()
            if period is None:
                raise CommandError(
                    f"Unknown reporting round: {options['period']!r}.", returncode=USAGE_ERROR
                )
        elif options["basis"] == "returns":
            raise CommandError("--basis returns needs --period CODE.", returncode=USAGE_ERROR)
        scope = Scope(
            zone=zone,
            platform=platform,
            sector=options["sector"] or "",
            year_from=year,
            year_to=year,
            period=period,
            basis=options["basis"],
        )
        report = Report(scope, command_user())
        with translation.override(options["lang"]):
            if scope.on_returns:
                if options["format"] == "csv":
                    raise CommandError(
                        "--format csv is the live by-platform table; use json or text with "
                        "--basis returns.",
                        returncode=USAGE_ERROR,
                    )
                self._returns(scope, options["format"], options["lang"])
                return
            output = {"json": self._json, "text": self._text, "csv": self._csv}[options["format"]]
            output(report, options["lang"])

    def _returns(self, scope, fmt, language):
        headline, basis = returns_headline(scope, command_user(), scope.period)
        if fmt == "json":
            data = {**headline.as_json(), **basis.as_json()}
            self.stdout.write(json.dumps(data, ensure_ascii=False, indent=2))
        else:
            self.stdout.write(briefing.briefing(headline, language, basis=basis))

    def _json(self, report, language):
        data = {**report.headline.as_json(), "targets": targets_json(report.targets)}
        if report.scope.period is not None:
            data.update(
                period=report.scope.period.code, basis="live", as_of=report.scope.as_of.isoformat()
            )
        self.stdout.write(json.dumps(data, ensure_ascii=False, indent=2))

    def _text(self, report, language):
        self.stdout.write(briefing.briefing(report.headline, language))
        for row in report.targets:
            self.stdout.write(target_line(row))

    def _csv(self, report, language):
        spec = TABLES["platforms"]
        writer = csv.writer(self.stdout, lineterminator="\n")
        writer.writerow(export_header(spec))
        for row in export_rows(spec, report):
            writer.writerow(["" if value is None else escape_cell(str(value)) for value in row])
