"""The portal's only settings module. Deployments differ by environment variables (see README)."""

import os
from pathlib import Path

import dj_database_url
from celery.schedules import crontab
from django.core.exceptions import ImproperlyConfigured

BASE_DIR = Path(__file__).resolve().parent.parent


def env_bool(name: str, default: bool) -> bool:
    value = os.environ.get(name)
    if value is None or value == "":
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def env_list(name: str, default: str = "") -> list[str]:
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


# Off unless asked for: `make run` and the test settings turn it on explicitly.
DEBUG = env_bool("DJANGO_DEBUG", False)
SECRET_KEY = os.environ.get("DJANGO_SECRET_KEY", "")
if not SECRET_KEY:
    if not DEBUG:
        raise ImproperlyConfigured("DJANGO_SECRET_KEY must be set when DJANGO_DEBUG is off.")
    SECRET_KEY = "dev-only-insecure-key-do-not-use-in-production"

ALLOWED_HOSTS = env_list("DJANGO_ALLOWED_HOSTS", "localhost,127.0.0.1,[::1]" if DEBUG else "")
CSRF_TRUSTED_ORIGINS = env_list("DJANGO_CSRF_TRUSTED_ORIGINS")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "rest_framework",
    "rest_framework.authtoken",
    "django_filters",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "django_fsm",
    "csp",
    # The portal's own apps, bottom layer first: each imports only the ones above it in this list
    # (tests/test_layers.py keeps it so).
    "outbox",
    "procedures",
    "onestop",
    "accounts",
    "dossiers",
    "stats",
    # Feature apps, between the statistics and the portal shell.
    "assistant",
    "feedback",
    "payments",
    "sync",
    "ioc",
    "portal",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "portal.middleware.NulCharacterMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "portal.middleware.SiteLanguageMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "portal.middleware.CSPMiddleware",
    # Before any view or CSRF check parses the body: oversized uploads are refused unread.
    "dossiers.middleware.UploadSizeLimitMiddleware",
]

ROOT_URLCONF = "portal.urls"
WSGI_APPLICATION = "portal.wsgi.application"
ASGI_APPLICATION = "portal.asgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "django.template.context_processors.i18n",
                "portal.context_processors.site",
            ],
        },
    },
]

