"""Pages of the center admin: candidates with eligibility, written scores, withdrawal."""

from django.contrib import messages
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.views.decorators.http import require_GET, require_POST

from chuangkou.core.errors import DomainError
from chuangkou.core.forms import add_domain_error
from chuangkou.core.permissions import role_required
from chuangkou.core.responses import xlsx_response
from chuangkou.org.models import Department

from .. import selectors, services, transfer
from ..filters import CandidateFilter
from ..forms import ReasonForm, RegisterForm, ScoreImportForm, WrittenScoreForm
from ..models import Candidate, Competition
from ._common import form_page, managed_competition, paged, read_filters
from .competitions import MANAGERS


def _candidates_page(request, competition: Competition, register_form=None):
    filters = read_filters(request, CandidateFilter)
    candidates = selectors.candidates_of(competition, filters)
    panel = competition.judges.count()
    if request.GET.get("export") == "xlsx":
        content = transfer.export_candidates(candidates, panel)
        return xlsx_response(content, f"报名人员_{competition.year}_{competition.pk}.xlsx")
    context = {
        **paged(request, candidates),
        "competition": competition,
        "filters": filters,
        "panel": panel,
        "departments": Department.objects.all(),
        "statuses": Candidate.Status.choices,
        "register_form": register_form or RegisterForm(),
        "scoring": competition.status == Competition.Status.SCORING,
    }
    return render(request, "selection/candidates.html", context)


@require_GET
@role_required(*MANAGERS)
def candidates(request, pk: int):
    return _candidates_page(request, managed_competition(request, pk))


@require_POST
@role_required(*MANAGERS)
def candidate_register(request, pk: int):
    competition = managed_competition(request, pk)
    form = RegisterForm(request.POST)
    if form.is_valid():
        staff = form.cleaned_data["staff"]
        try:
            services.register_candidate(actor=request.user, competition=competition, staff=staff)
        except DomainError as exc:
            exc.field = "staff_no"
            add_domain_error(form, exc)
        else:
            messages.success(request, f"{staff.name} 已报名。")
            return redirect("selection:candidates", pk=competition.pk)
    return _candidates_page(request, competition, register_form=form)


def _candidate(competition: Competition, candidate_id: int) -> Candidate:
    return get_object_or_404(
        Candidate.objects.select_related("staff", "staff__department", "tier", "competition"),
        competition=competition,
        pk=candidate_id,
    )


@role_required(*MANAGERS)
def candidate_withdraw(request, pk: int, candidate_id: int):
    competition = managed_competition(request, pk)
    candidate = _candidate(competition, candidate_id)
    form = ReasonForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.withdraw_candidate(
                actor=request.user, candidate=candidate, reason=form.cleaned_data["reason"]
            )
        except DomainError as exc:
            add_domain_error(form, exc)
        else:
            messages.success(request, f"已登记 {candidate.staff.name} 放弃/缺考。")
            return redirect("selection:candidates", pk=competition.pk)
    return form_page(
        request,
        form=form,
        title=f"登记 {candidate.staff.name} 放弃/缺考",
        competition=competition,
        submit="登记",
        confirm=f"{candidate.staff.name} 将不再参加评分和排名，确定吗？",
    )


@require_POST
@role_required(*MANAGERS)
def written_score(request, pk: int, candidate_id: int):
    """录入笔试成绩 for one row (htmx swaps the row; without htmx the page reloads)."""
    competition = managed_competition(request, pk)
    candidate = _candidate(competition, candidate_id)
    form = WrittenScoreForm(request.POST)
    error = ""
    if form.is_valid():
        try:
            candidate = services.set_written_score(
                actor=request.user, candidate=candidate, score=form.cleaned_data["score"]
            )
        except DomainError as exc:
            error = exc.message
    else:
        error = "请填写笔试成绩。"
    if request.headers.get("HX-Request"):
        candidate.scored = candidate.interview_scores.count()
        context = {
            "c": candidate,
            "competition": competition,
            "panel": competition.judges.count(),
            "scoring": True,
            "error": error,
            "value": request.POST.get("score", ""),
            "saved": not error,
        }
        return render(request, "selection/_candidate_row.html", context)
    if error:
        messages.error(request, f"{candidate.staff.name}：{error}")
    return redirect("selection:candidates", pk=competition.pk)


@role_required(*MANAGERS)
def written_import(request, pk: int):
    competition = managed_competition(request, pk)
    form = ScoreImportForm(request.POST or None, request.FILES or None)
    report = None
    if request.method == "POST" and form.is_valid():
        try:
            report = transfer.import_written_scores(
                actor=request.user,
                competition=competition,
                content=form.cleaned_data["file"].read(),
            )
        except DomainError as exc:
            add_domain_error(form, exc)
        else:
            if report.ok:
                messages.success(request, f"导入成功：{report.created} 人的笔试成绩有变化。")
                return redirect("selection:candidates", pk=competition.pk)
    context = {"competition": competition, "form": form, "report": report}
    return render(request, "selection/written_import.html", context)


@require_GET
@role_required(*MANAGERS)
def written_template(request, pk: int):
    competition = managed_competition(request, pk)
    content = transfer.written_score_template(competition)
    return xlsx_response(content, f"笔试成绩_{competition.year}_{timezone.localdate():%Y%m%d}.xlsx")


@require_POST
@role_required(*MANAGERS)
def written_from_exam(request, pk: int):
    competition = managed_competition(request, pk)
    try:
        changed = services.import_written_scores_from_exam(
            actor=request.user, competition=competition
        )
    except DomainError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, f"已从考试导入笔试成绩：{changed} 人有变化。")
    return redirect("selection:candidates", pk=competition.pk)
