"""能力提升 pages. Thin: every write goes through `services`, every read through `selectors`."""

from urllib.parse import quote

from django.contrib import messages
from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied
from django.db.models import Q
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_GET, require_POST

from chuangkou.core import uploads
from chuangkou.core.errors import DomainError, PermissionDeniedError
from chuangkou.core.forms import add_domain_error
from chuangkou.core.params import id_list, id_param, page_of, query_without_page, read_filters
from chuangkou.core.permissions import role_required
from chuangkou.core.responses import xlsx_response
from chuangkou.core.roles import Role
from chuangkou.hall.qr import qr_svg
from chuangkou.org.models import Department, Staff

from . import checkin as codes
from . import permissions, selectors, services, transfer
from .filters import CoursewareFilter, EventFilter, HoursFilter, SuggestionFilter
from .forms import (
    AnswerForm,
    AssignForm,
    CorrectionForm,
    CoursewareForm,
    DecisionForm,
    EventForm,
    FeedbackForm,
    ProblemForm,
    SuggestionForm,
)
from .models import Courseware, Kind, PkContest, Suggestion, TrainingEvent

QR_REFRESH_SECONDS = 5


def _run(request, call, done: str) -> bool:
    """Call a service; a refusal becomes a message (403 for a permission). True when done."""
    try:
        call()
    except PermissionDeniedError as exc:
        raise PermissionDenied(exc.message) from None
    except DomainError as exc:
        messages.error(request, exc.message)
        return False
    messages.success(request, done)
    return True


def _submitted(request, form, call, done: str):
    """The object a valid posted form's service call made, or None (form errors, a refusal
    shown on the form; a permission refusal is a 403)."""
    if request.method != "POST" or not form.is_valid():
        return None
    try:
        made = call(form.cleaned_data)
    except PermissionDeniedError as exc:
        raise PermissionDenied(exc.message) from None
    except DomainError as exc:
        add_domain_error(form, exc)
        return None
    messages.success(request, done)
    return made


# Events ------------------------------------------------------------------------------------------


@role_required(*permissions.READER_ROLES)
def event_list(request):
    filters = read_filters(request, EventFilter)
    rows = selectors.event_list(user=request.user, filters=filters)
    if request.GET.get("export") == "xlsx":
        return xlsx_response(
            transfer.export_events(rows), "培训活动.xlsx", request=request, what="training.event"
        )
    return render(
        request,
        "training/event_list.html",
        {
            "page": page_of(request, rows),
            "filters": filters,
            "query": query_without_page(request),
            "kinds": Kind.choices,
            "can_create": permissions.has_role(request.user, *permissions.ORGANISER_ROLES),
        },
    )


def _planned_from_need(request) -> dict:
    """A new event's initial values from a training need (?department=&point=)."""
    initial = {"kind": Kind.MONTHLY, "hours": 2, "capacity": 0}
    department = Department.objects.filter(pk=id_param(request.GET, "department")).first()
    point = None
    if point_id := id_param(request.GET, "point"):
        from chuangkou.exams.models import KnowledgePoint

        point = KnowledgePoint.objects.filter(pk=point_id).first()
    if department:
        initial["departments"] = [department]
    if point:
        initial["title"] = f"月度大讲堂：{point.name}"[:100]
        initial["description"] = f"根据考试知识点掌握度分析安排（{point.name}）。"
    return initial


@role_required(*permissions.ORGANISER_ROLES)
def event_create(request):
    form = EventForm(request.POST or None, initial=_planned_from_need(request))
    call = lambda data: services.create_event(actor=request.user, **data)  # noqa: E731
    if event := _submitted(request, form, call, "已安排培训。"):
        return redirect("training:event_detail", pk=event.pk)
    return render(request, "training/event_form.html", {"form": form})


def _my_staff(user) -> Staff | None:
    return Staff.objects.filter(user=user).first()


