"""The search box of the project and enterprise lists, fast at a million projects.

What a search finds (``search_projects``), in this order:

1. an **exact project code** (typed in any case or width, as codes are stored): that project
   alone, if the user may see it;
2. an **exact credit code** (USCC) of a client: that client's projects the user may see;
3. otherwise every project the user may see whose code, client name, title or product
   contains the text (any case). Title and product are searched only where the user may read
   them (``access.unmasked_projects_q``): a confidential project is found by its code or its
   client by everyone who may see it, by words of its title or product only by its own
   platform's staff and administrators, so a search never confirms a hidden word. The
   description is not searched at all.

Why it is fast: on PostgreSQL the text columns carry ``pg_trgm`` GIN indexes over exactly the
expressions Django's ``icontains`` compares (``UPPER(col::text)``, migration
``0008_search_and_sort_indexes``), and bigram GIN indexes for texts of two characters (most
Chinese words: 电池, 科技), which yield no trigram (``bigram_icontains``, migration
``0009_bigram_search_indexes``). The search asks them in two queries of its own, each a
bitmap index scan: the clients whose name contains the text (up to ``CLIENTS_LISTED``), and
the projects the user may see whose code, title or product does (up to the list's count
limit, 10,000: ``listed_matches``). The list's query then reads ``enterprise_id IN (…) OR
id IN (…)``. A word more common than those limits is compared row by row, in list order,
where it fills a page at once; so is a single character.

On SQLite the same two pre-queries ask FTS5 tables with the ``trigram`` tokenizer (migration
``0010_sqlite_search_index``): ``projects_project_search`` over code, title and product, in
separate columns so that a code match and a title or product match stay apart (the latter is
then restricted to the rows the user may read, as above), and ``projects_enterprise_search``
over client names. Both are external-content tables keyed by the row's id, kept in step by
AFTER INSERT/UPDATE/DELETE triggers, which the migrations remaking these tables re-create
(``tracker.migration_steps``). A trigram phrase finds exactly the rows containing the text
(``fts_match``: the text is always one quoted FTS5 string, never FTS5 syntax). Texts of one
or two characters have no trigram: SQLite compares them row by row. The index folds case for
all Unicode letters, where SQLite's ``LIKE`` (the row-by-row path) folds ASCII only; the two
differ only for letters such as full-width or Greek ones written in another case.
"""

from django.db import connections
from django.db.models import CharField, Lookup, Q
from django.db.models.expressions import RawSQL

from platforms import access
from tracker.migration_steps import SEARCH_INDEXES
from tracker.paginators import count_limit
from tracker.validators import searchable_code

from .models import Enterprise


@CharField.register_lookup
class BigramIContains(Lookup):
    """``name__bigram_icontains="电池"``: the column contains these two characters, any case,
    as the PostgreSQL bigram index over ``projects_bigrams(UPPER(col::text))`` answers it
    (exact: a text contains a two-character string exactly when that string is one of its
    bigrams). PostgreSQL only; ``contains_q`` decides when to use it."""

    lookup_name = "bigram_icontains"

    def as_sql(self, compiler, connection):
        lhs, lhs_params = self.process_lhs(compiler, connection)
        rhs, rhs_params = self.process_rhs(compiler, connection)
        return f"projects_bigrams(UPPER({lhs}::text)) @> ARRAY[UPPER({rhs})]", [
            *lhs_params,
            *rhs_params,
        ]


# The shortest text SQLite's trigram index (FTS5) can look up; shorter ones go row by row.
TRIGRAM = 3
# Which FTS5 table (``projects.0010_sqlite_search_index``) indexes each searched column.
SQLITE_INDEXED = {
    column: (table, index)
    for table, (index, columns) in SEARCH_INDEXES.items()
    for column in columns
}


def contains_q(field: str, text: str, vendor: str) -> Q:
    """``field`` contains ``text`` (any case), in the form an index serves on ``vendor``."""
    if vendor == "postgresql" and len(text) == 2:
        return Q(**{f"{field}__bigram_icontains": text})
    if vendor == "sqlite" and len(text) >= TRIGRAM and field in SQLITE_INDEXED:
        # The SQL names constants only; the text is a parameter (``fts_match``).
        return Q(pk__in=RawSQL(*fts_match(field, text)))  # noqa: S611
    return Q(**{f"{field}__icontains": text})


