"""Demo step: fees read from the catalog texts, and the receipts of the demo's counter
payments (the demo is seeded with side effects suppressed, so their outbox rows never ran)."""

from typing import TextIO

from dossiers.models import DossierEvent
from payments.services import fees_import, payment_record_counter_handler


def run(stdout: TextIO) -> None:
    counts = fees_import()
    stdout.write("  phí, lệ phí: " + ", ".join(f"{k} {v}" for k, v in counts.items()))
    events = DossierEvent.objects.filter(action="confirm_payment").values_list("pk", "dossier_id")
    receipts = sum(
        1
        for event_id, dossier_id in events
        if payment_record_counter_handler({"event_id": event_id, "dossier_id": dossier_id})
        not in (None, "exists")
    )
    stdout.write(f"  biên lai nộp tại quầy: {receipts}")
