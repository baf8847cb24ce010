"""Pages: the check-in link, the screen, lists with filters and exports, bad input."""

import datetime as dt

import pytest
from django.utils import timezone

from chuangkou.core.models import AuditEntry
from chuangkou.training import checkin
from chuangkou.training.models import Attendance

from .conftest import plan


@pytest.fixture
def live(tw):
    """An event of department A running now."""
    tw.live = plan(tw, starts_at=timezone.now() - dt.timedelta(minutes=5), title="正在进行")
    return tw


def test_checkin_link_checks_in(live, client_as):
    token = checkin.checkin_token(live.live.pk)
    response = client_as(live.clerk_a1).get(f"/training/c/{token}/")
    assert response.status_code == 200
    assert "签到成功" in response.content.decode()
    assert Attendance.objects.get(event=live.live).status == Attendance.Status.PRESENT
    again = client_as(live.clerk_a1).get(f"/training/c/{token}/")
    assert "您已签到" in again.content.decode()


def test_checkin_refused_with_message(live, client_as):
    token = checkin.checkin_token(live.live.pk)
    response = client_as(live.clerk_b1).get(f"/training/c/{token}/")
    assert response.status_code == 403
    assert "不在本次培训的参训范围" in response.content.decode()
    forged = client_as(live.clerk_a1).get("/training/c/1-1:abc/")
    assert forged.status_code == 400 and "签到码无效" in forged.content.decode()
    old = checkin.checkin_token(live.live.pk, now=timezone.now().timestamp() - 120)
    expired = client_as(live.clerk_a1).get(f"/training/c/{old}/")
    assert expired.status_code == 400 and "已过期" in expired.content.decode()
    assert not Attendance.objects.exists()


def test_checkin_needs_login(live, client):
    token = checkin.checkin_token(live.live.pk)
    response = client.get(f"/training/c/{token}/")
    assert response.status_code == 302 and "/login" in response["Location"]


def test_screen_shows_rotating_qr(live, client_as):
    page = client_as(live.admin).get(f"/training/{live.live.pk}/screen/")
    html = page.content.decode()
    assert page.status_code == 200 and "<svg" in html and 'hx-trigger="every 5s"' in html
    assert "/training/c/" in html
    partial = client_as(live.admin).get(f"/training/{live.live.pk}/qr/")
    assert partial.status_code == 200 and "<svg" in partial.content.decode()
    assert client_as(live.clerk_a1).get(f"/training/{live.live.pk}/screen/").status_code == 403


def test_create_event_form(tw, client_as):
    data = {
        "title": "服务礼仪",
        "kind": "etiquette",
        "starts_at": "2018-07-01T09:00",
        "ends_at": "2018-07-01T08:00",
        "place": "一楼",
        "hours": "1",
        "capacity": "0",
        "departments": [tw.dept_b.pk],
    }
    client = client_as(tw.admin)
    bad = client.post("/training/new/", data)
    assert bad.status_code == 200 and "结束时间须晚于开始时间" in bad.content.decode()
    data["ends_at"] = "2018-07-01T11:00"
    done = client.post("/training/new/", data)
    assert done.status_code == 302


def test_create_prefilled_from_need(tw, client_as):
    page = client_as(tw.admin).get(f"/training/new/?department={tw.dept_b.pk}&point=abc")
    assert page.status_code == 200
    assert f'<option value="{tw.dept_b.pk}" selected>' in page.content.decode()


def test_signup_feedback_and_correct(live, client_as):
    clerk = client_as(live.clerk_a1)
    assert clerk.post(f"/training/{live.live.pk}/signup/").status_code == 302
    assert Attendance.objects.filter(event=live.live, staff=live.a1).exists()
    refused = clerk.post(f"/training/{live.live.pk}/feedback/", {"rating": 5, "usefulness": 5})
    assert refused.status_code == 302 and not live.live.feedbacks.exists()
    admin = client_as(live.admin)
    admin.post(
        f"/training/{live.live.pk}/correct/",
        {"staff": live.a1.pk, "status": "present", "reason": "现场核实"},
    )
    assert Attendance.objects.get(event=live.live, staff=live.a1).status == "present"
    clerk.post(f"/training/{live.live.pk}/feedback/", {"rating": 4, "usefulness": 5})
    detail = clerk.get(f"/training/{live.live.pk}/").content.decode()
    assert "总体 4" in detail and "您已评价" in detail


@pytest.mark.parametrize(
    "query",
    ["", "?kind=bad", "?start=0001-01-01", "?q=%00", "?page=999999999999", "?start=2018-06-01"],
)
def test_lists_never_fail(tw, client_as, query):
    client = client_as(tw.admin)
    for path in ("/training/", "/training/hours/", "/training/suggestions/", "/training/needs/"):
        expected = 400 if "%00" in query else 200  # NUL is refused by the shared middleware
        assert client.get(path + query).status_code == expected, path


def test_exports_are_audited(tw, client_as):
    client = client_as(tw.admin)
    for path in ("/training/", "/training/hours/", "/training/suggestions/"):
        response = client.get(path + "?export=xlsx")
        assert response["Content-Type"].startswith("application/vnd.openxml")
    assert AuditEntry.objects.filter(action="data.export").count() == 3


def test_my_trainings_page(live, client_as):
    html = client_as(live.clerk_a1).get("/training/mine/").content.decode()
    assert "正在进行" in html and "可报名" in html


def test_suggestion_flow_pages(tw, client_as):
    clerk = client_as(tw.clerk_a1)
    response = clerk.post(
        "/training/suggestions/new/",
        {
            "aspect": "publicity",
            "title": "公众号发布办事指南",
            "content": "建议每周推送一件事指南。",
        },
    )
    assert response.status_code == 302
    pk = int(response["Location"].rstrip("/").rsplit("/", 1)[1])
    admin = client_as(tw.admin)
    admin.post(f"/training/suggestions/{pk}/decide/", {"adopted": "1", "reason": "很好"})
    assert "已采纳" in clerk.get(f"/training/suggestions/{pk}/").content.decode()
    assert (
        clerk.post(
            f"/training/suggestions/{pk}/decide/", {"adopted": "1", "reason": "x"}
        ).status_code
        == 403
    )
    assert admin.post(f"/training/suggestions/{pk}/other/").status_code == 404
    assert client_as(tw.clerk_b1).get(f"/training/suggestions/{pk}/").status_code == 404
