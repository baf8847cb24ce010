"""The case services: acceptance (from a ticket, direct, online), due dates, numbering, the
status flow, visits, the daily summary and the audit trail."""

import datetime as dt
import re

import pytest
from django.utils import timezone

from chuangkou.cases import services
from chuangkou.cases.identity import credit_code_check_char
from chuangkou.cases.models import Case, CaseEvent, CaseNumberCounter, DailyCaseStats
from chuangkou.cases.services.numbering import format_case_number
from chuangkou.cases.workdays import add_working_days, working_days_between
from chuangkou.core import calendar
from chuangkou.core.errors import DomainError, PermissionDeniedError
from chuangkou.core.models import AuditEntry
from chuangkou.core.roles import Role
from chuangkou.hall.models import Ticket

from .conftest import APPLICANT, accept_at_window, accept_online, at, person_id
from .factories import MatterFactory, TicketFactory

pytestmark = pytest.mark.django_db


def _stats(**key) -> dict:
    rows = DailyCaseStats.objects.filter(**key)
    return {
        name: sum(getattr(r, name) for r in rows)
        for name in ("accepted", "completed", "one_trip", "overdue")
    }


def credit_code(body17: str) -> str:
    return body17 + credit_code_check_char(body17)


# --- acceptance ------------------------------------------------------------------------------


def test_accepting_the_served_ticket_links_it_and_finishes_it(hall, ticket):
    case = services.accept_case(actor=hall.clerk_a1, ticket=ticket, **APPLICANT)
    today = timezone.localdate()
    assert re.fullmatch(rf"330103-{today:%Y%m%d}-\d{{6}}", case.number)
    assert case.number.endswith("-000001")
    assert (case.matter, case.window, case.clerk, case.ticket) == (
        hall.matter_a,
        hall.w_a01,
        hall.a1,
        ticket,
    )
    assert (case.department, case.center, case.channel) == (hall.dept_a, hall.main, "window")
    assert case.status == Case.Status.ACCEPTED and case.accepted_date == today
    assert case.due_date == add_working_days(today, 1)
    visit = case.visit_records.get()
    assert case.visits == 1 and visit.ticket == ticket and visit.visited_at <= case.accepted_at
    ticket.refresh_from_db()
    assert ticket.status == Ticket.Status.DONE  # finished through the hall's service
    assert case.events.get().action == CaseEvent.Action.ACCEPT
    assert AuditEntry.objects.filter(action="case.accept", object_id=str(case.pk)).exists()
    assert _stats(date=today, window=hall.w_a01) == {
        "accepted": 1,
        "completed": 0,
        "one_trip": 0,
        "overdue": 0,
    }


def test_a_finished_ticket_can_carry_a_second_matter_but_not_the_same_twice(hall, ticket):
    services.accept_case(actor=hall.clerk_a1, ticket=ticket, **APPLICANT)
    second = services.accept_case(
        actor=hall.clerk_a1, ticket=ticket, matter=hall.matter_b, **APPLICANT
    )
    assert second.matter == hall.matter_b and second.ticket == ticket
    with pytest.raises(DomainError, match="已受理过") as err:
        services.accept_case(actor=hall.clerk_a1, ticket=ticket, **APPLICANT)
    assert err.value.field == "matter"


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"status": Ticket.Status.WAITING}, "只有办理中或刚办结的号"),
        ({"status": Ticket.Status.NO_SHOW}, "只有办理中或刚办结的号"),
        ({"service_date": dt.date(2018, 3, 1)}, "不是今天的号"),
    ],
)
def test_tickets_that_cannot_be_accepted(hall, ticket, changes, message):
    Ticket.objects.filter(pk=ticket.pk).update(**changes)
    with pytest.raises(DomainError, match=message):
        services.accept_case(actor=hall.clerk_a1, ticket=ticket, **APPLICANT)
    assert not Case.objects.exists()


def test_another_clerks_ticket_is_refused(hall, ticket):
    with pytest.raises(DomainError, match="其他窗口人员"):
        services.accept_case(actor=hall.clerk_b1, ticket=ticket, **APPLICANT)


def test_direct_window_acceptance_uses_the_clerks_window(hall):
    case = accept_at_window(hall, at("2018-03-05", 9, 30))
    assert case.window == hall.w_a01 and case.ticket is None and case.visits == 1
    assert case.visit_records.get().ticket is None
    assert case.number == "330103-20180305-000001"


def test_only_clerks_with_a_staff_record_accept_at_the_window(hall, role_user):
    for actor in (hall.head_a, hall.admin, role_user(Role.CLERK)):
        with pytest.raises(PermissionDeniedError):
            services.accept_case(actor=actor, matter=hall.matter_a, **APPLICANT)


