"""Writes to organisation and staff data. Every function audits in its own transaction."""

import datetime as dt

from django.db import IntegrityError, transaction
from django.db.models import Q
from django.db.models.functions import Length
from django.utils import timezone

from chuangkou.core import audit
from chuangkou.core.errors import DomainError, PermissionDeniedError
from chuangkou.core.validators import id_birth_date, validate_id_number, validate_mobile

from . import permissions
from .models import Assignment, Center, Department, Separation, Staff, Window

STAFF_AUDIT_FIELDS = sorted(permissions.ALL_FIELDS | {"staff_no", "status"})
HIRE_DATE_MIN = dt.date(1950, 1, 1)
MIN_WORKING_AGE = 16


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
    if hire_date is not None and hire_date < HIRE_DATE_MIN:
        raise DomainError(f"入职日期不能早于 {HIRE_DATE_MIN.year} 年。", field="hire_date")
    window = clean.get("window")
    center = clean.get("center")
    if window is not None and center is not None and window.center_id != center.pk:
        raise DomainError(f"窗口 {window.number} 不属于 {center.name}。", field="window")
    return clean


def _birthday(born: dt.date, age: int) -> dt.date:
    """The day a person born on `born` turns `age` (29 February counts from 1 March)."""
    try:
        return born.replace(year=born.year + age)
    except ValueError:
        return dt.date(born.year + age, 3, 1)


def _check_age_at_hire(hire_date: dt.date, id_number: str) -> None:
    """The birth date in the ID number must make the person at least 16 on the hire date."""
    born = id_birth_date(id_number) if id_number else None
    if born is None:
        return
    if hire_date < _birthday(born, MIN_WORKING_AGE):
        raise DomainError(
            f"按身份证号，出生于 {born:%Y-%m-%d}，入职时未满 {MIN_WORKING_AGE} 周岁："
            "请核对入职日期或身份证号。",
            field="hire_date",
        )


def _check_unique_id(id_number: str, exclude_pk: int | None = None) -> None:
    if id_number and Staff.objects.filter(id_number=id_number).exclude(pk=exclude_pk).exists():
        raise DomainError("该身份证号已登记在另一名人员名下。", field="id_number")


def next_staff_no() -> str:
    """The next CK number, counted as a number: CK99999 is followed by CK100000."""
    last = (
        Staff.objects.filter(staff_no__regex=r"^CK[0-9]+$")
        .order_by(Length("staff_no").desc(), "-staff_no")
        .values_list("staff_no", flat=True)
        .first()
    )
    number = int(last[2:]) + 1 if last else 1
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
    _check_age_at_hire(hire_date, data["id_number"])
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
    """修改人员信息: only the fields the actor may change; others raise a clear error.

    A new center or window is a 调岗 from today: it closes the current posting and opens one.
    """
    staff = Staff.objects.select_for_update().get(pk=staff.pk)
    allowed = permissions.editable_fields(actor, staff)
    if not allowed:
        raise PermissionDeniedError("您不能修改该人员的信息。")
    refused = set(changes) - allowed
    if refused:
        labels = "、".join(sorted(str(Staff._meta.get_field(f).verbose_name) for f in refused))
        raise PermissionDeniedError(f"您不能修改：{labels}。")
    data = _clean_staff_fields(changes)
    merged = {"center": staff.center, "window": staff.window, **data}
    if "window" in data or "center" in data:
        _clean_staff_fields({"window": merged["window"], "center": merged["center"]})
    if "id_number" in data:
        _check_unique_id(data["id_number"], exclude_pk=staff.pk)
    if "hire_date" in data or "id_number" in data:
        hire_date = data.get("hire_date", staff.hire_date)
        _check_age_at_hire(hire_date, data.get("id_number", staff.id_number))
    if "hire_date" in data and data["hire_date"] != staff.hire_date:
        _move_hire_date(staff, data["hire_date"])
    moved = (merged["center"], merged["window"]) != (staff.center, staff.window)
    if moved:
        _repost_from_today(staff, center=merged["center"], window=merged["window"])
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


