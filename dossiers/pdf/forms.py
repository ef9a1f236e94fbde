"""The six forms of Circular 01/2018/TT-VPCP (Mẫu 01 to 06), rendered as PDF bytes."""

import datetime
import io
from collections.abc import Sequence

import segno
from django.utils import timezone, translation

from dossiers.models import Dossier, DossierDocument
from dossiers.pdf.base import (
    Signature,
    human_size,
    long_date,
    long_moment,
)
from dossiers.pdf.context import (
    TRACKING_BOOK_HEADINGS,
    FormBundle,
    event_facts,
    letterhead_for,
    tracking_book_row,
)
from dossiers.pdf.official_form import OfficialForm
from dossiers.services.clock import processing_time
from onestop.models import Desk
from procedures.display import processing_time_label


def _time_with_unit(dossier: Dossier) -> str:
    """ "5 ngày làm việc": the time the appointment was computed from, with its unit."""
    amount, unit = processing_time(procedure=dossier.procedure, channel=dossier.channel)
    with translation.override("vi"):  # the form is a Vietnamese record, whatever the UI
        return processing_time_label(
            amount=amount, unit=unit, same_day_cutoff=dossier.procedure.same_day_cutoff
        )


def _number(dossier: Dossier, suffix: str) -> str:
    serial = (dossier.code or "").rsplit("-", 1)[-1] or str(dossier.pk)
    return f"Số: {serial}/{suffix}"


def _applicant_lines(pdf: OfficialForm, dossier: Dossier) -> None:
    pdf.labelled("Ông/bà:", dossier.applicant_name)
    if dossier.applicant_organisation:
        pdf.labelled("Tổ chức:", dossier.applicant_organisation)
    pdf.labelled("Địa chỉ:", dossier.applicant_address or "……………………")
    pdf.labelled(
        "Số điện thoại:",
        f"{dossier.applicant_phone or '……'}    Thư điện tử: {dossier.applicant_email or '……'}",
    )
    pdf.labelled("Nội dung yêu cầu giải quyết:", dossier.procedure.name)


def _open_form(
    dossier: Dossier, *, title: str, heading: str, number_suffix: str, when: datetime.datetime
) -> OfficialForm:
    """A form with the desk's letterhead, its number and date, and its title over the code."""
    pdf = OfficialForm(title=title)
    pdf.header_block(
        letterhead=letterhead_for(dossier.desk), number=_number(dossier, number_suffix), when=when
    )
    pdf.title_block(heading, f"Mã hồ sơ: {dossier.code}")
    return pdf


def render_receipt(bundle: FormBundle, *, lookup_url: str) -> bytes:
    """Mẫu 01: Giấy tiếp nhận hồ sơ và hẹn trả kết quả, with the lookup QR."""
    dossier = bundle.dossier
    facts = event_facts(dossier, bundle.events, bundle.legs)
    when = dossier.received_at or dossier.submitted_at or timezone.now()
    pdf = _open_form(
        dossier,
        title=f"Giấy tiếp nhận hồ sơ {dossier.code}",
        heading="GIẤY TIẾP NHẬN HỒ SƠ VÀ HẸN TRẢ KẾT QUẢ",
        number_suffix="TNHS",
        when=when,
    )
    qr = segno.make(lookup_url, error="m")
    buffer = io.BytesIO()
    qr.save(buffer, kind="png", scale=4, border=1)
    pdf.image(
        io.BytesIO(buffer.getvalue()),
        x=pdf.w - pdf.r_margin - 26,
        y=pdf.get_y() - 14,
        w=26,
        alt_text="Mã QR tra cứu hồ sơ",
    )
    pdf.write_line(
        f"{letterhead_for(dossier.desk).office} {dossier.desk.unit.name} tiếp nhận hồ sơ của:"
    )
    _applicant_lines(pdf, dossier)
    pdf.labelled("1. Thành phần hồ sơ nộp gồm:", "")
    submitted = [d for d in bundle.documents if d.kind != DossierDocument.Kind.RESULT]
    rows = [
        (
            str(index),
            (d.required_document.label if d.required_document else d.get_kind_display()),
            d.original_name,
            human_size(d.size),
        )
        for index, d in enumerate(submitted, start=1)
    ]
    pdf.simple_table(
        headings=("STT", "Tên giấy tờ", "Tệp đã nhận", "Dung lượng"),
        rows=rows or [("", "(chưa có tệp)", "", "")],
        col_widths=(12, 80, 58, 25),
    )
    pdf.labelled("2. Số lượng hồ sơ:", "01 (bộ)")
    pdf.labelled("3. Thời gian giải quyết hồ sơ theo quy định là:", _time_with_unit(dossier))
    pdf.labelled("4. Thời gian nhận hồ sơ:", long_moment(dossier.received_at))
    due = dossier.due_at
    pdf.labelled(
        "5. Thời gian trả kết quả giải quyết hồ sơ:",
        long_moment(due) if due else "sẽ hẹn khi hồ sơ được tiếp nhận",
    )
    if dossier.due_at and dossier.deadline_explanation:
        pdf.write_line(dossier.deadline_explanation, style="I", size=9.5)
    pdf.labelled("6. Đăng ký nhận kết quả tại:", dossier.desk.address or f"{dossier.desk.name}")
    pdf.write_line(f"Tra cứu tình trạng hồ sơ: {lookup_url}", style="I", size=9.5)
    pdf.signatures(
        [
            Signature("Người nộp hồ sơ", name=dossier.applicant_name),
            Signature("Người tiếp nhận hồ sơ", name=facts.received_by),
        ]
    )
    return pdf.to_bytes()


