"""Services: the bank and its versions, papers and draws, sitting with the time kept by the server,
blind grading, publication, regrade and the contest."""

import datetime as dt
from decimal import Decimal as D

import pytest
from django.utils import timezone

from chuangkou.core.errors import DomainError, PermissionDeniedError
from chuangkou.core.models import AuditEntry
from chuangkou.core.roles import Role
from chuangkou.exams import selectors
from chuangkou.exams.models import (
    Attempt,
    AttemptItem,
    Exam,
    Grade,
    Paper,
    QuestionKind,
    QuestionVersion,
)
from chuangkou.exams.services import bank, contest, exams, grading, papers, regrade
from chuangkou.exams.services import sitting as sit
from chuangkou.org.models import Staff

from .factories import CONFIGS, KnowledgePointFactory, make_exam, make_paper, make_question

pytestmark = pytest.mark.django_db

K = QuestionKind
ANSWERS = {
    K.SINGLE: "C",  # right: 10
    K.MULTIPLE: ["A", "B"],  # 2 of 3, no wrong: 10 × 2/3 = 6.67
    K.FILL: ["张 三", "个人"],  # both right after normalising: 10
    K.CORRECTION: [{"wrong": "三个工作日", "right": "五个工作日"}],  # 1 of 2 errors: 5
    K.OPEN: "先受理主要材料，签订容缺承诺书，约定补正时限并跟踪。",
    K.SCENARIO: ["A", "B", "C", "D"],  # 3 right, 1 wrong × 0.5: 10 × 2.5/3 = 8.33
}
OBJECTIVE_TOTAL = D("40.00")


def answer_all(user, attempt):
    for item in attempt.items.select_related("version"):
        sit.save_answer(actor=user, attempt=attempt, item=item, response=ANSWERS[item.kind])


def started(s, who="a1"):
    user = s.clerk_a1 if who == "a1" else s.clerk_b1
    attempt = s.attempt_a1 if who == "a1" else s.attempt_b1
    return user, sit.start_attempt(actor=user, attempt=attempt)


# -- bank ----------------------------------------------------------------------------------------


def test_create_question_checks_the_content(org_small):
    point = KnowledgePointFactory(parent=KnowledgePointFactory())
    stem, config = CONFIGS[K.MULTIPLE]
    q = bank.create_question(
        actor=org_small.admin,
        kind=K.MULTIPLE,
        stem=stem,
        config=config,
        difficulty=3,
        source="regulation",
        knowledge_points=[point],
    )
    assert q.code == "TK00001" and q.current_version.number == 1
    assert AuditEntry.objects.filter(action="exams.question.create").exists()
    bad = [
        (K.SINGLE, {**CONFIGS[K.SINGLE][1], "answer": ["A", "B"]}, "answer"),
        (K.MULTIPLE, {**config, "answer": ["Z"]}, "answer"),
        (K.FILL, {"template": "姓名：{{1}}", "blanks": [["a"], ["b"]]}, "answer"),
        (K.FILL, {"template": "姓名：{{2}}", "blanks": [["a"]]}, "template"),
        (
            K.CORRECTION,
            {"passage": "短文", "errors": [{"wrong": "不在", "right": ["x"]}]},
            "answer",
        ),
        (K.OPEN, {"rubric": ""}, "rubric"),
        (K.SCENARIO, {"options": [{"text": "身份证"}], "answer": ["A"]}, "options"),
    ]
    for kind, cfg, field in bad:
        with pytest.raises(DomainError) as err:
            bank.create_question(
                actor=org_small.admin,
                kind=kind,
                stem="题干",
                config=cfg,
                difficulty=3,
                source="regulation",
                knowledge_points=[point],
            )
        assert err.value.field == field, (kind, err.value.message)
    with pytest.raises(DomainError):
        bank.create_question(
            actor=org_small.admin,
            kind=K.SINGLE,
            stem="题干",
            config=CONFIGS[K.SINGLE][1],
            difficulty=9,
            source="regulation",
            knowledge_points=[point],
        )
    with pytest.raises(PermissionDeniedError):
        bank.create_question(
            actor=org_small.clerk_a1,
            kind=K.MULTIPLE,
            stem=stem,
            config=config,
            difficulty=3,
            source="regulation",
            knowledge_points=[point],
        )


