"""The opt-in card on the ticket's phone page and the booking page, the page notices, the push
subscription, and the admin pages; bad input gives a 4xx with a Chinese message."""

import json
from pathlib import Path

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from chuangkou.core import exports
from chuangkou.core.models import AuditEntry, ExportJob
from chuangkou.hall import services
from chuangkou.notify import services as notify
from chuangkou.notify.models import Message, PushEndpoint, Subscription

pytestmark = pytest.mark.django_db


def url(name, ticket, kind="ticket"):
    return reverse(f"notify:{name}", args=[kind, ticket.public_token])


@pytest.fixture
def ticket(hall):
    return services.issue_ticket(actor=None, queue=hall.queue_a)


def test_opt_in_on_the_phone_page(client, ticket):
    page = client.get(reverse("hall:follow", args=[ticket.public_token]))
    assert 'data-testid="notify-optin"' in page.content.decode()
    response = client.post(url("optin", ticket), {"phone": "138 0000 1234", "ahead": "5"})
    assert response.status_code == 302 and response["Location"].endswith(
        f"/t/{ticket.public_token}/"
    )
    subscription = Subscription.objects.get()
    assert (subscription.phone, subscription.phone_masked, subscription.ahead) == (
        "13800001234",
        "138****1234",
        5,
    )
    assert AuditEntry.objects.filter(action="notify.subscribe").count() == 1
    page = client.get(reverse("hall:follow", args=[ticket.public_token])).content.decode()
    # the ticket's page is public (the slip's QR code): no digit of the number on it
    assert (
        "1234" not in page and "短信发送至您留的手机号" in page and "前面还有 5 人时提醒您" in page
    )
    client.post(url("optout", ticket))
    assert Subscription.objects.get().phone == "" and not Subscription.objects.get().is_active


@pytest.mark.parametrize(
    "data, message",
    [
        ({"phone": "12345"}, "手机号应为以 1 开头的 11 位数字。"),
        ({"phone": "13800001234", "ahead": "0"}, "提前提醒人数应在 1 到 20 之间。"),
        ({"phone": "13800001234", "ahead": "999"}, "提前提醒人数应在 1 到 20 之间。"),
        ({"phone": "13800001234", "ahead": "x"}, "提前提醒人数应在 1 到 20 之间。"),
        ({}, "请填写手机号，或开启浏览器通知。"),
    ],
)
def test_bad_opt_ins_are_refused_with_a_message(client, ticket, data, message):
    response = client.post(url("optin", ticket), data, follow=True)
    assert response.status_code == 200
    assert message in response.content.decode()
    assert not Subscription.objects.exists()


def test_a_nul_byte_is_refused(client, ticket):
    response = client.post(url("optin", ticket), {"phone": "138\x0000001234"})
    assert response.status_code == 400 and not Subscription.objects.exists()


def test_unknown_tokens_and_kinds_are_404(client, ticket):
    assert client.get(url("pending", ticket, kind="case")).status_code == 404
    bogus = "/notify/s/ticket/00000000-0000-0000-0000-000000000000/pending/"
    assert client.get(bogus).status_code == 404


def test_a_finished_ticket_takes_no_opt_in(client, hall, ticket):
    services.cancel_ticket(actor=hall.lobby, ticket=ticket)
    response = client.post(url("optin", ticket), {"phone": "13800001234"}, follow=True)
    assert "该号或预约已结束" in response.content.decode()


def test_pending_notices_and_push_subscription(client, ticket):
    client.post(url("optin", ticket), {"browser": "on", "ahead": "3"})
    assert client.get(url("pending", ticket)).json() == {"notices": [], "open": True}
    good = {"endpoint": "https://push.example/abc", "keys": {"p256dh": "BPk", "auth": "xyz"}}
    response = client.post(url("push", ticket), json.dumps(good), content_type="application/json")
    assert response.status_code == 201 and PushEndpoint.objects.count() == 1
    for body in ("{", "[]", json.dumps({**good, "endpoint": "http://plain"}), '{"keys": 1}'):
        response = client.post(url("push", ticket), body, content_type="application/json")
        assert response.status_code == 400 and response.json()["detail"]
    assert client.get(reverse("notify:service_worker"))["Service-Worker-Allowed"] == "/"


def test_appointment_page_offers_opt_out_of_the_booking_number(client, hall):
    import datetime as dt

    from django.utils import timezone

    from chuangkou.hall.models import AppointmentSlot

    day = timezone.localdate() + dt.timedelta(days=1)
    slot = AppointmentSlot.objects.create(
        queue=hall.queue_a, date=day, start=dt.time(9), end=dt.time(9, 30), capacity=3
    )
    booked = services.book_appointment(slot=slot, phone="13700001234")
    page = client.get(reverse("hall:appointment", args=[booked.public_token])).content.decode()
    assert "137****1234" in page and "不需要提醒" in page
    client.post(url("optout", booked, kind="appointment"))
    page = client.get(reverse("hall:appointment", args=[booked.public_token])).content.decode()
    assert "您已退订提醒" in page


def test_admin_pages_and_exports(client_as, role_user, ticket, jobs):
    admin_client_ck = client_as(role_user("center_admin"))
    Subscription.objects.create(subject_kind="ticket", subject_id=ticket.pk, phone="13800001234")
    with jobs():
        notify.notify_subject(
            "ticket_ahead", subject_kind="ticket", subject_id=ticket.pk, fields={"number": "A001"}
        )
    page = admin_client_ck.get(reverse("notify:log")).content.decode()
    assert "您的 A001 号前面还有" in page and "138****1234" in page and "13800001234" not in page
    assert (
        admin_client_ck.get(reverse("notify:log") + "?start=9999-12-31&page=x").status_code == 200
    )
    export = admin_client_ck.get(reverse("notify:log") + "?export=xlsx")
    assert export["Content-Type"].startswith("application/vnd.openxmlformats")
    figures = admin_client_ck.get(reverse("notify:figures")).content.decode()
    assert "排队提醒" in figures and "100.0%" in figures
    assert admin_client_ck.get(reverse("notify:figures") + "?export=xlsx").status_code == 200
    assert Message.objects.count() == 1
    assert admin_client_ck.get(reverse("notify:templates")).status_code == 200
    response = admin_client_ck.post(
        reverse("notify:template_approve", args=["ticket_ahead"]), {"gateway_code": ""}, follow=True
    )
    assert "请填写短信平台审批通过的模板编号" in response.content.decode()
    assert admin_client_ck.post("/notify/templates/nope/", {}).status_code == 404


def test_a_large_message_log_export_runs_in_the_background(
    client_as, role_user, ticket, jobs, monkeypatch, settings, tmp_path
):
    settings.MEDIA_ROOT = tmp_path / "media"
    monkeypatch.setattr(exports, "INLINE_ROWS", 0)
    Subscription.objects.create(subject_kind="ticket", subject_id=ticket.pk, phone="13800001234")
    with jobs():
        notify.notify_subject(
            "ticket_ahead", subject_kind="ticket", subject_id=ticket.pk, fields={"number": "A001"}
        )
    sysadmin = client_as(role_user("sysadmin"))
    response = sysadmin.get(reverse("notify:log"), {"export": "xlsx"})
    job = ExportJob.objects.get()
    assert response["Location"] == f"/exports/{job.pk}/" and job.written_rows == 1
    row = next(load_workbook(Path(settings.MEDIA_ROOT) / job.file).active.iter_rows(min_row=2))
    assert row[3].value == "138****1234" and "A001" in row[4].value
    assert "我的导出" in sysadmin.get(response["Location"]).content.decode()  # in the sidebar
