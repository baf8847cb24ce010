"""竞聘上岗 tables in and out of Excel: competitions, candidates, ranking, written scores."""

from django.db.models import QuerySet

from chuangkou.core import importing, xlsx

from . import selectors, services
from .models import Candidate, Competition
from .scoring import parse_score

SCORE_COLUMNS = [
    xlsx.Column("工号", parse=xlsx.parse_text),
    xlsx.Column("姓名", parse=xlsx.parse_text),
    xlsx.Column("笔试成绩", parse=lambda v: parse_score(v, label="笔试成绩")),
]


def export_competitions(competitions: QuerySet[Competition]) -> bytes:
    headers = ["名称", "年度", "状态", "报名人数", "评委人数", "预算（元）", "公示开始", "异议截止"]
    rows = (
        [
            c.name,
            c.year,
            c.get_status_display(),
            c.candidate_count,
            c.judge_count,
            c.budget,
            c.notice_start,
            c.notice_end,
        ]
        for c in competitions
    )
    return xlsx.write_table("竞聘", headers, rows)


def _number(value):
    return float(value) if value is not None else None


def export_candidates(candidates: QuerySet[Candidate], panel_size: int) -> bytes:
    """报名人员 with eligibility facts; no ID or phone numbers."""
    headers = [
        "工号",
        "姓名",
        "部门",
        "用工性质",
        "入职日期",
        "服务年限",
        "状态",
        "笔试成绩",
        "面试评分进度",
        "面试成绩",
    ]
    rows = (
        [
            c.staff.staff_no,
            c.staff.name,
            c.staff.department.name,
            c.staff.get_employment_type_display(),
            c.staff.hire_date,
            c.service_years,
            c.get_status_display(),
            _number(c.written_score),
            f"{c.scored}/{panel_size}",
            _number(c.interview_score),
        ]
        for c in candidates
    )
    return xlsx.write_table("报名人员", headers, rows)


def export_ranking(competition: Competition, candidates: QuerySet[Candidate]) -> bytes:
    """排名表: each judge's score (the panel is complete once ranked), scores, tier, amount."""
    seats = competition.judges.count()
    panels = selectors.panel_scores(competition)
    headers = [
        "名次",
        "工号",
        "姓名",
        "部门",
        "笔试成绩",
        *[f"评委{n}" for n in range(1, seats + 1)],
        "面试成绩",
        "综合成绩",
        "结果",
        "档次",
        "年度待遇（元）",
    ]

    def row(c: Candidate) -> list:
        scores = panels.get(c.pk, [None] * seats)
        outcome = c.get_outcome_display() if c.is_active else c.get_status_display()
        return [
            c.rank,
            c.staff.staff_no,
            c.staff.name,
            c.staff.department.name,
            _number(c.written_score),
            *[_number(s) for s in scores],
            _number(c.interview_score),
            _number(c.final_score),
            outcome,
            c.tier.name if c.tier_id else "",
            c.tier.annual_amount if c.tier_id else None,
        ]

    return xlsx.write_table("排名", headers, (row(c) for c in candidates))


def export_objections(objections: QuerySet) -> bytes:
    headers = ["提出时间", "提出人", "涉及人员", "异议内容", "处理结果", "处理意见", "处理时间"]
    rows = (
        [
            o.submitted_at,
            str(o.submitted_by),
            o.candidate.staff.name if o.candidate_id else "整体结果",
            o.text,
            o.get_status_display(),
            o.reply,
            o.handled_at,
        ]
        for o in objections
    )
    return xlsx.write_table("公示异议", headers, rows)


def written_score_template(competition: Competition) -> bytes:
    """The import sheet, listing every active candidate with their current written score."""
    rows = (
        [c.staff.staff_no, c.staff.name, _number(c.written_score)]
        for c in competition.candidates.filter(status=Candidate.Status.REGISTERED)
        .select_related("staff")
        .order_by("staff__staff_no")
    )
    return xlsx.write_table("笔试成绩", [c.header for c in SCORE_COLUMNS], rows)


class WrittenScoreImport(importing.TableImport):
    """导入笔试成绩 (工号, 姓名, 笔试成绩): every cell is checked; on any error nothing is
    written."""

    action = "selection.import"
    object_type = "selection.competition"
    columns = SCORE_COLUMNS

    def __init__(self, *, actor, competition: Competition):
        super().__init__(actor=actor)
        self.competition = competition

    def check_rows(self, rows: list[importing.Row]) -> None:
        candidates = {
            c.staff.staff_no: c
            for c in self.competition.candidates.select_related("staff").order_by("pk")
        }
        importing.unique_within(rows, "工号")
        self.scores: dict[int, object] = {}
        for row in rows:
            staff_no = row["工号"]
            if staff_no is None:
                continue
            candidate = candidates.get(staff_no)
            if candidate is None:
                row.error("工号", f"{staff_no} 没有报名本次竞聘")
                continue
            if row["姓名"] is not None and row["姓名"] != candidate.staff.name:
                row.error("姓名", f"工号 {staff_no} 的姓名是「{candidate.staff.name}」")
            if not candidate.is_active:
                row.error("工号", f"{candidate.staff.name} 已放弃/缺考")
            if row["笔试成绩"] is not None:
                self.scores[candidate.pk] = row["笔试成绩"]

    def write_rows(self, rows: list[importing.Row], report: importing.ImportReport) -> None:
        if report.ok:
            report.created = services.record_written_scores(
                actor=self.actor, competition=self.competition, scores=self.scores, source="xlsx"
            )


def import_written_scores(
    *, actor, competition: Competition, content: bytes, filename: str = ""
) -> importing.ImportReport:
    """导入笔试成绩 (see WrittenScoreImport)."""
    importer = WrittenScoreImport(actor=actor, competition=competition)
    return importer.run(content=content, filename=filename)
