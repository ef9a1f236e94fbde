"""Test settings: the real settings, made fast and deterministic."""

import os

os.environ.setdefault("DJANGO_DEBUG", "true")

from portal.settings import *  # noqa: E402,F403
from portal.settings import BASE_DIR  # noqa: E402

PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
SMS_BACKEND = "accounts.sms.MemorySmsBackend"
# Unit tests run tasks in-process; the integration suite (marker celery_worker) uses a real worker.
CELERY_TASK_ALWAYS_EAGER = True
# Side effects delivered in the caller, so a test sees them right after the request
# (tests/outbox checks the default "thread" mode on its own).
OUTBOX_EAGER_DELIVERY = "inline"
CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
MEDIA_ROOT = BASE_DIR / "var" / "test-media"
SYNC_ENDPOINT_URL = ""  # tests that sync point it at the stand-in on a live server
# The catalog cache is off in tests, except where a test turns it on to check it.
CATALOG_CACHE_SECONDS = 0
STATS_CACHE_SECONDS = 0
