"""Request-wide middleware: the client IP for the audit log, refusing NUL characters, and the
idle-session refresh."""

import time
from contextvars import ContextVar
from urllib.parse import unquote

from django.http import HttpResponseBadRequest

_ip: ContextVar[str | None] = ContextVar("chuangkou_ip", default=None)


def current_ip() -> str | None:
    return _ip.get()


def _has_nul(request) -> bool:
    """A NUL character in the path or query (PostgreSQL refuses it in text; never legitimate)."""
    return "\x00" in request.path or "\x00" in unquote(request.META.get("QUERY_STRING", ""))


class RequestContextMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if _has_nul(request):
            return HttpResponseBadRequest("请求地址包含无效字符。", content_type="text/plain")
        token = _ip.set(request.META.get("REMOTE_ADDR") or None)
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
