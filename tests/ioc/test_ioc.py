import datetime as dt
import json

import pytest
from django.test import Client
from django.utils import timezone

from accounts.models import Role
from dossiers.models import DossierLeg, DossierOutcome, DossierStatus
from ioc.backtest import backtest
from ioc.models import DossierRisk, Escalation
from ioc.selectors import MIN_COUNT, open_data_rows
from ioc.services import (
    escalation_notify_handler,
    escalation_scan,
    lateness_score,
    lateness_train,
)
from outbox.models import OutboxMessage
from stats.models import Notification
from tests.factories import (
    make_agency,
    make_desk,
    make_dossier,
    make_procedure,
    make_unit,
    make_user,
)

# A Wednesday 09:00 local, far from Tết.
START = dt.datetime(2026, 9, 9, 9, 0, tzinfo=dt.timezone(dt.timedelta(hours=7)))


def _history(*, desk, procedure, ratio: float, count: int = 12) -> None:
    """Finished dossiers that each took `ratio` of their 5 calendar days allowed."""
    for i in range(count):
        received = START - dt.timedelta(days=60 + 7 * i)
        due = received + dt.timedelta(days=5)
        finished = received + (due - received) * ratio
        make_dossier(
            desk=desk,
            procedure=procedure,
            status=DossierStatus.RETURNED,
            received_at=received,
            due_at=due,
            finished_at=finished,
            outcome=DossierOutcome.LATE if ratio > 1 else DossierOutcome.ON_TIME,
        )


def _open(*, desk, procedure, start=START):
    return make_dossier(
        desk=desk,
        procedure=procedure,
        status=DossierStatus.PROCESSING,
        received_at=start - dt.timedelta(days=1),
        due_at=start + dt.timedelta(days=6),
    )


@pytest.mark.django_db
def test_lateness_score_ranks_a_slow_desk_higher_when_its_history_is_slow():
    procedure = make_procedure()
    fast, slow = make_desk(), make_desk()
    _history(desk=fast, procedure=procedure, ratio=0.5)
    _history(desk=slow, procedure=procedure, ratio=1.6)
    on_fast, on_slow = _open(desk=fast, procedure=procedure), _open(desk=slow, procedure=procedure)
    model = lateness_train(now=START)
    assert model.samples == 24
    assert lateness_score(now=START, model=model) == 2
    fast_risk = DossierRisk.objects.get(dossier=on_fast)
    slow_risk = DossierRisk.objects.get(dossier=on_slow)
    assert slow_risk.risk > 0.9 > 0.1 > fast_risk.risk
    assert slow_risk.reasons[0]["code"] == "similar" and slow_risk.reasons[0]["key"] == "phb"
    assert slow_risk.estimated_finish > on_slow.due_at


def _returned_via_office(
    *, desk, procedure, office, received, due, back, finished, late: bool, sent_after
):
    """A returned dossier whose first leg went to `office` and came back to the desk at `back`."""
    dossier = make_dossier(
        desk=desk,
        procedure=procedure,
        status=DossierStatus.RETURNED,
        received_at=received,
        due_at=due,
        finished_at=finished,
        outcome=DossierOutcome.LATE if late else DossierOutcome.ON_TIME,
    )
    DossierLeg.objects.create(
        dossier=dossier,
        position=1,
        to_agency=office,
        to_desk=desk,
        started_at=received + sent_after,
        finished_at=back,
    )
    DossierLeg.objects.create(
        dossier=dossier, position=2, to_desk=desk, started_at=back, finished_at=finished
    )
    return dossier


