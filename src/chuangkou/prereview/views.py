"""预审 pages. Thin: writes through `services`, reads through `selectors`.

Public pages (no account) are reached through the pre-review's link (an unguessable UUID); an
unknown link is a 404 with a Chinese message. Reviewer pages check the role and the object.
"""

import datetime as dt

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from chuangkou.core import uploads
from chuangkou.core.errors import DomainError, PermissionDeniedError
from chuangkou.core.forms import add_domain_error
from chuangkou.core.params import date_param, id_param, page_of, query_without_page, read_filters
from chuangkou.core.permissions import role_required
from chuangkou.core.responses import xlsx_response
from chuangkou.core.xlsx import write_table
from chuangkou.hall.models import AppointmentSlot
from chuangkou.org.models import Center

from . import permissions, problems, selectors, services
from .filters import PreReviewFilter
from .forms import AcceptForm, StartForm
from .models import PreReview, PreReviewItem, ReviewRecord

NOT_FOUND = "没有找到这份预审，请核对链接。"


def _public_or_404(token) -> PreReview:
    found = selectors.public_prereview(token)
    if found is None:
        raise Http404(NOT_FOUND)
    return found


def _item_or_404(prereview: PreReview, item_id: int) -> PreReviewItem:
    item = prereview.items.select_related("material").filter(pk=item_id).first()
    if item is None:
        raise Http404("没有找到这份材料。")
    return item


# -- public -------------------------------------------------------------------------------------


@require_GET
def choose(request):
    """选择事项: matters with required materials, searchable by name or code."""
    query = request.GET.get("q", "")[:50]
    return render(
        request,
        "prereview/choose.html",
        {
            "page": page_of(request, selectors.matters_for_prereview(query), per_page=20),
            "q": query,
            "query": query_without_page(request),
        },
    )


@require_http_methods(["GET", "POST"])
def start(request, matter_id: int):
    """发起预审 for a matter: the materials to prepare, and the form."""
    matter = get_object_or_404(selectors.matters_for_prereview(), pk=matter_id)
    form = StartForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            prereview = services.start_prereview(matter=matter, **form.cleaned_data)
        except DomainError as exc:
            add_domain_error(form, exc)
        else:
            messages.success(request, "预审已发起。请保存本页地址，凭此链接上传材料、查看结果。")
            return redirect("prereview:mine", token=prereview.public_token)
    return render(
        request,
        "prereview/start.html",
        {"matter": matter, "materials": matter.materials.order_by("order", "id"), "form": form},
    )


@require_GET
def mine(request, token):
    """The person's own page: each material with its state, upload, submit, then ticket/booking."""
    prereview = _public_or_404(token)
    return render(
        request,
        "prereview/mine.html",
        {
            "prereview": prereview,
            "items": selectors.items_of(prereview),
            "max_mb": services.MAX_BYTES // (1024 * 1024),
            "can_upload": prereview.status in (PreReview.Status.DRAFT, PreReview.Status.NEEDS_FIX)
            and prereview.files_deleted_at is None,
            "slots": selectors.bookable_slots(prereview)
            if prereview.status == PreReview.Status.PASSED and prereview.case_id is None
            else [],
            "has_queue": selectors.queues_for(prereview).exists(),
        },
    )


@require_POST
def upload(request, token, item_id: int):
    prereview = _public_or_404(token)
    item = _item_or_404(prereview, item_id)
    file = request.FILES.get("file")
    if file is None:
        messages.error(request, f"请选择“{item.material.name}”的文件。")
    else:
        try:
            services.upload_material(prereview=prereview, item=item, upload=file)
        except DomainError as exc:
            messages.error(request, f"“{item.material.name}”未上传：{exc.message}")
        else:
            messages.success(request, f"“{item.material.name}”已上传。")
    return redirect("prereview:mine", token=token)


@require_POST
def submit(request, token):
    prereview = _public_or_404(token)
    try:
        services.submit_prereview(prereview=prereview)
    except DomainError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, "已提交预审，审核结果将在本页显示。")
    return redirect("prereview:mine", token=token)


@require_POST
def take_ticket(request, token):
    prereview = _public_or_404(token)
    try:
        ticket = services.take_priority_ticket(prereview=prereview)
    except DomainError as exc:
        messages.error(request, exc.message)
        return redirect("prereview:mine", token=token)
    return redirect("hall:follow", token=ticket.public_token)


@require_POST
def book(request, token):
    prereview = _public_or_404(token)
    slot = AppointmentSlot.objects.filter(pk=id_param(request.POST, "slot")).first()
    if slot is None:
        messages.error(request, "请选择预约时段。")
        return redirect("prereview:mine", token=token)
    try:
        appointment = services.book_from_prereview(prereview=prereview, slot=slot)
    except DomainError as exc:
        messages.error(request, exc.message)
        return redirect("prereview:mine", token=token)
    return redirect("hall:appointment", token=appointment.public_token)


@require_GET
def public_file(request, token, item_id: int):
    """A file, to the applicant's link only."""
    item = _item_or_404(_public_or_404(token), item_id)
    if not item.file:
        raise Http404("文件不存在。")
    return uploads.serve_upload(item.file, content_type=item.content_type)


# -- reviewers ----------------------------------------------------------------------------------


