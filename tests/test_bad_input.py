"""No input gives a 500: one test generated over every route of the site.

Pages come from Django's URL resolver, endpoints from the ninja API's OpenAPI paths. Each route
is called as the center admin and as a clerk with its path parameters filled with a real object
of a small world and with ids beyond 64 bits; list pages and GET endpoints also get each
malformed query value (huge ids in every id-like parameter, 0001-01-01 / 9999-12-31 in every
date-like one, page=2**64, a NUL byte); POST/PUT/PATCH get malformed JSON, huge ids and edge
dates in their bodies. Every answer must be below 500. PostgreSQL is where NUL bytes and
out-of-range integers used to fail: run this file there too.
"""

import json
import re
import uuid

import pytest
from django.apps import apps
from django.conf import settings
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver

from chuangkou.api import api

pytestmark = pytest.mark.django_db

HUGE_IDS = ["9223372036854775808", "99999999999999999999", "-9223372036854775809"]
EDGE_DATES = ["0001-01-01", "9999-12-31"]
BAD_PAGES = [str(2**64), "-1", "x"]
NUL = "a\x00b"
ID_NAMES = [
    *("department", "center", "window", "matter", "queue", "staff", "exam", "point"),
    *("category", "ticket", "slot", "issued", "competition", "region", "paper", "attempt"),
]
DATE_NAMES = ["date", "start", "end", "date_from", "date_to", "period_start", "period_end"]
ID_LIKE = re.compile(r"(^|_)(id|ids|pk)$|^(" + "|".join(ID_NAMES) + ")$")
DATE_LIKE = re.compile(r"date|^start$|^end$|_on$|_at$")

# which model a path parameter names: by the route up to the parameter, else by its own name
ROUTE_MODELS = {
    "staff/": "org.Staff",
    "guide/material/": "catalog.Material",
    "guide/manage/": "catalog.Matter",
    "guide/manage/bundles/": "catalog.Bundle",
    "hall/tickets/": "hall.Ticket",
    "hall/queues/": "hall.ServiceQueue",
    "hall/slots/": "hall.AppointmentSlot",
    "cases/import/": "cases.ImportJob",
    "cases/": "cases.Case",
    "feedback/rectifications/": "feedback.Rectification",
    "feedback/surveys/": "feedback.Survey",
    "exams/my/": "exams.Attempt",
    "exams/questions/": "exams.Question",
    "exams/papers/": "exams.Paper",
    "exams/manage/": "exams.Exam",
    "exams/grading/": "exams.Exam",
    "exams/contests/": "exams.Contest",
    "exams/contest/": "exams.Contest",
    "selection/": "selection.Competition",
    "selection/judge/": "selection.Competition",
    "selection/notice/": "selection.Competition",
    "/api/v1/feedback/rectifications/": "feedback.Rectification",
    "/api/v1/feedback/surveys/": "feedback.Survey",
}
NAME_MODELS = {
    "staff": "org.Staff",
    "center": "org.Center",
    "window": "org.Window",
    "case": "cases.Case",
    "job": "cases.ImportJob",
    "ticket": "hall.Ticket",
    "sample": "feedback.SurveySample",
    "question": "exams.Question",
    "exam": "exams.Exam",
    "attempt": "exams.Attempt",
    "attempt_pk": "exams.Attempt",
    "item": "exams.AttemptItem",
    "grade": "exams.Grade",
    "contest": "exams.Contest",
    "competition": "selection.Competition",
    "candidate": "selection.Candidate",
    "objection": "selection.Objection",
    "row": "exams.PaperItem",
}
WORDS = {"kind": "template", "fmt": "xlsx", "action": "complete", "what": "items"}
WORDS |= {"step": "open-registration", "code": "T-SJ-001"}


def _walk(patterns, prefix=""):
    for pattern in patterns:
        if isinstance(pattern, URLResolver):
            yield from _walk(pattern.url_patterns, prefix + str(pattern.pattern))
        elif isinstance(pattern, URLPattern):
            yield prefix + str(pattern.pattern)


def _pages() -> list[str]:
    skip = ("api/v1/", "django-admin/")
    return sorted({r for r in _walk(get_resolver().url_patterns) if not r.startswith(skip)})


def _endpoints() -> list[tuple[str, str, dict]]:
    schema = api.get_openapi_schema()
    return sorted(
        (method.upper(), path, operation)
        for path, item in schema["paths"].items()
        for method, operation in item.items()
    )


PAGES = _pages()
ENDPOINTS = _endpoints()
COMPONENTS = api.get_openapi_schema().get("components", {}).get("schemas", {})


