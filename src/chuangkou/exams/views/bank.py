"""Pages of the question bank (题库) and knowledge points: center admin only."""

from django.contrib import messages
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_POST

from chuangkou.catalog.models import Matter
from chuangkou.core.errors import DomainError
from chuangkou.core.forms import add_domain_error
from chuangkou.core.import_views import import_page
from chuangkou.core.permissions import role_required
from chuangkou.core.responses import template_response, xlsx_response
from chuangkou.core.roles import Role

from .. import content, selectors, transfer
from ..filters import QuestionFilter
from ..forms import PointForm, QuestionForm
from ..models import Question, QuestionKind
from ..services import bank
from .common import paged, read_filters

ADMIN = Role.CENTER_ADMIN


@role_required(ADMIN)
def question_list(request):
    filters = read_filters(request, QuestionFilter)
    questions = selectors.question_list(user=request.user, filters=filters)
    if request.GET.get("export") == "xlsx":
        content_bytes = transfer.export_questions(questions)
        return xlsx_response(
            content_bytes,
            f"题库_{timezone.localdate():%Y%m%d}.xlsx",
            request=request,
            what="exams.question",
        )
    page, query = paged(request, questions)
    context = {
        "page": page,
        "query": query,
        "filters": filters,
        "kinds": QuestionKind.choices,
        "difficulties": Question.Difficulty.choices,
        "sources": Question.Source.choices,
        "tree": selectors.knowledge_tree(),
    }
    template = (
        "exams/_question_table.html"
        if request.headers.get("HX-Request")
        else ("exams/question_list.html")
    )
    return render(request, template, {**context, "oob": bool(request.headers.get("HX-Request"))})


def _matter_for(name: str):
    return Matter.objects.filter(name=name.strip()).first() if name.strip() else None


def _save_question(request, form: QuestionForm, question: Question | None):
    data = form.cleaned_data
    config = content.config_from_text(
        form.kind,
        options=data.get("options", ""),
        answer=data.get("answer", ""),
        template=data.get("template", ""),
        rubric=data.get("rubric", ""),
        marked=data.get("marked", False),
        matter_name=data.get("matter_name", ""),
    )
    common = {
        "actor": request.user,
        "stem": data["stem"],
        "config": config,
        "difficulty": data["difficulty"],
        "source": data["source"],
        "knowledge_points": data["knowledge_points"],
        "matter": _matter_for(data.get("matter_name", "")),
    }
    if question is None:
        return bank.create_question(kind=form.kind, **common)
    version = bank.update_question(question=question, note=data.get("note", ""), **common)
    return version.question


@role_required(ADMIN)
def question_create(request):
    kind = request.GET.get("kind") or request.POST.get("kind") or QuestionKind.SINGLE
    if kind not in QuestionKind.values:
        kind = QuestionKind.SINGLE
    form = QuestionForm(request.POST or None, kind=kind)
    if request.method == "POST" and form.is_valid():
        try:
            question = _save_question(request, form, None)
        except DomainError as exc:
            add_domain_error(form, exc)
        else:
            messages.success(request, f"已录入试题 {question.code}。")
            return redirect("exams:question_detail", pk=question.pk)
    return render(
        request,
        "exams/question_form.html",
        {
            "form": form,
            "kind": kind,
            "kinds": QuestionKind.choices,
            "title": f"录入{QuestionKind(kind).label}",
        },
    )


@role_required(ADMIN)
def question_detail(request, pk: int):
    question = get_object_or_404(selectors.questions_visible_to(request.user), pk=pk)
    versions = question.versions.order_by("-number")
    for v in versions:
        v.view = content.public_view(question.kind, v.config)
        v.key = content.key_text(question.kind, v.config)
        v.used = v.uses.count()
    return render(
        request,
        "exams/question_detail.html",
        {
            "question": question,
            "versions": versions,
        },
    )


@role_required(ADMIN)
def question_edit(request, pk: int):
    question = get_object_or_404(selectors.questions_visible_to(request.user), pk=pk)
    version = question.current_version
    initial = {
        "stem": version.stem,
        "difficulty": question.difficulty,
        "source": question.source,
        "knowledge_points": list(question.knowledge_points.all()),
        **content.config_to_text(question.kind, version.config),
    }
    form = QuestionForm(request.POST or None, kind=question.kind, editing=True, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            _save_question(request, form, question)
        except DomainError as exc:
            add_domain_error(form, exc)
        else:
            messages.success(request, "已保存。已被考试使用的版本保持不变，修改另存为新版本。")
            return redirect("exams:question_detail", pk=question.pk)
    return render(
        request,
        "exams/question_form.html",
        {
            "form": form,
            "kind": question.kind,
            "question": question,
            "title": f"修改试题 {question.code}",
            "in_use": bank.version_in_use(version),
        },
    )


@require_POST
@role_required(ADMIN)
def question_toggle(request, pk: int):
    question = get_object_or_404(selectors.questions_visible_to(request.user), pk=pk)
    bank.set_question_active(actor=request.user, question=question, active=not question.is_active)
    messages.success(
        request, "已启用。" if question.is_active else "已停用，不再被抽题或加入试卷。"
    )
    return redirect("exams:question_detail", pk=pk)


@role_required(ADMIN)
def question_import(request):
    return import_page(
        request,
        template="exams/question_import.html",
        run=transfer.QuestionImport(actor=request.user).run,
        success=lambda report: f"导入成功：共 {report.created} 道题。",
        success_url=reverse("exams:question_list"),
    )


@role_required(ADMIN)
def question_import_template(request):
    return template_response(transfer.import_template(), "试题导入模板.xlsx")


@role_required(ADMIN)
def point_list(request):
    form = PointForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            bank.create_knowledge_point(actor=request.user, **form.cleaned_data)
        except DomainError as exc:
            add_domain_error(form, exc)
        else:
            messages.success(request, "已新增知识点。")
            return redirect("exams:point_list")
    return render(
        request,
        "exams/point_list.html",
        {
            "tree": selectors.knowledge_tree(),
            "form": form,
        },
    )
