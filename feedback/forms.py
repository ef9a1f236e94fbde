"""Forms of the feedback pages: the shape of input only (rules live in feedback.services)."""

import datetime as dt

from django import forms
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from dossiers.forms import MultipleFileField
from feedback.models import FeedbackKind, FeedbackSubject
from onestop.models import Agency, Desk


class FeedbackForm(forms.Form):
    kind = forms.ChoiceField(
        label=gettext_lazy("Loại"),
        choices=FeedbackKind.choices,
        widget=forms.RadioSelect,
        initial=FeedbackKind.COMPLAINT,
    )
    subject = forms.ChoiceField(
        label=gettext_lazy("Phản ánh, kiến nghị về"),
        choices=FeedbackSubject.choices,
        widget=forms.RadioSelect,
        initial=FeedbackSubject.PROCEDURE,
    )
    desk = forms.ModelChoiceField(
        label=gettext_lazy("Bộ phận một cửa liên quan"),
        queryset=Desk.objects.filter(is_active=True).select_related("unit").order_by("unit__path"),
        required=False,
        help_text=gettext_lazy("Với phản ánh về thủ tục hoặc bộ phận một cửa."),
    )
    procedure_code = forms.CharField(
        label=gettext_lazy("Mã thủ tục"),
        max_length=30,
        required=False,
        help_text=gettext_lazy("Với phản ánh về thủ tục, ví dụ 1.001612 (xem ở trang thủ tục)."),
    )
    dossier_code = forms.CharField(label=gettext_lazy("Mã hồ sơ"), max_length=40, required=False)
    dossier_verifier = forms.CharField(
        label=gettext_lazy("4 số cuối điện thoại hoặc CCCD của người nộp hồ sơ"),
        max_length=4,
        required=False,
    )
    title = forms.CharField(label=gettext_lazy("Tiêu đề"), max_length=200)
    content = forms.CharField(
        label=gettext_lazy("Nội dung"), max_length=5000, widget=forms.Textarea(attrs={"rows": 6})
    )
    files = MultipleFileField(
        label=gettext_lazy("Tệp đính kèm"),
        required=False,
        help_text=gettext_lazy(
            "Không bắt buộc. PDF, JPG, PNG, DOC, DOCX, XLS, XLSX; tối đa 5 tệp."
        ),
    )
    sender_name = forms.CharField(label=gettext_lazy("Họ và tên người gửi"), max_length=150)
    sender_phone = forms.CharField(
        label=gettext_lazy("Số điện thoại di động"),
        max_length=20,
        help_text=gettext_lazy("4 số cuối dùng để tra cứu trả lời."),
    )
    sender_email = forms.EmailField(
        label=gettext_lazy("Thư điện tử"),
        required=False,
        help_text=gettext_lazy("Để nhận trả lời qua thư điện tử."),
    )
    organisation = forms.CharField(
        label=gettext_lazy("Tên tổ chức, doanh nghiệp (nếu có)"), max_length=255, required=False
    )
    is_public = forms.BooleanField(
        label=gettext_lazy(
            "Đồng ý công khai nội dung và trả lời trên Cổng (không kèm họ tên, số điện thoại)"
        ),
        required=False,
    )


class AnswerForm(forms.Form):
    answer = forms.CharField(
        label=gettext_lazy("Nội dung trả lời"),
        max_length=10000,
        widget=forms.Textarea(attrs={"rows": 8}),
    )
    publish = forms.BooleanField(
        label=gettext_lazy("Công khai trả lời trên Cổng (người gửi đã đồng ý)"), required=False
    )


class LookupForm(forms.Form):
    code = forms.CharField(
        label=gettext_lazy("Mã phản ánh"),
        max_length=20,
        help_text=gettext_lazy("Cổng cấp khi gửi, ví dụ PA261201123456."),
    )
    verifier = forms.CharField(
        label=gettext_lazy("4 số cuối điện thoại người gửi"), max_length=4, min_length=4
    )

    def clean_verifier(self) -> str:
        value = self.cleaned_data["verifier"].strip()
        if not (value.isdigit() and value.isascii()):
            raise forms.ValidationError(_("Nhập đúng 4 chữ số."))
        return value


class FiguresForm(forms.Form):
    date_from = forms.DateField(label=gettext_lazy("Từ ngày"), required=False)
    date_to = forms.DateField(label=gettext_lazy("Đến ngày"), required=False)

    def period(self, today: dt.date) -> tuple[dt.date, dt.date]:
        data = self.cleaned_data if self.is_valid() else {}
        date_to = data.get("date_to") or today
        date_from = data.get("date_from") or date_to.replace(month=1, day=1)
        return min(date_from, date_to), date_to


class RouteForm(forms.Form):
    agency = forms.ModelChoiceField(
        label=gettext_lazy("Cơ quan trả lời"),
        queryset=Agency.objects.select_related("unit").order_by("unit__path", "name"),
        required=False,
        empty_label=gettext_lazy("Bộ phận một cửa tự trả lời"),
    )