def _reviewable(request, pk: int) -> PreReview:
    prereview = get_object_or_404(PreReview.objects.select_related("matter", "center"), pk=pk)
    if not permissions.can_review(request.user, prereview):
        raise PermissionDenied("只有本中心办理该事项的窗口人员或中心管理员可以预审。")
    return prereview


@role_required(*permissions.REVIEWER_ROLES)
@require_GET
def desk(request):
    """预审工作台: the pre-reviews the reviewer may check, waiting ones first by default."""
    filters = read_filters(request, PreReviewFilter)
    rows = selectors.prereview_list(user=request.user, filters=filters)
    if request.GET.get("export") == "xlsx":
        content = write_table(
            "材料预审",
            [
                "编号",
                "发起时间",
                "中心",
                "事项",
                "申请人",
                "手机号",
                "状态",
                "补正轮次",
                "受理编号",
            ],
            (
                (
                    p.pk,
                    timezone.localtime(p.started_at).strftime("%Y-%m-%d %H:%M"),
                    p.center.name,
                    p.matter.name,
                    p.applicant_name,
                    p.masked_phone,
                    p.get_status_display(),
                    p.fix_rounds,
                    p.case.number if p.case else "",
                )
                for p in rows
            ),
        )
        return xlsx_response(content, "材料预审.xlsx", request=request, what="prereview.prereview")
    return render(
        request,
        "prereview/desk.html",
        {
            "page": page_of(request, rows),
            "query": query_without_page(request),
            "filters": filters,
            "statuses": PreReview.Status.choices,
            "centers": Center.objects.order_by("kind", "name"),
        },
    )


@role_required(*permissions.REVIEWER_ROLES)
@require_GET
def detail(request, pk: int):
    prereview = _reviewable(request, pk)
    items = selectors.items_of(prereview)
    for item in items:
        item.choices = problems.problems_for(item.material.name)
    return render(
        request,
        "prereview/detail.html",
        {
            "prereview": prereview,
            "items": items,
            "history": list(
                ReviewRecord.objects.filter(item__prereview=prereview)
                .select_related("item__material", "reviewer")
                .order_by("at", "id")
            ),
        },
    )


@role_required(*permissions.REVIEWER_ROLES)
@require_POST
def review(request, pk: int, item_id: int):
    prereview = _reviewable(request, pk)
    item = _item_or_404(prereview, item_id)
    try:
        services.review_item(
            actor=request.user,
            item=item,
            decision=request.POST.get("decision", ""),
            problem=request.POST.get("problem", ""),
            note=request.POST.get("note", ""),
        )
    except PermissionDeniedError as exc:
        raise PermissionDenied(exc.message) from None
    except DomainError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, f"“{item.material.name}”已审核。")
    return redirect("prereview:detail", pk=pk)


@role_required(*permissions.REVIEWER_ROLES)
@require_GET
def staff_file(request, pk: int, item_id: int):
    item = _item_or_404(_reviewable(request, pk), item_id)
    if not item.file:
        raise Http404("文件不存在。")
    return uploads.serve_upload(item.file, content_type=item.content_type)


@role_required(*permissions.REVIEWER_ROLES)
@require_http_methods(["GET", "POST"])
def accept(request, pk: int):
    """窗口受理 from the completed pre-review: the case carries it."""
    prereview = _reviewable(request, pk)
    initial = {"applicant_name": prereview.applicant_name, "applicant_phone": prereview.phone}
    form = AcceptForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            case = services.accept_case_from_prereview(
                actor=request.user, prereview=prereview, **form.cleaned_data
            )
        except PermissionDeniedError as exc:
            form.add_error(None, exc.message)
        except DomainError as exc:
            add_domain_error(form, exc)
        else:
            messages.success(request, f"已受理，受理编号 {case.number}，预审材料已随件归档。")
            return redirect("cases:detail", pk=case.pk)
    return render(request, "prereview/accept.html", {"prereview": prereview, "form": form})


@role_required(*permissions.FIGURE_ROLES)
@require_GET
def figures(request):
    """预审统计 for any period (default: this year so far) with the visits saved."""
    today = timezone.localdate()
    start = date_param(request.GET, "start") or dt.date(today.year, 1, 1)
    end = date_param(request.GET, "end") or today
    if end < start:
        messages.warning(request, "结束日期早于开始日期，已交换。")
        start, end = end, start
    result = selectors.figures(user=request.user, start=start, end=end)
    if request.GET.get("export") == "xlsx":
        rows = [
            ("发起预审", result.started, ""),
            ("预审通过", result.completed, ""),
            ("平均补正轮次", result.average_fix_rounds, ""),
            ("办结件数（预审 / 未预审）", result.prereviewed.cases, result.others.cases),
            (
                "最多跑一次率（预审 / 未预审）",
                result.prereviewed.one_trip_rate,
                result.others.one_trip_rate,
            ),
            (
                "平均跑动次数（预审 / 未预审）",
                result.prereviewed.average_visits,
                result.others.average_visits,
            ),
            ("少跑次数", result.visits_saved, ""),
        ]
        content = write_table(f"预审统计 {start}至{end}", ["指标", "数值", "对照"], rows)
        return xlsx_response(content, "预审统计.xlsx", request=request, what="prereview.figures")
    return render(
        request,
        "prereview/figures.html",
        {"f": result, "start": start, "end": end},
    )
