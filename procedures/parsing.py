"""Pure parsing of the national portal's procedure texts: folding, processing times, quantities.

Processing-time rules (documented in README):
- "N Ngày làm việc" → N working days; "N Ngày" → N calendar days; "N Giờ" / "Không quá N giờ"
  → N working hours; "Trong ngày" / "Ngay trong ngày" / "Ngay sau khi nhận đủ hồ sơ" → same day.
- Trailing qualifiers are ignored ("05 ngày làm việc kể từ ngày nhận đủ hồ sơ" → 5 working days).
- A range ("từ 5 đến 7 ngày", "5-7 ngày làm việc") → its upper bound (the legal maximum).
- Several amounts ("03 ngày làm việc, trường hợp phải xác minh thì không quá 08 ngày làm việc")
  → the first, the normal case; the special cases are the administrator's business.
- Months, "Không quy định", "Không phải trả kết quả" and prose without an amount → unparsed.
- A bare number ("1") is never given a unit by guesswork. It is read only when the record's own
  text (steps, channel details, conditions: `context`) states it: "N ngày làm việc" there →
  working days; for "1", "ngay sau khi nhận đủ" or "sau 15 giờ ... ngày làm việc tiếp theo" there
  → same day; "N ngày" there → calendar days. Otherwise it is unparsed and reported.
"""

import datetime
import hashlib
import re
import unicodedata
from dataclasses import dataclass
from decimal import Decimal

from procedures.models import ApplicantKind, Channel, TimeUnit

_NON_WORD = re.compile(r"[^0-9a-z]+")


def strip_accents(text: str) -> str:
    """Lower-case text without Vietnamese diacritics (đ → d)."""
    text = unicodedata.normalize("NFD", text.lower())
    text = "".join(ch for ch in text if unicodedata.category(ch) != "Mn")
    return text.replace("đ", "d")


def fold(text: str) -> str:
    """Search form of a text: lower-case ASCII words separated by single spaces."""
    return " ".join(_NON_WORD.sub(" ", strip_accents(text)).split())


_LEADING_THU_TUC = re.compile(r"^(thu tuc\s+)+")


def fold_name(name: str) -> str:
    """Search form of a procedure name, without the leading 'Thủ tục' the catalog often adds."""
    return _LEADING_THU_TUC.sub("", fold(name))


@dataclass(frozen=True)
class ParsedTime:
    amount: Decimal
    unit: str
    same_day_cutoff: datetime.time | None = None


_NUM = r"(\d+(?:[.,]\d+)?)"
_UNIT = r"(ngay lam viec|ngay|gio lam viec|gio|thang)"
_RANGE = re.compile(rf"(?:tu\s*)?{_NUM}\s*(?:-|–|den)\s*{_NUM}\s*{_UNIT}\b")
_AMOUNT = re.compile(rf"{_NUM}\s*{_UNIT}\b")
_BARE = re.compile(rf"^{_NUM}$")
_SAME_DAY = re.compile(r"^(?:ngay\s+)?trong\s+ngay\b|^ngay sau khi (?:nhan|tiep nhan)")
_CUTOFF = re.compile(r"sau (\d{1,2})\s*(?:gio|h)\b")
_UNITS = {
    "ngay lam viec": TimeUnit.WORKING_DAYS,
    "ngay": TimeUnit.CALENDAR_DAYS,
    "gio lam viec": TimeUnit.WORKING_HOURS,
    "gio": TimeUnit.WORKING_HOURS,
}


def _time_fold(text: str) -> str:
    # Keep decimal separators ("1.5 Ngày làm việc") that `fold` would split.
    return " ".join(re.sub(r"[^0-9a-z.,\-–/]+", " ", strip_accents(text)).split())


def _amount(raw: str) -> Decimal:
    return Decimal(raw.replace(",", "."))


def _cutoff(*texts: str) -> datetime.time | None:
    for text in texts:
        match = _CUTOFF.search(text)
        if match and 0 < int(match.group(1)) < 24:
            return datetime.time(int(match.group(1)), 0)
    return None


