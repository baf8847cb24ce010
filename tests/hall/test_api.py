"""The hall API: the same services behind JSON, who may call what, and bad input."""

import pytest

from chuangkou.hall import services
from chuangkou.hall.models import Ticket

pytestmark = pytest.mark.django_db


def test_lobby_manager_issues_through_the_api_with_a_token(hall, api_client_as):
    api = api_client_as(hall.lobby, token=True)
    response = api.post(
        "/hall/tickets",
        {"queue_id": hall.queue_a.pk, "priority_reason": "elderly", "phone": "13800138000"},
    )
    assert response.status_code == 201, response.content
    body = response.json()
    assert body["ticket"]["number"] == "A001" and body["ticket"]["priority"] is True
    assert body["ticket"]["phone"] == "138****8000"
    assert body["ahead"] == 0 and body["follow_url"].endswith("/")
    assert Ticket.objects.get().issued_by == hall.lobby


def test_issue_bad_input_gives_clear_4xx(hall, api_client_as):
    api = api_client_as(hall.lobby)
    assert api.post("/hall/tickets", {"queue_id": 999999}).json()["field"] == "queue_id"
    assert api.post("/hall/tickets", {"queue_id": "x"}).status_code == 422
    assert api.post("/hall/tickets", raw="{not json").status_code in (400, 422)
    response = api.post("/hall/tickets", {"queue_id": hall.queue_a.pk, "channel": "teleport"})
    assert response.status_code == 400 and response.json()["field"] == "channel"
    hall.queue_a.is_active = False
    hall.queue_a.save()
    response = api.post("/hall/tickets", {"queue_id": hall.queue_a.pk})
    assert response.status_code == 400 and "暂停" in response.json()["detail"]
    clerk = api_client_as(hall.clerk_a1)
    response = clerk.post("/hall/tickets", {"queue_id": hall.queue_b.pk, "channel": "lobby"})
    assert response.status_code == 403


@pytest.mark.parametrize("token", [True, False])
def test_lobby_issuing_through_the_api_keeps_to_the_managers_center(hall, api_client_as, token):
    """The queue and the issuer's staff center are read in one statement (selectors
    .queue_to_issue): a lobby manager issues at their own center only, the center admin
    anywhere, and a lobby manager without a staff record anywhere."""
    body = {"channel": "lobby"}
    lobby = api_client_as(hall.lobby, token=token)
    refused = lobby.post("/hall/tickets", {**body, "queue_id": hall.queue_s.pk})
    assert refused.status_code == 403 and "本中心" in refused.json()["detail"]
    assert lobby.post("/hall/tickets", {**body, "queue_id": hall.queue_a.pk}).status_code == 201
    admin = api_client_as(hall.admin, token=token)
    assert admin.post("/hall/tickets", {**body, "queue_id": hall.queue_s.pk}).status_code == 201
    hall.lobby.staff.delete()
    lobby = api_client_as(hall.lobby, token=token)
    assert lobby.post("/hall/tickets", {**body, "queue_id": hall.queue_s.pk}).status_code == 201
    huge = lobby.post("/hall/tickets", {**body, "queue_id": 2**63})
    assert huge.status_code == 422, huge.content
    assert [t.queue_id for t in Ticket.objects.order_by("pk")] == [
        hall.queue_a.pk, hall.queue_s.pk, hall.queue_s.pk
    ]  # fmt: skip


def test_call_next_and_the_window_actions(hall, api_client_as):
    services.issue_ticket(actor=None, queue=hall.queue_a)
    api = api_client_as(hall.clerk_a1, token=True)
    window = {"window_id": hall.w_a01.pk}
    body = api.post("/hall/desk/call-next", window).json()
    ticket_id = body["ticket"]["id"]
    assert body["message"] == "请 A001 号到 A01 号窗口办理"
    for action, status in (("recall", "called"), ("start", "serving"), ("park", "parked"),
                           ("resume", "serving"), ("finish", "done")):  # fmt: skip
        response = api.post(f"/hall/tickets/{ticket_id}/{action}", window)
        assert response.status_code == 200, (action, response.content)
        assert response.json()["status"] == status
    again = api.post(f"/hall/tickets/{ticket_id}/finish", window)
    assert again.status_code == 400 and "已办结" in again.json()["detail"]
    empty = api.post("/hall/desk/call-next", window).json()
    assert empty["ticket"] is None and empty["message"] == "当前没有等候的号。"


