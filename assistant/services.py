"""The assistant's answer: retrieval, intent, a template filled only with catalog fields.

Nothing here generates text: every sentence is a gettext template, every value comes from the
catalog, a desk or the public dossier lookup, and a value the catalog lacks is said to be unknown.
"""

import re
import uuid
from dataclasses import asdict, dataclass, field
from typing import Any

from django.core.cache import cache
from django.db.models import F
from django.urls import reverse
from django.utils import formats, timezone
from django.utils.translation import gettext as _

from assistant import intents
from assistant.models import UnansweredQuestion
from assistant.selectors import desk_for_level, help_desk
from dossiers.lookup_limit import (
    LOOKUP_CODE_BLOCKED,
    dossier_lookup_limited,
    lookup_address_allowed,
)
from procedures.models import Channel, Procedure, ProcedureLevel
from procedures.parsing import fold
from procedures.retrieval.engine import search
from procedures.selectors import procedure_get

CONVERSATION_TTL_SECONDS = 30 * 60
LOW_CONFIDENCE = 0.5
MAX_MESSAGE = 500


@dataclass
class Answer:
    text: str
    intent: str
    conversation: str
    confidence: float = 0.0
    low_confidence: bool = False
    procedures: list[dict[str, Any]] = field(default_factory=list)  # ranked, best first
    alternatives: list[dict[str, Any]] = field(default_factory=list)  # "Có phải bạn muốn hỏi"
    items: list[str] = field(default_factory=list)  # documents, fees, … as listed
    links: list[dict[str, str]] = field(default_factory=list)
    source: dict[str, str] | None = None
    status: dict[str, Any] | None = None
    throttled: bool = False

    def as_dict(self) -> dict[str, Any]:
        return asdict(self)


# conversation state (server side, no account) ------------------------------------------------


def _conversation_key(conversation_id: str) -> str:
    return f"assistant:conversation:{conversation_id}"


def _load_state(conversation_id: str | None) -> tuple[str, dict[str, Any]]:
    if conversation_id:
        try:
            conversation_id = str(uuid.UUID(str(conversation_id)))
        except ValueError:
            conversation_id = None
    if conversation_id:
        state = cache.get(_conversation_key(conversation_id))
        if state is not None:
            return conversation_id, state
    return str(uuid.uuid4()), {}


def _save_state(conversation_id: str, state: dict[str, Any]) -> None:
    cache.set(_conversation_key(conversation_id), state, timeout=CONVERSATION_TTL_SECONDS)


# personal data -------------------------------------------------------------------------------

_EMAIL = re.compile(r"[\w.+-]+@[\w-]+(\.[\w-]+)+")
_PHONE = re.compile(r"(?<!\d)(\+?84|0)[\s.-]?\d{2,3}([\s.-]?\d{3}){2}\d?(?!\d)")
_CCCD = re.compile(r"(?<!\d)\d{9}(\d{3})?(?!\d)")
_DIGITS = re.compile(r"\d{4,}")


def scrub(text: str) -> str:
    """Remove what may identify a person or a dossier before anything is stored."""
    text = intents.DOSSIER_CODE.sub("[mã hồ sơ]", text)
    text = _EMAIL.sub("[email]", text)
    text = _CCCD.sub("[số giấy tờ]", text)
    text = _PHONE.sub("[số điện thoại]", text)
    return _DIGITS.sub("[số]", text)


def _log_unanswered(*, message: str, reason: str, best_code: str) -> None:
    example = scrub(message)[:MAX_MESSAGE]
    normalized = fold(example)[:300]
    if not normalized:
        return
    updated = UnansweredQuestion.objects.filter(normalized=normalized).update(
        count=F("count") + 1, last_asked_at=timezone.now()
    )
    if not updated:
        UnansweredQuestion.objects.get_or_create(
            normalized=normalized,
            defaults={"example": example, "reason": reason, "best_code": best_code},
        )


# presenting procedures -----------------------------------------------------------------------


def _card(procedure: Procedure, *, score: float | None = None) -> dict[str, Any]:
    return {
        "code": procedure.code,
        "name": procedure.name,
        "level": procedure.level,
        "level_label": str(procedure.get_level_display()) if procedure.level else "",
        "online": procedure.is_online,
        "score": score,
        "url": procedure.get_absolute_url(),
        "submit_url": reverse("dossiers:submit_start", kwargs={"code": procedure.code})
        if procedure.is_online and procedure.accepts_dossiers
        else "",
    }


