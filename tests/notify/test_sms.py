"""The SMS channel (Aliyun dysms template API) against a fake gateway on loopback, started by
the test: success, error codes (retried or not), timeouts, backoff; templates must be approved;
a gateway that is down never blocks calling a ticket."""

import base64
import hashlib
import hmac
import json
import threading
import time
import urllib.parse
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
from django.utils import timezone

from chuangkou.hall import notices, services
from chuangkou.notify import channels
from chuangkou.notify import services as notify
from chuangkou.notify.models import Attempt, Message

pytestmark = pytest.mark.django_db

SECRET = "test-secret"


class FakeGateway:
    """answers: a list of ("ok" | "sleep" | error code) consumed one per request."""

    def __init__(self):
        self.answers: list[str] = []
        self.requests: list[dict] = []
        gateway = self

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self):  # noqa: N802
                query = urllib.parse.urlsplit(self.path).query
                params = dict(urllib.parse.parse_qsl(query, keep_blank_values=True))
                gateway.requests.append(params)
                answer = gateway.answers.pop(0) if gateway.answers else "ok"
                if answer == "sleep":
                    time.sleep(1.5)
                    answer = "ok"
                if answer == "500":
                    body, status = b"<html>busy</html>", 500
                elif answer == "ok":
                    body = json.dumps({"Code": "OK", "Message": "OK", "BizId": "900^1"}).encode()
                    status = 200
                else:
                    body = json.dumps({"Code": answer, "Message": "失败"}).encode()
                    status = 200
                try:
                    self.send_response(status)
                    self.send_header("Content-Type", "application/json")
                    self.end_headers()
                    self.wfile.write(body)
                except OSError:  # the client gave up (timeout)
                    pass

            def log_message(self, *args):
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_port}/"
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    def __enter__(self):
        self.thread.start()
        return self

    def __exit__(self, *exc):
        self.server.shutdown()
        self.server.server_close()


@pytest.fixture
def gateway(settings):
    with FakeGateway() as fake:
        settings.NOTIFY_CHANNELS = ["sms"]
        settings.NOTIFY_SMS = {
            "PROVIDER": "aliyun",
            "ENDPOINT": fake.url,
            "ACCESS_KEY_ID": "test-id",
            "ACCESS_KEY_SECRET": SECRET,
            "SIGN_NAME": "政务服务中心",
            "TIMEOUT": 0.5,
        }
        settings.NOTIFY_BACKOFF_SECONDS = 30
        yield fake


@pytest.fixture
def approved(role_user):
    admin = role_user("center_admin")
    for code in ("ticket_called", "ticket_ahead"):
        notify.approve_template(actor=admin, code=code, gateway_code=f"SMS_{len(code)}001")


def _message(hall, jobs, kind="ticket_called"):
    ticket = services.issue_ticket(
        actor=hall.lobby, queue=hall.queue_a, channel="lobby", phone="13812345678"
    )
    with jobs():
        notices._send_ticket(kind, ticket, {"number": "A001", "window": "A01", "queue": "市场监管"})
    return Message.objects.get()


def _due(message):
    Message.objects.filter(pk=message.pk).update(next_attempt_at=timezone.now())
    notify.deliver(message.pk)
    message.refresh_from_db()
    return message


def test_signed_request_and_success(hall, jobs, gateway, approved):
    message = _message(hall, jobs)
    assert message.status == Message.Status.SENT and message.outcome == "网关已受理"
    params = dict(gateway.requests[0])
    assert params["PhoneNumbers"] == "13812345678" and params["TemplateCode"] == "SMS_13001"
    assert json.loads(params["TemplateParam"]) == {
        "number": "A001",
        "window": "A01",
        "queue": "市场监管",
    }
    signature = params.pop("Signature")
    canonical = "&".join(
        f"{urllib.parse.quote(k, safe='~')}={urllib.parse.quote(v, safe='~')}"
        for k, v in sorted(params.items())
    )
    to_sign = "GET&%2F&" + urllib.parse.quote(canonical, safe="~")
    digest = hmac.new(f"{SECRET}&".encode(), to_sign.encode(), hashlib.sha1).digest()
    assert signature == base64.b64encode(digest).decode()


def test_throttled_then_retried_with_exponential_backoff(hall, jobs, gateway, approved):
    gateway.answers = ["isv.BUSINESS_LIMIT_CONTROL", "500", "sleep"]
    before = timezone.now()
    message = _message(hall, jobs)
    assert message.status == Message.Status.PENDING and message.attempts == 1
    assert 29 <= (message.next_attempt_at - before).total_seconds() <= 40  # 30 s
    before = timezone.now()
    message = _due(message)
    assert message.attempts == 2 and "500" in message.outcome
    assert 59 <= (message.next_attempt_at - before).total_seconds() <= 70  # 60 s
    message = _due(message)  # the gateway answers too late: a timeout, retried
    assert message.status == Message.Status.PENDING and "无响应" in message.outcome
    message = _due(message)
    assert message.status == Message.Status.SENT and message.attempts == 4
    outcomes = list(Attempt.objects.order_by("id").values_list("ok", flat=True))
    assert outcomes == [False, False, False, True]


def test_a_permanent_error_is_not_retried(hall, jobs, gateway, approved):
    gateway.answers = ["isv.MOBILE_NUMBER_ILLEGAL"]
    message = _message(hall, jobs)
    assert message.status == Message.Status.FAILED and message.attempts == 1
    assert message.outcome.startswith("isv.MOBILE_NUMBER_ILLEGAL")


def test_gives_up_after_the_last_attempt(hall, jobs, gateway, approved, settings):
    settings.NOTIFY_MAX_ATTEMPTS = 2
    gateway.answers = ["500", "500"]
    message = _due(_message(hall, jobs))
    assert message.status == Message.Status.FAILED and message.attempts == 2


def test_an_unapproved_template_is_held_until_approved(hall, jobs, gateway, role_user):
    message = _message(hall, jobs)
    assert message.status == Message.Status.HELD and gateway.requests == []
    notify.approve_template(
        actor=role_user("center_admin"), code="ticket_called", gateway_code="SMS_1"
    )
    message = _due(message)
    assert message.status == Message.Status.SENT and len(gateway.requests) == 1


def test_a_gateway_that_is_down_never_blocks_calling(hall, jobs, settings, approved):
    settings.NOTIFY_CHANNELS = ["sms"]
    settings.NOTIFY_SMS = {**settings.NOTIFY_SMS, "ENDPOINT": "http://127.0.0.1:9/", "TIMEOUT": 0.5}
    services.issue_ticket(
        actor=hall.lobby, queue=hall.queue_a, channel="lobby", phone="13812345678"
    )
    with jobs():
        ticket = services.call_next_ticket(actor=hall.clerk_a1, window=hall.w_a01)
    assert ticket.status == "called"
    message = Message.objects.get(kind="ticket_called")
    assert message.status == Message.Status.PENDING and message.attempts == 1
    assert "无响应" in message.outcome


def test_percent_encoding_follows_the_pop_rules():
    """Space as %20 (not +), * as %2A, ~ kept, UTF-8 for Chinese: as the signature rules say."""
    query = channels.aliyun_signed_query({"B": "a b*c~", "A": "政务"}, "k")
    assert query.split("&", 1)[1] == "A=%E6%94%BF%E5%8A%A1&B=a%20b%2Ac~"