@role_required(*permissions.READER_ROLES)
def event_detail(request, pk: int):
    event = get_object_or_404(selectors.events_visible_to(request.user), pk=pk)
    staff = _my_staff(request.user)
    mine = event.attendances.filter(staff=staff).first() if staff else None
    manage = permissions.can_manage(request.user, event)
    context = {
        "event": event,
        "audience": selectors.audience_label(event),
        "mine": mine,
        "has_staff": staff is not None,
        "invited": bool(staff and selectors.is_invited(event, staff)),
        "has_feedback": bool(staff and event.feedbacks.filter(staff=staff).exists()),
        "average": selectors.feedback_average(event),
        "manage": manage,
        "ended": event.ends_at <= timezone.now(),
    }
    if manage:
        context["attendances"] = selectors.attendance_of(event)
        context["correction"] = CorrectionForm(staff=selectors.invited_staff(event))
    if mine and mine.attended:
        context["feedback_form"] = FeedbackForm()
    return render(request, "training/event_detail.html", context)


@require_POST
@role_required(*permissions.STAFF_ROLES)
def event_signup(request, pk: int):
    event = get_object_or_404(TrainingEvent, pk=pk)
    _run(request, lambda: services.sign_up(actor=request.user, event=event), "报名成功。")
    return redirect("training:event_detail", pk=pk)


def _managed(request, pk: int) -> TrainingEvent:
    event = get_object_or_404(TrainingEvent, pk=pk)
    if not permissions.can_manage(request.user, event):
        raise PermissionDenied
    return event


def _qr_context(request, event: TrainingEvent) -> dict:
    url = request.build_absolute_uri(
        reverse("training:checkin", kwargs={"token": codes.checkin_token(event.pk)})
    )
    return {
        "event": event,
        "url": url,
        "qr": qr_svg(url, scale=8),
        "refresh": QR_REFRESH_SECONDS,
        "attended": event.attendances.filter(status__in=selectors.ATTENDED).count(),
    }


@require_GET
@role_required(*permissions.ORGANISER_ROLES)
def event_screen(request, pk: int):
    """签到大屏: the rotating code, refreshed by htmx polling."""
    event = _managed(request, pk)
    return render(request, "training/event_screen.html", _qr_context(request, event))


@require_GET
@role_required(*permissions.ORGANISER_ROLES)
def event_qr(request, pk: int):
    event = _managed(request, pk)
    return render(request, "training/_qr.html", _qr_context(request, event))


@require_GET
@role_required()
def checkin(request, token: str):
    """扫码签到: opening the screen's link while signed in checks the person in."""
    try:
        attendance, new = services.check_in(actor=request.user, token=token)
    except DomainError as exc:
        context = {"message": exc.message}
        return render(request, "training/checkin.html", context, status=exc.status)
    return render(request, "training/checkin.html", {"attendance": attendance, "new": new})


@require_POST
@role_required(*permissions.ORGANISER_ROLES)
def event_absences(request, pk: int):
    event = _managed(request, pk)

    def record():
        count = services.record_absences(actor=request.user, event=event)
        messages.info(request, f"已登记缺勤 {count} 人。")

    _run(request, record, "缺勤登记完成。")
    return redirect("training:event_detail", pk=pk)


@require_POST
@role_required(*permissions.ORGANISER_ROLES)
def event_correct(request, pk: int):
    event = _managed(request, pk)
    form = CorrectionForm(request.POST, staff=selectors.invited_staff(event))
    if not form.is_valid():
        messages.error(request, "请选择人员和更正结果，并填写更正原因。")
    else:
        _run(
            request,
            lambda: services.correct_attendance(
                actor=request.user, event=event, **form.cleaned_data
            ),
            "已更正出勤。",
        )
    return redirect("training:event_detail", pk=pk)


@require_POST
@role_required(*permissions.STAFF_ROLES)
def event_feedback(request, pk: int):
    event = get_object_or_404(TrainingEvent, pk=pk)
    form = FeedbackForm(request.POST)
    if not form.is_valid():
        messages.error(request, "请为每一项选择 1 至 5 分。")
    else:
        _run(
            request,
            lambda: services.submit_feedback(actor=request.user, event=event, **form.cleaned_data),
            "感谢您的评价！",
        )
    return redirect("training:event_detail", pk=pk)


