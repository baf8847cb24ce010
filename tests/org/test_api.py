"""The org API under /api/v1/org/: lists, filters, pages, writes, errors, CSRF."""

import datetime as dt

import pytest
from django.test import Client

from chuangkou.core.models import AuditEntry
from chuangkou.core.roles import Role
from chuangkou.org import services
from chuangkou.org.models import Staff

from ..factories import StaffFactory, make_id_number


@pytest.fixture
def admin_api(org_small, api_client_as):
    return api_client_as(org_small.admin)


def _payload(org, **overrides):
    data = {
        "name": "孙八",
        "gender": "M",
        "employment_type": "agency",
        "department_id": org.dept_a.pk,
        "center_id": org.main.pk,
        "window_id": org.w_a01.pk,
        "hire_date": "2018-05-02",
        "phone": "13600000008",
        "id_number": make_id_number(808, born=dt.date(1965, 3, 1)),  # factories: 1970+
    }
    data.update(overrides)
    return data


# --- reading --------------------------------------------------------------------------------


def test_list_staff_with_filters(org_small, admin_api):
    response = admin_api.get("/org/staff")
    assert response.status_code == 200
    body = response.json()
    assert body["count"] == 6 and len(body["items"]) == 6
    assert [s["staff_no"] for s in body["items"]] == sorted(s.staff_no for s in org_small.staff)

    def names(**params):
        return [s["name"] for s in admin_api.get("/org/staff", params).json()["items"]]

    assert names(q="乙") == ["乙一", "乙二"]
    assert names(q=org_small.a3.phone[-4:]) == ["甲三"]
    assert names(employment_type="regular") == ["甲二"]
    assert names(department=org_small.dept_b.pk) == ["乙一", "乙二"]
    assert names(department=org_small.dept_a.pk, center=org_small.sub.pk) == ["丙一"]
    assert names(q="没有这个人") == []


def test_list_staff_item_shape(org_small, admin_api):
    item = admin_api.get("/org/staff", {"q": "甲二"}).json()["items"][0]
    assert item == {
        "id": org_small.a2.pk,
        "staff_no": org_small.a2.staff_no,
        "name": "甲二",
        "gender": "F",
        "employment_type": "regular",
        "employment_type_label": "在编",
        "category_id": org_small.category.pk,
        "department": {"id": org_small.dept_a.pk, "name": "市场监管局"},
        "center": {"id": org_small.main.pk, "name": "下城区行政服务中心"},
        "window_number": "A01",
        "hire_date": "2018-03-01",
        "status": "active",
        "phone": org_small.a2.phone,
        "id_number": org_small.a2.id_number,
    }


def test_list_staff_pages(org_small, admin_api):
    StaffFactory.create_batch(54, department=org_small.dept_b, center=org_small.main)
    first = admin_api.get("/org/staff").json()
    assert first["count"] == 60 and len(first["items"]) == 50
    second = admin_api.get("/org/staff", {"page": 2}).json()
    assert second["count"] == 60 and len(second["items"]) == 10
    ids = [s["id"] for s in first["items"]] + [s["id"] for s in second["items"]]
    assert len(set(ids)) == 60
    small = admin_api.get("/org/staff", {"page": 3, "page_size": 7}).json()
    assert [s["id"] for s in small["items"]] == ids[14:21]
    assert admin_api.get("/org/staff", {"page": 9}).json()["items"] == []


@pytest.mark.parametrize(
    "params",
    [{"page": "abc"}, {"page": 0}, {"department": "xyz"}, {"q": "x" * 51}, {"page_size": -1}],
)
def test_bad_list_parameters_are_422_not_500(org_small, admin_api, params):
    response = admin_api.get("/org/staff", params)
    assert response.status_code == 422
    assert response.json()["detail"] == "提交的数据格式不正确。"


def test_detail(org_small, admin_api, api_client_as):
    response = admin_api.get(f"/org/staff/{org_small.b1.pk}")
    assert response.status_code == 200 and response.json()["name"] == "乙一"
    clerk = api_client_as(org_small.clerk_a1)
    assert clerk.get(f"/org/staff/{org_small.a1.pk}").status_code == 200
    response = clerk.get(f"/org/staff/{org_small.a2.pk}")
    assert response.status_code == 404
    assert response.json()["detail"] == "找不到该对象，或您无权查看。"
    assert admin_api.get("/org/staff/999999").status_code == 404


