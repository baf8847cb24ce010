"""Reads of 能力提升: who is invited, the lists each user sees, hours, averages, needs."""

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal

from django.db.models import Avg, Count, Q, QuerySet, Sum
from django.utils import timezone

from chuangkou.core.roles import Role, has_role
from chuangkou.org.models import Staff
from chuangkou.org.selectors import staff_visible_to

from .models import Attendance, Suggestion, TrainingEvent

ATTENDED = (Attendance.Status.PRESENT, Attendance.Status.LATE)
LOW_MASTERY = 0.6  # below this share of the points a knowledge point is a training need


def audience_q(event: TrainingEvent) -> Q:
    """The staff an event is for (Q over Staff); everyone when no audience is named."""
    q = Q()
    departments = list(event.departments.values_list("pk", flat=True))
    categories = list(event.categories.values_list("pk", flat=True))
    invitees = list(event.invitees.values_list("pk", flat=True))
    if departments:
        q |= Q(department_id__in=departments)
    if event.employment_types:
        q |= Q(employment_type__in=event.employment_types)
    if categories:
        q |= Q(category_id__in=categories)
    if invitees:
        q |= Q(pk__in=invitees)
    return q


def invited_staff(event: TrainingEvent) -> QuerySet[Staff]:
    return Staff.objects.exclude(status=Staff.Status.LEFT).filter(audience_q(event))


def is_invited(event: TrainingEvent, staff: Staff) -> bool:
    return invited_staff(event).filter(pk=staff.pk).exists()


def audience_label(event: TrainingEvent) -> str:
    """参训范围 in words, e.g. "部门：市场监管局；用工性质：临编"."""
    parts = []
    if names := [d.name for d in event.departments.all()]:
        parts.append("部门：" + "、".join(names))
    if event.employment_types:
        labels = dict(Staff.EmploymentType.choices)
        parts.append("用工性质：" + "、".join(str(labels[t]) for t in event.employment_types))
    if names := [c.name for c in event.categories.all()]:
        parts.append("业务类别：" + "、".join(names))
    if names := [s.name for s in event.invitees.all()]:
        parts.append("指定人员：" + "、".join(names[:10]) + ("等" if len(names) > 10 else ""))
    return "；".join(parts) or "全体窗口人员"


def events_visible_to(user) -> QuerySet[TrainingEvent]:
    """The training calendar is open to every staff role and the auditor."""
    return TrainingEvent.objects.annotate(
        signed=Count("attendances", distinct=True),
        attended=Count("attendances", filter=Q(attendances__status__in=ATTENDED), distinct=True),
    )


def event_list(*, user, filters) -> QuerySet[TrainingEvent]:
    return filters.filter(events_visible_to(user)).order_by("-starts_at", "-id")


def my_events(staff: Staff) -> QuerySet[TrainingEvent]:
    """我的培训: the events the person is invited to or signed up for, newest first."""
    ids = TrainingEvent.objects.filter(attendances__staff=staff).values("pk")
    open_to_all = TrainingEvent.objects.filter(
        departments=None, categories=None, invitees=None, employment_types=[]
    ).values("pk")
    return TrainingEvent.objects.filter(
        Q(pk__in=ids)
        | Q(departments=staff.department_id)
        | Q(categories=staff.category_id)
        | Q(invitees=staff)
        | Q(pk__in=_open_to_type(staff.employment_type))
        | Q(pk__in=open_to_all)
    ).distinct()


def _open_to_type(employment_type: str) -> list[int]:
    """Events naming this employment type (a JSON list: matched here, as SQLite has no
    JSON `contains`)."""
    named = TrainingEvent.objects.exclude(employment_types=[]).values_list("pk", "employment_types")
    return [pk for pk, types in named if employment_type in types]


def attendance_of(event: TrainingEvent) -> QuerySet[Attendance]:
    return event.attendances.select_related("staff__department").order_by("staff__staff_no")


def feedback_average(event: TrainingEvent) -> dict:
    """课后评价 average: {"count", "rating", "usefulness"} (None averages without any)."""
    row = event.feedbacks.aggregate(
        count=Count("pk"), rating=Avg("rating"), usefulness=Avg("usefulness")
    )
    for key in ("rating", "usefulness"):
        row[key] = round(row[key], 2) if row[key] is not None else None
    return row


