"""The services of 竞聘上岗: rules, permissions, states, and the audit entry of every write."""

import datetime as dt
from decimal import Decimal

import pytest
from django.contrib.auth.models import AnonymousUser
from django.utils import timezone

from chuangkou.core.errors import DomainError, PermissionDeniedError
from chuangkou.core.models import AuditEntry
from chuangkou.core.roles import Role
from chuangkou.org.models import Staff
from chuangkou.selection import services
from chuangkou.selection.models import Candidate, Competition, InterviewScore, Objection, Tier
from chuangkou.selection.services.results import notice_end_for
from tests.factories import SeparationFactory, StaffFactory

from .conftest import TIERS, candidate, make_competition, score_all, temporary_staff
from .factories import make_exam

pytestmark = pytest.mark.django_db
D = Decimal


def audits(action: str) -> list[AuditEntry]:
    return list(AuditEntry.objects.filter(action=action).order_by("id"))


# --- competition settings --------------------------------------------------------------------


def test_create_competition_is_audited(admin):
    competition = make_competition(admin)
    assert competition.status == Competition.Status.DRAFT
    entry = audits("selection.competition.create")[-1]
    assert entry.object_id == str(competition.pk)
    assert entry.after["written_weight"] == "50.00" and entry.after["budget"] == 60000


@pytest.mark.parametrize(
    ("overrides", "field"),
    [
        ({"written_weight": D(60), "interview_weight": D(50)}, "interview_weight"),
        ({"written_weight": D(101), "interview_weight": D(-1)}, "written_weight"),
        ({"pass_line": "abc"}, "pass_line"),
        ({"allowed_employment_types": []}, "allowed_employment_types"),
        ({"allowed_employment_types": ["boss"]}, "allowed_employment_types"),
        ({"budget": 0}, "budget"),
        ({"name": "  "}, "name"),
        ({"min_service_years": -1}, "min_service_years"),
        ({"notice_days": 0}, "notice_days"),
    ],
)
def test_bad_settings_are_refused_on_their_field(admin, overrides, field):
    with pytest.raises(DomainError) as exc:
        make_competition(admin, **overrides)
    assert exc.value.field == field
    assert not Competition.objects.exists()


def test_only_the_center_admin_creates_competitions(role_user):
    for role in (Role.GRADER, Role.CLERK, Role.DEPT_HEAD, Role.SYSADMIN):
        with pytest.raises(PermissionDeniedError):
            make_competition(role_user(role))


def test_settings_lock_once_scoring_starts_and_eligibility_once_someone_registers(scoring):
    with pytest.raises(DomainError) as exc:
        services.update_competition(
            actor=scoring.admin, competition=scoring.competition, changes={"pass_line": 70}
        )
    assert exc.value.status == 409 and "评分中" in exc.value.message


def test_eligibility_rules_cannot_change_after_registration(registering):
    services.register_candidate(
        actor=registering.admin, competition=registering.competition, staff=temporary_staff(1)[0]
    )
    with pytest.raises(DomainError, match="已有人员报名"):
        services.update_competition(
            actor=registering.admin,
            competition=registering.competition,
            changes={"min_service_years": 3},
        )
    services.update_competition(
        actor=registering.admin, competition=registering.competition, changes={"budget": 70000}
    )
    entry = audits("selection.competition.update")[-1]
    assert entry.before == {"budget": 60000} and entry.after == {"budget": 70000}


@pytest.mark.parametrize(
    ("tiers", "message"),
    [
        ([], "至少设置一个档次"),
        ([{"name": "一档", "quota": 0, "annual_amount": 24000}], "名额"),
        (
            [
                {"name": "一档", "quota": 1, "annual_amount": 12000},
                {"name": "二档", "quota": 1, "annual_amount": 24000},
            ],
            "从高到低",
        ),
        (
            [
                {"name": "一档", "quota": 1, "annual_amount": 24000},
                {"name": "一档", "quota": 1, "annual_amount": 12000},
            ],
            "不能重复",
        ),
        ([{"name": "一档", "quota": "x", "annual_amount": 24000}], "整数"),
    ],
)
def test_bad_tiers_are_refused(admin, tiers, message):
    competition = make_competition(admin)
    with pytest.raises(DomainError, match=message):
        services.set_tiers(actor=admin, competition=competition, tiers=tiers)
    assert not Tier.objects.exists()