# Embedded default: a SQLite file, so `make run` needs no database server.
DATABASES = {
    "default": dj_database_url.parse(
        os.environ.get("DATABASE_URL", f"sqlite:///{BASE_DIR / 'var' / 'portal.sqlite3'}"),
        conn_max_age=int(os.environ.get("DATABASE_CONN_MAX_AGE", "60")),
        conn_health_checks=True,
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    (BASE_DIR / "var").mkdir(exist_ok=True)
    DATABASES["default"]["CONN_MAX_AGE"] = 0
    # Parallel kiosks, clerks and citizens queue for the write lock instead of failing with
    # "database is locked": writers take it when their transaction begins (IMMEDIATE), not after
    # reading; WAL lets readers go on while one writes; wait up to `timeout` seconds for it.
    DATABASES["default"].setdefault("OPTIONS", {}).update(
        {
            "timeout": int(os.environ.get("SQLITE_TIMEOUT_SECONDS", "20")),
            "transaction_mode": "IMMEDIATE",
            "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
        }
    )
# The hot reads' SQL prepared once per connection (procedures.compiled); false behind a pooler in
# transaction mode, which hands one session's prepared statements to other clients.
DATABASE_PREPARED_STATEMENTS = env_bool("DATABASE_PREPARED_STATEMENTS", True)
# A PostgreSQL streaming replica for statistics, exports and the dashboard (docs/deployment.md).
if os.environ.get("DATABASE_REPLICA_URL"):
    DATABASES["replica"] = dj_database_url.parse(
        os.environ["DATABASE_REPLICA_URL"],
        conn_max_age=int(os.environ.get("DATABASE_CONN_MAX_AGE", "60")),
        conn_health_checks=True,
    )
    # Tests use the primary's test database for both aliases.
    DATABASES["replica"]["TEST"] = {"MIRROR": "default"}
    DATABASE_ROUTERS = ["portal.db_router.ReplicaRouter"]
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = [
    "accounts.auth_backends.IdentifierBackend",
    # Object permissions the desk floor asks about a desk (onestop.permissions).
    "accounts.auth_backends.ScopeBackend",
    # Sessions of people who signed in with VNeID or the staff provider (accounts.oidc).
    "accounts.auth_backends.OidcBackend",
]
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "home"
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
# Failed logins per identifier (and per client address) within the window before refusing.
LOGIN_FAILURE_LIMIT = int(os.environ.get("LOGIN_FAILURE_LIMIT", "5"))
LOGIN_FAILURE_WINDOW_SECONDS = int(os.environ.get("LOGIN_FAILURE_WINDOW_SECONDS", "900"))
# One address may serve a whole office (NAT): its own, higher limit.
LOGIN_FAILURE_IP_LIMIT = int(os.environ.get("LOGIN_FAILURE_IP_LIMIT", "20"))
# Reverse proxies whose X-Forwarded-For is believed (IPs or CIDRs); none by default, so the
# connecting address is the client (onestop.client_address).
TRUSTED_PROXIES = env_list("DJANGO_TRUSTED_PROXIES")
# Public lookup: wrong verifiers allowed per dossier code per window, whoever asks.
LOOKUP_CODE_FAILURE_LIMIT = int(os.environ.get("LOOKUP_CODE_FAILURE_LIMIT", "10"))
LOOKUP_CODE_WINDOW_SECONDS = int(os.environ.get("LOOKUP_CODE_WINDOW_SECONDS", "3600"))
# Registration attempts per client address per window (the form says whether a CCCD is taken).
REGISTRATION_LIMIT = int(os.environ.get("REGISTRATION_LIMIT", "10"))
REGISTRATION_WINDOW_SECONDS = int(os.environ.get("REGISTRATION_WINDOW_SECONDS", "3600"))
# API tokens expire this many days after they were issued.
API_TOKEN_LIFETIME_DAYS = int(os.environ.get("API_TOKEN_LIFETIME_DAYS", "30"))

# Sign-in with OpenID Connect (accounts.oidc, docs/oidc.md): VNeID for citizens and businesses,
# the province's identity provider for staff. A provider without a discovery URL and client id
# is off (no button on the login page).
OIDC_PROVIDERS = {
    name: {
        "discovery_url": os.environ.get(f"OIDC_{prefix}_DISCOVERY_URL", ""),
        "client_id": os.environ.get(f"OIDC_{prefix}_CLIENT_ID", ""),
        "client_secret": os.environ.get(f"OIDC_{prefix}_CLIENT_SECRET", ""),
        "scope": os.environ.get(f"OIDC_{prefix}_SCOPE", "openid profile"),
        "cccd_claim": os.environ.get(f"OIDC_{prefix}_CCCD_CLAIM", "cccd"),
        "verified_claim": os.environ.get(f"OIDC_{prefix}_VERIFIED_CLAIM", "cccd_verified"),
    }
    for name, prefix in (("vneid", "VNEID"), ("staff", "STAFF"))
}
OIDC_TIMEOUT_SECONDS = int(os.environ.get("OIDC_TIMEOUT_SECONDS", "10"))

LANGUAGE_CODE = "vi"
LANGUAGES = [("vi", "Tiếng Việt"), ("en", "English")]
LOCALE_PATHS = [BASE_DIR / "locale"]
# dd/mm/yyyy everywhere in the UI, whatever the language.
FORMAT_MODULE_PATH = ["portal.formats"]
TIME_ZONE = os.environ.get("TIME_ZONE", "Asia/Ho_Chi_Minh")
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = Path(os.environ.get("STATIC_ROOT", BASE_DIR / "staticfiles"))
STATICFILES_DIRS = [BASE_DIR / "static"]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"
        if DEBUG
        else "whitenoise.storage.CompressedManifestStaticFilesStorage"
    },
}
# Several web hosts: uploads in an S3-compatible store (django-storages, `pip install
# ".[s3]"`), off by default; credentials from AWS_ACCESS_KEY_ID / AWS_SECRET_ACCESS_KEY.
if os.environ.get("MEDIA_S3_BUCKET"):
    STORAGES["default"] = {
        "BACKEND": "storages.backends.s3.S3Storage",
        "OPTIONS": {
            "bucket_name": os.environ["MEDIA_S3_BUCKET"],
            "endpoint_url": os.environ.get("MEDIA_S3_ENDPOINT_URL") or None,
            "region_name": os.environ.get("MEDIA_S3_REGION") or None,
            "default_acl": None,
            "querystring_auth": True,
            "file_overwrite": False,
        },
    }
