"""Finding 1 of issue 7: the system administrator can no longer become anyone.

No tokens for others, no chosen password for others, no business role beside an administrative
one, no administrative role without a second person's approval, never the last holder removed."""

import pytest
from django.test import Client

from chuangkou.core import services
from chuangkou.core.errors import DomainError, PermissionDeniedError
from chuangkou.core.models import ApiToken, AuditEntry, RoleChangeRequest, User
from chuangkou.core.roles import Role, roles_of

GOOD_PASSWORD = "Wq7Lp3Nx!"
BUSINESS_ROLES = [r for r in Role if r not in services.ADMIN_ROLES]


@pytest.fixture
def sysadmin(role_user):
    return role_user(Role.SYSADMIN, username="sysadmin01")


@pytest.fixture
def secadmin(role_user):
    return role_user(Role.SECADMIN, username="secadmin01")


@pytest.fixture
def auditor(role_user):
    return role_user(Role.AUDITOR, username="auditor01")


def _roles(user) -> set[Role]:
    user = User.objects.get(pk=user.pk)
    return roles_of(user)


# --- tokens ---------------------------------------------------------------------------------


def test_the_sysadmin_cannot_issue_a_token_for_someone_else(sysadmin, role_user, client_as):
    admin = role_user(Role.CENTER_ADMIN)
    response = client_as(sysadmin).post(f"/accounts/{admin.pk}/", {"action": "token", "name": "x"})
    assert response.status_code == 403
    with pytest.raises(TypeError):
        services.issue_api_token(actor=sysadmin, user=admin, name="x")  # no such argument
    assert not ApiToken.objects.filter(user=admin).exists()


def test_a_token_issued_through_the_api_belongs_to_the_caller(sysadmin, api_client_as):
    response = api_client_as(sysadmin).post("/core/tokens", {"name": "脚本"})
    assert response.status_code == 201
    assert ApiToken.objects.get().user == sysadmin


# --- passwords ------------------------------------------------------------------------------


def test_the_sysadmin_cannot_choose_another_persons_password(sysadmin, auditor, client_as):
    client_as(sysadmin).post(
        f"/accounts/{auditor.pk}/", {"action": "password", "password": GOOD_PASSWORD}
    )
    auditor.refresh_from_db()
    assert not auditor.check_password(GOOD_PASSWORD)
    assert auditor.must_change_password


def test_a_temporary_password_must_be_changed_before_anything_else(sysadmin, role_user):
    clerk = role_user(Role.CLERK, username="clerk21")
    temporary = services.reset_password(actor=sysadmin, user=clerk)
    client = Client()
    response = client.post("/login/", {"username": "clerk21", "password": temporary})
    assert response.status_code == 302
    response = client.get("/")
    assert response.status_code == 302 and response["Location"].startswith("/account/password/")
    response = client.get("/api/v1/core/me")
    assert response.status_code == 403 and "修改密码" in response.json()["detail"]


def test_the_sysadmin_cannot_reset_its_own_password_this_way(sysadmin):
    with pytest.raises(DomainError):
        services.reset_password(actor=sysadmin, user=sysadmin)


# --- separation of duties -------------------------------------------------------------------


@pytest.mark.parametrize("business", BUSINESS_ROLES)
def test_no_business_role_beside_an_administrative_one(sysadmin, business):
    with pytest.raises(DomainError) as exc:
        services.set_roles(actor=sysadmin, user=sysadmin, roles=[Role.SYSADMIN, business])
    assert "三权分立" in exc.value.message and exc.value.field == "roles"
    assert _roles(sysadmin) == {Role.SYSADMIN}


def test_two_administrative_roles_are_exclusive(sysadmin, role_user):
    target = role_user()
    with pytest.raises(DomainError):
        services.set_roles(actor=sysadmin, user=target, roles=[Role.SECADMIN, Role.AUDITOR])
    with pytest.raises(DomainError):
        services.create_account(
            actor=None,
            username="both",
            password=GOOD_PASSWORD,
            roles=[Role.SYSADMIN, Role.CENTER_ADMIN],
        )


def test_granting_an_administrative_role_waits_for_approval(sysadmin, secadmin, role_user):
    target = role_user(username="newauditor")
    request = services.set_roles(actor=sysadmin, user=target, roles=[Role.AUDITOR])
    assert request is not None and request.status == RoleChangeRequest.Status.PENDING
    assert _roles(target) == set()
    with pytest.raises(DomainError):  # the requester cannot approve
        services.approve_role_request(actor=sysadmin, request_id=request.pk)
    with pytest.raises(PermissionDeniedError):
        services.approve_role_request(actor=role_user(Role.CENTER_ADMIN), request_id=request.pk)
    services.approve_role_request(actor=secadmin, request_id=request.pk)
    assert _roles(target) == {Role.AUDITOR}
    change = AuditEntry.objects.get(action="account.roles")
    assert change.actor == sysadmin and change.after["approved_by"] == "secadmin01"
    assert AuditEntry.objects.get(action="account.roles_approve").actor == secadmin


