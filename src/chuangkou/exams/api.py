"""/api/v1/exams/: the question bank and exams for the center admin, grading for graders,
sitting an exam for candidates (never the key before publication), the public contest board."""

from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import get_object_or_404
from ninja import Query, Router
from ninja.pagination import paginate
from ninja.responses import Status

from chuangkou.catalog.models import Matter
from chuangkou.core.errors import DomainError
from chuangkou.core.paging import MappedQuerySet, Pages
from chuangkou.org.models import Staff

from . import selectors
from .filters import ExamFilter, QuestionFilter
from .models import Attempt, Contest, Exam, KnowledgePoint, Paper, Question
from .permissions import can_manage
from .schemas import (
    AnalysisOut,
    AnswerIn,
    AttemptOut,
    ContestBoardOut,
    CountOut,
    ExamIn,
    ExamOut,
    GradeIn,
    GradeOut,
    GradeTaskOut,
    ItemOut,
    KnowledgePointOut,
    MyExamOut,
    QuestionIn,
    QuestionOut,
    QuestionUpdateIn,
    RegradeIn,
    RegradeOut,
    ResultOut,
    SavedOut,
    StaffIdsIn,
)
from .services import bank, exams, grading, regrade, sitting

router = Router(tags=["题库与考试"])


def _manager(request) -> None:
    if not can_manage(request.user):
        raise PermissionDenied


def _points(ids: list[int]) -> list[KnowledgePoint]:
    found = list(KnowledgePoint.objects.filter(pk__in=ids))
    if len(found) != len(set(ids)):
        raise DomainError("知识点编号不存在。", field="knowledge_point_ids")
    return found


def _matter(matter_id: int | None) -> Matter | None:
    if matter_id is None:
        return None
    matter = Matter.objects.filter(pk=matter_id).first()
    if matter is None:
        raise DomainError(f"事项编号 {matter_id} 不存在。", field="matter_id")
    return matter


def question_out(q: Question) -> QuestionOut:
    version = q.current_version
    return QuestionOut(
        id=q.pk,
        code=q.code,
        kind=q.kind,
        kind_label=q.get_kind_display(),
        difficulty=q.difficulty,
        source=q.source,
        knowledge_point_ids=[p.pk for p in q.knowledge_points.all()],
        matter_id=q.matter_id,
        is_active=q.is_active,
        version=version.number,
        stem=version.stem,
        config=version.config,
    )


# -- question bank (center admin) --------------------------------------------------------------


@router.get("/knowledge-points", response=list[KnowledgePointOut], summary="知识点")
def list_points(request):
    return KnowledgePoint.objects.order_by("order", "id")


@router.get("/questions", response=list[QuestionOut], summary="题库")
@paginate(Pages, page_size=50)
def list_questions(request, filters: Query[QuestionFilter]):
    _manager(request)
    return MappedQuerySet(selectors.question_list(user=request.user, filters=filters), question_out)


@router.get("/questions/{question_id}", response=QuestionOut, summary="试题详情（含答案）")
def get_question(request, question_id: int):
    _manager(request)
    return question_out(
        get_object_or_404(selectors.questions_visible_to(request.user), pk=question_id)
    )


@router.post("/questions", response={201: QuestionOut}, summary="录入试题")
def create_question(request, payload: QuestionIn):
    question = bank.create_question(
        actor=request.user,
        kind=payload.kind,
        stem=payload.stem,
        config=payload.config,
        difficulty=payload.difficulty,
        source=payload.source,
        knowledge_points=_points(payload.knowledge_point_ids),
        matter=_matter(payload.matter_id),
    )
    return Status(201, question_out(question))


@router.put(
    "/questions/{question_id}", response=QuestionOut, summary="修改试题（已用版本另存新版本）"
)
def update_question(request, question_id: int, payload: QuestionUpdateIn):
    _manager(request)
    question = get_object_or_404(Question, pk=question_id)
    bank.update_question(
        actor=request.user,
        question=question,
        stem=payload.stem,
        config=payload.config,
        difficulty=payload.difficulty,
        source=payload.source,
        knowledge_points=_points(payload.knowledge_point_ids),
        matter=_matter(payload.matter_id),
        note=payload.note,
    )
    return question_out(Question.objects.get(pk=question_id))


# -- exams (center admin) -----------------------------------------------------------------------


@router.get("/exams", response=list[ExamOut], summary="考试（按角色可见）")
@paginate(Pages, page_size=50)
def list_exams(request, filters: Query[ExamFilter]):
    return selectors.exam_list(user=request.user, filters=filters)


