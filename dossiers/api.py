"""Dossier API under /api/v1/: submit and list dossiers, one dossier, actions, public lookup."""

import json
from typing import Any

from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from drf_spectacular.utils import (
    OpenApiParameter,
    OpenApiResponse,
    extend_schema,
)
from rest_framework import serializers, status
from rest_framework.pagination import PageNumberPagination
from rest_framework.permissions import AllowAny, IsAuthenticated
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from dossiers import selectors
from dossiers.api_detail import (
    applicant_data,
    dossier_detail_by_id,
    dossier_detail_data,
    dossier_detail_for_user,
    lookup_answer,
)
from dossiers.lookup_limit import LOOKUP_CODE_BLOCKED, dossier_lookup_limited
from dossiers.models import (
    Dossier,
    DossierDocument,
    DossierLeg,
    DossierResult,
    DossierStatus,
)
from dossiers.services import (
    DossierError,
    DossierNotFound,
    DossierValidationError,
    UploadedDocument,
    dossier_perform_action,
    dossier_submit_online,
)
from dossiers.services.documents import uploads_check_total
from dossiers.views.files import dossier_file_key
from dossiers.workflow import ACTION_CHOICES, ACTIONS
from onestop.models import Desk, SatisfactionLevel
from onestop.throttling import ScopedRateThrottle
from procedures.models import Procedure

# Ids are BigAutoField: a larger number is refused as input (400), not sent to the database.
ID_LIMITS = {"min_value": 1, "max_value": 2**63 - 1}
LOOKUP_NOT_FOUND = gettext_lazy("Không tìm thấy hồ sơ với mã và thông tin xác minh đã nhập.")


# A declaration is a flat form; nothing the portal stores nests deeper or weighs more.
JSON_VALUE_MAX_DEPTH = 20
JSON_VALUE_MAX_CHARS = 100_000


def json_depth(value: Any) -> int:
    """How deeply lists and objects nest (0 for a plain value), without recursion."""
    deepest, stack = 0, [(value, 0)]
    while stack:
        item, depth = stack.pop()
        if isinstance(item, dict):
            item = list(item.values())
        if isinstance(item, list):
            deepest = max(deepest, depth + 1)
            stack.extend((child, depth + 1) for child in item)
    return deepest


class JsonValueField(serializers.JSONField):
    """JSON in a JSON body, or a JSON string in a multipart form; bounded in depth and size."""

    def to_internal_value(self, data: Any) -> Any:
        if isinstance(data, str | bytes):
            if len(data) > JSON_VALUE_MAX_CHARS:
                raise serializers.ValidationError(
                    _("Dữ liệu JSON quá lớn (tối đa %(count)s ký tự).")
                    % {"count": JSON_VALUE_MAX_CHARS}
                )
            try:
                data = json.loads(data)
            except RecursionError:
                raise self._too_deep() from None
            except ValueError:
                raise serializers.ValidationError(_("Giá trị phải là JSON hợp lệ.")) from None
        if json_depth(data) > JSON_VALUE_MAX_DEPTH:
            raise self._too_deep()
        return super().to_internal_value(data)

    @staticmethod
    def _too_deep() -> serializers.ValidationError:
        return serializers.ValidationError(
            _("Dữ liệu JSON lồng nhau quá sâu (tối đa %(depth)s cấp).")
            % {"depth": JSON_VALUE_MAX_DEPTH}
        )


class DossierErrorsMixin:
    """Domain errors become JSON answers: 400 invalid, 403 not allowed, 404 hidden, 409 state."""

    def handle_exception(self, exc: Exception) -> Response:
        if isinstance(exc, DossierError):
            body = {"detail": exc.message}
            if isinstance(exc, DossierValidationError) and exc.field:
                body["field"] = exc.field
            return Response(body, status=exc.http_status)
        return super().handle_exception(exc)  # type: ignore[misc]


def _documents(files: list) -> list[UploadedDocument]:
    uploads_check_total(files or [])
    return [UploadedDocument.from_file(file) for file in files or []]