# --- the world and the two people who call everything ---------------------------------------


@pytest.fixture(scope="module")
def world(module_db):
    """fb, an open exam and a competition, built once for the module (each test still runs in
    its own savepoint, so whatever a request writes is rolled back after it)."""
    from chuangkou.core.roles import Role
    from tests.conftest import build_org_small
    from tests.exams.conftest import build_sitting
    from tests.factories import UserFactory
    from tests.feedback.conftest import build_fb
    from tests.selection.conftest import make_competition

    with module_db():
        fb = build_fb(build_org_small())
        graders = [UserFactory(username=f"grader{n:02d}", roles=[Role.GRADER]) for n in (1, 2, 3)]
        build_sitting(fb, graders)
        make_competition(fb.admin)
        fb.sessions = {}
        for name, user in (("admin", fb.admin), ("clerk", fb.clerk_a1)):
            client = Client()
            client.force_login(user)
            fb.sessions[name] = client.cookies[settings.SESSION_COOKIE_NAME].value
    return fb


@pytest.fixture
def callers(world, db) -> dict[str, Client]:
    """A fresh client per caller and test on the module's session (a route that signs out or
    rotates the session cannot leak into the next test)."""
    found = {}
    for name, session_key in world.sessions.items():
        client = Client(raise_request_exception=False)
        client.cookies[settings.SESSION_COOKIE_NAME] = session_key
        found[name] = client
    return found


def _first_pk(label: str | None) -> str:
    if label is None:
        return "1"
    obj = apps.get_model(label).objects.order_by("pk").first()
    return str(obj.pk) if obj else "1"


def _token() -> str:
    from chuangkou.hall.models import Ticket

    ticket = Ticket.objects.order_by("pk").first()
    return str(ticket.public_token) if ticket else str(uuid.uuid4())


def _model_for(before: str, name: str) -> str | None:
    bare = re.sub(r"_(id|pk)$", "", name)
    if name not in ("pk",) and bare in NAME_MODELS:
        return NAME_MODELS.get(name) or NAME_MODELS[bare]
    for prefix in sorted(ROUTE_MODELS, key=len, reverse=True):
        if re.fullmatch(re.escape(prefix) + r"[^/]*/?", before) or before == prefix:
            return ROUTE_MODELS[prefix]
    return NAME_MODELS.get(bare)


PARAM = re.compile(r"<(?:(\w+):)?(\w+)>|\{(\w+)\}")


def _fill(route: str, huge: str | None = None) -> str:
    """The route with each parameter replaced: a real object's id (or `huge` for ids)."""
    out, last = [], 0
    for match in PARAM.finditer(route):
        converter, name = match.group(1), match.group(2) or match.group(3)
        out.append(route[last : match.start()])
        before = "".join(out)
        if converter == "uuid" or name == "token":
            value = _token()
        elif name in WORDS or converter in ("str", "slug", "catalog_code"):
            value = WORDS.get(name, "x")
        else:
            value = huge or _first_pk(_model_for(before, name))
        out.append(value)
        last = match.end()
    out.append(route[last:])
    path = "".join(out)
    return path if path.startswith("/") else "/" + path


def _has_id(route: str) -> bool:
    return any(
        (m.group(1) in (None, "id", "int"))
        and (m.group(2) or m.group(3)) not in WORDS
        and (m.group(2) or m.group(3)) != "token"
        for m in PARAM.finditer(route)
    )


# --- malformed values -----------------------------------------------------------------------


def _query_variants(names) -> list[dict]:
    """Each bad page number and a NUL alone; every id-like name at once with a huge id, and
    every date-like name at once with each edge date. The shared parsers check all parameters
    together (a FilterSchema or form reports every error), so sending them together tries each
    one in one request instead of one request per name."""
    dates = [n for n in names if DATE_LIKE.search(n)]
    ids = [n for n in names if ID_LIKE.search(n) and n not in dates]
    variants = [{"page": page} for page in BAD_PAGES] + [{"q": NUL}]
    if ids:
        variants.append(dict.fromkeys(ids, HUGE_IDS[1]))
    variants += [dict.fromkeys(dates, day) for day in EDGE_DATES if dates]
    return variants


def _resolve(schema: dict) -> dict:
    ref = schema.get("$ref")
    if ref:
        return COMPONENTS.get(ref.rsplit("/", 1)[-1], {})
    for key in ("anyOf", "allOf", "oneOf"):
        for option in schema.get(key, []):
            if option.get("type") != "null":
                return _resolve(option)
    return schema


