"""The one shared parser of input at the edge (core.params, core.schema_types, the `<id:…>`
converter, the NUL guard) and the error pages (DEBUG is off in tests)."""

import datetime as dt

import pytest
from django.http import QueryDict
from django.test import Client, RequestFactory, override_settings
from django.urls import include, path
from ninja import Schema
from pydantic import ValidationError

from chuangkou.core.params import (
    DATE_WINDOW_MESSAGE,
    MAX_ID,
    date_param,
    id_list,
    id_param,
    page_of,
    parse_filters,
    parse_id,
    problems,
)
from chuangkou.core.schema_types import DbId, SaneDate, Text
from chuangkou.org.filters import StaffFilter


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("1", 1),
        (" 42 ", 42),
        (str(MAX_ID), MAX_ID),
        (str(MAX_ID + 1), None),
        ("99999999999999999999", None),
        ("0", None),
        ("-1", None),
        ("1e3", None),
        ("１２", None),  # full-width digits are not an id
        ("", None),
        ("a\x00", None),
        (True, None),
        (7, 7),
        (2**64, None),
    ],
)
def test_parse_id(value, expected):
    assert parse_id(value) == expected


def test_id_param_and_lists():
    params = QueryDict("department=99999999999999999999&center=3&staff=1&staff=x&staff=2")
    assert id_param(params, "department") is None
    assert id_param(params, "center") == 3
    assert id_param(params, "missing") is None
    assert id_list(params.getlist("staff")) == [1, 2]
    assert id_list(["9223372036854775808", "5"]) == [5]


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("2018-03-05", dt.date(2018, 3, 5)),
        ("2000-01-01", dt.date(2000, 1, 1)),
        ("2100-12-31", dt.date(2100, 12, 31)),
        ("1999-12-31", None),
        ("0001-01-01", None),
        ("9999-12-31", None),
        ("2018-02-30", None),
        ("bad", None),
        ("", None),
    ],
)
def test_date_param_keeps_to_the_window(value, expected):
    assert date_param(QueryDict(f"start={value}"), "start") == expected


class _Body(Schema):
    ids: list[DbId] = []
    day: SaneDate | None = None
    text: Text = ""


def test_schema_types_refuse_with_chinese_messages():
    assert _Body(ids=[1, MAX_ID], day="2018-01-01", text="甲").ids == [1, MAX_ID]
    with pytest.raises(ValidationError) as caught:
        _Body(ids=[9223372036854775808], day="9999-12-31", text="a\x00b")
    messages = {p["field"]: p["message"] for p in problems(caught.value)}
    assert messages == {
        "ids.0": "数值超出允许范围。",
        "day": DATE_WINDOW_MESSAGE,
        "text": "提交的内容包含无效字符（NUL）。",
    }


def test_filters_with_bad_values_fall_back_and_say_why():
    filters, wrong = parse_filters(QueryDict("department=99999999999999999999"), StaffFilter)
    assert filters.department is None
    assert wrong == ["department：数值超出允许范围。"]
    filters, wrong = parse_filters(QueryDict("department=3&q=甲"), StaffFilter)
    assert (filters.department, filters.q, wrong) == (3, "甲", [])


@pytest.mark.parametrize(
    ("page", "number"),
    [("2", 2), (str(2**64), 4), ("-1", 1), ("x", 1), ("", 1), ("0", 1), ("99", 4)],
)
def test_page_of_never_fails(page, number):
    request = RequestFactory().get("/", {"page": page})
    assert page_of(request, list(range(100)), 25).number == number


# --- the URL converter, the NUL guard and the error pages -----------------------------------


def _boom(request):
    raise RuntimeError("boom")


urlpatterns = [path("boom/", _boom), path("", include("chuangkou.urls"))]
handler500 = "chuangkou.core.error_pages.server_error"


@pytest.mark.django_db
def test_ids_beyond_64_bits_in_a_path_are_404_in_the_layout(client, org_small):
    client.force_login(org_small.admin)
    for pk in (str(MAX_ID + 1), "99999999999999999999"):
        response = client.get(f"/staff/{pk}/")
        assert response.status_code == 404
        body = response.content.decode()
        assert "找不到该页面或对象" in body and 'data-testid="error-home"' in body
        assert "窗口平台" in body  # inside the site's layout: the sidebar is there
    assert client.get(f"/staff/{org_small.a1.pk}/").status_code == 200


@pytest.mark.django_db
def test_the_403_page_is_chinese_with_a_way_back(client, org_small):
    client.force_login(org_small.clerk_a1)
    response = client.get("/staff/", headers={"referer": "http://testserver/"})
    assert response.status_code == 403
    body = response.content.decode()
    assert "您没有访问此页面的权限" in body
    assert 'data-testid="error-back"' in body and 'href="http://testserver/"' in body


@pytest.mark.django_db
def test_a_foreign_referer_is_not_offered_as_the_way_back(client, org_small):
    client.force_login(org_small.clerk_a1)
    body = client.get("/staff/", headers={"referer": "https://evil.example/"}).content.decode()
    assert "evil.example" not in body


@pytest.mark.django_db
def test_api_errors_stay_json(client):
    response = client.get("/api/v1/no-such-endpoint")
    assert response.status_code == 404
    assert response.json() == {"detail": "找不到该对象，或您无权查看。"}


@pytest.mark.django_db
def test_nul_in_form_and_json_bodies_is_a_400_in_chinese(client, org_small):
    client.force_login(org_small.admin)
    page = client.post("/staff/new/", {"name": "甲\x00乙"})
    assert page.status_code == 400 and "请求无效" in page.content.decode()
    api = client.post("/api/v1/org/staff", '{"name": "甲\\u0000"}', content_type="application/json")
    assert api.status_code == 400
    assert api.json() == {"detail": "提交的内容包含无效字符（NUL）。"}
    escaped = client.post(  # an escaped backslash before u0000 is plain text, not a NUL
        "/api/v1/org/staff", '{"name": "a\\\\u0000"}', content_type="application/json"
    )
    assert escaped.status_code != 400 or "NUL" not in escaped.json()["detail"]


@pytest.mark.django_db
def test_an_upload_may_hold_any_bytes(client, org_small):
    from django.core.files.uploadedfile import SimpleUploadedFile

    client.force_login(org_small.admin)
    upload = SimpleUploadedFile("x.xlsx", b"PK\x03\x04\x00\x00binary")
    response = client.post("/staff/import/", {"file": upload})
    assert response.status_code < 500 and response.status_code != 400


@override_settings(ROOT_URLCONF=__name__)
def test_the_500_page_renders_without_database_or_user():
    client = Client(raise_request_exception=False)
    response = client.get("/boom/")
    assert response.status_code == 500
    body = response.content.decode()
    assert "系统出错了" in body and "返回首页" in body and "窗口平台" not in body  # no sidebar
