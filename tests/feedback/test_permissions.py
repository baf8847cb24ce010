"""Who gets in where: one declaration per page and endpoint of feedback, run for every role,
a signed-in account without roles and an anonymous visitor.

Allowed roles get `ok`; other signed-in roles `denied` (403) unless `special` says otherwise
(a department head who heads no department gets 404 for another department's rectification);
anonymous visitors are sent to the login page (pages) or get 401 (API), except on the public
pages and endpoints, which everyone reaches. Paths and bodies are built per call, so that
every write has a fresh object to act on.
"""

import datetime as dt
import re
from collections.abc import Callable
from dataclasses import dataclass, field

import pytest
from django.test import Client
from django.urls import resolve
from django.utils import timezone

from chuangkou.core.roles import Role
from chuangkou.feedback import services
from chuangkou.feedback.api import router
from chuangkou.feedback.pad import pad_token
from chuangkou.feedback.urls import urlpatterns
from tests.factories import StaffFactory, UserFactory

from .factories import CaseFactory, TicketFactory

pytestmark = pytest.mark.django_db

CA, DH, CLERK, LOBBY = Role.CENTER_ADMIN, Role.DEPT_HEAD, Role.CLERK, Role.LOBBY_MANAGER
NO_ROLE, ANONYMOUS = "no_role", "anonymous"
EVERYONE = frozenset({*Role, NO_ROLE, ANONYMOUS})


@dataclass(frozen=True)
class Access:
    method: str
    path: Callable  # world -> path
    allowed: frozenset
    ok: int = 200
    body: Callable | None = None  # world -> dict
    special: dict = field(default_factory=dict)

    @property
    def is_api(self) -> bool:
        return self.path.__name__.startswith("api")


class World:
    """Fresh objects on demand, on top of the `fb` fixture."""

    def __init__(self, fb):
        self.fb = fb

    def case(self):
        return CaseFactory(matter=self.fb.matter_a, center=self.fb.main, window=self.fb.w_a01)

    def ticket(self):
        return TicketFactory(queue=self.fb.queue, window=self.fb.w_a01, clerk=self.fb.a1)

    def rect(self, *, called=False, appealing=False):
        rect = services.rate(
            actor=self.fb.admin, channel="hotline", level=1, case=self.case()
        ).rectification
        if called:
            rect = services.record_callback(actor=self.fb.admin, rectification=rect, note="ok")
        if appealing:
            rect = services.appeal(
                actor=self.fb.admin, rectification=rect, kind="invalid", reason="x"
            )
        return rect

    def token(self):
        return pad_token(window=self.fb.w_a01, staff=self.fb.a1)

    def survey(self):
        today = timezone.localdate()
        return services.draw_sample(
            actor=self.fb.admin,
            region=self.fb.region,
            name="调查",
            period_start=today - dt.timedelta(days=30),
            period_end=today,
            sample_size=5,
            seed=1,
        )


def pad_url(w):
    return f"/feedback/pad/{w.fb.w_a01.pk}/?s={w.token()}"


def pad_post(w):
    w.ticket()
    return pad_url(w)


def pad_current(w):
    return f"/feedback/pad/{w.fb.w_a01.pk}/current/?s={w.token()}"


def phone_page(w):
    return f"/feedback/t/{w.ticket().public_token}/"


def rect_page(w):
    return f"/feedback/rectifications/{w.rect().pk}/"


def survey_page(w):
    return f"/feedback/surveys/{w.survey().pk}/"


def interview_page(w):
    survey = w.survey()
    return f"/feedback/surveys/{survey.pk}/samples/{survey.samples.first().pk}/"


def survey_report_page(w):
    return f"/feedback/surveys/{w.survey().pk}/report/"


def api_pad_current(w):
    return f"/api/v1/feedback/pad/{w.fb.w_a01.pk}/current?token={w.token()}"


