"""1call API: the public ask/thread/follow-up/rating endpoints (identity: tracking code and the
phone's last four digits) and the agents' and center admin's endpoints. Each operation calls the
same service or selector as the pages."""

import datetime as dt

from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils import timezone
from ninja import Query, Router
from ninja.responses import Status

from chuangkou.catalog.models import Matter
from chuangkou.core.errors import DomainError
from chuangkou.core.middleware import current_ip
from chuangkou.core.permissions import require_role
from chuangkou.core.schema_types import DbId, SaneDate
from chuangkou.org.models import Department, Staff

from . import permissions, search, selectors, services
from .models import Consultation, DutyShift
from .schemas import (
    ConsultAskedOut,
    ConsultAskIn,
    ConsultDetailOut,
    ConsultDoneOut,
    ConsultDutyIn,
    ConsultDutyOut,
    ConsultFaqOut,
    ConsultFollowIn,
    ConsultIdentityIn,
    ConsultMessageOut,
    ConsultOverviewOut,
    ConsultPromoteIn,
    ConsultRateIn,
    ConsultReplyIn,
    ConsultRowOut,
    ConsultSuggestOut,
    ConsultThreadOut,
    ConsultTransferIn,
)

router = Router(tags=["1call 在线咨询"])


def _messages(c: Consultation) -> list[ConsultMessageOut]:
    return [
        ConsultMessageOut(author=m.author, body=m.body, at=m.created_at)
        for m in selectors.thread(c)
    ]


def thread_out(c: Consultation) -> ConsultThreadOut:
    return ConsultThreadOut(
        code=c.code,
        status=c.status,
        status_label=c.get_status_display(),
        matter=c.matter.name if c.matter_id else "",
        phone=c.masked_phone,
        messages=_messages(c),
        rated=c.evaluation.level if c.evaluation_id else None,
    )


def row_out(row: selectors.InboxRow, *, detail: bool = False):
    c = row.consultation
    data = dict(
        id=c.pk,
        code=c.code,
        question=c.question,
        domain=c.domain_label,
        status=c.status,
        agent=c.agent.name if c.agent_id else "",
        phone=c.masked_phone,
        first_reply_due=c.first_reply_due,
        resolve_due=c.resolve_due,
        reply_minutes_left=row.reply_left,
        resolve_minutes_left=row.resolve_left,
        soon=row.soon,
        breached=row.breached,
    )
    if detail:
        return ConsultDetailOut(**data, messages=_messages(c))
    return ConsultRowOut(**data)


# 公众 -------------------------------------------------------------------------------------------


@router.post(
    "/public/consultations", auth=None, response={201: ConsultAskedOut}, summary="提交咨询"
)
def ask(request, payload: ConsultAskIn):
    matter = None
    if payload.matter_id is not None:
        matter = Matter.objects.filter(pk=payload.matter_id, is_active=True).first()
        if matter is None:
            raise DomainError("事项不存在或已停用。", field="matter_id")
    c = services.ask(question=payload.question, phone=payload.phone, matter=matter, ip=current_ip())
    url = request.build_absolute_uri(reverse("consult:thread", args=[c.code]))
    return Status(201, ConsultAskedOut(code=c.code, url=url, first_reply_due=c.first_reply_due))


@router.post(
    "/public/thread",
    auth=None,
    response=ConsultThreadOut,
    summary="查询答复（查询码+手机号后四位）",
)
def public_thread(request, payload: ConsultIdentityIn):
    c = services.find_thread(code=payload.code, last4=payload.last4, ip=current_ip())
    return thread_out(c)


@router.post("/public/follow-ups", auth=None, response={201: ConsultThreadOut}, summary="追问")
def public_follow_up(request, payload: ConsultFollowIn):
    c = services.find_thread(code=payload.code, last4=payload.last4, ip=current_ip())
    services.follow_up(consultation=c, body=payload.body, ip=current_ip())
    return Status(201, thread_out(c))


@router.post("/public/ratings", auth=None, response={201: ConsultThreadOut}, summary="评价答复")
def public_rate(request, payload: ConsultRateIn):
    c = services.find_thread(code=payload.code, last4=payload.last4, ip=current_ip())
    services.rate_answer(consultation=c, level=payload.level, comment=payload.comment)
    c.refresh_from_db()
    return Status(201, thread_out(c))


@router.get("/public/faq", auth=None, response=list[ConsultFaqOut], summary="常见问题")
def public_faq(request, matter_id: DbId | None = None):
    matter = Matter.objects.filter(pk=matter_id).first() if matter_id else None
    return [
        ConsultFaqOut(
            id=f.pk,
            question=f.question,
            answer=f.answer,
            matter=f.matter.name if f.matter_id else "",
        )
        for f in selectors.public_faq(matter)[:100]
    ]


# 坐席 -------------------------------------------------------------------------------------------


def _visible(request, pk: int) -> Consultation:
    require_role(request.user, *permissions.DESK_ROLES)
    return get_object_or_404(selectors.consultations_visible_to(request.user), pk=pk)


@router.get("/inbox", response=list[ConsultRowOut], summary="咨询待办")
def inbox(request, status: str = "open"):
    require_role(request.user, *permissions.DESK_ROLES)
    if status not in {"open", *Consultation.Status.values}:
        raise DomainError("状态不正确。", field="status")
    return [row_out(r) for r in selectors.inbox(request.user, status=status)]


