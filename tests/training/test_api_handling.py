"""The API's courseware (list, upload, detail), training needs and suggestion handling (assign,
answer, adopt/decline, turn into a problem), over the same services; the home cards; the
read-only admin."""

import datetime as dt

from django.contrib import admin as django_admin
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from chuangkou.core.home import cards_for
from chuangkou.core.models import AuditEntry
from chuangkou.training import services
from chuangkou.training.models import Attendance, Courseware, Suggestion, TrainingEvent

from .conftest import plan
from .test_courseware import docx_bytes, upload

FIELDS = {
    "title": "社保业务操作",
    "domain": "社保",
    "speaker": "乙一",
    "summary": "摘要",
    "key_points": "一\n二",
}


def test_courseware_upload_list_detail(tw, api_client_as):
    api = api_client_as(tw.clerk_a1)
    url = "/api/v1/training/courseware"
    made = api.client.post(
        url, FIELDS | {"event_id": tw.event.pk, "file": SimpleUploadedFile("a.docx", docx_bytes())}
    )
    assert made.status_code == 201, made.content
    body = made.json()
    assert body["key_points"] == ["一", "二"] and body["event_id"] == tw.event.pk
    assert body["year"] == 2018 and body["original_name"] == "a.docx"
    disguised = api.client.post(url, FIELDS | {"file": SimpleUploadedFile("a.pdf", b"MZ\x90")})
    assert disguised.status_code == 400 and "文件类型不符" in disguised.json()["detail"]
    missing = api.client.post(url, FIELDS)
    assert missing.status_code == 400 and missing.json()["field"] == "file"
    no_event = api.client.post(
        url, FIELDS | {"event_id": 99999999, "file": SimpleUploadedFile("a.docx", docx_bytes())}
    )
    assert no_event.status_code == 400 and no_event.json()["field"] == "event_id"
    nul = api.client.post(
        url, FIELDS | {"title": "a\x00b", "file": SimpleUploadedFile("a.docx", docx_bytes())}
    )
    assert nul.status_code in (400, 422)
    assert Courseware.objects.count() == 1
    listed = api_client_as(tw.admin).get("/training/courseware", {"domain": "社保"}).json()
    assert listed["count"] == 1 and listed["items"][0]["title"] == "社保业务操作"
    assert api.get(f"/training/courseware/{body['id']}").json()["size"] > 0
    assert api.get("/training/courseware/99999999").status_code == 404
    assert api.get("/training/courseware", {"year": 1}).status_code == 422


def test_needs(tw, api_client_as):
    assert api_client_as(tw.admin).get("/training/needs").json() == []
    assert api_client_as(tw.clerk_a1).get("/training/needs").status_code == 403


def _suggestion(tw) -> Suggestion:
    return services.file_suggestion(
        actor=tw.clerk_a1, aspect="support", title="增设饮水机", content="大厅饮水不便。"
    )


def test_suggestion_handling(tw, api_client_as):
    s = _suggestion(tw)
    admin, clerk, head = (api_client_as(u) for u in (tw.admin, tw.clerk_a1, tw.head_a))
    base = f"/training/suggestions/{s.pk}"
    assert clerk.get(base).json()["title"] == "增设饮水机"
    assert api_client_as(tw.clerk_b1).get(base).status_code == 404
    assert clerk.post(f"{base}/assign", {"assignee_id": tw.head_a.pk}).status_code == 403
    assert clerk.post(f"{base}/assign", {"assignee_id": 99999999}).status_code == 403
    assert admin.post(f"{base}/assign", {"assignee_id": 99999999}).status_code == 400
    wrong = admin.post(f"{base}/assign", {"assignee_id": tw.clerk_b1.pk})
    assert wrong.status_code == 400 and wrong.json()["field"] == "assignee"
    assigned = admin.post(f"{base}/assign", {"assignee_id": tw.head_a.pk})
    assert assigned.status_code == 200 and assigned.json()["status"] == "assigned"
    assert head.post(f"{base}/answer", {"answer": ""}).status_code in (400, 422)
    answered = head.post(f"{base}/answer", {"answer": "下月落实。"})
    assert answered.json()["status"] == "answered" and answered.json()["answer"] == "下月落实。"
    assert clerk.post(f"{base}/answer", {"answer": "自己答"}).status_code == 403
    assert head.post(f"{base}/decision", {"adopted": True, "reason": "可行"}).status_code == 403
    assert admin.post(f"{base}/decision", {"adopted": "maybe", "reason": "x"}).status_code == 422
    declined = admin.post(f"{base}/decision", {"adopted": False, "reason": "场地所限"})
    assert declined.json()["status"] == "declined"
    assert declined.json()["decision_reason"] == "场地所限"
    again = admin.post(f"{base}/decision", {"adopted": True, "reason": "再议"})
    assert again.status_code == 400 and "不能再处理" in again.json()["detail"]
    actions = AuditEntry.objects.filter(object_type="training.suggestion", object_id=str(s.pk))
    assert list(actions.order_by("pk").values_list("action", flat=True)) == [
        "training.suggestion.file",
        "training.suggestion.assign",
        "training.suggestion.answer",
        "training.suggestion.decide",
    ]


