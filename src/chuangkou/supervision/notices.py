"""Staff notices of supervision (built here, sent by notify): the head of the department a
secret-visit finding concerns is told it waits for their confirmation. One-line hook, one job."""

from django_tasks import task

from chuangkou.notify import jobs
from chuangkou.notify import services as notify

from .models import Finding


def finding_opened(finding: Finding) -> None:
    jobs.enqueue(after_finding, finding.pk)


@task(queue_name="notify")
def after_finding(finding_id: int) -> int:
    from chuangkou.org.models import Staff

    finding = Finding.objects.select_related("department").filter(pk=finding_id).first()
    if finding is None or finding.department is None:
        return 0
    sent = 0
    for head in finding.department.heads.all():
        staff = Staff.objects.filter(user=head).first()
        sent += len(
            notify.notify_user(
                "staff_finding",
                user=head,
                phone=staff.phone if staff else "",
                fields={
                    "name": head.display_name or head.get_username(),
                    "title": finding.item_label,
                },
                key=str(finding.pk),
            )
        )
    return sent
