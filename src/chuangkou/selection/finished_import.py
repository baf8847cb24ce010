"""导入已完成的竞聘: the candidates of a competition run before the platform, with their written
and interview scores, through core.importing (every error of every row, all or nothing,
audited); services.finished ranks them by the platform's rules and closes the competition."""

from chuangkou.core import importing, xlsx
from chuangkou.core.errors import DomainError
from chuangkou.core.importing import Column, Row, choice_of, text_of
from chuangkou.org.models import Staff

from .models import Competition
from .scoring import parse_score
from .services import finished

ATTENDED, WITHDRAWN = "attended", "withdrawn"
STATUS_CHOICES = [(ATTENDED, "参加"), (WITHDRAWN, "放弃")]


def _score(label: str):
    return lambda value: parse_score(value, label=label)


def parse_tie_break(value: object) -> int:
    text = importing.parse_text(value)
    if not text.isdigit() or not 1 <= int(text) <= 999:
        raise DomainError("应为 1 起的整数")
    return int(text)


COLUMNS = [
    Column("工号", parse=text_of(20)),
    Column("姓名", required=False, parse=text_of(50)),
    Column("笔试成绩", required=False, parse=_score("笔试成绩")),
    Column("面试成绩", required=False, parse=_score("面试成绩")),
    Column("状态", required=False, parse=choice_of(STATUS_CHOICES)),
    Column("放弃原因", required=False, parse=text_of(200)),
    Column("并列顺位", required=False, parse=parse_tie_break),
]
FIELD_COLUMNS = {
    "staff": "工号",
    "written_score": "笔试成绩",
    "interview_score": "面试成绩",
    "tie_break": "并列顺位",
}


class FinishedCompetitionImport(importing.TableImport):
    """One row per candidate; the whole file is the competition's result."""

    action = "selection.import_finished_file"
    object_type = "selection.competition"
    columns = COLUMNS
    field_columns = FIELD_COLUMNS

    def __init__(self, *, actor, competition: Competition, notice_start, notice_end):
        super().__init__(actor=actor)
        self.competition = competition
        self.notice_start, self.notice_end = notice_start, notice_end

    def check_permission(self) -> None:
        finished.check_importable(actor=self.actor, competition=self.competition)
        finished.check_notice(self.notice_start, self.notice_end)

    def check_row(self, row: Row) -> None:
        number = row["工号"]
        if number is None:
            return
        staff = Staff.objects.filter(staff_no=number).first()
        if staff is None:
            row.error("工号", f"没有工号为 {number} 的人员")
        elif row["姓名"] and row["姓名"] != staff.name:
            row.error("姓名", f"工号 {number} 是{staff.name}")
        row.values["工号"] = staff

    def check_rows(self, rows: list[Row]) -> None:
        if not all(isinstance(r["工号"], Staff) for r in rows):
            importing.unique_within(rows, "工号", key=lambda s: getattr(s, "pk", s))
            return
        results = [_result(r) for r in rows]
        for p in finished.result_problems(self.competition, results):
            rows[p.index].error(FIELD_COLUMNS[p.field], p.message)

    def write_rows(self, rows: list[Row], report: importing.ImportReport) -> None:
        if not all(r.ok for r in rows):
            return
        finished.import_finished_competition(
            actor=self.actor,
            competition=self.competition,
            results=[_result(r) for r in rows],
            notice_start=self.notice_start,
            notice_end=self.notice_end,
        )
        report.created = len(rows)

    def audit(self, report: importing.ImportReport) -> None:
        importing.record_attempt(
            actor=self.actor,
            action=self.action,
            report=report,
            obj=self.competition,
            object_type=self.object_type,
        )


def _result(row: Row) -> finished.PastResult:
    return finished.PastResult(
        staff=row["工号"],
        written=row["笔试成绩"],
        interview=row["面试成绩"],
        withdrawn=row["状态"] == WITHDRAWN,
        withdraw_reason=row["放弃原因"] or "",
        tie_break=row["并列顺位"],
    )


def template() -> bytes:
    headers = [c.header for c in COLUMNS]
    example = [
        ["CK00001", "张三", 86.5, 90.2, "参加", "", ""],
        ["CK00002", "李四", "", "", "放弃", "个人原因", ""],
    ]
    return xlsx.write_table("已完成竞聘导入模板", headers, example, text_columns=("工号",))
