"""Services of the catalog: every write audited, permission first, clear Chinese errors."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from chuangkou.catalog import services
from chuangkou.catalog.models import Bundle, Material, Matter
from chuangkou.core.errors import DomainError, PermissionDeniedError
from chuangkou.core.models import AuditEntry
from chuangkou.core.roles import Role

pytestmark = pytest.mark.django_db


def new_matter(actor, dept, **overrides):
    data = {
        "code": "N-001",
        "name": "个体工商户变更登记",
        "department": dept,
        "promised_days": 2,
        "max_visits": 1,
        "online": True,
        "materials": [{"name": "变更登记申请书"}, {"name": "营业执照（副本）", "copies": 2}],
    }
    data.update(overrides)
    return services.create_matter(actor=actor, **data)


def last_entry(action: str) -> AuditEntry:
    return AuditEntry.objects.filter(action=action).order_by("-id").first()


# ---- create ---------------------------------------------------------------------------------


def test_admin_creates_a_matter_with_materials_audited_and_searchable(catalog):
    matter = new_matter(catalog.admin, catalog.org.dept_b)
    assert matter.department == catalog.org.dept_b
    assert [m.name for m in matter.materials.all()] == ["变更登记申请书", "营业执照（副本）"]
    assert matter.materials.get(name="营业执照（副本）").copies == 2
    assert " 变更 " in matter.search_text and " 营业执照 " in matter.search_text
    entry = last_entry("catalog.matter.create")
    assert entry.actor == catalog.admin
    assert entry.object_id == str(matter.pk)
    assert entry.after["code"] == "N-001"
    assert entry.after["materials"] == ["变更登记申请书", "营业执照（副本）"]


def test_dept_head_creates_only_in_the_departments_they_head(catalog):
    own = new_matter(catalog.head_a, catalog.org.dept_a)
    assert own.pk
    with pytest.raises(PermissionDeniedError, match="本部门"):
        new_matter(catalog.head_a, catalog.org.dept_b, code="N-002")
    assert not Matter.objects.filter(code="N-002").exists()


@pytest.mark.parametrize("role", [None, Role.CLERK, Role.LOBBY_MANAGER, Role.AUDITOR])
def test_other_roles_may_not_create(catalog, role_user, role):
    with pytest.raises(PermissionDeniedError):
        new_matter(role_user(role), catalog.org.dept_a)


@pytest.mark.parametrize(
    ("overrides", "field", "message"),
    [
        ({"promised_days": -1}, "promised_days", "承诺时限不能为负数"),
        ({"promised_days": 366}, "promised_days", "0–365"),
        ({"promised_days": 2.5}, "promised_days", "整数"),
        ({"promised_days": "三天"}, "promised_days", "整数"),
        ({"max_visits": 6}, "max_visits", "0–5"),
        ({"max_visits": -1}, "max_visits", "不能为负数"),
        ({"name": ""}, "name", "请填写事项名称"),
        ({"name": "   "}, "name", "请填写事项名称"),
        ({"name": "名" * 201}, "name", "200"),
        ({"code": ""}, "code", "请填写事项编码"),
        ({"code": "有 空格"}, "code", "字母、数字"),
        ({"code": "T-SJ-001"}, "code", "已被使用"),
        ({"department": None}, "department", "请选择实施部门"),
        ({"kind": "bogus"}, "kind", "事项类型应为"),
        ({"max_visits": 0, "online": False}, "max_visits", "零跑"),
        ({"materials": [{"name": ""}]}, "materials.0.name", "请填写材料名称"),
        (
            {"materials": [{"name": "甲"}, {"name": "甲", "copies": 0}]},
            "materials.1.copies",
            "1–99",
        ),
        ({"materials": [{"name": "甲", "form": "fax"}]}, "materials.0.form", "材料形式"),
        ({"materials": [{"name": "身份证"}, {"name": " 身份 证 "}]}, "materials.1.name", "重复"),
        ({"materials": [{"name": "ＡＢＣ证明"}, {"name": "abc证明"}]}, "materials.1.name", "重复"),
    ],
)
def test_broken_rules_name_their_field_and_write_nothing(catalog, overrides, field, message):
    before = (Matter.objects.count(), Material.objects.count(), AuditEntry.objects.count())
    with pytest.raises(DomainError, match=message) as caught:
        new_matter(catalog.admin, catalog.org.dept_a, **overrides)
    assert caught.value.field == field
    assert before == (Matter.objects.count(), Material.objects.count(), AuditEntry.objects.count())


def test_different_material_names_are_kept_apart(catalog):
    matter = new_matter(
        catalog.admin, catalog.org.dept_a, materials=[{"name": "居民身份证"}, {"name": "身份证"}]
    )
    assert matter.materials.count() == 2


# ---- update ---------------------------------------------------------------------------------


def test_update_audits_only_what_changed_and_refreshes_search(catalog):
    matter = services.update_matter(
        actor=catalog.admin,
        matter=catalog.company,
        changes={"name": "股份有限公司设立登记", "promised_days": 1, "fee": ""},
    )
    assert matter.name == "股份有限公司设立登记"
    assert matter.fee == "不收费"
    assert " 股份 " in Matter.objects.get(pk=matter.pk).search_text
    entry = last_entry("catalog.matter.update")
    assert entry.before == {"name": "有限责任公司设立登记"}
    assert entry.after == {"name": "股份有限公司设立登记"}


def test_update_without_a_change_writes_no_entry(catalog):
    count = AuditEntry.objects.count()
    services.update_matter(actor=catalog.admin, matter=catalog.company, changes={"online": True})
    assert AuditEntry.objects.count() == count


def test_dept_head_may_not_touch_or_move_out_of_their_departments(catalog):
    with pytest.raises(PermissionDeniedError):
        services.update_matter(
            actor=catalog.head_a, matter=catalog.sscard, changes={"promised_days": 1}
        )
    with pytest.raises(PermissionDeniedError):
        services.update_matter(
            actor=catalog.head_a, matter=catalog.shop, changes={"department": catalog.org.dept_b}
        )
    services.update_matter(actor=catalog.head_a, matter=catalog.shop, changes={"promised_days": 1})
    assert Matter.objects.get(pk=catalog.shop.pk).promised_days == 1


def test_update_checks_the_rules_too(catalog):
    with pytest.raises(DomainError) as caught:
        services.update_matter(actor=catalog.admin, matter=catalog.shop, changes={"online": False})
    assert caught.value.field == "max_visits"  # 零跑 needs 网办
    with pytest.raises(DomainError, match="已被使用"):
        services.update_matter(
            actor=catalog.admin, matter=catalog.shop, changes={"code": catalog.company.code}
        )
    with pytest.raises(DomainError, match="不能修改字段"):
        services.update_matter(
            actor=catalog.admin, matter=catalog.shop, changes={"search_text": "x"}
        )


def test_update_with_bad_materials_leaves_the_matter_as_it_was(catalog):
    with pytest.raises(DomainError):
        services.update_matter(
            actor=catalog.admin,
            matter=catalog.shop,
            changes={"name": "新名称"},
            materials=[{"name": "甲"}, {"name": "甲"}],
        )
    assert Matter.objects.get(pk=catalog.shop.pk).name == "个体工商户设立登记"
    assert catalog.shop.materials.count() == 3


# ---- materials ------------------------------------------------------------------------------


def test_set_materials_replaces_the_list_keeps_files_and_audits(catalog, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    template = SimpleUploadedFile("申请书.docx", b"template", content_type="application/msword")
    services.set_materials(
        actor=catalog.admin,
        matter=catalog.shop,
        materials=[{"name": "个体工商户登记申请书", "template": template}, {"name": "居民身份证"}],
    )
    form = catalog.shop.materials.get(name="个体工商户登记申请书")
    assert form.template.name.startswith("catalog/templates/")
    # the same material again (found by its name, spaces aside), reordered, with a new one
    services.set_materials(
        actor=catalog.admin,
        matter=catalog.shop,
        materials=[
            {"name": "居民身份证", "form": Material.Form.BOTH},
            {"name": "个体工商户登记申请书 "},
            {"name": "经营者照片"},
        ],
    )
    materials = list(catalog.shop.materials.all())
    assert [m.name for m in materials] == ["居民身份证", "个体工商户登记申请书", "经营者照片"]
    assert materials[1].pk == form.pk and materials[1].template.name == form.template.name
    assert " 照片 " in Matter.objects.get(pk=catalog.shop.pk).search_text
    assert " 场所 " not in Matter.objects.get(pk=catalog.shop.pk).search_text
    entry = last_entry("catalog.matter.materials")
    assert [m["name"] for m in entry.after["materials"]] == [m.name for m in materials]


def test_set_materials_swaps_names_by_id(catalog):
    first, second = catalog.company.materials.all()[:2]
    services.set_materials(
        actor=catalog.admin,
        matter=catalog.company,
        materials=[{"id": first.pk, "name": second.name}, {"id": second.pk, "name": first.name}],
    )
    first.refresh_from_db()
    assert first.name == "居民身份证"


def test_setting_the_same_materials_writes_no_entry(catalog):
    count = AuditEntry.objects.count()
    same = [{"name": m.name} for m in catalog.company.materials.all()]
    services.set_materials(actor=catalog.admin, matter=catalog.company, materials=same)
    assert AuditEntry.objects.count() == count


def test_dept_head_may_not_set_materials_of_another_department(catalog):
    with pytest.raises(PermissionDeniedError):
        services.set_materials(actor=catalog.head_a, matter=catalog.sscard, materials=[])


# ---- deactivate -----------------------------------------------------------------------------


def test_deactivate_and_reactivate_are_audited(catalog):
    services.deactivate_matter(actor=catalog.admin, matter=catalog.company)
    assert not Matter.objects.get(pk=catalog.company.pk).is_active
    assert last_entry("catalog.matter.deactivate").after == {"is_active": False}
    with pytest.raises(DomainError, match="已停用"):
        services.deactivate_matter(actor=catalog.admin, matter=catalog.company)
    services.reactivate_matter(actor=catalog.admin, matter=catalog.company)
    assert Matter.objects.get(pk=catalog.company.pk).is_active
    assert last_entry("catalog.matter.reactivate").after == {"is_active": True}


def test_a_matter_of_an_active_bundle_cannot_be_deactivated(catalog):
    with pytest.raises(DomainError, match="开办餐饮店一件事"):
        services.deactivate_matter(actor=catalog.admin, matter=catalog.shop)


def test_dept_head_deactivates_only_their_matters(catalog):
    with pytest.raises(PermissionDeniedError):
        services.deactivate_matter(actor=catalog.head_a, matter=catalog.sscard)
    services.deactivate_matter(actor=catalog.head_a, matter=catalog.company)


# ---- bundles --------------------------------------------------------------------------------


def test_admin_creates_and_updates_a_bundle(catalog):
    bundle = services.create_bundle(
        actor=catalog.admin,
        code="B-NEW",
        name="企业开办一件事",
        matters=[catalog.company, catalog.sscard, catalog.company],
    )
    assert list(bundle.items.values_list("matter__code", flat=True)) == ["T-SJ-002", "T-RS-001"]
    assert last_entry("catalog.bundle.create").after["matters"] == ["T-SJ-002", "T-RS-001"]
    services.update_bundle(
        actor=catalog.admin,
        bundle=bundle,
        changes={"matters": [catalog.sscard, catalog.company, catalog.food]},
    )
    entry = last_entry("catalog.bundle.update")
    assert entry.before == {"matters": ["T-SJ-002", "T-RS-001"]}
    assert entry.after == {"matters": ["T-RS-001", "T-SJ-002", "T-SJ-003"]}


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"matters": []}, "至少包含 2 个"),
        ({"name": " "}, "请填写名称"),
        ({"code": "B-SHOP"}, "已被使用"),
    ],
)
def test_bundle_rules(catalog, changes, message):
    data = {"code": "B-X", "name": "一件事", "matters": [catalog.company, catalog.sscard]}
    with pytest.raises(DomainError, match=message):
        services.create_bundle(actor=catalog.admin, **{**data, **changes})


def test_inactive_matters_stay_out_of_bundles(catalog):
    with pytest.raises(DomainError, match="已停用"):
        services.create_bundle(
            actor=catalog.admin, code="B-X", name="x", matters=[catalog.company, catalog.retired]
        )
    services.update_bundle(actor=catalog.admin, bundle=catalog.bundle, changes={"is_active": False})
    services.deactivate_matter(actor=catalog.admin, matter=catalog.food)
    with pytest.raises(DomainError, match="已停用"):
        services.update_bundle(
            actor=catalog.admin, bundle=catalog.bundle, changes={"is_active": True}
        )
    assert not Bundle.objects.get(pk=catalog.bundle.pk).is_active


def test_only_the_center_admin_maintains_bundles(catalog):
    with pytest.raises(PermissionDeniedError):
        services.create_bundle(
            actor=catalog.head_a, code="B-X", name="x", matters=[catalog.shop, catalog.company]
        )
    with pytest.raises(PermissionDeniedError):
        services.update_bundle(actor=catalog.head_a, bundle=catalog.bundle, changes={"name": "x"})


def test_a_code_taken_between_check_and_write_is_a_clear_error(catalog, monkeypatch):
    from chuangkou.catalog.services import matters

    monkeypatch.setattr(matters, "_check_code_free", lambda code, exclude_pk=None: None)
    with pytest.raises(DomainError, match="已被使用") as caught:
        new_matter(catalog.admin, catalog.org.dept_a, code=catalog.shop.code)
    assert caught.value.field == "code"


def test_reordering_materials_is_audited(catalog):
    names = [m.name for m in catalog.company.materials.all()]
    services.set_materials(
        actor=catalog.admin,
        matter=catalog.company,
        materials=[{"name": n} for n in reversed(names)],
    )
    assert [m.name for m in catalog.company.materials.all()] == list(reversed(names))
    entry = last_entry("catalog.matter.materials")
    assert [m["name"] for m in entry.before["materials"]] == names


def test_every_catalog_entry_is_found_under_the_auditors_catalog_filter(catalog):
    matter = new_matter(catalog.admin, catalog.org.dept_a)
    services.update_matter(actor=catalog.admin, matter=matter, changes={"promised_days": 9})
    services.set_materials(actor=catalog.admin, matter=matter, materials=[{"name": "甲"}])
    services.deactivate_matter(actor=catalog.admin, matter=matter)
    services.reactivate_matter(actor=catalog.admin, matter=matter)
    bundle = services.create_bundle(
        actor=catalog.admin, code="B-A", name="一件事", matters=[matter, catalog.company]
    )
    services.update_bundle(actor=catalog.admin, bundle=bundle, changes={"name": "另一件事"})
    actions = set(AuditEntry.objects.values_list("action", flat=True))
    assert len(actions) == 7
    assert all(a.startswith("catalog.") for a in actions)  # core's audit filter "办事指南"
