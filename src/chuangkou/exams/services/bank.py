"""题库: knowledge points and questions. Editing a question that an attempt has shown makes a
new version; the versions attempts refer to are never changed."""

from collections.abc import Iterable

from django.db import transaction

from chuangkou.core import audit
from chuangkou.core.errors import DomainError

from .. import content
from ..models import KnowledgePoint, Question, QuestionKind, QuestionVersion
from ..permissions import require_manager

MAX_STEM = 5000


@transaction.atomic
def create_knowledge_point(
    *, actor, name: str, parent: KnowledgePoint | None = None, description: str = ""
) -> KnowledgePoint:
    """新增知识点 (two levels: 领域 and 知识点)."""
    require_manager(actor)
    name = (name or "").strip()
    if not name:
        raise DomainError("请填写知识点名称。", field="name")
    if parent is not None and parent.parent_id is not None:
        raise DomainError("知识点最多两级：领域下的知识点不能再有下级。", field="parent")
    if KnowledgePoint.objects.filter(parent=parent, name=name).exists():
        raise DomainError(f"已有名为「{name}」的知识点。", field="name")
    order = KnowledgePoint.objects.filter(parent=parent).count() + 1
    point = KnowledgePoint.objects.create(
        parent=parent, name=name, description=description.strip(), order=order
    )
    audit.record(actor=actor, action="exams.point.create", obj=point, after={"name": name})
    return point


def next_question_code() -> str:
    last = Question.objects.filter(code__startswith="TK").order_by("-code").first()
    number = int(last.code[2:]) + 1 if last and last.code[2:].isdigit() else 1
    return f"TK{number:05d}"


def _check_meta(
    *, kind: str, difficulty: int, source: str, knowledge_points: Iterable[KnowledgePoint]
) -> list[KnowledgePoint]:
    if kind not in QuestionKind.values:
        raise DomainError("题型无效。", field="kind")
    if difficulty not in Question.Difficulty.values:
        raise DomainError("难度应为 1（易）到 5（难）。", field="difficulty")
    if source not in Question.Source.values:
        raise DomainError("来源应为窗口难点问题、典型案例或法规制度。", field="source")
    points = list(knowledge_points)
    if not points:
        raise DomainError("请至少选择一个知识点。", field="knowledge_points")
    return points


def _check_stem(stem: str) -> str:
    stem = (stem or "").strip()
    if not stem:
        raise DomainError("请填写题干。", field="stem")
    if len(stem) > MAX_STEM:
        raise DomainError(f"题干不能超过 {MAX_STEM} 字。", field="stem")
    return stem


@transaction.atomic
def create_question(
    *,
    actor,
    kind: str,
    stem: str,
    config: dict,
    difficulty: int,
    source: str,
    knowledge_points: Iterable[KnowledgePoint],
    matter=None,
    code: str = "",
) -> Question:
    """录入试题 with its first version."""
    require_manager(actor)
    points = _check_meta(
        kind=kind, difficulty=difficulty, source=source, knowledge_points=knowledge_points
    )
    stem = _check_stem(stem)
    config = content.clean_config(kind, config)
    code = (code or "").strip() or next_question_code()
    if Question.objects.filter(code=code).exists():
        raise DomainError(f"题号 {code} 已存在。", field="code")
    question = Question.objects.create(
        code=code,
        kind=kind,
        difficulty=difficulty,
        source=source,
        matter=matter,
        author=actor if getattr(actor, "is_authenticated", False) else None,
    )
    question.knowledge_points.set(points)
    version = QuestionVersion.objects.create(
        question=question, number=1, stem=stem, config=config, created_by=question.author
    )
    question.current_version = version
    question.save(update_fields=["current_version"])
    audit.record(
        actor=actor,
        action="exams.question.create",
        obj=question,
        after={"kind": kind, "stem": stem[:100], "key": content.key_text(kind, config)},
    )
    return question


def version_in_use(version: QuestionVersion) -> bool:
    """A version some attempt has shown is frozen."""
    return version.uses.exists()


@transaction.atomic
def update_question(
    *,
    actor,
    question: Question,
    stem: str,
    config: dict,
    difficulty: int,
    source: str,
    knowledge_points: Iterable[KnowledgePoint],
    matter=None,
    note: str = "",
) -> QuestionVersion:
    """修改试题. The version in use by any attempt stays as it was: the change becomes the next
    version (and only a regrade moves finished answers onto it). Returns the current version."""
    require_manager(actor)
    question = Question.objects.select_for_update().get(pk=question.pk)
    points = _check_meta(
        kind=question.kind, difficulty=difficulty, source=source, knowledge_points=knowledge_points
    )
    stem = _check_stem(stem)
    config = content.clean_config(question.kind, config)
    current = question.current_version
    before = {
        "version": current.number,
        "stem": current.stem[:100],
        "key": content.key_text(question.kind, current.config),
    }
    content_changed = stem != current.stem or config != current.config
    if content_changed and version_in_use(current):
        current = QuestionVersion.objects.create(
            question=question,
            number=current.number + 1,
            stem=stem,
            config=config,
            note=note.strip()[:200],
            created_by=actor if getattr(actor, "is_authenticated", False) else None,
        )
        question.current_version = current
    elif content_changed:
        current.stem, current.config = stem, config
        current.note = note.strip()[:200] or current.note
        current.save(update_fields=["stem", "config", "note"])
    question.difficulty, question.source, question.matter = difficulty, source, matter
    question.save()
    question.knowledge_points.set(points)
    audit.record(
        actor=actor,
        action="exams.question.update",
        obj=question,
        before=before,
        after={
            "version": current.number,
            "stem": stem[:100],
            "key": content.key_text(question.kind, config),
        },
    )
    return current


@transaction.atomic
def set_question_active(*, actor, question: Question, active: bool) -> Question:
    """停用/启用: a retired question is no longer drawn or added to papers."""
    require_manager(actor)
    if question.is_active != active:
        question.is_active = active
        question.save(update_fields=["is_active", "updated_at"])
        audit.record(
            actor=actor,
            action="exams.question.activate" if active else "exams.question.retire",
            obj=question,
        )
    return question
