"""Writes to matters (事项) and their materials (申请材料). Every write is audited and keeps the
matter's search text (检索词) in step with its name and materials."""

from django.db import transaction
from django.db.models import CharField, Value
from django.db.models.functions import Cast, Concat

from chuangkou.core import audit
from chuangkou.core.errors import DomainError, PermissionDeniedError
from chuangkou.core.permissions import require_role

from .. import permissions
from ..models import BundleItem, Material, Matter
from ..text import index_tokens, normalize
from .cleaning import (
    MATERIAL_FIELDS,
    MATTER_FIELDS,
    check_zero_visit_online,
    clean_materials,
    clean_matter_fields,
    code_taken_is_an_error,
)

AUDIT_FIELDS = [*MATTER_FIELDS, "is_active"]


def _check_department(actor, department) -> None:
    if not permissions.can_edit_department(actor, department):
        raise PermissionDeniedError(f"您只能维护本部门的事项，不能维护「{department}」的事项。")


def _check_code_free(code: str, exclude_pk: int | None = None) -> None:
    if Matter.objects.filter(code=code).exclude(pk=exclude_pk).exists():
        raise DomainError(f"事项编码 {code} 已被使用。", field="code")


def refresh_search_text(matter: Matter) -> None:
    """Re-tokenise the matter's name and material names into `search_text`."""
    names = matter.materials.order_by("order", "id").values_list("name", flat=True)
    matter.search_text = index_tokens(matter.name, *names)
    Matter.objects.filter(pk=matter.pk).update(search_text=matter.search_text)


@transaction.atomic
def create_matter(
    *,
    actor,
    code: str,
    name: str,
    department,
    kind: str = Matter.Kind.LICENSE,
    promised_days: int = 0,
    max_visits: int = 1,
    online: bool = False,
    conditions: str = "",
    legal_basis: str = "",
    fee: str = "不收费",
    produces: str = "",
    materials: list[dict] | None = None,
) -> Matter:
    """新增事项, with its materials when given."""
    require_role(actor, *permissions.CATALOG_EDITORS)
    data = clean_matter_fields(
        {
            "code": code,
            "name": name,
            "department": department,
            "kind": kind,
            "promised_days": promised_days,
            "max_visits": max_visits,
            "online": online,
            "conditions": conditions,
            "legal_basis": legal_basis,
            "fee": fee,
            "produces": produces,
        }
    )
    _check_department(actor, data["department"])
    check_zero_visit_online(data["max_visits"], data["online"])
    _check_code_free(data["code"])
    cleaned = clean_materials(materials or [])
    with code_taken_is_an_error(data["code"]):
        matter = Matter.objects.create(**data)
        _write_materials(matter, cleaned)
    refresh_search_text(matter)
    audit.record(
        actor=actor,
        action="catalog.matter.create",
        obj=matter,
        after={
            **audit.snapshot(matter, AUDIT_FIELDS),
            "materials": [m["name"] for m in cleaned],
        },
    )
    return matter


@transaction.atomic
def update_matter(
    *, actor, matter: Matter, changes: dict, materials: list[dict] | None = None
) -> Matter:
    """修改事项: the fields in `changes`; with `materials`, its material list is replaced too."""
    require_role(actor, *permissions.CATALOG_EDITORS)
    matter = Matter.objects.select_for_update().select_related("department").get(pk=matter.pk)
    _check_department(actor, matter.department)
    data = clean_matter_fields(changes)
    if "department" in data:
        _check_department(actor, data["department"])
    if "code" in data:
        _check_code_free(data["code"], exclude_pk=matter.pk)
    check_zero_visit_online(
        data.get("max_visits", matter.max_visits), data.get("online", matter.online)
    )
    cleaned = clean_materials(materials) if materials is not None else None
    before = audit.snapshot(matter, AUDIT_FIELDS)
    for key, value in data.items():
        setattr(matter, key, value)
    after = audit.snapshot(matter, AUDIT_FIELDS)
    changed = [k for k in after if after[k] != before[k]]
    if changed:
        with code_taken_is_an_error(matter.code):
            matter.save()
        audit.record(
            actor=actor,
            action="catalog.matter.update",
            obj=matter,
            before={k: before[k] for k in changed},
            after={k: after[k] for k in changed},
        )
    materials_changed = cleaned is not None and _replace_materials(actor, matter, cleaned)
    if "name" in changed and not materials_changed:
        refresh_search_text(matter)
    return matter


