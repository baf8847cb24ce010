"""督导 pages. Thin: writes through `services`, reads through `selectors`."""

import datetime as dt
from functools import partial

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.dateparse import parse_datetime

from chuangkou.core import uploads
from chuangkou.core.errors import DomainError, PermissionDeniedError
from chuangkou.core.forms import add_domain_error
from chuangkou.core.params import date_param, page_of, query_without_page, read_filters
from chuangkou.core.permissions import role_required
from chuangkou.core.responses import xlsx_response
from chuangkou.core.xlsx import write_table

from . import checklists, handbook, permissions, selectors, services
from .filters import FindingFilter, ProblemFilter
from .forms import (
    CloseForm,
    ConsultForm,
    CoordinateForm,
    OnSpotForm,
    PlanForm,
    ProblemForm,
    ReopenForm,
    SlotsForm,
)
from .models import Finding, Problem, SittingIn, SittingSlot, VisitPhoto

WINDOW_SLOTS = 3
DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


def _fail(request, exc: DomainError) -> None:
    if isinstance(exc, PermissionDeniedError):
        raise PermissionDenied(exc.message) from None
    messages.error(request, exc.message)


# 暗访 -------------------------------------------------------------------------------------------


@role_required(*permissions.VISIT_ROLES)
def visit_list(request):
    """The admin's plan and every visit; a supervisor's own assignments and reports."""
    assignments = selectors.assignments_visible_to(request.user).order_by("-date", "pk")
    if request.GET.get("export") == "xlsx":
        rows = (
            (
                a.date,
                a.center.name,
                a.supervisor.name,
                "已提交" if hasattr(a, "visit") else "待暗访",
            )
            for a in assignments
        )
        content = write_table("暗访安排", ["日期", "中心", "监督员", "状态"], rows)
        return xlsx_response(
            content, "暗访安排.xlsx", request=request, what="supervision.visitassignment"
        )
    return render(
        request,
        "supervision/visit_list.html",
        {
            "page": page_of(request, assignments),
            "query": query_without_page(request),
            "today": timezone.localdate(),
            "is_admin": permissions.is_admin(request.user),
        },
    )


def _checks(post, used: list[tuple[int, str]]) -> list[services.Check]:
    """The answers of the form: `w<slot>_<item>` per window slot, `lobby_<item>` once."""
    checks = []
    for n, number in used:
        note = post.get(f"w{n}_note", "")
        for item in checklists.items("window"):
            result = post.get(f"w{n}_{item.code}", "unseen")
            checks.append(
                services.Check(item.code, result, number, note if result == "bad" else "")
            )
    lobby_note = post.get("lobby_note", "")
    for item in checklists.items("lobby"):
        result = post.get(f"lobby_{item.code}", "unseen")
        checks.append(services.Check(item.code, result, "", lobby_note if result == "bad" else ""))
    return checks


def _visited_at(value: str) -> dt.datetime:
    moment = parse_datetime(value or "") if len(value or "") <= 40 else None
    if moment is None:
        raise DomainError("请填写暗访时间。", field="visited_at")
    return timezone.make_aware(moment) if timezone.is_naive(moment) else moment


