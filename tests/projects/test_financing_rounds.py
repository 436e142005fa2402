"""One financing row per project, date, round, instrument and investor: in the database, the
project form, the generators and the migration that removes the copies already stored."""

import datetime as dt
import random
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, connection, transaction
from django.db.migrations.executor import MigrationExecutor
from django.urls import reverse
from django.utils import translation

from projects.models import Financing
from tests import factories
from tests.workspace import add_financing, english, form_data, new_project_data
from tracker.devdata import demo, synthetic
from tracker.devdata import demo_data as words

BEFORE, AFTER = (
    ("projects", "0005_import_batch_claims"),
    ("projects", "0006_financing_unique_round"),
)


def round_of(project, **fields):
    values = {
        "project": project,
        "date": dt.date(2024, 6, 1),
        "round": "a",
        "instrument": "equity",
        "investor": "成都科创投",
        "amount": Decimal("10000000"),
        **fields,
    }
    return Financing(**values)


@pytest.mark.django_db
def test_the_database_keeps_one_row_per_round():
    project = factories.ProjectFactory()
    round_of(project).save()
    round_of(project, date=dt.date(2024, 6, 2)).save()  # another day: another round
    round_of(project, investor="").save()  # an unnamed investor is a value too
    with pytest.raises(IntegrityError), transaction.atomic():
        round_of(project, amount=Decimal("5")).save()
    with pytest.raises(ValidationError) as refused, translation.override("zh-hans"):
        round_of(project, amount=Decimal("5")).full_clean()
    assert "该项目在这一日期已有一笔" in str(refused.value)


@pytest.fixture
def staff_client(client, world):
    client.force_login(world["staff_a"])
    return english(client)


@pytest.mark.django_db
def test_the_project_form_refuses_the_same_round_twice_in_one_submission(staff_client, world):
    data = new_project_data(staff_client, world["platform_a"])
    data = add_financing(add_financing(data, "1,000"), "2,000")
    response = staff_client.post(reverse("projects:project_create"), data)
    assert response.status_code == 400
    errors = response.context["financing"].forms[1].non_field_errors()
    assert "This round is entered twice" in " ".join(errors)
    assert not Financing.objects.exists()


@pytest.mark.django_db
def test_the_project_form_refuses_a_round_already_saved(staff_client, world):
    project = factories.ProjectFactory(platform=world["platform_a"])
    round_of(project).save()
    url = reverse("projects:project_update", args=[project.pk])
    data = add_financing(form_data(staff_client.get(url)), "3,000")
    response = staff_client.post(url, data)
    assert response.status_code == 400
    errors = " ".join(response.context["financing"].forms[1].non_field_errors())
    assert "already has a financing round on that date" in errors
    assert project.financings.count() == 1


def late_projects(count):
    """Projects that start near the end of the data: their rounds pile up on the last day."""
    start = words.LAST_DAY - dt.timedelta(days=20)
    return [{"status": "in_progress", "start_on": start, "financings": []} for _ in range(count)]


def test_the_demo_never_plans_the_same_round_twice_for_a_project():
    projects = late_projects(30_000)
    demo._assign_financing(random.Random(7), projects, total_units=10_000_000)
    two = [p["financings"] for p in projects if len(p["financings"]) == 2]
    assert len(two) > 500  # the case that used to collide is common here
    for rounds in two:
        assert synthetic.round_key(rounds[0]) != synthetic.round_key(rounds[1])


def test_a_round_that_would_repeat_an_earlier_one_moves_a_day_earlier():
    start = words.LAST_DAY - dt.timedelta(days=20)
    first = synthetic.financing_sketch(random.Random(3), start)
    again = synthetic.financing_sketch(random.Random(3), start, {synthetic.round_key(first)})
    assert again["date"] == first["date"] - dt.timedelta(days=1)
    assert {k: v for k, v in again.items() if k != "date"} == {
        k: v for k, v in first.items() if k != "date"
    }


@pytest.mark.django_db(transaction=True)
def test_the_migration_removes_stored_copies_and_keeps_the_oldest_with_a_history_entry():
    executor = MigrationExecutor(connection)
    executor.migrate([BEFORE])
    try:
        project = factories.ProjectFactory()
        original = round_of(project)
        original.save()
        copies = [round_of(project) for _ in range(3)]
        for copy in copies:
            copy.save()  # allowed before the constraint: what concurrent confirms left
        other = round_of(project, round="b")
        other.save()
        executor = MigrationExecutor(connection)
        executor.migrate([AFTER])
        assert set(Financing.objects.values_list("pk", flat=True)) == {original.pk, other.pk}
        removed = Financing.history.filter(history_type="-").order_by("id")
        assert [entry.id for entry in removed] == [copy.pk for copy in copies]
        assert f"duplicate of financing #{original.pk}" in removed[0].history_change_reason
    finally:
        executor = MigrationExecutor(connection)
        executor.migrate(executor.loader.graph.leaf_nodes())


@pytest.mark.django_db(transaction=True)
def test_the_migration_stops_on_rows_that_share_a_key_but_differ(caplog):
    executor = MigrationExecutor(connection)
    executor.migrate([BEFORE])
    try:
        project = factories.ProjectFactory()
        round_of(project).save()
        round_of(project, amount=Decimal("20000000")).save()
        executor = MigrationExecutor(connection)
        with pytest.raises(RuntimeError, match="differ in amount or investor type"):
            executor.migrate([AFTER])
        assert Financing.objects.count() == 2  # nothing guessed, nothing removed
    finally:
        Financing.objects.all().delete()
        executor = MigrationExecutor(connection)
        executor.migrate(executor.loader.graph.leaf_nodes())
