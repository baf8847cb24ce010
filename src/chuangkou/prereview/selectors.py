"""Reads of the pre-review: what a reviewer sees, a person's own pre-review, the figures."""

import datetime as dt
from dataclasses import dataclass

from django.db.models import Count, Q, QuerySet, Sum
from django.db.models.functions import Coalesce
from django.utils import timezone

from chuangkou.cases.models import Case
from chuangkou.catalog.models import Matter
from chuangkou.core.roles import Role, roles_of
from chuangkou.hall.models import AppointmentSlot, ServiceQueue

from . import permissions
from .models import PreReview, PreReviewItem


def prereviews_visible_to(user) -> QuerySet[PreReview]:
    """The center admin sees every pre-review; a clerk those of their center and department."""
    qs = PreReview.objects.select_related("matter", "matter__department", "center", "case")
    held = roles_of(user)
    if Role.CENTER_ADMIN in held:
        return qs
    if Role.CLERK in held:
        staff = permissions.staff_of(user)
        if staff is not None:
            return qs.filter(center_id=staff.center_id, matter__department_id=staff.department_id)
    return qs.none()


def prereview_list(*, user, filters) -> QuerySet[PreReview]:
    return filters.filter(prereviews_visible_to(user)).order_by("-started_at", "-id")


def public_prereview(token) -> PreReview | None:
    """The pre-review behind an applicant's link (None for an unknown or malformed token)."""
    return (
        PreReview.objects.select_related("matter", "center", "ticket", "appointment", "case")
        .filter(public_token=token)
        .first()
    )


def items_of(prereview: PreReview) -> list[PreReviewItem]:
    return list(
        prereview.items.select_related("material", "reviewed_by").order_by(
            "material__order", "material_id"
        )
    )


def matters_for_prereview(query: str = "") -> QuerySet[Matter]:
    """Matters a person can pre-review: active, with at least one required material."""
    qs = Matter.objects.filter(is_active=True, materials__requirement="required").distinct()
    query = (query or "").strip()[:50].replace("\x00", "")
    if query:
        qs = qs.filter(Q(name__icontains=query) | Q(code__icontains=query))
    return qs.select_related("department").order_by("code")


def queues_for(prereview: PreReview) -> QuerySet[ServiceQueue]:
    """The center's active queues that serve the matter (where the priority ticket comes from)."""
    return ServiceQueue.objects.filter(
        center_id=prereview.center_id, matters=prereview.matter_id, is_active=True
    ).order_by("prefix")


def bookable_slots(prereview: PreReview) -> list[AppointmentSlot]:
    """Open slots of the coming two weeks in the queues serving the matter."""
    from chuangkou.hall import selectors as hall_selectors

    slots = []
    for queue in queues_for(prereview):
        for day in hall_selectors.booking_days(queue):
            slots.extend(hall_selectors.bookable_slots(queue, day))
    return slots[:60]


# -- figures ------------------------------------------------------------------------------------


@dataclass(frozen=True)
class CaseGroup:
    cases: int
    one_trip: int
    visits: int

    @property
    def one_trip_rate(self) -> float | None:
        return round(self.one_trip / self.cases, 4) if self.cases else None

    @property
    def average_visits(self) -> float | None:
        return round(self.visits / self.cases, 4) if self.cases else None


@dataclass(frozen=True)
class Figures:
    start: dt.date
    end: dt.date
    started: int
    completed: int
    average_fix_rounds: float | None
    prereviewed: CaseGroup
    others: CaseGroup
    visits_saved: float | None


def _aware_bounds(start: dt.date, end: dt.date):
    tz = timezone.get_current_timezone()
    low = dt.datetime.combine(start, dt.time.min, tzinfo=tz)
    high = dt.datetime.combine(end + dt.timedelta(days=1), dt.time.min, tzinfo=tz)
    return low, high


def _group(cases) -> CaseGroup:
    """Counted in the database: a period of years holds hundreds of thousands of cases."""
    totals = cases.order_by().aggregate(
        cases=Count("pk"),
        one_trip=Count("pk", filter=Q(is_one_trip=True)),
        visits=Coalesce(Sum("visits"), 0),
    )
    return CaseGroup(totals["cases"], totals["one_trip"], totals["visits"])


def figures(*, user, start: dt.date, end: dt.date) -> Figures:
    """预审 figures for [start, end]: pre-reviews started and completed in the period, the average
    补正 rounds of those completed, and, over cases 办结 in the period for the matters that had a
    pre-reviewed case, the one-trip rate and average visits of pre-reviewed cases against the
    others. Only cases accepted at the window count on both sides (a pre-review ends at the
    window; an online case takes no trip and would flatter the others).
    少跑次数 = (others' average visits − pre-reviewed average visits) × pre-reviewed cases."""
    visible = prereviews_visible_to(user)
    low, high = _aware_bounds(start, end)
    started = visible.filter(started_at__gte=low, started_at__lt=high).count()
    done = list(
        visible.filter(passed_at__gte=low, passed_at__lt=high).values_list("fix_rounds", flat=True)
    )
    average = round(sum(done) / len(done), 4) if done else None
    closed = Case.objects.filter(
        status=Case.Status.COMPLETED,
        channel=Case.Channel.WINDOW,
        completed_date__gte=start,
        completed_date__lte=end,
    )
    linked = closed.filter(prereview__in=visible)
    # the matters as a plain list: a nested subquery here made PostgreSQL's plan take minutes
    matters = sorted(set(linked.values_list("matter_id", flat=True)))
    pre = _group(linked)
    others = _group(closed.filter(matter_id__in=matters, prereview__isnull=True))
    saved = None
    if pre.cases and others.cases:
        saved = round((others.average_visits - pre.average_visits) * pre.cases, 2)
    return Figures(start, end, started, len(done), average, pre, others, saved)
