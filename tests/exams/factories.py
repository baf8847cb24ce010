"""Factories and builders for the exams app: questions of every kind with a first version,
papers, exams already open, and a sitting helper."""

import datetime as dt
from decimal import Decimal

import factory
from django.utils import timezone
from factory.django import DjangoModelFactory

from chuangkou.exams.models import (
    Attempt,
    Exam,
    KnowledgePoint,
    MultiRule,
    Paper,
    PaperItem,
    Question,
    QuestionKind,
    QuestionVersion,
)
from chuangkou.exams.services.exams import new_codes

CONFIGS = {
    QuestionKind.SINGLE: (
        "办理不动产转移登记，承诺办结时限一般为几个工作日？",
        {
            "options": [
                {"key": "A", "text": "1"},
                {"key": "B", "text": "3"},
                {"key": "C", "text": "5"},
                {"key": "D", "text": "7"},
            ],
            "answer": ["C"],
        },
    ),
    QuestionKind.MULTIPLE: (
        "下列属于“一二三四双”服务规范的有？",
        {
            "options": [
                {"key": "A", "text": "一张笑脸"},
                {"key": "B", "text": "二次站立"},
                {"key": "C", "text": "三声相待"},
                {"key": "D", "text": "五步迎送"},
            ],
            "answer": ["A", "B", "C"],
        },
    ),
    QuestionKind.FILL: (
        "请补全下列个体工商户登记申请书。",
        {
            "template": "经营者姓名：{{1}}\n组成形式：{{2}}",
            "blanks": [["张三"], ["个人经营", "个人"]],
        },
    ),
    QuestionKind.CORRECTION: (
        "下列告知书中有两处错误，请找出并改正。",
        {
            "passage": "申请人应当在三个工作日内补正材料，逾期视为放弃申请，窗口不予退件。",
            "marked": False,
            "errors": [
                {"wrong": "三个工作日", "right": ["五个工作日"]},
                {"wrong": "不予退件", "right": ["退回材料", "予以退件"]},
            ],
            "found_credit": "0.5",
        },
    ),
    QuestionKind.OPEN: (
        "群众材料不全但情况紧急，请结合容缺受理制度谈谈您的做法。",
        {"rubric": "容缺受理的条件、承诺书、补正时限、跟踪", "reference": "", "max_chars": 3000},
    ),
    QuestionKind.SCENARIO: (
        "张女士来办理个人住房公积金提取（购房），她需要提交哪些材料？",
        {
            "matter_name": "住房公积金提取（购房）",
            "options": [
                {"key": "A", "text": "身份证"},
                {"key": "B", "text": "购房合同"},
                {"key": "C", "text": "购房发票"},
                {"key": "D", "text": "结婚证"},
                {"key": "E", "text": "户口本"},
            ],
            "answer": ["A", "B", "C"],
            "penalty": "0.5",
        },
    ),
}


class KnowledgePointFactory(DjangoModelFactory):
    class Meta:
        model = KnowledgePoint

    name = factory.Sequence(lambda n: f"知识点{n}")
    parent = None


def make_question(
    kind: str = QuestionKind.SINGLE,
    *,
    points=(),
    difficulty: int = 3,
    source: str = Question.Source.REGULATION,
    stem: str | None = None,
    config: dict | None = None,
) -> Question:
    """A question with its first version (rows as they stand, no audit)."""
    default_stem, default_config = CONFIGS[QuestionKind(kind)]
    n = Question.objects.count() + 1
    question = Question.objects.create(
        code=f"TQ{n:05d}", kind=kind, difficulty=difficulty, source=source
    )
    version = QuestionVersion.objects.create(
        question=question, number=1, stem=stem or default_stem, config=config or default_config
    )
    question.current_version = version
    question.save(update_fields=["current_version"])
    question.knowledge_points.set(list(points) or [KnowledgePointFactory()])
    return question


def make_paper(questions, *, points=Decimal("10"), multi_rule=MultiRule.PARTIAL, **kwargs) -> Paper:
    paper = Paper.objects.create(name="测试试卷", multi_rule=multi_rule, **kwargs)
    for i, question in enumerate(questions, start=1):
        PaperItem.objects.create(paper=paper, question=question, points=points, order=i)
    return paper


def make_exam(paper: Paper, staff=(), *, minutes: int = 60, status=Exam.Status.OPEN, **kw) -> Exam:
    now = timezone.now()
    exam = Exam.objects.create(
        title=kw.pop("title", "测试考试"),
        paper=paper,
        starts_at=kw.pop("starts_at", now - dt.timedelta(minutes=5)),
        ends_at=kw.pop("ends_at", now + dt.timedelta(hours=2)),
        duration_minutes=minutes,
        status=status,
        **kw,
    )
    staff = list(staff)
    codes = new_codes(len(staff))
    Attempt.objects.bulk_create(
        Attempt(exam=exam, staff=s, code=c) for s, c in zip(staff, codes, strict=True)
    )
    return exam


def attempt_of(exam: Exam, staff) -> Attempt:
    return Attempt.objects.get(exam=exam, staff=staff)
