"""The candidate's pages: my exams, the sitting page (phone-friendly, autosave, timer), results.

The sitting page saves each answer through the API (PUT …/items/<id>), the same service as
every other client; the server keeps the time and refuses saves after the deadline.
"""

from django.contrib import messages
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_POST

from chuangkou.core.errors import DomainError
from chuangkou.core.permissions import role_required
from chuangkou.core.roles import Role

from .. import selectors
from ..models import Attempt, Exam, QuestionKind
from ..services import sitting

CANDIDATE_ROLES = (Role.CLERK, Role.LOBBY_MANAGER, Role.CENTER_ADMIN, Role.DEPT_HEAD)


def _own_attempt(request, pk: int) -> Attempt:
    attempt = selectors.own_attempt(request.user, pk)
    if attempt is None:
        raise Http404
    return attempt


@role_required()
def my_exams(request):
    """我的考试: upcoming, open, submitted and published."""
    sitting.finalise_overdue_attempts()
    attempts = list(selectors.my_attempts(request.user))
    now = timezone.now()
    for a in attempts:
        a.can_start = (
            a.exam.status == Exam.Status.OPEN
            and a.status != Attempt.Status.SUBMITTED
            and a.exam.starts_at <= now < a.exam.ends_at
        )
        a.published = a.exam.status == Exam.Status.PUBLISHED
    return render(request, "exams/my_exams.html", {"attempts": attempts, "now": now})


@require_POST
@role_required()
def attempt_start(request, pk: int):
    attempt = _own_attempt(request, pk)
    try:
        sitting.start_attempt(actor=request.user, attempt=attempt)
    except DomainError as exc:
        messages.error(request, exc.message)
        return redirect("exams:my_exams")
    return redirect("exams:sit", pk=pk)


def _fields(item) -> None:
    """What the template needs to draw each kind's inputs, filled with the saved answer."""
    response = item.response
    if item.kind == QuestionKind.FILL:
        values = response if isinstance(response, list) else []
        item.parts = [
            {
                **p,
                "value": values[p["blank"] - 1]
                if "blank" in p and p["blank"] <= len(values)
                else "",
            }
            for p in item.view["parts"]
        ]
    elif item.kind == QuestionKind.CORRECTION:
        n = item.view["error_count"]
        values = response if isinstance(response, list) else []
        if item.view["marked"]:
            item.rows = [
                {"n": i + 1, "right": values[i] if i < len(values) else ""} for i in range(n)
            ]
        else:
            pairs = [v for v in values if isinstance(v, dict)]
            item.rows = [
                {
                    "n": i + 1,
                    "wrong": pairs[i].get("wrong", "") if i < len(pairs) else "",
                    "right": pairs[i].get("right", "") if i < len(pairs) else "",
                }
                for i in range(max(n, len(pairs)))
            ]
    elif item.kind in (QuestionKind.MULTIPLE, QuestionKind.SCENARIO):
        item.chosen = set(response or [])


@role_required()
def sit(request, pk: int):
    """The sitting page; a finished attempt goes to its summary."""
    attempt = _own_attempt(request, pk)
    if sitting.finalise_if_overdue(attempt):
        messages.warning(request, "考试时间已到，系统已自动交卷。")
    if attempt.status != Attempt.Status.IN_PROGRESS:
        return redirect("exams:my_result", pk=pk)
    items = selectors.attempt_items(attempt, reveal=False)
    for item in items:
        _fields(item)
    return render(
        request,
        "exams/sit.html",
        {
            "attempt": attempt,
            "exam": attempt.exam,
            "items": items,
            "seconds_left": sitting.seconds_left(attempt),
            "answered": sum(1 for i in items if i.response not in (None, "", [])),
        },
    )


@require_POST
@role_required()
def attempt_submit(request, pk: int):
    try:
        attempt = sitting.submit_own_attempt(actor=request.user, attempt_id=pk)
    except DomainError as exc:
        messages.error(request, exc.message)
        return redirect("exams:my_exams")
    if attempt is None:  # not theirs: 404, as _own_attempt
        raise Http404
    if attempt.auto_submitted:
        messages.warning(request, "考试时间已到，答卷已按截止时的作答提交。")
    else:
        messages.success(request, "已交卷。成绩发布后可在此查看成绩和答案。")
    return redirect("exams:my_result", pk=pk)


@role_required()
def my_result(request, pk: int):
    """交卷后: a summary; after publication, the score, each answer and the key."""
    attempt = _own_attempt(request, pk)
    sitting.finalise_if_overdue(attempt)
    reveal = selectors.may_see_result(request.user, attempt) and (
        attempt.exam.status == Exam.Status.PUBLISHED
    )
    items = selectors.attempt_items(attempt, reveal=True) if reveal else []
    return render(
        request,
        "exams/my_result.html",
        {
            "attempt": attempt,
            "exam": attempt.exam,
            "reveal": reveal,
            "items": items,
            "max_score": selectors.exam_max_score(exam=attempt.exam),
        },
    )
