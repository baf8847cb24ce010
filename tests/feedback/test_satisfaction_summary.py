"""满意率日汇总: the satisfaction figures read from the summary of closed days are exactly those
counted live from the ratings, for every filter and grouping and for each role; a day changed by
a follow-up, an upheld appeal or a rating entered with an earlier time falls back to live
counting; the nightly job and the command build it."""

import datetime as dt
import random

import pytest
from django.core.management import CommandError, call_command
from django.db import transaction
from django.utils import timezone

from chuangkou.core.models import AuditEntry
from chuangkou.core.roles import Role
from chuangkou.feedback import demo, selectors, services, summary
from chuangkou.feedback.filters import EvaluationFilter
from chuangkou.feedback.models import Evaluation, FeedbackDailyStats, FeedbackSummaryDay
from chuangkou.jobs import tasks
from chuangkou.jobs.schedules import BY_NAME
from tests.factories import StaffFactory, UserFactory

from .factories import CaseFactory

pytestmark = pytest.mark.django_db

DAYS = 40
CHANNELS = ("hotline", "sms", "web", "pad", "phone")


def local_at(day: dt.date, hour: int = 10) -> dt.datetime:
    return dt.datetime(day.year, day.month, day.day, hour, tzinfo=timezone.get_current_timezone())


