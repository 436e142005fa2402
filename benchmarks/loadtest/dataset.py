"""The load test's data: 100,000 generated projects, its users, and the workbook it imports.

Runs in the runner's process with Django set up on the load test database. Everything is
idempotent: the generated projects are loaded once (``generate_bulk --seed 1``, skipped when
present), the users are created or reset (one password for all, new each run), and the
projects a previous run imported are removed so that each run imports the same 10,000 new rows.

Who is who (all names start with ``loadtest-``):
- writers: staff of the largest platforms, two per platform, editing a small shared set of
  their platform's projects (so that optimistic locking sees some real conflicts);
- managers: managers of the zone with the most projects (reports, lists, exports);
- the importer: staff of a platform of its own in that zone, whose projects the import creates.
"""

import datetime as dt
import time
from decimal import Decimal
from pathlib import Path

from django.contrib.auth import get_user_model
from django.contrib.auth.hashers import make_password
from django.core.management import call_command
from django.db.models import Count

from platforms.models import Platform, PlatformMembership, Zone, ZoneMembership
from projects.models import Enterprise, Project, YieldRun
from tracker.validators import uscc_check_character

BULK_SEED = 1
IMPORT_PLATFORM = "负载测试导入平台（LOADTEST）"
IMPORT_CODE_PREFIX = "LT-IMP-"
USCC_PREFIX = "9199LT00"  # the import's new clients (LT: in the USCC alphabet, used by no one)
WRITERS_PER_PLATFORM = 2


def ensure_projects(count: int, say) -> None:
    present = Project.objects.filter(code__startswith=f"BULK-{BULK_SEED}-").count()
    if present >= count:
        say(f"data: {present:,} generated projects already loaded")
        return
    if present:
        raise SystemExit(
            f"the database holds {present:,} generated projects, fewer than {count:,}: drop it "
            "(or set LOADTEST_DATABASE_URL to another one) and run again"
        )
    started = time.perf_counter()
    call_command("generate_bulk", projects=count, seed=BULK_SEED, verbosity=0)
    say(f"data: generate_bulk --projects {count:,} took {time.perf_counter() - started:.0f} s")


def _user(username: str, password_hash: str):
    user, _ = get_user_model().objects.update_or_create(
        username=username,
        defaults={"password": password_hash, "is_active": True, "is_superuser": False},
    )
    return user


def prepare_users(writers: int, managers: int, hot_projects: int, password: str, say) -> dict:
    """Create (or reset) the load test's users; returns the plan the locustfile follows."""
    zone = (
        Zone.objects.annotate(projects=Count("platforms__projects"))
        .order_by("-projects", "pk")
        .first()
    )
    if zone is None:
        raise SystemExit("no zone in the database: generate_bulk did not run")
    password_hash = make_password(password)  # hashed once: every account shares it
    platforms = list(
        Platform.objects.exclude(name=IMPORT_PLATFORM)
        .annotate(project_count=Count("projects"))
        .filter(project_count__gte=hot_projects)
        .order_by("-project_count", "pk")[: max(1, -(-writers // WRITERS_PER_PLATFORM))]
    )
    plan = {"zone": zone.pk, "writers": [], "managers": [], "importer": None}
    for number in range(writers):
        platform = platforms[number // WRITERS_PER_PLATFORM % len(platforms)]
        user = _user(f"loadtest-writer-{number + 1:02d}", password_hash)
        PlatformMembership.objects.get_or_create(user=user, platform=platform)
        ids = list(
            Project.objects.filter(platform=platform)
            .order_by("pk")
            .values_list("pk", flat=True)[:hot_projects]
        )
        plan["writers"].append({"username": user.username, "projects": ids})
    for number in range(managers):
        user = _user(f"loadtest-manager-{number + 1}", password_hash)
        ZoneMembership.objects.get_or_create(user=user, zone=zone)
        plan["managers"].append({"username": user.username})
    import_platform, _ = Platform.objects.get_or_create(
        name=IMPORT_PLATFORM,
        defaults={"zone": zone, "sector": platforms[0].sector, "description": "负载测试"},
    )
    importer = _user("loadtest-importer", password_hash)
    PlatformMembership.objects.get_or_create(user=importer, platform=import_platform)
    plan["importer"] = {"username": importer.username, "platform": import_platform.name}
    zone_platforms = Platform.objects.filter(zone=zone).order_by("pk")
    plan["zone_platforms"] = list(zone_platforms.values_list("pk", flat=True)[:50])
    plan["sectors"] = sorted(set(zone_platforms.values_list("sector", flat=True)))
    plan["password"] = password
    say(
        f"users: {writers} writers on {len(platforms)} platform(s) ({hot_projects} projects "
        f"each), {managers} managers of {zone.name}, 1 importer"
    )
    return plan


def remove_previous_import(say) -> None:
    """Delete what an earlier run imported: its projects (through the ORM, so every cascade and
    history row is followed) and the enterprises it created, so every run imports alike."""
    previous = Project.objects.filter(code__startswith=IMPORT_CODE_PREFIX)
    if previous.exists():
        started = time.perf_counter()
        count = previous.count()
        # Runs by one plain DELETE first: the ORM deletes them one by one, refreshing their
        # project's yield summary each time (minutes for 10,000 projects).
        YieldRun.objects.filter(project__in=previous)._raw_delete(YieldRun.objects.db)
        previous.delete()
        say(
            f"data: removed the {count:,} projects of the previous run's import "
            f"({time.perf_counter() - started:.0f} s)"
        )
    Enterprise.objects.filter(uscc__startswith=USCC_PREFIX, projects=None).delete()


def _uscc(number: int) -> str:
    first17 = f"{USCC_PREFIX}{number:09d}"
    return first17 + uscc_check_character(first17)


def write_workbook(path: Path, projects: int, platform: str, runs_per_project: int = 2) -> None:
    """The import file: new enterprises, ``projects`` projects of ``platform``, their runs."""
    from openpyxl import Workbook

    enterprises = max(1, projects // 20)
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet("enterprises")
    sheet.append(["uscc", "name"])
    for number in range(enterprises):
        sheet.append([_uscc(number), f"负载测试科技有限公司{number:05d}"])
    sheet = workbook.create_sheet("projects")
    sheet.append(
        ["code", "platform", "enterprise_uscc", "title", "product", "track", "stage", "status",
         "start_on", "service_revenue", "output_value"]
    )  # fmt: skip
    runs = workbook.create_sheet("yield_runs")
    runs.append(["project", "stage", "sequence", "measured_on", "units_tested", "units_passed"])
    for number in range(projects):
        code = f"{IMPORT_CODE_PREFIX}{number:06d}"
        start = dt.date(2021, 1, 1) + dt.timedelta(days=number % 1400)
        sheet.append(
            [code, platform, _uscc(number % enterprises), f"负载测试导入项目{number}",
             "测试模组", "discrete", "PVT", "in_progress", start,
             Decimal(100000 + number % 997 * 100), Decimal(1000000 + number % 991 * 1000)]
        )  # fmt: skip
        for sequence in range(runs_per_project):
            runs.append(
                [code, ["DVT", "PVT"][sequence % 2], 1 + sequence // 2,
                 start + dt.timedelta(days=30 * (sequence + 1)), 100, 40 + 25 * sequence]
            )  # fmt: skip
    path.parent.mkdir(parents=True, exist_ok=True)
    workbook.save(path)
