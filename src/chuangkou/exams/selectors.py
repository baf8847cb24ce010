"""Reads of the question bank, exams, attempts, grading queues, results, item analysis,
knowledge-point mastery and contest standings. Each takes the user where visibility depends on it.
"""

from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import Count, Q, QuerySet, Sum

from chuangkou.core.connections import prepared_cursor
from chuangkou.core.roles import Role, has_role
from chuangkou.org.models import Department, Staff
from chuangkou.org.selectors import staff_visible_to

from . import analysis, content, sql
from .filters import ExamFilter, QuestionFilter, ResultFilter
from .models import (
    Attempt,
    AttemptItem,
    Contest,
    Exam,
    Grade,
    KnowledgePoint,
    Question,
    QuestionKind,
)
from .permissions import can_manage
from .services.papers import paper_max_score

# -- for the selection engineer (竞聘上岗) ------------------------------------------------------


def candidate_scores(*, exam: Exam) -> dict[int, Decimal]:
    """org.Staff id → final total of that candidate's submitted, fully graded attempt in `exam`
    (published or not: selection decides what to use)."""
    rows = exam.attempts.filter(status=Attempt.Status.SUBMITTED, graded=True).values_list(
        "staff_id", "total_score"
    )
    return {staff_id: total for staff_id, total in rows}


def exam_max_score(*, exam: Exam) -> Decimal:
    """The full marks of the exam's paper."""
    return paper_max_score(exam.paper)


# -- question bank ------------------------------------------------------------------------------


def questions_visible_to(user) -> QuerySet[Question]:
    qs = Question.objects.select_related("current_version", "matter").prefetch_related(
        "knowledge_points"
    )
    return qs if can_manage(user) else qs.none()


def question_list(*, user, filters: QuestionFilter) -> QuerySet[Question]:
    return filters.filter(questions_visible_to(user)).distinct().order_by("code")


def knowledge_tree() -> list[KnowledgePoint]:
    """Domains with their points prefetched as `children_list`, and question counts."""
    points = list(KnowledgePoint.objects.annotate(n=Count("questions")).order_by("order", "id"))
    by_parent: dict[int | None, list[KnowledgePoint]] = defaultdict(list)
    for point in points:
        by_parent[point.parent_id].append(point)
    for point in points:
        point.children_list = by_parent.get(point.pk, [])
    return by_parent[None]


def leaf_points() -> QuerySet[KnowledgePoint]:
    return KnowledgePoint.objects.filter(parent__isnull=False).select_related("parent")


# -- exams --------------------------------------------------------------------------------------


def exams_visible_to(user) -> QuerySet[Exam]:
    """Every exam for the center admin; a grader the exams they grade; a candidate the exams
    they sit (once opened)."""
    qs = Exam.objects.select_related("paper")
    if not getattr(user, "is_authenticated", False):
        return qs.none()
    if can_manage(user):
        return qs
    visible = Q(attempts__staff__user=user) & ~Q(status=Exam.Status.DRAFT)
    if has_role(user, Role.GRADER):
        visible |= Q(graders=user)
    return qs.filter(visible).distinct()


def exam_list(*, user, filters: ExamFilter) -> QuerySet[Exam]:
    return (
        filters.filter(exams_visible_to(user))
        .annotate(candidates=Count("attempts", distinct=True))
        .order_by("-starts_at", "-id")
    )


def managed_exams(user) -> QuerySet[Exam]:
    return exams_visible_to(user) if can_manage(user) else Exam.objects.none()


def my_attempts(user) -> QuerySet[Attempt]:
    """A candidate's own attempts in exams that are no longer drafts."""
    if not getattr(user, "is_authenticated", False):
        return Attempt.objects.none()
    return (
        Attempt.objects.filter(staff__user=user)
        .exclude(exam__status=Exam.Status.DRAFT)
        .select_related("exam", "exam__paper")
        .order_by("-exam__starts_at")
    )


