"""Sitting-in booking and record, the problem state machine, figures as of a date, the docx."""

import datetime as dt
import io

import pytest
from django.utils import timezone
from docx import Document

from chuangkou.core.errors import DomainError, PermissionDeniedError
from chuangkou.core.models import AuditEntry
from chuangkou.core.roles import Role
from chuangkou.supervision import handbook, selectors, services
from chuangkou.supervision.filters import ProblemFilter
from chuangkou.supervision.models import Problem, SittingIn, SittingSlot
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def slot(o, day=None, capacity=1, half="am"):
    return SittingSlot.objects.create(
        window=o.w_a01, date=day or timezone.localdate(), half=half, capacity=capacity
    )


def test_questionnaire_has_32_questions_in_seven_stages(sv):
    questions = list(sv.questionnaire.questions.all())
    assert len(questions) == 32 and [q.number for q in questions] == list(range(1, 33))
    stages = list(dict.fromkeys(q.stage for q in questions))
    assert stages == ["办事前", "取号", "材料", "受理", "审批", "取件", "网上办"]
    assert services.current_questionnaire() == sv.questionnaire


def test_booking_respects_capacity_and_dates(sv):
    head_b = UserFactory(roles=[Role.DEPT_HEAD])
    sv.dept_b.heads.add(head_b)
    s = slot(sv)
    sitting = services.book_sitting(actor=sv.head_a, slot=s)
    assert sitting.department == sv.dept_a
    with pytest.raises(DomainError, match="已预约了这个时段"):
        services.book_sitting(actor=sv.head_a, slot=s)
    with pytest.raises(DomainError, match="名额已满"):
        services.book_sitting(actor=head_b, slot=s)
    with pytest.raises(DomainError, match="已经过去"):
        services.book_sitting(
            actor=sv.head_a, slot=slot(sv, timezone.localdate() - dt.timedelta(1))
        )
    with pytest.raises(PermissionDeniedError):
        services.book_sitting(actor=sv.clerk_a1, slot=s)
    services.cancel_sitting(actor=sv.head_a, sitting=sitting)
    assert services.book_sitting(actor=head_b, slot=s).department == sv.dept_b


def test_recording_a_sitting_with_answers_and_problems(sv):
    sitting = services.book_sitting(actor=sv.head_a, slot=slot(sv))
    recorded = services.record_sitting(
        actor=sv.head_a,
        sitting=sitting,
        answers={1: "指南清楚", 7: "高峰等候 40 分钟"},
        summary="上午受理 12 件",
        problems=[
            {"title": "高峰等候过长", "kind": "block"},
            {"title": "复印收费", "kind": "pain", "on_spot": True, "resolution": "改为免费复印"},
            {"title": "", "kind": "pain"},
        ],
    )
    assert recorded.status == "recorded" and recorded.questionnaire == sv.questionnaire
    assert recorded.answers.count() == 32
    assert recorded.answers.get(question__number=7).text == "高峰等候 40 分钟"
    states = dict(recorded.problems.values_list("title", "state"))
    assert states == {"高峰等候过长": "found", "复印收费": "on_spot"}
    with pytest.raises(DomainError, match="不是待记录状态"):
        services.record_sitting(actor=sv.head_a, sitting=sitting, answers={})


def test_a_future_sitting_cannot_be_recorded_and_bad_answers_change_nothing(sv):
    future = services.book_sitting(
        actor=sv.head_a, slot=slot(sv, timezone.localdate() + dt.timedelta(days=3))
    )
    with pytest.raises(DomainError, match="尚未开始"):
        services.record_sitting(actor=sv.head_a, sitting=future, answers={})
    today = services.book_sitting(actor=sv.head_a, slot=slot(sv))
    with pytest.raises(DomainError, match="第 33 题"):
        services.record_sitting(actor=sv.head_a, sitting=today, answers={33: "x"})
    with pytest.raises(DomainError, match="问题类型"):
        services.record_sitting(
            actor=sv.head_a, sitting=today, answers={}, problems=[{"title": "x", "kind": "?"}]
        )
    today.refresh_from_db()
    assert today.status == "booked" and not today.answers.exists()
    assert not Problem.objects.exists()


def problem(o, title="排队久", kind="pain", found_on=dt.date(2018, 3, 1)):
    return services.report_problem(
        actor=o.admin, title=title, kind=kind, owner=o.dept_a, found_on=found_on
    )