def render_supplement_request(bundle: FormBundle) -> bytes:
    """Mẫu 02: Phiếu yêu cầu bổ sung, hoàn thiện hồ sơ, one line per document asked for."""
    dossier = bundle.dossier
    facts = event_facts(dossier, bundle.events, bundle.legs)
    pdf = _open_form(
        dossier,
        title=f"Phiếu yêu cầu bổ sung hồ sơ {dossier.code}",
        heading="PHIẾU YÊU CẦU BỔ SUNG, HOÀN THIỆN HỒ SƠ",
        number_suffix="YCBS",
        when=facts.supplement_at or timezone.now(),
    )
    pdf.write_line(
        f"{letterhead_for(dossier.desk).office} {dossier.desk.unit.name} tiếp nhận hồ sơ của:"
    )
    _applicant_lines(pdf, dossier)
    pdf.write_line("Yêu cầu hoàn thiện hồ sơ gồm những nội dung sau:")
    rows = [
        (str(i), item.document, item.reason)
        for i, item in enumerate(facts.supplement_items, start=1)
    ]
    pdf.simple_table(
        headings=("STT", "Giấy tờ cần bổ sung, hoàn thiện", "Lý do"),
        rows=rows or [("", "", "")],
        col_widths=(12, 85, 78),
    )
    pdf.write_line(
        "Trong quá trình hoàn thiện hồ sơ, nếu có vướng mắc, ông/bà liên hệ với "
        f"{dossier.desk.name}, số điện thoại {dossier.desk.phone or '……'} để được hướng dẫn."
    )
    pdf.signatures([Signature("Người hướng dẫn", name=facts.supplement_by)])
    return pdf.to_bytes()


def render_refusal(bundle: FormBundle) -> bytes:
    """Mẫu 03: Phiếu từ chối tiếp nhận giải quyết hồ sơ, with the reasons."""
    dossier = bundle.dossier
    facts = event_facts(dossier, bundle.events, bundle.legs)
    pdf = _open_form(
        dossier,
        title=f"Phiếu từ chối tiếp nhận hồ sơ {dossier.code}",
        heading="PHIẾU TỪ CHỐI TIẾP NHẬN GIẢI QUYẾT HỒ SƠ",
        number_suffix="TCHS",
        when=facts.refusal_at or timezone.now(),
    )
    pdf.write_line(
        f"{letterhead_for(dossier.desk).office} {dossier.desk.unit.name} tiếp nhận hồ sơ của:"
    )
    _applicant_lines(pdf, dossier)
    pdf.write_line(
        "Qua nghiên cứu, đối chiếu với các quy định hiện hành, bộ phận tiếp nhận và trả kết quả "
        "từ chối tiếp nhận, giải quyết hồ sơ này với lý do cụ thể như sau:"
    )
    if facts.refusal_reason:
        pdf.write_line(facts.refusal_reason)
    if facts.refusal_items:
        pdf.simple_table(
            headings=("STT", "Giấy tờ", "Lý do"),
            rows=[
                (str(i), it.document, it.reason)
                for i, it in enumerate(facts.refusal_items, start=1)
            ],
            col_widths=(12, 85, 78),
        )
    pdf.write_line("Xin thông báo để ông/bà được biết và thực hiện./.")
    pdf.signatures([Signature("Người tiếp nhận hồ sơ", name=facts.refusal_by)])
    return pdf.to_bytes()