def own_attempt(user, attempt_id: int) -> Attempt | None:
    """The user's own attempt `attempt_id` (with its exam, paper and candidate) in an exam that is
    no longer a draft, else None; one fixed statement (every candidate request starts with it)."""
    found = own_attempt_row(user, attempt_id, sql.own_attempt_query)
    return found[0] if found else None


def own_attempt_row(user, attempt_id: int, statement, *leading) -> tuple[Attempt, tuple] | None:
    """own_attempt by `statement` (sql.own_attempt_query or a statement that reads more columns
    after the same ones, with `leading` parameters before its own): the attempt with its exam,
    paper and candidate, and the rest of the row; None when it is not the user's."""
    user_id = user.pk if getattr(user, "is_authenticated", False) else None
    if user_id is None or not 1 <= attempt_id <= sql.MAX_ID:
        return None
    query, attempts, exams, papers, staff = statement()
    with prepared_cursor() as cursor:
        cursor.execute(query, [*leading, attempt_id, user_id, Exam.Status.DRAFT.value])
        row = cursor.fetchone()
    if row is None:
        return None
    loaded, at = [], 0
    for loader in (attempts, exams, papers, staff):
        loaded.append(loader.load(row[at : at + len(loader.fields)]))
        at += len(loader.fields)
    attempt, exam, paper, candidate = loaded
    exam.paper, attempt.exam, attempt.staff = paper, exam, candidate
    return attempt, row[at:]


def exam_counts(exam: Exam) -> dict[str, int]:
    rows = exam.attempts.values("status").annotate(n=Count("pk"))
    counts = {r["status"]: r["n"] for r in rows}
    counts["graded"] = exam.attempts.filter(graded=True).count()
    counts["total"] = sum(counts.get(s, 0) for s in Attempt.Status.values)
    counts["grades_waiting"] = Grade.objects.filter(
        item__attempt__exam=exam, score__isnull=True
    ).count()
    counts["open_unassigned"] = (
        AttemptItem.objects.filter(
            attempt__exam=exam,
            attempt__status=Attempt.Status.SUBMITTED,
            kind=QuestionKind.OPEN,
            score__isnull=True,
        )
        .annotate(n=Count("grades"))
        .filter(n=0)
        .count()
    )
    return counts


# -- an attempt as the candidate sees it ---------------------------------------------------------


@dataclass
class ItemView:
    id: int
    order: int
    kind: str
    kind_label: str
    stem: str
    points: Decimal
    view: dict
    response: object
    saved_at: object
    score: Decimal | None = None
    key: str | None = None
    answer_text: str = ""


def attempt_items(attempt: Attempt, *, reveal: bool) -> list[ItemView]:
    """The questions of an attempt in display order; the key and scores only when `reveal`
    (after publication, or to the center admin)."""
    labels = dict(QuestionKind.choices)
    views = []
    for item in attempt.items.select_related("version").order_by("order"):
        config = item.version.config
        view = ItemView(
            id=item.pk,
            order=item.order,
            kind=item.kind,
            kind_label=labels[item.kind],
            stem=item.version.stem,
            points=item.points,
            view=content.public_view(item.kind, config, item.option_order),
            response=item.response,
            saved_at=item.saved_at,
            answer_text=content.answer_text(item.kind, item.response),
        )
        if reveal:
            view.score = item.score
            view.key = content.key_text(item.kind, config)
        views.append(view)
    return views


def may_see_result(user, attempt: Attempt) -> bool:
    """The candidate after publication; the center admin always."""
    if can_manage(user):
        return True
    return attempt.exam.status == Exam.Status.PUBLISHED and attempt.staff.user_id == user.pk


# -- grading ------------------------------------------------------------------------------------


def grading_tasks(user, *, done: bool = False) -> QuerySet[Grade]:
    """A grader's answers to grade (or graded): blind, the attempt is known by its code only."""
    if not has_role(user, Role.GRADER):
        return Grade.objects.none()
    return (
        Grade.objects.filter(grader=user, score__isnull=not done)
        .exclude(item__attempt__exam__status=Exam.Status.PUBLISHED)
        .select_related("item__version", "item__attempt__exam", "item__question")
        .order_by("item__attempt__exam_id", "item__slot", "item_id")
    )


