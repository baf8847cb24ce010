"""Every write of the cases app, one function per use case; see the modules by topic."""

from .acceptance import accept_case, accept_online_case, clean_applicant, due_date_for
from .numbering import next_case_number
from .stats import bump_daily_stats, rebuild_daily_stats
from .status import (
    complete_case,
    record_visit,
    reject_case,
    request_supplement,
    resume_case,
    return_case,
)

__all__ = [
    "accept_case",
    "accept_online_case",
    "bump_daily_stats",
    "clean_applicant",
    "complete_case",
    "due_date_for",
    "next_case_number",
    "rebuild_daily_stats",
    "record_visit",
    "reject_case",
    "request_supplement",
    "resume_case",
    "return_case",
]