# Uploaded dossier documents: outside the static root, served only through permission checks.
MEDIA_ROOT = Path(os.environ.get("MEDIA_ROOT", BASE_DIR / "var" / "media"))
MEDIA_URL = "/media-not-served/"
DOCUMENT_MAX_BYTES = int(os.environ.get("DOCUMENT_MAX_BYTES", str(10 * 1024 * 1024)))
DOSSIER_MAX_BYTES = int(os.environ.get("DOSSIER_MAX_BYTES", str(50 * 1024 * 1024)))
DATA_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
# Uploads stream to temporary files unless the whole request is this small (up to 100 files of
# 10 MB must not sit in memory); dossiers.middleware refuses bodies over DOSSIER_MAX_BYTES.
FILE_UPLOAD_MAX_MEMORY_SIZE = int(os.environ.get("FILE_UPLOAD_MAX_MEMORY_SIZE", str(256 * 1024)))
FILE_UPLOAD_TEMP_DIR = os.environ.get("FILE_UPLOAD_TEMP_DIR") or None

EMAIL_BACKEND = os.environ.get("EMAIL_BACKEND", "django.core.mail.backends.console.EmailBackend")
EMAIL_HOST = os.environ.get("EMAIL_HOST", "localhost")
EMAIL_PORT = int(os.environ.get("EMAIL_PORT", "25"))
EMAIL_HOST_USER = os.environ.get("EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = os.environ.get("EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS", False)
DEFAULT_FROM_EMAIL = os.environ.get("DEFAULT_FROM_EMAIL", "Cổng Dịch vụ công <noreply@localhost>")
SMS_BACKEND = os.environ.get("SMS_BACKEND", "accounts.sms.LoggingSmsBackend")

# Redis: broker, result backend and shared cache. Without it Celery runs tasks in-process.
REDIS_URL = os.environ.get("REDIS_URL", "")
CELERY_BROKER_URL = os.environ.get("CELERY_BROKER_URL", REDIS_URL)
CELERY_RESULT_BACKEND = os.environ.get("CELERY_RESULT_BACKEND", REDIS_URL)
CELERY_TASK_ALWAYS_EAGER = env_bool("CELERY_TASK_ALWAYS_EAGER", not CELERY_BROKER_URL)
CELERY_TASK_EAGER_PROPAGATES = True
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_TASK_TIME_LIMIT = 300
CELERY_TASK_SOFT_TIME_LIMIT = 240
CELERY_TIMEZONE = TIME_ZONE
# Publishing to a broker that is down must fail within about a second (the outbox keeps the work).
CELERY_BROKER_CONNECTION_TIMEOUT = 1
CELERY_BROKER_TRANSPORT_OPTIONS = {
    "max_retries": 1,
    "interval_start": 0,
    "interval_step": 0.2,
    "socket_connect_timeout": 1,
    "socket_timeout": 5,
}
# The outbox (side effects of committed changes): retries back off from this base, a delivery
# holds its row this long, a row is dead (admin: retry by hand) after this many tries.
OUTBOX_RETRY_BASE_SECONDS = int(os.environ.get("OUTBOX_RETRY_BASE_SECONDS", "30"))
OUTBOX_CLAIM_SECONDS = int(os.environ.get("OUTBOX_CLAIM_SECONDS", "300"))
OUTBOX_MAX_ATTEMPTS = int(os.environ.get("OUTBOX_MAX_ATTEMPTS", "10"))
# Without a broker (Celery eager): "thread" delivers after commit in a short-lived thread, so a
# request answers without running its side effects; "inline" runs them in the caller (tests).
OUTBOX_EAGER_DELIVERY = os.environ.get("OUTBOX_EAGER_DELIVERY", "thread")
# A delivery (the broker-less thread, or a change's task in the worker) starts this long after
# the change that asked for it, so that the changes committed meanwhile go in the same claim: a
# burst's side effects then cost a few statements per change instead of some twenty (one rollup
# rebuild per desk and day, one sync record for all).
OUTBOX_GATHER_SECONDS = float(os.environ.get("OUTBOX_GATHER_SECONDS", "0.2"))
CELERY_BEAT_SCHEDULE: dict = {
    # Delivers what is due in the outbox: after a broker outage, a crashed worker, a backoff.
    "outbox-sweep": {
        "task": "outbox.tasks.outbox_sweep_task",
        "schedule": float(os.environ.get("OUTBOX_SWEEP_SECONDS", "30")),
    },
    # Deadline reminders (due within a working day, due today, overdue).
    "scan-deadlines": {
        "task": "stats.tasks.scan_deadlines_task",
        "schedule": float(os.environ.get("REMINDER_SCAN_SECONDS", "600")),
    },
    # Safety net for the statistics rollup: rebuild the last two days every night at 01:15.
    "rollup-rebuild-recent": {
        "task": "stats.tasks.rollup_rebuild_recent_task",
        "schedule": crontab(hour=1, minute=15),
    },
    # Reminders of feedback near or past its answer deadline (feedback.tasks).
    "feedback-scan-deadlines": {
        "task": "feedback.tasks.feedback_scan_deadlines_task",
        "schedule": float(os.environ.get("FEEDBACK_REMINDER_SCAN_SECONDS", "900")),
    },
    # Online payments left unpaid past PAYMENT_EXPIRE_MINUTES become expired.
    "payments-expire": {
        "task": "payments.tasks.payments_expire_task",
        "schedule": float(os.environ.get("PAYMENT_EXPIRE_SCAN_SECONDS", "300")),
    },
    # Yesterday's online payments compared with the gateway's records (querydr), at 01:45.
    "payments-reconcile": {
        "task": "payments.tasks.payments_reconcile_task",
        "schedule": crontab(hour=1, minute=45),
    },
    # Uploaded files left behind when an outer transaction rolled back.
    # The operations centre: rescore open dossiers and escalate (minutes), retrain nightly.
    "lateness-score": {
        "task": "ioc.tasks.lateness_score_task",
        "schedule": float(os.environ.get("IOC_SCORE_SECONDS", "900")),
    },
    "lateness-retrain": {
        "task": "ioc.tasks.lateness_retrain_task",
        "schedule": crontab(hour=1, minute=45),
    },
    "sweep-orphan-documents": {
        "task": "dossiers.tasks.sweep_orphan_documents_task",
        "schedule": crontab(hour=2, minute=30),
    },
}
# Feedback and petitions (feedback app, docs/feedback.md): the answer is due this many working
# days of the desk after reception; at most this many attachments.
FEEDBACK_ANSWER_WORKING_DAYS = int(os.environ.get("FEEDBACK_ANSWER_WORKING_DAYS", "10"))
FEEDBACK_MAX_ATTACHMENTS = int(os.environ.get("FEEDBACK_MAX_ATTACHMENTS", "5"))
# How far back the scan looks for overdue dossiers it has not reminded yet (covers outages).
REMINDER_CATCHUP_DAYS = int(os.environ.get("REMINDER_CATCHUP_DAYS", "3"))
# Escalation of dossiers at risk of lateness: the default risk threshold (a desk may set its own)
# and how long the desk head has before the unit's leader is told too.
IOC_ESCALATION_THRESHOLD = float(os.environ.get("IOC_ESCALATION_THRESHOLD", "0.55"))
IOC_LEADER_AFTER_HOURS = float(os.environ.get("IOC_LEADER_AFTER_HOURS", "4"))

CACHES = {
    "default": (
        {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": REDIS_URL}
        if REDIS_URL
        else {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}
    )
}

# Catalog reads (facets, procedure detail, sectors) are cached this long at most; any change of
# the catalog (admin edit, import) invalidates them at once (procedures/cache.py). 0 turns it off.
CATALOG_CACHE_SECONDS = int(os.environ.get("CATALOG_CACHE_SECONDS", "300"))
# Statistics answers are cached until the next rollup refresh, and this long at most (figures
# that move with the clock alone, such as overdue dossiers, lag by up to this). 0 turns it off.
STATS_CACHE_SECONDS = int(os.environ.get("STATS_CACHE_SECONDS", "30"))

REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "accounts.authentication.ExpiringTokenAuthentication",
        "rest_framework.authentication.SessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticatedOrReadOnly"],
    "DEFAULT_PARSER_CLASSES": [
        "portal.parsers.BoundedJSONParser",
        "rest_framework.parsers.FormParser",
        "rest_framework.parsers.MultiPartParser",
    ],
    "DEFAULT_PAGINATION_CLASS": "rest_framework.pagination.PageNumberPagination",
    "PAGE_SIZE": 20,
    "DEFAULT_FILTER_BACKENDS": ["django_filters.rest_framework.DjangoFilterBackend"],
    "DEFAULT_SCHEMA_CLASS": "portal.schema.PortalAutoSchema",
    "DEFAULT_THROTTLE_RATES": {
        "lookup": os.environ.get("LOOKUP_THROTTLE_RATE", "30/min"),
        "token": "20/min",
        "assistant": os.environ.get("ASSISTANT_RATE", "30/min"),
    },
}
SPECTACULAR_SETTINGS = {
    "TITLE": "Cổng Dịch vụ công API",
    "DESCRIPTION": "Thủ tục hành chính, hồ sơ, bộ phận một cửa và số liệu thống kê.",
    "VERSION": "1.0.0",
    "SERVE_INCLUDE_SCHEMA": False,
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    "ENUM_NAME_OVERRIDES": {
        # Units and procedures share one choice set (province/district/commune): one name.
        "LevelEnum": "onestop.models.UnitLevel",
        "CalendarDayKindEnum": "dossiers.models.CalendarDayKind",
        "TicketStatusEnum": "onestop.models.queue.TicketStatus",
        "DossierActionEnum": "dossiers.workflow.ACTION_CHOICES",
        "DossierStatusEnum": "dossiers.models.DossierStatus",
        "DossierResultEnum": "dossiers.models.DossierResult",
        "DossierOutcomeEnum": "dossiers.models.DossierOutcome",
        "SatisfactionLevelEnum": "onestop.models.SatisfactionLevel",
        "DossierDocumentKindEnum": "dossiers.models.DossierDocument.Kind",
    },
}

