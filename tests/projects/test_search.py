"""The search box of the project and enterprise lists (``projects.search``), on either database.

What it must find: an exact project code alone, an exact credit code's projects, otherwise
code, client name, and title or product where the reader may read them. A random data set is
searched for every piece of its own text and compared with a plain scan in Python, for every
role and on both paths of a two-character word (PostgreSQL's bigram index, and the row-by-row
comparison a very common word falls back to).
"""

import random

import pytest
from django.db import connection
from django.urls import reverse

from projects.choices import Confidentiality
from projects.models import Enterprise, Project
from tests import factories
from tracker.validators import searchable_code

pytestmark = pytest.mark.django_db

READERS = ("staff_a", "staff_b", "manager", "other_manager", "admin_user")
# Readers who may read platform A's confidential text.
UNMASKED_FOR_A = {"staff_a", "admin_user"}
WORDS = ["电池", "科技", "模组", "相机", "Ab", "xY", "电", "池科"]


def found(client, world, reader, text, **params):
    client.force_login(world[reader])
    response = client.get(reverse("projects:project_list"), {"q": text, "per_page": 200, **params})
    assert response.status_code == 200
    return {row.record.code for row in response.context["table"].page.object_list}


def plain_scan(user, text):
    """What the search must return, by reading every visible project in Python."""
    rows = list(Project.objects.visible_to(user).with_masking(user).select_related("enterprise"))
    text = text.strip()
    code = searchable_code(text)
    exact = {p.code for p in rows if p.code == code}
    if exact:
        return exact
    if code and Enterprise.objects.filter(uscc=code).exists():
        return {p.code for p in rows if p.enterprise.uscc == code}
    wanted = text.upper()
    return {
        p.code
        for p in rows
        if (code and code in p.code)
        or wanted in p.enterprise.name.upper()
        or (not p.is_masked and (wanted in p.title.upper() or wanted in p.product.upper()))
    }


@pytest.fixture
def random_projects(world):
    """60 projects on three platforms for eight clients, texts drawn from a few words so
    that searches overlap; about a third confidential."""
    chance = random.Random(14)
    enterprises = [
        factories.EnterpriseFactory(name=f"{chance.choice(WORDS)}{chance.choice(WORDS)}公司{n}")
        for n in range(8)
    ]
    platforms = [world["platform_a"], world["platform_b"], world["platform_c"]]
    for number in range(60):
        factories.ProjectFactory(
            code=f"{chance.choice(['FN', 'KS', 'AB'])}-{number:03d}",
            platform=chance.choice(platforms),
            enterprise=chance.choice(enterprises),
            title=f"{chance.choice(WORDS)}{chance.choice(WORDS)}试产",
            product=chance.choice(["", *WORDS]),
            confidentiality=chance.choice(
                [Confidentiality.PUBLIC, Confidentiality.PUBLIC, Confidentiality.CONFIDENTIAL]
            ),
        )
    return enterprises


def searched_texts(enterprises):
    codes = list(Project.objects.values_list("code", flat=True)[:5])
    return [
        *WORDS,
        "ab",  # lower case finds "Ab" and the AB- codes
        "xy试产",
        "公司3",
        enterprises[0].name,
        enterprises[1].uscc,
        enterprises[2].uscc.lower(),
        enterprises[3].uscc[:6],
        *codes,
        codes[0].lower(),
        "FN-00",
        "-0",
        "无此词",
    ]


@pytest.mark.parametrize("count_limit", [10_000, 5])
def test_search_returns_what_a_plain_scan_finds_for_every_reader(
    client, world, random_projects, settings, count_limit
):
    """A count limit of 5 makes every two-character word "very common": the row-by-row path."""
    settings.LIST_COUNT_LIMIT = count_limit
    for reader in READERS:
        for text in searched_texts(random_projects):
            expected = plain_scan(world[reader], text)
            assert found(client, world, reader, text) == expected, (reader, text)


def test_an_exact_code_finds_that_project_alone(client, world):
    factories.ProjectFactory(code="FN-1", platform=world["platform_a"])
    factories.ProjectFactory(code="FN-10", platform=world["platform_a"])
    assert found(client, world, "staff_a", "fn-1") == {"FN-1"}
    assert found(client, world, "staff_a", "ＦＮ-１") == {"FN-1"}  # full width, as stored
    assert found(client, world, "staff_a", "FN-") == {"FN-1", "FN-10"}


def test_an_exact_code_of_a_project_not_visible_finds_only_visible_rows(client, world):
    factories.ProjectFactory(code="FN-1", platform=world["platform_a"])
    factories.ProjectFactory(code="FN-10", platform=world["platform_b"])
    assert found(client, world, "staff_b", "FN-1") == {"FN-10"}