def _from_context(number: Decimal, context: str) -> ParsedTime | None:
    n = int(number) if number == number.to_integral_value() else None
    if n is None:
        return None
    num = rf"(?<![\d/.,])0?{n}"
    if n == 1 and (
        "ngay sau khi nhan du" in context
        or re.search(r"sau \d{1,2} gio.{0,200}ngay lam viec tiep theo", context)
    ):
        return ParsedTime(Decimal(0), TimeUnit.SAME_DAY, _cutoff(context))
    if re.search(rf"{num} ngay lam viec", context):
        return ParsedTime(number, TimeUnit.WORKING_DAYS)
    if re.search(rf"{num} ngay\b(?! lam viec)", context):
        return ParsedTime(number, TimeUnit.CALENDAR_DAYS)
    return None


def parse_processing_time(text: str, *, context: str = "") -> ParsedTime | None:
    """Structured processing time of a source text, or None when it cannot be read safely."""
    folded = _time_fold(text or "")
    if not folded:
        return None
    if _SAME_DAY.search(folded):
        return ParsedTime(Decimal(0), TimeUnit.SAME_DAY, _cutoff(folded, _time_fold(context)))
    bare = _BARE.match(folded)
    if bare:
        number = _amount(bare.group(1))
        if number <= 0:
            return None
        return _from_context(number, _time_fold(context))
    match = _RANGE.search(folded)
    if match:
        amount, unit = _amount(match.group(2)), match.group(3)
    else:
        match = _AMOUNT.search(folded)
        if not match:
            return None
        amount, unit = _amount(match.group(1)), match.group(2)
    if unit == "thang" or amount <= 0:
        return None
    return ParsedTime(amount, _UNITS[unit])


_QTY_PART = re.compile(r"(\d+)\s*(ban chinh|ban sao)")
_QTY_7SINS = re.compile(r"ban chinh\s*:\s*(\d+)\s*-\s*ban sao\s*:\s*(\d+)")


def parse_quantity(text: str) -> tuple[str, str, int]:
    """(quantity, original_or_copy, total copies) of '1 bản chính,1 bản sao' and similar texts."""
    folded = strip_accents(text or "")
    originals = copies = 0
    m7 = _QTY_7SINS.search(folded)
    if m7:
        originals, copies = int(m7.group(1)), int(m7.group(2))
    else:
        for number, kind in _QTY_PART.findall(folded):
            if kind == "ban chinh":
                originals += int(number)
            else:
                copies += int(number)
    if originals and copies:
        return (
            f"{originals} bản chính, {copies} bản sao",
            "Bản chính và bản sao",
            originals + copies,
        )
    if originals:
        return str(originals), "Bản chính", originals
    if copies:
        return str(copies), "Bản sao", copies
    return (text or "").strip(), "", 0


_LEADING_MARKS = re.compile(r"^[\s\-+*•·]*(\([ivx]+\)\s*)?")
_CONDITIONAL_STARTS = ("truong hop", "neu", "doi voi", "trong truong hop")
_CONDITIONAL_PHRASES = ("trong truong hop", "doi voi truong hop", "(neu", "neu co")


def document_is_conditional(name: str) -> bool:
    """Whether a catalog document applies to some applicants only.

    Lines such as "- Trường hợp trẻ em bị bỏ rơi…", "Văn bản ủy quyền … trong trường hợp ủy
    quyền" or "…(nếu có)" are handed in only when the case applies; a line that merely mentions
    a case after its main paper ("Giấy chứng sinh; trường hợp không có…") is not conditional.
    """
    text = _LEADING_MARKS.sub("", " ".join(strip_accents(name).split()))
    return text.startswith(_CONDITIONAL_STARTS) or any(
        phrase in text for phrase in _CONDITIONAL_PHRASES
    )


_SHOW_PHRASES = ("xuat trinh",)
_ALIAS = re.compile(r"\(\s*sau đây gọi (?:tắt )?là\s+([^)]+?)\s*\)", re.IGNORECASE)
SHORT_NAME_MAX = 90


