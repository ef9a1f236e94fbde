"""The "Đăng nhập bằng VNeID" buttons of the login page, one per configured provider."""

from django import template

from accounts.oidc import oidc_providers

register = template.Library()


@register.inclusion_tag("accounts/includes/oidc_buttons.html")
def oidc_sign_in_buttons(next_url: str = "") -> dict:
    return {"providers": list(oidc_providers().values()), "next": next_url}
