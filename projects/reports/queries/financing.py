"""Financing totals of the projects in scope, by round, instrument, investor type or year.

A government guidance fund is an investor type, not a round (domain.md, "Financing"): the three
groupings are separate tables. Grants are not financing and are not counted here.
"""

from django.db.models import Count, Sum
from django.db.models.functions import ExtractYear

from projects.choices import FinancingInstrument, FinancingRound, InvestorType

from ..scope import Scope
from .base import Fen, scoped_financings, yuan

FINANCING_GROUPS = {
    "round": FinancingRound,
    "instrument": FinancingInstrument,
    "investor_type": InvestorType,
}


def financing_by(scope: Scope, user, group: str) -> list[dict]:
    """Financing totals by ``round``, ``instrument``, ``investor_type`` or ``year`` (of the date).

    Rows follow the order of the choice list (seed → IPO), years ascending.
    """
    financings = scoped_financings(scope, user)
    if group == "year":
        financings = financings.annotate(year=ExtractYear("date"))
    rows = financings.values(group).annotate(fen=Sum(Fen("amount")), rounds=Count("pk"))
    by_key = {row[group]: row for row in rows}
    if group == "year":
        keys = sorted(by_key)
        labels = {key: str(key) for key in keys}
    else:
        choices = FINANCING_GROUPS[group]
        keys = [value for value in choices.values if value in by_key]
        labels = {value: choices(value).label for value in keys}
    return [
        {
            "key": key,
            "label": labels[key],
            "rounds": by_key[key]["rounds"],
            "amount": yuan(by_key[key]["fen"]),
        }
        for key in keys
    ]
