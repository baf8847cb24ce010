"""The API calls the same services: create, sign up, check in, feedback, hours, suggestions."""

import datetime as dt

from django.utils import timezone

from chuangkou.training import checkin

from .conftest import plan


def _body(tw, **change):
    return {
        "title": "专家授课：最多跑一次",
        "kind": "expert",
        "starts_at": "2018-06-20T09:00:00+08:00",
        "ends_at": "2018-06-20T11:00:00+08:00",
        "place": "五楼会议室",
        "hours": "2.5",
        "department_ids": [tw.dept_a.pk],
    } | change


def test_create_and_read(tw, api_client_as):
    api = api_client_as(tw.admin)
    response = api.post("/training/events", _body(tw))
    assert response.status_code == 201, response.content
    event = response.json()
    assert event["audience"] == "部门：市场监管局" and event["hours"] == "2.5"
    assert api.get(f"/training/events/{event['id']}").json()["title"] == "专家授课：最多跑一次"
    assert api.get("/training/events?kind=expert").json()["count"] == 1


def test_bad_bodies_are_4xx(tw, api_client_as):
    api = api_client_as(tw.admin)
    for change in (
        {"department_ids": [999999]},
        {"ends_at": "2018-06-20T08:00:00+08:00"},
        {"hours": "1000"},
        {"kind": "party"},
        {"starts_at": "0001-01-01T00:00:00"},
        {"title": "a\x00b"},
    ):
        response = api.post("/training/events", _body(tw, **change))
        assert 400 <= response.status_code < 500, change
        assert "detail" in response.json()
    assert api_client_as(tw.clerk_a1).post("/training/events", _body(tw)).status_code == 403


def test_checkin_feedback_hours(tw, api_client_as):
    event = plan(tw, starts_at=timezone.now() - dt.timedelta(minutes=20))
    api = api_client_as(tw.clerk_a1)
    response = api.post("/training/checkin", {"token": checkin.checkin_token(event.pk)})
    assert response.status_code == 200 and response.json()["status"] == "late"
    assert api.post("/training/checkin", {"token": "1-2:x"}).status_code == 400
    outsider = api_client_as(tw.clerk_b1)
    refused = outsider.post("/training/checkin", {"token": checkin.checkin_token(event.pk)})
    assert refused.status_code == 403 and "参训范围" in refused.json()["detail"]
    fb = api.post(f"/training/events/{event.pk}/feedback", {"rating": 5, "usefulness": 3})
    assert fb.status_code == 201 and fb.json()["count"] == 1
    again = api.post(f"/training/events/{event.pk}/feedback", {"rating": 5, "usefulness": 3})
    assert again.status_code == 409
    rows = api_client_as(tw.admin).get("/training/hours").json()
    assert rows == [
        {
            "staff_no": tw.a1.staff_no,
            "name": "甲一",
            "department": "市场监管局",
            "events": 1,
            "hours": "2.0",
        }
    ]


def test_suggestions(tw, api_client_as):
    api = api_client_as(tw.clerk_a1)
    created = api.post(
        "/training/suggestions",
        {"aspect": "attitude", "title": "微笑服务", "content": "建议评比。"},
    )
    assert created.status_code == 201 and created.json()["aspect_label"] == "服务态度"
    assert api.get("/training/suggestions").json()["count"] == 1
    assert api_client_as(tw.clerk_b1).get("/training/suggestions").json()["count"] == 0