def test_online_acceptance_has_no_trip_and_no_window(hall):
    case = accept_online(hall, at("2018-03-05"))
    assert (case.channel, case.window, case.visits, case.clerk) == ("online", None, 0, None)
    assert not case.visit_records.exists()
    clerk_case = services.accept_online_case(
        actor=hall.clerk_a1, matter=hall.matter_a, center=hall.main, **APPLICANT
    )
    assert clerk_case.clerk == hall.a1


def test_online_acceptance_needs_an_online_matter_and_the_right_role(hall):
    with pytest.raises(DomainError, match="不支持网上办理") as err:
        accept_online(hall, at("2018-03-05"), matter=hall.matter_b)
    assert err.value.field == "matter"
    with pytest.raises(PermissionDeniedError):
        services.accept_online_case(
            actor=hall.head_a, matter=hall.matter_a, center=hall.main, **APPLICANT
        )


def test_an_inactive_matter_cannot_be_accepted(hall):
    hall.matter_a.is_active = False
    hall.matter_a.save()
    with pytest.raises(DomainError, match="已停用"):
        accept_at_window(hall, at("2018-03-05"))


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"applicant_kind": "alien"}, "applicant_kind"),
        ({"applicant_name": "  "}, "applicant_name"),
        ({"applicant_id": ""}, "applicant_id"),
        (
            {"applicant_id": person_id(1)[:-1] + ("2" if person_id(1)[-1] == "1" else "1")},
            "applicant_id",
        ),
        ({"applicant_kind": "company", "applicant_id": person_id(1)}, "applicant_id"),
        ({"applicant_phone": "12345"}, "applicant_phone"),
    ],
)
def test_applicant_fields_are_checked(hall, changes, field):
    with pytest.raises(DomainError) as err:
        accept_at_window(hall, at("2018-03-05"), **changes)
    assert err.value.field == field
    assert not Case.objects.exists()


def test_a_company_with_a_valid_credit_code_and_a_landline(hall):
    code = credit_code("91330103MA27XXXX0")
    case = accept_at_window(
        hall,
        at("2018-03-05"),
        applicant_kind="company",
        applicant_name="杭州某某科技有限公司",
        applicant_id=code.lower(),
        applicant_phone="0571-87654321",
    )
    assert case.applicant_id == code and case.applicant_phone == "0571-87654321"


def test_the_gb32100_check_character_of_a_published_code():
    # 国家市场监督管理总局示例: 91350100M000100Y43
    assert credit_code_check_char("91350100M000100Y4") == "3"


def test_acceptance_in_the_future_is_refused(hall):
    with pytest.raises(DomainError, match="受理时间不能晚于现在"):
        accept_at_window(hall, timezone.now() + dt.timedelta(hours=1))


# --- due dates on China's calendar (hand-checked against the State Council notices) ----------


@pytest.mark.parametrize(
    ("accepted", "days", "due"),
    [
        # 2018 春节: 2月15日–21日放假, 2月11日(周日)、2月24日(周六)上班
        ("2018-02-09", 3, "2018-02-13"),  # 11 (补班), 12, 13
        ("2018-02-13", 5, "2018-02-26"),  # 14, 22, 23, 24 (补班), 26
        ("2018-02-14", 1, "2018-02-22"),  # the holiday week is skipped
        # 2018 中秋 9月24日 and 国庆 10月1日–7日; 9月29日(周六)、30日(周日)上班
        ("2018-09-21", 2, "2018-09-26"),  # 22, 23 weekend, 24 中秋 → 25, 26
        ("2018-09-28", 3, "2018-10-08"),  # 29, 30 (补班), then 8 October
        ("2018-09-30", 1, "2018-10-08"),
        ("2018-03-05", 0, "2018-03-05"),  # 即办件: due the same day
    ],
)
def test_due_dates_across_the_2018_holidays(hall, accepted, days, due):
    matter = MatterFactory(department=hall.dept_a, promised_days=days)
    case = accept_at_window(hall, at(accepted), matter=matter)
    assert case.due_date == dt.date.fromisoformat(due)


def test_the_cached_working_days_agree_with_the_core_calendar():
    start = dt.date(2017, 12, 20)
    for offset in range(0, 400, 7):
        for days in (0, 1, 3, 20):
            day = start + dt.timedelta(days=offset)
            assert add_working_days(day, days) == calendar.add_working_days(day, days)


