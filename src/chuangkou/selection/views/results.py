"""Pages of the center admin: ranking with tiers and budget, ties, 公示, objections."""

from django.contrib import messages
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.views.decorators.http import require_GET, require_POST

from chuangkou.core.errors import DomainError
from chuangkou.core.forms import add_domain_error
from chuangkou.core.params import parse_id
from chuangkou.core.permissions import role_required
from chuangkou.core.responses import xlsx_response

from .. import selectors, services, transfer
from ..filters import CandidateFilter, ObjectionFilter
from ..forms import HandleObjectionForm, PublishForm
from ..models import Candidate, Objection
from ._common import form_page, managed_competition, paged, read_filters
from .competitions import MANAGERS


@require_GET
@role_required(*MANAGERS)
def ranking(request, pk: int):
    competition = managed_competition(request, pk)
    filters = read_filters(request, CandidateFilter)
    rows = selectors.ranking(competition, filters)
    if request.GET.get("export") == "xlsx":
        content = transfer.export_ranking(competition, rows)
        return xlsx_response(
            content,
            f"竞聘排名_{competition.year}_{competition.pk}.xlsx",
            request=request,
            what="selection.ranking",
        )
    context = {
        **paged(request, rows, per_page=50),
        "competition": competition,
        "budget": selectors.budget_report(competition),
        "ties": selectors.pending_ties(competition),
        "filters": filters,
        "outcomes": [c for c in Candidate.Outcome.choices if c[0]],
        "tiers": competition.tiers.all(),
    }
    return render(request, "selection/ranking.html", context)


@require_POST
@role_required(*MANAGERS)
def tie_resolve(request, pk: int):
    """The admin's order of a tie: inputs order_<candidate id> = 1, 2, …; the reason."""
    competition = managed_competition(request, pk)
    positions = {}
    for key, value in request.POST.items():
        if key.startswith("order_") and parse_id(key[6:]) is not None:
            positions[parse_id(key[6:])] = value.strip()
    found = Candidate.objects.filter(competition=competition).in_bulk(list(positions))
    try:
        if len(found) != len(positions) or not found:
            raise DomainError("所选人员不在本次竞聘中。")
        if not all(parse_id(v) for v in positions.values()):
            raise DomainError("顺位须填写 1、2、3 … 的整数。")
        order = sorted(found.values(), key=lambda c: int(positions[c.pk]))
        if len({positions[c.pk] for c in order}) != len(order):
            raise DomainError("顺位不能重复。")
        services.resolve_tie(
            actor=request.user,
            competition=competition,
            order=order,
            reason=request.POST.get("reason", ""),
        )
    except DomainError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, "并列已处理，档次已按顺位分配。")
    return redirect("selection:ranking", pk=competition.pk)


@role_required(*MANAGERS)
def publish(request, pk: int):
    competition = managed_competition(request, pk)
    first_day = services.next_working_day(timezone.localdate())
    form = PublishForm(request.POST or None, initial={"notice_start": first_day})
    if request.method == "POST" and form.is_valid():
        try:
            competition = services.publish_results(
                actor=request.user,
                competition=competition,
                notice_start=form.cleaned_data["notice_start"],
            )
        except DomainError as exc:
            add_domain_error(form, exc)
        else:
            messages.success(request, f"已发布公示，异议截止 {competition.notice_end:%Y-%m-%d}。")
            return redirect("selection:competition_detail", pk=competition.pk)
    return form_page(
        request,
        form=form,
        title="发布公示",
        competition=competition,
        submit="发布公示",
        confirm="公示后将公开拟聘人员姓名、部门、综合成绩和档次，且不能再录入评分。确定发布吗？",
        budget=selectors.budget_report(competition),
        note=f"公示期为 {competition.notice_days} 个工作日（法定节假日顺延），期内可提出异议。",
    )


@require_GET
@role_required(*MANAGERS)
def objections(request, pk: int):
    competition = managed_competition(request, pk)
    filters = read_filters(request, ObjectionFilter)
    rows = selectors.objections_of(competition, filters)
    if request.GET.get("export") == "xlsx":
        content = transfer.export_objections(rows)
        return xlsx_response(
            content,
            f"公示异议_{competition.year}_{competition.pk}.xlsx",
            request=request,
            what="selection.objection",
        )
    context = {
        **paged(request, rows),
        "competition": competition,
        "filters": filters,
        "statuses": Objection.Status.choices,
    }
    return render(request, "selection/objections.html", context)


@role_required(*MANAGERS)
def objection_handle(request, pk: int, objection_id: int):
    competition = managed_competition(request, pk)
    objection = get_object_or_404(
        Objection.objects.select_related("candidate__staff", "submitted_by"),
        competition=competition,
        pk=objection_id,
    )
    form = HandleObjectionForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.handle_objection(actor=request.user, objection=objection, **form.cleaned_data)
        except DomainError as exc:
            add_domain_error(form, exc)
        else:
            messages.success(request, "异议已处理。")
            return redirect("selection:objections", pk=competition.pk)
    return form_page(
        request,
        form=form,
        title="处理异议",
        competition=competition,
        submit="保存处理结果",
        objection=objection,
    )
