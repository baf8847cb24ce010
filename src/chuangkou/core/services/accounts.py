"""Accounts and roles with separated duties (三权分立):

- sysadmin, secadmin and auditor are each exclusive of every other role, business ones included;
- a change that grants one of them waits for the approval of the security administrator or of
  another system administrator (四眼原则), never of the requester or of the account concerned;
- the last active holder of each of them can neither lose the role nor be deactivated.
"""

import getpass

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.db import transaction
from django.utils import timezone

from .. import audit
from ..errors import DomainError
from ..models import RoleChangeRequest
from ..permissions import require_role
from ..roles import Role, roles_of
from .passwords import store_password, validate_password

ADMIN_ROLES = frozenset({Role.SYSADMIN, Role.SECADMIN, Role.AUDITOR})


def check_separation_of_duties(roles) -> None:
    """An administrative role is held alone: no second administrative role, no business role."""
    roles = {Role(r) for r in roles}
    held = roles & ADMIN_ROLES
    if len(held) > 1:
        names = "、".join(sorted(r.label for r in held))
        raise DomainError(f"三权分立：{names}不能由同一账号兼任。", field="roles")
    if held and len(roles) > 1:
        (admin,) = held
        raise DomainError(
            f"三权分立：{admin.label}不能兼任其他角色（包括业务角色），请另开账号。", field="roles"
        )


def _current_roles(user) -> set[Role]:
    user._chuangkou_roles = None
    return set(roles_of(user))


def _check_last_holders(user, losing: set[Role]) -> None:
    """Refuse to leave a role of ADMIN_ROLES without any active holder (rows locked first)."""
    for role in sorted(losing & ADMIN_ROLES):
        Group.objects.select_for_update().filter(name=role.value).first()
        others = (
            get_user_model()
            .objects.filter(is_active=True, groups__name=role.value)
            .exclude(pk=user.pk)
            .exists()
        )
        if not others:
            raise DomainError(f"{role.label}至少要保留一个在用账号，不能移除最后一位。")


def _apply_roles(*, actor, user, roles: set[Role], approved_by=None) -> None:
    before = _current_roles(user)
    if before == roles:
        return
    if user.is_active:
        _check_last_holders(user, before - roles)
    user.groups.set(Group.objects.filter(name__in=[r.value for r in roles]))
    user._chuangkou_roles = None
    after = {"roles": sorted(r.value for r in roles)}
    if approved_by is not None:
        after["approved_by"] = approved_by.get_username()
    audit.record(
        actor=actor,
        action="account.roles",
        obj=user,
        before={"roles": sorted(r.value for r in before)},
        after=after,
    )


@transaction.atomic
def create_account(
    *,
    actor,
    username: str,
    password: str,
    display_name: str = "",
    roles: list[Role] | tuple[Role, ...] = (),
    must_change_password: bool = False,
):
    """开通账号 (system administrator; `actor=None` from the command line and demo loaders).

    Administrative roles asked for by an administrator become a pending request."""
    if actor is not None:
        require_role(actor, Role.SYSADMIN)
    roles = {Role(r) for r in roles}
    check_separation_of_duties(roles)
    user_model = get_user_model()
    username = (username or "").strip()
    if not username:
        raise DomainError("请填写用户名。", field="username")
    if user_model.objects.filter(username=username).exists():
        raise DomainError(f"用户名 {username} 已被使用。", field="username")
    user = user_model(username=username, display_name=display_name)
    validate_password(password, user)
    user.save()
    store_password(user, password, must_change=must_change_password)
    pending = actor is not None and bool(roles & ADMIN_ROLES)
    granted = set() if pending else roles
    user.groups.set(Group.objects.filter(name__in=[r.value for r in granted]))
    audit.record(
        actor=actor,
        action="account.create",
        obj=user,
        after={"username": username, "roles": sorted(r.value for r in granted)},
    )
    if pending:
        _file_request(actor=actor, user=user, roles=roles)
    return user


