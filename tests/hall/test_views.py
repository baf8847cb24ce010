"""The hall pages: who gets in, the flows through forms and htmx, bad input, exports."""

import datetime as dt
import io

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from chuangkou.core.roles import Role
from chuangkou.hall import services
from chuangkou.hall.models import Appointment, AppointmentSlot, HallSettings, ServiceQueue, Ticket
from tests.factories import UserFactory

from .factories import AppointmentFactory, AppointmentSlotFactory, TicketFactory

pytestmark = pytest.mark.django_db

PUBLIC = {"anonymous": 200, "none": 200, "clerk": 200, "lobby": 200, "admin": 200, "head": 200}


def private(*allowed: str, ok: int = 200) -> dict:
    codes = {"anonymous": 302, "none": 403, "clerk": 403, "lobby": 403, "admin": 403, "head": 403}
    codes.update({who: ok for who in allowed})
    return codes


def pages(hall, ticket, slot, appointment):
    """(url, expected status per kind of user) of every GET page of the hall."""
    c = hall.main.pk
    return [
        (reverse("hall:kiosk", args=[c]), PUBLIC),
        (reverse("hall:kiosk_checkin", args=[c]), PUBLIC),
        (reverse("hall:slip", args=[ticket.public_token]), PUBLIC),
        (reverse("hall:follow", args=[ticket.public_token]), PUBLIC),
        (reverse("hall:board", args=[c]), PUBLIC),
        (reverse("hall:book", args=[c]), PUBLIC),
        (reverse("hall:appointment", args=[appointment.public_token]), PUBLIC),
        (reverse("hall:lobby"), private("lobby", "admin")),
        (reverse("hall:desk"), private("clerk")),
        (reverse("hall:ticket_list"), private("lobby", "admin", "head")),
        (reverse("hall:ticket_detail", args=[ticket.pk]), private("lobby", "admin", "head")),
        (reverse("hall:appointment_list"), private("lobby", "admin")),
        (reverse("hall:queue_list"), private("admin")),
        (reverse("hall:queue_create"), private("admin")),
        (reverse("hall:queue_edit", args=[hall.queue_a.pk]), private("admin")),
        (reverse("hall:settings"), private("admin")),
        (reverse("hall:slot_list"), private("admin")),
        (reverse("hall:metrics"), private("admin", "head")),
    ]


@pytest.fixture
def clients(hall):
    def logged(user):
        client = Client()
        client.force_login(user)
        return client

    return {
        "anonymous": Client(),
        "none": logged(UserFactory()),
        "clerk": logged(hall.clerk_a1),
        "lobby": logged(hall.lobby),
        "admin": logged(hall.admin),
        "head": logged(hall.head_a),
    }


def test_who_gets_into_every_page(hall, clients):
    ticket = services.issue_ticket(actor=None, queue=hall.queue_a)
    slot = AppointmentSlotFactory(queue=hall.queue_a)
    appointment = AppointmentFactory(slot=slot)
    for url, expected in pages(hall, ticket, slot, appointment):
        for who, code in expected.items():
            response = clients[who].get(url)
            assert response.status_code == code, (url, who, response.status_code)
            if code == 302 and who == "anonymous":
                assert response["Location"].startswith("/login/"), url


@pytest.mark.parametrize(
    "name",
    ["hall:lobby_checkin", "hall:desk_window", "hall:appointment_no_shows"],
)
def test_posts_need_login(hall, name):
    response = Client().post(reverse(name))
    assert response.status_code == 302 and response["Location"].startswith("/login/")


def test_post_only_pages_refuse_get(hall, clients):
    for name in ("hall:lobby_checkin", "hall:desk_window", "hall:appointment_no_shows"):
        assert clients["admin"].get(reverse(name)).status_code in (403, 405)
    assert Client().get(reverse("hall:kiosk_take", args=[hall.main.pk])).status_code == 405


# -- kiosk, slip, phone page, board ------------------------------------------------------------


