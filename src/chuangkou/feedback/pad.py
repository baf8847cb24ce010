"""The signed address of a window's rating pad (评价器).

A clerk opens the pad on the window's tablet from their own session; the page it leads to needs
no login (the citizen presses the buttons), so the window and the clerk travel in a token signed
with the site's secret key (django.core.signing). A token cannot be forged or moved to another
window, and it lapses after `PAD_TOKEN_MAX_AGE` (one working day).
"""

from dataclasses import dataclass

from django.core import signing

from chuangkou.core.errors import DomainError
from chuangkou.org.models import Staff, Window

PAD_SALT = "chuangkou.feedback.pad"
PAD_TOKEN_MAX_AGE = 14 * 60 * 60  # seconds: a working day from opening to closing


@dataclass(frozen=True)
class PadSession:
    window: Window
    staff: Staff


def pad_token(*, window: Window, staff: Staff) -> str:
    return signing.dumps({"w": window.pk, "s": staff.pk}, salt=PAD_SALT)


def open_pad(*, window_id: int, token: str) -> PadSession:
    """The window and clerk of a pad token; DomainError(403) when it is forged, old or moved."""
    try:
        data = signing.loads(token or "", salt=PAD_SALT, max_age=PAD_TOKEN_MAX_AGE)
    except signing.SignatureExpired:
        raise DomainError("评价器链接已过期，请窗口人员重新打开评价器。", status=403) from None
    except signing.BadSignature:
        raise DomainError("评价器链接无效。", status=403) from None
    if not isinstance(data, dict) or data.get("w") != window_id:
        raise DomainError("评价器链接与窗口不符。", status=403)
    window = Window.objects.select_related("center", "department").filter(pk=window_id).first()
    staff = Staff.objects.filter(pk=data.get("s")).first()
    if window is None or staff is None or staff.status == Staff.Status.LEFT:
        raise DomainError("评价器链接无效。", status=403)
    return PadSession(window=window, staff=staff)
