"""/api/v1/ endpoints of the desk floor, for kiosks, counters, boards and hardware.

Ticket printers and LED boards use the same endpoints as the portal's own pages: issue a ticket,
call the next one at a counter, read the board state.
"""

import datetime

from django.utils import timezone
from django.utils.dateparse import parse_date
from django.utils.translation import gettext as _
from drf_spectacular.utils import (
    OpenApiParameter,
    OpenApiResponse,
    extend_schema,
    extend_schema_field,
)
from rest_framework import serializers, status
from rest_framework.exceptions import NotFound, PermissionDenied, ValidationError
from rest_framework.permissions import AllowAny, IsAuthenticated
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from onestop import selectors, services
from onestop.models import Counter, CounterRating, QueueTicket
from onestop.throttling import AnonRateThrottle


class TicketIssueThrottle(AnonRateThrottle):
    """Anonymous kiosks and browsers; signed-in ticket printers are not throttled."""

    scope = "queue_ticket"
    rate = "30/min"


class RatingThrottle(AnonRateThrottle):
    scope = "queue_rating"
    rate = "20/min"


def _error(exc: services.QueueError) -> Response:
    code = (
        status.HTTP_409_CONFLICT
        if isinstance(exc, services.QueueConflict)
        else status.HTTP_400_BAD_REQUEST
    )
    return Response({"detail": exc.message}, status=code)


class TicketOutputSerializer(serializers.ModelSerializer):
    group = serializers.CharField(source="group.prefix")
    group_name = serializers.CharField(source="group.name")
    counter = serializers.IntegerField(source="counter.number", allow_null=True, default=None)
    dossier_code = serializers.SerializerMethodField()

    class Meta:
        model = QueueTicket
        fields = [
            "id",
            "desk",
            "code",
            "number",
            "group",
            "group_name",
            "day",
            "status",
            "issued_at",
            "called_at",
            "last_called_at",
            "recall_count",
            "counter",
            "served_at",
            "no_show_at",
            "dossier_code",
        ]

    @extend_schema_field(serializers.CharField(allow_null=True))
    def get_dossier_code(self, ticket: QueueTicket) -> str | None:
        return ticket.dossier_code or None


class TicketIssuedSerializer(TicketOutputSerializer):
    ahead = serializers.IntegerField(help_text="Số người cùng nhóm đang chờ trước số này.")
    rating_secret = serializers.CharField(
        read_only=True,
        help_text="Mã đánh giá in trên phiếu (chỉ trả về khi lấy số): cần để đánh giá quầy.",
    )

    class Meta(TicketOutputSerializer.Meta):
        fields = [*TicketOutputSerializer.Meta.fields, "ahead", "rating_secret"]


class QueueRefSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    name = serializers.CharField()


class BoardTicketSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    code = serializers.CharField()
    group = serializers.CharField()
    group_name = serializers.CharField()
    status = serializers.CharField()
    issued_at = serializers.CharField()
    called_at = serializers.CharField(allow_null=True)
    last_called_at = serializers.CharField(allow_null=True)
    recall_count = serializers.IntegerField(help_text="Tăng mỗi lần gọi lại: bảng nháy lại.")


class BoardCounterSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    number = serializers.IntegerField()
    name = serializers.CharField()
    groups = serializers.ListField(child=serializers.CharField())
    ticket = BoardTicketSerializer(allow_null=True)


class BoardGroupSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    prefix = serializers.CharField()
    name = serializers.CharField()
    waiting = serializers.IntegerField()


class BoardSerializer(serializers.Serializer):
    desk = QueueRefSerializer()
    day = serializers.CharField()
    generated_at = serializers.CharField()
    counters = BoardCounterSerializer(many=True)
    waiting = BoardTicketSerializer(many=True)
    waiting_by_group = BoardGroupSerializer(many=True)
    waiting_total = serializers.IntegerField()


class QueueFiguresSerializer(serializers.Serializer):
    issued = serializers.IntegerField()
    waiting = serializers.IntegerField()
    served = serializers.IntegerField()
    no_show = serializers.IntegerField()
    avg_wait_seconds = serializers.IntegerField(allow_null=True)
    max_wait_seconds = serializers.IntegerField(allow_null=True)
    avg_service_seconds = serializers.IntegerField(allow_null=True)
    linked_dossiers = serializers.IntegerField()
    ratings = serializers.DictField(child=serializers.IntegerField())


class GroupFiguresSerializer(QueueFiguresSerializer):
    group__prefix = serializers.CharField()
    group__name = serializers.CharField()


