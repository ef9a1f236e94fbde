"""The shape of the input of the dossier pages: applicant, declaration, uploads, desk actions."""

import datetime
import re
import uuid
from collections.abc import Iterable

from django import forms
from django.conf import settings
from django.core.files.uploadedfile import UploadedFile
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from accounts.models import User
from dossiers.declarations import Declaration
from dossiers.services.documents import UploadedDocument, documents_validate, uploads_check_total
from dossiers.services.errors import DossierValidationError
from dossiers.workflow import ActionSpec, FieldSpec
from onestop.forms import DeskField
from onestop.models import Agency, Desk, SatisfactionLevel
from procedures.models import Channel, Procedure, RequiredDocument

ACCEPT = ".pdf,.jpg,.jpeg,.png,.doc,.docx,.xls,.xlsx"
CCCD_RE = re.compile(r"^[0-9]{12}$")  # [0-9]: \d also matches non-ASCII digits
PHONE_RE = re.compile(r"^0[0-9]{9,10}$")


def upload_widget(*, multiple: bool = False) -> forms.ClearableFileInput:
    class Widget(forms.ClearableFileInput):
        allow_multiple_selected = multiple

    return Widget(
        attrs={
            "accept": ACCEPT,
            "data-max-bytes": settings.DOCUMENT_MAX_BYTES,
            "class": "upload-input",
        }
    )


class MultipleFileField(forms.FileField):
    """A file field that takes several files at once (returns a list)."""

    def __init__(self, *args, **kwargs) -> None:
        kwargs.setdefault("widget", upload_widget(multiple=True))
        super().__init__(*args, **kwargs)
        self.error_messages["empty"] = _("Tệp tải lên rỗng (0 byte), vui lòng chọn lại.")
        self.error_messages["required"] = _("Vui lòng chọn tệp.")

    def clean(self, data, initial=None) -> list[UploadedFile]:
        items = [d for d in data if d] if isinstance(data, list | tuple) else [data] if data else []
        if not items:
            if self.required:
                raise forms.ValidationError(self.error_messages["required"], code="required")
            return []
        return [super(MultipleFileField, self).clean(item, initial) for item in items]


def to_uploaded(
    files: Iterable[UploadedFile], *, required_document_id: int | None = None
) -> list[UploadedDocument]:
    files = list(files)
    uploads_check_total(files)
    return [
        UploadedDocument.from_file(f, name=f.name, required_document_id=required_document_id)
        for f in files
    ]


def check_files(files: list[UploadedFile]) -> list[UploadedDocument]:
    """Validate uploads with the engine's rules, as a form error beside the field."""
    try:
        uploaded = to_uploaded(files)
        documents_validate(documents=uploaded)
    except DossierValidationError as error:
        raise forms.ValidationError(error.message) from None
    return uploaded


class ApplicantForm(forms.Form):
    """Who applies: prefilled from the account, editable for this dossier."""

    applicant_name = forms.CharField(label=gettext_lazy("Họ và tên"), max_length=150)
    applicant_cccd = forms.CharField(
        label=gettext_lazy("Số CCCD"),
        max_length=12,
        help_text=gettext_lazy("12 chữ số trên căn cước công dân."),
    )
    applicant_phone = forms.CharField(label=gettext_lazy("Số điện thoại"), max_length=15)
    applicant_email = forms.EmailField(label=gettext_lazy("Thư điện tử"), required=False)
    applicant_address = forms.CharField(label=gettext_lazy("Địa chỉ liên hệ"), max_length=255)
    applicant_organisation = forms.CharField(
        label=gettext_lazy("Tổ chức, doanh nghiệp"),
        max_length=255,
        required=False,
        help_text=gettext_lazy("Chỉ điền khi nộp thay cho tổ chức, doanh nghiệp."),
    )

    def clean_applicant_cccd(self) -> str:
        value = self.cleaned_data["applicant_cccd"].strip()
        if value and not CCCD_RE.match(value):
            raise forms.ValidationError(_("Số CCCD phải gồm đúng 12 chữ số."))
        return value

    def clean_applicant_phone(self) -> str:
        value = re.sub(r"[\s.]", "", self.cleaned_data["applicant_phone"])
        if value and not PHONE_RE.match(value):
            raise forms.ValidationError(
                _("Số điện thoại phải bắt đầu bằng 0 và gồm 10 hoặc 11 chữ số.")
            )
        return value

    @staticmethod
    def initial_for(user: User) -> dict[str, str]:
        return {
            "applicant_name": user.full_name or user.get_full_name() or user.username,
            "applicant_cccd": user.cccd or "",
            "applicant_phone": user.phone or "",
            "applicant_email": user.email or "",
            "applicant_address": user.full_address,
            "applicant_organisation": user.organisation or "",
        }