# --- Output -----------------------------------------------------------------------------------


class DossierListOutput(serializers.ModelSerializer):
    procedure = serializers.CharField(source="procedure.code")
    procedure_name = serializers.CharField(source="procedure.name")
    desk_name = serializers.CharField(source="desk.name")
    status_label = serializers.CharField(source="get_status_display")
    appointment_at = serializers.DateTimeField(allow_null=True)
    is_overdue = serializers.SerializerMethodField()

    class Meta:
        model = Dossier
        fields = [
            "code",
            "procedure",
            "procedure_name",
            "desk",
            "desk_name",
            "channel",
            "status",
            "status_label",
            "national_status_number",
            "applicant_name",
            "submitted_at",
            "received_at",
            "due_at",
            "appointment_at",
            "finished_at",
            "returned_at",
            "outcome",
            "result",
            "is_overdue",
        ]

    def get_is_overdue(self, dossier: Dossier) -> bool:
        return dossier.is_overdue(self.context["now"])


class DossierEventOutput(serializers.Serializer):
    at = serializers.DateTimeField()
    action = serializers.CharField()
    actor = serializers.CharField(source="actor.__str__", default="")
    actor_role = serializers.CharField()
    desk = serializers.CharField(source="desk.name", default="")
    agency = serializers.CharField(source="agency.name", default="")
    from_status = serializers.CharField()
    to_status = serializers.CharField()
    note = serializers.CharField()
    data = serializers.JSONField()


class DossierDocumentOutput(serializers.ModelSerializer):
    url = serializers.SerializerMethodField()

    class Meta:
        model = DossierDocument
        fields = ["id", "kind", "original_name", "content_type", "size", "sha256", "url"]

    def get_url(self, document: DossierDocument) -> str:
        """The API route: it answers token clients as well as browsers with a session."""
        return reverse(
            "api-dossier-document",
            kwargs={"code": dossier_file_key(document.dossier), "document_id": document.pk},
        )


class DossierLegOutput(serializers.ModelSerializer):
    from_desk = serializers.CharField(source="from_desk.name", default="")
    from_agency = serializers.CharField(source="from_agency.name", default="")
    to_desk = serializers.CharField(source="to_desk.name", default="")
    to_agency = serializers.CharField(source="to_agency.name", default="")

    class Meta:
        model = DossierLeg
        fields = [
            "position",
            "from_desk",
            "from_agency",
            "to_desk",
            "to_agency",
            "started_at",
            "due_at",
            "finished_at",
            "outcome",
            "note",
        ]


class DossierActionOutput(serializers.Serializer):
    name = serializers.CharField()
    label = serializers.CharField()
    inputs = serializers.SerializerMethodField()

    def get_inputs(self, spec: Any) -> list[dict[str, Any]]:
        return [
            {"name": f.name, "label": str(f.label), "kind": f.kind, "required": f.required}
            for f in spec.fields
        ]


class DossierDetailOutput(DossierListOutput):
    applicant = serializers.SerializerMethodField()
    current_desk_name = serializers.CharField(source="current_desk.name", default="")
    handling_agency_name = serializers.CharField(source="handling_agency.name", default="")
    deadline = serializers.SerializerMethodField()
    timeline = serializers.SerializerMethodField()
    documents = DossierDocumentOutput(many=True)
    legs = DossierLegOutput(many=True)
    allowed_actions = serializers.SerializerMethodField()

    class Meta(DossierListOutput.Meta):
        fields = [
            *DossierListOutput.Meta.fields,
            "applicant",
            "form_data",
            "current_desk_name",
            "handling_agency_name",
            "rescheduled_due_at",
            "paused_at",
            "supplement_items",
            "refusal_reason",
            "stop_reason",
            "apology_reason",
            "fee_amount",
            "paid_online",
            "result_note",
            "deadline",
            "timeline",
            "documents",
            "legs",
            "allowed_actions",
        ]

    def get_applicant(self, dossier: Dossier) -> dict[str, str]:
        return applicant_data(dossier)

    def get_deadline(self, dossier: Dossier) -> dict[str, Any] | None:
        if dossier.due_at is None:
            return None
        return {
            "due_at": dossier.due_at.isoformat(),
            "appointment_at": dossier.appointment_at.isoformat(),
            "explanation": dossier.deadline_explanation.splitlines(),
        }

    def get_timeline(self, dossier: Dossier) -> list[dict[str, Any]]:
        return DossierEventOutput(selectors.dossier_timeline(dossier=dossier), many=True).data

    def get_allowed_actions(self, dossier: Dossier) -> list[dict[str, Any]]:
        specs = selectors.dossier_allowed_actions(dossier=dossier, user=self.context["user"])
        return DossierActionOutput(specs, many=True).data


