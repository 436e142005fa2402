"""The roll-up as sentences ready to paste into an official briefing, in Chinese and English.

The two texts are generated side by side (a manager pastes the Chinese one into a 简报 and the
English one into a report for foreign partners), so both languages are written here rather than
through the UI catalogue: the wording must not change with the reader's interface language.

How figures are stated (never more than the data supports):

Amounts (yuan, exact Decimal) are stated in 亿元 from 10^8, 万元 from 10^4, else 元 (English:
billion / million / yuan, the same digits). Let E be the order of magnitude of the amount X:

1. Exact: if X has at most three significant digits (e.g. 18亿元, 19.6亿元, 0元), it is stated
   plainly, without qualifier.
2. 近 / "nearly": if X lies below a one-significant-digit figure N (20亿, 100亿, 1万 ...) by at
   most 3% of N, it is stated as "近N" ("nearly N"): N is above X, and the word says so.
3. 超 / "over": otherwise X is floored to a multiple of 5 in its third significant digit
   (step 5 × 10^(E−2): 18.26亿 → 18亿, 28.72亿 → 28.5亿, 102.6亿 → 100亿) and stated as
   "超F" ("over F"). F is strictly below X. Flooring (never rounding) is what keeps 超 honest,
   and the half step gives the published precision: "超18亿元", "超28.5亿元", "超100亿元".

约 ("about") is never generated: a rounded figure may lie above the data.

Counts are stated exactly in a zone (or wider) briefing, as the zone bulletin does ("4547个").
A single platform's briefing rounds them, as the platform bulletin does ("600余项", "近400个"):
below 100 a count is always exact; otherwise the rounding unit is the hundreds for three-digit
counts and the second significant digit above (4547 → 4500), and

1. a multiple of the unit is stated plainly ("600项");
2. a count below a one-significant-digit figure N by at most 3% of N is "近N" (389 → 近400);
3. otherwise it is floored to the unit and followed by 余 ("over"): 612 → 600余项.

The list share is stated as a whole percentage when it is one ("50%"), otherwise floored and
marked 超 / "over" ("超43%"); it is left out when it is unknown (several provinces in scope, or
the province's reference total is missing).

Every text names its scope first and ends with its date. The scope is the platform's name for
one platform ("成都高新蜂鸟智能硬件中试平台…"), otherwise the zone's name (or "3个园区" / "The 3
zones" when the scope spans several) followed by the sector ("成都高新区信息技术领域…"); the start
years follow where the projects are counted ("2024年服务中试项目…"), because a year filter narrows
the projects, not the platforms. The last line is "数据截至YYYY年M月D日" / "Data as of D Month
YYYY": the newest record's date in scope (``Headline.as_of``, the day a project in scope was last
written) or, when a reporting period is chosen, its end date (the ``as_of`` argument of
``briefing``); today when the scope holds no record yet.

The mean and median gain are stated to 0.1 pp, rounded half up like every figure the tracker
shows (``tracker.formatting``: most bulletins round half up; GB/T 8170's round-half-even is not
used).
"""

import datetime as dt
from dataclasses import dataclass
from decimal import ROUND_FLOOR, Decimal

from django.utils import timezone, translation

from platforms.choices import Sector
from tracker.formatting import BILLION, MILLION, WAN, YI, format_number

from .queries import Headline

EXACT, NEARLY, OVER = "exact", "nearly", "over"
# English month names, independent of the process locale (strftime's %B is not).
MONTHS = (
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
)
NEARLY_WITHIN = Decimal("0.03")


@dataclass(frozen=True)
class Stated:
    """A figure as a briefing states it: the qualifier and the (round) figure it names."""

    qualifier: str
    figure: Decimal


def _magnitude(value: Decimal) -> int:
    """E such that 10^E ≤ value < 10^(E+1) (value > 0)."""
    return value.adjusted()


def _next_round_figure(value: Decimal) -> Decimal:
    """The one-significant-digit figure just above value: 389 → 400, 1.826e9 → 2e9, 9.9 → 10."""
    unit = Decimal(10) ** _magnitude(value)
    return ((value / unit).to_integral_value(ROUND_FLOOR) + 1) * unit


def _is_nearly(value: Decimal) -> Decimal | None:
    target = _next_round_figure(value)
    return target if target - value <= NEARLY_WITHIN * target else None


