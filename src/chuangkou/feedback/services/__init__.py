"""Every write of 好差评, by topic: ratings, rectifications, surveys."""

from .ratings import (
    open_rectification,
    rate,
    rate_by_phone,
    rate_on_pad,
    rectification_deadlines,
)
from .rectifications import (
    appeal,
    decide_appeal,
    escalate_overdue,
    flag_overdue,
    mark_unrectifiable,
    record_callback,
    record_rectification,
    settled_state,
)
from .surveys import draw_sample, record_interview

__all__ = [
    "appeal",
    "decide_appeal",
    "draw_sample",
    "escalate_overdue",
    "flag_overdue",
    "mark_unrectifiable",
    "open_rectification",
    "rate",
    "rate_by_phone",
    "rate_on_pad",
    "record_callback",
    "record_interview",
    "record_rectification",
    "rectification_deadlines",
    "settled_state",
]