def test_kiosk_takes_a_ticket_and_shows_the_slip(hall):
    client = Client()
    page = client.get(reverse("hall:kiosk", args=[hall.main.pk]))
    assert "市场监管" in page.content.decode() and "等候 0 人" in page.content.decode()
    response = client.post(
        reverse("hall:kiosk_take", args=[hall.main.pk]), {"queue": hall.queue_a.pk}
    )
    ticket = Ticket.objects.get()
    assert response.status_code == 302 and str(ticket.public_token) in response["Location"]
    slip = client.get(response["Location"]).content.decode()
    assert "A001" in slip and "size: 80mm auto" in slip and "前面还有" in slip
    assert "<svg" in slip or "/hall/t/" in slip


def test_kiosk_with_a_deactivated_or_foreign_queue(hall):
    client = Client()
    hall.queue_b.is_active = False
    hall.queue_b.save()
    url = reverse("hall:kiosk_take", args=[hall.main.pk])
    response = client.post(url, {"queue": hall.queue_b.pk}, follow=True)
    assert "暂停取号" in response.content.decode()
    assert "人力社保" not in client.get(reverse("hall:kiosk", args=[hall.main.pk])).content.decode()
    for data in ({"queue": hall.queue_s.pk}, {"queue": "abc"}, {}):
        response = client.post(url, data, follow=True)
        assert "请选择要办理的业务" in response.content.decode()
    assert not Ticket.objects.exists()
    assert client.get(reverse("hall:kiosk", args=[999999])).status_code == 404


def test_follow_page_polls_and_shows_the_call_without_personal_data(hall):
    ticket = services.issue_ticket(actor=None, queue=hall.queue_a, phone="13800138000")
    client = Client()
    url = reverse("hall:follow", args=[ticket.public_token])
    page = client.get(url).content.decode()
    # polled every 10 s, and at once when a notice arrives (notify.js fires "notify-notice")
    assert 'hx-trigger="every 10s, notify-notice from:body"' in page
    assert "13800138000" not in page and "8000" not in page
    services.call_next_ticket(actor=hall.clerk_a1, window=hall.w_a01)
    partial = client.get(url, headers={"HX-Request": "true"}).content.decode()
    assert "请到 <b>A01</b> 号窗口办理" in partial and "<html" not in partial
    assert client.get("/hall/t/not-a-token/").status_code == 404
    stale = TicketFactory(
        queue=hall.queue_a,
        service_date=timezone.localdate() - dt.timedelta(days=1),
        status=Ticket.Status.CALLED,
        window=hall.w_a01,
    )
    page = client.get(reverse("hall:follow", args=[stale.public_token])).content.decode()
    assert "已过期" in page and "请到" not in page and "every 10s" not in page
    unknown = reverse("hall:follow", args=["00000000-0000-4000-8000-000000000000"])
    assert client.get(unknown).status_code == 404


def test_board_partial_carries_the_voice_sentence(hall):
    services.issue_ticket(actor=None, queue=hall.queue_a)
    services.call_next_ticket(actor=hall.clerk_a1, window=hall.w_a01)
    client = Client()
    page = client.get(reverse("hall:board", args=[hall.main.pk])).content.decode()
    assert 'hx-trigger="every 2s"' in page and "board.js" in page
    partial = client.get(
        reverse("hall:board", args=[hall.main.pk]), headers={"HX-Request": "true"}
    ).content.decode()
    assert 'data-text="请 A001 号到 A01 号窗口办理"' in partial and "<html" not in partial


# -- booking and check-in ----------------------------------------------------------------------


def test_booking_flow_and_the_appointment_page(hall):
    slot = AppointmentSlotFactory(queue=hall.queue_a, capacity=1)
    client = Client()
    url = reverse("hall:book", args=[hall.main.pk])
    page = client.get(url, {"queue": hall.queue_a.pk}).content.decode()
    assert "余 1 个" in page
    bad = client.post(url + f"?queue={hall.queue_a.pk}", {"slot": slot.pk, "phone": "123"})
    assert "手机号应为" in bad.content.decode()
    missing = client.post(url, {"phone": "13800138000"})
    assert "请选择预约时段" in missing.content.decode()
    response = client.post(url, {"slot": slot.pk, "phone": "13800138000"})
    appointment = Appointment.objects.get()
    assert response["Location"] == reverse("hall:appointment", args=[appointment.public_token])
    page = client.get(response["Location"]).content.decode()
    assert appointment.code in page and "138****8000" in page and "13800138000" not in page
    full = client.get(url, {"queue": hall.queue_a.pk}).content.decode()
    assert "已约满" in full
    client.post(response["Location"])
    appointment.refresh_from_db()
    assert appointment.status == Appointment.Status.CANCELLED
    assert client.get(url, {"queue": "x", "date": "bad"}).status_code == 200


