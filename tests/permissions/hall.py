"""Access to the hall: the kiosk, the board, booking and the ticket's pages are public; the
lobby manager and the admin issue tickets and check appointments in; clerks work their window;
the admin configures queues, settings and slots; the admin and heads read the metrics."""

from .matrix import ALL_SIGNED_IN, CA, CLERK, DH, LOBBY, Access

ISSUERS = frozenset({CA, LOBBY})
ADMIN = frozenset({CA})
DESK = frozenset({CLERK})
READERS = frozenset({CA, DH, LOBBY})
METRICS = frozenset({CA, DH})
WORK = {"window_id": "{window}"}


def _public(method: str, path: str, ok: int = 200, **kwargs) -> Access:
    return Access(method, path, ALL_SIGNED_IN, ok=ok, anonymous=ok, **kwargs)


def _desk(action: str) -> Access:
    """The ticket is not at a state for the action: the clerk gets past the check, then 400."""
    return Access("POST", f"/api/v1/hall/tickets/{{ticket}}/{action}", DESK, ok=400, data=WORK)


ACCESS: list[Access] = [
    # public pages
    _public("GET", "/hall/kiosk/{center}/", url_name="hall:kiosk"),
    _public(
        "POST",
        "/hall/kiosk/{center}/take/",
        ok=302,
        data={"queue": "{queue}"},
        url_name="hall:kiosk_take",
    ),
    _public("GET", "/hall/kiosk/{center}/checkin/", url_name="hall:kiosk_checkin"),
    _public("GET", "/hall/board/{center}/", url_name="hall:board"),
    _public("GET", "/hall/book/{center}/", url_name="hall:book"),
    _public("GET", "/hall/t/{ticket_token}/", url_name="hall:follow"),
    _public("GET", "/hall/slip/{ticket_token}/", url_name="hall:slip"),
    _public("GET", "/hall/appointment/{appointment_token}/", url_name="hall:appointment"),
    _public("POST", "/hall/appointment/{appointment_token}/", ok=302),  # cancels the booking
    # the lobby
    Access("GET", "/hall/lobby/", ISSUERS, url_name="hall:lobby"),
    Access(
        "POST",
        "/hall/lobby/checkin/",
        ISSUERS,
        ok=302,
        data={"phone": "13800001111", "code": "123456"},
        url_name="hall:lobby_checkin",
    ),
    Access("GET", "/hall/appointments/", ISSUERS, url_name="hall:appointment_list"),
    Access(
        "POST",
        "/hall/appointments/no-shows/",
        ISSUERS,
        ok=302,
        data={"center": "{center}"},
        url_name="hall:appointment_no_shows",
    ),
    Access(
        "POST", "/hall/tickets/{waiting}/cancel/", ISSUERS, ok=302, url_name="hall:ticket_cancel"
    ),
    Access(
        "POST", "/hall/windows/{window}/sign-out/", ISSUERS, ok=302, url_name="hall:window_sign_out"
    ),
    # the clerk's window
    Access("GET", "/hall/desk/", DESK, url_name="hall:desk"),
    Access("POST", "/hall/desk/call/", DESK, ok=302, url_name="hall:desk_action"),
    Access(
        "POST",
        "/hall/desk/window/",
        DESK,
        ok=302,
        data={"window": "{window}"},
        url_name="hall:desk_window",
    ),
    # lists and figures
    Access("GET", "/hall/tickets/", READERS, url_name="hall:ticket_list"),
    Access("GET", "/hall/tickets/?export=xlsx", READERS),
    Access("GET", "/hall/tickets/{ticket}/", READERS, url_name="hall:ticket_detail"),
    Access("GET", "/hall/metrics/", METRICS, url_name="hall:metrics"),
    # configuration
    Access("GET", "/hall/queues/", ADMIN, url_name="hall:queue_list"),
    Access("GET", "/hall/queues/new/", ADMIN, url_name="hall:queue_create"),
    Access("GET", "/hall/queues/{queue}/edit/", ADMIN, url_name="hall:queue_edit"),
    Access("GET", "/hall/settings/", ADMIN, url_name="hall:settings"),
    Access("GET", "/hall/slots/", ADMIN, url_name="hall:slot_list"),
    Access("POST", "/hall/slots/{slot}/delete/", ADMIN, ok=302, url_name="hall:slot_delete"),
    # API
    Access("GET", "/api/v1/hall/queues", ALL_SIGNED_IN),
    Access("POST", "/api/v1/hall/tickets", ISSUERS, ok=201, data={"queue_id": "{queue}"}),
    Access("GET", "/api/v1/hall/tickets", ALL_SIGNED_IN),  # only the rows one may see
    Access("GET", "/api/v1/hall/tickets/{ticket}", READERS, denied=404),
    Access("POST", "/api/v1/hall/tickets/{waiting}/cancel", ISSUERS),
    Access("POST", "/api/v1/hall/desk/call-next", DESK, data=WORK),
    Access("POST", "/api/v1/hall/desk/sign-in", DESK, data=WORK),
    # nobody is signed in at A01: the state is refused before the person
    Access("POST", "/api/v1/hall/desk/sign-out", ALL_SIGNED_IN, ok=400, data=WORK),
    *(_desk(a) for a in ("start", "finish", "no-show", "park", "recall", "resume")),
    Access(
        "POST",
        "/api/v1/hall/tickets/{ticket}/transfer",
        DESK,
        ok=400,
        data={**WORK, "target_queue_id": "{queue}"},
    ),
    # the kiosk's check-in for signed-in machines: the code is checked, not the role (the
    # kiosk page does the same without signing in); the appointment is tomorrow's here
    Access(
        "POST",
        "/api/v1/hall/appointments/check-in",
        ALL_SIGNED_IN,
        ok=400,
        data={"center_id": "{center}", "phone": "13800001111", "code": "123456"},
    ),
    _public("GET", "/api/v1/hall/public/tickets/{ticket_token}"),
    _public("GET", "/api/v1/hall/public/board/{center}"),
    Access("GET", "/api/v1/hall/metrics?start=2018-01-01&end=2018-01-31", METRICS),
]
