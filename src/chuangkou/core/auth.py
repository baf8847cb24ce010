"""Authentication: race-free lockout and per-address throttling, the password rules and expiry,
and the middleware that holds a person on the password page until the password is changed."""

import datetime as dt
from dataclasses import dataclass

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.backends import ModelBackend
from django.contrib.auth.hashers import check_password
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import F
from django.http import JsonResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils import timezone
from django.utils.http import urlencode

from . import audit
from .middleware import bearer_api_call, client_address
from .models import LoginThrottle, PasswordHistory

# --- password rules -------------------------------------------------------------------------


class CharacterClassValidator:
    """等保 2.0 三级: a password mixes at least three of upper case, lower case, digits, symbols."""

    def __init__(self, min_classes: int = 3):
        self.min_classes = min_classes

    @staticmethod
    def classes_in(password: str) -> int:
        checks = (str.isupper, str.islower, str.isdigit, lambda c: not c.isalnum())
        return sum(any(check(c) for c in password) for check in checks)

    def validate(self, password: str, user=None) -> None:
        if self.classes_in(password) < self.min_classes:
            raise ValidationError(
                "密码须包含大写字母、小写字母、数字、符号中的至少 %(n)d 类。",
                code="password_too_simple",
                params={"n": self.min_classes},
            )

    def get_help_text(self) -> str:
        return f"密码须包含大写字母、小写字母、数字、符号中的至少 {self.min_classes} 类。"


class MinimumLengthValidator:
    """At least `min_length` characters (Django's own message has no Chinese translation here)."""

    def __init__(self, min_length: int = 8):
        self.min_length = min_length

    def validate(self, password: str, user=None) -> None:
        if len(password) < self.min_length:
            raise ValidationError(
                "密码太短，至少需要 %(n)d 个字符。",
                code="password_too_short",
                params={"n": self.min_length},
            )

    def get_help_text(self) -> str:
        return f"密码至少 {self.min_length} 个字符。"


class UsernameInPasswordValidator:
    """The password must not contain the username (in any letter case)."""

    def validate(self, password: str, user=None) -> None:
        username = (getattr(user, "username", "") or "").strip().lower()
        if len(username) >= 3 and username in password.lower():
            raise ValidationError("密码不能包含用户名。", code="password_contains_username")

    def get_help_text(self) -> str:
        return "密码不能包含用户名。"


class PasswordHistoryValidator:
    """No reuse of the last `count` passwords (their hashes are kept in PasswordHistory)."""

    def __init__(self, count: int = 5):
        self.count = count

    def validate(self, password: str, user=None) -> None:
        if user is None or user.pk is None:
            return
        recent = PasswordHistory.objects.filter(user_id=user.pk).values_list("password", flat=True)
        hashes = [user.password, *recent[: self.count]]
        if any(h and check_password(password, h) for h in hashes):
            raise ValidationError(
                "不能使用最近 %(n)d 次用过的密码。",
                code="password_reused",
                params={"n": self.count},
            )

    def get_help_text(self) -> str:
        return f"不能与最近 {self.count} 次用过的密码相同。"


# --- password age ---------------------------------------------------------------------------


def password_expires_at(user) -> dt.datetime:
    changed = user.password_changed_at or user.date_joined
    return changed + dt.timedelta(days=settings.PASSWORD_MAX_AGE_DAYS)


def password_expired(user) -> bool:
    return password_expires_at(user) <= timezone.now()


def days_until_password_expiry(user) -> int | None:
    """Days left when the expiry is within the warning period, else None."""
    left = password_expires_at(user) - timezone.now()
    if dt.timedelta(0) < left <= dt.timedelta(days=settings.PASSWORD_EXPIRY_WARNING_DAYS):
        return max(1, left.days + (1 if left.seconds else 0))
    return None


def needs_password_change(user) -> bool:
    """After a reset, at first sign-in, or once the password has expired."""
    return bool(user.must_change_password) or password_expired(user)


FORCED_CHANGE_MESSAGE = "请先修改密码后再使用系统（首次登录、密码被重置或已过期）。"


class PasswordChangeRequiredMiddleware:
    """Sends a signed-in person who must change the password to the change page; the API
    answers 403 with a Chinese message meanwhile (tokens are refused in TokenAuth)."""

    OPEN_URL_NAMES = ("core:password_change", "core:logout", "core:login", "core:healthz")

    def __init__(self, get_response):
        self.get_response = get_response
        self._open_paths: set[str] | None = None

    def _is_open(self, path: str) -> bool:
        if self._open_paths is None:
            self._open_paths = {reverse(name) for name in self.OPEN_URL_NAMES}
        return path in self._open_paths or path.startswith(settings.STATIC_URL)

    def __call__(self, request):
        if bearer_api_call(request):  # TokenAuth refuses such a token with the same 403
            return self.get_response(request)
        user = getattr(request, "user", None)
        if (
            user is not None
            and user.is_authenticated
            and not self._is_open(request.path)
            and needs_password_change(user)
        ):
            if request.path.startswith("/api/"):
                return JsonResponse({"detail": FORCED_CHANGE_MESSAGE}, status=403)
            url = reverse("core:password_change")
            if request.method == "GET":
                url += "?" + urlencode({"next": request.get_full_path()})
            return redirect(url)
        return self.get_response(request)


