"""Words of a question: folded syllables, adjacent pairs, and typo repair against the catalog.

Vietnamese words are mostly two syllables ("khai sinh", "thường trú"), so the engine indexes
syllables and syllable pairs ("khai_sinh"); a pair match is what tells "đăng ký khai sinh" from a
procedure that merely mentions "đăng ký" and "sinh" somewhere.
"""

import sys
from collections.abc import Iterable

from procedures.parsing import fold

# Function words of questions that carry no meaning for the catalog. Kept short on purpose:
# folding merges many words ("căn"/"cần", "báo"/"bao", "đầu"/"đâu"), and BM25's idf already
# discounts the common ones; these are the ones that would otherwise form misleading pairs.
STOPWORDS = frozenset(
    "a ah ha oi nhe nha a toi tui la va thi the nao gi sao muon phai vay roi ma neu xin "
    "giup khong duoc voi nhu nay ay u cac nhung thu tuc ak ko k dc j".split()
)


# Citizens' spellings of one syllable, folded: "đăng kí"/"đăng ký", "lí lịch"/"lý lịch", "qui"/"quy"
# are the same word in the two accepted orthographies; shorthand as typed in messages.
SPELLING = {
    "ki": "ky",
    "li": "ly",
    "mi": "my",
    "qui": "quy",
    "hi": "hy",
    "oto": "o to",
    "xemay": "xe may",
    "dk": "dang ky",
    "dky": "dang ky",
    "dki": "dang ky",
    "dangky": "dang ky",
    "dangki": "dang ky",
    "ko": "khong",
    "kg": "khong",
    "hok": "khong",
    "dc": "duoc",
    "ng": "nguoi",
    "bn": "bao nhieu",
    "bnh": "bao nhieu",
    "tg": "thoi gian",
    "sdt": "so dien thoai",
    "cmt": "chung minh nhan dan",
    "cmnd": "chung minh nhan dan",
    "cccd": "can cuoc cong dan",
    "gks": "giay khai sinh",
    "gplx": "giay phep lai xe",
    "bhxh": "bao hiem xa hoi",
    "bhyt": "bao hiem y te",
    "bhtn": "bao hiem that nghiep",
    "hkd": "ho kinh doanh",
    "dkkd": "dang ky kinh doanh",
    "gpkd": "giay phep kinh doanh",
    "gcn": "giay chung nhan",
    "qsdd": "quyen su dung dat",
    "gcnqsdd": "giay chung nhan quyen su dung dat",
    "ltp": "ly lich tu phap",
    "tthn": "tinh trang hon nhan",
    "xntthn": "xac nhan tinh trang hon nhan",
    "ubnd": "uy ban nhan dan",
    "pccc": "phong chay chua chay",
    "atvstp": "an toan ve sinh thuc pham",
    "vstp": "ve sinh thuc pham",
    "tnhh": "trach nhiem huu han",
    "mst": "ma so thue",
    "gpxd": "giay phep xay dung",
    "tp": "thanh pho",
}


def normalise(tokens: Iterable[str]) -> list[str]:
    """Folded syllables with citizens' spellings and shorthand written out (SPELLING)."""
    out: list[str] = []
    for token in tokens:
        out.extend(SPELLING.get(token, token).split())
    return out


def words(text: str) -> list[str]:
    """Folded syllables of a text (lower-case ASCII, digits kept), spellings normalised."""
    return normalise(fold(text or "").split())


def terms(tokens: list[str]) -> list[str]:
    """Index terms: syllables (without stopwords) and adjacent syllable pairs.

    Interned: the index holds each term once however many procedures use it (a web worker's
    index took about 170 MB of separate copies before, about 80 MB after).
    """
    out = [sys.intern(t) for t in tokens if t not in STOPWORDS]
    for left, right in zip(tokens, tokens[1:], strict=False):
        if left not in STOPWORDS and right not in STOPWORDS:
            out.append(sys.intern(f"{left}_{right}"))
    return out


def _deletes(word: str) -> set[str]:
    return {word[:i] + word[i + 1 :] for i in range(len(word))}


class Speller:
    """Repairs a syllable that is one edit away from a catalog syllable (SymSpell, distance 1).

    Unknown syllables of four letters or more are replaced by the most frequent catalog
    syllable one deletion, insertion, substitution or transposition away; known ones, question
    words and shorter syllables are kept (a short syllable is one edit away from too many
    words: "con" is not a typo of "hon").
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
        if word in self.frequencies or len(word) < 4 or word.isdigit() or word in QUESTION_WORDS:
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


# Words of a question about a procedure rather than naming one ("cần giấy tờ gì", "mất bao lâu",
# "nộp ở đâu", "lệ phí bao nhiêu"): not counted when measuring how much of a question the top
# hit explains.
QUESTION_WORDS = (
    frozenset(
        "can giay to gi bao nhieu lau mat le phi phi tien o dau nop lam the nao khi nao ai cho "
        "minh em anh chi co ban moi muon hoi xin cam on duoc khong nhu nao sao dang can phai "
        "huong dan thu tuc ho so di toi cua nay nhe a oi nhung cac mot hay hoac thi la va voi "
        "con be chau bo me vo chong ong ba nha".split()
    )
    | STOPWORDS
)

# Words that mark a specialised variant of a common procedure (foreigners, border areas,
# ethnic minorities, registering again, children, imported vehicles, actions on an existing
# registration...). A candidate whose name
# holds one of these phrases is ranked below the plain procedure unless the question says so.
# A name that also names Vietnamese citizens or bodies ("cho công dân Việt Nam, người nước
# ngoài...") lists who may apply rather than a variant: its foreign phrases do not count.
SPECIALISED = (
    "nguoi nuoc ngoai",
    "yeu to nuoc ngoai",
    "o nuoc ngoai",
    "nuoc ngoai",
    "bien gioi",
    "dan toc thieu so",
    "dang ky lai",
    "cap lai",
    "cap doi",
    "luu dong",
    "quan nhan",
    "cong an nhan dan",
    "quan doi",
    "quan su",
    "nguoi viet nam dinh cu",
    "khong quoc tich",
    "co quan dai dien",
    "tau bien",
    "hang khong",
    "duong ngang",
    "duong sat",
    # A copy of a transaction already certified, not the certification of copies itself.
    "giao dich da duoc chung thuc",
    "duoi 14 tuoi",
    "xe nhap khau",
    # Actions on an existing registration, not the registration itself: "đăng ký tạm trú" is
    # not "xóa đăng ký tạm trú" unless the question says xóa (or a lexicon term implies it).
    "xoa",
    "cham dut",
    "dung thuc hien",
    "tam ngung",
    "tam dung",
    "tiep tuc",
    "chuyen noi",
    "dieu chinh",
    "hieu dinh",
    "gia han",
    "thu hoi",
    "khai thac thong tin",
    "lien thong",
)
FOREIGN = frozenset(p for p in SPECIALISED if "nuoc ngoai" in p or "quoc tich" in p)


def specialised_in(padded_name: str) -> frozenset[str]:
    """The SPECIALISED phrases of a folded name padded with spaces (see SPECIALISED)."""
    found = {p for p in SPECIALISED if f" {p} " in padded_name}
    if " viet nam " in padded_name.replace(" dinh cu ", " "):
        found -= FOREIGN
    return frozenset(found)
