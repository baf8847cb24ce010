"""Rating notices through the log channel: the callback scheduled after a bad rating, the
rectification done; the department head told of an overdue rectification, once."""

import pytest

from chuangkou.feedback import notices, services
from chuangkou.feedback.models import Evaluation, Rectification
from chuangkou.notify.models import Message
from tests.feedback.conftest import build_fb

pytestmark = pytest.mark.django_db


@pytest.fixture
def fb(org_small):
    return build_fb(org_small)


def bodies(kind):
    return list(Message.objects.filter(kind=kind).values_list("body", flat=True))


def test_callback_scheduled_and_rectified(fb, jobs):
    with jobs():
        evaluation = services.rate(
            actor=fb.admin,
            channel=Evaluation.Channel.HOTLINE,
            level=1,
            case=fb.case_a,
            contact_phone="13912345678",
        )
    rect = evaluation.rectification
    due = rect.callback_due
    assert bodies("rating_callback") == [
        f"感谢您的评价，我们将于{due.month}月{due.day}日前回访您，了解具体情况并改进。"
    ]
    rect = services.record_callback(actor=fb.head_a, rectification=rect, note="已电话致歉")
    with jobs():
        services.record_rectification(
            actor=fb.head_a, rectification=rect, reply="已对窗口人员开展服务规范培训"
        )
    assert bodies("rating_rectified") == [
        "您反映的问题已整改：已对窗口人员开展服务规范培训。感谢您的监督。"
    ]
    assert set(Message.objects.values_list("recipient_masked", flat=True)) == {"139****5678"}


def test_overdue_rectification_to_the_department_head_once(fb, jobs):
    with jobs():
        evaluation = services.rate(
            actor=fb.admin, channel=Evaluation.Channel.HOTLINE, level=1, case=fb.case_a
        )
    assert not Message.objects.exists()  # no number given: nothing to the citizen
    Rectification.objects.filter(pk=evaluation.rectification.pk).update(
        state=Rectification.State.OVERDUE
    )
    for _ in range(2):
        with jobs():
            notices.overdue_to_heads.enqueue()
    messages = Message.objects.filter(kind="staff_rectification_overdue")
    assert messages.count() == 1 and messages.get().user == fb.head_a
    assert "差评”已逾期，请督促办理。" in messages.get().body
