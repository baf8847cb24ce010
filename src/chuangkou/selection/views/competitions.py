"""Pages of the center admin: competitions, their settings, tiers, panel and status steps."""

from django.contrib import messages
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_GET, require_POST

from chuangkou.core.errors import DomainError
from chuangkou.core.forms import add_domain_error
from chuangkou.core.permissions import role_required
from chuangkou.core.responses import xlsx_response
from chuangkou.core.roles import Role
from chuangkou.org.models import Staff

from .. import selectors, services, transfer
from ..filters import CompetitionFilter
from ..forms import CompetitionForm, JudgesForm, ReasonForm, TierFormSet
from ..models import Candidate, Competition, Objection
from ..services.competitions import (
    ADJUSTABLE_FIELDS,
    EDITABLE_STATUSES,
    ELIGIBILITY_FIELDS,
    SETTINGS_FIELDS,
)
from ._common import form_page, managed_competition, paged, read_filters

MANAGERS = (Role.CENTER_ADMIN,)
DEFAULT_TIERS = [
    {"name": "一档", "quota": 8, "annual_amount": 24000},
    {"name": "二档", "quota": 15, "annual_amount": 12000},
    {"name": "三档", "quota": 20, "annual_amount": 6000},
]


@require_GET
@role_required(*MANAGERS)
def competition_list(request):
    filters = read_filters(request, CompetitionFilter)
    competitions = selectors.competition_list(user=request.user, filters=filters)
    if request.GET.get("export") == "xlsx":
        content = transfer.export_competitions(competitions)
        return xlsx_response(
            content,
            f"竞聘上岗_{timezone.localdate():%Y%m%d}.xlsx",
            request=request,
            what="selection.competition",
        )
    context = {
        **paged(request, competitions),
        "filters": filters,
        "statuses": Competition.Status.choices,
    }
    return render(request, "selection/competition_list.html", context)


@role_required(*MANAGERS)
def competition_create(request):
    today = timezone.localdate()
    initial = {
        "year": today.year,
        "written_weight": 50,
        "interview_weight": 50,
        "pass_line": 60,
        "allowed_employment_types": [Staff.EmploymentType.TEMPORARY],
        "min_service_years": 1,
        "service_reference_date": today,
        "notice_days": 5,
    }
    form = CompetitionForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            competition = services.create_competition(actor=request.user, **form.cleaned_data)
        except DomainError as exc:
            add_domain_error(form, exc)
        else:
            messages.success(request, f"已新建竞聘「{competition.name}」，请设置档次和评委。")
            return redirect("selection:competition_detail", pk=competition.pk)
    return render(request, "selection/competition_form.html", {"form": form, "title": "新建竞聘"})


def _editable_fields(competition: Competition) -> set[str]:
    if competition.status not in EDITABLE_STATUSES:
        return set(ADJUSTABLE_FIELDS)
    fields = set(SETTINGS_FIELDS)
    if competition.candidates.exists():
        fields -= ELIGIBILITY_FIELDS
    return fields


@role_required(*MANAGERS)
def competition_edit(request, pk: int):
    competition = managed_competition(request, pk)
    fields = _editable_fields(competition)
    initial = {name: getattr(competition, name) for name in fields}
    form = CompetitionForm(request.POST or None, initial=initial, fields=fields)
    if request.method == "POST" and form.is_valid():
        changes = {k: v for k, v in form.cleaned_data.items() if k in form.changed_data}
        try:
            services.update_competition(
                actor=request.user, competition=competition, changes=changes
            )
        except DomainError as exc:
            add_domain_error(form, exc)
        else:
            messages.success(request, "设置已保存。")
            return redirect("selection:competition_detail", pk=competition.pk)
    context = {"form": form, "title": f"修改「{competition.name}」", "competition": competition}
    return render(request, "selection/competition_form.html", context)


@require_GET
@role_required(*MANAGERS)
def competition_detail(request, pk: int):
    competition = managed_competition(request, pk)
    candidates = competition.candidates
    context = {
        "competition": competition,
        "tiers": competition.tiers.all(),
        "judges": selectors.judges_of(competition),
        "active_count": candidates.filter(status=Candidate.Status.REGISTERED).count(),
        "withdrawn_count": candidates.filter(status=Candidate.Status.WITHDRAWN).count(),
        "budget": selectors.budget_report(competition),
        "pending_objections": competition.objections.filter(
            status=Objection.Status.PENDING
        ).count(),
    }
    return render(request, "selection/competition_detail.html", context)


@role_required(*MANAGERS)
def tiers_edit(request, pk: int):
    competition = managed_competition(request, pk)
    if request.method == "POST":
        formset = TierFormSet(request.POST, prefix="tier")
    else:
        current = list(competition.tiers.values("name", "quota", "annual_amount"))
        formset = TierFormSet(initial=current or DEFAULT_TIERS, prefix="tier")
    error = ""
    if request.method == "POST" and formset.is_valid():
        try:
            services.set_tiers(actor=request.user, competition=competition, tiers=formset.rows())
        except DomainError as exc:
            error = exc.message
        else:
            messages.success(request, "档次与名额已保存。")
            return redirect("selection:competition_detail", pk=competition.pk)
    context = {"competition": competition, "formset": formset, "error": error}
    return render(request, "selection/tiers_form.html", context)


@role_required(*MANAGERS)
def judges_edit(request, pk: int):
    competition = managed_competition(request, pk)
    initial = {"judges": [j.user_id for j in competition.judges.all()]}
    form = JudgesForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            services.set_judges(
                actor=request.user,
                competition=competition,
                users=list(form.cleaned_data["judges"]),
            )
        except DomainError as exc:
            add_domain_error(form, exc)
        else:
            messages.success(request, "面试评委已保存。")
            return redirect("selection:competition_detail", pk=competition.pk)
    return render(request, "selection/judges_form.html", {"competition": competition, "form": form})


STEPS = {
    "open-registration": (services.open_registration, "已开始报名。"),
    "start-scoring": (services.start_scoring, "报名已截止，开始评分。"),
    "rank": (services.compute_ranking, "已计算排名与定档。"),
    "finalise": (services.finalise_results, "公示期满，已确认定岗。"),
}


@require_POST
@role_required(*MANAGERS)
def competition_step(request, pk: int, step: str):
    """One status step (POST with confirmation); the refusal reason is shown as it is."""
    if step not in STEPS:
        raise Http404
    competition = managed_competition(request, pk)
    service, done = STEPS[step]
    try:
        service(actor=request.user, competition=competition)
    except DomainError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, done)
        if step == "rank":
            return redirect("selection:ranking", pk=competition.pk)
    return redirect("selection:competition_detail", pk=competition.pk)


@role_required(*MANAGERS)
def competition_reopen(request, pk: int):
    competition = managed_competition(request, pk)
    form = ReasonForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.reopen_scoring(
                actor=request.user, competition=competition, reason=form.cleaned_data["reason"]
            )
        except DomainError as exc:
            add_domain_error(form, exc)
        else:
            messages.success(request, "已退回评分：排名、定档和公示已撤回，可更正成绩后重新排名。")
            return redirect("selection:competition_detail", pk=competition.pk)
    return form_page(
        request,
        form=form,
        title="退回评分",
        competition=competition,
        submit="退回评分",
        confirm="退回后排名、定档和公示都将撤回，确定吗？",
        note="用于异议成立或发现成绩错误时：保留全部评分，撤回排名、定档与公示。",
    )
