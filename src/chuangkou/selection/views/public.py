"""公示: public pages without login (no staff numbers, ID or phone numbers), and the objection
form for signed-in users."""

from django.contrib import messages
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.views.decorators.http import require_GET, require_POST

from chuangkou.core.errors import DomainError
from chuangkou.core.forms import add_domain_error
from chuangkou.core.permissions import role_required

from .. import selectors, services
from ..forms import ObjectionForm
from ..models import Competition
from ._common import paged


@require_GET
def notice_list(request):
    """竞聘结果公示 (no login)."""
    context = paged(request, selectors.public_notices(), per_page=20)
    return render(request, "selection/notice_list.html", context)


def _notice_page(request, competition: Competition, form=None):
    accepting = _accepting(competition)
    if form is None and accepting and request.user.is_authenticated:
        form = ObjectionForm(competition=competition)
    context = {
        "competition": competition,
        "rows": selectors.notice_rows(competition),
        "tiers": competition.tiers.all(),
        "accepting": accepting,
        "form": form,
    }
    return render(request, "selection/notice_detail.html", context)


@require_GET
def notice_detail(request, pk: int):
    """One competition's public notice (no login): name, department, final score, tier."""
    return _notice_page(request, get_object_or_404(selectors.public_notices(), pk=pk))


def _accepting(competition: Competition) -> bool:
    today = timezone.localdate()
    return (
        competition.status == Competition.Status.PUBLISHED
        and competition.notice_start <= today <= competition.notice_end
    )


@require_POST
@role_required()
def objection_submit(request, pk: int):
    competition = get_object_or_404(selectors.public_notices(), pk=pk)
    form = ObjectionForm(request.POST, competition=competition)
    if not _accepting(competition):
        messages.error(request, "本次竞聘的公示期已结束（或结果已确定），不再受理异议。")
        return redirect("selection:notice_detail", pk=competition.pk)
    if form.is_valid():
        try:
            services.submit_objection(
                actor=request.user, competition=competition, **form.cleaned_data
            )
        except DomainError as exc:
            if exc.status != 400:  # not about the text: a state the form cannot fix
                messages.error(request, exc.message)
                return redirect("selection:notice_detail", pk=competition.pk)
            add_domain_error(form, exc)
        else:
            messages.success(request, "异议已提交，中心将在公示期内核实并答复；答复见“我的异议”。")
            return redirect("selection:my_objections")
    return _notice_page(request, competition, form=form)


@require_GET
@role_required()
def my_objections(request):
    """我的异议: what I objected to, its status and the center's reply."""
    context = paged(request, selectors.objections_by(request.user), per_page=20)
    return render(request, "selection/my_objections.html", context)
