"""Two agents claiming one consultation at once (real threads, own connections): exactly one
gets it, the other is told who has it, on whichever database the run uses."""

import pytest

from chuangkou.consult import services
from chuangkou.consult.models import Consultation
from chuangkou.core.models import AuditEntry
from chuangkou.feedback.models import Rectification
from tests.concurrency import race

from .conftest import ask_about, build_consult

pytestmark = pytest.mark.django_db(transaction=True)


def test_two_agents_claiming_at_once_exactly_one_gets_it():
    w = build_consult()
    c = ask_about(w, w.catalog.shop)
    done, refused = race(
        [lambda u=u: services.claim(actor=u, consultation=c) for u in (w.clerk_a1, w.clerk_a2)]
    )
    assert done == 1 and len(refused) == 1
    assert refused[0].startswith("该咨询已被其他坐席认领")
    c.refresh_from_db()
    assert c.status == Consultation.Status.CLAIMED and c.agent in (w.a1, w.a2)
    assert AuditEntry.objects.filter(action="consult.claim").count() == 1


def test_two_bad_ratings_at_once_open_exactly_one_rectification():
    w = build_consult()
    c = ask_about(w, w.catalog.shop)
    services.claim(actor=w.clerk_a1, consultation=c)
    services.reply(actor=w.clerk_a1, consultation=c, body="请携带身份证。")
    services.close(actor=w.clerk_a1, consultation=c)
    done, refused = race([lambda: services.rate_answer(consultation=c, level=1)] * 2)
    assert done == 1 and refused == ["您已评价过本次咨询。"]
    assert Rectification.objects.count() == 1
