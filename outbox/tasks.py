"""Delivery of outbox rows: one small task per row, a beat sweep that hands out the due ones, and
the request for delivery that publishing schedules after commit."""

import logging
import queue
import threading
import time

from celery import current_app, shared_task
from celery.signals import worker_ready
from django.conf import settings
from django.db import OperationalError, connections
from django.utils import timezone

from outbox.delivery import outbox_deliver_batch, outbox_due_ids

logger = logging.getLogger(__name__)
# Rows per delivery task: a change's few handlers go in one; the sweep's backlog is spread over
# several tasks so that more than one worker process can take part.
DELIVERY_BATCH = 20
# Other due rows a delivery task takes besides its own: during a burst the first task to run
# delivers the changes committed meanwhile together (one rollup rebuild per desk and day, one
# sync record for all), and the tasks they asked for find nothing left to do.
COALESCE_DUE = 100
# Rows per claim of the broker-less delivery thread (what a burst of requests queued for it).
BACKGROUND_BATCH = 100
# Set (in the broker's Redis) while a change's delivery task is scheduled and has not started:
# the changes committed meanwhile publish no task of their own (that task takes their rows). It
# expires by itself should that task never start; then the next change publishes again.
SCHEDULED_FLAG = "outbox:delivery-scheduled"
SCHEDULED_FLAG_MS = 2000
_flag_client = None


@shared_task(autoretry_for=(OperationalError,), retry_backoff=2, max_retries=5, ignore_result=True)
def outbox_deliver_task(message_ids: list[int], keys: list[str] | None = None) -> list[str]:
    """Deliver these rows (named by id, or by key as a committed change publishes them) and up to
    COALESCE_DUE other due rows, claimed together and run in order: at most one task per
    committed change (one broker publish, not one per handler, which cost a submission about
    8 ms; none while another change's task waits, see outbox_request_delivery); a change's task
    first waits OUTBOX_GATHER_SECONDS for the burst's next changes. A rerun finds rows sent or
    held and skips them; a row that fails stays pending with its backoff while the others go
    on. Returns the outcome of each id asked for ('skipped' when not claimed), then of each
    other row claimed."""
    if keys and not current_app.conf.task_always_eager:
        time.sleep(settings.OUTBOX_GATHER_SECONDS)  # the burst's next changes publish no task
    _clear_scheduled()  # before claiming: a change committed from now on schedules a new task
    outcomes = outbox_deliver_batch(
        message_ids=message_ids, keys=keys or (), now=timezone.now(), also_due=COALESCE_DUE
    )
    by_id = [outcomes.pop(message_id, "skipped") for message_id in message_ids]
    others = list(outcomes.values())
    # A full claim may have left due rows behind, and the changes that published no task count
    # on this one: claim on until a claim comes back short.
    while len(outcomes) >= COALESCE_DUE:
        outcomes = outbox_deliver_batch(now=timezone.now(), also_due=COALESCE_DUE)
        others += outcomes.values()
    return by_id + others


@shared_task(ignore_result=True)
def outbox_sweep_task() -> int:
    """Periodic: request delivery of every due row (after a broker outage, a crashed worker, a
    failed handler's backoff)."""
    ids = outbox_due_ids(now=timezone.now())
    outbox_request_delivery(message_ids=ids)
    return len(ids)


@worker_ready.connect
def _sweep_when_a_worker_starts(**_kwargs) -> None:
    """A worker that starts (after a crash too) hands out what is due at once: a change whose
    task was lost with a killed worker, or that published none (SCHEDULED_FLAG), does not wait
    for beat's next sweep."""
    outbox_sweep_task.delay()


def outbox_request_delivery(
    *, message_ids: list[int] | None = None, keys: list[str] | None = None
) -> None:
    """Ask a worker to deliver these rows (its task also takes the other due rows). While a
    change's task waits in the queue, the changes committed meanwhile publish none of their own
    (SCHEDULED_FLAG): when the worker is busy, a burst's side effects go in one claim. A broker
    that is down costs at most the short publish timeout: the sweep delivers them later.
    Without a broker (Celery eager) the rows are delivered by a short-lived thread of this
    process, so the request that published them answers without waiting for its side effects
    (OUTBOX_EAGER_DELIVERY="thread", the default), or inline in the caller ("inline": unit
    tests, which check the effects right after)."""
    message_ids, keys = list(message_ids or []), list(keys or [])
    if current_app.conf.task_always_eager and settings.OUTBOX_EAGER_DELIVERY == "thread":
        _background_queue.put((message_ids, keys))
        _ensure_background_thread()
        return
    if keys and not message_ids and not _schedule():
        return  # the scheduled task, not started yet, will claim these committed rows too
    # Keys go to the task as they are: the worker claims the rows by key (no look-up here).
    batches = [
        ([], keys[start : start + DELIVERY_BATCH]) for start in range(0, len(keys), DELIVERY_BATCH)
    ]
    batches += [
        (message_ids[start : start + DELIVERY_BATCH], [])
        for start in range(0, len(message_ids), DELIVERY_BATCH)
    ]
    for ids, named in batches:
        try:
            outbox_deliver_task.apply_async(args=[ids, named], retry=False, ignore_result=True)
        except Exception:  # any broker failure: the rows are safe in the database
            logger.warning(
                "Outbox messages %s left for the sweep (broker unavailable).", ids or named
            )
            return


