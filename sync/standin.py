"""The local stand-in of the national portal's sync endpoint (/sandbox-dvcqg/, on with
SANDBOX_DVCQG_ENABLED): it checks the signature, answers a repeated idempotency key with the
first answer and records nothing twice, refuses message n+1 of a dossier before n (409), fails
on demand (the next N requests get 503), and tells a dossier's status."""

import datetime as dt
import json
from collections.abc import Mapping

from django.conf import settings
from django.db import transaction
from django.db.models import Max

from sync import national
from sync.models import StandInRecord, StandInSwitch


def standin_fail_next(count: int) -> None:
    StandInSwitch.objects.update_or_create(pk=1, defaults={"fail_next": max(count, 0)})


@transaction.atomic
def standin_receive(
    *, body: bytes, headers: Mapping[str, str], now: dt.datetime
) -> tuple[int, dict]:
    """One POST: (HTTP status, JSON answer)."""
    switch = StandInSwitch.objects.select_for_update().filter(pk=1).first()
    if switch and switch.fail_next:
        switch.fail_next -= 1
        switch.save(update_fields=["fail_next"])
        return 503, {"error": "unavailable (failing on demand)"}
    if not national.signature_valid(
        settings.SYNC_SHARED_SECRET, body, headers.get(national.SIGNATURE_HEADER, "")
    ):
        return 401, {"error": "invalid signature"}
    key = headers.get(national.KEY_HEADER, "")
    if not key:
        return 400, {"error": "Idempotency-Key required"}
    seen = StandInRecord.objects.filter(idempotency_key=key).first()
    if seen is not None:
        seen.deliveries += 1
        seen.save(update_fields=["deliveries"])
        return 200, {"status": "duplicate", "national_status": seen.national_status}

    try:
        record = json.loads(body.decode())
        code, seq, status = record["MaHoSo"], int(record["SoThuTu"]), int(record["TrangThai"])
    except (ValueError, KeyError, TypeError):
        return 400, {"error": "invalid body"}
    last = StandInRecord.objects.filter(dossier_code=code).aggregate(m=Max("seq"))["m"] or 0
    if seq != last + 1:
        return 409, {"error": "out of order", "expected": last + 1}
    StandInRecord.objects.create(
        idempotency_key=key,
        dossier_code=code,
        seq=seq,
        national_status=status,
        body=record,
        received_at=now,
    )
    return 201, {"status": "accepted", "national_status": status}


def standin_status(code: str) -> dict | None:
    last = StandInRecord.objects.filter(dossier_code=code).order_by("-seq").first()
    if last is None:
        return None
    return {"code": code, "national_status": last.national_status, "seq": last.seq}
