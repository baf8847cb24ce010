"""Reads of 竞聘上岗: who sees which competition, the judge's sheet, ranking, budget, 公示."""

from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import Count, F, OuterRef, QuerySet, Subquery

from chuangkou.core.roles import Role, has_role

from . import permissions
from .filters import CandidateFilter, CompetitionFilter, ObjectionFilter
from .models import Candidate, Competition, InterviewScore, Judge, Objection, Tier
from .scoring import TIE, Entry, Placement, TierSpec, assign_tiers, rank_candidates

Status = Competition.Status
PUBLIC_STATUSES = (Status.PUBLISHED, Status.FINAL)


def competitions_visible_to(user) -> QuerySet[Competition]:
    """The center admin sees every competition; nobody else manages them."""
    if not permissions.can_manage(user):
        return Competition.objects.none()
    return Competition.objects.all()


def competition_list(*, user, filters: CompetitionFilter) -> QuerySet[Competition]:
    return (
        filters.filter(competitions_visible_to(user))
        .annotate(
            candidate_count=Count("candidates", distinct=True),
            judge_count=Count("judges", distinct=True),
        )
        .order_by("-year", "-id")
    )


def judge_competitions(user) -> QuerySet[Competition]:
    """Competitions on whose interview panel the user sits (grader role required)."""
    if not has_role(user, Role.GRADER):
        return Competition.objects.none()
    return (
        Competition.objects.filter(judges__user=user)
        .exclude(status=Status.DRAFT)
        .order_by("-year", "-id")
    )


def candidates_of(competition: Competition, filters: CandidateFilter) -> QuerySet[Candidate]:
    """Everyone registered, with the number of interview scores in (never the scores)."""
    qs = Candidate.objects.filter(competition=competition).select_related(
        "staff", "staff__department", "tier"
    )
    return filters.filter(qs).annotate(scored=Count("interview_scores")).order_by("staff__staff_no")


def scored_counts(competition: Competition) -> dict[int, int]:
    rows = (
        InterviewScore.objects.filter(candidate__competition=competition)
        .values("candidate")
        .annotate(n=Count("id"))
    )
    return {row["candidate"]: row["n"] for row in rows}


def judge_sheet(*, user, competition: Competition, filters: CandidateFilter) -> QuerySet[Candidate]:
    """The judge's own scoring sheet: active candidates with *their own* score only."""
    judge = permissions.judge_seat(user, competition)
    if judge is None:
        return Candidate.objects.none()
    own = InterviewScore.objects.filter(candidate=OuterRef("pk"), judge=judge).values("score")[:1]
    qs = Candidate.objects.filter(
        competition=competition, status=Candidate.Status.REGISTERED
    ).select_related("staff", "staff__department")
    return filters.filter(qs).annotate(my_score=Subquery(own)).order_by("staff__staff_no")


def judge_progress(*, user, competition: Competition) -> tuple[int, int]:
    """(candidates this judge has scored, active candidates)."""
    judge = permissions.judge_seat(user, competition)
    active = competition.candidates.filter(status=Candidate.Status.REGISTERED)
    if judge is None:
        return 0, active.count()
    return judge.scores.filter(candidate__in=active).count(), active.count()


def panel_scores(competition: Competition) -> dict[int, list[Decimal]]:
    """Each candidate's scores in seat order — only for candidates whose panel is complete
    (盲评: nobody sees a judge's score before every judge has scored that candidate)."""
    seats = list(competition.judges.values_list("pk", flat=True))
    by_candidate: dict[int, dict[int, Decimal]] = {}
    for candidate_id, judge_id, score in InterviewScore.objects.filter(
        candidate__competition=competition
    ).values_list("candidate", "judge", "score"):
        by_candidate.setdefault(candidate_id, {})[judge_id] = score
    return {
        pk: [scores[s] for s in seats]
        for pk, scores in by_candidate.items()
        if len(scores) == len(seats)
    }


def tier_specs(competition: Competition) -> list[TierSpec]:
    return [
        TierSpec(t.pk, t.quota, t.annual_amount) for t in competition.tiers.order_by("rank_order")
    ]


def placements(competition: Competition) -> list[Placement]:
    """Ranks and tiers as the rules give them from the stored scores (see scoring.py)."""
    entries = [
        Entry(pk, final, written, interview, tie_break)
        for pk, final, written, interview, tie_break in competition.candidates.filter(
            status=Candidate.Status.REGISTERED, final_score__isnull=False
        ).values_list("pk", "final_score", "written_score", "interview_score", "tie_break")
    ]
    return assign_tiers(rank_candidates(entries), tier_specs(competition), competition.pass_line)


