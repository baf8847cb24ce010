"""/api/v1/exams/: candidates never get the key (or correct flags) before publication, nor
anyone else's answers; graders see codes, not names; bad input is a 4xx with a message."""

import datetime as dt
import json
from decimal import Decimal as D

import pytest
from django.utils import timezone

from chuangkou.core.roles import Role
from chuangkou.exams.models import Attempt, Exam, Grade, QuestionKind
from chuangkou.exams.services import exams, grading

from .factories import CONFIGS, KnowledgePointFactory
from .test_services import ANSWERS

pytestmark = pytest.mark.django_db
K = QuestionKind
BASE = "/exams"


def _start(client, attempt):
    return client.post(f"{BASE}/attempts/{attempt.pk}/start")


def test_candidate_flow_without_the_key(sitting, api_client_as):
    api = api_client_as(sitting.clerk_a1)
    mine = api.get(f"{BASE}/my/exams").json()
    assert [row["attempt_id"] for row in mine] == [sitting.attempt_a1.pk]
    response = _start(api, sitting.attempt_a1)
    assert response.status_code == 200
    body = response.json()
    assert 0 < body["seconds_left"] <= 3600 and len(body["items"]) == 6
    text = json.dumps(body, ensure_ascii=False)
    for secret in ('"answer"', "blanks", "errors", "rubric", "五个工作日", "张三", "个人经营"):
        assert secret not in text, secret
    for item in body["items"]:
        saved = api.client.put(
            f"/api/v1{BASE}/attempts/{sitting.attempt_a1.pk}/items/{item['id']}",
            {"response": ANSWERS[item["kind"]]},
            content_type="application/json",
        )
        assert saved.status_code == 200, saved.json()
    again = api.get(f"{BASE}/attempts/{sitting.attempt_a1.pk}").json()
    assert {i["kind"]: i["response"] for i in again["items"]}[K.SINGLE] == "C"
    assert "score" not in json.dumps(again)
    submitted = api.post(f"{BASE}/attempts/{sitting.attempt_a1.pk}/submit").json()
    assert submitted["status"] == "submitted"
    early = api.get(f"{BASE}/attempts/{sitting.attempt_a1.pk}/result")
    assert early.status_code == 403 and early.json()["detail"] == "成绩尚未发布。"
    mine = api.get(f"{BASE}/my/exams").json()
    assert mine[0]["total_score"] is None


def test_result_after_publication_has_the_key(sitting, api_client_as):
    api = api_client_as(sitting.clerk_a1)
    _start(api, sitting.attempt_a1)
    api.post(f"{BASE}/attempts/{sitting.attempt_a1.pk}/submit")
    exams.close_exam(actor=sitting.admin, exam=sitting.exam)
    for grade in Grade.objects.filter(score__isnull=True):
        grading.record_grade(actor=grade.grader, grade=grade, score=0)
    exams.publish_results(actor=sitting.admin, exam=sitting.exam)
    result = api.get(f"{BASE}/attempts/{sitting.attempt_a1.pk}/result").json()
    assert D(result["total_score"]) == D("0") and D(result["max_score"]) == D("60")
    keys = {i["kind"]: i["key"] for i in result["items"]}
    assert keys[K.SINGLE] == "C" and keys[K.SCENARIO] == "ABC"
    assert api.get(f"{BASE}/my/exams").json()[0]["total_score"] == "0.00"


def test_another_candidates_attempt_is_not_found(sitting, api_client_as):
    mine = api_client_as(sitting.clerk_a1)
    _start(mine, sitting.attempt_a1)
    other = api_client_as(sitting.clerk_b1)
    item = sitting.attempt_a1.items.first()
    assert other.get(f"{BASE}/attempts/{sitting.attempt_a1.pk}").status_code == 404
    assert other.post(f"{BASE}/attempts/{sitting.attempt_a1.pk}/start").status_code == 404
    assert other.post(f"{BASE}/attempts/{sitting.attempt_a1.pk}/submit").status_code == 404
    assert other.get(f"{BASE}/attempts/{sitting.attempt_a1.pk}/result").status_code == 404
    put = other.client.put(
        f"/api/v1{BASE}/attempts/{sitting.attempt_a1.pk}/items/{item.pk}",
        {"response": "A"},
        content_type="application/json",
    )
    assert put.status_code == 404
    admin = api_client_as(sitting.admin)
    assert admin.get(f"{BASE}/attempts/{sitting.attempt_a1.pk}").status_code == 404


def test_save_bad_input(sitting, api_client_as):
    api = api_client_as(sitting.clerk_a1)
    items = {i["kind"]: i["id"] for i in _start(api, sitting.attempt_a1).json()["items"]}
    url = f"/api/v1{BASE}/attempts/{sitting.attempt_a1.pk}/items/"
    put = api.client.put
    assert put(
        url + str(items[K.SINGLE]), "{bad json", content_type="application/json"
    ).status_code in (
        400,
        422,
    )
    wrong = put(url + str(items[K.SINGLE]), {"response": ["C"]}, content_type="application/json")
    assert wrong.status_code == 400 and wrong.json()["field"] == "response"
    assert (
        put(url + "999999", {"response": "C"}, content_type="application/json").status_code == 404
    )
    assert api.get(f"{BASE}/attempts/abc").status_code == 422
    assert api.get(f"{BASE}/attempts/999999").status_code == 404