def test_working_days_beyond_the_calendar_count_monday_to_friday():
    # chinese_calendar 1.11 knows the years up to 2026; 2027 falls back to Mon–Fri
    assert add_working_days(dt.date(2027, 3, 5), 1) == dt.date(2027, 3, 8)
    assert working_days_between(dt.date(2027, 3, 1), dt.date(2027, 3, 7)) == 5
    assert working_days_between(dt.date(2018, 2, 12), dt.date(2018, 2, 23)) == 5


# --- numbering -------------------------------------------------------------------------------


def test_numbers_count_per_region_and_day_and_skip_taken_ones(hall):
    first = accept_at_window(hall, at("2018-03-05", 9))
    online = accept_online(hall, at("2018-03-05", 10))
    sub_center = accept_at_window(hall, at("2018-03-05", 11), window=hall.w_s01)
    next_day = accept_at_window(hall, at("2018-03-06", 9))
    assert [first.number, online.number, sub_center.number, next_day.number] == [
        "330103-20180305-000001",
        "330103-20180305-000002",
        "330103-20180305-000003",
        "330103-20180306-000001",
    ]
    # an imported historical case already holds the next number of that day
    Case.objects.filter(pk=first.pk).update(
        number=format_case_number("330103", first.accepted_date, 4)
    )
    assert accept_at_window(hall, at("2018-03-05", 12)).number == "330103-20180305-000005"
    assert CaseNumberCounter.objects.get(scope="330103", date=dt.date(2018, 3, 5)).last == 5


# --- status flow -----------------------------------------------------------------------------


def test_supplement_resume_and_complete(hall):
    case = accept_at_window(hall, at("2018-03-05", 9))
    case = services.request_supplement(actor=hall.clerk_a1, case=case, note="缺营业执照复印件")
    assert case.status == Case.Status.SUPPLEMENT
    with pytest.raises(DomainError, match="已在补正中"):
        services.request_supplement(actor=hall.clerk_a1, case=case, note="再次")
    case = services.resume_case(actor=hall.clerk_a1, case=case)
    assert case.status == Case.Status.ACCEPTED
    with pytest.raises(DomainError, match="不在补正中"):
        services.resume_case(actor=hall.clerk_a1, case=case)
    with pytest.raises(DomainError, match="不能早于上一步办理"):
        services.complete_case(actor=hall.clerk_a1, case=case, completed_at=at("2018-03-06"))
    case = services.complete_case(actor=hall.clerk_a1, case=case)
    today = timezone.localdate()
    assert (case.status, case.completed_date, case.is_overdue, case.is_one_trip) == (
        Case.Status.COMPLETED,
        today,
        True,  # accepted in 2018 with 1 working day promised
        True,
    )
    actions = list(case.events.values_list("action", "from_status", "to_status"))
    assert actions == [
        ("accept", "", "accepted"),
        ("supplement", "accepted", "supplement"),
        ("resume", "supplement", "accepted"),
        ("complete", "accepted", "completed"),
    ]
    audited = set(
        AuditEntry.objects.filter(object_id=str(case.pk)).values_list("action", flat=True)
    )
    assert audited == {"case.accept", "case.supplement", "case.resume", "case.complete"}
    assert _stats(date=today) == {"accepted": 0, "completed": 1, "one_trip": 1, "overdue": 1}


def test_completion_after_the_due_date_is_overdue(hall):
    case = accept_at_window(hall, at("2018-02-14", 9))  # 1 working day: due 22 February
    assert case.due_date == dt.date(2018, 2, 22)
    case = services.complete_case(actor=hall.clerk_a1, case=case, completed_at=at("2018-02-23", 10))
    assert case.is_overdue and _stats(date=dt.date(2018, 2, 23))["overdue"] == 1


def test_a_second_trip_breaks_the_one_trip_promise(hall):
    case = accept_at_window(hall, at("2018-03-05", 9))
    later = TicketFactory(
        queue=hall.queue, window=hall.w_a01, clerk=hall.a1, status=Ticket.Status.DONE
    )
    visit = services.record_visit(actor=hall.clerk_a1, case=case, ticket=later, note="补交材料")
    case.refresh_from_db()
    assert case.visits == 2 and visit.ticket == later
    with pytest.raises(DomainError, match="已登记为该件的到访"):
        services.record_visit(actor=hall.clerk_a1, case=case, ticket=later)
    case = services.complete_case(actor=hall.clerk_a1, case=case)
    assert not case.is_one_trip
    assert AuditEntry.objects.filter(action="case.visit", object_id=str(case.pk)).exists()


