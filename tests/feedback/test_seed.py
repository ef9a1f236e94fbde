import io

import pytest

from accounts.models import Role
from feedback import seed_feedback
from feedback.models import Feedback, FeedbackOutcome
from tests.factories import make_desk, make_unit, make_user

pytestmark = pytest.mark.django_db


def test_seed_feedback_run_adds_demo_items_once_when_run_twice():
    desk = make_desk(unit=make_unit(code="26508"))
    make_user(role=Role.CLERK, desk=desk, username="demo.clerk.commune")

    seed_feedback.run(io.StringIO())
    seed_feedback.run(io.StringIO())

    assert Feedback.objects.filter(desk=desk).count() == len(seed_feedback.ITEMS)
    outcomes = set(Feedback.objects.values_list("outcome", flat=True))
    assert {FeedbackOutcome.ON_TIME, FeedbackOutcome.LATE, ""} <= outcomes
    assert Feedback.objects.filter(published_at__isnull=False).count() == 2


def test_seed_feedback_run_routes_demo_items_to_the_specialists_agency_when_specialist_exists():
    from tests.factories import make_agency, make_procedure, make_sector

    desk = make_desk(unit=make_unit(code="26508"))
    make_user(role=Role.CLERK, desk=desk, username="demo.clerk.commune")
    district = make_unit(code="747")
    district_desk = make_desk(unit=district)
    sector = make_sector()
    agency = make_agency(unit=district, name="Phòng Tài nguyên và Môi trường")
    agency.sectors.add(sector)
    make_procedure(sector=sector)
    specialist = make_user(role=Role.SPECIALIST, agency=agency, username="demo.specialist")

    seed_feedback.run(io.StringIO())

    routed = Feedback.objects.filter(agency=agency)
    assert routed.count() == 2 and {item.desk for item in routed} == {district_desk}
    assert routed.filter(answered_by=specialist).count() == 1
    assert routed.filter(status="received").count() == 1
