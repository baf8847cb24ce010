"""受理办件 pages: list and export, detail with actions, acceptance, figures, import."""

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass

from django.contrib import messages
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.views.decorators.http import require_GET, require_POST

from chuangkou.core import calendar, xlsx
from chuangkou.core.errors import DomainError
from chuangkou.core.forms import add_domain_error
from chuangkou.core.params import id_param, page_of, read_filters
from chuangkou.core.permissions import role_required
from chuangkou.core.responses import table_response, template_response, xlsx_response
from chuangkou.core.roles import Role
from chuangkou.hall.models import Ticket

from . import imports, permissions, selectors, services, transfer
from .filters import CaseFilter
from .forms import (
    DirectAcceptForm,
    FiguresForm,
    ImportForm,
    NoteForm,
    ReasonForm,
    TicketAcceptForm,
)
from .models import Case


@dataclass(frozen=True)
class Action:
    """A button of the detail page: the service it calls, its form, label and field hint."""

    service: Callable
    form: type
    label: str
    hint: str

    def make_form(self, name: str, data=None):
        form = self.form(data, prefix=name)
        field = next(iter(form.fields.values()))
        field.widget.attrs.update(placeholder=self.hint, **{"aria-label": self.hint})
        return form


ACTIONS = {
    "supplement": Action(services.request_supplement, NoteForm, "通知补正", "需补正的材料（必填）"),
    "resume": Action(services.resume_case, NoteForm, "补正材料齐全", "说明（可不填）"),
    "complete": Action(services.complete_case, NoteForm, "办结", "办结说明（可不填）"),
    "reject": Action(services.reject_case, ReasonForm, "不予受理", "不予受理的理由（必填）"),
    "return": Action(services.return_case, ReasonForm, "退件", "退件原因（必填）"),
    "visit": Action(services.record_visit, NoteForm, "登记到访", "到访事由，如：补交材料"),
}


def _case_filters(request) -> CaseFilter:
    return read_filters(request, CaseFilter, note="筛选条件无效，已显示全部受理件。")


@require_GET
@role_required(*permissions.CASE_READERS)
def case_list(request):
    filters = _case_filters(request)
    cases = selectors.case_list(user=request.user, filters=filters)
    if request.GET.get("export") == "xlsx":
        return table_response(request, "cases.case")
    page = page_of(request, cases, 25)
    query = request.GET.copy()
    query.pop("page", None)
    context = {
        "page": page,
        "filters": filters,
        "query": query.urlencode(),
        "statuses": Case.Status.choices,
        "departments": selectors.departments_visible_to(request.user),
        "windows": selectors.windows_for_filter(request.user),
        "today": timezone.localdate(),
        "can_accept": permissions.can_accept_online(request.user),
    }
    if request.headers.get("HX-Request"):
        return render(request, "cases/_case_table.html", {**context, "oob": True})
    return render(request, "cases/case_list.html", context)


def _detail_context(request, case: Case, forms: dict | None = None) -> dict:
    can_handle = permissions.can_handle(request.user, case)
    action_forms = {}
    if can_handle and case.is_open:
        for name, action in ACTIONS.items():
            if name == "supplement" and case.status != Case.Status.ACCEPTED:
                continue
            if name == "resume" and case.status != Case.Status.SUPPLEMENT:
                continue
            form = (forms or {}).get(name) or action.make_form(name)
            action_forms[name] = {"form": form, "label": action.label}
    return {
        "case": case,
        "events": selectors.case_history(case),
        "visits": selectors.case_visits(case),
        "full_applicant": permissions.can_see_full_applicant(request.user, case),
        "action_forms": action_forms,
        "uncovered_years": calendar.uncovered_years(case.accepted_date, case.due_date),
    }


def _visible_case(request, pk: int) -> Case:
    return get_object_or_404(selectors.cases_visible_to(request.user), pk=pk)


@require_GET
@role_required(*permissions.CASE_READERS)
def case_detail(request, pk: int):
    case = _visible_case(request, pk)
    return render(request, "cases/case_detail.html", _detail_context(request, case))


