"""Writes to "一件事" bundles: several matters handled together. Only the center admin maintains
them, since a bundle spans departments. Every write is audited."""

from django.db import transaction

from chuangkou.core import audit
from chuangkou.core.errors import DomainError, PermissionDeniedError

from .. import permissions
from ..models import Bundle, BundleItem, Matter
from ..text import without_controls
from .cleaning import clean_code, clean_name, code_taken_is_an_error

BUNDLE_FIELDS = ("code", "name", "description", "matters", "is_active")
MIN_MATTERS = 2
MAX_MATTERS = 30


def _check_actor(actor) -> None:
    if not permissions.can_manage_bundles(actor):
        raise PermissionDeniedError("只有中心管理员可以维护“一件事”。")


def _clean_matters(matters) -> list[Matter]:
    unique: list[Matter] = []
    for matter in matters:
        if matter not in unique:
            unique.append(matter)
    if len(unique) < MIN_MATTERS:
        raise DomainError(f"一件事至少包含 {MIN_MATTERS} 个不同的事项。", field="matters")
    if len(unique) > MAX_MATTERS:
        raise DomainError(f"一件事最多包含 {MAX_MATTERS} 个事项。", field="matters")
    inactive = [m.name for m in unique if not m.is_active]
    if inactive:
        raise DomainError(f"事项已停用，不能加入：{'、'.join(inactive)}。", field="matters")
    return unique


def _clean(data: dict) -> dict:
    clean = {}
    for key in data:
        if key not in BUNDLE_FIELDS:
            raise DomainError(f"不能修改字段 {key}。", field=key)
    if "code" in data:
        clean["code"] = clean_code(data["code"], label="编码")
    if "name" in data:
        clean["name"] = clean_name(data["name"], label="名称")
    if "description" in data:
        clean["description"] = without_controls(str(data["description"] or "")).strip()
    if "matters" in data:
        clean["matters"] = _clean_matters(data["matters"] or [])
    if "is_active" in data:
        clean["is_active"] = bool(data["is_active"])
    return clean


def _check_code_free(code: str, exclude_pk: int | None = None) -> None:
    if Bundle.objects.filter(code=code).exclude(pk=exclude_pk).exists():
        raise DomainError(f"编码 {code} 已被使用。", field="code")


def _set_matters(bundle: Bundle, matters: list[Matter]) -> None:
    BundleItem.objects.filter(bundle=bundle).delete()
    BundleItem.objects.bulk_create(
        BundleItem(bundle=bundle, matter=m, order=i) for i, m in enumerate(matters)
    )


def _snapshot(bundle: Bundle) -> dict:
    return {
        "code": bundle.code,
        "name": bundle.name,
        "description": bundle.description,
        "is_active": bundle.is_active,
        "matters": list(bundle.items.order_by("order").values_list("matter__code", flat=True)),
    }


@transaction.atomic
def create_bundle(
    *, actor, code: str, name: str, matters: list[Matter], description: str = ""
) -> Bundle:
    """新增一件事 from at least two active matters (in the given order)."""
    _check_actor(actor)
    data = _clean({"code": code, "name": name, "description": description, "matters": matters})
    _check_code_free(data["code"])
    items = data.pop("matters")
    with code_taken_is_an_error(data["code"]):
        bundle = Bundle.objects.create(**data)
    _set_matters(bundle, items)
    audit.record(actor=actor, action="catalog.bundle.create", obj=bundle, after=_snapshot(bundle))
    return bundle


@transaction.atomic
def update_bundle(*, actor, bundle: Bundle, changes: dict) -> Bundle:
    """修改一件事: code, name, description, its matters (replaced, in order) or whether in use."""
    _check_actor(actor)
    bundle = Bundle.objects.select_for_update().get(pk=bundle.pk)
    data = _clean(changes)
    if "code" in data:
        _check_code_free(data["code"], exclude_pk=bundle.pk)
    items = data.pop("matters", None)
    if data.get("is_active") and items is None:
        _clean_matters(list(bundle.matters.order_by("bundleitem__order")))
    before = _snapshot(bundle)
    for key, value in data.items():
        setattr(bundle, key, value)
    with code_taken_is_an_error(bundle.code):
        bundle.save()
    if items is not None:
        _set_matters(bundle, items)
    after = _snapshot(bundle)
    changed = [k for k in after if after[k] != before[k]]
    if changed:
        audit.record(
            actor=actor,
            action="catalog.bundle.update",
            obj=bundle,
            before={k: before[k] for k in changed},
            after={k: after[k] for k in changed},
        )
    return bundle
