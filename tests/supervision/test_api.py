"""The 督导 API: the same services as the pages, bounded input, the same visibility."""

import datetime as dt

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from chuangkou.core.idempotency import new_key
from chuangkou.core.models import AuditEntry
from chuangkou.hall.models import WindowSignIn
from chuangkou.supervision.models import Finding, Problem, SecretVisit, SittingSlot, VisitPhoto

from .conftest import photo, stored_files, visit_time

pytestmark = pytest.mark.django_db


def _visit_body(**extra) -> dict:
    body = {
        "visited_at": visit_time().isoformat(),
        "windows": ["A01"],
        "checks": [
            {"item": "smile", "result": "bad", "window": "A01", "note": "未起身"},
            {"item": "hands", "result": "ok", "window": "A01"},
        ],
        "summary": "整体良好",
    }
    return {**body, **extra}


def _filed(sv, api_client_as) -> dict:
    response = api_client_as(sv.sup1.user).post(
        f"/supervision/assignments/{sv.assignment.pk}/visit", _visit_body()
    )
    assert response.status_code == 201, response.content
    return response.json()


def test_a_supervisor_files_a_visit_and_a_head_answers_its_finding(sv, api_client_as):
    visit = _filed(sv, api_client_as)
    assert visit["windows"] == ["A01"] and visit["findings"] == 1
    assert {"window": "A01", "item": "smile", "result": "bad"}.items() <= next(
        o for o in visit["observations"] if o["item"] == "smile"
    ).items()
    head = api_client_as(sv.head_a)
    findings = head.get("/supervision/findings", {"state": "pending"}).json()["items"]
    assert [f["item"] for f in findings] == ["smile"]
    confirmed = head.post(f"/supervision/findings/{findings[0]['id']}/confirm")
    assert confirmed.status_code == 200 and confirmed.json()["state"] == "confirmed"
    assert AuditEntry.objects.filter(action="supervision.finding.confirm").count() == 1


def test_photos_are_added_by_multipart_and_checked_by_their_bytes(sv, api_client_as, client_as):
    visit = _filed(sv, api_client_as)
    client = client_as(sv.sup1.user)
    url = f"/api/v1/supervision/visits/{visit['id']}/photos"
    added = client.post(url, {"photos": [photo(), photo("b.png", "PNG")]})
    assert added.status_code == 201 and len(added.json()["photo_ids"]) == 2
    fake = SimpleUploadedFile("x.jpg", b"not an image", "image/jpeg")
    refused = client.post(url, {"photos": [fake]})
    assert refused.status_code == 400 and "只接受" in refused.json()["detail"]
    too_many = client.post(url, {"photos": [photo() for _ in range(5)]})
    assert too_many.status_code == 400 and "最多 6 张" in too_many.json()["detail"]
    assert VisitPhoto.objects.count() == 2 and len(stored_files()) == 2
    assert client_as(sv.sup2.user).post(url, {"photos": [photo()]}).status_code == 404


def test_a_supervisor_sees_only_their_own_assignments_and_visits(sv, api_client_as):
    visit = _filed(sv, api_client_as)
    other = api_client_as(sv.sup2.user)
    assert other.get("/supervision/assignments").json()["items"] == []
    assert other.get(f"/supervision/visits/{visit['id']}").status_code == 404
    again = other.post(f"/supervision/assignments/{sv.assignment.pk}/visit", _visit_body())
    assert again.status_code == 404
    assert api_client_as(sv.head_a).get("/supervision/visits").status_code == 403


