"""Plausible synthetic records, shared by ``seed_demo`` (demo filler) and ``generate_bulk``.

Everything is drawn from a ``random.Random`` the caller seeds, using only operations whose
results are bit-identical on every platform (integer arithmetic, ``random()``, ``randint``,
``choice``; no ``lognormvariate``, whose ``log``/``exp`` come from the C library), so that the
same seed gives the same names, dates and amounts on every machine and database.
"""

import datetime as dt
import random

from projects.choices import TRACK_STAGES, ProjectStatus, Track
from projects.models import Financing, YieldRun
from tracker.validators import USCC_ALPHABET, uscc_check_character

from . import demo_data as words

DISCRETE_ACTIONS = ["小批量试产", "设计验证", "工程样机验证", "可靠性验证与试产", "量产导入"]
PROCESS_ACTIONS = ["中试放大", "工艺验证", "放大试验", "中试工艺开发", "连续化中试"]
PRODUCT_VARIANTS = ["", "", "", "第二代", "车规级", "低功耗", "高精度", "小型化", "国产化"]


def make_uscc(region: str, org9: str, kind: str = "91") -> str:
    """A USCC with a correct check character: kind (91 = company) + region + organisation code."""
    first17 = f"{kind}{region}{org9}"
    return first17 + uscc_check_character(first17)


def random_org_code(rng: random.Random, prefix: str) -> str:
    """A nine-character organisation code in the style of post-2015 registrations (MA…)."""
    return prefix + "".join(rng.choice(USCC_ALPHABET) for _ in range(9 - len(prefix)))


def weight(rng: random.Random) -> int:
    """A heavy-tailed positive integer weight (1..5000): a few large values, many small ones."""
    return int(100 / (rng.random() + 0.02))