def render_apology(bundle: FormBundle) -> bytes:
    """Mẫu 04: Phiếu xin lỗi và hẹn lại ngày trả kết quả."""
    dossier = bundle.dossier
    facts = event_facts(dossier, bundle.events, bundle.legs)
    agency = dossier.handling_agency.name if dossier.handling_agency else dossier.desk.name
    new_due = facts.apology_new_due_at or dossier.rescheduled_due_at
    pdf = _open_form(
        dossier,
        title=f"Phiếu xin lỗi và hẹn lại {dossier.code}",
        heading="PHIẾU XIN LỖI VÀ HẸN LẠI NGÀY TRẢ KẾT QUẢ",
        number_suffix="PXL",
        when=facts.apology_at or timezone.now(),
    )
    received = long_date(dossier.received_at) if dossier.received_at else "……"
    pdf.write_line(
        f"{received.capitalize()}, {agency} tiếp nhận giải quyết hồ sơ của "
        f"ông/bà: {dossier.applicant_name}."
    )
    pdf.labelled("Nội dung yêu cầu giải quyết:", dossier.procedure.name)
    pdf.labelled("Thời gian hẹn trả kết quả giải quyết hồ sơ:", long_moment(dossier.due_at))
    pdf.write_line(f"Tuy nhiên đến nay, {agency} chưa trả kết quả giải quyết hồ sơ cho ông/bà.")
    pdf.labelled("Lý do:", facts.apology_reason or "……")
    pdf.write_line(
        f"Sự chậm trễ này đã gây phiền hà cho ông/bà. {agency} xin lỗi ông/bà và sẽ trả kết quả "
        f"giải quyết hồ sơ cho ông/bà vào {long_moment(new_due) if new_due else '……'}."
    )
    pdf.write_line("Xin trân trọng cảm ơn sự hợp tác của ông/bà./.")
    pdf.signatures([Signature("Thủ trưởng cơ quan", hint="(Ký, ghi rõ họ tên và đóng dấu)")])
    return pdf.to_bytes()


def render_control_slip(bundle: FormBundle) -> bytes:
    """Mẫu 05: Phiếu kiểm soát quá trình giải quyết hồ sơ, one block per hand-off."""
    dossier = bundle.dossier
    facts = event_facts(dossier, bundle.events, bundle.legs)
    pdf = _open_form(
        dossier,
        title=f"Phiếu kiểm soát {dossier.code}",
        heading="PHIẾU KIỂM SOÁT QUÁ TRÌNH GIẢI QUYẾT HỒ SƠ",
        number_suffix="PKS",
        when=dossier.received_at or timezone.now(),
    )
    pdf.labelled("Người nộp hồ sơ:", dossier.applicant_name)
    pdf.labelled("Thủ tục:", dossier.procedure.name)
    pdf.labelled(
        "Cơ quan (bộ phận) giải quyết hồ sơ:",
        dossier.handling_agency.name if dossier.handling_agency else dossier.desk.name,
    )
    pdf.labelled("Ngày hẹn trả kết quả:", long_moment(dossier.due_at))
    rows = []
    for leg in facts.legs:
        rows.append(
            (
                f"1. Giao: {leg.giver}\n2. Nhận: {leg.taker}",
                f"{long_moment(leg.at)}\nNgười giao\nNgười nhận",
                leg.outcome,
                leg.note,
            )
        )
    pdf.simple_table(
        headings=(
            "Tên cơ quan",
            "Thời gian giao, nhận hồ sơ",
            "Kết quả giải quyết hồ sơ (trước hạn/đúng hạn/quá hạn)",
            "Ghi chú",
        ),
        rows=rows or [("", "", "", "")],
        col_widths=(55, 55, 35, 30),
    )
    # The audit chain: anyone holding this slip can check that the log was not rewritten later.
    pdf.write_line("Mã băm các sự kiện trong nhật ký (chuỗi kiểm chứng SHA-256):")
    pdf.simple_table(
        headings=("Vị trí", "Thời điểm", "Thao tác", "Mã băm"),
        rows=[
            (
                str(event.chain_position or ""),
                long_moment(event.at),
                event.action,
                event.hash or "(chưa vào chuỗi)",
            )
            for event in bundle.events
        ]
        or [("", "", "", "")],
        col_widths=(15, 35, 30, 95),
        size=7,
    )
    return pdf.to_bytes()


def render_tracking_book(
    *, desk: Desk, start: datetime.date, end: datetime.date, dossiers: Sequence[Dossier]
) -> bytes:
    """Mẫu 06: Sổ theo dõi hồ sơ of a desk for a period (landscape)."""
    pdf = OfficialForm(landscape=True, title=f"Sổ theo dõi hồ sơ {desk.name}")
    pdf.header_block(letterhead=letterhead_for(desk), number="", when=timezone.now())
    pdf.title_block(
        "SỔ THEO DÕI HỒ SƠ",
        f"Từ ngày {start:%d/%m/%Y} đến ngày {end:%d/%m/%Y} — {desk.name}",
    )
    pdf.simple_table(
        headings=TRACKING_BOOK_HEADINGS,
        rows=[tracking_book_row(index, d) for index, d in enumerate(dossiers, start=1)]
        or [("",) * len(TRACKING_BOOK_HEADINGS)],
        col_widths=(8, 44, 30, 10, 26, 26, 24, 20, 26, 18, 20, 10),
        size=8,
    )
    return pdf.to_bytes()
