import datetime as dt

from django.shortcuts import get_object_or_404
from ninja import Query, Router, Status
from ninja.pagination import paginate

from chuangkou.core.errors import DomainError
from chuangkou.core.paging import MappedQuerySet, Pages
from chuangkou.core.permissions import require_role
from chuangkou.core.schema_types import DbId, SaneDate

from . import permissions, selectors, services
from .filters import StaffFilter
from .models import BusinessCategory, Center, Department, Staff, Window
from .schemas import (
    NamedOut,
    StaffCreateIn,
    StaffOut,
    StaffUpdateIn,
    TurnoverOut,
    WindowOut,
)

router = Router(tags=["机构与人员"])


def staff_out(staff: Staff, viewer) -> StaffOut:
    full = permissions.can_see_full_identity(viewer, staff)
    return StaffOut(
        id=staff.pk,
        staff_no=staff.staff_no,
        name=staff.name,
        gender=staff.gender,
        employment_type=staff.employment_type,
        employment_type_label=staff.get_employment_type_display(),
        category_id=staff.category_id,
        department=NamedOut(id=staff.department_id, name=staff.department.name),
        center=NamedOut(id=staff.center_id, name=staff.center.name),
        window_number=staff.window.number if staff.window else None,
        hire_date=staff.hire_date,
        status=staff.current_status,
        phone=staff.phone if full else staff.masked_phone,
        id_number=staff.id_number if full else staff.masked_id_number,
    )


@router.get("/centers", response=list[NamedOut], summary="服务中心")
def list_centers(request):
    return Center.objects.all()


@router.get("/departments", response=list[NamedOut], summary="进驻部门")
def list_departments(request):
    return Department.objects.all()


@router.get("/categories", response=list[NamedOut], summary="业务类别")
def list_categories(request):
    return BusinessCategory.objects.all()


@router.get("/windows", response=list[WindowOut], summary="窗口")
def list_windows(request, center_id: DbId | None = None):
    qs = Window.objects.filter(is_active=True)
    return qs.filter(center_id=center_id) if center_id else qs


@router.get("/staff", response=list[StaffOut], summary="人员列表（按角色可见范围）")
@paginate(Pages, page_size=50)
def list_staff(request, filters: Query[StaffFilter]):
    staff = selectors.staff_list(user=request.user, filters=filters)
    return MappedQuerySet(staff, lambda s: staff_out(s, request.user))


@router.get("/staff/{staff_id}", response=StaffOut, summary="人员详情")
def get_staff(request, staff_id: int):
    staff = get_object_or_404(selectors.staff_visible_to(request.user), pk=staff_id)
    return staff_out(staff, request.user)


def _resolve(payload: dict) -> dict:
    """Turn *_id fields into the objects the services take; unknown ids are a clear 400."""
    models = {
        "department_id": (Department, "department", "部门"),
        "center_id": (Center, "center", "中心"),
        "window_id": (Window, "window", "窗口"),
        "category_id": (BusinessCategory, "category", "业务类别"),
    }
    data = {}
    for key, value in payload.items():
        if key in models:
            model, name, label = models[key]
            if value is None:
                data[name] = None
                continue
            found = model.objects.filter(pk=value).first()
            if found is None:
                raise DomainError(f"{label}编号 {value} 不存在。", field=key)
            data[name] = found
        else:
            data[key] = value
    return data


@router.post("/staff", response={201: StaffOut}, summary="登记人员")
def create_staff(request, payload: StaffCreateIn):
    staff = services.create_staff(actor=request.user, **_resolve(payload.dict()))
    return Status(201, staff_out(staff, request.user))


@router.patch("/staff/{staff_id}", response=StaffOut, summary="修改人员信息")
def update_staff(request, staff_id: int, payload: StaffUpdateIn):
    staff = get_object_or_404(selectors.staff_visible_to(request.user), pk=staff_id)
    changes = _resolve(payload.dict(exclude_unset=True))
    staff = services.update_staff(actor=request.user, staff=staff, changes=changes)
    return staff_out(staff, request.user)


@router.get("/turnover", response=TurnoverOut, summary="流失率")
def turnover(
    request,
    start: SaneDate,
    end: dt.date,
    employment_type: str | None = None,
    department_id: DbId | None = None,
):
    require_role(request.user, *permissions.TURNOVER_ROLES)
    if end < start:
        raise DomainError("结束日期不能早于开始日期。", field="end")
    staff = selectors.narrowed(
        selectors.staff_visible_to(request.user),
        employment_type=employment_type,
        department_id=department_id,
    )
    report = selectors.turnover(start=start, end=end, staff=staff)
    return TurnoverOut(
        start=report.start,
        end=report.end,
        opening=report.opening,
        closing=report.closing,
        average_headcount=float(report.average_headcount),
        separations=report.separations,
        rate_percent=float(report.rate) if report.rate is not None else None,
        by_reason=report.by_reason,
    )
