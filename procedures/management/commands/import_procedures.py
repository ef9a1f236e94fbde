"""`manage.py import_procedures PATH [--format json|csv]`: upsert procedures by code, atomically."""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from procedures.exchange import FileFormatError, read_records
from procedures.services import ImportAborted, ImportReport, procedures_import

BAR_WIDTH = 30


class ProgressBar:
    """A one-line text progress bar on stdout (redrawn in place on a terminal)."""

    def __init__(self, stdout) -> None:
        self.stdout = stdout
        self.tty = hasattr(stdout, "isatty") and stdout.isatty()
        self.last = -1

    def __call__(self, done: int, total: int) -> None:
        percent = done * 100 // max(total, 1)
        if percent == self.last or (not self.tty and percent % 10 and done != total):
            return
        self.last = percent
        filled = BAR_WIDTH * done // max(total, 1)
        bar = "#" * filled + "-" * (BAR_WIDTH - filled)
        end = "\r" if self.tty and done != total else "\n"
        self.stdout.write(f"[{bar}] {percent:3d}% ({done}/{total})", ending=end)


def write_report(stdout, style, report: ImportReport, *, verbose: bool) -> None:
    stdout.write(
        f"Tạo mới: {len(report.created)} · Cập nhật: {len(report.updated)} · "
        f"Không đổi: {len(report.unchanged)} · Bỏ qua: {len(report.skipped)}"
    )
    for code, reason in report.skipped:
        stdout.write(f"  bỏ qua {code}: {reason}")
    if report.unparsed_times:
        stdout.write(
            style.WARNING(
                f"{len(report.unparsed_times)} thủ tục chưa đọc được thời hạn giải quyết "
                "(chưa nhận hồ sơ cho đến khi quản trị viên nhập thời hạn):"
            )
        )
        shown = report.unparsed_times if verbose else report.unparsed_times[:20]
        for code, text in shown:
            stdout.write(f"  {code}: “{text[:120]}”")
        if len(shown) < len(report.unparsed_times):
            stdout.write(f"  … và {len(report.unparsed_times) - len(shown)} thủ tục khác (-v 2).")


class Command(BaseCommand):
    help = "Nhập thủ tục hành chính từ tệp JSON (dạng Cổng DVC quốc gia, có thể .gz) hoặc CSV."

    def add_arguments(self, parser) -> None:
        parser.add_argument("path", type=Path)
        parser.add_argument("--format", choices=["json", "csv"], dest="fmt")

    def handle(self, *args, path: Path, fmt: str | None = None, **options) -> None:
        if not path.exists():
            raise CommandError(f"Không tìm thấy tệp {path}.")
        try:
            raw = read_records(path, fmt=fmt)
        except (FileFormatError, UnicodeDecodeError, OSError) as exc:
            raise CommandError(str(exc)) from exc
        self.stdout.write(f"Đọc {len(raw)} bản ghi từ {path}.")
        try:
            report = procedures_import(raw_records=raw, progress=ProgressBar(self.stdout))
        except ImportAborted as exc:
            raise CommandError(str(exc)) from exc
        write_report(self.stdout, self.style, report, verbose=options["verbosity"] > 1)
        self.stdout.write(self.style.SUCCESS("Đã nhập xong."))