@pytest.mark.django_db
def test_lateness_score_raises_a_dossier_stuck_at_a_slow_agency_leg_before_its_due_date():
    """History: at the land office, 16 of 20 dossiers came back to the desk by 40 % of their
    time and were on time; 4 stayed there past their appointment. A dossier still at that
    office at 70 % of its time is at risk days before its due date; the same dossier at 25 %,
    or one already back at the desk at 70 %, is not."""
    procedure = make_procedure()
    desk = make_desk()
    office = make_agency(unit=desk.unit, name="Phòng Tài nguyên và Môi trường")
    for i in range(20):
        received = START - dt.timedelta(days=60 + 5 * i)
        due = received + dt.timedelta(days=10)
        stuck = i % 5 == 0
        back = received + (due - received) * (1.2 if stuck else 0.4)
        finished = back + dt.timedelta(hours=3) if stuck else received + (due - received) * 0.8
        _returned_via_office(
            desk=desk,
            procedure=procedure,
            office=office,
            received=received,
            due=due,
            back=back,
            finished=finished,
            late=stuck,
            sent_after=dt.timedelta(hours=1),
        )

    def in_progress(*, used: float, returned: bool = False):
        received = START - dt.timedelta(days=10) * used
        dossier = make_dossier(
            desk=desk,
            procedure=procedure,
            status=DossierStatus.PROCESSING,
            received_at=received,
            due_at=received + dt.timedelta(days=10),
        )
        DossierLeg.objects.create(
            dossier=dossier,
            position=1,
            to_agency=office,
            to_desk=desk,
            started_at=received + dt.timedelta(hours=1),
            finished_at=received + dt.timedelta(days=3) if returned else None,
        )
        if returned:
            DossierLeg.objects.create(
                dossier=dossier,
                position=2,
                to_desk=desk,
                started_at=received + dt.timedelta(days=3),
            )
        return dossier

    early, stuck, back = (
        in_progress(used=0.25),
        in_progress(used=0.7),
        in_progress(used=0.7, returned=True),
    )
    model = lateness_train(now=START)
    assert lateness_score(now=START, model=model) == 3
    risk = {r.dossier_id: r for r in DossierRisk.objects.all()}
    assert risk[stuck.pk].risk > 0.6 > 0.3 > risk[early.pk].risk
    assert risk[back.pk].risk < 0.3
    reasons = {r["code"]: r for r in risk[stuck.pk].reasons}
    # The 4 stuck ones, among the few of the 20 still at the office after as long.
    assert reasons["similar"]["late"] == 4 and reasons["similar"]["of"] < 10
    assert reasons["step"]["holder"] == "Phòng Tài nguyên và Môi trường"
    assert reasons["step"]["days"] > reasons["step"]["usual"]
    assert stuck.due_at - START > dt.timedelta(days=2)


@pytest.mark.django_db
def test_escalation_scan_notifies_once_per_dossier_and_level_when_risk_stays_high(settings):
    settings.IOC_LEADER_AFTER_HOURS = 4
    district = make_unit()
    desk = make_desk(unit=district)
    head = make_user(role=Role.DESK_HEAD, desk=desk)
    leader = make_user(role=Role.LEADER, unit=district)
    dossier = _open(desk=desk, procedure=make_procedure())
    DossierRisk.objects.create(dossier=dossier, desk=desk, risk=0.9, scored_at=START)
    assert escalation_scan(now=START) == 1
    assert escalation_scan(now=START + dt.timedelta(hours=1)) == 0
    assert escalation_scan(now=START + dt.timedelta(hours=5)) == 1
    assert escalation_scan(now=START + dt.timedelta(hours=9)) == 0
    assert Escalation.objects.filter(dossier=dossier).count() == 2
    messages = OutboxMessage.objects.filter(handler="ioc.escalation_notify")
    assert messages.count() == 2
    for message in messages:
        escalation_notify_handler(message.payload)
        assert escalation_notify_handler(message.payload) == "skipped"  # a retried delivery
    assert list(Notification.objects.values_list("recipient", flat=True).order_by("pk")) == [
        head.pk,
        leader.pk,
    ]
    assert f"/ho-so/mot-cua/ho-so/{dossier.code}/" in Notification.objects.first().body


@pytest.mark.django_db
def test_escalation_scan_uses_the_desk_threshold_when_set():
    from ioc.models import DeskEscalationSetting

    desk = make_desk()
    dossier = _open(desk=desk, procedure=make_procedure())
    DossierRisk.objects.create(dossier=dossier, desk=desk, risk=0.7, scored_at=START)
    DeskEscalationSetting.objects.create(desk=desk, threshold=0.8)
    assert escalation_scan(now=START) == 0


