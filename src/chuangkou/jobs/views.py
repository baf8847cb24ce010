from django.contrib import messages
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_GET, require_POST

from chuangkou.core.errors import DomainError
from chuangkou.core.params import page_of
from chuangkou.core.permissions import role_required
from chuangkou.core.roles import Role

from . import selectors, services


@require_GET
@role_required(Role.SYSADMIN)
def overview(request):
    """后台任务: the schedules (last run, next run, outcome), the workers and the failed jobs."""
    user = request.user
    page = page_of(request, selectors.failed_tasks_visible_to(user), per_page=20)
    for t in page:
        t.reason = selectors.failure_reason(t)
    return render(
        request,
        "jobs/overview.html",
        {
            "schedules": selectors.schedules_visible_to(user),
            "workers": selectors.workers_visible_to(user, now=timezone.now()),
            "counts": selectors.queue_counts_visible_to(user),
            "page": page,
        },
    )


@require_POST
@role_required(Role.SYSADMIN)
def retry(request, task_id):
    try:
        services.retry_failed_task(actor=request.user, task_id=task_id)
    except DomainError as exc:
        if exc.status == 404:
            raise Http404(exc.message) from None
        messages.error(request, exc.message)
    else:
        messages.success(request, "已重新排队。")
    return redirect("jobs:overview")
