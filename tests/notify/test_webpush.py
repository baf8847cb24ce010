"""Web Push with the VAPID key generated into the data folder, against a fake push service on
loopback: the message is encrypted (aes128gcm) and signed (VAPID) as browsers' push services
require; a subscription the service dropped (410) is forgotten."""

import base64
import os
import stat
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import ec

from chuangkou.notify import services as notify
from chuangkou.notify import vapid
from chuangkou.notify.models import Message, PushEndpoint, Subscription

pytestmark = pytest.mark.django_db


def b64(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


@pytest.fixture
def push_service():
    received = []
    status = {"code": 201}

    class Handler(BaseHTTPRequestHandler):
        def do_POST(self):  # noqa: N802
            body = self.rfile.read(int(self.headers.get("Content-Length", 0)))
            received.append(({k.lower(): v for k, v in self.headers.items()}, body))
            self.send_response(status["code"])
            self.end_headers()

        def log_message(self, *args):
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield f"http://127.0.0.1:{server.server_port}/push/abc", received, status
    server.shutdown()
    server.server_close()


def test_vapid_key_is_made_once_and_kept_private(settings, tmp_path):
    settings.DATA_DIR = tmp_path
    key = vapid.application_server_key()
    path = vapid.private_key_path()
    assert stat.S_IMODE(os.stat(path).st_mode) == 0o600
    assert vapid.application_server_key() == key
    assert len(base64.urlsafe_b64decode(key + "==")) == 65  # an uncompressed P-256 point


def test_push_is_encrypted_signed_and_recorded(settings, tmp_path, push_service, jobs):
    settings.DATA_DIR = tmp_path
    settings.NOTIFY_CHANNELS = ["webpush"]
    url, received, status = push_service
    browser_key = (
        ec.generate_private_key(ec.SECP256R1())
        .public_key()
        .public_bytes(serialization.Encoding.X962, serialization.PublicFormat.UncompressedPoint)
    )
    subscription = Subscription.objects.create(subject_kind="ticket", subject_id=7, browser=True)
    PushEndpoint.objects.create(
        subscription=subscription, endpoint=url, p256dh=b64(browser_key), auth=b64(os.urandom(16))
    )
    with jobs():
        notify.notify_subject(
            "ticket_ahead", subject_kind="ticket", subject_id=7, fields={"number": "A009"}
        )
    message = Message.objects.get()
    assert message.status == Message.Status.SENT, message.outcome
    headers, body = received[0]
    assert headers["content-encoding"] == "aes128gcm" and body and b"A009" not in body
    assert headers["authorization"].startswith("vapid t=")
    assert vapid.application_server_key() in headers["authorization"]

    status["code"] = 410  # the browser unsubscribed: the endpoint is dropped
    with jobs():
        notify.notify_subject(
            "ticket_called", subject_kind="ticket", subject_id=7, fields={"number": "A009"}
        )
    assert not PushEndpoint.objects.exists()
    assert Message.objects.get(kind="ticket_called").status == Message.Status.PENDING
