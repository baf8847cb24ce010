"""好差评 pages. Thin: every write goes through `services`, every read through `selectors`."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_GET

from chuangkou.core.errors import DomainError, PermissionDeniedError
from chuangkou.core.forms import add_domain_error
from chuangkou.core.import_views import import_page
from chuangkou.core.params import read_filters
from chuangkou.core.permissions import role_required
from chuangkou.core.responses import template_response, xlsx_response
from chuangkou.hall.models import Ticket
from chuangkou.org.models import Center, Region, Staff, Window

from . import permissions, selectors, services, transfer
from .filters import EvaluationFilter, RectificationFilter
from .forms import (
    AppealForm,
    CallbackForm,
    DecisionForm,
    InterviewForm,
    PadOpenForm,
    PadRatingForm,
    PhoneRatingForm,
    RatingEntryForm,
    RectifyForm,
    SurveyForm,
    SurveyImportForm,
    UnrectifiableForm,
)
from .models import Evaluation, Level, Rectification
from .pad import PadSession, open_pad, pad_token
from .survey_import import SurveyImport
from .survey_import import template as survey_template

# 评价器 (the tablet at the window) -------------------------------------------------------------

PAD_THANKS_SECONDS = 5


@role_required(*permissions.PAD_ROLES)
def pad_open(request):
    """The clerk opens the pad of their window; it continues without login on the tablet."""
    staff = Staff.objects.filter(user=request.user).exclude(status=Staff.Status.LEFT).first()
    if staff is None:
        messages.info(request, "您的账号没有关联在岗的窗口人员档案，无法打开评价器。")
        return redirect("home")
    windows = Window.objects.filter(
        is_active=True, center=staff.center, department=staff.department
    ).select_related("center")
    form = PadOpenForm(request.POST or None, windows=windows, initial={"window": staff.window_id})
    if request.method == "POST" and form.is_valid():
        window = form.cleaned_data["window"]
        url = reverse("feedback:pad", args=[window.pk])
        return redirect(f"{url}?s={pad_token(window=window, staff=staff)}")
    return render(request, "feedback/pad_open.html", {"form": form, "staff": staff})


def _pad_or_403(request, window_id: int) -> PadSession:
    try:
        return open_pad(window_id=window_id, token=request.GET.get("s", ""))
    except DomainError as exc:
        raise PermissionDenied(exc.message) from None


def _pad_context(request, pad: PadSession) -> dict:
    return {
        "pad": pad,
        "token": request.GET.get("s", ""),
        "ticket": selectors.pad_subject(window_id=pad.window.pk),
        "levels": PAD_LEVELS,
    }


PAD_LEVELS = [
    (Level.VERY_SATISFIED, "mood-happy", "success"),
    (Level.SATISFIED, "mood-smile", "lime"),
    (Level.BASICALLY_SATISFIED, "mood-empty", "yellow"),
    (Level.DISSATISFIED, "mood-sad", "orange"),
    (Level.VERY_DISSATISFIED, "mood-cry", "danger"),
]


def pad(request, window_id: int):
    """评价器 page (no login: the signed link is the credential). POST rates the current ticket."""
    session = _pad_or_403(request, window_id)
    context = _pad_context(request, session)
    if request.method == "POST":
        form = PadRatingForm(request.POST)
        try:
            if not form.is_valid():
                raise DomainError("请选择一个评价等级。", field="level")
            evaluation = services.rate_on_pad(pad=session, **form.cleaned_data)
        except DomainError as exc:
            context["error"] = exc.message
            return render(request, "feedback/pad.html", context, status=400)
        context.update(evaluation=evaluation, reset_seconds=PAD_THANKS_SECONDS)
        return render(request, "feedback/pad_thanks.html", context)
    return render(request, "feedback/pad.html", context)


@require_GET
def pad_current(request, window_id: int):
    """The part of the pad that changes: polled every few seconds while the pad waits."""
    session = _pad_or_403(request, window_id)
    return render(request, "feedback/_pad_subject.html", _pad_context(request, session))


# 手机评价 (the ticket's public page) -----------------------------------------------------------


def ticket_rating(request, token):
    """手机扫码评价: rate or follow up a ticket; shows no personal data."""
    ticket = get_object_or_404(
        Ticket.objects.select_related("window", "window__department", "queue", "matter"),
        public_token=token,
    )
    form = PhoneRatingForm(request.POST or None)
    if request.method == "POST":
        if form.is_valid():
            try:
                services.rate_by_phone(
                    ticket=ticket,
                    level=form.cleaned_data["level"],
                    comment=form.cleaned_data["comment"],
                    contact_phone=form.cleaned_data["contact_phone"],
                    follow_up=request.POST.get("follow_up") == "1",
                )
            except DomainError as exc:
                add_domain_error(form, exc)
            else:
                messages.success(request, "感谢您的评价！")
                return redirect("feedback:ticket_rating", token=token)
    return render(
        request,
        "feedback/ticket_rating.html",
        {
            "ticket": ticket,
            "finished": ticket.status == Ticket.Status.DONE,
            "state": selectors.phone_rating(ticket),
            "form": form,
            "levels": PAD_LEVELS,
        },
        status=400 if form.errors else 200,
    )


# 评价录入 (hotline / SMS / web) -----------------------------------------------------------------


@role_required(*permissions.ENTRY_ROLES)
def entry(request):
    form = RatingEntryForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            evaluation = services.rate(
                actor=request.user,
                channel=data["channel"],
                level=data["level"],
                case=data["case"],
                ticket=data["ticket"],
                comment=data["comment"],
                contact_phone=data["contact_phone"],
            )
        except DomainError as exc:
            add_domain_error(form, exc)
        else:
            note = "，已生成差评整改" if evaluation.is_bad else ""
            messages.success(request, f"已录入{evaluation.subject_label}的评价{note}。")
            return redirect("feedback:entry")
    return render(request, "feedback/entry.html", {"form": form})


# 差评整改 ---------------------------------------------------------------------------------------


def _filters(request, schema):
    return read_filters(request, schema)


def _query_without_page(request) -> str:
    query = request.GET.copy()
    query.pop("page", None)
    query.pop("export", None)
    return query.urlencode()


@role_required(*permissions.HANDLER_ROLES)
def rectification_list(request):
    filters = _filters(request, RectificationFilter)
    rows = selectors.rectification_list(user=request.user, filters=filters)
    if request.GET.get("export") == "xlsx":
        content = transfer.export_rectifications(rows)
        return xlsx_response(
            content,
            f"差评整改_{timezone.localdate():%Y%m%d}.xlsx",
            request=request,
            what="feedback.rectification",
        )
    return render(
        request,
        "feedback/rectification_list.html",
        {
            "page": Paginator(rows, 25).get_page(request.GET.get("page")),
            "filters": filters,
            "query": _query_without_page(request),
            "states": Rectification.State.choices,
            "departments": selectors.departments_visible_to(request.user),
            "counts": selectors.rectification_counts(user=request.user),
        },
    )


RECTIFICATION_ACTIONS = {
    "callback": (CallbackForm, services.record_callback, "已登记回访。"),
    "rectify": (RectifyForm, services.record_rectification, "已登记整改反馈。"),
    "unrectifiable": (UnrectifiableForm, services.mark_unrectifiable, "已标记为无法整改。"),
    "appeal": (AppealForm, services.appeal, "已提交申诉，等待中心管理员审核。"),
    "decide": (DecisionForm, services.decide_appeal, "已审核申诉。"),
}


@role_required(*permissions.HANDLER_ROLES)
def rectification_detail(request, pk: int):
    rectification = get_object_or_404(selectors.rectifications_visible_to(request.user), pk=pk)
    forms = {name: spec[0](prefix=name) for name, spec in RECTIFICATION_ACTIONS.items()}
    if request.method == "POST":
        action = request.POST.get("action", "")
        if action not in RECTIFICATION_ACTIONS:
            messages.error(request, "未知的操作。")
            return redirect("feedback:rectification_detail", pk=pk)
        form_class, service, done = RECTIFICATION_ACTIONS[action]
        form = forms[action] = form_class(request.POST, prefix=action)
        if form.is_valid():
            try:
                service(actor=request.user, rectification=rectification, **form.cleaned_data)
            except PermissionDeniedError as exc:
                raise PermissionDenied(exc.message) from None
            except DomainError as exc:
                # a wrong state has no field on the form (which may not even be shown)
                if exc.field in form.fields:
                    add_domain_error(form, exc)
                else:
                    form.add_error(None, exc.message)
                    messages.error(request, exc.message)
            else:
                messages.success(request, done)
                return redirect("feedback:rectification_detail", pk=pk)
    evaluation = rectification.evaluation
    return render(
        request,
        "feedback/rectification_detail.html",
        {
            "rect": rectification,
            "evaluation": evaluation,
            "follow_up": evaluation.follow_ups.first(),
            "phone": selectors.citizen_phone(evaluation),
            "events": rectification.events.select_related("actor"),
            "forms": forms,
            "can_handle": permissions.can_handle(request.user, rectification),
            "can_decide": permissions.can_decide_appeal(request.user),
            "today": timezone.localdate(),
        },
        status=400 if any(f.errors for f in forms.values()) else 200,
    )


# 满意率 -----------------------------------------------------------------------------------------

GROUP_LABELS = {"department": "部门", "window": "窗口", "staff": "办理人员", "channel": "评价渠道"}


@role_required(*permissions.FIGURE_ROLES)
def satisfaction(request):
    filters = _filters(request, EvaluationFilter)
    by = request.GET.get("by", "department")
    by = by if by in GROUP_LABELS else "department"
    rows = selectors.satisfaction_by(user=request.user, filters=filters, by=by)
    if request.GET.get("export") == "xlsx":
        content = transfer.export_satisfaction(rows, group_label=GROUP_LABELS[by])
        return xlsx_response(
            content,
            f"满意率_按{GROUP_LABELS[by]}.xlsx",
            request=request,
            what="feedback.satisfaction",
        )
    total = selectors.total_of(rows)
    trend = selectors.monthly_trend(user=request.user, filters=filters)
    chart = {
        "levels": [label for _, label, _ in total.levels],
        "counts": [n for _, _, n in total.levels],
        "months": [f"{month:%Y-%m}" for month, _ in trend],
        "rates": [float(f.rate) if f.rate is not None else None for _, f in trend],
        "bad": [float(f.bad_share) if f.bad_share is not None else None for _, f in trend],
    }
    page = Paginator(rows, 30).get_page(request.GET.get("page"))
    return render(
        request,
        "feedback/satisfaction.html",
        {
            "filters": filters,
            "total": total,
            "page": page,
            "by": by,
            "group_labels": GROUP_LABELS,
            "chart": chart,
            "formula": selectors.SATISFACTION_FORMULA,
            "departments": selectors.departments_visible_to(request.user),
            "centers": Center.objects.all(),
            "channels": Evaluation.Channel.choices,
            "query": _query_without_page(request),
        },
    )


# 抽样调查 ---------------------------------------------------------------------------------------


@role_required(*permissions.SURVEY_ROLES)
def survey_list(request):
    surveys = selectors.surveys_visible_to(request.user)
    page = Paginator(surveys, 20).get_page(request.GET.get("page"))
    reports = [(s, selectors.survey_report(s, compare=False)) for s in page]
    return render(request, "feedback/survey_list.html", {"page": page, "reports": reports})


@role_required(*permissions.SURVEY_ROLES)
def survey_create(request):
    today = timezone.localdate()
    initial = {
        "region": Region.objects.order_by("code").first(),
        "period_start": today.replace(month=1, day=1),
        "period_end": today,
        "name": f"{today.year}年满意度抽样调查",
    }
    form = SurveyForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            survey = services.draw_sample(actor=request.user, **form.cleaned_data)
        except DomainError as exc:
            add_domain_error(form, exc)
        else:
            messages.success(
                request, f"已抽取 {survey.samples.count()} 件样本，随机种子 {survey.seed}。"
            )
            return redirect("feedback:survey_detail", pk=survey.pk)
    return render(request, "feedback/survey_form.html", {"form": form})


@role_required(*permissions.SURVEY_ROLES)
def survey_import(request):
    """导入外部机构的抽样调查: the survey's fields and a file of interviews (core.importing)."""
    today = timezone.localdate()
    initial = {
        "region": Region.objects.order_by("code").first(),
        "period_start": today.replace(month=1, day=1),
        "period_end": today,
        "name": f"{today.year}年省级抽样调查",
    }
    about = SurveyImportForm(request.POST or None, initial=initial)

    def run(*, content: bytes, filename: str):
        if not about.is_valid():
            raise DomainError("请先填写完整的调查信息。")
        importer = SurveyImport(actor=request.user, **_survey_fields(about.cleaned_data))
        return importer.run(content=content, filename=filename)

    return import_page(
        request,
        template="feedback/survey_import.html",
        run=run,
        success=lambda r: f"已导入 {r.created} 条回访结果。",
        success_url=reverse("feedback:survey_list"),
        context={"about": about},
    )


