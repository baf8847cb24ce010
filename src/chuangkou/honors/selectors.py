"""Reads of 评先表彰: who sees which campaigns and commendations, live counts, the ranking,
the public honors page and the counts for any period."""

import datetime as dt
from dataclasses import dataclass, field

from django.db.models import Count, Prefetch, Q, QuerySet

from chuangkou.core.roles import Role, has_role
from chuangkou.org.models import Department, Staff, Window

from . import permissions
from .filters import CampaignFilter, CommendationFilter
from .models import Campaign, Commendation, Kind, Nomination, ReviewScore, Vote

WHOLE_CENTER_ROLES = (Role.CENTER_ADMIN, Role.AUDITOR)


def campaigns_visible_to(user) -> QuerySet[Campaign]:
    """Campaigns are open to the center's staff, the graders (panels) and the auditor."""
    if not has_role(user, *permissions.CAMPAIGN_READER_ROLES):
        return Campaign.objects.none()
    return Campaign.objects.all()


def campaign_list(*, user, filters: CampaignFilter) -> QuerySet[Campaign]:
    qs = filters.filter(campaigns_visible_to(user))
    return qs.annotate(nominated=Count("nominations")).order_by("-period_end", "-pk")


def nominations_of(campaign: Campaign) -> QuerySet[Nomination]:
    return campaign.nominations.select_related("window", "staff", "department").order_by(
        "kind", "rank", "department__code", "pk"
    )


def public_nominations(campaign: Campaign) -> QuerySet[Nomination]:
    """What a voter chooses from: the eligible nominations."""
    return nominations_of(campaign).filter(status=Nomination.Status.ELIGIBLE)


@dataclass(frozen=True)
class LiveCount:
    nomination_id: int
    label: str
    votes: int
    percent: int  # of the category's most votes, for the bar


def live_counts(campaign: Campaign) -> dict[str, list[LiveCount]]:
    """实时票数 by category, most votes first."""
    rows = list(public_nominations(campaign).order_by("-votes", "pk"))
    counts: dict[str, list[LiveCount]] = {k: [] for k in Kind.values}
    for kind in Kind.values:
        mine = [n for n in rows if n.kind == kind]
        top = max((n.votes for n in mine), default=0)
        counts[kind] = [
            LiveCount(n.pk, n.subject_label, n.votes, round(n.votes * 100 / top) if top else 0)
            for n in mine
        ]
    return counts


def count_groups(campaign: Campaign) -> list[tuple[str, str, list[LiveCount]]]:
    """`live_counts` as (kind, label, rows) for the pages."""
    counts = live_counts(campaign)
    return [(kind, label, counts[kind]) for kind, label in Kind.choices]


def vote_totals(campaign: Campaign) -> dict[str, int]:
    """Votes counted from the rows themselves, by channel (the check on the counters)."""
    rows = Vote.objects.filter(campaign=campaign).values("channel").annotate(n=Count("id"))
    return {r["channel"]: r["n"] for r in rows}


def staff_has_voted(campaign: Campaign, user) -> set[str]:
    """The categories the user has already voted in."""
    if not getattr(user, "is_authenticated", False):
        return set()
    return set(Vote.objects.filter(campaign=campaign, voter=user).values_list("kind", flat=True))


def ticket_has_voted(campaign: Campaign, ticket) -> set[str]:
    return set(Vote.objects.filter(campaign=campaign, ticket=ticket).values_list("kind", flat=True))


def votable_campaigns() -> QuerySet[Campaign]:
    return Campaign.objects.filter(status=Campaign.Status.VOTING).order_by("vote_end", "pk")


def published_campaigns() -> QuerySet[Campaign]:
    """The public honors page: published campaigns with their awarded nominations."""
    awarded = Nomination.objects.filter(awarded=True).select_related(
        "window", "staff", "department"
    )
    return (
        Campaign.objects.filter(status=Campaign.Status.PUBLISHED)
        .order_by("-published_at", "-pk")
        .prefetch_related(Prefetch("nominations", queryset=awarded.order_by("kind", "rank")))
    )