def test_kiosk_check_in(hall):
    start = timezone.localtime() + dt.timedelta(minutes=10)
    if start.date() != timezone.localdate() or start.hour >= 23:
        pytest.skip("too close to midnight")
    slot = AppointmentSlot.objects.create(
        queue=hall.queue_a, date=start.date(), start=start.time(), end=dt.time(23, 59), capacity=2
    )
    appointment = AppointmentFactory(slot=slot, phone="13900000001")
    client = Client()
    url = reverse("hall:kiosk_checkin", args=[hall.main.pk])
    wrong = client.post(url, {"phone": "13900000001", "code": "99999x"})
    assert "没有找到" in wrong.content.decode() or "签到码" in wrong.content.decode()
    response = client.post(url, {"phone": "13900000001", "code": appointment.code})
    assert response.status_code == 302 and "kiosk=1" in response["Location"]
    assert Ticket.objects.get().priority


# -- lobby -------------------------------------------------------------------------------------


def test_lobby_issues_on_behalf_with_green_channel(hall, client_as):
    client = client_as(hall.lobby)
    url = reverse("hall:lobby")
    response = client.post(url, {"queue": hall.queue_a.pk, "priority_reason": "elderly"})
    ticket = Ticket.objects.get()
    assert response.status_code == 302 and f"issued={ticket.pk}" in response["Location"]
    assert ticket.issued_by == hall.lobby and ticket.priority
    page = client.get(response["Location"]).content.decode()
    assert "A001" in page and "打印小票" in page and "老年人" in page
    bad = client.post(url, {"queue": hall.queue_a.pk, "phone": "555"})
    assert "手机号应为" in bad.content.decode()
    foreign = client.post(url, {"queue": hall.queue_s.pk})
    assert "有效选项" in foreign.content.decode() or "选择" in foreign.content.decode()
    assert Ticket.objects.count() == 1


def test_lobby_cancels_and_checks_in(hall, client_as):
    client = client_as(hall.lobby)
    ticket = services.issue_ticket(actor=None, queue=hall.queue_a)
    client.post(reverse("hall:ticket_cancel", args=[ticket.pk]))
    ticket.refresh_from_db()
    assert ticket.status == Ticket.Status.CANCELLED
    again = client.post(reverse("hall:ticket_cancel", args=[ticket.pk]), follow=True)
    assert "不能取消" in again.content.decode()
    response = client.post(reverse("hall:lobby_checkin"), {"phone": "1", "code": "1"}, follow=True)
    assert "签到码" in response.content.decode()
    assert client.post(reverse("hall:ticket_cancel", args=[999999])).status_code == 404


# -- clerk workstation -------------------------------------------------------------------------


def test_desk_flow_through_htmx(hall, client_as):
    services.issue_ticket(actor=None, queue=hall.queue_a)
    client = client_as(hall.clerk_a1)
    page = client.get(reverse("hall:desk")).content.decode()
    assert "A01 号窗口" in page and 'data-testid="desk-waiting-total">1<' in page
    assert "未签到" in page and "hx-swap-oob" not in page
    hx = {"HX-Request": "true"}
    panel = client.post(reverse("hall:desk_action", args=["call"]), headers=hx).content.decode()
    ticket = Ticket.objects.get()
    assert "已叫号 A001" in panel and 'data-testid="desk-number">A001<' in panel
    # the first call signed the clerk in: the header's sign-in state comes along, out of band
    assert 'id="desk-signin"' in panel and 'hx-swap-oob="true"' in panel
    assert "已签到 A01 号窗口" in panel and "未签到" not in panel
    for action, status in (("recall", "called"), ("start", "serving"), ("finish", "done")):
        client.post(reverse("hall:desk_action", args=[action]), {"ticket": ticket.pk}, headers=hx)
        ticket.refresh_from_db()
        assert ticket.status == status
    panel = client.post(
        reverse("hall:desk_action", args=["finish"]), {"ticket": ticket.pk}, headers=hx
    ).content.decode()
    assert 'data-testid="desk-error"' in panel and "已办结" in panel


