"""Under real concurrency (threads, each with its own connection; SQLite or PostgreSQL): two
reviewers deciding the same material at once — exactly one decision counts; a double tap on
"take a ticket" gives one number; a double submit counts one submission."""

import pytest

from chuangkou.hall.models import Ticket
from chuangkou.prereview import services
from chuangkou.prereview.models import PreReview, ReviewRecord
from tests.concurrency import race

from .conftest import build_world, passed, required_items, start, upload_all

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def rw():
    return build_world()


def test_two_reviewers_at_once_exactly_one(rw):
    prereview = start(rw)
    upload_all(prereview)
    services.submit_prereview(prereview=prereview)
    item = required_items(prereview)[0]
    done, refused = race(
        [
            lambda: services.review_item(actor=rw.clerk_a1, item=item, decision="pass"),
            lambda: services.review_item(
                actor=rw.admin, item=item, decision="fix", problem="blurry"
            ),
        ]
    )
    assert done == 1 and len(refused) == 1 and "无需再审核" in refused[0]
    assert ReviewRecord.objects.filter(item=item).count() == 1


def test_double_ticket_and_double_submit(rw):
    prereview = passed(rw)
    done, refused = race([lambda: services.take_priority_ticket(prereview=prereview)] * 4)
    assert (done, refused) == (4, [])  # the same number each time
    assert Ticket.objects.count() == 1
    other = start(rw)
    upload_all(other)
    done, refused = race([lambda: services.submit_prereview(prereview=other)] * 4)
    assert done == 1 and len(refused) == 3
    assert PreReview.objects.get(pk=other.pk).submissions == 1