# --- lockout and throttling -----------------------------------------------------------------


def lock_remaining(user) -> dt.timedelta | None:
    """Time left on the account's lock, or None when it is not locked."""
    if user.locked_until and user.locked_until > timezone.now():
        return user.locked_until - timezone.now()
    return None


@dataclass(frozen=True)
class Attempt:
    """A sign-in attempt reserved before any password or code is checked."""

    user_id: int | None
    number: int
    allowed: bool


@transaction.atomic
def begin_attempt(username: str) -> Attempt:
    """Count the attempt first (row lock; on SQLite the IMMEDIATE transaction): a locked
    account, or one with LOGIN_MAX_FAILURES attempts already in flight, gets no check at all."""
    user = (
        get_user_model()
        .objects.select_for_update()
        .filter(username=username)
        .only("pk", "failed_logins", "locked_until")
        .first()
    )
    if user is None:
        return Attempt(None, 0, True)
    if lock_remaining(user) or user.failed_logins >= settings.LOGIN_MAX_FAILURES:
        return Attempt(user.pk, 0, False)
    user.failed_logins += 1
    user.locked_until = None
    user.save(update_fields=["failed_logins", "locked_until"])
    return Attempt(user.pk, user.failed_logins, True)


def fail_attempt(attempt: Attempt, username: str) -> None:
    """The attempt failed: the last allowed one locks the account (audited)."""
    if attempt.user_id is None or attempt.number < settings.LOGIN_MAX_FAILURES:
        return
    until = timezone.now() + dt.timedelta(minutes=settings.LOGIN_LOCK_MINUTES)
    with transaction.atomic():
        get_user_model().objects.filter(pk=attempt.user_id).update(
            locked_until=until, failed_logins=0
        )
        audit.record(
            actor=None,
            action="account.locked",
            object_type="core.user",
            object_id=str(attempt.user_id),
            actor_name=username[:150],
        )


@transaction.atomic
def begin_address_attempt(address: str) -> bool:
    """Reserve one attempt for the client address; False once the window's limit is used up."""
    limit = settings.LOGIN_ADDRESS_MAX_FAILURES
    if not address or limit <= 0:
        return True
    now = timezone.now()
    LoginThrottle.objects.bulk_create(
        [LoginThrottle(address=address[:64], window_start=now)], ignore_conflicts=True
    )
    row = LoginThrottle.objects.select_for_update().get(address=address[:64])
    if row.window_start <= now - dt.timedelta(minutes=settings.LOGIN_ADDRESS_WINDOW_MINUTES):
        row.window_start, row.attempts = now, 0
    if row.attempts >= limit:
        return False
    row.attempts += 1
    row.save(update_fields=["window_start", "attempts"])
    return True


def release_address_attempt(address: str) -> None:
    """A successful sign-in does not count against the address."""
    if address:
        LoginThrottle.objects.filter(address=address[:64], attempts__gt=0).update(
            attempts=F("attempts") - 1
        )


class LockoutModelBackend(ModelBackend):
    """Counts the attempt (account and client address) before checking the password, so a
    burst of parallel guesses gets at most LOGIN_MAX_FAILURES checks and a locked account is
    refused even with the right password. Refusals take as long as a password check."""

    def authenticate(self, request, username=None, password=None, **kwargs):
        if username is None or password is None:
            return None
        address = (request and client_address(request)) or ""
        if not begin_address_attempt(address):
            if request is not None:
                request.login_throttled = True
            self._refuse(password)
        attempt = begin_attempt(username)
        if not attempt.allowed:
            self._refuse(password)
        user = super().authenticate(request, username=username, password=password, **kwargs)
        if user is None:
            fail_attempt(attempt, username)
        else:
            release_address_attempt(address)
        return user

    def get_user(self, user_id):
        """The signed-in account of each request, read by a precompiled statement
        (core/sessions.py); inactive accounts are refused as by ModelBackend."""
        from .sessions import load_user

        user = load_user(user_id)
        return user if user is not None and self.user_can_authenticate(user) else None

    @staticmethod
    def _refuse(password: str):
        get_user_model()().set_password(password)  # same time as a real check
        raise PermissionDenied("sign-in refused")


def register_failed_login(username: str) -> None:
    """Audit a failed sign-in (the counting happened in the backend)."""
    user_id = (
        get_user_model().objects.filter(username=username).values_list("pk", flat=True).first()
    )
    audit.record(
        actor=None,
        action="auth.login_failed",
        object_type="core.user",
        object_id=str(user_id) if user_id else "",
        after={"username": username[:150]},
        actor_name=username[:150],
    )


def register_login(user) -> None:
    if user.failed_logins or user.locked_until:
        type(user).objects.filter(pk=user.pk).update(failed_logins=0, locked_until=None)
        user.failed_logins, user.locked_until = 0, None
    audit.record(actor=user, action="auth.login", obj=user)
