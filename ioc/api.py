"""/api/v1/open-data/<dataset>.<csv|json>: public, no personal data, small counts withheld."""

from django.http import Http404, HttpRequest, HttpResponse
from drf_spectacular.utils import extend_schema
from rest_framework.decorators import api_view, permission_classes, renderer_classes
from rest_framework.permissions import AllowAny
from rest_framework.renderers import JSONRenderer

from ioc.views import (
    OPEN_DATA_GROUPS,
    audit_anchors_payload,
    open_data_csv,
    open_data_json,
    open_data_payload,
)


@extend_schema(
    summary="Open data: on-time, online and satisfaction rates",
    description=(
        "Figures per desk, procedure or month; no personal data; a figure computed from fewer "
        "than 5 dossiers is null. Licence CC BY 4.0. `audit-anchors.json`: the anchor hashes "
        "of the dossier audit chain (position, SHA-256), to check later that it was not rewritten."
    ),
    responses={200: dict, 404: dict},
)
@api_view(["GET"])
@permission_classes([AllowAny])
@renderer_classes([JSONRenderer])
def open_data(request: HttpRequest, dataset: str, fmt: str) -> HttpResponse:
    if dataset == "audit-anchors" and fmt == "json":
        return open_data_json(audit_anchors_payload())
    if dataset not in OPEN_DATA_GROUPS or fmt not in ("csv", "json"):
        raise Http404
    payload = open_data_payload(dataset)
    return open_data_csv(payload) if fmt == "csv" else open_data_json(payload)