def _survey_fields(data: dict) -> dict:
    return {
        "region": data["region"],
        "name": data["name"],
        "conducted_by": data["conducted_by"],
        "start": data["period_start"],
        "end": data["period_end"],
    }


@role_required(*permissions.SURVEY_ROLES)
def survey_import_template(request):
    return template_response(survey_template(), "抽样调查导入模板.xlsx")


def _survey(request, pk: int):
    return get_object_or_404(selectors.surveys_visible_to(request.user), pk=pk)


SAMPLE_STATUSES = [("", "全部"), ("todo", "待回访"), ("reached", "已接通"), ("unreached", "未接通")]


@role_required(*permissions.SURVEY_ROLES)
def survey_detail(request, pk: int):
    survey = _survey(request, pk)
    status = request.GET.get("status", "")
    status = status if status in dict(SAMPLE_STATUSES) else ""
    samples = selectors.samples_of(survey, status=status)
    if request.GET.get("export") == "xlsx":
        content = transfer.export_samples(samples)
        return xlsx_response(
            content, f"抽样样本_{survey.name}.xlsx", request=request, what="feedback.survey_sample"
        )
    return render(
        request,
        "feedback/survey_detail.html",
        {
            "survey": survey,
            "report": selectors.survey_report(survey, compare=False),
            "page": Paginator(samples, 30).get_page(request.GET.get("page")),
            "status": status,
            "statuses": SAMPLE_STATUSES,
            "query": _query_without_page(request),
        },
    )