def test_reference_lists(org_small, admin_api):
    centers = admin_api.get("/org/centers").json()
    assert {c["name"] for c in centers} == {"下城区行政服务中心", "武林街道分中心"}
    assert {d["name"] for d in admin_api.get("/org/departments").json()} == {
        "市场监管局",
        "人力社保局",
    }
    assert admin_api.get("/org/categories").json() == [
        {"id": org_small.category.pk, "name": "商事登记"}
    ]
    windows = admin_api.get("/org/windows", {"center_id": org_small.sub.pk}).json()
    assert [w["number"] for w in windows] == ["S01"]
    assert windows[0]["department_id"] == org_small.dept_a.pk
    org_small.w_b01.is_active = False
    org_small.w_b01.save()
    assert {w["number"] for w in admin_api.get("/org/windows").json()} == {"A01", "S01"}


# --- creating -------------------------------------------------------------------------------


def test_create_staff(org_small, admin_api):
    response = admin_api.post("/org/staff", _payload(org_small))
    assert response.status_code == 201, response.content
    body = response.json()
    assert body["staff_no"] == "CK00001" and body["name"] == "孙八"
    assert body["window_number"] == "A01" and body["employment_type_label"] == "派遣"
    staff = Staff.objects.get(pk=body["id"])
    assert staff.department == org_small.dept_a
    assert AuditEntry.objects.filter(action="staff.create", object_id=str(staff.pk)).exists()


def test_a_clerk_cannot_create_staff(org_small, api_client_as):
    response = api_client_as(org_small.clerk_a1).post("/org/staff", _payload(org_small))
    assert response.status_code == 403
    assert "只有中心管理员或本部门负责人可以登记人员" in response.json()["detail"]
    assert not Staff.objects.filter(name="孙八").exists()


def test_a_dept_head_creates_in_their_department_only(org_small, api_client_as):
    head = api_client_as(org_small.head_a)
    assert head.post("/org/staff", _payload(org_small)).status_code == 201
    other = _payload(org_small, department_id=org_small.dept_b.pk, window_id=None, id_number="")
    assert head.post("/org/staff", other).status_code == 403


def test_a_bad_phone_is_400_with_field(org_small, admin_api):
    response = admin_api.post("/org/staff", _payload(org_small, phone="1360000"))
    assert response.status_code == 400
    assert response.json() == {"detail": "手机号应为以 1 开头的 11 位数字。", "field": "phone"}
    assert not Staff.objects.filter(name="孙八").exists()


def test_unknown_ids_are_400_with_message(org_small, admin_api):
    response = admin_api.post("/org/staff", _payload(org_small, department_id=999999))
    assert response.status_code == 400
    assert response.json() == {"detail": "部门编号 999999 不存在。", "field": "department_id"}
    response = admin_api.post("/org/staff", _payload(org_small, window_id=999999))
    assert response.json()["field"] == "window_id"


def test_a_window_of_another_center_is_400(org_small, admin_api):
    response = admin_api.post("/org/staff", _payload(org_small, window_id=org_small.w_s01.pk))
    assert response.status_code == 400 and response.json()["field"] == "window"


@pytest.mark.parametrize(
    "raw",
    [
        '{"name": "孙八", ',  # cut off
        "not json at all",
        "[1, 2, 3]",
        "",
    ],
)
def test_malformed_json_is_422(org_small, admin_api, raw):
    response = admin_api.post("/org/staff", raw=raw)
    assert response.status_code == 422, response.content
    assert response.json()["detail"] == "提交的数据格式不正确。"


@pytest.mark.parametrize(
    "overrides",
    [
        {"department_id": "市场监管局"},
        {"hire_date": "30/06/2018"},
        {"hire_date": 20180630},
        {"name": ""},
        {"name": ["孙八"]},
        {"phone": "1" * 21},
    ],
)
def test_wrong_types_are_422_with_the_field(org_small, admin_api, overrides):
    response = admin_api.post("/org/staff", _payload(org_small, **overrides))
    assert response.status_code == 422
    fields = [e["field"] for e in response.json()["errors"]]
    assert list(overrides)[0] in fields


