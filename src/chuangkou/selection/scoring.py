"""The arithmetic of 竞聘上岗, free of the database: interview score, final score, ranking, tiers.

Rounding: the interview score and the final score are rounded half up to two decimals, and the
ranking compares those rounded figures, as they are published.

Ranking (名次): by final score, then written score, then interview score, all descending.
Candidates equal on all three share a rank and the next rank skips ("1224", competition ranking).

Tiers (定档): the tiers' quotas make one row of seats, highest tier first (e.g. 8 seats of 一档,
15 of 二档, 20 of 三档). Candidates at or above the pass line take the seats in rank order.
Quotas are hard limits: no tier ever receives more people than its quota.

A tie at a quota boundary (并列跨档): when candidates sharing a rank would take seats of
different tiers (or some of them would be left without a seat), none of them is placed
automatically. Their seats are held for them, they are marked 并列待定 (`TIE`), and the
candidates after them carry on from the seats after the held ones. The center admin then orders
the tied candidates (by an extra question, by lot, …; the reason is recorded) and the held seats
go to them in that order: `tie_break` 1 takes the best held seat. Publication is refused while
a tie is pending. Everyone below the pass line gets nothing.
"""

from collections.abc import Hashable, Iterable, Sequence
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

from chuangkou.core.errors import DomainError

CENT = Decimal("0.01")
HUNDRED = Decimal(100)
TRIM_FROM = 5  # 体操计分法: with five or more judges the highest and lowest are dropped

PLACED = "placed"
UNPLACED = "unplaced"
BELOW = "below"  # below the pass line
TIE = "tie"


def rounded(value: Decimal) -> Decimal:
    return value.quantize(CENT, rounding=ROUND_HALF_UP)


def parse_score(value: object, *, field: str = "score", label: str = "评分") -> Decimal:
    """A score of 0–100 with at most two decimals, from a number or text; DomainError otherwise."""
    if isinstance(value, bool) or value is None:
        raise DomainError(f"{label}须为 0–100 之间的数字。", field=field)
    text = str(value).strip() if not isinstance(value, float) else repr(value)
    try:
        number = Decimal(text)
    except (InvalidOperation, ValueError):
        raise DomainError(f"{label}须为 0–100 之间的数字。", field=field) from None
    if not number.is_finite():
        raise DomainError(f"{label}须为 0–100 之间的数字。", field=field)
    if number < 0 or number > HUNDRED:
        raise DomainError(f"{label}须在 0 到 100 之间（填写的是 {text}）。", field=field)
    if number != number.quantize(CENT, rounding=ROUND_HALF_UP):
        raise DomainError(f"{label}最多保留两位小数。", field=field)
    return number.quantize(CENT)


def interview_score(scores: Sequence[Decimal]) -> Decimal | None:
    """面试成绩: with ≥5 judges drop one highest and one lowest score (体操计分法) and average
    the rest; with fewer judges the plain mean; None when nobody has scored."""
    values = sorted(Decimal(s) for s in scores)
    if not values:
        return None
    if len(values) >= TRIM_FROM:
        values = values[1:-1]
    return rounded(sum(values) / len(values))


def final_score(
    written: Decimal, interview: Decimal, written_weight: Decimal, interview_weight: Decimal
) -> Decimal:
    """综合成绩 = 笔试 × 笔试权重% + 面试 × 面试权重% (the weights sum to 100)."""
    return rounded((written * written_weight + interview * interview_weight) / HUNDRED)


@dataclass(frozen=True)
class Entry:
    """One candidate's figures for the ranking; `tie_break` is the admin's order within a tie."""

    key: Hashable
    final: Decimal
    written: Decimal
    interview: Decimal
    tie_break: int | None = None

    @property
    def sort_key(self) -> tuple[Decimal, Decimal, Decimal]:
        return (self.final, self.written, self.interview)


@dataclass(frozen=True)
class Ranked:
    entry: Entry
    rank: int


def rank_candidates(entries: Iterable[Entry]) -> list[Ranked]:
    """Entries ordered best first with competition ranks ("1224"); equal order is kept stable."""
    ordered = sorted(entries, key=lambda e: e.sort_key, reverse=True)
    ranked: list[Ranked] = []
    for position, entry in enumerate(ordered, start=1):
        if ranked and ranked[-1].entry.sort_key == entry.sort_key:
            ranked.append(Ranked(entry, ranked[-1].rank))
        else:
            ranked.append(Ranked(entry, position))
    return ranked


@dataclass(frozen=True)
class TierSpec:
    key: Hashable
    quota: int
    annual_amount: int


@dataclass(frozen=True)
class Placement:
    key: Hashable
    rank: int
    outcome: str
    tier: Hashable | None = None
    held: tuple[Hashable | None, ...] = ()  # the seats held for a pending tie (None: no seat)


def _groups(ranked: Sequence[Ranked]) -> list[list[Ranked]]:
    groups: list[list[Ranked]] = []
    for item in ranked:
        if groups and groups[-1][0].rank == item.rank:
            groups[-1].append(item)
        else:
            groups.append([item])
    return groups


def _resolved_order(group: list[Ranked]) -> list[Ranked] | None:
    """The group in the admin's order, when every member has a distinct `tie_break`."""
    breaks = [item.entry.tie_break for item in group]
    if None in breaks or len(set(breaks)) != len(breaks):
        return None
    return sorted(group, key=lambda item: item.entry.tie_break)


def assign_tiers(
    ranked: Sequence[Ranked], tiers: Sequence[TierSpec], pass_line: Decimal
) -> list[Placement]:
    """定档: tiers (highest first) filled in rank order by quota; see the module docstring."""
    seats: list[Hashable] = [tier.key for tier in tiers for _ in range(tier.quota)]
    placements: list[Placement] = []
    position = 0
    for group in _groups(ranked):
        rank = group[0].rank
        if group[0].entry.final < pass_line:
            placements.extend(Placement(i.entry.key, rank, BELOW) for i in group)
            continue
        span = [
            seats[p] if p < len(seats) else None for p in range(position, position + len(group))
        ]
        position += len(group)
        if len(set(span)) == 1:
            outcome = UNPLACED if span[0] is None else PLACED
            placements.extend(Placement(i.entry.key, rank, outcome, span[0]) for i in group)
            continue
        order = _resolved_order(group)
        if order is None:
            held = tuple(span)
            placements.extend(Placement(i.entry.key, rank, TIE, held=held) for i in group)
            continue
        for item, seat in zip(order, span, strict=True):
            outcome = UNPLACED if seat is None else PLACED
            placements.append(Placement(item.entry.key, rank, outcome, seat))
    return placements


def total_cost(placements: Iterable[Placement], tiers: Sequence[TierSpec]) -> int:
    """年度总额 in yuan: the annual amounts of everyone placed."""
    amounts = {tier.key: tier.annual_amount for tier in tiers}
    return sum(amounts[p.tier] for p in placements if p.outcome == PLACED)


def service_years(hire_date, reference_date) -> int:
    """Whole years of service from `hire_date` to `reference_date` (0 when hired after it)."""
    if hire_date > reference_date:
        return 0
    years = reference_date.year - hire_date.year
    if (reference_date.month, reference_date.day) < (hire_date.month, hire_date.day):
        years -= 1
    return years