@role_required(*permissions.STAFF_ROLES)
def my_trainings(request):
    """我的培训 (phone first): upcoming and past events, my status and my hours this year."""
    staff = _my_staff(request.user)
    if staff is None:
        return render(request, "training/my_trainings.html", {"staff": None})
    events = list(selectors.my_events(staff).order_by("-starts_at")[:50])
    status = {a.event_id: a for a in staff.trainings.filter(event__in=events)}
    for e in events:
        e.mine = status.get(e.pk)
    year = timezone.localdate().year
    mine = [
        r
        for r in selectors.hours_by_person(
            user=request.user, start=timezone.localdate().replace(month=1, day=1)
        )
        if r.staff_no == staff.staff_no
    ]
    return render(
        request,
        "training/my_trainings.html",
        {
            "staff": staff,
            "events": events,
            "now": timezone.now(),
            "year": year,
            "hours": mine[0].hours if mine else 0,
        },
    )


# Hours and needs ---------------------------------------------------------------------------------


@role_required(*permissions.HOURS_ROLES)
def hours(request):
    filters = read_filters(request, HoursFilter)
    period = {"start": filters.start, "end": filters.end}
    people = selectors.hours_by_person(user=request.user, department=filters.department, **period)
    departments = selectors.hours_by_department(user=request.user, **period)
    if request.GET.get("export") == "xlsx":
        return xlsx_response(
            transfer.export_hours(people, departments),
            "培训学时.xlsx",
            request=request,
            what="training.hours",
        )
    return render(
        request,
        "training/hours.html",
        {
            "page": page_of(request, people, per_page=50),
            "departments": departments,
            "filters": filters,
            "query": query_without_page(request),
            "department_choices": Department.objects.order_by("code"),
        },
    )


@role_required(*permissions.NEEDS_ROLES)
def needs(request):
    """培训需求: low-mastery knowledge points per department, each with a 安排培训 link."""
    rows = selectors.training_needs(user=request.user)
    return render(
        request,
        "training/needs.html",
        {"page": page_of(request, rows, per_page=50), "threshold": selectors.LOW_MASTERY},
    )


# Suggestions -------------------------------------------------------------------------------------


@role_required(*permissions.SUGGESTION_READER_ROLES)
def suggestion_list(request):
    filters = read_filters(request, SuggestionFilter)
    rows = selectors.suggestion_list(user=request.user, filters=filters)
    if request.GET.get("export") == "xlsx":
        return xlsx_response(
            transfer.export_suggestions(rows),
            "员工建议.xlsx",
            request=request,
            what="training.suggestion",
        )
    return render(
        request,
        "training/suggestion_list.html",
        {
            "page": page_of(request, rows),
            "filters": filters,
            "query": query_without_page(request),
            "counts": selectors.suggestion_counts(rows),
            "aspects": Suggestion.Aspect.choices,
            "statuses": Suggestion.Status.choices,
            "can_file": permissions.has_role(request.user, *permissions.STAFF_ROLES),
        },
    )


@role_required(*permissions.STAFF_ROLES)
def suggestion_create(request):
    form = SuggestionForm(request.POST or None)
    call = lambda data: services.file_suggestion(actor=request.user, **data)  # noqa: E731
    if suggestion := _submitted(request, form, call, "建议已提交，感谢您的参与！"):
        return redirect("training:suggestion_detail", pk=suggestion.pk)
    return render(request, "training/suggestion_form.html", {"form": form})


def _handlers():
    return (
        get_user_model()
        .objects.filter(
            Q(groups__name=Role.CENTER_ADMIN.value) | Q(groups__name=Role.DEPT_HEAD.value),
            is_active=True,
        )
        .distinct()
    )


@role_required(*permissions.SUGGESTION_READER_ROLES)
def suggestion_detail(request, pk: int):
    suggestion = get_object_or_404(selectors.suggestions_visible_to(request.user), pk=pk)
    admin = permissions.can_handle_suggestions(request.user)
    return render(
        request,
        "training/suggestion_detail.html",
        {
            "s": suggestion,
            "admin": admin,
            "may_answer": admin or suggestion.assignee_id == request.user.pk,
            "assign_form": AssignForm(users=_handlers()),
            "answer_form": AnswerForm(),
            "decision_form": DecisionForm(),
            "problem_form": ProblemForm(initial={"owner": suggestion.author.department_id}),
        },
    )