def test_suggestion_to_problem(tw, api_client_as):
    s = _suggestion(tw)
    admin = api_client_as(tw.admin)
    base = f"/training/suggestions/{s.pk}/problem"
    assert admin.post(base, {"kind": "pain", "owner_id": 99999999}).status_code == 400
    assert admin.post(base, {"kind": "other", "owner_id": tw.dept_a.pk}).status_code == 422
    assert (
        api_client_as(tw.clerk_a1).post(base, {"kind": "pain", "owner_id": tw.dept_a.pk})
    ).status_code == 403
    made = admin.post(base, {"kind": "pain", "owner_id": tw.dept_a.pk})
    assert made.status_code == 201 and made.json()["problem_id"]
    assert (
        admin.get(f"/training/suggestions/{s.pk}").json()["problem_id"] == made.json()["problem_id"]
    )
    twice = admin.post(base, {"kind": "pain", "owner_id": tw.dept_a.pk})
    assert twice.status_code == 400 and "已转为问题" in twice.json()["detail"]


# -- home cards ----------------------------------------------------------------------------------


def _card(user, template: str) -> dict | None:
    return next((c for c in cards_for(user) if c["template"] == template), None)


def test_home_cards(tw, client_as):
    now = timezone.now()
    past = plan(tw, title="年初培训", starts_at=now.replace(month=1, day=2) + dt.timedelta(hours=1))
    if past.starts_at > now:  # the first days of January: nothing earlier this year
        TrainingEvent.objects.filter(pk=past.pk).delete()
    else:
        Attendance.objects.create(event=past, staff=tw.a1, status=Attendance.Status.PRESENT)
    soon = plan(tw, title="下周业务培训", starts_at=now + dt.timedelta(days=7))
    plan(tw, title="乙部门培训", starts_at=now + dt.timedelta(days=3), departments=[tw.dept_b])
    _suggestion(tw)
    card = _card(tw.clerk_a1, "training/_home_training.html")
    assert [e.pk for e in card["coming"]] == [soon.pk]
    if past.pk and TrainingEvent.objects.filter(pk=past.pk).exists():
        assert (card["events"], str(card["hours"])) == (1, "2.0")
    assert _card(tw.admin, "training/_home_training.html") is None  # no staff record
    desk = _card(tw.admin, "training/_home_training_admin.html")
    assert desk["open_suggestions"] == 1 and desk["unassigned"] == 1
    assert len(desk["coming"]) == 2
    assert _card(tw.clerk_a1, "training/_home_training_admin.html") is None
    page = client_as(tw.clerk_a1).get("/").content.decode()
    assert "我的培训" in page and "下周业务培训" in page and "乙部门培训" not in page
    admin_page = client_as(tw.admin).get("/").content.decode()
    assert "培训与建议" in admin_page and "尚未处理" in admin_page


def test_admin_is_read_only(tw, rf):
    registered = [m for m in django_admin.site._registry if m._meta.app_label == "training"]
    assert len(registered) == 8
    request = rf.get("/")
    request.user = tw.admin
    for model in registered:
        model_admin = django_admin.site._registry[model]
        assert not model_admin.has_add_permission(request)
        assert not model_admin.has_change_permission(request)
        assert not model_admin.has_delete_permission(request)
    assert upload(tw).pk  # the services still write
