"""约谈: recorded by the center admin or a head (their staff only), seen by its holder and the
center admin, never by colleagues or the person's peers."""

import datetime as dt

import pytest
from django.utils import timezone

from chuangkou.care import selectors, services
from chuangkou.care.filters import TalkFilter
from chuangkou.core.errors import DomainError, PermissionDeniedError
from chuangkou.core.roles import Role
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def _talk(w, actor, staff, **kw):
    return services.record_talk(
        actor=actor, staff=staff, date=timezone.localdate(), topic="pressure", **kw
    )


def test_head_records_a_talk_with_own_staff_only(org_small):
    w = org_small
    talk = _talk(w, w.head_a, w.a2, follow_up="两周后再谈")
    assert talk.held_by == w.head_a
    with pytest.raises(PermissionDeniedError):
        _talk(w, w.head_a, w.b1)
    with pytest.raises(PermissionDeniedError):
        _talk(w, w.clerk_a1, w.a2)


def test_talk_visible_to_holder_and_admin_only(org_small):
    w = org_small
    talk = _talk(w, w.head_a, w.a2)
    other_head = UserFactory(roles=[Role.DEPT_HEAD])
    w.dept_a.heads.add(other_head)
    assert list(selectors.talks_visible_to(w.head_a)) == [talk]
    assert list(selectors.talks_visible_to(w.admin)) == [talk]
    for user in (other_head, w.clerk_a1, UserFactory(roles=[Role.AUDITOR])):
        assert not selectors.talks_visible_to(user).exists()


def test_future_date_and_unknown_topic_are_refused(org_small):
    w = org_small
    with pytest.raises(DomainError, match="不能晚于今天"):
        services.record_talk(
            actor=w.admin,
            staff=w.a1,
            date=timezone.localdate() + dt.timedelta(days=1),
            topic="pressure",
        )
    with pytest.raises(DomainError, match="主题类别"):
        services.record_talk(actor=w.admin, staff=w.a1, date=timezone.localdate(), topic="x")


def test_filter_by_topic(org_small):
    w = org_small
    _talk(w, w.admin, w.a1)
    services.record_talk(actor=w.admin, staff=w.b1, date=timezone.localdate(), topic="career")
    rows = selectors.talk_list(w.admin, TalkFilter(topic="career"))
    assert [t.staff for t in rows] == [w.b1]
