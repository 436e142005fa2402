"""Benchmark: render time of the first and the last page of /projects/ (not a test).

Run on whatever database ``DATABASE_URL`` points at, after loading scale data::

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/pt_ws \\
        .venv/bin/python manage.py generate_bulk --projects 1000000
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/pt_ws \\
        .venv/bin/python -m benchmarks.bench_project_list

Each page is requested through Django's test client (full middleware, view, template) as a
superuser, who sees every project, and as the manager of the biggest zone; one warm-up request,
then ``--repeat`` timed ones. The two benchmark users are created if missing.
"""

import argparse
import os
import statistics
import time

PAGES = {"first page": "/projects/", "last page": "/projects/?page=last"}
TARGET_MS = 300


def _setup_django():
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "tracker.settings")
    import django

    django.setup()


def _users():
    """A superuser and the manager of the zone with the most projects."""
    from django.contrib.auth import get_user_model
    from django.db.models import Count

    from platforms.models import Zone, ZoneMembership

    user_model = get_user_model()
    admin, _ = user_model.objects.get_or_create(
        username="bench-admin", defaults={"is_superuser": True, "is_staff": True}
    )
    manager, _ = user_model.objects.get_or_create(username="bench-manager")
    zone = Zone.objects.annotate(n=Count("platforms__projects")).order_by("-n").first()
    if zone is not None:
        ZoneMembership.objects.get_or_create(user=manager, zone=zone)
    return {"superuser": admin, f"manager of {zone}": manager}


def _time(client, url, repeat):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    response = client.get(url)  # warm-up: connection, caches, templates
    assert response.status_code == 200, response.status_code
    timings = []
    for _ in range(repeat):
        start = time.perf_counter()
        response = client.get(url)
        timings.append((time.perf_counter() - start) * 1000)
    with CaptureQueriesContext(connection) as queries:
        client.get(url)
    return timings, len(queries.captured_queries)


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=5, help="timed requests per page")
    args = parser.parse_args(argv)
    _setup_django()

    from django.db import connection
    from django.test import Client

    from projects.models import Project

    total = Project.objects.count()
    print(f"database: {connection.vendor} {connection.settings_dict['NAME']}; projects: {total:,}")
    worst = 0.0
    for role, user in _users().items():
        client = Client(HTTP_HOST="127.0.0.1")
        client.force_login(user)
        for name, url in PAGES.items():
            timings, queries = _time(client, url, args.repeat)
            worst = max(worst, statistics.median(timings))
            print(
                f"{role:<40} {name:<10} median {statistics.median(timings):7.1f} ms  "
                f"min {min(timings):7.1f}  max {max(timings):7.1f}  ({queries} queries)"
            )
    verdict = "OK" if worst < TARGET_MS else "SLOWER THAN TARGET"
    print(f"worst median: {worst:.1f} ms (target < {TARGET_MS} ms): {verdict}")
    return 0 if worst < TARGET_MS else 1


if __name__ == "__main__":
    raise SystemExit(main())