def test_desk_without_htmx_redirects_with_messages(hall, client_as):
    client = client_as(hall.clerk_a1)
    response = client.post(reverse("hall:desk_action", args=["call"]), follow=True)
    assert "当前没有等候的号" in response.content.decode()
    response = client.post(reverse("hall:desk_action", args=["start"]), {"ticket": "x"})
    assert response.status_code == 404
    assert client.post(reverse("hall:desk_action", args=["explode"])).status_code == 302


def test_desk_transfer_and_window_choice(hall, client_as):
    services.issue_ticket(actor=None, queue=hall.queue_a)
    client = client_as(hall.clerk_a1)
    client.post(reverse("hall:desk_window"), {"window": hall.w_t01.pk})
    assert "T01 号窗口" in client.get(reverse("hall:desk")).content.decode()
    client.post(reverse("hall:desk_action", args=["call"]))
    ticket = Ticket.objects.get()
    assert ticket.window == hall.w_t01
    response = client.post(
        reverse("hall:desk_action", args=["transfer"]),
        {"ticket": ticket.pk, "target_queue": hall.queue_b.pk},
        follow=True,
    )
    assert "新号 B001" in response.content.decode()
    refused = client.post(reverse("hall:desk_window"), {"window": hall.w_s01.pk}, follow=True)
    assert "请选择本部门或您派驻的启用窗口" in refused.content.decode()


def test_desk_for_a_clerk_without_staff_record(hall, client_as):
    client = client_as(UserFactory(roles=[Role.CLERK]))
    page = client.get(reverse("hall:desk"))
    assert page.status_code == 200 and "没有关联窗口人员档案" in page.content.decode()
    response = client.post(reverse("hall:desk_action", args=["call"]), follow=True)
    assert "没有关联窗口人员档案" in response.content.decode()


# -- lists and exports -------------------------------------------------------------------------


def test_ticket_list_filters_and_exports_masked(hall, client_as):
    services.issue_ticket(actor=None, queue=hall.queue_a, phone="13800138000")
    services.issue_ticket(actor=None, queue=hall.queue_b)
    client = client_as(hall.admin)
    url = reverse("hall:ticket_list")
    page = client.get(url, {"queue": hall.queue_b.pk}).content.decode()
    assert "B001" in page and "A001" not in page
    services.issue_ticket(
        actor=hall.lobby, queue=hall.queue_a, channel="lobby", priority_reason="elderly"
    )
    green = client.get(url, {"priority": "true"}).content.decode()
    regular = client.get(url, {"priority": "false"}).content.decode()
    assert "A002" in green and "B001" not in green
    assert "A002" not in regular and "A001" in regular and "B001" in regular
    assert '<option value="false" selected>普通号</option>' in regular  # the filter shows itself
    warned = client.get(url, {"date": "2018-02-30", "queue": "x", "priority": "maybe"})
    assert warned.status_code == 200 and "筛选条件无效" in warned.content.decode()
    export = client.get(url, {"export": "xlsx"})
    sheet = load_workbook(io.BytesIO(export.content)).active
    rows = list(sheet.iter_rows(min_row=2, values_only=True))
    assert len(rows) == 3 and "138****8000" in [r[-1] for r in rows]
    detail = client.get(reverse("hall:ticket_detail", args=[Ticket.objects.first().pk]))
    assert "取号" in detail.content.decode() and "13800138000" not in detail.content.decode()


