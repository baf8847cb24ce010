"""Who gets in where: one declaration per page and endpoint of the catalog.

Principals: anon (not signed in), admin (center admin), head (head of department A, whose
matters are T-SJ-*), clerk, and sysadmin (a role without catalog rights). A page answers 302
(to the login page) to anon; an API endpoint answers 401.
"""

import io

import pytest

from chuangkou.core.roles import Role

pytestmark = pytest.mark.django_db

LOGIN = "login"  # 302 to the login page
ALL_OK = {"anon": 200, "admin": 200, "head": 200, "clerk": 200, "sysadmin": 200}
EDITORS_ONLY = {"anon": LOGIN, "admin": 200, "head": 200, "clerk": 403, "sysadmin": 403}
ADMIN_ONLY = {"anon": LOGIN, "admin": 200, "head": 403, "clerk": 403, "sysadmin": 403}

PAGES = [
    ("/guide/", ALL_OK),
    ("/guide/?q=身份证&department=1&visits=1&page=2", ALL_OK),
    ("/guide/matter/T-SJ-001/", ALL_OK),
    ("/guide/bundle/B-SHOP/", ALL_OK),
    ("/guide/material/{material}/template/", ALL_OK),
    ("/guide/manage/", EDITORS_ONLY),
    ("/guide/manage/?export=xlsx", EDITORS_ONLY),
    ("/guide/manage/new/", EDITORS_ONLY),
    ("/guide/manage/{shop}/edit/", EDITORS_ONLY),
    ("/guide/manage/{sscard}/edit/", {**EDITORS_ONLY, "head": 404}),  # another department
    ("/guide/manage/import/", EDITORS_ONLY),
    ("/guide/manage/import/template.xlsx", EDITORS_ONLY),
    ("/guide/manage/bundles/", ADMIN_ONLY),
    ("/guide/manage/bundles/new/", ADMIN_ONLY),
    ("/guide/manage/bundles/{bundle}/edit/", ADMIN_ONLY),
]
DONE = 302  # a POST that went through redirects back to the edit page
POSTS = [
    (
        "/guide/manage/{company}/active/",
        {"active": "0"},
        {"anon": LOGIN, "admin": DONE, "head": DONE, "clerk": 403, "sysadmin": 403},
    ),
    ("/guide/manage/{sscard}/active/", {"active": "0"}, {"admin": DONE, "head": 404}),
    (
        "/guide/manage/bundles/{bundle}/active/",
        {"active": "0"},
        {"anon": LOGIN, "admin": DONE, "head": 403, "clerk": 403, "sysadmin": 403},
    ),
]
API_PUBLIC = [
    "/api/v1/catalog/matters",
    "/api/v1/catalog/matters?q=身份证&visits=0",
    "/api/v1/catalog/matters/T-SJ-001",
    "/api/v1/catalog/bundles",
    "/api/v1/catalog/bundles/B-SHOP",
]
API_WRITES = [
    # (method, path, body, expected by principal)
    ("get", "/manage/matters", None, {"anon": 401, "admin": 200, "head": 200, "clerk": 200}),
    (
        "post",
        "/matters",
        {"code": "P-1", "name": "新事项", "department_id": "{dept_a}"},
        {"anon": 401, "admin": 201, "head": 201, "clerk": 403, "sysadmin": 403},
    ),
    (
        "post",
        "/matters",
        {"code": "P-2", "name": "新事项", "department_id": "{dept_b}"},
        {"anon": 401, "admin": 201, "head": 403, "clerk": 403},
    ),
    (
        "patch",
        "/matters/T-SJ-002",
        {"promised_days": 2},
        {"anon": 401, "admin": 200, "head": 200, "clerk": 403, "sysadmin": 403},
    ),
    ("patch", "/matters/T-RS-001", {"promised_days": 2}, {"head": 403, "clerk": 403}),
    (
        "put",
        "/matters/T-SJ-002/materials",
        [{"name": "章程"}],
        {"anon": 401, "admin": 200, "head": 200, "clerk": 403},
    ),
    (
        "post",
        "/matters/T-SJ-002/deactivate",
        None,
        {"anon": 401, "admin": 200, "head": 200, "clerk": 403},
    ),
    ("post", "/matters/T-RS-001/deactivate", None, {"head": 403, "sysadmin": 403}),
    ("post", "/matters/T-RS-002/reactivate", None, {"admin": 200, "head": 403}),
    (
        "post",
        "/bundles",
        {"code": "B-NEW", "name": "一件事", "matter_codes": ["T-SJ-002", "T-RS-001"]},
        {"anon": 401, "admin": 201, "head": 403, "clerk": 403},
    ),
    ("patch", "/bundles/B-SHOP", {"name": "新名称"}, {"anon": 401, "admin": 200, "head": 403}),
]


