"""The public lookup's limit per dossier code, whoever asks.

Four verifier digits are easy to guess and dossier codes are sequential, so besides the limit
per client address every code gets LOOKUP_CODE_FAILURE_LIMIT wrong verifiers per
LOOKUP_CODE_WINDOW_SECONDS. Past that the code is refused (even with the right verifier) until
the window ends. Codes that do not exist are counted the same way, so a refusal says nothing
about whether a code exists. The lookup page, the lookup API and the progress kiosk all go
through `dossier_lookup_limited`. When the cache is down the count is skipped with a log line
(the per-address limits still apply where they can), never a 500.
"""

import hashlib
from typing import Any

from django.conf import settings
from django.utils.translation import gettext_lazy as _

from dossiers.selectors import dossier_public_lookup
from onestop.rate_limit import rate_count, rate_hit, rate_within

# Per client address: the lookup page and the assistant share this counter.
LOOKUP_LIMIT = 10
LOOKUP_WINDOW_SECONDS = 60

LOOKUP_CODE_BLOCKED = _(
    "Mã hồ sơ này đã bị tra cứu sai quá nhiều lần. Vui lòng thử lại sau một giờ hoặc liên hệ "
    "bộ phận một cửa nơi nộp hồ sơ."
)


def lookup_code_key(code: str) -> str:
    canonical = (code or "").strip().upper()
    return "dossiers:lookup-code:" + hashlib.sha256(canonical.encode()).hexdigest()


def dossier_lookup_limited(*, code: str, verifier: str) -> tuple[dict[str, Any] | None, bool]:
    """(public progress or None, refused because the code is over its limit)."""
    key = lookup_code_key(code)
    failures = rate_count(key)
    if failures is not None and failures >= settings.LOOKUP_CODE_FAILURE_LIMIT:
        return None, True
    found = dossier_public_lookup(code=code, verifier=verifier)
    if found is None:
        rate_hit(key, window=settings.LOOKUP_CODE_WINDOW_SECONDS)
    return found, False


def lookup_address_allowed(*, client: str) -> bool:
    """Count one lookup for the client address (the lookup page's counter: same key, limit and
    window); False when the address is over LOOKUP_LIMIT in LOOKUP_WINDOW_SECONDS."""
    return rate_within(
        f"dossiers:lookup:{client}", limit=LOOKUP_LIMIT, window=LOOKUP_WINDOW_SECONDS
    )
