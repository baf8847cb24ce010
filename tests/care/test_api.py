"""API: the same services as the pages, errors as 4xx with Chinese messages."""

import pytest

from chuangkou.care.models import PsychLeave
from chuangkou.core.roles import Role
from tests.factories import UserFactory

from .conftest import next_month_start, working_days

pytestmark = pytest.mark.django_db


def test_leave_api(care, api_client_as):
    api = api_client_as(care.clerk_a1)
    first, second = working_days(next_month_start(), 2)
    created = api.post("/care/leave", {"date": first.isoformat()})
    assert created.status_code == 201 and created.json()["cancellable"] is True
    refused = api.post("/care/leave", {"date": second.isoformat()})
    assert refused.status_code == 400 and "每月只能休 1 天" in refused.json()["detail"]
    assert api.post("/care/leave", {"date": "3000-01-01"}).status_code == 422
    assert [row["date"] for row in api.get("/care/leave").json()] == [first.isoformat()]
    leave = PsychLeave.objects.get()
    assert api.post(f"/care/leave/{leave.pk}/cancel").status_code == 200
    assert api.post(f"/care/leave/{2**64}/cancel").status_code == 422


def test_counseling_api_and_note_privacy(care, api_client_as):
    w = care
    clerk = api_client_as(w.clerk_a1)
    slots = clerk.get("/care/slots").json()
    assert len(slots) == 3
    booked = clerk.post(f"/care/slots/{slots[0]['id']}/book")
    assert booked.status_code == 201 and booked.json()["client"] is None
    again = api_client_as(w.clerk_b1).post(f"/care/slots/{slots[0]['id']}/book")
    assert again.status_code == 400
    appointment_id = booked.json()["id"]
    counselor = api_client_as(w.counselor)
    note = f"/care/appointments/{appointment_id}/note"
    assert counselor.post(note, {"text": "保密内容"}).status_code == 200
    assert counselor.get(note).json()["text"] == "保密内容"
    assert clerk.get(note).status_code == 403
    for role in (Role.CENTER_ADMIN, Role.SYSADMIN, Role.AUDITOR):
        assert api_client_as(UserFactory(roles=[role])).get(note).status_code in (403, 404)


def test_figures_and_staffing_api(care, api_client_as):
    figures = api_client_as(care.admin).get("/care/leave/figures", {"year": 2026})
    assert figures.status_code == 200 and len(figures.json()["counseling_sessions"]) == 12
    head = api_client_as(care.head_a)
    assert head.get("/care/leave/staffing").status_code == 200
    wide = head.get("/care/leave/staffing", {"start": "2026-01-01", "end": "2026-12-31"})
    assert wide.status_code == 400


def test_talk_api(care, api_client_as):
    head = api_client_as(care.head_a)
    body = {"staff_id": care.b1.pk, "date": "2018-03-05", "topic": "pressure"}
    assert head.post("/care/talks", body).status_code == 400  # not their department
    body["staff_id"] = care.a2.pk
    assert head.post("/care/talks", body).status_code == 201
    assert head.get("/care/talks").json()["count"] == 1
    assert api_client_as(care.clerk_a1).get("/care/talks").status_code == 403
