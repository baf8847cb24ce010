"""Pre-review pages: the person's pages through the link, the reviewer's desk, the figures."""

import uuid

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from chuangkou.core.models import AuditEntry
from chuangkou.core.roles import Role
from chuangkou.prereview.models import PreReview, PreReviewItem
from tests.cases.conftest import APPLICANT
from tests.factories import StaffFactory, UserFactory

from .conftest import PHONE, passed, pdf, required_items, start, submitted

pytestmark = pytest.mark.django_db


def test_person_starts_uploads_and_submits(pw):
    client = Client()
    assert "食品经营许可证核发" in client.get("/prereview/?q=食品").content.decode()
    page = client.get(f"/prereview/start/{pw.food.pk}/")
    assert "食品安全管理制度" in page.content.decode()
    response = client.post(
        f"/prereview/start/{pw.food.pk}/",
        {"center": pw.main.pk, "applicant_name": "王五", "phone": PHONE},
    )
    prereview = PreReview.objects.get()
    assert response["Location"] == f"/prereview/p/{prereview.public_token}/"
    base = response["Location"]
    for item in required_items(prereview):
        client.post(f"{base}items/{item.pk}/upload/", {"file": pdf()})
    client.post(f"{base}submit/")
    prereview.refresh_from_db()
    assert prereview.status == PreReview.Status.REVIEWING
    page = client.get(base).content.decode()
    assert PHONE not in page and "正在预审" in page


def test_bad_start_input_shows_chinese_errors(pw):
    response = Client().post(
        f"/prereview/start/{pw.food.pk}/",
        {"center": pw.main.pk, "applicant_name": "王", "phone": "1"},
    )
    assert response.status_code == 200 and "手机号" in response.content.decode()
    assert not PreReview.objects.exists()


def test_forged_or_unknown_link_is_a_404(pw):
    client = Client()
    assert client.get(f"/prereview/p/{uuid.uuid4()}/").status_code == 404
    assert client.get("/prereview/p/not-a-token/").status_code == 404
    assert client.post(f"/prereview/p/{uuid.uuid4()}/submit/").status_code == 404
    prereview = start(pw)
    other = start(pw)
    item = required_items(other)[0]
    url = f"/prereview/p/{prereview.public_token}/items/{item.pk}/upload/"
    assert client.post(url, {"file": pdf()}).status_code == 404  # not this link's material
    assert client.get(f"/prereview/start/{2**70}/").status_code == 404


def test_disguised_upload_gives_a_message_and_changes_nothing(pw):
    prereview = start(pw)
    item = required_items(prereview)[0]
    fake = SimpleUploadedFile("a.pdf", b"MZ\x90\x00" + b"\x00" * 64, "application/pdf")
    client = Client()
    url = f"/prereview/p/{prereview.public_token}/items/{item.pk}/upload/"
    response = client.post(url, {"file": fake}, follow=True)
    assert "文件类型不符" in response.content.decode()
    item.refresh_from_db()
    assert item.status == PreReviewItem.Status.MISSING


def test_files_only_to_the_link_and_the_reviewers(pw, client_as):
    prereview = start(pw)
    item = required_items(prereview)[0]
    from chuangkou.prereview import services

    services.upload_material(prereview=prereview, item=item, upload=pdf())
    public = f"/prereview/p/{prereview.public_token}/items/{item.pk}/file/"
    staff = f"/prereview/desk/{prereview.pk}/items/{item.pk}/file/"
    assert Client().get(public).status_code == 200
    assert client_as(pw.clerk_a1).get(staff).status_code == 200
    assert client_as(pw.admin).get(staff).status_code == 200
    assert client_as(pw.clerk_b1).get(staff).status_code == 403
    assert Client().get(staff).status_code == 302
    other = start(pw)
    assert (
        Client().get(f"/prereview/p/{other.public_token}/items/{item.pk}/file/").status_code == 404
    )


def test_reviewer_desk_review_and_accept(pw, client_as):
    prereview = submitted(pw)
    clerk = client_as(pw.clerk_a1)
    desk = clerk.get("/prereview/desk/").content.decode()
    assert "食品经营许可证核发" in desk and PHONE not in desk
    assert clerk.get("/prereview/desk/?export=xlsx").status_code == 200
    assert clerk.get("/prereview/desk/?status=bogus&start=2018-02-30").status_code == 200
    first, second = required_items(prereview)
    clerk.post(f"/prereview/desk/{prereview.pk}/items/{first.pk}/review/", {"decision": "pass"})
    response = clerk.post(
        f"/prereview/desk/{prereview.pk}/items/{second.pk}/review/",
        {"decision": "fix", "problem": ""},
        follow=True,
    )
    assert "请选择需补正的原因" in response.content.decode()
    clerk.post(
        f"/prereview/desk/{prereview.pk}/items/{second.pk}/review/",
        {"decision": "fix", "problem": "blurry", "note": "第二页看不清"},
    )
    prereview.refresh_from_db()
    assert prereview.status == PreReview.Status.NEEDS_FIX
    assert "图像模糊" in Client().get(f"/prereview/p/{prereview.public_token}/").content.decode()


def test_reviewer_of_another_center_is_refused(pw, client_as):
    prereview = submitted(pw)
    item = required_items(prereview)[0]
    sub_clerk = UserFactory(roles=[Role.CLERK])
    StaffFactory(user=sub_clerk, department=pw.dept_a, center=pw.sub)
    client = client_as(sub_clerk)
    assert client.get(f"/prereview/desk/{prereview.pk}/").status_code == 403
    url = f"/prereview/desk/{prereview.pk}/items/{item.pk}/review/"
    assert client.post(url, {"decision": "pass"}).status_code == 403
    item.refresh_from_db()
    assert item.status == PreReviewItem.Status.PENDING
    assert not AuditEntry.objects.filter(action="prereview.review").exists()


def test_accept_page_links_the_case(pw, client_as):
    prereview = passed(pw)
    clerk = client_as(pw.clerk_a1)
    assert clerk.get(f"/prereview/desk/{prereview.pk}/accept/").status_code == 200
    response = clerk.post(f"/prereview/desk/{prereview.pk}/accept/", APPLICANT)
    prereview.refresh_from_db()
    assert prereview.case is not None
    assert response["Location"] == f"/cases/{prereview.case.pk}/"


def test_figures_page_and_export(pw, client_as):
    admin = client_as(pw.admin)
    assert admin.get("/prereview/figures/?start=2018-01-01&end=2018-06-30").status_code == 200
    assert admin.get("/prereview/figures/?start=2018-06-30&end=2018-01-01").status_code == 200
    assert admin.get("/prereview/figures/?start=9999-99-99").status_code == 200
    export = admin.get("/prereview/figures/?start=2018-01-01&end=2018-06-30&export=xlsx")
    assert export.status_code == 200
    assert client_as(pw.clerk_a1).get("/prereview/figures/").status_code == 403


def test_take_ticket_redirects_to_the_follow_page(pw):
    prereview = passed(pw)
    response = Client().post(f"/prereview/p/{prereview.public_token}/ticket/")
    prereview.refresh_from_db()
    assert response["Location"] == f"/hall/t/{prereview.ticket.public_token}/"


def test_home_card_counts_waiting_prereviews(pw, client_as):
    submitted(pw)
    home = client_as(pw.clerk_a1).get("/").content.decode()
    assert "份材料等待预审" in home
    assert "home-prereview" not in client_as(pw.clerk_b1).get("/").content.decode()
