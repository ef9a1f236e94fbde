from django.core.management.base import BaseCommand

from payments.services import fees_import


class Command(BaseCommand):
    help = "Read the catalog's fee texts into structured fees (administrator-set ones are kept)."

    def handle(self, *args, **options) -> None:
        counts = fees_import()
        self.stdout.write(", ".join(f"{source}: {n}" for source, n in counts.items()))
