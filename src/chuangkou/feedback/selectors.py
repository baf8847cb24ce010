"""Reads of 好差评: who sees which ratings and rectifications, the satisfaction figures and the
survey report."""

import datetime as dt
import operator
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from functools import reduce

from django.db.models import Case, Count, Exists, F, OuterRef, Q, QuerySet, Sum, Value, When
from django.db.models.functions import TruncMonth
from django.utils import timezone

from chuangkou.cases.models import ONE_TRIP_MAX_VISITS
from chuangkou.core import daily_summary
from chuangkou.core.roles import Role, has_role
from chuangkou.hall.models import Ticket
from chuangkou.org.models import Department

from . import summary
from .filters import EvaluationFilter, RectificationFilter
from .models import (
    BAD_LEVELS,
    SATISFIED_LEVELS,
    Evaluation,
    FeedbackDailyStats,
    FeedbackSummaryDay,
    Level,
    Rectification,
    Survey,
    SurveySample,
)
from .statistics import Estimate, StratumCount, change_in_points, stratified_estimate

WHOLE_CENTER_ROLES = (Role.CENTER_ADMIN, Role.AUDITOR)
State = Rectification.State

SATISFACTION_FORMULA = (
    "满意率 = (非常满意 + 满意 + 基本满意) ÷ 有效评价数 × 100%；"
    "差评率 = (不满意 + 非常不满意) ÷ 有效评价数 × 100%。"
    "有效评价数 = 期间内的评价，不含申诉成立的无效评价；一条评价有追评时以追评为准（只计一次）。"
)


def departments_visible_to(user) -> QuerySet[Department]:
    """Departments whose figures a user may see: all for the center, their own for a head."""
    if has_role(user, *WHOLE_CENTER_ROLES):
        return Department.objects.all()
    if has_role(user, Role.DEPT_HEAD):
        return Department.objects.filter(heads=user)
    return Department.objects.none()


def evaluations_visible_to(user) -> QuerySet[Evaluation]:
    qs = Evaluation.objects.select_related("department", "window", "staff", "center")
    if not getattr(user, "is_authenticated", False):
        return qs.none()
    if has_role(user, *WHOLE_CENTER_ROLES):
        return qs
    if has_role(user, Role.DEPT_HEAD):
        return qs.filter(department__in=departments_visible_to(user))
    return qs.none()


def counted(qs: QuerySet[Evaluation]) -> QuerySet[Evaluation]:
    """The ratings that count (有效评价): not invalidated on appeal, and not superseded by a valid
    follow-up (追评) — one opinion per rating, the latest one."""
    superseded = Evaluation.objects.filter(follow_up_of=OuterRef("pk"), invalidated=False)
    return qs.filter(invalidated=False).filter(~Exists(superseded))


def _percent(part: int, whole: int) -> Decimal | None:
    if not whole:
        return None
    return (Decimal(part) * 100 / whole).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)


@dataclass(frozen=True)
class Satisfaction:
    """满意率 and 差评率 of a set of ratings.

    rate      = (非常满意 + 满意 + 基本满意) ÷ total × 100 %
    bad_share = (不满意 + 非常不满意) ÷ total × 100 %
    total     = counted ratings (see `counted`). Percentages have two decimals; None if total = 0.
    """

    by_level: dict[int, int]

    @property
    def total(self) -> int:
        return sum(self.by_level.values())

    @property
    def satisfied(self) -> int:
        return sum(self.by_level.get(level, 0) for level in SATISFIED_LEVELS)

    @property
    def bad(self) -> int:
        return sum(self.by_level.get(level, 0) for level in BAD_LEVELS)

    @property
    def rate(self) -> Decimal | None:
        return _percent(self.satisfied, self.total)

    @property
    def bad_share(self) -> Decimal | None:
        return _percent(self.bad, self.total)

    @property
    def levels(self) -> list[tuple[int, str, int]]:
        """(level, label, count) from 非常满意 down to 非常不满意."""
        return [(lv.value, lv.label, self.by_level.get(lv.value, 0)) for lv in Level]


def rated(user, filters: EvaluationFilter) -> QuerySet[Evaluation]:
    """The counted ratings a user may see, narrowed by the shared filter."""
    return filters.filter(counted(evaluations_visible_to(user)))


