"""The colloquial lexicon: citizens' words matched on the folded question, expanded in place.

Terms live in the ColloquialTerm table (editable in the admin, loaded from
data/assistant_lexicon.json by `manage.py load_lexicon`). Matching is on folded whole words, so
"cat khau" and "cắt khẩu" both hit, but a syllable typed with diacritics must carry the
phrase's own ("sắp hết hạn" does not fire "sạp"); the expansion is added, the citizen's words
are kept.
"""

from dataclasses import dataclass

from procedures.retrieval.text import ANY, compatible, marked_words

Marks = frozenset[str] | None


@dataclass(frozen=True)
class Term:
    phrase: str  # folded
    expansion: str  # as written (with diacritics), for the embedding
    expansion_words: tuple[str, ...]  # folded
    marks: tuple[Marks, ...] = ()  # diacritics of each phrase word, ANY when written without


def _compile(phrase: str, expansion: str) -> Term | None:
    tokens, marks = marked_words(phrase)
    if not tokens:
        return None
    if not any(marks):  # written without any diacritics ("cavet", "vneid"): matches any form
        marks = [ANY] * len(tokens)
    return Term(
        phrase=" ".join(tokens),
        expansion=expansion,
        expansion_words=tuple(marked_words(expansion)[0]),
        marks=tuple(marks),
    )


def compile_terms(rows: list[tuple[str, str]]) -> list[Term]:
    """Longest phrases first, so "giấy chứng nhận độc thân" wins over "độc thân"."""
    terms = [term for phrase, expansion in rows if (term := _compile(phrase, expansion))]
    return sorted(terms, key=lambda t: (-len(t.phrase), t.phrase))


# Words citizens slip inside a phrase without changing it: "nâng thêm tầng" is "nâng tầng",
# "sửa lại nhà" is "sửa nhà", "mua lại con xe" is "mua lại xe". One of them may stand between
# two words of a phrase (never before its first word); folded, matched with any diacritics.
FILLERS = frozenset("them lai cai con chiec luon nay".split())


def _occurrences(tokens: list[str], marks: list[Marks], term: Term):
    words = term.phrase.split()
    n = len(words)
    for start in range(len(tokens)):
        if tokens[start] != words[0] or not compatible(marks[start], term.marks[0]):
            continue
        span = [start]
        at = start + 1
        for k in range(1, n):
            if at < len(tokens) and tokens[at] == words[k]:
                pass
            elif (
                at + 1 < len(tokens)
                and tokens[at] in FILLERS
                and tokens[at] not in words
                and tokens[at + 1] == words[k]
            ):
                at += 1
            else:
                break
            if not compatible(marks[at], term.marks[k]):
                break
            span.append(at)
            at += 1
        if len(span) == n:
            yield range(start, span[-1] + 1)


def matches(tokens: list[str], marks: list[Marks] | None, terms: list[Term]):
    """(term, positions) for each term found, longest first. A phrase lying wholly inside a
    longer one already found is not counted ("giay doc than" does not also fire "doc than");
    phrases that only overlap both count ("đăng ký xe" and "xe máy" in "đăng ký xe máy")."""
    marks = marks if marks is not None else [ANY] * len(tokens)
    covered: set[int] = set()
    found = []
    for term in terms:
        for span in _occurrences(tokens, marks, term):
            if not covered.issuperset(span):
                found.append((term, span))
                covered.update(span)
    return found


# Words that open a clause saying the circumstances rather than the request: "tách hộ khẩu
# riêng sau khi cưới", "xin lý lịch tư pháp để đi xuất khẩu lao động". Written with
# diacritics: "để" is not "đẻ" when the citizen typed the marks. ("ở" is left out: it is also
# the verb "to live", "ở trọ", "đang ở nhà thuê".)
CONTEXT_MARKERS = ("sau khi", "trước khi", "khi", "vì", "để")
# Words that close such a clause ("… khi chuyển nhà thì đăng ký …", "vì mất việc, muốn xin …");
# BREAK stands for an asking phrase taken out.
CLAUSE_ENDS = frozenset({"thi", "ma", "nhung", "muon", "can", "phai", "|"})
# Where a clause closed by "rồi" begins, reading back ("bố nhận con khi [đã khai sinh] rồi").
CLAUSE_STARTS = frozenset({"roi", "khi", "vi", "de", "da", "sau", "truoc"})


def _clause_after(tokens: list[str], markers: list[Term], marks, *, through: str = "") -> set[int]:
    """Positions after each marker found, up to a CLAUSE_ENDS word or the end (or `through`
    included)."""
    inside: set[int] = set()
    for _, span in matches(tokens, marks, markers):
        at = span[-1] + 1
        while at < len(tokens) and tokens[at] not in CLAUSE_ENDS:
            inside.add(at)
            at += 1
            if tokens[at - 1] == through:
                break
    return inside


def _context_positions(tokens: list[str], marks: list[Marks] | None) -> set[int]:
    """Positions of the tokens inside circumstance clauses (after a CONTEXT_MARKERS word)."""
    return _clause_after(tokens, _CONTEXT, marks)


def _done_positions(tokens: list[str], marks: list[Marks] | None) -> set[int]:
    """Positions of what the question says is done already: after "đã" up to a CLAUSE_ENDS
    word or "rồi" ("đã có giấy khai sinh"), and a clause closed by "rồi" ("lấy vợ rồi")."""
    inside = _clause_after(tokens, _DONE, marks, through="roi")
    for _, span in matches(tokens, marks, _ALREADY):  # "rồi", not "rơi" ("đánh rơi")
        at = span[0] - 1
        while at >= 0 and tokens[at] not in CLAUSE_ENDS | CLAUSE_STARTS:
            inside.add(at)
            at -= 1
    return inside


def done_words(tokens: list[str], marks: list[Marks] | None) -> set[str]:
    """Words the question says are already done ("đã có giấy khai sinh", "đã khai sinh rồi"),
    said nowhere else in the question."""
    inside = _done_positions(tokens, marks)
    elsewhere = {t for k, t in enumerate(tokens) if k not in inside}
    return {tokens[k] for k in inside} - elsewhere - {"roi"}


def expand(
    tokens: list[str], terms: list[Term], marks: list[Marks] | None = None, *, aside: bool = True
) -> tuple[list[str], list[str]]:
    """(folded expansion words, expansions as written) for the terms found in the tokens.

    A term found in a circumstance clause ("sau khi cưới") or in what is done already ("lấy vợ
    rồi") is left out when the request itself holds a term ("tách hộ khẩu"): it says why or
    what came before, not what is asked. Alone, it is kept ("khi bố mất thì làm gì"). With
    aside=False every term counts: the circumstances still say which variant is meant ("mua
    chung cư lâu rồi mà chưa có sổ hồng")."""
    words: list[str] = []
    written: list[str] = []
    found = matches(tokens, marks, terms)
    context = _context_positions(tokens, marks) | _done_positions(tokens, marks)
    if aside and any(span[0] not in context for _, span in found):
        found = [(term, span) for term, span in found if span[0] not in context]
    for term in dict.fromkeys(term for term, _ in found):
        words.extend(term.expansion_words)
        written.append(term.expansion)
    return words, written


_CONTEXT: list[Term] = compile_terms([(marker, "") for marker in CONTEXT_MARKERS])
_DONE: list[Term] = compile_terms([("đã", "")])
_ALREADY: list[Term] = compile_terms([("rồi", "")])