@router.post("/exams", response={201: ExamOut}, summary="安排考试")
def create_exam(request, payload: ExamIn):
    _manager(request)
    paper = Paper.objects.filter(pk=payload.paper_id).first()
    if paper is None:
        raise DomainError(f"试卷编号 {payload.paper_id} 不存在。", field="paper_id")
    exam = exams.create_exam(
        actor=request.user,
        title=payload.title,
        paper=paper,
        starts_at=payload.starts_at,
        ends_at=payload.ends_at,
        duration_minutes=payload.duration_minutes,
        purpose=payload.purpose,
    )
    return Status(201, exam)


def _managed_exam(request, exam_id: int) -> Exam:
    _manager(request)
    return get_object_or_404(Exam, pk=exam_id)


@router.post("/exams/{exam_id}/candidates", response=CountOut, summary="添加考生")
def add_candidates(request, exam_id: int, payload: StaffIdsIn):
    exam = _managed_exam(request, exam_id)
    staff = list(Staff.objects.filter(pk__in=payload.staff_ids))
    if len(staff) != len(set(payload.staff_ids)):
        raise DomainError("有人员编号不存在。", field="staff_ids")
    return {"count": exams.add_candidates(actor=request.user, exam=exam, staff=staff)}


@router.post("/exams/{exam_id}/open", response=ExamOut, summary="开放考试")
def open_exam(request, exam_id: int):
    return exams.open_exam(actor=request.user, exam=_managed_exam(request, exam_id))


@router.post("/exams/{exam_id}/close", response=ExamOut, summary="结束考试（未交卷者自动交卷）")
def close_exam(request, exam_id: int):
    return exams.close_exam(actor=request.user, exam=_managed_exam(request, exam_id))


@router.post("/exams/{exam_id}/publish", response=ExamOut, summary="发布成绩")
def publish_exam(request, exam_id: int):
    return exams.publish_results(actor=request.user, exam=_managed_exam(request, exam_id))


@router.post(
    "/exams/{exam_id}/regrade", response=RegradeOut, summary="更正答案后重新评分（默认试算）"
)
def regrade_exam(request, exam_id: int, payload: RegradeIn):
    exam = _managed_exam(request, exam_id)
    question = Question.objects.filter(pk=payload.question_id).first()
    if question is None:
        raise DomainError(f"试题编号 {payload.question_id} 不存在。", field="question_id")
    report = regrade.regrade_question(
        actor=request.user, exam=exam, question=question, dry_run=payload.dry_run
    )
    return RegradeOut(
        question=question.code,
        to_version=report.to_version,
        from_versions=report.from_versions,
        answers=report.answers,
        applied=report.applied,
        changes=[c.__dict__ for c in report.changes],
    )


@router.get("/exams/{exam_id}/analysis", response=AnalysisOut, summary="试题分析")
def exam_analysis(request, exam_id: int):
    exam = _managed_exam(request, exam_id)
    sitting.finalise_overdue_attempts(exam=exam)
    result = selectors.exam_analysis(exam)
    return AnalysisOut(
        attempts=result.attempts,
        max_score=result.max_score,
        mean_total=result.mean_total,
        alpha=result.alpha,
        questions=[
            {
                "question_id": r.question_id,
                "code": r.code,
                "kind": r.kind_label,
                "attempts": r.stats.attempts,
                "mean_score": r.stats.mean_score,
                "max_score": r.stats.max_score,
                "facility": r.stats.facility,
                "discrimination": r.stats.discrimination,
            }
            for r in result.rows
        ],
    )


@router.get("/exams/{exam_id}/scores", response=dict[int, str], summary="考生总分（人员编号→总分）")
def exam_scores(request, exam_id: int):
    exam = _managed_exam(request, exam_id)
    return {k: str(v) for k, v in selectors.candidate_scores(exam=exam).items()}


# -- candidates ---------------------------------------------------------------------------------


def _own_attempt(request, attempt_id: int) -> Attempt:
    """The caller's own attempt; anyone else's is 404 (its existence is not revealed)."""
    attempt = selectors.own_attempt(request.user, attempt_id)
    if attempt is None:
        raise Http404
    return attempt


def attempt_out(attempt: Attempt, *, with_items: bool = True) -> AttemptOut:
    """`with_items=False`: without the questions (the submit response: the candidate's next
    page is the result, and a page of questions rendered for each of hundreds of candidates
    submitting at once is the slowest part of the request)."""
    shown = with_items and attempt.started_at
    items = selectors.attempt_items(attempt, reveal=False) if shown else []
    return AttemptOut(
        id=attempt.pk,
        exam_id=attempt.exam_id,
        title=attempt.exam.title,
        status=attempt.status,
        started_at=attempt.started_at,
        deadline=attempt.deadline,
        submitted_at=attempt.submitted_at,
        auto_submitted=attempt.auto_submitted,
        seconds_left=sitting.seconds_left(attempt),
        items=[ItemOut(**{k: getattr(i, k) for k in ItemOut.model_fields}) for i in items],
    )


