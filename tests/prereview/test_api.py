"""The pre-review API: the person's calls with the link token, the reviewers' calls."""

import uuid

import pytest
from django.test import Client

from chuangkou.core.models import AuditEntry
from chuangkou.prereview.models import PreReview
from tests.cases.conftest import APPLICANT

from .conftest import PHONE, passed, pdf, required_items, submitted

pytestmark = pytest.mark.django_db
API = "/api/v1/prereview"


def test_person_flow_through_the_api(pw):
    client = Client()
    body = {
        "matter_id": pw.food.pk,
        "center_id": pw.main.pk,
        "applicant_name": "王五",
        "phone": PHONE,
    }
    response = client.post(f"{API}/public/prereviews", body, content_type="application/json")
    assert response.status_code == 201
    token = response.json()["token"]
    state = client.get(f"{API}/public/prereviews/{token}").json()
    assert state["phone"] != PHONE and len(state["items"]) == 3
    for item in [i for i in state["items"] if i["required"]]:
        answer = client.post(
            f"{API}/public/prereviews/{token}/items/{item['id']}/file", {"file": pdf()}
        )
        assert answer.status_code == 200, answer.content
    submitted_state = client.post(f"{API}/public/prereviews/{token}/submit")
    assert submitted_state.json()["status"] == "reviewing"
    again = client.post(f"{API}/public/prereviews/{token}/submit")
    assert again.status_code == 400 and "请勿重复提交" in again.json()["detail"]


def test_public_bad_input(pw):
    client = Client()
    bad = client.post(
        f"{API}/public/prereviews",
        {"matter_id": 2**70, "center_id": pw.main.pk, "applicant_name": "x", "phone": PHONE},
        content_type="application/json",
    )
    assert bad.status_code == 422
    unknown = client.post(
        f"{API}/public/prereviews",
        {"matter_id": 999999, "center_id": pw.main.pk, "applicant_name": "x", "phone": PHONE},
        content_type="application/json",
    )
    assert unknown.status_code == 400 and unknown.json()["field"] == "matter_id"
    assert client.get(f"{API}/public/prereviews/{uuid.uuid4()}").status_code == 404
    assert client.get(f"{API}/public/prereviews/forged").status_code == 404
    broken = client.post(f"{API}/public/prereviews", "{", content_type="application/json")
    assert broken.status_code in (400, 422)
    assert not PreReview.objects.exists()


def test_disguised_upload_through_the_api(pw):
    from django.core.files.uploadedfile import SimpleUploadedFile

    prereview = submitted(pw)  # under review: uploads refused anyway
    item = required_items(prereview)[0]
    fake = SimpleUploadedFile("x.pdf", b"MZ" + b"\x00" * 50)
    answer = Client().post(
        f"{API}/public/prereviews/{prereview.public_token}/items/{item.pk}/file", {"file": fake}
    )
    assert answer.status_code == 400 and "文件类型不符" in answer.json()["detail"]


def test_reviewer_calls(pw, client_as):
    prereview = submitted(pw)
    clerk = client_as(pw.clerk_a1)
    listed = clerk.get(f"{API}/prereviews?status=reviewing").json()
    assert [row["id"] for row in listed["items"]] == [prereview.pk]
    item = required_items(prereview)[0]
    url = f"{API}/prereviews/{prereview.pk}/items/{item.pk}/review"
    outsider = client_as(pw.clerk_b1).post(
        url, {"decision": "pass"}, content_type="application/json"
    )
    assert outsider.status_code == 403
    assert not AuditEntry.objects.filter(action="prereview.review").exists()
    ok = clerk.post(url, {"decision": "pass"}, content_type="application/json")
    assert ok.status_code == 200 and ok.json()["status"] == "passed"
    twice = clerk.post(url, {"decision": "pass"}, content_type="application/json")
    assert twice.status_code == 400
    nul = clerk.post(
        f"{API}/prereviews/{prereview.pk}/items/{required_items(prereview)[1].pk}/review",
        {"decision": "fix", "problem": "blurry", "note": "a\x00"},
        content_type="application/json",
    )
    assert nul.status_code in (400, 422)  # refused with a Chinese message, nothing written


def test_accept_and_figures(pw, client_as):
    prereview = passed(pw)
    clerk = client_as(pw.clerk_a1)
    answer = clerk.post(
        f"{API}/prereviews/{prereview.pk}/case", APPLICANT, content_type="application/json"
    )
    assert answer.status_code == 201
    admin = client_as(pw.admin)
    figures = admin.get(f"{API}/figures?start=2018-01-01&end=2100-12-31").json()
    assert figures["started"] == 1
    assert admin.get(f"{API}/figures?start=2018-06-01&end=2018-01-01").status_code == 400
    assert admin.get(f"{API}/figures?start=1900-01-01").status_code == 422
    assert clerk.get(f"{API}/figures").status_code == 403
