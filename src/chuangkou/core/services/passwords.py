"""Passwords: self-service change, the administrator's reset to a one-time temporary password,
and the history that forbids reusing the last few."""

import secrets
import string

from django.contrib.auth import password_validation
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from .. import audit
from ..errors import DomainError
from ..models import PasswordHistory
from ..permissions import require_role
from ..roles import Role

HISTORY_KEPT = 5
TEMPORARY_ALPHABET = "".join(c for c in string.ascii_letters + string.digits if c not in "0O1lI")


def validate_password(password: str, user=None) -> None:
    try:
        password_validation.validate_password(password, user)
    except ValidationError as exc:
        raise DomainError(" ".join(exc.messages), field="password") from None


def store_password(user, password: str, *, must_change: bool = False) -> None:
    """Set the (validated) password, remember its hash and when it was set."""
    user.set_password(password)
    user.password_changed_at = timezone.now()
    user.must_change_password = must_change
    user.save(update_fields=["password", "password_changed_at", "must_change_password"])
    PasswordHistory.objects.create(user=user, password=user.password)
    stale = PasswordHistory.objects.filter(user=user).order_by("-id")[HISTORY_KEPT:]
    PasswordHistory.objects.filter(pk__in=list(stale.values_list("pk", flat=True))).delete()


@transaction.atomic
def change_own_password(*, actor, old_password: str, new_password: str) -> None:
    """修改密码 (everyone, for their own account); clears a forced change."""
    if not actor.check_password(old_password or ""):
        raise DomainError("原密码不正确。", field="old_password")
    validate_password(new_password, actor)
    store_password(actor, new_password)
    audit.record(actor=actor, action="account.password_change", obj=actor)


def temporary_password() -> str:
    """12 random characters plus a symbol: meets every password rule."""
    while True:
        core = "".join(secrets.choice(TEMPORARY_ALPHABET) for _ in range(12))
        password = f"{core[:6]}-{core[6:]}"
        if any(c.isupper() for c in password) and any(c.islower() for c in password):
            return password


@transaction.atomic
def reset_password(*, actor, user) -> str:
    """重置密码 (system administrator): a one-time temporary password, shown once to the
    administrator and to be changed at the next sign-in. The administrator never chooses it."""
    require_role(actor, Role.SYSADMIN)
    if user.pk == actor.pk:
        raise DomainError("请在“我的账号”中修改自己的密码。")
    password = temporary_password()
    user.set_password(password)
    user.must_change_password = True
    user.save(update_fields=["password", "must_change_password"])
    audit.record(actor=actor, action="account.password_reset", obj=user, after={"temporary": True})
    return password
