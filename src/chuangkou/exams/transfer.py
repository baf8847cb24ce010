"""Questions and results in and out of Excel (试题导入/导出, 成绩导出).

The import checks every row (kind, difficulty, source, knowledge points, the content of the kind)
and writes nothing unless the whole file is clean; errors name the row and the column.
"""

from django.db.models import QuerySet
from django.utils import timezone

from chuangkou.catalog.models import Matter
from chuangkou.core import importing, xlsx
from chuangkou.core.errors import DomainError

from . import content
from .models import Attempt, KnowledgePoint, Question, QuestionKind
from .services import bank

HEADERS = [
    "题号",
    "题型",
    "难度",
    "来源",
    "知识点",
    "题干",
    "选项",
    "答案",
    "模版/短文",
    "评分要点",
    "错处已标出",
    "办事事项",
    "在用",
]
_FIELD_COLUMN = {
    "kind": "题型",
    "difficulty": "难度",
    "source": "来源",
    "knowledge_points": "知识点",
    "stem": "题干",
    "options": "选项",
    "answer": "答案",
    "template": "模版/短文",
    "rubric": "评分要点",
    "matter": "办事事项",
    "code": "题号",
    "config": "答案",
}


def export_questions(questions: QuerySet[Question]) -> bytes:
    """The listed questions with their current version, in the import's own columns."""

    def row(q: Question) -> list:
        version = q.current_version
        text = content.config_to_text(q.kind, version.config)
        return [
            q.code,
            q.get_kind_display(),
            q.difficulty,
            q.get_source_display(),
            "、".join(p.name for p in q.knowledge_points.all()),
            version.stem,
            text["options"],
            text["answer"],
            text["template"],
            text["rubric"],
            "是" if text["marked"] else "",
            text["matter_name"] or (q.matter.name if q.matter else ""),
            "是" if q.is_active else "否",
        ]

    return xlsx.write_table("题库", HEADERS, (row(q) for q in questions))


def import_template() -> bytes:
    example = [
        "",
        "单选题",
        2,
        "法规制度",
        "容缺受理",
        "容缺受理的“容缺”指的是？",
        "A. 次要材料暂缺\nB. 主要材料暂缺\nC. 全部材料暂缺",
        "A",
        "",
        "",
        "",
        "",
        "是",
    ]
    return xlsx.write_table("试题导入模板", HEADERS, [example])


def _choice(choices, what: str):
    def parse(value: object) -> str:
        text = xlsx.parse_text(value)
        for key, label in choices:
            if text in (str(key), label):
                return key
        raise DomainError(f"应为 {'、'.join(label for _, label in choices)} 之一")

    parse.__name__ = what
    return parse


def _points(value: object) -> list[KnowledgePoint]:
    names = [
        n.strip()
        for n in xlsx.parse_text(value).replace(",", "、").replace("，", "、").split("、")
        if n.strip()
    ]
    found = {p.name: p for p in KnowledgePoint.objects.filter(name__in=names, parent__isnull=False)}
    missing = [n for n in names if n not in found]
    if missing:
        raise DomainError(f"没有知识点「{'、'.join(missing)}」")
    return [found[n] for n in names]


def _flag(value: object) -> bool:
    return xlsx.parse_text(value) in ("是", "1", "Y", "y", "true", "TRUE", "√")


COLUMNS = [
    xlsx.Column("题号", required=False, parse=xlsx.parse_text),
    xlsx.Column("题型", parse=_choice(QuestionKind.choices, "题型")),
    xlsx.Column("难度", parse=_choice(Question.Difficulty.choices, "难度")),
    xlsx.Column("来源", parse=_choice(Question.Source.choices, "来源")),
    xlsx.Column("知识点", parse=_points),
    xlsx.Column("题干", parse=xlsx.parse_text),
    xlsx.Column("选项", required=False, parse=xlsx.parse_text),
    xlsx.Column("答案", required=False, parse=xlsx.parse_text),
    xlsx.Column("模版/短文", required=False, parse=xlsx.parse_text),
    xlsx.Column("评分要点", required=False, parse=xlsx.parse_text),
    xlsx.Column("错处已标出", required=False, parse=_flag),
    xlsx.Column("办事事项", required=False, parse=xlsx.parse_text),
]


def _config(record: dict) -> dict:
    return content.config_from_text(
        record["题型"],
        options=record["选项"] or "",
        answer=record["答案"] or "",
        template=record["模版/短文"] or "",
        rubric=record["评分要点"] or "",
        marked=bool(record["错处已标出"]),
        matter_name=record["办事事项"] or "",
    )


class QuestionImport(importing.TableImport):
    """批量导入试题: every cell of every row is checked; on any error nothing is written."""

    action = "exams.import"
    object_type = "exams.question"
    columns = COLUMNS
    field_columns = _FIELD_COLUMN

    def check_row(self, row: importing.Row) -> None:
        if row["题型"] is None:
            return
        try:
            row.values["_config"] = _config(row)
        except DomainError as exc:
            row.error(_FIELD_COLUMN.get(exc.field or "", "答案"), exc.message)

    def check_rows(self, rows: list[importing.Row]) -> None:
        importing.unique_within(rows, "题号")
        codes = [row["题号"] for row in rows if row["题号"]]
        taken = set(Question.objects.filter(code__in=codes).values_list("code", flat=True))
        for row in rows:
            if row["题号"] in taken:
                row.error("题号", "题库中已有该题号")
        names = [row["办事事项"] for row in rows if row["办事事项"]]
        self.matters = {m.name: m for m in Matter.objects.filter(name__in=names)}

    def write_row(self, row: importing.Row) -> str:
        bank.create_question(
            actor=self.actor,
            kind=row["题型"],
            stem=row["题干"],
            config=row["_config"],
            difficulty=row["难度"],
            source=row["来源"],
            knowledge_points=row["知识点"],
            matter=self.matters.get(row["办事事项"] or ""),
            code=row["题号"] or "",
        )
        return "created"


def import_questions(*, actor, content_bytes: bytes, filename: str = "") -> importing.ImportReport:
    """批量导入试题 (see QuestionImport)."""
    return QuestionImport(actor=actor).run(content=content_bytes, filename=filename)


def export_exams(exams) -> bytes:
    headers = ["考试名称", "用途", "状态", "开始时间", "结束时间", "时长（分钟）", "考生数"]
    rows = (
        [
            e.title,
            e.get_purpose_display(),
            e.get_status_display(),
            timezone.localtime(e.starts_at),
            timezone.localtime(e.ends_at),
            e.duration_minutes,
            e.candidates,
        ]
        for e in exams
    )
    return xlsx.write_table("考试", headers, rows)


def export_results(attempts: QuerySet[Attempt], *, reveal_names: bool = True) -> bytes:
    headers = [
        "密号",
        "工号",
        "姓名",
        "部门",
        "状态",
        "交卷时间",
        "自动交卷",
        "客观题",
        "主观题",
        "总分",
    ]

    def row(a: Attempt) -> list:
        return [
            a.code,
            a.staff.staff_no if reveal_names else "",
            a.staff.name if reveal_names else "",
            a.staff.department.name,
            a.get_status_display(),
            timezone.localtime(a.submitted_at) if a.submitted_at else None,
            "是" if a.auto_submitted else "",
            a.objective_score,
            a.subjective_score,
            a.total_score,
        ]

    return xlsx.write_table("成绩", headers, (row(a) for a in attempts))
