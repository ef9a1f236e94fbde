"""Structured declaration forms (tờ khai) filled in the browser; the portal prints the PDF itself.

One `Declaration` per procedure code of the most used procedures. Field names are the keys of
`Dossier.form_data`; `prefill` names an applicant field (see `APPLICANT_PREFILL`) used as default.
"""

from dataclasses import dataclass, field

from django.utils.translation import gettext_lazy as _


@dataclass(frozen=True)
class DeclarationField:
    name: str
    label: str
    kind: str = "text"  # text, date, datetime, choice, textarea, number
    required: bool = True
    choices: tuple[tuple[str, str], ...] = ()
    help_text: str = ""
    prefill: str = ""
    initial: str = ""  # a default most people keep (nationality "Việt Nam")


@dataclass(frozen=True)
class DeclarationSection:
    title: str
    fields: tuple[DeclarationField, ...]


@dataclass(frozen=True)
class Declaration:
    key: str
    title: str
    addressee: str
    sections: tuple[DeclarationSection, ...]
    commitment: str = _(
        "Tôi cam đoan những nội dung khai trên đây là đúng sự thật và chịu trách nhiệm trước "
        "pháp luật về cam đoan của mình."
    )
    codes: tuple[str, ...] = field(default_factory=tuple)
    # Required documents this declaration replaces (lower-case phrases of their catalog names):
    # the portal's filled PDF stands for them, so they get no upload slot online.
    covers: tuple[str, ...] = field(default_factory=tuple)

    @property
    def fields(self) -> list[DeclarationField]:
        return [f for section in self.sections for f in section.fields]


SEX = (("nam", _("Nam")), ("nu", _("Nữ")))
# The 54 ethnic groups of Viet Nam (Quyết định 121-TCTK/PPCĐ); stored as their names, as typed
# values were before, so older drafts and PDFs read the same.
ETHNIC_GROUPS = tuple(
    (name, name)
    for name in (
        "Kinh",
        "Tày",
        "Thái",
        "Mường",
        "Khmer",
        "Hoa",
        "Nùng",
        "Mông",
        "Dao",
        "Gia Rai",
        "Ê Đê",
        "Ba Na",
        "Sán Chay",
        "Chăm",
        "Cơ Ho",
        "Xơ Đăng",
        "Sán Dìu",
        "Hrê",
        "Ra Glai",
        "Mnông",
        "Thổ",
        "Xtiêng",
        "Khơ Mú",
        "Bru - Vân Kiều",
        "Cơ Tu",
        "Giáy",
        "Tà Ôi",
        "Mạ",
        "Giẻ - Triêng",
        "Co",
        "Chơ Ro",
        "Xinh Mun",
        "Hà Nhì",
        "Chu Ru",
        "Lào",
        "La Chí",
        "Kháng",
        "Phù Lá",
        "La Hủ",
        "La Ha",
        "Pà Thẻn",
        "Lự",
        "Ngái",
        "Chứt",
        "Lô Lô",
        "Mảng",
        "Cơ Lao",
        "Bố Y",
        "Cống",
        "Si La",
        "Pu Péo",
        "Rơ Măm",
        "Brâu",
        "Ơ Đu",
    )
) + (("Khác", _("Khác (người nước ngoài)")),)
RELATIONS = (
    ("cha", _("Cha")),
    ("me", _("Mẹ")),
    ("ong", _("Ông")),
    ("ba", _("Bà")),
    ("than_thich", _("Người thân thích khác")),
)
# A relation that makes the requester one of the declared people: their block is filled from
# the requester's ("requester_name" -> "father_name" when the requester is the father).
RELATION_PERSON = {"cha": "father", "me": "mother"}
RELATION_COPIED = ("name", "id_number", "residence")

ORDER = (("1", _("Lần đầu")), ("2", _("Lần thứ hai")), ("3", _("Lần thứ ba trở lên")))