@pytest.mark.django_db
def test_open_data_rows_suppresses_figures_when_fewer_than_five_dossiers():
    procedure = make_procedure()
    small, large = make_desk(name="Bàn nhỏ"), make_desk(name="Bàn lớn")
    _history(desk=small, procedure=procedure, ratio=0.5, count=MIN_COUNT - 1)
    _history(desk=large, procedure=procedure, ratio=0.5, count=MIN_COUNT)
    rows = {row["desk"]: row for row in open_data_rows(group="desk")}
    assert rows["Bàn nhỏ"]["suppressed"] and rows["Bàn nhỏ"]["on_time_rate"] is None
    assert rows["Bàn nhỏ"]["resolved"] is None
    assert rows["Bàn lớn"]["on_time_rate"] == 100.0 and rows["Bàn lớn"]["resolved"] == MIN_COUNT
    response = Client().get("/api/v1/open-data/desk.json")
    body = json.loads(response.content)
    assert response.status_code == 200 and body["licence"] == "CC BY 4.0"
    assert "applicant" not in response.content.decode()
    csv = Client().get("/api/v1/open-data/desk.csv").content.decode()
    assert "Bàn lớn,5,100.0" in csv and "Bàn nhỏ,,," in csv
    assert Client().get("/du-lieu-mo/").status_code == 200


@pytest.mark.django_db
def test_backtest_prints_recall_and_precision_when_run_on_generated_history():
    procedure = make_procedure()
    fast, slow = make_desk(), make_desk()
    _history(desk=fast, procedure=procedure, ratio=0.5)
    _history(desk=slow, procedure=procedure, ratio=1.6)
    # In the window: the slow desk's dossier ends late, the fast one's on time.
    for desk, ratio in ((fast, 0.5), (slow, 1.6)):
        received = START + dt.timedelta(days=2)
        due = received + dt.timedelta(days=8)
        make_dossier(
            desk=desk,
            procedure=procedure,
            status=DossierStatus.RETURNED,
            received_at=received,
            due_at=due,
            finished_at=received + (due - received) * ratio,
            outcome=DossierOutcome.LATE if ratio > 1 else DossierOutcome.ON_TIME,
        )
    result = backtest(as_of=START, days=30, threshold=0.5)
    assert (result.late, result.recall, result.precision) == (1, 100.0, 100.0)
    assert any("recall" in line and "precision" in line for line in result.lines())


@pytest.mark.django_db
def test_wall_data_lists_dossiers_at_risk_when_opened_by_a_leader():
    province = make_unit()
    desk = make_desk(unit=province)
    leader = make_user(role=Role.LEADER, unit=province)
    dossier = _open(desk=desk, procedure=make_procedure(), start=timezone.now())
    DossierRisk.objects.create(
        dossier=dossier,
        desk=desk,
        risk=0.95,
        scored_at=START,
        reasons=[{"code": "elapsed", "percent": 80}],
    )
    late = _open(desk=desk, procedure=make_procedure(), start=timezone.now() - dt.timedelta(days=9))
    DossierRisk.objects.create(dossier=late, desk=desk, risk=1.0, scored_at=START)
    client = Client()
    client.force_login(leader)
    assert client.get("/mot-cua/dieu-hanh/").status_code == 200
    data = client.get("/mot-cua/dieu-hanh/du-lieu.json").json()
    # Already late is not "at risk": the overdue dossier colours its desk instead.
    assert [row["code"] for row in data["at_risk"]] == [dossier.code]
    assert data["at_risk"][0]["risk"] == 95
    assert data["desks"][0]["state"] == "late"


@pytest.mark.django_db
def test_desk_queue_shows_the_at_risk_tab_and_sorts_by_risk_when_dossiers_are_scored():
    desk = make_desk()
    clerk = make_user(role=Role.CLERK, desk=desk)
    procedure = make_procedure()
    calm = _open(desk=desk, procedure=procedure, start=timezone.now())
    risky = _open(desk=desk, procedure=procedure, start=timezone.now())
    DossierRisk.objects.create(dossier=calm, desk=desk, risk=0.1, scored_at=START)
    DossierRisk.objects.create(
        dossier=risky,
        desk=desk,
        risk=0.8,
        scored_at=START,
        reasons=[{"code": "elapsed", "percent": 90}],
    )
    client = Client()
    client.force_login(clerk)
    page = client.get("/ho-so/mot-cua/?tab=at_risk").content.decode()
    assert "Có nguy cơ trễ hạn" in page and risky.code in page and calm.code not in page
    page = client.get("/ho-so/mot-cua/?tab=processing&sap_xep=risk").content.decode()
    assert page.index(risky.code) < page.index(calm.code) and "80%" in page
    detail = client.get(f"/ho-so/mot-cua/ho-so/{risky.code}/").content.decode()
    assert "data-lateness" in detail and "Đã dùng 90% thời gian giải quyết" in detail


