"""Services of 好差评: rating rules, deadlines, the rectification state machine, sampling."""

import datetime as dt

import pytest
from django.db import IntegrityError, transaction
from django.utils import timezone

from chuangkou.core.errors import DomainError, PermissionDeniedError
from chuangkou.core.models import AuditEntry
from chuangkou.feedback import selectors, services
from chuangkou.feedback.filters import EvaluationFilter
from chuangkou.feedback.models import Evaluation, Rectification, SurveySample
from chuangkou.feedback.pad import PadSession

from .factories import CaseFactory, TicketFactory, local

pytestmark = pytest.mark.django_db
State = Rectification.State
HOTLINE = Evaluation.Channel.HOTLINE


def hotline(fb, level, *, case=None, ticket=None, at=None, **kwargs):
    return services.rate(
        actor=fb.admin,
        channel=HOTLINE,
        level=level,
        case=case,
        ticket=ticket if case is None and ticket is not None else None,
        at=at,
        **kwargs,
    )


def bad_rating(fb, *, at=None, case=None):
    case = case or fb.case_a
    return hotline(fb, 2, case=case, at=at).rectification


# 评价 --------------------------------------------------------------------------------------------


def test_pad_rating_copies_the_clerk_window_department_and_center(fb):
    pad = PadSession(window=fb.w_a01, staff=fb.a1)
    evaluation = services.rate_on_pad(pad=pad, level=5, comment="很耐心")

    assert evaluation.ticket == fb.ticket_a
    assert evaluation.channel == Evaluation.Channel.PAD
    assert (evaluation.staff, evaluation.window) == (fb.a1, fb.w_a01)
    assert (evaluation.department, evaluation.center) == (fb.dept_a, fb.main)
    assert evaluation.rated_on == timezone.localdate()
    assert not hasattr(evaluation, "rectification")
    entry = AuditEntry.objects.get(action="feedback.rate")
    assert entry.actor is None and "评价器" in entry.actor_name
    # the ticket has been rated on the pad: nothing left to rate there
    assert selectors.pad_subject(window_id=fb.w_a01.pk) is None
    with pytest.raises(DomainError, match="当前没有可评价的业务"):
        services.rate_on_pad(pad=pad, level=4)


def test_pad_rates_only_recently_finished_tickets_of_its_window(fb):
    fb.ticket_a.finished_at = timezone.now() - dt.timedelta(minutes=45)
    fb.ticket_a.save()
    assert selectors.pad_subject(window_id=fb.w_a01.pk) is None
    newer = TicketFactory(queue=fb.queue, window=fb.w_a01, clerk=fb.a1)
    assert selectors.pad_subject(window_id=fb.w_a01.pk) == newer
    assert selectors.pad_subject(window_id=fb.w_b01.pk) == fb.ticket_b


def test_case_rating_by_hotline_is_entered_by_staff(fb):
    evaluation = services.rate(
        actor=fb.lobby,
        channel=HOTLINE,
        level=4,
        case=fb.case_b,
        contact_phone="139 1234 5678",
    )
    assert evaluation.entered_by == fb.lobby
    assert evaluation.contact_phone == "13912345678"
    assert (evaluation.department, evaluation.staff) == (fb.dept_b, fb.b1)


@pytest.mark.parametrize("level", [0, 6, -1, "5", True, None, 4.5])
def test_level_must_be_1_to_5(fb, level):
    with pytest.raises(DomainError) as caught:
        hotline(fb, level, case=fb.case_a)
    assert caught.value.field == "level"
    assert not Evaluation.objects.exists()


def test_clerks_cannot_enter_hotline_ratings(fb):
    with pytest.raises(PermissionDeniedError):
        services.rate(actor=fb.clerk_a1, channel=HOTLINE, level=5, case=fb.case_a)
    with pytest.raises(PermissionDeniedError):
        services.rate(actor=None, channel=Evaluation.Channel.SMS, level=5, case=fb.case_a)


def test_unknown_channel_is_refused(fb):
    with pytest.raises(DomainError, match="渠道"):
        services.rate(actor=fb.admin, channel="fax", level=5, case=fb.case_a)


def test_only_finished_services_can_be_rated(fb):
    with pytest.raises(DomainError, match="尚未办结"):
        hotline(fb, 5, case=fb.open_case)
    with pytest.raises(DomainError, match="尚未办理完成"):
        hotline(fb, 5, ticket=fb.waiting)
    with pytest.raises(DomainError, match="二选一"):
        hotline(fb, 5)