# -- training hours ------------------------------------------------------------------------------


def _period(start: dt.date | None, end: dt.date | None) -> Q:
    q = Q(status__in=ATTENDED)
    if start:
        q &= Q(event__starts_at__date__gte=start)
    if end:
        q &= Q(event__starts_at__date__lte=end)
    return q


def hours_staff_visible_to(user) -> QuerySet[Staff]:
    """Center admin and auditor: everyone; a head: their departments; anyone else: themself."""
    if has_role(user, Role.CENTER_ADMIN, Role.AUDITOR):
        return Staff.objects.all()
    return staff_visible_to(user)


def _tenths(value) -> Decimal:
    """A sum of hours as 12.5 on both databases (SQLite drops the trailing .0)."""
    return Decimal(value or 0).quantize(Decimal("0.1"))


@dataclass
class HoursRow:
    name: str
    department: str
    events: int
    hours: Decimal
    staff_no: str = ""


def hours_by_person(*, user, start=None, end=None, department=None) -> list[HoursRow]:
    """培训学时 per person in the period (people without any hours included, with 0)."""
    attendances = Attendance.objects.filter(
        _period(start, end), staff__in=hours_staff_visible_to(user).values("pk")
    )
    if department:
        attendances = attendances.filter(staff__department_id=department)
    rows = attendances.values("staff__staff_no", "staff__name", "staff__department__name").annotate(
        n=Count("pk"), h=Sum("event__hours")
    )
    result = [
        HoursRow(
            r["staff__name"],
            r["staff__department__name"],
            r["n"],
            _tenths(r["h"]),
            r["staff__staff_no"],
        )
        for r in rows
    ]
    return sorted(result, key=lambda r: (-r.hours, r.staff_no))


def hours_of(staff: Staff, *, start=None, end=None) -> tuple[int, Decimal]:
    """One person's (events attended, training hours) in the period."""
    row = Attendance.objects.filter(_period(start, end), staff=staff).aggregate(
        n=Count("pk"), h=Sum("event__hours")
    )
    return row["n"], _tenths(row["h"])


def open_suggestions(user) -> QuerySet[Suggestion]:
    """建议 still to be handled (not adopted or declined) among those the user sees."""
    return suggestions_visible_to(user).exclude(
        status__in=(Suggestion.Status.ADOPTED, Suggestion.Status.DECLINED)
    )


def hours_by_department(*, user, start=None, end=None) -> list[HoursRow]:
    """培训学时 per department: attendances, total hours."""
    rows = (
        Attendance.objects.filter(
            _period(start, end), staff__in=hours_staff_visible_to(user).values("pk")
        )
        .values("staff__department__name")
        .annotate(n=Count("pk"), h=Sum("event__hours"))
    )
    result = [HoursRow("", r["staff__department__name"], r["n"], _tenths(r["h"])) for r in rows]
    return sorted(result, key=lambda r: (-r.hours, r.department))


# -- training needs (from the exams' item analysis) ----------------------------------------------


@dataclass
class Need:
    department: str
    department_id: int | None
    point_id: int
    point: str
    domain: str
    mastery: float


def training_needs(*, user, threshold: float = LOW_MASTERY) -> list[Need]:
    """培训需求: per department, the knowledge points whose mastery is below `threshold`,
    weakest first (from `exams.selectors.mastery_report`)."""
    from chuangkou.exams.selectors import mastery_report
    from chuangkou.org.models import Department

    report = mastery_report(user=user)
    points = {m.point_id: m for m in report.points}
    departments = dict(Department.objects.values_list("name", "pk"))
    needs = [
        Need(dept, departments.get(dept), pid, points[pid].name, points[pid].domain, ratio)
        for dept, cells in report.by_department.items()
        for pid, ratio in cells.items()
        if ratio is not None and ratio < threshold and pid in points
    ]
    return sorted(needs, key=lambda n: (n.department, n.mastery))


# -- suggestions ---------------------------------------------------------------------------------


def suggestions_visible_to(user) -> QuerySet[Suggestion]:
    """The center admin and the auditor see all; a head their departments' and those assigned
    to them; anyone else their own and those assigned to them."""
    qs = Suggestion.objects.select_related("author__department", "assignee", "problem")
    if has_role(user, Role.CENTER_ADMIN, Role.AUDITOR):
        return qs
    mine = Q(author__user=user) | Q(assignee=user)
    if has_role(user, Role.DEPT_HEAD):
        mine |= Q(author__department__heads=user)
    return qs.filter(mine).distinct()


