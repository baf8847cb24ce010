"""办事指南 API: public reads (no sign-in) and the staff's writes, through the same services and
selectors as the pages."""

from django.shortcuts import get_object_or_404
from django.urls import reverse
from ninja import Path, Query, Router, Status
from ninja.pagination import paginate

from chuangkou.core.errors import DomainError, PermissionDeniedError
from chuangkou.core.paging import MappedQuerySet, Pages
from chuangkou.core.permissions import require_role
from chuangkou.org.models import Department

from . import permissions, selectors, services
from .filters import GuideFilter, MatterFilter
from .models import CODE_REGEX, Bundle, Material, Matter
from .schemas import (
    BundleIn,
    BundleOut,
    BundleSummaryOut,
    BundleUpdateIn,
    DepartmentOut,
    MaterialIn,
    MaterialOut,
    MatterIn,
    MatterOut,
    MatterSummaryOut,
    MatterUpdateIn,
    MergedMaterialOut,
)
from .services.cleaning import is_code

router = Router(tags=["办事指南"])
# A code in a path: letters, digits, . _ - (anything else is a 422, never a database error).
Code = Path(..., pattern=f"^{CODE_REGEX}$", description="编码")


def _file_url(material: Material, kind: str) -> str | None:
    if not getattr(material, kind):
        return None
    return reverse("catalog:material_file", args=[material.pk, kind])


def matter_summary(matter: Matter) -> MatterSummaryOut:
    return MatterSummaryOut(
        code=matter.code,
        name=matter.name,
        department=DepartmentOut(id=matter.department_id, name=matter.department.name),
        kind=matter.kind,
        kind_label=matter.get_kind_display(),
        promised_days=matter.promised_days,
        max_visits=matter.max_visits,
        visits_label=matter.visits_label,
        online=matter.online,
        is_active=matter.is_active,
        guide_url=reverse("catalog:matter_guide", args=[matter.code]),
    )


def matter_out(matter: Matter) -> MatterOut:
    materials = [
        MaterialOut(
            name=m.name,
            requirement=m.requirement,
            condition=m.condition,
            form=m.form,
            form_label=m.get_form_display(),
            copies=m.copies,
            template_url=_file_url(m, "template"),
            sample_url=_file_url(m, "sample"),
        )
        for m in matter.materials.all()
    ]
    return MatterOut(
        **matter_summary(matter).dict(),
        conditions=matter.conditions,
        legal_basis=matter.legal_basis,
        fee=matter.fee,
        materials=materials,
    )


def bundle_summary(bundle: Bundle) -> BundleSummaryOut:
    return BundleSummaryOut(
        code=bundle.code,
        name=bundle.name,
        description=bundle.description,
        guide_url=reverse("catalog:bundle_guide", args=[bundle.code]),
    )


def bundle_out(bundle: Bundle) -> BundleOut:
    guide = selectors.bundle_guide(bundle)
    materials = [
        MergedMaterialOut(
            name=item.name,
            requirement=item.requirement,
            conditions=item.conditions,
            form=item.form,
            form_label=item.form_label,
            copies=item.copies,
            matters=[m.code for m in item.matters],
        )
        for item in guide.materials
    ]
    return BundleOut(
        **bundle_summary(bundle).dict(),
        promised_days=guide.promised_days,
        serial_days=guide.serial_days,
        max_visits=guide.max_visits,
        matters=[matter_summary(m) for m in guide.matters],
        materials=materials,
    )


# ---- public ---------------------------------------------------------------------------------


@router.get(
    "/matters", response=list[MatterSummaryOut], auth=None, summary="搜索事项（公开，无需登录）"
)
@paginate(Pages, page_size=20)
def search_matters(request, filters: Query[GuideFilter]):
    return MappedQuerySet(selectors.guide_matters(filters), matter_summary)


@router.get("/matters/{code}", response=MatterOut, auth=None, summary="事项办事指南（公开）")
def get_matter(request, code: str = Code):
    matter = get_object_or_404(selectors.public_matters().prefetch_related("materials"), code=code)
    return matter_out(matter)


@router.get("/bundles", response=list[BundleSummaryOut], auth=None, summary="“一件事”列表（公开）")
def list_bundles(request, q: str | None = None):
    return [bundle_summary(b) for b in selectors.search_bundles(q)]


