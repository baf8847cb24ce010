"""节假日设置: the center admin enters a year's official holidays and 调休 working days.

The text takes one line per holiday or range and one line per make-up working day, e.g.
`2027-02-06~2027-02-12 春节` and `2027-02-14 春节`. Every wrong line is reported at once.
"""

import datetime as dt
import re
from dataclasses import dataclass

from django import forms
from django.contrib import messages
from django.db import transaction
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_http_methods

from . import audit, calendar
from .errors import DomainError
from .forms import add_domain_error
from .holidays import OfficialDay
from .permissions import require_role, role_required
from .roles import Role

LINE = re.compile(
    r"^(?P<start>\d{4}-\d{1,2}-\d{1,2})\s*(?:(?:~|～|至|--?)\s*(?P<end>\d{4}-\d{1,2}-\d{1,2}))?"
    r"\s*(?P<name>\S{0,20})$"
)
MAX_RANGE_DAYS = 15
YEARS = (2000, 2100)


def _parse_date(text: str) -> dt.date | None:
    try:
        return dt.date(*(int(part) for part in text.split("-")))
    except ValueError:
        return None


def _parse_line(line: str, year: int, what: str) -> tuple[list[tuple[dt.date, str]], str]:
    """The days of one line and an error message ('' when the line is right)."""
    match = LINE.match(line)
    if match is None:
        return (
            [],
            f"{what}“{line}”的格式不对，应为 2027-02-06 或 2027-02-06~2027-02-12 加节日名称。",
        )
    start = _parse_date(match["start"])
    end = _parse_date(match["end"]) if match["end"] else start
    if start is None or end is None:
        return [], f"{what}“{line}”中的日期不存在。"
    if start.year != year or end.year != year:
        return [], f"{what}“{line}”不在 {year} 年。"
    if end < start or (end - start).days >= MAX_RANGE_DAYS:
        return [], f"{what}“{line}”的起止日期不对（一段最多 {MAX_RANGE_DAYS} 天）。"
    days = [start + dt.timedelta(days=i) for i in range((end - start).days + 1)]
    return [(d, match["name"] or "") for d in days], ""


def parse_days(text: str, year: int, what: str) -> tuple[dict[dt.date, str], list[str]]:
    days: dict[dt.date, str] = {}
    errors: list[str] = []
    for raw in (text or "").replace("\r", "").split("\n"):
        line = raw.strip()
        if not line:
            continue
        parsed, error = _parse_line(line, year, what)
        if error:
            errors.append(error)
        days.update(parsed)
    return days, errors


def _check(year: int, holidays: dict, workdays: dict) -> list[str]:
    errors = []
    if not holidays:
        errors.append("请至少录入一个法定节假日（如元旦）。")
    for day in sorted(holidays.keys() & workdays.keys()):
        errors.append(f"{day:%Y-%m-%d} 不能既放假又上班。")
    for day in sorted(workdays):
        if day.weekday() < 5:
            errors.append(f"调休上班日 {day:%Y-%m-%d} 不是周末，工作日本来就上班。")
    return errors


@transaction.atomic
def save_official_year(*, actor, year: int, holidays: str, workdays: str) -> int:
    """Replace `year`'s entered holidays and 调休 working days; returns the days stored.

    What is entered takes precedence over chinese_calendar for that whole year."""
    require_role(actor, Role.CENTER_ADMIN)
    if not YEARS[0] <= year <= YEARS[1]:
        raise DomainError(f"年份应在 {YEARS[0]} 到 {YEARS[1]} 之间。", field="year")
    off, off_errors = parse_days(holidays, year, "放假")
    on, on_errors = parse_days(workdays, year, "调休上班")
    errors = off_errors + on_errors + _check(year, off, on)
    if errors:
        raise DomainError("；".join(errors), field="holidays")
    OfficialDay.objects.filter(date__year=year).delete()
    OfficialDay.objects.bulk_create(
        OfficialDay(date=day, is_working_day=working, name=name, entered_by=actor)
        for working, days in ((False, off), (True, on))
        for day, name in days.items()
    )
    audit.record(
        actor=actor,
        action="core.official_days",
        object_type="core.officialday",
        after={"year": year, "holidays": len(off), "workdays": len(on)},
    )
    transaction.on_commit(calendar.forget_entered_days)
    return len(off) + len(on)


@dataclass(frozen=True)
class CalendarYear:
    year: int
    source: str  # 中心录入 / chinese_calendar / 未覆盖
    holidays: list[OfficialDay]
    workdays: list[OfficialDay]


def calendar_years(today: dt.date) -> list[CalendarYear]:
    """This year and the next two, with where their holidays come from."""
    entered = list(OfficialDay.objects.filter(date__year__gte=today.year).order_by("date"))
    years = sorted({today.year, today.year + 1, today.year + 2} | {d.date.year for d in entered})
    rows = []
    for year in years:
        days = [d for d in entered if d.date.year == year]
        if days:
            source = "中心录入"
        elif calendar.library_covers_year(year):
            source = "chinese_calendar"
        else:
            source = "未覆盖（按周一至周五计算）"
        rows.append(
            CalendarYear(
                year=year,
                source=source,
                holidays=[d for d in days if not d.is_working_day],
                workdays=[d for d in days if d.is_working_day],
            )
        )
    return rows


class OfficialYearForm(forms.Form):
    year = forms.IntegerField(label="年份", min_value=YEARS[0], max_value=YEARS[1])
    holidays = forms.CharField(
        label="放假日",
        widget=forms.Textarea(attrs={"rows": 8}),
        help_text="每行一天或一段，后接节日名称，如 2027-01-01 元旦、2027-02-06~2027-02-12 春节",
    )
    workdays = forms.CharField(
        label="调休上班日",
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text="每行一天，如 2027-02-14 春节",
    )


def _lines(days: list[OfficialDay]) -> str:
    return "\n".join(f"{d.date:%Y-%m-%d} {d.name}".strip() for d in days)


@role_required(Role.CENTER_ADMIN)
@require_http_methods(["GET", "POST"])
def official_days(request):
    """节假日设置: the years known and the form to enter one."""
    today = timezone.localdate()
    years = calendar_years(today)
    initial = {"year": today.year + 1}
    chosen = next((y for y in years if y.year == initial["year"]), None)
    if chosen and chosen.holidays:
        initial |= {"holidays": _lines(chosen.holidays), "workdays": _lines(chosen.workdays)}
    form = OfficialYearForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            stored = save_official_year(actor=request.user, **form.cleaned_data)
        except DomainError as exc:
            add_domain_error(form, exc)
        else:
            messages.success(request, f"已保存 {form.cleaned_data['year']} 年的 {stored} 天。")
            return redirect("core:official_days")
    return render(
        request,
        "core/official_days.html",
        {"form": form, "years": years, "warning": calendar.coverage_warning(today)},
    )
