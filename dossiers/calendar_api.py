"""/api/v1/calendar/: the year's days off and make-up working days; writes for administrators."""

from datetime import date

from django.core.exceptions import ValidationError as DjangoValidationError
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import serializers, status
from rest_framework.exceptions import NotFound
from rest_framework.exceptions import ValidationError as ApiValidationError
from rest_framework.permissions import SAFE_METHODS, BasePermission
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from accounts.models import Role
from dossiers.calendar import (
    YearDay,
    calendar_day_create,
    calendar_day_delete,
    calendar_day_get,
    calendar_day_update,
    calendar_year,
)
from dossiers.models import CalendarDay, CalendarDayKind

_KIND_ERRORS = {
    "invalid_choice": gettext_lazy(
        "Loại ngày không hợp lệ: dùng “day_off” (ngày nghỉ) hoặc “working_day” (ngày làm việc bù)."
    ),
    "required": gettext_lazy("Vui lòng chọn loại ngày."),
}
_DATE_ERRORS = {
    "invalid": gettext_lazy("Ngày không hợp lệ: dùng dạng YYYY-MM-DD hoặc dd/mm/yyyy."),
    "required": gettext_lazy("Vui lòng nhập ngày."),
}
_NAME_ERRORS = {
    "required": gettext_lazy("Vui lòng nhập lý do (tên ngày nghỉ hoặc ngày làm bù)."),
    "blank": gettext_lazy("Vui lòng nhập lý do (tên ngày nghỉ hoặc ngày làm bù)."),
    "max_length": gettext_lazy("Lý do dài quá 255 ký tự."),
}


class IsCalendarAdminOrReadOnly(BasePermission):
    """Anyone reads the calendar; only administrators (role admin or superuser) change it."""

    message = gettext_lazy("Chỉ quản trị hệ thống mới được sửa lịch ngày nghỉ, ngày làm bù.")

    def has_permission(self, request: Request, view: APIView) -> bool:
        if request.method in SAFE_METHODS:
            return True
        user = request.user
        return bool(
            user and user.is_authenticated and (user.is_superuser or user.role == Role.ADMIN)
        )


class CalendarDayOutputSerializer(serializers.Serializer):
    date = serializers.DateField()
    kind = serializers.CharField()
    kind_label = serializers.SerializerMethodField()
    name = serializers.CharField()
    editable = serializers.BooleanField(default=True)

    def get_kind_label(self, obj: CalendarDay | YearDay) -> str:
        return str(CalendarDayKind(obj.kind).label)


class CalendarDayUpdateInputSerializer(serializers.Serializer):
    kind = serializers.ChoiceField(choices=CalendarDayKind.choices, error_messages=_KIND_ERRORS)
    name = serializers.CharField(max_length=255, error_messages=_NAME_ERRORS)


class CalendarDayCreateInputSerializer(CalendarDayUpdateInputSerializer):
    date = serializers.DateField(
        input_formats=["iso-8601", "%d/%m/%Y"], error_messages=_DATE_ERRORS
    )


class CalendarYearOutputSerializer(serializers.Serializer):
    year = serializers.IntegerField()
    days = CalendarDayOutputSerializer(many=True)


def _bad_request(error: DjangoValidationError) -> ApiValidationError:
    return ApiValidationError(error.message_dict)


def _parse_day(value: str) -> date:
    try:
        return date.fromisoformat(value)
    except ValueError as error:
        raise NotFound(_("Ngày không hợp lệ: dùng dạng YYYY-MM-DD.")) from error


def _row(day: date) -> CalendarDay:
    row = calendar_day_get(day=day)
    if row is None:
        raise NotFound(
            _("Ngày %(date)s không có trong lịch chỉnh sửa.") % {"date": f"{day:%d/%m/%Y}"}
        )
    return row


class CalendarListApi(APIView):
    """GET: one year's holidays, substitute days and make-up working days (law and calendar rows).
    POST: add a day off or a make-up working day (administrators)."""

    permission_classes = [IsCalendarAdminOrReadOnly]

    @extend_schema(
        operation_id="calendar_year",
        parameters=[OpenApiParameter("year", int, description="Năm (mặc định: năm hiện tại)")],
        responses=CalendarYearOutputSerializer,
    )
    def get(self, request: Request) -> Response:
        raw_year = request.query_params.get("year") or str(timezone.localdate().year)
        if not raw_year.isdigit() or not 1900 <= int(raw_year) <= 2100:
            raise ApiValidationError({"year": [_("Năm không hợp lệ.")]})
        days = calendar_year(year=int(raw_year))
        return Response(
            {"year": int(raw_year), "days": CalendarDayOutputSerializer(days, many=True).data}
        )

    @extend_schema(
        request=CalendarDayCreateInputSerializer, responses={201: CalendarDayOutputSerializer}
    )
    def post(self, request: Request) -> Response:
        data = CalendarDayCreateInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        try:
            row = calendar_day_create(
                day=data.validated_data["date"],
                kind=data.validated_data["kind"],
                name=data.validated_data["name"],
            )
        except DjangoValidationError as error:
            raise _bad_request(error) from error
        return Response(CalendarDayOutputSerializer(row).data, status=status.HTTP_201_CREATED)


class CalendarDayApi(APIView):
    """One editable calendar row, by its date (YYYY-MM-DD): read, change kind or reason, delete."""

    permission_classes = [IsCalendarAdminOrReadOnly]

    @extend_schema(operation_id="calendar_day_retrieve", responses=CalendarDayOutputSerializer)
    def get(self, request: Request, day: str) -> Response:
        return Response(CalendarDayOutputSerializer(_row(_parse_day(day))).data)

    def _update(self, request: Request, day: str, *, partial: bool) -> Response:
        row = _row(_parse_day(day))
        data = CalendarDayUpdateInputSerializer(data=request.data, partial=partial)
        data.is_valid(raise_exception=True)
        try:
            row = calendar_day_update(
                calendar_day=row,
                kind=data.validated_data.get("kind"),
                name=data.validated_data.get("name"),
            )
        except DjangoValidationError as error:
            raise _bad_request(error) from error
        return Response(CalendarDayOutputSerializer(row).data)

    @extend_schema(request=CalendarDayUpdateInputSerializer, responses=CalendarDayOutputSerializer)
    def put(self, request: Request, day: str) -> Response:
        return self._update(request, day, partial=False)

    @extend_schema(request=CalendarDayUpdateInputSerializer, responses=CalendarDayOutputSerializer)
    def patch(self, request: Request, day: str) -> Response:
        return self._update(request, day, partial=True)

    @extend_schema(responses={204: None})
    def delete(self, request: Request, day: str) -> Response:
        calendar_day_delete(calendar_day=_row(_parse_day(day)))
        return Response(status=status.HTTP_204_NO_CONTENT)
