"""`manage.py load_lexicon [file]`: load the colloquial lexicon (data/assistant_lexicon.json).

Entries from the file are created or updated by phrase; terms added in the admin are kept.
"""

import json
from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand

from procedures.retrieval.services import lexicon_load

DEFAULT = Path(settings.BASE_DIR) / "data" / "assistant_lexicon.json"


class Command(BaseCommand):
    help = "Nạp từ điển từ ngữ thông dụng (cách nói của người dân → tên trong danh mục)."

    def add_arguments(self, parser) -> None:
        parser.add_argument("path", nargs="?", default=str(DEFAULT))

    def handle(self, *args, path: str, **options) -> None:
        entries = json.loads(Path(path).read_text(encoding="utf-8"))["terms"]
        counts = lexicon_load(entries=entries)
        self.stdout.write(
            f"  từ điển: mới {counts['created']}, cập nhật {counts['updated']}, "
            f"không đổi {counts['unchanged']}"
        )
