"""材料预审 API: the person's calls through the link token (no account) and the reviewers'."""

import datetime as dt

from django.http import Http404
from django.shortcuts import get_object_or_404
from django.utils import timezone
from ninja import File, Query, Router, Status
from ninja.files import UploadedFile
from ninja.pagination import paginate

from chuangkou.core.errors import DomainError, PermissionDeniedError
from chuangkou.core.paging import MappedQuerySet, Pages
from chuangkou.core.schema_types import SaneDate
from chuangkou.org.models import Center

from . import permissions, selectors, services
from .filters import PreReviewFilter
from .models import PreReview
from .schemas import (
    PreReviewAcceptIn,
    PreReviewCaseOut,
    PreReviewFiguresOut,
    PreReviewGroupOut,
    PreReviewItemOut,
    PreReviewListOut,
    PreReviewOut,
    PreReviewReviewIn,
    PreReviewStartedOut,
    PreReviewStartIn,
    PreReviewTicketOut,
)

router = Router(tags=["材料预审"])


def _public(token) -> PreReview:
    found = selectors.public_prereview(token)
    if found is None:
        raise Http404
    return found


def _item(prereview: PreReview, item_id: int):
    item = prereview.items.select_related("material").filter(pk=item_id).first()
    if item is None:
        raise Http404
    return item


def _out(prereview: PreReview) -> PreReviewOut:
    return PreReviewOut.of(prereview, selectors.items_of(prereview))


# -- public ---------------------------------------------------------------------------------------


@router.post(
    "/public/prereviews",
    auth=None,
    response={201: PreReviewStartedOut},
    summary="发起预审（公开，无需登录）",
)
def start(request, payload: PreReviewStartIn):
    matter = selectors.matters_for_prereview().filter(pk=payload.matter_id).first()
    if matter is None:
        raise DomainError(f"事项编号 {payload.matter_id} 不存在或无需预审。", field="matter_id")
    center = Center.objects.filter(pk=payload.center_id).first()
    if center is None:
        raise DomainError(f"中心编号 {payload.center_id} 不存在。", field="center_id")
    prereview = services.start_prereview(
        matter=matter, center=center, applicant_name=payload.applicant_name, phone=payload.phone
    )
    return Status(
        201,
        PreReviewStartedOut(id=prereview.pk, token=prereview.public_token, status=prereview.status),
    )


@router.get(
    "/public/prereviews/{uuid:token}", auth=None, response=PreReviewOut, summary="我的预审（公开）"
)
def public_state(request, token):
    return _out(_public(token))


@router.post(
    "/public/prereviews/{uuid:token}/items/{item_id}/file",
    auth=None,
    response=PreReviewItemOut,
    summary="上传或补正一份材料（PDF/JPEG/PNG，≤ 20 MB）",
)
def public_upload(request, token, item_id: int, file: File[UploadedFile]):
    prereview = _public(token)
    item = services.upload_material(
        prereview=prereview, item=_item(prereview, item_id), upload=file
    )
    return PreReviewItemOut.of(item)


@router.post(
    "/public/prereviews/{uuid:token}/submit",
    auth=None,
    response=PreReviewOut,
    summary="提交预审或补正",
)
def public_submit(request, token):
    return _out(services.submit_prereview(prereview=_public(token)))


@router.post(
    "/public/prereviews/{uuid:token}/ticket",
    auth=None,
    response=PreReviewTicketOut,
    summary="预审通过后取优先号",
)
def public_ticket(request, token):
    ticket = services.take_priority_ticket(prereview=_public(token))
    return PreReviewTicketOut(
        number=ticket.number, queue=ticket.queue.name, public_token=ticket.public_token
    )


# -- reviewers ------------------------------------------------------------------------------------


def _reviewable(request, prereview_id: int) -> PreReview:
    if not permissions.can_review_any(request.user):
        raise PermissionDeniedError()
    prereview = get_object_or_404(
        PreReview.objects.select_related("matter", "center", "case", "ticket"), pk=prereview_id
    )
    if not permissions.can_review(request.user, prereview):
        raise PermissionDeniedError("只有本中心办理该事项的窗口人员或中心管理员可以预审。")
    return prereview


@router.get("/prereviews", response=list[PreReviewListOut], summary="预审列表（按角色可见范围）")
@paginate(Pages)
def list_prereviews(request, filters: Query[PreReviewFilter]):
    if not permissions.can_review_any(request.user):
        raise PermissionDeniedError()
    rows = selectors.prereview_list(user=request.user, filters=filters)
    return MappedQuerySet(
        rows,
        lambda p: PreReviewListOut(
            id=p.pk,
            matter=p.matter.name,
            center_id=p.center_id,
            status=p.status,
            status_label=p.get_status_display(),
            fix_rounds=p.fix_rounds,
            started_at=p.started_at,
        ),
    )


@router.get("/prereviews/{prereview_id}", response=PreReviewOut, summary="预审详情")
def get_prereview(request, prereview_id: int):
    return _out(_reviewable(request, prereview_id))


@router.post(
    "/prereviews/{prereview_id}/items/{item_id}/review",
    response=PreReviewItemOut,
    summary="审核一份材料：通过或需补正",
)
def review(request, prereview_id: int, item_id: int, payload: PreReviewReviewIn):
    prereview = _reviewable(request, prereview_id)
    item = services.review_item(
        actor=request.user,
        item=_item(prereview, item_id),
        decision=payload.decision,
        problem=payload.problem,
        note=payload.note,
    )
    return PreReviewItemOut.of(item)


@router.post(
    "/prereviews/{prereview_id}/case",
    response={201: PreReviewCaseOut},
    summary="据预审通过的材料窗口受理",
)
def accept(request, prereview_id: int, payload: PreReviewAcceptIn):
    prereview = _reviewable(request, prereview_id)
    case = services.accept_case_from_prereview(
        actor=request.user, prereview=prereview, **payload.dict()
    )
    return Status(201, PreReviewCaseOut(case_id=case.pk, case_number=case.number))


@router.get("/figures", response=PreReviewFiguresOut, summary="预审统计（含少跑次数）")
def figures(request, start: SaneDate | None = None, end: SaneDate | None = None):
    if not permissions.can_read_figures(request.user):
        raise PermissionDeniedError()
    today = timezone.localdate()
    start = start or dt.date(today.year, 1, 1)
    end = end or today
    if end < start:
        raise DomainError("结束日期不能早于开始日期。", field="end")
    f = selectors.figures(user=request.user, start=start, end=end)

    def group(g):
        return PreReviewGroupOut(
            cases=g.cases, one_trip_rate=g.one_trip_rate, average_visits=g.average_visits
        )

    return PreReviewFiguresOut(
        start=f.start,
        end=f.end,
        started=f.started,
        completed=f.completed,
        average_fix_rounds=f.average_fix_rounds,
        prereviewed=group(f.prereviewed),
        others=group(f.others),
        visits_saved=f.visits_saved,
    )
