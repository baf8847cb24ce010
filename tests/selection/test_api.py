"""The 竞聘上岗 API: who may call each endpoint, the whole flow, and bad input (never a 500)."""

import datetime as dt
import json

import pytest
from django.utils import timezone

from chuangkou.core.models import AuditEntry
from chuangkou.core.roles import Role
from chuangkou.selection.models import Candidate, Competition, InterviewScore, Objection

from .conftest import temporary_staff

pytestmark = pytest.mark.django_db
P = "/selection"

NEW = {
    "name": "2018 年竞聘上岗",
    "year": 2018,
    "budget": 500000,
    "written_weight": "50",
    "interview_weight": "50",
    "pass_line": "60",
    "allowed_employment_types": ["temporary"],
    "min_service_years": 1,
    "service_reference_date": "2018-04-30",
}


# --- who may call what -----------------------------------------------------------------------

ADMIN_ONLY = [
    ("get", "/competitions", None),
    ("post", "/competitions", NEW),
    ("get", "/competitions/{c}", None),
    ("patch", "/competitions/{c}", {"budget": 1}),
    ("put", "/competitions/{c}/tiers", [{"name": "一档", "quota": 1, "annual_amount": 1}]),
    ("put", "/competitions/{c}/judges", {"user_ids": [1]}),
    ("post", "/competitions/{c}/open-registration", None),
    ("post", "/competitions/{c}/start-scoring", None),
    ("post", "/competitions/{c}/ranking", None),
    ("post", "/competitions/{c}/publish", {}),
    ("post", "/competitions/{c}/finalise", None),
    ("post", "/competitions/{c}/reopen", {"reason": "x"}),
    ("get", "/competitions/{c}/candidates", None),
    ("post", "/competitions/{c}/candidates", {"staff_id": 1}),
    ("post", "/candidates/{cand}/withdraw", {"reason": "x"}),
    ("put", "/candidates/{cand}/written-score", {"score": 80}),
    ("post", "/competitions/{c}/written-scores/from-exam", None),
    ("get", "/competitions/{c}/ranking", None),
    ("post", "/competitions/{c}/ties", {"candidate_ids": [1, 2], "reason": "x"}),
    ("get", "/competitions/{c}/objections", None),
    ("post", "/objections/{o}/handle", {"decision": "rejected", "reply": "x"}),
]
JUDGE_ONLY = [
    ("get", "/judging", None),
    ("get", "/judging/{c}/candidates", None),
    ("put", "/judging/candidates/{cand}/score", {"score": 80}),
]


def call(client, method: str, path: str, ids: dict, data=None):
    url = "/api/v1" + P + path.format(**ids)
    if method == "get":
        return client.client.get(url, headers=client.headers)
    body = json.dumps(data if data is not None else {})
    return client.client.generic(
        method.upper(), url, body, content_type="application/json", headers=client.headers
    )


@pytest.fixture
def ids(published, role_user):
    objection = Objection.objects.create(
        competition=published.competition,
        submitted_by=role_user(Role.CLERK),
        text="对整体结果有异议",
    )
    return {"c": published.competition.pk, "cand": published.candidates[0].pk, "o": objection.pk}


def test_anonymous_callers_get_401(api_client_as, ids):
    client = api_client_as(None)
    for method, path, body in ADMIN_ONLY + JUDGE_ONLY:
        assert call(client, method, path, ids, body).status_code == 401, (method, path)


@pytest.mark.parametrize("role", [Role.CLERK, Role.GRADER, Role.AUDITOR, Role.DEPT_HEAD])
def test_admin_endpoints_refuse_other_roles(api_client_as, role_user, ids, role):
    client = api_client_as(role_user(role))
    for method, path, body in ADMIN_ONLY:
        response = call(client, method, path, ids, body)
        assert response.status_code == 403, (method, path)
        assert response.json()["detail"] == "只有中心管理员可以管理竞聘上岗。"


def test_judge_endpoints_refuse_non_graders(api_client_as, role_user, ids):
    client = api_client_as(role_user(Role.CENTER_ADMIN))
    for method, path, body in JUDGE_ONLY:
        assert call(client, method, path, ids, body).status_code == 403, path


def test_a_grader_off_the_panel_finds_nothing(api_client_as, role_user, ids):
    client = api_client_as(role_user(Role.GRADER))
    assert client.get(f"{P}/judging").json() == []
    assert client.get(f"{P}/judging/{ids['c']}/candidates").status_code == 404
    response = client.client.put(
        f"/api/v1{P}/judging/candidates/{ids['cand']}/score",
        {"score": 80},
        content_type="application/json",
    )
    assert response.status_code == 404


