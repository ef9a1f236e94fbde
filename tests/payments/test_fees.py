"""The fee parser on real fee texts of the national catalog (data/procedures-real.json.gz)."""

import gzip
import json
from collections import Counter
from decimal import Decimal
from pathlib import Path

import pytest
from django.conf import settings

from payments.fees import FIXED, FREE, NEEDS_ADMIN, fee_parse

D = Decimal
CASES = [
    ("Miễn phí", FREE, D(0), ()),
    ("50,000 Việt Nam Đồng", FIXED, D(50000), ()),
    ("1,000,000 Việt Nam Đồng", FIXED, D(1000000), ()),
    ("100,000 VNĐ", FIXED, D(100000), ()),
    ("1100 VNĐ", FIXED, D(1100), ()),
    ("105,000,000 VNĐ", FIXED, D(105000000), ()),
    ("Lệ phí: 200000 ĐồngXem chi tiết", FIXED, D(200000), ()),
    ("Lệ phí: 0 ĐồngXem chi tiết", FREE, D(0), ()),
    ("Phí: Không Đồng", FREE, D(0), ()),
    # amounts below 1,000 đồng are more likely lost thousands: the administrator confirms
    ("120 VNĐ", NEEDS_ADMIN, None, (D(120),)),
    ("", NEEDS_ADMIN, None, ()),
    ("Phí: ĐồngXem chi tiết", NEEDS_ADMIN, None, ()),
    ("Lệ phí: Theo quy định", NEEDS_ADMIN, None, ()),
    (
        "Phí: 250.000 ĐồngXem chi tiết Phí: 500.000 ĐồngXem chi tiết",
        NEEDS_ADMIN,
        None,
        (D(250000), D(500000)),
    ),
    (
        "Lệ phí: 50.000 đồng/lần ĐồngXem chi tiết Lệ phí: 20.000 đồng/lần ĐồngXem chi tiết",
        NEEDS_ADMIN,
        None,
        (D(20000), D(50000)),
    ),
]


@pytest.mark.parametrize(("text", "kind", "amount", "candidates"), CASES)
def test_fee_parse_reads_amount_only_when_text_gives_one(text, kind, amount, candidates):
    parsed = fee_parse(text)
    assert (parsed.kind, parsed.amount, parsed.candidates) == (kind, amount, candidates)


def test_fee_parse_notes_exemptions_when_rate_is_set_by_provincial_council():
    text = (
        "Lệ phí: Theo mức thu lệ phí do Hội đồng nhân dân cấp tỉnh quy định. Miễn lệ phí cho "
        "người thuộc gia đình có công với cách mạng; người thuộc hộ nghèo; người khuyết tật."
    )
    parsed = fee_parse(text)
    assert parsed.kind == NEEDS_ADMIN and parsed.amount is None
    assert parsed.exemptions.startswith("Miễn lệ phí cho người thuộc gia đình có công")


def test_fee_parse_never_guesses_when_run_over_the_whole_real_catalog():
    path = Path(settings.BASE_DIR) / "data" / "procedures-real.json.gz"
    catalog = json.loads(gzip.open(path).read())
    kinds = Counter()
    for procedure in catalog:
        for method in procedure["submission_methods"] or []:
            text = method.get("fee") or ""
            parsed = fee_parse(text)
            kinds[parsed.kind] += 1
            if parsed.kind == FIXED:
                digits = "".join(ch for ch in text if ch.isdigit())
                assert digits == str(parsed.amount), text  # the one number the text has
    assert kinds[FREE] > 4000 and kinds[FIXED] > 1000 and kinds[NEEDS_ADMIN] > 1000
