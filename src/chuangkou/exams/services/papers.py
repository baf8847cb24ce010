"""试卷: fixed papers and blueprints (随机组卷), and drawing the questions of one attempt."""

import random
from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation

from django.db import transaction
from django.db.models import QuerySet, Sum

from chuangkou.core import audit
from chuangkou.core.errors import DomainError

from ..models import BlueprintRule, KnowledgePoint, MultiRule, Paper, PaperItem, Question
from ..permissions import require_manager

MAX_POINTS = Decimal("1000")


def clean_points(value: object, *, field: str = "points") -> Decimal:
    try:
        points = Decimal(str(value)).quantize(Decimal("0.01"))
    except (InvalidOperation, ValueError):
        raise DomainError("分值应为数字。", field=field) from None
    if not Decimal(0) < points <= MAX_POINTS:
        raise DomainError(f"分值应大于 0、不超过 {MAX_POINTS}。", field=field)
    return points


def _check_not_in_use(paper: Paper) -> None:
    if paper.exam_set.exclude(status="draft").exists():
        raise DomainError("试卷已用于开放的考试，不能再修改；请复制一份新试卷。")


@transaction.atomic
def create_paper(
    *,
    actor,
    name: str,
    kind: str = Paper.Kind.FIXED,
    multi_rule: str = MultiRule.PARTIAL,
    description: str = "",
    draw_per_candidate: bool = True,
    shuffle_questions: bool = False,
    shuffle_options: bool = False,
) -> Paper:
    """新建试卷."""
    require_manager(actor)
    name = (name or "").strip()
    if not name:
        raise DomainError("请填写试卷名称。", field="name")
    if kind not in Paper.Kind.values:
        raise DomainError("组卷方式无效。", field="kind")
    if multi_rule not in MultiRule.values:
        raise DomainError("不定项计分规则无效。", field="multi_rule")
    paper = Paper.objects.create(
        name=name,
        kind=kind,
        multi_rule=multi_rule,
        description=description.strip(),
        draw_per_candidate=draw_per_candidate,
        shuffle_questions=shuffle_questions,
        shuffle_options=shuffle_options,
        created_by=actor if getattr(actor, "is_authenticated", False) else None,
    )
    audit.record(
        actor=actor,
        action="exams.paper.create",
        obj=paper,
        after={"name": name, "kind": kind, "multi_rule": multi_rule},
    )
    return paper


@transaction.atomic
def add_paper_item(*, actor, paper: Paper, question: Question, points) -> PaperItem:
    """固定试卷加题."""
    require_manager(actor)
    if paper.kind != Paper.Kind.FIXED:
        raise DomainError("随机组卷的试卷请添加组卷规则。")
    _check_not_in_use(paper)
    if not question.is_active or question.current_version_id is None:
        raise DomainError(f"试题 {question.code} 已停用。", field="question")
    if paper.items.filter(question=question).exists():
        raise DomainError(f"试题 {question.code} 已在试卷中。", field="question")
    order = (paper.items.order_by("-order").values_list("order", flat=True).first() or 0) + 1
    item = PaperItem.objects.create(
        paper=paper, question=question, points=clean_points(points), order=order
    )
    audit.record(
        actor=actor,
        action="exams.paper.add_item",
        obj=paper,
        after={"question": question.code, "points": item.points},
    )
    return item


@transaction.atomic
def remove_paper_item(*, actor, item: PaperItem) -> None:
    require_manager(actor)
    _check_not_in_use(item.paper)
    audit.record(
        actor=actor,
        action="exams.paper.remove_item",
        obj=item.paper,
        before={"question": item.question.code},
    )
    item.delete()


def rule_pool(
    *,
    kind: str,
    difficulty_min: int,
    difficulty_max: int,
    knowledge_points: Iterable[KnowledgePoint] = (),
    sources: Iterable[str] = (),
) -> QuerySet[Question]:
    """The active questions a blueprint rule draws from."""
    qs = Question.objects.filter(
        is_active=True,
        kind=kind,
        difficulty__gte=difficulty_min,
        difficulty__lte=difficulty_max,
        current_version__isnull=False,
    )
    points = list(knowledge_points)
    if points:
        qs = qs.filter(knowledge_points__in=points).distinct()
    sources = list(sources)
    if sources:
        qs = qs.filter(source__in=sources)
    return qs


