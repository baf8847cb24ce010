"""Votes under real concurrency (threads, each with its own database connection), on whichever
database the run uses (SQLite by default, PostgreSQL with DATABASE_URL): N concurrent ballots
with N served tickets count N; the same ticket or account at once counts once."""

import threading

import pytest
from django.db import connection

from chuangkou.core.errors import DomainError
from chuangkou.honors import selectors, services
from chuangkou.honors.models import Nomination, Vote
from chuangkou.honors.services.voting import vote_token

from .conftest import build_honors, served

pytestmark = pytest.mark.django_db(transaction=True)
THREADS = 16


def _race(calls) -> tuple[int, list[str]]:
    """Run the calls at the same moment; (successes, refusal messages)."""
    barrier = threading.Barrier(len(calls))
    done, refused, lock = [], [], threading.Lock()

    def run(call):
        try:
            barrier.wait()
            call()
            with lock:
                done.append(1)
        except DomainError as exc:
            with lock:
                refused.append(exc.message)
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=(c,)) for c in calls]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=120)
    return len(done), refused


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

    done, refused = _race([ballot(t) for t in tokens])
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
    done, refused = _race(calls)
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
    done, refused = _race(calls)
    assert done == 1 and len(refused) == THREADS - 1
    votes = Nomination.objects.filter(pk__in=[w.n["a1"].pk, w.n["a2"].pk])
    assert sum(n.votes for n in votes) == 1 == Vote.objects.count()
