"""Request-wide middleware: the client IP for the audit log, refusing NUL characters (path,
query, form and JSON bodies: 400 with a Chinese message), and the idle-session refresh."""

import ipaddress
import re
import time
from contextvars import ContextVar
from urllib.parse import unquote

from django.conf import settings
from django.http import JsonResponse

from .error_pages import bad_request
from .params import NUL_MESSAGE

_ip: ContextVar[str | None] = ContextVar("chuangkou_ip", default=None)


def current_ip() -> str | None:
    """The client address of the request being served (see `client_address`)."""
    return _ip.get()


def client_address(request) -> str | None:
    """The client's IP address: REMOTE_ADDR, or behind a reverse proxy the header it sets
    (CLIENT_ADDRESS_HEADER), whose last address is the one the proxy saw (earlier ones the
    client may have written itself); a value that is not an IP address is not taken."""
    header = settings.CLIENT_ADDRESS_HEADER
    if header:
        forwarded = request.META.get(header, "").rsplit(",", 1)[-1].strip()
        try:
            return str(ipaddress.ip_address(forwarded))
        except ValueError:
            pass
    return request.META.get("REMOTE_ADDR") or None


# a JSON string escape for NUL (`\u0000`) that is not itself an escaped backslash
_JSON_NUL = re.compile(rb"(?<!\\)(?:\\\\)*\\u0000", re.IGNORECASE)
_FORMS = ("application/x-www-form-urlencoded", "multipart/form-data")


def _body_has_nul(request) -> bool:
    """A NUL in a form field or a JSON body (uploaded files may hold any bytes)."""
    if request.method not in ("POST", "PUT", "PATCH"):
        return False
    if request.content_type == "application/json":
        return b"\x00" in request.body or bool(_JSON_NUL.search(request.body))
    if request.content_type in _FORMS:
        return any("\x00" in v for values in request.POST.lists() for v in values[1])
    return False


def _has_nul(request) -> bool:
    """A NUL character in the path, query or body (PostgreSQL refuses it in text; never
    legitimate)."""
    if "\x00" in request.path or "\x00" in unquote(request.META.get("QUERY_STRING", "")):
        return True
    return _body_has_nul(request)


def bearer_api_call(request) -> bool:
    """An API call with a bearer token and no session cookie. Session, idle timeout, messages
    and the password-change redirect do nothing for it (TokenAuth checks the account itself:
    inactive, locked, must change the password), so those middlewares return at once. A
    browser's call carries its session cookie and gets every check."""
    return (
        request.path_info.startswith("/api/")
        and request.META.get("HTTP_AUTHORIZATION", "")[:7].lower() == "bearer "
        and settings.SESSION_COOKIE_NAME not in request.COOKIES
    )


def _refuse_nul(request):
    if request.path.startswith("/api/"):
        return JsonResponse({"detail": NUL_MESSAGE}, status=400)
    return bad_request(request)


class RequestContextMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if _has_nul(request):
            return _refuse_nul(request)
        token = _ip.set(client_address(request))
        try:
            return self.get_response(request)
        finally:
            _ip.reset(token)


class IdleSessionMiddleware:
    """Idle timeout without a session write per request: a signed-in session is saved (and its
    expiry pushed SESSION_COOKIE_AGE ahead) at most once per `TOUCH_SECONDS`. Autosaving exam
    answers or polling boards then costs no extra write on most requests."""

    TOUCH_SECONDS = 60
    KEY = "_idle_touched"

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if bearer_api_call(request):
            return self.get_response(request)
        response = self.get_response(request)
        session = getattr(request, "session", None)
        user = getattr(request, "user", None)
        if (
            session is not None
            and session.session_key
            and user is not None
            and user.is_authenticated
        ):
            now = int(time.time())
            if now - int(session.get(self.KEY, 0)) >= self.TOUCH_SECONDS:
                session[self.KEY] = now
        return response