def test_knowledge_points_are_two_levels(org_small):
    domain = bank.create_knowledge_point(actor=org_small.admin, name="商事登记")
    point = bank.create_knowledge_point(actor=org_small.admin, name="证照分离", parent=domain)
    with pytest.raises(DomainError, match="最多两级"):
        bank.create_knowledge_point(actor=org_small.admin, name="更细", parent=point)
    with pytest.raises(DomainError, match="已有"):
        bank.create_knowledge_point(actor=org_small.admin, name="证照分离", parent=domain)


def _edit(admin, question, **changes):
    version = question.current_version
    data = {
        "stem": version.stem,
        "config": version.config,
        "difficulty": question.difficulty,
        "source": question.source,
        "knowledge_points": list(question.knowledge_points.all()),
    }
    data.update(changes)
    return bank.update_question(actor=admin, question=question, **data)


def test_editing_an_unused_question_changes_its_version_in_place(sitting):
    q = sitting.questions[K.SINGLE]
    version = _edit(sitting.admin, q, stem="改过的题干")
    assert version.number == 1 and QuestionVersion.objects.filter(question=q).count() == 1


def test_editing_a_used_question_makes_a_new_version_and_keeps_past_results(sitting):
    user, attempt = started(sitting)
    answer_all(user, attempt)
    attempt = sit.submit_attempt(actor=user, attempt=attempt)
    q = sitting.questions[K.SINGLE]
    new_config = {**q.current_version.config, "answer": ["B"]}
    version = _edit(sitting.admin, q, config=new_config, note="更正答案")
    assert version.number == 2
    old = AttemptItem.objects.get(attempt=attempt, question=q)
    assert old.version.number == 1 and old.version.config["answer"] == ["C"]
    assert old.score == D("10.00")
    attempt.refresh_from_db()
    assert attempt.objective_score == OBJECTIVE_TOTAL


# -- papers and draws ----------------------------------------------------------------------------


def test_blueprint_rules_and_draws(org_small):
    point = KnowledgePointFactory(parent=KnowledgePointFactory())
    for _ in range(6):
        make_question(K.SINGLE, points=[point])
    for _ in range(3):
        make_question(K.SCENARIO, points=[point], source="typical_case")
    admin = org_small.admin
    paper = papers.create_paper(
        actor=admin, name="抽题", kind=Paper.Kind.BLUEPRINT, shuffle_options=True
    )
    with pytest.raises(DomainError, match="固定试卷"):
        papers.add_blueprint_rule(
            actor=admin,
            paper=papers.create_paper(actor=admin, name="固定"),
            kind=K.SINGLE,
            count=1,
            points=1,
        )
    with pytest.raises(DomainError, match="只有 6 道"):
        papers.add_blueprint_rule(actor=admin, paper=paper, kind=K.SINGLE, count=7, points=2)
    with pytest.raises(DomainError, match="只有 0 道"):
        papers.add_blueprint_rule(
            actor=admin, paper=paper, kind=K.SCENARIO, count=1, points=2, sources=["regulation"]
        )
    papers.add_blueprint_rule(
        actor=admin, paper=paper, kind=K.SINGLE, count=3, points=2, knowledge_points=[point]
    )
    papers.add_blueprint_rule(actor=admin, paper=paper, kind=K.SCENARIO, count=2, points=5)
    assert papers.paper_max_score(paper) == D("16.00")
    exam = make_exam(paper, org_small.staff)
    for user, person in ((org_small.clerk_a1, org_small.a1), (org_small.clerk_b1, org_small.b1)):
        sit.start_attempt(actor=user, attempt=Attempt.objects.get(exam=exam, staff=person))
    draws = [
        sorted(AttemptItem.objects.filter(attempt__staff=p).values_list("question_id", flat=True))
        for p in (org_small.a1, org_small.b1)
    ]
    assert all(len(d) == 5 and len(set(d)) == 5 for d in draws)
    kinds = list(
        AttemptItem.objects.filter(attempt__staff=org_small.a1)
        .order_by("slot")
        .values_list("kind", flat=True)
    )
    assert kinds == [K.SINGLE] * 3 + [K.SCENARIO] * 2


