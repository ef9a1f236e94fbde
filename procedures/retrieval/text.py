"""Words of a question: folded syllables, adjacent pairs, and typo repair against the catalog.

Vietnamese words are mostly two syllables ("khai sinh", "thường trú"), so the engine indexes
syllables and syllable pairs ("khai_sinh"); a pair match is what tells "đăng ký khai sinh" from a
procedure that merely mentions "đăng ký" and "sinh" somewhere.
"""

from collections.abc import Iterable

from procedures.parsing import fold

# Function words of questions that carry no meaning for the catalog. Kept short on purpose:
# folding merges many words ("căn"/"cần", "báo"/"bao", "đầu"/"đâu"), and BM25's idf already
# discounts the common ones; these are the ones that would otherwise form misleading pairs.
STOPWORDS = frozenset(
    "a ah ha oi nhe nha a toi tui la va thi the nao gi sao muon phai vay roi ma neu xin "
    "giup khong duoc voi nhu nay ay u cac nhung thu tuc ak ko k dc j".split()
)


def words(text: str) -> list[str]:
    """Folded syllables of a text (lower-case ASCII, digits kept)."""
    return fold(text or "").split()


def terms(tokens: list[str]) -> list[str]:
    """Index terms: syllables (without stopwords) and adjacent syllable pairs."""
    out = [t for t in tokens if t not in STOPWORDS]
    for left, right in zip(tokens, tokens[1:], strict=False):
        if left not in STOPWORDS and right not in STOPWORDS:
            out.append(f"{left}_{right}")
    return out


def _deletes(word: str) -> set[str]:
    return {word[:i] + word[i + 1 :] for i in range(len(word))}


class Speller:
    """Repairs a syllable that is one edit away from a catalog syllable (SymSpell, distance 1).

    Unknown syllables of three letters or more are replaced by the most frequent catalog
    syllable one deletion, insertion, substitution or transposition away; known ones are kept.
    """

    def __init__(self, frequencies: dict[str, int]) -> None:
        self.frequencies = frequencies
        self.index: dict[str, list[str]] = {}
        for word in frequencies:
            if len(word) < 3 or word.isdigit():
                continue
            for deleted in _deletes(word):
                self.index.setdefault(deleted, []).append(word)

    def correct(self, word: str) -> str:
        if word in self.frequencies or len(word) < 3 or word.isdigit():
            return word
        candidates: set[str] = set(self.index.get(word, ()))  # the user dropped a letter
        for deleted in _deletes(word):
            if deleted in self.frequencies:  # the user added a letter
                candidates.add(deleted)
            candidates.update(self.index.get(deleted, ()))  # substitution, transposition
        candidates = {c for c in candidates if abs(len(c) - len(word)) <= 1}
        if not candidates:
            return word
        return max(candidates, key=lambda c: (self.frequencies[c], c))

    def correct_all(self, tokens: Iterable[str]) -> list[str]:
        return [self.correct(t) for t in tokens]
