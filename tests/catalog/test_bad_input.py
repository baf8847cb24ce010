"""Control characters (NUL above all, which PostgreSQL refuses in text) in paths, query strings
and bodies: a NUL in the address, a form or a JSON body is refused with 400 before any view
(core middleware); never a server error. (An xlsx file cannot hold
them: its XML forbids them, and openpyxl refuses to write them.)"""

import pytest

from chuangkou.catalog.models import Matter

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("url", "status"),
    [
        ("/guide/matter/%00/", 400),
        ("/guide/bundle/a%00b/", 400),
        ("/guide/matter/T-SJ-001%00/", 400),
        ("/guide/?q=a%00b", 400),
        ("/guide/?q=%E8%BA%AB%00%E4%BB%BD", 400),
        ("/api/v1/catalog/matters/%00", 400),
        ("/api/v1/catalog/bundles/B%00", 400),
        ("/api/v1/catalog/matters?q=%00x", 400),
        ("/api/v1/catalog/bundles?q=x%00", 400),
    ],
)
def test_public(catalog, client, url, status):
    assert client.get(url).status_code == status


@pytest.mark.parametrize(
    "url",
    [
        "/guide/manage/?q=a%00b",
        "/guide/manage/bundles/?q=%00",
        "/api/v1/catalog/manage/matters?q=a%00",
    ],
)
def test_staff_lists(catalog, client_as, url):
    assert client_as(catalog.admin).get(url).status_code == 400


def test_api_bodies(catalog, api_client_as):
    """A NUL in a JSON body is refused before any view (core middleware), with a Chinese
    message, and nothing is written."""
    api = api_client_as(catalog.admin)
    response = api.post(
        "/catalog/matters",
        {
            "code": "N-1",
            "name": "个体\u0000工商户",
            "department_id": catalog.org.dept_a.pk,
            "conditions": "无\u0000",
            "materials": [{"name": "申请书\u0000"}],
        },
    )
    assert response.status_code == 400, response.content
    assert response.json()["detail"] == "提交的内容包含无效字符（NUL）。"
    assert not Matter.objects.filter(code="N-1").exists()
    response = api.post(
        "/catalog/bundles", {"code": "B-1", "name": "x", "matter_codes": ["T-SJ-001", "\u0000"]}
    )
    assert response.status_code == 400
    assert api.post("/catalog/matters/%00/deactivate").status_code == 400


BIG = "9" * 25  # beyond any 64-bit id


@pytest.mark.parametrize(
    ("url", "status"),
    [
        (f"/guide/?department={BIG}", 200),
        (f"/guide/manage/?department={BIG}", 200),
        (f"/api/v1/catalog/matters?department={BIG}", 422),
        (f"/api/v1/catalog/manage/matters?department={BIG}", 422),
        (f"/guide/manage/{BIG}/edit/", 404),
        (f"/guide/material/{BIG}/template/", 404),
    ],
)
def test_ids_beyond_64_bits(catalog, client_as, url, status):
    assert client_as(catalog.admin).get(url).status_code == status


def test_a_form_with_an_id_beyond_64_bits(catalog, client_as):
    data = {"code": "F-1", "name": "x", "department": BIG, "kind": "license"}
    data |= {"promised_days": "1", "max_visits": "1", "materials-TOTAL_FORMS": "1"}
    data |= {"materials-INITIAL_FORMS": "0", "materials-0-id": BIG, "materials-0-name": "甲"}
    data |= {"materials-0-requirement": "required", "materials-0-form": "original"}
    data |= {"materials-0-copies": "1"}
    response = client_as(catalog.admin).post("/guide/manage/new/", data)
    assert response.status_code == 200
    assert "选择一个有效的选项" in response.content.decode()
