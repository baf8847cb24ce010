"""The catalog API under /api/v1/catalog/: public search and guides, staff writes, and JSON
errors for bad input."""

import pytest

from chuangkou.catalog.models import Material, Matter
from chuangkou.core.models import AuditEntry

pytestmark = pytest.mark.django_db


@pytest.fixture
def public(api_client_as):
    return api_client_as(None)


@pytest.fixture
def admin_api(catalog, api_client_as):
    return api_client_as(catalog.admin)


def codes(response) -> list[str]:
    assert response.status_code == 200, response.content
    return [m["code"] for m in response.json()["items"]]


# ---- public reads ---------------------------------------------------------------------------


def test_search_ranks_and_filters(catalog, public):
    assert codes(public.get("/catalog/matters", {"q": "营业执照 食品"})) == ["T-SJ-003"]
    assert codes(public.get("/catalog/matters", {"q": "居民身份证", "visits": 0})) == ["T-SJ-001"]
    dept_b = catalog.org.dept_b.pk
    assert codes(public.get("/catalog/matters", {"department": dept_b})) == ["T-RS-001"]
    body = public.get("/catalog/matters").json()
    assert body["count"] == 4  # the inactive matter is not public
    item = body["items"][1]
    assert item["code"] == "T-SJ-001"
    assert item["visits_label"] == "零跑"
    assert item["guide_url"] == "/guide/matter/T-SJ-001/"
    assert item["department"] == {"id": catalog.org.dept_a.pk, "name": "市场监管局"}


@pytest.mark.parametrize("query", ["%%%", "😀", "宠物狗", "x" * 5000, "身份证" * 2000])
def test_odd_queries_answer_200(catalog, public, query):
    response = public.get("/catalog/matters", {"q": query})
    assert response.status_code == 200
    assert response.json()["count"] <= 4


@pytest.mark.parametrize(
    "params", [{"visits": "abc"}, {"visits": 9}, {"department": "x"}, {"page": "abc"}]
)
def test_bad_search_parameters_are_a_json_422(catalog, public, params):
    response = public.get("/catalog/matters", params)
    assert response.status_code == 422
    assert response.json()["detail"] == "提交的数据格式不正确。"


def test_matter_guide(catalog, public):
    body = public.get("/catalog/matters/T-SJ-003").json()
    assert body["name"] == "食品经营许可证核发"
    assert body["conditions"] == "已取得营业执照。"
    assert [(m["name"], m["requirement"], m["form_label"]) for m in body["materials"]] == [
        ("营业执照（副本）", "required", "复印件"),
        ("食品安全管理制度", "required", "原件"),
        ("健康证明", "conditional", "原件"),
    ]
    assert body["materials"][2]["condition"] == "从业人员有变动的"
    assert body["materials"][0]["template_url"] is None


@pytest.mark.parametrize("code", ["NOPE", "T-RS-002"])
def test_unknown_or_inactive_matter_is_404(catalog, public, code):
    response = public.get(f"/catalog/matters/{code}")
    assert response.status_code == 404
    assert response.json()["detail"] == "找不到该对象，或您无权查看。"


@pytest.mark.parametrize("code", ["%E4%B8%AD", "-x", "a" * 41, "a%20b"])
def test_a_code_that_cannot_be_one_is_a_422(catalog, public, code):
    response = public.get(f"/catalog/matters/{code}")
    assert response.status_code == 422
    assert response.json()["detail"] == "提交的数据格式不正确。"


def test_bundle_guide_merges_materials(catalog, public):
    body = public.get("/catalog/bundles/B-SHOP").json()
    assert body["promised_days"] == 7 and body["serial_days"] == 7
    assert [m["code"] for m in body["matters"]] == ["T-SJ-001", "T-SJ-003"]
    assert len(body["materials"]) == 6
    assert public.get("/catalog/bundles", {"q": "餐饮"}).json()[0]["code"] == "B-SHOP"
    assert public.get("/catalog/bundles/NOPE").status_code == 404


# ---- writes ---------------------------------------------------------------------------------


def new_matter(catalog, **overrides):
    data = {
        "code": "API-1",
        "name": "个体工商户变更登记",
        "department_id": catalog.org.dept_a.pk,
        "promised_days": 1,
        "materials": [{"name": "申请书"}, {"name": "营业执照（副本）", "form": "copy"}],
    }
    data.update(overrides)
    return data


def test_create_a_matter(catalog, admin_api):
    response = admin_api.post("/catalog/matters", new_matter(catalog))
    assert response.status_code == 201, response.content
    body = response.json()
    assert body["code"] == "API-1" and body["fee"] == "不收费"
    assert [m["name"] for m in body["materials"]] == ["申请书", "营业执照（副本）"]
    assert AuditEntry.objects.filter(
        action="catalog.matter.create", object_repr=body["name"]
    ).exists()
    assert codes(admin_api.get("/catalog/matters", {"q": "变更"})) == ["API-1"]


