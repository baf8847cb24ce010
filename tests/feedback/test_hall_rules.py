"""Ratings as the hall has them: one rating per served ticket, the pad offers only the ticket
just finished at its window, the phone page links to the rating, a bad rating takes a callback
phone, and overdue rectifications are escalated to the center admin."""

import datetime as dt

import pytest
from django.core.management import call_command
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone

from chuangkou.core.errors import DomainError
from chuangkou.core.models import AuditEntry
from chuangkou.feedback import selectors, services
from chuangkou.feedback.models import Evaluation, Rectification
from chuangkou.feedback.pad import PadSession
from chuangkou.hall.models import Ticket

from .factories import TicketFactory

pytestmark = pytest.mark.django_db


def test_one_rating_per_served_ticket_whatever_the_channel(fb):
    services.rate_on_pad(pad=PadSession(window=fb.w_a01, staff=fb.a1), level=5)
    with pytest.raises(DomainError, match="已通过窗口评价器评价过"):
        services.rate_by_phone(ticket=fb.ticket_a, level=1)
    with pytest.raises(IntegrityError), transaction.atomic():
        Evaluation.objects.create(
            ticket=fb.ticket_a,
            channel=Evaluation.Channel.PHONE,
            level=3,
            created_at=timezone.now(),
            rated_on=timezone.localdate(),
        )
    # the phone page shows the pad's rating and offers the one follow-up
    state = selectors.phone_rating(fb.ticket_a)
    assert state.first.channel == Evaluation.Channel.PAD and state.can_follow_up


def test_the_pad_offers_only_the_ticket_just_finished_at_its_window(fb):
    assert selectors.pad_subject(window_id=fb.w_a01.pk) == fb.ticket_a
    # the next person is called to the window: the previous ticket is no longer offered
    TicketFactory(
        queue=fb.queue,
        window=fb.w_a01,
        clerk=fb.a1,
        status=Ticket.Status.CALLED,
        finished_at=None,
        called_at=timezone.now(),
    )
    assert selectors.pad_subject(window_id=fb.w_a01.pk) is None
    with pytest.raises(DomainError, match="当前没有可评价的业务"):
        services.rate_on_pad(pad=PadSession(window=fb.w_a01, staff=fb.a2), level=1)


def test_a_bad_rating_keeps_a_callback_phone_shown_masked(fb, client):
    bad = services.rate_by_phone(ticket=fb.ticket_a, level=1, contact_phone="13912345678")
    good = services.rate_by_phone(ticket=fb.ticket_b, level=5, contact_phone="13912345678")
    assert (bad.contact_phone, good.contact_phone) == ("13912345678", "")
    with pytest.raises(DomainError) as err:
        services.rate_on_pad(
            pad=PadSession(window=fb.w_a01, staff=fb.a1), level=1, contact_phone="12"
        )
    client.force_login(fb.admin)
    page = client.get(
        reverse("feedback:rectification_detail", args=[bad.rectification.pk])
    ).content.decode()
    assert "139****5678" in page
    assert err.value.field in ("contact_phone", "level")


def test_the_phone_pages_offer_the_callback_and_the_rating_link(fb, client):
    page = client.get(reverse("feedback:ticket_rating", args=[fb.ticket_a.public_token]))
    assert 'data-testid="callback-phone"' in page.content.decode()
    follow = client.get(reverse("hall:follow", args=[fb.ticket_a.public_token]))
    assert reverse("feedback:ticket_rating", args=[fb.ticket_a.public_token]) in (
        follow.content.decode()
    )
    waiting = client.get(reverse("hall:follow", args=[fb.waiting.public_token]))
    assert 'data-testid="follow-rate"' not in waiting.content.decode()


def test_overdue_rectifications_are_escalated_to_the_center_admin_once(fb, client):
    evaluation = services.rate_by_phone(ticket=fb.ticket_a, level=1)
    rectification = evaluation.rectification
    later = rectification.callback_due + dt.timedelta(days=3)
    assert services.escalate_overdue(today=later) == 1
    assert services.escalate_overdue(today=later) == 0
    rectification.refresh_from_db()
    assert rectification.state == Rectification.State.OVERDUE and rectification.escalated_at
    assert rectification.events.filter(action="超期上报中心管理员").count() == 1
    assert AuditEntry.objects.filter(action="feedback.rectification.escalate").count() == 1
    assert list(selectors.escalated_rectifications(user=fb.admin)) == [rectification]
    assert not selectors.escalated_rectifications(user=fb.head_a).exists()
    client.force_login(fb.admin)
    overview = client.get("/reports/hall/").content.decode()
    assert 'data-testid="escalated"' in overview


def test_the_escalation_command(fb):
    evaluation = services.rate_by_phone(ticket=fb.ticket_a, level=1)
    Rectification.objects.filter(pk=evaluation.rectification.pk).update(
        callback_due=timezone.localdate() - dt.timedelta(days=5),
        reply_due=timezone.localdate() + dt.timedelta(days=5),
    )
    call_command("feedback_escalate_overdue")
    assert Rectification.objects.get(pk=evaluation.rectification.pk).escalated_at is not None