# --- Input ------------------------------------------------------------------------------------


class DossierCreateInput(serializers.Serializer):
    procedure = serializers.CharField(max_length=32, help_text="Mã thủ tục, ví dụ 1.001193")
    desk = serializers.IntegerField(
        required=False,
        **ID_LIMITS,
        help_text="Bộ phận tiếp nhận; bỏ trống khi chỉ một nơi tiếp nhận.",
    )
    applicant_name = serializers.CharField(required=False, allow_blank=True, max_length=150)
    applicant_cccd = serializers.CharField(required=False, allow_blank=True, max_length=12)
    applicant_phone = serializers.CharField(required=False, allow_blank=True, max_length=15)
    applicant_email = serializers.EmailField(required=False, allow_blank=True)
    applicant_address = serializers.CharField(required=False, allow_blank=True, max_length=255)
    applicant_organisation = serializers.CharField(required=False, allow_blank=True, max_length=255)
    form_data = JsonValueField(required=False, default=dict)
    documents = serializers.ListField(
        child=serializers.FileField(allow_empty_file=True), required=False, default=list
    )


class DossierListInput(serializers.Serializer):
    status = serializers.ChoiceField(DossierStatus.choices, required=False)
    desk = serializers.IntegerField(required=False, **ID_LIMITS)
    procedure = serializers.CharField(required=False, max_length=32)
    overdue = serializers.BooleanField(required=False, allow_null=True, default=None)
    due_before = serializers.DateTimeField(required=False)


class DossierActionInput(serializers.Serializer):
    action = serializers.ChoiceField(ACTION_CHOICES)
    note = serializers.CharField(required=False, allow_blank=True, default="")
    reason = serializers.CharField(required=False, allow_blank=True, default="")
    items = JsonValueField(
        required=False,
        default=list,
        help_text='Yêu cầu bổ sung: [{"document": "...", "reason": "..."}]',
    )
    to_desk = serializers.IntegerField(required=False, allow_null=True, default=None, **ID_LIMITS)
    to_agency = serializers.IntegerField(required=False, allow_null=True, default=None, **ID_LIMITS)
    leg_due_at = serializers.DateTimeField(required=False, allow_null=True, default=None)
    new_due_at = serializers.DateTimeField(required=False, allow_null=True, default=None)
    fee_amount = serializers.DecimalField(
        max_digits=14, decimal_places=0, required=False, allow_null=True, default=None
    )
    result = serializers.ChoiceField(DossierResult.choices, required=False, default="")
    level = serializers.ChoiceField(SatisfactionLevel.choices, required=False, default="")
    comment = serializers.CharField(required=False, allow_blank=True, default="")
    documents = serializers.ListField(
        child=serializers.FileField(allow_empty_file=True), required=False, default=list
    )

    def validate_items(self, items: Any) -> list[dict[str, str]]:
        """A list of {"document": text, "reason": text} objects, nothing else."""
        if not isinstance(items, list) or not all(
            isinstance(item, dict)
            and all(isinstance(item.get(key, ""), str) for key in ("document", "reason"))
            for item in items
        ):
            raise serializers.ValidationError(
                _(
                    "Danh sách giấy tờ cần bổ sung phải có dạng "
                    '[{"document": "...", "reason": "..."}].'
                )
            )
        return items