@pytest.mark.django_db
def test_returns_count_documents_per_procedure_and_desk_when_supplements_were_requested(
    client,
):
    from dossiers.services.events import event_record
    from stats.selectors import StatsScope, stats_returns_by_document

    desk = make_desk(name="Bàn A")
    procedure = make_procedure()
    for items in (
        [{"document": "Giấy khai sinh", "reason": "mờ"}, {"document": "CCCD", "reason": "hết hạn"}],
        [{"document": "Giấy khai sinh", "reason": "thiếu dấu"}],
    ):
        dossier = _open(desk=desk, procedure=procedure)
        event_record(
            dossier=dossier,
            action="request_supplement",
            actor=None,
            from_status="processing",
            now=START,
            data={"items": items},
        )
    day = timezone.localtime(START).date()
    rows = stats_returns_by_document(scope=StatsScope(), date_from=day, date_to=day)
    assert [(r["document"], r["desk"], r["count"]) for r in rows] == [
        ("Giấy khai sinh", "Bàn A", 2),
        ("CCCD", "Bàn A", 1),
    ]
    admin = make_user(role=Role.ADMIN, is_superuser=True, is_staff=True)
    client.force_login(admin)
    export = client.get(
        "/mot-cua/thong-ke/xuat.csv",
        {"period": "custom", "date_from": f"{day:%d/%m/%Y}", "date_to": f"{day:%d/%m/%Y}"},
    )
    assert "Giấy khai sinh" in export.content.decode("utf-8-sig")


@pytest.mark.django_db
def test_desk_risks_page_lists_the_desk_dossiers_by_risk_when_a_clerk_opens_it():
    desk = make_desk()
    clerk = make_user(role=Role.CLERK, desk=desk)
    dossier = _open(desk=desk, procedure=make_procedure(), start=timezone.now())
    DossierRisk.objects.create(
        dossier=dossier, desk=desk, risk=0.75, scored_at=START, reasons=[{"code": "supplement"}]
    )
    client = Client()
    client.force_login(clerk)
    page = client.get("/mot-cua/nguy-co-tre-han/?tab=nguy-co").content.decode()
    assert dossier.code in page and "75%" in page
    assert "Đã yêu cầu bổ sung hồ sơ trong khi xử lý" in page
    citizen = make_user()
    client.force_login(citizen)
    assert client.get("/mot-cua/nguy-co-tre-han/").status_code == 403


def test_flags_recall_counts_only_the_eligible_late_when_asked():
    from ioc.backtest import Flags

    # Late: 1, 2 (eligible), 3 (allowed 2 working days or less: nothing can flag it 2 ahead).
    flags = Flags(flagged={1, 4}, late={1, 2, 3}, eligible={1, 2, 4, 5})
    assert (flags.recall_eligible, flags.recall, flags.precision) == (50.0, 33.3, 50.0)


@pytest.mark.django_db
def test_risk_list_and_queue_tab_use_the_desk_threshold_when_set(settings):
    from ioc.models import DeskEscalationSetting
    from ioc.provider import PROVIDER
    from ioc.selectors import risk_list
    from stats.selectors import StatsScope

    settings.IOC_ESCALATION_THRESHOLD = 0.6
    own, plain = make_desk(), make_desk()
    DeskEscalationSetting.objects.create(desk=own, threshold=0.3)
    on_own = _open(desk=own, procedure=make_procedure(), start=timezone.now())
    on_plain = _open(desk=plain, procedure=make_procedure(), start=timezone.now())
    for dossier, desk in ((on_own, own), (on_plain, plain)):
        DossierRisk.objects.create(dossier=dossier, desk=desk, risk=0.4, scored_at=START)
    listed = {r.dossier_id for r in risk_list(scope=StatsScope(), now=timezone.now())}
    assert listed == {on_own.pk}
    from dossiers.models import Dossier

    assert set(Dossier.objects.filter(PROVIDER.at_risk()).values_list("pk", flat=True)) == {
        on_own.pk
    }
    explained = PROVIDER.explain([on_own.pk, on_plain.pk])
    assert explained[on_own.pk]["at_risk"] and not explained[on_plain.pk]["at_risk"]


