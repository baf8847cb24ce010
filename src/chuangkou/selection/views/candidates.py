"""Pages of the center admin: candidates with eligibility, written scores, withdrawal."""

from django.contrib import messages
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_GET, require_POST

from chuangkou.core.errors import DomainError
from chuangkou.core.forms import add_domain_error
from chuangkou.core.import_views import import_page
from chuangkou.core.permissions import role_required
from chuangkou.core.responses import template_response, xlsx_response
from chuangkou.org.models import Department

from .. import selectors, services, transfer
from ..filters import CandidateFilter
from ..finished_import import FinishedCompetitionImport
from ..finished_import import template as finished_template_content
from ..forms import NoticePeriodForm, ReasonForm, RegisterForm, WrittenScoreForm
from ..models import Candidate, Competition
from ._common import form_page, managed_competition, paged, read_filters
from .competitions import MANAGERS


def _candidates_page(request, competition: Competition, register_form=None):
    filters = read_filters(request, CandidateFilter)
    candidates = selectors.candidates_of(competition, filters)
    panel = competition.judges.count()
    if request.GET.get("export") == "xlsx":
        content = transfer.export_candidates(candidates, panel)
        return xlsx_response(
            content,
            f"报名人员_{competition.year}_{competition.pk}.xlsx",
            request=request,
            what="selection.candidate",
        )
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
    importer = transfer.WrittenScoreImport(actor=request.user, competition=competition)
    return import_page(
        request,
        template="selection/written_import.html",
        run=importer.run,
        success=lambda report: f"导入成功：{report.created} 人的笔试成绩有变化。",
        success_url=reverse("selection:candidates", args=[competition.pk]),
        context={"competition": competition},
    )


@role_required(*MANAGERS)
def finished_import(request, pk: int):
    """导入已完成的竞聘: the notice period it had and a file of candidates with their scores."""
    competition = managed_competition(request, pk)
    period = NoticePeriodForm(request.POST or None)

    def run(*, content: bytes, filename: str):
        if not period.is_valid():
            raise DomainError("请填写公示开始和截止日期。")
        return FinishedCompetitionImport(
            actor=request.user, competition=competition, **period.cleaned_data
        ).run(content=content, filename=filename)

    return import_page(
        request,
        template="selection/finished_import.html",
        run=run,
        success=lambda report: f"已导入 {report.created} 名竞聘人员，已按规则排名定档。",
        success_url=reverse("selection:ranking", args=[competition.pk]),
        context={"competition": competition, "period": period},
    )


@require_GET
@role_required(*MANAGERS)
def finished_template(request, pk: int):
    managed_competition(request, pk)
    return template_response(finished_template_content(), "已完成竞聘导入模板.xlsx")


@require_GET
@role_required(*MANAGERS)
def written_template(request, pk: int):
    competition = managed_competition(request, pk)
    content = transfer.written_score_template(competition)
    return xlsx_response(
        content,
        f"笔试成绩_{competition.year}_{timezone.localdate():%Y%m%d}.xlsx",
        request=request,
        what="selection.written_template",
    )


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