DATE_FORMAT = "%d/%m/%Y"
DATETIME_FORMAT = "%d/%m/%Y %H:%M"


# What a phone keypad (inputmode=numeric, no "/") or a habit produces: 05/11/2026, 5/11/2026,
# 05112026, 05-11-2026, 05.11.2026, 05 11 2026; and ISO from a native date picker.
DATE_INPUT_FORMATS = [DATE_FORMAT, "%d%m%Y", "%d-%m-%Y", "%d.%m.%Y", "%d %m %Y", "%Y-%m-%d"]
DATE_HINT = gettext_lazy("Ngày/tháng/năm, ví dụ 05/11/2026 (có thể gõ 05112026).")


class VnDateField(forms.DateField):
    """A date typed day first in any of DATE_INPUT_FORMATS; the error names the format."""

    default_error_messages = {
        "invalid": gettext_lazy("Nhập ngày theo dạng ngày/tháng/năm, ví dụ 05/11/2026."),
    }

    def to_python(self, value):
        if isinstance(value, str):
            value = value.strip()
            # 8 digits are ddmmyyyy; %d%m%Y alone would also read "5112026" ambiguously.
            if value.isdigit() and value.isascii() and len(value) != 8:
                raise forms.ValidationError(self.error_messages["invalid"], code="invalid")
        return super().to_python(value)


def vn_date_field(**kwargs) -> forms.DateField:
    """A date typed as dd/mm/yyyy (or ddmmyyyy, dd-mm-yyyy, dd.mm.yyyy, ISO), whatever the
    browser's language; the expected format is the field's hint."""
    if not kwargs.get("help_text"):
        kwargs["help_text"] = DATE_HINT
    return VnDateField(
        widget=forms.DateInput(
            format=DATE_FORMAT,
            attrs={
                "placeholder": "dd/mm/yyyy",
                "inputmode": "numeric",
                "autocomplete": "off",
                "data-date": "",
                "data-picker-label": gettext_lazy("Chọn trên lịch"),
            },
        ),
        input_formats=DATE_INPUT_FORMATS,
        **kwargs,
    )


def vn_datetime_field(**kwargs) -> forms.DateTimeField:
    """A moment typed as dd/mm/yyyy hh:mm (24 h), local time."""
    return forms.DateTimeField(
        widget=forms.DateTimeInput(
            format=DATETIME_FORMAT,
            attrs={"placeholder": "dd/mm/yyyy hh:mm", "autocomplete": "off"},
        ),
        input_formats=[DATETIME_FORMAT, "%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M"],
        **kwargs,
    )


def declaration_form_class(declaration: Declaration) -> type[forms.Form]:
    """A Django form with one field per declaration field, prefixed `tk`."""
    fields: dict[str, forms.Field] = {}
    for item in declaration.fields:
        common = {"label": item.label, "required": item.required, "help_text": item.help_text}
        if item.initial:
            common["initial"] = item.initial
        if item.kind == "date":
            field = vn_date_field(**common)
        elif item.kind == "datetime":
            field = vn_datetime_field(**common)
        elif item.kind == "choice":
            field = forms.ChoiceField(choices=[("", "—")] + list(item.choices), **common)
        elif item.kind == "textarea":
            field = forms.CharField(widget=forms.Textarea(attrs={"rows": 3}), **common)
        elif item.kind == "number":
            field = forms.IntegerField(min_value=0, **common)
        else:
            field = forms.CharField(max_length=255, **common)
        fields[item.name] = field
    return type("DeclarationForm", (forms.Form,), fields)


def declaration_stored_initial(declaration: Declaration, data: dict) -> dict:
    """Stored form_data as form initial values (ISO dates back to date objects)."""
    values = dict(data)
    for item in declaration.fields:
        raw = values.get(item.name)
        if not isinstance(raw, str) or not raw:
            continue
        try:
            if item.kind == "date":
                values[item.name] = datetime.date.fromisoformat(raw)
            elif item.kind == "datetime":
                values[item.name] = datetime.datetime.fromisoformat(raw)
        except ValueError:
            continue
    return values


def declaration_initial(declaration: Declaration, applicant: dict) -> dict[str, str]:
    keys = {
        "full_name": "applicant_name",
        "cccd": "applicant_cccd",
        "phone": "applicant_phone",
        "email": "applicant_email",
        "address": "applicant_address",
    }
    values = {f.name: f.initial for f in declaration.fields if f.initial}
    values.update(
        {f.name: applicant.get(keys[f.prefill], "") for f in declaration.fields if f.prefill}
    )
    return values