@require_POST
@role_required(*permissions.CASE_READERS)
def case_action(request, pk: int, action: str):
    """A status action or a visit, from the buttons of the detail page."""
    if action not in ACTIONS:
        raise Http404
    case = _visible_case(request, pk)
    form = ACTIONS[action].make_form(action, request.POST)
    if form.is_valid():
        try:
            ACTIONS[action].service(actor=request.user, case=case, **form.cleaned_data)
        except DomainError as exc:
            if exc.status == 403:
                messages.error(request, exc.message)
                return redirect("cases:detail", pk=case.pk)
            add_domain_error(form, exc)
        else:
            messages.success(request, f"{case.number}：已{ACTIONS[action].label}。")
            return redirect("cases:detail", pk=case.pk)
    context = _detail_context(request, case, forms={action: form})
    return render(request, "cases/case_detail.html", context, status=400)


APPLICANT_FIELDS = ("applicant_kind", "applicant_name", "applicant_id", "applicant_phone")


def _ticket_for(request) -> Ticket | None:
    """The ticket in ?ticket=…: None when absent; 404 when unknown or malformed."""
    if "ticket" not in request.GET:
        return None
    pk = id_param(request.GET, "ticket")
    if pk is None:
        raise Http404
    return get_object_or_404(
        Ticket.objects.select_related("queue", "window", "matter", "clerk"), pk=pk
    )


@role_required(Role.CLERK, Role.CENTER_ADMIN)
def accept(request):
    """受理登记: from the ticket the workstation links here (?ticket=<id>), or entered directly."""
    ticket = _ticket_for(request)
    staff = permissions.staff_of(request.user)
    if ticket is not None:
        form = TicketAcceptForm(request.POST or None, initial={"matter": ticket.matter_id})
    else:
        initial = {"window": staff.window_id if staff else None}
        initial["center"] = staff.center_id if staff else None
        form = DirectAcceptForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            case = _accept(request.user, ticket, form.cleaned_data)
        except DomainError as exc:
            add_domain_error(form, exc)
        else:
            messages.success(
                request, f"已受理，受理编号 {case.number}，承诺办结日期 {case.due_date}。"
            )
            return redirect("cases:detail", pk=case.pk)
    return render(request, "cases/accept.html", {"form": form, "ticket": ticket, "staff": staff})


def _accept(actor, ticket: Ticket | None, data: dict) -> Case:
    applicant = {k: data[k] for k in APPLICANT_FIELDS}
    if ticket is not None:
        return services.accept_case(actor=actor, ticket=ticket, matter=data["matter"], **applicant)
    if data["channel"] == Case.Channel.ONLINE:
        return services.accept_online_case(
            actor=actor, matter=data["matter"], center=data["center"], **applicant
        )
    return services.accept_case(
        actor=actor, matter=data["matter"], window=data["window"], **applicant
    )


def _default_period(today: dt.date) -> tuple[dt.date, dt.date]:
    """今年以来: from 1 January to today."""
    return dt.date(today.year, 1, 1), today


def _presets(today: dt.date) -> list[tuple[str, dt.date, dt.date]]:
    first_of_month = today.replace(day=1)
    last_month_end = first_of_month - dt.timedelta(days=1)
    return [
        ("本月", first_of_month, today),
        ("上月", last_month_end.replace(day=1), last_month_end),
        ("今年以来", dt.date(today.year, 1, 1), today),
        ("去年全年", dt.date(today.year - 1, 1, 1), dt.date(today.year - 1, 12, 31)),
        ("2018年上半年", dt.date(2018, 1, 1), dt.date(2018, 6, 30)),
    ]


@require_GET
@role_required(*permissions.FIGURE_READERS)
def figures(request):
    """办件统计: the figures of a period, cut by department and center."""
    today = timezone.localdate()
    start, end = _default_period(today)
    departments = selectors.departments_visible_to(request.user)
    data = request.GET if "start" in request.GET else None
    form = FiguresForm(data, initial={"start": start, "end": end}, departments=departments)
    department = center = None
    if data is not None and form.is_valid():
        start, end = form.cleaned_data["start"], form.cleaned_data["end"]
        department, center = form.cleaned_data["department"], form.cleaned_data["center"]
    try:
        result = selectors.case_figures(
            user=request.user,
            start=start,
            end=end,
            department_id=department.pk if department else None,
            center_id=center.pk if center else None,
        )
    except DomainError as exc:
        add_domain_error(form, exc)
        start, end = _default_period(today)
        result = selectors.case_figures(user=request.user, start=start, end=end)
    export = request.GET.get("export")
    if export in ("windows", "departments"):
        return _figures_export(request, result, export)
    return render(
        request,
        "cases/figures.html",
        {
            "form": form,
            "f": result,
            "presets": _presets(today),
            "chart": _chart_data(result),
            "query": request.GET.urlencode(),
        },
    )