@pytest.mark.parametrize(
    ("body", "code", "message"),
    [
        ({"visited_at": "2999-01-01T10:00:00+08:00"}, 400, "不能晚于现在"),
        ({"windows": ["Q42"]}, 400, "没有窗口 Q42"),
        ({"windows": []}, 422, ""),
        ({"visited_at": "not a time"}, 422, ""),
        ({"visited_at": "0001-01-01T00:00:00+08:00"}, 400, "2000 年至 2100 年"),
        ({"windows": ["A" * 11]}, 422, ""),
        ({"checks": [{"item": "smile", "result": "maybe", "window": "A01"}]}, 422, ""),
        ({"checks": [{"item": "nope", "result": "bad", "window": "A01"}]}, 400, "未知的检查项"),
        ({"summary": "a\x00b"}, 400, "NUL"),
    ],
)
def test_bad_visits_are_refused_and_change_nothing(sv, api_client_as, body, code, message):
    response = api_client_as(sv.sup1.user).post(
        f"/supervision/assignments/{sv.assignment.pk}/visit", _visit_body(**body)
    )
    assert response.status_code == code, response.content
    assert message in response.json()["detail"] or response.json().get("errors")
    assert SecretVisit.objects.count() == 0


def test_the_admin_draws_a_plan_reproducibly_and_bad_periods_are_explained(sv, api_client_as):
    admin = api_client_as(sv.admin)
    body = {
        "name": "下月暗访",
        "period_start": "2026-03-02",
        "period_end": "2026-03-31",
        "visits_per_center": 2,
        "seed": 42,
    }
    plan = admin.post("/supervision/plans", body)
    assert plan.status_code == 201 and plan.json()["assignments"] == 4
    backwards = admin.post("/supervision/plans", {**body, "period_end": "2026-02-01"})
    assert backwards.status_code == 400 and "不能早于开始日期" in backwards.json()["detail"]
    far = admin.post("/supervision/plans", {**body, "period_end": "2101-01-01"})
    assert far.status_code == 422
    unknown = admin.post("/supervision/plans", {**body, "center_ids": [999999]})
    assert unknown.status_code == 400 and "中心编号 999999 不存在" in unknown.json()["detail"]
    assert api_client_as(sv.sup1.user).post("/supervision/plans", body).status_code == 403
    assert [p["id"] for p in admin.get("/supervision/plans").json()["items"]] == [
        plan.json()["id"],
        sv.plan.pk,
    ]


def test_a_head_books_records_a_sitting_and_the_figures_count_it(sv, api_client_as):
    admin, head = api_client_as(sv.admin), api_client_as(sv.head_a)
    today = timezone.localdate()
    SittingSlot.objects.create(window=sv.w_a01, date=today, half="am")
    slot = head.get("/supervision/slots", {"start": today.isoformat()}).json()["items"][0]
    booked = head.post(f"/supervision/slots/{slot['id']}/bookings")
    assert booked.status_code == 201, booked.content
    full = api_client_as(sv.admin).post(f"/supervision/slots/{slot['id']}/bookings")
    assert full.status_code == 403
    questions = head.get("/supervision/questionnaire").json()["questions"]
    assert len(questions) == 32
    record = {
        "answers": {"1": "指引清楚", "2": "取号等候 5 分钟"},
        "summary": "体验良好",
        "problems": [
            {"title": "材料清单与窗口要求不一致", "kind": "block"},
            {"title": "叫号屏不清楚", "kind": "pain", "on_spot": True, "resolution": "已调亮"},
        ],
    }
    sitting = head.post(f"/supervision/sittings/{booked.json()['id']}/record", record)
    assert sitting.status_code == 200, sitting.content
    assert sitting.json()["status"] == "recorded" and len(sitting.json()["problem_ids"]) == 2
    figures = admin.get("/supervision/figures", {"as_of": today.isoformat()}).json()
    assert (figures["sittings"], figures["found"], figures["quick"]) == (1, 2, 1)
    assert figures["by_kind"]["堵点"]["found"] == 1
    before = admin.get("/supervision/figures", {"as_of": (today - dt.timedelta(1)).isoformat()})
    assert before.json()["found"] == 0
    assert admin.get("/supervision/figures", {"as_of": "1999-12-31"}).status_code == 422


