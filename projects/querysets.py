"""Query sets of the projects app: scoping (asked of ``platforms.access``), masking of
confidential text, and the yield summary kept on each project.

A project's yield gain is the yield of its latest run minus that of its earliest, in percentage
points; ``refresh_yield_summary`` keeps it on the project in SQL, so lists sort and filter by it
and reports average it over a million projects without touching the runs.
"""

from django.apps import apps
from django.db import models
from django.db.models import (
    BooleanField,
    Case,
    Count,
    F,
    FloatField,
    OuterRef,
    Subquery,
    Value,
    When,
)
from django.db.models.functions import Cast, Coalesce, Round

from platforms import access

from .confidential import masked_condition

# Yields and gains are stored in percent with four decimals.
PERCENT = {"max_digits": 7, "decimal_places": 4}


def run_percent():
    """A run's yield in percent (passed ÷ tested × 100), four decimals, computed in SQL."""
    return Round(
        Cast("units_passed", FloatField()) * 100 / F("units_tested"),
        4,
        output_field=models.DecimalField(**PERCENT),
    )


def first_run_percent(runs):
    """Subquery: the yield of the earliest of ``runs`` (by measured_on, then sequence)."""
    return Subquery(
        runs.order_by("measured_on", "sequence", "pk").annotate(p=run_percent()).values("p")[:1]
    )


def latest_run_percent(runs):
    """Subquery: the yield of the latest of ``runs`` (by measured_on, then sequence)."""
    return Subquery(
        runs.order_by("-measured_on", "-sequence", "-pk").annotate(p=run_percent()).values("p")[:1]
    )


class EnterpriseQuerySet(models.QuerySet):
    def visible_to(self, user):
        """Enterprises a user may see (``access.enterprises_visible_to``)."""
        return access.enterprises_visible_to(self, user)

    def linkable_by(self, user):
        """Enterprises a user may pick as a client (``access.enterprises_linkable_by``)."""
        return access.enterprises_linkable_by(self, user)

    def changeable_by(self, user):
        """Enterprises a user may rename or edit (``access.enterprises_changeable_by``)."""
        return access.enterprises_changeable_by(self, user)

    def editable_by(self, user):
        """What the generic object views ask of every model (``tracker.generic``): for an
        enterprise, editing it is changing it."""
        return self.changeable_by(user)


class ProjectQuerySet(models.QuerySet):
    def visible_to(self, user):
        """Projects of the platforms the user may read (``access.projects_visible_to``)."""
        return access.projects_visible_to(self, user)

    def editable_by(self, user):
        """Projects of the platforms the user is staff of (``access.projects_editable_by``)."""
        return access.projects_editable_by(self, user)

    def with_masking(self, user):
        """Annotate ``is_masked``: whether ``user`` must see "Confidential project" instead of
        the title, product and description (``access.unmasked_projects_q`` decides).

        One expression in the same SELECT, so a list costs no extra query; the ``shown_*``
        properties read it. A project loaded without it counts as masked if confidential.
        """
        masked = masked_condition(user)
        if masked is None:
            return self.annotate(is_masked=Value(False, output_field=BooleanField()))
        return self.annotate(
            is_masked=Case(
                When(masked, then=Value(True)),
                default=Value(False),
                output_field=BooleanField(),
            )
        )

    def refresh_yield_summary(self):
        """Recompute first/latest yield, run count and gain of these projects from their runs.

        Two UPDATE statements, whatever the number of projects: the per-project figures come from
        correlated subqueries over the runs (earliest/latest by measured_on, then sequence), the
        gain from those figures. Called after every run change and after bulk loads.
        """
        runs = apps.get_model("projects", "YieldRun").objects.filter(project_id=OuterRef("pk"))
        self.update(
            yield_run_count=Coalesce(
                Subquery(
                    runs.order_by().values("project_id").annotate(n=Count("pk")).values("n")[:1]
                ),
                0,
                output_field=models.PositiveIntegerField(),
            ),
            yield_first_pct=first_run_percent(runs),
            yield_latest_pct=latest_run_percent(runs),
        )
        self.update(
            yield_gain_pp=Case(
                When(yield_run_count__gte=2, then=F("yield_latest_pct") - F("yield_first_pct")),
                default=None,
                output_field=models.DecimalField(**PERCENT),
            ),
        )

    def new_products(self):
        """Projects whose product reached mass production or the market (孵化新产品)."""
        return self.filter(new_product=True)
