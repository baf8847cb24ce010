"""Votes under real concurrency (threads, each with its own database connection), on whichever
database the run uses (SQLite by default, PostgreSQL with DATABASE_URL): N concurrent ballots
with N served tickets count N; the same ticket or account at once counts once."""

import pytest

from chuangkou.honors import selectors, services
from chuangkou.honors.models import Nomination, Vote
from chuangkou.honors.services.voting import vote_token
from tests.concurrency import race

from .conftest import build_honors, served

pytestmark = pytest.mark.django_db(transaction=True)
THREADS = 16


@pytest.fixture
def race_world(org_small):
    w = build_honors(org_small)
    services.open_voting(actor=w.admin, campaign=w.campaign)
    w.campaign.refresh_from_db()
    return w


def test_concurrent_votes_with_distinct_tickets_all_count(race_world):
    w = race_world
    tokens = [vote_token(t) for t in served(w, THREADS)]
    target = w.n["A01"]

    def ballot(token):
        return lambda: services.cast_public_ballot(
            token=token, campaign=w.campaign, nominations=[target]
        )

    done, refused = race([ballot(t) for t in tokens])
    assert (done, refused) == (THREADS, [])
    assert Nomination.objects.get(pk=target.pk).votes == THREADS
    assert Vote.objects.filter(nomination=target).count() == THREADS
    assert selectors.vote_totals(w.campaign) == {"public": THREADS}


def test_concurrent_votes_with_one_ticket_count_once(race_world):
    w = race_world
    token = vote_token(served(w))
    target = w.n["B01"]
    calls = [
        lambda: services.cast_public_ballot(token=token, campaign=w.campaign, nominations=[target])
    ] * THREADS
    done, refused = race(calls)
    assert done == 1 and len(refused) == THREADS - 1
    assert all("只能投一次" in m for m in refused)
    assert Nomination.objects.get(pk=target.pk).votes == 1
    assert Vote.objects.count() == 1


def test_concurrent_staff_votes_by_one_account_count_once(race_world):
    w = race_world
    calls = [
        lambda n=n: services.cast_staff_ballot(
            actor=w.clerk_b1, campaign=w.campaign, nominations=[w.n[n]]
        )
        for n in ("a1", "a2") * (THREADS // 2)
    ]
    done, refused = race(calls)
    assert done == 1 and len(refused) == THREADS - 1
    votes = Nomination.objects.filter(pk__in=[w.n["a1"].pk, w.n["a2"].pk])
    assert sum(n.votes for n in votes) == 1 == Vote.objects.count()
