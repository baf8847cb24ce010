"""Object-level rules of org that the matrix cannot state per route: own record, own
department, masking the same on page, API and export; and the catalog's bearer-token write."""

import io

import pytest
from openpyxl import load_workbook

from chuangkou.core.roles import Role

pytestmark = pytest.mark.django_db


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


def test_api_with_a_bearer_token(catalog, api_client_as):
    api = api_client_as(catalog.admin, token=True)
    response = api.patch("/catalog/matters/T-SJ-002", {"promised_days": 4})
    assert response.status_code == 200 and response.json()["promised_days"] == 4