@role_required(*permissions.SUPERVISOR_ROLES)
def visit_file(request, pk: int):
    """The supervisor's phone form for one assignment."""
    assignment = get_object_or_404(selectors.assignments_visible_to(request.user), pk=pk)
    if hasattr(assignment, "visit"):
        messages.info(request, "本次暗访已提交记录。")
        return redirect("supervision:visit_detail", pk=assignment.visit.pk)
    status = 200
    if request.method == "POST":
        numbers = [request.POST.get(f"w{n}", "").strip() for n in range(WINDOW_SLOTS)]
        used = [(n, num) for n, num in enumerate(numbers) if num]
        try:
            visit = services.file_visit(
                actor=request.user,
                assignment=assignment,
                visited_at=_visited_at(request.POST.get("visited_at", "")),
                windows=[num for _, num in used],
                checks=_checks(request.POST, used),
                summary=request.POST.get("summary", ""),
                photos=request.FILES.getlist("photos"),
            )
        except DomainError as exc:
            _fail(request, exc)
            status = 400
        else:
            messages.success(request, "暗访记录已提交，谢谢您的监督。")
            return redirect("supervision:visit_detail", pk=visit.pk)
    return render(
        request,
        "supervision/visit_form.html",
        {
            "assignment": assignment,
            "slots": range(WINDOW_SLOTS),
            "window_groups": checklists.groups("window"),
            "lobby_groups": checklists.groups("lobby"),
            "results": [("ok", "符合"), ("bad", "不符合"), ("unseen", "未观察")],
            "now": timezone.localtime().strftime("%Y-%m-%dT%H:%M"),
            "post": request.POST,
        },
        status=status,
    )


@role_required(*permissions.VISIT_ROLES)
def visit_detail(request, pk: int):
    visit = get_object_or_404(selectors.visits_visible_to(request.user), pk=pk)
    return render(
        request,
        "supervision/visit_detail.html",
        {
            "visit": visit,
            "windows": visit.windows.select_related("window", "staff"),
            "bad": visit.observations.filter(result="bad").select_related("window"),
            "photos": visit.photos.all(),
        },
    )


@role_required(*permissions.VISIT_ROLES)
def visit_photo(request, pk: int):
    """A visit photo: only to the admin and the supervisor who took it."""
    photo = get_object_or_404(VisitPhoto, pk=pk)
    if not selectors.visits_visible_to(request.user).filter(pk=photo.visit_id).exists():
        raise Http404
    return uploads.serve_upload(photo.file.name, content_type=photo.content_type)


# 问题确认 ---------------------------------------------------------------------------------------


@role_required(*permissions.FINDING_ROLES)
def finding_list(request):
    filters = read_filters(request, FindingFilter)
    rows = filters.filter(selectors.findings_visible_to(request.user)).order_by(
        "-visit__visited_at", "-pk"
    )
    if request.GET.get("export") == "xlsx":
        content = write_table(
            "暗访问题",
            ["暗访时间", "中心", "窗口", "当事人", "部门", "检查项", "说明", "状态", "确认期限"],
            (
                (
                    f.visit.visited_at,
                    f.visit.center.name,
                    f.window.number if f.window else "大堂",
                    f.staff.name if f.staff else "",
                    f.department.name if f.department else "",
                    f.item_label,
                    f.note,
                    f.get_state_display(),
                    f.confirm_due,
                )
                for f in rows
            ),
        )
        return xlsx_response(content, "暗访问题.xlsx", request=request, what="supervision.finding")
    return render(
        request,
        "supervision/finding_list.html",
        {
            "page": page_of(request, rows),
            "query": query_without_page(request),
            "filters": filters,
            "states": Finding.State.choices,
            "by_item": selectors.findings_by_item(rows)
            if permissions.is_admin(request.user)
            else [],
        },
    )


@role_required(*permissions.FINDING_ROLES)
def finding_detail(request, pk: int):
    finding = get_object_or_404(selectors.findings_visible_to(request.user), pk=pk)
    if request.method == "POST":
        action = request.POST.get("action", "")
        try:
            if action == "confirm":
                services.confirm_finding(actor=request.user, finding=finding)
            elif action == "dispute":
                services.dispute_finding(
                    actor=request.user,
                    finding=finding,
                    reason=request.POST.get("reason", ""),
                    evidence=request.FILES.get("evidence"),
                )
            elif action in ("uphold", "reject"):
                services.decide_dispute(
                    actor=request.user,
                    finding=finding,
                    upheld=action == "uphold",
                    note=request.POST.get("note", ""),
                )
            else:
                raise DomainError("未知的操作。")
        except DomainError as exc:
            _fail(request, exc)
        else:
            messages.success(request, "已保存。")
        return redirect("supervision:finding_detail", pk=pk)
    return render(
        request,
        "supervision/finding_detail.html",
        {
            "finding": finding,
            "can_answer": permissions.can_answer_finding(request.user, finding)
            and finding.state == Finding.State.PENDING,
            "can_decide": permissions.is_admin(request.user)
            and finding.state == Finding.State.DISPUTED,
            "today": timezone.localdate(),
        },
    )


