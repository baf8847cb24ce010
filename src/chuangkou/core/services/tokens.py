"""API tokens: a person issues their own (never an administrator for someone else); they
expire, their owner revokes them, and the security administrator revokes all of an account's."""

import datetime as dt

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from .. import audit
from ..errors import DomainError
from ..models import ApiToken
from ..permissions import require_role
from ..roles import Role


@transaction.atomic
def issue_api_token(*, actor, name: str, days: int | None = None) -> str:
    """发放令牌 for the actor's own account; the key is shown once, only its hash is kept."""
    name = (name or "").strip()
    if not name:
        raise DomainError("请填写令牌用途。", field="name")
    longest = settings.API_TOKEN_MAX_AGE_DAYS
    days = longest if days is None else days
    if not 1 <= days <= longest:
        raise DomainError(f"有效期须在 1 到 {longest} 天之间。", field="days")
    key = ApiToken.new_key()
    token = ApiToken.objects.create(
        user=actor,
        name=name[:100],
        key_hash=ApiToken.hash_key(key),
        prefix=key[:8],
        expires_at=timezone.now() + dt.timedelta(days=days),
    )
    audit.record(
        actor=actor,
        action="account.token_issue",
        obj=actor,
        after={"token": token.pk, "name": token.name, "expires_at": token.expires_at},
    )
    return key


@transaction.atomic
def revoke_api_token(*, actor, token_id: int) -> ApiToken:
    """吊销 one of the actor's own tokens."""
    token = ApiToken.objects.select_for_update().filter(pk=token_id, user=actor).first()
    if token is None:
        raise DomainError("找不到该令牌。", status=404)
    if not token.revoked:
        token.revoked, token.revoked_at = True, timezone.now()
        token.save(update_fields=["revoked", "revoked_at"])
        audit.record(
            actor=actor, action="account.token_revoke", obj=actor, after={"token": token.pk}
        )
    return token


@transaction.atomic
def revoke_all_tokens(*, actor, user) -> int:
    """吊销全部令牌 of an account (security administrator); returns how many were live."""
    require_role(actor, Role.SECADMIN)
    count = ApiToken.objects.filter(user=user, revoked=False).update(
        revoked=True, revoked_at=timezone.now()
    )
    audit.record(actor=actor, action="account.tokens_revoke_all", obj=user, after={"count": count})
    return count
