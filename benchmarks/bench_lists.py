"""Benchmark: the lists at national scale, as issue 14 tabulates them (not a test).

Run on a database holding ``generate_bulk --projects 1000000`` (a copy of it, migrated to this
branch)::

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/bench_lists \\
        .venv/bin/python -m benchmarks.bench_lists

Each page is requested through Django's test client (middleware, view, template) as a superuser
and as the manager of the zone with the most projects; one warm-up request, then ``--repeat``
timed ones, median reported with the number of queries. The searched code is that of a project
of that zone, the searched title words the middle of one of its titles, so both users find it.
The goal: every row at most 2 × the first page + 100 ms, the first page at most 100 ms.
"""

import argparse
import statistics

from benchmarks.bench_project_list import _setup_django, _time, _users

FIRST_PAGE_TARGET_MS = 100


def _pages(zone_name: str) -> dict:
    from projects.models import Project

    sample = (
        Project.objects.filter(platform__zone__name=zone_name)
        .order_by("pk")
        .values("code", "title", "enterprise__name")[1000]
    )
    title, client = sample["title"], sample["enterprise__name"]
    middle = title[len(title) // 2 - 2 : len(title) // 2 + 2]
    pair = title[len(title) // 2 : len(title) // 2 + 2]
    name_part = client[2:5]
    return {
        "/projects/ first page": "/projects/",
        f"/projects/?q=<code> ({sample['code']})": f"/projects/?q={sample['code']}",
        f"/projects/?q=<part of a title> ({middle})": f"/projects/?q={middle}",
        f"/projects/?q=<two characters of a title> ({pair})": f"/projects/?q={pair}",
        f"/projects/?q=<part of a client name> ({name_part})": f"/projects/?q={name_part}",
        "/projects/?sort=-service_revenue": "/projects/?sort=-service_revenue",
        "/projects/?page=last": "/projects/?page=last",
        "/platforms/": "/platforms/",
        "/enterprises/ first page": "/enterprises/",
        "/enterprises/?page=last": "/enterprises/?page=last",
        f"/enterprises/?q=<part of a name> ({name_part})": f"/enterprises/?q={name_part}",
    }


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=5, help="timed requests per page")
    args = parser.parse_args(argv)
    _setup_django()

    from django.db import connection
    from django.test import Client

    from projects.models import Project

    print(
        f"database: {connection.vendor} {connection.settings_dict['NAME']}; "
        f"projects: {Project.objects.count():,}"
    )
    users = _users()
    zone_name = next(role for role in users if role.startswith("manager of ")).removeprefix(
        "manager of "
    )
    pages = _pages(zone_name)
    table = {}
    for role, user in users.items():
        client = Client(HTTP_HOST="127.0.0.1")
        client.force_login(user)
        for name, url in pages.items():
            timings, queries = _time(client, url, args.repeat)
            table[(name, role)] = (statistics.median(timings), queries)
    roles = list(users)
    print(f"\n| page | {' | '.join(roles)} |")
    print(f"|---|{'---|' * len(roles)}")
    for name in pages:
        cells = [f"{table[(name, role)][0]:.0f} ms ({table[(name, role)][1]} q)" for role in roles]
        print(f"| `{name}` | {' | '.join(cells)} |")
    ok = True
    for role in roles:
        first = table[("/projects/ first page", role)][0]
        worst = max(median for (name, who), (median, _) in table.items() if who == role)
        ok &= first <= FIRST_PAGE_TARGET_MS and worst <= 2 * first + 100
        print(f"{role}: first page {first:.0f} ms, worst row {worst:.0f} ms")
    print("goal (first page ≤ 100 ms, every row ≤ 2 × first + 100 ms):", "met" if ok else "NOT met")
    return 0 if ok else 1


if __name__ == "__main__":
    raise SystemExit(main())