@role_required(*permissions.FINDING_ROLES)
def finding_evidence(request, pk: int):
    finding = get_object_or_404(selectors.findings_visible_to(request.user), pk=pk)
    if not finding.evidence:
        raise Http404
    return uploads.serve_upload(finding.evidence.name, content_type=finding.evidence_type)


# 坐班体验 ---------------------------------------------------------------------------------------


@role_required(*permissions.SITTING_ROLES)
def sitting_calendar(request):
    """Open slots of the coming weeks (book one), my sitting-ins; for the admin who sat in."""
    start = date_param(request.GET, "start") or timezone.localdate()
    end = start + dt.timedelta(days=13)
    if request.method == "POST":
        slot = get_object_or_404(SittingSlot, pk=_int(request.POST.get("slot")))
        try:
            services.book_sitting(actor=request.user, slot=slot)
        except DomainError as exc:
            _fail(request, exc)
        else:
            messages.success(request, f"已预约 {slot}。")
        return redirect("supervision:sitting_calendar")
    year_start = timezone.localdate().replace(month=1, day=1)
    return render(
        request,
        "supervision/sitting_calendar.html",
        {
            "slots": selectors.open_slots(start, end),
            "start": start,
            "mine": selectors.sittings_visible_to(request.user).filter(head=request.user)[:20],
            "coverage": selectors.sitting_coverage(year_start, timezone.localdate())
            if permissions.is_admin(request.user)
            else None,
            "is_admin": permissions.is_admin(request.user),
        },
    )


def _int(value) -> int:
    from chuangkou.core.params import parse_id

    return parse_id(value or "") or 0


@role_required(*permissions.SITTING_ROLES)
def sitting_record(request, pk: int):
    sitting = get_object_or_404(
        selectors.sittings_visible_to(request.user).filter(head=request.user), pk=pk
    )
    questionnaire = services.current_questionnaire() if _has_questionnaire() else None
    status = 200
    if request.method == "POST" and questionnaire is not None:
        answers = {
            q.number: request.POST.get(f"q{q.number}", "") for q in questionnaire.questions.all()
        }
        problems = [
            {
                "title": request.POST.get(f"p{n}_title", ""),
                "kind": request.POST.get(f"p{n}_kind", ""),
                "on_spot": request.POST.get(f"p{n}_on_spot") == "1",
                "resolution": request.POST.get(f"p{n}_resolution", ""),
            }
            for n in range(3)
        ]
        try:
            services.record_sitting(
                actor=request.user,
                sitting=sitting,
                answers=answers,
                summary=request.POST.get("summary", ""),
                problems=problems,
            )
        except DomainError as exc:
            _fail(request, exc)
            status = 400
        else:
            messages.success(request, "坐班记录已保存。")
            return redirect("supervision:sitting_calendar")
    return render(
        request,
        "supervision/sitting_record.html",
        {
            "sitting": sitting,
            "questionnaire": questionnaire,
            "questions": questionnaire.questions.all() if questionnaire else [],
            "kinds": Problem.Kind.choices,
            "problem_slots": range(3),
            "post": request.POST,
        },
        status=status,
    )


def _has_questionnaire() -> bool:
    from .models import Questionnaire

    return Questionnaire.objects.filter(is_current=True).exists()


def _docx(content: bytes, filename: str) -> HttpResponse:
    from urllib.parse import quote

    response = HttpResponse(content, content_type=DOCX)
    response["Content-Disposition"] = f"attachment; filename*=UTF-8''{quote(filename)}"
    return response


