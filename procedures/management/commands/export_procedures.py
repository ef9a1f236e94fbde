"""`manage.py export_procedures --format csv|json PATH`: the catalog, re-importable."""

from pathlib import Path

from django.core.management.base import BaseCommand

from procedures.exchange import write_records
from procedures.models import Procedure


class Command(BaseCommand):
    help = "Xuất thủ tục hành chính ra tệp CSV hoặc JSON (nhập lại được bằng import_procedures)."

    def add_arguments(self, parser) -> None:
        parser.add_argument("path", type=Path)
        parser.add_argument("--format", choices=["json", "csv"], dest="fmt", default="csv")
        parser.add_argument(
            "--published", action="store_true", help="Chỉ xuất các thủ tục công bố tại tỉnh."
        )

    def handle(self, *args, path: Path, fmt: str, published: bool, **options) -> None:
        queryset = Procedure.objects.all()
        if published:
            queryset = queryset.filter(is_published=True)
        count = write_records(path, fmt=fmt, queryset=queryset)
        self.stdout.write(self.style.SUCCESS(f"Đã xuất {count} thủ tục ra {path}."))