def test_time_is_kept_by_the_server(sitting, api_client_as):
    api = api_client_as(sitting.clerk_a1)
    items = _start(api, sitting.attempt_a1).json()["items"]
    Attempt.objects.filter(pk=sitting.attempt_a1.pk).update(
        deadline=timezone.now() - dt.timedelta(seconds=1)
    )
    late = api.client.put(
        f"/api/v1{BASE}/attempts/{sitting.attempt_a1.pk}/items/{items[0]['id']}",
        {"response": "C"},
        content_type="application/json",
    )
    assert late.status_code == 409 and "考试时间已到" in late.json()["detail"]
    state = api.get(f"{BASE}/attempts/{sitting.attempt_a1.pk}").json()
    assert state["status"] == "submitted" and state["auto_submitted"] and state["seconds_left"] == 0


def test_grader_sees_codes_not_names(sitting, api_client_as):
    api = api_client_as(sitting.clerk_a1)
    items = {i["kind"]: i["id"] for i in _start(api, sitting.attempt_a1).json()["items"]}
    api.client.put(
        f"/api/v1{BASE}/attempts/{sitting.attempt_a1.pk}/items/{items[K.OPEN]}",
        {"response": "先受理，再补正。"},
        content_type="application/json",
    )
    api.post(f"{BASE}/attempts/{sitting.attempt_a1.pk}/submit")
    grade = Grade.objects.filter(round=1).get()
    grader = api_client_as(grade.grader)
    tasks = grader.get(f"{BASE}/grading/tasks").json()
    assert [t["code"] for t in tasks] == [sitting.attempt_a1.code]
    assert "甲一" not in json.dumps(tasks, ensure_ascii=False)
    bad = grader.client.put(
        f"/api/v1{BASE}/grading/tasks/{grade.pk}", {"score": "x"}, content_type="application/json"
    )
    assert bad.status_code == 422
    ok = grader.client.put(
        f"/api/v1{BASE}/grading/tasks/{grade.pk}", {"score": "7.5"}, content_type="application/json"
    )
    assert ok.status_code == 200 and ok.json()["score"] == "7.50"
    second = Grade.objects.get(round=2)
    stranger = grader.client.put(
        f"/api/v1{BASE}/grading/tasks/{second.pk}", {"score": 7}, content_type="application/json"
    )
    assert stranger.status_code == 404


def test_admin_bank_endpoints(sitting, api_client_as):
    admin = api_client_as(sitting.admin)
    listing = admin.get(f"{BASE}/questions", {"kind": "single"}).json()
    assert listing["count"] == 1 and listing["items"][0]["config"]["answer"] == ["C"]
    assert admin.get(f"{BASE}/questions", {"difficulty": "9"}).status_code == 422
    point = KnowledgePointFactory(parent=KnowledgePointFactory())
    stem, config = CONFIGS[K.MULTIPLE]
    created = admin.post(
        f"{BASE}/questions",
        {
            "kind": "multiple",
            "stem": stem,
            "config": config,
            "source": "regulation",
            "knowledge_point_ids": [point.pk],
        },
    )
    assert created.status_code == 201
    qid = created.json()["id"]
    missing = admin.post(
        f"{BASE}/questions",
        {
            "kind": "multiple",
            "stem": stem,
            "config": config,
            "source": "regulation",
            "knowledge_point_ids": [999999],
        },
    )
    assert missing.status_code == 400 and missing.json()["field"] == "knowledge_point_ids"
    bad = admin.post(
        f"{BASE}/questions",
        {
            "kind": "single",
            "stem": stem,
            "config": {"options": []},
            "source": "regulation",
            "knowledge_point_ids": [point.pk],
        },
    )
    assert bad.status_code == 400 and bad.json()["field"] == "options"
    update = admin.client.put(
        f"/api/v1{BASE}/questions/{qid}",
        {
            "stem": "新题干",
            "config": config,
            "difficulty": 2,
            "source": "typical_case",
            "knowledge_point_ids": [point.pk],
        },
        content_type="application/json",
    )
    assert update.status_code == 200 and update.json()["version"] == 1
    assert admin.get(f"{BASE}/questions/999999").status_code == 404


