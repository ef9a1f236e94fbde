"""The dossier workflow in one table: action name -> label, transition, who, required input.

Source and target states live on the transition methods of `Dossier` (django-fsm) and are read
from there (`ActionSpec.sources`, `.target`), so the table and the state machine cannot drift.
"""

from dataclasses import dataclass, field

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from dossiers.models import Dossier, DossierStatus

# Capacities in which a user acts on a dossier (dossiers.services.permissions decides them).
APPLICANT = "applicant"
RECEIVING_DESK = "receiving_desk"
CURRENT_DESK = "current_desk"
AGENCY = "agency"


@dataclass(frozen=True)
class FieldSpec:
    """One input of an action. `kind`: text, datetime, decimal, choice, id, items, files."""

    name: str
    label: Promise
    kind: str = "text"
    required: bool = True
    choices: tuple[tuple[str, Promise], ...] = ()


@dataclass(frozen=True)
class ActionSpec:
    name: str
    label: Promise
    method: str | None
    scopes: frozenset[str]
    fields: tuple[FieldSpec, ...] = field(default=())

    @property
    def sources(self) -> list[str]:
        """States the action starts from (from the FSM decorator)."""
        if self.method is None:
            return [DossierStatus.RETURNED]
        meta = getattr(Dossier, self.method)._django_fsm
        return list(meta.transitions)

    @property
    def target(self) -> list[str]:
        """Target states; several when the method decides (RETURN_VALUE), [] when unchanged."""
        if self.method is None:
            return []
        meta = getattr(Dossier, self.method)._django_fsm
        targets = {t.target for t in meta.transitions.values()}
        states: list[str] = []
        for target in targets:
            if target is None:
                continue
            states.extend(getattr(target, "allowed_states", None) or [target])
        return sorted(set(states))


NOTE = FieldSpec("note", _("Ghi chú"), required=False)
REASON = FieldSpec("reason", _("Lý do"))
DOCUMENTS_OPTIONAL = FieldSpec("documents", _("Tệp đính kèm"), kind="files", required=False)

ACTIONS: dict[str, ActionSpec] = {
    spec.name: spec
    for spec in [
        ActionSpec(
            "submit", _("Nộp hồ sơ"), "submit", frozenset({APPLICANT}), (DOCUMENTS_OPTIONAL,)
        ),
        ActionSpec(
            "receive", _("Tiếp nhận hồ sơ"), "receive", frozenset({RECEIVING_DESK}), (NOTE,)
        ),
        ActionSpec(
            "refuse_reception",
            _("Từ chối tiếp nhận (Mẫu 03)"),
            "refuse_reception",
            frozenset({RECEIVING_DESK}),
            (REASON,),
        ),
        ActionSpec(
            "request_supplement",
            _("Yêu cầu bổ sung hồ sơ (Mẫu 02)"),
            "request_supplement",
            frozenset({RECEIVING_DESK, CURRENT_DESK, AGENCY}),
            (FieldSpec("items", _("Giấy tờ cần bổ sung và lý do"), kind="items"), NOTE),
        ),
        ActionSpec(
            "submit_supplement",
            _("Nộp bổ sung hồ sơ"),
            "submit_supplement",
            frozenset({APPLICANT, RECEIVING_DESK}),
            (FieldSpec("documents", _("Tệp bổ sung"), kind="files"), NOTE),
        ),
        ActionSpec(
            "start_processing",
            _("Chuyển xử lý"),
            "start_processing",
            frozenset({RECEIVING_DESK}),
            (
                FieldSpec("to_agency", _("Cơ quan xử lý"), kind="id", required=False),
                FieldSpec("to_desk", _("Bộ phận nhận"), kind="id", required=False),
                FieldSpec("leg_due_at", _("Hạn của bước"), kind="datetime", required=False),
                NOTE,
            ),
        ),
        ActionSpec(
            "hand_off",
            _("Chuyển liên thông"),
            "hand_off",
            frozenset({CURRENT_DESK, AGENCY}),
            (
                FieldSpec("to_agency", _("Cơ quan nhận"), kind="id", required=False),
                FieldSpec("to_desk", _("Bộ phận nhận"), kind="id", required=False),
                FieldSpec("leg_due_at", _("Hạn của bước"), kind="datetime", required=False),
                NOTE,
            ),
        ),
        ActionSpec(
            "request_payment",
            _("Yêu cầu thực hiện nghĩa vụ tài chính"),
            "request_payment",
            frozenset({CURRENT_DESK, AGENCY}),
            (FieldSpec("fee_amount", _("Số tiền (đồng)"), kind="decimal"), NOTE),
        ),
        ActionSpec(
            "confirm_payment",
            _("Xác nhận đã nộp phí, lệ phí"),
            "confirm_payment",
            # The applicant pays online (the payments app); a clerk records a counter payment.
            frozenset({RECEIVING_DESK, CURRENT_DESK, AGENCY}),
            (NOTE,),
        ),
        ActionSpec(
            "request_withdrawal",
            _("Yêu cầu rút hồ sơ"),
            "request_withdrawal",
            frozenset({APPLICANT}),
            (REASON,),
        ),
        ActionSpec(
            "withdraw", _("Đồng ý rút hồ sơ"), "withdraw", frozenset({RECEIVING_DESK}), (NOTE,)
        ),
        ActionSpec(
            "stop",
            _("Dừng xử lý"),
            "stop",
            frozenset({RECEIVING_DESK, CURRENT_DESK, AGENCY}),
            (REASON,),
        ),
        ActionSpec(
            "apologize",
            _("Xin lỗi và hẹn lại (Mẫu 04)"),
            "apologize",
            frozenset({RECEIVING_DESK, CURRENT_DESK, AGENCY}),
            (REASON, FieldSpec("new_due_at", _("Ngày hẹn mới"), kind="datetime")),
        ),
        ActionSpec(
            "resolve",
            _("Hoàn thành giải quyết"),
            "resolve",
            frozenset({CURRENT_DESK, AGENCY}),
            (
                FieldSpec(
                    "result",
                    _("Kết quả"),
                    kind="choice",
                    choices=(
                        ("approved", _("Giải quyết (có kết quả)")),
                        ("refused", _("Từ chối giải quyết (nêu lý do)")),
                    ),
                ),
                NOTE,
                FieldSpec("result_documents", _("Tệp kết quả"), kind="files", required=False),
            ),
        ),
        ActionSpec(
            "return_result", _("Trả kết quả"), "return_result", frozenset({RECEIVING_DESK}), (NOTE,)
        ),
        ActionSpec(
            "rate",
            _("Đánh giá mức độ hài lòng"),
            None,
            frozenset({APPLICANT}),
            (
                FieldSpec(
                    "level",
                    _("Mức độ hài lòng"),
                    kind="choice",
                    choices=(
                        ("very_satisfied", _("Rất hài lòng")),
                        ("satisfied", _("Hài lòng")),
                        ("unsatisfied", _("Không hài lòng")),
                    ),
                ),
                FieldSpec("comment", _("Góp ý"), required=False),
            ),
        ),
    ]
}
ACTION_CHOICES = [(name, spec.label) for name, spec in ACTIONS.items()]
