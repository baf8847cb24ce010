"""Checking one row of an import: every rule that a case row must meet, with row and column.

Two ways through a row, with the same rules and the same result:
- `check_cells` (the fast path, ≈ 5 µs a row): a row whose every cell is in the usual form,
  checked with precompiled lookups, cached parses of the times and dates (a file repeats them
  thousands of times), the check digits computed in C, and the values already converted to what
  the database takes; anything unusual, wrong or doubtful goes to
- `check` (the reference): every rule one by one, each broken rule reported on its column.
A row either passes the fast path with the result `check` would give, or is checked by `check`
(tests/cases/test_import_speed.py compares the two on good and bad rows).
"""

import datetime as dt
import re
from dataclasses import dataclass, field

from django.db import connection

from chuangkou.catalog.models import Matter
from chuangkou.core.errors import DomainError
from chuangkou.core.validators import ID_BIRTH_MIN
from chuangkou.core.xlsx import CellError
from chuangkou.org.models import Center, Staff, Window

from ..identity import CREDIT_CODE_CHARS, validate_applicant_id, validate_phone
from ..models import Case
from ..workdays import add_working_days
from .format import HEADERS, REQUIRED
from .reading import cell
from .reading import text as _text

MAX_ERRORS_KEPT = 500
DEFAULT_HOUR = 9  # a date without a time means 09:00 on that day
CACHE_LIMIT = 200_000  # parsed times and dates kept per import (a file repeats them)

# Check digits in one C call: the ID card's weights are 2^(17-i) mod 11, and 13 ≡ 2 (mod 11),
# so the weighted sum is 2·int(first17, 13) mod 11; the credit code's weights are 3^i mod 31,
# and 34 ≡ 3 (mod 31), so it is int(reversed first17 in base 34) mod 31 once each character is
# written as the digit of its value.
_ID_CHECK = "10X98765432"
_ID_FORM = re.compile(r"[0-9]{17}[0-9X]", re.ASCII)
_CREDIT_FORM = re.compile(f"[{CREDIT_CODE_CHARS}]{{18}}")
_CREDIT_DIGITS = str.maketrans(
    CREDIT_CODE_CHARS, "0123456789ABCDEFGHIJKLMNOPQRSTU"[: len(CREDIT_CODE_CHARS)]
)
_MOBILE_FORM = re.compile(r"1[3-9][0-9]{9}", re.ASCII)
_VISITS = {str(n): n for n in range(21)}
_PLAIN_MOMENT = re.compile(r"(\d{4})-(\d{2})-(\d{2}) (\d{2}):(\d{2})(?::(\d{2}))?", re.ASCII)