@role_required(*permissions.SITTING_ROLES)
def handbook_docx(request):
    if not _has_questionnaire():
        raise Http404
    return _docx(handbook.handbook(services.current_questionnaire()), "领导坐班办事体验手册.docx")


@role_required(*permissions.SITTING_ROLES)
def record_form_docx(request):
    if not _has_questionnaire():
        raise Http404
    return _docx(handbook.record_form(services.current_questionnaire()), "坐班体验活动记录表.docx")


# 问题清单 ---------------------------------------------------------------------------------------


@role_required(*permissions.PROBLEM_ROLES)
def problem_board(request):
    filters = read_filters(request, ProblemFilter)
    rows = filters.filter(selectors.problems_visible_to(request.user))
    if request.GET.get("export") == "xlsx":
        content = write_table(
            "痛点堵点难点",
            ["发现日期", "问题", "类型", "来源", "责任部门", "状态", "期限", "超期上报"],
            (
                (
                    p.found_on,
                    p.title,
                    p.get_kind_display(),
                    p.get_source_display(),
                    p.owner.name,
                    p.get_state_display(),
                    p.deadline,
                    "是" if p.escalated_at else "",
                )
                for p in rows
            ),
        )
        return xlsx_response(
            content, "痛点堵点难点.xlsx", request=request, what="supervision.problem"
        )
    as_of = date_param(request.GET, "as_of") or timezone.localdate()
    return render(
        request,
        "supervision/problem_board.html",
        {
            "page": page_of(request, rows),
            "query": query_without_page(request),
            "filters": filters,
            "states": Problem.State.choices,
            "kinds": Problem.Kind.choices,
            "figures": selectors.figures(
                as_of, problems=selectors.problems_visible_to(request.user)
            ),
            "as_of": as_of,
        },
    )


@role_required(*permissions.SITTING_ROLES)
def sitting_detail(request, pk: int):
    sitting = get_object_or_404(selectors.sittings_visible_to(request.user), pk=pk)
    return render(
        request,
        "supervision/sitting_detail.html",
        {
            "sitting": sitting,
            "answers": sitting.answers.select_related("question"),
            "problems": sitting.problems.all(),
            "can_record": sitting.head_id == request.user.pk
            and sitting.status == SittingIn.Status.BOOKED,
        },
    )


# 中心管理员的表单 --------------------------------------------------------------------------------


def _submitted(request, form, service):
    """`service(actor, **cleaned_data)` for a valid POSTed form: its result, or None with the
    errors on the form."""
    if request.method != "POST" or not form.is_valid():
        return None
    try:
        return service(actor=request.user, **form.cleaned_data)
    except PermissionDeniedError as exc:
        raise PermissionDenied(exc.message) from None
    except DomainError as exc:
        add_domain_error(form, exc)
        return None


FORM_PAGES = {
    "plan": {
        "title": "制定暗访计划",
        "pretitle": "督导 · 暗访",
        "submit": "抽签生成计划",
        "cancel": "supervision:visit_list",
        "intro": "系统在约束内随机抽取监督员、中心和日期：每中心每月不少于规定次数、监督员只去"
        "负责的中心且回避原工作部门进驻的中心、同一中心不固定星期几。计划只有中心管理员可见，"
        "监督员只看到自己的安排。",
    },
    "slot": {
        "title": "开放坐班时段",
        "pretitle": "督导 · 坐班体验",
        "submit": "开放时段",
        "cancel": "supervision:sitting_calendar",
        "intro": "按所选窗口、日期范围内的每个工作日、上午/下午生成半天时段；已开放的时段保持"
        "不变。部门负责人在“坐班体验”页预约。",
    },
    "problem": {
        "title": "登记问题",
        "pretitle": "督导 · 痛点堵点难点",
        "submit": "登记",
        "cancel": "supervision:problem_board",
        "intro": "",
    },
}


def _form(request, name: str, form):
    """One of the admin's form pages (FORM_PAGES), 400 when it has errors."""
    page = FORM_PAGES[name]
    context = {**page, "form": form, "testid": f"{name}-form", "cancel": reverse(page["cancel"])}
    return render(
        request, "supervision/form_page.html", context, status=400 if form.errors else 200
    )


