"""Every write of the pre-review (预审), one function per use case.

The person (no account) acts through the pre-review's link; the services that take no `actor`
are those. Reviewers act with `actor`. Files go through core.uploads (type from the bytes,
≤ 20 MB, stored privately under a random name); a replaced file is removed once the new one is
committed, and a file saved in a transaction that then fails is removed again.
"""

import datetime as dt

from django.conf import settings
from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from chuangkou.cases import services as cases_services
from chuangkou.catalog.models import Material, Matter
from chuangkou.core import audit, ratelimit, uploads
from chuangkou.core.errors import DomainError, PermissionDeniedError
from chuangkou.core.middleware import current_ip
from chuangkou.core.validators import validate_mobile
from chuangkou.hall.models import AppointmentSlot, Ticket
from chuangkou.hall.services import book_appointment
from chuangkou.hall.services.tickets import create_ticket
from chuangkou.org.models import Center

from . import permissions, problems, selectors
from .models import PreReview, PreReviewItem, ReviewRecord

MAX_BYTES = 20 * 1024 * 1024
KINDS = uploads.IMAGES_AND_DOCUMENTS
FOLDER = "prereview"
STARTS_PER_HOUR = 20  # new pre-reviews from one address per hour
UPLOADS_PER_HOUR = 120  # files uploaded to one pre-review per hour
OPEN_TICKET = (Ticket.Status.WAITING, Ticket.Status.CALLED, Ticket.Status.SERVING)


def file_days() -> int:
    """Days after the case closes that the materials' files are kept (setting, default 30)."""
    return int(getattr(settings, "PREREVIEW_FILE_DAYS", 30))


def abandoned_days() -> int:
    """Days after the last activity that the files of a pre-review without a case are kept."""
    return int(getattr(settings, "PREREVIEW_ABANDONED_DAYS", 180))


def _locked(prereview: PreReview) -> PreReview:
    return (
        PreReview.objects.select_for_update(of=("self",))
        .select_related("matter", "center")
        .get(pk=prereview.pk)
    )


def _clean_text(value: str, *, limit: int, field: str, what: str) -> str:
    value = (value or "").strip()
    if "\x00" in value:
        raise DomainError("提交的内容包含无效字符（NUL）。", field=field)
    if len(value) > limit:
        raise DomainError(f"{what}不能超过 {limit} 个字。", field=field)
    return value


# -- the person -------------------------------------------------------------------------------


@transaction.atomic
def start_prereview(
    *, matter: Matter, center: Center, applicant_name: str, phone: str
) -> PreReview:
    """发起预审: one item per material of the matter (the required ones must all pass)."""
    if not matter.is_active:
        raise DomainError(f"事项“{matter.name}”已停用，不能预审。", field="matter")
    materials = list(Material.objects.filter(matter=matter).order_by("order", "id"))
    if not any(m.requirement == Material.Requirement.REQUIRED for m in materials):
        raise DomainError("该事项没有需要提交的材料，无需预审。", field="matter")
    name = _clean_text(applicant_name, limit=100, field="applicant_name", what="姓名")
    if not name:
        raise DomainError("请填写申请人姓名或企业名称。", field="applicant_name")
    phone = validate_mobile(phone)
    if not phone:
        raise DomainError("请填写手机号，预审结果和取号都要用到。", field="phone")
    address = current_ip()
    if address:
        ratelimit.check_rate(
            "prereview-start",
            address,
            limit=STARTS_PER_HOUR,
            seconds=3600,
            message="发起预审过于频繁，请 1 小时后再试。",
        )
    prereview = PreReview.objects.create(
        matter=matter, center=center, applicant_name=name, phone=phone, started_at=timezone.now()
    )
    PreReviewItem.objects.bulk_create(
        PreReviewItem(
            prereview=prereview,
            material=m,
            required=m.requirement == Material.Requirement.REQUIRED,
        )
        for m in materials
    )
    return prereview


