"""The search index on SQLite (FTS5 trigram tables kept by triggers, ``projects.0010``).

Whatever is typed is searched as text, never as FTS5 syntax; renames, edits and deletions are
followed at once; and a later migration that remakes the tables (SQLite copies a table to
change it, dropping its triggers) keeps the index in step through
``tracker.migration_steps``. The results are those of a plain scan (``test_search``), on either
database; the trigger tests are SQLite's own.
"""

import pytest
from django.apps import apps
from django.db import connection
from django.db.migrations.state import ProjectState
from django.test.utils import CaptureQueriesContext

from projects.models import Enterprise, Project
from tests import factories
from tests.projects.test_search import READERS, found, plain_scan
from tracker.migration_steps import (
    SEARCH_INDEXES,
    restore_data_version_triggers,
    restore_search_index_triggers,
)

pytestmark = pytest.mark.django_db

HOSTILE_TITLES = ['电池"模组', "x*y电池", "A AND B型", "NEAR(abc 相机", "a-b-c 模组", "col : 值x"]
HOSTILE_TEXTS = [
    '"',
    '池"模',
    '"模组',
    '""',
    "x*y",
    "*y电",
    "AND B",
    "A AND",
    "NEAR(",
    "NEAR(abc",
    "a-b",
    "-b-",
    "col : 值",
    "{title} : x",
    "^NEA",
    "abc OR 电池",
    "a-b-c 模组",
]

sqlite_only = pytest.mark.skipif(
    connection.vendor != "sqlite", reason="SQLite's FTS5 index and triggers"
)


@pytest.mark.parametrize("text", HOSTILE_TEXTS)
def test_fts5_syntax_in_the_text_is_searched_as_text(client, world, text):
    for number, title in enumerate(HOSTILE_TITLES):
        factories.ProjectFactory(code=f"H-{number}", platform=world["platform_a"], title=title)
    factories.ProjectFactory(
        code="H-9", platform=world["platform_a"], enterprise=factories.EnterpriseFactory(name=text)
    )
    for reader in READERS:
        assert found(client, world, reader, text) == plain_scan(world[reader], text), reader


@sqlite_only
def test_a_long_word_is_looked_up_in_the_fts5_index(client, world):
    """Without the index the results would be the same, only slow: check it is asked."""
    factories.ProjectFactory(code="A-1", platform=world["platform_a"], title="固态电池模组")
    client.force_login(world["admin_user"])
    with CaptureQueriesContext(connection) as queries:
        assert found(client, world, "admin_user", "电池模") == {"A-1"}
    sql = " ".join(query["sql"] for query in queries.captured_queries)
    for _, (index, _) in SEARCH_INDEXES.items():
        assert f"{index} MATCH" in sql


def test_renaming_a_client_moves_its_projects_in_the_search(client, world):
    renamed = factories.EnterpriseFactory(name="旧名称电子公司")
    factories.ProjectFactory(code="A-1", platform=world["platform_a"], enterprise=renamed)
    assert found(client, world, "admin_user", "旧名称") == {"A-1"}
    Enterprise.objects.filter(pk=renamed.pk).update(name="新名字光学公司")
    assert found(client, world, "admin_user", "旧名称") == set()
    assert found(client, world, "admin_user", "新名字光") == {"A-1"}


def test_edited_and_deleted_projects_leave_the_search(client, world):
    edited = factories.ProjectFactory(code="A-1", platform=world["platform_a"], title="量子雷达")
    deleted = factories.ProjectFactory(code="A-2", platform=world["platform_a"], title="量子雷达")
    assert found(client, world, "admin_user", "量子雷") == {"A-1", "A-2"}
    edited.title = "光学镜头"
    edited.save()
    deleted.delete()
    assert found(client, world, "admin_user", "量子雷") == set()
    assert found(client, world, "admin_user", "学镜头") == {"A-1"}


def search_triggers() -> set[str]:
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT name FROM sqlite_master WHERE type = 'trigger' AND name LIKE '%search%'"
        )
        return {row[0] for row in cursor.fetchall()}


@sqlite_only
@pytest.mark.django_db(transaction=True)
def test_a_later_migration_remaking_the_tables_keeps_the_index_in_step(client, world):
    """What a future AlterField does on SQLite: copy each table and drop the old one (and its
    triggers), then the restore steps the migrations end with."""
    triggers = search_triggers()
    assert triggers == {
        f"{table}_search_{event}"
        for table in SEARCH_INDEXES
        for event in ("insert", "update", "delete")
    }
    state = ProjectState.from_apps(apps)
    # (Legacy renaming: the financing triggers of ``reports.0003`` name projects_project, which
    # SQLite would otherwise refuse to find while the copy takes its place.)
    with connection.cursor() as cursor:
        cursor.execute("PRAGMA legacy_alter_table = ON")
    try:
        with connection.schema_editor() as editor:
            for model in (Project, Enterprise):
                editor._remake_table(model)
    finally:
        with connection.cursor() as cursor:
            cursor.execute("PRAGMA legacy_alter_table = OFF")
    assert search_triggers() == set()  # what the rebuild leaves: the bug guarded against
    with connection.schema_editor() as editor:
        restore_data_version_triggers(["projects_project"]).code(state.apps, editor)
        restore_search_index_triggers(["projects_enterprise"]).code(state.apps, editor)
    assert search_triggers() == triggers

    company = factories.EnterpriseFactory(name="重建之后公司")
    project = factories.ProjectFactory(
        code="A-1", platform=world["platform_a"], enterprise=company, title="重建后的标题"
    )
    assert found(client, world, "admin_user", "建之后") == {"A-1"}
    assert found(client, world, "admin_user", "后的标") == {"A-1"}
    project.title = "另一个标题"
    project.save()
    assert found(client, world, "admin_user", "后的标") == set()
