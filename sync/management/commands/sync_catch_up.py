from django.core.management.base import BaseCommand
from django.db.models import Count, F, Q
from django.utils import timezone

from dossiers.models import Dossier
from sync.services import SyncNotYet, SyncRefused, sync_retry


class Command(BaseCommand):
    help = (
        "Send every dossier's unsynced changes to the national endpoint, in order (after "
        "configuring SYNC_ENDPOINT_URL, or for the demo data, which is seeded without side "
        "effects). Run it while the endpoint is up; it stops at the first failure."
    )

    def add_arguments(self, parser) -> None:
        parser.add_argument("--limit", type=int, default=1000)

    def handle(self, *args, limit: int, **options) -> None:
        tracked = Q(events__to_status__gt="") & ~Q(events__to_status=F("events__from_status"))
        ids = (
            Dossier.objects.exclude(status="draft")
            .annotate(n=Count("events", filter=tracked))
            .filter(n__gt=0)
            .order_by("pk")
            .values_list("pk", flat=True)[:limit]
        )
        sent = 0
        for dossier_id in ids:
            try:
                sent += sync_retry(dossier_id=dossier_id, now=timezone.now())
            except (SyncRefused, SyncNotYet, OSError) as error:
                self.stderr.write(f"dossier {dossier_id}: {error}")
                break
        self.stdout.write(f"{sent} message(s) sent")