@pytest.mark.django_db
def test_escalation_scan_tells_the_unit_leader_at_once_when_the_desk_has_no_head(mailoutbox):
    from stats.models import ReminderKind

    district = make_unit()
    desk = make_desk(unit=district)
    leader = make_user(role=Role.LEADER, unit=district, email="lanhdao@example.vn")
    dossier = _open(desk=desk, procedure=make_procedure())
    DossierRisk.objects.create(dossier=dossier, desk=desk, risk=0.9, scored_at=START)
    assert escalation_scan(now=START) == 1
    escalation = Escalation.objects.get(dossier=dossier)
    assert escalation.level == "unit_leader"
    message = OutboxMessage.objects.get(handler="ioc.escalation_notify")
    assert escalation_notify_handler(message.payload) == "notified 1"
    notice = Notification.objects.get()
    assert notice.recipient_id == leader.pk and notice.kind == ReminderKind.ESCALATION
    assert [m.to for m in mailoutbox] == [["lanhdao@example.vn"]]


@pytest.mark.django_db
def test_backtest_flags_early_the_late_dossiers_of_a_desk_when_its_backlog_caused_them():
    """The cause is the desk's backlog: history where the desk's dossiers were late only while
    it was swamped; in the window it is swamped again and the dossier received then is late."""
    procedure = make_procedure()
    desk, calm = make_desk(), make_desk()
    for i in range(16):  # calm periods, at both desks: on time at 60 % of the allowed time
        received = START - dt.timedelta(days=200 - 10 * i)
        for where in (desk, calm):
            make_dossier(
                desk=where,
                procedure=procedure,
                status=DossierStatus.RETURNED,
                received_at=received,
                due_at=received + dt.timedelta(days=8),
                finished_at=received + dt.timedelta(days=4),
                outcome=DossierOutcome.ON_TIME,
            )

    def surge(at, count, late):
        for j in range(count):
            received = at + dt.timedelta(hours=j)
            done = {} if late == "open" else {"outcome": DossierOutcome.LATE}
            make_dossier(
                desk=desk,
                procedure=procedure,
                status=DossierStatus.RETURNED if late != "open" else DossierStatus.PROCESSING,
                received_at=received,
                due_at=received + dt.timedelta(days=8),
                finished_at=None if late == "open" else received + dt.timedelta(days=10),
                **done,
            )

    surge(START - dt.timedelta(days=40), 10, late=True)  # a past backlog: all late
    surge(START + dt.timedelta(days=1), 10, late="open")  # the backlog again, in the window
    result = backtest(as_of=START, days=20, threshold=0.5)
    assert result.eligible_late == 10
    assert (result.recall, result.precision) == (100.0, 100.0)


@pytest.mark.django_db
def test_wall_is_linked_from_the_header_and_dashboard_when_a_leader_is_signed_in():
    leader = make_user(role=Role.LEADER, unit=make_unit())
    clerk = make_user(role=Role.CLERK, desk=make_desk())
    client = Client()
    client.force_login(leader)
    assert client.get("/").content.decode().count("data-wall-link") == 1
    assert "data-wall-link" in client.get("/mot-cua/thong-ke/").content.decode()
    client.force_login(clerk)
    assert "data-wall-link" not in client.get("/").content.decode()


@pytest.mark.django_db
def test_backtest_flags_a_short_dossier_at_its_last_moment_when_the_morning_scan_is_too_early():
    """A 3-working-day dossier received on a Monday at 14:00 can be flagged 2 working days
    ahead only until Tuesday about 14:00. At the land office, 16 of 20 past dossiers came back
    by 25 % of their time; the 4 still there later were stuck and late. At Tuesday 10:00 the
    dossier is not yet past the usual time (risk as for anyone there); at its last moment it is,
    so only scoring then (live, the 15-minute scan does) flags it, and not the one back."""
    from dossiers.deadlines import add_working_minutes
    from ioc.services import HOURS, work_calendar

    procedure, desk = make_procedure(), make_desk()
    office = make_agency(unit=desk.unit, name="Phòng Tài nguyên và Môi trường")
    calendar = work_calendar(START - dt.timedelta(days=200), START + dt.timedelta(days=60))
    allowed = 3 * 450

    def after(moment, minutes):
        return add_working_minutes(start=moment, minutes=minutes, hours=HOURS, calendar=calendar)

    def dossier(received, *, stuck: bool):
        due = after(received, allowed)
        back = after(received, int(allowed * (1.2 if stuck else 0.25)))
        finished = after(back, 60) if stuck else after(received, int(allowed * 0.6))
        return _returned_via_office(
            desk=desk,
            procedure=procedure,
            office=office,
            received=received,
            due=due,
            back=back,
            finished=finished,
            late=stuck,
            sent_after=dt.timedelta(minutes=30),
        )

    monday = (START - dt.timedelta(days=2)).replace(hour=14)
    for i in range(20):
        dossier(monday - dt.timedelta(days=7 * (9 + i)), stuck=i % 5 == 0)
    late = dossier(monday + dt.timedelta(days=7), stuck=True)
    dossier(monday + dt.timedelta(days=7), stuck=False)
    morning = backtest(as_of=START, days=20, threshold=0.5)
    last = backtest(as_of=START, days=20, threshold=0.5, last_moment=True)
    assert morning.eligible == last.eligible == 2 and morning.late == 1
    assert morning.peaks[late.pk] < 0.5 and morning.model.flagged == set()
    assert last.model.flagged == {late.pk} and (last.recall, last.precision) == (100.0, 100.0)


