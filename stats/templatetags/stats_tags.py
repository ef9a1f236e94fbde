"""Template helpers of the statistics pages and the staff notification badge."""

from django import template
from django.template.defaultfilters import floatformat

from accounts.models import STAFF_ROLES
from stats.selectors import notification_unread_count

register = template.Library()


@register.filter
def pct(value: float | None) -> str:
    """A rate in percent with one decimal in the current locale ("99,7%"), "—" when undefined."""
    if value is None:
        return "—"
    return f"{floatformat(value, 1)}%"


@register.inclusion_tag("includes/notifications_badge.html", takes_context=True)
def notification_badge(context: template.Context) -> dict:
    """The bell with the unread count, for staff (one query); nothing for other users."""
    request = context.get("request")
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated or user.role not in STAFF_ROLES:
        return {"show": False}
    return {"show": True, "unread": notification_unread_count(user_id=user.pk)}