class CounterFiguresSerializer(QueueFiguresSerializer):
    counter__number = serializers.IntegerField()
    counter__name = serializers.CharField()


class DeskFiguresSerializer(serializers.Serializer):
    desk = QueueRefSerializer()
    date = serializers.DateField()
    totals = QueueFiguresSerializer()
    by_group = GroupFiguresSerializer(many=True)
    by_counter = CounterFiguresSerializer(many=True)


# Error bodies are set for the whole API by portal.schema; here only the codes these views give.
ERRORS = {
    400: OpenApiResponse(description="Dữ liệu không hợp lệ"),
    403: OpenApiResponse(description="Không có quyền"),
    404: OpenApiResponse(description="Không tìm thấy"),
}
CONFLICT = {**ERRORS, 409: OpenApiResponse(description="Trạng thái không cho phép thao tác")}


class DeskTicketIssueApi(APIView):
    """Issue a queue ticket at a desk (public: kiosks and ticket printers)."""

    permission_classes = [AllowAny]
    throttle_classes = [TicketIssueThrottle]

    class TicketIssueInputSerializer(serializers.Serializer):
        group = serializers.IntegerField(min_value=1, max_value=2**63 - 1)  # BigAutoField
        cccd = serializers.CharField(required=False, allow_blank=True, max_length=20)

    @extend_schema(
        request=TicketIssueInputSerializer,
        responses={201: TicketIssuedSerializer, **ERRORS},
        summary="Lấy số thứ tự (máy lấy số, máy in vé)",
    )
    def post(self, request: Request, desk_id: int) -> Response:
        data = self.TicketIssueInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        try:
            ticket = services.ticket_issue(
                desk_id=desk_id,
                group_id=data.validated_data["group"],
                cccd=data.validated_data.get("cccd", ""),
                now=timezone.now(),
            )
        except services.QueueError as exc:
            return _error(exc)
        ticket.ahead = selectors.ticket_ahead_count(ticket=ticket)
        return Response(TicketIssuedSerializer(ticket).data, status=status.HTTP_201_CREATED)


class DeskBoardApi(APIView):
    """State of the display board: the number at each counter and the next waiting ones."""

    permission_classes = [AllowAny]

    @extend_schema(
        responses={200: BoardSerializer, 404: ERRORS[404]},
        summary="Trạng thái bảng hiển thị (bảng LED, màn hình)",
    )
    def get(self, request: Request, desk_id: int) -> Response:
        desk = selectors.desk_get_active(desk_id=desk_id)
        if desk is None:
            raise NotFound(_("Không tìm thấy bộ phận một cửa."))
        state = selectors.board_state(desk=desk, now=timezone.now())
        return Response(BoardSerializer(state).data)


def _operable_counter(request: Request, counter_id: int) -> Counter:
    counter = selectors.counter_get(counter_id=counter_id)
    if counter is None:
        raise NotFound(_("Không tìm thấy quầy."))
    if not selectors.counter_operable_by(user=request.user, counter=counter):
        raise PermissionDenied(_("Chỉ cán bộ của bộ phận một cửa này được thao tác tại quầy."))
    return counter


class CounterActionApi(APIView):
    """Base of the counter actions; each subclass calls one service on the counter."""

    permission_classes = [IsAuthenticated]

    def act(self, request: Request, counter: Counter) -> QueueTicket:
        raise NotImplementedError

    @extend_schema(request=None, responses={200: TicketOutputSerializer, **CONFLICT})
    def post(self, request: Request, counter_id: int) -> Response:
        counter = _operable_counter(request, counter_id)
        try:
            ticket = self.act(request, counter)
        except services.QueueError as exc:
            return _error(exc)
        return Response(TicketOutputSerializer(ticket).data)


class CounterCallNextApi(CounterActionApi):
    """Call the oldest waiting ticket among the groups the counter serves (409 if none)."""

    def act(self, request: Request, counter: Counter) -> QueueTicket:
        return services.ticket_call_next(
            counter_id=counter.pk, actor=request.user, now=timezone.now()
        )


class CounterRecallApi(CounterActionApi):
    """Call the counter's current ticket again."""

    def act(self, request: Request, counter: Counter) -> QueueTicket:
        return services.ticket_recall(counter_id=counter.pk, now=timezone.now())


class CounterServeApi(CounterActionApi):
    """Mark the counter's current ticket as served."""

    def act(self, request: Request, counter: Counter) -> QueueTicket:
        return services.ticket_serve(counter_id=counter.pk, now=timezone.now())


