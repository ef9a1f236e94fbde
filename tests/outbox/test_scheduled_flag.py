"""With a broker: while one change's delivery task waits in the queue, the changes committed
meanwhile publish no task of their own; the waiting task, once it runs, takes their rows too.
Real Redis as the broker, no worker (the test runs the task itself, as a worker would)."""

import pytest
import redis
from django.conf import settings

from outbox.models import OutboxMessage, OutboxStatus
from outbox.registry import subscribe
from outbox.services import outbox_publish
from outbox.tasks import SCHEDULED_FLAG, outbox_deliver_task, outbox_request_delivery
from portal.celery import app

pytestmark = [pytest.mark.redis, pytest.mark.django_db]
EVENT = "tests.scheduled_flag"
handled: list[dict] = []
subscribe(EVENT, "tests.flag_handler", handled.append, idempotent=True)


@pytest.fixture
def broker():
    """Tasks published to the real broker (not run eagerly); its queue and flag emptied."""
    client = redis.Redis.from_url(settings.CELERY_BROKER_URL)
    previous = app.conf.task_always_eager
    app.conf.task_always_eager = False
    app.control.purge()
    client.delete(SCHEDULED_FLAG)
    try:
        yield client
    finally:
        app.control.purge()
        client.delete(SCHEDULED_FLAG)
        app.conf.task_always_eager = previous


def _change(n: int) -> list[str]:
    outbox_publish(event=EVENT, payload={"n": n}, key=f"flag:{n}")
    keys = [f"flag:{n}:tests.flag_handler"]
    outbox_request_delivery(keys=keys)  # what the change's on-commit callback does
    return keys


def test_outbox_request_delivery_publishes_once_while_a_task_waits_when_changes_follow(broker):
    handled.clear()
    first = _change(1)
    _change(2), _change(3)
    assert broker.llen("celery") == 1  # one task for the three changes
    assert outbox_deliver_task(message_ids=[], keys=first) == ["sent"] * 3
    assert sorted(p["n"] for p in handled) == [1, 2, 3]
    assert not broker.exists(SCHEDULED_FLAG)  # cleared when the task started
    _change(4)
    assert broker.llen("celery") == 2  # a change after that asks for a task again
    assert OutboxMessage.objects.filter(status=OutboxStatus.PENDING).count() == 1
