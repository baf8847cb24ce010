"""Security headers: a Content-Security-Policy without inline script, `Cache-Control: no-store`
on personal responses, and `check --deploy` warning when HTTPS settings are missing."""

import os
import re
import secrets
import subprocess
import sys
from pathlib import Path

import pytest
from django.http import HttpResponse
from django.test import Client, RequestFactory, override_settings

from chuangkou.core.headers import NoStoreMiddleware
from chuangkou.core.roles import Role

PACKAGE = Path(__file__).resolve().parents[2] / "src" / "chuangkou"


def _directives(response) -> dict[str, list[str]]:
    policy = response.headers["Content-Security-Policy"]
    parts = (p.strip().split() for p in policy.split(";") if p.strip())
    return {p[0]: p[1:] for p in parts}


# --- Content-Security-Policy ----------------------------------------------------------------


@pytest.mark.django_db
def test_pages_carry_a_policy_without_inline_script(client):
    policy = _directives(client.get("/login/"))
    assert policy["script-src"] == ["'self'"]
    assert policy["default-src"] == ["'self'"]
    assert policy["frame-ancestors"] == ["'none'"]
    assert policy["form-action"] == ["'self'"]
    assert policy["object-src"] == ["'none'"]
    assert "'unsafe-eval'" not in policy["script-src"]


def _both_policies(request, response_of):
    """The headers django-csp's own middleware and ours give the same request and response."""
    from csp.middleware import CSPMiddleware

    from chuangkou.core.headers import ContentSecurityPolicyMiddleware

    answers = []
    for middleware in (CSPMiddleware, ContentSecurityPolicyMiddleware):
        m = middleware(lambda r: None)
        m.process_request(request)
        response = m.process_response(request, response_of(request))
        answers.append({k: v for k, v in response.headers.items() if "Security-Policy" in k})
    return answers


def test_the_policy_is_django_csps_own_whatever_the_response_changes():
    """The header is built once for plain responses; a nonce, a per-view policy change or an
    exemption still give what django-csp gives."""
    from csp.constants import NONE, SELF

    def plain(request):
        return HttpResponse("x")

    def nonce_used(request):
        str(request.csp_nonce)
        return HttpResponse("x")

    def updated(request):
        response = HttpResponse("x")
        response._csp_update = {"img-src": ["https://maps.example"]}
        return response

    def exempt(request):
        response = HttpResponse("x")
        response._csp_exempt = True
        return response

    for response_of in (plain, nonce_used, updated, exempt):
        theirs, ours = _both_policies(RequestFactory().get("/x"), response_of)
        assert ours == theirs, response_of.__name__
    theirs, ours = _both_policies(RequestFactory().get("/x"), updated)
    assert "https://maps.example" in ours["Content-Security-Policy"]
    policy = {"DIRECTIVES": {"default-src": [SELF], "object-src": [NONE]}}
    with override_settings(CONTENT_SECURITY_POLICY=policy):  # a changed setting is seen
        theirs, ours = _both_policies(RequestFactory().get("/x"), plain)
        assert ours == theirs
        directives = sorted(d.strip() for d in ours["Content-Security-Policy"].split(";"))
        assert directives == ["default-src 'self'", "object-src 'none'"]  # in a set's order
    theirs, ours = _both_policies(RequestFactory().get("/x"), plain)
    assert ours == theirs and "frame-ancestors 'none'" in ours["Content-Security-Policy"]


def test_a_nonce_asked_for_after_the_header_is_written_is_an_error():
    from csp.exceptions import CSPNonceError

    from chuangkou.core.headers import ContentSecurityPolicyMiddleware

    request = RequestFactory().get("/x")
    middleware = ContentSecurityPolicyMiddleware(lambda r: None)
    middleware.process_request(request)
    middleware.process_response(request, HttpResponse("x"))
    with pytest.raises(CSPNonceError):
        str(request.csp_nonce)


def _templates() -> list[Path]:
    return sorted(PACKAGE.glob("templates/**/*.html")) + sorted(
        PACKAGE.glob("*/templates/**/*.html")
    )


INLINE_SCRIPT = re.compile(r"<script(?![^>]*\bsrc=)(?![^>]*application/json)[^>]*>", re.I)
INLINE_HANDLER = re.compile(r"\son[a-z]+\s*=", re.I)
SCRIPT_URL = re.compile(r"(href|src|action)\s*=\s*[\"']\s*javascript:", re.I)


