"""暗访记录: the supervisor files the report of one assigned visit; each 不符合 becomes a finding
against the window and the person on duty, to be confirmed or disputed by the department."""

import datetime as dt
from dataclasses import dataclass

from django.db import transaction
from django.utils import timezone

from chuangkou.core import audit, uploads
from chuangkou.core.calendar import add_working_days
from chuangkou.core.errors import DomainError, PermissionDeniedError
from chuangkou.core.params import in_window
from chuangkou.org.models import Window

from .. import checklists, notices
from ..duty import lobby_manager_on_duty, on_duty
from ..models import (
    Finding,
    Observation,
    ObservedWindow,
    SecretVisit,
    Supervisor,
    VisitAssignment,
    VisitPhoto,
)
from .common import text

MAX_PHOTOS = 6
MAX_WINDOWS = 20
CONFIRM_WORKING_DAYS = 3
PHOTO_FOLDER = "supervision/visits"
Result = Observation.Result


@dataclass(frozen=True)
class Check:
    """One answered checklist item: at a window (its number) or in the lobby (window "")."""

    item: str
    result: str
    window: str = ""
    note: str = ""


def _supervisor_of(actor) -> Supervisor:
    supervisor = Supervisor.objects.filter(user=actor, is_active=True).first() if actor else None
    if supervisor is None:
        raise PermissionDeniedError("只有在聘的义务行风监督员可以提交暗访记录。")
    return supervisor


def _check_time(assignment: VisitAssignment, visited_at: dt.datetime) -> dt.datetime:
    if timezone.is_naive(visited_at):
        visited_at = timezone.make_aware(visited_at)
    if visited_at > timezone.now():
        raise DomainError("暗访时间不能晚于现在。", field="visited_at")
    if not in_window(visited_at.date()):  # before any conversion, which would overflow
        raise DomainError("暗访时间须在 2000 年至 2100 年之间。", field="visited_at")
    if timezone.localtime(visited_at).date() != assignment.date:
        raise DomainError(
            f"暗访时间须在计划安排的日期（{assignment.date:%Y-%m-%d}）当天。", field="visited_at"
        )
    return visited_at


def _windows(supervisor: Supervisor, assignment, numbers: list[str]) -> list[Window]:
    wanted = list(dict.fromkeys(n.strip().upper() for n in numbers if n and n.strip()))
    if not wanted:
        raise DomainError("请至少填写一个观察的窗口号。", field="windows")
    if len(wanted) > MAX_WINDOWS:
        raise DomainError(f"一次暗访最多记录 {MAX_WINDOWS} 个窗口。", field="windows")
    found = {
        w.number.upper(): w
        for w in Window.objects.filter(center=assignment.center, is_active=True).select_related(
            "department"
        )
    }
    missing = [n for n in wanted if n not in found]
    if missing:
        raise DomainError(
            f"{assignment.center.name}没有窗口 {'、'.join(missing)}，请核对窗口号。",
            field="windows",
        )
    windows = [found[n] for n in wanted]
    own = [w.number for w in windows if w.department_id == supervisor.former_department_id]
    if own:
        raise DomainError(
            f"窗口 {'、'.join(own)} 属于您的原工作部门，按回避规定不能暗访。", field="windows"
        )
    return windows


def _observations(checks: list[Check], windows: list[Window]) -> list[tuple]:
    """(item, window or None, result, note) for every item of every window and the lobby;
    items not answered count as 未观察."""
    by_number = {w.number.upper(): w for w in windows}
    answered: dict[tuple[str, str], Check] = {}
    for check in checks:
        item = checklists.item(check.item)
        if item is None:
            raise DomainError(f"未知的检查项：{check.item[:20]}。", field="checks")
        number = (check.window or "").strip().upper()
        if item.scope == "window" and number not in by_number:
            raise DomainError(
                f"检查项“{item.label}”的窗口 {number or '（空）'} 不在本次观察的窗口中。",
                field="checks",
            )
        if check.result not in Result.values:
            raise DomainError("检查结果须为 符合 / 不符合 / 未观察。", field="checks")
        key = (item.code, number if item.scope == "window" else "")
        answered[key] = check
    rows = []
    for window in windows:
        for item in checklists.items("window"):
            rows.append((item, window, answered.get((item.code, window.number.upper()))))
    for item in checklists.items("lobby"):
        rows.append((item, None, answered.get((item.code, ""))))
    return [
        (
            item,
            window,
            check.result if check else Result.UNSEEN,
            text(check.note if check else "", field="checks", what="说明", limit=500),
        )
        for item, window, check in rows
    ]


def _prepare_photos(photos) -> list[uploads.PreparedUpload]:
    photos = list(photos or [])
    if len(photos) > MAX_PHOTOS:
        raise DomainError(f"最多上传 {MAX_PHOTOS} 张照片。", field="photos")
    return [uploads.prepare_upload(p, kinds=uploads.IMAGES, field="photos") for p in photos]