def test_problem_state_machine(sv):
    p = problem(sv)
    with pytest.raises(DomainError, match="不能登记解决"):
        services.mark_resolved(actor=sv.admin, problem=p, resolution="x")
    with pytest.raises(DomainError, match="会商记录"):
        services.solve_by_consultation(actor=sv.admin, problem=p, meeting_record="", resolution="x")
    with pytest.raises(PermissionDeniedError):  # head of B does not own it
        head_b = UserFactory(roles=[Role.DEPT_HEAD])
        sv.dept_b.heads.add(head_b)
        services.start_coordinating(actor=head_b, problem=p, note="x")
    p = services.start_coordinating(
        actor=sv.head_a,
        problem=p,
        note="需人社协同",
        coordinating=[sv.dept_b],
        on=dt.date(2018, 3, 2),
    )
    assert list(p.coordinating.all()) == [sv.dept_b]
    p = services.mark_resolved(
        actor=sv.head_a, problem=p, resolution="数据已共享", on=dt.date(2018, 4, 2)
    )
    with pytest.raises(PermissionDeniedError):
        services.close_problem(actor=sv.head_a, problem=p)
    p = services.close_problem(actor=sv.admin, problem=p, on=dt.date(2018, 4, 3))
    p = services.reopen_problem(
        actor=sv.admin, problem=p, reason="问题复发", on=dt.date(2018, 5, 1)
    )
    assert p.state == "found"
    with pytest.raises(DomainError, match="不能早于"):
        services.solve_on_spot(actor=sv.admin, problem=p, resolution="x", on=dt.date(2018, 4, 1))
    with pytest.raises(DomainError, match="不能晚于今天"):
        services.solve_on_spot(
            actor=sv.admin, problem=p, resolution="x", on=timezone.localdate() + dt.timedelta(1)
        )
    assert [e.to_state for e in p.events.all()] == [
        "found",
        "coordinating",
        "resolved",
        "closed",
        "found",
    ]
    assert AuditEntry.objects.filter(action__startswith="supervision.problem.").count() == 5


def test_figures_as_of_any_date_come_from_the_history(sv):
    quick = problem(sv, "当场", found_on=dt.date(2018, 3, 1))
    services.solve_on_spot(actor=sv.admin, problem=quick, resolution="ok", on=dt.date(2018, 3, 1))
    consulted = problem(sv, "会商", kind="hard", found_on=dt.date(2018, 3, 5))
    services.solve_by_consultation(
        actor=sv.admin,
        problem=consulted,
        meeting_record="会商纪要",
        resolution="ok",
        on=dt.date(2018, 3, 20),
    )
    coordinating = problem(sv, "协调", kind="block", found_on=dt.date(2018, 4, 1))
    services.start_coordinating(
        actor=sv.admin, problem=coordinating, note="x", on=dt.date(2018, 4, 2)
    )
    services.mark_resolved(
        actor=sv.admin, problem=coordinating, resolution="ok", on=dt.date(2018, 9, 3)
    )
    problem(sv, "九月", found_on=dt.date(2018, 9, 10))

    march = selectors.figures(dt.date(2018, 3, 10))
    assert (march.found, march.quick, march.coordinating, march.pending) == (2, 1, 0, 1)
    august = selectors.figures(dt.date(2018, 8, 31))
    assert (august.found, august.quick, august.coordinating, august.resolved) == (3, 2, 1, 0)
    assert august.by_kind["堵点"] == {"found": 1, "coordinating": 1}
    september = selectors.figures(dt.date(2018, 9, 30))
    assert (september.found, september.quick, september.resolved, september.pending) == (4, 2, 1, 1)


def test_overdue_problems_are_escalated_once(sv):
    p = problem(sv, found_on=dt.date(2018, 3, 1))
    done = problem(sv, "已解决", found_on=dt.date(2018, 3, 1))
    services.solve_on_spot(actor=sv.admin, problem=done, resolution="ok", on=dt.date(2018, 3, 1))
    assert services.escalate_overdue() == 1
    assert services.escalate_overdue() == 0
    p.refresh_from_db()
    assert p.escalated_at is not None
    assert p.events.last().action == "超期上报中心管理员"
    visible = selectors.problems_visible_to(sv.admin)
    assert list(ProblemFilter(overdue=True).filter(visible)) == [p]
    assert list(ProblemFilter(overdue=False).filter(visible)) == [done]
    assert ProblemFilter().filter(visible).count() == 2


def test_coverage_lists_who_sat_in_and_who_has_not(sv):
    head_b = UserFactory(username="depthead02", roles=[Role.DEPT_HEAD])
    sitting = services.book_sitting(actor=sv.head_a, slot=slot(sv))
    services.record_sitting(actor=sv.head_a, sitting=sitting, answers={})
    coverage = selectors.sitting_coverage(timezone.localdate(), timezone.localdate())
    assert coverage.sat == [(sv.head_a, 1)]
    assert head_b in coverage.not_yet and sv.head_a not in coverage.not_yet
    assert SittingIn.objects.count() == 1


def test_handbook_and_record_form_open_with_python_docx(sv):
    book = Document(io.BytesIO(handbook.handbook(sv.questionnaire)))
    text = "\n".join(p.text for p in book.paragraphs)
    for heading in ("活动目的", "工作要求", "体验办法", "处理流程", "32个问"):
        assert heading in text
    questions = [q.text for q in sv.questionnaire.questions.all()]
    assert all(q in text for q in questions)
    form = Document(io.BytesIO(handbook.record_form(sv.questionnaire)))
    table = form.tables[1]
    assert len(table.rows) == 33
    assert table.rows[32].cells[2].text == questions[-1]
