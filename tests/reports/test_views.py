"""大厅总览: who may open it, its figures come from the data, bad input is a form error."""

import datetime as dt

import pytest
from django.utils import timezone

from chuangkou.cases.models import Case
from chuangkou.core.roles import Role
from chuangkou.feedback.models import Evaluation

pytestmark = pytest.mark.django_db


@pytest.fixture
def admin_client(role_user, client_as):
    return client_as(role_user(Role.CENTER_ADMIN))


@pytest.mark.parametrize(
    ("role", "status"),
    [(Role.CENTER_ADMIN, 200), (Role.DEPT_HEAD, 200), (Role.CLERK, 403), (Role.AUDITOR, 403)],
)
def test_who_may_open_the_overview(role_user, client_as, role, status):
    client = client_as(role_user(role))
    assert client.get("/reports/hall/").status_code == status
    assert client.get("/reports/hall/live/").status_code == status


def test_anonymous_is_sent_to_login(client):
    response = client.get("/reports/hall/")
    assert response.status_code == 302 and response["Location"].startswith("/login/")


@pytest.mark.parametrize(
    "query",
    [
        "?start=2018-06-30&end=2018-01-01",
        "?start=garbage&end=2018-01-01",
        "?start=2018-02-30&end=2018-03-01",
        "?start=1900-01-01&end=2018-01-01",
        "?center=abc",
        "?center=999999",
    ],
)
def test_bad_input_is_never_a_server_error(admin_client, query):
    response = admin_client.get("/reports/hall/" + query)
    assert response.status_code == 200


def test_reversed_period_is_explained(admin_client):
    response = admin_client.get("/reports/hall/?start=2018-06-30&end=2018-01-01")
    assert "结束日期不能早于开始日期" in response.content.decode()


def test_the_overview_shows_the_demo_figures(admin_client):
    from chuangkou.demo import load_demo

    load_demo()
    response = admin_client.get("/reports/hall/?start=2018-01-01&end=2018-06-30")
    overview = response.context["overview"]
    in_period = Case.objects.filter(
        accepted_date__gte=dt.date(2018, 1, 1), accepted_date__lte=dt.date(2018, 6, 30)
    )
    refused = in_period.filter(status=Case.Status.REJECTED).count()
    assert overview.cases.counts.accepted == in_period.count() - refused
    assert overview.cases.counts.rejected == refused > 0
    assert "不予受理" in response.content.decode()
    ratio = overview.cases.year_on_year
    assert ratio is not None and 3.3 <= ratio <= 3.7, ratio
    rated = Evaluation.objects.filter(
        rated_on__gte=dt.date(2018, 1, 1), rated_on__lte=dt.date(2018, 6, 30)
    )
    assert overview.satisfaction.total <= rated.count()
    assert response.context["queues"], "the main center's queues are listed"
    assert timezone.localdate()  # today's panel renders without error