def test_a_problem_moves_through_its_states_and_reopens(sv, api_client_as):
    admin, head = api_client_as(sv.admin), api_client_as(sv.head_a)
    body = {"title": "跨部门材料重复提交", "kind": "hard", "owner_id": sv.dept_a.pk}
    made = head.post("/supervision/problems", {**body, "coordinating_ids": [sv.dept_b.pk]})
    assert made.status_code == 201, made.content
    url = f"/supervision/problems/{made.json()['id']}"
    wrong = head.post(f"{url}/resolve", {"resolution": "x"})
    assert wrong.status_code == 400 and "不能登记解决" in wrong.json()["detail"]
    assert head.post(f"{url}/coordinate", {"note": "会同人力社保"}).status_code == 200
    assert head.post(f"{url}/resolve", {"resolution": "数据共享"}).status_code == 200
    assert head.post(f"{url}/close", {}).status_code == 403
    assert admin.post(f"{url}/close", {"note": "验收"}).json()["state"] == "closed"
    reopened = admin.post(f"{url}/reopen", {"reason": "群众再次反映"})
    assert reopened.json()["state"] == "found"
    actions = [e["action"] for e in reopened.json()["history"]]
    assert actions == ["发现问题", "转入协调", "协调解决", "关闭", "重新打开"]
    consult = admin.post(f"{url}/consult", {"resolution": "已解决"})
    assert consult.status_code == 422
    assert Problem.objects.get().state == "found"


def test_bad_problem_input_is_explained(sv, api_client_as):
    head = api_client_as(sv.head_a)
    base = {"title": "问题", "kind": "pain", "owner_id": sv.dept_a.pk}
    assert head.post("/supervision/problems", {**base, "owner_id": 2**63}).status_code == 422
    missing = head.post("/supervision/problems", {**base, "owner_id": 999999})
    assert missing.status_code == 400 and "部门编号 999999 不存在" in missing.json()["detail"]
    future = head.post("/supervision/problems", {**base, "found_on": "2099-01-01"})
    assert future.status_code == 400 and "不能晚于今天" in future.json()["detail"]
    assert head.post("/supervision/problems", {**base, "kind": "other"}).status_code == 422
    assert head.get("/supervision/problems/999999").status_code == 404
    assert Problem.objects.count() == 0


def test_a_dispute_with_evidence_is_decided_by_the_admin(sv, api_client_as, client_as):
    signed_in = visit_time() - dt.timedelta(hours=1)
    WindowSignIn.objects.create(
        window=sv.w_a01, staff=sv.a1, user=sv.clerk_a1, signed_in_at=signed_in
    )
    _filed(sv, api_client_as)
    finding = Finding.objects.get()
    url = f"/api/v1/supervision/findings/{finding.pk}/dispute"
    disputed = client_as(sv.head_a).post(
        url, {"reason": "当时正在接听业务咨询电话", "evidence": photo()}
    )
    assert disputed.status_code == 200, disputed.content
    assert disputed.json()["state"] == "disputed" and disputed.json()["has_evidence"]
    clerk = api_client_as(sv.clerk_a1)
    assert clerk.get(f"/supervision/findings/{finding.pk}").status_code == 404
    decided = api_client_as(sv.admin).post(
        f"/supervision/findings/{finding.pk}/decision", {"upheld": False}
    )
    assert decided.json()["state"] == "confirmed"
    assert clerk.get(f"/supervision/findings/{finding.pk}").status_code == 200


def test_a_retried_report_with_the_same_idempotency_key_creates_one_problem(sv, client_as):
    client = client_as(sv.head_a)
    body = {"title": "等候区座位不足", "kind": "pain", "owner_id": sv.dept_a.pk}
    key = new_key()
    answers = [
        client.post(
            "/api/v1/supervision/problems",
            body,
            content_type="application/json",
            headers={"Idempotency-Key": key},
        )
        for _ in range(2)
    ]
    assert [a.status_code for a in answers] == [201, 201]
    assert answers[0].json()["id"] == answers[1].json()["id"]
    assert Problem.objects.count() == 1