def _sample(schema: dict, name: str, mode: str, depth: int = 0):
    """A body value that is malformed in the way `mode` says ("huge" ids or "edge" dates)."""
    schema = _resolve(schema)
    kind = schema.get("type")
    if kind == "object" or "properties" in schema:
        if depth > 3:
            return {}
        props = schema.get("properties", {})
        return {k: _sample(v, k, mode, depth + 1) for k, v in props.items()}
    if kind == "array":
        return [_sample(schema.get("items", {}), name, mode, depth + 1)]
    if kind == "integer":
        return int(HUGE_IDS[0]) if mode == "huge" else 1
    if kind == "number":
        return 1e308 if mode == "huge" else 1
    if kind == "boolean":
        return True
    if schema.get("format") == "date" or (kind == "string" and DATE_LIKE.search(name)):
        return EDGE_DATES[1] if mode == "edge" else EDGE_DATES[0]
    if schema.get("format") == "date-time":
        return "9999-12-31T23:59:59+08:00" if mode == "edge" else "0001-01-01T00:00:00Z"
    if "enum" in schema:
        return schema["enum"][0]
    return "x"


def _bodies(operation: dict) -> list:
    content = operation.get("requestBody", {}).get("content", {})
    schema = content.get("application/json", {}).get("schema")
    if schema is None:
        return []
    return [_sample(schema, "", "huge"), _sample(schema, "", "edge"), {"x": NUL}]


FORM_BODY = {name: HUGE_IDS[0] for name in ID_NAMES} | {name: "9999-12-31" for name in DATE_NAMES}
FORM_BODY |= {"staff": [HUGE_IDS[0], "1"], "level": HUGE_IDS[1], "page": str(2**64)}


# --- the tests ------------------------------------------------------------------------------


def _check(response, what: str, failures: list[str]) -> None:
    if response.status_code >= 500:
        failures.append(f"{response.status_code} {what}")


def _each_caller(callers, call, what: str, failures: list[str]) -> None:
    for who, client in callers.items():
        _check(call(client), f"{what} [{who}]", failures)


@pytest.mark.parametrize("route", PAGES)
def test_pages(route, callers):
    failures: list[str] = []
    real = _fill(route)
    paths = [real] + ([_fill(route, huge) for huge in HUGE_IDS[:2]] if _has_id(route) else [])
    for path in paths:
        _each_caller(callers, lambda c, p=path: c.get(p), f"GET {path}", failures)
    if not _has_id(route):  # list pages read query parameters
        for query in _query_variants([*ID_NAMES, *DATE_NAMES]):
            _each_caller(
                callers, lambda c, q=query: c.get(real, q), f"GET {real} {query}", failures
            )
    _each_caller(callers, lambda c: c.post(real, FORM_BODY), f"POST {real} huge form", failures)
    _each_caller(callers, lambda c: c.post(real, {"q": NUL}), f"POST {real} NUL form", failures)
    assert failures == []


@pytest.mark.parametrize(
    ("method", "route", "operation"), ENDPOINTS, ids=[f"{m} {r}" for m, r, _ in ENDPOINTS]
)
def test_endpoints(method, route, operation, callers):
    failures: list[str] = []
    real = _fill(route)
    paths = [real] + ([_fill(route, huge) for huge in HUGE_IDS[:2]] if _has_id(route) else [])
    verb = method.lower()

    def send(client, path, body=None, raw=None, query=None):
        if verb == "get":
            return client.get(path, query or {})
        data = raw if raw is not None else json.dumps(body if body is not None else {})
        return getattr(client, verb)(path, data, content_type="application/json")

    for path in paths:
        _each_caller(callers, lambda c, p=path: send(c, p), f"{method} {path}", failures)
    if verb == "get":
        names = [p["name"] for p in operation.get("parameters", []) if p.get("in") == "query"]
        for query in _query_variants(names):
            _each_caller(
                callers, lambda c, q=query: send(c, real, query=q), f"GET {real} {query}", failures
            )
    else:
        for raw in ("{", '{"a": 1', "[1, 2", "null", '"text"', "\x00"):
            _each_caller(
                callers, lambda c, r=raw: send(c, real, raw=r), f"{method} {raw!r}", failures
            )
        for body in _bodies(operation):
            _each_caller(
                callers,
                lambda c, b=body: send(c, real, body=b),
                f"{method} {real} {body}",
                failures,
            )
    assert failures == []


def test_every_route_is_covered():
    assert len(PAGES) > 100 and len(ENDPOINTS) > 80
