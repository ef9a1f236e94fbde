"""Production settings (issue 11): HSTS and SSL redirect, a CSP the pages satisfy, sessions."""

import os
import secrets
import subprocess
import sys

import pytest
from django.conf import settings
from django.urls import reverse

from accounts.models import Role
from tests.factories import DEMO_PASSWORD, make_desk, make_user

PRODUCTION = {
    "DJANGO_DEBUG": "false",
    "DJANGO_SECRET_KEY": secrets.token_urlsafe(50),
    "DJANGO_ALLOWED_HOSTS": "dichvucong.example.vn",
}


def _run(*args: str, **env: str) -> subprocess.CompletedProcess:
    environment = {
        k: v
        for k, v in os.environ.items()
        if not k.startswith(("DJANGO_", "PYTEST_")) and k not in {"DATABASE_URL", "REDIS_URL"}
    }
    environment.update(env)
    return subprocess.run(
        [sys.executable, *args],
        cwd=settings.BASE_DIR,
        env=environment,
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_check_deploy_has_no_hsts_or_ssl_redirect_warning_when_production_variables_are_set():
    result = _run("manage.py", "check", "--deploy", **PRODUCTION)
    output = result.stdout + result.stderr
    assert "security.W004" not in output and "security.W008" not in output, output
    assert "security.W018" not in output  # DEBUG is off


def test_ssl_redirect_and_hsts_follow_the_environment_when_debug_is_off():
    probe = (
        "import portal.settings as s; "
        "print(s.SECURE_SSL_REDIRECT, s.SECURE_HSTS_SECONDS, s.SECURE_HSTS_INCLUDE_SUBDOMAINS)"
    )
    default = _run("-c", probe, **PRODUCTION)
    assert default.stdout.split() == ["True", "31536000", "True"], default.stderr
    trial = _run(
        "-c",
        probe,
        **PRODUCTION,
        DJANGO_SECURE_SSL_REDIRECT="false",
        DJANGO_SECURE_HSTS_SECONDS="3600",
    )
    assert trial.stdout.split() == ["False", "3600", "True"], trial.stderr


def _csp(response) -> dict[str, list[str]]:
    header = response["Content-Security-Policy"]
    return {
        part.split()[0]: part.split()[1:] for part in (p.strip() for p in header.split(";")) if part
    }


@pytest.mark.django_db
@pytest.mark.parametrize(
    "path", ["/", "/dang-nhap/", "/thu-tuc/", "/ho-so/tra-cuu/", "/admin/login/"]
)
def test_pages_carry_a_strict_content_security_policy(client, path):
    response = client.get(path)
    assert response.status_code == 200
    policy = _csp(response)
    assert policy["script-src"] == ["'self'"]
    assert policy["style-src"] == ["'self'"]
    assert policy["object-src"] == ["'none'"]
    assert policy["frame-ancestors"] == ["'none'"]
    body = response.content.decode()
    assert "<script>" not in body and " style=" not in body


@pytest.mark.django_db
def test_api_docs_page_loads_its_script_as_a_file_under_a_relaxed_style_policy(client):
    response = client.get("/api/docs/")
    assert response.status_code == 200
    policy = _csp(response)
    assert policy["script-src"] == ["'self'"]
    assert "'unsafe-inline'" in policy["style-src"]
    body = response.content.decode()
    assert "<script>" not in body
    script = client.get("/api/docs/?script=")
    assert script.status_code == 200
    assert "SwaggerUIBundle" in script.content.decode()


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("role", "staff"),
    [(Role.CITIZEN, False), (Role.CLERK, True), (Role.LEADER, True), (Role.ADMIN, True)],
)
def test_login_gives_staff_a_shorter_session_than_citizens(client, role, staff):
    extra = {"desk": make_desk()} if role == Role.CLERK else {}
    user = make_user(role=role, **extra)
    response = client.post(reverse("login"), {"username": user.username, "password": DEMO_PASSWORD})
    assert response.status_code == 302
    age = client.session.get_expiry_age()
    if staff:
        assert age == settings.STAFF_SESSION_SECONDS == 8 * 3600
    else:
        assert age == settings.SESSION_COOKIE_AGE == 2 * 24 * 3600
