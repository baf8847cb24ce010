"""Checking one row of an import: every rule that a case row must meet, with row and column."""

import datetime as dt
import re
from dataclasses import dataclass, field

from chuangkou.catalog.models import Matter
from chuangkou.core.errors import DomainError
from chuangkou.core.xlsx import CellError
from chuangkou.org.models import Center, Staff, Window

from ..identity import validate_applicant_id, validate_phone
from ..models import Case
from ..workdays import add_working_days
from .format import HEADERS, REQUIRED
from .reading import cell
from .reading import text as _text

MAX_ERRORS_KEPT = 500
DEFAULT_HOUR = 9  # a date without a time means 09:00 on that day

_DATETIME = re.compile(
    r"^(\d{4})[-/.年](\d{1,2})[-/.月](\d{1,2})日?(?:[ T]+(\d{1,2})[:：](\d{2})(?:[:：](\d{2}))?)?$"
)
_STATUS_LABELS = {label: value for value, label in Case.Status.choices} | {
    v: v for v in Case.Status.values
}
_CHANNEL_LABELS = {label: value for value, label in Case.Channel.choices} | {
    v: v for v in Case.Channel.values
}
_KIND_LABELS = {label: value for value, label in Case.ApplicantKind.choices} | {
    v: v for v in Case.ApplicantKind.values
}
CLOSED = {Case.Status.COMPLETED, Case.Status.REJECTED, Case.Status.RETURNED}
SPOOL_FIELDS = [
    "number",
    "matter_id",
    "department_id",
    "center_id",
    "window_id",
    "clerk_id",
    "channel",
    "applicant_kind",
    "applicant_name",
    "applicant_id",
    "applicant_phone",
    "status",
    "accepted_at",
    "accepted_date",
    "due_date",
    "completed_at",
    "completed_date",
    "visits",
    "is_overdue",
    "is_one_trip",
]


class RowError(Exception):
    def __init__(self, column: str, message: str):
        super().__init__(message)
        self.column = column
        self.message = message


@dataclass
class Lookups:
    """Catalog and organisation rows by the names the file uses, loaded once per import."""

    matters: dict[str, Matter]
    centers: dict[str, int]
    windows: dict[tuple[int, str], int]
    staff: dict[str, int]

    @classmethod
    def load(cls) -> "Lookups":
        return cls(
            matters={
                m.code: m
                for m in Matter.objects.only(
                    "pk", "code", "department_id", "promised_days", "max_visits"
                )
            },
            centers=dict(Center.objects.values_list("name", "pk")),
            windows={
                (c, n): pk for pk, c, n in Window.objects.values_list("pk", "center_id", "number")
            },
            staff=dict(Staff.objects.values_list("staff_no", "pk")),
        )


