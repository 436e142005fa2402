"""Scale data for benchmarks: ``generate_bulk --projects N [--seed S]``.

A realistic-ish country-wide data set: a dozen high-tech zones in several provinces, a few
hundred platforms of very different sizes, clients that mostly bring one project and sometimes
dozens, about three yield runs and 0.3 financing rounds per project, dates 2019–2025.

Everything is a function of the seed (see ``synthetic``), and every code the generator writes
carries it (``BULK-<seed>-…`` projects, ``MB…`` organisation codes in the USCCs, a per-seed
recognition list), so the bulk set can sit next to the demo data and next to other seeds.
Zones and provinces are shared: they are looked up by name and code, created if missing.

Speed: projects are written in batches with ``bulk_create`` (no signals, no history rows, which
a benchmark set does not need) and each batch's yield summaries are refreshed right after its
runs, over the batch's primary-key range, while those rows are still in the page cache.
"""

import datetime as dt
import random
from collections.abc import Callable
from contextlib import contextmanager
from decimal import Decimal

from django.db import connection, reset_queries, transaction

from platforms.models import (
    Platform,
    Province,
    ProvinceListTotal,
    Recognition,
    RecognitionList,
    Zone,
)
from projects.models import Enterprise, Financing, Project, YieldRun
from tracker.validators import USCC_ALPHABET

from . import demo_data as words
from . import synthetic

PROVINCES = {
    "11": ("北京市", "Beijing"),
    "31": ("上海市", "Shanghai"),
    "32": ("江苏省", "Jiangsu"),
    "33": ("浙江省", "Zhejiang"),
    "34": ("安徽省", "Anhui"),
    "37": ("山东省", "Shandong"),
    "42": ("湖北省", "Hubei"),
    "44": ("广东省", "Guangdong"),
    "51": ("四川省", "Sichuan"),
    "61": ("陕西省", "Shaanxi"),
}
# (province code, zone, English name, city, USCC region code of its clients)
ZONES = [
    ("11", "中关村科技园区", "Zhongguancun Science Park", "北京", "110108"),
    ("31", "上海张江高新区", "Shanghai Zhangjiang High-tech Zone", "上海", "310115"),
    ("32", "苏州工业园区", "Suzhou Industrial Park", "苏州", "320571"),
    ("32", "南京高新区", "Nanjing High-tech Zone", "南京", "320111"),
    ("33", "杭州高新区", "Hangzhou High-tech Zone", "杭州", "330108"),
    ("44", "深圳高新区", "Shenzhen High-tech Zone", "深圳", "440305"),
    ("44", "广州高新区", "Guangzhou High-tech Zone", "广州", "440112"),
    ("42", "武汉东湖高新区", "Wuhan East Lake High-tech Zone", "武汉", "420111"),
    ("61", "西安高新区", "Xi'an High-tech Zone", "西安", "610131"),
    ("34", "合肥高新区", "Hefei High-tech Zone", "合肥", "340104"),
    ("37", "济南高新区", "Jinan High-tech Zone", "济南", "370112"),
    ("51", "绵阳高新区", "Mianyang High-tech Zone", "绵阳", "510703"),
]

# Runs of a project under way or finished; with the statuses that have fewer, ≈3 a project.
RUN_CHOICES = [2, 3, 3, 3, 4, 4, 4]
FINANCING_SHARE = 0.26  # share of non-intent projects with a round; some get two: ≈0.3 a project