# The figures read the 满意率日汇总 (summary.py) for the closed days it holds and count the
# ratings of every other day (today, days not built or made stale) live: the same numbers as
# counting every rating, whatever the period, filter or grouping.


def summary_stats_visible_to(user) -> QuerySet[FeedbackDailyStats]:
    """The summary rows of the ratings `evaluations_visible_to(user)` gives (its rules)."""
    qs = FeedbackDailyStats.objects.all()
    if not getattr(user, "is_authenticated", False):
        return qs.none()
    if has_role(user, *WHOLE_CENTER_ROLES):
        return qs
    if has_role(user, Role.DEPT_HEAD):
        return qs.filter(department__in=departments_visible_to(user))
    return qs.none()


def summary_days(filters: EvaluationFilter) -> list[dt.date]:
    """The days of the filter's period read from the summary (closed and built)."""
    days = FeedbackSummaryDay.objects.filter(date__lt=summary.closed_before())
    if filters.start:
        days = days.filter(date__gte=filters.start)
    if filters.end:
        days = days.filter(date__lte=filters.end)
    return list(days.order_by("date").values_list("date", flat=True))


def _in_runs(runs: list[tuple[dt.date, dt.date]]) -> Q:
    q = Q(pk__in=[])
    for first, last in runs:
        q |= Q(rated_on__gte=first, rated_on__lte=last)
    return q


def _between_runs(
    runs: list[tuple[dt.date, dt.date]], start: dt.date | None, end: dt.date | None
) -> Q | None:
    """The days of [start, end] (either end open) before, between and after `runs` (runs of
    days of that period), as ranges with one lower and at most one upper bound each, the
    period's own bounds folded in; None if there are none. An index range scan each: the period's
    bounds must not be repeated beside them, SQLite's planner takes the first lower bound of a
    column it meets, not the tightest (the half year instead of today)."""
    ranges = []
    previous = None
    for first, last in runs:
        if previous is None:
            if start is None:
                ranges.append(Q(rated_on__lt=first))
            elif start < first:
                ranges.append(Q(rated_on__gte=start, rated_on__lt=first))
        elif (first - previous).days > 1:
            ranges.append(Q(rated_on__gt=previous, rated_on__lt=first))
        previous = last
    if end is None:
        ranges.append(Q(rated_on__gt=previous))
    elif previous < end:
        ranges.append(Q(rated_on__gt=previous, rated_on__lte=end))
    return reduce(operator.or_, ranges) if ranges else None


def _figure_rows(user, filters: EvaluationFilter, shape) -> list[dict]:
    """`shape(queryset, count)` (a values() … annotate(n=count) query) over the live ratings of
    the days not in the summary and over the summary rows of the others, the rows of both (no
    live statement when every day of the period is in the summary)."""
    built = daily_summary.runs(summary_days(filters))
    if not built:
        return list(shape(rated(user, filters).order_by(), Count("id")))
    # the period is in the day ranges of both statements (see _between_runs), not in the filter
    rest = filters.model_copy(update={"start": None, "end": None})
    rows = []
    live_days = _between_runs(built, filters.start, filters.end)
    if live_days is not None:
        live = rated(user, rest).order_by().filter(live_days)
        rows = list(shape(live, Count("id")))
    stats = rest.filter(summary_stats_visible_to(user)).filter(_in_runs(built))
    return rows + list(shape(stats.order_by(), Sum("count")))


def _add(counts: dict[int, int], level, n) -> None:
    counts[int(level)] = counts.get(int(level), 0) + int(n)


def _level_counts(user, filters: EvaluationFilter) -> dict[int, int]:
    counts: dict[int, int] = {}
    for row in _figure_rows(user, filters, lambda qs, n: qs.values("level").annotate(n=n)):
        _add(counts, row["level"], row["n"])
    return counts


def satisfaction(*, user, filters: EvaluationFilter) -> Satisfaction:
    """满意率/差评率 for any period and filter (formula in `Satisfaction`)."""
    return Satisfaction(_level_counts(user, filters))


GROUPINGS = {
    "department": ("department_id", "department__name"),
    "window": ("window_id", "window__number"),
    "staff": ("staff_id", "staff__name"),
    "channel": ("channel", "channel"),
}


