"""1call pages: the public ask/track/thread pages (phone first, no account), the agents' inbox
and consultation desk with answer suggestions, the roster and the overview for the center
admin. Thin: writes through `services`, reads through `selectors`."""

import datetime as dt

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_POST

from chuangkou.catalog.models import Matter
from chuangkou.core.errors import DomainError, PermissionDeniedError
from chuangkou.core.forms import add_domain_error
from chuangkou.core.middleware import current_ip
from chuangkou.core.params import date_param, id_param, page_of
from chuangkou.core.permissions import role_required
from chuangkou.core.responses import table_response
from chuangkou.feedback.views import PAD_LEVELS

from . import permissions, search, selectors, services
from .forms import (
    AskForm,
    DutyForm,
    FollowUpForm,
    PromoteForm,
    RateForm,
    ReplyForm,
    TrackForm,
    TransferForm,
    VerifyForm,
)
from .models import Consultation, DutyShift, FaqEntry

SESSION_KEY = "consult_codes"
MAX_SESSION_CODES = 10


# 公众页面 ---------------------------------------------------------------------------------------


def _verified(request) -> list[str]:
    codes = request.session.get(SESSION_KEY, [])
    return codes if isinstance(codes, list) else []


def _remember(request, code: str) -> None:
    codes = [c for c in _verified(request) if c != code]
    request.session[SESSION_KEY] = [code, *codes][:MAX_SESSION_CODES]


def _matter_of(request) -> Matter | None:
    pk = id_param(request.GET, "matter")
    code = request.GET.get("code", "")
    rows = Matter.objects.filter(is_active=True).select_related("department")
    if pk:
        return rows.filter(pk=pk).first()
    if code and len(code) <= 40:
        return rows.filter(code=code).first()
    return None


@never_cache
def ask(request):
    """我要咨询: question and phone (matter from the guide page it came from)."""
    matter = _matter_of(request)
    form = AskForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            consultation = services.ask(
                question=form.cleaned_data["question"],
                phone=form.cleaned_data["phone"],
                matter=matter,
                ip=current_ip(),
            )
        except DomainError as exc:
            add_domain_error(form, exc)
            status = exc.status
        else:
            _remember(request, consultation.code)
            messages.success(request, "提交成功！请记下查询码，工作人员将尽快答复。")
            return redirect("consult:thread", code=consultation.code)
    else:
        status = 400 if form.errors else 200
    return render(request, "consult/ask.html", {"form": form, "matter": matter}, status=status)


@never_cache
def track(request):
    """查询答复: tracking code and the phone's last four digits."""
    form = TrackForm(request.POST or None, initial={"code": request.GET.get("code", "")[:20]})
    status = 200
    if request.method == "POST":
        if form.is_valid():
            try:
                consultation = services.find_thread(
                    code=form.cleaned_data["code"],
                    last4=form.cleaned_data["last4"],
                    ip=current_ip(),
                )
            except DomainError as exc:
                form.add_error(None, exc.message)
                status = exc.status if exc.status == 429 else 400
            else:
                _remember(request, consultation.code)
                return redirect("consult:thread", code=consultation.code)
        else:
            status = 400
    return render(request, "consult/track.html", {"form": form}, status=status)


def _thread_of(request, code: str) -> Consultation | None:
    if code not in _verified(request):
        return None
    return (
        Consultation.objects.select_related("matter", "evaluation", "department")
        .filter(code=code)
        .first()
    )