def test_tiers_are_replaced_and_audited(admin):
    competition = make_competition(admin)
    services.set_tiers(actor=admin, competition=competition, tiers=TIERS)
    services.set_tiers(actor=admin, competition=competition, tiers=TIERS[:1])
    assert list(competition.tiers.values_list("name", "quota")) == [("一档", 1)]
    entry = audits("selection.tiers.set")[-1]
    assert len(entry.before["tiers"]) == 2 and len(entry.after["tiers"]) == 1


def test_judges_must_hold_the_grader_role(admin, graders, role_user):
    competition = make_competition(admin)
    clerk = role_user(Role.CLERK, display_name="窗口甲")
    with pytest.raises(DomainError, match="窗口甲"):
        services.set_judges(actor=admin, competition=competition, users=[graders[0], clerk])
    with pytest.raises(DomainError, match="不能重复"):
        services.set_judges(actor=admin, competition=competition, users=[graders[0]] * 2)
    services.set_judges(actor=admin, competition=competition, users=graders)
    assert [j.seat for j in competition.judges.all()] == [1, 2, 3, 4, 5]


def test_scoring_needs_tiers_a_panel_and_candidates(admin, graders):
    competition = make_competition(admin)
    services.open_registration(actor=admin, competition=competition)
    with pytest.raises(DomainError, match="档次"):
        services.start_scoring(actor=admin, competition=competition)
    services.set_tiers(actor=admin, competition=competition, tiers=TIERS)
    with pytest.raises(DomainError, match="评委"):
        services.start_scoring(actor=admin, competition=competition)
    services.set_judges(actor=admin, competition=competition, users=graders)
    with pytest.raises(DomainError, match="还没有人报名"):
        services.start_scoring(actor=admin, competition=competition)


def test_status_steps_are_audited(scoring):
    actions = [
        e.after["status"]
        for e in AuditEntry.objects.filter(
            action__in=["selection.registration.open", "selection.scoring.start"]
        ).order_by("id")
    ]
    assert actions == ["registration", "scoring"]


# --- registration and eligibility ------------------------------------------------------------


def test_an_eligible_staff_member_registers(registering):
    staff = temporary_staff(1)[0]
    c = services.register_candidate(
        actor=registering.admin, competition=registering.competition, staff=staff
    )
    assert c.service_years == 2 and c.status == Candidate.Status.REGISTERED
    assert audits("selection.candidate.register")[-1].after["staff_no"] == staff.staff_no


def test_the_wrong_employment_type_is_refused_with_the_reason(registering):
    staff = StaffFactory(name="在编甲", employment_type=Staff.EmploymentType.REGULAR)
    with pytest.raises(DomainError) as exc:
        services.register_candidate(
            actor=registering.admin, competition=registering.competition, staff=staff
        )
    assert exc.value.message == "在编甲 的用工性质为在编，本次竞聘仅限临编人员报名。"
    assert not Candidate.objects.exists()


def test_too_short_a_service_is_refused_with_the_dates(registering):
    staff = StaffFactory(name="新人乙", hire_date=dt.date(2017, 5, 1))
    with pytest.raises(DomainError) as exc:
        services.register_candidate(
            actor=registering.admin, competition=registering.competition, staff=staff
        )
    assert exc.value.message == (
        "新人乙 于 2017-05-01 入职，截至 2018-04-30 服务满 0 年，不足 1 年。"
    )


def test_staff_who_left_and_double_registrations_are_refused(registering):
    gone = SeparationFactory(staff=StaffFactory(name="离职丙", hire_date=dt.date(2015, 1, 1)))
    with pytest.raises(DomainError, match="已离职"):
        services.register_candidate(
            actor=registering.admin, competition=registering.competition, staff=gone.staff
        )
    staff = temporary_staff(1)[0]
    services.register_candidate(
        actor=registering.admin, competition=registering.competition, staff=staff
    )
    with pytest.raises(DomainError, match="已报名"):
        services.register_candidate(
            actor=registering.admin, competition=registering.competition, staff=staff
        )


