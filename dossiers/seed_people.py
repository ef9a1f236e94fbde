"""Demo step helpers: the handling agencies of every unit, the demo specialist and the
invented citizens whose dossiers the dossiers seed plays through the engine."""

import random
from typing import TextIO

from accounts.models import Role, User
from onestop.models import AdministrativeUnit, Agency, UnitLevel
from procedures.models import Sector

DEMO_PASSWORD = "Demo@12345"
SEED_STAFF_PREFIX = "seed."

PROVINCE_AGENCIES = [
    (
        "STP",
        "Sở Tư pháp",
        [
            "luat-su",
            "cong-chung",
            "thua-phat-lai",
            "ho-tich",
            "chung-thuc",
            "nuoi-con-nuoi",
            "ly-lich-tu-phap",
            "tro-giup-phap-ly",
            "giam-dinh",
            "quoc-tich",
            "dau-gia",
            "trong-tai",
            "hoa-giai",
        ],
    ),
    (
        "SXD",
        "Sở Xây dựng",
        [
            "xay-dung",
            "nha-o",
            "quy-hoach",
            "kinh-doanh-bat-dong-san",
            "vat-lieu-xay-dung",
            "ha-tang-ky-thuat",
        ],
    ),
    (
        "STNMT",
        "Sở Tài nguyên và Môi trường",
        [
            "dat-dai",
            "dia-chat",
            "khoang-san",
            "tai-nguyen-nuoc",
            "bien-va-hai-dao",
            "moi-truong",
            "khi-tuong",
            "do-dac",
        ],
    ),
    (
        "SKHDT",
        "Sở Kế hoạch và Đầu tư",
        ["dau-tu", "doanh-nghiep", "hop-tac-xa", "to-hop-tac", "dau-thau"],
    ),
    (
        "CAT",
        "Công an tỉnh",
        [
            "xuat-nhap-canh",
            "vu-khi",
            "phong-chay",
            "can-cuoc",
            "cu-tru",
            "phuong-tien",
            "con-dau",
            "an-ninh",
            "dinh-danh",
        ],
    ),
    (
        "SNNPTNT",
        "Sở Nông nghiệp và Phát triển nông thôn",
        [
            "thu-y",
            "thuy-san",
            "lam-nghiep",
            "trong-trot",
            "thuy-loi",
            "kiem-lam",
            "chan-nuoi",
            "nong-nghiep",
            "de-dieu",
            "nong-thon",
        ],
    ),
    (
        "SGTVT",
        "Sở Giao thông vận tải",
        ["duong-bo", "hang-hai", "duong-thuy", "hang-khong", "dang-kiem", "duong-sat"],
    ),
    ("CT", "Cục Thuế tỉnh", ["thue"]),
    ("CHQ", "Cục Hải quan tỉnh", ["hai-quan"]),
    ("NHNN", "Ngân hàng Nhà nước chi nhánh tỉnh", ["ngan-hang", "ngoai-hoi", "tien-te"]),
    ("STC", "Sở Tài chính", ["cong-san", "tai-chinh", "gia", "kho-bac"]),
    (
        "SLDTBXH",
        "Sở Lao động - Thương binh và Xã hội",
        [
            "lao-dong",
            "viec-lam",
            "giam-ngheo",
            "bao-tro-xa-hoi",
            "nguoi-co-cong",
            "chinh-sach",
            "tre-em",
            "giao-duc-nghe-nghiep",
            "an-toan-lao-dong",
        ],
    ),
    ("VPUBND", "Văn phòng UBND tỉnh", []),
]
DISTRICT_AGENCIES = [
    ("PTP", "Phòng Tư pháp", ["ho-tich", "chung-thuc", "nuoi-con-nuoi", "hoa-giai"]),
    (
        "PTCKH",
        "Phòng Tài chính - Kế hoạch",
        ["doanh-nghiep", "hop-tac-xa", "to-hop-tac", "thue", "cong-san"],
    ),
    ("PQLDT", "Phòng Quản lý đô thị", ["xay-dung", "nha-o", "quy-hoach", "duong-bo"]),
    (
        "PTNMT",
        "Phòng Tài nguyên và Môi trường",
        ["dat-dai", "moi-truong", "tai-nguyen-nuoc", "khoang-san"],
    ),
    ("VP", "Văn phòng HĐND và UBND", []),
]
COMMUNE_AGENCIES = [
    ("TPHT", "Công chức Tư pháp - Hộ tịch", ["ho-tich", "chung-thuc", "nuoi-con-nuoi", "hoa-giai"]),
    (
        "DCXD",
        "Công chức Địa chính - Xây dựng",
        ["dat-dai", "xay-dung", "thuy-loi", "de-dieu", "nong-nghiep", "lam-nghiep", "moi-truong"],
    ),
    (
        "CA",
        "Công an",
        [
            "cu-tru",
            "can-cuoc",
            "dinh-danh",
            "xuat-nhap-canh",
            "phong-chay",
            "vu-khi",
            "phuong-tien",
        ],
    ),
    ("VPTK", "Công chức Văn phòng - Thống kê", []),
]
# The demo specialist works at this agency of Thành phố Vũng Tàu (GSO 747).
DEMO_SPECIALIST = ("demo.specialist", "Đặng Quốc Bảo", "747", "PTNMT")

