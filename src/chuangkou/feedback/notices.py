"""Rating notices (built here, sent by notify): to the citizen after a bad rating, when the
callback is scheduled and when the rectification is done; to the department heads of an
overdue rectification. The hooks in the services are one line and only queue a job."""

from django_tasks import task

from chuangkou.notify import jobs
from chuangkou.notify import services as notify

from .models import Evaluation, Rectification

RATING = "rating"


def _day(value) -> str:
    return f"{value.month}月{value.day}日前"


def _to_citizen(kind: str, evaluation: Evaluation, fields: dict) -> int:
    return len(
        notify.notify_phone(
            kind,
            phone=evaluation.contact_phone,
            subject_kind=RATING,
            subject_id=evaluation.pk,
            fields=fields,
            center_id=evaluation.center_id,
        )
    )


# -- hooks -------------------------------------------------------------------------------------


def callback_scheduled(rectification: Rectification) -> None:
    jobs.enqueue(after_bad_rating, rectification.pk)


def rectified(rectification: Rectification) -> None:
    jobs.enqueue(after_rectification, rectification.pk)


# -- jobs --------------------------------------------------------------------------------------


def _rectification(pk: int) -> Rectification | None:
    return Rectification.objects.select_related("evaluation").filter(pk=pk).first()


@task(queue_name="notify")
def after_bad_rating(rectification_id: int) -> int:
    found = _rectification(rectification_id)
    if found is None:
        return 0
    return _to_citizen("rating_callback", found.evaluation, {"when": _day(found.callback_due)})


@task(queue_name="notify")
def after_rectification(rectification_id: int) -> int:
    found = _rectification(rectification_id)
    if found is None or found.state != Rectification.State.RECTIFIED:
        return 0
    summary = " ".join(found.reply.split())
    return _to_citizen("rating_rectified", found.evaluation, {"summary": summary})


@task(queue_name="notify")
def overdue_to_heads() -> int:
    """Periodic (daily, 8:30, after the overdue flag is set): each head of the rated department
    is told of each overdue rectification, once."""
    from chuangkou.org.models import Staff

    sent = 0
    overdue = Rectification.objects.filter(state=Rectification.State.OVERDUE).select_related(
        "evaluation__department"
    )
    for found in overdue:
        department = found.evaluation.department
        if department is None:
            continue
        for head in department.heads.all():
            staff = Staff.objects.filter(user=head).first()
            sent += len(
                notify.notify_user(
                    "staff_rectification_overdue",
                    user=head,
                    phone=staff.phone if staff else "",
                    fields={
                        "name": head.display_name or head.username,
                        "title": f"{found.evaluation.subject_label}差评",
                    },
                    key=str(found.pk),
                    center_id=found.evaluation.center_id,
                )
            )
    return sent
