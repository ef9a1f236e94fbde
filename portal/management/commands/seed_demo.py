"""Load the demo: real units and procedures, demo accounts, dossiers and queue tickets.

Each step is an idempotent `run(stdout)` in the app that owns the data; running the command
twice changes nothing.
"""

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django.utils.module_loading import import_string

from accounts.seed_accounts import demo_accounts_print

SEED_STEPS = [
    "onestop.seed_desks.run",
    "procedures.seed_catalog.run",
    "procedures.seed_retrieval.run",
    "accounts.seed_accounts.run",
    "dossiers.seed_calendar.run",
    "dossiers.seed_dossiers.run",
    "onestop.seed_queue.run",
    "dossiers.seed_tickets.run",
    "stats.seed_stats.run",
    "feedback.seed_feedback.run",
    "payments.seed_fees.run",
    "ioc.seed_ioc.run",
]

# Steps whose random draws `--history-seed` changes (the dossier history).
SEEDED_STEPS = {"dossiers.seed_dossiers.run"}


class Command(BaseCommand):
    help = "Nạp dữ liệu mẫu (đơn vị hành chính, thủ tục, tài khoản, hồ sơ). Chạy lại không đổi gì."

    def add_arguments(self, parser) -> None:
        parser.add_argument(
            "--allow-production",
            action="store_true",
            help="Nạp cả khi DEBUG tắt (tài khoản mẫu dùng mật khẩu công khai).",
        )
        parser.add_argument(
            "--history-seed",
            type=int,
            default=None,
            help="Hạt ngẫu nhiên của lịch sử hồ sơ mẫu (mặc định: hạt của `make run`).",
        )

    def handle(
        self,
        *args,
        allow_production: bool = False,
        history_seed: int | None = None,
        **options,
    ) -> None:
        if not settings.DEBUG and not allow_production:
            raise CommandError(
                "DEBUG đang tắt: dữ liệu mẫu có mật khẩu công khai. "
                "Dùng --allow-production nếu thật sự muốn nạp."
            )
        for step in SEED_STEPS:
            self.stdout.write(f"→ {step}")
            with transaction.atomic():
                if step in SEEDED_STEPS:
                    import_string(step)(self.stdout, seed=history_seed)
                else:
                    import_string(step)(self.stdout)
        self.stdout.write(self.style.SUCCESS("Đã nạp dữ liệu mẫu."))
        demo_accounts_print(self.stdout)