@transaction.atomic
def file_visit(
    *,
    actor,
    assignment: VisitAssignment,
    visited_at: dt.datetime,
    windows: list[str],
    checks: list[Check],
    summary: str = "",
    photos=(),
) -> SecretVisit:
    """提交暗访记录 for one of the supervisor's own assignments."""
    supervisor = _supervisor_of(actor)
    assignment = (
        VisitAssignment.objects.select_for_update().select_related("center").get(pk=assignment.pk)
    )
    if assignment.supervisor_id != supervisor.pk:
        raise PermissionDeniedError("这不是您的暗访安排。")
    if SecretVisit.objects.filter(assignment=assignment).exists():
        raise DomainError("本次暗访已提交过记录。", field="assignment")
    visited_at = _check_time(assignment, visited_at)
    observed = _windows(supervisor, assignment, windows)
    rows = _observations(list(checks), observed)
    prepared = _prepare_photos(photos)
    today = timezone.localdate()
    visit = SecretVisit.objects.create(
        assignment=assignment,
        supervisor=supervisor,
        center=assignment.center,
        visited_at=visited_at,
        summary=text(summary, field="summary", what="总体印象", limit=2000),
        lobby_staff=lobby_manager_on_duty(assignment.center, visited_at),
        filed_at=timezone.now(),
        confirm_due=add_working_days(today, CONFIRM_WORKING_DAYS),
    )
    duty = {}
    for window in observed:
        duty[window.pk] = on_duty(window, visited_at)
        ObservedWindow.objects.create(
            visit=visit, window=window, staff=duty[window.pk].staff, source=duty[window.pk].source
        )
    findings = 0
    for item, window, result, note in rows:
        observation = Observation.objects.create(
            visit=visit,
            window=window,
            item=item.code,
            item_label=item.label,
            group=item.group,
            result=result,
            note=note,
        )
        if result == Result.BAD:
            staff = duty[window.pk].staff if window else visit.lobby_staff
            _open_finding(visit, observation, window, staff)
            findings += 1
    _save_photos(visit, prepared)
    audit.record(
        actor=actor,
        action="supervision.visit.file",
        obj=visit,
        after={
            "assignment": assignment.pk,
            "center": assignment.center_id,
            "visited_at": visited_at,
            "windows": [w.number for w in observed],
            "findings": findings,
            "photos": len(prepared),
        },
    )
    return visit


def _open_finding(visit, observation, window, staff) -> Finding:
    department_id = window.department_id if window else (staff.department_id if staff else None)
    finding = Finding.objects.create(
        observation=observation,
        visit=visit,
        window=window,
        staff=staff,
        department_id=department_id,
        item=observation.item,
        item_label=observation.item_label,
        note=observation.note,
        confirm_due=visit.confirm_due,
    )
    notices.finding_opened(finding)  # the department head is told
    return finding


def _save_photos(visit: SecretVisit, prepared: list[uploads.PreparedUpload]) -> None:
    """Write the photos last; if a write fails, remove those already written (the transaction
    rolls the rows back)."""
    saved: list[str] = []
    try:
        for photo in prepared:
            stored = uploads.save_prepared(photo, folder=PHOTO_FOLDER)
            saved.append(stored.name)
            VisitPhoto.objects.create(
                visit=visit,
                file=stored.name,
                content_type=stored.content_type,
                size=stored.size,
                sha256=stored.sha256,
            )
    except BaseException:
        for name in saved:
            uploads.delete_upload(name)
        raise


@transaction.atomic
def add_visit_photos(*, actor, visit: SecretVisit, photos) -> list[VisitPhoto]:
    """补传照片 (the supervisor, the day of the visit): up to 6 photos per visit in all."""
    supervisor = _supervisor_of(actor)
    visit = SecretVisit.objects.select_for_update().get(pk=visit.pk)
    if visit.supervisor_id != supervisor.pk:
        raise PermissionDeniedError("这不是您的暗访记录。")
    if timezone.localtime(visit.filed_at).date() != timezone.localdate():
        raise DomainError("只能在提交暗访记录的当天补传照片。", field="photos")
    photos = list(photos or [])
    if not photos:
        raise DomainError("请选择要上传的照片。", field="photos")
    if visit.photos.count() + len(photos) > MAX_PHOTOS:
        raise DomainError(f"每次暗访最多 {MAX_PHOTOS} 张照片。", field="photos")
    before = set(visit.photos.values_list("pk", flat=True))
    _save_photos(visit, _prepare_photos(photos))
    added = list(visit.photos.exclude(pk__in=before))
    audit.record(
        actor=actor, action="supervision.visit.photos", obj=visit, after={"added": len(added)}
    )
    return added