def _file_request(*, actor, user, roles: set[Role]) -> RoleChangeRequest:
    if RoleChangeRequest.objects.filter(
        user=user, status=RoleChangeRequest.Status.PENDING
    ).exists():
        raise DomainError("该账号已有一项待批准的角色变更，请等待审批或先驳回。", field="roles")
    request = RoleChangeRequest.objects.create(
        user=user, roles=sorted(r.value for r in roles), requested_by=actor
    )
    audit.record(
        actor=actor,
        action="account.roles_request",
        obj=user,
        after={"request": request.pk, "roles": request.roles},
    )
    return request


@transaction.atomic
def set_roles(*, actor, user, roles) -> RoleChangeRequest | None:
    """分配角色 (system administrator). Granting an administrative role files a request for
    approval and returns it; any other change applies at once (and returns None)."""
    require_role(actor, Role.SYSADMIN)
    roles = {Role(r) for r in roles}
    check_separation_of_duties(roles)
    if (roles - _current_roles(user)) & ADMIN_ROLES:
        return _file_request(actor=actor, user=user, roles=roles)
    _apply_roles(actor=actor, user=user, roles=roles)
    return None


def _pending_request(request_id: int) -> RoleChangeRequest:
    found = (
        RoleChangeRequest.objects.select_for_update()
        .select_related("user", "requested_by")
        .filter(pk=request_id, status=RoleChangeRequest.Status.PENDING)
        .first()
    )
    if found is None:
        raise DomainError("该申请不存在或已处理。", status=404)
    return found


def _check_second_person(actor, found: RoleChangeRequest) -> None:
    require_role(actor, Role.SECADMIN, Role.SYSADMIN)
    if actor.pk == found.requested_by_id:
        raise DomainError("四眼原则：不能审批自己提出的申请。")
    if actor.pk == found.user_id:
        raise DomainError("四眼原则：不能审批授予自己的角色。")


def _decide(found: RoleChangeRequest, actor, status) -> None:
    found.status, found.decided_by, found.decided_at = status, actor, timezone.now()
    found.save(update_fields=["status", "decided_by", "decided_at"])


@transaction.atomic
def approve_role_request(*, actor, request_id: int) -> RoleChangeRequest:
    """批准 (security administrator, or a system administrator other than the requester)."""
    found = _pending_request(request_id)
    _check_second_person(actor, found)
    roles = {Role(r) for r in found.roles}
    check_separation_of_duties(roles)
    _decide(found, actor, RoleChangeRequest.Status.APPROVED)
    _apply_roles(actor=found.requested_by, user=found.user, roles=roles, approved_by=actor)
    audit.record(
        actor=actor,
        action="account.roles_approve",
        obj=found.user,
        after={"request": found.pk, "roles": found.roles},
    )
    return found


@transaction.atomic
def reject_role_request(*, actor, request_id: int) -> RoleChangeRequest:
    """驳回: the same people as for approval, or the requester withdrawing it."""
    found = _pending_request(request_id)
    if actor.pk != found.requested_by_id:
        _check_second_person(actor, found)
    _decide(found, actor, RoleChangeRequest.Status.REJECTED)
    audit.record(
        actor=actor,
        action="account.roles_reject",
        obj=found.user,
        after={"request": found.pk, "roles": found.roles},
    )
    return found


@transaction.atomic
def set_active(*, actor, user, active: bool) -> None:
    """启用/停用 (system administrator); the last holder of an administrative role stays."""
    require_role(actor, Role.SYSADMIN)
    if user.pk == actor.pk and not active:
        raise DomainError("不能停用自己的账号。")
    if not active and user.is_active:
        _check_last_holders(user, _current_roles(user))
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


def create_account_interactive(*, username: str, role: str = Role.SYSADMIN) -> int:
    """`chuangkou createadmin [--role R]`: the first account of one role, holding it alone
    (三权分立). The installer creates the first system administrator and security administrator
    (and auditor) this way; after that, administrative roles need a second person's approval."""
    role = Role(role)
    print(f"创建账号 {username}（{role.label}）")
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
                display_name=role.label,
                roles=[role],
            )
        except DomainError as exc:
            print(exc.message)
            if exc.field != "password":
                return 1
            continue
        print("已创建。")
        return 0