def test_one_rating_per_subject_and_channel(fb):
    hotline(fb, 5, case=fb.case_a)
    with pytest.raises(DomainError, match="已通过热线电话评价过"):
        hotline(fb, 3, case=fb.case_a)
    services.rate(actor=fb.admin, channel=Evaluation.Channel.SMS, level=3, case=fb.case_a)
    assert fb.case_a.evaluations.count() == 2


def test_database_refuses_a_second_rating_on_the_same_channel(fb):
    first = hotline(fb, 5, case=fb.case_a)
    with pytest.raises(IntegrityError), transaction.atomic():
        Evaluation.objects.create(
            case=fb.case_a,
            channel=HOTLINE,
            level=4,
            created_at=first.created_at,
            rated_on=first.rated_on,
        )


def test_database_refuses_a_rating_without_subject_or_out_of_range(fb):
    now = timezone.now()
    with pytest.raises(IntegrityError), transaction.atomic():
        Evaluation.objects.create(channel=HOTLINE, level=4, created_at=now, rated_on=now.date())
    with pytest.raises(IntegrityError), transaction.atomic():
        Evaluation.objects.create(
            case=fb.case_a, channel=HOTLINE, level=6, created_at=now, rated_on=now.date()
        )


def test_follow_up_once_and_only_after_a_first_rating(fb):
    first = services.rate_by_phone(ticket=fb.ticket_a, level=2, comment="等了很久")
    follow_up = services.rate_by_phone(ticket=fb.ticket_a, level=4, follow_up=True)

    assert follow_up.follow_up_of == first
    assert follow_up.ticket == fb.ticket_a
    assert AuditEntry.objects.filter(action="feedback.follow_up").count() == 1
    with pytest.raises(DomainError, match="只能追评一次"):
        services.rate_by_phone(ticket=fb.ticket_a, level=5, follow_up=True)
    with pytest.raises(DomainError, match="只能针对首次评价"):
        hotline(fb, 5, follow_up_of=follow_up)
    with pytest.raises(DomainError, match="请先评价"):
        services.rate_by_phone(ticket=fb.ticket_b, level=5, follow_up=True)
    with pytest.raises(DomainError, match="同一受理件"):
        hotline(fb, 5, case=fb.case_a, follow_up_of=first)


def test_database_refuses_a_second_follow_up(fb):
    first = hotline(fb, 5, case=fb.case_a)
    hotline(fb, 4, follow_up_of=first)
    with pytest.raises(IntegrityError), transaction.atomic():
        Evaluation.objects.create(
            case=fb.case_a,
            channel=HOTLINE,
            level=3,
            follow_up_of=first,
            created_at=first.created_at,
            rated_on=first.rated_on,
        )


def test_rating_time_cannot_be_in_the_future_or_before_completion(fb):
    with pytest.raises(DomainError, match="晚于现在"):
        hotline(fb, 5, case=fb.case_a, at=timezone.now() + dt.timedelta(hours=1))
    with pytest.raises(DomainError, match="早于办结时间"):
        hotline(fb, 5, case=fb.case_a, at=fb.case_a.completed_at - dt.timedelta(hours=1))


def test_bad_phone_number_is_refused(fb):
    with pytest.raises(DomainError) as caught:
        hotline(fb, 2, case=fb.case_a, contact_phone="12345")
    assert caught.value.field == "contact_phone"


# 差评整改 deadlines ------------------------------------------------------------------------------


def test_deadlines_across_a_weekend():
    # Friday 2018-06-08: the callback is due on Monday; 15 working days skip 端午 (06-16..18)
    callback, reply = services.rectification_deadlines(dt.date(2018, 6, 8))
    assert callback == dt.date(2018, 6, 11)
    assert reply == dt.date(2018, 7, 2)


def test_deadlines_across_a_weekend_and_a_holiday():
    # Friday 2018-06-15, then Saturday to Monday 端午节: the callback is due on Tuesday 06-19
    assert services.rectification_deadlines(dt.date(2018, 6, 15))[0] == dt.date(2018, 6, 19)
    # Sunday 2018-09-30 is a make-up working day (调休); 国庆 runs 10-01..10-07
    assert services.rectification_deadlines(dt.date(2018, 9, 28))[0] == dt.date(2018, 9, 29)
    assert services.rectification_deadlines(dt.date(2018, 9, 30))[0] == dt.date(2018, 10, 8)


