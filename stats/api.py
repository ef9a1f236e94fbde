"""GET /api/v1/stats/summary/: the dashboard's figures per desk level and in total."""

from __future__ import annotations

import functools

from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import permissions, serializers
from rest_framework.exceptions import ValidationError
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from accounts.models import User
from onestop.replica import reads_from_replica
from stats import selectors
from stats.cache import stats_cached
from stats.forms import FILTER_FIELDS, StatsFilterForm, stats_default_filter
from stats.views import STATS_ROLES, stats_root_is_everything, stats_scope_for

LEVEL_CODES = [level.value for level in selectors.LEVELS]


class FiguresSerializer(serializers.Serializer):
    received = serializers.IntegerField()
    received_direct = serializers.IntegerField()
    received_online = serializers.IntegerField()
    received_postal = serializers.IntegerField()
    resolved = serializers.IntegerField()
    resolved_early = serializers.IntegerField()
    resolved_on_time = serializers.IntegerField(
        help_text=gettext_lazy("Đúng hạn, gồm cả trước hạn.")
    )
    resolved_late = serializers.IntegerField()
    resolved_online = serializers.IntegerField()
    on_time_rate = serializers.FloatField(allow_null=True)
    late_rate = serializers.FloatField(allow_null=True)
    pending = serializers.IntegerField()
    pending_overdue = serializers.IntegerField()
    returned = serializers.IntegerField()
    supplement_requests = serializers.IntegerField()
    online_rate = serializers.FloatField(allow_null=True)
    online_resolved_rate = serializers.FloatField(allow_null=True)
    received_with_fee = serializers.IntegerField()
    received_paid_online = serializers.IntegerField()
    paid_online_rate = serializers.FloatField(allow_null=True)
    received_digitised = serializers.IntegerField()
    digitised_rate = serializers.FloatField(allow_null=True)
    ratings = serializers.IntegerField()
    satisfaction_rate = serializers.FloatField(allow_null=True)


class SummarySerializer(serializers.Serializer):
    date_from = serializers.DateField(source="from")
    date_to = serializers.DateField(source="to")
    unit = serializers.CharField(allow_null=True)
    desk_only = serializers.BooleanField()
    levels = serializers.DictField(child=FiguresSerializer())
    total = FiguresSerializer()


class StatsPermission(permissions.IsAuthenticated):
    """Leaders (their unit's subtree) and administrators; the scope check is in the view."""

    def has_permission(self, request: Request, view: APIView) -> bool:
        if not super().has_permission(request, view):
            return False
        return request.user.role in STATS_ROLES or request.user.is_superuser


class StatsSummaryApi(APIView):
    permission_classes = [StatsPermission]

    @extend_schema(
        parameters=[
            OpenApiParameter("from", str, description="dd/mm/yyyy hoặc yyyy-mm-dd"),
            OpenApiParameter("to", str, description="dd/mm/yyyy hoặc yyyy-mm-dd"),
            OpenApiParameter("period", str, enum=["month", "quarter", "6m", "9m", "year"]),
            OpenApiParameter("year", int),
            OpenApiParameter("month", int),
            OpenApiParameter("quarter", int),
            OpenApiParameter(
                "unit", str, description="Mã GSO của đơn vị (mặc định: phạm vi của người dùng)"
            ),
            OpenApiParameter("desk_only", bool),
            OpenApiParameter("level", str, enum=LEVEL_CODES),
        ],
        responses=SummarySerializer,
    )
    @reads_from_replica
    def get(self, request: Request) -> Response:
        if any(name in request.query_params for name in FILTER_FIELDS):
            form = StatsFilterForm(request.query_params, today=timezone.localdate())
            if not form.is_valid():
                raise ValidationError(form.errors)
            data = form.cleaned_data
        else:
            data = stats_default_filter(timezone.localdate())
        level = data.get("level") or ""
        if level and level not in LEVEL_CODES:
            raise ValidationError({"level": [_("Cấp không hợp lệ.")]})
        # Keyed by what decides the scope (the viewer's own subtree and the unit asked for), so
        # that a repeated question reads neither the units nor the rollups.
        viewer = None if stats_root_is_everything(request.user) else request.user.unit_id
        unit_code, desk_only = data.get("unit") or "", bool(data.get("desk_only"))
        summary = stats_cached(
            "summary",
            (viewer, unit_code, desk_only, data["date_from"], data["date_to"]),
            lambda: _scoped_summary(request.user, unit_code, desk_only, data),
        )
        levels = summary["levels"]
        total = summary["total"]
        if level:
            levels = {level: levels[level]}
            total = levels[level]
        payload = {
            "from": data["date_from"],
            "to": data["date_to"],
            "unit": summary["unit"],
            "desk_only": summary["desk_only"],
            "levels": levels,
            "total": total,
        }
        return Response(summary_output(payload))


def _scoped_summary(user: User, unit_code: str, desk_only: bool, data: dict) -> dict:
    """The summary of the scope asked for, with that scope's unit code (Http404 outside it)."""
    scope = stats_scope_for(user, unit_code, desk_only)
    summary = selectors.stats_summary(
        date_from=data["date_from"], date_to=data["date_to"], scope=scope
    )
    return {
        **summary,
        "unit": scope.unit.code if scope.unit else None,
        "desk_only": scope.desk_only,
    }


@functools.cache
def _figure_fields() -> tuple[tuple[str, type], ...]:
    return tuple(
        (name, float if isinstance(field, serializers.FloatField) else int)
        for name, field in FiguresSerializer().fields.items()
    )


def _figures_output(figures: dict) -> dict:
    return {
        name: None if figures[name] is None else cast(figures[name])
        for name, cast in _figure_fields()
    }


def summary_output(payload: dict) -> dict:
    """What SummarySerializer(payload).data gives, built flat: the nested serializers cost a
    field object call per figure (about a hundred per answer)."""
    return {
        "date_from": payload["from"].isoformat(),
        "date_to": payload["to"].isoformat(),
        "unit": payload["unit"],
        "desk_only": bool(payload["desk_only"]),
        "levels": {level: _figures_output(f) for level, f in payload["levels"].items()},
        "total": _figures_output(payload["total"]),
    }