@never_cache
def thread(request, code: str):
    """The person's thread: answers, follow-up, rating after closing. Without the last four
    digits in this session, only the form asking for them (the same for any code)."""
    code = code[:20]
    consultation = _thread_of(request, code)
    if consultation is None:
        form = VerifyForm(request.POST or None)
        status = 200
        if request.method == "POST":
            status = 400
            if form.is_valid():
                try:
                    found = services.find_thread(
                        code=code, last4=form.cleaned_data["last4"], ip=current_ip()
                    )
                except DomainError as exc:
                    form.add_error(None, exc.message)
                    status = 429 if exc.status == 429 else 400
                else:
                    _remember(request, found.code)
                    return redirect("consult:thread", code=found.code)
        return render(request, "consult/verify.html", {"form": form, "code": code}, status=status)
    follow_form, rate_form = FollowUpForm(), RateForm()
    status = 200
    if request.method == "POST":
        action = request.POST.get("action")
        try:
            if action == "rate":
                rate_form = RateForm(request.POST)
                if not rate_form.is_valid():
                    raise DomainError("请选择评价等级。", field="level")
                services.rate_answer(
                    consultation=consultation,
                    level=rate_form.cleaned_data["level"],
                    comment=rate_form.cleaned_data["comment"],
                )
                done = "感谢您的评价！"
            else:
                follow_form = FollowUpForm(request.POST)
                if not follow_form.is_valid():
                    raise DomainError("请填写追问内容（1000 字以内）。", field="body")
                services.follow_up(
                    consultation=consultation,
                    body=follow_form.cleaned_data["body"],
                    ip=current_ip(),
                )
                done = "追问已提交。"
        except DomainError as exc:
            add_domain_error(rate_form if action == "rate" else follow_form, exc)
            status = exc.status
        else:
            messages.success(request, done)
            return redirect("consult:thread", code=code)
    return render(
        request,
        "consult/thread.html",
        {
            "c": consultation,
            "thread": selectors.thread(consultation),
            "follow_form": follow_form,
            "rate_form": rate_form,
            "levels": PAD_LEVELS,
            "link": request.build_absolute_uri(),
        },
        status=status,
    )


@require_GET
def faq(request):
    """常见问题 (public): promoted answers, by matter."""
    matter = _matter_of(request)
    rows = selectors.public_faq(matter)
    return render(
        request, "consult/faq.html", {"page": page_of(request, rows, 20), "matter": matter}
    )


# 坐席 -------------------------------------------------------------------------------------------


def _run(request, action, done: str) -> bool:
    try:
        action()
    except PermissionDeniedError as exc:
        raise PermissionDenied(exc.message) from None
    except DomainError as exc:
        messages.error(request, exc.message)
        return False
    messages.success(request, done)
    return True


@role_required(*permissions.DESK_ROLES)
def inbox(request):
    """咨询待办: open consultations of my domains, those about to breach first."""
    status = request.GET.get("status", "open")
    status = status if status in {"open", *Consultation.Status.values} else "open"
    rows = selectors.inbox(request.user, status=status)
    return render(
        request,
        "consult/inbox.html",
        {
            "page": page_of(request, rows, 30),
            "status": status,
            "statuses": Consultation.Status.choices,
            "on_duty": selectors.on_duty_now(),
            "rostered": permissions.rostered_domains(request.user) is not None,
            "soon": sum(1 for r in rows if r.soon),
            "breached": sum(1 for r in rows if r.breached),
        },
    )


def _visible(request, pk: int) -> Consultation:
    return get_object_or_404(selectors.consultations_visible_to(request.user), pk=pk)


@role_required(*permissions.DESK_ROLES)
def detail(request, pk: int):
    """一条咨询: thread, actions and answer suggestions."""
    c = _visible(request, pk)
    guide, answers = search.suggest(c.question, matter_id=c.matter_id)
    row = selectors.inbox_row(c)
    return render(
        request,
        "consult/detail.html",
        {
            "c": c,
            "row": row,
            "thread": selectors.thread(c),
            "reply_form": ReplyForm(),
            "transfer_form": TransferForm(),
            "promote_form": PromoteForm(initial={"question": c.question[:300], "answer": c.answer}),
            "guide": guide,
            "answers": answers,
            "may_take": c.status == Consultation.Status.WAITING
            and permissions.may_take(request.user, c),
            "is_agent": permissions.is_agent_of(request.user, c),
            "is_admin": permissions.is_admin(request.user),
            "promoted": c.faq_entries.exists(),
        },
    )


@role_required(*permissions.DESK_ROLES)
@require_GET
def suggest(request):
    """答复建议 (htmx partial) for the text being typed."""
    query = (request.GET.get("q") or request.GET.get("body") or "")[:300]
    guide, answers = search.suggest(query) if query.strip() else ([], [])
    return render(request, "consult/_suggestions.html", {"guide": guide, "answers": answers})