def _each(cases):
    """One test per write and principal, so that each runs on a fresh catalog."""
    return [
        pytest.param(*case[:-1], who, status, id=f"{who}-{' '.join(map(str, case[:-1]))[:60]}")
        for case in cases
        for who, status in case[-1].items()
    ]


@pytest.fixture(autouse=True)
def template(catalog, settings, tmp_path):
    """A blank template on a material of 食品经营许可证核发, for the public download."""
    settings.MEDIA_ROOT = tmp_path
    material = catalog.food.materials.first()
    material.template.save("申请书.docx", io.BytesIO(b"DOCX"))
    return material


@pytest.fixture
def principals(catalog, role_user):
    return {
        "anon": None,
        "admin": catalog.admin,
        "head": catalog.head_a,
        "clerk": catalog.clerk,
        "sysadmin": role_user(Role.SYSADMIN),
    }


def _url(template: str, catalog) -> str:
    return template.format(
        shop=catalog.shop.pk,
        sscard=catalog.sscard.pk,
        company=catalog.company.pk,
        bundle=catalog.bundle.pk,
        material=catalog.food.materials.first().pk,
    )


def _client(client, client_as, user):
    return client if user is None else client_as(user)


def _check(response, status, what: str = "") -> None:
    if status == LOGIN:
        assert response.status_code == 302, what
        assert response["Location"].startswith("/login/"), what
    else:
        assert response.status_code == status, what


@pytest.mark.parametrize(("url", "expected"), PAGES)
def test_pages(catalog, principals, client, client_as, url, expected):
    """GET changes nothing, so one catalog serves every principal of a page."""
    for who, status in expected.items():
        response = _client(client, client_as, principals[who]).get(_url(url, catalog))
        _check(response, status, f"{who} GET {url}")


@pytest.mark.parametrize(("url", "data", "who", "status"), _each(POSTS))
def test_posts(catalog, principals, client, client_as, url, data, who, status):
    response = _client(client, client_as, principals[who]).post(_url(url, catalog), data)
    _check(response, status)
    if status == DONE:
        assert "/edit/" in response["Location"]


@pytest.mark.parametrize("path", API_PUBLIC)
def test_public_api_needs_no_sign_in(catalog, api_client_as, path):
    assert api_client_as(None).get(path).status_code == 200


def _call(api, method: str, path: str, body):
    if method == "put":  # the shared ApiClient has no put()
        return api.client.put(
            api._url(path), body, content_type="application/json", headers=api.headers
        )
    return getattr(api, method)(path, *([] if body is None else [body]))


@pytest.mark.parametrize(("method", "path", "body", "who", "status"), _each(API_WRITES))
def test_api(catalog, principals, api_client_as, method, path, body, who, status):
    if isinstance(body, dict) and isinstance(body.get("department_id"), str):
        dept = {"{dept_a}": catalog.org.dept_a, "{dept_b}": catalog.org.dept_b}
        body = {**body, "department_id": dept[body["department_id"]].pk}
    response = _call(api_client_as(principals[who]), method, f"/catalog{path}", body)
    assert response.status_code == status, response.content
    if status >= 400:
        assert "detail" in response.json()


def test_api_with_a_bearer_token(catalog, api_client_as):
    api = api_client_as(catalog.admin, token=True)
    response = api.patch("/catalog/matters/T-SJ-002", {"promised_days": 4})
    assert response.status_code == 200 and response.json()["promised_days"] == 4
