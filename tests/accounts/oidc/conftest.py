"""A real OpenID Connect provider for the sign-in tests: the npm package oidc-provider, started
as a subprocess on a free localhost port (provider.mjs beside this file), once per session.

It needs Node.js and `npm install` (make test runs it). Without them the tests skip, except
with PORTAL_REQUIRE_SERVICES (CI), where that fails the run."""

import json
import os
import shutil
import socket
import subprocess
import time
from pathlib import Path

import pytest
import requests

ROOT = Path(__file__).resolve().parents[3]
SCRIPT = Path(__file__).with_name("provider.mjs")
CALLBACK = "http://testserver/dang-nhap/oidc/{name}/callback/"
SECRETS = {"vneid": "vneid-test-secret", "staff": "staff-test-secret"}

# Logins typed on the provider's page -> the claims it releases (the login is the subject).
ACCOUNTS = {
    "vneid-ha": {"name": "Nguyễn Thị Thu Hà", "cccd": "077188001234", "cccd_verified": True},
    "vneid-new": {
        "name": "Trần Văn Mới",
        "cccd": "079090001122",
        "cccd_verified": True,
        "email": "moi@example.vn",
    },
    "vneid-unverified": {"name": "Chưa Xác Thực", "cccd": "077188009999", "cccd_verified": False},
    "staff-quang": {"name": "Trần Minh Quang", "cccd": "077080005555", "cccd_verified": True},
    "staff-unknown": {"name": "Người Lạ", "cccd": "077080006666", "cccd_verified": True},
}


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.fixture(scope="session")
def oidc_provider_url(tmp_path_factory: pytest.TempPathFactory):
    node = shutil.which("node")
    if not node or not (ROOT / "node_modules" / "oidc-provider").is_dir():
        reason = "needs Node.js and `npm install` (the oidc-provider package)"
        if os.environ.get("PORTAL_REQUIRE_SERVICES"):
            pytest.fail(f"{reason} (PORTAL_REQUIRE_SERVICES is set: CI must provide it)")
        pytest.skip(reason)
    config = tmp_path_factory.mktemp("oidc") / "config.json"
    config.write_text(
        json.dumps(
            {
                "clients": [
                    {
                        "client_id": f"portal-{name}",
                        "client_secret": secret,
                        "redirect_uris": [CALLBACK.format(name=name)],
                    }
                    for name, secret in SECRETS.items()
                ],
                "accounts": ACCOUNTS,
            }
        ),
        encoding="utf-8",
    )
    port = _free_port()
    process = subprocess.Popen(
        [node, str(SCRIPT), str(port), str(config)],
        cwd=ROOT,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
    )
    url = f"http://127.0.0.1:{port}"
    try:
        for _ in range(150):
            if process.poll() is not None:
                output = process.stdout.read().decode(errors="replace")
                pytest.fail(f"the local OpenID Connect provider exited: {output}")
            try:
                if requests.get(f"{url}/.well-known/openid-configuration", timeout=1).ok:
                    break
            except requests.ConnectionError:
                time.sleep(0.1)
        else:
            pytest.fail("the local OpenID Connect provider did not start within 15 s")
        yield url
    finally:
        process.terminate()
        try:
            process.wait(timeout=5)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


@pytest.fixture
def oidc_settings(settings, oidc_provider_url: str):
    """Both providers (VNeID and staff) pointed at the local provider, one client each."""
    settings.OIDC_PROVIDERS = {
        name: {
            "discovery_url": f"{oidc_provider_url}/.well-known/openid-configuration",
            "client_id": f"portal-{name}",
            "client_secret": secret,
            "scope": "openid profile email cccd",
            "cccd_claim": "cccd",
            "verified_claim": "cccd_verified",
        }
        for name, secret in SECRETS.items()
    }
    return settings