def _person(
    prefix: str, *, id_required: bool = True, household: bool = False
) -> tuple[DeclarationField, ...]:
    """One person's block; `household`: they usually live with the applicant (a child's
    parents), so their residence starts as the applicant's."""
    return (
        DeclarationField(f"{prefix}_name", _("Họ, chữ đệm và tên")),
        DeclarationField(f"{prefix}_birth_date", _("Ngày, tháng, năm sinh"), "date"),
        DeclarationField(f"{prefix}_ethnicity", _("Dân tộc"), "choice", choices=ETHNIC_GROUPS),
        DeclarationField(f"{prefix}_nationality", _("Quốc tịch"), initial="Việt Nam"),
        DeclarationField(
            f"{prefix}_residence", _("Nơi cư trú"), prefill="address" if household else ""
        ),
        DeclarationField(
            f"{prefix}_id_number",
            _("Số định danh cá nhân (CCCD)") if id_required else _("Số định danh cá nhân (nếu có)"),
            required=id_required,
        ),
    )


REQUESTER = DeclarationSection(
    _("Người yêu cầu"),
    (
        DeclarationField("requester_name", _("Họ, chữ đệm và tên"), prefill="full_name"),
        DeclarationField("requester_id_number", _("Số định danh cá nhân (CCCD)"), prefill="cccd"),
        DeclarationField("requester_residence", _("Nơi cư trú"), prefill="address"),
        DeclarationField(
            "requester_relation",
            _("Quan hệ với người được đăng ký"),
            "choice",
            choices=RELATIONS,
            help_text=_("Chọn “Cha” hoặc “Mẹ” để cổng điền sẵn mục của người đó."),
        ),
    ),
)

BIRTH = Declaration(
    key="birth",
    title=_("TỜ KHAI ĐĂNG KÝ KHAI SINH"),
    addressee=_("Ủy ban nhân dân cấp xã nơi đăng ký"),
    codes=("1.001193",),
    covers=("tờ khai đăng ký khai sinh", "mẫu hộ tịch điện tử tương tác đăng ký khai sinh"),
    sections=(
        REQUESTER,
        DeclarationSection(
            _("Người được khai sinh"),
            (
                DeclarationField("child_name", _("Họ, chữ đệm và tên")),
                DeclarationField("child_birth_date", _("Ngày, tháng, năm sinh"), "date"),
                DeclarationField("child_sex", _("Giới tính"), "choice", choices=SEX),
                DeclarationField("child_ethnicity", _("Dân tộc"), "choice", choices=ETHNIC_GROUPS),
                DeclarationField("child_nationality", _("Quốc tịch"), initial="Việt Nam"),
                DeclarationField(
                    "child_birth_place",
                    _("Nơi sinh"),
                    help_text=_("Tên cơ sở y tế, xã/phường, tỉnh/thành phố."),
                ),
                DeclarationField("child_hometown", _("Quê quán")),
            ),
        ),
        DeclarationSection(_("Cha"), _person("father", id_required=False, household=True)),
        DeclarationSection(_("Mẹ"), _person("mother", id_required=False, household=True)),
    ),
)

MARRIAGE = Declaration(
    key="marriage",
    title=_("TỜ KHAI ĐĂNG KÝ KẾT HÔN"),
    addressee=_("Ủy ban nhân dân cấp xã nơi đăng ký"),
    codes=("1.000894",),
    covers=("tờ khai đăng ký kết hôn", "mẫu hộ tịch điện tử tương tác đăng ký kết hôn"),
    sections=(
        DeclarationSection(
            _("Bên nữ"),
            _person("bride")
            + (
                DeclarationField(
                    "bride_marriage_order", _("Kết hôn lần thứ"), "choice", choices=ORDER
                ),
            ),
        ),
        DeclarationSection(
            _("Bên nam"),
            _person("groom")
            + (
                DeclarationField(
                    "groom_marriage_order", _("Kết hôn lần thứ"), "choice", choices=ORDER
                ),
            ),
        ),
    ),
    commitment=_(
        "Chúng tôi cam đoan những lời khai trên đây là đúng sự thật, việc kết hôn của chúng tôi "
        "là tự nguyện, không vi phạm quy định của Luật Hôn nhân và gia đình Việt Nam."
    ),
)

