"""Every write of the hall (大厅取号), one function per use case; see the modules by topic."""

from .appointments import (
    book_appointment,
    cancel_appointment,
    check_in_appointment,
    create_slots,
    delete_slot,
    record_appointment_no_shows,
)
from .desk import (
    call_next_ticket,
    finish_ticket,
    mark_no_show,
    park_ticket,
    recall_ticket,
    resume_ticket,
    start_ticket,
    transfer_ticket,
)
from .setup import save_queue, update_hall_settings
from .signin import sign_in_window, sign_out_window
from .tickets import cancel_ticket, issue_ticket

__all__ = [
    "book_appointment",
    "call_next_ticket",
    "cancel_appointment",
    "cancel_ticket",
    "check_in_appointment",
    "create_slots",
    "delete_slot",
    "finish_ticket",
    "issue_ticket",
    "mark_no_show",
    "park_ticket",
    "recall_ticket",
    "record_appointment_no_shows",
    "resume_ticket",
    "save_queue",
    "sign_in_window",
    "sign_out_window",
    "start_ticket",
    "transfer_ticket",
    "update_hall_settings",
]
