"""Pre-review services: start, upload (type from the bytes, size), submit, review rounds,
replacing only what failed, the priority ticket, the case at the window, file deletion."""

import datetime as dt

import pytest
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from chuangkou.cases.models import Case
from chuangkou.core.errors import DomainError, PermissionDeniedError
from chuangkou.core.models import AuditEntry
from chuangkou.core.roles import Role
from chuangkou.hall.models import Ticket
from chuangkou.prereview import services
from chuangkou.prereview.models import PreReview, PreReviewItem
from chuangkou.prereview.problems import problems_for
from tests.cases.conftest import APPLICANT
from tests.factories import StaffFactory, UserFactory

from .conftest import PHONE, passed, pdf, png, required_items, start, submitted

pytestmark = pytest.mark.django_db


def test_start_creates_one_item_per_material(pw):
    prereview = start(pw)
    assert prereview.status == PreReview.Status.DRAFT
    assert prereview.items.count() == 3
    assert prereview.items.filter(required=True).count() == 2
    assert prereview.masked_phone != PHONE


@pytest.mark.parametrize(
    ("kw", "field"),
    [
        ({"phone": ""}, "phone"),
        ({"phone": "123"}, "phone"),
        ({"applicant_name": " "}, "applicant_name"),
        ({"applicant_name": "a\x00b"}, "applicant_name"),
    ],
)
def test_start_refuses_bad_input(pw, kw, field):
    with pytest.raises(DomainError) as caught:
        start(pw, **kw)
    assert caught.value.field == field
    assert not PreReview.objects.exists()


def test_disguised_executable_is_refused_and_nothing_changes(pw):
    prereview = start(pw)
    item = required_items(prereview)[0]
    fake = SimpleUploadedFile("营业执照.pdf", b"MZ\x90\x00\x03" + b"\x00" * 100, "application/pdf")
    with pytest.raises(DomainError, match="文件类型不符"):
        services.upload_material(prereview=prereview, item=item, upload=fake)
    item.refresh_from_db()
    assert item.status == PreReviewItem.Status.MISSING and not item.file


def test_oversize_is_refused(pw, settings):
    prereview = start(pw)
    item = required_items(prereview)[0]
    big = pdf(size=services.MAX_BYTES)
    with pytest.raises(DomainError, match="20 MB"):
        services.upload_material(prereview=prereview, item=item, upload=big)
    item.refresh_from_db()
    assert not item.file


def test_upload_stores_privately_and_replaces(pw, django_capture_on_commit_callbacks):
    prereview = start(pw)
    item = required_items(prereview)[0]
    first = services.upload_material(prereview=prereview, item=item, upload=png()).file
    assert first.startswith("prereview/") and default_storage.exists(first)
    with django_capture_on_commit_callbacks(execute=True):
        second = services.upload_material(prereview=prereview, item=item, upload=pdf()).file
    assert default_storage.exists(second) and not default_storage.exists(first)
    item.refresh_from_db()
    assert item.uploads == 2 and item.content_type == "application/pdf"


def test_item_of_another_prereview_is_refused(pw):
    one, other = start(pw), start(pw)
    with pytest.raises(DomainError):
        services.upload_material(prereview=one, item=required_items(other)[0], upload=pdf())


def test_submit_needs_every_required_material(pw):
    prereview = start(pw)
    services.upload_material(prereview=prereview, item=required_items(prereview)[0], upload=pdf())
    with pytest.raises(DomainError, match="食品安全管理制度"):
        services.submit_prereview(prereview=prereview)


def test_fix_round_then_pass(pw):
    prereview = submitted(pw)
    license_item, rules_item = required_items(prereview)
    services.review_item(actor=pw.clerk_a1, item=license_item, decision="pass")
    code = problems_for(rules_item.material.name)[0][0]
    services.review_item(
        actor=pw.clerk_a1, item=rules_item, decision="fix", problem=code, note="缺第 2 页"
    )
    prereview.refresh_from_db()
    assert prereview.status == PreReview.Status.NEEDS_FIX and prereview.fix_rounds == 1
    # the passed material cannot be replaced, the failed one must be before resubmitting
    with pytest.raises(DomainError, match="已通过审核"):
        services.upload_material(prereview=prereview, item=license_item, upload=pdf())
    with pytest.raises(DomainError, match="重新上传"):
        services.submit_prereview(prereview=prereview)
    services.upload_material(prereview=prereview, item=rules_item, upload=pdf())
    services.submit_prereview(prereview=prereview)
    rules_item.refresh_from_db()
    assert rules_item.status == PreReviewItem.Status.PENDING
    services.review_item(actor=pw.clerk_a1, item=rules_item, decision="pass")
    prereview.refresh_from_db()
    assert prereview.status == PreReview.Status.PASSED
    assert prereview.submissions == 2 and prereview.fix_rounds == 1
    assert AuditEntry.objects.filter(action="prereview.review").count() == 3