def test_appointment_list_masks_phones_and_records_no_shows(hall, client_as):
    AppointmentFactory(slot=AppointmentSlotFactory(queue=hall.queue_a), phone="13712345678")
    client = client_as(hall.lobby)
    page = client.get(reverse("hall:appointment_list")).content.decode()
    assert "137****5678" in page and "13712345678" not in page
    export = client.get(reverse("hall:appointment_list"), {"export": "xlsx"})
    assert load_workbook(io.BytesIO(export.content)).active["E2"].value == "137****5678"
    response = client.post(reverse("hall:appointment_no_shows"), follow=True)
    assert "已登记 0 个爽约" in response.content.decode()


# -- queue admin, slots, metrics ---------------------------------------------------------------


def test_queue_create_edit_and_settings(hall, client_as):
    client = client_as(hall.admin)
    url = reverse("hall:queue_create") + f"?center={hall.main.pk}"
    data = {"prefix": "C", "name": "综合", "average_service_minutes": 9, "is_active": "on"}
    response = client.post(url, {**data, "windows": [hall.w_a01.pk]})
    assert response.status_code == 302
    queue = ServiceQueue.objects.get(prefix="C")
    assert list(queue.windows.all()) == [hall.w_a01]
    duplicate = client.post(url, {**data, "name": "重复"})
    assert "已有前缀为 C" in duplicate.content.decode()
    foreign = client.post(url, {**data, "prefix": "D", "windows": [hall.w_s01.pk]})
    assert "有效选项" in foreign.content.decode() or "选择" in foreign.content.decode()
    client.post(reverse("hall:queue_edit", args=[queue.pk]), {**data, "name": "综合通办"})
    queue.refresh_from_db()
    assert queue.name == "综合通办" and not queue.windows.exists()
    settings_url = reverse("hall:settings") + f"?center={hall.main.pk}"
    rules = {"max_recalls": 2, "checkin_early_minutes": 30, "checkin_late_minutes": 15}
    bad = client.post(settings_url, {**rules, "target_wait_minutes": 0})
    assert bad.status_code == 200 and "is-invalid" in bad.content.decode()
    client.post(settings_url, {**rules, "target_wait_minutes": 25})
    assert HallSettings.objects.get(center=hall.main).target_wait_minutes == 25
    assert client.get(reverse("hall:queue_edit", args=[999999])).status_code == 404


def test_slots_are_opened_listed_and_deleted(hall, client_as):
    client = client_as(hall.admin)
    day = timezone.localdate() + dt.timedelta(days=1)
    response = client.post(
        reverse("hall:slot_list"),
        {"queue": hall.queue_a.pk, "start_date": day, "end_date": day + dt.timedelta(days=6),
         "slot_minutes": 60, "capacity": 3},
    )  # fmt: skip
    assert response.status_code == 302
    assert AppointmentSlot.objects.count() > 0
    bad = client.post(
        reverse("hall:slot_list"),
        {"queue": hall.queue_a.pk, "start_date": day, "end_date": day - dt.timedelta(days=1),
         "slot_minutes": 60, "capacity": 3},
    )  # fmt: skip
    assert "结束日期不能早于开始日期" in bad.content.decode()
    slot = AppointmentSlot.objects.first()
    client.post(reverse("hall:slot_delete", args=[slot.pk]))
    assert not AppointmentSlot.objects.filter(pk=slot.pk).exists()
    assert client.get(reverse("hall:slot_list"), {"date": "nope"}).status_code == 200


def test_metrics_page_and_exports(hall, client_as):
    services.issue_ticket(actor=None, queue=hall.queue_a)
    client = client_as(hall.admin)
    url = reverse("hall:metrics")
    today = timezone.localdate()
    params = {"center": hall.main.pk, "start": today, "end": today}
    page = client.get(url, params).content.decode()
    assert 'data-testid="metric-tickets">1<' in page and "计算口径" in page
    for export in ("queues", "windows", "clerks", "daily"):
        response = client.get(url, {**params, "export": export})
        assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    bad = client.get(url, {"start": "2018-13-01", "end": "x", "center": "abc"})
    assert bad.status_code == 200
    reversed_dates = client.get(url, {**params, "end": today - dt.timedelta(days=2)})
    assert "结束日期不能早于开始日期" in reversed_dates.content.decode()
