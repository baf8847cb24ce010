"""Every write of 督导, by topic: roster, planning, visits, findings, sittings, problems."""

from .findings import confirm_finding, confirm_lapsed_findings, decide_dispute, dispute_finding
from .planning import draw_plan
from .problems import (
    close_problem,
    escalate_overdue,
    mark_resolved,
    reopen_problem,
    report_problem,
    solve_by_consultation,
    solve_on_spot,
    start_coordinating,
)
from .roster import appoint_supervisor
from .sittings import (
    book_sitting,
    cancel_sitting,
    current_questionnaire,
    open_slots,
    publish_questionnaire,
    record_sitting,
)
from .visits import Check, add_visit_photos, file_visit

__all__ = [
    "Check",
    "add_visit_photos",
    "appoint_supervisor",
    "book_sitting",
    "cancel_sitting",
    "close_problem",
    "confirm_finding",
    "confirm_lapsed_findings",
    "current_questionnaire",
    "decide_dispute",
    "dispute_finding",
    "draw_plan",
    "escalate_overdue",
    "file_visit",
    "mark_resolved",
    "open_slots",
    "publish_questionnaire",
    "record_sitting",
    "reopen_problem",
    "report_problem",
    "solve_by_consultation",
    "solve_on_spot",
    "start_coordinating",
]
