"""Fee texts of the catalog (phí, lệ phí) read into amounts in VND, only where the text says so.

The national catalog gives each submission method a free-text fee: "50,000 Việt Nam Đồng",
"Miễn phí", "Lệ phí: 200000 ĐồngXem chi tiết", "Phí: 250.000 ĐồngXem chi tiết Phí: 500.000
ĐồngXem chi tiết", "Lệ phí: Theo mức thu lệ phí do Hội đồng nhân dân cấp tỉnh quy định. Miễn lệ
phí cho ...". `fee_parse` returns one of:

- FREE: the text says no fee ("Miễn phí", "Phí: Không", a single amount of 0);
- FIXED: exactly one amount (or the same amount repeated), at least MIN_PLAUSIBLE_VND;
- NEEDS_ADMIN: anything else: several different amounts (they depend on the case), "theo quy
  định", a rate set by the provincial council, an empty or number-less text, or an amount below
  MIN_PLAUSIBLE_VND ("120 VNĐ" is more likely thousands lost in transcription than 120 đồng).
  An administrator sets the amount; the parser never guesses one.

Exemptions ("Miễn lệ phí đối với ...") are kept as text beside the result whatever the kind.
"""

import re
from dataclasses import dataclass, field
from decimal import Decimal

FREE = "free"
FIXED = "fixed"
NEEDS_ADMIN = "needs_admin"

# The smallest amount read as written; below it the administrator confirms.
MIN_PLAUSIBLE_VND = Decimal("1000")

_FREE_TEXT = re.compile(r"^\s*(miễn phí|không thu( phí)?|(lệ )?phí\s*:\s*không\b.*)\s*$", re.I)
# A number with optional thousands separators (1,000,000 or 250.000) followed by a currency word.
_AMOUNT = re.compile(
    r"(?<![\d.,])(\d{1,3}(?:[.,]\d{3})+|\d+)\s*(?:việt nam đồng|vnđ|vnd|đồng|đ)(?![a-zà-ỹ])",
    re.I,
)
_EXEMPTION = re.compile(r"(miễn (?:lệ )?phí (?:cho|đối với)[^.]*\.?)", re.I)


@dataclass(frozen=True)
class FeeParse:
    kind: str
    amount: Decimal | None = None
    candidates: tuple[Decimal, ...] = field(default=())
    exemptions: str = ""
    reason: str = ""


def _amounts(text: str) -> list[Decimal]:
    return [Decimal(re.sub(r"[.,]", "", match.group(1))) for match in _AMOUNT.finditer(text)]


def fee_parse(text: str) -> FeeParse:
    """Read one fee text; see the module docstring for the three outcomes."""
    text = (text or "").replace("Xem chi tiết", " ").strip()
    exemption_match = _EXEMPTION.search(text)
    exemptions = exemption_match.group(1).strip() if exemption_match else ""
    if not text:
        return FeeParse(NEEDS_ADMIN, reason="empty")
    if _FREE_TEXT.match(text):
        return FeeParse(FREE, amount=Decimal(0), exemptions=exemptions)
    amounts = _amounts(text)
    distinct = tuple(sorted(set(amounts)))
    if not distinct:
        reason = "by_regulation" if re.search(r"theo (mức thu|quy định)", text, re.I) else "none"
        return FeeParse(NEEDS_ADMIN, exemptions=exemptions, reason=reason)
    if len(distinct) > 1:
        return FeeParse(NEEDS_ADMIN, candidates=distinct, exemptions=exemptions, reason="several")
    amount = distinct[0]
    if amount == 0:
        return FeeParse(FREE, amount=Decimal(0), exemptions=exemptions)
    if amount < MIN_PLAUSIBLE_VND:
        return FeeParse(
            NEEDS_ADMIN, candidates=distinct, exemptions=exemptions, reason="implausible"
        )
    if re.search(r"theo (mức thu|quy định)|tùy|tuỳ|/\s*(trang|bản|m2|ha)", text, re.I):
        # an amount beside "per page" or "according to": a rate, not the dossier's fee
        return FeeParse(NEEDS_ADMIN, candidates=distinct, exemptions=exemptions, reason="rate")
    return FeeParse(FIXED, amount=amount, exemptions=exemptions)