def test_no_template_has_inline_script_or_event_handlers():
    """The policy would block them: behaviour lives in static files (static/js/ck.js)."""
    offenders = []
    for template in _templates():
        text = template.read_text(encoding="utf-8")
        for pattern in (INLINE_SCRIPT, INLINE_HANDLER, SCRIPT_URL):
            offenders += [f"{template.relative_to(PACKAGE)}: {m}" for m in pattern.findall(text)]
    assert _templates(), "no templates found"
    assert not offenders


def test_htmx_never_evaluates_strings():
    """hx-on, js: values and trigger filters need eval, which the policy forbids."""
    for base in ("templates/base.html", "hall/templates/hall/_screen_base.html"):
        text = (PACKAGE / base).read_text(encoding="utf-8")
        assert '"allowEval": false' in text, base
        assert '"includeIndicatorStyles": false' in text, base


# --- Cache-Control ----------------------------------------------------------------------------


def _no_store(response) -> bool:
    return "no-store" in response.headers.get("Cache-Control", "")


@pytest.mark.django_db
def test_signed_in_pages_are_not_stored(role_user, client_as):
    response = client_as(role_user(Role.CLERK)).get("/")
    assert response.status_code == 200
    assert _no_store(response)
    assert "private" in response.headers["Cache-Control"]


@pytest.mark.django_db
def test_api_answers_with_personal_data_are_not_stored(role_user, api_client_as):
    for api in (
        api_client_as(role_user(Role.CENTER_ADMIN)),
        api_client_as(role_user(Role.CENTER_ADMIN), token=True),
    ):
        response = api.get("/core/me")
        assert response.status_code == 200, response.content
        assert _no_store(response)


@pytest.mark.django_db
def test_exports_are_not_stored(org_small, client_as):
    response = client_as(org_small.admin).get("/staff/", {"export": "xlsx"})
    assert response.status_code == 200
    assert response.headers["Content-Disposition"].startswith("attachment")
    assert _no_store(response)


def _through_middleware(response, *, user=None) -> HttpResponse:
    request = RequestFactory().get("/anything/")
    if user is not None:
        request.user = user
    return NoStoreMiddleware(lambda _request: response)(request)


def test_a_download_is_not_stored_even_when_the_view_allows_caching():
    response = HttpResponse(b"x")
    response["Content-Disposition"] = 'attachment; filename="a.xlsx"'
    response["Cache-Control"] = "public, max-age=3600"
    answered = _through_middleware(response)
    assert _no_store(answered)
    assert "public" not in answered["Cache-Control"]


def test_a_public_view_may_choose_its_own_caching():
    response = HttpResponse(b"guide")
    response["Cache-Control"] = "public, max-age=600"
    assert _through_middleware(response)["Cache-Control"] == "public, max-age=600"
    assert _no_store(_through_middleware(HttpResponse(b"no choice made")))


@pytest.mark.django_db
def test_a_signed_in_user_overrides_a_public_choice(role_user):
    response = HttpResponse(b"x")
    response["Cache-Control"] = "public, max-age=600"
    answered = _through_middleware(response, user=role_user(Role.CLERK))
    assert _no_store(answered)
    assert "public" not in answered["Cache-Control"]


@pytest.mark.django_db
def test_static_files_keep_their_caching():
    with override_settings(WHITENOISE_USE_FINDERS=True, WHITENOISE_AUTOREFRESH=True):
        response = Client().get("/static/js/ck.js")
        assert response.status_code == 200
        assert "max-age" in response.headers.get("Cache-Control", "")
        assert not _no_store(response)
        response.close()


# --- check --deploy ---------------------------------------------------------------------------


def _check_deploy(tmp_path, **extra) -> str:
    keep = {"PATH", "HOME", "LANG", "LC_ALL", "PYTHONPATH", "VIRTUAL_ENV", "TMPDIR"}
    env = {k: v for k, v in os.environ.items() if k in keep}
    env.update(
        DJANGO_SETTINGS_MODULE="chuangkou.settings",
        CHUANGKOU_DATA_DIR=str(tmp_path),
        DEBUG="0",
        SECRET_KEY=secrets.token_urlsafe(64),
        ALLOWED_HOSTS="zwfw.example.gov.cn",
        **extra,
    )
    result = subprocess.run(  # noqa: S603
        [sys.executable, "-m", "django", "check", "--deploy"],
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    return result.stdout + result.stderr


def test_check_deploy_warns_without_https_settings(tmp_path):
    output = _check_deploy(tmp_path)
    assert "security.W004" in output  # SECURE_HSTS_SECONDS
    assert "security.W008" in output  # SECURE_SSL_REDIRECT


def test_only_the_plain_http_demo_silences_the_https_warnings(tmp_path):
    output = _check_deploy(tmp_path, CHUANGKOU_PLAIN_HTTP_DEMO="1")
    assert "security.W004" not in output
    assert "security.W008" not in output
