"""The permission matrix: every declaration of every app run for every role, a signed-in account
without roles and an anonymous visitor, in one world built once for the module; and the check
that every page (URL name) and every API operation is declared."""

import re

import pytest
from django.conf import settings
from django.db import transaction
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver

from chuangkou.core.models import AuditEntry

from . import (
    care,
    cases,
    catalog,
    consult,
    core,
    exams,
    feedback,
    hall,
    honors,
    jobs,
    notify,
    org,
    prereview,
    reports,
    selection,
    supervision,
    training,
)
from .matrix import EVERYONE, Access
from .world import ANONYMOUS, build_world

DECLARATIONS: list[Access] = [
    *core.ACCESS,
    *org.ACCESS,
    *catalog.ACCESS,
    *hall.ACCESS,
    *notify.ACCESS,
    *cases.ACCESS,
    *feedback.ACCESS,
    *exams.ACCESS,
    *selection.ACCESS,
    *honors.ACCESS,
    *reports.ACCESS,
    *supervision.ACCESS,
    *care.ACCESS,
    *training.ACCESS,
    *consult.ACCESS,
    *prereview.ACCESS,
    *jobs.ACCESS,
]

# URL names that are not pages of the application, and why
EXEMPT_URL_NAMES = {
    "admin": "Django's data-maintenance admin: staff accounts only, Django's own checks",
    "api": "the ninja API: its operations are declared one by one below",
}


@pytest.fixture(scope="module")
def world(module_db):
    with module_db():
        return build_world()


def _client(world, who) -> Client:
    client = Client()
    if who != ANONYMOUS:
        client.cookies[settings.SESSION_COOKIE_NAME] = world.sessions[who]
    return client


def _call(client: Client, access: Access, world):
    path = access.url(world.ids)
    data = access.payload(world)
    method = access.method.lower()
    if method == "get":
        return client.get(path)
    if access.is_api:
        return getattr(client, method)(path, data or {}, content_type="application/json")
    return getattr(client, method)(path, data or {})


def _writes() -> int:
    """Audit entries other than sign-in ones: every write that matters leaves one."""
    return AuditEntry.objects.exclude(action__startswith="auth.").count()


def _check(access: Access, who, world) -> str | None:
    """Call as `who` inside a savepoint that is rolled back, so every role meets the same world."""
    with transaction.atomic():
        before = _writes()
        response = _call(_client(world, who), access, world)
        wrote = _writes() != before
        transaction.set_rollback(True)
    expected = access.expected(who)
    code = response.status_code
    if code != expected:
        return f"{who}: {code} instead of {expected}"
    if who == ANONYMOUS and code == 302 and not access.public:
        if not response["Location"].startswith("/login/"):
            return f"{who}: not sent to the login page"
    if who == ANONYMOUS and code == 401:
        if response.json()["detail"] != "请先登录，或提供有效的 API 令牌。":
            return f"{who}: 401 without the sign-in message"
    if access.is_api and code in (403, 404) and not response.json().get("detail"):
        return f"{who}: no detail in the refusal"
    if access.refused(who) and wrote:
        return f"{who}: refused but wrote an audited change"
    return None


@pytest.mark.parametrize("access", [a.param() for a in DECLARATIONS])
def test_access(access: Access, world, db):
    problems = [p for who in EVERYONE if (p := _check(access, who, world))]
    assert problems == [], f"{access}: " + "; ".join(problems)


# --- the declaration covers everything ------------------------------------------------------


def _url_names(patterns, namespace=None):
    for pattern in patterns:
        if isinstance(pattern, URLResolver):
            yield from _url_names(pattern.url_patterns, pattern.namespace or namespace)
        elif isinstance(pattern, URLPattern) and pattern.name:
            yield f"{namespace}:{pattern.name}" if namespace else pattern.name


def test_every_page_is_declared():
    names = {
        name
        for name in _url_names(get_resolver().url_patterns)
        if name.split(":")[0] not in EXEMPT_URL_NAMES
    }
    declared = {a.url_name for a in DECLARATIONS if a.url_name}
    assert names - declared == set(), "declare these pages in tests/permissions/<app>.py"
    assert declared - names == set(), "these declared URL names do not exist"


def _pattern(path: str) -> re.Pattern:
    return re.compile(re.sub(r"\\\{\w+\\\}", "[^/]+", re.escape(path)) + "$")


def test_every_api_operation_is_declared():
    from chuangkou.api import api

    schema = api.get_openapi_schema()
    operations = {(m.upper(), path) for path, item in schema["paths"].items() for m in item}
    declared = {(a.method, a.route) for a in DECLARATIONS if a.is_api}

    def covered(method, path):
        pattern = _pattern(path)
        return any(m == method and pattern.match(route) for m, route in declared)

    missing = sorted(op for op in operations if not covered(*op))
    assert missing == [], "declare these operations in tests/permissions/<app>.py"
    patterns = [(m, _pattern(p)) for m, p in operations]
    unknown = sorted(
        (m, r) for m, r in declared if not any(m == om and p.match(r) for om, p in patterns)
    )
    assert unknown == [], "these declared operations do not exist"
    assert len(operations) > 100
