"""Reads of the site shell: the home page's figures."""

from onestop.selectors import desk_count
from procedures.models import OnlineLevel, Procedure


def portal_key_figures() -> dict[str, int]:
    """Counts shown on the home page."""
    published = Procedure.objects.filter(is_published=True)
    return {
        "procedures": published.count(),
        "procedures_online": published.exclude(online_level=OnlineLevel.NONE).count(),
        "procedures_full_online": published.filter(online_level=OnlineLevel.FULL).count(),
        "desks": desk_count(),
    }
