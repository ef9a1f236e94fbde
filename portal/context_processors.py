from django.conf import settings
from django.http import HttpRequest
from django.utils import translation


def site_names() -> dict:
    """The site and province names in the active language (English variants are settings)."""
    english = translation.get_language() == "en"
    return {
        "PORTAL_SITE_NAME": settings.PORTAL_SITE_NAME_EN if english else settings.PORTAL_SITE_NAME,
        "PORTAL_PROVINCE_NAME": (
            settings.PORTAL_PROVINCE_NAME_EN if english else settings.PORTAL_PROVINCE_NAME
        ),
    }


def site(request: HttpRequest) -> dict:
    return site_names()
