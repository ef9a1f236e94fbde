"""Writes of the engine's data that are not vectors: the lexicon."""

from django.db import transaction

from procedures.retrieval.models import ColloquialTerm


@transaction.atomic
def lexicon_load(*, entries: list[dict]) -> dict[str, int]:
    """Create or update terms by phrase; unchanged entries are not written (index stays warm)."""
    counts = {"created": 0, "updated": 0, "unchanged": 0}
    existing = {t.phrase: t for t in ColloquialTerm.objects.all()}
    for entry in entries:
        phrase = entry["phrase"].strip()
        values = {"expansion": entry["expansion"].strip(), "note": entry.get("note", "")}
        term = existing.get(phrase)
        if term is None:
            ColloquialTerm.objects.create(phrase=phrase, **values)
            counts["created"] += 1
        elif any(getattr(term, k) != v for k, v in values.items()):
            for k, v in values.items():
                setattr(term, k, v)
            term.save()
            counts["updated"] += 1
        else:
            counts["unchanged"] += 1
    return counts
