"""Pages for the center admin: papers, exams, candidates, graders, results, regrade, analysis."""

from django.contrib import messages
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.views.decorators.http import require_POST

from chuangkou.core import xlsx
from chuangkou.core.errors import DomainError
from chuangkou.core.forms import add_domain_error
from chuangkou.core.params import id_list
from chuangkou.core.permissions import role_required
from chuangkou.core.responses import xlsx_response
from chuangkou.core.roles import Role
from chuangkou.org.filters import StaffFilter
from chuangkou.org.models import Department
from chuangkou.org.selectors import in_post_on, staff_visible_to

from .. import selectors, transfer
from ..filters import ExamFilter, ResultFilter
from ..forms import (
    CandidateListForm,
    CandidatesForm,
    ExamForm,
    GradersForm,
    PaperForm,
    PaperItemForm,
    RegradeForm,
    RuleForm,
)
from ..models import Attempt, Exam, Paper, Question
from ..services import exams, papers, regrade, sitting
from .common import paged, read_filters

ADMIN = Role.CENTER_ADMIN


# -- papers -------------------------------------------------------------------------------------


@role_required(ADMIN)
def paper_list(request):
    form = PaperForm(request.POST or None, initial={"draw_per_candidate": True})
    if request.method == "POST" and form.is_valid():
        try:
            paper = papers.create_paper(actor=request.user, **form.cleaned_data)
        except DomainError as exc:
            add_domain_error(form, exc)
        else:
            messages.success(request, f"已新建试卷「{paper.name}」，请添加试题或组卷规则。")
            return redirect("exams:paper_detail", pk=paper.pk)
    page, query = paged(request, Paper.objects.all())
    for paper in page:
        paper.max_score = papers.paper_max_score(paper)
        paper.question_count = papers.paper_question_count(paper)
    return render(request, "exams/paper_list.html", {"page": page, "query": query, "form": form})


@role_required(ADMIN)
def paper_detail(request, pk: int):
    paper = get_object_or_404(Paper, pk=pk)
    item_form = PaperItemForm(request.POST if "add_item" in request.POST else None)
    rule_form = RuleForm(request.POST if "add_rule" in request.POST else None)
    try:
        if item_form.is_bound and item_form.is_valid():
            question = Question.objects.filter(code=item_form.cleaned_data["code"].strip()).first()
            if question is None:
                raise DomainError("没有这个题号。", field="code")
            papers.add_paper_item(
                actor=request.user,
                paper=paper,
                question=question,
                points=item_form.cleaned_data["points"],
            )
            messages.success(request, f"已加入试题 {question.code}。")
            return redirect("exams:paper_detail", pk=pk)
        if rule_form.is_bound and rule_form.is_valid():
            papers.add_blueprint_rule(actor=request.user, paper=paper, **rule_form.cleaned_data)
            messages.success(request, "已添加组卷规则。")
            return redirect("exams:paper_detail", pk=pk)
    except DomainError as exc:
        add_domain_error(item_form if item_form.is_bound else rule_form, exc)
    return render(
        request,
        "exams/paper_detail.html",
        {
            "paper": paper,
            "items": paper.items.select_related("question__current_version"),
            "rules": paper.rules.prefetch_related("knowledge_points"),
            "item_form": item_form,
            "rule_form": rule_form,
            "max_score": papers.paper_max_score(paper),
            "question_count": papers.paper_question_count(paper),
            "exams": paper.exam_set.all(),
            "locked": paper.exam_set.exclude(status=Exam.Status.DRAFT).exists(),
        },
    )


@require_POST
@role_required(ADMIN)
def paper_remove(request, pk: int, what: str, row: int):
    paper = get_object_or_404(Paper, pk=pk)
    try:
        if what == "item":
            papers.remove_paper_item(
                actor=request.user, item=get_object_or_404(paper.items, pk=row)
            )
        else:
            papers.remove_blueprint_rule(
                actor=request.user, rule=get_object_or_404(paper.rules, pk=row)
            )
    except DomainError as exc:
        messages.error(request, exc.message)
    return redirect("exams:paper_detail", pk=pk)


# -- exams --------------------------------------------------------------------------------------


@role_required(ADMIN)
def exam_list(request):
    filters = read_filters(request, ExamFilter)
    exams_found = selectors.exam_list(user=request.user, filters=filters)
    if request.GET.get("export") == "xlsx":
        return xlsx_response(
            transfer.export_exams(exams_found),
            f"考试_{timezone.localdate():%Y%m%d}.xlsx",
            request=request,
            what="exams.exam",
        )
    page, query = paged(request, exams_found)
    return render(
        request,
        "exams/exam_list.html",
        {
            "page": page,
            "query": query,
            "filters": filters,
            "statuses": Exam.Status.choices,
            "purposes": Exam.Purpose.choices,
        },
    )


