"""Writes to organisation and staff data. Every function audits in its own transaction."""

import datetime as dt

from django.db import IntegrityError, transaction
from django.utils import timezone

from chuangkou.core import audit
from chuangkou.core.errors import DomainError, PermissionDeniedError
from chuangkou.core.validators import validate_id_number, validate_mobile

from . import permissions
from .models import Assignment, Center, Department, Separation, Staff, Window

STAFF_AUDIT_FIELDS = sorted(permissions.ALL_FIELDS | {"staff_no", "status"})


def _clean_staff_fields(data: dict) -> dict:
    """Normalise and check the fields of a staff record; raise DomainError naming the field."""
    clean = dict(data)
    if "name" in clean:
        clean["name"] = (clean["name"] or "").strip()
        if not clean["name"]:
            raise DomainError("请填写姓名。", field="name")
    if "phone" in clean:
        clean["phone"] = validate_mobile(clean["phone"])
    if "id_number" in clean:
        clean["id_number"] = validate_id_number(clean["id_number"])
    if "employment_type" in clean and clean["employment_type"] not in Staff.EmploymentType.values:
        raise DomainError("用工性质只能是在编、临编或派遣。", field="employment_type")
    if "gender" in clean and clean["gender"] not in Staff.Gender.values:
        raise DomainError("性别只能是男或女。", field="gender")
    for name, label in (("department", "部门"), ("center", "所在中心"), ("hire_date", "入职日期")):
        if name in clean and clean[name] is None:
            raise DomainError(f"请填写{label}。", field=name)
    hire_date = clean.get("hire_date")
    if hire_date is not None and hire_date > timezone.localdate():
        raise DomainError("入职日期不能晚于今天。", field="hire_date")
    window = clean.get("window")
    center = clean.get("center")
    if window is not None and center is not None and window.center_id != center.pk:
        raise DomainError(f"窗口 {window.number} 不属于 {center.name}。", field="window")
    return clean


def _check_unique_id(id_number: str, exclude_pk: int | None = None) -> None:
    if id_number and Staff.objects.filter(id_number=id_number).exclude(pk=exclude_pk).exists():
        raise DomainError("该身份证号已登记在另一名人员名下。", field="id_number")


def next_staff_no() -> str:
    last = Staff.objects.filter(staff_no__startswith="CK").order_by("-staff_no").first()
    number = int(last.staff_no[2:]) + 1 if last and last.staff_no[2:].isdigit() else 1
    return f"CK{number:05d}"


@transaction.atomic
def create_staff(
    *,
    actor,
    name: str,
    gender: str,
    employment_type: str,
    department: Department,
    center: Center,
    hire_date: dt.date,
    window: Window | None = None,
    category=None,
    phone: str = "",
    id_number: str = "",
    staff_no: str = "",
    user=None,
) -> Staff:
    """登记窗口人员, with a first regular posting starting on the hire date."""
    if not permissions.can_create_staff(actor, department):
        raise PermissionDeniedError("只有中心管理员或本部门负责人可以登记人员。")
    data = _clean_staff_fields(
        {
            "name": name,
            "gender": gender,
            "employment_type": employment_type,
            "department": department,
            "center": center,
            "window": window,
            "category": category,
            "hire_date": hire_date,
            "phone": phone,
            "id_number": id_number,
        }
    )
    _check_unique_id(data["id_number"])
    staff_no = (staff_no or "").strip() or next_staff_no()
    if Staff.objects.filter(staff_no=staff_no).exists():
        raise DomainError(f"工号 {staff_no} 已存在。", field="staff_no")
    try:
        with transaction.atomic():
            staff = Staff.objects.create(staff_no=staff_no, user=user, **data)
    except IntegrityError:
        raise DomainError("工号或身份证号与已有人员重复。", field="staff_no") from None
    Assignment.objects.create(
        staff=staff, center=center, window=window, start_date=hire_date, note="入职"
    )
    audit.record(
        actor=actor,
        action="staff.create",
        obj=staff,
        after=audit.snapshot(staff, STAFF_AUDIT_FIELDS),
    )
    return staff


@transaction.atomic
def update_staff(*, actor, staff: Staff, changes: dict) -> Staff:
    """修改人员信息: only the fields the actor may change; others raise a clear error."""
    staff = Staff.objects.select_for_update().get(pk=staff.pk)
    allowed = permissions.editable_fields(actor, staff)
    if not allowed:
        raise PermissionDeniedError("您不能修改该人员的信息。")
    refused = set(changes) - allowed
    if refused:
        labels = "、".join(sorted(str(Staff._meta.get_field(f).verbose_name) for f in refused))
        raise PermissionDeniedError(f"您不能修改：{labels}。")
    data = _clean_staff_fields(changes)
    if "window" in data and "center" not in data and data["window"] is not None:
        _clean_staff_fields({"window": data["window"], "center": staff.center})
    if "center" in data and "window" not in data and staff.window is not None:
        _clean_staff_fields({"window": staff.window, "center": data["center"]})
    if "id_number" in data:
        _check_unique_id(data["id_number"], exclude_pk=staff.pk)
    before = audit.snapshot(staff, STAFF_AUDIT_FIELDS)
    for name, value in data.items():
        setattr(staff, name, value)
    staff.save()
    after = audit.snapshot(staff, STAFF_AUDIT_FIELDS)
    changed = {k for k in after if after[k] != before[k]}
    if changed:
        audit.record(
            actor=actor,
            action="staff.update",
            obj=staff,
            before={k: before[k] for k in changed},
            after={k: after[k] for k in changed},
        )
    return staff


