"""The cases demo: the briefing's 3.5 times, the leading windows, realistic trips and ends."""

import datetime as dt
import importlib
import random

import pytest
from django.db.models import Count, Sum
from django.utils import timezone

from chuangkou.cases import demo, selectors
from chuangkou.cases.demo.plan import daily_volumes
from chuangkou.cases.models import Case, CaseEvent, DailyCaseStats
from chuangkou.core.models import User

pytestmark = pytest.mark.django_db

H1_2018 = (dt.date(2018, 1, 1), dt.date(2018, 6, 30))


def load_base_demo() -> None:
    """The demos the cases demo stands on: accounts, organisation, catalog."""
    for module in ("chuangkou.core.demo", "chuangkou.org.demo", "chuangkou.catalog.demo"):
        importlib.import_module(module).load()


def _half_year_sum(divisor: int, start: dt.date, end: dt.date) -> int:
    volumes = daily_volumes(random.Random(1), divisor, dt.date(2019, 1, 1))
    return sum(n for day, n in volumes if start <= day <= end)


def test_the_default_demo_is_one_hundredth_of_the_briefing():
    assert _half_year_sum(100, *H1_2018) == 6620
    assert _half_year_sum(100, dt.date(2017, 1, 1), dt.date(2017, 6, 30)) == 1892
    assert _half_year_sum(1, *H1_2018) == 662_032  # scale="full"


def test_the_demo_cases(db):
    load_base_demo()
    demo.load(scale="tiny")
    admin = User.objects.get(username="admin")
    f = selectors.case_figures(user=admin, start=H1_2018[0], end=H1_2018[1])
    assert (f.counts.accepted, f.previous_accepted, f.year_on_year) == (662, 189, 3.5)
    top = [w.department for w in f.windows[:3]]
    assert set(top) <= {"不动产登记", "公安交警"}, top
    assert 0 < f.counts.overdue_rate < 10 and 60 < f.counts.one_trip_rate < 95

    window_trips = dict(
        Case.objects.filter(channel="window").values_list("visits").annotate(n=Count("id"))
    )
    online_trips = dict(
        Case.objects.filter(channel="online").values_list("visits").annotate(n=Count("id"))
    )
    assert window_trips[1] > 5 * window_trips.get(2, 0) > 0
    assert online_trips[0] > 5 * online_trips.get(1, 0) > 0
    assert Case.objects.filter(is_overdue=True).exists()
    assert Case.objects.filter(status__in=Case.OPEN_STATUSES).exists()
    latest = Case.objects.order_by("-accepted_at").first()
    assert latest.accepted_date >= timezone.localdate() - dt.timedelta(days=7)
    assert latest.accepted_at <= timezone.now()
    # history up to 2024 came from the old system; later cases carry their records
    assert not CaseEvent.objects.filter(case__accepted_date__lt=demo.plan.LIVE_SINCE).exists()
    assert CaseEvent.objects.filter(case__accepted_date__gte=demo.plan.LIVE_SINCE).exists()
    # the summary agrees with the cases; 不予受理 is counted apart from the accepted volume
    refused = Case.objects.filter(status=Case.Status.REJECTED).count()
    assert refused and f.counts.rejected > 0
    totals = DailyCaseStats.objects.aggregate(a=Sum("accepted"), r=Sum("rejected"))
    assert (totals["a"], totals["r"]) == (Case.objects.count() - refused, refused)
    clerk = User.objects.get(username="clerk01")
    assert selectors.cases_visible_to(clerk).exists()
    demo.load(scale="tiny")  # once only
    assert (
        DailyCaseStats.objects.aggregate(n=Sum("accepted"))["n"] == Case.objects.count() - refused
    )


def test_unknown_scales_are_refused():
    with pytest.raises(ValueError, match="scale"):
        demo.load(scale="huge")