@role_required(ADMIN)
def exam_create(request):
    form = ExamForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            exam = exams.create_exam(actor=request.user, **form.cleaned_data)
        except DomainError as exc:
            add_domain_error(form, exc)
        else:
            messages.success(request, "已安排考试，请添加考生和阅卷人后开放。")
            return redirect("exams:exam_detail", pk=exam.pk)
    return render(
        request,
        "exams/form_page.html",
        {
            "form": form,
            "title": "安排考试",
            "back": "exams:exam_list",
        },
    )


def _exam(request, pk: int) -> Exam:
    exam = get_object_or_404(selectors.managed_exams(request.user), pk=pk)
    sitting.finalise_overdue_attempts(exam=exam)
    return exam


@role_required(ADMIN)
def exam_detail(request, pk: int):
    exam = _exam(request, pk)
    return render(
        request,
        "exams/exam_detail.html",
        {
            "exam": exam,
            "counts": selectors.exam_counts(exam),
            "max_score": selectors.exam_max_score(exam=exam),
            "candidates_form": CandidatesForm(),
            "list_form": CandidateListForm(),
            "graders_form": GradersForm(initial={"graders": list(exam.graders.all())}),
            "graders": exam.graders.order_by("username"),
            "now": timezone.now(),
        },
    )


@require_POST
@role_required(ADMIN)
def exam_candidates(request, pk: int):
    exam = _exam(request, pk)
    form = CandidatesForm(request.POST)
    if not form.is_valid():
        messages.error(request, "请检查筛选条件。")
        return redirect("exams:exam_detail", pk=pk)
    staff = staff_visible_to(request.user)
    if form.cleaned_data["departments"]:
        staff = staff.filter(department__in=form.cleaned_data["departments"])
    day = form.cleaned_data["hired_before"]
    staff = in_post_on(timezone.localdate(), staff)
    if day:
        staff = staff.filter(hire_date__lt=day)
    try:
        added = exams.add_candidates(actor=request.user, exam=exam, staff=staff)
    except DomainError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, f"已添加 {added} 名考生。")
    return redirect("exams:exam_detail", pk=pk)


def _candidates_added(request, pk: int, add) -> None:
    try:
        added = add()
    except DomainError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, f"已添加 {added} 名考生。")


@require_POST
@role_required(ADMIN)
def exam_candidates_list(request, pk: int):
    """考生名单: pasted or uploaded 工号; every unknown one is named and nobody is added."""
    exam = _exam(request, pk)
    form = CandidateListForm(request.POST, request.FILES)
    if not form.is_valid():
        errors = [e for field_errors in form.errors.values() for e in field_errors]
        messages.error(request, "；".join(errors))
        return redirect("exams:exam_detail", pk=pk)
    _candidates_added(
        request,
        pk,
        lambda: exams.add_candidates_by_number(
            actor=request.user,
            exam=exam,
            numbers=form.cleaned_data["staff_numbers"],
            among=staff_visible_to(request.user),
        ),
    )
    return redirect("exams:exam_detail", pk=pk)


@role_required(ADMIN)
def exam_candidates_pick(request, pk: int):
    """按人员选择: GET searches (htmx partial of checkboxes), POST adds the ticked people."""
    exam = _exam(request, pk)
    visible = in_post_on(timezone.localdate(), staff_visible_to(request.user))
    if request.method == "GET":
        query = (request.GET.get("q") or "").strip()[:50]
        found = visible.filter(StaffFilter(q=query).get_filter_expression()) if query else None
        present = set(exam.attempts.values_list("staff_id", flat=True))
        return render(
            request,
            "exams/_candidate_search.html",
            {
                "found": found[:MAX_SEARCH_RESULTS] if found is not None else None,
                "present": present,
                "query": query,
            },
        )
    chosen = visible.filter(pk__in=id_list(request.POST.getlist("staff")))
    if not chosen.exists():
        messages.error(request, "请勾选要添加的人员。")
        return redirect("exams:exam_detail", pk=pk)
    _candidates_added(
        request, pk, lambda: exams.add_candidates(actor=request.user, exam=exam, staff=chosen)
    )
    return redirect("exams:exam_detail", pk=pk)


MAX_SEARCH_RESULTS = 30


