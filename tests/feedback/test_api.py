"""The feedback API: good paths, and bad input that must give a clear 4xx, never a 500."""

import datetime as dt
import uuid

import pytest
from django.core import signing
from django.utils import timezone

from chuangkou.feedback import services
from chuangkou.feedback.models import Evaluation, Rectification
from chuangkou.feedback.pad import PAD_SALT, pad_token

from .factories import CaseFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def anon(api_client_as):
    return api_client_as(None)


def pad_url(fb, suffix="ratings"):
    return f"/feedback/pad/{fb.w_a01.pk}/{suffix}"


def test_pad_flow(fb, anon):
    token = pad_token(window=fb.w_a01, staff=fb.a1)
    state = anon.get(pad_url(fb, "current"), {"token": token}).json()
    assert state == {
        "window_number": "A01",
        "staff_name": "甲一",
        "ticket_number": fb.ticket_a.number,
    }

    response = anon.post(pad_url(fb), {"token": token, "level": 5, "comment": "好"})
    assert response.status_code == 201
    assert response.json()["level_label"] == "非常满意"
    assert anon.get(pad_url(fb, "current"), {"token": token}).json()["ticket_number"] is None
    again = anon.post(pad_url(fb), {"token": token, "level": 5})
    assert again.status_code == 400
    assert "当前没有可评价的业务" in again.json()["detail"]


@pytest.mark.parametrize(
    "token",
    [
        "",
        "forged",
        signing.dumps({"w": 1, "s": 1}, salt="another-salt"),
        signing.dumps({"w": 99999, "s": 1}, salt=PAD_SALT),
    ],
)
def test_a_forged_or_moved_pad_token_is_refused(fb, anon, token):
    assert anon.get(pad_url(fb, "current"), {"token": token}).status_code == 403
    response = anon.post(pad_url(fb), {"token": token, "level": 5})
    assert response.status_code == 403
    assert "评价器链接" in response.json()["detail"]
    assert not Evaluation.objects.exists()


def test_a_token_for_another_window_is_refused(fb, anon):
    token = pad_token(window=fb.w_b01, staff=fb.b1)
    assert anon.post(pad_url(fb), {"token": token, "level": 5}).status_code == 403


def test_an_expired_pad_token_is_refused(fb, anon, settings, monkeypatch):
    token = pad_token(window=fb.w_a01, staff=fb.a1)
    monkeypatch.setattr("chuangkou.feedback.pad.PAD_TOKEN_MAX_AGE", -1)
    response = anon.post(pad_url(fb), {"token": token, "level": 5})
    assert response.status_code == 403
    assert "过期" in response.json()["detail"]


@pytest.mark.parametrize(
    ("body", "status"),
    [
        ({"level": 0}, 400),
        ({"level": 6}, 400),
        ({"level": "x"}, 422),
        ({}, 422),
        ({"level": 5, "comment": "长" * 501}, 422),
    ],
)
def test_bad_levels_and_bodies(fb, anon, body, status):
    token = pad_token(window=fb.w_a01, staff=fb.a1)
    response = anon.post(pad_url(fb), {"token": token, **body})
    assert response.status_code == status
    assert response.json()["detail"]


def test_malformed_json_is_a_4xx(fb, anon):
    response = anon.post(pad_url(fb), raw="{not json")
    assert 400 <= response.status_code < 500


def test_phone_rating_and_follow_up(fb, anon):
    url = f"/feedback/tickets/{fb.ticket_a.public_token}"
    state = anon.get(f"{url}/rating").json()
    assert state["can_rate"] is True and state["window_number"] == "A01"
    assert "phone" not in state  # no personal data
    assert anon.post(f"{url}/ratings", {"level": 2, "comment": "慢"}).status_code == 201
    assert anon.post(f"{url}/ratings", {"level": 2}).status_code == 400  # rated already
    follow = anon.post(f"{url}/ratings", {"level": 4, "follow_up": True})
    assert follow.status_code == 201 and follow.json()["follow_up"] is True
    assert anon.post(f"{url}/ratings", {"level": 5, "follow_up": True}).status_code == 400
    state = anon.get(f"{url}/rating").json()
    assert (state["can_rate"], state["can_follow_up"], state["level"]) == (False, False, 4)


def test_phone_rating_of_unknown_or_unfinished_tickets(fb, anon):
    assert anon.get(f"/feedback/tickets/{uuid.uuid4()}/rating").status_code == 404
    assert anon.get("/feedback/tickets/not-a-uuid/rating").status_code == 404
    url = f"/feedback/tickets/{fb.waiting.public_token}"
    assert anon.get(f"{url}/rating").json()["can_rate"] is False
    assert anon.post(f"{url}/ratings", {"level": 5}).status_code == 400


def test_staff_entry(fb, api_client_as):
    lobby = api_client_as(fb.lobby)
    response = lobby.post(
        "/feedback/ratings",
        {"channel": "hotline", "level": 1, "case_id": fb.case_a.pk, "contact_phone": "13900001111"},
    )
    assert response.status_code == 201
    assert response.json()["rectification_id"] is not None
    unknown = lobby.post("/feedback/ratings", {"channel": "sms", "level": 5, "case_id": 999999})
    assert unknown.status_code == 400 and unknown.json()["field"] == "case_id"
    assert lobby.post("/feedback/ratings", {"channel": "pad", "level": 5}).status_code == 422
    both = lobby.post(
        "/feedback/ratings",
        {"channel": "sms", "level": 5, "case_id": fb.case_b.pk, "ticket_id": fb.ticket_b.pk},
    )
    assert both.status_code == 400