def test_an_exact_credit_code_finds_its_projects(client, world):
    client_a = factories.EnterpriseFactory()
    factories.ProjectFactory(code="A-1", platform=world["platform_a"], enterprise=client_a)
    factories.ProjectFactory(code="B-1", platform=world["platform_b"], enterprise=client_a)
    factories.ProjectFactory(code="A-2", platform=world["platform_a"])
    assert found(client, world, "manager", client_a.uscc.lower()) == {"A-1", "B-1"}
    assert found(client, world, "staff_b", client_a.uscc) == {"B-1"}


@pytest.mark.parametrize("word", ["量子", "量子雷达", "QX"])
def test_hidden_words_are_searchable_only_by_those_who_may_read_them(client, world, word):
    """Two characters (the bigram path on PostgreSQL), more (trigrams), and ASCII."""
    hidden = factories.ProjectFactory(
        code="A-9",
        platform=world["platform_a"],
        title="量子雷达样机",
        product="QX型雷达",
        description="量子 QX",
        confidentiality=Confidentiality.CONFIDENTIAL,
    )
    factories.ProjectFactory(code="B-9", platform=world["platform_b"], title="普通项目")
    for reader in READERS:
        may_see = reader in {"staff_a", "manager", "admin_user"}
        readable = reader in UNMASKED_FOR_A
        assert found(client, world, reader, word) == ({"A-9"} if readable else set()), reader
        # Code and client find it for everyone who sees it.
        assert found(client, world, reader, "A-9") == ({"A-9"} if may_see else set()), reader
        by_client = found(client, world, reader, hidden.enterprise.name)
        assert by_client == ({"A-9"} if may_see else set()), reader


def test_the_description_is_not_searched(client, world):
    factories.ProjectFactory(code="A-1", platform=world["platform_a"], description="独有描述")
    assert found(client, world, "admin_user", "独有描述") == set()


def test_invisible_characters_alone_find_nothing_rather_than_everything(client, world):
    factories.ProjectFactory(code="A-1", platform=world["platform_a"], title="模组")
    assert found(client, world, "admin_user", "\u200b") == set()


def test_the_enterprise_list_searches_name_and_credit_code(client, world):
    named = factories.EnterpriseFactory(name="成都臻识科技发展有限公司")
    other = factories.EnterpriseFactory(name="昆山长鹰硬质材料科技股份有限公司")
    for enterprise in (named, other):
        factories.ProjectFactory(platform=world["platform_a"], enterprise=enterprise)
    client.force_login(world["admin_user"])

    def listed(text):
        response = client.get(reverse("projects:enterprise_list"), {"q": text})
        return {row.record.name for row in response.context["table"].page.object_list}

    assert listed("臻识") == {named.name}  # two characters: the bigram path on PostgreSQL
    assert listed("长鹰硬质") == {other.name}
    assert listed("科技") == {named.name, other.name}
    assert listed(named.uscc[:17].lower()) == {named.name}  # a prefix
    assert listed(other.uscc) == {other.name}


# --- query counts -------------------------------------------------------------------------


def populate(world, rows):
    for number in range(rows):
        factories.ProjectFactory(
            code=f"FN-{number:04d}", platform=world["platform_a"], title=f"电池模组{number}"
        )


@pytest.mark.parametrize("rows", [5, 60])
@pytest.mark.parametrize(
    ("text", "extra"),
    [
        # Exact code: "is it a code?" (one indexed lookup) and nothing more.
        ("FN-0001", 1),
        # Words: the exact-code lookup, the matching clients, and the matching projects (on
        # PostgreSQL the trigram index, two characters: bigram index; on SQLite the FTS5
        # trigram index, three characters or more).
        ("电池模组", 3),
        ("电池", 3 if connection.vendor == "postgresql" else 2),
        # One character: compared row by row on either database.
        ("电", 2),
    ],
)
def test_a_search_runs_a_fixed_number_of_queries(
    client, world, rows, text, extra, django_assert_num_queries
):
    populate(world, rows)
    client.force_login(world["staff_a"])
    # As the project list (user, COUNT, "may create?", rows, platform and zone choices,
    # navigation ×2), plus the search's own lookups.
    with django_assert_num_queries(8 + extra):
        response = client.get(reverse("projects:project_list"), {"q": text})
    assert len(response.context["table"].page.object_list) == (1 if extra == 1 else min(rows, 50))


@pytest.mark.parametrize("rows", [5, 60])
def test_a_list_longer_than_the_limit_runs_the_same_queries(
    client, world, rows, settings, django_assert_num_queries
):
    settings.LIST_COUNT_LIMIT = 10
    populate(world, rows)
    client.force_login(world["staff_a"])
    with django_assert_num_queries(8):
        response = client.get(reverse("projects:project_list"), {"page": "last"})
    assert ("超过10行" in response.content.decode()) == (rows > 10)