def api_pad_rate(w):
    w.ticket()
    return f"/api/v1/feedback/pad/{w.fb.w_a01.pk}/ratings"


def api_phone_state(w):
    return f"/api/v1/feedback/tickets/{w.ticket().public_token}/rating"


def api_phone_rate(w):
    return f"/api/v1/feedback/tickets/{w.ticket().public_token}/ratings"


def api_ratings(w):
    return "/api/v1/feedback/ratings"


def api_satisfaction(w):
    return "/api/v1/feedback/satisfaction"


def api_rectifications(w):
    return "/api/v1/feedback/rectifications"


def api_rect(w):
    return f"/api/v1/feedback/rectifications/{w.rect().pk}"


def api_callback(w):
    return f"/api/v1/feedback/rectifications/{w.rect().pk}/callback"


def api_rectify(w):
    return f"/api/v1/feedback/rectifications/{w.rect(called=True).pk}/rectify"


def api_unrectifiable(w):
    return f"/api/v1/feedback/rectifications/{w.rect(called=True).pk}/unrectifiable"


def api_appeal(w):
    return f"/api/v1/feedback/rectifications/{w.rect().pk}/appeal"


def api_decision(w):
    return f"/api/v1/feedback/rectifications/{w.rect(appealing=True).pk}/decision"


def api_surveys(w):
    return "/api/v1/feedback/surveys"


def api_samples(w):
    return f"/api/v1/feedback/surveys/{w.survey().pk}/samples"


def api_interview(w):
    survey = w.survey()
    return f"/api/v1/feedback/surveys/{survey.pk}/samples/{survey.samples.first().pk}/interview"


def api_survey_report(w):
    return f"/api/v1/feedback/surveys/{w.survey().pk}/report"


def _static(path: str):
    def make(w):
        return path

    make.__name__ = "api" if path.startswith("/api/") else "page"
    return make


def survey_body(w):
    today = timezone.localdate()
    return {
        "region_id": w.fb.region.pk,
        "name": "API 抽样",
        "period_start": str(today - dt.timedelta(days=30)),
        "period_end": str(today),
        "sample_size": 3,
        "seed": 5,
    }


NOT_HEADING = {DH: 404}
ACCESS = [
    # the clerk's pad launcher, the public pad and phone pages
    Access("get", _static("/feedback/pad/"), frozenset({CLERK})),
    Access("get", pad_url, EVERYONE),
    Access("post", pad_post, EVERYONE, body=lambda w: {"level": "5"}),
    Access("get", pad_current, EVERYONE),
    Access("get", phone_page, EVERYONE),
    Access("post", phone_page, EVERYONE, ok=302, body=lambda w: {"level": "4"}),
    # staff pages
    Access("get", _static("/feedback/entry/"), frozenset({CA, LOBBY})),
    Access("get", _static("/feedback/rectifications/"), frozenset({CA, DH})),
    Access("get", rect_page, frozenset({CA}), special=NOT_HEADING),
    Access("get", _static("/feedback/satisfaction/"), frozenset({CA, DH})),
    Access("get", _static("/feedback/surveys/"), frozenset({CA})),
    Access("get", _static("/feedback/surveys/new/"), frozenset({CA})),
    Access("get", survey_page, frozenset({CA})),
    Access("get", interview_page, frozenset({CA})),
    Access("get", survey_report_page, frozenset({CA})),
    # public API
    Access("get", api_pad_current, EVERYONE),
    Access("post", api_pad_rate, EVERYONE, ok=201, body=lambda w: {"token": w.token(), "level": 5}),
    Access("get", api_phone_state, EVERYONE),
    Access("post", api_phone_rate, EVERYONE, ok=201, body=lambda w: {"level": 3}),
    # staff API
    Access(
        "post",
        api_ratings,
        frozenset({CA, LOBBY}),
        ok=201,
        body=lambda w: {"channel": "sms", "level": 5, "case_id": w.case().pk},
    ),
    Access("get", api_satisfaction, frozenset({CA, DH})),
    Access("get", api_rectifications, frozenset({CA, DH})),
    Access("get", api_rect, frozenset({CA}), special=NOT_HEADING),
    Access(
        "post",
        api_callback,
        frozenset({CA}),
        body=lambda w: {"note": "已回访"},
        special=NOT_HEADING,
    ),
    Access(
        "post",
        api_rectify,
        frozenset({CA}),
        body=lambda w: {"reply": "已整改"},
        special=NOT_HEADING,
    ),
    Access(
        "post",
        api_unrectifiable,
        frozenset({CA}),
        body=lambda w: {"reason": "法规不允许"},
        special=NOT_HEADING,
    ),
    Access(
        "post",
        api_appeal,
        frozenset({CA}),
        body=lambda w: {"kind": "malicious", "reason": "辱骂"},
        special=NOT_HEADING,
    ),
    Access(
        "post",
        api_decision,
        frozenset({CA}),
        body=lambda w: {"decision": "rejected"},
        special=NOT_HEADING,
    ),
    Access("get", api_surveys, frozenset({CA})),
    Access("post", api_surveys, frozenset({CA}), ok=201, body=survey_body),
    Access("get", api_samples, frozenset({CA})),
    Access(
        "post",
        api_interview,
        frozenset({CA}),
        body=lambda w: {"reached": True, "visits_reported": 1, "satisfied": True},
    ),
    Access("get", api_survey_report, frozenset({CA})),
]
for fn in (pad_url, pad_post, pad_current, phone_page, rect_page, survey_page, interview_page):
    fn.__name__ = "page_" + fn.__name__
