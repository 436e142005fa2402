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
``0008_search_and_sort_indexes``), and the query is shaped so that every arm of the OR is a
condition on the project row that an index serves (a bitmap OR): the client-name arm is turned into
``enterprise_id IN (…)`` by one query on the enterprises' own trigram index, instead of a join
that no index can serve. Only when more than ``CLIENTS_LISTED`` clients match (a very common
word) is the join kept; such a word matches so many projects that the first page is found
quickly in list order. Text of fewer than three characters yields no trigram: PostgreSQL then
reads the list in order until the page is full, which is fast for common words and slower for
rare two-character ones. SQLite compares the same expressions by scanning.
"""

from django.db.models import Q

from platforms import access
from tracker.validators import searchable_code

from .models import Enterprise

# Above this many clients matching by name, the client arm stays a join (see the docstring).
CLIENTS_LISTED = 1000


def search_projects(queryset, text: str, user):
    """The rows of ``queryset`` (projects the user may see) that ``text`` finds."""
    text = text.strip()
    if not text:
        return queryset
    code = searchable_code(text)
    if code and queryset.filter(code=code).exists():
        return queryset.filter(code=code)
    clients = list(
        Enterprise.objects.filter(Q(name__icontains=text) | Q(uscc=code))
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
    readable = (Q(title__icontains=text) | Q(product__icontains=text)) & (
        access.unmasked_projects_q(user)
    )
    # A text of invisible characters only has no code: it must not match every code.
    by_code = Q(code__icontains=code) if code else Q(pk__in=[])
    return queryset.filter(by_code | client | readable)


def search_enterprises(queryset, text: str):
    """Enterprises whose name contains ``text`` or whose credit code starts with it (an exact
    code is its own prefix). Both served by indexes on PostgreSQL: the name's trigram index
    and the ``varchar_pattern_ops`` index Django adds to the unique ``uscc``."""
    text = text.strip()
    if not text:
        return queryset
    return queryset.filter(Q(name__icontains=text) | Q(uscc__startswith=searchable_code(text)))
