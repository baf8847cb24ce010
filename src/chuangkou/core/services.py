"""Accounts, roles and API tokens (三权分立: the system administrator manages accounts and roles,
the security administrator unlocks accounts, the auditor reads the log). Every change is audited."""

import getpass

from django.contrib.auth import get_user_model, password_validation
from django.contrib.auth.models import Group
from django.core.exceptions import ValidationError
from django.db import transaction

from . import audit
from .errors import DomainError
from .models import ApiToken
from .permissions import require_role
from .roles import Role, roles_of

SEPARATED_DUTIES = {Role.SYSADMIN, Role.SECADMIN, Role.AUDITOR}


def _check_separation_of_duties(roles) -> None:
    """三权分立: one account holds at most one of system admin, security admin and auditor."""
    held = SEPARATED_DUTIES & {Role(r) for r in roles}
    if len(held) > 1:
        names = "、".join(sorted(r.label for r in held))
        raise DomainError(f"三权分立：{names}不能由同一账号兼任。", field="roles")


def _validate_password(password: str, user=None) -> None:
    try:
        password_validation.validate_password(password, user)
    except ValidationError as exc:
        raise DomainError(" ".join(exc.messages), field="password") from None


@transaction.atomic
def create_account(
    *,
    actor,
    username: str,
    password: str,
    display_name: str = "",
    roles: list[Role] | tuple[Role, ...] = (),
):
    """开通账号 (system administrator)."""
    if actor is not None:
        require_role(actor, Role.SYSADMIN)
    _check_separation_of_duties(roles)
    user_model = get_user_model()
    username = (username or "").strip()
    if not username:
        raise DomainError("请填写用户名。", field="username")
    if user_model.objects.filter(username=username).exists():
        raise DomainError(f"用户名 {username} 已被使用。", field="username")
    user = user_model(username=username, display_name=display_name)
    _validate_password(password, user)
    user.set_password(password)
    user.save()
    user.groups.set(Group.objects.filter(name__in=[Role(r).value for r in roles]))
    audit.record(
        actor=actor,
        action="account.create",
        obj=user,
        after={"username": username, "roles": sorted(Role(r).value for r in roles)},
    )
    return user


@transaction.atomic
def set_roles(*, actor, user, roles: list[Role]) -> None:
    """分配角色 (system administrator). A user may hold several roles."""
    require_role(actor, Role.SYSADMIN)
    _check_separation_of_duties(roles)
    before = sorted(r.value for r in roles_of(user))
    user.groups.set(Group.objects.filter(name__in=[Role(r).value for r in roles]))
    user._chuangkou_roles = None
    after = sorted(Role(r).value for r in roles)
    if before != after:
        audit.record(
            actor=actor,
            action="account.roles",
            obj=user,
            before={"roles": before},
            after={"roles": after},
        )


@transaction.atomic
def reset_password(*, actor, user, password: str) -> None:
    require_role(actor, Role.SYSADMIN)
    _validate_password(password, user)
    user.set_password(password)
    user.save(update_fields=["password"])
    audit.record(actor=actor, action="account.password_reset", obj=user)


@transaction.atomic
def set_active(*, actor, user, active: bool) -> None:
    require_role(actor, Role.SYSADMIN)
    if user.pk == actor.pk and not active:
        raise DomainError("不能停用自己的账号。")
    user.is_active = active
    user.save(update_fields=["is_active"])
    audit.record(
        actor=actor, action="account.activate" if active else "account.deactivate", obj=user
    )


@transaction.atomic
def unlock_account(*, actor, user) -> None:
    """解除登录锁定 (security administrator)."""
    require_role(actor, Role.SECADMIN)
    user.locked_until = None
    user.failed_logins = 0
    user.save(update_fields=["locked_until", "failed_logins"])
    audit.record(actor=actor, action="account.unlock", obj=user)


@transaction.atomic
def issue_api_token(*, actor, user, name: str) -> str:
    """A new API token for `user`; the key is shown once and only its hash is kept."""
    require_role(actor, Role.SYSADMIN)
    key = ApiToken.new_key()
    ApiToken.objects.create(user=user, name=name, key_hash=ApiToken.hash_key(key), prefix=key[:8])
    audit.record(actor=actor, action="account.token_issue", obj=user, after={"name": name})
    return key


def create_account_interactive(*, username: str) -> int:
    """`chuangkou createadmin`: an account holding the center admin and system admin roles."""
    print(f"创建管理员账号 {username}（中心管理员 + 系统管理员）")
    while True:
        password = getpass.getpass("密码：")
        if password != getpass.getpass("再次输入密码："):
            print("两次输入的密码不一致。")
            continue
        try:
            create_account(
                actor=None,
                username=username,
                password=password,
                display_name="管理员",
                roles=[Role.CENTER_ADMIN, Role.SYSADMIN],
            )
        except DomainError as exc:
            print(exc.message)
            if exc.field != "password":
                return 1
            continue
        print("已创建。")
        return 0
