"""Extension points of the dossier pages, filled in by the apps above it when they start.

The dossier pages know the workflow, not fees or gateways. An app above (payments) registers a
panel provider here in its `AppConfig.ready()`: given the dossier and the viewer, it returns
links to show beside the actions (e.g. "pay online", "e-receipt").
"""

from collections.abc import Callable
from typing import Any

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