@router.get("/my/exams", response=list[MyExamOut], summary="我的考试")
def my_exams(request):
    sitting.finalise_overdue_attempts()
    rows = []
    for a in selectors.my_attempts(request.user):
        published = a.exam.status == Exam.Status.PUBLISHED
        rows.append(
            MyExamOut(
                attempt_id=a.pk,
                exam_id=a.exam_id,
                title=a.exam.title,
                exam_status=a.exam.status,
                starts_at=a.exam.starts_at,
                ends_at=a.exam.ends_at,
                duration_minutes=a.exam.duration_minutes,
                status=a.status,
                deadline=a.deadline,
                total_score=a.total_score if published else None,
            )
        )
    return rows


@router.post("/attempts/{attempt_id}/start", response=AttemptOut, summary="开始作答")
def start_attempt(request, attempt_id: int):
    attempt = sitting.start_attempt(actor=request.user, attempt=_own_attempt(request, attempt_id))
    return attempt_out(attempt)


@router.get(
    "/attempts/{attempt_id}", response=AttemptOut, summary="答卷（含已保存的作答和剩余时间）"
)
def get_attempt(request, attempt_id: int):
    attempt = _own_attempt(request, attempt_id)
    sitting.finalise_if_overdue(attempt)
    return attempt_out(attempt)


@router.put(
    "/attempts/{attempt_id}/items/{item_id}", response=SavedOut, summary="保存一题的作答（幂等）"
)
def save_answer(request, attempt_id: int, item_id: int, payload: AnswerIn):
    attempt = _own_attempt(request, attempt_id)
    item = get_object_or_404(attempt.items.select_related("version"), pk=item_id)
    item = sitting.save_answer(
        actor=request.user, attempt=attempt, item=item, response=payload.response
    )
    return SavedOut(item_id=item.pk, saved_at=item.saved_at)


@router.post(
    "/attempts/{attempt_id}/submit",
    response=AttemptOut,
    summary="交卷（响应不含题目，答卷见 GET …/attempts/{attempt_id}）",
)
def submit_attempt(request, attempt_id: int):
    attempt = sitting.submit_own_attempt(actor=request.user, attempt_id=attempt_id)
    if attempt is None:  # not the caller's: 404, as _own_attempt
        raise Http404
    return attempt_out(attempt, with_items=False)


@router.get("/attempts/{attempt_id}/result", response=ResultOut, summary="我的成绩与答案（发布后）")
def my_result(request, attempt_id: int):
    attempt = _own_attempt(request, attempt_id)
    if not selectors.may_see_result(request.user, attempt):
        raise DomainError("成绩尚未发布。", status=403)
    items = selectors.attempt_items(attempt, reveal=True)
    return ResultOut(
        attempt_id=attempt.pk,
        title=attempt.exam.title,
        max_score=selectors.exam_max_score(exam=attempt.exam),
        objective_score=attempt.objective_score,
        subjective_score=attempt.subjective_score,
        total_score=attempt.total_score,
        items=[i.__dict__ for i in items],
    )


# -- graders ------------------------------------------------------------------------------------


@router.get("/grading/tasks", response=list[GradeTaskOut], summary="待阅答卷（匿名）")
def grading_tasks(request):
    rows = []
    for grade in selectors.grading_tasks(request.user)[:200]:
        item = grade.item
        rows.append(
            GradeTaskOut(
                id=grade.pk,
                exam_id=item.attempt.exam_id,
                exam_title=item.attempt.exam.title,
                code=item.attempt.code,
                round=grade.round,
                stem=item.version.stem,
                rubric=item.version.config.get("rubric", ""),
                answer=item.response if isinstance(item.response, str) else "",
                points=item.points,
            )
        )
    return rows


@router.put("/grading/tasks/{grade_id}", response=GradeOut, summary="评分")
def put_grade(request, grade_id: int, payload: GradeIn):
    grade = get_object_or_404(selectors.grading_tasks(request.user), pk=grade_id)
    grade = grading.record_grade(
        actor=request.user, grade=grade, score=payload.score, comment=payload.comment
    )
    return GradeOut(id=grade.pk, score=grade.score, graded_at=grade.graded_at)


# -- the public contest board -------------------------------------------------------------------


@router.get(
    "/contests/{contest_id}/board", response=ContestBoardOut, auth=None, summary="比武大屏（公开）"
)
def contest_board(request, contest_id: int):
    contest = get_object_or_404(Contest, pk=contest_id)
    standings = selectors.contest_standings(contest)
    return ContestBoardOut(
        contest=contest.name,
        rounds=standings.rounds,
        teams=[t.__dict__ for t in standings.teams],
        top=[
            {"name": selectors.mask_name(c.name), "team": c.team, "total": c.total}
            for c in standings.individuals[:10]
        ],
    )