@transaction.atomic
def set_materials(*, actor, matter: Matter, materials: list[dict]) -> list[Material]:
    """设置申请材料: replace the material list of a matter (in the given order).

    A material is matched to an existing one by `id`, or else by its normalised name; a matched
    material keeps its template, sample and any field not given. Unmatched ones are deleted.
    """
    require_role(actor, *permissions.CATALOG_EDITORS)
    matter = Matter.objects.select_for_update().select_related("department").get(pk=matter.pk)
    _check_department(actor, matter.department)
    _replace_materials(actor, matter, clean_materials(materials))
    return list(matter.materials.all())


def _material_view(material: Material) -> dict:
    return {f: getattr(material, f) for f in MATERIAL_FIELDS}


def _stored(material: Material) -> dict:
    return {
        **_material_view(material),
        "order": material.order,
        "template": material.template.name,
        "sample": material.sample.name,
    }


def _replace_materials(actor, matter: Matter, cleaned: list[dict]) -> bool:
    """Bring the materials to `cleaned`, audited; True when anything changed."""
    existing = list(matter.materials.all())
    before = [_material_view(m) for m in existing]
    kept, changed = _write_materials(matter, cleaned, existing)
    if not changed:
        return False
    refresh_search_text(matter)
    after = [_material_view(m) for m in kept]
    if after != before:
        audit.record(
            actor=actor,
            action="catalog.matter.materials",
            obj=matter,
            before={"materials": before},
            after={"materials": after},
        )
    return True


def _write_materials(matter: Matter, cleaned: list[dict], existing=()):
    """Write only what differs: matched materials are updated in place, unmatched ones deleted,
    new ones created. Returns the materials in order and whether anything was written."""
    by_id = {m.pk: m for m in existing}
    by_key = {normalize(m.name): m for m in existing}
    names_before = {m.pk: m.name for m in existing}
    kept: list[Material] = []
    dirty: list[Material] = []
    for order, item in enumerate(cleaned):
        material = by_id.get(item.get("id")) or by_key.get(normalize(item["name"]))
        if material is None or material in kept:
            material = Material(matter=matter)
        before = _stored(material) if material.pk else None
        for key in (*MATERIAL_FIELDS, "template", "sample"):
            if key in item:
                setattr(material, key, item[key])
        material.order = order
        kept.append(material)
        if before is None or _stored(material) != before:
            dirty.append(material)
    kept_ids = {m.pk for m in kept if m.pk}
    deleted, _ = matter.materials.exclude(pk__in=kept_ids).delete()
    # Names move between rows when a list is reordered: clear them first (unique per matter).
    renamed = [m.pk for m in dirty if m.pk and m.name != names_before[m.pk]]
    if renamed:
        matter.materials.filter(pk__in=renamed).update(
            name=Concat(Value("~"), Cast("pk", CharField()), Value("~"))
        )
    for material in dirty:
        material.save()
    return kept, bool(deleted or dirty)


def _set_active(actor, matter: Matter, active: bool) -> Matter:
    require_role(actor, *permissions.CATALOG_EDITORS)
    matter = Matter.objects.select_for_update().select_related("department").get(pk=matter.pk)
    _check_department(actor, matter.department)
    if matter.is_active == active:
        state = "在用" if active else "已停用"
        raise DomainError(f"事项「{matter.name}」已是{state}状态。")
    if not active:
        bundle = (
            BundleItem.objects.filter(matter=matter, bundle__is_active=True)
            .select_related("bundle")
            .first()
        )
        if bundle is not None:
            raise DomainError(
                f"事项「{matter.name}」属于一件事「{bundle.bundle.name}」，请先将其移出后再停用。"
            )
    matter.is_active = active
    matter.save(update_fields=["is_active", "updated_at"])
    audit.record(
        actor=actor,
        action="catalog.matter.reactivate" if active else "catalog.matter.deactivate",
        obj=matter,
        before={"is_active": not active},
        after={"is_active": active},
    )
    return matter


@transaction.atomic
def deactivate_matter(*, actor, matter: Matter) -> Matter:
    """停用事项: it leaves the public guide; cases and tickets that refer to it are kept."""
    return _set_active(actor, matter, False)


@transaction.atomic
def reactivate_matter(*, actor, matter: Matter) -> Matter:
    """恢复在用."""
    return _set_active(actor, matter, True)