def _source(procedure: Procedure) -> dict[str, str]:
    return {
        "label": _("Danh mục thủ tục hành chính, mã %(code)s") % {"code": procedure.code},
        "url": procedure.get_absolute_url(),
    }


def _hours(desk) -> str:
    return _("%(m1)s–%(m2)s và %(a1)s–%(a2)s các ngày làm việc") % {
        "m1": desk.morning_opens.strftime("%H:%M"),
        "m2": desk.morning_closes.strftime("%H:%M"),
        "a1": desk.afternoon_opens.strftime("%H:%M"),
        "a2": desk.afternoon_closes.strftime("%H:%M"),
    }


def _methods(procedure: Procedure):
    return list(procedure.submission_methods.all())


def _answer_for(intent: str, procedure: Procedure) -> tuple[str, list[str], list[dict]]:
    """(text, listed items, links) for one procedure, from its catalog fields only."""
    name = procedure.name
    links = [{"label": _("Xem chi tiết thủ tục"), "url": procedure.get_absolute_url()}]
    card = _card(procedure)
    if card["submit_url"]:
        links.append({"label": _("Nộp hồ sơ trực tuyến"), "url": card["submit_url"]})
    items: list[str] = []
    if intent == intents.DOCUMENTS:
        for document in procedure.required_documents.all():
            if document.is_note:
                continue
            detail = ", ".join(x for x in (document.original_or_copy, document.quantity) if x)
            line = f"{document.name} ({detail})" if detail else document.name
            if not document.is_required:
                line += " — " + _("nếu có")
            items.append(line)
        text = (
            _("Hồ sơ của thủ tục “%(name)s” gồm:") % {"name": name}
            if items
            else _("Danh mục chưa ghi thành phần hồ sơ của thủ tục “%(name)s”.") % {"name": name}
        )
    elif intent == intents.FEE:
        for method in _methods(procedure):
            fee = method.fee.strip() or _("chưa có thông tin")
            items.append(f"{method.get_channel_display()}: {fee}")
        known = any(m.fee.strip() for m in _methods(procedure))
        text = (
            _("Phí, lệ phí của thủ tục “%(name)s” theo danh mục:") % {"name": name}
            if known
            else _(
                "Danh mục chưa có thông tin về phí, lệ phí của thủ tục “%(name)s”; "
                "vui lòng hỏi bộ phận một cửa."
            )
            % {"name": name}
        )
    elif intent == intents.TIME:
        for method in _methods(procedure):
            if method.processing_time_text.strip():
                items.append(
                    f"{method.get_channel_display()}: {method.processing_time_text.strip()}"
                )
        if not items and procedure.processing_time_text.strip():
            items.append(procedure.processing_time_text.strip())
        text = (
            _("Thời hạn giải quyết thủ tục “%(name)s” theo danh mục:") % {"name": name}
            if items
            else _(
                "Danh mục chưa có thông tin về thời hạn giải quyết thủ tục “%(name)s”; "
                "vui lòng hỏi bộ phận một cửa."
            )
            % {"name": name}
        )
    elif intent == intents.WHERE:
        desk = desk_for_level(level=procedure.level)
        level_label = procedure.get_level_display() if procedure.level else ""
        text = _("Thủ tục “%(name)s” nộp tại bộ phận một cửa %(level)s.") % {
            "name": name,
            "level": str(level_label).lower(),
        }
        if procedure.receiving_address.strip():
            items.append(_("Địa chỉ tiếp nhận: %(a)s") % {"a": procedure.receiving_address.strip()})
        if desk is not None:
            if procedure.level == ProcedureLevel.PROVINCE:
                items.append(f"{desk.name}: {desk.address}".strip(": "))
            items.append(_("Giờ tiếp nhận: %(h)s") % {"h": _hours(desk)})
            if procedure.level == ProcedureLevel.PROVINCE and desk.phone:
                items.append(_("Điện thoại: %(p)s") % {"p": desk.phone})
    elif intent == intents.ONLINE:
        if procedure.is_online:
            text = _("Có. Thủ tục “%(name)s” nộp trực tuyến được (%(level)s, %(legacy)s).") % {
                "name": name,
                "level": procedure.get_online_level_display(),
                "legacy": procedure.legacy_online_level,
            }
        else:
            text = _(
                "Thủ tục “%(name)s” chưa nộp trực tuyến được: nộp trực tiếp hoặc qua bưu chính."
            ) % {"name": name}
        channels = sorted({m.get_channel_display() for m in _methods(procedure)})
        if channels:
            items.append(_("Cách thức thực hiện: %(c)s") % {"c": ", ".join(map(str, channels))})
    else:
        text = _("Thủ tục phù hợp nhất: “%(name)s” (%(level)s).") % {
            "name": name,
            "level": procedure.get_level_display() if procedure.level else "—",
        }
        times = [
            m.processing_time_text.strip()
            for m in _methods(procedure)
            if m.channel == Channel.DIRECT and m.processing_time_text.strip()
        ] or ([procedure.processing_time_text.strip()] if procedure.processing_time_text else [])
        items.append(_("Thời hạn: %(t)s") % {"t": times[0] if times else _("chưa có thông tin")})
        items.append(
            _("Nộp trực tuyến: %(o)s")
            % {"o": procedure.get_online_level_display() if procedure.is_online else _("chưa")}
        )
        items.append(
            _("Hỏi tiếp: “cần giấy tờ gì?”, “lệ phí bao nhiêu?”, “mất bao lâu?”, “nộp ở đâu?”")
        )
    return text, items, links