def test_admin_exam_endpoints(sitting, api_client_as):
    admin = api_client_as(sitting.admin)
    now = timezone.now()
    bad = admin.post(
        f"{BASE}/exams",
        {
            "title": "t",
            "paper_id": sitting.paper.pk,
            "starts_at": now.isoformat(),
            "ends_at": (now - dt.timedelta(hours=1)).isoformat(),
            "duration_minutes": 30,
        },
    )
    assert bad.status_code == 400 and bad.json()["field"] == "ends_at"
    created = admin.post(
        f"{BASE}/exams",
        {
            "title": "月考",
            "paper_id": sitting.paper.pk,
            "starts_at": now.isoformat(),
            "ends_at": (now + dt.timedelta(hours=1)).isoformat(),
            "duration_minutes": 30,
        },
    )
    assert created.status_code == 201
    exam_id = created.json()["id"]
    assert admin.post(f"{BASE}/exams/{exam_id}/open").status_code == 400  # no candidates
    added = admin.post(f"{BASE}/exams/{exam_id}/candidates", {"staff_ids": [sitting.a1.pk]})
    assert added.json() == {"count": 1}
    zero = admin.post(f"{BASE}/exams/{exam_id}/candidates", {"staff_ids": [0]})
    assert zero.status_code == 422  # not an id at all: refused by the schema
    assert zero.json()["errors"] == [{"field": "staff_ids.0", "message": "数值超出允许范围。"}]
    unknown = admin.post(f"{BASE}/exams/{exam_id}/candidates", {"staff_ids": [999999]})
    assert unknown.status_code == 400 and unknown.json()["field"] == "staff_ids"
    assert admin.post(f"{BASE}/exams/{exam_id}/open").json()["status"] == "open"
    assert admin.post(f"{BASE}/exams/{exam_id}/publish").status_code == 400
    regrade = admin.post(
        f"{BASE}/exams/{sitting.exam.pk}/regrade",
        {"question_id": sitting.questions[K.SINGLE].pk},
    )
    assert regrade.status_code == 400  # nobody submitted yet
    analysis = admin.get(f"{BASE}/exams/{sitting.exam.pk}/analysis").json()
    assert analysis["attempts"] == 0 and analysis["alpha"] is None
    assert admin.get(f"{BASE}/exams/{sitting.exam.pk}/scores").json() == {}
    assert admin.get(f"{BASE}/exams/999999/analysis").status_code == 404


@pytest.mark.parametrize(
    ("method", "path"),
    [
        ("get", "/questions"),
        ("get", "/questions/1"),
        ("post", "/questions"),
        ("post", "/exams"),
        ("post", "/exams/1/open"),
        ("post", "/exams/1/publish"),
        ("post", "/exams/1/regrade"),
        ("get", "/exams/1/analysis"),
        ("get", "/exams/1/scores"),
        ("get", "/my/exams"),
        ("get", "/grading/tasks"),
    ],
)
def test_who_may_call(sitting, api_client_as, role_user, method, path):
    path = path.replace("/1", f"/{sitting.exam.pk}") if "exams/1" in path else path
    anonymous = getattr(api_client_as(None), method)(BASE + path)
    assert anonymous.status_code == 401
    if path in ("/my/exams", "/grading/tasks"):
        assert getattr(api_client_as(role_user()), method)(BASE + path).status_code == 200
        return
    for user in (sitting.clerk_a1, sitting.head_a, sitting.graders[0], role_user(Role.AUDITOR)):
        response = getattr(api_client_as(user), method)(BASE + path, {})
        assert response.status_code in (403, 422), (user, response.status_code)
        if method == "get":
            assert response.status_code == 403


def test_the_contest_board_is_public_and_masks_names(sitting, api_client_as):
    from chuangkou.exams.services import contest
    from chuangkou.org.models import Staff

    c = contest.create_contest(
        actor=sitting.admin, name="比武", staff=Staff.objects.select_related("department")
    )
    board = api_client_as(None).get(f"{BASE}/contests/{c.pk}/board")
    assert board.status_code == 200
    text = json.dumps(board.json(), ensure_ascii=False)
    assert "甲一" not in text and "市场监管局" in text
    assert api_client_as(None).get(f"{BASE}/contests/999/board").status_code == 404
    assert Exam.objects.count() == 1


def test_who_may_change(sitting, api_client_as, role_user):
    """PUT and the remaining POSTs: 401 without a session, 403 for anyone but the admin."""
    q = sitting.questions[K.SINGLE]
    calls = [
        ("put", f"/api/v1{BASE}/questions/{q.pk}"),
        ("post", f"/api/v1{BASE}/exams/{sitting.exam.pk}/candidates"),
        ("post", f"/api/v1{BASE}/exams/{sitting.exam.pk}/close"),
    ]
    body = {
        "staff_ids": [sitting.a1.pk],
        "stem": "x",
        "config": {},
        "difficulty": 3,
        "source": "regulation",
        "knowledge_point_ids": [sitting.point.pk],
    }
    for method, url in calls:
        anonymous = getattr(api_client_as(None).client, method)(
            url, body, content_type="application/json"
        )
        assert anonymous.status_code == 401, url
        for user in (sitting.clerk_a1, sitting.graders[0], sitting.head_a):
            response = getattr(api_client_as(user).client, method)(
                url, body, content_type="application/json"
            )
            assert response.status_code == 403, (url, user)
    closed = api_client_as(sitting.admin).post(f"{BASE}/exams/{sitting.exam.pk}/close")
    assert closed.status_code == 200 and closed.json()["status"] == "closed"
    assert api_client_as(role_user()).get(f"{BASE}/knowledge-points").status_code == 200