@role_required(*permissions.SURVEY_ROLES)
def survey_interview(request, pk: int, sample_id: int):
    survey = _survey(request, pk)
    sample = get_object_or_404(
        survey.samples.select_related("case", "case__matter", "stratum__department"), pk=sample_id
    )
    initial = {}
    if sample.reached is not None:
        initial = {
            "reached": "1" if sample.reached else "0",
            "visits_reported": sample.visits_reported,
            "satisfied": {True: "1", False: "0"}.get(sample.satisfied, ""),
            "note": sample.note,
        }
    form = InterviewForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            services.record_interview(actor=request.user, sample=sample, **form.cleaned_data)
        except DomainError as exc:
            add_domain_error(form, exc)
        else:
            messages.success(request, f"已登记 {sample.case.number} 的回访结果。")
            following = survey.samples.filter(reached__isnull=True).order_by("id").first()
            if following is not None and request.POST.get("next") == "1":
                return redirect("feedback:survey_interview", pk=pk, sample_id=following.pk)
            return redirect("feedback:survey_detail", pk=pk)
    return render(
        request,
        "feedback/survey_interview.html",
        {
            "survey": survey,
            "sample": sample,
            "form": form,
            "phone": sample.case.applicant_phone,
        },
    )


@role_required(*permissions.SURVEY_ROLES)
def survey_report(request, pk: int):
    report = selectors.survey_report(_survey(request, pk))
    return render(
        request,
        "feedback/survey_report.html",
        {"report": report, "formula": selectors.SURVEY_FORMULA},
    )