@require_POST
@role_required(*permissions.AGENT_ROLES)
def claim(request, pk: int):
    c = _visible(request, pk)
    _run(request, lambda: services.claim(actor=request.user, consultation=c), "已认领。")
    return redirect("consult:detail", pk=pk)


@require_POST
@role_required(*permissions.AGENT_ROLES)
def reply(request, pk: int):
    c = _visible(request, pk)
    form = ReplyForm(request.POST)
    if not form.is_valid():
        messages.error(request, "请填写答复内容（2000 字以内）。")
        return redirect("consult:detail", pk=pk)
    body = form.cleaned_data["body"]
    _run(request, lambda: services.reply(actor=request.user, consultation=c, body=body), "已答复。")
    return redirect("consult:detail", pk=pk)


@require_POST
@role_required(*permissions.DESK_ROLES)
def transfer_view(request, pk: int):
    c = _visible(request, pk)
    form = TransferForm(request.POST)
    if not form.is_valid():
        messages.error(request, "请选择要转至的业务领域。")
        return redirect("consult:detail", pk=pk)
    ok = _run(
        request,
        lambda: services.transfer(
            actor=request.user,
            consultation=c,
            department=form.cleaned_data["department"],
            note=form.cleaned_data["note"],
        ),
        "已转办。",
    )
    return redirect("consult:inbox" if ok else "consult:detail", **({} if ok else {"pk": pk}))


@require_POST
@role_required(*permissions.DESK_ROLES)
def close(request, pk: int):
    c = _visible(request, pk)
    _run(request, lambda: services.close(actor=request.user, consultation=c), "已办结。")
    return redirect("consult:detail", pk=pk)


@require_POST
@role_required(*permissions.DESK_ROLES)
def promote(request, pk: int):
    c = _visible(request, pk)
    form = PromoteForm(request.POST)
    if not form.is_valid():
        messages.error(request, "请填写问题（300 字以内）和答复。")
        return redirect("consult:detail", pk=pk)
    _run(
        request,
        lambda: services.promote_to_faq(actor=request.user, consultation=c, **form.cleaned_data),
        "已推荐入知识库，办事指南中将显示该问答。",
    )
    return redirect("consult:detail", pk=pk)


# 中心管理员 -------------------------------------------------------------------------------------


@role_required(*permissions.ADMIN_ROLES)
def roster(request):
    """1call 值班表: two weeks from the chosen day; add a shift."""
    start = date_param(request.GET, "start") or timezone.localdate()
    end = start + dt.timedelta(days=13)
    form = DutyForm(request.POST or None, initial={"date": start})
    if request.method == "POST" and form.is_valid():
        try:
            services.add_duty(actor=request.user, **form.cleaned_data)
        except DomainError as exc:
            add_domain_error(form, exc)
        else:
            messages.success(request, "已排班。")
            return redirect(f"{request.path}?start={start:%Y-%m-%d}")
    return render(
        request,
        "consult/roster.html",
        {"form": form, "rows": selectors.roster(start, end), "start": start, "end": end},
        status=400 if form.errors else 200,
    )


@require_POST
@role_required(*permissions.ADMIN_ROLES)
def roster_remove(request, pk: int):
    duty = get_object_or_404(DutyShift.objects.select_related("staff"), pk=pk)
    _run(request, lambda: services.remove_duty(actor=request.user, duty=duty), "已取消排班。")
    return redirect("consult:roster")


@require_POST
@role_required(*permissions.ADMIN_ROLES)
def faq_withdraw(request, pk: int):
    entry = get_object_or_404(FaqEntry, pk=pk)
    _run(request, lambda: services.withdraw_faq(actor=request.user, faq=entry), "已下架。")
    return redirect("consult:overview")


@role_required(*permissions.ADMIN_ROLES)
def overview(request):
    """1call 运行情况: volume, reply and resolution times, breaches, top matters, ratings."""
    if request.GET.get("export") == "xlsx":
        return table_response(request, "consult.consultation")
    start, end = selectors.overview_period(request.GET)
    return render(
        request,
        "consult/overview.html",
        {
            "o": selectors.overview(start, end),
            "faq": FaqEntry.objects.filter(is_published=True).select_related("matter")[:20],
            "levels": PAD_LEVELS,
        },
    )