def test_choose_threshold_skips_a_thin_precision_when_tuning():
    """At 0.35 precision is 54 % of 56 flags (recall 100 %); from 0.55 to 0.8 it is 60 % of the
    same 50 flags (recall 100 %): the better F1. Of thresholds with the same flags on the
    tuning window, the higher is chosen; the earlier rule (50 % with 90 % confidence) picked
    the lowest of them."""
    from ioc.backtest import (
        BacktestResult,
        Flags,
        choose_threshold,
        choose_threshold_confident,
        precision_floor,
    )

    late = set(range(30))
    peaks = {pk: 0.8 for pk in range(50)}  # 30 late, 20 on time
    peaks |= {pk: 0.5 for pk in range(100, 106)}  # 6 on time
    peaks |= {pk: 0.2 for pk in range(200, 300)}  # 100 on time
    model = Flags(set(), late, set(peaks))
    result = BacktestResult(0, 0, 30, 30, 0, model, model, model, peaks=peaks)
    assert result.at(0.35).precision > 50 > precision_floor(result.at(0.35))
    assert precision_floor(result.at(0.55)) > 50
    assert choose_threshold(result) == 0.8
    assert choose_threshold_confident(result) == 0.55


def test_choose_threshold_prefers_the_best_f1_when_only_a_thin_tail_is_surely_precise():
    """On a tuning window (35 late), 0.8 flags 24 (16 late: 67 %, recall 46 %) and 0.5 flags 51
    (27 late: 53 %, recall 77 %). Only the thin tail's precision is 50 % with 90 % confidence;
    both reach 50 %, and 0.5 has the better F1: it is chosen."""
    from ioc.backtest import BacktestResult, Flags, choose_threshold, precision_floor

    late = set(range(16)) | set(range(100, 111)) | set(range(200, 208))
    peaks = {pk: 0.85 for pk in range(24)}  # 16 late, 8 on time
    peaks |= {pk: 0.5 for pk in range(100, 127)}  # 11 late, 16 on time
    peaks |= {pk: 0.1 for pk in range(200, 208)}  # 8 late, not flagged
    model = Flags(set(), late, set(peaks))
    result = BacktestResult(0, 0, 35, 35, 0, model, model, model, peaks=peaks)
    assert precision_floor(result.at(0.8)) > 50 > precision_floor(result.at(0.5))
    assert result.at(0.5).precision > 50
    assert choose_threshold(result) == 0.5


