"""The catalog of administrative procedures (thủ tục hành chính) as the national portal shows it."""

from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _


class ProcedureLevel(models.TextChoices):
    """The level of the province's desks that publishes a procedure."""

    PROVINCE = "province", _("Cấp tỉnh")
    DISTRICT = "district", _("Cấp huyện")
    COMMUNE = "commune", _("Cấp xã")


class TimeUnit(models.TextChoices):
    WORKING_DAYS = "working_days", _("ngày làm việc")
    WORKING_HOURS = "working_hours", _("giờ làm việc")
    CALENDAR_DAYS = "calendar_days", _("ngày")
    SAME_DAY = "same_day", _("trong ngày")


class OnlineLevel(models.TextChoices):
    """Decree 42/2022; the older level 4 / level 3 wording is shown beside it."""

    FULL = "full", _("Toàn trình")
    PARTIAL = "partial", _("Một phần")
    NONE = "none", _("Chưa trực tuyến")


class SupplementClock(models.TextChoices):
    """What the clock does when the applicant answers a supplement request during processing."""

    DEFAULT = "", _("Theo mặc định của cổng")
    PAUSE = "pause", _("Tạm dừng rồi tính tiếp")
    RESTART = "restart", _("Tính lại từ đầu")


class ApplicantKind(models.TextChoices):
    """Groups of the national portal's applicant types (đối tượng thực hiện), for filtering."""

    CITIZEN = "citizen", _("Công dân")
    FOREIGNER = "foreigner", _("Người nước ngoài")
    BUSINESS = "business", _("Doanh nghiệp, hợp tác xã")
    ORGANISATION = "organisation", _("Tổ chức")


class Channel(models.TextChoices):
    DIRECT = "direct", _("Trực tiếp")
    ONLINE = "online", _("Trực tuyến")
    POSTAL = "postal", _("Dịch vụ bưu chính")


class Sector(models.Model):
    """A sector (lĩnh vực), e.g. Hộ tịch, Đất đai."""

    code = models.SlugField(_("mã lĩnh vực"), max_length=120, unique=True)
    name = models.CharField(_("tên lĩnh vực"), max_length=255, unique=True)

    class Meta:
        ordering = ["name"]
        verbose_name = _("lĩnh vực")
        verbose_name_plural = _("lĩnh vực")

    def __str__(self) -> str:
        return self.name