# The province this deployment serves: its GSO code and its agency letter code (Circular 01/2018).
PORTAL_PROVINCE_CODE = os.environ.get("PORTAL_PROVINCE_CODE", "77")
PORTAL_SITE_NAME = os.environ.get("PORTAL_SITE_NAME", "Cổng Dịch vụ công tỉnh Bà Rịa - Vũng Tàu")
PORTAL_PROVINCE_NAME = os.environ.get("PORTAL_PROVINCE_NAME", "Tỉnh Bà Rịa - Vũng Tàu")
# The same two names shown when the visitor chose English.
PORTAL_SITE_NAME_EN = os.environ.get(
    "PORTAL_SITE_NAME_EN", "Public Service Portal of Bà Rịa - Vũng Tàu Province"
)
PORTAL_PROVINCE_NAME_EN = os.environ.get("PORTAL_PROVINCE_NAME_EN", "Bà Rịa - Vũng Tàu Province")
# Province part of the agencies' electronic identifiers (000.00.00.H02): Circular 10/2016/TT-BTTTT.
PORTAL_PROVINCE_AGENCY_CODE = os.environ.get("PORTAL_PROVINCE_AGENCY_CODE", "H02")
# Absolute address of the portal, for links in emails and SMS sent outside a request.
PORTAL_BASE_URL = os.environ.get("PORTAL_BASE_URL", "http://localhost:8000")
# Portal default when a procedure does not say: "pause" pushes the due date back by the time
# spent waiting for the applicant; "restart" restarts the full processing time.
DOSSIER_SUPPLEMENT_CLOCK_DEFAULT = os.environ.get("DOSSIER_SUPPLEMENT_CLOCK_DEFAULT", "pause")