def upload_material(*, prereview: PreReview, item: PreReviewItem, upload) -> PreReviewItem:
    """上传材料: checked before anything is written; only a failed material may be replaced
    once the pre-review is under way."""
    if item.prereview_id != prereview.pk:
        raise DomainError("该材料不属于这份预审。", field="material")
    prepared = uploads.prepare_upload(upload, kinds=KINDS, max_bytes=MAX_BYTES, field="file")
    stored = uploads.save_prepared(prepared, folder=FOLDER)
    try:
        return _attach(prereview, item, stored)
    except BaseException:
        uploads.delete_upload(stored.name)
        raise


@transaction.atomic
def _attach(prereview: PreReview, item: PreReviewItem, stored) -> PreReviewItem:
    prereview = _locked(prereview)
    item = PreReviewItem.objects.select_related("material").get(pk=item.pk)
    if prereview.files_deleted_at is not None or prereview.case_id is not None:
        raise DomainError("这份预审已结束，不能再上传材料。", field="file")
    if prereview.status == PreReview.Status.REVIEWING:
        raise DomainError("材料正在预审中，请等待审核结果后再修改。", field="file")
    if prereview.status == PreReview.Status.PASSED:
        raise DomainError("预审已通过，材料不能再修改。", field="file")
    if prereview.status == PreReview.Status.NEEDS_FIX and item.status == item.Status.PASSED:
        raise DomainError(f"“{item.material.name}”已通过审核，只需补正未通过的材料。", field="file")
    ratelimit.check_rate(
        "prereview-upload",
        str(prereview.pk),
        limit=UPLOADS_PER_HOUR,
        seconds=3600,
        message="上传过于频繁，请稍后再试。",
    )
    old = item.file
    item.file = stored.name
    item.content_type = stored.content_type
    item.size = stored.size
    item.sha256 = stored.sha256
    item.original_name = stored.original_name
    item.uploads += 1
    item.uploaded_at = timezone.now()
    if item.status != item.Status.NEEDS_FIX:
        item.status = item.Status.PENDING
    item.save()
    if old:  # the replaced file goes once the new one is committed (kept if this rolls back)
        transaction.on_commit(lambda: uploads.delete_upload(old))
    return item


@transaction.atomic
def submit_prereview(*, prereview: PreReview) -> PreReview:
    """提交预审 (or 提交补正): every required material uploaded, every failed one replaced."""
    prereview = _locked(prereview)
    if prereview.status == PreReview.Status.REVIEWING:
        raise DomainError("材料已提交，正在预审中，请勿重复提交。")
    if prereview.status == PreReview.Status.PASSED:
        raise DomainError("预审已通过，无需再提交。")
    if prereview.files_deleted_at is not None:
        raise DomainError("这份预审已结束。")
    items = list(prereview.items.select_related("material"))
    missing = [i.material.name for i in items if i.required and not i.file]
    if missing:
        raise DomainError(f"还有必需材料未上传：{'、'.join(missing)}。", field="file")
    now = timezone.now()
    if prereview.status == PreReview.Status.NEEDS_FIX:
        fixed = [i for i in items if i.replaced]
        waiting = [
            i.material.name for i in items if i.status == i.Status.NEEDS_FIX and not i.replaced
        ]
        if waiting:
            raise DomainError(f"请先重新上传需补正的材料：{'、'.join(waiting)}。", field="file")
        PreReviewItem.objects.filter(pk__in=[i.pk for i in fixed]).update(
            status=PreReviewItem.Status.PENDING
        )
    prereview.status = PreReview.Status.REVIEWING
    prereview.submissions += 1
    prereview.submitted_at = now
    prereview.save(update_fields=["status", "submissions", "submitted_at"])
    return prereview


# -- the reviewer -----------------------------------------------------------------------------


def _check_reviewer(actor, prereview: PreReview) -> None:
    if not permissions.can_review(actor, prereview):
        raise PermissionDeniedError("只有本中心办理该事项的窗口人员或中心管理员可以预审。")


