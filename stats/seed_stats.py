"""Seed step: rebuild the statistics rollups for every day the seeded dossiers touch."""

from django.db.models import Max, Min
from django.utils import timezone

from dossiers.models import Dossier
from stats.services import rollup_rebuild


def run(stdout) -> None:
    """Idempotent: a rebuild recomputes the same rows from the same dossiers."""
    now = timezone.now()
    bounds = Dossier.objects.aggregate(
        first=Min("received_at"),
        last_finished=Max("finished_at"),
        last_returned=Max("returned_at"),
    )
    if bounds["first"] is None:
        stdout.write("  thống kê: chưa có hồ sơ nào được tiếp nhận.")
        return
    date_from = timezone.localtime(bounds["first"]).date()
    date_to = timezone.localdate(now)
    for moment in (bounds["last_finished"], bounds["last_returned"]):
        if moment is not None:
            date_to = max(date_to, timezone.localtime(moment).date())
    cells = rollup_rebuild(date_from=date_from, date_to=date_to, now=now)
    stdout.write(
        f"  thống kê: {cells} ô (bộ phận × thủ tục × ngày) "
        f"từ {date_from:%d/%m/%Y} đến {date_to:%d/%m/%Y}."
    )
