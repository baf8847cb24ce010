"""窗口签到: one window at a time, only one's department's or posted window, no take-over;
the lobby manager or the center admin signs a clerk out; actions are the signed-in clerk's."""

import datetime as dt

import pytest
from django.urls import reverse

from chuangkou.core.errors import DomainError, PermissionDeniedError
from chuangkou.core.models import AuditEntry
from chuangkou.core.roles import Role
from chuangkou.hall import selectors, services
from chuangkou.hall.models import WindowSignIn
from tests.factories import AssignmentFactory, StaffFactory, UserFactory

pytestmark = pytest.mark.django_db


def open_sign_ins():
    return list(
        WindowSignIn.objects.filter(signed_out_at__isnull=True)
        .order_by("window__number")
        .values_list("window__number", "staff__name")
    )


def test_a_clerk_signs_in_to_one_window_at_a_time(hall):
    services.sign_in_window(actor=hall.clerk_a1, window=hall.w_a01)
    services.sign_in_window(actor=hall.clerk_a1, window=hall.w_t01)  # moves: A01 is freed
    assert open_sign_ins() == [("T01", "甲一")]
    assert AuditEntry.objects.filter(action="hall.sign_out").count() == 1


def test_only_a_window_of_ones_department_or_posting(hall):
    with pytest.raises(PermissionDeniedError, match="不属于您的部门"):
        services.sign_in_window(actor=hall.clerk_a1, window=hall.w_b01)
    AssignmentFactory(
        staff=hall.a1, center=hall.main, window=hall.w_b01, start_date=dt.date(2020, 1, 1)
    )
    assert services.sign_in_window(actor=hall.clerk_a1, window=hall.w_b01).staff == hall.a1


def test_a_window_someone_is_signed_in_to_cannot_be_taken_over(hall):
    other = UserFactory(username="clerk_a2", roles=[Role.CLERK])
    StaffFactory(name="甲四", department=hall.dept_a, center=hall.main, user=other)
    services.sign_in_window(actor=hall.clerk_a1, window=hall.w_a01)
    with pytest.raises(DomainError, match="已由 甲一 签到"):
        services.sign_in_window(actor=other, window=hall.w_a01)
    services.issue_ticket(actor=None, queue=hall.queue_a, channel="kiosk")
    with pytest.raises(PermissionDeniedError, match="已由 甲一 签到"):
        services.call_next_ticket(actor=other, window=hall.w_a01)
    with pytest.raises(PermissionDeniedError, match="只有本人、大堂经理或中心管理员"):
        services.sign_out_window(actor=other, window=hall.w_a01)
    # the lobby manager signs 甲一 out; then the other clerk may take the window
    services.sign_out_window(actor=hall.lobby, window=hall.w_a01)
    ticket = services.call_next_ticket(actor=other, window=hall.w_a01)
    assert ticket.clerk.name == "甲四"  # attributed to the clerk signed in
    assert open_sign_ins() == [("A01", "甲四")]


def test_the_first_action_signs_in_at_a_free_window_but_not_at_a_second_one(hall):
    services.issue_ticket(actor=None, queue=hall.queue_a, channel="kiosk")
    ticket = services.call_next_ticket(actor=hall.clerk_a1, window=hall.w_a01)
    assert ticket.clerk == hall.a1 and open_sign_ins() == [("A01", "甲一")]
    with pytest.raises(DomainError, match="您已在 A01 号窗口签到"):
        services.call_next_ticket(actor=hall.clerk_a1, window=hall.w_t01)


def test_signing_out_twice_says_nobody_is_signed_in(hall):
    services.sign_in_window(actor=hall.clerk_a1, window=hall.w_a01)
    services.sign_out_window(actor=hall.clerk_a1, window=hall.w_a01)
    with pytest.raises(DomainError, match="没有人签到"):
        services.sign_out_window(actor=hall.admin, window=hall.w_a01)


def test_the_desk_and_the_lobby_pages(client, hall):
    client.force_login(hall.clerk_a1)
    client.post(reverse("hall:desk_window"), {"window": hall.w_a01.pk})
    page = client.get(reverse("hall:desk")).content.decode()
    assert "已签到 A01 号窗口" in page
    assert [w.number for w in selectors.desk_windows(hall.a1)] == ["A01", "T01"]
    client.force_login(hall.lobby)
    lobby = client.get(reverse("hall:lobby"), {"center": hall.main.pk}).content.decode()
    assert 'data-testid="window-sign-ins"' in lobby and "甲一" in lobby
    client.post(reverse("hall:window_sign_out", args=[hall.w_a01.pk]))
    assert open_sign_ins() == []


def test_sign_in_and_out_through_the_api(client, hall):
    client.force_login(hall.clerk_a1)
    body = client.post(
        "/api/v1/hall/desk/sign-in", {"window_id": hall.w_a01.pk}, content_type="application/json"
    )
    assert body.status_code == 200 and body.json()["signed_in"] is True
    refused = client.post(
        "/api/v1/hall/desk/sign-in", {"window_id": hall.w_b01.pk}, content_type="application/json"
    )
    assert refused.status_code == 403 and "不属于您的部门" in refused.json()["detail"]
    out = client.post(
        "/api/v1/hall/desk/sign-out", {"window_id": hall.w_a01.pk}, content_type="application/json"
    )
    assert out.json() == {"window_number": "A01", "staff_name": "甲一", "signed_in": False}
