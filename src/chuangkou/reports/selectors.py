"""The center admin's hall overview (大厅总览): reads hall, cases and feedback, writes nothing."""

import datetime as dt
from dataclasses import dataclass

from chuangkou.cases.selectors import CaseFigures, case_figures
from chuangkou.feedback.filters import EvaluationFilter
from chuangkou.feedback.models import Rectification
from chuangkou.feedback.selectors import (
    Satisfaction,
    escalated_rectifications,
    rectification_counts,
    satisfaction,
)
from chuangkou.hall.selectors import QueueCount, today_counts
from chuangkou.org.models import Center

OPEN_RECTIFICATION_STATES = [
    Rectification.State.PENDING,
    Rectification.State.APPEALING,
    Rectification.State.RECTIFYING,
    Rectification.State.OVERDUE,
]


@dataclass(frozen=True)
class HallOverview:
    cases: CaseFigures
    satisfaction: Satisfaction
    open_rectifications: list[tuple[str, int]]
    escalated: list[Rectification]

    @property
    def open_rectification_total(self) -> int:
        return sum(n for _, n in self.open_rectifications)


def hall_overview(*, user, start: dt.date, end: dt.date) -> HallOverview:
    """Volume, 同比, window ranking, 实现率, 满意率 and open rectifications for [start, end]."""
    counts = rectification_counts(user=user)
    labels = dict(Rectification.State.choices)
    return HallOverview(
        cases=case_figures(user=user, start=start, end=end),
        satisfaction=satisfaction(user=user, filters=EvaluationFilter(start=start, end=end)),
        open_rectifications=[(labels[s], counts.get(s, 0)) for s in OPEN_RECTIFICATION_STATES],
        escalated=list(escalated_rectifications(user=user)[:20]),
    )


def live_queues(center: Center) -> list[QueueCount]:
    """Today's queues of one center, waiting first."""
    return sorted(today_counts(center), key=lambda q: (-q.waiting, q.queue.prefix))