@dataclass
class Checker:
    """Checks one row at a time; keeps the first row of every number and the errors."""

    lookups: Lookups
    tz: dt.tzinfo
    now: dt.datetime
    first_row: dict[str, int] = field(default_factory=dict)
    errors: list[CellError] = field(default_factory=list)
    error_count: int = 0
    min_date: dt.date | None = None
    max_date: dt.date | None = None

    def add_error(self, row: int, column: str, message: str) -> None:
        self.error_count += 1
        if len(self.errors) < MAX_ERRORS_KEPT:
            self.errors.append(CellError(row, column, message))

    def parse_datetime(self, value, column: str) -> dt.datetime:
        if isinstance(value, dt.datetime):
            moment = value if value.tzinfo else value.replace(tzinfo=self.tz)
        elif isinstance(value, dt.date):
            moment = dt.datetime(value.year, value.month, value.day, DEFAULT_HOUR, tzinfo=self.tz)
        else:
            match = _DATETIME.match(_text(value))
            if not match:
                raise RowError(column, "时间格式应为 2018-03-05 09:30 或 2018-03-05")
            y, mo, d, h, mi, s = (int(g) if g else None for g in match.groups())
            try:
                moment = dt.datetime(
                    y, mo, d, DEFAULT_HOUR if h is None else h, mi or 0, s or 0, tzinfo=self.tz
                )
            except ValueError:
                raise RowError(column, "不是有效的日期或时间") from None
        if moment > self.now:
            raise RowError(column, "不能晚于现在")
        return moment

    def parse_date(self, value, column: str) -> dt.date:
        if isinstance(value, dt.datetime):
            return value.date()
        if isinstance(value, dt.date):
            return value
        match = _DATETIME.match(_text(value))
        if not match or match.group(4):
            raise RowError(column, "日期格式应为 2018-03-05")
        try:
            return dt.date(*(int(g) for g in match.groups()[:3]))
        except ValueError:
            raise RowError(column, "不是有效的日期") from None

    def check(self, row: int, raw: dict[str, object]) -> list | None:
        """The row's values in SPOOL_FIELDS order, or None after recording every error."""
        values = {h: cell(raw.get(h)) for h in HEADERS}
        self._problems: list[RowError] = []
        checked = self._check(row, values)
        for problem in self._problems:
            self.add_error(row, problem.column, problem.message)
        return None if self._problems else checked

    def _attempt(self, check, *args, **kwargs):
        """`check(...)`, or None after noting its error: one bad cell never hides another."""
        try:
            return check(*args, **kwargs)
        except RowError as exc:
            self._problems.append(exc)
        except DomainError as exc:
            self._problems.append(RowError(exc.field or "整行", exc.message))
        return None

    def _problem(self, column: str, message: str) -> None:
        self._problems.append(RowError(column, message))

    def _check(self, row: int, v: dict) -> list | None:
        """Every rule of a row, each reported on its own column; None when any is broken."""
        for header in REQUIRED:
            if v[header] == "":
                self._problem(header, "不能为空")
        number = v["受理编号"]
        if len(number) > 32:
            self._problem("受理编号", "不能超过 32 个字符")
        elif number in self.first_row:
            self._problem("受理编号", f"与第 {self.first_row[number]} 行重复")
        elif number:
            self.first_row[number] = row
        matter = self.lookups.matters.get(v["事项编码"])
        if matter is None and v["事项编码"]:
            self._problem("事项编码", f"事项目录中没有编码为“{v['事项编码']}”的事项")
        channel = self._attempt(
            _choice, _CHANNEL_LABELS, v["受理渠道"], "受理渠道", Case.Channel.WINDOW
        )
        center_id = self.lookups.centers.get(v["中心"])
        if center_id is None and v["中心"]:
            self._problem("中心", f"没有名为“{v['中心']}”的服务中心")
        window_id = None
        if center_id is not None and channel is not None:
            window_id = self._attempt(self._window, center_id, v["窗口号"], channel, v["中心"])
        clerk_id = None
        if staff_no := v["受理人工号"]:
            clerk_id = self.lookups.staff.get(staff_no)
            if clerk_id is None:
                self._problem("受理人工号", f"没有工号为“{staff_no}”的窗口人员")
        kind = None
        if v["申请人类型"]:
            kind = self._attempt(_choice, _KIND_LABELS, v["申请人类型"], "申请人类型", None)
        name = v["申请人"]
        if len(name) > 200:
            self._problem("申请人", "不能超过 200 个字")
        applicant_id = None
        if kind is not None:
            applicant_id = self._attempt(
                validate_applicant_id, kind, v["证件号码"], field="证件号码"
            )
        phone = self._attempt(validate_phone, v["联系电话"], field="联系电话")
        accepted_at = completed_at = None
        if v["受理时间"]:
            accepted_at = self._attempt(self.parse_datetime, v["受理时间"], "受理时间")
        if v["办结时间"]:
            completed_at = self._attempt(self.parse_datetime, v["办结时间"], "办结时间")
            if completed_at and accepted_at and completed_at < accepted_at:
                self._problem("办结时间", "办结时间早于受理时间")
        default_status = Case.Status.COMPLETED if v["办结时间"] else Case.Status.ACCEPTED
        status = self._attempt(_choice, _STATUS_LABELS, v["状态"], "状态", default_status)
        if status in CLOSED and not v["办结时间"]:
            self._problem("办结时间", f"状态为“{Case.Status(status).label}”时须填写办结时间")
        if status is not None and status not in CLOSED and v["办结时间"]:
            self._problem("办结时间", f"状态为“{Case.Status(status).label}”时不应有办结时间")
        visits = self._attempt(self._visits, v["跑动次数"], channel or Case.Channel.WINDOW)
        due_date = None
        if v["承诺办结日期"]:
            due_date = self._attempt(self.parse_date, v["承诺办结日期"], "承诺办结日期")
            if due_date and accepted_at and due_date < accepted_at.astimezone(self.tz).date():
                self._problem("承诺办结日期", "不能早于受理日期")
        if self._problems:
            return None
        accepted_date = accepted_at.astimezone(self.tz).date()
        if due_date is None:
            due_date = add_working_days(accepted_date, matter.promised_days)
        completed_date = completed_at.astimezone(self.tz).date() if completed_at else None
        last = completed_date or accepted_date
        self.min_date = min(self.min_date or accepted_date, accepted_date)
        self.max_date = max(self.max_date or last, last)
        return [
            number,
            matter.pk,
            matter.department_id,
            center_id,
            window_id,
            clerk_id,
            channel,
            kind,
            name,
            applicant_id,
            phone,
            status,
            accepted_at,
            accepted_date,
            due_date,
            completed_at,
            completed_date,
            visits,
            completed_date is not None and completed_date > due_date,
            status == Case.Status.COMPLETED and visits <= matter.max_visits,
        ]

    def _window(self, center_id: int, number: str, channel: str, center: str) -> int | None:
        if not number:
            return None
        if channel == Case.Channel.ONLINE:
            raise RowError("窗口号", "网上申请不应填写窗口号")
        window_id = self.lookups.windows.get((center_id, number))
        if window_id is None:
            raise RowError("窗口号", f"{center}没有 {number} 号窗口")
        return window_id

    @staticmethod
    def _visits(value, channel: str) -> int:
        text = _text(value)
        if not text:
            return 0 if channel == Case.Channel.ONLINE else 1
        if not text.isdigit() or int(text) > 20:
            raise RowError("跑动次数", "应为 0–20 的整数")
        return int(text)


def _choice(labels: dict[str, str], value, column: str, default: str | None) -> str:
    text = _text(value)
    if not text and default is not None:
        return default
    if text not in labels:
        options = "、".join(k for k in labels if not k.isascii())
        raise RowError(column, f"应为 {options} 之一")
    return labels[text]
