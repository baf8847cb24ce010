"""Pages: take and cancel leave, book and cancel counseling, the counselor's notes (404 for
anyone else), figures and talks with Excel export; bad input gives a message, never a 500."""

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from chuangkou.care import services
from chuangkou.care.models import Appointment, PsychLeave
from chuangkou.core.roles import Role
from tests.factories import UserFactory

from .conftest import next_month_start, working_days

pytestmark = pytest.mark.django_db
SECRET = "来访者提到家庭变故，情绪低落。"


def _in_days(days: int) -> str:
    """A datetime-local form value `days` from now (the server's time zone)."""
    return f"{timezone.localtime() + dt.timedelta(days=days):%Y-%m-%dT%H:%M}"


def test_take_leave_page(care, client_as):
    w = care
    client = client_as(w.clerk_a1)
    first, second = working_days(next_month_start(), 2)
    response = client.post(reverse("care:my_leave"), {"date": first.isoformat()})
    assert response.status_code == 302
    response = client.post(reverse("care:my_leave"), {"date": second.isoformat()})
    assert response.status_code == 400 and "每月只能休 1 天" in response.text
    for bad in ("", "2018-02-30", "99999-01-01", "\x00"):
        assert client.post(reverse("care:my_leave"), {"date": bad}).status_code == 400
    assert PsychLeave.objects.count() == 1
    page = client.get(reverse("care:my_leave"))
    assert f"{first:%Y-%m-%d}" in page.text
    leave = PsychLeave.objects.get()
    assert client.post(reverse("care:leave_cancel", args=[leave.pk])).status_code == 302
    assert not PsychLeave.objects.exists()


def test_staffing_page_shows_no_reason_field(care, client_as):
    w = care
    day = working_days(next_month_start(), 1)[0]
    services.take_leave(actor=w.clerk_a1, date=day)
    page = client_as(w.head_a).get(reverse("care:staffing"), {"start": day.isoformat()})
    assert page.status_code == 200 and "甲一" in page.text
    assert client_as(w.head_a).get(reverse("care:staffing"), {"start": "x"}).status_code == 200


def test_book_and_note_pages(care, client_as):
    w = care
    clerk = client_as(w.clerk_a1)
    assert clerk.post(reverse("care:book", args=[w.slots[0].pk])).status_code == 302
    appointment = Appointment.objects.get()
    counselor = client_as(w.counselor)
    url = reverse("care:note", args=[appointment.pk])
    assert counselor.post(url, {"text": SECRET}).status_code == 302
    shown = counselor.get(url)
    assert SECRET in shown.text and "no-store" in shown["Cache-Control"]
    for user in (w.admin, UserFactory(roles=[Role.COUNSELOR]), UserFactory(roles=[Role.AUDITOR])):
        assert client_as(user).get(url).status_code in (403, 404)
    assert SECRET not in clerk.get(reverse("care:counseling")).text
    second = clerk.post(reverse("care:book", args=[w.slots[0].pk]), follow=True)
    assert "已被他人预约" in second.text or "已不可预约" in second.text or second.status_code == 200


def test_counselor_publishes_a_slot(care, client_as):
    client = client_as(care.counselor)
    response = client.post(
        reverse("care:counselor"),
        {"starts_at": _in_days(9), "minutes": "50", "mode": "phone", "place": "热线"},
    )
    assert response.status_code == 302
    bad = client.post(reverse("care:counselor"), {"starts_at": "2001-01-01T09:00", "minutes": "5"})
    assert bad.status_code == 400


def test_figures_and_talk_exports(care, client_as):
    w = care
    admin = client_as(w.admin)
    assert admin.get(reverse("care:figures"), {"year": "abc"}).status_code == 200
    export = admin.get(reverse("care:figures"), {"export": "xlsx"})
    assert export["Content-Type"].startswith("application/vnd.openxmlformats")
    response = admin.post(
        reverse("care:talk_create"),
        {"staff": w.a1.pk, "date": "2018-03-05", "topic": "career", "follow_up": "一个月后回访"},
    )
    assert response.status_code == 302
    assert "一个月后回访" in admin.get(reverse("care:talk_list")).text
    assert admin.get(reverse("care:talk_list"), {"topic": "nope"}).status_code == 200
    assert admin.get(reverse("care:talk_list"), {"export": "xlsx"}).status_code == 200
    assert "一个月后回访" not in client_as(w.head_a).get(reverse("care:talk_list")).text


def test_home_cards(care, client_as):
    assert 'data-testid="home-care"' in client_as(care.clerk_a1).get("/").text
    assert 'data-testid="home-counselor"' in client_as(care.counselor).get("/").text
