"""Pages of the catalog: the public guide (no sign-in, no edit controls, prints on A4) and the
staff's maintenance pages (filters, export, inline materials, import, bundles)."""

import io
import re
from pathlib import Path

import pytest
from django.contrib.staticfiles import finders
from django.core.files.uploadedfile import SimpleUploadedFile
from openpyxl import load_workbook

from chuangkou.catalog import transfer
from chuangkou.catalog.models import Bundle, Material, Matter
from chuangkou.core.models import AuditEntry

from .test_transfer import matter_row, workbook

pytestmark = pytest.mark.django_db
EDIT_CONTROLS = ["/guide/manage", "停用", "编辑", "保存", 'method="post"', "csrfmiddlewaretoken"]


def text(response) -> str:
    assert response.status_code == 200
    return response.content.decode()


# ---- public guide ---------------------------------------------------------------------------


def test_guide_search_needs_no_sign_in_and_shows_no_staff_things(catalog, client):
    body = text(client.get("/guide/", {"q": "营业执照"}))
    assert 'name="q"' in body and "form-control-lg" in body
    assert "有限责任公司设立登记" in body and "食品经营许可证核发" in body
    assert "个体工商户设立登记" not in body
    assert "navbar-vertical" not in body  # no sidebar without sign-in
    for control in EDIT_CONTROLS:
        assert control not in body
    for personal in [s.name for s in catalog.org.staff] + ["depthead01", "管理员"]:
        assert personal not in body


def test_guide_results_come_alone_for_htmx(catalog, client):
    body = text(client.get("/guide/", {"q": "社保卡"}, headers={"HX-Request": "true"}))
    assert "<html" not in body
    assert "社会保障卡申领" in body and 'data-testid="result-count"' in body


def test_guide_filters_and_bundles(catalog, client):
    zero = text(client.get("/guide/", {"visits": "0"}))
    assert "个体工商户设立登记" in zero and "社会保障卡申领" not in zero
    by_dept = text(client.get("/guide/", {"department": catalog.org.dept_b.pk}))
    assert "社会保障卡申领" in by_dept and "食品经营许可证核发" not in by_dept
    assert "开办餐饮店一件事" in text(client.get("/guide/"))


@pytest.mark.parametrize(
    "params",
    [
        {"visits": "abc"},
        {"department": "; drop table"},
        {"page": "-1"},
        {"page": "99999"},
        {"q": "身份证" * 3000},
        {"q": "%%%😀"},
    ],
)
def test_guide_survives_bad_parameters(catalog, client, params):
    body = text(client.get("/guide/", params))
    assert "办事指南" in body


def test_guide_pages_paginate(catalog, client):
    for n in range(20):
        Matter.objects.create(code=f"P-{n:02d}", name=f"批量事项{n}", department=catalog.org.dept_a)
    first = text(client.get("/guide/"))
    assert "共 24 条，第 1/2 页" in first and "page=2" in first
    assert "共 24 条，第 2/2 页" in text(client.get("/guide/", {"page": 2}))


def test_matter_guide_page(catalog, client):
    body = text(client.get("/guide/matter/T-SJ-003/"))
    for label in [
        "事项名称",
        "实施部门",
        "承诺时限",
        "跑动次数",
        "是否网办",
        "受理条件",
        "材料清单",
        "是否必需",
        "形式",
        "份数",
        "模板",
        "收费",
        "设定依据",
    ]:
        assert label in body, label
    assert "7 个工作日" in body and "跑一次" in body and "窗口办理" in body
    assert "已取得营业执照。" in body and "《中华人民共和国食品安全法》" in body
    assert "从业人员有变动的" in body
    assert "data-print>" in body and "打印" in body and "onclick=" not in body
    assert "catalog/guide.css" in body
    assert "开办餐饮店一件事" in body  # the bundle that holds it
    for control in EDIT_CONTROLS:
        assert control not in body


def test_public_pages_show_no_edit_controls_to_staff_either(catalog, client_as):
    body = text(client_as(catalog.admin).get("/guide/matter/T-SJ-001/"))
    assert "/guide/manage" not in body.split('class="page-body"')[1]


