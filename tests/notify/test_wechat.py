"""WeChat subscription messages against a fake API on loopback: the access token is fetched
once and reused, the template's fields are mapped to its data keys, a refused subscription
(43101) is not retried."""

import json
import threading
import urllib.parse
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

from chuangkou.notify import channels
from chuangkou.notify import services as notify
from chuangkou.notify.models import Message, Subscription

pytestmark = pytest.mark.django_db


@pytest.fixture
def wechat(settings, role_user):
    calls = {"token": 0, "sent": [], "errcode": 0}

    class Handler(BaseHTTPRequestHandler):
        def _answer(self, payload):
            body = json.dumps(payload).encode()
            self.send_response(200)
            self.send_header("Content-Type", "application/json")
            self.end_headers()
            self.wfile.write(body)

        def do_GET(self):  # noqa: N802
            calls["token"] += 1
            query = dict(urllib.parse.parse_qsl(urllib.parse.urlsplit(self.path).query))
            assert query["appid"] == "wx-app" and query["grant_type"] == "client_credential"
            self._answer({"access_token": "TOKEN", "expires_in": 7200})

        def do_POST(self):  # noqa: N802
            length = int(self.headers["Content-Length"])
            calls["sent"].append((self.path, json.loads(self.rfile.read(length))))
            self._answer({"errcode": calls["errcode"], "errmsg": "ok", "msgid": 42})

        def log_message(self, *args):
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    settings.NOTIFY_CHANNELS = ["wechat"]
    settings.NOTIFY_WECHAT = {
        "API": f"http://127.0.0.1:{server.server_port}",
        "APP_ID": "wx-app",
        "APP_SECRET": "s",
        "TIMEOUT": 2,
        "TEMPLATES": {
            "ticket_called": {
                "template_id": "TPL-CALL",
                "fields": {"number": "character_string1", "window": "thing2", "queue": "thing3"},
            }
        },
    }
    channels.WechatSubscribe._token = None
    notify.approve_template(actor=role_user("center_admin"), code="ticket_called", gateway_code="x")
    yield calls
    channels.WechatSubscribe._token = None
    server.shutdown()
    server.server_close()


def _send(subject_id, jobs):
    Subscription.objects.create(subject_kind="ticket", subject_id=subject_id, wechat_openid="oABC")
    with jobs():
        notify.notify_subject(
            "ticket_called",
            subject_kind="ticket",
            subject_id=subject_id,
            fields={"number": "C012", "window": "C08", "queue": "不动产登记"},
        )
    return Message.objects.get(subject_id=subject_id)


def test_sent_with_mapped_fields_and_one_token(wechat, jobs):
    first, second = _send(1, jobs), _send(2, jobs)
    assert first.status == second.status == Message.Status.SENT
    assert wechat["token"] == 1
    path, body = wechat["sent"][0]
    assert path == "/cgi-bin/message/subscribe/send?access_token=TOKEN"
    assert body == {
        "touser": "oABC",
        "template_id": "TPL-CALL",
        "data": {
            "character_string1": {"value": "C012"},
            "thing2": {"value": "C08"},
            "thing3": {"value": "不动产登记"},
        },
    }


def test_a_refused_subscription_is_not_retried(wechat, jobs):
    wechat["errcode"] = 43101
    message = _send(3, jobs)
    assert message.status == Message.Status.FAILED and message.outcome.startswith("43101")
