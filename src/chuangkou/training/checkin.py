"""The rotating check-in code (签到二维码): an HMAC over (event, 30-second window) keyed by
SECRET_KEY with its own salt. A code is valid in its window and the next one (clock slack), so
a photo of the room's screen sent to a friend stops working within a minute."""

import time

from django.core import signing

from chuangkou.core.errors import DomainError

WINDOW_SECONDS = 30
SALT = "chuangkou.training.checkin"
_SIGNER = signing.Signer(salt=SALT)
FORGED = "签到码无效，请扫描培训现场大屏上的二维码。"
EXPIRED = "签到码已过期，请重新扫描现场大屏上的最新二维码。"


def window_at(now: float | None = None) -> int:
    return int((time.time() if now is None else now) // WINDOW_SECONDS)


def checkin_token(event_id: int, *, now: float | None = None) -> str:
    """The code shown on the screen now for this event."""
    return _SIGNER.sign(f"{event_id}-{window_at(now)}")


def event_of(token: str, *, now: float | None = None) -> int:
    """The event id a fresh, genuine code stands for; DomainError otherwise."""
    try:
        value = _SIGNER.unsign(token or "")
        event_text, window_text = value.split("-", 1)
        event_id, window = int(event_text), int(window_text)
    except (signing.BadSignature, ValueError):
        raise DomainError(FORGED, status=400) from None
    if window_at(now) - window not in (0, 1):
        raise DomainError(EXPIRED, status=400)
    return event_id


def seconds_left(*, now: float | None = None) -> int:
    now = time.time() if now is None else now
    return WINDOW_SECONDS - int(now % WINDOW_SECONDS)