def my_scores(user, campaign: Campaign) -> dict[int, object]:
    """A panel member's own scores of the campaign, by nomination id."""
    return dict(
        ReviewScore.objects.filter(nomination__campaign=campaign, judge=user).values_list(
            "nomination_id", "score"
        )
    )


# 表彰 -------------------------------------------------------------------------------------------


def commendations_visible_to(user) -> QuerySet[Commendation]:
    """The center admin and the auditor see all; a head their departments; a clerk those
    naming themselves or their window."""
    qs = Commendation.objects.select_related("window", "staff", "department")
    if has_role(user, *WHOLE_CENTER_ROLES):
        return qs
    visible = Q(pk__in=[])
    if has_role(user, Role.DEPT_HEAD):
        visible |= Q(department__in=Department.objects.filter(heads=user))
    if has_role(user, Role.CLERK):
        mine = Staff.objects.filter(user=user)
        visible |= Q(staff__in=mine) | Q(window__in=mine.values("window"))
    return qs.filter(visible)


def commendation_list(*, user, filters: CommendationFilter) -> QuerySet[Commendation]:
    return filters.filter(commendations_visible_to(user))


@dataclass(frozen=True)
class CommendationCounts:
    """锦旗、感谢信、集体荣誉 received in [start, end]."""

    start: dt.date | None
    end: dt.date | None
    banners: int = 0
    letters: int = 0
    titles: int = 0
    by_department: list[tuple[str, int, int, int]] = field(default_factory=list)

    @property
    def total(self) -> int:
        return self.banners + self.letters + self.titles


def _count_by_type(field_name: str = "") -> dict:
    prefix = f"{field_name}__" if field_name else ""
    return {
        name: Count("id", filter=Q(**{f"{prefix}type": value}))
        for name, value in (("banners", "banner"), ("letters", "letter"), ("titles", "title"))
    }


def commendation_counts(
    *, user, start: dt.date | None = None, end: dt.date | None = None
) -> CommendationCounts:
    """Counts of any period (both ends included), from the records."""
    qs = commendations_visible_to(user)
    if start:
        qs = qs.filter(received_on__gte=start)
    if end:
        qs = qs.filter(received_on__lte=end)
    totals = qs.aggregate(**_count_by_type())
    rows = (
        qs.values("department__name")
        .annotate(**_count_by_type())
        .order_by("-banners", "-letters", "department__name")
    )
    return CommendationCounts(
        start=start,
        end=end,
        by_department=[
            (r["department__name"], r["banners"], r["letters"], r["titles"]) for r in rows
        ],
        **totals,
    )


def departments_for(user) -> QuerySet[Department]:
    """The departments a user may nominate or record commendations for."""
    if has_role(user, Role.CENTER_ADMIN):
        return Department.objects.order_by("code")
    return Department.objects.filter(heads=user).order_by("code")


def windows_for(user) -> QuerySet[Window]:
    return Window.objects.filter(department__in=departments_for(user), is_active=True)


def staff_for(user) -> QuerySet[Staff]:
    return Staff.objects.filter(department__in=departments_for(user)).exclude(
        status=Staff.Status.LEFT
    )


@dataclass(frozen=True)
class HonorsSummary:
    """For the oversight overview: published campaigns and winners, commendations."""

    campaigns: int
    windows_awarded: int
    staff_awarded: int
    commendations: CommendationCounts


def honors_summary(*, user, start: dt.date, end: dt.date) -> HonorsSummary:
    published = Campaign.objects.filter(
        status=Campaign.Status.PUBLISHED, period_end__gte=start, period_start__lte=end
    )
    awarded = Nomination.objects.filter(campaign__in=published, awarded=True)
    return HonorsSummary(
        campaigns=published.count(),
        windows_awarded=awarded.filter(kind=Kind.WINDOW).count(),
        staff_awarded=awarded.filter(kind=Kind.STAFF).count(),
        commendations=commendation_counts(user=user, start=start, end=end),
    )
