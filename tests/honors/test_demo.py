"""The honors demo over the org, catalog and hall demos: the briefing's 9 best windows and
8 best clerks published, 26 banners and 32 letters in 2018 H1, a live vote of served tickets."""

import datetime as dt

import pytest

from chuangkou.core.demo import load as load_accounts
from chuangkou.honors import demo, selectors
from chuangkou.honors.models import Campaign, Kind, Vote
from chuangkou.org.models import Staff

pytestmark = pytest.mark.django_db


@pytest.fixture
def loaded():
    from chuangkou.catalog import demo as catalog
    from chuangkou.hall import demo as hall
    from chuangkou.org import demo as org

    load_accounts()
    org.load()
    catalog.load()
    hall.load()
    demo.load()


def test_the_published_campaign_has_nine_windows_and_eight_clerks(loaded):
    published = selectors.published_campaigns().get()
    winners = list(published.nominations.all())
    assert sum(n.kind == Kind.WINDOW for n in winners) == 9
    assert sum(n.kind == Kind.STAFF for n in winners) == 8
    assert all(n.citation for n in winners)
    staff = Staff.objects.filter(pk__in=[n.staff_id for n in winners if n.staff_id])
    assert all(s.hire_date <= published.period_start for s in staff)


def test_banners_and_letters_of_2018_h1_are_counted_from_the_records(loaded):
    from django.contrib.auth import get_user_model

    admin = get_user_model().objects.get(username="admin")
    counts = selectors.commendation_counts(
        user=admin, start=dt.date(2018, 1, 1), end=dt.date(2018, 6, 30)
    )
    assert (counts.banners, counts.letters, counts.titles) == (26, 32, 1)
    assert sum(b for _, b, _, _ in counts.by_department) == 26


def test_the_running_vote_counts_ballots_of_served_tickets(loaded):
    campaign = Campaign.objects.get(status=Campaign.Status.VOTING)
    counted = sum(c.votes for k in Kind.values for c in selectors.live_counts(campaign)[k])
    assert counted == Vote.objects.filter(campaign=campaign).count() > 0
    assert not Vote.objects.filter(campaign=campaign, ticket__isnull=True).exists()
