"""Accent- and case-insensitive search over the catalog, ranked the same on SQLite and PostgreSQL.

Both sides are folded (procedures.parsing.fold: lower-case ASCII words). `search_name` and
`search_text` are stored with a space at each end, so " word" matches a word or a word prefix.
Rank: 0 the code or the whole name, 1 the name starts with the query, 2 the query is a phrase in
the name, 3 every word is in the name, 4 the words are found in other fields (sector, agency,
results, decision number). Ties: shorter name first, then code. After these keyword matches come
`related_ids` (the retrieval engine's hits for a question in a citizen's words, in its order), so
"sang tên xe máy mua lại" finds something although no procedure holds every word.
"""

from collections.abc import Sequence

from django.db.models import Case, IntegerField, Lookup, Q, QuerySet, TextField, Value, When
from django.db.models.functions import Length

from procedures.models import Procedure
from procedures.parsing import fold_name

MAX_WORDS = 8


@TextField.register_lookup
class Has(Lookup):
    """`field__has=" word"`: substring test. Words are folded to [a-z0-9 ], so no escaping.

    SQLite's LIKE folds case character by character; instr() compares bytes, several times
    faster on the catalog. PostgreSQL keeps LIKE, which its trigram index serves.
    """

    lookup_name = "has"

    def as_sql(self, compiler, connection):
        lhs, lhs_params = self.process_lhs(compiler, connection)
        rhs, rhs_params = self.process_rhs(compiler, connection)
        return f"instr({lhs}, {rhs}) > 0", [*lhs_params, *rhs_params]

    def as_postgresql(self, compiler, connection):
        lhs, lhs_params = self.process_lhs(compiler, connection)
        rhs, rhs_params = self.process_rhs(compiler, connection)
        return f"{lhs} LIKE {rhs}", [*lhs_params, *[f"%{value}%" for value in rhs_params]]


def query_words(q: str) -> list[str]:
    return fold_name(q or "").split()[:MAX_WORDS]


def search_procedures(
    queryset: QuerySet[Procedure], q: str, *, related_ids: Sequence[int] = ()
) -> QuerySet[Procedure]:
    """Procedures matching every word of q, best first, then the related ids in their order;
    q without words leaves the order alone."""
    words = query_words(q)
    if not words:
        return queryset
    phrase = " ".join(words)
    matches = Q()
    in_name = Q()
    for word in words:
        matches &= Q(search_text__has=f" {word}")
        in_name &= Q(search_name__has=f" {word}")
    code = (q or "").strip()
    rank = Case(
        When(Q(code=code) | Q(search_name=f" {phrase} "), then=Value(0)),
        When(search_name__startswith=f" {phrase}", then=Value(1)),
        When(search_name__has=f" {phrase}", then=Value(2)),
        When(in_name, then=Value(3)),
        When(matches, then=Value(4)),
        *[When(id=pk, then=Value(5 + position)) for position, pk in enumerate(related_ids)],
        default=Value(4),
        output_field=IntegerField(),
    )
    if related_ids:
        matches |= Q(id__in=list(related_ids))
    return (
        queryset.filter(matches)
        .annotate(search_rank=rank, name_length=Length("search_name"))
        .order_by("search_rank", "name_length", "code")
    )
