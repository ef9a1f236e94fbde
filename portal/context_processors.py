from django.conf import settings
from django.http import HttpRequest


def site(request: HttpRequest) -> dict:
    return {
        "PORTAL_SITE_NAME": settings.PORTAL_SITE_NAME,
        "PORTAL_PROVINCE_NAME": settings.PORTAL_PROVINCE_NAME,
    }
