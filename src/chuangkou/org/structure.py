"""The organisation (机构): regions, centers, departments and windows, saved by their natural keys
(区划代码; region + center name; region + department code; center + window number), so that
loading the same table again updates instead of duplicating. Center admin only; audited."""

from collections.abc import Iterable

from django.db import transaction

from chuangkou.core import audit
from chuangkou.core.errors import DomainError
from chuangkou.core.permissions import require_role
from chuangkou.core.roles import Role

from .models import BusinessCategory, Center, Department, Region, Window


def _saved(actor, obj, created: bool, fields: dict) -> None:
    kind = obj._meta.model_name
    audit.record(
        actor=actor,
        action=f"org.{kind}.{'create' if created else 'update'}",
        obj=obj,
        after=fields,
    )


@transaction.atomic
def save_region(*, actor, code: str, name: str, city: str) -> Region:
    """区县 by 区划代码: created when new; an existing code must carry the same name."""
    require_role(actor, Role.CENTER_ADMIN)
    region = Region.objects.filter(code=code).first()
    if region is None:
        region = Region.objects.create(code=code, name=name, city=city)
        _saved(actor, region, True, {"code": code, "name": name, "city": city})
    elif (region.name, region.city) != (name, city):
        raise DomainError(
            f"区划代码 {code} 在系统中是{region.city}{region.name}，与所填的{city}{name}不一致",
            field="region",
        )
    return region


@transaction.atomic
def save_center(
    *,
    actor,
    region: Region,
    name: str,
    kind: str,
    parent: Center | None = None,
    address: str = "",
) -> tuple[Center, bool]:
    """服务中心 by region and name; a sub-center's parent is in the same region."""
    require_role(actor, Role.CENTER_ADMIN)
    if kind == Center.Kind.MAIN and parent is not None:
        raise DomainError("区行政服务中心没有上级中心", field="parent")
    if parent is not None and parent.region_id != region.pk:
        raise DomainError(f"上级中心 {parent.name} 不在同一区县", field="parent")
    center, created = Center.objects.update_or_create(
        region=region, name=name, defaults={"kind": kind, "parent": parent, "address": address}
    )
    parent_name = parent.name if parent else None
    _saved(actor, center, created, {"kind": kind, "parent": parent_name, "address": address})
    return center, created


@transaction.atomic
def save_department(*, actor, region: Region, code: str, name: str) -> tuple[Department, bool]:
    """进驻部门 by region and code; a name is used by one code only."""
    require_role(actor, Role.CENTER_ADMIN)
    clash = Department.objects.filter(region=region, name=name).exclude(code=code).first()
    if clash is not None:
        raise DomainError(f"部门名称「{name}」已用于编码 {clash.code}", field="name")
    department, created = Department.objects.update_or_create(
        region=region, code=code, defaults={"name": name}
    )
    _saved(actor, department, created, {"code": code, "name": name})
    return department, created


@transaction.atomic
def save_window(
    *,
    actor,
    center: Center,
    number: str,
    name: str,
    department: Department,
    categories: Iterable[str] = (),
    is_active: bool = True,
) -> tuple[Window, bool]:
    """窗口 by center and number, with its 业务类别 (created when new)."""
    require_role(actor, Role.CENTER_ADMIN)
    if department.region_id != center.region_id:
        raise DomainError(f"部门 {department.name} 不在 {center.name} 所在区县", field="department")
    window, created = Window.objects.update_or_create(
        center=center,
        number=number,
        defaults={"name": name, "department": department, "is_active": is_active},
    )
    names = list(dict.fromkeys(categories))
    window.categories.set([BusinessCategory.objects.get_or_create(name=n)[0] for n in names])
    fields = {"name": name, "department": department.code, "categories": names}
    _saved(actor, window, created, {**fields, "is_active": is_active})
    return window, created
