"""The A4 form every PDF of the portal is drawn on.

Kept apart from dossiers.pdf.base because fpdf (with fontTools) costs a web worker about 60 MB:
it is imported only when a PDF is rendered, not by every page that formats a date or a size.
"""

import datetime
import io
from collections.abc import Sequence

from django.conf import settings
from fpdf import FPDF
from fpdf.enums import XPos, YPos

from dossiers.pdf.base import (
    FONT,
    FONT_DIR,
    MOTTO_COUNTRY,
    MOTTO_SLOGAN,
    Letterhead,
    Signature,
    long_date,
)


class OfficialForm(FPDF):
    """An A4 administrative form with the national motto, in DejaVu Serif (full Vietnamese)."""

    def __init__(self, *, landscape: bool = False, title: str = "") -> None:
        super().__init__(orientation="L" if landscape else "P", unit="mm", format="A4")
        self.set_margins(20, 15, 15)
        self.set_auto_page_break(auto=True, margin=15)
        for style, file in (
            ("", "DejaVuSerif.ttf"),
            ("B", "DejaVuSerif-Bold.ttf"),
            ("I", "DejaVuSerif-Italic.ttf"),
        ):
            self.add_font(FONT, style, str(FONT_DIR / file))
        self.set_title(title)
        self.set_creator(settings.PORTAL_SITE_NAME)
        self.set_lang("vi")
        self.add_page()
        self.set_font(FONT, "", 11)

    @property
    def content_width(self) -> float:
        return self.w - self.l_margin - self.r_margin

    def write_line(
        self, text: str, *, style: str = "", size: float = 11, align: str = "J", height: float = 6.0
    ) -> None:
        self.set_font(FONT, style, size)
        self.multi_cell(0, height, text, align=align, new_x=XPos.LMARGIN, new_y=YPos.NEXT)

    def header_block(self, *, letterhead: Letterhead, number: str, when: datetime.datetime) -> None:
        """Two columns: issuing office on the left, motto on the right; number and date below."""
        left_w = self.content_width * 0.42
        right_w = self.content_width - left_w
        top = self.get_y()
        x0 = self.l_margin
        self.set_xy(x0, top)
        self.set_font(FONT, "", 10.5)
        self.multi_cell(
            left_w, 5, letterhead.parent.upper(), align="C", new_x=XPos.LEFT, new_y=YPos.NEXT
        )
        self.set_font(FONT, "B", 10.5)
        self.multi_cell(
            left_w, 5, letterhead.office.upper(), align="C", new_x=XPos.LEFT, new_y=YPos.NEXT
        )
        left_bottom = self.get_y()
        self.line(x0 + left_w * 0.35, left_bottom + 0.5, x0 + left_w * 0.65, left_bottom + 0.5)
        self.set_xy(x0 + left_w, top)
        self.set_font(FONT, "B", 10.5)
        self.multi_cell(right_w, 5, MOTTO_COUNTRY, align="C", new_x=XPos.LEFT, new_y=YPos.NEXT)
        self.set_font(FONT, "B", 11)
        self.multi_cell(right_w, 5, MOTTO_SLOGAN, align="C", new_x=XPos.LEFT, new_y=YPos.NEXT)
        slogan_w = self.get_string_width(MOTTO_SLOGAN)
        mid = x0 + left_w + right_w / 2
        right_bottom = self.get_y()
        self.line(mid - slogan_w / 2, right_bottom + 0.5, mid + slogan_w / 2, right_bottom + 0.5)
        y = max(left_bottom, right_bottom) + 3
        self.set_xy(x0, y)
        self.set_font(FONT, "", 11)
        self.cell(left_w, 6, number, align="C")
        self.set_font(FONT, "I", 11)
        self.cell(
            right_w,
            6,
            f"{letterhead.place}, {long_date(when)}",
            align="C",
            new_x=XPos.LMARGIN,
            new_y=YPos.NEXT,
        )
        self.ln(6)

    def motto_block(self) -> None:
        """The national motto alone, centred (declarations written by the applicant)."""
        self.write_line(MOTTO_COUNTRY, style="B", size=11, align="C", height=5.5)
        self.write_line(MOTTO_SLOGAN, style="B", size=11.5, align="C", height=5.5)
        slogan_w = self.get_string_width(MOTTO_SLOGAN)
        mid = self.l_margin + self.content_width / 2
        self.line(mid - slogan_w / 2, self.get_y() + 0.5, mid + slogan_w / 2, self.get_y() + 0.5)
        self.ln(8)

    def title_block(self, title: str, subtitle: str = "") -> None:
        self.write_line(title, style="B", size=13, align="C", height=6.5)
        if subtitle:
            self.write_line(subtitle, style="B", size=11, align="C")
        self.ln(4)

    def labelled(self, label: str, value: str) -> None:
        """'Label: value' as one paragraph, the label in bold."""
        self.set_font(FONT, "", 11)
        self.multi_cell(
            0,
            6,
            f"**{label}** {value}".rstrip(),
            markdown=True,
            new_x=XPos.LMARGIN,
            new_y=YPos.NEXT,
        )

    def simple_table(
        self,
        *,
        headings: Sequence[str],
        rows: Sequence[Sequence[str]],
        col_widths: Sequence[float],
        size: float = 10,
    ) -> None:
        self.set_font(FONT, "", size)
        with self.table(
            col_widths=tuple(col_widths),
            text_align="LEFT",
            line_height=5.2,
            padding=1.2,
            width=self.content_width,
        ) as table:
            head = table.row()
            for text in headings:
                head.cell(text, align="C")
            for values in rows:
                row = table.row()
                for text in values:
                    row.cell(text)
        self.ln(3)

    def signatures(self, signatures: Sequence[Signature]) -> None:
        """Signature blocks side by side; room left to sign by hand."""
        if self.get_y() > self.h - 60:
            self.add_page()
        self.ln(4)
        count = len(signatures)
        width = self.content_width / count
        top = self.get_y()
        for index, signature in enumerate(signatures):
            x = self.l_margin + index * width
            self.set_xy(x, top)
            self.set_font(FONT, "B", 11)
            self.multi_cell(
                width, 5.5, signature.title.upper(), align="C", new_x=XPos.LEFT, new_y=YPos.NEXT
            )
            self.set_font(FONT, "I", 10)
            self.multi_cell(width, 5, signature.hint, align="C", new_x=XPos.LEFT, new_y=YPos.NEXT)
            if signature.name:
                self.set_y(self.get_y() + 20)
                self.set_x(x)
                self.set_font(FONT, "B", 11)
                self.multi_cell(
                    width, 5.5, signature.name, align="C", new_x=XPos.LEFT, new_y=YPos.NEXT
                )

    def to_bytes(self) -> bytes:
        buffer = io.BytesIO()
        self.output(buffer)
        return buffer.getvalue()
