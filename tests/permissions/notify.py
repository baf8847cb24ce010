"""Access to notify: the opt-in, page notices and push subscription of a ticket or booking are
public (the page's own link is the proof); the message log, figures and templates are for the
center admin and the system administrator."""

from .matrix import ALL_SIGNED_IN, CA, SYS, Access

ADMINS = frozenset({CA, SYS})
TICKET = "/notify/s/ticket/{ticket_token}"


def _public(method: str, path: str, ok: int = 200, **kwargs) -> Access:
    return Access(method, path, ALL_SIGNED_IN, ok=ok, anonymous=ok, **kwargs)


ACCESS: list[Access] = [
    _public(
        "POST",
        f"{TICKET}/optin/",
        ok=302,
        data={"phone": "13800000000", "ahead": "3"},
        url_name="notify:optin",
    ),
    _public(
        "POST", "/notify/s/appointment/{appointment_token}/optin/", ok=302, data={"browser": "on"}
    ),
    _public("POST", f"{TICKET}/optout/", ok=302, url_name="notify:optout"),
    _public("GET", f"{TICKET}/pending/", url_name="notify:pending"),
    # a form body is not a push subscription: refused with a message, for everyone
    _public("POST", f"{TICKET}/push/", ok=400, url_name="notify:push"),
    _public("GET", "/notify/sw.js", url_name="notify:service_worker"),
    Access("GET", "/notify/log/", ADMINS, url_name="notify:log"),
    Access("GET", "/notify/log/?export=xlsx", ADMINS),
    Access("GET", "/notify/figures/", ADMINS, url_name="notify:figures"),
    Access("GET", "/notify/figures/?export=xlsx", ADMINS),
    Access("GET", "/notify/templates/", ADMINS, url_name="notify:templates"),
    Access(
        "POST",
        "/notify/templates/ticket_called/",
        ADMINS,
        ok=302,
        data={"gateway_code": "SMS_100001"},
        url_name="notify:template_approve",
    ),
]