def document_is_shown(*, group: str, name: str) -> bool:
    """Whether a catalog document is shown in person rather than handed in.

    The catalog puts such papers under "Giấy tờ phải xuất trình" ("- Hộ chiếu/Thẻ căn cước …
    để chứng minh về nhân thân khi làm thủ tục trực tiếp"); online, the portal does not ask for
    them as uploads (the identity comes from the account and the national population data).
    """
    folded_group = strip_accents(" ".join((group or "").split()))
    if any(phrase in folded_group for phrase in _SHOW_PHRASES):
        return True
    # A paper needed only "khi làm thủ tục trực tiếp" (when applying in person) is shown there.
    folded = strip_accents(" ".join((name or "").split()))
    return "khi lam thu tuc truc tiep" in folded


def document_short_name(name: str) -> str:
    """A short label for a catalog document: no leading "- ", the paper's name before the
    clauses that explain it, at most about SHORT_NAME_MAX characters (the full text stays in
    `RequiredDocument.name`).

    "- Giấy chứng sinh; trường hợp không có …" -> "Giấy chứng sinh";
    "- Hộ chiếu/… (sau đây gọi tắt là giấy tờ tùy thân) để chứng minh …" -> "Giấy tờ tùy thân".
    """
    text = " ".join(re.sub(r"^[\s\-+*•–·]+", "", name or "").split())
    alias = _ALIAS.search(text)
    if alias:
        text = alias.group(1)
    else:
        text = re.split(r";|\.\s|:\s", text + " ", maxsplit=1)[0].strip().rstrip(".:")
        for clause in (" theo quy định", " để chứng minh"):
            at = text.find(clause)
            if at > 15:
                text = text[:at]
    if len(text) > SHORT_NAME_MAX:
        cut = text[: SHORT_NAME_MAX + 1].rsplit(" ", 1)[0].rstrip(",;:(- ")
        text = f"{cut}…"
    return text[:1].upper() + text[1:]


_CHANNELS = {
    "truc tiep": Channel.DIRECT,
    "truc tuyen": Channel.ONLINE,
    "dich vu buu chinh": Channel.POSTAL,
    "buu chinh": Channel.POSTAL,
}


def parse_channel(label: str) -> str | None:
    """Channel value of 'Trực tiếp' / 'Trực tuyến' / 'Dịch vụ bưu chính' (or a Channel value)."""
    if label in Channel.values:
        return label
    return _CHANNELS.get(fold(label or ""))


def applicant_kinds(types: list[str]) -> list[str]:
    """ApplicantKind values covered by the portal's applicant type labels, in a stable order."""
    kinds = set()
    for label in types:
        folded = fold(label)
        if folded.startswith("nguoi nuoc ngoai"):
            kinds.add(ApplicantKind.FOREIGNER)
        elif folded.startswith(("doanh nghiep", "hop tac xa")):
            kinds.add(ApplicantKind.BUSINESS)
        elif folded.startswith("to chuc"):
            kinds.add(ApplicantKind.ORGANISATION)
        elif folded:
            kinds.add(ApplicantKind.CITIZEN)
    return [kind.value for kind in ApplicantKind if kind in kinds]


def first_agency(text: str) -> str:
    """The first agency of a comma-separated agency list, tidied ('' when none)."""
    text = " ".join((text or "").replace("\xa0", " ").split())
    if not text:
        return ""
    # Names such as "Ủy ban Nhân dân xã, phường, thị trấn." contain commas themselves.
    head = text if re.search(r"xã, phường", text) else text.split(", ")[0]
    return head.rstrip(" .;")[:255]


def local_code(*, name: str, agency: str) -> str:
    """Stable code for a record the national catalog gave no code: 'BRVT.' + 8 hex digits."""
    digest = hashlib.sha1(f"{fold(name)}|{fold(agency)}".encode()).hexdigest()
    return f"BRVT.{digest[:8].upper()}"