def test_the_print_stylesheet_is_a4(catalog):
    css = Path(finders.find("catalog/guide.css")).read_text()
    assert re.search(r"@page\s*{\s*size:\s*A4;\s*margin:\s*15mm;?\s*}", css)
    print_rules = css[css.index("@media print") :]
    for hidden in [".navbar", ".btn", ".guide-band", ".page-header", ".d-print-none"]:
        assert hidden in print_rules


@pytest.mark.parametrize("code", ["NOPE", "T-RS-002", "../etc"])
def test_unknown_or_inactive_guides_are_404(catalog, client, code):
    assert client.get(f"/guide/matter/{code}/").status_code == 404
    assert client.get(f"/guide/bundle/{code}/").status_code == 404


def test_public_pages_refuse_posts(catalog, client):
    assert client.post("/guide/", {"q": "x"}).status_code == 405
    assert client.post("/guide/matter/T-SJ-001/").status_code == 405


def test_bundle_guide_page(catalog, client):
    body = text(client.get("/guide/bundle/B-SHOP/"))
    assert "合计承诺时限" in body and "7 个工作日" in body
    assert "各事项并联办理，取其中最长的承诺时限" in body and "合计需 7 个工作日" in body
    assert body.count("居民身份证") == 1  # asked by one matter only here
    assert "营业执照（副本）" in body and "data-print>" in body and "onclick=" not in body
    assert "共 6 项（各事项分别提交需 6 项" in body


