"""Extension points of dossiers, filled in by the apps above it when they start.

The lateness prediction lives in an upper app (ioc). The clerk's work queue and the dossier page
show it through the provider registered here in that app's `AppConfig.ready()`; without one
the "at risk" tab and the risk column are simply absent.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from django.db.models import Expression, Q


@dataclass(frozen=True)
class LatenessProvider:
    """`at_risk()`: Q over Dossier for the dossiers at risk now; `risk()`: an expression giving
    a dossier's risk (0..1, null when unscored); `explain(ids)`: id -> {"percent",
    "estimated_finish", "reasons": [text]}."""

    at_risk: Callable[[], Q]
    risk: Callable[[], Expression]
    explain: Callable[[list[int]], dict[int, dict]]


_lateness: LatenessProvider | None = None


def register_lateness_provider(provider: LatenessProvider) -> None:
    global _lateness
    _lateness = provider


def lateness_provider() -> LatenessProvider | None:
    return _lateness