def state_amount(value: Decimal) -> Stated:
    """How an amount in yuan is stated (rules in the module docstring)."""
    value = Decimal(value)
    if value <= 0:
        return Stated(EXACT, Decimal(0))
    magnitude = _magnitude(value)
    if value % (Decimal(10) ** (magnitude - 2)) == 0:
        return Stated(EXACT, value)
    nearly = _is_nearly(value)
    if nearly is not None:
        return Stated(NEARLY, nearly)
    step = 5 * Decimal(10) ** (magnitude - 2)
    return Stated(OVER, (value / step).to_integral_value(ROUND_FLOOR) * step)


def state_count(value: int, *, rounded: bool) -> Stated:
    """How a count is stated: exactly, or (``rounded``) with 余 / 近 (rules in the docstring)."""
    if not rounded or value < 100:
        return Stated(EXACT, Decimal(value))
    digits = len(str(value))
    unit = 10 ** (digits - 1) if digits <= 3 else 10 ** (digits - 2)
    if value % unit == 0:
        return Stated(EXACT, Decimal(value))
    nearly = _is_nearly(Decimal(value))
    if nearly is not None:
        return Stated(NEARLY, nearly)
    return Stated(OVER, Decimal(value // unit * unit))


def state_share(share: Decimal) -> Stated:
    """A share 0–1 as a whole percentage, floored and marked "over" unless it is exact."""
    percent = share * 100
    whole = percent.to_integral_value(ROUND_FLOOR)
    return Stated(EXACT if whole == percent else OVER, whole)


def _plain(number: Decimal) -> str:
    """A figure without trailing zeros or exponent: 18.00 → "18", 28.50 → "28.5"."""
    text = f"{number:f}"
    return text.rstrip("0").rstrip(".") if "." in text else text


def _grouped(number: Decimal) -> str:
    text = f"{number:,f}"
    return text.rstrip("0").rstrip(".") if "." in text else text


# --------------------------------------------------------------------------------------------
# Chinese


def amount_zh(value: Decimal) -> str:
    """1,834,567,890.12 → "超18亿元"; 1,960,000,000.01 → "近20亿元"; 18亿 exactly → "18亿元"."""
    stated = state_amount(value)
    figure = stated.figure
    if figure >= YI:
        text = f"{_plain(figure / YI)}亿元"
    elif figure >= WAN:
        text = f"{_plain(figure / WAN)}万元"
    else:
        text = f"{_plain(figure)}元"
    return {EXACT: "", NEARLY: "近", OVER: "超"}[stated.qualifier] + text


def count_zh(value: int, measure: str, *, rounded: bool = False) -> str:
    """612 项 → "600余项"; 389 个 → "近400个"; exact: "4547个" (no thousands separator)."""
    stated = state_count(value, rounded=rounded)
    number = _plain(stated.figure)
    if stated.qualifier == NEARLY:
        return f"近{number}{measure}"
    if stated.qualifier == OVER:
        return f"{number}余{measure}"
    return f"{number}{measure}"


def share_zh(share: Decimal) -> str:
    stated = state_share(share)
    return ("超" if stated.qualifier == OVER else "") + f"{_plain(stated.figure)}%"


# --------------------------------------------------------------------------------------------
# English


def amount_en(value: Decimal) -> str:
    """1,834,567,890.12 → "over 1.8 billion yuan"; 2.87e9 → "over 2.85 billion yuan"."""
    stated = state_amount(value)
    figure = stated.figure
    if figure >= BILLION:
        text = f"{_grouped(figure / BILLION)} billion yuan"
    elif figure >= MILLION:
        text = f"{_grouped(figure / MILLION)} million yuan"
    else:
        text = f"{_grouped(figure)} yuan"
    return {EXACT: "", NEARLY: "nearly ", OVER: "over "}[stated.qualifier] + text


def count_en(value: int, *, rounded: bool = False) -> str:
    """4547 → "4,547"; rounded: 612 → "over 600", 389 → "nearly 400"."""
    stated = state_count(value, rounded=rounded)
    number = _grouped(stated.figure)
    return {EXACT: "", NEARLY: "nearly ", OVER: "over "}[stated.qualifier] + number


def share_en(share: Decimal) -> str:
    stated = state_share(share)
    return ("over " if stated.qualifier == OVER else "") + f"{_plain(stated.figure)}%"


def _plural(count: int, singular: str, plural: str) -> str:
    return singular if count == 1 else plural


# --------------------------------------------------------------------------------------------
# Sentences


def _first_list(rollup: Headline) -> bool:
    """The key platforms are all on batch 1 lists: the briefing may say "first list"."""
    return rollup.key_list_batches == (1, 1)


def _period_zh(scope) -> str:
    """累计 (cumulative) without a year filter, else the start years: 2024年, 2022年以来 ..."""
    first, last = scope.year_from, scope.year_to
    if first is None and last is None:
        return "累计"
    if first == last:
        return f"{first}年"
    if first is not None and last is not None:
        return f"{first}—{last}年"
    return f"{first}年以来" if first is not None else f"{last}年及以前"


def _started_en(scope) -> str:
    """Nothing without a year filter, else " started in 2024", " started in 2022–2024", ..."""
    first, last = scope.year_from, scope.year_to
    if first is None and last is None:
        return ""
    if first == last:
        return f" started in {first}"
    if first is not None and last is not None:
        return f" started in {first}–{last}"
    return f" started in or after {first}" if first is not None else f" started by {last}"


def _sector_label(scope, language: str) -> str:
    with translation.override(language):
        return str(Sector(scope.sector).label)


def scope_zh(rollup: Headline) -> str:
    """The subject of the Chinese text: "成都高新区信息技术领域", "3个园区", a platform's name."""
    scope = rollup.scope
    if scope.platform is not None:
        return scope.platform.name
    if scope.zone is not None:
        place = scope.zone.name
    elif rollup.zone_name:
        place = rollup.zone_name
    elif rollup.zones:
        place = f"{rollup.zones}个园区"
    else:
        place = "所选范围"
    return place + (f"{_sector_label(scope, 'zh-hans')}领域" if scope.sector else "")


def scope_en(rollup: Headline) -> str:
    """The subject of the English text: "Chengdu Hi-tech Zone", "The 3 zones", a platform."""
    scope = rollup.scope
    if scope.platform is not None:
        return scope.platform.name_en or scope.platform.name
    if scope.zone is not None:
        return scope.zone.name_en or scope.zone.name
    if rollup.zone_name_en:
        return rollup.zone_name_en
    return f"The {rollup.zones} zones" if rollup.zones else "The selection"


def _sector_en(scope) -> str:
    return f" in {_sector_label(scope, 'en').lower()}" if scope.sector else ""


def data_date(rollup: Headline, as_of: dt.date | None = None) -> dt.date:
    """The date the text is "as of": a chosen period's end (``as_of``, or the scope's
    ``as_of``: the last day of its reporting period), else the newest record's date."""
    period_end = getattr(rollup.scope, "as_of", None)
    return as_of or period_end or rollup.as_of or timezone.localdate()


def as_of_zh(date: dt.date) -> str:
    return f"数据截至{date.year}年{date.month}月{date.day}日。"


def as_of_en(date: dt.date) -> str:
    return f"Data as of {date.day} {MONTHS[date.month - 1]} {date.year}."


def briefing_zh(rollup: Headline) -> str:
    """The Chinese briefing; punctuation as in the published sentence the product reproduces."""
    scope = rollup.scope
    rounded = scope.platform is not None
    sentences = []
    money = (
        f"中试服务收入{amount_zh(rollup.service_revenue)},"
        f"产品产值{amount_zh(rollup.output_value)},"
        f"助力企业融资{amount_zh(rollup.financing)}"
    )
    period = _period_zh(scope)
    if rounded:
        sentences.append(
            f"{scope.platform.name}{period}服务中试项目"
            f"{count_zh(rollup.projects, '项', rounded=True)},{money}。"
        )
    else:
        head = f"{scope_zh(rollup)}共有中试平台{rollup.platforms}家"
        if rollup.key_platforms:
            batch = "首批" if _first_list(rollup) else ""
            head += f",其中工信部{batch}重点培育中试平台{rollup.key_platforms}家"
            if rollup.key_platform_share is not None:
                head += f"(占全省{share_zh(rollup.key_platform_share)})"
        sentences.append(f"{head};{period}服务中试项目{count_zh(rollup.projects, '个')},{money}。")
    sentences.append(
        f"服务企业{count_zh(rollup.enterprises, '家', rounded=rounded)},"
        f"孵化新产品{count_zh(rollup.new_products, '个', rounded=rounded)}。"
    )
    if rollup.yield_projects:
        mean = rollup.yield_gain_pp_mean
        direction = "提升" if mean >= 0 else "下降"
        sentences.append(
            f"有两次及以上良率记录的{rollup.yield_projects}个项目,"
            f"良率平均{direction}{format_number(abs(mean))}个百分点"
            f"(中位数{format_number(rollup.yield_gain_pp_median)}个百分点)。"
        )
    return "".join(sentences)


def briefing_en(rollup: Headline) -> str:
    """The English briefing, the same figures stated by the same rules."""
    scope = rollup.scope
    rounded = scope.platform is not None
    sentences = []
    money = (
        f"pilot-service revenue {amount_en(rollup.service_revenue)}, "
        f"product output value {amount_en(rollup.output_value)}, "
        f"and financing raised {amount_en(rollup.financing)}"
    )
    started = _started_en(scope)
    projects_word = _plural(rollup.projects, "pilot project", "pilot projects")
    if rounded:
        sentences.append(
            f"{scope_en(rollup)} has served {count_en(rollup.projects, rounded=True)} "
            f"{projects_word}{started}, with {money}."
        )
    else:
        subject = scope_en(rollup)
        verb = "have" if subject.startswith("The ") and rollup.zones > 1 else "has"
        platforms_word = _plural(rollup.platforms, "pilot-test platform", "pilot-test platforms")
        head = (
            f"{subject} {verb} built {count_en(rollup.platforms)} {platforms_word}"
            f"{_sector_en(scope)}"
        )
        if rollup.key_platforms:
            which = "first list" if _first_list(rollup) else "lists"
            head += (
                f", {count_en(rollup.key_platforms)} of them on MIIT's {which} of key "
                "cultivated pilot platforms"
            )
            if rollup.key_platform_share is not None:
                head += f" ({share_en(rollup.key_platform_share)} of the province's)"
        sentences.append(
            f"{head}. They have served {count_en(rollup.projects)} {projects_word}{started}, "
            f"with {money}."
        )
    enterprises_word = _plural(rollup.enterprises, "enterprise", "enterprises")
    products_word = _plural(rollup.new_products, "new product", "new products")
    pronoun = "It" if rounded else "They"
    sentences.append(
        f"{pronoun} served {count_en(rollup.enterprises, rounded=rounded)} {enterprises_word} and "
        f"incubated {count_en(rollup.new_products, rounded=rounded)} {products_word}."
    )
    if rollup.yield_projects:
        mean = rollup.yield_gain_pp_mean
        direction = "rose" if mean >= 0 else "fell"
        with_runs = _plural(rollup.yield_projects, "project", "projects")
        sentences.append(
            f"Across the {count_en(rollup.yield_projects)} {with_runs} with at least two yield "
            f"runs, yield {direction} by {format_number(abs(mean))} percentage points on average "
            f"(median {format_number(rollup.yield_gain_pp_median)})."
        )
    return " ".join(sentences)


def briefing(rollup: Headline, language: str, as_of: dt.date | None = None, basis=None) -> str:
    """The briefing in ``language`` ("zh-hans" or "en"), its date on the last line.

    ``as_of`` is the end of a chosen reporting period; without one the text is dated by the
    newest record in scope. An official roll-up (``basis``: the approved returns of a round)
    ends instead with what it rests on (``basis_note``).
    """
    zh = language.startswith("zh")
    text = briefing_zh(rollup) if zh else briefing_en(rollup)
    if basis is not None:
        return f"{text}\n{basis_note(basis, language)}"
    date = data_date(rollup, as_of)
    return f"{text}\n{as_of_zh(date) if zh else as_of_en(date)}"


def basis_note(basis, language: str) -> str:
    """What an official (returns-based) roll-up rests on: its date and M of N approved returns:
    "数据截至2025年12月31日，依据96家平台中1家已审核报表。" / "Figures as of 31 December 2025,
    from the approved returns of 1 of 96 platforms." """
    day = basis.as_of
    if language.startswith("zh"):
        return (
            f"数据截至{day.year}年{day.month}月{day.day}日，依据{basis.returns_expected}家平台中"
            f"{basis.returns_approved}家已审核报表。"
        )
    return (
        f"Figures as of {day.day} {MONTHS[day.month - 1]} {day.year}, from the approved "
        f"returns of {basis.returns_approved} of {basis.returns_expected} "
        f"{_plural(basis.returns_expected, 'platform', 'platforms')}."
    )
