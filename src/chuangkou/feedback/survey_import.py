"""导入外部机构的抽样调查 (the province's sampling survey): one row per sampled case with its
interview, through core.importing (every error of every row, all or nothing, audited)."""

import datetime as dt

from django.utils import timezone

from chuangkou.cases.models import Case
from chuangkou.core import importing, xlsx
from chuangkou.core.errors import DomainError, PermissionDeniedError
from chuangkou.core.importing import Column, Row, parse_yes_no, text_of
from chuangkou.org.models import Region

from . import permissions
from .services import surveys

SATISFIED = {"满意": True, "不满意": False}


def parse_satisfied(value: object) -> bool:
    """满意/不满意, or 是/否."""
    text = importing.parse_text(value)
    if text in SATISFIED:
        return SATISFIED[text]
    try:
        return parse_yes_no(text)
    except DomainError:
        raise DomainError("应为 满意、不满意、是 或 否") from None


def parse_visits(value: object) -> int:
    text = importing.parse_text(value)
    if not text.isdigit() or not 0 <= int(text) <= surveys.MAX_VISITS:
        raise DomainError(f"应为 0 到 {surveys.MAX_VISITS} 的整数")
    return int(text)


def parse_moment(value: object) -> dt.datetime:
    """A local date and time (2018-06-30 14:05) or a date (taken as noon)."""
    if isinstance(value, dt.datetime):
        moment = value
    else:
        text = importing.parse_text(value)
        for fmt in ("%Y-%m-%d %H:%M:%S", "%Y-%m-%d %H:%M", "%Y/%m/%d %H:%M"):
            try:
                moment = dt.datetime.strptime(text, fmt)  # noqa: DTZ007 (made aware below)
                break
            except ValueError:
                continue
        else:
            day = xlsx.parse_date(value)
            moment = dt.datetime.combine(day, dt.time(12))
    if timezone.is_naive(moment):
        moment = timezone.make_aware(moment)
    return moment


COLUMNS = [
    Column("受理编号", parse=text_of(32)),
    Column("是否接通", parse=parse_yes_no),
    Column("自述跑动次数", required=False, parse=parse_visits),
    Column("是否满意", required=False, parse=parse_satisfied),
    Column("回访时间", required=False, parse=parse_moment),
    Column("备注", required=False, parse=text_of(200)),
]


class SurveyImport(importing.TableImport):
    """The rows become one Survey (conducted_by the outside body) with its samples."""

    action = "feedback.survey.import_file"
    object_type = "feedback.survey"
    columns = COLUMNS
    field_columns = {"case": "受理编号"}

    def __init__(self, *, actor, region: Region, name: str, conducted_by: str, start, end):
        super().__init__(actor=actor)
        self.region, self.name, self.conducted_by = region, name, conducted_by
        self.start, self.end = start, end
        self.survey = None

    def check_permission(self) -> None:
        if not permissions.can_manage_surveys(self.actor):
            raise PermissionDeniedError("只有中心管理员可以导入抽样调查。")
        surveys.check_external_survey(
            actor=self.actor,
            name=self.name,
            conducted_by=self.conducted_by,
            period_start=self.start,
            period_end=self.end,
        )

    def check_row(self, row: Row) -> None:
        number = row["受理编号"]
        if number is not None:
            row.values["受理编号"] = self._case(row, number)
        if row["是否接通"] is False:
            for column in ("自述跑动次数", "是否满意"):
                if row.raw.get(column) not in (None, ""):
                    row.error(column, "未接通时不应填写")
        if row["是否接通"]:
            columns = {"visits_reported": "自述跑动次数", "satisfied": "是否满意"}
            problems = surveys.answer_problems(True, row["自述跑动次数"], row["是否满意"])
            for field, message in problems:
                if row.raw.get(columns[field]) in (None, ""):  # else a parse error already
                    row.error(columns[field], f"已接通时{message}")

    def _case(self, row: Row, number: str) -> Case | None:
        case = Case.objects.filter(number=number).select_related("center").first()
        if case is None:
            row.error("受理编号", "系统中没有该受理件")
            return None
        population = surveys.completed_cases(region=self.region, start=self.start, end=self.end)
        if not population.filter(pk=case.pk).exists():
            period = f"{self.start:%Y-%m-%d} 至 {self.end:%Y-%m-%d}"
            row.error("受理编号", f"不是{self.region.name}在 {period} 办结的受理件")
            return None
        return case

    def check_rows(self, rows: list[Row]) -> None:
        importing.unique_within(rows, "受理编号", key=lambda case: case.pk)

    def write_rows(self, rows: list[Row], report: importing.ImportReport) -> None:
        if not all(r.ok for r in rows):
            return
        self.survey = surveys.import_external_survey(
            actor=self.actor,
            region=self.region,
            name=self.name,
            conducted_by=self.conducted_by,
            period_start=self.start,
            period_end=self.end,
            interviews=[_interview(r) for r in rows],
        )
        report.created = len(rows)

    def audit(self, report: importing.ImportReport) -> None:
        importing.record_attempt(
            actor=self.actor,
            action=self.action,
            report=report,
            obj=self.survey,
            object_type=self.object_type,
            conducted_by=self.conducted_by,
        )


def _interview(row: Row) -> surveys.Interview:
    return surveys.Interview(
        case=row["受理编号"],
        reached=row["是否接通"],
        visits_reported=row["自述跑动次数"],
        satisfied=row["是否满意"],
        at=row["回访时间"],
        note=row["备注"] or "",
    )


def template() -> bytes:
    headers = [c.header for c in COLUMNS]
    example = [
        ["XC20180601001", "是", 1, "满意", "2018-07-03 10:20", ""],
        ["XC20180601002", "否", "", "", "2018-07-03 10:25", "无人接听"],
    ]
    return xlsx.write_table("抽样调查导入模板", headers, example, text_columns=("受理编号",))