@pytest.mark.parametrize(
    ("overrides", "status", "field"),
    [
        ({"promised_days": -3}, 400, "promised_days"),
        ({"department_id": 999999}, 400, "department_id"),
        ({"code": "T-SJ-001"}, 400, "code"),
        ({"kind": "nope"}, 400, "kind"),
        ({"materials": [{"name": "甲"}, {"name": "甲 "}]}, 400, "materials.1.name"),
        ({"materials": [{"name": "甲", "copies": 0}]}, 400, "materials.0.copies"),
        ({"name": ""}, 422, None),
        ({"promised_days": "三天"}, 422, None),
        ({"materials": "none"}, 422, None),
    ],
)
def test_create_errors_are_json_with_the_field(catalog, admin_api, overrides, status, field):
    response = admin_api.post("/catalog/matters", new_matter(catalog, **overrides))
    assert response.status_code == status
    body = response.json()
    assert body["detail"]
    if status == 400:
        assert body["field"] == field
    assert not Matter.objects.filter(code="API-1").exists()


@pytest.mark.parametrize("raw", ["{bad json", "[]", '"text"', ""])
def test_malformed_bodies_are_a_json_4xx(catalog, admin_api, raw):
    response = admin_api.post("/catalog/matters", raw=raw)
    assert 400 <= response.status_code < 500
    assert "detail" in response.json()


def test_patch_changes_only_what_is_sent(catalog, admin_api):
    response = admin_api.patch(
        "/catalog/matters/T-SJ-002",
        {"department_id": catalog.org.dept_b.pk, "materials": [{"name": "公司章程"}]},
    )
    assert response.status_code == 200, response.content
    company = Matter.objects.get(code="T-SJ-002")
    assert company.department == catalog.org.dept_b
    assert company.promised_days == 1  # unchanged
    assert [m.name for m in company.materials.all()] == ["公司章程"]
    response = admin_api.patch("/catalog/matters/T-SJ-002", {"name": "公司设立登记"})
    assert response.json()["materials"][0]["name"] == "公司章程"  # kept
    assert admin_api.patch("/catalog/matters/NOPE", {"name": "x"}).status_code == 404


def test_set_materials_with_put(catalog, admin_api):
    response = admin_api.client.put(
        "/api/v1/catalog/matters/T-RS-001/materials",
        [{"name": "居民身份证", "form": "both"}, {"name": "近期免冠照片", "copies": 2}],
        content_type="application/json",
    )
    assert response.status_code == 200
    assert [(m["form"], m["copies"]) for m in response.json()["materials"]] == [
        ("both", 1),
        ("original", 2),
    ]
    assert Material.objects.get(matter__code="T-RS-001", name="近期免冠照片").copies == 2


def test_deactivate_reports_the_bundle_that_holds_it(catalog, admin_api):
    response = admin_api.post("/catalog/matters/T-SJ-001/deactivate")
    assert response.status_code == 400
    assert "开办餐饮店一件事" in response.json()["detail"]
    assert admin_api.post("/catalog/matters/T-SJ-002/deactivate").json()["is_active"] is False
    assert admin_api.post("/catalog/matters/T-SJ-002/reactivate").json()["is_active"] is True


def test_bundle_writes(catalog, admin_api):
    response = admin_api.post(
        "/catalog/bundles",
        {"code": "B-2", "name": "一件事", "matter_codes": ["T-SJ-002", "NOPE", "GONE"]},
    )
    assert response.status_code == 400
    assert response.json()["field"] == "matter_codes" and "NOPE、GONE" in response.json()["detail"]
    response = admin_api.patch(
        "/catalog/bundles/B-SHOP", {"matter_codes": ["T-SJ-002", "T-SJ-003"]}
    )
    assert response.status_code == 200
    assert [m["code"] for m in response.json()["matters"]] == ["T-SJ-002", "T-SJ-003"]
    response = admin_api.patch("/catalog/bundles/B-SHOP", {"matter_codes": ["T-SJ-002"]})
    assert response.status_code == 400 and response.json()["field"] == "matters"


def test_manage_list_shows_what_the_user_maintains(catalog, api_client_as):
    head = api_client_as(catalog.head_a)
    assert codes(head.get("/catalog/manage/matters")) == ["T-SJ-001", "T-SJ-002", "T-SJ-003"]
    admin = api_client_as(catalog.admin)
    assert codes(admin.get("/catalog/manage/matters", {"active": "false"})) == ["T-RS-002"]
    assert admin.get("/catalog/manage/matters", {"active": "maybe"}).status_code == 422


def test_the_openapi_schema_describes_the_catalog(public, db):
    schema = public.get("/openapi.json").json()
    paths = schema["paths"]
    assert "/api/v1/catalog/matters" in paths
    assert "/api/v1/catalog/matters/{code}" in paths
    assert paths["/api/v1/catalog/matters"]["get"].get("security") in (None, [])
    assert paths["/api/v1/catalog/matters"]["post"]["security"]