def declaration_data(cleaned: dict) -> dict[str, str | int]:
    """JSON-safe form_data (dates as ISO strings)."""
    data: dict[str, str | int] = {}
    for key, value in cleaned.items():
        if value in (None, ""):
            continue
        if hasattr(value, "isoformat"):
            value = (
                timezone.localtime(value) if hasattr(value, "tzinfo") and value.tzinfo else value
            ).isoformat()[:16]
        data[key] = value
    return data


def slot_name(required: RequiredDocument) -> str:
    return f"doc_{required.pk}"


class DocumentSlotsForm(forms.Form):
    """One upload slot per document of the procedure, plus one for anything else."""

    def __init__(self, *args, required_documents: list[RequiredDocument], **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.required_documents = required_documents
        for required in required_documents:
            hint = " · ".join(x for x in (required.quantity, required.original_or_copy) if x)
            self.fields[slot_name(required)] = MultipleFileField(
                label=required.label,
                required=False,
                help_text=hint,
            )
        self.fields["doc_other"] = MultipleFileField(
            label=gettext_lazy("Giấy tờ khác (nếu có)"), required=False
        )

    def clean(self) -> dict:
        cleaned = super().clean()
        for name, files in list(cleaned.items()):
            if files:
                try:
                    check_files(files)
                except forms.ValidationError as error:
                    self.add_error(name, error)
        return cleaned

    def uploaded(self) -> list[UploadedDocument]:
        """Every valid file with the required document it answers."""
        documents: list[UploadedDocument] = []
        for required in self.required_documents:
            documents += to_uploaded(
                self.cleaned_data.get(slot_name(required)) or [], required_document_id=required.pk
            )
        documents += to_uploaded(self.cleaned_data.get("doc_other") or [])
        return documents


class SubmitForm(forms.Form):
    """The last step: one key per rendering of the review page, so a double click submits once."""

    idempotency_key = forms.CharField(widget=forms.HiddenInput, max_length=100)
    confirm = forms.BooleanField(
        label=gettext_lazy("Tôi cam đoan các thông tin và giấy tờ trên là đúng sự thật."),
    )

    @staticmethod
    def new_key() -> str:
        return uuid.uuid4().hex


class SupplementAnswerForm(forms.Form):
    documents = MultipleFileField(label=gettext_lazy("Giấy tờ bổ sung"))
    note = forms.CharField(
        label=gettext_lazy("Ghi chú"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )

    def clean_documents(self):
        files = self.cleaned_data["documents"]
        check_files(files)
        return files


class WithdrawalForm(forms.Form):
    reason = forms.CharField(
        label=gettext_lazy("Lý do rút hồ sơ"), widget=forms.Textarea(attrs={"rows": 2})
    )


class RatingForm(forms.Form):
    level = forms.ChoiceField(
        label=gettext_lazy("Mức độ hài lòng"),
        choices=SatisfactionLevel.choices,
        widget=forms.RadioSelect,
    )
    comment = forms.CharField(
        label=gettext_lazy("Góp ý"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )


class LookupForm(forms.Form):
    code = forms.CharField(
        label=gettext_lazy("Mã hồ sơ"),
        max_length=40,
        help_text=gettext_lazy("In trên giấy tiếp nhận, ví dụ 000.00.12.H02-261126-0001."),
    )
    verifier = forms.CharField(
        label=gettext_lazy("4 số cuối điện thoại hoặc CCCD"),
        max_length=4,
        min_length=4,
        help_text=gettext_lazy("Của người nộp hồ sơ, để bảo vệ thông tin."),
    )

    def clean_verifier(self) -> str:
        value = self.cleaned_data["verifier"].strip()
        if not (value.isdigit() and value.isascii()):
            raise forms.ValidationError(_("Nhập đúng 4 chữ số."))
        return value

    def clean_code(self) -> str:
        return self.cleaned_data["code"].strip()


class QueueSearchForm(forms.Form):
    q = forms.CharField(
        label=gettext_lazy("Tìm theo mã hồ sơ, họ tên hoặc CCCD"), required=False, max_length=100
    )


class PeriodForm(forms.Form):
    start = vn_date_field(label=gettext_lazy("Từ ngày"))
    end = vn_date_field(label=gettext_lazy("Đến ngày"))

    def clean(self) -> dict:
        cleaned = super().clean()
        if cleaned.get("start") and cleaned.get("end") and cleaned["start"] > cleaned["end"]:
            self.add_error("end", _("Ngày kết thúc phải sau ngày bắt đầu."))
        return cleaned


class DeskChoiceForm(forms.Form):
    """Where the dossier goes; not needed to save a draft (the submit step asks for it)."""

    desk = DeskField(
        label=gettext_lazy("Nơi tiếp nhận hồ sơ"),
        required=False,
        help_text=gettext_lazy(
            "Chọn sẵn theo nơi cư trú trong tài khoản của ông/bà; đổi nếu nộp nơi khác."
        ),
    )

    def __init__(self, *args, queryset, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["desk"].queryset = queryset


class WalkInForm(forms.Form):
    channel = forms.ChoiceField(
        label=gettext_lazy("Hình thức nộp"),
        choices=[(Channel.DIRECT, Channel.DIRECT.label), (Channel.POSTAL, Channel.POSTAL.label)],
        initial=Channel.DIRECT,
    )


class WalkInProcedureForm(forms.Form):
    procedure = forms.ModelChoiceField(
        label=gettext_lazy("Thủ tục"),
        queryset=Procedure.objects.none(),
        to_field_name="code",
    )

    def __init__(self, *args, queryset, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["procedure"].queryset = queryset


ITEM_ROWS = 4


# Refusals (Mẫu 03) may name documents too; each one named needs its own reason.
OPTIONAL_ITEMS_ACTIONS = {"refuse_reception"}


def action_form_class(spec: ActionSpec, *, document_choices: list[str]) -> type[forms.Form]:
    """A form for one workflow action, with the fields `spec` declares."""
    fields: dict[str, forms.Field] = {}
    for item in spec.fields:
        fields.update(_action_fields(item, document_choices=document_choices))
    items_required = any(f.kind == "items" for f in spec.fields)
    if spec.name in OPTIONAL_ITEMS_ACTIONS:
        fields.update(
            _action_fields(
                FieldSpec("items", spec.label, kind="items"), document_choices=document_choices
            )
        )

    def clean(self) -> dict:
        cleaned = forms.Form.clean(self)
        if "item_document_0" in self.fields:
            items = []
            for index in range(ITEM_ROWS):
                document = (cleaned.get(f"item_document_{index}") or "").strip()
                reason = (cleaned.get(f"item_reason_{index}") or "").strip()
                if document and not reason:
                    self.add_error(
                        f"item_reason_{index}",
                        _("Cần nêu lý do cho giấy tờ “%(doc)s”.") % {"doc": document},
                    )
                elif reason and not document:
                    self.add_error(f"item_document_{index}", _("Cần nêu tên giấy tờ."))
                elif document:
                    items.append({"document": document, "reason": reason})
            if items_required and not items and not self.errors:
                self.add_error(
                    "item_document_0", _("Cần nêu ít nhất một giấy tờ phải bổ sung và lý do.")
                )
            cleaned["items"] = items
        for item in spec.fields:
            if item.kind == "files" and cleaned.get(item.name):
                try:
                    cleaned[item.name] = check_files(cleaned[item.name])
                except forms.ValidationError as error:
                    self.add_error(item.name, error)
        return cleaned

    return type(f"{spec.name.title()}Form", (forms.Form,), {**fields, "clean": clean})


def _action_fields(item: FieldSpec, *, document_choices: list[str]) -> dict[str, forms.Field]:
    common = {"label": item.label, "required": item.required}
    if item.kind == "items":
        fields: dict[str, forms.Field] = {}
        datalist = {"list": "required-documents"} if document_choices else {}
        for index in range(ITEM_ROWS):
            fields[f"item_document_{index}"] = forms.CharField(
                label=_("Giấy tờ %(n)s") % {"n": index + 1},
                required=False,
                max_length=500,
                widget=forms.TextInput(attrs=datalist),
            )
            fields[f"item_reason_{index}"] = forms.CharField(
                label=_("Lý do (giấy tờ %(n)s)") % {"n": index + 1},
                required=False,
                max_length=1000,
            )
        return fields
    if item.kind == "datetime":
        return {item.name: vn_datetime_field(**common)}
    if item.kind == "decimal":
        return {item.name: forms.DecimalField(min_value=0, decimal_places=0, **common)}
    if item.kind == "choice":
        return {
            item.name: forms.ChoiceField(
                choices=list(item.choices), widget=forms.RadioSelect, **common
            )
        }
    if item.kind == "files":
        return {item.name: MultipleFileField(**common)}
    if item.kind == "id":
        queryset = (
            Agency.objects.order_by("name")
            if item.name == "to_agency"
            else Desk.objects.filter(is_active=True).select_related("unit")
        )
        return {item.name: forms.ModelChoiceField(queryset=queryset, **common)}
    if item.name in ("reason", "note", "comment"):
        return {item.name: forms.CharField(widget=forms.Textarea(attrs={"rows": 2}), **common)}
    return {item.name: forms.CharField(max_length=1000, **common)}
