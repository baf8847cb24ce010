"""Accounts, roles and API tokens (三权分立): who may do what, and that each change is audited."""

import pytest
from django.contrib.auth import authenticate

from chuangkou.core import services
from chuangkou.core.errors import DomainError, PermissionDeniedError
from chuangkou.core.models import ApiToken, AuditEntry
from chuangkou.core.roles import Role, roles_of

from ..factories import UserFactory

GOOD_PASSWORD = "Wq7Lp3Nx!"
OTHER_ROLES = [r for r in Role if r != Role.SYSADMIN]


@pytest.fixture
def sysadmin(role_user):
    return role_user(Role.SYSADMIN, username="sysadmin01")


@pytest.fixture
def secadmin(role_user):
    return role_user(Role.SECADMIN, username="secadmin01")


def _fresh(user):
    user.refresh_from_db()
    user._chuangkou_roles = None
    return user


# --- create_account -------------------------------------------------------------------------


def test_create_account(sysadmin):
    user = services.create_account(
        actor=sysadmin,
        username="  clerk05 ",
        password=GOOD_PASSWORD,
        display_name="周五",
        roles=[Role.CLERK, Role.LOBBY_MANAGER],
    )
    assert user.username == "clerk05" and user.display_name == "周五"
    assert roles_of(_fresh(user)) == {Role.CLERK, Role.LOBBY_MANAGER}
    assert authenticate(username="clerk05", password=GOOD_PASSWORD) == user
    entry = AuditEntry.objects.get(action="account.create")
    assert entry.actor == sysadmin and entry.object_id == str(user.pk)
    assert entry.after == {"username": "clerk05", "roles": ["clerk", "lobby_manager"]}
    assert GOOD_PASSWORD not in str(entry.after)


@pytest.mark.parametrize(
    ("password", "fragment"),
    [
        ("Ab1!x", "8"),  # too short (the message names the minimum length)
        ("abcdefgh12", "密码须包含大写字母、小写字母、数字、符号中的至少 3 类"),
        ("12345678", "密码只包含数字"),
    ],
)
def test_create_account_validates_the_password(sysadmin, password, fragment):
    with pytest.raises(DomainError) as exc:
        services.create_account(actor=sysadmin, username="clerk06", password=password)
    assert fragment in exc.value.message
    assert exc.value.field == "password"
    assert not AuditEntry.objects.filter(action="account.create").exists()
    from chuangkou.core.models import User

    assert not User.objects.filter(username="clerk06").exists()


def test_too_short_password_message_is_chinese(sysadmin):
    # Django 5.2's own message has no zh-hans translation; core.auth has its own validator.
    with pytest.raises(DomainError) as exc:
        services.create_account(actor=sysadmin, username="clerk06", password="Ab1!x")
    assert exc.value.message == "密码太短，至少需要 8 个字符。"


def test_create_account_refuses_a_password_like_the_username(sysadmin):
    with pytest.raises(DomainError) as exc:
        services.create_account(actor=sysadmin, username="Zhangwei2018", password="Zhangwei2018!")
    assert exc.value.field == "password"


def test_create_account_refuses_blank_and_taken_usernames(sysadmin):
    with pytest.raises(DomainError) as exc:
        services.create_account(actor=sysadmin, username="  ", password=GOOD_PASSWORD)
    assert exc.value.field == "username" and "用户名" in exc.value.message
    with pytest.raises(DomainError) as exc:
        services.create_account(actor=sysadmin, username="sysadmin01", password=GOOD_PASSWORD)
    assert "已被使用" in exc.value.message


@pytest.mark.parametrize("role", OTHER_ROLES)
def test_only_the_sysadmin_creates_accounts(role_user, role):
    with pytest.raises(PermissionDeniedError):
        services.create_account(actor=role_user(role), username="x1", password=GOOD_PASSWORD)


def test_command_line_creation_has_no_actor(db):
    user = services.create_account(
        actor=None, username="admin", password=GOOD_PASSWORD, roles=[Role.CENTER_ADMIN]
    )
    assert AuditEntry.objects.get(action="account.create").actor_name == "系统"
    assert roles_of(user) == {Role.CENTER_ADMIN}


# --- set_roles ------------------------------------------------------------------------------


def test_set_roles_is_audited_with_before_and_after(sysadmin, role_user):
    user = role_user(Role.CLERK)
    services.set_roles(actor=sysadmin, user=user, roles=[Role.DEPT_HEAD, Role.CLERK])
    assert roles_of(_fresh(user)) == {Role.DEPT_HEAD, Role.CLERK}
    entry = AuditEntry.objects.get(action="account.roles")
    assert entry.before == {"roles": ["clerk"]}
    assert entry.after == {"roles": ["clerk", "dept_head"]}
    assert entry.actor == sysadmin


def test_set_roles_without_change_writes_nothing(sysadmin, role_user):
    user = role_user(Role.CLERK)
    services.set_roles(actor=sysadmin, user=user, roles=[Role.CLERK])
    assert not AuditEntry.objects.filter(action="account.roles").exists()


def test_set_roles_can_remove_every_role(sysadmin, role_user):
    user = role_user(Role.CLERK, Role.GRADER)
    services.set_roles(actor=sysadmin, user=user, roles=[])
    assert roles_of(_fresh(user)) == set()
    assert AuditEntry.objects.get(action="account.roles").after == {"roles": []}