def _move_hire_date(staff: Staff, hire_date: dt.date) -> None:
    """A corrected hire date: not after a separation nor after a later posting; the first
    posting starts on it."""
    separation = Separation.objects.filter(staff=staff).first()
    if separation is not None and hire_date > separation.date:
        raise DomainError(
            f"入职日期不能晚于离职日期 {separation.date:%Y-%m-%d}。", field="hire_date"
        )
    postings = list(staff.assignments.order_by("start_date", "pk"))
    first, later = (postings[0], postings[1:]) if postings else (None, [])
    blocking = [p for p in later if p.start_date < hire_date]
    if first is not None and first.end_date is not None and first.end_date < hire_date:
        blocking.insert(0, first)
    if blocking:
        raise DomainError(
            f"入职日期不能晚于岗位记录的开始日期 {blocking[0].start_date:%Y-%m-%d}。",
            field="hire_date",
        )
    if first is not None and first.start_date != hire_date:
        Assignment.objects.filter(pk=first.pk).update(start_date=hire_date)


def _repost_from_today(staff: Staff, *, center: Center, window: Window | None) -> None:
    """调岗 written as a posting: the open regular posting ends yesterday and one starts today
    (or, when it started today or later, takes the new center and window itself)."""
    if staff.status == Staff.Status.LEFT:
        raise DomainError(f"{staff.name} 已离职，不能再调整中心或窗口。", field="center")
    today = timezone.localdate()
    open_regular = staff.assignments.filter(kind=Assignment.Kind.REGULAR).filter(
        Q(end_date__isnull=True) | Q(end_date__gte=today)
    )
    current = open_regular.order_by("-start_date").first()
    if current is not None and current.start_date >= today:
        Assignment.objects.filter(pk=current.pk).update(center=center, window=window)
        return
    open_regular.update(end_date=today - dt.timedelta(days=1))
    Assignment.objects.create(
        staff=staff, center=center, window=window, start_date=today, note="修改人员信息"
    )


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
    later = staff.assignments.filter(start_date__gt=date).order_by("start_date").first()
    if later is not None:
        raise DomainError(
            f"离职日期不能早于岗位记录的开始日期 {later.start_date:%Y-%m-%d}。", field="date"
        )
    separation = Separation.objects.create(staff=staff, date=date, reason=reason, note=note)
    staff.assignments.filter(Q(end_date__isnull=True) | Q(end_date__gt=date)).update(end_date=date)
    Staff.objects.filter(pk=staff.pk).update(status=Staff.Status.LEFT, window=None)
    audit.record(
        actor=actor,
        action="staff.separate",
        obj=staff,
        before={"status": staff.status},
        after={"status": Staff.Status.LEFT, "date": date, "reason": reason, "note": note},
    )
    return separation


def _check_no_overlap(
    staff: Staff, *, kind: str, start: dt.date, end: dt.date | None, exclude_pk=None
) -> None:
    """Postings of one kind may not overlap; an open regular posting that began earlier is
    closed by the new one instead."""
    same = staff.assignments.filter(kind=kind).exclude(pk=exclude_pk)
    if kind == Assignment.Kind.REGULAR:
        same = same.exclude(end_date__isnull=True, start_date__lt=start)
    if end is not None:
        same = same.filter(start_date__lte=end)
    clash = same.filter(Q(end_date__isnull=True) | Q(end_date__gte=start)).first()
    if clash is not None:
        until = f"{clash.end_date:%Y-%m-%d}" if clash.end_date else "今"
        raise DomainError(
            f"与 {clash.start_date:%Y-%m-%d} 至 {until} 的{clash.get_kind_display()}岗位记录重叠。",
            field="start_date",
        )


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

    An exchange posting has an end date, goes to another center and leaves the home posting
    open; the staff member shows as 交流中 while it lasts (derived from the dates, see
    Staff.current_status). Postings of one kind never overlap.
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
    if kind not in Assignment.Kind.values:
        raise DomainError("岗位类型只能是常驻或阶段性进驻交流。", field="kind")
    if kind == Assignment.Kind.EXCHANGE and end_date is None:
        raise DomainError("阶段性进驻交流须填写结束日期。", field="end_date")
    if end_date is not None and end_date < start_date:
        raise DomainError("结束日期不能早于开始日期。", field="end_date")
    if kind == Assignment.Kind.EXCHANGE and center.pk == staff.center_id:
        raise DomainError(
            f"阶段性进驻交流须去往本人所在中心（{center.name}）以外的中心。", field="center"
        )
    _check_no_overlap(staff, kind=kind, start=start_date, end=end_date)
    if kind == Assignment.Kind.REGULAR:
        staff.assignments.filter(
            kind=kind, end_date__isnull=True, start_date__lte=start_date
        ).update(end_date=start_date - dt.timedelta(days=1))
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
    staff.save(update_fields=["center", "window", "updated_at"])
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