def test_a_matter_allowing_two_trips_done_in_two_is_not_one_trip(hall):
    # one definition everywhere (the survey's too): 最多跑一次 is at most one visit
    matter = MatterFactory(department=hall.dept_a, max_visits=2)
    case = accept_at_window(hall, at("2018-03-05", 9), matter=matter)
    services.record_visit(actor=hall.clerk_a1, case=case, visited_at=at("2018-03-06", 9))
    assert not services.complete_case(actor=hall.clerk_a1, case=case).is_one_trip


@pytest.mark.parametrize("action", ["reject", "return"])
def test_reject_and_return_need_a_reason_and_close_the_case(hall, action):
    service = {"reject": services.reject_case, "return": services.return_case}[action]
    case = accept_at_window(hall, at("2018-03-05", 9))
    with pytest.raises(DomainError) as err:
        service(actor=hall.clerk_a1, case=case, reason="  ")
    assert err.value.field == "reason"
    case = service(actor=hall.clerk_a1, case=case, reason="不符合受理条件")
    assert case.status == {"reject": "rejected", "return": "returned"}[action]
    assert case.completed_at is not None and case.is_overdue  # closed long after 2018-03-06
    assert case.events.last().note == "不符合受理条件"
    assert _stats()["completed"] == 0  # only 办结 counts as completed


def test_a_closed_case_takes_no_more_actions(hall):
    case = accept_at_window(hall, at("2018-03-05", 9))
    services.complete_case(actor=hall.clerk_a1, case=case)
    for call in (
        lambda: services.complete_case(actor=hall.clerk_a1, case=case),
        lambda: services.reject_case(actor=hall.clerk_a1, case=case, reason="x"),
        lambda: services.request_supplement(actor=hall.clerk_a1, case=case, note="x"),
        lambda: services.record_visit(actor=hall.clerk_a1, case=case),
    ):
        with pytest.raises(DomainError, match="已办结"):
            call()


def test_completion_time_is_checked(hall):
    case = accept_at_window(hall, at("2018-03-05", 9))
    with pytest.raises(DomainError, match="不能早于受理时间"):
        services.complete_case(actor=hall.clerk_a1, case=case, completed_at=at("2018-03-04"))
    with pytest.raises(DomainError, match="不能晚于现在"):
        services.complete_case(
            actor=hall.clerk_a1, case=case, completed_at=timezone.now() + dt.timedelta(days=1)
        )


def test_who_may_act_on_a_case(hall, role_user):
    case = accept_at_window(hall, at("2018-03-05", 9))
    for outsider in (hall.clerk_b1, role_user(Role.DEPT_HEAD), role_user(Role.AUDITOR)):
        with pytest.raises(PermissionDeniedError):
            services.request_supplement(actor=outsider, case=case, note="缺材料")
    services.request_supplement(actor=hall.head_a, case=case, note="缺材料")  # head of dept A
    services.resume_case(actor=hall.admin, case=case)
    assert Case.objects.get(pk=case.pk).status == Case.Status.ACCEPTED


# --- the daily summary -----------------------------------------------------------------------


def test_rebuilding_the_summary_gives_what_the_services_kept(hall):
    cases = [accept_at_window(hall, at("2018-03-05", 9 + i)) for i in range(3)]
    cases.append(accept_online(hall, at("2018-03-06", 9)))
    cases.append(
        accept_at_window(hall, at("2018-03-06", 10), clerk=hall.clerk_b1, matter=hall.matter_b)
    )
    services.complete_case(actor=hall.clerk_a1, case=cases[0], completed_at=at("2018-03-06", 9))
    services.complete_case(actor=hall.clerk_a1, case=cases[1], completed_at=at("2018-03-08", 9))
    services.complete_case(actor=hall.admin, case=cases[3], completed_at=at("2018-03-07", 9))

    def table():
        return sorted(
            DailyCaseStats.objects.values_list(
                "date",
                "department",
                "center",
                "window",
                "matter",
                "accepted",
                "completed",
                "one_trip",
                "overdue",
            ),
            key=str,
        )

    kept = table()
    assert services.rebuild_daily_stats(start=dt.date(2018, 3, 1), end=dt.date(2018, 3, 31)) == 6
    assert table() == kept
    assert _stats() == {"accepted": 5, "completed": 3, "one_trip": 3, "overdue": 1}
    assert AuditEntry.objects.filter(action="cases.rebuild_daily_stats").count() == 1


def test_rebuild_is_for_center_admins(hall):
    with pytest.raises(PermissionDeniedError):
        services.rebuild_daily_stats(
            actor=hall.clerk_a1, start=dt.date(2018, 1, 1), end=dt.date(2018, 1, 2)
        )
    assert (
        services.rebuild_daily_stats(
            actor=hall.admin, start=dt.date(2018, 1, 1), end=dt.date(2018, 1, 2)
        )
        == 0
    )