def test_registration_is_closed_once_scoring_starts(scoring):
    with pytest.raises(DomainError) as exc:
        services.register_candidate(
            actor=scoring.admin, competition=scoring.competition, staff=temporary_staff(1)[0]
        )
    assert exc.value.status == 409


# --- written scores --------------------------------------------------------------------------


@pytest.mark.parametrize("bad", ["101", "-5", "abc", "85.555", "", None])
def test_bad_written_scores_are_refused(scoring, bad):
    with pytest.raises(DomainError) as exc:
        services.set_written_score(actor=scoring.admin, candidate=scoring.candidates[0], score=bad)
    assert exc.value.field == "written_score"
    assert candidate(scoring.candidates[0]).written_score is None


def test_written_score_changes_are_audited_with_before_and_after(scoring):
    c = scoring.candidates[0]
    services.set_written_score(actor=scoring.admin, candidate=c, score="85.5")
    services.set_written_score(actor=scoring.admin, candidate=c, score="86")
    services.set_written_score(actor=scoring.admin, candidate=c, score="86.00")  # no change
    entries = audits("selection.written_score")
    assert [(e.before["written_score"], e.after["written_score"]) for e in entries] == [
        (None, "85.50"),
        ("85.50", "86.00"),
    ]


def test_written_scores_need_the_scoring_stage_and_the_admin(registering, scoring, role_user):
    with pytest.raises(PermissionDeniedError):
        services.set_written_score(
            actor=scoring.graders[0], candidate=scoring.candidates[0], score=80
        )


def test_a_batch_with_an_unknown_candidate_writes_nothing(scoring):
    scores = {scoring.candidates[0].pk: D(80), 999_999: D(70)}
    with pytest.raises(DomainError, match="未报名"):
        services.record_written_scores(
            actor=scoring.admin, competition=scoring.competition, scores=scores, source="xlsx"
        )
    assert candidate(scoring.candidates[0]).written_score is None


def test_importing_from_an_exam_needs_an_exam(scoring):
    with pytest.raises(DomainError) as exc:
        services.import_written_scores_from_exam(
            actor=scoring.admin, competition=scoring.competition
        )
    assert exc.value.field == "exam_id"


def test_a_competition_names_an_existing_exam(admin):
    with pytest.raises(DomainError) as exc:
        make_competition(admin, exam_id=987654)
    assert exc.value.field == "exam_id"
    exam = make_exam({})
    assert make_competition(admin, exam_id=exam.pk).exam == exam


def link_exam(setup, exam) -> None:
    Competition.objects.filter(pk=setup.competition.pk).update(exam=exam)
    setup.competition.refresh_from_db()


def test_written_scores_come_from_the_exam_scaled_to_100_points(scoring):
    # the paper is worth 40 × 3 = 120 points
    totals = [108, 100, "95.5", 120]
    exam = make_exam(dict(zip(scoring.staff, totals, strict=True)))
    link_exam(scoring, exam)
    changed = services.import_written_scores_from_exam(
        actor=scoring.admin, competition=scoring.competition
    )
    assert changed == 4
    assert [candidate(c).written_score for c in scoring.candidates] == [
        D("90.00"),
        D("83.33"),
        D("79.58"),  # 95.5 ÷ 120 × 100 = 79.583…
        D("100.00"),
    ]
    entry = audits("selection.written_score")[0]
    assert entry.after["source"] == f"exam:{exam.pk}"


def test_an_exam_without_every_candidate_writes_nothing(scoring):
    exam = make_exam({s: 100 for s in scoring.staff[:3]})
    link_exam(scoring, exam)
    with pytest.raises(DomainError, match="人员4"):
        services.import_written_scores_from_exam(
            actor=scoring.admin, competition=scoring.competition
        )
    assert not Candidate.objects.exclude(written_score=None).exists()
    # once the absentee is withdrawn (缺考), the others' scores come in
    services.withdraw_candidate(actor=scoring.admin, candidate=scoring.candidates[3], reason="缺考")
    services.import_written_scores_from_exam(actor=scoring.admin, competition=scoring.competition)
    assert Candidate.objects.exclude(written_score=None).count() == 3