DEATH = Declaration(
    key="death",
    title=_("TỜ KHAI ĐĂNG KÝ KHAI TỬ"),
    addressee=_("Ủy ban nhân dân cấp xã nơi đăng ký"),
    codes=("1.000656",),
    covers=("tờ khai đăng ký khai tử", "mẫu hộ tịch điện tử tương tác đăng ký khai tử"),
    sections=(
        REQUESTER,
        DeclarationSection(
            _("Người đã chết"),
            (
                DeclarationField("deceased_name", _("Họ, chữ đệm và tên")),
                DeclarationField("deceased_birth_date", _("Ngày, tháng, năm sinh"), "date"),
                DeclarationField("deceased_sex", _("Giới tính"), "choice", choices=SEX),
                DeclarationField("deceased_ethnicity", _("Dân tộc")),
                DeclarationField("deceased_nationality", _("Quốc tịch")),
                DeclarationField("deceased_id_number", _("Số định danh cá nhân (CCCD)")),
                DeclarationField("deceased_last_residence", _("Nơi cư trú cuối cùng")),
                DeclarationField("death_at", _("Đã chết vào lúc"), "datetime"),
                DeclarationField("death_place", _("Nơi chết")),
                DeclarationField("death_cause", _("Nguyên nhân chết")),
                DeclarationField(
                    "death_notice",
                    _("Giấy báo tử hoặc giấy tờ thay thế (số, cơ quan cấp)"),
                    required=False,
                ),
            ),
        ),
    ),
)


def _residence(key: str, title, codes: tuple[str, ...], request_label) -> Declaration:
    return Declaration(
        key=key,
        title=title,
        addressee=_("Công an cấp xã nơi đăng ký cư trú"),
        codes=codes,
        covers=("tờ khai thay đổi thông tin cư trú",),
        sections=(
            DeclarationSection(
                _("Người đề nghị"),
                (
                    DeclarationField("person_name", _("Họ, chữ đệm và tên"), prefill="full_name"),
                    DeclarationField("person_birth_date", _("Ngày, tháng, năm sinh"), "date"),
                    DeclarationField("person_sex", _("Giới tính"), "choice", choices=SEX),
                    DeclarationField(
                        "person_id_number", _("Số định danh cá nhân (CCCD)"), prefill="cccd"
                    ),
                    DeclarationField("person_phone", _("Số điện thoại liên hệ"), prefill="phone"),
                    DeclarationField(
                        "person_email", _("Thư điện tử"), required=False, prefill="email"
                    ),
                ),
            ),
            DeclarationSection(
                _("Chủ hộ"),
                (
                    DeclarationField("head_name", _("Họ, chữ đệm và tên chủ hộ")),
                    DeclarationField("head_relation", _("Quan hệ với chủ hộ")),
                    DeclarationField("head_id_number", _("Số định danh cá nhân của chủ hộ")),
                ),
            ),
            DeclarationSection(
                _("Nội dung đề nghị"),
                (
                    DeclarationField("request_address", request_label),
                    DeclarationField("request_content", _("Nội dung đề nghị"), "textarea"),
                    DeclarationField(
                        "members",
                        _("Những thành viên trong hộ gia đình cùng thay đổi"),
                        "textarea",
                        required=False,
                        help_text=_(
                            "Mỗi người một dòng: họ tên, ngày sinh, số định danh, quan hệ."
                        ),
                    ),
                ),
            ),
        ),
    )


PERMANENT_RESIDENCE = _residence(
    "permanent_residence",
    _("TỜ KHAI THAY ĐỔI THÔNG TIN CƯ TRÚ (ĐĂNG KÝ THƯỜNG TRÚ)"),
    ("1.004222",),
    _("Địa chỉ đề nghị đăng ký thường trú"),
)
TEMPORARY_RESIDENCE = _residence(
    "temporary_residence",
    _("TỜ KHAI THAY ĐỔI THÔNG TIN CƯ TRÚ (ĐĂNG KÝ TẠM TRÚ)"),
    ("1.004194",),
    _("Địa chỉ đề nghị đăng ký tạm trú"),
)