@transaction.atomic
def add_blueprint_rule(
    *,
    actor,
    paper: Paper,
    kind: str,
    count: int,
    points,
    knowledge_points: Iterable[KnowledgePoint] = (),
    difficulty_min: int = 1,
    difficulty_max: int = 5,
    sources: Iterable[str] = (),
) -> BlueprintRule:
    """随机组卷规则: `count` questions of `kind` from the points, difficulty and sources given."""
    require_manager(actor)
    if paper.kind != Paper.Kind.BLUEPRINT:
        raise DomainError("固定试卷请直接添加试题。")
    _check_not_in_use(paper)
    if not isinstance(count, int) or not 1 <= count <= 500:
        raise DomainError("题数应在 1 到 500 之间。", field="count")
    if not 1 <= difficulty_min <= difficulty_max <= 5:
        raise DomainError("难度范围应在 1 到 5 之间，且最低不高于最高。", field="difficulty_min")
    sources = [s for s in sources if s]
    if any(s not in Question.Source.values for s in sources):
        raise DomainError("来源无效。", field="sources")
    knowledge_points = list(knowledge_points)
    available = rule_pool(
        kind=kind,
        difficulty_min=difficulty_min,
        difficulty_max=difficulty_max,
        knowledge_points=knowledge_points,
        sources=sources,
    ).count()
    if available < count:
        raise DomainError(f"符合条件的试题只有 {available} 道，不足 {count} 道。", field="count")
    order = paper.rules.count() + 1
    rule = BlueprintRule.objects.create(
        paper=paper,
        kind=kind,
        count=count,
        points=clean_points(points),
        difficulty_min=difficulty_min,
        difficulty_max=difficulty_max,
        sources=sources,
        order=order,
    )
    rule.knowledge_points.set(knowledge_points)
    audit.record(
        actor=actor,
        action="exams.paper.add_rule",
        obj=paper,
        after={"kind": kind, "count": count, "points": rule.points},
    )
    return rule


@transaction.atomic
def remove_blueprint_rule(*, actor, rule: BlueprintRule) -> None:
    require_manager(actor)
    _check_not_in_use(rule.paper)
    audit.record(
        actor=actor,
        action="exams.paper.remove_rule",
        obj=rule.paper,
        before={"kind": rule.kind, "count": rule.count},
    )
    rule.delete()


def paper_max_score(paper: Paper) -> Decimal:
    """The full marks of a paper: its items' points, or count × points over its rules."""
    if paper.kind == Paper.Kind.FIXED:
        total = paper.items.aggregate(s=Sum("points"))["s"]
    else:
        total = sum((r.count * r.points for r in paper.rules.all()), Decimal(0))
    return Decimal(total or 0).quantize(Decimal("0.01"))


def paper_question_count(paper: Paper) -> int:
    if paper.kind == Paper.Kind.FIXED:
        return paper.items.count()
    return sum(r.count for r in paper.rules.all())


def check_paper_ready(paper: Paper) -> None:
    """Raise DomainError unless every candidate can get a full paper."""
    if paper.kind == Paper.Kind.FIXED:
        if not paper.items.exists():
            raise DomainError("试卷中还没有试题。", field="paper")
        retired = paper.items.filter(question__is_active=False).first()
        if retired:
            raise DomainError(f"试卷中的试题 {retired.question.code} 已停用。", field="paper")
        return
    rules = list(paper.rules.prefetch_related("knowledge_points"))
    if not rules:
        raise DomainError("随机组卷的试卷还没有组卷规则。", field="paper")
    for rule in rules:
        available = _pool_of(rule).count()
        if available < rule.count:
            raise DomainError(f"规则「{rule}」符合条件的试题只有 {available} 道。", field="paper")


def _pool_of(rule: BlueprintRule) -> QuerySet[Question]:
    return rule_pool(
        kind=rule.kind,
        difficulty_min=rule.difficulty_min,
        difficulty_max=rule.difficulty_max,
        knowledge_points=rule.knowledge_points.all(),
        sources=rule.sources,
    )


@dataclass(frozen=True)
class Drawn:
    slot: int
    question_id: int
    version_id: int
    kind: str
    points: Decimal


def draw(paper: Paper, rng: random.Random) -> list[Drawn]:
    """The questions of one attempt, by slot: a fixed paper's own, or a fresh draw of each rule
    (no question twice). `rng` decides the draw; the caller seeds it."""
    if paper.kind == Paper.Kind.FIXED:
        rows = paper.items.values_list(
            "question_id", "question__current_version_id", "question__kind", "points"
        )
        return [Drawn(i, q, v, k, p) for i, (q, v, k, p) in enumerate(rows, start=1)]
    chosen: list[Drawn] = []
    taken: set[int] = set()
    for rule in paper.rules.prefetch_related("knowledge_points"):
        pool = [
            row
            for row in _pool_of(rule).values_list("pk", "current_version_id").order_by("pk")
            if row[0] not in taken
        ]
        if len(pool) < rule.count:
            raise DomainError(f"规则「{rule}」的试题不足，请联系管理员。")
        for question_id, version_id in rng.sample(pool, rule.count):
            taken.add(question_id)
            chosen.append(Drawn(len(chosen) + 1, question_id, version_id, rule.kind, rule.points))
    return chosen
