"""GET /api/v1/dossiers/<code>/documents/<id>/: a dossier's file for API clients (token or session).

The same people as on the page route (dossiers.views.files) get the same file with the same
headers; the API's authentication lets a token client in, which the page route cannot.
"""

from django.http import FileResponse
from django.shortcuts import get_object_or_404
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework.permissions import IsAuthenticated
from rest_framework.request import Request
from rest_framework.views import APIView

from dossiers.api import DossierErrorsMixin
from dossiers.models import DossierDocument
from dossiers.services import DossierNotFound
from dossiers.views.files import document_response, visible_dossier_for_user


class DossierDocumentApi(DossierErrorsMixin, APIView):
    """The stored file: a verified image inline, anything else as an attachment."""

    permission_classes = [IsAuthenticated]

    @extend_schema(
        parameters=[OpenApiParameter("tai", str, description="1: always download (attachment)")],
        responses={
            (200, "application/octet-stream"): OpenApiResponse(OpenApiTypes.BINARY),
            404: OpenApiResponse(description="Không tìm thấy hồ sơ hoặc giấy tờ"),
        },
    )
    def get(self, request: Request, code: str, document_id: int) -> FileResponse:
        dossier = visible_dossier_for_user(request.user, code)
        if dossier is None:
            raise DossierNotFound()
        document = get_object_or_404(DossierDocument, pk=document_id, dossier=dossier)
        return document_response(document, download=request.query_params.get("tai") == "1")
