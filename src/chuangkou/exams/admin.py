"""Data maintenance only: questions, papers and exams are changed through the pages (audited),
so everything here is read-only."""

from django.contrib import admin

from chuangkou.core.admin import ReadOnlyAdmin

from .models import Attempt, Contest, Exam, KnowledgePoint, Paper, Question, QuestionVersion


@admin.register(KnowledgePoint)
class KnowledgePointAdmin(ReadOnlyAdmin):
    list_display = ["name", "parent", "order"]


@admin.register(Question)
class QuestionAdmin(ReadOnlyAdmin):
    list_display = ["code", "kind", "difficulty", "source", "is_active"]
    list_filter = ["kind", "difficulty", "source", "is_active"]
    search_fields = ["code"]


@admin.register(QuestionVersion)
class QuestionVersionAdmin(ReadOnlyAdmin):
    list_display = ["question", "number", "created_at"]


@admin.register(Paper)
class PaperAdmin(ReadOnlyAdmin):
    list_display = ["name", "kind", "multi_rule"]


@admin.register(Exam)
class ExamAdmin(ReadOnlyAdmin):
    list_display = ["title", "purpose", "status", "starts_at", "ends_at"]
    list_filter = ["status", "purpose"]


@admin.register(Attempt)
class AttemptAdmin(ReadOnlyAdmin):
    list_display = ["exam", "code", "status", "total_score", "graded"]
    list_filter = ["status", "graded"]


@admin.register(Contest)
class ContestAdmin(ReadOnlyAdmin):
    list_display = ["name", "team_basis", "created_at"]