def _follow_answer() -> tuple[str, list[dict]]:
    text = _(
        "Theo dõi hồ sơ: nhập mã hồ sơ trên giấy tiếp nhận và 4 số cuối điện thoại hoặc CCCD "
        "tại trang Tra cứu hồ sơ (hoặc gửi mã hồ sơ cho tôi). Người có tài khoản xem và đánh giá "
        "mức độ hài lòng trong mục Hồ sơ của tôi khi hồ sơ đã có kết quả."
    )
    links = [
        {"label": _("Tra cứu hồ sơ"), "url": reverse("dossiers:lookup")},
        {"label": _("Hồ sơ của tôi"), "url": reverse("dossiers:my_list")},
    ]
    return text, links


def _status_answer(
    *, code: str, verifier: str, client: str, conversation: str, state: dict
) -> Answer:
    if not lookup_address_allowed(client=client):
        return Answer(
            text=_("Bạn đã tra cứu quá nhiều lần. Vui lòng thử lại sau ít phút."),
            intent=intents.STATUS,
            conversation=conversation,
            throttled=True,
        )
    found, blocked = dossier_lookup_limited(code=code, verifier=verifier)
    state.pop("pending_code", None)
    lookup_link = [{"label": _("Tra cứu hồ sơ"), "url": reverse("dossiers:lookup")}]
    if blocked:
        return Answer(
            text=str(LOOKUP_CODE_BLOCKED),
            intent=intents.STATUS,
            conversation=conversation,
            links=lookup_link,
            throttled=True,
        )
    if found is None:
        return Answer(
            text=_("Không tìm thấy hồ sơ với mã và thông tin xác minh đã nhập."),
            intent=intents.STATUS,
            conversation=conversation,
            links=lookup_link,
        )
    items = [_("Thủ tục: %(p)s") % {"p": found["procedure_name"]}]
    items.append(_("Nơi tiếp nhận: %(d)s") % {"d": found["desk_name"]})
    when = found["appointment_at"] or found["due_at"]
    if when:
        items.append(
            _("Hẹn trả kết quả: %(d)s")
            % {"d": formats.date_format(timezone.localtime(when), "SHORT_DATETIME_FORMAT")}
        )
    return Answer(
        text=_("Hồ sơ %(code)s: %(status)s.")
        % {"code": found["code"], "status": found["status_label"]},
        intent=intents.STATUS,
        conversation=conversation,
        items=items,
        links=lookup_link,
        status={
            "code": found["code"],
            "status": found["status"],
            "status_label": found["status_label"],
            "national_status_number": found["national_status_number"],
        },
    )


def assistant_ask(*, message: str, conversation_id: str | None, client: str) -> Answer:
    """Answer one message; `client` is the caller's address (throttles of the dossier lookup)."""
    message = (message or "").strip()[:MAX_MESSAGE]
    conversation, state = _load_state(conversation_id)
    try:
        return _ask(message=message, conversation=conversation, state=state, client=client)
    finally:
        _save_state(conversation, state)