def test_missing_fields_are_422(org_small, admin_api):
    data = _payload(org_small)
    del data["hire_date"], data["center_id"]
    response = admin_api.post("/org/staff", data)
    assert response.status_code == 422
    assert {e["field"] for e in response.json()["errors"]} == {"hire_date", "center_id"}


# --- updating -------------------------------------------------------------------------------


def test_patch_changes_only_what_is_sent(org_small, admin_api):
    response = admin_api.patch(f"/org/staff/{org_small.a2.pk}", {"phone": "13711112222"})
    assert response.status_code == 200, response.content
    assert response.json()["phone"] == "13711112222"
    staff = Staff.objects.get(pk=org_small.a2.pk)
    assert staff.phone == "13711112222"
    assert (staff.name, staff.window, staff.employment_type) == ("甲二", org_small.w_a01, "regular")
    entry = AuditEntry.objects.get(action="staff.update")
    assert set(entry.after) == {"phone"}


def test_patch_to_no_window(org_small, admin_api):
    response = admin_api.patch(f"/org/staff/{org_small.a2.pk}", {"window_id": None})
    assert response.status_code == 200, response.json()
    assert response.json()["window_number"] is None


def test_patch_by_a_clerk(org_small, api_client_as):
    clerk = api_client_as(org_small.clerk_a1)
    response = clerk.patch(f"/org/staff/{org_small.a1.pk}", {"phone": "13799990000"})
    assert response.status_code == 200 and response.json()["phone"] == "13799990000"
    response = clerk.patch(
        f"/org/staff/{org_small.a1.pk}", {"name": "改名", "phone": "13799990001"}
    )
    assert response.status_code == 403
    assert response.json()["detail"] == "您不能修改：姓名。"
    assert clerk.patch(f"/org/staff/{org_small.a2.pk}", {"phone": "13799990000"}).status_code == 404


def test_patch_by_a_dept_head_cannot_move_department(org_small, api_client_as):
    head = api_client_as(org_small.head_a)
    response = head.patch(f"/org/staff/{org_small.a3.pk}", {"department_id": org_small.dept_b.pk})
    assert response.status_code == 403 and "部门" in response.json()["detail"]
    assert Staff.objects.get(pk=org_small.a3.pk).department == org_small.dept_a


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"hire_date": None}, "hire_date"),
        ({"department_id": None}, "department"),
        ({"center_id": None}, "center"),
        ({"gender": None}, "gender"),
        ({"name": None}, "name"),
        ({"employment_type": "student"}, "employment_type"),
        ({"department_id": 999999}, "department_id"),
    ],
)
def test_patch_with_bad_values_is_400_not_500(org_small, admin_api, body, field):
    response = admin_api.patch(f"/org/staff/{org_small.a3.pk}", body)
    assert response.status_code == 400, response.content
    assert response.json()["field"] == field


def test_patch_with_malformed_json_is_422(org_small, admin_api):
    assert admin_api.patch(f"/org/staff/{org_small.a3.pk}", raw="{").status_code == 422
    response = admin_api.patch(f"/org/staff/{org_small.a3.pk}", {"hire_date": "yesterday"})
    assert response.status_code == 422


# --- turnover -------------------------------------------------------------------------------


def test_turnover(org_small, admin_api, api_client_as):
    services.record_separation(
        actor=org_small.admin, staff=org_small.b2, date=dt.date(2018, 6, 30), reason="pay"
    )
    services.record_separation(
        actor=org_small.admin, staff=org_small.a3, date=dt.date(2018, 9, 30), reason="pressure"
    )
    response = admin_api.get("/org/turnover", {"start": "2018-01-01", "end": "2018-12-31"})
    assert response.status_code == 200
    # opening (end of 2017-12-31): a1 only (the others were hired on 2018-03-01)
    # closing: a1 a2 b1 s1; gone: b2, a3
    assert response.json() == {
        "start": "2018-01-01",
        "end": "2018-12-31",
        "opening": 1,
        "closing": 4,
        "average_headcount": 2.5,
        "separations": 2,
        "rate_percent": 80.0,
        "by_reason": {"压力大": 1, "待遇低": 1},
    }
    narrowed = admin_api.get(
        "/org/turnover",
        {"start": "2018-01-01", "end": "2018-12-31", "employment_type": "agency"},
    ).json()
    assert (narrowed["opening"], narrowed["closing"], narrowed["separations"]) == (0, 0, 1)
    assert narrowed["rate_percent"] is None
    # a dept head's figures cover their department only: a1 a2 a3 s1
    head = (
        api_client_as(org_small.head_a)
        .get("/org/turnover", {"start": "2018-01-01", "end": "2018-12-31"})
        .json()
    )
    assert (head["opening"], head["closing"], head["separations"]) == (1, 3, 1)
    by_dept = admin_api.get(
        "/org/turnover",
        {"start": "2018-01-01", "end": "2018-12-31", "department_id": org_small.dept_b.pk},
    ).json()
    assert (by_dept["closing"], by_dept["separations"]) == (1, 1)


