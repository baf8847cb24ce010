"""督导总览 (oversight overview) for the center admin: secret visits, findings by checklist item,
problems by state and age, honors and commendations of a period. Reads the supervision and
honors selectors only."""

import datetime as dt
from collections import Counter
from dataclasses import dataclass, field

from chuangkou.honors import selectors as honors_selectors
from chuangkou.supervision import selectors as supervision
from chuangkou.supervision.models import Finding, Problem

# 未解决问题的账龄（自发现日起的天数）
AGE_BUCKETS = ((7, "7 天内"), (30, "8–30 天"), (90, "31–90 天"), (None, "90 天以上"))
OPEN_STATES = (Problem.State.FOUND, Problem.State.COORDINATING)


@dataclass
class Oversight:
    start: dt.date
    end: dt.date
    visits: int = 0
    findings: int = 0
    findings_confirmed: int = 0
    findings_by_item: list[tuple[str, int]] = field(default_factory=list)
    problems_by_state: list[tuple[str, int]] = field(default_factory=list)
    open_by_age: list[tuple[str, int]] = field(default_factory=list)
    overdue: int = 0
    honors: honors_selectors.HonorsSummary | None = None


def _age_label(days: int) -> str:
    return next(label for limit, label in AGE_BUCKETS if limit is None or days <= limit)


def oversight(*, user, start: dt.date, end: dt.date, today: dt.date) -> Oversight:
    """The overview of [start, end]; problem ages are counted up to `today`."""
    result = Oversight(start=start, end=end)
    result.visits = (
        supervision.visits_visible_to(user)
        .filter(visited_at__date__gte=start, visited_at__date__lte=end)
        .count()
    )
    findings = supervision.findings_visible_to(user).filter(
        visit__visited_at__date__gte=start, visit__visited_at__date__lte=end
    )
    result.findings = findings.count()
    result.findings_confirmed = findings.filter(state=Finding.State.CONFIRMED).count()
    result.findings_by_item = supervision.findings_by_item(findings)
    problems = supervision.problems_visible_to(user).filter(found_on__gte=start, found_on__lte=end)
    labels = dict(Problem.State.choices)
    states = Counter(problems.values_list("state", flat=True))
    result.problems_by_state = [(labels[s], states.get(s, 0)) for s in labels]
    still_open = problems.filter(state__in=OPEN_STATES)
    ages = Counter(
        _age_label((today - found).days) for found in still_open.values_list("found_on", flat=True)
    )
    result.open_by_age = [(label, ages.get(label, 0)) for _, label in AGE_BUCKETS]
    result.overdue = still_open.filter(deadline__lt=today).count()
    result.honors = honors_selectors.honors_summary(user=user, start=start, end=end)
    return result