def test_staff_entry_with_a_token(fb, api_client_as):
    machine = api_client_as(fb.lobby, token=True)
    response = machine.post(
        "/feedback/ratings", {"channel": "web", "level": 4, "case_id": fb.case_b.pk}
    )
    assert response.status_code == 201


def test_satisfaction_figures(fb, api_client_as):
    services.rate(actor=fb.admin, channel="sms", level=5, case=fb.case_a)
    services.rate(actor=fb.admin, channel="sms", level=2, case=fb.case_b)
    body = api_client_as(fb.admin).get("/feedback/satisfaction").json()
    assert (body["total"], body["rate_percent"], body["bad_share_percent"]) == (2, 50.0, 50.0)
    assert "有效评价数" in body["formula"]
    assert {row["label"] for row in body["by"]} == {fb.dept_a.name, fb.dept_b.name}
    head = api_client_as(fb.head_a).get("/feedback/satisfaction", {"by": "staff"}).json()
    assert head["total"] == 1 and head["by"][0]["label"] == "甲一"


@pytest.mark.parametrize(
    "params",
    [{"start": "2018-13-01"}, {"department": "abc"}, {"by": "nothing"}, {"channel": "fax"}],
)
def test_satisfaction_bad_params(fb, api_client_as, params):
    response = api_client_as(fb.admin).get("/feedback/satisfaction", params)
    assert response.status_code == 422


def test_rectification_actions(fb, api_client_as):
    rect = services.rate(actor=fb.admin, channel="sms", level=1, case=fb.case_a).rectification
    head = api_client_as(fb.head_a)
    listed = head.get("/feedback/rectifications").json()
    assert listed["count"] == 1
    assert listed["items"][0]["citizen_phone"].count("*") == 4  # masked in the list
    detail = head.get(f"/feedback/rectifications/{rect.pk}").json()
    assert detail["citizen_phone"] == fb.case_a.applicant_phone  # the handler calls back

    assert (
        head.post(f"/feedback/rectifications/{rect.pk}/rectify", {"reply": "x"}).status_code == 400
    )
    called = head.post(f"/feedback/rectifications/{rect.pk}/callback", {"note": "已回访"})
    assert called.status_code == 200 and called.json()["state"] == "rectifying"
    appeal = head.post(
        f"/feedback/rectifications/{rect.pk}/appeal", {"kind": "invalid", "reason": "误评"}
    )
    assert appeal.json()["state"] == "appealing"
    assert (
        head.post(
            f"/feedback/rectifications/{rect.pk}/decision", {"decision": "upheld", "note": "x"}
        ).status_code
        == 403
    )
    decided = api_client_as(fb.admin).post(
        f"/feedback/rectifications/{rect.pk}/decision", {"decision": "upheld", "note": "属实"}
    )
    assert decided.json()["state"] == "invalidated"
    assert [e["to_state"] for e in decided.json()["events"]][-1] == "invalidated"


def test_rectification_bad_input(fb, api_client_as):
    admin = api_client_as(fb.admin)
    assert admin.get("/feedback/rectifications/999999").status_code == 404
    assert admin.get("/feedback/rectifications", {"state": "nonsense"}).status_code == 422
    assert admin.post("/feedback/rectifications/999999/callback", {"note": "x"}).status_code == 404
    rect = services.rate(actor=fb.admin, channel="sms", level=1, case=fb.case_a).rectification
    assert admin.post(f"/feedback/rectifications/{rect.pk}/callback", {}).status_code == 422
    assert (
        admin.post(f"/feedback/rectifications/{rect.pk}/callback", {"note": ""}).status_code == 400
    )
    assert (
        admin.post(
            f"/feedback/rectifications/{rect.pk}/appeal", {"kind": "other", "reason": "x"}
        ).status_code
        == 422
    )
    assert admin.post(f"/feedback/rectifications/{rect.pk}/callback", raw="[").status_code == 422
    assert Rectification.objects.get(pk=rect.pk).state == "pending"


def test_survey_api(fb, api_client_as):
    for i in range(6):
        CaseFactory(number=f"S{i}", matter=fb.matter_a, center=fb.main)
    admin = api_client_as(fb.admin)
    today = timezone.localdate()
    body = {
        "region_id": fb.region.pk,
        "name": "本月抽样",
        "period_start": str(today - dt.timedelta(days=20)),
        "period_end": str(today),
        "sample_size": 4,
        "seed": 11,
    }
    created = admin.post("/feedback/surveys", body)
    assert created.status_code == 201
    survey_id = created.json()["id"]
    samples = admin.get(f"/feedback/surveys/{survey_id}/samples").json()["items"]
    assert len(samples) == created.json()["drawn"] == 4
    interview = admin.post(
        f"/feedback/surveys/{survey_id}/samples/{samples[0]['id']}/interview",
        {"reached": True, "visits_reported": 1, "satisfied": True},
    )
    assert interview.status_code == 200
    missing = admin.post(
        f"/feedback/surveys/{survey_id}/samples/{samples[1]['id']}/interview", {"reached": True}
    )
    assert missing.status_code == 400 and missing.json()["field"] == "visits_reported"
    report = admin.get(f"/feedback/surveys/{survey_id}/report").json()
    assert report["realization"]["rate_percent"] == 100.0
    assert report["realization_change_points"] is None
    assert "Wilson" in report["formula"]
    assert admin.post("/feedback/surveys", {**body, "region_id": 99999}).status_code == 400
    assert admin.post("/feedback/surveys", {**body, "period_start": "x"}).status_code == 422
    assert admin.get("/feedback/surveys/99999/report").status_code == 404
    unknown = f"/feedback/surveys/{survey_id}/samples/999999/interview"
    assert admin.post(unknown, {"reached": False}).status_code == 404
