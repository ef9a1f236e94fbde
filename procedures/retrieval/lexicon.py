"""The colloquial lexicon: citizens' words matched on the folded question, expanded in place.

Terms live in the ColloquialTerm table (editable in the admin, loaded from
data/assistant_lexicon.json by `manage.py load_lexicon`). Matching is on folded whole words, so
"cat khau" and "cắt khẩu" both hit; the expansion is added, the citizen's words are kept.
"""

from dataclasses import dataclass

from procedures.parsing import fold
from procedures.retrieval.text import normalise


@dataclass(frozen=True)
class Term:
    phrase: str  # folded
    expansion: str  # as written (with diacritics), for the embedding
    expansion_words: tuple[str, ...]  # folded


def _folded(text: str) -> str:
    return " ".join(normalise(fold(text).split()))


def compile_terms(rows: list[tuple[str, str]]) -> list[Term]:
    """Longest phrases first, so "giấy chứng nhận độc thân" wins over "độc thân"."""
    terms = [
        Term(
            phrase=_folded(phrase),
            expansion=expansion,
            expansion_words=tuple(_folded(expansion).split()),
        )
        for phrase, expansion in rows
        if _folded(phrase)
    ]
    return sorted(terms, key=lambda t: (-len(t.phrase), t.phrase))


def expand(tokens: list[str], terms: list[Term]) -> tuple[list[str], list[str]]:
    """(folded expansion words, expansions as written) for the terms found in the tokens."""
    padded = f" {' '.join(tokens)} "
    words: list[str] = []
    written: list[str] = []
    for term in terms:
        needle = f" {term.phrase} "
        if needle in padded:
            words.extend(term.expansion_words)
            written.append(term.expansion)
            # A longer phrase consumes its words: "giay doc than" does not also fire "doc than".
            padded = padded.replace(needle, " | ")
    return words, written