survey_report_page.__name__ = "page_survey_report"


def _client(who, w) -> Client:
    client = Client()
    if who == ANONYMOUS:
        return client
    user = UserFactory(roles=[] if who == NO_ROLE else [who])
    if who == CLERK:
        StaffFactory(user=user, department=w.fb.dept_a, center=w.fb.main, window=w.fb.w_a01)
    client.force_login(user)
    return client


def _expected(access: Access, who) -> int:
    if who in access.allowed:
        return access.ok
    if who == ANONYMOUS:
        return 401 if access.is_api else 302
    return access.special.get(who, 403)


def _label(access: Access) -> str:
    return f"{access.method.upper()} {access.path.__name__}"


@pytest.mark.parametrize("access", ACCESS, ids=_label)
def test_access(fb, access):
    w = World(fb)
    wrong = []
    for who in sorted(EVERYONE, key=str):
        client = _client(who, w)
        path = access.path(w)
        if access.method == "get":
            response = client.get(path)
        elif access.is_api:
            response = client.post(path, access.body(w), content_type="application/json")
        else:
            response = client.post(path, access.body(w))
        expected = _expected(access, who)
        if response.status_code != expected:
            wrong.append(f"{who}: {response.status_code} (expected {expected})")
        if who == ANONYMOUS and who not in access.allowed and not access.is_api:
            assert "/login/" in response["Location"]
    assert not wrong, f"{_label(access)}: " + "; ".join(wrong)


def _normal(path: str) -> str:
    path = re.sub(r"<(?:\w+:)?(\w+)>", r"{\1}", path)
    return re.sub(r"{(?:\w+:)?(\w+)}", r"{\1}", path).rstrip("/")


def test_every_page_and_endpoint_is_declared(fb):
    w = World(fb)
    pages, endpoints = set(), set()
    for access in ACCESS:
        match = resolve(access.path(w).split("?")[0])
        if access.is_api:
            endpoints.add((access.method.upper(), _normal(match.route[len("api/v1/feedback") :])))
        else:
            pages.add(match.url_name)
    assert pages == {p.name for p in urlpatterns}
    declared_api = {
        (method, _normal(path))
        for path, view in router.path_operations.items()
        for operation in view.operations
        for method in operation.methods
    }
    assert endpoints == declared_api
