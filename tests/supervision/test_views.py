"""The pages: the phone visit form with photos, private photos, lists, sitting-in, docx."""

import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone
from docx import Document

from chuangkou.supervision.models import SecretVisit, SittingSlot

from .conftest import photo, stored_files, visit_time

pytestmark = pytest.mark.django_db


def visit_form(**extra) -> dict:
    data = {
        "visited_at": timezone.localtime(visit_time()).strftime("%Y-%m-%dT%H:%M"),
        "w0": "A01",
        "w0_smile": "bad",
        "w0_note": "未起身",
        "w0_hands": "ok",
        "lobby_lobby_chair": "bad",
        "summary": "良好",
    }
    return {**data, **extra}


def test_supervisor_files_a_visit_with_photos_and_only_they_and_the_admin_see_them(sv, client_as):
    client = client_as(sv.sup1.user)
    url = f"/supervision/visits/assignments/{sv.assignment.pk}/file/"
    assert client.get(url).status_code == 200
    response = client.post(url, visit_form(photos=[photo(), photo("b.png", "PNG")]))
    assert response.status_code == 302
    visit = SecretVisit.objects.get()
    assert set(visit.findings.values_list("item", flat=True)) == {"smile", "lobby_chair"}
    photo_url = f"/supervision/photos/{visit.photos.first().pk}/"
    assert client.get(photo_url).status_code == 200
    assert client_as(sv.admin).get(photo_url)["Content-Type"] == "image/jpeg"
    assert client_as(sv.sup2.user).get(photo_url).status_code == 404
    assert client_as(sv.head_a).get(photo_url).status_code == 403
    anonymous = client_as(sv.sup1.user)
    anonymous.logout()
    assert anonymous.get(photo_url).status_code == 302
    assert client.get(f"/supervision/visits/{visit.pk}/").status_code == 200
    assert client_as(sv.sup2.user).get(f"/supervision/visits/{visit.pk}/").status_code == 404


@pytest.mark.parametrize(
    ("extra", "message"),
    [
        ({"photos": [SimpleUploadedFile("x.jpg", b"not an image", "image/jpeg")]}, "只接受"),
        ({"w0": "Q42"}, "没有窗口 Q42"),
        ({"visited_at": "2999-01-01T10:00"}, "不能晚于现在"),
        ({"visited_at": "yesterday"}, "请填写暗访时间"),
        ({"visited_at": "0001-01-01T00:00"}, "2000 年至 2100 年"),
        ({"w0_smile": "maybe"}, "符合 / 不符合 / 未观察"),
    ],
)
def test_bad_visit_forms_say_why_and_change_nothing(sv, client_as, extra, message):
    client = client_as(sv.sup1.user)
    url = f"/supervision/visits/assignments/{sv.assignment.pk}/file/"
    response = client.post(url, visit_form(**extra))
    assert response.status_code == 400
    assert message in response.content.decode()
    assert not SecretVisit.objects.exists() and stored_files() == []


def test_lists_render_for_each_role_and_export(sv, client_as):
    for user in (sv.admin, sv.sup1.user):
        assert client_as(user).get("/supervision/visits/").status_code == 200
    for user in (sv.admin, sv.head_a, sv.clerk_a1):
        assert client_as(user).get("/supervision/findings/?state=bogus&page=x").status_code == 200
    admin = client_as(sv.admin)
    assert admin.get("/supervision/problems/?as_of=2018-08-31&kind=zzz").status_code == 200
    export = admin.get("/supervision/problems/?export=xlsx")
    assert export["Content-Type"].startswith("application/vnd.openxmlformats")
    assert client_as(sv.clerk_a1).get("/supervision/problems/").status_code == 403
    assert client_as(sv.sup1.user).get("/supervision/findings/").status_code == 403


def test_head_books_and_records_a_sitting_in(sv, client_as):
    slot = SittingSlot.objects.create(window=sv.w_a01, date=timezone.localdate(), half="am")
    client = client_as(sv.head_a)
    assert client.get("/supervision/sittings/").status_code == 200
    assert client.post("/supervision/sittings/", {"slot": slot.pk}).status_code == 302
    sitting = slot.sittings.get()
    url = f"/supervision/sittings/{sitting.pk}/record/"
    assert client.get(url).status_code == 200
    response = client.post(
        url, {"q1": "清楚", "p0_title": "等候久", "p0_kind": "block", "summary": "好"}
    )
    assert response.status_code == 302
    sitting.refresh_from_db()
    assert sitting.status == "recorded" and sitting.problems.get().title == "等候久"
    assert client.post("/supervision/sittings/", {"slot": "9" * 30}).status_code == 404
    coverage = client_as(sv.admin).get("/supervision/sittings/").content.decode()
    assert "今年已坐班（1 人）" in coverage


def test_handbook_downloads_open_with_python_docx(sv, client_as):
    client = client_as(sv.head_a)
    for url, title in (
        ("/supervision/sittings/handbook.docx", "领导坐班办事体验手册"),
        ("/supervision/sittings/record-form.docx", "领导坐班办事体验活动记录表"),
    ):
        response = client.get(url)
        assert response.status_code == 200
        document = Document(io.BytesIO(response.content))
        assert document.paragraphs[0].text == title
