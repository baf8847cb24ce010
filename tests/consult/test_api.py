"""1call API: the public endpoints with code + last four digits, the desk and the admin."""

import pytest

from chuangkou.consult import services
from chuangkou.consult.models import Consultation

from .conftest import PHONE

pytestmark = pytest.mark.django_db
API = "/api/v1/consult"


def _post(client, path, data, **kw):
    return client.post(f"{API}{path}", data, content_type="application/json", **kw)


def test_public_ask_thread_follow_rate(cw, client):
    asked = _post(
        client,
        "/public/consultations",
        {"question": "社保卡丢了怎么补？", "phone": PHONE, "matter_id": cw.catalog.sscard.pk},
    )
    assert asked.status_code == 201
    code = asked.json()["code"]
    assert asked.json()["url"].endswith(f"/consult/t/{code}/")
    identity = {"code": code, "last4": "5678"}
    thread = _post(client, "/public/thread", identity).json()
    assert thread["phone"] == "138****5678" and len(thread["messages"]) == 1
    wrong = _post(client, "/public/thread", {**identity, "last4": "0000"})
    forged = _post(client, "/public/thread", {"code": "ZZZZZZZZZZ", "last4": "5678"})
    assert wrong.status_code == forged.status_code == 404
    assert wrong.json()["detail"] == forged.json()["detail"]
    assert _post(client, "/public/follow-ups", {**identity, "body": "要本人吗"}).status_code == 201
    c = Consultation.objects.get(code=code)
    services.claim(actor=cw.clerk_b1, consultation=c)
    services.reply(actor=cw.clerk_b1, consultation=c, body="需要本人。")
    services.close(actor=cw.clerk_b1, consultation=c)
    rated = _post(client, "/public/ratings", {**identity, "level": 5})
    assert rated.status_code == 201 and rated.json()["rated"] == 5
    assert _post(client, "/public/ratings", {**identity, "level": 5}).status_code == 409


@pytest.mark.parametrize(
    "body",
    [
        {"question": "", "phone": PHONE},
        {"question": "问", "phone": "abc"},
        {"question": "问" * 1001, "phone": PHONE},
        {"question": "a\x00b", "phone": PHONE},
        {"question": "问", "phone": PHONE, "matter_id": 99999999999999999999},
        {"question": "问", "phone": PHONE, "matter_id": 999999},
    ],
)
def test_public_bad_input(cw, client, body):
    response = _post(client, "/public/consultations", body)
    assert 400 <= response.status_code < 500 and response.json()["detail"]
    assert not Consultation.objects.exists()


def test_bad_json(cw, client):
    response = client.post(
        f"{API}/public/consultations", "{not json", content_type="application/json"
    )
    assert 400 <= response.status_code < 500


def test_desk_endpoints(cw, client_as):
    c = services.ask(question="营业执照丢了怎么办", phone=PHONE, matter=cw.catalog.shop)
    clerk = client_as(cw.clerk_a1)
    assert [r["code"] for r in clerk.get(f"{API}/inbox").json()] == [c.code]
    assert clerk.get(f"{API}/inbox?status=nonsense").status_code == 400
    assert _post(clerk, f"/consultations/{c.pk}/claim", {}).status_code == 200
    second = _post(client_as(cw.clerk_a2), f"/consultations/{c.pk}/claim", {})
    assert second.status_code == 409 and "已被其他坐席认领" in second.json()["detail"]
    replied = _post(clerk, f"/consultations/{c.pk}/replies", {"body": "登报后补领。"})
    assert replied.status_code == 201 and replied.json()["status"] == "answered"
    hits = clerk.get(f"{API}/suggestions", {"q": "个体户执照"}).json()
    assert any("个体工商户设立登记" in h["text"] for h in hits["guide"][:3])
    assert hits["answers"][0]["id"] == c.pk
    assert _post(clerk, f"/consultations/{c.pk}/faq", {}).status_code == 201
    assert _post(clerk, f"/consultations/{c.pk}/close", {}).json()["status"] == "closed"
    assert clerk.get(f"{API}/consultations/99999999999999999999").status_code in (404, 422)
    admin = client_as(cw.admin)
    figures = admin.get(f"{API}/overview").json()
    assert figures["volume"] == 1 and figures["closed"] == 1
    assert admin.get(f"{API}/overview?start=9999-12-31").status_code in (400, 422)
