"""Case notices through the log channel: accepted with its due date, 补正 with the materials,
completed and ready to collect, the overdue apology; once each; none without a number."""

import datetime as dt

import pytest
from django.utils import timezone

from chuangkou.cases import notices, services
from chuangkou.cases.models import Case
from chuangkou.notify.models import Message
from tests.cases.conftest import APPLICANT
from tests.cases.factories import MatterFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def matter(org_small):
    return MatterFactory(
        code="A-001", name="食品经营许可", department=org_small.dept_a, promised_days=1, online=True
    )


def bodies(kind):
    return list(Message.objects.filter(kind=kind).values_list("body", flat=True))


def test_accepted_supplement_completed(org_small, matter, jobs):
    with jobs():
        case = services.accept_case(actor=org_small.clerk_a1, matter=matter, **APPLICANT)
    due = case.due_date
    assert bodies("case_accepted") == [
        f"您的食品经营许可申请已受理，受理号 {case.number}，承诺{due.month}月{due.day}日前办结。"
    ]
    with jobs():
        services.request_supplement(actor=org_small.clerk_a1, case=case, note="营业执照复印件")
    assert bodies("case_supplement") == [
        "您的食品经营许可申请需补正：营业执照复印件。请备齐后到窗口补交。"
    ]
    with jobs():
        services.resume_case(actor=org_small.clerk_a1, case=case)
        services.complete_case(actor=org_small.clerk_a1, case=case)
    assert bodies("case_completed") == [
        f"您的食品经营许可（{case.number}）已办结，请携带身份证件到中心领取结果。"
    ]
    assert Message.objects.count() == 3
    assert set(Message.objects.values_list("recipient_masked", flat=True)) == {"138****5678"}


def test_overdue_apology_once(org_small, matter, jobs):
    with jobs():
        case = services.accept_case(actor=org_small.clerk_a1, matter=matter, **APPLICANT)
    Case.objects.filter(pk=case.pk).update(due_date=timezone.localdate() - dt.timedelta(days=1))
    for _ in range(2):
        with jobs():
            notices.overdue_apologies.enqueue()
    assert bodies("case_overdue") == [
        f"抱歉，您的食品经营许可（{case.number}）未能按期办结，我们正在加紧办理。"
    ]


def test_no_number_no_message(org_small, matter, jobs):
    with jobs():
        services.accept_case(
            actor=org_small.clerk_a1, matter=matter, **{**APPLICANT, "applicant_phone": ""}
        )
    assert not Message.objects.exists()