# -- results ------------------------------------------------------------------------------------


def exam_results(exam: Exam, filters: ResultFilter | None = None) -> QuerySet[Attempt]:
    qs = exam.attempts.select_related("staff", "staff__department")
    if filters is not None:
        qs = filters.filter(qs)
    return qs.order_by("-graded", "-total_score", "-objective_score", "staff__staff_no")


# -- item analysis ------------------------------------------------------------------------------


@dataclass
class QuestionRow:
    question_id: int
    code: str
    kind_label: str
    stem: str
    stats: analysis.ItemStats


@dataclass
class ExamAnalysis:
    attempts: int
    max_score: Decimal
    mean_total: float | None
    alpha: float | None
    rows: list[QuestionRow] = field(default_factory=list)
    histogram: list[tuple[str, int]] = field(default_factory=list)


def exam_analysis(exam: Exam) -> ExamAnalysis:
    """Facility and discrimination per question, Cronbach's α over the paper's slots."""
    items = AttemptItem.objects.filter(
        attempt__exam=exam, attempt__status=Attempt.Status.SUBMITTED, attempt__graded=True
    ).values_list("attempt_id", "question_id", "slot", "score", "points")
    by_attempt: dict[int, dict[int, float]] = defaultdict(dict)
    rows: list[tuple[int, int, int, float, float]] = []
    for attempt_id, question_id, slot, score, points in items.iterator(chunk_size=5000):
        rows.append((attempt_id, question_id, slot, float(score), float(points)))
        by_attempt[attempt_id][slot] = float(score)
    totals = {a: sum(slots.values()) for a, slots in by_attempt.items()}
    per_question: dict[int, list[tuple[float, float, float]]] = defaultdict(list)
    for attempt_id, question_id, _slot, score, points in rows:
        per_question[question_id].append((score, points, totals[attempt_id]))
    slots = sorted({r[2] for r in rows})
    matrix = [[s.get(j, 0.0) for j in slots] for s in by_attempt.values() if len(s) == len(slots)]
    max_score = exam_max_score(exam=exam)
    result = ExamAnalysis(
        attempts=len(by_attempt),
        max_score=max_score,
        mean_total=analysis.mean(list(totals.values())) if totals else None,
        alpha=analysis.cronbach_alpha(matrix),
    )
    questions = Question.objects.in_bulk(list(per_question))
    labels = dict(QuestionKind.choices)
    for stats in analysis.item_statistics(per_question):
        q = questions[stats.key]
        stem = q.current_version.stem if q.current_version_id else ""
        result.rows.append(QuestionRow(q.pk, q.code, labels[q.kind], stem[:60], stats))
    result.rows.sort(key=lambda r: r.code)
    result.histogram = _histogram(list(totals.values()), float(max_score))
    return result


def _histogram(totals: list[float], max_score: float, bins: int = 10) -> list[tuple[str, int]]:
    if not totals or not max_score:
        return []
    width = max_score / bins
    counts = [0] * bins
    for t in totals:
        counts[min(int(t / width), bins - 1)] += 1
    return [(f"{i * width:.0f}–{(i + 1) * width:.0f}", counts[i]) for i in range(bins)]


# -- knowledge-point mastery ---------------------------------------------------------------------


@dataclass
class Mastery:
    point_id: int
    name: str
    domain: str
    score: float
    points: float

    @property
    def ratio(self) -> float | None:
        return analysis.mastery(self.score, self.points)


@dataclass
class MasteryReport:
    points: list[Mastery]  # the whole scope, weakest first
    by_department: dict[str, dict[int, float | None]]
    by_staff: dict[int, dict[int, float | None]]
    staff_names: dict[int, str]