if not DEBUG:
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SESSION_COOKIE_SECURE = env_bool("DJANGO_SECURE_COOKIES", True)
    CSRF_COOKIE_SECURE = env_bool("DJANGO_SECURE_COOKIES", True)
    # HTTPS only. A plain-http trial sets DJANGO_SECURE_SSL_REDIRECT=false (and
    # DJANGO_SECURE_COOKIES=false); browsers remember HSTS only from an https answer.
    SECURE_SSL_REDIRECT = env_bool("DJANGO_SECURE_SSL_REDIRECT", True)
    SECURE_HSTS_SECONDS = int(os.environ.get("DJANGO_SECURE_HSTS_SECONDS", str(365 * 24 * 3600)))
    SECURE_HSTS_INCLUDE_SUBDOMAINS = env_bool("DJANGO_SECURE_HSTS_INCLUDE_SUBDOMAINS", True)
    SECURE_HSTS_PRELOAD = env_bool("DJANGO_SECURE_HSTS_PRELOAD", False)

# Content-Security-Policy (django-csp 4): the portal's pages load scripts, styles, fonts and
# images only from its own origin (no inline code; data: for the receipt's QR code, blob: for
# the preview of an image the user is about to upload).
# /api/docs/ (Swagger UI) adds inline styles itself: portal/api_docs.py.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'"],
        "img-src": ["'self'", "data:", "blob:"],
        "font-src": ["'self'"],
        "connect-src": ["'self'"],
        "object-src": ["'none'"],
        "base-uri": ["'self'"],
        "form-action": ["'self'"],
        "frame-ancestors": ["'none'"],
    }
}