def test_templates_are_downloaded_without_sign_in(catalog, client, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    material = catalog.food.materials.get(name="食品安全管理制度")
    material.template.save("食品安全管理制度模板.docx", io.BytesIO(b"DOCX"))
    url = f"/guide/material/{material.pk}/template/"
    assert url in text(client.get("/guide/matter/T-SJ-003/"))
    response = client.get(url)
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == b"DOCX"
    assert "attachment" in response["Content-Disposition"]
    assert client.get(f"/guide/material/{material.pk}/sample/").status_code == 404
    assert client.get(f"/guide/material/{material.pk}/secret/").status_code == 404
    retired = catalog.retired.materials.first()
    assert client.get(f"/guide/material/{retired.pk}/template/").status_code == 404


# ---- management list ------------------------------------------------------------------------


def test_manage_list_filters_and_exports(catalog, client_as):
    client = client_as(catalog.admin)
    body = text(client.get("/guide/manage/", {"active": "false"}))
    assert "已停用的社保事项" in body and "个体工商户设立登记" not in body
    partial = text(client.get("/guide/manage/", {"q": "T-SJ"}, headers={"HX-Request": "true"}))
    assert "<html" not in partial and 'hx-swap-oob="true"' in partial
    assert "q=T-SJ&amp;export=xlsx" in partial
    response = client.get("/guide/manage/", {"q": "T-SJ", "export": "xlsx"})
    sheet = load_workbook(io.BytesIO(response.content)).active
    assert [c.value for c in sheet[1]] == transfer.HEADERS
    assert {row[0] for row in sheet.iter_rows(min_row=2, values_only=True)} == {
        "T-SJ-001",
        "T-SJ-002",
        "T-SJ-003",
    }


def test_manage_list_for_a_dept_head_and_bad_filters(catalog, client_as):
    client = client_as(catalog.head_a)
    body = text(client.get("/guide/manage/"))
    assert "个体工商户设立登记" in body and "社会保障卡申领" not in body
    assert "一件事</a>" not in body  # bundles are the center admin's
    warned = text(client.get("/guide/manage/", {"visits": "many", "active": "maybe"}))
    assert "筛选条件无效" in warned


# ---- matter form ----------------------------------------------------------------------------


def form_data(**overrides) -> dict:
    data = {
        "code": "F-001",
        "name": "个体工商户变更登记",
        "kind": "license",
        "promised_days": "1",
        "max_visits": "1",
        "online": "on",
        "fee": "",
        "materials-TOTAL_FORMS": "3",
        "materials-INITIAL_FORMS": "0",
        "materials-0-name": "变更申请书",
        "materials-0-requirement": "required",
        "materials-0-form": "original",
        "materials-0-copies": "1",
        "materials-1-name": "营业执照（副本）",
        "materials-1-requirement": "conditional",
        "materials-1-condition": "变更经营范围的",
        "materials-1-form": "copy",
        "materials-1-copies": "2",
        "materials-2-name": "",
        "materials-2-requirement": "required",
        "materials-2-form": "original",
        "materials-2-copies": "1",
    }
    data.update(overrides)
    return data


def test_create_a_matter_with_its_materials(catalog, client_as):
    client = client_as(catalog.head_a)
    page = text(client.get("/guide/manage/new/"))
    assert "市场监管局" in page and "人力社保局" not in page  # only their departments
    response = client.post("/guide/manage/new/", form_data(department=catalog.org.dept_a.pk))
    assert response.status_code == 302
    matter = Matter.objects.get(code="F-001")
    assert [(m.name, m.requirement, m.condition, m.copies) for m in matter.materials.all()] == [
        ("变更申请书", "required", "", 1),
        ("营业执照（副本）", "conditional", "变更经营范围的", 2),
    ]
    assert matter.fee == "不收费"
    assert AuditEntry.objects.filter(action="catalog.matter.create", actor=catalog.head_a).exists()


@pytest.mark.parametrize(
    ("overrides", "error"),
    [
        ({"promised_days": "-1"}, "确保该值大于或等于0"),
        ({"code": "T-SJ-001"}, "事项编码 T-SJ-001 已被使用"),
        ({"max_visits": "0", "online": ""}, "零跑事项"),
        ({"name": "  "}, "这个字段是必填项"),
        ({"materials-1-name": "变更申请书 "}, "与第 1 项重复"),
        ({"materials-0-copies": "0"}, "确保该值大于或等于1"),
        ({"materials-0-template": SimpleUploadedFile("a.html", b"<script>")}, "模板只能是"),
    ],
)
def test_form_errors_show_on_their_fields(catalog, client_as, overrides, error):
    data = form_data(department=catalog.org.dept_a.pk, **overrides)
    body = text(client_as(catalog.admin).post("/guide/manage/new/", data))
    assert error in body and "is-invalid" in body
    assert not Matter.objects.filter(code="F-001").exists()


def test_a_dept_head_cannot_post_another_department(catalog, client_as):
    data = form_data(department=catalog.org.dept_b.pk)
    body = text(client_as(catalog.head_a).post("/guide/manage/new/", data))
    assert "选择一个有效的选项" in body
    assert not Matter.objects.filter(code="F-001").exists()


def test_edit_a_matter_delete_a_material_and_upload_a_template(
    catalog, client_as, settings, tmp_path
):
    settings.MEDIA_ROOT = tmp_path
    client = client_as(catalog.admin)
    page = text(client.get(f"/guide/manage/{catalog.company.pk}/edit/"))
    assert "公司章程" in page and "确定要停用事项" in page
    materials = list(catalog.company.materials.all())
    data = form_data(
        code="T-SJ-002",
        name="有限责任公司设立登记",
        department=catalog.org.dept_a.pk,
        **{
            "materials-TOTAL_FORMS": "3",
            "materials-INITIAL_FORMS": "3",
            "materials-2-name": materials[2].name,
            "materials-2-id": materials[2].pk,
            "materials-2-copies": "3",
        },
    )
    for i, material in enumerate(materials[:2]):
        data.update(
            {
                f"materials-{i}-id": material.pk,
                f"materials-{i}-name": material.name,
                f"materials-{i}-requirement": "required",
                f"materials-{i}-form": "original",
                f"materials-{i}-copies": "1",
            }
        )
    data["materials-1-DELETE"] = "on"
    data["materials-0-template"] = SimpleUploadedFile("章程模板.docx", b"DOCX")
    response = client.post(f"/guide/manage/{catalog.company.pk}/edit/", data)
    assert response.status_code == 302
    kept = list(Matter.objects.get(code="T-SJ-002").materials.all())
    assert [(m.name, m.copies) for m in kept] == [("公司章程", 1), ("营业执照（副本）", 3)]
    assert kept[0].template.name.endswith(".docx")
    assert f"/guide/material/{kept[0].pk}/template/" in text(client.get("/guide/matter/T-SJ-002/"))


def test_deactivate_and_reactivate_from_the_edit_page(catalog, client_as):
    client = client_as(catalog.admin)
    url = f"/guide/manage/{catalog.company.pk}/active/"
    response = client.post(url, {"active": "0"}, follow=True)
    assert "事项状态已更新" in response.content.decode()
    assert not Matter.objects.get(pk=catalog.company.pk).is_active
    client.post(url, {"active": "1"})
    assert Matter.objects.get(pk=catalog.company.pk).is_active
    blocked = client.post(f"/guide/manage/{catalog.shop.pk}/active/", {"active": "0"}, follow=True)
    assert "请先将其移出后再停用" in blocked.content.decode()
    assert client.get(url).status_code == 405


# ---- import ---------------------------------------------------------------------------------


def test_import_page_good_and_bad_files(catalog, client_as):
    client = client_as(catalog.admin)
    good = workbook([matter_row("I-1", "导入的事项", "市场监管局", "申请书", "必需", "原件", 1)])
    response = client.post(
        "/guide/manage/import/", {"file": SimpleUploadedFile("目录.xlsx", good)}, follow=True
    )
    assert "导入成功：新增 1 个事项，更新 0 个" in response.content.decode()
    bad = workbook([matter_row("I-2", "坏事项", "没有的部门", "申请书", "必需", "原件", 1)])
    body = text(client.post("/guide/manage/import/", {"file": SimpleUploadedFile("b.xlsx", bad)}))
    assert 'data-testid="import-errors"' in body and "没有名为「没有的部门」的部门" in body
    assert not Matter.objects.filter(code="I-2").exists()
    wrong = SimpleUploadedFile("目录.pdf", b"%PDF-1.4")
    assert "请上传 .xlsx 格式" in text(client.post("/guide/manage/import/", {"file": wrong}))
    headless = SimpleUploadedFile("目录.csv", b"a,b")  # csv is read, but lacks the columns
    assert "表头缺少列" in text(client.post("/guide/manage/import/", {"file": headless}))
    fake = SimpleUploadedFile("目录.xlsx", b"not excel")
    assert "无法读取文件" in text(client.post("/guide/manage/import/", {"file": fake}))


def test_import_template_download(catalog, client_as):
    response = client_as(catalog.head_a).get("/guide/manage/import/template.xlsx")
    assert response.status_code == 200
    assert "attachment" in response["Content-Disposition"]


# ---- bundles --------------------------------------------------------------------------------


def test_bundle_pages(catalog, client_as):
    client = client_as(catalog.admin)
    assert "开办餐饮店一件事" in text(client.get("/guide/manage/bundles/", {"q": "餐饮"}))
    data = {
        "code": "B-NEW",
        "name": "企业开办一件事",
        "description": "一次办",
        "matters": [catalog.company.pk, catalog.sscard.pk],
    }
    assert client.post("/guide/manage/bundles/new/", data).status_code == 302
    bundle = Bundle.objects.get(code="B-NEW")
    assert bundle.items.count() == 2
    one = {**data, "matters": [catalog.company.pk]}
    body = text(client.post(f"/guide/manage/bundles/{bundle.pk}/edit/", one))
    assert "至少包含 2 个不同的事项" in body
    inactive = {**data, "matters": [catalog.company.pk, catalog.retired.pk]}
    assert "选择一个有效的选项" in text(client.post("/guide/manage/bundles/new/", inactive))
    junk = {**data, "matters": ["abc", "9" * 30]}
    body = text(client.post("/guide/manage/bundles/new/", junk))
    assert "已选 0 个" in body
    response = client.post(f"/guide/manage/bundles/{bundle.pk}/active/", {"active": "0"})
    assert response.status_code == 302
    assert not Bundle.objects.get(pk=bundle.pk).is_active
    assert Material.objects.filter(matter=catalog.company).count() == 3
