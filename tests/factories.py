"""Data builders for tests: `make_<thing>(**overrides)` creates one valid row with sane defaults."""

import datetime
import itertools
from decimal import Decimal

from django.utils import timezone

from accounts.models import Role, User
from dossiers.models import Dossier, DossierStatus
from onestop.models import AdministrativeUnit, Agency, Counter, Desk, UnitLevel
from procedures.models import Channel, OnlineLevel, Procedure, ProcedureLevel, Sector, TimeUnit

_seq = itertools.count(1)
DEMO_PASSWORD = "Demo@12345"


def make_unit(*, parent: AdministrativeUnit | None = None, **overrides) -> AdministrativeUnit:
    n = next(_seq)
    level = overrides.pop(
        "level",
        UnitLevel.PROVINCE
        if parent is None
        else UnitLevel.DISTRICT
        if parent.level == UnitLevel.PROVINCE
        else UnitLevel.COMMUNE,
    )
    code = overrides.pop("code", f"{n:05d}")
    defaults = {
        "name": f"Đơn vị {n}",
        "short_name": f"ĐV {n}",
        "type_label": "Xã",
        "path": f"{parent.path}/{code}" if parent else code,
    }
    defaults.update(overrides)
    return AdministrativeUnit.objects.create(code=code, level=level, parent=parent, **defaults)


def make_commune(**overrides) -> AdministrativeUnit:
    """A commune under a new district under a new province (for a residence or a desk)."""
    province = make_unit(name="Tỉnh Bà Rịa - Vũng Tàu", type_label="Tỉnh")
    district = make_unit(parent=province, name="Thành phố Vũng Tàu", type_label="Thành phố")
    defaults = {"name": "Phường Thắng Tam", "type_label": "Phường"}
    defaults.update(overrides)
    return make_unit(parent=district, **defaults)


def make_desk(*, unit: AdministrativeUnit | None = None, **overrides) -> Desk:
    unit = unit or make_unit()
    n = next(_seq)
    defaults = {"name": f"Bộ phận một cửa {unit.name}", "agency_code": f"000.00.{n:02d}.H02"}
    defaults.update(overrides)
    desk = Desk.objects.create(unit=unit, **defaults)
    Counter.objects.create(desk=desk, number=1, name="Quầy 1")
    return desk


def make_agency(*, unit: AdministrativeUnit | None = None, **overrides) -> Agency:
    n = next(_seq)
    defaults = {"code": f"AG{n}", "name": f"Cơ quan {n}"}
    defaults.update(overrides)
    return Agency.objects.create(unit=unit or make_unit(), **defaults)


def make_user(*, role: str = Role.CITIZEN, password: str = DEMO_PASSWORD, **overrides) -> User:
    n = next(_seq)
    defaults = {"username": f"user{n}", "full_name": f"Nguyễn Văn {n}", "email": f"u{n}@example.vn"}
    defaults.update(overrides)
    user = User(role=role, **defaults)
    user.set_password(password)
    user.save()
    return user


def make_sector(**overrides) -> Sector:
    n = next(_seq)
    defaults = {"code": f"linh-vuc-{n}", "name": f"Lĩnh vực {n}"}
    defaults.update(overrides)
    return Sector.objects.create(**defaults)


def make_procedure(**overrides) -> Procedure:
    n = next(_seq)
    defaults = {
        "code": f"9.{n:06d}",
        "name": f"Thủ tục mẫu {n}",
        "level": ProcedureLevel.COMMUNE,
        "processing_time_text": "3 Ngày làm việc",
        "processing_time_amount": Decimal("3"),
        "processing_time_unit": TimeUnit.WORKING_DAYS,
        "online_level": OnlineLevel.FULL,
        "is_published": True,
    }
    defaults.update(overrides)
    if "sector" not in defaults:
        defaults["sector"] = make_sector()
    return Procedure.objects.create(**defaults)


def make_dossier(**overrides) -> Dossier:
    """A dossier row in any status, set at creation (the status field is protected)."""
    n = next(_seq)
    desk = overrides.pop("desk", None) or make_desk()
    now = timezone.now()
    defaults = {
        "code": f"{desk.agency_code}-{now:%y%m%d}-{n:04d}",
        "procedure": overrides.pop("procedure", None) or make_procedure(),
        "desk": desk,
        "current_desk": desk,
        "applicant_name": "Trần Thị Bình",
        "applicant_cccd": "077190000123",
        "applicant_phone": "0912345678",
        "channel": Channel.ONLINE,
        "status": DossierStatus.NEW,
        "submitted_at": now,
    }
    if overrides.get("status") not in (None, DossierStatus.DRAFT, DossierStatus.NEW):
        defaults["received_at"] = now - datetime.timedelta(days=1)
        defaults["due_at"] = now + datetime.timedelta(days=2)
    defaults.update(overrides)
    return Dossier.objects.create(**defaults)


def make_feedback(**overrides):
    """A feedback received now about a desk (status and dates as given)."""
    from feedback.models import Feedback, FeedbackKind, FeedbackSubject

    n = next(_seq)
    now = overrides.pop("received_at", None) or timezone.now()
    defaults = {
        "code": f"PA{n:012d}",
        "kind": FeedbackKind.COMPLAINT,
        "subject": FeedbackSubject.DESK,
        "sender_name": "Lê Văn Phản",
        "sender_phone": "0918234567",
        "title": f"Phản ánh {n}",
        "content": "Nội dung phản ánh.",
        "received_at": now,
        "due_at": now + datetime.timedelta(days=14),
    }
    defaults.update(overrides)
    if "desk" not in defaults:
        defaults["desk"] = make_desk()
    return Feedback.objects.create(**defaults)