@pytest.mark.django_db
def test_lateness_score_uses_the_leg_due_when_the_agency_has_overrun_it():
    """The control slip gives each agency leg its due. History at the land office: 16 of 20
    dossiers came back at 90 % of their leg's time (legs due at 30 % or at 70 % of the dossier's
    time) and were on time; 4 overran their leg and came back after the appointment. Half-way
    through its time, a dossier whose leg was due at 30 % has overrun it: at risk; one whose leg
    is due at 70 % has not: as risky as anyone there. In shares of the dossier's time alone
    (without the leg's due) both look the same."""
    from dossiers.deadlines import add_working_minutes
    from ioc.services import HOURS, work_calendar

    now = START + dt.timedelta(days=35)  # a Wednesday of October, a week without days off
    procedure, desk = make_procedure(), make_desk()
    office = make_agency(unit=desk.unit, name="Phòng Tài nguyên và Môi trường")
    calendar = work_calendar(now - dt.timedelta(days=400), now + dt.timedelta(days=60))
    allowed = 10 * 450

    def after(moment, share):
        return add_working_minutes(
            start=moment, minutes=int(allowed * share), hours=HOURS, calendar=calendar
        )

    def with_leg(dossier, *, received, leg_share, back=None):
        DossierLeg.objects.create(
            dossier=dossier,
            position=1,
            to_agency=office,
            to_desk=desk,
            started_at=received,
            due_at=after(received, leg_share),
            finished_at=back,
        )
        if back is not None:
            DossierLeg.objects.create(
                dossier=dossier, position=2, to_desk=desk, started_at=back, finished_at=back
            )

    for i in range(20):
        received = now - dt.timedelta(days=40 + 14 * i)
        leg_share = 0.3 if i % 2 else 0.7
        stuck = i % 5 == 0
        back = after(received, 1.2 if stuck else 0.9 * leg_share)
        finished = back + dt.timedelta(hours=1) if stuck else after(received, 0.95)
        dossier = make_dossier(
            desk=desk,
            procedure=procedure,
            status=DossierStatus.RETURNED,
            received_at=received,
            due_at=after(received, 1.0),
            finished_at=finished,
            outcome=DossierOutcome.LATE if stuck else DossierOutcome.ON_TIME,
        )
        with_leg(dossier, received=received, leg_share=leg_share, back=back)

    def in_progress(leg_share):
        received = now - dt.timedelta(days=7)  # 5 working days of 10: half its time
        dossier = make_dossier(
            desk=desk,
            procedure=procedure,
            status=DossierStatus.PROCESSING,
            received_at=received,
            due_at=after(received, 1.0),
        )
        with_leg(dossier, received=received, leg_share=leg_share)
        return dossier

    overrun, within = in_progress(0.3), in_progress(0.7)
    model = lateness_train(now=now)
    assert lateness_score(now=now, model=model) == 2
    risk = {r.dossier_id: r for r in DossierRisk.objects.all()}
    assert risk[overrun.pk].risk > 0.7 > 0.3 > risk[within.pk].risk
    step = {r["code"]: r for r in risk[overrun.pk].reasons}["step"]
    assert step["holder"] == "Phòng Tài nguyên và Môi trường" and step["days"] > step["usual"]


@pytest.mark.django_db
def test_dues_as_known_keeps_the_earlier_dues_when_the_supplement_came_after_the_moment(settings):
    """A supplement asked during processing pushes the appointment and the open leg's due back
    when the citizen submits it; the backtest scores a moment before that with the dues then."""
    from dossiers.services import (
        dossier_request_supplement,
        dossier_start_processing,
        dossier_submit_supplement,
    )
    from ioc.backtest import DuesAsKnown
    from ioc.services import legs_by_dossier
    from tests.dossiers.engine_world import MONDAY, make_world, pdf, received

    settings.DOSSIER_SUPPLEMENT_CLOCK_DEFAULT = "pause"
    hour = dt.timedelta(hours=1)
    world = make_world()
    dossier = received(world, now=MONDAY)
    leg_due = MONDAY + dt.timedelta(days=2)
    dossier = dossier_start_processing(
        dossier_id=dossier.pk, actor=world.clerk, now=MONDAY + hour, leg_due_at=leg_due
    )
    due = dossier.due_at
    dossier_request_supplement(
        dossier_id=dossier.pk,
        actor=world.specialist,
        items=[{"document": "Tờ khai", "reason": "Sai mẫu"}],
        now=MONDAY + 2 * hour,
    )
    submitted = MONDAY + dt.timedelta(days=1, hours=2)
    dossier = dossier_submit_supplement(
        dossier_id=dossier.pk, actor=world.citizen, documents=[pdf()], now=submitted
    )
    window = type(dossier).objects.filter(pk=dossier.pk)
    legs = legs_by_dossier(window)[dossier.pk]
    assert dossier.due_at > due and legs[0][4] > leg_due  # both pushed back, in the rows
    known = DuesAsKnown(window)
    before = known.at(dossier.pk, due=dossier.due_at, legs=legs, moment=submitted - hour)
    after = known.at(dossier.pk, due=dossier.due_at, legs=legs, moment=submitted + hour)
    assert before[0] == due and before[1][0][4] == leg_due
    assert after[0] == dossier.due_at and after[1][0][4] == legs[0][4]
