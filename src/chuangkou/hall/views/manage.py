"""Pages of the center admin: queues and their windows and matters, the center's rules,
appointment slots, and the queue figures (排队统计)."""

import datetime as dt

from django.contrib import messages
from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from chuangkou.core.errors import DomainError
from chuangkou.core.forms import add_domain_error
from chuangkou.core.permissions import role_required
from chuangkou.core.responses import xlsx_response

from .. import metrics, permissions, selectors, services, transfer
from ..filters import SlotFilter
from ..forms import HallSettingsForm, MetricsForm, QueueForm, SlotsForm
from ..models import AppointmentSlot, ServiceQueue
from ..services.setup import SETTINGS_FIELDS
from ._common import center_for, list_filters, query_without_page


@role_required(*permissions.HALL_ADMINS)
@require_GET
def queue_list(request):
    """队列设置: the center's queues with today's counts, and links to its kiosk and board."""
    center = center_for(request)
    if center is None:
        messages.info(request, "还没有服务中心。")
        return redirect("home")
    queues = (
        ServiceQueue.objects.filter(center=center)
        .prefetch_related("windows", "matters")
        .order_by("prefix")
    )
    counts = {c.queue.pk: c for c in selectors.today_counts(center)}
    return render(
        request,
        "hall/queue_list.html",
        {
            "center": center,
            "centers": selectors.hall_centers_visible_to(request.user),
            "rows": [(q, counts.get(q.pk)) for q in queues],
            "rules": selectors.settings_for(center),
        },
    )


def _queue_form_page(request, center, queue=None):
    initial = {"average_service_minutes": 8, "is_active": True}
    if queue is not None:
        initial = {
            "prefix": queue.prefix,
            "name": queue.name,
            "average_service_minutes": queue.average_service_minutes,
            "is_active": queue.is_active,
            "windows": list(queue.windows.all()),
            "matters": list(queue.matters.all()),
        }
    form = QueueForm(request.POST or None, initial=initial, center=center)
    if request.method == "POST" and form.is_valid():
        try:
            saved = services.save_queue(
                actor=request.user, center=center, queue=queue, **form.cleaned_data
            )
        except DomainError as exc:
            add_domain_error(form, exc)
        else:
            messages.success(request, f"已保存队列 {saved.prefix} {saved.name}。")
            return redirect(f"{_queues_url()}?center={center.pk}")
    title = f"修改队列 {queue.prefix} {queue.name}" if queue else f"新建队列（{center.name}）"
    return render(request, "hall/form.html", {"form": form, "title": title, "back": _queues_url()})


def _queues_url() -> str:
    return reverse("hall:queue_list")


@role_required(*permissions.HALL_ADMINS)
@require_http_methods(["GET", "POST"])
def queue_create(request):
    center = center_for(request)
    if center is None:
        return redirect("hall:queue_list")
    return _queue_form_page(request, center)


@role_required(*permissions.HALL_ADMINS)
@require_http_methods(["GET", "POST"])
def queue_edit(request, pk: int):
    queue = get_object_or_404(selectors.queues_visible_to(request.user), pk=pk)
    return _queue_form_page(request, queue.center, queue)


@role_required(*permissions.HALL_ADMINS)
@require_http_methods(["GET", "POST"])
def hall_settings(request):
    """取号设置 of a center."""
    center = center_for(request)
    if center is None:
        return redirect("hall:queue_list")
    rules = selectors.settings_for(center)
    initial = {name: getattr(rules, name) for name in SETTINGS_FIELDS}
    form = HallSettingsForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            services.update_hall_settings(actor=request.user, center=center, **form.cleaned_data)
        except DomainError as exc:
            add_domain_error(form, exc)
        else:
            messages.success(request, "取号设置已保存。")
            return redirect(f"{_queues_url()}?center={center.pk}")
    title = f"取号设置（{center.name}）"
    return render(request, "hall/form.html", {"form": form, "title": title, "back": _queues_url()})


@role_required(*permissions.HALL_ADMINS)
@require_http_methods(["GET", "POST"])
def slot_list(request):
    """预约时段: open slots for a queue over a period; list and delete them."""
    queues = selectors.queues_visible_to(request.user).order_by("center", "prefix")
    today = timezone.localdate()
    form = SlotsForm(
        request.POST or None,
        queues=queues,
        initial={
            "start_date": today + dt.timedelta(days=1),
            "end_date": today + dt.timedelta(days=7),
        },
    )
    if request.method == "POST" and form.is_valid():
        try:
            created = services.create_slots(actor=request.user, **form.cleaned_data)
        except DomainError as exc:
            add_domain_error(form, exc)
        else:
            messages.success(request, f"已开放 {created} 个预约时段（非工作日和已有时段跳过）。")
            return redirect("hall:slot_list")
    filters = list_filters(request, SlotFilter)
    slots = selectors.slot_list(user=request.user, filters=filters)
    page = Paginator(slots, 30).get_page(request.GET.get("page"))
    return render(
        request,
        "hall/slot_list.html",
        {
            "form": form,
            "page": page,
            "filters": filters,
            "query": query_without_page(request),
            "queues": queues,
            "centers": selectors.hall_centers_visible_to(request.user),
        },
    )


@role_required(*permissions.HALL_ADMINS)
@require_POST
def slot_delete(request, pk: int):
    slot = get_object_or_404(
        AppointmentSlot.objects.filter(queue__in=selectors.queues_visible_to(request.user)), pk=pk
    )
    try:
        services.delete_slot(actor=request.user, slot=slot)
    except DomainError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, "已删除该时段。")
    return redirect("hall:slot_list")


EXPORTS = {
    "queues": ("按队列", transfer.export_queue_figures),
    "windows": ("窗口利用率", transfer.export_window_utilisation),
    "clerks": ("人员利用率", transfer.export_clerk_utilisation),
    "daily": ("每日", transfer.export_daily_figures),
}


@role_required(*permissions.METRICS_READERS)
@require_GET
def metrics_page(request):
    """排队统计 for a period: waits, service times, no-shows, long waits, utilisation."""
    centers = selectors.hall_centers_visible_to(request.user)
    center = center_for(request)
    today = timezone.localdate()
    initial = {"center": center, "start": today - dt.timedelta(days=29), "end": today}
    data = request.GET if "start" in request.GET else None
    queues = selectors.queues_visible_to(request.user).order_by("prefix")
    form = MetricsForm(data, initial=initial, centers=centers, queues=queues)
    choice = dict(initial, queue=None)
    if data is not None and form.is_valid():
        choice = form.cleaned_data
    if choice["center"] is None:
        messages.info(request, "没有可统计的服务中心。")
        return redirect("home")
    form.fields["queue"].queryset = queues.filter(center=choice["center"])
    report = metrics.hall_metrics(user=request.user, **choice)
    export = request.GET.get("export")
    if export in EXPORTS:
        label, writer = EXPORTS[export]
        name = f"排队统计_{label}_{report.start:%Y%m%d}-{report.end:%Y%m%d}.xlsx"
        return xlsx_response(writer(report), name, request=request, what="hall.metrics")
    return render(
        request,
        "hall/metrics.html",
        {
            "form": form,
            "report": report,
            "center": choice["center"],
            "query": query_without_page(request),
            "chart": {
                "days": [f"{d.day:%m-%d}" for d in report.daily],
                "tickets": [d.tickets for d in report.daily],
                "wait": [
                    round(d.wait_mean, 1) if d.wait_mean is not None else None for d in report.daily
                ],
            },
        },
    )