def test_fix_needs_a_listed_reason(pw):
    prereview = submitted(pw)
    item = required_items(prereview)[0]
    with pytest.raises(DomainError) as caught:
        services.review_item(actor=pw.clerk_a1, item=item, decision="fix", problem="nonsense")
    assert caught.value.field == "problem"
    item.refresh_from_db()
    assert item.status == PreReviewItem.Status.PENDING


def test_reviewer_of_another_center_or_department_is_refused(pw):
    prereview = submitted(pw)
    item = required_items(prereview)[0]
    sub_clerk = UserFactory(roles=[Role.CLERK])
    StaffFactory(user=sub_clerk, department=pw.dept_a, center=pw.sub)
    for outsider in (sub_clerk, pw.clerk_b1, pw.head_a):
        with pytest.raises(PermissionDeniedError):
            services.review_item(actor=outsider, item=item, decision="pass")
    item.refresh_from_db()
    assert item.status == PreReviewItem.Status.PENDING
    assert not AuditEntry.objects.filter(action="prereview.review").exists()
    services.review_item(actor=pw.admin, item=item, decision="pass")  # the center admin may


def test_second_review_of_the_same_material_is_refused(pw):
    prereview = submitted(pw)
    item = required_items(prereview)[0]
    services.review_item(actor=pw.clerk_a1, item=item, decision="pass")
    with pytest.raises(DomainError, match="无需再审核"):
        services.review_item(actor=pw.admin, item=item, decision="fix", problem="blurry")


def test_priority_ticket_once_and_only_after_passing(pw):
    with pytest.raises(DomainError, match="预审通过后"):
        services.take_priority_ticket(prereview=submitted(pw))
    prereview = passed(pw)
    ticket = services.take_priority_ticket(prereview=prereview)
    assert ticket.priority and ticket.queue == pw.queue and ticket.matter == pw.food
    assert ticket.channel == Ticket.Channel.PHONE and ticket.phone == PHONE
    assert services.take_priority_ticket(prereview=prereview) == ticket  # asking again: same


def test_no_queue_for_the_matter(pw):
    pw.queue.matters.clear()
    with pytest.raises(DomainError, match="暂无办理此事项"):
        services.take_priority_ticket(prereview=passed(pw))


def test_case_accepted_from_the_prereview_carries_it(pw):
    prereview = passed(pw)
    with pytest.raises(PermissionDeniedError):
        services.accept_case_from_prereview(actor=pw.clerk_b1, prereview=prereview, **APPLICANT)
    case = services.accept_case_from_prereview(actor=pw.clerk_a1, prereview=prereview, **APPLICANT)
    assert case.matter == pw.food and case.prereview == prereview
    assert Case.objects.get(pk=case.pk).prereview.items.filter(status="passed").count() == 2
    with pytest.raises(DomainError, match="已受理"):
        services.accept_case_from_prereview(actor=pw.clerk_a1, prereview=prereview, **APPLICANT)
    with pytest.raises(DomainError, match="无需再取号"):
        services.take_priority_ticket(prereview=prereview)


def test_files_deleted_days_after_the_case_closes(pw, settings, django_capture_on_commit_callbacks):
    settings.PREREVIEW_FILE_DAYS = 30
    prereview = passed(pw)
    names = [i.file for i in prereview.items.exclude(file="")]
    case = services.accept_case_from_prereview(actor=pw.clerk_a1, prereview=prereview, **APPLICANT)
    now = timezone.now()
    assert services.purge_expired_files(now=now) == 0  # still open
    Case.objects.filter(pk=case.pk).update(
        status=Case.Status.COMPLETED,
        accepted_at=now - dt.timedelta(days=40),
        completed_at=now - dt.timedelta(days=29),
    )
    assert services.purge_expired_files(now=now) == 0
    assert services.purge_expired_files(now=now + dt.timedelta(days=2), dry_run=True) == 1
    assert all(default_storage.exists(n) for n in names)
    with django_capture_on_commit_callbacks(execute=True):
        assert services.purge_expired_files(now=now + dt.timedelta(days=2)) == 1
    prereview.refresh_from_db()
    assert prereview.files_deleted_at is not None
    assert not any(default_storage.exists(n) for n in names)
    assert not prereview.items.exclude(file="").exists()
    assert AuditEntry.objects.filter(action="prereview.files_deleted").count() == 1
    assert services.purge_expired_files(now=now + dt.timedelta(days=3)) == 0


def test_purge_task_and_command(pw, settings):
    from django.core.management import call_command

    from chuangkou.prereview import tasks

    settings.PREREVIEW_ABANDONED_DAYS = 0
    prereview = start(pw)
    PreReview.objects.filter(pk=prereview.pk).update(
        started_at=timezone.now() - dt.timedelta(days=1)
    )
    call_command("prereview_purge_files")  # dry run
    prereview.refresh_from_db()
    assert prereview.files_deleted_at is None
    call_command("prereview_purge_files", "--queue")  # the ImmediateBackend runs it at once
    prereview.refresh_from_db()
    assert prereview.files_deleted_at is not None
    assert tasks.purge_expired_files is not None
