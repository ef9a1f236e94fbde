"""Seed step: a few feedback items at the demo commune desk, answered on time, late, pending."""

import datetime as dt

from django.utils import timezone

from accounts.models import User
from feedback.models import Feedback
from feedback.services import feedback_answer, feedback_submit
from onestop.models import Agency, Desk
from procedures.models import Procedure

DESK_UNIT = "26508"  # Phường Thắng Tam, the demo clerk's desk

ITEMS = [
    # (days ago received, days after reception answered or None, public, title, content, answer)
    (
        40,
        3,
        True,
        "Khu vực chờ thiếu ghế vào buổi sáng",
        "Sáng thứ Hai nhiều người phải đứng chờ ở bộ phận một cửa.",
        "Bộ phận đã bố trí thêm 10 ghế chờ từ ngày hôm sau. Cảm ơn ông/bà đã phản ánh.",
    ),
    (
        30,
        20,
        True,
        "Đề nghị niêm yết lệ phí chứng thực",
        "Đề nghị niêm yết rõ lệ phí chứng thực bản sao tại quầy.",
        "Bảng lệ phí đã được niêm yết tại quầy số 1 và trên Cổng.",
    ),
    (12, None, False, "Chưa nhận được kết quả đúng hẹn", "Hồ sơ của tôi quá hẹn hai ngày.", ""),
    (30, None, True, "Máy lấy số không in phiếu", "Máy lấy số thỉnh thoảng không in phiếu.", ""),
]


def run(stdout) -> None:
    """Idempotent: does nothing once any feedback exists."""
    if Feedback.objects.exists():
        stdout.write("  phản ánh: đã có, bỏ qua.")
        return
    desk = Desk.objects.filter(unit__code=DESK_UNIT).first()
    clerk = User.objects.filter(username="demo.clerk.commune").first()
    if desk is None or clerk is None:
        stdout.write("  phản ánh: thiếu bộ phận hoặc cán bộ mẫu, bỏ qua.")
        return
    now = timezone.now()
    for days_ago, answered_after, public, title, content, answer in ITEMS:
        received = now - dt.timedelta(days=days_ago)
        feedback = feedback_submit(
            kind="complaint",
            subject="desk",
            desk_id=desk.pk,
            sender=None,
            sender_name="Lê Văn Minh",
            sender_phone="0918765432",
            title=title,
            content=content,
            is_public=public,
            files=[],
            now=received,
        )
        if answered_after is not None:
            feedback_answer(
                feedback_id=feedback.pk,
                actor=clerk,
                answer=answer,
                publish=public,
                now=received + dt.timedelta(days=answered_after),
            )
    agency_items = _agency_items(now)
    stdout.write(
        f"  phản ánh: {len(ITEMS)} phản ánh mẫu tại {desk.name}, "
        f"{agency_items} gửi cơ quan xử lý của chuyên viên mẫu."
    )


def _agency_items(now: dt.datetime) -> int:
    """Feedback about procedures the demo specialist's agency handles: routed to that agency,
    one answered by the specialist, one pending."""
    specialist = User.objects.filter(username="demo.specialist").select_related("agency").first()
    agency: Agency | None = specialist.agency if specialist else None
    desk = Desk.objects.filter(unit_id=agency.unit_id).first() if agency else None
    procedure = (
        Procedure.objects.filter(sector__in=agency.sectors.all(), is_published=True)
        .order_by("code")
        .first()
        if agency
        else None
    )
    if desk is None or procedure is None:
        return 0
    made = 0
    for days_ago, answer in ((15, "Hồ sơ đã được giải quyết, mời ông/bà nhận kết quả."), (2, "")):
        received = now - dt.timedelta(days=days_ago)
        feedback = feedback_submit(
            kind="petition",
            subject="procedure",
            desk_id=desk.pk,
            procedure_code=procedure.code,
            sender=None,
            sender_name="Phạm Thị Hoa",
            sender_phone="0908123456",
            title="Đề nghị rút ngắn thời gian giải quyết",
            content=f"Đề nghị xem xét thời gian giải quyết thủ tục {procedure.name}.",
            is_public=False,
            files=[],
            now=received,
        )
        made += 1
        if answer and feedback.agency_id == agency.pk:
            feedback_answer(
                feedback_id=feedback.pk,
                actor=specialist,
                answer=answer,
                publish=False,
                now=received + dt.timedelta(days=4),
            )
    return made