@dataclass(frozen=True)
class TieGroup:
    """并列待定: candidates sharing a rank whose seats span a quota boundary."""

    rank: int
    candidates: list[Candidate]
    held: tuple
    held_labels: list[str] = field(default_factory=list)


def pending_ties(competition: Competition) -> list[TieGroup]:
    tiers = {t.pk: t.name for t in competition.tiers.all()}
    groups: dict[int, list[Placement]] = {}
    for p in placements(competition):
        if p.outcome == TIE:
            groups.setdefault(p.rank, []).append(p)
    people = Candidate.objects.select_related("staff", "staff__department").in_bulk(
        [p.key for group in groups.values() for p in group]
    )
    return [
        TieGroup(
            rank=rank,
            candidates=[people[p.key] for p in group],
            held=group[0].held,
            held_labels=[tiers[t] if t is not None else "不入围" for t in group[0].held],
        )
        for rank, group in sorted(groups.items())
    ]


def ranking(
    competition: Competition, filters: CandidateFilter | None = None
) -> QuerySet[Candidate]:
    """Everyone in rank order; withdrawn candidates last."""
    qs = Candidate.objects.filter(competition=competition)
    return (
        (filters or CandidateFilter())
        .filter(qs)
        .select_related("staff", "staff__department", "tier")
        .order_by("status", F("rank").asc(nulls_last=True), "staff__staff_no")
    )


@dataclass(frozen=True)
class TierCost:
    name: str
    quota: int
    placed: int
    annual_amount: int

    @property
    def subtotal(self) -> int:
        return self.placed * self.annual_amount

    @property
    def full_cost(self) -> int:
        return self.quota * self.annual_amount


@dataclass(frozen=True)
class BudgetReport:
    """年度总额 against the budget (integer yuan)."""

    budget: int
    rows: list[TierCost]

    @property
    def total(self) -> int:
        return sum(row.subtotal for row in self.rows)

    @property
    def full_cost(self) -> int:
        """What the tiers cost with every seat filled."""
        return sum(row.full_cost for row in self.rows)

    @property
    def overrun(self) -> int:
        return max(0, self.total - self.budget)

    @property
    def remaining(self) -> int:
        return max(0, self.budget - self.total)

    @property
    def placed(self) -> int:
        return sum(row.placed for row in self.rows)

    @property
    def quota(self) -> int:
        return sum(row.quota for row in self.rows)


def budget_report(competition: Competition) -> BudgetReport:
    tiers = Tier.objects.filter(competition=competition).annotate(
        placed=Count("candidate", distinct=True)
    )
    return BudgetReport(
        budget=competition.budget,
        rows=[TierCost(t.name, t.quota, t.placed, t.annual_amount) for t in tiers],
    )


def public_notices() -> QuerySet[Competition]:
    """Competitions whose results are published (公示) or final: public, without login."""
    return Competition.objects.filter(status__in=PUBLIC_STATUSES).order_by("-notice_start", "-id")


@dataclass(frozen=True)
class NoticeRow:
    """One line of the public notice: no staff number, ID or phone number."""

    candidate_id: int
    rank: int
    name: str
    department: str
    final_score: Decimal
    tier: str


def notice_rows(competition: Competition) -> list[NoticeRow]:
    if competition.status not in PUBLIC_STATUSES:
        return []
    placed = (
        competition.candidates.filter(outcome=Candidate.Outcome.PLACED)
        .order_by("tier__rank_order", "rank", "staff__staff_no")
        .values_list(
            "pk", "rank", "staff__name", "staff__department__name", "final_score", "tier__name"
        )
    )
    return [NoticeRow(*row) for row in placed]


def objections_of(competition: Competition, filters: ObjectionFilter) -> QuerySet[Objection]:
    return filters.filter(
        Objection.objects.filter(competition=competition).select_related(
            "candidate__staff", "submitted_by", "handled_by"
        )
    ).order_by("-submitted_at", "-id")


def objections_by(user) -> QuerySet[Objection]:
    """我的异议: the objections a person submitted, with the center's answers."""
    if not getattr(user, "is_authenticated", False):
        return Objection.objects.none()
    return (
        Objection.objects.filter(submitted_by=user)
        .select_related("competition", "candidate__staff")
        .order_by("-submitted_at", "-id")
    )


def judges_of(competition: Competition) -> QuerySet[Judge]:
    return competition.judges.select_related("user").annotate(scored=Count("scores"))
