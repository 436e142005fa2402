"""Write values the constraints now refuse, as rows written before the constraints existed.

A database that ran the app before a rule became a CHECK constraint may still hold rows that
break it (the migration refuses to add the constraint over them, but the read path must stand
them meanwhile). Tests create such rows with raw SQL around the constraints: on SQLite with
``PRAGMA ignore_check_constraints``, on PostgreSQL by dropping the constraint inside the test's
transaction (rolled back with it).
"""

from contextlib import contextmanager

from django.db import connection


@contextmanager
def check_constraints_off(model, *names):
    """Within the block, the named CHECK constraints of ``model``'s table are not enforced."""
    table = connection.ops.quote_name(model._meta.db_table)
    with connection.cursor() as cursor:
        if connection.vendor == "sqlite":
            cursor.execute("PRAGMA ignore_check_constraints = ON")
            try:
                yield
            finally:
                cursor.execute("PRAGMA ignore_check_constraints = OFF")
            return
        # ALTER TABLE refuses to run while deferred foreign-key checks of the test's own
        # inserts are pending: run them now.
        cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
        for name in names:
            cursor.execute(
                f"ALTER TABLE {table} DROP CONSTRAINT IF EXISTS {connection.ops.quote_name(name)}"
            )
        cursor.execute("SET CONSTRAINTS ALL DEFERRED")
        yield


def write_raw(model, pk, constraints=(), **values):
    """``UPDATE <table> SET <column> = <value>, ... WHERE id = pk`` with raw SQL, around
    ``constraints``; numbers are sent as text, as any SQL client would write them."""
    table = connection.ops.quote_name(model._meta.db_table)
    columns = ", ".join(
        f"{connection.ops.quote_name(model._meta.get_field(name).column)} = %s" for name in values
    )
    params = [str(value) for value in values.values()]
    with check_constraints_off(model, *constraints), connection.cursor() as cursor:
        cursor.execute(f"UPDATE {table} SET {columns} WHERE id = %s", [*params, pk])  # noqa: S608
