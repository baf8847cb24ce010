"""Every write of 能力提升: events and attendance, feedback, suggestions."""

from .courseware import (
    close_pk,
    compile_handbook,
    create_pk,
    open_pk,
    score_entry,
    select_for_handbook,
    select_pk_entries,
    upload_courseware,
    vote_entry,
)
from .events import (
    check_in,
    correct_attendance,
    create_event,
    record_absences,
    sign_up,
    submit_feedback,
)
from .suggestions import (
    answer_suggestion,
    assign_suggestion,
    decide_suggestion,
    file_suggestion,
    suggestion_to_problem,
)

__all__ = [
    "close_pk",
    "compile_handbook",
    "open_pk",
    "select_pk_entries",
    "create_pk",
    "score_entry",
    "select_for_handbook",
    "upload_courseware",
    "vote_entry",
    "answer_suggestion",
    "assign_suggestion",
    "check_in",
    "correct_attendance",
    "create_event",
    "decide_suggestion",
    "file_suggestion",
    "record_absences",
    "sign_up",
    "submit_feedback",
    "suggestion_to_problem",
]