def test_an_exam_whose_results_are_not_published_is_refused(scoring):
    link_exam(scoring, make_exam({s: 100 for s in scoring.staff}, published=False))
    with pytest.raises(DomainError, match="尚未发布"):
        services.import_written_scores_from_exam(
            actor=scoring.admin, competition=scoring.competition
        )


# --- interview scores ------------------------------------------------------------------------


def test_a_judge_enters_and_changes_their_own_score(scoring):
    judge, c = scoring.graders[0], scoring.candidates[0]
    services.enter_interview_score(actor=judge, candidate=c, score="88.5")
    services.enter_interview_score(actor=judge, candidate=c, score=89)
    services.enter_interview_score(actor=judge, candidate=c, score="89.0")  # unchanged
    assert InterviewScore.objects.get(candidate=c).score == D("89.00")
    entries = audits("selection.interview_score")
    assert [(e.before["score"], e.after["score"]) for e in entries] == [
        (None, "88.50"),
        ("88.50", "89.00"),
    ]
    assert entries[0].actor == judge


def test_the_interview_score_appears_once_every_judge_has_scored(scoring):
    c = scoring.candidates[0]
    for judge, mark in zip(scoring.graders[:4], [80, 90, 70, 85], strict=True):
        services.enter_interview_score(actor=judge, candidate=c, score=mark)
    assert candidate(c).interview_score is None  # 4 of 5: not yet
    services.enter_interview_score(actor=scoring.graders[4], candidate=c, score=75)
    assert candidate(c).interview_score == D("80.00")  # 90 and 70 dropped


def test_only_judges_of_this_competition_enter_scores(scoring, admin, role_user):
    other_grader = role_user(Role.GRADER)
    for actor in (admin, other_grader, role_user(Role.CLERK)):
        with pytest.raises(PermissionDeniedError):
            services.enter_interview_score(actor=actor, candidate=scoring.candidates[0], score=80)
    # a judge who lost the grader role no longer scores
    scoring.graders[0].groups.clear()
    scoring.graders[0]._chuangkou_roles = None
    with pytest.raises(PermissionDeniedError):
        services.enter_interview_score(
            actor=scoring.graders[0], candidate=scoring.candidates[0], score=80
        )
    assert not InterviewScore.objects.exists()


@pytest.mark.parametrize("bad", ["101", "-0.5", "九十", "80.123", "NaN"])
def test_bad_interview_scores_are_refused(scoring, bad):
    with pytest.raises(DomainError) as exc:
        services.enter_interview_score(
            actor=scoring.graders[0], candidate=scoring.candidates[0], score=bad
        )
    assert exc.value.field == "score"
    assert not InterviewScore.objects.exists()


def test_no_interview_scores_for_the_withdrawn(scoring):
    services.withdraw_candidate(
        actor=scoring.admin, candidate=scoring.candidates[0], reason="面试缺考"
    )
    with pytest.raises(DomainError, match="放弃/缺考"):
        services.enter_interview_score(
            actor=scoring.graders[0], candidate=scoring.candidates[0], score=80
        )
    with pytest.raises(DomainError, match="已登记"):
        services.withdraw_candidate(
            actor=scoring.admin, candidate=scoring.candidates[0], reason="again"
        )
    assert audits("selection.candidate.withdraw")[-1].after["reason"] == "面试缺考"


def test_withdrawing_needs_a_reason(scoring):
    with pytest.raises(DomainError) as exc:
        services.withdraw_candidate(
            actor=scoring.admin, candidate=scoring.candidates[0], reason=" "
        )
    assert exc.value.field == "reason"


