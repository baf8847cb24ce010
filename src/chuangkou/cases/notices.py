"""The case notices to the applicant (built here, sent by notify): 补正 needed, accepted with its
due date, completed and ready to collect, the overdue apology. They go to the contact number
the applicant gave; the hooks in the services are one line and only queue a job."""

from django.db.models.signals import post_delete
from django.dispatch import receiver
from django.utils import timezone
from django_tasks import task

from chuangkou.notify import jobs
from chuangkou.notify import services as notify

from .models import Case

CASE = "case"
COLLECT = "请携带身份证件到中心领取结果"


def _fields(case: Case, **more) -> dict:
    return {"matter": case.matter.name, "number": case.number, **more}


def _send(kind: str, case: Case, **more) -> int:
    return len(
        notify.notify_phone(
            kind,
            phone=case.applicant_phone,
            subject_kind=CASE,
            subject_id=case.pk,
            fields=_fields(case, **more),
            center_id=case.center_id,
        )
    )


@receiver(post_delete, sender=Case, dispatch_uid="cases.notices.case_deleted")
def _case_deleted(sender, instance, **kwargs):
    notify.forget_subjects(CASE, [instance.pk])


# -- hooks -------------------------------------------------------------------------------------


def case_accepted(case: Case) -> None:
    jobs.enqueue(after_accept, case.pk)


def case_supplement(case: Case) -> None:
    jobs.enqueue(after_supplement, case.pk)


def case_completed(case: Case) -> None:
    jobs.enqueue(after_complete, case.pk)


# -- jobs --------------------------------------------------------------------------------------


def _case(case_id: int) -> Case | None:
    return Case.objects.select_related("matter").filter(pk=case_id).first()


@task(queue_name="notify")
def after_accept(case_id: int) -> int:
    case = _case(case_id)
    if case is None:
        return 0
    return _send("case_accepted", case, due=f"{case.due_date.month}月{case.due_date.day}日")


@task(queue_name="notify")
def after_supplement(case_id: int) -> int:
    case = _case(case_id)
    if case is None or case.status != Case.Status.SUPPLEMENT:
        return 0
    note = case.events.filter(action="supplement").order_by("-at", "-id").first()
    materials = getattr(note, "note", "") or "所缺材料"
    # a second 补正 of the same case is a new message: the key carries the notice's id
    return len(
        notify.notify_phone(
            "case_supplement",
            phone=case.applicant_phone,
            subject_kind=CASE,
            subject_id=case.pk,
            fields=_fields(case, materials=materials),
            center_id=case.center_id,
            key=str(getattr(note, "pk", "")),
        )
    )


@task(queue_name="notify")
def after_complete(case_id: int) -> int:
    case = _case(case_id)
    if case is None or case.status != Case.Status.COMPLETED:
        return 0
    return _send("case_completed", case, how=COLLECT)


@task(queue_name="notify")
def overdue_apologies() -> int:
    """Periodic (daily, 9:00): an apology to each applicant whose open case passed its due date
    (once per case: the deduplication key)."""
    late = Case.objects.select_related("matter").filter(
        status__in=(Case.Status.ACCEPTED, Case.Status.SUPPLEMENT),
        due_date__lt=timezone.localdate(),
    )
    return sum(_send("case_overdue", case) for case in late.exclude(applicant_phone=""))