def test_the_public_notice_needs_no_login_and_shows_no_staff_numbers(api_client_as, published):
    client = api_client_as(None)
    notices = client.get(f"{P}/notices").json()
    assert [n["id"] for n in notices] == [published.competition.pk]
    body = client.get(f"{P}/notices/{published.competition.pk}")
    assert body.status_code == 200
    row = body.json()["rows"][0]
    assert set(row) == {"rank", "name", "department", "final_score", "tier"}
    assert published.staff[0].staff_no not in body.content.decode()
    assert client.get(f"{P}/notices/999999").status_code == 404


def test_unpublished_competitions_are_not_public(api_client_as, ranked):
    assert api_client_as(None).get(f"{P}/notices/{ranked.competition.pk}").status_code == 404


# --- the whole flow --------------------------------------------------------------------------


def put(client, path, data):
    return call(client, "put", path, {}, data)


def test_the_whole_competition_through_the_api(api_client_as, admin, graders, role_user):
    api = api_client_as(admin, token=True)  # a machine with a bearer token, no CSRF
    response = api.post(f"{P}/competitions", NEW)
    assert response.status_code == 201, response.content
    cid = response.json()["id"]
    tiers = [
        {"name": "一档", "quota": 1, "annual_amount": 24000},
        {"name": "二档", "quota": 1, "annual_amount": 12000},
    ]
    assert put(api, f"/competitions/{cid}/tiers", tiers).status_code == 200
    judges = put(api, f"/competitions/{cid}/judges", {"user_ids": [g.pk for g in graders]})
    assert [j["seat"] for j in judges.json()["judges"]] == [1, 2, 3, 4, 5]
    assert api.post(f"{P}/competitions/{cid}/open-registration").json()["status"] == "registration"
    staff = temporary_staff(3)
    for s in staff:
        assert api.post(f"{P}/competitions/{cid}/candidates", {"staff_id": s.pk}).status_code == 201
    assert api.post(f"{P}/competitions/{cid}/start-scoring").json()["status"] == "scoring"

    candidates = api.get(f"{P}/competitions/{cid}/candidates").json()["items"]
    for row, mark in zip(candidates, ["90", "80", "70.5"], strict=True):
        response = put(api, f"/candidates/{row['id']}/written-score", {"score": mark})
        assert response.status_code == 200
    for judge in graders:
        jc = api_client_as(judge)
        sheet = jc.get(f"{P}/judging/{cid}/candidates").json()["items"]
        assert [r["my_score"] for r in sheet] == [None, None, None]
        for row, mark in zip(sheet, [90, 80, 70], strict=True):
            response = jc.client.put(
                f"/api/v1{P}/judging/candidates/{row['candidate_id']}/score",
                {"score": mark},
                content_type="application/json",
            )
            assert response.status_code == 200, response.content
    # the admin sees progress, never the scores, while judging runs
    assert {r["scored"] for r in api.get(f"{P}/competitions/{cid}/candidates").json()["items"]} == {
        5
    }

    assert api.post(f"{P}/competitions/{cid}/ranking").json()["status"] == "ranked"
    ranking = api.get(f"{P}/competitions/{cid}/ranking").json()
    assert [(r["rank"], r["tier"], r["final_score"]) for r in ranking["rows"]] == [
        (1, "一档", "90.00"),
        (2, "二档", "80.00"),
        (3, None, "70.25"),
    ]
    assert ranking["rows"][0]["judge_scores"] == ["90.00"] * 5
    assert ranking["budget"]["total"] == 36000 and ranking["ties"] == []
    placed = api.get(f"{P}/competitions/{cid}/ranking", {"outcome": "placed"}).json()
    assert [r["rank"] for r in placed["rows"]] == [1, 2]

    published = api.post(f"{P}/competitions/{cid}/publish", {})
    assert published.json()["status"] == "published" and published.json()["notice_end"]
    # on a rest day the notice starts on the next working day; act inside the period
    today = timezone.localdate()
    Competition.objects.filter(pk=cid, notice_start__gt=today).update(notice_start=today)
    clerk = api_client_as(role_user(Role.CLERK))
    objection = clerk.post(
        f"{P}/notices/{cid}/objections", {"text": "对第二名的成绩有疑问，请核实"}
    )
    assert objection.status_code == 201
    handled = api.post(
        f"{P}/objections/{objection.json()['id']}/handle",
        {"decision": "rejected", "reply": "经核查成绩无误"},
    )
    assert handled.json()["status"] == "rejected"
    finalise = api.post(f"{P}/competitions/{cid}/finalise")
    assert finalise.status_code == 409 and "期满后" in finalise.json()["detail"]
    Competition.objects.filter(pk=cid).update(
        notice_start=dt.date(2018, 5, 23), notice_end=dt.date(2018, 5, 30)
    )
    assert api.post(f"{P}/competitions/{cid}/finalise").json()["status"] == "final"
    assert AuditEntry.objects.filter(action="selection.interview_score").count() == 15