def test_window_actions_refuse_other_windows_and_unknown_ids(hall, api_client_as):
    services.issue_ticket(actor=None, queue=hall.queue_b)
    clerk_b = api_client_as(hall.clerk_b1)
    ticket_id = clerk_b.post("/hall/desk/call-next", {"window_id": hall.w_b01.pk}).json()["ticket"][
        "id"
    ]
    clerk_t = api_client_as(hall.clerk_t)
    response = clerk_t.post(f"/hall/tickets/{ticket_id}/start", {"window_id": hall.w_t01.pk})
    assert response.status_code == 400 and "不在 T01" in response.json()["detail"]
    assert (
        clerk_t.post("/hall/tickets/999999/start", {"window_id": hall.w_t01.pk}).status_code == 404
    )
    response = clerk_t.post(f"/hall/tickets/{ticket_id}/start", {"window_id": 999999})
    assert response.status_code == 400 and response.json()["field"] == "window_id"
    assert clerk_t.post(f"/hall/tickets/{ticket_id}/start", {}).status_code == 422
    lobby = api_client_as(hall.lobby)
    response = lobby.post("/hall/desk/call-next", {"window_id": hall.w_a01.pk})
    assert response.status_code == 403


def test_transfer_through_the_api(hall, api_client_as):
    services.issue_ticket(actor=None, queue=hall.queue_a)
    api = api_client_as(hall.clerk_a1)
    ticket_id = api.post("/hall/desk/call-next", {"window_id": hall.w_a01.pk}).json()["ticket"][
        "id"
    ]
    response = api.post(
        f"/hall/tickets/{ticket_id}/transfer",
        {"window_id": hall.w_a01.pk, "target_queue_id": hall.queue_b.pk},
    )
    assert response.status_code == 200 and response.json()["number"] == "B001"
    response = api.post(
        f"/hall/tickets/{ticket_id}/transfer",
        {"window_id": hall.w_a01.pk, "target_queue_id": 0},
    )
    assert response.status_code == 422  # not an id at all: refused by the schema
    assert response.json()["errors"] == [
        {"field": "target_queue_id", "message": "数值超出允许范围。"}
    ]
    response = api.post(
        f"/hall/tickets/{ticket_id}/transfer",
        {"window_id": hall.w_a01.pk, "target_queue_id": 999999},
    )
    assert response.status_code == 400 and response.json()["field"] == "target_queue_id"


def test_public_ticket_and_board_need_no_login_and_show_no_phone(hall, api_client_as):
    ticket = services.issue_ticket(actor=None, queue=hall.queue_a, phone="13800138000")
    anonymous = api_client_as(None)
    body = anonymous.get(f"/hall/public/tickets/{ticket.public_token}").json()
    assert body["number"] == "A001" and body["ahead"] == 0 and body["is_open"] is True
    assert "13800138000" not in str(body) and "phone" not in body
    assert anonymous.get("/hall/public/tickets/nonsense").status_code == 404
    services.call_next_ticket(actor=hall.clerk_a1, window=hall.w_a01)
    board = anonymous.get(f"/hall/public/board/{hall.main.pk}").json()
    assert board["announce"]["sentence"] == "请 A001 号到 A01 号窗口办理"
    assert board["current"][0]["window_number"] == "A01"
    assert "138" not in str(board)
    assert anonymous.get("/hall/public/board/999999").status_code == 404


def test_lists_and_details_follow_visibility(hall, api_client_as):
    services.issue_ticket(actor=None, queue=hall.queue_a)
    sub_ticket = services.issue_ticket(actor=None, queue=hall.queue_s)
    lobby = api_client_as(hall.lobby)
    assert lobby.get("/hall/tickets").json()["count"] == 1
    assert lobby.get(f"/hall/tickets/{sub_ticket.pk}").status_code == 404
    assert (
        api_client_as(hall.admin).get("/hall/tickets", {"center": hall.sub.pk}).json()["count"] == 1
    )
    assert lobby.get("/hall/tickets", {"date": "not-a-date"}).status_code == 422
    assert api_client_as(hall.clerk_a1).get("/hall/tickets").json()["count"] == 0
    queues = api_client_as(hall.lobby).get("/hall/queues").json()
    assert {q["prefix"] for q in queues} == {"A", "B"}