def test_a_bad_rating_opens_a_rectification_with_its_deadlines(fb):
    case = CaseFactory(
        matter=fb.matter_a,
        center=fb.main,
        accepted_at=local(2018, 6, 1),
        completed_at=local(2018, 6, 4),
    )
    rect = bad_rating(fb, case=case, at=local(2018, 6, 15, 16, 30))

    assert rect.state == State.PENDING
    assert rect.callback_due == dt.date(2018, 6, 19)
    assert rect.reply_due == services.rectification_deadlines(dt.date(2018, 6, 15))[1]
    assert rect.events.get().to_state == State.PENDING


# the state machine -------------------------------------------------------------------------------


def test_callback_then_rectification(fb):
    rect = bad_rating(fb)
    rect = services.record_callback(actor=fb.head_a, rectification=rect, note="已电话致歉")
    assert rect.state == State.RECTIFYING and rect.callback_at is not None

    rect = services.record_rectification(actor=fb.head_a, rectification=rect, reply="已培训")
    assert rect.state == State.RECTIFIED
    assert [e.to_state for e in rect.events.all()] == [
        State.PENDING,
        State.RECTIFYING,
        State.RECTIFIED,
    ]
    assert AuditEntry.objects.filter(action__startswith="feedback.rectification.").count() == 2


def test_invalid_moves_are_refused_with_a_clear_message(fb):
    rect = bad_rating(fb)
    with pytest.raises(DomainError, match="当前状态为「待核实」，不能标记无法整改"):
        services.mark_unrectifiable(actor=fb.admin, rectification=rect, reason="x")
    with pytest.raises(DomainError, match="当前状态为「待核实」，不能登记整改"):
        services.record_rectification(actor=fb.admin, rectification=rect, reply="x")
    with pytest.raises(DomainError, match="请填写回访情况"):
        services.record_callback(actor=fb.admin, rectification=rect, note="  ")
    rect = services.record_callback(actor=fb.admin, rectification=rect, note="已回访")
    with pytest.raises(DomainError, match="当前状态为「整改中」，不能登记回访"):
        services.record_callback(actor=fb.admin, rectification=rect, note="again")
    with pytest.raises(DomainError, match="不能审核申诉"):
        services.decide_appeal(actor=fb.admin, rectification=rect, decision="upheld", note="x")
    rect = services.mark_unrectifiable(actor=fb.admin, rectification=rect, reason="法规不允许")
    assert rect.state == State.UNRECTIFIABLE
    for action, kwargs in [
        (services.record_rectification, {"reply": "x"}),
        (services.appeal, {"kind": "invalid", "reason": "x"}),
    ]:
        with pytest.raises(DomainError, match="无法整改"):
            action(actor=fb.admin, rectification=rect, **kwargs)


def test_only_the_rated_departments_head_or_the_center_admin_handles(fb):
    rect = bad_rating(fb, case=fb.case_b)  # department B: head_a does not head it
    for actor in (fb.head_a, fb.clerk_b1, fb.lobby):
        with pytest.raises(PermissionDeniedError):
            services.record_callback(actor=actor, rectification=rect, note="x")
        with pytest.raises(PermissionDeniedError):
            services.appeal(actor=actor, rectification=rect, kind="invalid", reason="x")
    assert services.record_callback(actor=fb.admin, rectification=rect, note="ok").state == (
        State.RECTIFYING
    )


def test_appeal_upheld_invalidates_the_rating(fb):
    hotline(fb, 5, case=fb.case_b)
    rect = bad_rating(fb)
    filters = EvaluationFilter()
    assert selectors.satisfaction(user=fb.admin, filters=filters).rate == 50

    rect = services.appeal(actor=fb.head_a, rectification=rect, kind="malicious", reason="辱骂")
    assert rect.state == State.APPEALING
    with pytest.raises(DomainError, match="只能申诉一次|不能申诉"):
        services.appeal(actor=fb.head_a, rectification=rect, kind="invalid", reason="again")
    with pytest.raises(PermissionDeniedError):
        services.decide_appeal(actor=fb.head_a, rectification=rect, decision="upheld", note="x")
    with pytest.raises(DomainError, match="须填写审核意见"):
        services.decide_appeal(actor=fb.admin, rectification=rect, decision="upheld")
    with pytest.raises(DomainError, match="审核结果"):
        services.decide_appeal(actor=fb.admin, rectification=rect, decision="maybe")

    rect = services.decide_appeal(
        actor=fb.admin, rectification=rect, decision="upheld", note="录音证实为恶意评价"
    )
    assert rect.state == State.INVALIDATED
    assert rect.evaluation.invalidated is True
    assert rect.decided_by == fb.admin
    assert selectors.satisfaction(user=fb.admin, filters=filters).rate == 100
    assert AuditEntry.objects.filter(action="feedback.invalidate").count() == 1


