"""Template filters of the desk floor."""

from django import template

register = template.Library()


@register.filter
def mmss(seconds: int | None) -> str:
    """Seconds as m:ss (or h:mm:ss from an hour); an em dash when there is no figure."""
    if seconds is None:
        return "—"
    hours, rest = divmod(int(seconds), 3600)
    minutes, secs = divmod(rest, 60)
    return f"{hours}:{minutes:02d}:{secs:02d}" if hours else f"{minutes}:{secs:02d}"
