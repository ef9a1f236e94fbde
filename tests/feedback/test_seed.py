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