def platform_count(projects: int) -> int:
    """A few hundred platforms for a national set, at least three for a small one."""
    return max(3, min(400, projects // 2500 + 3))


def enterprise_count(projects: int) -> int:
    return max(10, projects // 4)


def _base31(number: int, width: int) -> str:
    digits = []
    for _ in range(width):
        number, rest = divmod(number, 31)
        digits.append(USCC_ALPHABET[rest])
    return "".join(reversed(digits))


@contextmanager
def _large_page_cache(kib: int = 256 * 1024):
    """Give SQLite a page cache that holds the indexes being filled, for this connection only.

    SQLite's default cache is 2 MB: once the project and run indexes outgrow it, every insert
    into them reads pages back and the load slows down as it grows. PostgreSQL sizes its own
    shared buffers, so nothing is changed there.
    """
    if connection.vendor != "sqlite":
        yield
        return
    with connection.cursor() as cursor:
        cursor.execute("PRAGMA cache_size")
        previous = cursor.fetchone()[0]
        cursor.execute(f"PRAGMA cache_size = {-int(kib)}")
    try:
        yield
    finally:
        with connection.cursor() as cursor:
            cursor.execute(f"PRAGMA cache_size = {int(previous)}")


class BulkGenerator:
    """Writes N projects (with platforms, clients, runs and financing) for one seed."""

    def __init__(
        self,
        projects: int,
        seed: int,
        batch_size: int = 10_000,
        progress: Callable[[str, int, int], None] | None = None,
    ):
        self.total = projects
        self.seed = seed
        self.batch_size = batch_size
        self.progress = progress or (lambda label, done, total: None)
        self.rng = random.Random(f"bulk-{seed}")
        self.prefix = f"BULK-{seed}-"

    def already_loaded(self) -> bool:
        return Project.objects.filter(code__startswith=self.prefix).exists()

    def run(self) -> dict:
        with transaction.atomic(), _large_page_cache():
            zones = self._zones()
            platforms = self._platforms(zones)
            pools = self._enterprises(zones)
            counts = self._projects(platforms, pools)
        return counts

    def _zones(self):
        zones = []
        for code, name, name_en, city, region in ZONES:
            province_name, province_en = PROVINCES[code]
            province, _ = Province.objects.get_or_create(
                code=code, defaults={"name": province_name, "name_en": province_en}
            )
            zone, _ = Zone.objects.get_or_create(
                name=name, defaults={"name_en": name_en, "province": province, "city": city}
            )
            zones.append((zone, city, region))
        return zones

    def _platforms(self, zones):
        """Platforms spread over the zones, with very unequal sizes (the weight of each)."""
        rng = self.rng
        specs = []
        for k in range(platform_count(self.total)):
            zone, city, _region = zones[k % len(zones)]
            domain = rng.choice(words.DOMAINS)
            suffix = rng.choice(words.PLATFORM_SUFFIXES)
            specs.append(
                (
                    Platform(
                        name=f"{city}{domain[0]}{suffix}（{self.prefix}{k + 1:03d}）",
                        zone=zone,
                        sector=domain[1].value,
                        construction_model=rng.choice(words.CONSTRUCTION_MODELS),
                        operator_name=synthetic.company_name(rng, city, domain[1]),
                        established_on=synthetic.random_date(
                            rng, dt.date(2012, 1, 1), dt.date(2018, 12, 31)
                        ),
                        description=f"面向{domain[0]}领域的中试验证服务。",
                    ),
                    domain,
                    synthetic.weight(rng),
                )
            )
        created = Platform.objects.bulk_create([spec[0] for spec in specs])
        self._recognitions(created)
        return [
            (platform, domain, w) for platform, (_, domain, w) in zip(created, specs, strict=True)
        ]

    def _recognitions(self, platforms):
        """One in ten platforms on a per-seed key list, one of those revoked; province totals."""
        listing, _ = RecognitionList.objects.get_or_create(
            name=f"{self.prefix}重点培育中试平台名单",
            defaults={"level": "miit_key", "issuer": "工业和信息化部", "batch": 1},
        )
        chosen = platforms[::10]
        Recognition.objects.bulk_create(
            Recognition(
                platform=platform,
                recognition_list=listing,
                granted_on=dt.date(2025, 5, 8),
                revoked_on=dt.date(2025, 10, 15) if i == 0 and len(chosen) > 1 else None,
            )
            for i, platform in enumerate(chosen)
        )
        per_province = {}
        for platform in chosen:
            province_id = platform.zone.province_id
            per_province[province_id] = per_province.get(province_id, 0) + 1
        ProvinceListTotal.objects.bulk_create(
            ProvinceListTotal(recognition_list=listing, province_id=pid, entries=2 * n)
            for pid, n in per_province.items()
        )

    def _enterprises(self, zones):
        """Clients in every sector; their USCCs carry the seed so seeds never collide."""
        rng = self.rng
        total = enterprise_count(self.total)
        seed_tag = _base31(self.seed % 961, 2)
        pools = {sector: [] for sector in words.BUSINESS_BY_SECTOR}
        sectors = list(pools)
        batch = []
        for n in range(total):
            _zone, city, region = zones[rng.randrange(len(zones))]
            sector = sectors[n % len(sectors)]
            batch.append(
                Enterprise(
                    name=synthetic.company_name(rng, city, sector),
                    uscc=synthetic.make_uscc(region, f"MB{seed_tag}{_base31(n, 5)}"),
                    sector=sector,
                    size=rng.choice(["small", "small", "micro", "medium", "large"]),
                    is_high_tech=rng.random() < 0.6,
                    srdi_level=rng.choice(["none"] * 6 + ["provincial"] * 3 + ["little_giant"]),
                    founded_on=synthetic.random_date(
                        rng, dt.date(2003, 1, 1), dt.date(2018, 12, 31)
                    ),
                )
            )
            if len(batch) == self.batch_size or n == total - 1:
                for enterprise in Enterprise.objects.bulk_create(batch):
                    pools[enterprise.sector].append(enterprise.pk)
                batch = []
                self.progress("enterprises", n + 1, total)
        return pools

    def _projects(self, platforms, pools):
        rng = self.rng
        weights = [w for _, _, w in platforms]
        counts = {"projects": 0, "yield runs": 0, "financings": 0}
        done = 0
        while done < self.total:
            size = min(self.batch_size, self.total - done)
            chosen = rng.choices(platforms, weights=weights, k=size)
            projects, children = [], []
            for offset, (platform, domain, _w) in enumerate(chosen):
                project, runs, rounds = self._project(rng, done + offset, platform, domain, pools)
                projects.append(project)
                children.append((runs, rounds))
            Project.objects.bulk_create(projects)
            runs, rounds = self._children(projects, children)
            YieldRun.objects.bulk_create(runs)
            Financing.objects.bulk_create(rounds)
            # bulk_create sends no signals; refresh this batch's summaries over its pk range
            # (a range, not a list of ids: no parameter limit, and any project that falls in it
            # gets correct figures anyway).
            Project.objects.filter(
                pk__gte=projects[0].pk, pk__lte=projects[-1].pk
            ).refresh_yield_summary()
            # With DEBUG on, Django keeps the SQL of the last 9,000 queries; multi-megabyte
            # INSERTs would pile up to gigabytes over a million projects.
            reset_queries()
            done += size
            counts["projects"] += size
            counts["yield runs"] += len(runs)
            counts["financings"] += len(rounds)
            self.progress("projects", done, self.total)
        return counts

    def _project(self, rng, serial, platform, domain, pools):
        start_on = synthetic.random_date(rng, words.FIRST_DAY, words.CUTOFF)
        new_product = start_on <= dt.date(2024, 6, 30) and rng.random() < 0.35
        sketch = synthetic.project_sketch(rng, domain, start_on, new_product, RUN_CHOICES)
        pool = pools[domain[1]]
        status = sketch["status"]
        revenue = 0 if status == "intent" else rng.randint(20, 3000) * 1000
        if new_product:
            output = rng.randint(50, 20000) * 10_000
        elif status in ("completed", "in_progress"):
            output = rng.randint(0, 500) * 10_000
        else:
            output = 0
        project = Project(
            code=f"{self.prefix}{serial + 1:07d}",
            platform=platform,
            enterprise_id=synthetic.pick_skewed(rng, pool),
            title=sketch["title"],
            product=sketch["product"],
            track=sketch["track"],
            stage=sketch["stage"],
            status=status,
            start_on=start_on,
            end_on=sketch["end_on"],
            service_revenue=Decimal(revenue),
            output_value=Decimal(output),
            new_product=new_product,
            confidentiality=sketch["confidentiality"],
        )
        rounds = []
        if status != "intent" and rng.random() < FINANCING_SHARE:
            taken = set()
            for _ in range(2 if rng.random() < 0.15 else 1):
                round_ = synthetic.financing_sketch(rng, start_on, taken)
                round_["amount"] = Decimal(rng.randint(20, 5000) * 10_000)
                taken.add(synthetic.round_key(round_))
                rounds.append(round_)
        return project, (sketch["runs"], sketch["unit"]), rounds

    @staticmethod
    def _children(projects, children):
        runs, rounds = [], []
        for project, ((project_runs, unit), project_rounds) in zip(projects, children, strict=True):
            more_runs, more_rounds = synthetic.run_and_round_instances(
                project.pk, project_runs, unit, project_rounds
            )
            runs += more_runs
            rounds += more_rounds
        return runs, rounds