def _pct(value) -> float | None:
    return float(value) if value is not None else None


def _span(period: selectors.Period) -> str:
    return f"{period.start:%Y-%m-%d} 至 {period.end:%Y-%m-%d}"


def _chart_data(f: selectors.CaseFigures) -> dict:
    top = f.windows[:15]
    return {
        "days": [d.isoformat() for d, _ in f.daily],
        "daily": [n for _, n in f.daily],
        "windows": [w.label for w in top],
        "window_averages": [float(w.daily_average) for w in top],
        "departments": [d.name for d in f.departments],
        "accepted": [d.counts.accepted for d in f.departments],
        "previous": [d.previous_accepted for d in f.departments],
        "one_trip_rates": [_pct(d.counts.one_trip_rate) for d in f.departments],
        "overdue_rates": [_pct(d.counts.overdue_rate) for d in f.departments],
        "period": _span(f.period),
        "previous_period": _span(f.period.previous),
    }


def _figures_export(request, f: selectors.CaseFigures, which: str) -> HttpResponse:
    span = f"{f.period.start:%Y%m%d}-{f.period.end:%Y%m%d}"
    if which == "windows":
        headers = ["排名", "窗口号", "窗口", "中心", "部门", "受理量", "日均受理量"]
        rows = (
            [w.rank, w.number, w.name, w.center, w.department, w.accepted, float(w.daily_average)]
            for w in f.windows
        )
        content = xlsx.write_table("窗口日均受理量排名", headers, rows)
        return xlsx_response(
            content, f"窗口日均受理量排名_{span}.xlsx", request=request, what="cases.window_ranking"
        )
    headers = [
        "部门",
        "受理量",
        "不予受理",
        "上年同期",
        "同比（倍）",
        "同比增减%",
        "办结",
        "最多跑一次实现率%",
        "超期率%",
    ]
    rows = (
        [
            d.name,
            d.counts.accepted,
            d.counts.rejected,
            d.previous_accepted,
            _pct(d.year_on_year),
            _pct(d.year_on_year_change),
            d.counts.completed,
            _pct(d.counts.one_trip_rate),
            _pct(d.counts.overdue_rate),
        ]
        for d in f.departments
    )
    content = xlsx.write_table("各部门办件统计", headers, rows)
    return xlsx_response(
        content, f"各部门办件统计_{span}.xlsx", request=request, what="cases.department_figures"
    )


@role_required(Role.CENTER_ADMIN)
def import_cases(request):
    """历史办件导入: upload, then follow the job's progress."""
    form = ImportForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        try:
            job = imports.start_import(actor=request.user, upload=form.cleaned_data["file"])
        except DomainError as exc:
            add_domain_error(form, exc)
        else:
            return redirect("cases:import_job", pk=job.pk)
    jobs = selectors.import_jobs_visible_to(request.user)[:10]
    return render(
        request,
        "cases/import.html",
        {"form": form, "jobs": jobs, "columns": imports.COLUMNS},
    )


@require_GET
@role_required(Role.CENTER_ADMIN)
def import_job(request, pk: int):
    job = get_object_or_404(selectors.import_jobs_visible_to(request.user), pk=pk)
    template = "cases/_import_progress.html" if request.headers.get("HX-Request") else None
    return render(request, template or "cases/import_job.html", {"job": job})


IMPORT_ACTIONS = {
    "retry": (imports.retry_import, "已重新排队导入。"),
    "discard": (imports.discard_import, "已删除保留的文件。"),
}


@require_POST
@role_required(Role.CENTER_ADMIN)
def import_job_action(request, pk: int, action: str):
    """重试 / 放弃 a failed import whose file was kept (see imports.jobs)."""
    if action not in IMPORT_ACTIONS:
        raise Http404
    get_object_or_404(selectors.import_jobs_visible_to(request.user), pk=pk)
    service, done = IMPORT_ACTIONS[action]
    try:
        service(actor=request.user, job_id=pk)
    except DomainError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, done)
    return redirect("cases:import_job", pk=pk)


@require_GET
@role_required(Role.CENTER_ADMIN)
def import_template(request, fmt: str):
    if fmt == "csv":
        response = HttpResponse(transfer.import_template_csv(), content_type="text/csv")
        response["Content-Disposition"] = "attachment; filename*=UTF-8''cases-import-template.csv"
        return response
    return template_response(transfer.import_template(), "历史办件导入模板.xlsx")
