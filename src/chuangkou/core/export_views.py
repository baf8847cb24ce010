"""我的导出: one's own background exports (core.exports): progress, download, retry, cancel,
delete."""

from django.contrib import messages
from django.http import FileResponse, Http404
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET, require_POST

from . import exports
from .errors import DomainError
from .models import ExportJob
from .params import page_of
from .permissions import role_required


def _own(request, pk: int) -> ExportJob:
    try:
        return exports.own_job(request.user, pk)
    except DomainError:
        raise Http404 from None


@require_GET
@role_required()
def export_list(request):
    jobs = ExportJob.objects.filter(owner=request.user)
    page = page_of(request, jobs, 20)
    exports.with_filter_text(page)
    context = {"page": page, "polling": any(job.is_running for job in page)}
    if request.headers.get("HX-Request"):
        return render(request, "core/_export_table.html", context)
    return render(request, "core/export_list.html", context)


@require_GET
@role_required()
def export_job(request, pk: int):
    job = _own(request, pk)
    if request.headers.get("HX-Request"):
        return render(request, "core/_export_progress.html", {"job": job})
    exports.with_filter_text([job])
    return render(request, "core/export_job.html", {"job": job})


@require_GET
@role_required()
def export_download(request, pk: int):
    _own(request, pk)
    try:
        path, job = exports.download(actor=request.user, job_id=pk)
    except DomainError as exc:
        messages.error(request, exc.message)
        return redirect("core:export_job", pk=pk)
    response = FileResponse(path.open("rb"), as_attachment=True, filename=job.filename)
    response["Cache-Control"] = "no-store"
    return response


ACTIONS = {
    "retry": "已重新排队导出。",
    "cancel": "已取消该导出。",
    "delete": "已删除该导出及其文件。",
}


@require_POST
@role_required()
def export_action(request, pk: int, action: str):
    """重新导出 (a failed, cancelled or expired job, as a new one) / 取消 (a waiting or running
    job; from the list, `back=list` returns there) / 删除 (a finished job and its file)."""
    if action not in ACTIONS:
        raise Http404
    _own(request, pk)
    back = redirect("core:export_job", pk=pk)
    if action == "cancel" and request.POST.get("back") == "list":
        back = redirect("core:export_list")
    try:
        if action == "retry":
            job = exports.retry_export(actor=request.user, job_id=pk)
            back = redirect("core:export_job", pk=job.pk)
        elif action == "cancel":
            if not exports.cancel_export(actor=request.user, job_id=pk):
                messages.info(request, "该导出已取消。")
                return back
        else:
            exports.delete_export(actor=request.user, job_id=pk)
            back = redirect("core:export_list")
    except DomainError as exc:
        messages.error(request, exc.message)
        return back if action == "cancel" else redirect("core:export_job", pk=pk)
    messages.success(request, ACTIONS[action])
    return back