class CounterNoShowApi(CounterActionApi):
    """Mark the counter's current ticket as a no-show."""

    def act(self, request: Request, counter: Counter) -> QueueTicket:
        return services.ticket_no_show(counter_id=counter.pk, now=timezone.now())


class TicketDossierApi(APIView):
    """Link a called or served ticket to the dossier received for it (clerk of the desk)."""

    permission_classes = [IsAuthenticated]

    class TicketDossierInputSerializer(serializers.Serializer):
        dossier_code = serializers.CharField(max_length=40)

    @extend_schema(
        request=TicketDossierInputSerializer, responses={200: TicketOutputSerializer, **CONFLICT}
    )
    def post(self, request: Request, ticket_id: int) -> Response:
        ticket = selectors.ticket_get(ticket_id=ticket_id)
        if ticket is None:
            raise NotFound(_("Không tìm thấy số thứ tự."))
        if ticket.counter is None or not selectors.counter_operable_by(
            user=request.user, counter=ticket.counter
        ):
            raise PermissionDenied(_("Chỉ cán bộ của bộ phận một cửa này được gắn hồ sơ."))
        data = self.TicketDossierInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        try:
            ticket = services.ticket_link_dossier(
                ticket_id=ticket.pk, dossier_code=data.validated_data["dossier_code"]
            )
        except services.QueueError as exc:
            return _error(exc)
        return Response(TicketOutputSerializer(ticket).data)


class RatingOutputSerializer(serializers.ModelSerializer):
    class Meta:
        model = CounterRating
        fields = ["ticket", "counter", "level", "created_at"]


class TicketRatingApi(APIView):
    """The visitor's one-tap rating of the counter that served the ticket (once, shortly after)."""

    permission_classes = [AllowAny]
    throttle_classes = [RatingThrottle]

    class TicketRatingInputSerializer(serializers.Serializer):
        level = serializers.CharField(max_length=20)
        secret = serializers.CharField(
            max_length=20, help_text="Mã đánh giá in trên phiếu số thứ tự (mã QR)."
        )

    @extend_schema(
        request=TicketRatingInputSerializer, responses={201: RatingOutputSerializer, **CONFLICT}
    )
    def post(self, request: Request, ticket_id: int) -> Response:
        data = self.TicketRatingInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        try:
            rating = services.counter_rate(
                ticket_id=ticket_id,
                secret=data.validated_data["secret"],
                level=data.validated_data["level"],
                now=timezone.now(),
            )
        except services.QueueError as exc:
            return _error(exc)
        return Response(RatingOutputSerializer(rating).data, status=status.HTTP_201_CREATED)


def parse_day(raw: str | None, *, today: datetime.date) -> datetime.date:
    """A day from ?date=: yyyy-mm-dd or dd/mm/yyyy; today when absent."""
    if not raw:
        return today
    raw = raw.strip()
    try:
        if "/" in raw:
            return datetime.datetime.strptime(raw, "%d/%m/%Y").date()  # noqa: DTZ007 (a date)
        parsed = parse_date(raw)
    except ValueError:
        parsed = None
    if parsed is None:
        raise ValidationError({"date": _("Ngày không hợp lệ: dùng dd/mm/yyyy hoặc yyyy-mm-dd.")})
    return parsed


class DeskQueueFiguresApi(APIView):
    """A desk's queue figures for one day: totals, per group and per counter."""

    permission_classes = [IsAuthenticated]

    @extend_schema(
        parameters=[
            OpenApiParameter(
                "date", str, description="dd/mm/yyyy hoặc yyyy-mm-dd; mặc định hôm nay"
            )
        ],
        responses={200: DeskFiguresSerializer, **ERRORS},
    )
    def get(self, request: Request, desk_id: int) -> Response:
        desk = selectors.desk_get_active(desk_id=desk_id)
        if desk is None:
            raise NotFound(_("Không tìm thấy bộ phận một cửa."))
        if not selectors.desk_figures_visible_to(user=request.user, desk=desk):
            raise PermissionDenied(_("Bạn không có quyền xem số liệu của bộ phận này."))
        day = parse_day(request.query_params.get("date"), today=timezone.localdate())
        figures = selectors.queue_figures(desk_ids=[desk.pk], start=day, end=day)
        body = {
            "desk": {"id": desk.pk, "name": desk.name},
            "date": day,
            "totals": figures["totals"],
            **selectors.queue_figures_breakdown(desk_id=desk.pk, day=day),
        }
        return Response(DeskFiguresSerializer(body).data)
