"""The holiday calendar: the center admin enters a year's holidays and 调休 working days,
which take precedence over chinese_calendar; pages and the command line say when a year is not
covered."""

import datetime as dt

import pytest
from django.urls import reverse

from chuangkou import cli
from chuangkou.cases.workdays import add_working_days
from chuangkou.core import calendar
from chuangkou.core.calendar_admin import save_official_year
from chuangkou.core.errors import DomainError, PermissionDeniedError
from chuangkou.core.holidays import OfficialDay
from chuangkou.core.models import AuditEntry

from .conftest import accept_at_window

pytestmark = pytest.mark.django_db

HOLIDAYS_2027 = """
2027-01-01 元旦
2027-02-06~2027-02-12 春节
2027-10-01至2027-10-07 国庆节
"""


@pytest.fixture(autouse=True)
def fresh_calendar():
    calendar.forget_entered_days()
    yield
    calendar.forget_entered_days()


def test_chinese_calendar_stops_at_2026_and_2027_is_weekdays_until_entered(org_small):
    assert calendar.last_library_year() == 2026
    assert not calendar.calendar_covers(dt.date(2027, 2, 8))
    assert calendar.is_working_day(dt.date(2027, 2, 8))  # a Monday, unknown to be a holiday
    save_official_year(
        actor=org_small.admin, year=2027, holidays=HOLIDAYS_2027, workdays="2027-02-14 春节"
    )
    calendar.forget_entered_days()
    assert calendar.calendar_covers(dt.date(2027, 2, 8))
    assert not calendar.is_working_day(dt.date(2027, 2, 8))
    assert calendar.is_working_day(dt.date(2027, 2, 14))  # a Sunday made a working day
    # a due date across 春节 2027: Friday 5 February + 2 working days
    assert add_working_days(dt.date(2027, 2, 5), 2) == dt.date(2027, 2, 15)
    assert OfficialDay.objects.count() == 16
    assert AuditEntry.objects.filter(action="core.official_days").exists()


def test_entered_days_take_precedence_over_chinese_calendar(org_small):
    assert not calendar.is_working_day(dt.date(2026, 10, 5))  # 国庆 in chinese_calendar
    save_official_year(
        actor=org_small.admin, year=2026, holidays="2026-10-01~2026-10-03 国庆节", workdays=""
    )
    calendar.forget_entered_days()
    assert calendar.is_working_day(dt.date(2026, 10, 5))


def test_every_wrong_line_is_reported_at_once_and_only_the_admin_enters(org_small):
    with pytest.raises(DomainError) as err:
        save_official_year(
            actor=org_small.admin,
            year=2027,
            holidays="2027-13-01 元旦\n2026-05-01 劳动节\n春节",
            workdays="2027-02-15 周一",
        )
    message = err.value.message
    assert "日期不存在" in message and "不在 2027 年" in message and "格式不对" in message
    assert "不是周末" in message and not OfficialDay.objects.exists()
    with pytest.raises(PermissionDeniedError):
        save_official_year(actor=org_small.clerk_a1, year=2027, holidays="2027-01-01", workdays="")


def test_the_admin_page(client, org_small):
    client.force_login(org_small.admin)
    page = client.get(reverse("core:official_days")).content.decode()
    assert "未覆盖" in page
    response = client.post(
        reverse("core:official_days"),
        {"year": 2027, "holidays": HOLIDAYS_2027, "workdays": "2027-02-14 春节"},
    )
    assert response.status_code == 302
    assert "中心录入" in client.get(reverse("core:official_days")).content.decode()
    client.force_login(org_small.clerk_a1)
    assert client.get(reverse("core:official_days")).status_code == 403


def test_a_case_due_in_an_uncovered_year_says_so(client, hall):
    case = accept_at_window(hall, dt.datetime(2026, 12, 3, 10, tzinfo=dt.UTC))
    case.due_date = dt.date(2027, 1, 4)
    case.save()
    client.force_login(hall.admin)
    page = client.get(reverse("cases:detail", args=[case.pk])).content.decode()
    assert 'data-testid="calendar-uncovered"' in page and "2027 年的法定节假日尚未录入" in page
    save_official_year(actor=hall.admin, year=2027, holidays=HOLIDAYS_2027, workdays="")
    calendar.forget_entered_days()
    page = client.get(reverse("cases:detail", args=[case.pk])).content.decode()
    assert 'data-testid="calendar-uncovered"' not in page


def test_the_start_warning_after_1_december(org_small, capsys, monkeypatch):
    assert calendar.coverage_warning(dt.date(2026, 11, 30)) == ""
    assert "2027 年的法定节假日" in calendar.coverage_warning(dt.date(2026, 12, 1))
    monkeypatch.setattr("django.utils.timezone.localdate", lambda *a: dt.date(2026, 12, 4))
    cli._warn_calendar()
    assert "2027 年" in capsys.readouterr().err
    save_official_year(actor=org_small.admin, year=2027, holidays=HOLIDAYS_2027, workdays="")
    calendar.forget_entered_days()
    assert calendar.coverage_warning(dt.date(2026, 12, 4)) == ""
