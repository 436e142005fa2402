"""Two-character searches on PostgreSQL: a bigram GIN index beside the trigram ones.

Chinese words are mostly two characters (电池, 科技, a client's short name), and a trigram index
cannot serve a two-character ``LIKE '%电池%'``: it has no trigram to look up, so PostgreSQL
read the whole table (about a second at a million projects). ``projects_bigrams(text)`` is the
set of two-character pieces of a text; a GIN index over it answers "contains these two
characters" exactly (``projects.search``, which asks the index in a query of its own: the
function is slow to compute row by row). SQLite has neither; the step does nothing there.
"""

from django.db import migrations

FUNCTION = """
CREATE OR REPLACE FUNCTION projects_bigrams(value text) RETURNS text[]
LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE
AS $$
  SELECT ARRAY(
    SELECT DISTINCT substr(value, i, 2) FROM generate_series(1, char_length(value) - 1) AS i
  )
$$
"""
BIGRAM_INDEXES = {
    "projects_project_code_bigrams": ("projects_project", "code"),
    "projects_project_title_bigrams": ("projects_project", "title"),
    "projects_project_product_bigrams": ("projects_project", "product"),
    "projects_enterprise_name_bigrams": ("projects_enterprise", "name"),
}


def create_bigram_indexes(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute(FUNCTION)
    for name, (table, column) in BIGRAM_INDEXES.items():
        schema_editor.execute(
            f"CREATE INDEX IF NOT EXISTS {name} ON {table} "
            f"USING gin (projects_bigrams(UPPER({column}::text)))"
        )
    # Statistics of the new index expressions, for the planner's estimates right away.
    schema_editor.execute("ANALYZE projects_project")
    schema_editor.execute("ANALYZE projects_enterprise")


def drop_bigram_indexes(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for name in BIGRAM_INDEXES:
        schema_editor.execute(f"DROP INDEX IF EXISTS {name}")
    schema_editor.execute("DROP FUNCTION IF EXISTS projects_bigrams(text)")


class Migration(migrations.Migration):
    dependencies = [("projects", "0008_search_and_sort_indexes")]

    operations = [migrations.RunPython(create_bigram_indexes, drop_bigram_indexes)]