def test_a_shared_draw_gives_everyone_the_same_questions(org_small):
    point = KnowledgePointFactory(parent=KnowledgePointFactory())
    for _ in range(8):
        make_question(K.SINGLE, points=[point])
    paper = Paper.objects.create(
        name="同卷", kind=Paper.Kind.BLUEPRINT, draw_per_candidate=False, shuffle_questions=True
    )
    paper.rules.create(kind=K.SINGLE, count=4, points=D(1))
    exam = make_exam(paper, [org_small.a1, org_small.b1])
    for user, person in ((org_small.clerk_a1, org_small.a1), (org_small.clerk_b1, org_small.b1)):
        sit.start_attempt(actor=user, attempt=Attempt.objects.get(exam=exam, staff=person))
    a, b = (
        set(AttemptItem.objects.filter(attempt__staff=p).values_list("question_id", flat=True))
        for p in (org_small.a1, org_small.b1)
    )
    assert a == b and len(a) == 4


def test_a_paper_in_an_open_exam_cannot_change(sitting):
    with pytest.raises(DomainError, match="不能再修改"):
        papers.add_paper_item(
            actor=sitting.admin, paper=sitting.paper, question=make_question(K.SINGLE), points=1
        )


# -- exams ---------------------------------------------------------------------------------------


def test_create_and_open_an_exam(org_small):
    admin = org_small.admin
    paper = make_paper([make_question(K.SINGLE)])
    now = timezone.now()
    with pytest.raises(DomainError) as err:
        exams.create_exam(
            actor=admin, title="测", paper=paper, starts_at=now, ends_at=now, duration_minutes=30
        )
    assert err.value.field == "ends_at"
    with pytest.raises(DomainError):
        exams.create_exam(
            actor=admin,
            title="测",
            paper=paper,
            starts_at=now,
            ends_at=now + dt.timedelta(hours=1),
            duration_minutes=0,
        )
    exam = exams.create_exam(
        actor=admin,
        title="月度测试",
        paper=paper,
        starts_at=now,
        ends_at=now + dt.timedelta(hours=1),
        duration_minutes=30,
    )
    with pytest.raises(DomainError, match="请先添加考生"):
        exams.open_exam(actor=admin, exam=exam)
    staff = Staff.objects.all()
    assert exams.add_candidates(actor=admin, exam=exam, staff=staff) == 6
    assert exams.add_candidates(actor=admin, exam=exam, staff=staff) == 0
    assert len(set(exam.attempts.values_list("code", flat=True))) == 6
    exams.open_exam(actor=admin, exam=exam)
    assert Exam.objects.get(pk=exam.pk).status == Exam.Status.OPEN
    with pytest.raises(PermissionDeniedError):
        exams.close_exam(actor=org_small.head_a, exam=exam)


# -- sitting and time ----------------------------------------------------------------------------


def test_start_sets_the_deadline_and_builds_the_items(sitting):
    user, attempt = started(sitting)
    assert attempt.status == Attempt.Status.IN_PROGRESS
    assert attempt.deadline == min(
        sitting.exam.ends_at, attempt.started_at + dt.timedelta(minutes=60)
    )
    assert attempt.items.count() == 6
    again = sit.start_attempt(actor=user, attempt=attempt)
    assert again.started_at == attempt.started_at and again.items.count() == 6


def test_deadline_is_the_exam_end_when_that_comes_first(sitting):
    Exam.objects.filter(pk=sitting.exam.pk).update(ends_at=timezone.now() + dt.timedelta(minutes=7))
    _user, attempt = started(sitting)
    assert attempt.deadline - attempt.started_at < dt.timedelta(minutes=7, seconds=1)


def test_no_start_outside_the_window_or_for_someone_else(sitting):
    Exam.objects.filter(pk=sitting.exam.pk).update(
        starts_at=timezone.now() + dt.timedelta(hours=1),
        ends_at=timezone.now() + dt.timedelta(hours=3),
    )
    with pytest.raises(DomainError, match="开始，请届时进入") as err:
        sit.start_attempt(actor=sitting.clerk_a1, attempt=sitting.attempt_a1)
    assert err.value.status == 409
    with pytest.raises(PermissionDeniedError):
        sit.start_attempt(actor=sitting.clerk_b1, attempt=sitting.attempt_a1)


