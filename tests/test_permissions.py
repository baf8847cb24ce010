"""The access declaration (tests/permission_matrix.py) run for every role and anonymous, its
completeness, and the object-level rules: own record, own department, masking everywhere."""

import io
from types import SimpleNamespace

import pytest
from django.test import Client
from openpyxl import load_workbook

from chuangkou.core import urls as core_urls
from chuangkou.core.models import AuditEntry
from chuangkou.core.roles import Role
from chuangkou.org import urls as org_urls

from .factories import (
    CenterFactory,
    DepartmentFactory,
    StaffFactory,
    UserFactory,
    WindowFactory,
)
from .permission_matrix import ACCESS, ANONYMOUS, EVERYONE, NO_ROLE, Access


@pytest.fixture
def world(db):
    center = CenterFactory(name="下城区行政服务中心")
    dept = DepartmentFactory(name="市场监管局")
    window = WindowFactory(center=center, department=dept, number="A01")
    staff = StaffFactory(department=dept, center=center, window=window, name="被查看者")
    account = UserFactory(username="someone", roles=[Role.CLERK])
    return SimpleNamespace(center=center, dept=dept, window=window, staff=staff, account=account)


def _client_for(who) -> Client:
    client = Client()
    if who != ANONYMOUS:
        roles = [] if who == NO_ROLE else [who]
        client.force_login(UserFactory(roles=roles))
    return client


def _call(client: Client, access: Access, world):
    path = access.path.format(staff_id=world.staff.pk, account_id=world.account.pk)
    data = access.payload(world)
    method = access.method.lower()
    if access.is_api and method != "get":
        return getattr(client, method)(path, data or {}, content_type="application/json")
    if method == "get":
        return client.get(path)
    return getattr(client, method)(path, data or {})


def _writes() -> int:
    """Audit entries other than sign-in ones: every write that matters leaves one."""
    return AuditEntry.objects.exclude(action__startswith="auth.").count()


CASES = [(a, who) for a in ACCESS for who in EVERYONE]


@pytest.mark.parametrize(
    ("access", "who"), CASES, ids=[f"{a.method} {a.path} [{who}]" for a, who in CASES]
)
def test_access(access: Access, who, world):
    client = _client_for(who)
    before = _writes()
    response = _call(client, access, world)
    expected = access.expected(who)
    assert response.status_code == expected, (
        f"{access} as {who}: {response.status_code} instead of {expected}"
    )
    if who == ANONYMOUS and expected == 302:
        assert response["Location"].startswith("/login/")
    if who == ANONYMOUS and expected == 401:
        assert response.json()["detail"] == "请先登录，或提供有效的 API 令牌。"
    if response.status_code == 403 and access.is_api:
        assert response.json()["detail"]
    refused = who == ANONYMOUS or who not in access.allowed
    if refused:
        assert _writes() == before, f"{access} as {who} was refused but wrote something"


# --- the declaration covers everything ------------------------------------------------------


def test_every_page_is_declared():
    names = {"home"}
    names |= {f"core:{p.name}" for p in core_urls.urlpatterns}
    names |= {f"org:{p.name}" for p in org_urls.urlpatterns}
    declared = {a.url_name for a in ACCESS if a.url_name}
    assert names - declared == set(), "add these pages to tests/permission_matrix.py"


def test_every_core_and_org_endpoint_is_declared():
    from chuangkou.api import api

    schema = api.get_openapi_schema()
    endpoints = {
        (method.upper(), path)
        for path, item in schema["paths"].items()
        if path.startswith(("/api/v1/core/", "/api/v1/org/"))
        for method in item
    }
    declared = {(a.method, a.route) for a in ACCESS if a.is_api}
    assert endpoints - declared == set(), "add these endpoints to tests/permission_matrix.py"
    assert len(endpoints) >= 9


# --- object-level rules ---------------------------------------------------------------------


def test_a_clerk_sees_only_their_own_record(org_small, client_as, api_client_as):
    page = client_as(org_small.clerk_a1)
    assert page.get(f"/staff/{org_small.a1.pk}/").status_code == 200
    for other in (org_small.a2, org_small.b1, org_small.s1):
        assert page.get(f"/staff/{other.pk}/").status_code == 404
        assert page.get(f"/staff/{other.pk}/edit/").status_code == 404
    assert page.get("/staff/").status_code == 403
    api = api_client_as(org_small.clerk_a1)
    body = api.get("/org/staff").json()
    assert body["count"] == 1 and [s["id"] for s in body["items"]] == [org_small.a1.pk]
    assert api.get(f"/org/staff/{org_small.b1.pk}").status_code == 404


