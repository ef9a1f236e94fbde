"""The floor of bench/http_load.py: the same Django on the same database, none of the portal.
Two views: fixed JSON, and one primary-key SELECT through the ORM. Never in the product's URLs."""

import os

import dj_database_url

SECRET_KEY = "bench-floor-only"
DEBUG = False
ALLOWED_HOSTS = ["127.0.0.1", "localhost"]
ROOT_URLCONF = "floor_urls"
INSTALLED_APPS = ["django.contrib.contenttypes", "django.contrib.auth"]
MIDDLEWARE: list[str] = []
DATABASES = {
    "default": dj_database_url.parse(
        os.environ["DATABASE_URL"], conn_max_age=60, conn_health_checks=True
    )
}
USE_TZ = True
WSGI_APPLICATION = "floor_wsgi.application"