@transaction.atomic
def review_item(
    *, actor, item: PreReviewItem, decision: str, problem: str = "", note: str = ""
) -> PreReviewItem:
    """预审一份材料: 通过, or 需补正 with a reason from the material's common problems. When no
    material is left to check, the pre-review is complete (all passed) or goes back to the
    person (补正, one more round)."""
    prereview = _locked(item.prereview)
    _check_reviewer(actor, prereview)
    item = (
        PreReviewItem.objects.select_for_update(of=("self",))
        .select_related("material")
        .get(pk=item.pk)
    )
    if decision not in ReviewRecord.Decision.values:
        raise DomainError("请选择审核结论：通过或需补正。", field="decision")
    if prereview.status != PreReview.Status.REVIEWING:
        raise DomainError(f"这份预审当前为“{prereview.get_status_display()}”，不能审核。")
    if item.status != item.Status.PENDING:
        raise DomainError(
            f"“{item.material.name}”当前为“{item.get_status_display()}”，无需再审核。"
        )
    note = _clean_text(note, limit=500, field="note", what="审核意见")
    label = ""
    if decision == ReviewRecord.Decision.FIX:
        label = problems.label_of(item.material.name, problem or "") or ""
        if not label:
            raise DomainError("请选择需补正的原因。", field="problem")
    else:
        problem = ""
    now = timezone.now()
    before = {"status": item.status}
    item.status = (
        item.Status.PASSED if decision == ReviewRecord.Decision.PASS else item.Status.NEEDS_FIX
    )
    item.problem, item.problem_label, item.note = problem, label, note
    item.reviewed_by, item.reviewed_at = actor, now
    item.save()
    ReviewRecord.objects.create(
        item=item,
        submission=prereview.submissions,
        decision=decision,
        problem=problem,
        problem_label=label,
        note=note,
        reviewer=actor,
        at=now,
    )
    audit.record(
        actor=actor,
        action="prereview.review",
        obj=prereview,
        before=before,
        after={
            "material": item.material.name,
            "decision": decision,
            "problem": label,
            "note": note,
            "submission": prereview.submissions,
        },
    )
    _settle(prereview, now)
    return item


def _settle(prereview: PreReview, now: dt.datetime) -> None:
    statuses = list(prereview.items.values_list("status", "required"))
    if any(s == PreReviewItem.Status.PENDING for s, _ in statuses):
        return
    if any(s == PreReviewItem.Status.NEEDS_FIX for s, _ in statuses):
        prereview.status = PreReview.Status.NEEDS_FIX
        prereview.fix_rounds += 1
        prereview.save(update_fields=["status", "fix_rounds"])
        return
    if all(s == PreReviewItem.Status.PASSED for s, required in statuses if required):
        prereview.status = PreReview.Status.PASSED
        prereview.passed_at = now
        prereview.save(update_fields=["status", "passed_at"])


# -- after it passed: appointment, priority ticket, the case at the window --------------------


def _check_passed(prereview: PreReview) -> None:
    if prereview.status != PreReview.Status.PASSED:
        raise DomainError("预审通过后才能预约或取号。")
    if prereview.case_id is not None:
        raise DomainError("该预审已受理办件，无需再取号。")


@transaction.atomic
def take_priority_ticket(*, prereview: PreReview) -> Ticket:
    """预审通过优先号: a priority number in a queue of the center that serves the matter. One
    open number at a time (asking again gives the same number)."""
    prereview = _locked(prereview)
    _check_passed(prereview)
    if prereview.ticket_id is not None:
        current = Ticket.objects.get(pk=prereview.ticket_id)
        if current.service_date == timezone.localdate() and current.status in OPEN_TICKET:
            return current
    queue = selectors.queues_for(prereview).first()
    if queue is None:
        raise DomainError("该中心暂无办理此事项的取号队列，请到现场咨询大堂经理。")
    ticket = create_ticket(
        queue=queue,
        channel=Ticket.Channel.PHONE,
        matter=prereview.matter,
        priority_reason=Ticket.PriorityReason.OTHER,
        phone=prereview.phone,
        note="材料预审通过优先号",
    )
    prereview.ticket = ticket
    prereview.save(update_fields=["ticket"])
    audit.record(
        actor=None,
        action="prereview.ticket",
        obj=prereview,
        after={"ticket": ticket.number, "queue": queue.name},
    )
    return ticket