@role_required(*permissions.ADMIN_ROLES)
def plan_create(request):
    """制定暗访计划: the period, N visits per center a month, an optional seed; then the draw."""
    form = PlanForm(request.POST or None)
    plan = _submitted(request, form, services.draw_plan)
    if plan is None:
        return _form(request, "plan", form)
    messages.success(
        request, f"已抽签生成暗访计划「{plan.name}」，共 {plan.assignments.count()} 次暗访。"
    )
    return redirect("supervision:visit_list")


@role_required(*permissions.ADMIN_ROLES)
def slot_open(request):
    """开放坐班时段 at windows on the working days of a period."""
    form = SlotsForm(request.POST or None)
    added = _submitted(request, form, services.open_slots)
    if added is None:
        return _form(request, "slot", form)
    messages.success(request, f"已开放 {added} 个坐班时段。")
    return redirect("supervision:sitting_calendar")


@role_required(*permissions.PROBLEM_ROLES)
def problem_create(request):
    """登记问题 by hand; the problem's page follows."""
    form = ProblemForm(request.POST or None)
    problem = _submitted(request, form, services.report_problem)
    if problem is None:
        return _form(request, "problem", form)
    messages.success(request, "问题已登记。")
    return redirect("supervision:problem_detail", pk=problem.pk)


PROBLEM_ACTIONS = {
    "on_spot": (OnSpotForm, services.solve_on_spot, "当场解决", ("found",)),
    "consult": (ConsultForm, services.solve_by_consultation, "会商解决", ("found",)),
    "coordinate": (CoordinateForm, services.start_coordinating, "转入协调", ("found",)),
    "resolve": (OnSpotForm, services.mark_resolved, "协调解决", ("coordinating",)),
    "close": (CloseForm, services.close_problem, "关闭", ("on_spot", "consulted", "resolved")),
    "reopen": (
        ReopenForm,
        services.reopen_problem,
        "重新打开",
        ("on_spot", "consulted", "resolved", "closed"),
    ),
}
ADMIN_ONLY_ACTIONS = ("close", "reopen")


def _problem_actions(user, problem: Problem) -> list[str]:
    """The moves this user may make on the problem in its current state."""
    if not permissions.can_handle_problem(user, problem):
        return []
    admin = permissions.is_admin(user)
    return [
        name
        for name, (*_, states) in PROBLEM_ACTIONS.items()
        if problem.state in states and (admin or name not in ADMIN_ONLY_ACTIONS)
    ]


@role_required(*permissions.PROBLEM_ROLES)
def problem_detail(request, pk: int):
    """A problem, its history and the forms of the moves allowed now."""
    problem = get_object_or_404(selectors.problems_visible_to(request.user), pk=pk)
    allowed = _problem_actions(request.user, problem)
    forms = {name: PROBLEM_ACTIONS[name][0](prefix=name) for name in allowed}
    if request.method == "POST":
        action = request.POST.get("action", "")
        if action not in PROBLEM_ACTIONS:
            messages.error(request, "未知的操作。")
            return redirect("supervision:problem_detail", pk=pk)
        form_class, service, label, _ = PROBLEM_ACTIONS[action]
        form = forms[action] = form_class(request.POST, prefix=action)
        if _submitted(request, form, partial(service, problem=problem)) is not None:
            messages.success(request, f"已{label}。")
            return redirect("supervision:problem_detail", pk=pk)
    return render(
        request,
        "supervision/problem_detail.html",
        {
            "problem": problem,
            "events": problem.events.select_related("actor").order_by("on", "at", "pk"),
            "coordinating": problem.coordinating.order_by("pk"),
            "forms": [(name, PROBLEM_ACTIONS[name][2], forms[name]) for name in forms],
        },
        status=400 if any(f.errors for f in forms.values()) else 200,
    )
