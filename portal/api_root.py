"""GET /api/v1/: the API's front door, listing its endpoints and linking the docs."""

from django.urls import URLPattern, URLResolver, get_resolver, reverse
from django.utils.translation import gettext as _
from drf_spectacular.utils import extend_schema, inline_serializer
from rest_framework import serializers
from rest_framework.permissions import AllowAny
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

API_PREFIX = "api/v1/"


def _routes(patterns: list, prefix: str = "") -> list[str]:
    routes = []
    for entry in patterns:
        route = prefix + str(entry.pattern)
        if isinstance(entry, URLResolver):
            routes += _routes(entry.url_patterns, route)
        elif isinstance(entry, URLPattern) and route:
            routes.append(route)
    return routes


def api_endpoints() -> list[str]:
    """Every path under /api/v1/, as written in the URLconf (`<int:pk>` kept), sorted."""
    for entry in get_resolver().url_patterns:
        if isinstance(entry, URLResolver) and str(entry.pattern) == API_PREFIX:
            paths = {
                "/" + API_PREFIX + route.lstrip("^").rstrip("$")
                for route in _routes(entry.url_patterns)
            }
            return sorted(paths)
    return []


class ApiRootView(APIView):
    """The list of endpoints, the OpenAPI schema and the interactive documentation."""

    authentication_classes: list = []
    permission_classes = [AllowAny]

    @extend_schema(
        summary="Danh sách điểm cuối của API",
        responses=inline_serializer(
            "ApiRoot",
            {
                "description": serializers.CharField(),
                "docs": serializers.URLField(),
                "schema": serializers.URLField(),
                "endpoints": serializers.ListField(child=serializers.CharField()),
            },
        ),
    )
    def get(self, request: Request) -> Response:
        return Response(
            {
                "description": _(
                    "API của Cổng Dịch vụ công: thủ tục, hồ sơ, bộ phận một cửa, thống kê."
                ),
                "docs": request.build_absolute_uri(reverse("api-docs")),
                "schema": request.build_absolute_uri(reverse("schema")),
                "endpoints": [request.build_absolute_uri(path) for path in api_endpoints()],
            }
        )