def test_appeal_rejected_goes_back_to_rectification(fb):
    rect = bad_rating(fb)
    rect = services.record_callback(actor=fb.head_a, rectification=rect, note="已回访")
    rect = services.appeal(actor=fb.head_a, rectification=rect, kind="invalid", reason="误评")
    rect = services.decide_appeal(actor=fb.admin, rectification=rect, decision="rejected")
    assert rect.state == State.RECTIFYING
    assert rect.evaluation.invalidated is False


def test_appeal_rejected_before_the_callback_goes_back_to_pending(fb):
    rect = bad_rating(fb)
    rect = services.appeal(actor=fb.admin, rectification=rect, kind="invalid", reason="误评")
    rect = services.decide_appeal(actor=fb.admin, rectification=rect, decision="rejected")
    assert rect.state == State.PENDING


# 超期 -------------------------------------------------------------------------------------------


def test_flag_overdue_marks_missed_deadlines_only(fb):
    late_callback = bad_rating(fb)
    late_reply = services.record_callback(
        actor=fb.admin, rectification=bad_rating(fb, case=fb.case_b), note="已回访"
    )
    appealing = services.appeal(
        actor=fb.admin,
        rectification=hotline(fb, 1, ticket=fb.ticket_a).rectification,
        kind="invalid",
        reason="x",
    )
    on_time_day = late_callback.callback_due
    assert services.flag_overdue(today=on_time_day) == 0

    day_after_callback = on_time_day + dt.timedelta(days=1)
    assert services.flag_overdue(today=day_after_callback) == 1
    late_callback.refresh_from_db()
    assert late_callback.state == State.OVERDUE
    assert late_callback.events.last().note == "超过回访期限"

    after_reply_due = late_reply.reply_due + dt.timedelta(days=1)
    assert services.flag_overdue(today=after_reply_due) == 1
    late_reply.refresh_from_db()
    appealing.refresh_from_db()
    assert late_reply.state == State.OVERDUE
    assert appealing.state == State.APPEALING  # not flagged while under review


def test_overdue_is_evaluated_lazily_on_read(fb):
    rect = bad_rating(fb)
    Rectification.objects.filter(pk=rect.pk).update(
        callback_due=dt.date(2018, 6, 11), reply_due=dt.date(2018, 7, 2)
    )
    row = selectors.rectifications_visible_to(fb.admin).get(pk=rect.pk)
    assert row.state == State.PENDING  # nothing written yet
    assert row.current_state == State.OVERDUE


def test_late_actions_are_still_possible_when_overdue(fb):
    rect = bad_rating(fb)
    Rectification.objects.filter(pk=rect.pk).update(
        callback_due=dt.date(2018, 6, 11), reply_due=dt.date(2018, 7, 2)
    )
    services.flag_overdue()
    rect.refresh_from_db()
    with pytest.raises(DomainError, match="请先登记回访"):
        services.record_rectification(actor=fb.admin, rectification=rect, reply="x")
    rect = services.record_callback(actor=fb.admin, rectification=rect, note="迟到的回访")
    assert rect.state == State.OVERDUE  # the reply deadline has passed as well
    rect = services.record_rectification(actor=fb.admin, rectification=rect, reply="已整改")
    assert rect.state == State.RECTIFIED


def test_management_command_flags_overdue(fb):
    from django.core.management import call_command

    rect = bad_rating(fb)
    Rectification.objects.filter(pk=rect.pk).update(callback_due=dt.date(2018, 6, 11))
    call_command("feedback_flag_overdue")
    rect.refresh_from_db()
    assert rect.state == State.OVERDUE


# 抽样调查 ---------------------------------------------------------------------------------------


@pytest.fixture
def population(fb):
    """60 cases of department A and 20 of B completed in May 2018, 5 of A in July (outside)."""

    def completed(matter, n, month):
        return [
            CaseFactory(
                number=f"{matter.department.code}-{month:02d}-{i:03d}",
                matter=matter,
                center=fb.main,
                accepted_at=local(2018, month, 2),
                completed_at=local(2018, month, 3 + i % 20),
            )
            for i in range(n)
        ]

    return (
        completed(fb.matter_a, 60, 5) + completed(fb.matter_b, 20, 5) + completed(fb.matter_a, 5, 7)
    )


