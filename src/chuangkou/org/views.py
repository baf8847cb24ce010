import datetime as dt

from django.contrib import messages
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone

from chuangkou.core import xlsx
from chuangkou.core.errors import DomainError
from chuangkou.core.forms import add_domain_error
from chuangkou.core.home import cards_for
from chuangkou.core.import_views import import_page
from chuangkou.core.params import page_of, read_filters
from chuangkou.core.permissions import role_required
from chuangkou.core.responses import template_response, xlsx_response
from chuangkou.core.roles import Role, has_role

from . import permissions, selectors, services, transfer
from .filters import StaffFilter
from .forms import AssignmentForm, SeparationForm, StaffForm, TurnoverForm
from .models import BusinessCategory, Center, Department, Staff

STAFF_MANAGERS = (Role.CENTER_ADMIN, Role.DEPT_HEAD, Role.SYSADMIN, Role.AUDITOR)


@role_required()
def home(request):
    """首页 by role: the turnover dashboard for those who run the staff (center admin,
    department heads), and each role's cards (core.home): the clerk's window, queue and exams,
    the grader's queue, the security administrator's locked accounts, the auditor's summary."""
    visible = selectors.staff_visible_to(request.user)
    today = timezone.localdate()
    context = {"today": today, "cards": cards_for(request.user)}
    if has_role(request.user, *permissions.TURNOVER_ROLES) and visible.count() > 1:
        years = list(range(2016, today.year + 1))
        temporary = selectors.yearly_turnover(
            years=years, today=today, staff=visible, employment_type=Staff.EmploymentType.TEMPORARY
        )
        everyone = selectors.yearly_turnover(years=years, today=today, staff=visible)
        labels = [_year_label(r) for r in temporary]
        by_department = selectors.headcount_by(today, "department", visible)[:12]
        context.update(
            headcount_total=selectors.in_post_on(today, visible).count(),
            by_type=selectors.headcount_by(today, "employment_type", visible),
            turnover_rows=list(zip(labels, temporary, everyone, strict=True)),
            chart={
                "years": labels,
                "temporary": [_pct(r.rate) for r in temporary],
                "all": [_pct(r.rate) for r in everyone],
                "departments": [name for name, _ in by_department],
                "department_counts": [n for _, n in by_department],
            },
        )
    return render(request, "org/home.html", context)


def _year_label(report: selectors.TurnoverReport) -> str:
    year = report.start.year
    if report.end == dt.date(year, 12, 31):
        return str(year)
    return f"{year}（截至{report.end.month}月{report.end.day}日）"


def _pct(rate) -> float | None:
    return float(rate) if rate is not None else None


def _staff_filters(request) -> StaffFilter:
    return read_filters(request, StaffFilter, note="筛选条件无效，已显示全部人员。")


@role_required(*STAFF_MANAGERS)
def staff_list(request):
    filters = _staff_filters(request)
    staff = selectors.staff_list(user=request.user, filters=filters)
    if request.GET.get("export") == "xlsx":
        content = transfer.export_staff(staff, viewer=request.user)
        return xlsx_response(
            content,
            f"窗口人员_{timezone.localdate():%Y%m%d}.xlsx",
            request=request,
            what="org.staff",
            unmasked=has_role(request.user, Role.CENTER_ADMIN),
        )
    page = page_of(request, staff, 25)
    query = request.GET.copy()
    query.pop("page", None)
    context = {
        "page": page,
        "filters": filters,
        "query": query.urlencode(),
        "departments": Department.objects.all(),
        "centers": Center.objects.all(),
        "categories": BusinessCategory.objects.all(),
        "employment_types": Staff.EmploymentType.choices,
        "statuses": Staff.Status.choices,
        "can_create": permissions.can_create_staff(request.user)
        or selectors.departments_headed_by(request.user).exists(),
        "can_import": has_role(request.user, Role.CENTER_ADMIN),
        "can_open_accounts": has_role(request.user, Role.SYSADMIN),
    }
    if request.headers.get("HX-Request"):
        return render(request, "org/_staff_table.html", {**context, "oob": True})
    return render(request, "org/staff_list.html", context)


def _visible_staff(request, pk: int) -> Staff:
    return get_object_or_404(selectors.staff_visible_to(request.user), pk=pk)


@role_required()
def staff_detail(request, pk: int):
    staff = _visible_staff(request, pk)
    return render(
        request,
        "org/staff_detail.html",
        {
            "staff": staff,
            "assignments": staff.assignments.select_related("center", "window"),
            "separation": getattr(staff, "separation", None),
            "full_identity": permissions.can_see_full_identity(request.user, staff),
            "editable": bool(permissions.editable_fields(request.user, staff)),
            "can_manage": permissions.can_manage_postings(request.user, staff),
        },
    )


@role_required()
def my_profile(request):
    staff = Staff.objects.filter(user=request.user).first()
    if staff is None:
        messages.info(request, "您的账号没有关联窗口人员档案。")
        return redirect("home")
    return redirect("org:staff_detail", pk=staff.pk)


@role_required(Role.CENTER_ADMIN, Role.DEPT_HEAD)
def staff_create(request):
    form = StaffForm(request.POST or None, initial={"hire_date": timezone.localdate()})
    if request.method == "POST" and form.is_valid():
        try:
            staff = services.create_staff(actor=request.user, **form.cleaned_data)
        except DomainError as exc:
            add_domain_error(form, exc)
        else:
            messages.success(request, f"已登记 {staff.name}，工号 {staff.staff_no}。")
            return redirect("org:staff_detail", pk=staff.pk)
    return render(request, "org/staff_form.html", {"form": form, "title": "登记人员"})


