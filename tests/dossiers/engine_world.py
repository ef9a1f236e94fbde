"""A small province for the dossier engine's tests: units, desks, agencies, people, files."""

import datetime
import io
import zipfile
from dataclasses import dataclass
from zoneinfo import ZoneInfo

from accounts.models import Role, User
from dossiers.models import Dossier
from dossiers.services import UploadedDocument, dossier_receive, dossier_submit_online
from onestop.models import Agency, Desk
from procedures.models import Procedure, ProcedureLevel
from tests.factories import make_agency, make_desk, make_procedure, make_unit, make_user

TZ = ZoneInfo("Asia/Ho_Chi_Minh")
# Monday 02/03/2026 09:00, an ordinary working day.
MONDAY = datetime.datetime(2026, 3, 2, 9, 0, tzinfo=TZ)

PDF = b"%PDF-1.4\n1 0 obj << >> endobj\ntrailer << >>\n%%EOF\n"
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 32
JPEG = b"\xff\xd8\xff\xe0" + b"\x00" * 32


def pdf(name: str = "don-de-nghi.pdf") -> UploadedDocument:
    return UploadedDocument(name=name, content=PDF)


def office_zip(folder: str) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr(f"{folder}/document.xml", "<x/>")
    return buffer.getvalue()


def ole(stream: str) -> bytes:
    return b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 64 + stream.encode("utf-16-le")


@dataclass
class World:
    province_desk: Desk
    district_desk: Desk
    commune_desk: Desk
    agency: Agency
    district_agency: Agency
    procedure: Procedure
    citizen: User
    other_citizen: User
    clerk: User
    other_clerk: User
    district_clerk: User
    specialist: User
    district_specialist: User
    leader: User
    district_leader: User
    admin: User


def make_world() -> World:
    province = make_unit(code="77", name="Tỉnh Bà Rịa - Vũng Tàu", path="77")
    district = make_unit(parent=province, code="747", name="Thành phố Vũng Tàu")
    commune = make_unit(parent=district, code="26506", name="Phường 1")
    province_desk = make_desk(unit=province, name="Trung tâm Phục vụ hành chính công")
    district_desk = make_desk(unit=district, name="Bộ phận một cửa TP Vũng Tàu")
    commune_desk = make_desk(unit=commune, name="Bộ phận một cửa Phường 1")
    procedure = make_procedure(level=ProcedureLevel.PROVINCE)
    agency = make_agency(unit=province, name="Sở Tư pháp")
    agency.sectors.add(procedure.sector)
    district_agency = make_agency(unit=district, name="Phòng Tư pháp")
    return World(
        province_desk=province_desk,
        district_desk=district_desk,
        commune_desk=commune_desk,
        agency=agency,
        district_agency=district_agency,
        procedure=procedure,
        citizen=make_user(cccd="077190001234", phone="0912345678", full_name="Lê Văn An"),
        other_citizen=make_user(),
        clerk=make_user(role=Role.CLERK, desk=province_desk),
        other_clerk=make_user(role=Role.CLERK, desk=province_desk),
        district_clerk=make_user(role=Role.CLERK, desk=district_desk),
        specialist=make_user(role=Role.SPECIALIST, agency=agency),
        district_specialist=make_user(role=Role.SPECIALIST, agency=district_agency),
        leader=make_user(role=Role.LEADER, unit=province),
        district_leader=make_user(role=Role.LEADER, unit=district),
        admin=make_user(role=Role.ADMIN),
    )


def submit(world: World, *, now: datetime.datetime = MONDAY, key: str | None = None) -> Dossier:
    return dossier_submit_online(
        applicant=world.citizen,
        procedure=world.procedure,
        desk=world.province_desk,
        applicant_fields={},
        form_data={"noi_dung": "Cấp phiếu lý lịch tư pháp"},
        documents=[pdf(), pdf("cccd.pdf")],
        idempotency_key=key,
        now=now,
    )


def received(world: World, *, now: datetime.datetime = MONDAY) -> Dossier:
    dossier = submit(world, now=now)
    return dossier_receive(dossier_id=dossier.pk, actor=world.clerk, now=now)
