"""The grader's queue (blind: an anonymous code, never a name) and the mastery page."""

from django.contrib import messages
from django.shortcuts import get_object_or_404, redirect, render

from chuangkou.core.errors import DomainError
from chuangkou.core.forms import add_domain_error
from chuangkou.core.params import id_param
from chuangkou.core.permissions import role_required
from chuangkou.core.roles import Role, has_role
from chuangkou.org.models import Department
from chuangkou.org.selectors import departments_headed_by

from .. import selectors
from ..forms import GradeForm
from ..models import Exam
from ..services import grading


@role_required(Role.GRADER)
def grading_queue(request):
    tasks = selectors.grading_tasks(request.user)
    done = selectors.grading_tasks(request.user, done=True)
    return render(
        request,
        "exams/grading_queue.html",
        {
            "tasks": tasks[:100],
            "waiting": tasks.count(),
            "done": done.count(),
        },
    )


@role_required(Role.GRADER)
def grade_answer(request, pk: int):
    grade = get_object_or_404(selectors.grading_tasks(request.user), pk=pk)
    form = GradeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            grading.record_grade(actor=request.user, grade=grade, **form.cleaned_data)
        except DomainError as exc:
            add_domain_error(form, exc)
        else:
            messages.success(request, f"已评分：{grade.item.attempt.code}。")
            following = selectors.grading_tasks(request.user).first()
            if following is not None:
                return redirect("exams:grade_answer", pk=following.pk)
            return redirect("exams:grading_queue")
    item = grade.item
    return render(
        request,
        "exams/grade_answer.html",
        {
            "grade": grade,
            "item": item,
            "form": form,
            "rubric": item.version.config.get("rubric", ""),
            "reference": item.version.config.get("reference", ""),
            "answer": item.response if isinstance(item.response, str) else "",
        },
    )


MASTERY_ROLES = (Role.CLERK, Role.LOBBY_MANAGER, Role.DEPT_HEAD, Role.CENTER_ADMIN)


@role_required(*MASTERY_ROLES)
def mastery(request):
    """知识点掌握度: a clerk their own, a department head their department, the admin all."""
    exam = None
    exam_id = id_param(request.GET, "exam")
    exams = (
        Exam.objects.exclude(status=Exam.Status.DRAFT)
        if has_role(request.user, Role.CENTER_ADMIN, Role.DEPT_HEAD)
        else selectors.exams_visible_to(request.user).exclude(status=Exam.Status.DRAFT)
    )
    if exam_id:
        exam = exams.filter(pk=exam_id).first()
    departments = (
        Department.objects.all()
        if has_role(request.user, Role.CENTER_ADMIN)
        else (departments_headed_by(request.user))
    )
    department = None
    department_id = id_param(request.GET, "department")
    if department_id:
        department = departments.filter(pk=department_id).first()
    report = selectors.mastery_report(user=request.user, exam=exam, department=department)
    point_ids = [m.point_id for m in report.points]
    chart = {
        "points": [m.name for m in report.points],
        "ratios": [round(m.ratio * 100, 1) if m.ratio is not None else None for m in report.points],
        "departments": list(report.by_department),
        "heat": [
            [x, y, round(v * 100, 1)]
            for y, cells in enumerate(report.by_department.values())
            for x, pid in enumerate(point_ids)
            if (v := cells.get(pid)) is not None
        ],
    }
    staff_rows = sorted(
        ((report.staff_names.get(sid, ""), cells) for sid, cells in report.by_staff.items()),
        key=lambda r: r[0],
    )[:200]
    return render(
        request,
        "exams/mastery.html",
        {
            "report": report,
            "chart": chart,
            "exams": exams,
            "exam": exam,
            "departments": departments,
            "department": department,
            "weakest": report.points[:5],
            "staff_rows": [
                (name, [cells.get(pid) for pid in point_ids]) for name, cells in staff_rows
            ],
        },
    )