@transaction.atomic
def book_from_prereview(*, prereview: PreReview, slot: AppointmentSlot):
    """预约: a slot of a queue of the center that serves the matter, booked with the phone."""
    prereview = _locked(prereview)
    _check_passed(prereview)
    if not selectors.queues_for(prereview).filter(pk=slot.queue_id).exists():
        raise DomainError("该时段不办理此事项，请选择其他时段。", field="slot")
    if prereview.appointment_id is not None and prereview.appointment.status == "booked":
        raise DomainError("您已预约，请勿重复预约；如需改期请先取消原预约。", field="slot")
    appointment = book_appointment(slot=slot, phone=prereview.phone)
    prereview.appointment = appointment
    prereview.save(update_fields=["appointment"])
    return appointment


@transaction.atomic
def accept_case_from_prereview(
    *,
    actor,
    prereview: PreReview,
    applicant_kind: str,
    applicant_name: str,
    applicant_id: str,
    applicant_phone: str = "",
    ticket: Ticket | None = None,
):
    """窗口受理 from a completed pre-review: the case is accepted through the cases services and
    carries the pre-review (its materials are already checked and attached)."""
    prereview = _locked(prereview)
    _check_reviewer(actor, prereview)
    if prereview.status != PreReview.Status.PASSED:
        raise DomainError("只有预审通过的材料可以据此受理。")
    if prereview.case_id is not None:
        raise DomainError("该预审已受理过办件。")
    case = cases_services.accept_case(
        actor=actor,
        applicant_kind=applicant_kind,
        applicant_name=applicant_name,
        applicant_id=applicant_id,
        applicant_phone=applicant_phone or prereview.phone,
        ticket=ticket,
        matter=prereview.matter,
    )
    prereview.case = case
    prereview.save(update_fields=["case"])
    audit.record(
        actor=actor, action="prereview.accept_case", obj=prereview, after={"case": case.number}
    )
    return case


# -- files kept N days after the case closes --------------------------------------------------


def expired_prereviews(now: dt.datetime | None = None):
    """Pre-reviews whose files are due for deletion: the case closed more than `file_days()`
    ago, or no case and nothing happened for `abandoned_days()`."""
    now = now or timezone.now()
    closed_before = now - dt.timedelta(days=file_days())
    idle_before = now - dt.timedelta(days=abandoned_days())
    return PreReview.objects.filter(files_deleted_at__isnull=True).filter(
        Q(case__completed_at__lt=closed_before) & ~Q(case__status__in=["accepted", "supplement"])
        | Q(case__isnull=True, started_at__lt=idle_before)
        & (Q(submitted_at__isnull=True) | Q(submitted_at__lt=idle_before))
    )


def purge_expired_files(
    *, actor=None, now: dt.datetime | None = None, dry_run: bool = False
) -> int:
    """Delete the files of every expired pre-review (one transaction and audit entry each)."""
    due = list(expired_prereviews(now).values_list("pk", flat=True))
    if dry_run:
        return len(due)
    for pk in due:
        _purge_one(actor=actor, pk=pk)
    return len(due)


def _purge_one(*, actor, pk: int) -> None:
    with transaction.atomic():
        prereview = PreReview.objects.select_for_update(of=("self",)).get(pk=pk)
        if prereview.files_deleted_at is not None:
            return
        names = [n for n in prereview.items.values_list("file", flat=True) if n]
        prereview.items.update(file="")
        prereview.files_deleted_at = timezone.now()
        prereview.save(update_fields=["files_deleted_at"])
        audit.record(
            actor=actor,
            action="prereview.files_deleted",
            obj=prereview,
            after={"files": len(names), "case": prereview.case_id},
        )
        transaction.on_commit(lambda: [uploads.delete_upload(n) for n in names])