# Sessions: staff sign-ins end sooner than citizens' (portal/sessions.py sets it at login).
SESSION_COOKIE_AGE = int(os.environ.get("SESSION_COOKIE_AGE", str(2 * 24 * 3600)))
STAFF_SESSION_SECONDS = int(os.environ.get("STAFF_SESSION_SECONDS", str(8 * 3600)))

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL", "INFO")},
    "loggers": {
        # Django's default config gives "django" its own console handler too, and the record
        # then propagates to root: every line was printed twice. Root's handler is the only one.
        "django": {"handlers": [], "level": "INFO", "propagate": True},
        "django.db.backends": {"level": "WARNING"},
        # fpdf2 subsets fonts with fontTools, which logs every glyph at INFO.
        "fontTools": {"level": "WARNING"},
    },
}

# Online payment (docs/payments.md). The gateway class speaks VNPAY's protocol; with
# SANDBOX_VNPAY_ENABLED (default: DEBUG) the portal also serves a local VNPAY sandbox at
# /sandbox-vnpay/ and, unless VNPAY_PAYMENT_URL/VNPAY_API_URL say otherwise, pays there.
SANDBOX_VNPAY_ENABLED = env_bool("SANDBOX_VNPAY_ENABLED", DEBUG)
PAYMENT_GATEWAY_CLASS = os.environ.get("PAYMENT_GATEWAY_CLASS", "payments.vnpay.VnpayGateway")
VNPAY_TMN_CODE = os.environ.get("VNPAY_TMN_CODE", "CONGDVC1" if SANDBOX_VNPAY_ENABLED else "")
VNPAY_HASH_SECRET = os.environ.get(
    "VNPAY_HASH_SECRET", "sandbox-secret-not-for-production" if SANDBOX_VNPAY_ENABLED else ""
)
VNPAY_PAYMENT_URL = os.environ.get(
    "VNPAY_PAYMENT_URL", "/sandbox-vnpay/paymentv2/vpcpay.html" if SANDBOX_VNPAY_ENABLED else ""
)
VNPAY_API_URL = os.environ.get(
    "VNPAY_API_URL",
    "/sandbox-vnpay/merchant_webapi/api/transaction" if SANDBOX_VNPAY_ENABLED else "",
)
VNPAY_TIMEOUT_SECONDS = float(os.environ.get("VNPAY_TIMEOUT_SECONDS", "10"))
PAYMENT_EXPIRE_MINUTES = int(os.environ.get("PAYMENT_EXPIRE_MINUTES", "15"))
SANDBOX_VNPAY_IPN_URL = os.environ.get("SANDBOX_VNPAY_IPN_URL", "")
SANDBOX_VNPAY_REPEAT_IPN = env_bool("SANDBOX_VNPAY_REPEAT_IPN", True)
SANDBOX_VNPAY_LATE_IPN_SECONDS = int(os.environ.get("SANDBOX_VNPAY_LATE_IPN_SECONDS", "60"))