@role_required()
def staff_edit(request, pk: int):
    staff = _visible_staff(request, pk)
    fields = permissions.editable_fields(request.user, staff)
    if not fields:
        raise Http404
    initial = {name: getattr(staff, name) for name in fields}
    form = StaffForm(request.POST or None, initial=initial, fields=fields)
    if request.method == "POST" and form.is_valid():
        changes = {k: v for k, v in form.cleaned_data.items() if k in form.changed_data}
        try:
            services.update_staff(actor=request.user, staff=staff, changes=changes)
        except DomainError as exc:
            add_domain_error(form, exc)
        else:
            messages.success(request, "已保存。")
            return redirect("org:staff_detail", pk=staff.pk)
    title = f"修改 {staff.name} 的信息"
    return render(request, "org/staff_form.html", {"form": form, "title": title, "staff": staff})


@role_required(Role.CENTER_ADMIN, Role.DEPT_HEAD)
def staff_separate(request, pk: int):
    staff = _visible_staff(request, pk)
    form = SeparationForm(request.POST or None, initial={"date": timezone.localdate()})
    if request.method == "POST" and form.is_valid():
        try:
            services.record_separation(actor=request.user, staff=staff, **form.cleaned_data)
        except DomainError as exc:
            add_domain_error(form, exc)
        else:
            messages.success(request, f"已登记 {staff.name} 离职。")
            return redirect("org:staff_detail", pk=staff.pk)
    title = f"登记 {staff.name} 离职"
    return render(request, "org/staff_form.html", {"form": form, "title": title, "staff": staff})


@role_required(Role.CENTER_ADMIN, Role.DEPT_HEAD)
def staff_assign(request, pk: int):
    staff = _visible_staff(request, pk)
    form = AssignmentForm(
        request.POST or None,
        initial={"center": staff.center_id, "start_date": timezone.localdate()},
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.assign_staff(actor=request.user, staff=staff, **form.cleaned_data)
        except DomainError as exc:
            add_domain_error(form, exc)
        else:
            messages.success(request, "岗位已调整。")
            return redirect("org:staff_detail", pk=staff.pk)
    title = f"调整 {staff.name} 的岗位"
    return render(request, "org/staff_form.html", {"form": form, "title": title, "staff": staff})


@role_required(Role.CENTER_ADMIN)
def staff_import(request):
    return import_page(
        request,
        template="org/staff_import.html",
        run=transfer.StaffImport(actor=request.user).run,
        success=lambda report: f"导入成功：共 {report.created} 人。",
        success_url=reverse("org:staff_list"),
    )


@role_required(Role.CENTER_ADMIN)
def staff_import_template(request):
    return template_response(transfer.import_template(), "窗口人员导入模板.xlsx")


@role_required(*permissions.TURNOVER_ROLES)
def turnover(request):
    """流失率 for a chosen period, with the separations listed by reason."""
    today = timezone.localdate()
    data = request.GET if "start" in request.GET else None
    initial = {"start": dt.date(today.year - 1, 1, 1), "end": dt.date(today.year - 1, 12, 31)}
    form = TurnoverForm(data, initial=initial)
    start, end, employment_type, department = initial["start"], initial["end"], "", None
    if data is not None and form.is_valid():
        start, end = form.cleaned_data["start"], form.cleaned_data["end"]
        employment_type = form.cleaned_data["employment_type"]
        department = form.cleaned_data["department"]
    staff = selectors.narrowed(
        selectors.staff_visible_to(request.user),
        employment_type=employment_type,
        department_id=department.pk if department else None,
    )
    report = selectors.turnover(start=start, end=end, staff=staff)
    separations = selectors.separations_in(start=start, end=end, staff=staff)
    if request.GET.get("export") == "xlsx":
        rows = (
            [s.staff.name, s.staff.department.name, s.date, s.get_reason_display(), s.note]
            for s in separations
        )
        content = xlsx.write_table("离职人员", ["姓名", "部门", "离职日期", "原因", "说明"], rows)
        return xlsx_response(
            content,
            f"离职人员_{start:%Y%m%d}-{end:%Y%m%d}.xlsx",
            request=request,
            what="org.separation",
        )
    return render(
        request,
        "org/turnover.html",
        {
            "form": form,
            "report": report,
            "separations": separations,
            "presets": _turnover_presets(today),
        },
    )


def _turnover_presets(today: dt.date) -> list[tuple[str, str]]:
    """Quick periods for temporary staff, the way the briefing reports them."""
    last_year = dt.date(today.year - 1, 1, 1), dt.date(today.year - 1, 12, 31)
    periods = [
        ("2017 年度", dt.date(2017, 1, 1), dt.date(2017, 12, 31)),
        ("2017.7–2018.6", dt.date(2017, 7, 1), dt.date(2018, 6, 30)),
        (f"{today.year - 1} 年度", *last_year),
        ("近 12 个月", today - dt.timedelta(days=365), today),
    ]
    return [
        (label, f"start={start:%Y-%m-%d}&end={end:%Y-%m-%d}&employment_type=temporary")
        for label, start, end in periods
    ]