@pytest.mark.parametrize("role", OTHER_ROLES)
def test_only_the_sysadmin_sets_roles(role_user, role):
    actor = role_user(role)
    target = role_user(Role.CLERK)
    with pytest.raises(PermissionDeniedError):
        services.set_roles(actor=actor, user=target, roles=[Role.CENTER_ADMIN])
    assert roles_of(_fresh(target)) == {Role.CLERK}
    assert not AuditEntry.objects.filter(action="account.roles").exists()


def test_a_user_cannot_grant_themself_sysadmin(role_user):
    user = role_user(Role.SECADMIN)
    with pytest.raises(PermissionDeniedError):
        services.set_roles(actor=user, user=user, roles=[Role.SYSADMIN])


# --- reset_password / set_active ------------------------------------------------------------


def test_reset_password_gives_a_temporary_password_to_change(sysadmin, role_user):
    user = role_user(Role.CLERK, username="clerk07")
    temporary = services.reset_password(actor=sysadmin, user=user)
    assert authenticate(username="clerk07", password=temporary) is not None
    assert _fresh(user).must_change_password is True
    entry = AuditEntry.objects.get(action="account.password_reset")
    assert entry.actor == sysadmin and temporary not in str(entry.after)
    with pytest.raises(PermissionDeniedError):
        services.reset_password(actor=role_user(Role.SECADMIN), user=user)


def test_set_active(sysadmin, role_user):
    user = role_user(Role.CLERK)
    services.set_active(actor=sysadmin, user=user, active=False)
    assert _fresh(user).is_active is False
    with pytest.raises(DomainError) as exc:
        services.set_active(actor=sysadmin, user=sysadmin, active=False)
    assert "自己" in exc.value.message
    assert list(
        AuditEntry.objects.filter(action__startswith="account.").values_list("action", flat=True)
    ) == ["account.deactivate"]


# --- unlock_account -------------------------------------------------------------------------


def test_only_the_secadmin_unlocks(secadmin, sysadmin, role_user):
    from django.utils import timezone

    user = role_user(Role.CLERK)
    user.locked_until = timezone.now() + timezone.timedelta(minutes=30)
    user.failed_logins = 3
    user.save()
    for actor in (sysadmin, role_user(Role.AUDITOR), role_user(Role.CENTER_ADMIN), user):
        with pytest.raises(PermissionDeniedError):
            services.unlock_account(actor=actor, user=user)
    assert _fresh(user).locked_until is not None
    services.unlock_account(actor=secadmin, user=user)
    user = _fresh(user)
    assert user.locked_until is None and user.failed_logins == 0
    entry = AuditEntry.objects.get(action="account.unlock")
    assert entry.actor == secadmin and entry.object_id == str(user.pk)


# --- API tokens -----------------------------------------------------------------------------


def test_issue_api_token_returns_a_key_stored_only_as_hash(role_user):
    machine = role_user(Role.CENTER_ADMIN, username="queue-machine")
    key = services.issue_api_token(actor=machine, name="取号机对接")
    assert key.startswith("ck_") and len(key) > 30
    token = ApiToken.objects.get(user=machine)
    assert token.key_hash == ApiToken.hash_key(key) and key not in token.key_hash
    assert token.prefix == key[:8]
    entry = AuditEntry.objects.get(action="account.token_issue")
    assert entry.after["name"] == "取号机对接" and key not in str(entry.after)


def test_token_works_for_the_api_until_revoked(role_user, client):
    machine = role_user(Role.CLERK, username="kiosk", display_name="自助机")
    key = services.issue_api_token(actor=machine, name="自助机")
    headers = {"Authorization": f"Bearer {key}"}
    response = client.get("/api/v1/core/me", headers=headers)
    assert response.status_code == 200
    assert response.json() == {"username": "kiosk", "display_name": "自助机", "roles": ["clerk"]}
    assert ApiToken.objects.get(user=machine).last_used_at is not None

    ApiToken.objects.filter(user=machine).update(revoked=True)
    response = client.get("/api/v1/core/me", headers=headers)
    assert response.status_code == 401
    assert "令牌" in response.json()["detail"]


@pytest.mark.parametrize(
    "header",
    ["Bearer ck_not-a-real-key", "Bearer ", "Token abc", "Basic YWRtaW46YWRtaW4="],
)
def test_bad_tokens_are_refused(client, db, header):
    response = client.get("/api/v1/core/me", headers={"Authorization": header})
    assert response.status_code == 401


def test_token_of_a_deactivated_account_is_refused(sysadmin, role_user, client):
    machine = role_user(Role.CLERK)
    key = services.issue_api_token(actor=machine, name="x")
    services.set_active(actor=sysadmin, user=machine, active=False)
    response = client.get("/api/v1/core/me", headers={"Authorization": f"Bearer {key}"})
    assert response.status_code == 401


def test_a_token_needs_no_csrf(sysadmin, role_user, org_small):
    from django.test import Client

    key = services.issue_api_token(actor=org_small.admin, name="x")
    client = Client(enforce_csrf_checks=True)
    response = client.patch(
        f"/api/v1/org/staff/{org_small.a2.pk}",
        {"phone": "13700000000"},
        content_type="application/json",
        headers={"Authorization": f"Bearer {key}"},
    )
    assert response.status_code == 200, response.content
    assert response.json()["phone"] == "13700000000"


def test_factory_default_password_is_valid():
    """The factories' password satisfies the validators (used by the login tests)."""
    from django.contrib.auth import password_validation

    from ..factories import DEFAULT_PASSWORD

    password_validation.validate_password(DEFAULT_PASSWORD, UserFactory.build())
