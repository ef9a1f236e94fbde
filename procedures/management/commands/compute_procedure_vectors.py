"""`manage.py compute_procedure_vectors`: embed the procedures whose text changed (progress bar)."""

import time

from django.core.management.base import BaseCommand

from procedures.retrieval.vectors import vectors_compute
from procedures.seed_retrieval import progress_printer


class Command(BaseCommand):
    help = "Tính véc-tơ ngữ nghĩa cho thủ tục mới hoặc đã đổi nội dung (chạy lại không tính lại)."

    def add_arguments(self, parser) -> None:
        parser.add_argument("--force", action="store_true", help="Tính lại tất cả.")

    def handle(self, *args, force: bool = False, **options) -> None:
        started = time.monotonic()
        counts = vectors_compute(force=force, progress=progress_printer(self.stdout))
        self.stdout.write(
            f"  véc-tơ: tính {counts['computed']}, không đổi {counts['unchanged']} "
            f"({time.monotonic() - started:.1f} s)"
        )
