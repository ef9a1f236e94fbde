"""Rebuild the statistics rollups for a range of local days, month by month."""

import datetime as dt

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from stats.services import rollup_rebuild

DATE_FORMATS = ("%d/%m/%Y", "%Y-%m-%d")


def _parse(value: str) -> dt.date:
    for fmt in DATE_FORMATS:
        try:
            return dt.datetime.strptime(value, fmt).date()  # noqa: DTZ007 (a date, no time)
        except ValueError:
            continue
    raise CommandError(f"Ngày không hợp lệ: {value!r} (dùng dd/mm/yyyy hoặc yyyy-mm-dd).")


class Command(BaseCommand):
    help = "Tính lại bảng tổng hợp thống kê (bộ phận × thủ tục × ngày) cho một khoảng ngày."

    def add_arguments(self, parser) -> None:
        parser.add_argument("--from", dest="date_from", required=True, help="dd/mm/yyyy")
        parser.add_argument("--to", dest="date_to", required=True, help="dd/mm/yyyy")

    def handle(self, *args, date_from: str, date_to: str, **options) -> None:
        first, last = _parse(date_from), _parse(date_to)
        if first > last:
            raise CommandError("Ngày bắt đầu phải trước hoặc bằng ngày kết thúc.")
        now = timezone.now()
        total = 0
        chunk_start = first
        while chunk_start <= last:
            next_month = (chunk_start.replace(day=28) + dt.timedelta(days=4)).replace(day=1)
            chunk_end = min(last, next_month - dt.timedelta(days=1))
            cells = rollup_rebuild(date_from=chunk_start, date_to=chunk_end, now=now)
            total += cells
            self.stdout.write(f"{chunk_start:%d/%m/%Y}–{chunk_end:%d/%m/%Y}: {cells} ô")
            chunk_start = chunk_end + dt.timedelta(days=1)
        self.stdout.write(self.style.SUCCESS(f"Đã tính lại {total} ô thống kê."))