SURNAMES = [
    "Nguyễn",
    "Trần",
    "Lê",
    "Phạm",
    "Hoàng",
    "Huỳnh",
    "Phan",
    "Vũ",
    "Võ",
    "Đặng",
    "Bùi",
    "Đỗ",
    "Hồ",
    "Ngô",
    "Dương",
    "Lý",
]
MIDDLE = ["Văn", "Thị", "Minh", "Ngọc", "Thanh", "Hữu", "Đức", "Thu", "Quốc", "Hoàng"]
GIVEN = [
    "An",
    "Bình",
    "Cường",
    "Dung",
    "Giang",
    "Hà",
    "Hải",
    "Hạnh",
    "Hùng",
    "Khánh",
    "Lan",
    "Long",
    "Mai",
    "Nam",
    "Nga",
    "Phúc",
    "Phương",
    "Quân",
    "Sơn",
    "Tâm",
    "Thảo",
    "Trang",
    "Tuấn",
    "Vân",
    "Yến",
]


def _agency_sectors(keywords: list[str], sectors: list[Sector]) -> list[Sector]:
    return [s for s in sectors if any(keyword in s.code for keyword in keywords)]


def agencies_ensure(*, stdout: TextIO) -> int:
    """Create the handling agencies of every unit, with the sectors they handle."""
    sectors = list(Sector.objects.order_by("code"))
    created = 0
    templates = {
        UnitLevel.PROVINCE: PROVINCE_AGENCIES,
        UnitLevel.DISTRICT: DISTRICT_AGENCIES,
        UnitLevel.COMMUNE: COMMUNE_AGENCIES,
    }
    for unit in AdministrativeUnit.objects.filter(desk__isnull=False).order_by("path"):
        claimed: set[int] = set()
        for short, name, keywords in templates[unit.level]:
            full_name = name if unit.level == UnitLevel.PROVINCE else f"{name} {unit.name}"
            if unit.level == UnitLevel.DISTRICT and short == "PQLDT" and unit.type_label == "Huyện":
                full_name = f"Phòng Kinh tế và Hạ tầng {unit.name}"
            agency, was_created = Agency.objects.get_or_create(
                code=f"{unit.code}.{short}", defaults={"name": full_name, "unit": unit}
            )
            created += was_created
            if was_created:
                linked = (
                    _agency_sectors(keywords, sectors)
                    if keywords
                    else [s for s in sectors if s.pk not in claimed]
                )
                agency.sectors.set(linked)
            claimed |= set(agency.sectors.values_list("pk", flat=True))
    stdout.write(f"  Cơ quan xử lý: mới {created}, tổng {Agency.objects.count()}.\n")
    return created


def demo_specialist_ensure() -> User:
    username, full_name, unit_code, short = DEMO_SPECIALIST
    agency = Agency.objects.get(code=f"{unit_code}.{short}")
    user = User.objects.filter(username=username).first() or User(username=username)
    user.full_name = full_name
    user.role = Role.SPECIALIST
    user.agency = agency
    user.email = f"{username}@example.vn"
    user.set_password(DEMO_PASSWORD)
    user.save()
    return user


def person_name(rng: random.Random) -> str:
    return f"{rng.choice(SURNAMES)} {rng.choice(MIDDLE)} {rng.choice(GIVEN)}"


def citizens_ensure(rng: random.Random, count: int) -> list[User]:
    users = []
    for n in range(1, count + 1):
        username = f"{SEED_STAFF_PREFIX}congdan.{n:03d}"
        user = User.objects.filter(username=username).first()
        if user is None:
            user = User(
                username=username,
                role=Role.CITIZEN,
                full_name=person_name(rng),
                cccd=f"0771{n:08d}",
                phone=f"0908{n:06d}",
                email=f"congdan{n:03d}@example.vn",
                address="Bà Rịa - Vũng Tàu",
            )
            user.set_unusable_password()
            user.save()
        users.append(user)
    demo = User.objects.filter(username="demo.citizen").first()
    return ([demo] if demo else []) + users