@require_POST
@role_required(ADMIN)
def exam_graders(request, pk: int):
    exam = _exam(request, pk)
    form = GradersForm(request.POST)
    if form.is_valid():
        try:
            exams.set_graders(actor=request.user, exam=exam, graders=form.cleaned_data["graders"])
        except DomainError as exc:
            messages.error(request, exc.message)
        else:
            messages.success(request, "已设置阅卷人。")
    else:
        messages.error(request, "阅卷人选择无效。")
    return redirect("exams:exam_detail", pk=pk)


ACTIONS = {
    "open": (exams.open_exam, "考试已开放。"),
    "close": (exams.close_exam, "考试已结束，未交卷的考生已自动交卷。"),
    "publish": (exams.publish_results, "成绩已发布，考生可以查看自己的成绩和答案。"),
}


@require_POST
@role_required(ADMIN)
def exam_action(request, pk: int, action: str):
    if action not in ACTIONS:
        raise Http404
    exam = _exam(request, pk)
    service, done = ACTIONS[action]
    try:
        service(actor=request.user, exam=exam)
    except DomainError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, done)
    return redirect("exams:exam_detail", pk=pk)


@role_required(ADMIN)
def exam_results(request, pk: int):
    exam = _exam(request, pk)
    filters = read_filters(request, ResultFilter)
    attempts = selectors.exam_results(exam, filters)
    if request.GET.get("export") == "xlsx":
        return xlsx_response(
            transfer.export_results(attempts),
            f"成绩_{exam.title}_{timezone.localdate():%Y%m%d}.xlsx",
            request=request,
            what="exams.result",
        )
    page, query = paged(request, attempts, 50)
    return render(
        request,
        "exams/exam_results.html",
        {
            "exam": exam,
            "page": page,
            "query": query,
            "filters": filters,
            "departments": Department.objects.all(),
            "statuses": Attempt.Status.choices,
            "max_score": selectors.exam_max_score(exam=exam),
        },
    )


@role_required(ADMIN)
def attempt_review(request, pk: int, attempt_pk: int):
    exam = _exam(request, pk)
    attempt = get_object_or_404(exam.attempts.select_related("staff"), pk=attempt_pk)
    items = selectors.attempt_items(attempt, reveal=True)
    grades = {}
    for item in attempt.items.prefetch_related("grades__grader"):
        grades[item.pk] = list(item.grades.all())
    for item in items:
        item.grades = grades.get(item.id, [])
    return render(
        request,
        "exams/attempt_review.html",
        {
            "exam": exam,
            "attempt": attempt,
            "items": items,
            "max_score": selectors.exam_max_score(exam=exam),
        },
    )


@role_required(ADMIN)
def exam_regrade(request, pk: int):
    exam = _exam(request, pk)
    used = (
        Question.objects.filter(pk__in=exam.attempts.values("items__question_id"))
        .exclude(kind="open")
        .select_related("current_version")
        .order_by("code")
    )
    form = RegradeForm(request.POST or None, questions=used)
    report = None
    if request.method == "POST" and form.is_valid():
        apply = request.POST.get("apply") == "1"
        try:
            report = regrade.regrade_question(
                actor=request.user,
                exam=exam,
                question=form.cleaned_data["question"],
                dry_run=not apply,
            )
        except DomainError as exc:
            add_domain_error(form, exc)
        else:
            if report.applied:
                messages.success(request, f"已重新评分：{len(report.changes)} 名考生的成绩有变化。")
    return render(
        request, "exams/exam_regrade.html", {"exam": exam, "form": form, "report": report}
    )


@role_required(ADMIN)
def exam_analysis(request, pk: int):
    exam = _exam(request, pk)
    result = selectors.exam_analysis(exam)
    if request.GET.get("export") == "xlsx":
        rows = (
            [
                r.code,
                r.kind_label,
                r.stem,
                r.stats.attempts,
                round(r.stats.mean_score, 2),
                r.stats.max_score,
                _round(r.stats.facility),
                _round(r.stats.discrimination),
            ]
            for r in result.rows
        )
        content = xlsx.write_table(
            "试题分析",
            ["题号", "题型", "题干", "作答人数", "平均分", "满分", "难度系数", "区分度"],
            rows,
        )
        return xlsx_response(
            content, f"试题分析_{exam.title}.xlsx", request=request, what="exams.item_analysis"
        )
    chart = {
        "codes": [r.code for r in result.rows],
        "facility": [_round(r.stats.facility) for r in result.rows],
        "discrimination": [_round(r.stats.discrimination) for r in result.rows],
        "hist_labels": [label for label, _ in result.histogram],
        "hist_counts": [n for _, n in result.histogram],
    }
    return render(
        request, "exams/exam_analysis.html", {"exam": exam, "result": result, "chart": chart}
    )


def _round(value):
    return None if value is None else round(value, 3)
