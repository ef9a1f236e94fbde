"""python manage.py load_units [PATH] [--province CODE]"""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from onestop.services import UnitDataError, units_load_file


class Command(BaseCommand):
    help = (
        "Nạp đơn vị hành chính (mã GSO) từ tệp JSON/JSON.gz; mặc định tỉnh Bà Rịa - Vũng Tàu. "
        "Cập nhật theo mã, chạy lại không đổi gì."
    )

    def add_arguments(self, parser) -> None:
        parser.add_argument(
            "path",
            nargs="?",
            type=Path,
            help="Tệp dữ liệu (mặc định data/ba-ria-vung-tau-units.json; với --province mà "
            "không có tệp: data/vn-admin-units.json.gz).",
        )
        parser.add_argument("--province", help="Mã GSO của tỉnh cần nạp, ví dụ 77 hoặc 79.")

    def handle(
        self, *args, path: Path | None = None, province: str | None = None, **options
    ) -> None:
        if path is not None and not path.exists():
            raise CommandError(f"Không tìm thấy tệp {path}.")
        try:
            result = units_load_file(path=path, province_code=province)
        except UnitDataError as error:
            raise CommandError(str(error)) from error
        levels = ", ".join(f"{level}: {count}" for level, count in result.by_level.items())
        self.stdout.write(
            self.style.SUCCESS(
                f"Đã nạp {result.total} đơn vị ({levels}): mới {result.created}, "
                f"cập nhật {result.updated}, giữ nguyên {result.unchanged}."
            )
        )
