"""The public side of the hall as the hall needs it: rate limits on public posts (one shared
counter), a check-in code allows a few attempts, the slip shows the matter and returns the
kiosk to its start, the board lists each call once and runs on Beijing time."""

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from chuangkou.core import ratelimit
from chuangkou.core.errors import DomainError
from chuangkou.hall import selectors, services
from chuangkou.hall.models import Ticket
from chuangkou.hall.services import tickets

from .factories import AppointmentFactory, AppointmentSlotFactory

pytestmark = pytest.mark.django_db


def test_the_shared_counter_counts_per_key_and_refuses_past_the_limit():
    assert [ratelimit.hit("t", "a", seconds=60) for _ in range(3)] == [1, 2, 3]
    assert ratelimit.hit("t", "b", seconds=60) == 1
    assert ratelimit.hits_so_far("t", "a", seconds=60) == 3
    with pytest.raises(DomainError) as err:
        ratelimit.check_rate("t", "a", limit=3, seconds=60)
    assert err.value.status == 429


def test_kiosk_tickets_are_limited_per_address(client, hall, monkeypatch):
    monkeypatch.setattr(tickets, "KIOSK_PER_MINUTE", 2)
    url = reverse("hall:kiosk_take", args=[hall.main.pk])
    for _ in range(2):
        assert "/slip/" in client.post(url, {"queue": hall.queue_a.pk})["Location"]
    refused = client.post(url, {"queue": hall.queue_a.pk}, follow=True)
    assert "取号过于频繁" in refused.content.decode()
    assert Ticket.objects.count() == 2
    # the lobby manager's issuing is not a public post
    services.issue_ticket(actor=hall.lobby, queue=hall.queue_a, channel="lobby")


def _slot_now(queue):
    now = timezone.localtime()
    start = (now - dt.timedelta(minutes=5)).time().replace(second=0, microsecond=0)
    end = (now + dt.timedelta(minutes=55)).time().replace(second=0, microsecond=0)
    if end <= start:  # near midnight: keep the test meaningful
        pytest.skip("slot would cross midnight")
    return AppointmentSlotFactory(queue=queue, date=now.date(), start=start, end=end)


def test_a_check_in_code_allows_a_few_attempts_only(hall):
    appointment = AppointmentFactory(slot=_slot_now(hall.queue_a), phone="13900000001")
    wrong = "999999" if appointment.code != "999999" else "888888"
    for _ in range(5):
        with pytest.raises(DomainError, match="没有找到"):
            services.check_in_appointment(
                actor=None, center=hall.main, phone="13900000001", code=wrong
            )
    with pytest.raises(DomainError, match="连续输错 5 次") as err:
        services.check_in_appointment(
            actor=None, center=hall.main, phone="13900000001", code=appointment.code
        )
    assert err.value.status == 429
    # another phone is not affected
    other = AppointmentFactory(slot=appointment.slot, phone="13900000002")
    checked = services.check_in_appointment(
        actor=None, center=hall.main, phone="13900000002", code=other.code
    )
    assert checked.ticket is not None


def test_the_slip_shows_the_matter_and_sends_the_kiosk_back(client, hall):
    matter = hall.queue_a.matters.first()
    ticket = services.issue_ticket(actor=None, queue=hall.queue_a, matter=matter)
    page = client.get(reverse("hall:slip", args=[ticket.public_token]), {"kiosk": "1"})
    text = page.content.decode()
    if matter is not None:
        assert f"办理事项：{matter.name}" in text
    assert 'data-kiosk-return="/hall/kiosk/' in text and "hall/slip.js" in text
    plain = client.get(reverse("hall:slip", args=[ticket.public_token])).content.decode()
    assert "data-kiosk-return" not in plain


def test_the_board_lists_a_recalled_number_once(hall):
    services.issue_ticket(actor=None, queue=hall.queue_a)
    services.issue_ticket(actor=None, queue=hall.queue_a)
    first = services.call_next_ticket(actor=hall.clerk_a1, window=hall.w_a01)
    services.recall_ticket(actor=hall.clerk_a1, ticket=first, window=hall.w_a01)
    services.recall_ticket(actor=hall.clerk_a1, ticket=first, window=hall.w_a01)
    state = selectors.board_state(hall.main)
    assert [c.number for c in state.recent] == [first.number]
    assert state.recent[0].recalled and state.announce.recalled


def test_the_board_runs_on_beijing_time_and_warns_without_a_voice(client, hall):
    page = client.get(reverse("hall:board", args=[hall.main.pk])).content.decode()
    assert 'data-time-zone="Asia/Shanghai"' in page
    assert 'data-testid="voice-missing"' in page