@dataclass(frozen=True)
class GroupRow:
    key: object
    label: str
    figures: Satisfaction


def satisfaction_by(*, user, filters: EvaluationFilter, by: str) -> list[GroupRow]:
    """满意率 per department, window, clerk or channel, most ratings first."""
    key, label = GROUPINGS[by]
    rows = _figure_rows(user, filters, lambda qs, n: qs.values(key, label, "level").annotate(n=n))
    groups: dict = {}
    labels: dict = {}
    for row in rows:
        _add(groups.setdefault(row[key], {}), row["level"], row["n"])
        labels[row[key]] = row[label]
    channel_labels = dict(Evaluation.Channel.choices)
    result = []
    for group_key, counts in groups.items():
        text = labels[group_key] or "（未记录）"
        if by == "channel":
            text = channel_labels.get(group_key, text)
        result.append(GroupRow(group_key, text, Satisfaction(counts)))
    return sorted(result, key=lambda r: (-r.figures.total, r.label))


def total_of(rows: list[GroupRow]) -> Satisfaction:
    """The figures of all the groups of `satisfaction_by` together: the same as `satisfaction`
    over the same filter (every counted rating is in one group), without reading them again."""
    by_level: dict[int, int] = {}
    for row in rows:
        for level, n in row.figures.by_level.items():
            by_level[level] = by_level.get(level, 0) + n
    return Satisfaction(by_level)


MAX_FILLED_MONTHS = 36


class RatingMonth(TruncMonth):
    """TruncMonth of a DateField (a date, the 1st of the month). On SQLite by its date(…,
    'start of month'): Django's own is a Python function called for every row, of the summary
    rows too."""

    def as_sqlite(self, compiler, connection, **extra_context):
        sql, params = compiler.compile(self.lhs)
        return f"date({sql}, 'start of month')", params


def monthly_trend(*, user, filters: EvaluationFilter) -> list[tuple[dt.date, Satisfaction]]:
    """满意率 month by month over the filtered ratings."""
    rows = _figure_rows(
        user,
        filters,
        lambda qs, n: (
            qs.annotate(month=RatingMonth("rated_on")).values("month", "level").annotate(n=n)
        ),
    )
    months: dict[dt.date, dict[int, int]] = {}
    for row in rows:
        month = row["month"]
        month = month.date() if isinstance(month, dt.datetime) else month
        _add(months.setdefault(month, {}), row["level"], row["n"])
    if months:
        first, last = min(months), max(months)
        if (last.year - first.year) * 12 + last.month - first.month <= MAX_FILLED_MONTHS:
            month = first
            while month < last:  # months without ratings show as gaps, not as neighbours
                months.setdefault(month, {})
                month = (month + dt.timedelta(days=32)).replace(day=1)
    return [(month, Satisfaction(months[month])) for month in sorted(months)]


# 差评整改 ---------------------------------------------------------------------------------------


def with_current_state(qs: QuerySet[Rectification], today: dt.date) -> QuerySet[Rectification]:
    """Annotate `current_state`: 超期 as soon as a deadline has passed without its action, even
    before `flag_overdue` has written it (evaluated lazily on read)."""
    return qs.annotate(
        current_state=Case(
            When(
                Q(state=State.PENDING, callback_due__lt=today, callback_at__isnull=True)
                | Q(state=State.RECTIFYING, reply_due__lt=today),
                then=Value(State.OVERDUE),
            ),
            default=F("state"),
        )
    )


def rectifications_visible_to(user) -> QuerySet[Rectification]:
    """Center admins see every rectification; a department head those of their departments."""
    qs = Rectification.objects.select_related(
        "evaluation",
        "evaluation__department",
        "evaluation__window",
        "evaluation__staff",
        "evaluation__case",
        "evaluation__ticket",
    )
    qs = with_current_state(qs, timezone.localdate())
    if not getattr(user, "is_authenticated", False):
        return qs.none()
    if has_role(user, Role.CENTER_ADMIN):
        return qs
    if has_role(user, Role.DEPT_HEAD):
        return qs.filter(evaluation__department__in=departments_visible_to(user))
    return qs.none()


