"""The national portal's wire format and its signature, in one place.

The body is the dossier's record as the national portal tracks it (field names in the
Vietnamese style of the DVCQG integration documents); `national_record` is the only function
to change when the real specification is at hand. The signature is HMAC-SHA256 over the exact
body bytes with the shared secret, sent as `X-DVC-Signature: sha256=<hex>`; the idempotency
key as `Idempotency-Key` and the per-dossier sequence as `X-DVC-Sequence`.
"""

import hashlib
import hmac
import json

from django.utils import timezone

from dossiers.models import Dossier, DossierEvent
from dossiers.models.dossier import NATIONAL_STATUS_NUMBERS

SIGNATURE_HEADER = "X-DVC-Signature"
KEY_HEADER = "Idempotency-Key"
SEQUENCE_HEADER = "X-DVC-Sequence"


def _moment(value) -> str | None:
    return timezone.localtime(value).isoformat() if value else None


def national_record(*, dossier: Dossier, event: DossierEvent, seq: int, source: str) -> dict:
    """The dossier as of `event` (its status then, not now: messages are sent later)."""
    status = event.to_status
    return {
        "MaNguon": source,
        "MaHoSo": dossier.code,
        "SoThuTu": seq,
        "MaTTHC": dossier.procedure.code,
        "MaCoQuanTiepNhan": dossier.desk.agency_code,
        "KenhNop": dossier.channel,
        "TrangThai": NATIONAL_STATUS_NUMBERS.get(status),
        "TrangThaiNoiBo": status,
        "ThaoTac": event.action,
        "ThoiDiem": _moment(event.at),
        "NgayNop": _moment(dossier.submitted_at),
        "NgayTiepNhan": _moment(dossier.received_at) if status != "new" else None,
        "NgayHenTra": _moment(dossier.due_at),
        "NgayKetThucXuLy": _moment(dossier.finished_at) if status in FINISHED else None,
        "KetQua": dossier.result if status in FINISHED else "",
        "DungHan": dossier.outcome if status in FINISHED else "",
        "NgayTraKetQua": _moment(dossier.returned_at) if status == "returned" else None,
        "ThanhToanTrucTuyen": bool(event.data.get("paid_online")),
    }


FINISHED = {"resolved", "returned", "not_accepted", "withdrawn", "stopped"}


def body_bytes(body: dict) -> bytes:
    return json.dumps(body, ensure_ascii=False, sort_keys=True, separators=(",", ":")).encode()


def signature(secret: str, body: bytes) -> str:
    return "sha256=" + hmac.new(secret.encode(), body, hashlib.sha256).hexdigest()


def signature_valid(secret: str, body: bytes, given: str) -> bool:
    return bool(given) and hmac.compare_digest(signature(secret, body), given)
