"""The failed-login counters live in Redis in production, shared by every web worker."""

import datetime
import os
import uuid

import pytest
from django.utils import timezone

from accounts.services import LoginThrottledError, login_failure_record, login_throttle_check


@pytest.fixture
def redis_cache(settings):
    import redis

    prefix = f"test-throttle-{uuid.uuid4().hex}"
    settings.CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": os.environ["REDIS_URL"],
            "KEY_PREFIX": prefix,
        }
    }
    client = redis.Redis.from_url(os.environ["REDIS_URL"])
    yield client, prefix
    keys = list(client.scan_iter(f"{prefix}:*"))
    if keys:
        client.delete(*keys)


@pytest.mark.redis
@pytest.mark.django_db  # the identifier is resolved to its account first
def test_login_throttle_check_refuses_when_failures_are_counted_in_redis(redis_cache, settings):
    client, prefix = redis_cache
    settings.LOGIN_FAILURE_LIMIT = 3
    settings.LOGIN_FAILURE_WINDOW_SECONDS = 600
    now = timezone.now()
    for _ in range(3):
        login_failure_record(identifier="Demo.Citizen", ip="10.1.2.3", now=now)
    assert list(client.scan_iter(f"{prefix}:*"))  # stored in the server, not in the process
    ttl = max(client.ttl(key) for key in client.scan_iter(f"{prefix}:*"))
    assert 0 < ttl <= 600
    with pytest.raises(LoginThrottledError) as error:
        login_throttle_check(identifier="demo.citizen", ip=None, now=now)
    expected = now + datetime.timedelta(seconds=600)
    assert abs(error.value.retry_at - expected) < datetime.timedelta(seconds=1)
    login_throttle_check(identifier="someone.else", ip="10.9.9.9", now=now)