def mastery_report(*, user, exam: Exam | None = None, department: Department | None = None):
    """知识点掌握度 over the staff the user may see (own, own department, or the center):
    per point, per department and per clerk, weakest points first."""
    staff = staff_visible_to(user)
    if department is not None:
        staff = staff.filter(department=department)
    items = AttemptItem.objects.filter(
        attempt__status=Attempt.Status.SUBMITTED,
        score__isnull=False,
        attempt__staff__in=staff.values("pk"),
    )
    if exam is not None:
        items = items.filter(attempt__exam=exam)
    rows = items.values(
        "question__knowledge_points", "attempt__staff_id", "attempt__staff__department__name"
    ).annotate(s=Sum("score"), p=Sum("points"))
    names = {
        p.pk: (p.name, p.parent.name if p.parent else "")
        for p in KnowledgePoint.objects.select_related("parent")
    }
    totals: dict[int, list[float]] = defaultdict(lambda: [0.0, 0.0])
    dept: dict[str, dict[int, list[float]]] = defaultdict(lambda: defaultdict(lambda: [0.0, 0.0]))
    person: dict[int, dict[int, list[float]]] = defaultdict(lambda: defaultdict(lambda: [0.0, 0.0]))
    for row in rows:
        point = row["question__knowledge_points"]
        if point is None:
            continue
        s, p = float(row["s"] or 0), float(row["p"] or 0)
        for bucket in (
            totals[point],
            dept[row["attempt__staff__department__name"]][point],
            person[row["attempt__staff_id"]][point],
        ):
            bucket[0] += s
            bucket[1] += p
    points = [Mastery(pid, names[pid][0], names[pid][1], s, p) for pid, (s, p) in totals.items()]
    points.sort(key=lambda m: (m.ratio if m.ratio is not None else 2, m.name))
    return MasteryReport(
        points=points,
        by_department={
            d: {pid: analysis.mastery(*v) for pid, v in cells.items()}
            for d, cells in sorted(dept.items())
        },
        by_staff={
            sid: {pid: analysis.mastery(*v) for pid, v in cells.items()}
            for sid, cells in person.items()
        },
        staff_names=dict(Staff.objects.filter(pk__in=list(person)).values_list("pk", "name")),
    )


# -- contest ------------------------------------------------------------------------------------


@dataclass
class Contestant:
    staff_id: int
    name: str
    team: str
    rounds: list[Decimal | None]
    total: Decimal


@dataclass
class TeamStanding:
    name: str
    members: int
    score: Decimal
    finished: int


@dataclass
class Standings:
    rounds: list[str]
    individuals: list[Contestant]
    teams: list[TeamStanding]


def contest_standings(contest: Contest) -> Standings:
    """Individuals: the sum of their round scores. Teams: the mean of their members' totals
    (a member who has not finished a round counts 0 for it), to 2 places."""
    rounds = list(contest.rounds.select_related("exam").order_by("order"))
    scores: dict[tuple[int, int], Decimal | None] = {}
    for attempt in Attempt.objects.filter(exam__contest_round__contest=contest).values(
        "exam_id", "staff_id", "total_score", "status"
    ):
        done = attempt["status"] == Attempt.Status.SUBMITTED
        scores[(attempt["exam_id"], attempt["staff_id"])] = attempt["total_score"] if done else None
    individuals, teams = [], []
    for team in contest.teams.prefetch_related("members"):
        members = list(team.members.all())
        totals = []
        finished = 0
        for member in members:
            per_round = [scores.get((r.exam_id, member.pk)) for r in rounds]
            total = sum((s or Decimal(0) for s in per_round), Decimal(0))
            finished += all(s is not None for s in per_round) and bool(rounds)
            totals.append(total)
            individuals.append(Contestant(member.pk, member.name, team.name, per_round, total))
        mean = (sum(totals, Decimal(0)) / len(totals)).quantize(Decimal("0.01")) if totals else 0
        teams.append(TeamStanding(team.name, len(members), Decimal(mean), finished))
    individuals.sort(key=lambda c: (-c.total, c.name))
    teams.sort(key=lambda t: (-t.score, t.name))
    return Standings([r.name for r in rounds], individuals, teams)


def mask_name(name: str) -> str:
    """王婷婷 → 王*婷, 王婷 → 王*: names on the public big screen."""
    if len(name) <= 1:
        return name
    if len(name) == 2:
        return name[0] + "*"
    return name[0] + "*" * (len(name) - 2) + name[-1]