def fts_match(field: str, text: str) -> tuple[str, list[str]]:
    """The ids of the rows whose ``field`` contains ``text``, from SQLite's FTS5 trigram index:
    a query restricted to that column, the text one FTS5 string (``"`` doubled inside), so that
    nothing typed (``*``, ``AND``, ``NEAR(``, ``-``, quotes) is read as FTS5 syntax. A trigram
    phrase matches exactly the rows containing the text, in any case."""
    _, index = SQLITE_INDEXED[field]
    phrase = '"' + text.replace('"', '""') + '"'
    sql = f"SELECT rowid FROM {index} WHERE {index} MATCH %s"  # noqa: S608 (constant names)
    return sql, [f"{{{field}}} : {phrase}"]


def uses_index(text: str, vendor: str) -> bool:
    """Whether ``text`` is looked up in an index of its own query (``listed_matches``)."""
    if vendor == "sqlite":
        return len(text) >= TRIGRAM
    return vendor == "postgresql" and len(text) >= 2


# Above this many clients matching by name, the client arm stays a join (see the docstring).
CLIENTS_LISTED = 1000


def search_projects(queryset, text: str, user):
    """The rows of ``queryset`` (projects the user may see) that ``text`` finds."""
    text = text.strip()
    if not text:
        return queryset
    vendor = connections[queryset.db].vendor
    code = searchable_code(text)
    if code and queryset.filter(code=code).exists():
        return queryset.filter(code=code)
    clients = list(
        Enterprise.objects.filter(contains_q("name", text, vendor) | Q(uscc=code))
        .order_by()
        .values_list("pk", "uscc")[: CLIENTS_LISTED + 1]
    )
    by_uscc = [pk for pk, uscc in clients if code and uscc == code]
    if by_uscc:
        return queryset.filter(enterprise_id=by_uscc[0])
    if len(clients) > CLIENTS_LISTED:
        client = Q(enterprise__name__icontains=text)
    else:
        client = Q(enterprise_id__in=[pk for pk, _ in clients])
    own_text = _own_text_q(text, code, user)
    if uses_index(text, vendor):
        own_text = listed_matches(queryset, _own_text_arms(text, code, user, vendor), own_text)
    return queryset.filter(own_text | client)


def uses_bigrams(text: str, vendor: str) -> bool:
    return vendor == "postgresql" and len(text) == 2


def listed_matches(queryset, arms: list[Q], otherwise: Q) -> Q:
    """``pk IN (the rows of queryset matching any of arms)``, or ``otherwise`` when more than
    the count limit match.

    The trigram or bigram index answers "which rows?" in a query of its own: in the list's
    ordered query the planner, which overestimates how many rows a reader may see, would
    rather walk the list in order and test every row (seconds for a rare word at a million
    projects). One SELECT per arm, united, so that a row is known to match by the index
    alone instead of recomputing every column's bigrams to test the whole OR. A word matching
    more rows than the limit is so common that ``otherwise`` fills a page at once.
    """
    listed = count_limit()
    selects = [queryset.filter(arm).order_by().values_list("pk", flat=True) for arm in arms]
    matches = list(selects[0].union(*selects[1:])[: listed + 1])
    return Q(pk__in=matches) if len(matches) <= listed else otherwise


def _own_text_arms(text: str, code: str, user, vendor: str) -> list[Q]:
    """The project's code contains the (normalised) text; its title does, or its product, where
    the user may read them; in the form an index serves on ``vendor`` (any if empty)."""
    readable = access.unmasked_projects_q(user)
    # A text of invisible characters only has no code: it must not match every code.
    by_code = contains_q("code", code, vendor) if code else Q(pk__in=[])
    return [
        by_code,
        contains_q("title", text, vendor) & readable,
        contains_q("product", text, vendor) & readable,
    ]


def _own_text_q(text: str, code: str, user) -> Q:
    """Any of ``_own_text_arms``, compared row by row or through the trigram index."""
    by_code, by_title, by_product = _own_text_arms(text, code, user, "")
    return by_code | by_title | by_product


def search_enterprises(queryset, text: str):
    """Enterprises whose name contains ``text`` or whose credit code starts with it (an exact
    code is its own prefix). Both served by indexes on PostgreSQL: the name's trigram index
    and the ``varchar_pattern_ops`` index Django adds to the unique ``uscc``."""
    text = text.strip()
    if not text:
        return queryset
    vendor = connections[queryset.db].vendor
    by_name = Q(name__icontains=text)
    if uses_bigrams(text, vendor) or (vendor == "sqlite" and uses_index(text, vendor)):
        by_name = listed_matches(queryset, [contains_q("name", text, vendor)], by_name)
    return queryset.filter(by_name | Q(uscc__startswith=searchable_code(text)))