def test_submit_scores_objective_answers_and_sends_open_ones_to_two_graders(sitting):
    user, attempt = started(sitting)
    answer_all(user, attempt)
    attempt = sit.submit_attempt(actor=user, attempt=attempt)
    assert attempt.status == Attempt.Status.SUBMITTED and not attempt.auto_submitted
    assert attempt.objective_score == OBJECTIVE_TOTAL
    assert attempt.total_score is None and not attempt.graded
    scores = dict(attempt.items.values_list("kind", "score"))
    assert scores[K.MULTIPLE] == D("6.67") and scores[K.SCENARIO] == D("8.33")
    assert scores[K.OPEN] is None
    grades = Grade.objects.filter(item__attempt=attempt)
    assert grades.count() == 2 and len({g.grader_id for g in grades}) == 2
    assert sit.submit_attempt(actor=user, attempt=attempt).submitted_at == attempt.submitted_at


def test_saves_after_the_deadline_are_refused_and_the_attempt_is_submitted(sitting):
    user, attempt = started(sitting)
    item = attempt.items.select_related("version").get(kind=K.SINGLE)
    sit.save_answer(actor=user, attempt=attempt, item=item, response="C")
    Attempt.objects.filter(pk=attempt.pk).update(deadline=timezone.now() - dt.timedelta(seconds=1))
    attempt.refresh_from_db()
    with pytest.raises(DomainError, match="考试时间已到") as err:
        sit.save_answer(actor=user, attempt=attempt, item=item, response="B")
    assert err.value.status == 409
    attempt.refresh_from_db()
    assert attempt.status == Attempt.Status.SUBMITTED and attempt.auto_submitted
    assert AttemptItem.objects.get(pk=item.pk).response == "C"
    assert attempt.objective_score == D("10.00")
    assert AuditEntry.objects.filter(action="exams.attempt.auto_submit", actor=None).exists()


def test_a_stale_page_saving_at_the_deadline_is_refused_by_the_database_check(sitting):
    """The attempt object the caller holds says in progress; the row's deadline has passed."""
    user, attempt = started(sitting)
    item = attempt.items.select_related("version").get(kind=K.SINGLE)
    Attempt.objects.filter(pk=attempt.pk).update(deadline=timezone.now() - dt.timedelta(seconds=1))
    with pytest.raises(DomainError, match="考试时间已到"):
        sit.save_answer(actor=user, attempt=attempt, item=item, response="C")
    assert AttemptItem.objects.get(pk=item.pk).response is None


def test_overdue_attempts_are_finalised_lazily(sitting):
    _user, attempt = started(sitting)
    Attempt.objects.filter(pk=attempt.pk).update(deadline=timezone.now() - dt.timedelta(minutes=1))
    assert sit.finalise_overdue_attempts(exam=sitting.exam) == 1
    attempt.refresh_from_db()
    assert attempt.status == Attempt.Status.SUBMITTED and attempt.auto_submitted
    assert attempt.submitted_at <= attempt.deadline
    assert sit.finalise_overdue_attempts(exam=sitting.exam) == 0


def test_bad_answers_are_refused_with_a_message(sitting):
    user, attempt = started(sitting)
    items = {i.kind: i for i in attempt.items.select_related("version")}
    bad = {
        K.SINGLE: ["C"],
        K.MULTIPLE: ["A", "Z"],
        K.FILL: ["a", "b", "c"],
        K.CORRECTION: "三个工作日",
        K.OPEN: "字" * 3001,
        K.SCENARIO: "A",
    }
    for kind, response in bad.items():
        with pytest.raises(DomainError) as err:
            sit.save_answer(actor=user, attempt=attempt, item=items[kind], response=response)
        assert err.value.field == "response"
    other_user, other = started(sitting, "b1")
    with pytest.raises(DomainError) as err:
        sit.save_answer(actor=other_user, attempt=other, item=items[K.SINGLE], response="C")
    assert err.value.status == 404
    with pytest.raises(PermissionDeniedError):
        sit.save_answer(actor=other_user, attempt=attempt, item=items[K.SINGLE], response="C")


def test_saving_after_submission_is_refused(sitting):
    user, attempt = started(sitting)
    sit.submit_attempt(actor=user, attempt=attempt)
    attempt.refresh_from_db()
    item = attempt.items.select_related("version").first()
    with pytest.raises(DomainError, match="已提交"):
        sit.save_answer(actor=user, attempt=attempt, item=item, response=None)


# -- blind grading -------------------------------------------------------------------------------