class Procedure(models.Model):
    """One administrative procedure; `level` and `is_published` place it in the province catalog."""

    code = models.CharField(_("mã thủ tục"), max_length=32, unique=True)
    name = models.TextField(_("tên thủ tục"))
    decision_number = models.CharField(_("số quyết định công bố"), max_length=255, blank=True)
    sector = models.ForeignKey(
        Sector, verbose_name=_("lĩnh vực"), on_delete=models.PROTECT, related_name="procedures"
    )
    level = models.CharField(
        _("cấp thực hiện tại tỉnh"),
        max_length=10,
        choices=ProcedureLevel.choices,
        blank=True,
        db_index=True,
    )
    implementation_levels = models.JSONField(_("cấp thực hiện (nguồn)"), default=list, blank=True)
    procedure_type = models.CharField(_("loại thủ tục"), max_length=255, blank=True)
    applicant_types = models.JSONField(_("đối tượng thực hiện"), default=list, blank=True)
    competent_authority = models.TextField(_("cơ quan có thẩm quyền"), blank=True)
    implementing_agency = models.TextField(_("cơ quan thực hiện"), blank=True)
    delegated_agency = models.TextField(_("cơ quan được ủy quyền"), blank=True)
    coordinating_agency = models.TextField(_("cơ quan phối hợp"), blank=True)
    receiving_address = models.TextField(_("địa chỉ tiếp nhận"), blank=True)
    related_procedures = models.TextField(_("thủ tục liên quan"), blank=True)
    steps = models.TextField(_("trình tự thực hiện"), blank=True)
    conditions = models.TextField(_("yêu cầu, điều kiện"), blank=True)
    results = models.JSONField(_("kết quả thực hiện"), default=list, blank=True)
    results_description = models.TextField(_("mô tả kết quả"), blank=True)
    legal_basis = models.TextField(_("căn cứ pháp lý"), blank=True)
    legal_basis_codes = models.JSONField(_("số hiệu văn bản"), default=list, blank=True)
    processing_time_text = models.CharField(_("thời hạn giải quyết"), max_length=500, blank=True)
    processing_time_amount = models.DecimalField(
        _("thời hạn (số)"), max_digits=7, decimal_places=2, null=True, blank=True
    )
    processing_time_unit = models.CharField(
        _("đơn vị thời hạn"), max_length=20, choices=TimeUnit.choices, blank=True
    )
    same_day_cutoff = models.TimeField(
        _("giờ chốt nhận trong ngày"),
        null=True,
        blank=True,
        help_text=_("Hồ sơ 'trong ngày' nhận sau giờ này được hẹn trả vào ngày làm việc sau."),
    )
    supplement_clock = models.CharField(
        _("thời hạn khi bổ sung hồ sơ"),
        max_length=10,
        choices=SupplementClock.choices,
        blank=True,
        default=SupplementClock.DEFAULT,
    )
    online_level = models.CharField(
        _("mức độ dịch vụ công trực tuyến"),
        max_length=10,
        choices=OnlineLevel.choices,
        default=OnlineLevel.NONE,
        db_index=True,
    )
    is_published = models.BooleanField(_("công bố tại tỉnh"), default=False, db_index=True)
    is_active = models.BooleanField(_("còn hiệu lực"), default=True)
    source = models.CharField(_("nguồn dữ liệu"), max_length=255, blank=True)
    source_url = models.URLField(_("đường dẫn nguồn"), max_length=500, blank=True)
    as_of = models.CharField(_("thời điểm dữ liệu"), max_length=20, blank=True)
    agency_name = models.CharField(
        _("cơ quan thực hiện chính"),
        max_length=255,
        blank=True,
        db_index=True,
        help_text=_("Cơ quan đầu tiên trong danh sách cơ quan thực hiện, dùng để lọc."),
    )
    applicant_kinds = models.CharField(
        _("nhóm đối tượng"),
        max_length=100,
        blank=True,
        editable=False,
        help_text="Comma-wrapped ApplicantKind values (',citizen,business,'): portable filters.",
    )
    search_name = models.TextField(
        editable=False,
        blank=True,
        help_text="Accent-free, lower-case name without the leading 'thủ tục', for ranking.",
    )
    search_text = models.TextField(
        editable=False,
        blank=True,
        help_text="Lower-case, accent-free text of the searchable fields, kept by the importer.",
    )
    source_hash = models.CharField(
        max_length=64,
        blank=True,
        editable=False,
        help_text="Hash of the imported record: a re-import of the same record writes nothing.",
    )
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["code"]
        indexes = [
            models.Index(fields=["is_published", "level"], name="procedure_published_level"),
        ]
        verbose_name = _("thủ tục hành chính")
        verbose_name_plural = _("thủ tục hành chính")

    def __str__(self) -> str:
        return f"{self.code} — {self.name}"

    def get_absolute_url(self) -> str:
        return reverse("procedures:detail", kwargs={"code": self.code})

    @property
    def accepts_dossiers(self) -> bool:
        """A procedure without a parsed processing time cannot set an appointment."""
        return self.is_active and bool(self.processing_time_unit)

    @property
    def is_online(self) -> bool:
        """Online submission is offered (Decree 42: fully or partly online)."""
        return self.online_level in (OnlineLevel.FULL, OnlineLevel.PARTIAL)

    @property
    def legacy_online_level(self) -> str:
        """The pre-2022 wording shown beside the Decree 42 level."""
        return {
            OnlineLevel.FULL: _("mức độ 4"),
            OnlineLevel.PARTIAL: _("mức độ 3"),
        }.get(self.online_level, _("mức độ 2"))


