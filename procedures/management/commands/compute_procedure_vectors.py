"""`manage.py compute_procedure_vectors`: embed the procedures whose text changed (progress bar)."""

import time
from pathlib import Path

from django.core.management.base import BaseCommand

from procedures.retrieval.vectors import vectors_cache_write, vectors_compute
from procedures.seed_retrieval import progress_printer


class Command(BaseCommand):
    help = "Tính véc-tơ ngữ nghĩa cho thủ tục mới hoặc đã đổi nội dung (chạy lại không tính lại)."

    def add_arguments(self, parser) -> None:
        parser.add_argument("--force", action="store_true", help="Tính lại tất cả.")
        parser.add_argument(
            "--export",
            metavar="PATH",
            help="Sau khi tính, ghi mọi véc-tơ ra tệp (data/procedure_vectors.npz cho seed_demo).",
        )

    def handle(self, *args, force: bool = False, export: str | None = None, **options) -> None:
        started = time.monotonic()
        counts = vectors_compute(force=force, progress=progress_printer(self.stdout))
        self.stdout.write(
            f"  véc-tơ: tính {counts['computed']}, không đổi {counts['unchanged']} "
            f"({time.monotonic() - started:.1f} s)"
        )
        if export:
            self.stdout.write(f"  đã ghi {vectors_cache_write(Path(export))} véc-tơ vào {export}")