def draw(fb, seed, size=20):
    return services.draw_sample(
        actor=fb.admin,
        region=fb.region,
        name="2018年抽样",
        period_start=dt.date(2018, 5, 1),
        period_end=dt.date(2018, 5, 31),
        sample_size=size,
        seed=seed,
    )


def sampled(survey) -> list[str]:
    return sorted(survey.samples.values_list("case__number", flat=True))


def test_same_seed_same_sample(fb, population):
    first, again, other = draw(fb, 7), draw(fb, 7), draw(fb, 8)
    assert sampled(first) == sampled(again)
    assert sampled(first) != sampled(other)
    assert first.seed == 7


def test_sample_is_stratified_by_department_in_proportion(fb, population):
    survey = draw(fb, 2018)
    strata = {s.department.code: s for s in survey.strata.select_related("department")}
    assert strata[fb.dept_a.code].population == 60  # the July cases are outside the period
    assert strata[fb.dept_b.code].population == 20
    assert (strata[fb.dept_a.code].sample_size, strata[fb.dept_b.code].sample_size) == (15, 5)
    numbers = sampled(survey)
    assert len(numbers) == len(set(numbers)) == 20
    assert all("-05-" in n for n in numbers)
    assert AuditEntry.objects.get(action="feedback.survey.draw").after["seed"] == 2018


def test_a_seed_is_chosen_and_kept_when_none_is_given(fb, population):
    survey = services.draw_sample(
        actor=fb.admin,
        region=fb.region,
        name="随机",
        period_start=dt.date(2018, 5, 1),
        period_end=dt.date(2018, 5, 31),
        sample_size=10,
    )
    assert sampled(draw(fb, survey.seed, size=10)) == sampled(survey)


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"period_end": dt.date(2018, 4, 1)}, "period_end"),
        ({"sample_size": 0}, "sample_size"),
        ({"name": " "}, "name"),
        ({"seed": -1}, "seed"),
        ({"period_start": dt.date(2016, 1, 1), "period_end": dt.date(2016, 1, 31)}, "period_start"),
    ],
)
def test_draw_is_refused_with_bad_input(fb, population, changes, field):
    kwargs = {
        "actor": fb.admin,
        "region": fb.region,
        "name": "x",
        "period_start": dt.date(2018, 5, 1),
        "period_end": dt.date(2018, 5, 31),
        "sample_size": 10,
        "seed": 1,
        **changes,
    }
    with pytest.raises(DomainError) as caught:
        services.draw_sample(**kwargs)
    assert caught.value.field == field


def test_only_the_center_admin_draws_and_interviews(fb, population):
    with pytest.raises(PermissionDeniedError):
        services.draw_sample(
            actor=fb.head_a,
            region=fb.region,
            name="x",
            period_start=dt.date(2018, 5, 1),
            period_end=dt.date(2018, 5, 31),
            sample_size=5,
        )
    sample = draw(fb, 1).samples.first()
    with pytest.raises(PermissionDeniedError):
        services.record_interview(actor=fb.lobby, sample=sample, reached=False)


def test_record_interview(fb, population):
    sample = draw(fb, 1).samples.first()
    with pytest.raises(DomainError) as caught:
        services.record_interview(actor=fb.admin, sample=sample, reached=True, satisfied=True)
    assert caught.value.field == "visits_reported"
    with pytest.raises(DomainError) as caught:
        services.record_interview(actor=fb.admin, sample=sample, reached=True, visits_reported=1)
    assert caught.value.field == "satisfied"
    with pytest.raises(DomainError, match="0 到 20"):
        services.record_interview(
            actor=fb.admin, sample=sample, reached=True, visits_reported=99, satisfied=True
        )

    sample = services.record_interview(
        actor=fb.admin, sample=sample, reached=True, visits_reported=1, satisfied=True
    )
    assert sample.realized is True and sample.interviewer == fb.admin
    sample = services.record_interview(
        actor=fb.admin, sample=sample, reached=False, visits_reported=3, satisfied=False
    )
    assert (sample.reached, sample.visits_reported, sample.satisfied) == (False, None, None)
    assert AuditEntry.objects.filter(action="feedback.survey.interview").count() == 2


def test_database_refuses_answers_without_a_reached_call(fb, population):
    sample = draw(fb, 1).samples.first()
    with pytest.raises(IntegrityError), transaction.atomic():
        SurveySample.objects.filter(pk=sample.pk).update(reached=False, satisfied=True)