@router.get("/consultations/{consultation_id}", response=ConsultDetailOut, summary="咨询详情")
def detail(request, consultation_id: DbId):
    c = _visible(request, consultation_id)
    return row_out(selectors.inbox_row(c), detail=True)


@router.post("/consultations/{consultation_id}/claim", response=ConsultDetailOut, summary="认领")
def claim(request, consultation_id: DbId):
    c = _visible(request, consultation_id)
    c = services.claim(actor=request.user, consultation=c)
    return row_out(selectors.inbox_row(c), detail=True)


@router.post(
    "/consultations/{consultation_id}/replies", response={201: ConsultDetailOut}, summary="答复"
)
def reply(request, consultation_id: DbId, payload: ConsultReplyIn):
    c = _visible(request, consultation_id)
    services.reply(actor=request.user, consultation=c, body=payload.body)
    c.refresh_from_db()
    return Status(201, row_out(selectors.inbox_row(c), detail=True))


@router.post("/consultations/{consultation_id}/transfer", response=ConsultDetailOut, summary="转办")
def transfer(request, consultation_id: DbId, payload: ConsultTransferIn):
    c = _visible(request, consultation_id)
    department = None
    if payload.department_id is not None:
        department = get_object_or_404(Department, pk=payload.department_id)
    c = services.transfer(
        actor=request.user, consultation=c, department=department, note=payload.note
    )
    return row_out(selectors.inbox_row(c), detail=True)


@router.post("/consultations/{consultation_id}/close", response=ConsultDetailOut, summary="办结")
def close(request, consultation_id: DbId):
    c = _visible(request, consultation_id)
    c = services.close(actor=request.user, consultation=c)
    return row_out(selectors.inbox_row(c), detail=True)


@router.post(
    "/consultations/{consultation_id}/faq", response={201: ConsultFaqOut}, summary="推荐入知识库"
)
def promote(request, consultation_id: DbId, payload: ConsultPromoteIn):
    c = _visible(request, consultation_id)
    f = services.promote_to_faq(
        actor=request.user, consultation=c, question=payload.question, answer=payload.answer
    )
    matter = f.matter.name if f.matter_id else ""
    return Status(201, ConsultFaqOut(id=f.pk, question=f.question, answer=f.answer, matter=matter))


@router.get("/suggestions", response=ConsultSuggestOut, summary="答复建议")
def suggestions(request, q: str = Query("", max_length=300)):  # noqa: B008
    require_role(request.user, *permissions.DESK_ROLES)
    if "\x00" in q:
        raise DomainError("查询内容含有非法字符。", field="q")
    guide, answers = search.suggest(q) if q.strip() else ([], [])

    def out(h):
        d = h.doc
        return dict(
            kind=d.kind,
            kind_label=h.kind_label,
            id=d.pk,
            title=d.title,
            text=d.text,
            url=d.url,
            score=h.score,
        )

    return ConsultSuggestOut(guide=[out(h) for h in guide], answers=[out(h) for h in answers])


# 中心管理员 -------------------------------------------------------------------------------------


def duty_out(d: DutyShift) -> ConsultDutyOut:
    return ConsultDutyOut(
        id=d.pk, staff=d.staff.name, domain=d.domain_label, date=d.date, shift=d.shift
    )


@router.get("/roster", response=list[ConsultDutyOut], summary="值班表")
def roster(request, start: SaneDate | None = None, end: SaneDate | None = None):
    require_role(request.user, *permissions.ADMIN_ROLES)
    start = start or timezone.localdate()
    end = end or start + dt.timedelta(days=13)
    if end < start or (end - start).days > 62:
        raise DomainError("查询区间须在 0 至 62 天之间。", field="end")
    return [duty_out(d) for d in selectors.roster(start, end)]


@router.post("/roster", response={201: ConsultDutyOut}, summary="排班")
def add_duty(request, payload: ConsultDutyIn):
    require_role(request.user, *permissions.ADMIN_ROLES)
    staff = get_object_or_404(Staff, pk=payload.staff_id)
    department = None
    if payload.department_id is not None:
        department = get_object_or_404(Department, pk=payload.department_id)
    duty = services.add_duty(
        actor=request.user,
        staff=staff,
        department=department,
        date=payload.date,
        shift=payload.shift,
    )
    return Status(201, duty_out(duty))


@router.delete("/roster/{duty_id}", response=ConsultDoneOut, summary="取消排班")
def remove_duty(request, duty_id: DbId):
    require_role(request.user, *permissions.ADMIN_ROLES)
    duty = get_object_or_404(DutyShift.objects.select_related("staff"), pk=duty_id)
    services.remove_duty(actor=request.user, duty=duty)
    return ConsultDoneOut(detail="已取消排班。")


@router.get("/overview", response=ConsultOverviewOut, summary="1call 运行情况")
def overview(request, start: SaneDate | None = None, end: SaneDate | None = None):
    require_role(request.user, *permissions.ADMIN_ROLES)
    end = end or timezone.localdate()
    start = start or end - dt.timedelta(days=29)
    if end < start or (end - start).days > 366:
        raise DomainError("统计区间须在 0 至 366 天之间。", field="end")
    o = selectors.overview(start, end)
    return ConsultOverviewOut(**{k: v for k, v in vars(o).items() if k != "by_domain"})
