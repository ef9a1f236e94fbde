"""Extension points of the dossier pages, filled in by the apps above dossiers when they start.

The dossier pages know the workflow, not fees, gateways or predictions. Apps above register here
in their `AppConfig.ready()`:
- a panel provider (payments): given the dossier and the viewer, links to show beside the actions
  (e.g. "pay online", "e-receipt");
- the lateness provider (ioc): the clerk's work queue and the dossier page show the risk through
  it; without one the "at risk" tab and the risk column are simply absent;
- action defaults (payments): given the dossier and an action, the initial values of its form
  and notes shown above it (e.g. the catalog fee of the procedure, its exemptions, for "request
  payment"); the person acting can still change every value.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.db.models import Expression, Q

PanelProvider = Callable[..., list[dict[str, Any]]]
_panel_providers: list[PanelProvider] = []


def register_detail_panel(provider: PanelProvider) -> None:
    """`provider(*, dossier, user)` returns a list of {"text", "url", "label"} dicts."""
    if provider not in _panel_providers:
        _panel_providers.append(provider)


def detail_panels(*, dossier: Any, user: Any) -> list[dict[str, Any]]:
    panels: list[dict[str, Any]] = []
    for provider in _panel_providers:
        panels.extend(provider(dossier=dossier, user=user))
    return panels


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


@dataclass(frozen=True)
class ActionDefaults:
    """Initial values of an action's form fields, and notes shown with the form."""

    initial: dict[str, Any]
    notes: list[str]


ActionDefaultsProvider = Callable[..., ActionDefaults | None]
_action_defaults: list[ActionDefaultsProvider] = []


def register_action_defaults(provider: ActionDefaultsProvider) -> None:
    """`provider(*, dossier, action)` returns ActionDefaults, or None when it has none."""
    if provider not in _action_defaults:
        _action_defaults.append(provider)


def action_defaults(*, dossier: Any, action: str) -> ActionDefaults:
    initial: dict[str, Any] = {}
    notes: list[str] = []
    for provider in _action_defaults:
        found = provider(dossier=dossier, action=action)
        if found is not None:
            initial.update(found.initial)
            notes.extend(found.notes)
    return ActionDefaults(initial=initial, notes=notes)