def test_no_scoring_after_the_ranking_nor_after_publication(published):
    for status in ("ranked", "published"):
        Competition.objects.filter(pk=published.competition.pk).update(status=status)
        with pytest.raises(DomainError) as exc:
            services.enter_interview_score(
                actor=published.graders[0], candidate=published.candidates[0], score=99
            )
        assert exc.value.status == 409
        with pytest.raises(DomainError):
            services.set_written_score(
                actor=published.admin, candidate=published.candidates[0], score=99
            )
    assert InterviewScore.objects.filter(score=99).count() == 0


# --- ranking, tiers and budget ---------------------------------------------------------------


def test_ranking_needs_every_score_and_names_who_is_missing(scoring):
    services.set_written_score(actor=scoring.admin, candidate=scoring.candidates[0], score=80)
    with pytest.raises(DomainError, match="人员2"):
        services.compute_ranking(actor=scoring.admin, competition=scoring.competition)
    for c in scoring.candidates:
        services.set_written_score(actor=scoring.admin, candidate=c, score=80)
    services.enter_interview_score(
        actor=scoring.graders[0], candidate=scoring.candidates[0], score=80
    )
    with pytest.raises(DomainError, match=r"人员1（1/5）"):
        services.compute_ranking(actor=scoring.admin, competition=scoring.competition)


def test_ranking_places_by_rank_and_quota_and_keeps_the_pass_line(ranked):
    results = [
        (candidate(c).rank, candidate(c).outcome, getattr(candidate(c).tier, "name", None))
        for c in ranked.candidates
    ]
    assert results == [
        (1, "placed", "一档"),
        (2, "placed", "二档"),
        (3, "placed", "二档"),
        (4, "below", None),
    ]
    assert ranked.competition.status == Competition.Status.RANKED
    entry = audits("selection.ranking.compute")[-1]
    assert entry.after["status"] == "ranked" and len(entry.after["results"]) == 4


def test_withdrawn_candidates_are_not_ranked(scoring):
    services.withdraw_candidate(actor=scoring.admin, candidate=scoring.candidates[3], reason="放弃")
    scoring.candidates = scoring.candidates[:3]
    score_all(scoring, written=[70, 80, 90], interview=[[70] * 5, [80] * 5, [90] * 5])
    services.compute_ranking(actor=scoring.admin, competition=scoring.competition)
    assert [candidate(c).rank for c in scoring.candidates] == [3, 2, 1]
    assert Candidate.objects.get(status="withdrawn").rank is None


@pytest.fixture
def tie_at_boundary(scoring):
    """Finals 90, 85, 85, 85 with seats 一档 × 1 and 二档 × 2: three people share rank 2 for
    the two 二档 seats, so the seats are held and the admin decides."""
    score_all(
        scoring,
        written=[90, 85, 85, 85],
        interview=[[90] * 5, [85] * 5, [85] * 5, [85] * 5],
    )
    services.compute_ranking(actor=scoring.admin, competition=scoring.competition)
    return scoring


def test_a_tie_at_the_quota_boundary_is_held_and_blocks_publication(tie_at_boundary):
    setup = tie_at_boundary
    outcomes = [candidate(c).outcome for c in setup.candidates]
    assert outcomes == ["placed", "tie", "tie", "tie"]
    assert [candidate(c).rank for c in setup.candidates] == [1, 2, 2, 2]
    with pytest.raises(DomainError, match="并列"):
        services.publish_results(actor=setup.admin, competition=setup.competition)


def test_the_admin_settles_the_tie_with_a_reason(tie_at_boundary):
    setup = tie_at_boundary
    a, b, c = setup.candidates[1:]
    with pytest.raises(DomainError, match="全部 3 人"):
        services.resolve_tie(
            actor=setup.admin, competition=setup.competition, order=[a, b], reason="抽签"
        )
    with pytest.raises(DomainError) as exc:
        services.resolve_tie(
            actor=setup.admin, competition=setup.competition, order=[c, a, b], reason=""
        )
    assert exc.value.field == "reason"
    services.resolve_tie(
        actor=setup.admin, competition=setup.competition, order=[c, a, b], reason="加试"
    )
    assert [
        (candidate(x).outcome, getattr(candidate(x).tier, "name", None)) for x in (c, a, b)
    ] == [
        ("placed", "二档"),
        ("placed", "二档"),
        ("unplaced", None),
    ]
    assert [candidate(x).rank for x in (a, b, c)] == [2, 2, 2]  # the rank stays shared
    entry = audits("selection.tie.resolve")[-1]
    assert entry.after["reason"] == "加试" and entry.before["held"] == ["二档", "二档", "不入围"]
    services.publish_results(actor=setup.admin, competition=setup.competition)