@router.get(
    "/bundles/{code}", response=BundleOut, auth=None, summary="“一件事”办事指南与合并材料（公开）"
)
def get_bundle(request, code: str = Code):
    return bundle_out(get_object_or_404(selectors.public_bundles(), code=code))


# ---- staff ----------------------------------------------------------------------------------


@router.get("/manage/matters", response=list[MatterSummaryOut], summary="本人维护的事项（含停用）")
@paginate(Pages, page_size=50)
def managed_matters(request, filters: Query[MatterFilter]):
    return MappedQuerySet(
        selectors.managed_matters(user=request.user, filters=filters), matter_summary
    )


def _department(department_id: int) -> Department:
    found = Department.objects.filter(pk=department_id).first()
    if found is None:
        raise DomainError(f"部门编号 {department_id} 不存在。", field="department_id")
    return found


def _matter(code: str) -> Matter:
    return get_object_or_404(Matter.objects.select_related("department"), code=code)


def _reloaded(matter: Matter) -> MatterOut:
    return matter_out(
        Matter.objects.select_related("department").prefetch_related("materials").get(pk=matter.pk)
    )


@router.post("/matters", response={201: MatterOut}, summary="新增事项")
def create_matter(request, payload: MatterIn):
    require_role(request.user, *permissions.CATALOG_EDITORS)
    data = payload.dict()
    data["department"] = _department(data.pop("department_id"))
    matter = services.create_matter(actor=request.user, **data)
    return Status(201, _reloaded(matter))


@router.patch("/matters/{code}", response=MatterOut, summary="修改事项（只改提交的字段）")
def update_matter(request, payload: MatterUpdateIn, code: str = Code):
    changes = payload.dict(exclude_unset=True)
    materials = changes.pop("materials", None)
    if "department_id" in changes:
        changes["department"] = _department(changes.pop("department_id"))
    matter = services.update_matter(
        actor=request.user, matter=_matter(code), changes=changes, materials=materials
    )
    return _reloaded(matter)


@router.put("/matters/{code}/materials", response=MatterOut, summary="设置事项的申请材料")
def set_materials(request, payload: list[MaterialIn], code: str = Code):
    matter = _matter(code)
    services.set_materials(actor=request.user, matter=matter, materials=[m.dict() for m in payload])
    return _reloaded(matter)


@router.post("/matters/{code}/deactivate", response=MatterOut, summary="停用事项")
def deactivate_matter(request, code: str = Code):
    return _reloaded(services.deactivate_matter(actor=request.user, matter=_matter(code)))


@router.post("/matters/{code}/reactivate", response=MatterOut, summary="恢复在用")
def reactivate_matter(request, code: str = Code):
    return _reloaded(services.reactivate_matter(actor=request.user, matter=_matter(code)))


def _require_bundle_manager(user) -> None:
    if not permissions.can_manage_bundles(user):
        raise PermissionDeniedError("只有中心管理员可以维护“一件事”。")


def _matters_by_code(codes: list[str]) -> list[Matter]:
    valid = [c for c in codes if is_code(c)]
    found = {m.code: m for m in Matter.objects.filter(code__in=valid)}
    missing = [c for c in codes if c not in found]
    if missing:
        raise DomainError(f"事项编码不存在：{'、'.join(missing[:10])}。", field="matter_codes")
    return [found[c] for c in codes]


@router.post("/bundles", response={201: BundleOut}, summary="新增一件事（中心管理员）")
def create_bundle(request, payload: BundleIn):
    _require_bundle_manager(request.user)
    bundle = services.create_bundle(
        actor=request.user,
        code=payload.code,
        name=payload.name,
        description=payload.description,
        matters=_matters_by_code(payload.matter_codes),
    )
    return Status(201, bundle_out(bundle))


@router.patch("/bundles/{code}", response=BundleOut, summary="修改一件事（中心管理员）")
def update_bundle(request, payload: BundleUpdateIn, code: str = Code):
    _require_bundle_manager(request.user)
    bundle = get_object_or_404(Bundle, code=code)
    changes = payload.dict(exclude_unset=True)
    if "matter_codes" in changes:
        changes["matters"] = _matters_by_code(changes.pop("matter_codes") or [])
    return bundle_out(services.update_bundle(actor=request.user, bundle=bundle, changes=changes))
