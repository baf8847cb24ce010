"""The judge's pages: their panels, and a scoring sheet that shows only their own scores."""

from django.contrib import messages
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_GET, require_POST

from chuangkou.core.errors import DomainError
from chuangkou.core.permissions import role_required
from chuangkou.core.roles import Role

from .. import selectors, services
from ..filters import CandidateFilter
from ..forms import ScoreForm
from ..models import Candidate, Competition
from ._common import paged, read_filters


@require_GET
@role_required(Role.GRADER)
def judge_home(request):
    panels = [
        (c, *selectors.judge_progress(user=request.user, competition=c))
        for c in selectors.judge_competitions(request.user)
    ]
    return render(request, "selection/judge_home.html", {"panels": panels})


def _panel(request, pk: int) -> Competition:
    return get_object_or_404(selectors.judge_competitions(request.user), pk=pk)


@require_GET
@role_required(Role.GRADER)
def judge_sheet(request, pk: int):
    competition = _panel(request, pk)
    filters = read_filters(request, CandidateFilter)
    sheet = selectors.judge_sheet(user=request.user, competition=competition, filters=filters)
    done, total = selectors.judge_progress(user=request.user, competition=competition)
    context = {
        **paged(request, sheet),
        "competition": competition,
        "filters": filters,
        "done": done,
        "total": total,
        "open": competition.status == Competition.Status.SCORING,
    }
    return render(request, "selection/judge_sheet.html", context)


@require_POST
@role_required(Role.GRADER)
def judge_score(request, pk: int, candidate_id: int):
    """录入面试评分 for one row: htmx swaps the row (with the error on the input if refused)."""
    competition = _panel(request, pk)
    candidate = get_object_or_404(
        Candidate.objects.select_related("staff", "staff__department", "competition"),
        competition=competition,
        pk=candidate_id,
    )
    form = ScoreForm(request.POST)
    error, value = "", request.POST.get("score", "")
    if form.is_valid():
        try:
            entry = services.enter_interview_score(
                actor=request.user, candidate=candidate, score=form.cleaned_data["score"]
            )
            value = entry.score
        except DomainError as exc:
            error = exc.message
    else:
        error = "请填写评分。"
    if request.headers.get("HX-Request"):
        candidate.my_score = value if not error else None
        context = {
            "c": candidate,
            "competition": competition,
            "open": True,
            "error": error,
            "value": value,
            "saved": not error,
        }
        return render(request, "selection/_judge_row.html", context)
    if error:
        messages.error(request, f"{candidate.staff.name}：{error}")
    else:
        messages.success(request, f"已保存 {candidate.staff.name} 的评分。")
    return redirect("selection:judge_sheet", pk=competition.pk)
