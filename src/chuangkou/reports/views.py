from django.shortcuts import render
from django.utils import timezone

from chuangkou.core.errors import DomainError
from chuangkou.core.params import id_param
from chuangkou.core.permissions import role_required
from chuangkou.core.roles import Role
from chuangkou.hall.selectors import default_center, hall_centers_visible_to

from . import selectors
from .forms import PeriodForm, period_presets
from .oversight import oversight as oversight_overview

DASHBOARD_ROLES = (Role.CENTER_ADMIN, Role.DEPT_HEAD)


def _center(request):
    centers = hall_centers_visible_to(request.user)
    chosen = id_param(request.GET, "center")
    if chosen is not None:
        found = centers.filter(pk=chosen).first()
        if found is not None:
            return found, centers
    return default_center(request.user), centers


@role_required(*DASHBOARD_ROLES)
def hall(request):
    """大厅总览: today's queues live, and the period's volume, 同比, ranking, 实现率, 满意率."""
    today = timezone.localdate()
    presets = period_presets(today)
    _, default_start, default_end = presets[0]
    form = PeriodForm(request.GET if "start" in request.GET else None)
    start, end = default_start, default_end
    if form.is_bound and form.is_valid():
        start, end = form.cleaned_data["start"], form.cleaned_data["end"]
    elif not form.is_bound:
        form = PeriodForm(initial={"start": start, "end": end})
    try:
        overview = selectors.hall_overview(user=request.user, start=start, end=end)
    except DomainError as exc:
        form.add_error(exc.field if exc.field in form.fields else None, exc.message)
        start, end = default_start, default_end
        overview = selectors.hall_overview(user=request.user, start=start, end=end)
    center, centers = _center(request)
    figures = overview.cases
    chart = {
        "days": [d.isoformat() for d, _ in figures.daily],
        "daily": [n for _, n in figures.daily],
        "windows": [w.label for w in figures.windows[:10]][::-1],
        "window_averages": [float(w.daily_average) for w in figures.windows[:10]][::-1],
        "levels": [label for _, label, _ in overview.satisfaction.levels],
        "level_counts": [n for _, _, n in overview.satisfaction.levels],
    }
    return render(
        request,
        "reports/hall.html",
        {
            "form": form,
            "start": start,
            "end": end,
            "presets": presets,
            "overview": overview,
            "figures": figures,
            "chart": chart,
            "center": center,
            "centers": centers,
            "queues": selectors.live_queues(center) if center else [],
        },
    )


@role_required(*DASHBOARD_ROLES)
def hall_live(request):
    """The live queue panel, polled by htmx."""
    center, _ = _center(request)
    queues = selectors.live_queues(center) if center else []
    return render(request, "reports/_live_queues.html", {"center": center, "queues": queues})


@role_required(Role.CENTER_ADMIN)
def oversight(request):
    """督导总览: visits, findings by item, problems by state and age, honors of a period."""
    today = timezone.localdate()
    presets = period_presets(today)
    _, start, end = presets[0]
    form = PeriodForm(request.GET if "start" in request.GET else None)
    if form.is_bound and form.is_valid():
        start, end = form.cleaned_data["start"], form.cleaned_data["end"]
    elif not form.is_bound:
        form = PeriodForm(initial={"start": start, "end": end})
    data = oversight_overview(user=request.user, start=start, end=end, today=today)
    return render(
        request,
        "reports/oversight.html",
        {"form": form, "presets": presets, "data": data, "start": start, "end": end},
        status=400 if form.errors else 200,
    )