def test_publication_is_refused_over_budget_with_the_overrun_listed(admin, graders):
    competition = make_competition(admin, budget=40000)
    services.set_tiers(actor=admin, competition=competition, tiers=TIERS)
    services.set_judges(actor=admin, competition=competition, users=graders)
    services.open_registration(actor=admin, competition=competition)
    people = [
        services.register_candidate(actor=admin, competition=competition, staff=s)
        for s in temporary_staff(3)
    ]
    services.start_scoring(actor=admin, competition=competition)
    for c, mark in zip(people, [90, 80, 70], strict=True):
        services.set_written_score(actor=admin, candidate=c, score=mark)
        for judge in graders:
            services.enter_interview_score(actor=judge, candidate=c, score=mark)
    services.compute_ranking(actor=admin, competition=competition)
    with pytest.raises(DomainError) as exc:
        services.publish_results(actor=admin, competition=competition)
    assert exc.value.field == "budget"
    assert exc.value.message.startswith(
        "拟聘人员年度总额 48,000 元超出预算 40,000 元，超出 8,000 元"
        "（一档 1 人 × 24,000 元 = 24,000 元；二档 2 人 × 12,000 元 = 24,000 元）"
    )
    assert Competition.objects.get(pk=competition.pk).status == Competition.Status.RANKED


def test_publication_sets_the_notice_period(ranked):
    today = timezone.localdate()
    with pytest.raises(DomainError) as exc:
        services.publish_results(
            actor=ranked.admin,
            competition=ranked.competition,
            notice_start=today - dt.timedelta(days=1),
        )
    assert exc.value.field == "notice_start"
    competition = services.publish_results(actor=ranked.admin, competition=ranked.competition)
    assert competition.status == Competition.Status.PUBLISHED
    first_day = services.next_working_day(today)  # today, unless today is a rest day
    assert competition.notice_start == first_day
    assert competition.notice_end == notice_end_for(first_day, 5)
    assert audits("selection.publish")[-1].after["notice_end"] == str(competition.notice_end)


def test_the_notice_end_counts_working_days():
    # 2018-05-23 (Wed) + 5 working days: 24, 25, 28, 29, 30 May
    assert notice_end_for(dt.date(2018, 5, 23), 5) == dt.date(2018, 5, 30)
    # across 国庆: 2018-09-28 (Fri) + 3 → 9-29 and 9-30 (调休上班的周末), then 10-8 (Mon)
    assert notice_end_for(dt.date(2018, 9, 28), 3) == dt.date(2018, 10, 8)
    # a year the holiday calendar does not know: Monday to Friday
    assert notice_end_for(dt.date(2099, 1, 2), 5) == dt.date(2099, 1, 9)


def test_reopening_withdraws_the_ranking_and_the_notice(published):
    with pytest.raises(DomainError):
        services.reopen_scoring(actor=published.admin, competition=published.competition, reason="")
    services.reopen_scoring(
        actor=published.admin, competition=published.competition, reason="异议成立，更正笔试成绩"
    )
    competition = Competition.objects.get(pk=published.competition.pk)
    assert competition.status == Competition.Status.SCORING and competition.notice_start is None
    assert not Candidate.objects.exclude(rank=None).exists()
    assert Candidate.objects.exclude(written_score=None).count() == 4  # scores are kept
    entry = audits("selection.scoring.reopen")[-1]
    assert len(entry.before["results"]) == 4 and entry.after["reason"].startswith("异议成立")


# --- objections and finalising ---------------------------------------------------------------