def rectification_list(*, user, filters: RectificationFilter) -> QuerySet[Rectification]:
    return filters.filter(rectifications_visible_to(user)).order_by("-opened_at", "-id")


def rectification_counts(*, user) -> dict[str, int]:
    """How many of the user's rectifications are in each (current) state."""
    rows = (
        rectifications_visible_to(user).order_by().values("current_state").annotate(n=Count("id"))
    )
    return {row["current_state"]: row["n"] for row in rows}


def escalated_rectifications(*, user) -> QuerySet[Rectification]:
    """超期上报: overdue rectifications escalated to the center admin and still overdue (the
    admin's list to follow up); empty for anyone else."""
    if not has_role(user, Role.CENTER_ADMIN):
        return Rectification.objects.none()
    return (
        Rectification.objects.filter(escalated_at__isnull=False, state=Rectification.State.OVERDUE)
        .select_related("evaluation__department", "evaluation__window")
        .order_by("escalated_at", "id")
    )


def citizen_phone(evaluation: Evaluation) -> str:
    """The number to call back: the one given with the rating, else the case's or ticket's."""
    if evaluation.contact_phone:
        return evaluation.contact_phone
    if evaluation.case_id:
        return evaluation.case.applicant_phone
    return evaluation.ticket.phone if evaluation.ticket_id else ""


# 抽样调查 ---------------------------------------------------------------------------------------


def surveys_visible_to(user) -> QuerySet[Survey]:
    if has_role(user, Role.CENTER_ADMIN, Role.AUDITOR):
        return Survey.objects.select_related("region", "created_by")
    return Survey.objects.none()


def samples_of(survey: Survey, *, status: str = "") -> QuerySet[SurveySample]:
    qs = survey.samples.select_related(
        "case", "case__matter", "stratum__department", "interviewer"
    ).order_by("stratum__department__code", "case__number")
    if status == "todo":
        qs = qs.filter(reached__isnull=True)
    elif status == "reached":
        qs = qs.filter(reached=True)
    elif status == "unreached":
        qs = qs.filter(reached=False)
    return qs


@dataclass(frozen=True)
class StratumRow:
    department: str
    population: int
    sample_size: int
    interviewed: int
    reached: int
    realized: int
    satisfied: int


@dataclass(frozen=True)
class SurveyReport:
    """实现率 and 满意率 of a survey, stratified by department, with 95 % Wilson intervals.

    实现率 ("最多跑一次"实现率) = respondents who say it took at most one visit ÷ respondents;
    满意率 = respondents who say they are satisfied ÷ respondents; respondents = people reached.
    Each is estimated per department and weighted by the department's number of completed cases
    (statistics.stratified_estimate). The change against the same survey a year earlier (same
    region, period one year before) is in percentage points (百分点).
    """

    survey: Survey
    strata: list[StratumRow]
    realization: Estimate
    satisfaction: Estimate
    previous: "SurveyReport | None" = None

    @property
    def interviewed(self) -> int:
        return sum(s.interviewed for s in self.strata)

    @property
    def drawn(self) -> int:
        return sum(s.sample_size for s in self.strata)

    @property
    def reached(self) -> int:
        return sum(s.reached for s in self.strata)

    @property
    def response_rate(self) -> Decimal | None:
        return _percent(self.reached, self.interviewed)

    @property
    def realization_change(self) -> float | None:
        if self.previous is None:
            return None
        return change_in_points(self.realization.rate, self.previous.realization.rate)

    @property
    def satisfaction_change(self) -> float | None:
        if self.previous is None:
            return None
        return change_in_points(self.satisfaction.rate, self.previous.satisfaction.rate)


def _stratum_rows(survey: Survey) -> list[StratumRow]:
    reached = Q(samples__reached=True)
    rows = (
        survey.strata.select_related("department")
        .annotate(
            interviewed=Count("samples", filter=Q(samples__reached__isnull=False)),
            reached_n=Count("samples", filter=reached),
            realized=Count(
                "samples", filter=reached & Q(samples__visits_reported__lte=ONE_TRIP_MAX_VISITS)
            ),
            satisfied_n=Count("samples", filter=reached & Q(samples__satisfied=True)),
        )
        .order_by("department__code")
    )
    return [
        StratumRow(
            department=s.department.name,
            population=s.population,
            sample_size=s.sample_size,
            interviewed=s.interviewed,
            reached=s.reached_n,
            realized=s.realized,
            satisfied=s.satisfied_n,
        )
        for s in rows
    ]