class DossierLookupInput(serializers.Serializer):
    code = serializers.CharField(max_length=40)
    verifier = serializers.CharField(
        max_length=12, help_text="4 số cuối số điện thoại hoặc số CCCD của người nộp"
    )


# --- Views ------------------------------------------------------------------------------------


class DossierListApi(DossierErrorsMixin, APIView):
    """GET: the dossiers you may see. POST: submit a dossier online (multipart)."""

    permission_classes = [IsAuthenticated]
    pagination_class = PageNumberPagination

    @extend_schema(
        parameters=[DossierListInput],
        responses={200: DossierListOutput(many=True)},
    )
    def get(self, request: Request) -> Response:
        filters = DossierListInput(data=request.query_params)
        filters.is_valid(raise_exception=True)
        params = filters.validated_data
        now = timezone.now()
        dossiers = selectors.dossier_list_filtered(
            user=request.user,
            now=now,
            status=params.get("status"),
            desk_id=params.get("desk"),
            procedure_code=params.get("procedure"),
            overdue=params.get("overdue"),
            due_before=params.get("due_before"),
        ).order_by("-submitted_at", "-id")
        paginator = self.pagination_class()
        page = paginator.paginate_queryset(dossiers, request, view=self)
        data = DossierListOutput(page, many=True, context={"now": now}).data
        return paginator.get_paginated_response(data)

    @extend_schema(
        request={"multipart/form-data": DossierCreateInput},
        parameters=[
            OpenApiParameter(
                "Idempotency-Key",
                str,
                OpenApiParameter.HEADER,
                required=False,
                description="Gửi lại cùng khóa sẽ nhận lại đúng hồ sơ đã tạo, không tạo hồ sơ mới.",
            )
        ],
        responses={
            201: DossierDetailOutput,
            400: OpenApiResponse(description="Dữ liệu hoặc tệp không hợp lệ"),
        },
    )
    def post(self, request: Request) -> Response:
        data = DossierCreateInput(data=request.data)
        data.is_valid(raise_exception=True)
        values = data.validated_data
        procedure = selectors.procedure_for_intake(code=values["procedure"])
        if procedure is None:
            raise DossierValidationError(_("Không tìm thấy thủ tục."), field="procedure")
        desk = self._desk(procedure=procedure, desk_id=values.get("desk"))
        dossier = dossier_submit_online(
            applicant=request.user,
            procedure=procedure,
            desk=desk,
            applicant_fields={
                key: values.get(f"applicant_{key}", "")
                for key in ("name", "cccd", "phone", "email", "address", "organisation")
            },
            form_data=values["form_data"] if isinstance(values["form_data"], dict) else {},
            documents=_documents(values["documents"]),
            idempotency_key=request.headers.get("Idempotency-Key"),
            now=timezone.now(),
        )
        return Response(_detail(dossier, request), status=status.HTTP_201_CREATED)

    @staticmethod
    def _desk(*, procedure: Procedure, desk_id: int | None) -> Desk:
        if desk_id is None:
            desk = selectors.procedure_default_desk(procedure=procedure)
            if desk is None:
                raise DossierValidationError(
                    _("Cần chọn bộ phận một cửa tiếp nhận hồ sơ."), field="desk"
                )
            return desk
        desk = selectors.desk_for_intake(desk_id=desk_id)
        if desk is None:
            raise DossierValidationError(_("Không tìm thấy bộ phận một cửa."), field="desk")
        return desk


def _detail(dossier: Dossier, request: Request) -> dict[str, Any]:
    """The detail of a dossier just written (read again with what the response needs, in one
    statement as the detail API reads it)."""
    return dossier_detail_data(
        dossier_detail_by_id(dossier.pk), user=request.user, now=timezone.now()
    )


