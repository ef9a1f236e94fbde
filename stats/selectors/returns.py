"""Why dossiers come back: the supplement requests, per procedure, document and desk.

Each request names its documents and reasons (`DossierEvent.data["items"]`, written by
`dossier_request_supplement`); counting them shows where citizens stumble, so the catalog's
instructions can be fixed there. A request at reception and one during processing both count.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict

from django.utils.translation import gettext as _

from dossiers.models import DossierEvent
from stats.selectors.figures import StatsScope, local_bounds

SUPPLEMENT_ACTION = "request_supplement"


def stats_returns_by_document(
    *, scope: StatsScope, date_from: dt.date, date_to: dt.date, limit: int | None = None
) -> list[dict]:
    """Rows {procedure_code, procedure, document, desk, count}, most frequent first."""
    start, end = local_bounds(date_from, date_to)
    events = DossierEvent.objects.filter(
        scope.desk_q(prefix="dossier__desk__"), action=SUPPLEMENT_ACTION, at__gte=start, at__lt=end
    ).values_list("dossier__procedure__code", "dossier__procedure__name", "desk__name", "data")
    counts: dict[tuple, int] = defaultdict(int)
    unnamed = _("(không nêu giấy tờ)")
    for code, name, desk, data in events.iterator(chunk_size=2000):
        items = (data or {}).get("items") or [{}]
        for document in {str((item or {}).get("document") or "").strip() for item in items}:
            counts[(code, name, document or unnamed, desk or "")] += 1
    rows = [
        {"procedure_code": k[0], "procedure": k[1], "document": k[2], "desk": k[3], "count": n}
        for k, n in sorted(counts.items(), key=lambda kv: (-kv[1], kv[0]))
    ]
    return rows[:limit] if limit else rows