def split_total(total: int, weights: list[int], minimum: int = 0) -> list[int]:
    """Split ``total`` into integers proportional to ``weights`` that add up to it exactly.

    Every part gets ``minimum`` first; a weight of 0 gets only the minimum. Integer arithmetic
    only, so the split is the same everywhere; the rounding remainder goes to the first parts.
    """
    rest = total - minimum * len(weights)
    if rest < 0:
        raise ValueError("total is below the minimum of every part")
    weight_sum = sum(weights)
    if weight_sum == 0:
        raise ValueError("at least one weight must be positive")
    parts = [minimum + rest * w // weight_sum for w in weights]
    remainder = total - sum(parts)
    positive = [i for i, w in enumerate(weights) if w > 0]
    for k in range(remainder):
        parts[positive[k % len(positive)]] += 1
    return parts


def random_date(rng: random.Random, start: dt.date, end: dt.date) -> dt.date:
    return start + dt.timedelta(days=rng.randint(0, (end - start).days))


def company_name(rng: random.Random, city: str, sector: str) -> str:
    """E.g. 成都睿芯微电子有限公司: city + two-syllable brand + line of business + legal form."""
    brand = "".join(rng.sample(words.BRAND_SYLLABLES, 2))
    business = rng.choice(words.BUSINESS_BY_SECTOR[sector])
    return f"{city}{brand}{business}{rng.choice(words.LEGAL_FORMS)}"


def enterprise_fields(rng: random.Random, city: str, region: str, sector: str, used: set) -> dict:
    """A client enterprise with a unique name and a unique, valid USCC (``used`` holds both)."""
    name = company_name(rng, city, sector)
    while name in used:
        name = company_name(rng, city, sector)
    uscc = make_uscc(region, random_org_code(rng, "MA"))
    while uscc in used:
        uscc = make_uscc(region, random_org_code(rng, "MA"))
    used.update((name, uscc))
    size = rng.choice(["small", "small", "small", "micro", "micro", "medium", "medium", "large"])
    srdi = rng.choice(["none"] * 6 + ["provincial"] * 3 + ["little_giant"])
    return {
        "name": name,
        "uscc": uscc,
        "sector": sector,
        "size": size,
        "is_high_tech": rng.random() < 0.6,
        "srdi_level": srdi,
        "founded_on": random_date(rng, dt.date(2003, 1, 1), dt.date(2018, 12, 31)),
    }


def pick_skewed(rng: random.Random, pool: list):
    """An element of ``pool``, the first ones far more often (a few clients bring many projects)."""
    u = rng.random()
    return pool[int(len(pool) * u * u)]


def _status(rng: random.Random, start_on: dt.date, new_product: bool) -> str:
    """A status that fits the project's age at mid-2025: old projects are mostly finished."""
    if new_product:
        return ProjectStatus.COMPLETED
    age = (words.CUTOFF - start_on).days
    if age > 540:
        options = ["completed"] * 12 + ["terminated"] * 3 + ["in_progress"] * 5
    elif age > 180:
        options = ["in_progress"] * 11 + ["completed"] * 5 + ["contracted"] * 2 + ["terminated"] * 2
    else:
        options = ["intent"] * 4 + ["contracted"] * 7 + ["in_progress"] * 9
    return rng.choice(options)


def _stage_index(rng: random.Random, status: str, new_product: bool) -> int:
    """Index of the current stage in the track (0 = EVT/lab … 3 = MP/industrial)."""
    if new_product:
        return 3
    if status == "intent":
        return 0
    if status == "contracted":
        return rng.randint(0, 1)
    if status == "completed":
        return 2
    return rng.choice([0, 1, 1, 2, 2, 2])


def _run_count(rng: random.Random, status: str, choices: list[int] | None) -> int:
    if status == "intent":
        return 0
    if status == "contracted":
        return rng.choice([0, 0, 1])
    if status == "terminated":
        return rng.choice([1, 1, 2])
    return rng.choice(choices or [1, 1, 2, 2, 2, 3, 3, 3, 4])


def yield_runs(
    rng: random.Random,
    track: str,
    unit: str,
    stage_index: int,
    count: int,
    start_on: dt.date,
) -> list[tuple]:
    """Runs as (stage, sequence, measured_on, tested, passed, first_pass), in time order.

    Yields mostly improve from run to run (a fixed design, a tuned process), with an occasional
    small setback; sample sizes grow with the stage. Dates are strictly increasing and no later
    than the end of 2025.
    """
    stages = TRACK_STAGES[track]
    top = min(stage_index, 2)
    picks = sorted([rng.randint(max(0, top - 1), top) for _ in range(count - 1)] + [top])
    # Gaps short enough that four runs of a project started in mid-2025 end within 2025.
    max_gap = 45 if start_on.year >= 2025 else 90
    runs, sequences, when = [], {}, start_on
    yield_pct = rng.randint(30, 80)
    for position, index in enumerate(picks):
        if position:
            yield_pct = max(5, min(99, yield_pct + rng.randint(-4, 22)))
        when = when + dt.timedelta(days=rng.randint(20, max_gap))
        stage = stages[index]
        sequences[stage] = sequences.get(stage, 0) + 1
        low, high = words.SAMPLE_SIZE[unit][index]
        tested = rng.randint(low, high)
        passed = tested * yield_pct // 100
        first_pass = passed - rng.randint(0, passed // 8)
        runs.append((stage.value, sequences[stage], when, tested, passed, first_pass))
    return runs


def project_sketch(
    rng: random.Random,
    domain: tuple,
    start_on: dt.date,
    new_product: bool,
    run_choices: list[int] | None = None,
) -> dict:
    """Everything about a synthetic project except its code, platform, client and amounts.

    ``run_choices`` overrides how many runs a project under way or finished has (1–4).
    """
    _name, _sector, track, unit, products = domain
    product = rng.choice(PRODUCT_VARIANTS) + rng.choice(products)
    actions = DISCRETE_ACTIONS if track == Track.DISCRETE else PROCESS_ACTIONS
    status = _status(rng, start_on, new_product)
    stage_index = _stage_index(rng, status, new_product)
    runs = yield_runs(rng, track, unit, stage_index, _run_count(rng, status, run_choices), start_on)
    end_on = None
    if status in ("completed", "terminated"):
        last = runs[-1][2] if runs else start_on
        end_on = min(last + dt.timedelta(days=rng.randint(15, 120)), words.LAST_DAY)
    return {
        "title": f"{product}{rng.choice(actions)}",
        "product": product,
        "track": track.value,
        "stage": TRACK_STAGES[track][stage_index].value,
        "status": status,
        "start_on": start_on,
        "end_on": end_on,
        "new_product": new_product,
        "confidentiality": rng.choice(["public"] * 6 + ["internal"] * 3 + ["confidential"]),
        "unit": unit.value,
        "runs": runs,
    }


def financing_sketch(rng: random.Random, start_on: dt.date, taken=()) -> dict:
    """A financing round (without amount): mostly equity, sometimes a bank or technology loan.

    ``taken`` holds the keys (``round_key``) of the project's earlier rounds: a round that
    would repeat one (two rounds capped at the last day, say) moves a day earlier, because the
    database keeps one row per date, round, instrument and investor. The dice are thrown as
    before, so every other round of a seed stays what it was.
    """
    when = min(start_on + dt.timedelta(days=rng.randint(30, 540)), words.LAST_DAY)
    if rng.random() < 0.7:
        investor, investor_type = rng.choice(words.EQUITY_INVESTORS)
        sketch = {
            "date": when,
            "round": rng.choice(words.EQUITY_ROUNDS),
            "instrument": "equity",
            "investor": investor,
            "investor_type": investor_type,
        }
    else:
        sketch = {
            "date": when,
            "round": "none",
            "instrument": rng.choice(words.DEBT_INSTRUMENTS),
            "investor": rng.choice(words.LENDERS),
            "investor_type": "bank",
        }
    while round_key(sketch) in taken:
        sketch["date"] -= dt.timedelta(days=1)
    return sketch


def round_key(sketch: dict) -> tuple:
    """What identifies a financing round of a project (see ``Financing``)."""
    return (sketch["date"], sketch["round"], sketch["instrument"], sketch["investor"])


def run_and_round_instances(project_id, runs, unit, financings):
    """The YieldRun and Financing rows of one generated project, ready for ``bulk_create``.

    ``runs`` are (stage, sequence, measured_on, tested, passed, first_pass) tuples as the
    generators here make them; ``financings`` are keyword dicts of Financing fields.
    """
    return (
        [
            YieldRun(
                project_id=project_id,
                stage=stage,
                sequence=sequence,
                measured_on=measured_on,
                units_tested=tested,
                units_passed=passed,
                first_pass_units=first_pass,
                unit=unit,
            )
            for stage, sequence, measured_on, tested, passed, first_pass in runs
        ],
        [Financing(project_id=project_id, **fields) for fields in financings],
    )
