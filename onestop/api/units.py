"""Read-only API of administrative units and one-stop desks (public data)."""

from django.http import Http404
from drf_spectacular.utils import extend_schema
from rest_framework import serializers
from rest_framework.generics import ListAPIView, RetrieveAPIView
from rest_framework.permissions import AllowAny

from onestop.models import AdministrativeUnit, Counter, Desk, UnitLevel
from onestop.selectors import desk_get, desk_list, unit_get, unit_list


class UnitListInput(serializers.Serializer):
    level = serializers.ChoiceField(UnitLevel.choices, required=False)
    parent = serializers.CharField(required=False, max_length=8, help_text="Mã GSO đơn vị cấp trên")
    q = serializers.CharField(required=False, max_length=100, help_text="Tên hoặc mã GSO")


class UnitOutput(serializers.ModelSerializer):
    parent = serializers.CharField(source="parent.code", default=None, allow_null=True)
    level_label = serializers.CharField(source="get_level_display")

    class Meta:
        model = AdministrativeUnit
        fields = ["code", "name", "short_name", "type_label", "level", "level_label", "parent"]


class DeskListInput(serializers.Serializer):
    level = serializers.ChoiceField(UnitLevel.choices, required=False)
    unit = serializers.CharField(required=False, max_length=8, help_text="Mã GSO của đơn vị")
    parent = serializers.CharField(
        required=False, max_length=8, help_text="Mã GSO của đơn vị cấp trên"
    )


class CounterOutput(serializers.ModelSerializer):
    class Meta:
        model = Counter
        fields = ["id", "number", "name", "is_active"]


class DeskUnitOutput(serializers.ModelSerializer):
    parent = serializers.CharField(source="parent.code", default=None, allow_null=True)

    class Meta:
        model = AdministrativeUnit
        fields = ["code", "name", "level", "parent"]


class DeskOutput(serializers.ModelSerializer):
    unit = DeskUnitOutput()
    level = serializers.CharField(source="unit.level")
    counters = CounterOutput(many=True)

    class Meta:
        model = Desk
        fields = [
            "id",
            "name",
            "agency_code",
            "level",
            "unit",
            "address",
            "phone",
            "email",
            "morning_opens",
            "morning_closes",
            "afternoon_opens",
            "afternoon_closes",
            "is_active",
            "counters",
        ]


class UnitListApi(ListAPIView):
    """Administrative units (GSO codes), filtered by level, parent code or a search."""

    permission_classes = [AllowAny]
    serializer_class = UnitOutput

    @extend_schema(parameters=[UnitListInput])
    def get(self, request, *args, **kwargs):
        return super().get(request, *args, **kwargs)

    def get_queryset(self):
        params = UnitListInput(data=self.request.query_params)
        params.is_valid(raise_exception=True)
        data = params.validated_data
        return unit_list(
            level=data.get("level"), parent_code=data.get("parent"), query=data.get("q")
        )


class UnitDetailApi(RetrieveAPIView):
    permission_classes = [AllowAny]
    serializer_class = UnitOutput

    def get_object(self) -> AdministrativeUnit:
        try:
            return unit_get(self.kwargs["code"])
        except AdministrativeUnit.DoesNotExist as error:
            raise Http404 from error


class DeskListApi(ListAPIView):
    """One-stop desks with their counters and office hours."""

    permission_classes = [AllowAny]
    serializer_class = DeskOutput

    @extend_schema(parameters=[DeskListInput])
    def get(self, request, *args, **kwargs):
        return super().get(request, *args, **kwargs)

    def get_queryset(self):
        params = DeskListInput(data=self.request.query_params)
        params.is_valid(raise_exception=True)
        data = params.validated_data
        return desk_list(
            level=data.get("level"), unit_code=data.get("unit"), parent_code=data.get("parent")
        )


class DeskDetailApi(RetrieveAPIView):
    permission_classes = [AllowAny]
    serializer_class = DeskOutput

    def get_object(self) -> Desk:
        try:
            return desk_get(self.kwargs["desk_id"])
        except Desk.DoesNotExist as error:
            raise Http404 from error
