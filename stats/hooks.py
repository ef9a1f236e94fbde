"""Extension points of the leaders' dashboard, filled in by the apps above stats when they start.

The dashboard knows dossiers, not feedback or the national portal. An app above registers a
provider in its `AppConfig.ready()`; the dashboard lists what the providers return in its
"related figures" section (a figure when the app computes one for the period, and a link to
the app's own page, which does its own permission checks).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

DashboardProvider = Callable[..., list[dict[str, Any]]]
_providers: list[DashboardProvider] = []


def register_dashboard_link(provider: DashboardProvider) -> None:
    """`provider(*, user, root, date_from, date_to)` returns a list of {"title", "formula",
    "value", "url"} dicts (`value` may be "" when the figure lives only on the linked page);
    `root` is the unit whose subtree the user sees (None: everything)."""
    if provider not in _providers:
        _providers.append(provider)


def dashboard_links(*, user: Any, root: Any, date_from: dt.date, date_to: dt.date) -> list[dict]:
    links: list[dict[str, Any]] = []
    for provider in _providers:
        links.extend(provider(user=user, root=root, date_from=date_from, date_to=date_to))
    return links
