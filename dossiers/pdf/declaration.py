"""The filled declaration (tờ khai) as a PDF, so the applicant never prints, signs and scans it."""

import datetime

from dossiers.declarations import Declaration, declaration_display
from dossiers.pdf.base import Signature, long_date
from dossiers.pdf.official_form import OfficialForm


def render_declaration(
    *,
    declaration: Declaration,
    data: dict,
    applicant_name: str,
    place: str,
    when: datetime.datetime,
) -> bytes:
    """The declaration with every field filled from `data` (Dossier.form_data)."""
    pdf = OfficialForm(title=str(declaration.title))
    pdf.motto_block()
    pdf.title_block(str(declaration.title))
    pdf.labelled("Kính gửi:", str(declaration.addressee))
    for title, rows in declaration_display(declaration, data):
        pdf.write_line(str(title), style="B")
        for label, value in rows:
            pdf.labelled(f"{label}:", value or "……")
    pdf.ln(2)
    pdf.write_line(str(declaration.commitment), style="I")
    pdf.write_line(f"Làm tại: {place}, {long_date(when)}", align="R")
    pdf.signatures(
        [
            Signature(
                "Người khai",
                hint="(Đã xác thực bằng tài khoản trên Cổng Dịch vụ công)",
                name=applicant_name,
            ),
        ]
    )
    return pdf.to_bytes()