# Sync to the national portal (docs/sync.md): every tracked dossier change is POSTed to
# SYNC_ENDPOINT_URL through the outbox, signed with SYNC_SHARED_SECRET. With
# SANDBOX_DVCQG_ENABLED (default: DEBUG) a local stand-in answers at /sandbox-dvcqg/.
SANDBOX_DVCQG_ENABLED = env_bool("SANDBOX_DVCQG_ENABLED", DEBUG)
SYNC_ENDPOINT_URL = os.environ.get(
    "SYNC_ENDPOINT_URL", "/sandbox-dvcqg/api/hoso/" if SANDBOX_DVCQG_ENABLED else ""
)
SYNC_STATUS_URL = os.environ.get(
    "SYNC_STATUS_URL", "/sandbox-dvcqg/api/hoso/{code}/" if SANDBOX_DVCQG_ENABLED else ""
)
SYNC_SHARED_SECRET = os.environ.get(
    "SYNC_SHARED_SECRET", "sandbox-sync-secret" if SANDBOX_DVCQG_ENABLED else ""
)
SYNC_SOURCE_CODE = os.environ.get("SYNC_SOURCE_CODE", "H02")
SYNC_TIMEOUT_SECONDS = float(os.environ.get("SYNC_TIMEOUT_SECONDS", "10"))

# Retrieval engine (procedures.retrieval) and the assistant (docs/assistant.md).
RETRIEVAL_DENSE = env_bool("RETRIEVAL_DENSE", True)
RETRIEVAL_THREADS = int(os.environ.get("RETRIEVAL_THREADS", "1"))
RETRIEVAL_RECHECK_SECONDS = int(os.environ.get("RETRIEVAL_RECHECK_SECONDS", "30"))
