"""员工建议: filed by any staff member, handled by the center admin: assign, answer, adopt or
decline with a reason, or turn into a problem of the oversight tracker."""

from django.db import transaction
from django.utils import timezone

from chuangkou.core import audit
from chuangkou.core.errors import DomainError, PermissionDeniedError
from chuangkou.core.permissions import require_role
from chuangkou.core.roles import has_role
from chuangkou.supervision.models import Problem
from chuangkou.supervision.services import report_problem
from chuangkou.supervision.services.common import text

from .. import permissions
from ..models import Suggestion
from .events import staff_of

Status = Suggestion.Status


def _locked(suggestion: Suggestion) -> Suggestion:
    return Suggestion.objects.select_for_update().get(pk=suggestion.pk)


def _require_open(suggestion: Suggestion) -> None:
    if suggestion.closed:
        raise DomainError(f"该建议已{suggestion.get_status_display()}，不能再处理。")


def _record(actor, suggestion: Suggestion, action: str, before: str, **after) -> Suggestion:
    audit.record(
        actor=actor,
        action=f"training.suggestion.{action}",
        obj=suggestion,
        before={"status": before},
        after={"status": suggestion.status, **after},
    )
    return suggestion


@transaction.atomic
def file_suggestion(*, actor, aspect: str, title: str, content: str) -> Suggestion:
    """提建议: any staff member, in one of the four aspects."""
    require_role(actor, *permissions.STAFF_ROLES)
    if aspect not in Suggestion.Aspect.values:
        raise DomainError("请选择建议所属方面。", field="aspect")
    suggestion = Suggestion.objects.create(
        author=staff_of(actor),
        aspect=aspect,
        title=text(title, field="title", what="标题", limit=100, required=True),
        content=text(content, field="content", what="建议内容", limit=2000, required=True),
    )
    audit.record(
        actor=actor, action="training.suggestion.file", obj=suggestion, after={"aspect": aspect}
    )
    return suggestion


@transaction.atomic
def assign_suggestion(*, actor, suggestion: Suggestion, assignee) -> Suggestion:
    """交办 to a center admin or a department head, who answers it."""
    require_role(actor, *permissions.SUGGESTION_ADMIN_ROLES)
    suggestion = _locked(suggestion)
    _require_open(suggestion)
    if assignee is None or not has_role(assignee, *permissions.ORGANISER_ROLES):
        raise DomainError("请选择中心管理员或部门负责人承办。", field="assignee")
    before = suggestion.status
    suggestion.assignee, suggestion.status = assignee, Status.ASSIGNED
    suggestion.save(update_fields=["assignee", "status"])
    return _record(actor, suggestion, "assign", before, assignee=assignee.get_username())


@transaction.atomic
def answer_suggestion(*, actor, suggestion: Suggestion, answer: str) -> Suggestion:
    """答复: the center admin or the assignee."""
    suggestion = _locked(suggestion)
    if not (permissions.can_handle_suggestions(actor) or suggestion.assignee_id == actor.pk):
        raise PermissionDeniedError()
    _require_open(suggestion)
    before = suggestion.status
    suggestion.answer = text(answer, field="answer", what="答复", limit=2000, required=True)
    suggestion.status = Status.ANSWERED
    suggestion.save(update_fields=["answer", "status"])
    return _record(actor, suggestion, "answer", before)


@transaction.atomic
def decide_suggestion(*, actor, suggestion: Suggestion, adopted: bool, reason: str) -> Suggestion:
    """采纳 or 不采纳, with the reason (the center admin)."""
    require_role(actor, *permissions.SUGGESTION_ADMIN_ROLES)
    suggestion = _locked(suggestion)
    _require_open(suggestion)
    before = suggestion.status
    suggestion.decision_reason = text(reason, field="reason", what="理由", limit=500, required=True)
    suggestion.status = Status.ADOPTED if adopted else Status.DECLINED
    suggestion.decided_at = timezone.now()
    suggestion.save(update_fields=["decision_reason", "status", "decided_at"])
    return _record(actor, suggestion, "decide", before, reason=suggestion.decision_reason)


@transaction.atomic
def suggestion_to_problem(*, actor, suggestion: Suggestion, kind: str, owner) -> Problem:
    """转为问题: a problem of the oversight tracker (source 员工建议), linked to the suggestion."""
    require_role(actor, *permissions.SUGGESTION_ADMIN_ROLES)
    suggestion = _locked(suggestion)
    if suggestion.problem_id:
        raise DomainError("该建议已转为问题。")
    problem = report_problem(
        actor=actor,
        title=suggestion.title,
        kind=kind,
        owner=owner,
        description=suggestion.content,
        source=Problem.Source.SUGGESTION,
    )
    suggestion.problem = problem
    suggestion.save(update_fields=["problem"])
    _record(actor, suggestion, "to_problem", suggestion.status, problem=problem.pk)
    return problem
