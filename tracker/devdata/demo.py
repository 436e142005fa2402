"""The demo data set: the published cases plus synthetic filler that reproduces the roll-up of
Chengdu High-tech Zone exactly (96 platforms, 8 on MIIT's first list, 4,547 projects, ...).

Two rules make ``seed_demo`` safe to run again and again:

* The whole plan is drawn from fixed seeds *before* the database is looked at, so every run
  plans the same records with the same values whatever is already stored.
* Records are looked up by their natural key (province code, zone/platform/list name, USCC,
  project code, username) and only missing ones are written. A second run therefore writes
  nothing, adds no history rows and changes no value, even one a user has edited since.

The filler's amounts are not random draws around a target but exact splits of a target total
(``synthetic.split_total``), so the zone's figures land inside the published brackets by
construction, not by luck of the seed.
"""

import datetime as dt
import random
from dataclasses import dataclass, field
from decimal import Decimal

from django.contrib.auth import get_user_model

from platforms.models import (
    Platform,
    PlatformMembership,
    Province,
    ProvinceListTotal,
    Recognition,
    RecognitionList,
    Zone,
    ZoneMembership,
)
from projects.models import Enterprise, Financing, Project, YieldRun
from projects.reports.models import Target

from . import demo_data as data
from . import synthetic
from .demo_returns import seed_round

SEED = 2025
BATCH = 1000


@dataclass
class Plan:
    """Every synthetic record of the demo, keyed the way the database identifies it."""

    platforms: list[dict] = field(default_factory=list)
    enterprises: dict[str, dict] = field(default_factory=dict)  # by USCC
    projects: list[dict] = field(default_factory=list)
    # (platform name, list name, granted_on, revoked_on)
    recognitions: list[tuple] = field(default_factory=list)


def _yuan(units: int, unit_size: int) -> Decimal:
    return Decimal(units * unit_size).quantize(Decimal("0.01"))


def _case_enterprise_uscc(case: dict) -> str:
    """Placeholder USCC of a real company: stable, valid, and obviously not from the register."""
    serial = {data.ZHENSHI["name"]: 1, data.GCL["name"]: 2, data.CHANGYING["name"]: 3}[case["name"]]
    return synthetic.make_uscc(case["region"], f"MA{serial:07d}")


# ------------------------------------------------------------------------------------------
# Planning: pure functions of the seed.


def _plan_platforms(rng, owners, count, zone_name, city, region, taken):
    """``count`` platforms with distinct names such as 天府智能传感器中试基地."""
    platforms = []
    while len(platforms) < count:
        domain = rng.choice(data.DOMAINS)
        name = f"{rng.choice(owners)}{domain[0]}{rng.choice(data.PLATFORM_SUFFIXES)}"
        if name in taken:
            continue
        taken.add(name)
        operator = synthetic.company_name(rng, city, domain[1])
        platforms.append(
            {
                "name": name,
                "zone": zone_name,
                "domain": domain,
                "sector": domain[1].value,
                "construction_model": rng.choice(data.CONSTRUCTION_MODELS),
                "operator_name": operator,
                "operator_uscc": synthetic.make_uscc(region, synthetic.random_org_code(rng, "MA")),
                "established_on": synthetic.random_date(
                    rng, dt.date(2015, 1, 1), dt.date(2018, 12, 31)
                ),
                "description": f"面向{domain[0]}领域的中试验证与小批量试产服务。",
            }
        )
    return platforms