HOUSEHOLD_BUSINESS = Declaration(
    key="household_business",
    title=_("GIẤY ĐỀ NGHỊ ĐĂNG KÝ HỘ KINH DOANH"),
    addressee=_("Cơ quan đăng ký kinh doanh cấp xã"),
    codes=("1.001612",),
    covers=("giấy đề nghị đăng ký hộ kinh doanh",),
    sections=(
        DeclarationSection(
            _("Hộ kinh doanh"),
            (
                DeclarationField("business_name", _("Tên hộ kinh doanh")),
                DeclarationField("business_address", _("Địa chỉ trụ sở hộ kinh doanh")),
                DeclarationField("business_phone", _("Điện thoại"), prefill="phone"),
                DeclarationField(
                    "business_email", _("Thư điện tử"), required=False, prefill="email"
                ),
                DeclarationField("business_lines", _("Ngành, nghề kinh doanh"), "textarea"),
                DeclarationField("business_capital", _("Vốn kinh doanh (đồng)"), "number"),
                DeclarationField("business_workers", _("Số lượng lao động"), "number"),
            ),
        ),
        DeclarationSection(
            _("Chủ hộ kinh doanh"),
            (
                DeclarationField("owner_name", _("Họ, chữ đệm và tên"), prefill="full_name"),
                DeclarationField("owner_birth_date", _("Ngày, tháng, năm sinh"), "date"),
                DeclarationField("owner_sex", _("Giới tính"), "choice", choices=SEX),
                DeclarationField("owner_ethnicity", _("Dân tộc")),
                DeclarationField("owner_nationality", _("Quốc tịch")),
                DeclarationField(
                    "owner_id_number", _("Số định danh cá nhân (CCCD)"), prefill="cccd"
                ),
                DeclarationField("owner_residence", _("Địa chỉ thường trú"), prefill="address"),
            ),
        ),
    ),
    commitment=_(
        "Tôi cam kết bản thân không thuộc diện bị cấm thành lập hộ kinh doanh; trụ sở hộ kinh "
        "doanh thuộc quyền sở hữu hoặc quyền sử dụng hợp pháp; chịu trách nhiệm trước pháp luật "
        "về tính hợp pháp, chính xác, trung thực của nội dung đăng ký."
    ),
)

DECLARATIONS: tuple[Declaration, ...] = (
    BIRTH,
    MARRIAGE,
    DEATH,
    PERMANENT_RESIDENCE,
    TEMPORARY_RESIDENCE,
    HOUSEHOLD_BUSINESS,
)
_BY_CODE = {code: declaration for declaration in DECLARATIONS for code in declaration.codes}


def declaration_covers(declaration: Declaration | None, document_name: str) -> bool:
    """Whether the declaration filled online stands for this required document."""
    if declaration is None:
        return False
    name = " ".join(document_name.lower().split())
    return any(phrase in name for phrase in declaration.covers)


def declaration_for(procedure_code: str) -> Declaration | None:
    """The structured declaration of a procedure, or None when it has none."""
    return _BY_CODE.get(procedure_code)


def _vn_date(value: str) -> str:
    """ISO date (and time) as dd/mm/yyyy (HH:MM)."""
    day, _sep, time = value.partition("T")
    parts = day.split("-")
    if len(parts) != 3:
        return value
    shown = f"{parts[2]}/{parts[1]}/{parts[0]}"
    return f"{time[:5]} {shown}" if time else shown


def declaration_display(declaration: Declaration, data: dict) -> list[tuple[str, list[tuple]]]:
    """Sections as (title, [(label, value shown to people)]) for review pages and the PDF."""
    shown = []
    for section in declaration.sections:
        rows = []
        for item in section.fields:
            value = data.get(item.name, "")
            if item.choices:
                value = dict(item.choices).get(value, value)
            elif item.kind in ("date", "datetime") and value:
                value = _vn_date(str(value))
            rows.append((item.label, str(value) if value not in (None, "") else ""))
        shown.append((section.title, rows))
    return shown


def declaration_fill_relation(data: dict) -> dict:
    """Fill the block of the person the requester is (their father, their mother...) from the
    requester's own fields, where that block is still empty. Returns a new dict."""
    filled = dict(data)
    person = RELATION_PERSON.get(str(data.get("requester_relation") or ""))
    if person is None:
        return filled
    for suffix in RELATION_COPIED:
        target = f"{person}_{suffix}"
        if not filled.get(target) and data.get(f"requester_{suffix}"):
            filled[target] = data[f"requester_{suffix}"]
    return filled