def test_check_in_and_cancel_through_the_api(hall, api_client_as):
    api = api_client_as(hall.lobby)
    response = api.post(
        "/hall/appointments/check-in",
        {"center_id": hall.main.pk, "phone": "13800138000", "code": "123456"},
    )
    assert response.status_code == 400 and response.json()["field"] == "code"
    waiting = services.issue_ticket(actor=None, queue=hall.queue_a)
    assert api.post(f"/hall/tickets/{waiting.pk}/cancel").json()["status"] == "cancelled"


def test_metrics_endpoint(hall, api_client_as, role_user):
    params = {"start": "2018-10-01", "end": "2018-10-31", "center_id": hall.main.pk}
    body = api_client_as(hall.admin).get("/hall/metrics", params).json()
    assert body["overall"]["tickets"] == 0 and body["target_minutes"] == 20
    assert api_client_as(hall.lobby).get("/hall/metrics", params).status_code == 403
    bad = api_client_as(hall.admin).get("/hall/metrics", {**params, "end": "2018-09-01"})
    assert bad.status_code == 400
    assert (
        api_client_as(hall.admin).get("/hall/metrics", {"start": "x", "end": "y"}).status_code
        == 422
    )


@pytest.mark.parametrize(
    ("method", "path"),
    [("get", "/hall/tickets"), ("post", "/hall/tickets"), ("post", "/hall/desk/call-next"),
     ("get", "/hall/metrics"), ("get", "/hall/queues")],
)  # fmt: skip
def test_private_endpoints_need_authentication(hall, api_client_as, method, path):
    response = getattr(api_client_as(None), method)(path)
    assert response.status_code == 401


def test_session_posts_need_csrf(hall):
    from django.test import Client

    client = Client(enforce_csrf_checks=True)
    client.force_login(hall.lobby)
    response = client.post(
        "/api/v1/hall/tickets", {"queue_id": hall.queue_a.pk}, content_type="application/json"
    )
    assert response.status_code == 403


@pytest.mark.parametrize("ticket_id", ["9223372036854775808", "99999999999999999999", "0", "-1"])
def test_a_desk_action_on_an_impossible_ticket_id_is_a_clear_4xx(hall, api_client_as, ticket_id):
    """The desk services read the ticket by id under its lock: an id no database column can
    hold is refused before it reaches the database (SQLite would overflow)."""
    api = api_client_as(hall.clerk_a1, token=True)
    response = api.post(f"/hall/tickets/{ticket_id}/start", {"window_id": hall.w_a01.pk})
    assert response.status_code == 422, response.content
    assert response.json()["detail"] == "提交的数据格式不正确。"


def test_a_desk_action_on_a_missing_ticket_is_a_404(hall, api_client_as):
    api = api_client_as(hall.clerk_a1, token=True)
    response = api.post("/hall/tickets/424242/finish", {"window_id": hall.w_a01.pk})
    assert response.status_code == 404 and response.json()["detail"] == "排队号 424242 不存在。"


def test_a_desk_action_at_a_missing_window_is_a_400_whether_or_not_the_ticket_exists(
    hall, api_client_as
):
    """The window and the ticket are read in one statement: when it finds nothing, the answer
    still names what is missing (the window first, as the checks run)."""
    ticket = services.issue_ticket(actor=None, queue=hall.queue_a)
    api = api_client_as(hall.clerk_a1, token=True)
    for ticket_id in (ticket.pk, 424242):
        response = api.post(f"/hall/tickets/{ticket_id}/start", {"window_id": 434343})
        assert response.status_code == 400, response.content
        assert response.json() == {"detail": "窗口编号 434343 不存在。", "field": "window_id"}
    assert Ticket.objects.get(pk=ticket.pk).status == Ticket.Status.WAITING