def suggestion_list(*, user, filters) -> QuerySet[Suggestion]:
    return filters.filter(suggestions_visible_to(user))


def suggestion_counts(qs: QuerySet[Suggestion]) -> dict[str, int]:
    """Suggestions per aspect (the seed's 30 余条 over four aspects)."""
    counts = dict(qs.values_list("aspect").annotate(n=Count("pk")).values_list("aspect", "n"))
    return {label: counts.get(value, 0) for value, label in Suggestion.Aspect.choices}


def upcoming(*, now=None) -> QuerySet[TrainingEvent]:
    return TrainingEvent.objects.filter(ends_at__gte=now or timezone.now()).order_by("starts_at")


# -- courseware and the 大 PK --------------------------------------------------------------------


@dataclass
class Standing:
    courseware: object
    judges: int
    review: float  # the panel's average, as a percentage of the maximum
    votes: int
    final: float
    average: float = 0.0  # the panel's average total, in points
    by_criterion: tuple = ()  # the panel's average per stated criterion (None: not scored)
    rank: int = 0


def _criterion_averages(contest) -> dict[int, tuple]:
    """{courseware id: (average of criterion 1, …)} over the panel's scores."""
    from .models import PkScore

    sums: dict[int, list] = {}
    names = [name for name, _top in contest.criteria]
    for courseware_id, points in PkScore.objects.filter(contest=contest).values_list(
        "courseware", "points"
    ):
        row = sums.setdefault(courseware_id, [[Decimal(0), 0] for _ in names])
        for i, name in enumerate(names):
            if name in (points or {}):
                row[i][0] += Decimal(str(points[name]))
                row[i][1] += 1
    return {
        pk: tuple(round(float(total / n), 2) if n else None for total, n in row)
        for pk, row in sums.items()
    }


def pk_standings(contest) -> list[Standing]:
    """排名: review (panel average ÷ maximum) and votes (÷ the most votes) weighted by the
    contest's vote weight, best first; ties share a rank."""
    from .models import PkScore, PkVote

    reviews = {
        r["courseware"]: (r["n"], float(r["avg"]))
        for r in PkScore.objects.filter(contest=contest)
        .values("courseware")
        .annotate(n=Count("pk"), avg=Avg("total"))
    }
    criteria = _criterion_averages(contest)
    empty = tuple(None for _ in contest.criteria)
    votes = dict(
        PkVote.objects.filter(contest=contest)
        .values("courseware")
        .annotate(n=Count("pk"))
        .values_list("courseware", "n")
    )
    most = max(votes.values(), default=0)
    weight = contest.vote_weight / 100
    rows = []
    for entry in contest.entries.all():
        judges, average = reviews.get(entry.pk, (0, 0.0))
        review = 100 * average / contest.max_score if contest.max_score else 0.0
        share = 100 * votes.get(entry.pk, 0) / most if most else 0.0
        final = round(review * (1 - weight) + share * weight, 2)
        rows.append(
            Standing(
                entry,
                judges,
                round(review, 2),
                votes.get(entry.pk, 0),
                final,
                round(average, 2),
                criteria.get(entry.pk, empty),
            )
        )
    rows.sort(key=lambda s: (-s.final, s.courseware.pk))
    for i, row in enumerate(rows):
        same = i and rows[i - 1].final == row.final
        row.rank = rows[i - 1].rank if same else i + 1
    return rows


def pk_results_visible(user, contest) -> bool:
    """The results are published when the contest closes; the center admin and the auditor
    follow them all along."""
    return contest.status == contest.Status.CLOSED or has_role(
        user, Role.CENTER_ADMIN, Role.AUDITOR
    )


def courseware_visible_to(user):
    """Courseware is open to every staff role and the auditor (speakers share their slides)."""
    from .models import Courseware

    return Courseware.objects.select_related("event").order_by("domain", "title", "pk")


def handbook_entries(year: int):
    from .models import Courseware

    return Courseware.objects.filter(year=year, selected=True).order_by("domain", "title", "pk")
