"""1call pages: the public ask → thread → follow-up → rating flow without an account, the
tracking form answering a wrong code and wrong digits alike, the desk (claim, reply, transfer,
close, suggestions), roster and overview with its export; bad input never gives a 500."""

from pathlib import Path

import pytest
from django.utils import timezone
from openpyxl import load_workbook

from chuangkou.consult import services
from chuangkou.consult.models import Consultation, DutyShift
from chuangkou.core import exports
from chuangkou.core.models import ExportJob
from chuangkou.feedback.models import Evaluation

from .conftest import PHONE, ask_about

pytestmark = pytest.mark.django_db


def _ask(client, **data):
    body = {"question": "开饭店要办什么证？", "phone": PHONE, **data}
    return client.post("/consult/?code=T-SJ-003", body)


def test_public_flow_ask_follow_rate(cw, client):
    page = client.get("/consult/?code=T-SJ-003")
    assert "食品经营许可证核发" in page.content.decode()
    response = _ask(client)
    c = Consultation.objects.get()
    assert response.status_code == 302 and response["Location"] == f"/consult/t/{c.code}/"
    assert c.matter == cw.catalog.food
    thread = client.get(response["Location"]).content.decode()
    assert c.code in thread and "138****5678" in thread and PHONE not in thread
    client.post(f"/consult/t/{c.code}/", {"action": "follow", "body": "需要本人去吗？"})
    assert c.messages.count() == 2
    services.claim(actor=cw.clerk_a1, consultation=c)
    services.reply(actor=cw.clerk_a1, consultation=c, body="需要本人到场。")
    services.close(actor=cw.clerk_a1, consultation=c)
    page = client.get(f"/consult/t/{c.code}/").content.decode()
    assert "需要本人到场。" in page and 'data-testid="rate-form"' in page
    client.post(f"/consult/t/{c.code}/", {"action": "rate", "level": "5"})
    assert Evaluation.objects.get().channel == "1call"
    again = client.post(f"/consult/t/{c.code}/", {"action": "rate", "level": "1"})
    assert again.status_code in (200, 409) and Evaluation.objects.count() == 1


def test_bad_questions_get_form_errors(cw, client):
    for data in ({"question": ""}, {"phone": "123"}, {"question": "问" * 1001}):
        response = _ask(client, **data)
        assert response.status_code == 400
    assert "手机号应为以 1 开头的 11 位数字" in _ask(client, phone="123").content.decode()
    assert not Consultation.objects.exists()


def test_another_browser_needs_the_last_four_digits(cw, client):
    c = ask_about(cw)
    page = client.get(f"/consult/t/{c.code}/").content.decode()
    assert 'data-testid="verify-form"' in page and c.question not in page
    unknown = client.get("/consult/t/ZZZZZZZZZZ/").content.decode()
    assert 'data-testid="verify-form"' in unknown  # the same form for any code
    wrong = client.post(f"/consult/t/{c.code}/", {"last4": "0000"})
    forged = client.post("/consult/t/ZZZZZZZZZZ/", {"last4": "5678"})
    assert wrong.status_code == forged.status_code == 400
    assert services.NOT_FOUND in wrong.content.decode()
    assert services.NOT_FOUND in forged.content.decode()
    right = client.post(f"/consult/t/{c.code}/", {"last4": "5678"})
    assert right.status_code == 302
    assert c.question in client.get(f"/consult/t/{c.code}/").content.decode()


def test_track_form_and_lockout(cw, client):
    c = ask_about(cw)
    for _ in range(services.MISSES_ALLOWED):
        assert client.post("/consult/track/", {"code": c.code, "last4": "1111"}).status_code == 400
    locked = client.post("/consult/track/", {"code": c.code, "last4": "5678"})
    assert locked.status_code == 429 and "次数过多" in locked.content.decode()
    weird = client.post("/consult/track/", {"code": "x" * 500, "last4": "ab"})
    assert weird.status_code in (400, 429)


def test_desk_claim_reply_transfer(cw, client_as):
    c = ask_about(cw, cw.catalog.shop)
    clerk = client_as(cw.clerk_a1)
    inbox = clerk.get("/consult/inbox/").content.decode()
    assert c.code in inbox and "138****5678" not in inbox
    detail = clerk.get(f"/consult/c/{c.pk}/").content.decode()
    assert 'data-testid="claim"' in detail and 'data-testid="suggestion"' in detail
    assert clerk.post(f"/consult/c/{c.pk}/claim/").status_code == 302
    other = client_as(cw.clerk_a2).post(f"/consult/c/{c.pk}/claim/", follow=True)
    assert "已被其他坐席认领" in other.content.decode()
    clerk.post(f"/consult/c/{c.pk}/reply/", {"body": "请带身份证。"})
    c.refresh_from_db()
    assert c.status == Consultation.Status.ANSWERED
    clerk.post(f"/consult/c/{c.pk}/transfer/", {"department": cw.dept_b.pk})
    c.refresh_from_db()
    assert c.department == cw.dept_b and c.agent is None
    assert clerk.get(f"/consult/c/{c.pk}/").status_code == 404  # no longer in A's domain
    assert client_as(cw.clerk_b1).get(f"/consult/c/{c.pk}/").status_code == 200


def test_suggest_partial(cw, client_as):
    clerk = client_as(cw.clerk_a1)
    page = clerk.get("/consult/suggest/", {"body": "社保卡怎么办"}).content.decode()
    assert "社会保障卡申领" in page
    assert clerk.get("/consult/suggest/", {"q": "a\x00b"}).status_code < 500


def test_roster_and_overview_for_the_admin(cw, client_as):
    admin = client_as(cw.admin)
    response = admin.post(
        "/consult/roster/", {"staff": cw.a2.pk, "date": "2030-01-07", "shift": "am"}
    )
    assert response.status_code == 302
    assert DutyShift.objects.filter(staff=cw.a2, date="2030-01-07").exists()
    bad = admin.post("/consult/roster/", {"staff": "99999999999999999999", "date": "9999-12-31"})
    assert bad.status_code == 400
    ask_about(cw, cw.catalog.shop)
    page = admin.get("/consult/overview/?start=0001-01-01&end=9999-12-31")
    assert page.status_code == 200
    export = admin.get("/consult/overview/?export=xlsx")
    assert export["Content-Type"].startswith("application/vnd.openxmlformats")
    assert client_as(cw.clerk_a1).get("/consult/overview/").status_code == 403


def test_a_large_consultation_export_runs_in_the_background(
    cw, client_as, monkeypatch, settings, tmp_path
):
    settings.MEDIA_ROOT = tmp_path / "media"
    monkeypatch.setattr(exports, "INLINE_ROWS", 0)
    ask_about(cw, cw.catalog.shop)
    today = timezone.localdate()
    response = client_as(cw.admin).get(
        "/consult/overview/", {"export": "xlsx", "start": f"{today:%Y-%m-%d}", "end": "bad"}
    )
    job = ExportJob.objects.get()
    assert response["Location"] == f"/exports/{job.pk}/"
    assert job.status == "done" and job.written_rows == 1
    assert job.filename == f"在线咨询_{today:%Y%m%d}-{today:%Y%m%d}.xlsx"  # the overview's period
    sheet = load_workbook(Path(settings.MEDIA_ROOT) / job.file).active
    assert "*" in sheet["F2"].value  # the phone masked