def _ask(*, message: str, conversation: str, state: dict, client: str) -> Answer:
    intent = intents.detect(message)
    code_match = intents.DOSSIER_CODE.search(message)
    if code_match or (state.get("pending_code") and intents.VERIFIER.fullmatch(message)):
        code = code_match.group(0).upper() if code_match else state["pending_code"]
        rest = intents.DOSSIER_CODE.sub(" ", message)
        verifier = intents.VERIFIER.search(rest)
        if verifier is None:
            state["pending_code"] = code
            return Answer(
                text=_(
                    "Để xem hồ sơ %(code)s, vui lòng nhập 4 số cuối điện thoại hoặc số CCCD "
                    "của người nộp."
                )
                % {"code": code},
                intent=intents.STATUS,
                conversation=conversation,
            )
        return _status_answer(
            code=code,
            verifier=verifier.group(0),
            client=client,
            conversation=conversation,
            state=state,
        )
    if intent == intents.STATUS:
        state.pop("pending_code", None)
        return Answer(
            text=_(
                "Vui lòng gửi mã hồ sơ ghi trên giấy tiếp nhận (ví dụ 000.00.06.H02-250102-0001)."
            ),
            intent=intent,
            conversation=conversation,
            links=[{"label": _("Tra cứu hồ sơ"), "url": reverse("dossiers:lookup")}],
        )
    if intent == intents.FOLLOW:
        text, links = _follow_answer()
        return Answer(text=text, intent=intent, conversation=conversation, links=links)
    if not message:
        return Answer(
            text=_("Bạn muốn hỏi về thủ tục nào?"), intent=intent, conversation=conversation
        )

    follow_up = intent != intents.PROCEDURE and len(intents.content_words(message)) < 2
    if follow_up and state.get("procedure"):
        procedure = procedure_get(code=state["procedure"])
        text, items, links = _answer_for(intent, procedure)
        return Answer(
            text=text,
            intent=intent,
            conversation=conversation,
            confidence=1.0,
            procedures=[_card(procedure)],
            items=items,
            links=links,
            source=_source(procedure),
        )

    result = search(message, limit=5)
    procedures = {
        p.id: p
        for p in Procedure.objects.filter(id__in=[h.procedure_id for h in result.hits])
        .select_related("sector")
        .prefetch_related("submission_methods", "required_documents")
    }
    ranked = [
        _card(procedures[h.procedure_id], score=h.score)
        for h in result.hits
        if h.procedure_id in procedures
    ]
    if not ranked:
        _log_unanswered(message=message, reason=UnansweredQuestion.Reason.NO_MATCH, best_code="")
        return _low_answer(intent, conversation, ranked, result.confidence)
    if result.confidence < LOW_CONFIDENCE:
        _log_unanswered(
            message=message,
            reason=UnansweredQuestion.Reason.LOW_CONFIDENCE,
            best_code=ranked[0]["code"],
        )
        return _low_answer(intent, conversation, ranked, result.confidence)
    top = procedures[result.hits[0].procedure_id]
    state["procedure"] = top.code
    text, items, links = _answer_for(intent, top)
    others = [
        _card(p)
        for p in Procedure.objects.filter(id__in=result.hits[0].other_levels).order_by("code")
    ]
    if others:
        items.append(
            _("Cùng tên ở cấp khác: %(o)s")
            % {"o": "; ".join(f"{o['code']} ({o['level_label']})" for o in others)}
        )
    return Answer(
        text=text,
        intent=intent,
        conversation=conversation,
        confidence=result.confidence,
        procedures=ranked,
        alternatives=ranked[1:3],
        items=items,
        links=links,
        source=_source(top),
    )


def _low_answer(intent: str, conversation: str, ranked: list[dict], confidence: float) -> Answer:
    desk = help_desk()
    text = _(
        "Tôi chưa chắc đã hiểu đúng câu hỏi. Có thể bạn cần một trong các thủ tục dưới đây; "
        "nếu không, hãy gọi bộ phận một cửa để được hướng dẫn."
    )
    items = []
    if desk is not None and desk.phone:
        items.append(_("%(desk)s, điện thoại %(phone)s") % {"desk": desk.name, "phone": desk.phone})
    return Answer(
        text=text,
        intent=intent,
        conversation=conversation,
        confidence=confidence,
        low_confidence=True,
        procedures=ranked[:3],
        items=items,
    )
