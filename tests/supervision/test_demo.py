"""The supervision demo over the core and org demos: the seed's 12 supervisors, filed visits,
and the briefing's figures as of 2018-08-31 computed from individual rows."""

import datetime as dt

import pytest

from chuangkou.core import demo as core_demo
from chuangkou.org import demo as org_demo
from chuangkou.supervision import demo, selectors
from chuangkou.supervision.models import Finding, SecretVisit, Supervisor, VisitAssignment

pytestmark = pytest.mark.django_db


@pytest.fixture
def loaded(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    core_demo.load()
    org_demo.load()
    demo.load()


def test_figures_as_of_the_end_of_august_are_the_briefings(loaded):
    figures = selectors.figures(dt.date(2018, 8, 31))
    assert figures.sittings == 281
    assert figures.found == 98
    assert figures.quick == 72
    assert figures.coordinating == 26
    later = selectors.figures(dt.date(2018, 12, 31))
    assert later.found == 98 and later.coordinating == 16 and later.resolved == 10


def test_twelve_supervisors_and_their_visits(loaded):
    supervisors = Supervisor.objects.order_by("user__username")
    assert [s.user.username for s in supervisors] == [f"supervisor{n:02d}" for n in range(1, 13)]
    assert supervisors[0].name == "俞慧芳"
    assert SecretVisit.objects.count() == VisitAssignment.objects.count() > 0
    for supervisor in supervisors.exclude(former_department=None):
        stationed = {w.center_id for w in supervisor.former_department.window_set.all()}
        assert not stationed & {c.pk for c in supervisor.centers.all()}
    assert Finding.objects.filter(state="confirmed").exists()
