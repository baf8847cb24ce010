"""技能大比武 pages: contests for the center admin, the public big-screen board."""

from django.contrib import messages
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.views.decorators.http import require_GET

from chuangkou.core import xlsx
from chuangkou.core.errors import DomainError
from chuangkou.core.forms import add_domain_error
from chuangkou.core.permissions import role_required
from chuangkou.core.responses import xlsx_response
from chuangkou.core.roles import Role
from chuangkou.org.selectors import in_post_on

from .. import selectors
from ..forms import ContestForm, RoundForm
from ..models import Contest
from ..services import contest as contests
from ..services import sitting
from .common import paged

ADMIN = Role.CENTER_ADMIN


@role_required(ADMIN)
def contest_list(request):
    form = ContestForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        staff = in_post_on(timezone.localdate()).filter(department__in=data["departments"])
        try:
            contest = contests.create_contest(
                actor=request.user,
                name=data["name"],
                team_basis=data["team_basis"],
                description=data["description"],
                staff=staff.select_related("department", "window__center"),
            )
        except DomainError as exc:
            add_domain_error(form, exc)
        else:
            messages.success(request, f"已新建比武，组成 {contest.teams.count()} 支队伍。")
            return redirect("exams:contest_detail", pk=contest.pk)
    page, query = paged(request, Contest.objects.all())
    return render(request, "exams/contest_list.html", {"page": page, "query": query, "form": form})


@role_required(ADMIN)
def contest_detail(request, pk: int):
    contest = get_object_or_404(Contest, pk=pk)
    form = RoundForm(request.POST or None, initial={"starts_at": timezone.localtime()})
    if request.method == "POST" and form.is_valid():
        try:
            contests.add_contest_round(actor=request.user, contest=contest, **form.cleaned_data)
        except DomainError as exc:
            add_domain_error(form, exc)
        else:
            messages.success(request, "已开放新一轮比武。")
            return redirect("exams:contest_detail", pk=pk)
    standings = _board_context(contest)["standings"]
    if request.GET.get("export") == "xlsx":
        rows = (
            [c.name, c.team, *[s if s is not None else "" for s in c.rounds], c.total]
            for c in standings.individuals
        )
        content = xlsx.write_table("个人成绩", ["姓名", "队伍", *standings.rounds, "总分"], rows)
        return xlsx_response(
            content, f"{contest.name}_个人成绩.xlsx", request=request, what="exams.contest_result"
        )
    return render(
        request,
        "exams/contest_detail.html",
        {
            "contest": contest,
            "standings": standings,
            "form": form,
            "rounds": contest.rounds.select_related("exam"),
        },
    )


def _board_context(contest: Contest) -> dict:
    for contest_round in contest.rounds.select_related("exam"):
        sitting.finalise_overdue_attempts(exam=contest_round.exam)
    standings = selectors.contest_standings(contest)
    top = [
        {"name": selectors.mask_name(c.name), "team": c.team, "total": c.total}
        for c in standings.individuals[:10]
    ]
    best = max((t.score for t in standings.teams), default=0) or 1
    for team in standings.teams:
        team.width = int(team.score * 100 / best)
    return {"contest": contest, "standings": standings, "top": top, "updated": timezone.localtime()}


@require_GET
def contest_board(request, pk: int):
    """比武大屏: public, no login; names are masked, no other personal data."""
    contest = get_object_or_404(Contest, pk=pk)
    return render(request, "exams/contest_board.html", _board_context(contest))


@require_GET
def contest_board_live(request, pk: int):
    contest = get_object_or_404(Contest, pk=pk)
    return render(request, "exams/_board.html", _board_context(contest))
