"""Template filters of the desk floor."""

from django import template
from django.utils.translation import gettext as _

from onestop.models import Counter

register = template.Library()


@register.filter
def mmss(seconds: int | None) -> str:
    """Seconds as m:ss (or h:mm:ss from an hour); an em dash when there is no figure."""
    if seconds is None:
        return "—"
    hours, rest = divmod(int(seconds), 3600)
    minutes, secs = divmod(rest, 60)
    return f"{hours}:{minutes:02d}:{secs:02d}" if hours else f"{minutes}:{secs:02d}"


@register.filter
def counter_label(counter: Counter) -> str:
    """A label like "Quầy 2 — Tư pháp", not repeating the number the name already has."""
    number_label = _("Quầy %(number)s") % {"number": counter.number}
    name = (counter.name or "").strip()
    # Counter names are data, written in Vietnamese whatever the interface language.
    if not name or name.startswith(f"Quầy {counter.number}"):
        return name or number_label
    return f"{number_label} — {name}"