def test_a_dept_head_sees_only_their_department(org_small, client_as, api_client_as):
    page = client_as(org_small.head_a)
    listed = {s.name for s in page.get("/staff/").context["page"].object_list}
    assert listed == {"甲一", "甲二", "甲三", "丙一"}
    assert page.get(f"/staff/{org_small.a3.pk}/").status_code == 200
    assert page.get(f"/staff/{org_small.b1.pk}/").status_code == 404
    assert page.get(f"/staff/{org_small.b1.pk}/separate/").status_code == 404
    api = api_client_as(org_small.head_a)
    assert {s["name"] for s in api.get("/org/staff").json()["items"]} == listed
    assert api.get(f"/org/staff/{org_small.b2.pk}").status_code == 404
    # filtering for another department does not widen the view
    assert api.get("/org/staff", {"department": org_small.dept_b.pk}).json()["count"] == 0


def _page_identity(client, staff) -> tuple[str, str]:
    body = client.get(f"/staff/{staff.pk}/").content.decode()

    def cell(testid):
        start = body.index(f'data-testid="{testid}">') + len(f'data-testid="{testid}">')
        return body[start : body.index("</dd>", start)]

    return cell("phone"), cell("id-number")


def _api_identity(api, staff) -> tuple[str, str]:
    body = api.get(f"/org/staff/{staff.pk}").json()
    return body["phone"], body["id_number"]


def _export_identity(client, staff) -> tuple[str, str]:
    response = client.get("/staff/", {"export": "xlsx"})
    rows = load_workbook(io.BytesIO(response.content)).active.iter_rows(values_only=True)
    header = next(rows)
    for row in rows:
        record = dict(zip(header, row, strict=True))
        if record["工号"] == staff.staff_no:
            return record["手机号"], record["身份证号"]
    raise AssertionError(f"{staff} not in the export")


@pytest.mark.parametrize(
    ("viewer", "target", "full", "exports"),
    [
        ("admin", "a2", True, True),  # the center admin maintains the numbers
        ("head_a", "a2", False, True),  # a dept head sees their staff masked
        ("clerk_a1", "a1", True, False),  # the person themself
        ("sysadmin", "a2", False, True),
        ("auditor", "a2", False, True),
    ],
)
def test_masking_is_the_same_on_page_api_and_export(
    org_small, client_as, api_client_as, role_user, viewer, target, full, exports
):
    if viewer in ("sysadmin", "auditor"):
        user = role_user(Role(viewer))
    else:
        user = getattr(org_small, viewer)
    staff = getattr(org_small, target)
    expected = (
        (staff.phone, staff.id_number) if full else (staff.masked_phone, staff.masked_id_number)
    )
    assert expected[0] != staff.phone or full  # the factory numbers are long enough to mask
    client = client_as(user)
    assert _page_identity(client, staff) == expected
    assert _api_identity(api_client_as(user), staff) == expected
    if exports:
        assert _export_identity(client, staff) == expected
    else:
        assert client.get("/staff/", {"export": "xlsx"}).status_code == 403


def test_masked_values_hide_the_middle(org_small, client_as):
    phone, id_number = _page_identity(client_as(org_small.head_a), org_small.a2)
    assert phone == org_small.a2.phone[:3] + "****" + org_small.a2.phone[-4:]
    assert id_number[:3] == org_small.a2.id_number[:3] and id_number[3:14] == "*" * 11
    body = client_as(org_small.head_a).get(f"/staff/{org_small.a2.pk}/").content.decode()
    assert org_small.a2.phone not in body and org_small.a2.id_number not in body


def test_edit_rights_follow_the_object(org_small, client_as):
    # the dept head edits their staff (without the department field), not another's
    head = client_as(org_small.head_a)
    assert head.get(f"/staff/{org_small.a2.pk}/edit/").status_code == 200
    assert head.get(f"/staff/{org_small.b1.pk}/edit/").status_code == 404
    # a clerk edits their own record only
    clerk = client_as(org_small.clerk_b1)
    assert clerk.get(f"/staff/{org_small.b1.pk}/edit/").status_code == 200
    assert clerk.get(f"/staff/{org_small.b2.pk}/edit/").status_code == 404
    # nobody but the admin or the head gets the separation/posting pages of someone visible
    assert clerk.get(f"/staff/{org_small.b1.pk}/separate/").status_code == 403