def _submitted(s, who="a1"):
    user, attempt = started(s, who)
    answer_all(user, attempt)
    return sit.submit_attempt(actor=user, attempt=attempt)


def _grades(attempt):
    return list(Grade.objects.filter(item__attempt=attempt).order_by("round"))


def test_two_close_grades_settle_the_answer(sitting):
    attempt = _submitted(sitting)
    g1, g2 = _grades(attempt)
    grading.record_grade(actor=g1.grader, grade=g1, score="8")
    attempt.refresh_from_db()
    assert not attempt.graded
    grading.record_grade(actor=g2.grader, grade=g2, score="9.5")  # gap 20 % of 10 = 2
    attempt.refresh_from_db()
    assert attempt.graded and attempt.subjective_score == D("8.75")
    assert attempt.total_score == OBJECTIVE_TOTAL + D("8.75")


def test_far_apart_grades_call_a_third_grader_and_the_closest_two_count(sitting):
    attempt = _submitted(sitting)
    g1, g2 = _grades(attempt)
    grading.record_grade(actor=g1.grader, grade=g1, score=3)
    grading.record_grade(actor=g2.grader, grade=g2, score=9)
    third = Grade.objects.get(item__attempt=attempt, round=3)
    assert third.grader_id not in {g1.grader_id, g2.grader_id}
    attempt.refresh_from_db()
    assert not attempt.graded
    grading.record_grade(actor=third.grader, grade=third, score="8")
    attempt.refresh_from_db()
    assert attempt.subjective_score == D("8.50") and attempt.graded


def test_graders_never_grade_their_own_answer_nor_twice(sitting, role_user):
    g1, g2 = _grades(_submitted(sitting))
    with pytest.raises(PermissionDeniedError):
        grading.record_grade(actor=g2.grader, grade=g1, score=5)
    with pytest.raises(DomainError, match="评分应在 0 到 10.00"):
        grading.record_grade(actor=g1.grader, grade=g1, score=11)
    with pytest.raises(DomainError, match="两位小数"):
        grading.record_grade(actor=g1.grader, grade=g1, score="5.555")
    with pytest.raises(DomainError, match="数字"):
        grading.record_grade(actor=g1.grader, grade=g1, score="八分")
    grading.record_grade(actor=g1.grader, grade=g1, score=5)
    with pytest.raises(DomainError, match="不能修改"):
        grading.record_grade(actor=g1.grader, grade=g1, score=6)
    # a grader who is also a candidate is never given their own answer
    grader_user = sitting.graders[0]
    Staff.objects.filter(pk=sitting.b1.pk).update(user=grader_user)
    grader_user.groups.add(*sitting.clerk_b1.groups.all())
    grader_user._chuangkou_roles = None
    attempt = Attempt.objects.get(pk=sitting.attempt_b1.pk)
    attempt = sit.start_attempt(actor=grader_user, attempt=attempt)
    sit.submit_attempt(actor=grader_user, attempt=attempt)
    assert grader_user.pk not in {g.grader_id for g in _grades(attempt)}


def test_answers_wait_for_graders_and_are_assigned_when_set(sitting):
    sitting.exam.graders.set([])
    attempt = _submitted(sitting)
    assert not _grades(attempt)
    exams.set_graders(actor=sitting.admin, exam=sitting.exam, graders=sitting.graders[:2])
    assert len(_grades(attempt)) == 2
    with pytest.raises(DomainError, match="没有阅卷人角色"):
        exams.set_graders(actor=sitting.admin, exam=sitting.exam, graders=[sitting.clerk_a1])


# -- close, publish, regrade ---------------------------------------------------------------------


def _grade_all(attempt, score="7"):
    for grade in Grade.objects.filter(item__attempt=attempt, score__isnull=True):
        grading.record_grade(actor=grade.grader, grade=grade, score=score)


