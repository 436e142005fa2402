"""``generate_bulk`` writes N plausible projects, deterministically for a seed, with correct
yield summaries, next to the demo data and to other seeds."""

import io

import pytest
from django.core.management import CommandError, call_command
from django.db import transaction
from django.db.models import Count, Sum
from django.utils import translation

from platforms.models import Platform, Recognition, Zone
from projects.models import Enterprise, Financing, Project, YieldRun
from tracker.validators import validate_uscc

N = 200


def generate(projects=N, seed=7):
    err = io.StringIO()
    call_command("generate_bulk", projects=projects, seed=seed, stdout=io.StringIO(), stderr=err)
    return err.getvalue()


def fingerprint(seed):
    """What must not change between two runs of the same seed."""
    projects = Project.objects.filter(code__startswith=f"BULK-{seed}-").order_by("code")
    return {
        "projects": list(
            projects.values_list(
                "code",
                "title",
                "platform__name",
                "enterprise__uscc",
                "start_on",
                "service_revenue",
                "output_value",
                "yield_gain_pp",
            )
        ),
        "runs": list(
            YieldRun.objects.filter(project__in=projects)
            .order_by("project__code", "stage", "sequence")
            .values_list("project__code", "stage", "sequence", "units_tested", "units_passed")
        ),
        "financing": list(
            Financing.objects.filter(project__in=projects)
            .order_by("project__code", "date", "amount")
            .values_list("project__code", "date", "round", "amount")
        ),
    }


def test_generates_n_projects_with_about_three_runs_and_some_financing_each(db):
    generate()
    projects = Project.objects.filter(code__startswith="BULK-7-")
    assert projects.count() == N
    runs = YieldRun.objects.filter(project__in=projects).count()
    rounds = Financing.objects.filter(project__in=projects).count()
    assert 2.5 <= runs / N <= 3.5
    assert 0.15 <= rounds / N <= 0.45
    assert Platform.objects.filter(name__contains="BULK-7-").count() >= 3
    assert Zone.objects.count() >= 10
    assert Zone.objects.values("province").distinct().count() >= 8


def test_the_same_seed_gives_the_same_codes_amounts_and_runs(db):
    with transaction.atomic():
        generate()
        first = fingerprint(7)
        transaction.set_rollback(True)
    generate()
    assert fingerprint(7) == first
    assert len(first["projects"]) == N


def test_another_seed_gives_other_data_next_to_the_first(db):
    generate(seed=7)
    generate(seed=8)
    assert Project.objects.filter(code__startswith="BULK-8-").count() == N
    seven, eight = fingerprint(7), fingerprint(8)
    assert [row[5:7] for row in seven["projects"]] != [row[5:7] for row in eight["projects"]]


def test_loading_a_seed_twice_is_refused(db):
    generate()
    # In English whatever language an earlier test left active (run alone, it is zh-hans).
    with translation.override("en"), pytest.raises(CommandError, match="already loaded"):
        generate()
    assert Project.objects.filter(code__startswith="BULK-7-").count() == N


def test_yield_summaries_are_correct_after_the_bulk_load(db):
    generate()
    fields = ("code", "yield_run_count", "yield_first_pct", "yield_latest_pct", "yield_gain_pp")
    stored = list(Project.objects.order_by("code").values_list(*fields))
    assert any(row[4] is not None for row in stored)
    Project.objects.all().refresh_yield_summary()
    assert list(Project.objects.order_by("code").values_list(*fields)) == stored
    runs = dict(Project.objects.annotate(n=Count("yield_runs")).values_list("code", "n"))
    assert all(row[1] == runs[row[0]] for row in stored)


def test_records_are_valid_and_dated_2019_to_2025(db):
    generate()
    for uscc in Enterprise.objects.values_list("uscc", flat=True):
        validate_uscc(uscc)
    assert not Project.objects.exclude(start_on__year__range=(2019, 2025)).exists()
    assert not YieldRun.objects.exclude(measured_on__year__range=(2019, 2025)).exists()
    assert not Financing.objects.exclude(date__year__range=(2019, 2025)).exists()
    assert Recognition.objects.current().exists()


def test_progress_is_reported_per_batch(db):
    output = generate()
    assert f"projects: {N:,}/{N:,}" in output
    assert "enterprises:" in output


def test_bulk_data_leaves_the_demo_figures_alone(db, demo):
    # Written on top of the session's demo data, in this test's transaction (rolled back).
    chengdu = Zone.objects.get(name="成都高新区")
    before = Project.objects.filter(platform__zone=chengdu).aggregate(
        n=Count("pk"), revenue=Sum("service_revenue")
    )
    generate()
    after = Project.objects.filter(platform__zone=chengdu).aggregate(
        n=Count("pk"), revenue=Sum("service_revenue")
    )
    assert after == before
    assert Platform.objects.filter(zone=chengdu).count() == 96
    assert Project.objects.filter(code__startswith="BULK-7-").count() == N


@pytest.mark.parametrize("options", [{"projects": 0}, {"projects": 5, "seed": 5000}])
def test_bad_arguments_are_refused_with_a_clear_message(db, options):
    with pytest.raises(CommandError):
        call_command("generate_bulk", stdout=io.StringIO(), stderr=io.StringIO(), **options)