# --- bad input -------------------------------------------------------------------------------


def test_bad_bodies_are_4xx_with_a_message(api_client_as, admin):
    api = api_client_as(admin)
    assert api.post(f"{P}/competitions", raw="{not json").status_code in (400, 422)
    assert api.post(f"{P}/competitions", {**NEW, "year": "abc"}).status_code == 422
    assert api.post(f"{P}/competitions", {**NEW, "budget": -1}).status_code == 422
    response = api.post(f"{P}/competitions", {**NEW, "written_weight": "70"})
    assert response.status_code == 400 and response.json()["field"] == "interview_weight"
    response = api.post(f"{P}/competitions", {**NEW, "allowed_employment_types": ["x"]})
    assert response.status_code == 400
    assert api.get(f"{P}/competitions", {"year": "abc"}).status_code == 422
    assert api.get(f"{P}/competitions", {"page": "x"}).status_code == 422
    assert api.get(f"{P}/competitions/999999").status_code == 404
    assert not Competition.objects.exists()


@pytest.mark.parametrize(
    ("score", "status"),
    [("101", 400), ("-1", 400), ("abc", 422), ("80.555", 400), (None, 422), ("NaN", 422)],
)
def test_bad_scores_are_refused(api_client_as, scoring, score, status):
    judge = api_client_as(scoring.graders[0])
    response = judge.client.put(
        f"/api/v1{P}/judging/candidates/{scoring.candidates[0].pk}/score",
        {"score": score},
        content_type="application/json",
    )
    assert response.status_code == status, response.content
    admin = api_client_as(scoring.admin)
    response = put(admin, f"/candidates/{scoring.candidates[0].pk}/written-score", {"score": score})
    assert response.status_code == status
    assert not InterviewScore.objects.exists()
    assert Candidate.objects.filter(written_score__isnull=False).count() == 0


def test_unknown_ids_are_404_or_named(api_client_as, scoring):
    judge = api_client_as(scoring.graders[0])
    response = judge.client.put(
        f"/api/v1{P}/judging/candidates/999999/score",
        {"score": 80},
        content_type="application/json",
    )
    assert response.status_code == 404
    admin = api_client_as(scoring.admin)
    assert put(admin, "/candidates/999999/written-score", {"score": 80}).status_code == 404
    cid = scoring.competition.pk
    response = admin.post(f"{P}/competitions/{cid}/candidates", {"staff_id": 999999})
    assert response.status_code == 400 and response.json()["field"] == "staff_id"
    response = put(admin, f"/competitions/{cid}/judges", {"user_ids": [999999]})
    assert response.status_code == 400
    response = admin.post(
        f"{P}/competitions/{cid}/ties", {"candidate_ids": [999998, 999999], "reason": "x"}
    )
    assert response.status_code == 400


def test_wrong_states_are_409(api_client_as, scoring):
    admin = api_client_as(scoring.admin)
    cid = scoring.competition.pk
    assert admin.post(f"{P}/competitions/{cid}/publish", {}).status_code == 409
    assert admin.post(f"{P}/competitions/{cid}/open-registration").status_code == 409
    response = put(admin, f"/competitions/{cid}/judges", {"user_ids": [scoring.graders[0].pk]})
    assert response.status_code == 409  # the panel is fixed once scoring starts
    response = call(admin, "patch", f"/competitions/{cid}", {}, {"pass_line": 70})
    assert response.status_code == 409  # only the budget and the notice period still change


def test_objections_need_a_login(api_client_as, published):
    response = api_client_as(None).post(
        f"{P}/notices/{published.competition.pk}/objections", {"text": "匿名提出的异议"}
    )
    assert response.status_code == 401
    assert not Objection.objects.exists()


def test_the_openapi_schema_describes_every_endpoint(client, db):
    schema = client.get("/api/v1/openapi.json").json()
    paths = {p for p in schema["paths"] if p.startswith("/api/v1/selection/")}
    expected = {
        "/api/v1/selection"
        + path.replace("{c}", "{competition_id}")
        .replace("{cand}", "{candidate_id}")
        .replace("{o}", "{objection_id}")
        for _, path, _ in ADMIN_ONLY + JUDGE_ONLY
    }
    assert expected <= paths
    ids = [op["operationId"] for p in paths for op in schema["paths"][p].values()]
    assert len(ids) == len(set(ids))
