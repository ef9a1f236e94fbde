"""Words of a question: folded syllables, adjacent pairs, and typo repair against the catalog.

Vietnamese words are mostly two syllables ("khai sinh", "thường trú"), so the engine indexes
syllables and syllable pairs ("khai_sinh"); a pair match is what tells "đăng ký khai sinh" from a
procedure that merely mentions "đăng ký" and "sinh" somewhere.
"""

import re
import sys
import unicodedata
from collections.abc import Iterable

from procedures.parsing import fold

# Function words of questions that carry no meaning for the catalog. Kept short on purpose:
# folding merges many words ("căn"/"cần", "báo"/"bao", "đầu"/"đâu"), and BM25's idf already
# discounts the common ones; these are the ones that would otherwise form misleading pairs.
STOPWORDS = frozenset(
    "a ah ha oi nhe nha a toi tui la va thi the nao gi sao muon phai vay roi ma neu xin "
    "giup khong duoc voi nhu nay ay u cac nhung thu tuc ak ko k dc j |".split()
)
# Stands for a phrase taken out of a question (ASKING): a stopword, so no pair spans it.
BREAK = "|"


# Citizens' spellings of one syllable, folded: "đăng kí"/"đăng ký", "lí lịch"/"lý lịch", "qui"/"quy"
# are the same word in the two accepted orthographies; shorthand as typed in messages.
SPELLING = {
    "ki": "ky",
    "li": "ly",
    "mi": "my",
    "qui": "quy",
    "hi": "hy",
    "oto": "o to",
    "cavet": "ca vet",
    "cavat": "ca vet",
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


# Diacritics of a syllable: its tone and its vowel marks (and đ). Folding merges syllables that
# differ only by these ("sắp"/"sạp", "cần"/"căn", "đâu"/"đầu"); a citizen who types diacritics
# has told them apart, one who types none has not.
_MARKS = {
    "\u0300": "`",  # huyền
    "\u0301": "'",  # sắc
    "\u0303": "~",  # ngã
    "\u0309": "?",  # hỏi
    "\u0323": ".",  # nặng
    "\u0302": "^",  # â ê ô
    "\u0306": "(",  # ă
    "\u031b": "+",  # ơ ư
}
_WORD = re.compile(r"[^\W_]+")


def marks_of(syllable: str) -> frozenset[str]:
    """The diacritics of one written syllable, wherever the tone is placed ("hoà" = "hòa")."""
    found = {_MARKS[ch] for ch in unicodedata.normalize("NFD", syllable) if ch in _MARKS}
    if "đ" in syllable or "Đ" in syllable:
        found.add("d")
    return frozenset(found)


# Marks of a syllable whose diacritics are unknown (shorthand written out, a repaired typo).
ANY = None


def split_words(text: str) -> tuple[list[str], list[frozenset[str] | None], list[str]]:
    """words(text), the diacritics the writer typed for each (ANY when unknown; an empty set
    means typed without diacritics, which matches any written form) and each word as written
    (lower-case), for the embedding."""
    folded = words(text)
    tokens: list[str] = []
    marks: list[frozenset[str] | None] = []
    written: list[str] = []
    for raw in _WORD.findall((text or "").lower()):
        parts = fold(raw).split()
        for part in parts:
            spelled = SPELLING.get(part, part).split()
            single = len(parts) == 1 and len(spelled) == 1
            tokens.extend(spelled)
            marks.extend([marks_of(raw) if single else ANY] * len(spelled))
            written.extend([unicodedata.normalize("NFC", raw)] if single else spelled)
    if tokens != folded:  # a character folding treats differently: diacritics unknown
        return folded, [ANY] * len(folded), folded
    return tokens, marks, written


def marked_words(text: str) -> tuple[list[str], list[frozenset[str] | None]]:
    """words(text) and the diacritics typed for each (see split_words)."""
    tokens, marks, _ = split_words(text)
    return tokens, marks


def compatible(asked: frozenset[str] | None, written: frozenset[str] | None) -> bool:
    """A typed syllable matches a written one of the same folded form when every diacritic the
    citizen typed is in it: "sap" and "sắp" match "sắp"; "sắp" does not match "sạp", nor "căn"
    "cần". Dropped marks are forgiven ("đang ky" for "đăng ký"), wrong ones are not."""
    return asked is None or written is None or asked <= written


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
    words: "con" is not a typo of "hon"). An unknown three-letter syllable is repaired only into
    one that forms a catalog word with its neighbour ("khai sih" → "khai sinh").
    """

    def __init__(self, frequencies: dict[str, int], pairs: frozenset[str] = frozenset()) -> None:
        self.frequencies = frequencies
        self.pairs = pairs
        self.index: dict[str, list[str]] = {}
        for word in frequencies:
            if len(word) < 3 or word.isdigit():
                continue
            for deleted in _deletes(word):
                self.index.setdefault(deleted, []).append(word)

    def _candidates(self, word: str) -> set[str]:
        candidates: set[str] = set(self.index.get(word, ()))  # the user dropped a letter
        for deleted in _deletes(word):
            if deleted in self.frequencies:  # the user added a letter
                candidates.add(deleted)
            candidates.update(self.index.get(deleted, ()))  # substitution, transposition
        return {c for c in candidates if abs(len(c) - len(word)) <= 1}

    def _unknown(self, word: str) -> bool:
        return not (word in self.frequencies or word.isdigit() or word in QUESTION_WORDS)

    def correct(self, word: str) -> str:
        if len(word) < 4 or not self._unknown(word):
            return word
        candidates = self._candidates(word)
        if not candidates:
            return word
        return max(candidates, key=lambda c: (self.frequencies[c], c))

    def correct_all(self, tokens: Iterable[str]) -> list[str]:
        out = [self.correct(t) for t in tokens]
        for k, word in enumerate(out):
            if len(word) != 3 or not self._unknown(word):
                continue
            before = out[k - 1] if k else None
            after = out[k + 1] if k + 1 < len(out) else None
            fitting = [
                c
                for c in self._candidates(word)
                if f"{before}_{c}" in self.pairs or f"{c}_{after}" in self.pairs
            ]
            if fitting:
                out[k] = max(fitting, key=lambda c: (self.frequencies[c], c))
        return out


# Phrases that ask about a procedure rather than name one ("cho mình hỏi", "thì làm sao", "cần
# giấy tờ gì", "mất bao lâu", "ở đâu", "lệ phí bao nhiêu"): removed before ranking, so that
# "giấy tờ", "lệ phí" or "ở đâu" do not pull toward procedures about papers, fees or places.
# Written with diacritics: a question typed with them must match them ("ở đâu", not "ô đầu").
ASKING = (
    "cho mình hỏi",
    "cho em hỏi",
    "cho tôi hỏi",
    "cho cháu hỏi",
    "cho con hỏi",
    "cho hỏi",
    "xin hỏi",
    "muốn hỏi",
    "hỏi chút",
    "hỏi về",
    "thì làm sao",
    "làm sao",
    "làm thế nào",
    "như thế nào",
    "thế nào",
    "như nào",
    "ra sao",
    "phải làm gì",
    "cần làm gì",
    "làm gì",
    "làm những gì",
    "thủ tục gì",
    "thủ tục ra sao",
    "thủ tục thế nào",
    "những thủ tục nào",
    "cần giấy tờ gì",
    "cần những giấy tờ gì",
    "giấy tờ gì",
    "những giấy tờ gì",
    "giấy tờ cần thiết",
    "cần những gì",
    "cần gì",
    "hồ sơ gồm những gì",
    "hồ sơ gồm",
    "hồ sơ cần những gì",
    "cần chuẩn bị",
    "chuẩn bị gì",
    "mang theo gì",
    "mang những gì",
    "mất bao lâu",
    "bao lâu",
    "mất mấy ngày",
    "mấy ngày",
    "bao nhiêu ngày",
    "bao giờ có",
    "khi nào có",
    "khi nào",
    "bao nhiêu tiền",
    "lệ phí bao nhiêu",
    "phí bao nhiêu",
    "hết bao nhiêu",
    "mất bao nhiêu",
    "tốn bao nhiêu",
    "bao nhiêu",
    "nộp ở đâu",
    "làm ở đâu",
    "đi đâu",
    "ở đâu",
    "chỗ nào",
    "nơi nào",
    "có được không",
    "được không",
    "có phải",
    "có cần",
    "giúp mình",
    "giúp em",
    "giúp tôi",
    "xin cảm ơn",
    "cảm ơn",
)

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
    # Works a household does not build (special grade, grades I and II).
    "cap dac biet",
    # Asked by a court or an investigator, or for a case outside the usual one.
    "tien hanh to tung",
    "khong xac dinh duoc",
    # "A kết hợp B": both at once; named when the question names a word of each (engine).
    "ket hop",
    # A case the law spells out as an exception, not the usual procedure.
    "khong phai xin phep",
    # A step towards a registration, not the registration: "Xác nhận … để đăng ký thường trú",
    # "Khai báo … đối với người chưa đủ điều kiện đăng ký thường trú".
    "de dang ky",
    "chua du dieu kien",
    # Narrow groups of applicants: a buyer in a housing project, commune cadres.
    "nguoi nhan chuyen nhuong",
    "can bo xa",
    # Forest land is a case of its own: "chuyển mục đích sử dụng đất" is not "… sử dụng rừng".
    "su dung rung",
    # For organisations, not citizens (whatever the applicant types say), unless the name also
    # names individuals or households, or the question names an organisation (ORGANISATION).
    "cho co quan to chuc",
    "doi voi to chuc",
    "cho to chuc",
    "cua to chuc",
)
ORGANISATION = frozenset({"cho co quan to chuc", "doi voi to chuc", "cho to chuc", "cua to chuc"})
# Words of a question that ask on behalf of an organisation.
ORGANISATION_WORDS = (" to chuc ", " cong ty ", " doanh nghiep ", " co quan ", " hop tac xa ")
FOREIGN = frozenset(p for p in SPECIALISED if "nuoc ngoai" in p or "quoc tich" in p)
# Actions on a registration: a question that says one of these in its own words ("tạm ngưng
# kinh doanh", "cấp lại thẻ") is not asking for the plain registration either.
ACTIONS = frozenset(
    "dang ky lai|cap lai|cap doi|xoa|cham dut|tam ngung|tam dung|gia han|thu hoi|dieu chinh".split(
        "|"
    )
)
# Phrases that name one specialisation: a question naming one names them all ("kết hôn với người
# nước ngoài" asks for "… có yếu tố nước ngoài"; "tạm ngừng kinh doanh" for "Tạm ngừng kinh
# doanh, tiếp tục kinh doanh …").
FAMILIES = (
    FOREIGN,
    frozenset({"tam ngung", "tam dung", "tiep tuc"}),
)


def named_specialised(found: frozenset[str], padded_question: str) -> set[str]:
    """The specialised phrases of a name (found) that a question (folded, padded) names."""
    named = {p for p in found if f" {p} " in padded_question}
    if any(w in padded_question for w in ORGANISATION_WORDS):
        named |= found & ORGANISATION
    for family in FAMILIES:
        if named & family:
            named |= found & family
    return named


# "(thực hiện tại cấp tỉnh)" at the end of a name: the same procedure at another level.
LEVEL_SUFFIX = re.compile(r" thuc hien (?:tai|o) cap (xa|huyen|tinh|trung uong)$")
SUFFIX_ORDER = {"xa": 2, "huyen": 1, "tinh": 0, "trung uong": -1}


def level_base(folded_name: str) -> tuple[str, int | None]:
    """(the name without its level suffix, the suffix's order: commune 2 … central -1, or None)."""
    found = LEVEL_SUFFIX.search(folded_name)
    if not found:
        return folded_name, None
    return folded_name[: found.start()], SUFFIX_ORDER[found.group(1)]


_AGE = re.compile(r"^\d{1,3}$")


def age_words(tokens: list[str]) -> list[str]:
    """Words for an age the question states: under 14 ("con 5 tuổi") → dưới 14 tuổi, where the
    catalog splits identity cards; 60 and over → người cao tuổi (the Law on the Elderly)."""
    out: list[str] = []
    for number, unit in zip(tokens, tokens[1:], strict=False):
        if unit == "tuoi" and _AGE.match(number):
            if int(number) < 14:
                out += ["duoi", "14", "tuoi"]
            elif int(number) >= 60:
                out += ["nguoi", "cao", "tuoi"]
    return out


# A name that lists the plain action before its variants ("Cấp, cấp lại Giấy phép …", "Đăng
# ký, đăng ký lại, điều chỉnh đóng BHXH tự nguyện") is the plain procedure too.
_LISTED_ACTIONS = re.compile(r"^ (?:thu tuc )?(dang ky|cap) \1 (?:lai|doi) ")
LISTING_SPAN = 8  # syllables at the start of a name that such a list covers


def listed_actions(padded_name: str) -> frozenset[str]:
    """The ACTIONS (and "cap doi") of a name's opening list when it starts with the plain action
    followed by a variant of it; none otherwise. Those are not specialisations of the name."""
    if not _LISTED_ACTIONS.match(padded_name):
        return frozenset()
    opening = f" {' '.join(padded_name.split()[:LISTING_SPAN])} "
    return frozenset(p for p in ACTIONS | {"cap doi"} if f" {p} " in opening)


# Names state their specialisation early ("Đăng ký khai sinh có yếu tố nước ngoài"); a phrase
# far into a long name is one case of a list ("Giao đất, cho thuê đất, chuyển mục đích sử dụng
# đất đối với trường hợp … gia hạn …"), not what the procedure is.
SPECIALISED_SPAN = 24


# Conditions that keep a procedure to the police's or the army's people and their relatives
# ("… thân nhân sĩ quan, hạ sĩ quan, chiến sĩ trong Công an nhân dân"): its name may read like
# the one every citizen uses ("Cấp lại thẻ bảo hiểm y tế").
SERVICE_PEOPLE = (" cong an nhan dan ", " quan doi nhan dan ", " si quan ")


def for_service_people(conditions: str) -> bool:
    """Whether a procedure's conditions (folded) keep it to the forces' people and relatives."""
    padded = f" {conditions} "
    return " than nhan " in padded and any(w in padded for w in SERVICE_PEOPLE)


def specialised_in(padded_name: str) -> frozenset[str]:
    """The SPECIALISED phrases of a folded name padded with spaces (see SPECIALISED), among its
    first SPECIALISED_SPAN syllables."""
    padded_name = f" {' '.join(padded_name.split()[:SPECIALISED_SPAN])} "
    found = {p for p in SPECIALISED if f" {p} " in padded_name}
    if " viet nam " in padded_name.replace(" dinh cu ", " "):
        found -= FOREIGN
    if any(w in padded_name for w in (" ca nhan ", " ho gia dinh ", " cong dan ")):
        found -= ORGANISATION
    return frozenset(found)