def _redis():
    """The broker's Redis for SCHEDULED_FLAG (None when tasks run eagerly, with no queue to wait
    in, or when the broker is something else)."""
    global _flag_client
    if current_app.conf.task_always_eager:
        return None
    if _flag_client is None and settings.CELERY_BROKER_URL.startswith(("redis://", "rediss://")):
        import redis

        _flag_client = redis.Redis.from_url(
            settings.CELERY_BROKER_URL, socket_connect_timeout=1, socket_timeout=1
        )
    return _flag_client


def _schedule() -> bool:
    """Whether this change must publish a delivery task: no when one is scheduled and has not
    started (it claims after clearing the flag, so this change's rows, committed before this
    call, are due by then). A Redis error answers yes: one task too many is harmless."""
    client = _redis()
    if client is None:
        return True
    try:
        return bool(client.set(SCHEDULED_FLAG, "1", nx=True, px=SCHEDULED_FLAG_MS))
    except Exception:  # the publish that follows fails the same way, and says so
        return True


def _clear_scheduled() -> None:
    client = _redis()
    if client is not None:
        try:
            client.delete(SCHEDULED_FLAG)
        except Exception:  # the flag expires by itself
            logger.warning("Outbox: could not clear the delivery flag.", exc_info=True)


# Without a broker: one delivery thread per process, started on demand and gone when idle. A
# thread per request made every request's thread try to claim every due row during a burst.
_background_queue: queue.Queue[tuple[list[int], list[str]]] = queue.Queue()
_background_thread: threading.Thread | None = None
_background_lock = threading.Lock()
BACKGROUND_IDLE_SECONDS = 2.0
BACKGROUND_SWEEP_SECONDS = 30.0


def _ensure_background_thread() -> None:
    global _background_thread
    with _background_lock:
        if _background_thread is None or not _background_thread.is_alive():
            _background_thread = threading.Thread(
                target=_deliver_in_background, name="outbox-delivery", daemon=True
            )
            _background_thread.start()


def _deliver_in_background() -> None:
    """The eager-mode delivery thread, with its own database connection. It delivers what the
    requests of this process published, in the order they committed, and sweeps other due rows
    when it starts and every BACKGROUND_SWEEP_SECONDS (a handler's backoff is over, the process
    stopped last time), so `make run` needs no beat either. A row it cannot deliver stays
    pending. It stops after BACKGROUND_IDLE_SECONDS without work."""
    global _background_thread
    swept_at = None
    try:
        while True:
            try:
                requests = [_background_queue.get(timeout=BACKGROUND_IDLE_SECONDS)]
            except queue.Empty:
                with _background_lock:
                    if _background_queue.empty():
                        _background_thread = None
                        return
                continue
            time.sleep(settings.OUTBOX_GATHER_SECONDS)  # let the burst's other changes arrive
            while not _background_queue.empty():
                requests.append(_background_queue.get_nowait())
            ids = [i for message_ids, _keys in requests for i in message_ids]
            keys = list(dict.fromkeys(k for _ids, keys in requests for k in keys))
            now = time.monotonic()
            if swept_at is None or now - swept_at >= BACKGROUND_SWEEP_SECONDS:
                ids += outbox_due_ids(now=timezone.now(), limit=BACKGROUND_BATCH)
                swept_at = now
            ids = list(dict.fromkeys(ids))
            # All that was queued, claimed BACKGROUND_BATCH rows at a time (a burst of changes
            # to the same desk and day refreshes its rollup once: see outbox.registry `batch`).
            chunks = [
                ([], keys[s : s + BACKGROUND_BATCH]) for s in range(0, len(keys), BACKGROUND_BATCH)
            ]
            chunks += [
                (ids[s : s + BACKGROUND_BATCH], []) for s in range(0, len(ids), BACKGROUND_BATCH)
            ]
            for chunk_ids, chunk_keys in chunks:
                try:
                    outbox_deliver_batch(message_ids=chunk_ids, keys=chunk_keys)
                except Exception:  # the rows stay pending (their claim expires)
                    logger.exception(
                        "Outbox messages %s left for a later delivery.", chunk_ids or chunk_keys
                    )
    finally:
        connections.close_all()  # this thread's connections only
