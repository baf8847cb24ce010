"""Authentication: account lockout after repeated failures, and the password complexity rule."""

import datetime as dt

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.backends import ModelBackend
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import F
from django.utils import timezone

from . import audit


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


def lock_remaining(user) -> dt.timedelta | None:
    """Time left on the account's lock, or None when it is not locked."""
    if user.locked_until and user.locked_until > timezone.now():
        return user.locked_until - timezone.now()
    return None


class LockoutModelBackend(ModelBackend):
    """Refuses a locked account before checking its password."""

    def authenticate(self, request, username=None, password=None, **kwargs):
        if username is not None:
            user = get_user_model().objects.filter(username=username).first()
            if user is not None and lock_remaining(user):
                raise PermissionDenied("account locked")
        return super().authenticate(request, username=username, password=password, **kwargs)


def register_failed_login(username: str) -> None:
    """Count a failure; the 5th in a row locks the account for 30 minutes. Audited."""
    users = get_user_model().objects.filter(username=username)
    user = users.first()
    if user is not None and not lock_remaining(user):
        users.update(failed_logins=F("failed_logins") + 1)
        user.refresh_from_db(fields=["failed_logins"])
        if user.failed_logins >= settings.LOGIN_MAX_FAILURES:
            user.locked_until = timezone.now() + dt.timedelta(minutes=settings.LOGIN_LOCK_MINUTES)
            user.failed_logins = 0
            user.save(update_fields=["locked_until", "failed_logins"])
            audit.record(actor=None, action="account.locked", obj=user, actor_name=username)
    audit.record(
        actor=None,
        action="auth.login_failed",
        object_type="core.user",
        object_id=str(user.pk) if user else "",
        after={"username": username},
        actor_name=username[:150],
    )


def register_login(user) -> None:
    if user.failed_logins or user.locked_until:
        type(user).objects.filter(pk=user.pk).update(failed_logins=0, locked_until=None)
    audit.record(actor=user, action="auth.login", obj=user)