def test_turnover_end_before_start_is_400(org_small, admin_api):
    response = admin_api.get("/org/turnover", {"start": "2018-12-31", "end": "2018-01-01"})
    assert response.status_code == 400
    assert response.json() == {"detail": "结束日期不能早于开始日期。", "field": "end"}


@pytest.mark.parametrize(
    "params",
    [
        {"start": "2018-01-01"},
        {"start": "2018-02-30", "end": "2018-03-01"},
        {"start": "x", "end": "y"},
    ],
)
def test_turnover_bad_dates_are_422(org_small, admin_api, params):
    assert admin_api.get("/org/turnover", params).status_code == 422


# --- authentication -------------------------------------------------------------------------


def test_session_post_without_csrf_token_is_refused(org_small):
    client = Client(enforce_csrf_checks=True)
    client.force_login(org_small.admin)
    response = client.post(
        "/api/v1/org/staff", _payload(org_small), content_type="application/json"
    )
    assert response.status_code == 403
    assert "CSRF" in response.json()["detail"] and "刷新" in response.json()["detail"]
    assert not Staff.objects.filter(name="孙八").exists()
    response = client.patch(
        f"/api/v1/org/staff/{org_small.a2.pk}",
        {"phone": "13700000000"},
        content_type="application/json",
    )
    assert response.status_code == 403
    # reading needs no token
    assert client.get("/api/v1/org/staff").status_code == 200


def test_session_post_with_csrf_token_is_accepted(org_small):
    client = Client(enforce_csrf_checks=True)
    client.force_login(org_small.admin)
    client.get("/")  # any page sets the csrftoken cookie
    token = client.cookies["csrftoken"].value
    response = client.post(
        "/api/v1/org/staff",
        _payload(org_small),
        content_type="application/json",
        headers={"X-CSRFToken": token},
    )
    assert response.status_code == 201, response.content


def test_bearer_token_writes_without_csrf(org_small, api_client_as):
    api = api_client_as(org_small.admin, token=True, enforce_csrf_checks=True)
    assert api.post("/org/staff", _payload(org_small)).status_code == 201
    response = api.patch(f"/org/staff/{org_small.a2.pk}", {"phone": "13700000000"})
    assert response.status_code == 200


def test_anonymous_is_401(org_small, api_client_as):
    anonymous = api_client_as(None)
    for path in ("/org/staff", f"/org/staff/{org_small.a1.pk}", "/core/me"):
        response = anonymous.get(path)
        assert response.status_code == 401
        assert response.json()["detail"] == "请先登录，或提供有效的 API 令牌。"
    assert anonymous.post("/org/staff", _payload(org_small)).status_code == 401


def test_me(org_small, api_client_as, role_user):
    user = role_user(Role.DEPT_HEAD, Role.CLERK, username="multi", display_name="多角色")
    assert api_client_as(user).get("/core/me").json() == {
        "username": "multi",
        "display_name": "多角色",
        "roles": ["clerk", "dept_head"],
    }


def test_openapi_schema_is_public_and_lists_the_org_endpoints(client, db):
    response = client.get("/api/v1/openapi.json")  # anonymous
    assert response.status_code == 200
    schema = response.json()
    paths = schema["paths"]
    assert {"get", "post"} <= set(paths["/api/v1/org/staff"])
    assert "patch" in paths["/api/v1/org/staff/{staff_id}"]
