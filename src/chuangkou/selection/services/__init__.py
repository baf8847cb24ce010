"""Every write of 竞聘上岗: one function per use case, permission first, audited.

By topic: competitions (settings, tiers, panel, status steps), candidates (registration,
written scores), judging (interview scores), results (ranking, ties, 公示, objections, 定岗).
"""

from .candidates import (
    import_written_scores_from_exam,
    record_written_scores,
    register_candidate,
    set_written_score,
    withdraw_candidate,
)
from .competitions import (
    create_competition,
    open_registration,
    reopen_scoring,
    set_judges,
    set_tiers,
    start_scoring,
    update_competition,
)
from .judging import enter_interview_score
from .results import (
    apply_ranking,
    compute_ranking,
    finalise_results,
    handle_objection,
    next_working_day,
    publish_results,
    resolve_tie,
    submit_objection,
)

__all__ = [
    "apply_ranking",
    "compute_ranking",
    "create_competition",
    "enter_interview_score",
    "finalise_results",
    "handle_objection",
    "import_written_scores_from_exam",
    "next_working_day",
    "open_registration",
    "publish_results",
    "record_written_scores",
    "register_candidate",
    "reopen_scoring",
    "resolve_tie",
    "set_judges",
    "set_tiers",
    "set_written_score",
    "start_scoring",
    "submit_objection",
    "update_competition",
    "withdraw_candidate",
]
