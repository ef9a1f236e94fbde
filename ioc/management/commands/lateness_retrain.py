"""Retrain the lateness model now and rescore every dossier in progress."""

from django.core.management.base import BaseCommand
from django.utils import timezone

from ioc.services import escalation_scan, lateness_score, lateness_train


class Command(BaseCommand):
    help = "Retrain the lateness model from the portal's history and rescore open dossiers."

    def add_arguments(self, parser) -> None:
        parser.add_argument("--no-escalate", action="store_true", help="score only")

    def handle(self, *args, **options) -> None:
        now = timezone.now()
        model = lateness_train(now=now)
        scored = lateness_score(now=now, model=model)
        escalated = 0 if options["no_escalate"] else escalation_scan(now=now)
        self.stdout.write(
            f"Lateness model: {model.samples} past dossiers, {scored} scored, "
            f"{escalated} escalations raised."
        )
