"""1call home cards: an agent sees what waits in their domains, what is about to breach and
their own open ones; the center admin sees today's volume and breaches; other roles (and a
clerk who is no agent) see no card."""

import datetime as dt

import pytest
from django.utils import timezone

from chuangkou.consult import home, services
from chuangkou.consult.models import Consultation
from chuangkou.core.roles import Role
from tests.factories import UserFactory

from .conftest import ask_about

pytestmark = pytest.mark.django_db


def test_the_agent_sees_the_card_with_waiting_soon_and_mine(cw, client_as):
    waiting = ask_about(cw, cw.catalog.shop)  # department A
    mine = ask_about(cw, cw.catalog.shop, phone="13900000002")
    services.claim(actor=cw.clerk_a1, consultation=mine)
    card = home.agent_desk(cw.clerk_a1)
    assert card["waiting"] == 1 and card["mine"] == 1
    assert [r.consultation for r in card["my_rows"]] == [mine]
    Consultation.objects.filter(pk=waiting.pk).update(
        first_reply_due=timezone.now() - dt.timedelta(minutes=5)
    )
    card = home.agent_desk(cw.clerk_a1)  # the waiting one is now past its first-reply deadline
    assert card["breached"] == 1 and card["urgent"][0].consultation == waiting
    page = client_as(cw.clerk_a1).get("/").content.decode()
    assert 'data-testid="home-consult"' in page and waiting.code in page
    assert "138****5678" not in page and "13812345678" not in page


def test_a_colleagues_consultation_is_not_mine(cw):
    c = ask_about(cw, cw.catalog.shop)
    services.claim(actor=cw.clerk_a2, consultation=c)
    card = home.agent_desk(cw.clerk_a1)
    assert card["waiting"] == 0 and card["mine"] == 0 and card["urgent"] == []


def test_the_admin_sees_todays_volume_and_breaches(cw, client_as):
    late = ask_about(cw, cw.catalog.shop)
    ask_about(cw, phone="13900000003")
    Consultation.objects.filter(pk=late.pk).update(
        first_reply_due=timezone.now() - dt.timedelta(minutes=1)
    )
    card = home.admin_day(cw.admin)
    assert card["volume"] == 2 and card["waiting"] == 2 and card["first_reply_breaches"] == 1
    page = client_as(cw.admin).get("/").content.decode()
    assert 'data-testid="home-consult-admin"' in page and 'data-testid="home-consult"' not in page


def test_no_card_for_roles_without_access(cw, client_as):
    ask_about(cw, cw.catalog.shop)
    auditor = UserFactory(username="auditor9", roles=[Role.AUDITOR])
    for user in (auditor, cw.head_a):
        page = client_as(user).get("/").content.decode()
        assert "home-consult" not in page
    never_rostered = UserFactory(username="clerk99", roles=[Role.CLERK])  # no staff record
    assert home.agent_desk(never_rostered) is None
    assert "home-consult" not in client_as(never_rostered).get("/").content.decode()
    cw.s1.user = UserFactory(username="clerk98", roles=[Role.CLERK])  # staff, never rostered
    cw.s1.save(update_fields=["user"])
    assert home.agent_desk(cw.s1.user) is None