def test_close_and_publish(sitting):
    attempt = _submitted(sitting)
    _user, other = started(sitting, "b1")
    with pytest.raises(DomainError, match="考试结束后"):
        exams.publish_results(actor=sitting.admin, exam=sitting.exam)
    exams.close_exam(actor=sitting.admin, exam=sitting.exam)
    other.refresh_from_db()
    assert other.status == Attempt.Status.SUBMITTED and other.auto_submitted
    with pytest.raises(DomainError, match="未阅完"):
        exams.publish_results(actor=sitting.admin, exam=sitting.exam)
    _grade_all(attempt)
    _grade_all(other)
    exam = exams.publish_results(actor=sitting.admin, exam=sitting.exam)
    assert exam.status == Exam.Status.PUBLISHED and exam.published_at
    with pytest.raises(DomainError, match="只有已开放"):
        exams.close_exam(actor=sitting.admin, exam=exam)


def test_regrade_dry_run_then_apply(sitting):
    attempt = _submitted(sitting)
    _grade_all(attempt)
    attempt.refresh_from_db()
    before_total = attempt.total_score
    q = sitting.questions[K.SINGLE]
    _edit(sitting.admin, q, config={**q.current_version.config, "answer": ["B"]})
    report = regrade.regrade_question(actor=sitting.admin, exam=sitting.exam, question=q)
    assert not report.applied and report.from_versions == [1] and report.to_version == 2
    (change,) = report.changes
    assert (change.old_score, change.new_score) == (D("10.00"), D("0.00"))
    assert change.new_total == before_total - 10
    item = AttemptItem.objects.get(attempt=attempt, question=q)
    assert item.score == D("10.00") and item.version.number == 1  # the dry run wrote nothing
    report = regrade.regrade_question(
        actor=sitting.admin, exam=sitting.exam, question=q, dry_run=False
    )
    item.refresh_from_db()
    attempt.refresh_from_db()
    assert report.applied and item.score == D("0.00") and item.version.number == 2
    assert attempt.total_score == before_total - 10
    assert AuditEntry.objects.filter(action="exams.exam.regrade").exists()
    with pytest.raises(DomainError, match="开放式陈述题"):
        regrade.regrade_question(
            actor=sitting.admin, exam=sitting.exam, question=sitting.questions[K.OPEN]
        )


# -- contest -------------------------------------------------------------------------------------


def test_contest_teams_rounds_and_standings(org_small):
    point = KnowledgePointFactory(parent=KnowledgePointFactory())
    for _ in range(3):
        make_question(K.SCENARIO, points=[point])
        make_question(K.MULTIPLE, points=[point], source="typical_case")
    staff = Staff.objects.select_related("department", "window__center")
    c = contest.create_contest(actor=org_small.admin, name="技能大比武", staff=staff)
    assert sorted(c.teams.values_list("name", flat=True)) == ["人力社保局", "市场监管局"]
    with pytest.raises(DomainError, match="两支队伍"):
        contest.create_contest(actor=org_small.admin, name="x", staff=staff[:2])
    r = contest.add_contest_round(
        actor=org_small.admin,
        contest=c,
        name="第一轮",
        starts_at=timezone.now() - dt.timedelta(minutes=1),
        duration_minutes=10,
        scenario_count=2,
        case_count=1,
    )
    assert r.exam.status == Exam.Status.OPEN and r.exam.attempts.count() == 6
    attempt = Attempt.objects.get(exam=r.exam, staff=org_small.a1)
    attempt = sit.start_attempt(actor=org_small.clerk_a1, attempt=attempt)
    for item in attempt.items.select_related("version"):
        sit.save_answer(
            actor=org_small.clerk_a1,
            attempt=attempt,
            item=item,
            response=item.version.config["answer"],
        )
    sit.submit_attempt(actor=org_small.clerk_a1, attempt=attempt)
    standings = selectors.contest_standings(c)
    top = standings.individuals[0]
    assert top.name == "甲一" and top.total == D("15.00")
    team = next(t for t in standings.teams if t.name == "市场监管局")
    assert team.score == D("3.75") and team.members == 4  # (15 + 0 + 0 + 0) / 4


def test_only_the_center_admin_manages(org_small, role_user):
    grader = role_user(Role.GRADER)
    paper = make_paper([make_question(K.SINGLE)])
    for actor in (org_small.clerk_a1, org_small.head_a, grader):
        with pytest.raises(PermissionDeniedError):
            papers.create_paper(actor=actor, name="x")
        with pytest.raises(PermissionDeniedError):
            exams.create_exam(
                actor=actor,
                title="x",
                paper=paper,
                starts_at=timezone.now(),
                ends_at=timezone.now() + dt.timedelta(hours=1),
                duration_minutes=5,
            )
