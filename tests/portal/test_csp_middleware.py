"""portal.middleware.CSPMiddleware writes exactly the headers django-csp's middleware writes."""

import csp.middleware
import pytest
from csp.decorators import csp_exempt, csp_update
from django.http import HttpResponse, JsonResponse
from django.test import RequestFactory, override_settings

from portal.middleware import CSPMiddleware

HEADERS = ("Content-Security-Policy", "Content-Security-Policy-Report-Only")


def _policy(value: str | None) -> dict[str, list[str]] | None:
    if value is None:
        return None
    return {p.split()[0]: sorted(p.split()[1:]) for p in (x.strip() for x in value.split(";")) if p}


def _run(middleware_class, view, path: str = "/api/v1/lookup/", use_nonce: bool = False):
    request = RequestFactory().get(path)

    def get_response(req):
        if use_nonce:
            str(req.csp_nonce)
        return view(req)

    response = middleware_class(get_response)(request)
    return {name: _policy(response.headers.get(name)) for name in HEADERS}, request


def _json(request):
    return JsonResponse({"ok": True})


def _sandboxed(request):
    response = HttpResponse(b"%PDF")
    response["Content-Security-Policy"] = "sandbox"
    return response


def _not_found(request):
    return HttpResponse(status=404)


@csp_exempt()
def _exempt(request):
    return HttpResponse("x")


@csp_update({"img-src": ["https://tiles.example"]})
def _updated(request):
    return HttpResponse("x")


VIEWS = [_json, _sandboxed, _not_found, _exempt, _updated]


@pytest.mark.parametrize("view", VIEWS)
@pytest.mark.parametrize("use_nonce", [False, True])
def test_csp_middleware_writes_django_csp_headers_whatever_the_response(view, use_nonce):
    ours, _request = _run(CSPMiddleware, view, use_nonce=use_nonce)
    theirs, _request = _run(csp.middleware.CSPMiddleware, view, use_nonce=use_nonce)
    assert ours == theirs
    if view is _json:
        assert ours["Content-Security-Policy"]["frame-ancestors"] == ["'none'"]


def test_csp_middleware_follows_settings_when_they_change():
    policy = {"DIRECTIVES": {"default-src": ["'self'"]}, "EXCLUDE_URL_PREFIXES": ["/khac/"]}
    with override_settings(
        CONTENT_SECURITY_POLICY=policy, CONTENT_SECURITY_POLICY_REPORT_ONLY=policy
    ):
        ours, _request = _run(CSPMiddleware, _json)
        theirs, _request = _run(csp.middleware.CSPMiddleware, _json)
        assert ours == theirs
        assert ours["Content-Security-Policy-Report-Only"] == {"default-src": ["'self'"]}
        excluded, _request = _run(CSPMiddleware, _json, path="/khac/a/")
        assert excluded == dict.fromkeys(HEADERS)
    ours, _request = _run(CSPMiddleware, _json)
    assert ours["Content-Security-Policy-Report-Only"] is None
    assert "frame-ancestors" in ours["Content-Security-Policy"]


def test_csp_middleware_refuses_nonce_after_header_when_response_written():
    _headers, request = _run(CSPMiddleware, _json)
    with pytest.raises(csp.middleware.CSPNonceError):
        str(request.csp_nonce)