class DossierDetailApi(DossierErrorsMixin, APIView):
    """One dossier with its timeline, documents, legs and the deadline explanation."""

    permission_classes = [IsAuthenticated]

    @extend_schema(responses={200: DossierDetailOutput})
    def get(self, request: Request, code: str) -> Response:
        # Loaded once: the visibility rule and what the response needs, in one query.
        dossier = dossier_detail_for_user(user=request.user, code=code)
        if dossier is None:
            raise DossierNotFound()
        return Response(dossier_detail_data(dossier, user=request.user, now=timezone.now()))


class DossierActionApi(DossierErrorsMixin, APIView):
    """Perform one workflow action; 409 when the dossier's state does not allow it."""

    permission_classes = [IsAuthenticated]

    @extend_schema(
        request={
            "application/json": DossierActionInput,
            "multipart/form-data": DossierActionInput,
        },
        responses={
            200: DossierDetailOutput,
            409: OpenApiResponse(description="Trạng thái hồ sơ không cho phép"),
        },
        description="Thao tác: " + ", ".join(ACTIONS),
    )
    def post(self, request: Request, code: str) -> Response:
        # Visibility only (the action loads and locks the row itself): the key, no joins.
        dossier_id = selectors.dossier_visible_id(user=request.user, code=code)
        if dossier_id is None:
            raise DossierNotFound()
        data = DossierActionInput(data=request.data)
        data.is_valid(raise_exception=True)
        payload = dict(data.validated_data)
        action = payload.pop("action")
        documents = _documents(payload.pop("documents"))
        payload["documents"] = payload["result_documents"] = documents
        dossier = dossier_perform_action(
            dossier_id=dossier_id,
            actor=request.user,
            action=action,
            payload=payload,
            now=timezone.now(),
        )
        return Response(_detail(dossier, request))


class DossierLookupOutput(serializers.Serializer):
    code = serializers.CharField()
    status = serializers.CharField()
    status_label = serializers.CharField()
    national_status_number = serializers.IntegerField(allow_null=True)
    procedure_code = serializers.CharField()
    procedure_name = serializers.CharField()
    desk_name = serializers.CharField()
    submitted_at = serializers.DateTimeField(allow_null=True)
    received_at = serializers.DateTimeField(allow_null=True)
    due_at = serializers.DateTimeField(allow_null=True)
    appointment_at = serializers.DateTimeField(allow_null=True)
    finished_at = serializers.DateTimeField(allow_null=True)
    returned_at = serializers.DateTimeField(allow_null=True)
    result = serializers.CharField()
    outcome = serializers.CharField()
    timeline = serializers.ListField(child=serializers.DictField())


class LookupApi(APIView):
    """Public progress lookup: the code plus the last 4 digits of the phone or CCCD.

    A wrong verifier gets exactly the answer of an unknown code.
    """

    authentication_classes: list = []
    permission_classes = [AllowAny]
    throttle_classes = [ScopedRateThrottle]
    throttle_scope = "lookup"

    @extend_schema(
        parameters=[DossierLookupInput],
        responses={
            200: DossierLookupOutput,
            404: OpenApiResponse(description="Mã không tồn tại hoặc thông tin xác minh sai"),
            429: OpenApiResponse(description="Quá nhiều lần tra cứu sai"),
        },
    )
    def get(self, request: Request) -> Response:
        # DossierLookupInput's rules, checked directly: anything else looks like an unknown code.
        code = request.query_params.get("code", "").strip()
        verifier = request.query_params.get("verifier", "").strip()
        if not (0 < len(code) <= 40 and 0 < len(verifier) <= 12):
            return Response({"detail": str(LOOKUP_NOT_FOUND)}, status=status.HTTP_404_NOT_FOUND)
        found, blocked = dossier_lookup_limited(code=code, verifier=verifier)
        if blocked:
            return Response(
                {"detail": str(LOOKUP_CODE_BLOCKED)}, status=status.HTTP_429_TOO_MANY_REQUESTS
            )
        if found is None:
            return Response({"detail": str(LOOKUP_NOT_FOUND)}, status=status.HTTP_404_NOT_FOUND)
        return Response(lookup_answer(found))