def _step(request, suggestion: Suggestion, step: str):
    """The form and the service call of one handling step."""
    if step == "assign":
        form = AssignForm(request.POST, users=_handlers())
        return (
            form,
            lambda d: services.assign_suggestion(actor=request.user, suggestion=suggestion, **d),
            "已交办。",
        )
    if step == "answer":
        return (
            AnswerForm(request.POST),
            lambda d: services.answer_suggestion(actor=request.user, suggestion=suggestion, **d),
            "已答复。",
        )
    if step == "decide":
        return (
            DecisionForm(request.POST),
            lambda d: services.decide_suggestion(actor=request.user, suggestion=suggestion, **d),
            "已办结。",
        )
    if step == "problem":
        return (
            ProblemForm(request.POST),
            lambda d: services.suggestion_to_problem(
                actor=request.user, suggestion=suggestion, **d
            ),
            "已转为问题，进入问题跟踪。",
        )
    raise Http404("未知的操作。")


@require_POST
@role_required(*permissions.SUGGESTION_READER_ROLES)
def suggestion_step(request, pk: int, step: str):
    suggestion = get_object_or_404(selectors.suggestions_visible_to(request.user), pk=pk)
    form, call, done = _step(request, suggestion, step)
    if not form.is_valid():
        messages.error(request, "；".join(e for errors in form.errors.values() for e in errors))
    else:
        _run(request, lambda: call(form.cleaned_data), done)
    return redirect("training:suggestion_detail", pk=pk)


# Courseware, the 大 PK and the handbook ---------------------------------------------------------


@role_required(*permissions.READER_ROLES)
def courseware_list(request):
    filters = read_filters(request, CoursewareFilter)
    rows = filters.filter(Courseware.objects.select_related("event"))
    return render(
        request,
        "training/courseware_list.html",
        {
            "page": page_of(request, rows),
            "filters": filters,
            "query": query_without_page(request),
            "admin": permissions.can_handle_suggestions(request.user),
            "contests": PkContest.objects.all()[:5],
            "year": filters.year or timezone.localdate().year,
        },
    )


@role_required(*permissions.STAFF_ROLES)
def courseware_create(request):
    form = CoursewareForm(request.POST or None, request.FILES or None)
    call = lambda data: services.upload_courseware(actor=request.user, **data)  # noqa: E731
    if _submitted(request, form, call, "课件已上传。"):
        return redirect("training:courseware_list")
    return render(request, "training/courseware_form.html", {"form": form})


@require_GET
@role_required(*permissions.READER_ROLES)
def courseware_file(request, pk: int):
    courseware = get_object_or_404(Courseware, pk=pk)
    return uploads.serve_upload(
        courseware.file.name,
        content_type=courseware.content_type,
        download_name=courseware.original_name,
    )


@require_POST
@role_required(*permissions.SUGGESTION_ADMIN_ROLES)
def courseware_select(request, pk: int):
    courseware = get_object_or_404(Courseware, pk=pk)
    selected = request.POST.get("selected") == "1"
    _run(
        request,
        lambda: services.select_for_handbook(
            actor=request.user, courseware=courseware, selected=selected
        ),
        "已入选汇编。" if selected else "已取消入选。",
    )
    return redirect("training:courseware_list")


@require_GET
@role_required(*permissions.SUGGESTION_ADMIN_ROLES)
def handbook(request):
    """课件汇编 (docx) of a year's selected courseware; the download is audited."""
    year = id_param(request.GET, "year") or timezone.localdate().year
    year = year if 2000 <= year <= 2100 else timezone.localdate().year
    try:
        data = services.compile_handbook(actor=request.user, year=year)
    except DomainError as exc:
        messages.warning(request, exc.message)
        return redirect("training:courseware_list")
    response = HttpResponse(data, content_type=uploads.DOCX)
    response["Content-Disposition"] = (
        f"attachment; filename*=UTF-8''{quote(f'{year}年业务讲堂课件汇编.docx')}"
    )
    return response