def test_an_objection_during_the_notice_is_recorded_and_audited(published, role_user):
    clerk = role_user(Role.CLERK)
    placed = candidate(published.candidates[0])
    objection = services.submit_objection(
        actor=clerk,
        competition=published.competition,
        text="对该人员的笔试成绩有疑问",
        candidate=placed,
    )
    assert objection.status == Objection.Status.PENDING
    assert audits("selection.objection.submit")[-1].actor == clerk


def test_objections_need_a_login_a_listed_person_and_some_text(published, role_user):
    clerk = role_user(Role.CLERK)
    with pytest.raises(DomainError) as exc:
        services.submit_objection(
            actor=AnonymousUser(), competition=published.competition, text="匿名的异议内容"
        )
    assert exc.value.status == 401
    below = candidate(published.candidates[3])
    with pytest.raises(DomainError) as exc:
        services.submit_objection(
            actor=clerk, competition=published.competition, text="对该人员有疑问", candidate=below
        )
    assert exc.value.field == "candidate"
    with pytest.raises(DomainError) as exc:
        services.submit_objection(actor=clerk, competition=published.competition, text="有")
    assert exc.value.field == "text"
    assert not Objection.objects.exists()


def test_no_objections_outside_the_notice_period(published, role_user):
    Competition.objects.filter(pk=published.competition.pk).update(
        notice_start=dt.date(2018, 5, 23), notice_end=dt.date(2018, 5, 30)
    )
    with pytest.raises(DomainError) as exc:
        services.submit_objection(
            actor=role_user(Role.CLERK), competition=published.competition, text="对结果有异议"
        )
    assert exc.value.status == 409 and "2018-05-30" in exc.value.message


def test_handling_an_objection(published, role_user):
    objection = services.submit_objection(
        actor=role_user(Role.CLERK), competition=published.competition, text="对整体结果有异议"
    )
    with pytest.raises(DomainError) as exc:
        services.handle_objection(
            actor=published.admin, objection=objection, decision="upheld", reply=""
        )
    assert exc.value.field == "reply"
    with pytest.raises(DomainError) as exc:
        services.handle_objection(
            actor=published.admin, objection=objection, decision="maybe", reply="x"
        )
    assert exc.value.field == "decision"
    with pytest.raises(PermissionDeniedError):
        services.handle_objection(
            actor=published.graders[0], objection=objection, decision="rejected", reply="x"
        )
    services.handle_objection(
        actor=published.admin,
        objection=objection,
        decision="rejected",
        reply="经核查，异议不成立。",
    )
    with pytest.raises(DomainError, match="已处理"):
        services.handle_objection(
            actor=published.admin, objection=objection, decision="upheld", reply="再次"
        )
    assert audits("selection.objection.handle")[-1].after["status"] == "rejected"


def test_no_finalising_before_the_objection_period_ends(published):
    with pytest.raises(DomainError) as exc:
        services.finalise_results(actor=published.admin, competition=published.competition)
    assert exc.value.status == 409
    assert f"{published.competition.notice_end:%Y-%m-%d}" in exc.value.message
    assert Competition.objects.get(pk=published.competition.pk).status == "published"


def test_finalising_after_the_period_with_every_objection_handled(published, role_user):
    objection = services.submit_objection(
        actor=role_user(Role.CLERK), competition=published.competition, text="对整体结果有异议"
    )
    yesterday = timezone.localdate() - dt.timedelta(days=1)
    Competition.objects.filter(pk=published.competition.pk).update(
        notice_start=yesterday - dt.timedelta(days=7), notice_end=yesterday
    )
    with pytest.raises(DomainError, match="1 条异议未处理"):
        services.finalise_results(actor=published.admin, competition=published.competition)
    services.handle_objection(
        actor=published.admin, objection=objection, decision="rejected", reply="不成立"
    )
    competition = services.finalise_results(
        actor=published.admin, competition=published.competition
    )
    assert competition.status == Competition.Status.FINAL and competition.finalised_at
    assert audits("selection.finalise")[-1].after["status"] == "final"
    with pytest.raises(DomainError):
        services.reopen_scoring(actor=published.admin, competition=competition, reason="太晚")