@pytest.fixture
def world(fb):
    """Ratings of the last DAYS days and of today over departments A and B (and none), both
    centers, the windows and clerks (some unrecorded), every channel and level; some
    invalidated on appeal, some superseded by a follow-up (valid or not) days later or today,
    and 1call ratings without a subject."""
    rng = random.Random(9)
    today = timezone.localdate()
    places = [
        (fb.dept_a, fb.main, fb.w_a01, fb.a1),
        (fb.dept_a, fb.main, fb.w_a01, fb.a2),
        (fb.dept_a, fb.sub, fb.w_s01, fb.s1),
        (fb.dept_b, fb.main, fb.w_b01, fb.b1),
        (fb.dept_b, fb.main, None, None),
        (None, fb.main, None, None),
    ]
    rows = []
    for _ in range(70):
        department, center, window, staff = rng.choice(places)
        case = CaseFactory(
            matter=fb.matter_a if department == fb.dept_a else fb.matter_b,
            center=center,
            window=window,
            clerk=staff,
        )
        for channel in rng.sample(CHANNELS, rng.randint(1, 3)):
            day = today - dt.timedelta(days=rng.randint(0, DAYS))
            rows.append(
                Evaluation(
                    case=case,
                    channel=channel,
                    level=rng.randint(1, 5),
                    staff=staff,
                    window=window,
                    department=department,
                    center=center,
                    invalidated=rng.random() < 0.08,
                    created_at=local_at(day),
                    rated_on=day,
                )
            )
    for _ in range(25):
        day = today - dt.timedelta(days=rng.randint(0, DAYS))
        rows.append(
            Evaluation(
                channel="1call",
                level=rng.randint(1, 5),
                department=rng.choice([fb.dept_a, fb.dept_b]),
                center=fb.main,
                created_at=local_at(day),
                rated_on=day,
            )
        )
    Evaluation.objects.bulk_create(rows)
    follow_ups = []
    firsts = [e for e in Evaluation.objects.filter(case__isnull=False) if not e.invalidated]
    for first in rng.sample(firsts, len(firsts) // 4):
        day = first.rated_on + dt.timedelta(days=rng.randint(0, 5))
        day = min(day, today)
        follow_ups.append(
            Evaluation(
                case_id=first.case_id,
                channel=first.channel,
                level=rng.randint(1, 5),
                follow_up_of=first,
                staff_id=first.staff_id,
                window_id=first.window_id,
                department_id=first.department_id,
                center_id=first.center_id,
                invalidated=rng.random() < 0.2,
                created_at=local_at(day, 15),
                rated_on=day,
            )
        )
    Evaluation.objects.bulk_create(follow_ups)
    auditor = UserFactory(username="auditor01", roles=[Role.AUDITOR])
    return fb, today, auditor


def old_case(fb, **kwargs):
    """A case completed before every day of the world (so that it can be rated on any)."""
    accepted = timezone.now() - dt.timedelta(days=DAYS + 5)
    return CaseFactory(
        center=fb.main, accepted_at=accepted, completed_at=accepted + dt.timedelta(days=1), **kwargs
    )


def filter_sets(fb, today):
    start, mid = today - dt.timedelta(days=DAYS), today - dt.timedelta(days=12)
    return [
        {},
        {"start": start, "end": today},
        {"start": start, "end": today - dt.timedelta(days=1)},
        {"start": mid, "end": mid},
        {"start": mid},
        {"end": mid},
        {"department": fb.dept_a.pk},
        {"department": fb.dept_b.pk, "start": mid},
        {"center": fb.sub.pk},
        {"window": fb.w_a01.pk, "end": mid},
        {"staff": fb.a1.pk},
        {"channel": "hotline", "start": mid, "end": today},
        {"channel": "pad", "department": fb.dept_a.pk},
    ]


def figures(user, params):
    filters = EvaluationFilter(**params)
    result = {"total": selectors.satisfaction(user=user, filters=filters)}
    for by in selectors.GROUPINGS:
        rows = selectors.satisfaction_by(user=user, filters=filters, by=by)
        result[by] = rows
        result[f"{by}-total"] = selectors.total_of(rows)
    result["trend"] = selectors.monthly_trend(user=user, filters=filters)
    return result


def live(fn):
    """`fn()` with no summary day (every rating counted live), the summary left as it was."""
    with transaction.atomic():
        FeedbackSummaryDay.objects.all().delete()
        result = fn()
        transaction.set_rollback(True)
    return result


def all_figures(fb, today, users):
    return {
        (user.username, i): figures(user, params)
        for user in users
        for i, params in enumerate(filter_sets(fb, today))
    }


def build(today):
    first = Evaluation.objects.order_by("rated_on").first().rated_on
    return summary.rebuild_range(start=first, end=today)


def test_the_summary_gives_the_live_figures_for_every_filter_grouping_and_role(world):
    fb, today, auditor = world
    users = [fb.admin, fb.head_a, auditor]
    expected = all_figures(fb, today, users)
    assert expected[("admin", 0)]["total"].total > 100
    done = build(today)
    assert done["days"] == DAYS  # every closed day, not today
    assert not FeedbackSummaryDay.objects.filter(date__gte=today).exists()
    assert FeedbackDailyStats.objects.exists()
    assert all_figures(fb, today, users) == expected
    # stale days (live again) at the edges of the periods: the first day, a period's only day,
    # yesterday
    summary.mark_stale([today - dt.timedelta(days=d) for d in (DAYS, 12, 1)])
    assert FeedbackSummaryDay.objects.count() == DAYS - 3
    assert all_figures(fb, today, users) == expected
    # the head of A sees A's figures only, from the summary too
    head = selectors.satisfaction_by(user=fb.head_a, filters=EvaluationFilter(), by="department")
    assert [r.key for r in head] == [fb.dept_a.pk]
    clerk = UserFactory(username="clerk09", roles=[Role.CLERK])
    assert selectors.satisfaction(user=clerk, filters=EvaluationFilter()).total == 0


def test_the_figures_of_built_days_come_from_the_summary(world):
    fb, today, _ = world
    build(today)
    day = today - dt.timedelta(days=3)
    before = selectors.satisfaction(user=fb.admin, filters=EvaluationFilter(start=day, end=day))
    # a write behind the services' back is not seen until the day is rebuilt or made stale
    Evaluation.objects.filter(rated_on=day).update(level=1)
    filters = EvaluationFilter(start=day, end=day)
    assert selectors.satisfaction(user=fb.admin, filters=filters) == before
    summary.mark_stale([day])
    assert not FeedbackSummaryDay.objects.filter(date=day).exists()
    after = selectors.satisfaction(user=fb.admin, filters=filters)
    assert after.total == before.total and after.by_level == {1: after.total}
    summary.rebuild(start=day, end=day)
    assert selectors.satisfaction(user=fb.admin, filters=filters) == after


def test_a_follow_up_today_makes_the_first_ratings_day_stale(world):
    fb, today, _ = world
    day = today - dt.timedelta(days=5)
    case = old_case(fb, matter=fb.matter_a, window=fb.w_a01, clerk=fb.a1)
    first = services.rate(
        actor=fb.admin, channel="hotline", level=1, case=case, at=local_at(day, 11)
    )
    build(today)
    expected = live(lambda: figures(fb.admin, {}))
    assert figures(fb.admin, {}) == expected
    services.rate(actor=fb.admin, channel="hotline", level=5, follow_up_of=first)
    assert not FeedbackSummaryDay.objects.filter(date=day).exists()
    assert FeedbackSummaryDay.objects.filter(date=day - dt.timedelta(days=1)).exists()
    changed = figures(fb.admin, {})
    assert changed != expected
    assert changed == live(lambda: figures(fb.admin, {}))


def test_a_rating_entered_with_an_earlier_time_makes_its_day_stale(world):
    fb, today, _ = world
    build(today)
    day = today - dt.timedelta(days=2)
    case = old_case(fb, matter=fb.matter_b, window=fb.w_b01, clerk=fb.b1)
    services.rate(actor=fb.admin, channel="web", level=4, case=case, at=local_at(day, 16))
    assert not FeedbackSummaryDay.objects.filter(date=day).exists()
    assert figures(fb.admin, {}) == live(lambda: figures(fb.admin, {}))
    # a rating made now leaves the closed days built
    other = old_case(
        fb,
        matter=fb.matter_b,
    )
    built = FeedbackSummaryDay.objects.count()
    services.rate(actor=fb.admin, channel="sms", level=2, case=other)
    assert FeedbackSummaryDay.objects.count() == built
    assert figures(fb.admin, {}) == live(lambda: figures(fb.admin, {}))


@pytest.mark.parametrize("invalid", ["first", "follow_up"])
def test_an_upheld_appeal_makes_the_days_stale(world, invalid):
    fb, today, _ = world
    day, later = today - dt.timedelta(days=9), today - dt.timedelta(days=4)
    case = old_case(fb, matter=fb.matter_a, window=fb.w_a01, clerk=fb.a1)
    first = services.rate(
        actor=fb.admin, channel="hotline", level=2, case=case, at=local_at(day, 11)
    )
    bad = first
    if invalid == "follow_up":
        first.rectification.delete()  # only the follow-up's rectification is appealed
        bad = services.rate(
            actor=fb.admin, channel="hotline", level=1, follow_up_of=first, at=local_at(later)
        )
    build(today)
    rect = services.appeal(
        actor=fb.head_a, rectification=bad.rectification, kind="malicious", reason="辱骂"
    )
    before = figures(fb.admin, {})
    services.decide_appeal(actor=fb.admin, rectification=rect, decision="upheld", note="成立")
    stale = {day} if invalid == "first" else {day, later}
    assert not FeedbackSummaryDay.objects.filter(date__in=stale).exists()
    assert FeedbackSummaryDay.objects.count() == DAYS - len(stale)
    after = figures(fb.admin, {})
    assert after["total"].total == before["total"].total - (invalid == "first")
    assert after == live(lambda: figures(fb.admin, {}))


def test_a_rejected_appeal_keeps_the_summary(world):
    fb, today, _ = world
    day = today - dt.timedelta(days=6)
    case = old_case(fb, matter=fb.matter_a, window=fb.w_a01, clerk=fb.a1)
    bad = services.rate(actor=fb.admin, channel="web", level=1, case=case, at=local_at(day))
    build(today)
    rect = services.appeal(
        actor=fb.head_a, rectification=bad.rectification, kind="invalid", reason="误评"
    )
    services.decide_appeal(actor=fb.admin, rectification=rect, decision="rejected", note="")
    assert FeedbackSummaryDay.objects.filter(date=day).exists()
    assert figures(fb.admin, {}) == live(lambda: figures(fb.admin, {}))


def test_deleting_a_clerk_or_window_keeps_summary_and_live_equal(world):
    fb, today, _ = world
    leaver = StaffFactory(name="离职", department=fb.dept_a, center=fb.main)
    Evaluation.objects.filter(staff=fb.a2).update(staff=leaver)
    build(today)
    leaver.delete()  # SET_NULL in the ratings and in the summary alike
    for params in ({}, {"staff": fb.a1.pk}):
        assert figures(fb.admin, params) == live(lambda p=params: figures(fb.admin, p))


def test_rebuild_is_idempotent_and_audited_and_never_builds_today(world):
    fb, today, _ = world
    first = build(today)
    rows = sorted(FeedbackDailyStats.objects.values_list("rated_on", "level", "count"))
    again = build(today)
    assert again["rows"] == first["rows"] and again["ratings"] == first["ratings"]
    assert sorted(FeedbackDailyStats.objects.values_list("rated_on", "level", "count")) == rows
    assert AuditEntry.objects.filter(action="feedback.rebuild_summary").count() >= 2
    assert summary.rebuild(start=today, end=today)["days"] == 0
    assert not FeedbackDailyStats.objects.filter(rated_on=today).exists()
    built = FeedbackSummaryDay.objects.get(date=today - dt.timedelta(days=1))
    assert (
        built.ratings
        == selectors.satisfaction(
            user=fb.admin, filters=EvaluationFilter(start=built.date, end=built.date)
        ).total
    )


def test_the_nightly_job_builds_the_missing_days_and_yesterday(world):
    fb, today, _ = world
    assert BY_NAME["rebuild_feedback_summary"].at == dt.time(1, 25)
    expected = figures(fb.admin, {})
    done = tasks.rebuild_feedback_summary.call()
    assert done["days"] == DAYS
    assert summary.missing_days() == []
    assert figures(fb.admin, {}) == expected
    summary.mark_stale([today - dt.timedelta(days=20)])
    assert summary.missing_days() == [(today - dt.timedelta(days=20),) * 2]
    tasks.rebuild_feedback_summary.call()
    assert summary.missing_days() == []
    assert figures(fb.admin, {}) == expected


def test_the_command(world, capsys):
    fb, today, _ = world
    start = today - dt.timedelta(days=10)
    call_command("rebuild_feedback_summary", "--start", str(start), "--end", str(today))
    assert "已重建满意率日汇总：10 天" in capsys.readouterr().out
    assert FeedbackSummaryDay.objects.count() == 10
    call_command("rebuild_feedback_summary")
    assert FeedbackSummaryDay.objects.count() == DAYS
    assert figures(fb.admin, {}) == live(lambda: figures(fb.admin, {}))
    with pytest.raises(CommandError, match="日期格式"):
        call_command("rebuild_feedback_summary", "--start", "2018-13-01")
    with pytest.raises(CommandError, match="结束日期不能早于开始日期"):
        call_command("rebuild_feedback_summary", "--start", str(today))


def test_the_page_and_the_api_show_the_summary_figures(world, client, api_client_as):
    fb, today, _ = world
    client.force_login(fb.admin)
    api = api_client_as(fb.admin)
    params = {"start": str(today - dt.timedelta(days=30)), "by": "window"}
    before = api.get("/feedback/satisfaction", params).json()
    page = client.get("/feedback/satisfaction/", params)
    build(today)
    assert api.get("/feedback/satisfaction", params).json() == before
    after = client.get("/feedback/satisfaction/", params)
    assert after.status_code == page.status_code == 200
    assert after.context["total"] == page.context["total"]
    assert list(after.context["page"]) == list(page.context["page"])


def test_the_demo_builds_the_past_days_after_every_app(world):
    fb, today, _ = world
    expected = figures(fb.admin, {})
    demo.finish()  # run by chuangkou.demo.load_demo after every app's load()
    assert FeedbackSummaryDay.objects.count() == DAYS
    assert figures(fb.admin, {}) == expected