def _plan_projects(rng, plan, platform, count, code_prefix, pools, city, region, **options):
    """``count`` projects of one platform, numbered per start year (e.g. CD07-2023-0012)."""
    new_flags = options.get("new_flags") or [rng.random() < 0.33 for _ in range(count)]
    reserved = options.get("reserved_codes", set())
    fixed_client = options.get("fixed_client")
    fixed_client_share = options.get("fixed_client_count", 0)
    starts = []
    for is_new in new_flags:
        # A product on the market by mid-2025 started its pilot by mid-2024.
        last = dt.date(2024, 6, 30) if is_new else data.CUTOFF
        starts.append(synthetic.random_date(rng, data.FIRST_DAY, last))
    order = sorted(range(count), key=lambda i: (starts[i], i))
    serial_by_year = {}
    sector = platform["domain"][1]
    for position, i in enumerate(order):
        year = starts[i].year
        code = None
        while code is None or code in reserved:
            serial_by_year[year] = serial_by_year.get(year, 0) + 1
            code = f"{code_prefix}-{year}-{serial_by_year[year]:04d}"
        sketch = synthetic.project_sketch(rng, platform["domain"], starts[i], new_flags[i])
        if fixed_client and position % max(1, count // max(1, fixed_client_share)) == 0:
            uscc = fixed_client
        else:
            uscc = _client(rng, plan, pools, sector, city, region)
        sketch.update(code=code, platform=platform["name"], enterprise=uscc, financings=[])
        plan.projects.append(sketch)


def _client(rng, plan, pools, sector, city, region):
    """A client of the sector's pool; the pool grows so that most clients have one project."""
    pool = pools.setdefault(sector, [])
    if len(pool) < 8 or rng.random() < 0.45:
        fields = synthetic.enterprise_fields(
            rng, city, region, sector, pools.setdefault("_used", set())
        )
        plan.enterprises[fields["uscc"]] = fields
        pool.append(fields["uscc"])
        return fields["uscc"]
    return synthetic.pick_skewed(rng, pool)


def _weights(rng, projects, kind):
    """Amount weights: nothing for an intent, big output for products that reached market."""
    weights = []
    for project in projects:
        w = synthetic.weight(rng)
        if kind == "revenue":
            weights.append(0 if project["status"] == "intent" else w)
        elif project["new_product"]:
            weights.append(w * 10)
        elif project["status"] in ("completed", "in_progress"):
            weights.append(w // 3)
        else:
            weights.append(0)
    return weights


def _assign_amounts(rng, projects, field_name, total_units, unit_size, kind):
    weights = _weights(rng, projects, kind)
    for project, units in zip(projects, synthetic.split_total(total_units, weights), strict=True):
        project[field_name] = _yuan(units, unit_size)


def _assign_financing(rng, projects, total_units, unit_size=10_000, minimum=20):
    """About one funded client in five raises a round (sometimes two) with the platform's help."""
    rounds = []
    for project in projects:
        if project["status"] == "intent" or rng.random() >= 0.19:
            continue
        taken = set()
        for _ in range(2 if rng.random() < 0.12 else 1):
            round_ = synthetic.financing_sketch(rng, project["start_on"], taken)
            taken.add(synthetic.round_key(round_))
            rounds.append((project, round_))
    weights = [synthetic.weight(rng) for _ in rounds]
    for (project, round_), units in zip(
        rounds, synthetic.split_total(total_units, weights, minimum), strict=True
    ):
        round_["amount"] = _yuan(units, unit_size)
        project["financings"].append(round_)


def _case_sum(cases, field_name):
    """Sum of a money field over real cases, in whole yuan."""
    return sum(int(Decimal(case[field_name])) for case in cases)


def build_plan() -> Plan:
    """The whole synthetic part of the demo, identical on every call."""
    plan = Plan()
    names = {data.HUMMINGBIRD["name"], data.GCL_PLATFORM["name"], data.CHANGYING_PLATFORM["name"]}
    _plan_chengdu(random.Random(f"{SEED}-chengdu"), plan, names)
    _plan_kunshan(random.Random(f"{SEED}-kunshan"), plan, names)
    return plan


def _plan_chengdu(rng, plan, taken):
    hummingbird = {"name": data.HUMMINGBIRD["name"], "domain": data.DOMAINS[0]}
    others = _plan_platforms(
        rng, data.CHENGDU_OWNERS, data.CHENGDU_PLATFORMS - 1, data.CHENGDU["name"], "成都",
        "510100", taken,
    )  # fmt: skip
    plan.platforms += others
    pools = {}
    cases = [c for c in data.CASE_PROJECTS if c["platform"] is data.HUMMINGBIRD]
    hb_count = data.HUMMINGBIRD_PROJECTS - len(cases)
    hb_new = data.HUMMINGBIRD_NEW_PRODUCTS - sum(c["new_product"] for c in cases)
    new_set = set(rng.sample(range(hb_count), hb_new))
    start = len(plan.projects)
    _plan_projects(
        rng, plan, hummingbird, hb_count, "FN", pools, "成都", "510100",
        new_flags=[i in new_set for i in range(hb_count)],
        reserved_codes={c["code"] for c in cases},
        fixed_client=_case_enterprise_uscc(data.ZHENSHI),
        fixed_client_count=data.ZHENSHI_FILLER_PROJECTS,
    )  # fmt: skip
    hb_projects = plan.projects[start:]
    other_count = data.CHENGDU_PROJECTS - data.HUMMINGBIRD_PROJECTS
    counts = synthetic.split_total(other_count, [synthetic.weight(rng) for _ in others], 8)
    for index, (platform, count) in enumerate(zip(others, counts, strict=True), start=1):
        _plan_projects(rng, plan, platform, count, f"CD{index:02d}", pools, "成都", "510100")
    other_projects = plan.projects[start + hb_count :]
    chengdu_projects = hb_projects + other_projects

    case_revenue = _case_sum(cases, "service_revenue")
    case_output = _case_sum(cases, "output_value")
    _assign_amounts(
        rng, chengdu_projects, "service_revenue",
        (data.CHENGDU_REVENUE_TARGET - case_revenue) // 1000, 1000, "revenue",
    )  # fmt: skip
    _assign_amounts(
        rng, hb_projects, "output_value",
        (data.HUMMINGBIRD_OUTPUT_TARGET - case_output) // 10_000, 10_000, "output",
    )  # fmt: skip
    _assign_amounts(
        rng, other_projects, "output_value",
        (data.CHENGDU_OUTPUT_TARGET - data.HUMMINGBIRD_OUTPUT_TARGET) // 10_000, 10_000, "output",
    )  # fmt: skip
    _assign_financing(rng, chengdu_projects, data.CHENGDU_FINANCING_TARGET // 10_000)

    # Eight current entries on MIIT's first list (8 = 50% of Sichuan's 16) ...
    key = rng.sample(others, data.CHENGDU_KEY_PLATFORMS)
    miit = data.MIIT_LIST
    plan.recognitions += [(p["name"], miit["name"], miit["published_on"], None) for p in key]
    # ... and a provincial list with one revoked entry: it stays on record but stops counting.
    provincial = data.SICHUAN_LIST
    granted = provincial["published_on"]
    listed = [hummingbird, *rng.sample(others, 20)]
    plan.recognitions += [(p["name"], provincial["name"], granted, None) for p in listed[:-1]]
    plan.recognitions.append(
        (listed[-1]["name"], provincial["name"], granted, dt.date(2025, 3, 31))
    )


def _plan_kunshan(rng, plan, taken):
    platforms = _plan_platforms(
        rng, data.KUNSHAN_OWNERS, data.KUNSHAN_FILLER_PLATFORMS, data.KUNSHAN["name"], "昆山",
        "320583", taken,
    )  # fmt: skip
    plan.platforms += platforms
    pools = {}
    start = len(plan.projects)
    counts = synthetic.split_total(
        data.KUNSHAN_FILLER_PROJECTS, [synthetic.weight(rng) for _ in platforms], 10
    )
    for index, (platform, count) in enumerate(zip(platforms, counts, strict=True), start=1):
        _plan_projects(rng, plan, platform, count, f"KS{index:02d}", pools, "昆山", "320583")
    projects = plan.projects[start:]
    for project in projects:
        scale = 0 if project["status"] == "intent" else 1
        project["service_revenue"] = _yuan(scale * rng.randint(50, 2000), 1000)
        output = rng.randint(200, 20000) if project["new_product"] else rng.randint(0, 300)
        project["output_value"] = _yuan(output, 10_000)
    _assign_financing(rng, projects, data.KUNSHAN_FINANCING_TARGET // 10_000)
    # One current MIIT entry in Jiangsu, and one revoked after publication.
    miit = data.MIIT_LIST
    plan.recognitions.append((platforms[0]["name"], miit["name"], miit["published_on"], None))
    plan.recognitions.append(
        (platforms[1]["name"], miit["name"], miit["published_on"], dt.date(2025, 10, 15))
    )


# ------------------------------------------------------------------------------------------
# Writing: only what is missing.


class DemoSeeder:
    """Writes the demo data set; ``created`` counts what this run added."""

    def __init__(self):
        self.created = {}

    def _count(self, label, n=1):
        if n:
            self.created[str(label)] = self.created.get(str(label), 0) + n

    def _get_or_create(self, model, defaults=None, **lookup):
        obj, created = model.objects.get_or_create(defaults=defaults or {}, **lookup)
        if created:
            self._count(model._meta.verbose_name_plural)
        return obj

    def run(self, password: str) -> None:
        plan = build_plan()
        self.reference()
        self.cases()
        self.filler(plan)
        self.recognitions(plan)
        self.users(password)
        seed_round(self, self.users_by_name)
        self.targets()

    def targets(self):
        """Chengdu's 中试十条 targets (``demo_data.CHENGDU_TARGETS``)."""
        start, end = data.CHENGDU_TARGET_YEARS
        for metric, value in data.CHENGDU_TARGETS:
            self._get_or_create(
                Target,
                zone=self.chengdu,
                metric=metric,
                start_year=start,
                end_year=end,
                defaults={"value": Decimal(value)},
            )

    def reference(self):
        self.provinces = {
            p["code"]: self._get_or_create(
                Province, code=p["code"], defaults={"name": p["name"], "name_en": p["name_en"]}
            )
            for p in data.PROVINCES
        }
        self.zones = {}
        for key, zone in (("chengdu", data.CHENGDU), ("kunshan", data.KUNSHAN)):
            self.zones[zone["name"]] = self._get_or_create(
                Zone,
                name=zone["name"],
                defaults={
                    "name_en": zone["name_en"],
                    "province": self.provinces[zone["province"]],
                    "city": zone["city"],
                },
            )
            setattr(self, key, self.zones[zone["name"]])
        self.lists = {}
        for spec in (data.MIIT_LIST, data.SICHUAN_LIST):
            fields = {k: v for k, v in spec.items() if k != "name"}
            self.lists[spec["name"]] = self._get_or_create(
                RecognitionList, name=spec["name"], defaults=fields
            )
        miit = self.lists[data.MIIT_LIST["name"]]
        for code, entries in data.MIIT_PROVINCE_TOTALS.items():
            self._get_or_create(
                ProvinceListTotal,
                recognition_list=miit,
                province=self.provinces[code],
                defaults={"entries": entries},
            )

    def cases(self):
        zones = {
            data.HUMMINGBIRD["name"]: self.chengdu,
            data.GCL_PLATFORM["name"]: self.kunshan,
            data.CHANGYING_PLATFORM["name"]: self.kunshan,
        }
        self.platforms = {}
        for spec in (data.HUMMINGBIRD, data.GCL_PLATFORM, data.CHANGYING_PLATFORM):
            fields = {k: v for k, v in spec.items() if k != "name"}
            fields["zone"] = zones[spec["name"]]
            self.platforms[spec["name"]] = self._get_or_create(
                Platform, name=spec["name"], defaults=fields
            )
        self.hummingbird = self.platforms[data.HUMMINGBIRD["name"]]
        enterprises = {}
        for case in (data.ZHENSHI, data.GCL, data.CHANGYING):
            fields = {k: v for k, v in case.items() if k not in ("name", "region")}
            enterprises[case["name"]] = self._get_or_create(
                Enterprise,
                uscc=_case_enterprise_uscc(case),
                defaults={"name": case["name"], **fields},
            )
        for case in data.CASE_PROJECTS:
            fields = {k: v for k, v in case.items() if k not in ("code", "runs")}
            fields["enterprise"] = enterprises[case["enterprise"]["name"]]
            fields["platform"] = self.platforms[case["platform"]["name"]]
            for money in ("service_revenue", "output_value"):
                fields[money] = Decimal(fields[money])
            project = self._get_or_create(Project, code=case["code"], defaults=fields)
            for stage, sequence, measured_on, tested, passed in case["runs"]:
                # Saved one by one: the post_save signal keeps the project's summary in step.
                self._get_or_create(
                    YieldRun,
                    project=project,
                    stage=stage,
                    sequence=sequence,
                    defaults={
                        "measured_on": measured_on,
                        "units_tested": tested,
                        "units_passed": passed,
                    },
                )

    def filler(self, plan: Plan):
        self._create_platforms(plan)
        existing = set(
            Enterprise.objects.filter(uscc__in=list(plan.enterprises)).values_list(
                "uscc", flat=True
            )
        )
        new = [Enterprise(**f) for uscc, f in plan.enterprises.items() if uscc not in existing]
        Enterprise.objects.bulk_create(new, batch_size=BATCH)
        self._count("enterprises", len(new))
        self._create_projects(plan)

    def _create_platforms(self, plan):
        existing = set(Platform.objects.values_list("name", flat=True))
        new = []
        for spec in plan.platforms:
            if spec["name"] in existing:
                continue
            fields = {k: v for k, v in spec.items() if k not in ("domain", "zone")}
            new.append(Platform(zone=self.zones[spec["zone"]], **fields))
        Platform.objects.bulk_create(new, batch_size=BATCH)
        self._count("platforms", len(new))
        self.platform_ids = dict(Platform.objects.values_list("name", "pk"))

    def _create_projects(self, plan):
        codes = [p["code"] for p in plan.projects]
        existing = set()
        for i in range(0, len(codes), BATCH):
            chunk = codes[i : i + BATCH]
            existing.update(Project.objects.filter(code__in=chunk).values_list("code", flat=True))
        todo = [p for p in plan.projects if p["code"] not in existing]
        if not todo:
            return
        enterprise_ids = dict(
            Enterprise.objects.filter(uscc__in=[*plan.enterprises, _zhenshi()]).values_list(
                "uscc", "pk"
            )
        )
        skip = {"code", "platform", "enterprise", "runs", "financings", "unit"}
        projects = [
            Project(
                code=p["code"],
                platform_id=self.platform_ids[p["platform"]],
                enterprise_id=enterprise_ids[p["enterprise"]],
                **{k: v for k, v in p.items() if k not in skip},
            )
            for p in todo
        ]
        Project.objects.bulk_create(projects, batch_size=BATCH)
        ids = {}
        for i in range(0, len(todo), BATCH):
            chunk = [p["code"] for p in todo[i : i + BATCH]]
            ids.update(Project.objects.filter(code__in=chunk).values_list("code", "pk"))
        runs, rounds = [], []
        for p in todo:
            more_runs, more_rounds = synthetic.run_and_round_instances(
                ids[p["code"]], p["runs"], p["unit"], p["financings"]
            )
            runs += more_runs
            rounds += more_rounds
        YieldRun.objects.bulk_create(runs, batch_size=BATCH)
        Financing.objects.bulk_create(rounds, batch_size=BATCH)
        # bulk_create sends no signals: bring the yield summaries in step by hand.
        new_ids = sorted(ids.values())
        for i in range(0, len(new_ids), BATCH):
            Project.objects.filter(pk__in=new_ids[i : i + BATCH]).refresh_yield_summary()
        self._count("projects", len(projects))
        self._count("yield runs", len(runs))
        self._count("financings", len(rounds))

    def recognitions(self, plan: Plan):
        for platform_name, list_name, granted_on, revoked_on in plan.recognitions:
            self._get_or_create(
                Recognition,
                platform_id=self.platform_ids[platform_name],
                recognition_list=self.lists[list_name],
                defaults={"granted_on": granted_on, "revoked_on": revoked_on},
            )

    def users(self, password: str):
        """The four demo accounts, one per role; an existing account keeps its password hash
        unless it no longer matches ``password`` (so a second run changes nothing)."""
        other = (
            Platform.objects.filter(zone=self.chengdu)
            .exclude(pk=self.hummingbird.pk)
            .order_by("name")
            .first()
        )
        self.accounts = [
            ("admin", {"is_superuser": True, "is_staff": True}),
            ("manager", {}),
            ("staff", {}),
            ("staff2", {}),
        ]
        users = {}
        for username, flags in self.accounts:
            users[username] = self._user(username, password, flags)
        self.users_by_name = users
        self._get_or_create(ZoneMembership, user=users["manager"], zone=self.chengdu)
        self._get_or_create(PlatformMembership, user=users["staff"], platform=self.hummingbird)
        self._get_or_create(PlatformMembership, user=users["staff2"], platform=other)
        self.staff2_platform = other

    def _user(self, username, password, flags):
        user_model = get_user_model()
        user = user_model.objects.filter(username=username).first()
        if user is None:
            user = user_model(username=username, **flags)
            user.set_password(password)
            user.save()
            self._count("users")
            return user
        changed = [name for name, value in flags.items() if getattr(user, name) != value]
        for name in changed:
            setattr(user, name, flags[name])
        if not user.check_password(password):
            user.set_password(password)
            changed.append("password")
        if changed:
            user.save(update_fields=changed)
        return user


def _zhenshi() -> str:
    return _case_enterprise_uscc(data.ZHENSHI)
