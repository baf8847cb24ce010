"""Access to care: leave and counseling pages for staff (clerk, lobby manager, head; the head of
A has no staff record, so taking leave or booking is refused with a message); the staffing view
for heads, figures for the center admin; the counselor's desk and notes only for the counselor of
the appointment (clerk01 booked it: clerk01 may cancel it but never read its note); care talks
for the admin and heads. Others' leave and appointments are 404."""

import datetime as dt

from django.utils import timezone

from chuangkou.care import services
from chuangkou.core.roles import Role
from tests.care.conftest import next_month_start, working_days

from .matrix import CA, CLERK, COUNSELOR, DH, LOBBY, Access, special

STAFF = frozenset({CLERK, LOBBY, DH})
TALKERS = frozenset({CA, DH})
ONLY = {"ca": frozenset({CA}), "dh": frozenset({DH}), "counselor": frozenset({COUNSELOR})}
NOT_THEIRS = special(lobby_manager=404, dept_head=404)
API = "/api/v1/care"


def build(w) -> dict:
    """clerk01's leave next month, an open slot, clerk01's booked slot with a note, a talk."""
    counselor = w.players[Role.COUNSELOR]
    first, second = working_days(next_month_start(), 2)
    leave = services.take_leave(actor=w.clerk_a1, date=first)
    now = timezone.now().replace(microsecond=0)
    open_slot, booked = (
        services.publish_slot(actor=counselor, starts_at=now + dt.timedelta(days=d), mode="onsite")
        for d in (2, 3)
    )
    appointment = services.book_slot(actor=w.clerk_a1, slot=booked)
    services.write_note(actor=counselor, appointment=appointment, text="矩阵测试记录")
    talk = services.record_talk(
        actor=w.head_a, staff=w.a2, date=timezone.localdate(), topic="pressure"
    )
    return {
        "care_leave": leave.pk,
        "care_day2": second.isoformat(),
        "care_slot": open_slot.pk,
        "care_appointment": appointment.pk,
        "care_talk": talk.pk,
    }


def _in_days(days: int) -> str:
    return (timezone.now().replace(microsecond=0) + dt.timedelta(days=days)).isoformat()


_SECOND_DAY = {"date": "{care_day2}"}
_TAKE = special(clerk=400, dept_head=400)  # clerk01 has this month's day; the head no record

ACCESS: list[Access] = [
    # leave
    Access("GET", "/care/leave/", STAFF, url_name="care:my_leave"),
    Access("POST", "/care/leave/", STAFF, ok=302, special=_TAKE, data=_SECOND_DAY),
    Access(
        "POST",
        "/care/leave/{care_leave}/cancel/",
        frozenset({CLERK}),
        ok=302,
        special=NOT_THEIRS,
        url_name="care:leave_cancel",
    ),
    Access("GET", "/care/staffing/", ONLY["dh"], url_name="care:staffing"),
    Access("GET", "/care/figures/", ONLY["ca"], url_name="care:figures"),
    Access("GET", "/care/figures/?export=xlsx", ONLY["ca"]),
    # counseling
    Access("GET", "/care/counseling/", STAFF, url_name="care:counseling"),
    Access("POST", "/care/counseling/slots/{care_slot}/book/", STAFF, ok=302, url_name="care:book"),
    Access(
        "POST",
        "/care/counseling/{care_appointment}/cancel/",
        frozenset({CLERK, COUNSELOR}),
        ok=302,
        special=NOT_THEIRS,
        url_name="care:appointment_cancel",
    ),
    Access("GET", "/care/counselor/", ONLY["counselor"], url_name="care:counselor"),
    Access(
        "POST",
        "/care/counselor/slots/{care_slot}/withdraw/",
        ONLY["counselor"],
        ok=302,
        url_name="care:slot_withdraw",
    ),
    Access(
        "GET",
        "/care/counselor/appointments/{care_appointment}/note/",
        ONLY["counselor"],
        url_name="care:note",
    ),
    Access(
        "POST",
        "/care/counselor/appointments/{care_appointment}/note/",
        ONLY["counselor"],
        ok=302,
        data={"text": "补充记录"},
    ),
    # talks
    Access("GET", "/care/talks/", TALKERS, url_name="care:talk_list"),
    Access("GET", "/care/talks/?export=xlsx", TALKERS),
    Access("GET", "/care/talks/new/", TALKERS, url_name="care:talk_create"),
    # API
    Access("GET", f"{API}/leave", STAFF),
    Access("POST", f"{API}/leave", STAFF, ok=201, special=_TAKE, data=_SECOND_DAY),
    Access("POST", f"{API}/leave/{{care_leave}}/cancel", frozenset({CLERK}), special=NOT_THEIRS),
    Access("GET", f"{API}/leave/staffing", ONLY["dh"]),
    Access("GET", f"{API}/leave/figures", ONLY["ca"]),
    Access("GET", f"{API}/slots", STAFF | ONLY["counselor"]),
    Access(
        "POST",
        f"{API}/slots",
        ONLY["counselor"],
        ok=201,
        data=lambda w: {"starts_at": _in_days(20), "mode": "phone"},
    ),
    Access("POST", f"{API}/slots/{{care_slot}}/withdraw", ONLY["counselor"]),
    Access(
        "POST", f"{API}/slots/{{care_slot}}/book", STAFF, ok=201, special=special(dept_head=400)
    ),
    Access("GET", f"{API}/appointments", STAFF | ONLY["counselor"]),
    Access(
        "POST",
        f"{API}/appointments/{{care_appointment}}/cancel",
        frozenset({CLERK, COUNSELOR}),
        denied=404,
    ),
    Access(
        "GET",
        f"{API}/appointments/{{care_appointment}}/note",
        ONLY["counselor"],
        denied=404,
        special=special(clerk=403),
    ),
    Access(
        "POST",
        f"{API}/appointments/{{care_appointment}}/note",
        ONLY["counselor"],
        denied=404,
        special=special(clerk=403),
        data={"text": "补充记录"},
    ),
    Access("GET", f"{API}/talks", TALKERS),
    Access(
        "POST",
        f"{API}/talks",
        TALKERS,
        ok=201,
        data={"staff_id": "{staff_a2}", "date": "2018-03-05", "topic": "career"},
    ),
]