@transaction.atomic
def record_separation(
    *, actor, staff: Staff, date: dt.date, reason: str, note: str = ""
) -> Separation:
    """登记离职: closes the open posting and sets the status to 离职."""
    staff = Staff.objects.select_for_update().get(pk=staff.pk)
    if not permissions.can_manage_postings(actor, staff):
        raise PermissionDeniedError("只有中心管理员或本部门负责人可以登记离职。")
    if Separation.objects.filter(staff=staff).exists():
        raise DomainError(f"{staff.name} 已登记离职。")
    if reason not in Separation.Reason.values:
        raise DomainError("请选择离职原因。", field="reason")
    if date < staff.hire_date:
        raise DomainError("离职日期不能早于入职日期。", field="date")
    if date > timezone.localdate():
        raise DomainError("离职日期不能晚于今天：请在离职当天或之后登记。", field="date")
    separation = Separation.objects.create(staff=staff, date=date, reason=reason, note=note)
    staff.assignments.filter(end_date__isnull=True).update(end_date=date)
    Staff.objects.filter(pk=staff.pk).update(status=Staff.Status.LEFT, window=None)
    audit.record(
        actor=actor,
        action="staff.separate",
        obj=staff,
        before={"status": staff.status},
        after={"status": Staff.Status.LEFT, "date": date, "reason": reason, "note": note},
    )
    return separation


@transaction.atomic
def assign_staff(
    *,
    actor,
    staff: Staff,
    center: Center,
    start_date: dt.date,
    window: Window | None = None,
    kind: str = Assignment.Kind.REGULAR,
    end_date: dt.date | None = None,
    note: str = "",
) -> Assignment:
    """调岗 or 阶段性进驻交流: a new posting from `start_date`; a regular posting closes the last.

    An exchange posting has an end date and leaves the home posting open; the staff member
    shows as 交流中 while it lasts.
    """
    staff = Staff.objects.select_for_update().get(pk=staff.pk)
    if not permissions.can_manage_postings(actor, staff):
        raise PermissionDeniedError("只有中心管理员或本部门负责人可以调整岗位。")
    if staff.status == Staff.Status.LEFT:
        raise DomainError(f"{staff.name} 已离职，不能再安排岗位。")
    if window is not None and window.center_id != center.pk:
        raise DomainError(f"窗口 {window.number} 不属于 {center.name}。", field="window")
    if start_date < staff.hire_date:
        raise DomainError("开始日期不能早于入职日期。", field="start_date")
    if kind == Assignment.Kind.EXCHANGE and end_date is None:
        raise DomainError("阶段性进驻交流须填写结束日期。", field="end_date")
    if end_date is not None and end_date < start_date:
        raise DomainError("结束日期不能早于开始日期。", field="end_date")
    if kind == Assignment.Kind.REGULAR:
        # Closing a posting that starts on or after the new one would break its dates.
        current = (
            staff.assignments.filter(end_date__isnull=True, start_date__gte=start_date)
            .order_by("-start_date")
            .first()
        )
        if current is not None:
            raise DomainError(
                f"开始日期须晚于当前岗位的开始日期 {current.start_date:%Y-%m-%d}。",
                field="start_date",
            )
        staff.assignments.filter(end_date__isnull=True, start_date__lte=start_date).update(
            end_date=start_date - dt.timedelta(days=1)
        )
        staff.center, staff.window = center, window
    assignment = Assignment.objects.create(
        staff=staff,
        center=center,
        window=window,
        kind=kind,
        start_date=start_date,
        end_date=end_date,
        note=note,
    )
    today = timezone.localdate()
    on_exchange = staff.assignments.filter(
        kind=Assignment.Kind.EXCHANGE, start_date__lte=today, end_date__gte=today
    ).exists()
    staff.status = Staff.Status.EXCHANGE if on_exchange else Staff.Status.ACTIVE
    staff.save(update_fields=["center", "window", "status", "updated_at"])
    audit.record(
        actor=actor,
        action="staff.assign",
        obj=staff,
        after={
            "center": center.name,
            "window": window.number if window else None,
            "kind": kind,
            "start_date": start_date,
            "end_date": end_date,
        },
    )
    return assignment