def test_the_sysadmin_cannot_grant_itself_the_security_role(sysadmin, role_user):
    request = services.set_roles(actor=sysadmin, user=sysadmin, roles=[Role.SECADMIN])
    other = role_user(Role.SYSADMIN)
    services.approve_role_request(actor=other, request_id=request.pk)  # a second sysadmin may
    assert _roles(sysadmin) == {Role.SECADMIN}
    # nor may the person concerned approve a grant to themself
    target = role_user(Role.SECADMIN)
    request = services.set_roles(actor=other, user=target, roles=[Role.AUDITOR])
    with pytest.raises(DomainError):
        services.approve_role_request(actor=target, request_id=request.pk)


def test_a_new_account_with_an_administrative_role_is_pending(sysadmin, secadmin):
    user = services.create_account(
        actor=sysadmin, username="auditor02", password=GOOD_PASSWORD, roles=[Role.AUDITOR]
    )
    assert _roles(user) == set()
    request = RoleChangeRequest.objects.get(user=user)
    services.reject_role_request(actor=secadmin, request_id=request.pk)
    assert _roles(user) == set()
    with pytest.raises(DomainError):
        services.approve_role_request(actor=secadmin, request_id=request.pk)


def test_the_approval_page(sysadmin, secadmin, role_user, client_as):
    target = role_user(username="candidate")
    client_as(sysadmin).post(f"/accounts/{target.pk}/", {"action": "roles", "roles": ["auditor"]})
    request = RoleChangeRequest.objects.get(user=target)
    page = client_as(secadmin).get("/accounts/").content.decode()
    assert "待批准的管理角色" in page and "candidate" in page
    assert (
        client_as(sysadmin)
        .post(f"/accounts/requests/{request.pk}/", {"action": "approve"})
        .status_code
        == 302
    )
    assert _roles(target) == set()  # refused: the requester
    response = client_as(secadmin).post(f"/accounts/requests/{request.pk}/", {"action": "approve"})
    assert response.status_code == 302
    assert _roles(target) == {Role.AUDITOR}
    assert (
        client_as(secadmin)
        .post(f"/accounts/requests/{request.pk}/", {"action": "approve"})
        .status_code
        == 404
    )


# --- the last holder ------------------------------------------------------------------------


def test_the_last_sysadmin_cannot_remove_its_own_role(sysadmin):
    with pytest.raises(DomainError) as exc:
        services.set_roles(actor=sysadmin, user=sysadmin, roles=[])
    assert "最后一位" in exc.value.message
    assert _roles(sysadmin) == {Role.SYSADMIN}


@pytest.mark.parametrize("role", sorted(services.ADMIN_ROLES))
def test_the_last_holder_can_neither_lose_the_role_nor_be_deactivated(sysadmin, role_user, role):
    holder = sysadmin if role == Role.SYSADMIN else role_user(role)
    if holder != sysadmin:
        with pytest.raises(DomainError):
            services.set_active(actor=sysadmin, user=holder, active=False)
        with pytest.raises(DomainError):
            services.set_roles(actor=sysadmin, user=holder, roles=[])
    second = role_user(role)
    if holder != sysadmin:
        services.set_active(actor=sysadmin, user=holder, active=False)
    else:
        services.set_roles(actor=sysadmin, user=holder, roles=[])
    # now `second` is the last one
    with pytest.raises(DomainError):
        services.set_roles(
            actor=second if role == Role.SYSADMIN else sysadmin, user=second, roles=[]
        )
    if role != Role.SYSADMIN:
        with pytest.raises(DomainError):
            services.set_active(actor=sysadmin, user=second, active=False)


# --- createadmin ----------------------------------------------------------------------------


def test_createadmin_makes_a_sysadmin_only(db, monkeypatch):
    monkeypatch.setattr("getpass.getpass", lambda prompt="": GOOD_PASSWORD)
    assert services.create_account_interactive(username="root") == 0
    assert _roles(User.objects.get(username="root")) == {Role.SYSADMIN}
    assert services.create_account_interactive(username="sec", role="secadmin") == 0
    assert _roles(User.objects.get(username="sec")) == {Role.SECADMIN}


def test_demo_accounts_still_sign_in(db, settings):
    from chuangkou.core.demo import ACCOUNTS, load
    from chuangkou.demo import DEMO_PASSWORD

    settings.OTP_REQUIRED_ROLES = ["sysadmin", "secadmin", "auditor", "center_admin"]
    settings.OTP_EXEMPT_DEMO_ACCOUNTS = True
    load()
    for username, roles, _ in ACCOUNTS:
        assert _roles(User.objects.get(username=username)) == set(roles)
        client = Client()
        response = client.post("/login/", {"username": username, "password": DEMO_PASSWORD})
        assert response.status_code == 302 and response["Location"] == "/", username
        assert client.get("/").status_code == 200