def _sqlite_moment(moment: dt.datetime) -> str:
    """As Django's SQLite backend stores an aware datetime: naive UTC, as text (the local
    time less its offset, as `astimezone` computes it, without its two intermediate objects:
    1.7 instead of 4.5 µs, for each distinct time of a file)."""
    return str(moment.replace(tzinfo=None) - moment.utcoffset())


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
_FAST_CHANNELS = {**_CHANNEL_LABELS, "": Case.Channel.WINDOW}
CLOSED = {Case.Status.COMPLETED, Case.Status.REJECTED, Case.Status.RETURNED}
# Case columns of a checked row, after its row number (the staging table's columns)
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
    staging: object = None  # the import's `staging.Staging`, set by `jobs.check_file`
    row_count: int = 0  # data rows read, set by `jobs.check_file`
    daily: object = None  # the summary counts (`summary.DailyCounts`), set by `jobs.check_file`
    created: int = 0  # cases written, set by `jobs.import_file`
    seconds: tuple[float, ...] = ()  # (checking, writing), set by `jobs.import_file`

    def __post_init__(self) -> None:
        # what the database takes: on SQLite text, as Django writes it (UTC, no zone)
        if connection.vendor == "sqlite":
            self._db_moment, self._db_date = _sqlite_moment, dt.date.isoformat
        else:
            self._db_moment = connection.ops.adapt_datetimefield_value
            self._db_date = connection.ops.adapt_datefield_value
        self._matters = {
            code: (m.pk, m.department_id, m.promised_days, m.max_visits)
            for code, m in self.lookups.matters.items()
        }
        self._today = self.now.astimezone(self.tz).date()
        # cell -> (db value, local date, aware datetime, local date's db value)
        self._moments: dict = {}
        self._dates: dict = {}  # cell -> (date, db value)
        self._dues: dict = {}  # (accepted date, promised days) -> (due date, db value)
        self._births: dict[str, bool] = {}  # the 8 birth-date digits of an ID -> valid
        self._fast_channels = _FAST_CHANNELS
        self._window_online = Case.Channel.ONLINE
        self._person = Case.ApplicantKind.PERSON
        self._completed = Case.Status.COMPLETED
        self._accepted = Case.Status.ACCEPTED
        self._closed = frozenset(CLOSED)

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

    def check(self, row: int, raw: dict[str, object]) -> tuple | None:
        """The row as the staging table takes it (row number, then SPOOL_FIELDS, values
        converted for the database), or None after recording every error of the row."""
        values = {h: cell(raw.get(h)) for h in HEADERS}
        self._problems: list[RowError] = []
        for header, value in values.items():
            if isinstance(value, str) and "\x00" in value:
                self._problem(header, "含有无效字符（NUL）")
        checked = self._check(row, values)
        for problem in self._problems:
            self.add_error(row, problem.column, problem.message)
        if self._problems:
            return None
        for i in (12, 15):  # accepted_at, completed_at
            if checked[i] is not None:
                checked[i] = self._db_moment(checked[i])
        for i in (13, 14, 16):  # accepted_date, due_date, completed_date
            if checked[i] is not None:
                checked[i] = self._db_date(checked[i])
        return (row, *checked)

    def check_cells(self, row: int, v: list) -> tuple | None:
        """`check` of a row given as its cells in HEADERS order (text stripped; dates and
        times from Excel as they are): the fast path for the usual row, else `check`."""
        try:
            checked = self._fast(row, v)
        except (TypeError, AttributeError):  # a date where text belongs: the full checks
            checked = None
        if checked is None:
            return self.check(row, dict(zip(HEADERS, v, strict=True)))
        return checked

    def _fast(self, row: int, v: list) -> tuple | None:
        """The row, or None when any cell is not plainly right (`check` then decides)."""
        (number, code, channel, center, window, staff_no, kind, name, applicant_id, phone,
         accepted, status, completed, visits, due) = v  # fmt: skip
        if not number or len(number) > 32 or number in self.first_row or "\x00" in number:
            return None
        if not name or len(name) > 200 or "\x00" in name:
            return None
        lookups = self.lookups
        matter = self._matters.get(code)
        channel = self._fast_channels.get(channel)
        center_id = lookups.centers.get(center)
        kind = _KIND_LABELS.get(kind)
        if matter is None or channel is None or center_id is None or kind is None:
            return None
        window_id = clerk_id = None
        if window:
            window_id = lookups.windows.get((center_id, window))
            if window_id is None or channel == self._window_online:
                return None
        if staff_no:
            clerk_id = lookups.staff.get(staff_no)
            if clerk_id is None:
                return None
        if applicant_id:
            if kind == self._person:
                if not self._person_id_ok(applicant_id):
                    return None
            elif not self._credit_code_ok(applicant_id):
                return None
        if phone and not _MOBILE_FORM.fullmatch(phone):
            return None
        acc = self._moments.get(accepted) or self._moment(accepted)
        if acc is None:
            return None
        if completed:
            done = self._moments.get(completed) or self._moment(completed)
            if done is None or done[2] < acc[2]:
                return None
            done_db, done_date, done_date_db = done[0], done[1], done[3]
        else:
            done_db = done_date = done_date_db = None
        if status:
            status = _STATUS_LABELS.get(status)
            if status is None:
                return None
        else:
            status = self._completed if completed else self._accepted
        if (status in self._closed) != bool(completed):
            return None
        if visits:
            visits = _VISITS.get(visits)
            if visits is None:
                return None
        else:
            visits = 0 if channel == self._window_online else 1
        accepted_date = acc[1]
        if due:
            parsed = self._dates.get(due) or self._date(due)
            if parsed is None or parsed[0] < accepted_date:
                return None
        else:
            key = (accepted_date, matter[2])
            parsed = self._dues.get(key)
            if parsed is None:
                day = add_working_days(accepted_date, matter[2])
                parsed = self._dues[key] = (day, self._db_date(day))
        self.first_row[number] = row
        last = done_date or accepted_date
        if self.min_date is None or accepted_date < self.min_date:
            self.min_date = accepted_date
        if self.max_date is None or last > self.max_date:
            self.max_date = last
        return (
            row,
            number,
            matter[0],
            matter[1],
            center_id,
            window_id,
            clerk_id,
            channel,
            kind,
            name,
            applicant_id,
            phone,
            status,
            acc[0],
            acc[3],
            parsed[1],
            done_db,
            done_date_db,
            visits,
            done_date is not None and done_date > parsed[0],
            status == self._completed and visits <= matter[3],
        )

    def _moment(self, value) -> tuple | None:
        """(db value, local date, datetime, local date's db value) of a time cell, cached;
        None when it is not a valid time (`check` then says why)."""
        plain = _PLAIN_MOMENT.fullmatch(value) if type(value) is str else None
        if plain:  # 2018-03-05 09:30[:00], the usual form: without the general parse
            y, mo, d, h, mi, sec = plain.groups()
            try:
                moment = dt.datetime(
                    int(y), int(mo), int(d), int(h), int(mi), int(sec or 0), tzinfo=self.tz
                )
            except ValueError:
                return None
            if moment > self.now:
                return None
        else:
            try:
                moment = self.parse_datetime(value, "")
            except RowError:
                return None
        # (a time given in this zone is in its day already: no conversion)
        day = moment.date() if moment.tzinfo is self.tz else moment.astimezone(self.tz).date()
        parsed = (self._db_moment(moment), day, moment, self._db_date(day))
        if len(self._moments) < CACHE_LIMIT:
            self._moments[value] = parsed
        return parsed

    def _date(self, value) -> tuple | None:
        try:
            day = self.parse_date(value, "")
        except RowError:
            return None
        parsed = (day, self._db_date(day))
        if len(self._dates) < CACHE_LIMIT:
            self._dates[value] = parsed
        return parsed

    def _person_id_ok(self, value: str) -> bool:
        """As `validate_id_number` accepting `value` unchanged (upper-case X, no spaces)."""
        if not _ID_FORM.fullmatch(value):
            return False
        born = value[6:14]
        ok = self._births.get(born)
        if ok is None:
            try:
                day = dt.date(int(born[:4]), int(born[4:6]), int(born[6:]))
            except ValueError:
                ok = False
            else:
                ok = ID_BIRTH_MIN <= day <= self._today
            self._births[born] = ok
        return ok and _ID_CHECK[2 * int(value[:17], 13) % 11] == value[17]

    @staticmethod
    def _credit_code_ok(value: str) -> bool:
        """As `validate_credit_code` accepting `value` unchanged."""
        if not _CREDIT_FORM.fullmatch(value):
            return False
        total = int(value[16::-1].translate(_CREDIT_DIGITS), 34)
        return CREDIT_CODE_CHARS[(31 - total % 31) % 31] == value[17]

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
        if not (text.isascii() and text.isdigit()) or int(text) > 20:
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