class SubmissionMethod(models.Model):
    """A channel (cách thức thực hiện) with its own processing time and fee."""

    procedure = models.ForeignKey(
        Procedure, on_delete=models.CASCADE, related_name="submission_methods"
    )
    channel = models.CharField(_("kênh"), max_length=10, choices=Channel.choices)
    processing_time_text = models.CharField(_("thời hạn giải quyết"), max_length=500, blank=True)
    processing_time_amount = models.DecimalField(
        _("thời hạn (số)"), max_digits=7, decimal_places=2, null=True, blank=True
    )
    processing_time_unit = models.CharField(
        _("đơn vị thời hạn"), max_length=20, choices=TimeUnit.choices, blank=True
    )
    fee = models.TextField(_("phí, lệ phí"), blank=True)
    details = models.TextField(_("mô tả"), blank=True)

    class Meta:
        ordering = ["procedure", "id"]
        verbose_name = _("cách thức thực hiện")
        verbose_name_plural = _("cách thức thực hiện")

    def __str__(self) -> str:
        return f"{self.procedure.code} — {self.get_channel_display()}"


class RequiredDocument(models.Model):
    """A document of the dossier (thành phần hồ sơ)."""

    procedure = models.ForeignKey(
        Procedure, on_delete=models.CASCADE, related_name="required_documents"
    )
    position = models.PositiveSmallIntegerField(default=0)
    group = models.CharField(_("nhóm giấy tờ"), max_length=500, blank=True)
    name = models.TextField(_("tên giấy tờ"))
    quantity = models.CharField(_("số lượng"), max_length=255, blank=True)
    original_or_copy = models.CharField(_("bản chính / bản sao"), max_length=255, blank=True)
    template_url = models.URLField(_("mẫu đơn, tờ khai"), max_length=500, blank=True)
    is_required = models.BooleanField(
        _("bắt buộc"),
        default=True,
        help_text=_(
            "Bỏ chọn với giấy tờ chỉ nộp trong một số trường hợp (“nếu có”, “trường hợp…”)."
        ),
    )
    is_note = models.BooleanField(
        _("là lưu ý"),
        default=False,
        help_text=_("Dòng lưu ý khi chuẩn bị hồ sơ, không phải giấy tờ cần nộp."),
    )
    is_shown = models.BooleanField(
        _("chỉ xuất trình"),
        default=False,
        help_text=_(
            "Giấy tờ xuất trình khi làm thủ tục trực tiếp, không nộp: "
            "hồ sơ trực tuyến không yêu cầu tải lên."
        ),
    )
    short_name = models.CharField(
        _("tên ngắn"),
        max_length=255,
        blank=True,
        help_text=_("Tên hiển thị ở ô tải lên; để trống thì dùng tên đầy đủ."),
    )

    class Meta:
        ordering = ["procedure", "position"]
        verbose_name = _("thành phần hồ sơ")
        verbose_name_plural = _("thành phần hồ sơ")

    def __str__(self) -> str:
        return self.name[:80]

    @property
    def label(self) -> str:
        """The short name where the catalog text is long; the full text is `name`."""
        return self.short_name or self.name

    @property
    def is_shortened(self) -> bool:
        return bool(self.short_name) and self.short_name != self.name


# The catalog's long texts and lists (steps, conditions, legal basis...): a dossier's reads and
# writes leave them out of their joins (a smaller row, no JSON decoding).
PROCEDURE_LONG_FIELDS = tuple(
    field.name
    for field in Procedure._meta.concrete_fields
    if isinstance(field, models.TextField | models.JSONField) and field.name != "name"
)

# The retrieval engine's tables (lexicon, vectors) belong to this app.
from procedures.retrieval.models import ColloquialTerm, ProcedureVector  # noqa: E402,F401