def _year_before(day: dt.date) -> dt.date:
    try:
        return day.replace(year=day.year - 1)
    except ValueError:  # 29 February
        return day.replace(year=day.year - 1, day=28)


def previous_survey(survey: Survey) -> Survey | None:
    """The same survey a year earlier: same region, period shifted back by one year."""
    return (
        Survey.objects.filter(
            region_id=survey.region_id,
            period_start=_year_before(survey.period_start),
            period_end=_year_before(survey.period_end),
        )
        .exclude(pk=survey.pk)
        .order_by("-created_at", "-id")
        .first()
    )


def survey_report(survey: Survey, *, compare: bool = True) -> SurveyReport:
    rows = _stratum_rows(survey)
    realization = stratified_estimate(
        [StratumCount(r.population, r.reached, r.realized) for r in rows]
    )
    satisfied = stratified_estimate(
        [StratumCount(r.population, r.reached, r.satisfied) for r in rows]
    )
    previous = previous_survey(survey) if compare else None
    return SurveyReport(
        survey=survey,
        strata=rows,
        realization=realization,
        satisfaction=satisfied,
        previous=survey_report(previous, compare=False) if previous else None,
    )


# 评价器 and the phone page ----------------------------------------------------------------------

PAD_RATING_MINUTES = 30  # a ticket can be rated on the pad this long after it was finished


def pad_subject(*, window_id: int) -> Ticket | None:
    """The ticket the window's pad rates now: the ticket just finished at this window, within
    the last PAD_RATING_MINUTES, not yet rated, and with no later ticket called there since
    (the next person at the window cannot rate the previous one's service)."""
    since = timezone.now() - dt.timedelta(minutes=PAD_RATING_MINUTES)
    last = (
        Ticket.objects.filter(window_id=window_id, finished_at__gte=since)
        .select_related("window", "clerk", "queue")
        .order_by("-finished_at", "-id")
        .first()
    )
    if last is None or last.status != Ticket.Status.DONE:
        return None
    called_since = Ticket.objects.filter(window_id=window_id, called_at__gt=last.finished_at)
    rated = Evaluation.objects.filter(ticket=last, follow_up_of__isnull=True)
    if called_since.exists() or rated.exists():
        return None
    return last


@dataclass(frozen=True)
class PhoneRating:
    """What the ticket's phone page offers: a first rating, a follow-up, or nothing more."""

    first: Evaluation | None
    follow_up: Evaluation | None

    @property
    def can_rate(self) -> bool:
        return self.first is None

    @property
    def can_follow_up(self) -> bool:
        return self.first is not None and self.follow_up is None and not self.first.invalidated


def phone_rating(ticket: Ticket) -> PhoneRating:
    """The ticket's one rating (on the pad or by phone) and its follow-up."""
    first = ticket.evaluations.filter(follow_up_of__isnull=True).order_by("id").first()
    follow_up = first.follow_ups.first() if first else None
    return PhoneRating(first, follow_up)


SURVEY_FORMULA = (
    "实现率 = 接通者中自述跑动不超过 1 次的人数 ÷ 接通人数（与办件统计同一标准：最多跑 1 次，"
    "零跑事项跑了 1 次也算实现；但这里衡量办事人的自述，办件统计衡量窗口登记的到访记录）；"
    "满意率 = 接通者中表示满意的人数 ÷ 接通人数。"
    "全区估计值按部门分层加权：p = Σ W_h·p_h，W_h = 部门办结件数 ÷ 各部门办结件数之和。"
    "95% 置信区间用 Wilson 公式：(p + z²/2n ± z·√(p(1−p)/n + z²/4n²)) ÷ (1 + z²/n)，z = 1.96，"
    "n 取有效样本量 p(1−p) ÷ Σ W_h²·p_h(1−p_h)/n_h（不超过接通人数）。"
    "同比变化 = 本次估计值 − 去年同期（同一区县、期间前移一年）估计值，单位为百分点。"
)