def _pk_post(request, contest: PkContest) -> None:
    courseware = get_object_or_404(contest.entries, pk=id_param(request.POST, "courseware") or 0)
    if request.POST.get("action") == "vote":
        call = lambda: services.vote_entry(  # noqa: E731
            actor=request.user, contest=contest, courseware=courseware
        )
        _run(request, call, "投票成功。")
        return
    points = {name: request.POST.get(f"c{i}", "") for i, (name, _m) in enumerate(contest.criteria)}
    call = lambda: services.score_entry(  # noqa: E731
        actor=request.user, contest=contest, courseware=courseware, points=points
    )
    _run(request, call, f"已为《{courseware.title}》打分。")


@role_required(*permissions.PK_ROLES)
def pk_detail(request, pk: int):
    """业务讲堂大 PK: state, standings, the panel's score forms, the staff vote; the center
    admin opens and closes it here."""
    contest = get_object_or_404(PkContest, pk=pk)
    if request.method == "POST":
        _pk_post(request, contest)
        return redirect("training:pk_detail", pk=pk)
    staff = _my_staff(request.user)
    is_open = contest.status == PkContest.Status.OPEN
    visible = selectors.pk_results_visible(request.user, contest)
    return render(
        request,
        "training/pk_detail.html",
        {
            "contest": contest,
            "is_open": is_open,
            "admin": permissions.can_handle_suggestions(request.user),
            "review_weight": 100 - contest.vote_weight,
            "standings": selectors.pk_standings(contest) if visible else [],
            "entries": contest.entries.all(),
            "results_visible": visible,
            "judge": is_open and contest.panel.filter(pk=request.user.pk).exists(),
            "criteria": list(enumerate(contest.criteria)),
            "voted": bool(staff and contest.votes.filter(voter=staff).exists()),
            "may_vote": is_open
            and bool(staff)
            and permissions.has_role(request.user, *permissions.STAFF_ROLES),
        },
    )


@require_POST
@role_required(*permissions.SUGGESTION_ADMIN_ROLES)
def pk_transition(request, pk: int, to: str):
    """开始 / 结束评分投票 (the buttons ask for confirmation first)."""
    contest = get_object_or_404(PkContest, pk=pk)
    if to == "open":
        call = lambda: services.open_pk(actor=request.user, contest=contest)  # noqa: E731
        done = "大 PK 已开始，评委可以打分，员工可以投票。"
    else:
        call = lambda: services.close_pk(actor=request.user, contest=contest)  # noqa: E731
        done = "大 PK 已结束，结果已公布。"
    _run(request, call, done)
    return redirect("training:pk_detail", pk=pk)


@require_GET
@role_required(*permissions.PK_ROLES)
def pk_results(request, pk: int):
    """大 PK 结果: the panel's average by criterion, votes, rank; Excel export."""
    contest = get_object_or_404(PkContest, pk=pk)
    visible = selectors.pk_results_visible(request.user, contest)
    standings = selectors.pk_standings(contest) if visible else []
    if request.GET.get("export") == "xlsx":
        if not permissions.has_role(request.user, *permissions.PK_EXPORT_ROLES):
            raise PermissionDenied
        return xlsx_response(
            transfer.export_pk_results(contest, standings),
            f"{contest.year}年大PK结果.xlsx",
            request=request,
            what="training.pk",
        )
    return render(
        request,
        "training/pk_results.html",
        {
            "contest": contest,
            "standings": standings,
            "visible": visible,
            "admin": permissions.can_handle_suggestions(request.user),
            "may_export": permissions.has_role(request.user, *permissions.PK_EXPORT_ROLES),
            "closed": contest.status == PkContest.Status.CLOSED,
            "may_select": permissions.can_handle_suggestions(request.user)
            and contest.status == PkContest.Status.CLOSED,
        },
    )


@require_POST
@role_required(*permissions.SUGGESTION_ADMIN_ROLES)
def pk_select(request, pk: int):
    """确定汇编课件 from the closed contest's entries."""
    contest = get_object_or_404(PkContest, pk=pk)
    entries = list(contest.entries.filter(pk__in=id_list(request.POST.getlist("entries"))))
    call = lambda: services.select_pk_entries(  # noqa: E731
        actor=request.user, contest=contest, entries=entries
    )
    _run(request, call, f"已确定 {len(entries)} 个课件编入汇编。")
    return redirect("training:pk_results", pk=pk)
