"""Who may open which page and call which endpoint of the cases app: one declaration per URL.

Each role is played by the person the world gives it: the center admin, the head of the case's
department, the clerk who accepted the case; every other role (and an account without roles)
by a fresh account. Anonymous visitors are sent to the login page (pages) or get 401 (API).
Seeing another department's or another clerk's case is covered in test_views/test_api.
"""

from dataclasses import dataclass, field
from types import SimpleNamespace

import pytest
from django.db import transaction
from django.test import Client

from chuangkou.cases import urls as case_urls
from chuangkou.cases.models import ImportJob
from chuangkou.core.roles import Role

from ..factories import UserFactory
from .conftest import APPLICANT, accept_at_window, at

pytestmark = pytest.mark.django_db

NO_ROLE, ANONYMOUS = "no_role", "anonymous"
EVERYONE = [*Role, NO_ROLE, ANONYMOUS]
CA, DH, CLERK = Role.CENTER_ADMIN, Role.DEPT_HEAD, Role.CLERK
READERS = frozenset({CA, DH, CLERK})
FIGURES = frozenset({CA, DH})


@dataclass(frozen=True)
class Access:
    method: str
    path: str
    allowed: frozenset
    ok: int = 200
    denied: int = 403
    special: dict = field(default_factory=dict)
    data: object = None
    url_name: str = ""

    @property
    def is_api(self) -> bool:
        return self.path.startswith("/api/")

    def expected(self, who) -> int:
        if who == ANONYMOUS:
            return 401 if self.is_api else 302
        if who in self.special:
            return self.special[who]
        return self.ok if who in self.allowed else self.denied


def _accept_form(world) -> dict:
    return {
        "channel": "window",
        "matter": world.hall.matter_a.pk,
        "window": world.hall.w_a01.pk,
        **APPLICANT,
    }


ACCESS = [
    Access("GET", "/cases/", READERS, url_name="cases:list"),
    Access("GET", "/cases/?export=xlsx", READERS),
    Access("GET", "/cases/{case}/", READERS, url_name="cases:detail"),
    Access(
        "POST",
        "/cases/{case}/complete/",
        READERS,
        ok=302,
        data={"complete-note": "已出证"},
        url_name="cases:action",
    ),
    Access("GET", "/cases/accept/", frozenset({CLERK, CA}), url_name="cases:accept"),
    Access(
        "POST", "/cases/accept/", frozenset({CLERK}), ok=302, data=_accept_form, special={CA: 200}
    ),  # the admin has no staff record: the form says so
    Access("GET", "/cases/figures/", FIGURES, url_name="cases:figures"),
    Access("GET", "/cases/figures/?start=2018-01-01&end=2018-06-30&export=windows", FIGURES),
    Access("GET", "/cases/import/", frozenset({CA}), url_name="cases:import"),
    Access("GET", "/cases/import/template.xlsx", frozenset({CA}), url_name="cases:import_template"),
    Access("GET", "/cases/import/template.csv", frozenset({CA})),
    Access("GET", "/cases/import/{job}/", frozenset({CA}), url_name="cases:import_job"),
    # API
    Access("GET", "/api/v1/cases/", READERS),
    Access("GET", "/api/v1/cases/{case}", READERS),
    Access("GET", "/api/v1/cases/figures?start=2018-01-01&end=2018-06-30", FIGURES),
    Access(
        "GET", "/api/v1/cases/imports/{job}", frozenset({CA}), denied=404, special={NO_ROLE: 404}
    ),
    Access(
        "POST",
        "/api/v1/cases/",
        frozenset({CLERK}),
        ok=201,
        data={"matter_id": "{matter}", **APPLICANT},
    ),
    Access(
        "POST",
        "/api/v1/cases/online",
        frozenset({CLERK, CA}),
        ok=201,
        data={"matter_id": "{matter}", "center_id": "{center}", **APPLICANT},
    ),
    Access("POST", "/api/v1/cases/{case}/supplement", READERS, data={"note": "缺材料"}),
    Access("POST", "/api/v1/cases/{case}/resume", READERS, ok=400, data={}),
    Access("POST", "/api/v1/cases/{case}/complete", READERS, data={}),
    Access("POST", "/api/v1/cases/{case}/reject", READERS, data={"reason": "不符合条件"}),
    Access("POST", "/api/v1/cases/{case}/return", READERS, data={"reason": "申请人撤回"}),
    Access("POST", "/api/v1/cases/{case}/visits", READERS, ok=201, data={"note": "补交材料"}),
]


@pytest.fixture
def world(hall):
    case = accept_at_window(hall, at("2018-03-05", 9))
    job = ImportJob.objects.create(
        filename="x.csv", format="csv", status=ImportJob.Status.DONE, created_by=hall.admin
    )
    players = {CA: hall.admin, DH: hall.head_a, CLERK: hall.clerk_a1}
    return SimpleNamespace(hall=hall, case=case, job=job, players=players)


def _client(world, who) -> Client:
    client = Client()
    if who == ANONYMOUS:
        return client
    user = world.players.get(who) or UserFactory(roles=[] if who == NO_ROLE else [who])
    client.force_login(user)
    return client


def _fill(value, world):
    if isinstance(value, str):
        return value.format(
            case=world.case.pk,
            job=world.job.pk,
            matter=world.hall.matter_a.pk,
            center=world.hall.main.pk,
        )
    return value


def _call(client: Client, access: Access, world):
    path = _fill(access.path, world)
    data = access.data(world) if callable(access.data) else access.data
    data = {k: _fill(v, world) for k, v in (data or {}).items()}
    if access.method == "GET":
        return client.get(path)
    if access.is_api:
        return client.post(path, data, content_type="application/json")
    return client.post(path, data)


def _check(access: Access, who, world) -> str | None:
    """Call as `who` inside a savepoint that is rolled back, so every role meets the same world."""
    with transaction.atomic():
        response = _call(_client(world, who), access, world)
        transaction.set_rollback(True)
    expected = access.expected(who)
    if response.status_code != expected:
        return f"{who}: {response.status_code} instead of {expected}"
    if who == ANONYMOUS and not access.is_api and not response["Location"].startswith("/login/"):
        return f"{who}: not sent to the login page"
    if access.is_api and response.status_code in (401, 403, 404) and not response.json()["detail"]:
        return f"{who}: no detail in the refusal"
    return None


@pytest.mark.parametrize("access", ACCESS, ids=[f"{a.method} {a.path}" for a in ACCESS])
def test_access(access, world):
    problems = [p for who in EVERYONE if (p := _check(access, who, world))]
    assert problems == [], f"{access.method} {access.path}"


def test_every_page_and_endpoint_is_declared():
    declared_names = {a.url_name for a in ACCESS if a.url_name}
    assert {f"cases:{p.name}" for p in case_urls.urlpatterns} == declared_names
    from chuangkou.api import api

    paths = api.get_openapi_schema()["paths"]
    endpoints = {
        (method.upper(), path.replace("{case_id}", "{case}").replace("{job_id}", "{job}"))
        for path, item in paths.items()
        if path.startswith("/api/v1/cases/")
        for method in item
    }
    declared = {(a.method, a.path.split("?")[0]) for a in ACCESS if a.is_api}
    assert endpoints == declared
