"""`manage.py compute_procedure_vectors`: embed the procedures whose text changed (progress bar)."""

import sys
import time

from django.core.management.base import BaseCommand

from procedures.retrieval.vectors import vectors_compute

BAR = 30


class Command(BaseCommand):
    help = "Tính véc-tơ ngữ nghĩa cho thủ tục mới hoặc đã đổi nội dung (chạy lại không tính lại)."

    def add_arguments(self, parser) -> None:
        parser.add_argument("--force", action="store_true", help="Tính lại tất cả.")

    def handle(self, *args, force: bool = False, **options) -> None:
        started = time.monotonic()
        interactive = sys.stdout.isatty()

        def progress(done: int, total: int) -> None:
            filled = BAR * done // max(total, 1)
            line = f"[{'#' * filled}{'.' * (BAR - filled)}] {done}/{total}"
            if interactive:
                self.stdout.write(f"\r{line}", ending="")
            elif done == total or done % (10 * 32) == 0:
                self.stdout.write(line)

        counts = vectors_compute(force=force, progress=progress)
        if interactive and counts["computed"]:
            self.stdout.write("")
        self.stdout.write(
            f"  véc-tơ: tính {counts['computed']}, không đổi {counts['unchanged']} "
            f"({time.monotonic() - started:.1f} s)"
        )
