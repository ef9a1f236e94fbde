"""Read-only catalog API: /api/v1/procedures/, /api/v1/procedures/{code}/, /api/v1/sectors/."""

from django.http import Http404
from django.utils.translation import get_language
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import serializers
from rest_framework.generics import ListAPIView
from rest_framework.permissions import AllowAny
from rest_framework.response import Response
from rest_framework.views import APIView

from procedures.cache import catalog_cached
from procedures.models import (
    ApplicantKind,
    OnlineLevel,
    Procedure,
    ProcedureLevel,
    RequiredDocument,
    Sector,
    SubmissionMethod,
)
from procedures.pagination import CatalogPagination
from procedures.selectors import CatalogFilters, procedure_get, procedure_list, sector_list


class ListInput(serializers.Serializer):
    q = serializers.CharField(required=False, allow_blank=True, max_length=200, default="")
    level = serializers.ChoiceField(ProcedureLevel.choices, required=False, default="")
    sector = serializers.SlugField(required=False, allow_blank=True, max_length=120, default="")
    online = serializers.ChoiceField(
        [*OnlineLevel.choices, ("any", "any")], required=False, default=""
    )
    agency = serializers.CharField(required=False, allow_blank=True, max_length=255, default="")
    applicant = serializers.ChoiceField(ApplicantKind.choices, required=False, default="")
    all = serializers.BooleanField(required=False, default=False)


class SectorOutput(serializers.ModelSerializer):
    class Meta:
        model = Sector
        fields = ["code", "name"]


class SectorCountOutput(serializers.ModelSerializer):
    procedure_count = serializers.IntegerField()

    class Meta:
        model = Sector
        fields = ["code", "name", "procedure_count"]


class ProcedureListOutput(serializers.ModelSerializer):
    sector = SectorOutput()
    url = serializers.CharField(source="get_absolute_url")
    accepts_dossiers = serializers.BooleanField()

    class Meta:
        model = Procedure
        fields = [
            "code",
            "name",
            "sector",
            "level",
            "online_level",
            "processing_time_text",
            "processing_time_amount",
            "processing_time_unit",
            "agency_name",
            "is_published",
            "accepts_dossiers",
            "url",
        ]


class MethodOutput(serializers.ModelSerializer):
    class Meta:
        model = SubmissionMethod
        fields = [
            "channel",
            "processing_time_text",
            "processing_time_amount",
            "processing_time_unit",
            "fee",
            "details",
        ]


class DocumentOutput(serializers.ModelSerializer):
    class Meta:
        model = RequiredDocument
        fields = [
            "id",
            "position",
            "group",
            "name",
            "quantity",
            "original_or_copy",
            "template_url",
            "is_required",
            "is_note",
            "is_shown",
            "short_name",
        ]


class ProcedureDetailOutput(serializers.ModelSerializer):
    sector = SectorOutput()
    submission_methods = MethodOutput(many=True)
    required_documents = DocumentOutput(many=True)
    accepts_dossiers = serializers.BooleanField()
    legacy_online_level = serializers.CharField()

    class Meta:
        model = Procedure
        fields = [
            "code",
            "name",
            "decision_number",
            "sector",
            "level",
            "implementation_levels",
            "procedure_type",
            "applicant_types",
            "competent_authority",
            "implementing_agency",
            "delegated_agency",
            "coordinating_agency",
            "receiving_address",
            "related_procedures",
            "steps",
            "conditions",
            "results",
            "results_description",
            "legal_basis",
            "legal_basis_codes",
            "processing_time_text",
            "processing_time_amount",
            "processing_time_unit",
            "same_day_cutoff",
            "supplement_clock",
            "online_level",
            "legacy_online_level",
            "is_published",
            "is_active",
            "accepts_dossiers",
            "source",
            "source_url",
            "as_of",
            "submission_methods",
            "required_documents",
        ]


_LIST_PARAMS = [
    OpenApiParameter("q", str, description="Từ khóa (không phân biệt dấu, hoa thường)"),
    OpenApiParameter("level", str, enum=ProcedureLevel.values),
    OpenApiParameter("sector", str, description="Mã lĩnh vực"),
    OpenApiParameter("online", str, enum=[*OnlineLevel.values, "any"]),
    OpenApiParameter("agency", str, description="Cơ quan thực hiện"),
    OpenApiParameter("applicant", str, enum=ApplicantKind.values),
    OpenApiParameter("all", bool, description="Gồm cả thủ tục chưa công bố tại tỉnh"),
]


class ProcedureListApi(ListAPIView):
    permission_classes = [AllowAny]
    serializer_class = ProcedureListOutput
    filter_backends: list = []
    pagination_class = CatalogPagination

    @extend_schema(parameters=_LIST_PARAMS)
    def get(self, request, *args, **kwargs):
        # The same page for everyone asking the same thing (the links in it name the host):
        # computed once per catalog version, host, query string and language.
        key = (request.get_host(), sorted(request.query_params.lists()), get_language())
        data = catalog_cached(
            "list_api", key, lambda: super(ProcedureListApi, self).list(request).data
        )
        return Response(data)

    def get_queryset(self):
        data = ListInput(data=self.request.query_params)
        data.is_valid(raise_exception=True)
        values = data.validated_data
        return procedure_list(
            filters=CatalogFilters(
                q=values["q"],
                level=values["level"],
                sector=values["sector"],
                online=values["online"],
                agency=values["agency"],
                applicant=values["applicant"],
                include_unpublished=values["all"],
            )
        )


class ProcedureDetailApi(APIView):
    permission_classes = [AllowAny]

    @extend_schema(responses={200: ProcedureDetailOutput})
    def get(self, request, code: str) -> Response:
        data = catalog_cached("procedure_api", (code, get_language()), lambda: _detail_data(code))
        if data is None:
            raise Http404
        return Response(data)


def _detail_data(code: str) -> dict | None:
    procedure = _procedure_or_none(code)
    return None if procedure is None else ProcedureDetailOutput(procedure).data


def _procedure_or_none(code: str) -> Procedure | None:
    try:
        return procedure_get(code=code)
    except Procedure.DoesNotExist:
        return None


class SectorListApi(ListAPIView):
    permission_classes = [AllowAny]
    serializer_class = SectorCountOutput
    filter_backends: list = []
    pagination_class = None

    def get_queryset(self):
        return sector_list(include_unpublished=self.request.query_params.get("all") == "1")
