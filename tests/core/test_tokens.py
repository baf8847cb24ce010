"""Findings 3 and 7 of issue 7: tokens obey the account's state, expire, are listed and revoked
by their owner or all at once by the security administrator, and a read is not a write."""

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from chuangkou.core import services
from chuangkou.core.errors import DomainError, PermissionDeniedError
from chuangkou.core.models import ApiToken, AuditEntry, User
from chuangkou.core.roles import Role


@pytest.fixture
def clerk(role_user):
    return role_user(Role.CLERK, username="kiosk")


def _me(client, key):
    return client.get("/api/v1/core/me", headers={"Authorization": f"Bearer {key}"})


def test_a_locked_account_cannot_use_its_token(clerk, client):
    key = services.issue_api_token(actor=clerk, name="自助机")
    assert _me(client, key).status_code == 200
    User.objects.filter(pk=clerk.pk).update(locked_until=timezone.now() + dt.timedelta(minutes=5))
    assert _me(client, key).status_code == 401
    User.objects.filter(pk=clerk.pk).update(locked_until=timezone.now() - dt.timedelta(seconds=1))
    assert _me(client, key).status_code == 200


def test_a_token_is_refused_while_the_password_must_change(clerk, client):
    key = services.issue_api_token(actor=clerk, name="x")
    User.objects.filter(pk=clerk.pk).update(must_change_password=True)
    response = _me(client, key)
    assert response.status_code == 403 and "修改密码" in response.json()["detail"]


def test_tokens_expire(clerk, client, settings):
    key = services.issue_api_token(actor=clerk, name="x")
    token = ApiToken.objects.get()
    default = token.expires_at - timezone.now()
    assert dt.timedelta(days=89) < default <= dt.timedelta(days=settings.API_TOKEN_MAX_AGE_DAYS)
    ApiToken.objects.update(expires_at=timezone.now() - dt.timedelta(seconds=1))
    assert _me(client, key).status_code == 401
    with pytest.raises(DomainError):
        services.issue_api_token(actor=clerk, name="x", days=settings.API_TOKEN_MAX_AGE_DAYS + 1)
    with pytest.raises(DomainError):
        services.issue_api_token(actor=clerk, name="  ")


def test_a_read_through_a_token_writes_at_most_once_a_minute(clerk, client):
    key = services.issue_api_token(actor=clerk, name="x")
    assert _me(client, key).status_code == 200
    first = ApiToken.objects.get().last_used_at
    with CaptureQueriesContext(connection) as queries:
        assert _me(client, key).status_code == 200
    writes = [q["sql"] for q in queries if q["sql"].lstrip().upper().startswith("UPDATE")]
    assert writes == []
    assert ApiToken.objects.get().last_used_at == first
    ApiToken.objects.update(last_used_at=timezone.now() - dt.timedelta(seconds=61))
    _me(client, key)
    assert ApiToken.objects.get().last_used_at > first


def test_my_tokens_page_issues_lists_and_revokes(clerk, client_as, client):
    page = client_as(clerk)
    response = page.post("/account/", {"action": "token", "name": "数据大屏", "days": 30})
    key = response.context["new_key"]
    assert key and key in response.content.decode()
    body = page.get("/account/").content.decode()
    assert "数据大屏" in body and key not in body
    token = ApiToken.objects.get()
    assert token.user == clerk and (token.expires_at - timezone.now()).days in (29, 30)
    response = page.post("/account/", {"action": "revoke", "token": token.pk})
    assert response.status_code == 302
    assert _me(client, key).status_code == 401
    assert AuditEntry.objects.filter(action="account.token_revoke").count() == 1


def test_one_cannot_revoke_another_persons_token(clerk, role_user, client_as):
    other_key = services.issue_api_token(actor=role_user(Role.CLERK), name="x")
    token = ApiToken.objects.get(key_hash=ApiToken.hash_key(other_key))
    response = client_as(clerk).post("/account/", {"action": "revoke", "token": token.pk})
    assert response.status_code == 200 and "找不到该令牌" in response.content.decode()
    assert client_as(clerk).post("/account/", {"action": "revoke", "token": "9" * 40})
    assert not ApiToken.objects.get(pk=token.pk).revoked


def test_the_token_api(clerk, api_client_as):
    api = api_client_as(clerk)
    response = api.post("/core/tokens", {"name": "脚本", "days": 7})
    assert response.status_code == 201
    issued = response.json()
    assert issued["key"].startswith("ck_")
    listed = api.get("/core/tokens").json()
    assert [t["name"] for t in listed] == ["脚本"] and "key" not in listed[0]
    assert api.post(f"/core/tokens/{issued['id']}/revoke").json()["revoked"] is True
    assert api.post("/core/tokens/999999/revoke").status_code == 404
    assert api.post("/core/tokens", {"name": ""}).status_code == 422
    # a token cannot mint further tokens
    by_token = api_client_as(clerk, token=True)
    assert by_token.post("/core/tokens", {"name": "x"}).status_code == 403


def test_the_security_administrator_revokes_all_tokens(clerk, role_user, client_as, client):
    keys = [services.issue_api_token(actor=clerk, name=f"t{i}") for i in range(3)]
    secadmin = role_user(Role.SECADMIN)
    with pytest.raises(PermissionDeniedError):
        services.revoke_all_tokens(actor=role_user(Role.SYSADMIN), user=clerk)
    response = client_as(secadmin).post(f"/accounts/{clerk.pk}/", {"action": "revoke_tokens"})
    assert response.status_code == 302
    assert all(_me(client, key).status_code == 401 for key in keys)
    entry = AuditEntry.objects.get(action="account.tokens_revoke_all")
    assert entry.actor == secadmin and entry.after == {"count": 3}


def test_the_token_its_account_and_roles_come_in_one_statement(clerk, role_user):
    from chuangkou.api import find_token
    from chuangkou.core.roles import roles_of

    key = services.issue_api_token(actor=clerk, name="x")
    with CaptureQueriesContext(connection) as queries:
        token = find_token(key, timezone.now())
        assert token.user == clerk and roles_of(token.user) == {Role.CLERK}
    assert len(queries) == 1
    assert token.expires_at > timezone.now() and token.revoked is False
    assert token.user.is_active is True and token.user.last_login is None
    nobody = role_user(username="norole")
    bare = find_token(services.issue_api_token(actor=nobody, name="x"), timezone.now())
    assert bare.user == nobody and roles_of(bare.user) == set()
    admin = User.objects.create_superuser("root1", password="Xx1!xxxxxx")
    root = find_token(services.issue_api_token(actor=admin, name="x"), timezone.now())
    assert roles_of(root.user) == set(Role)
    User.objects.filter(pk=clerk.pk).update(is_active=False)
    assert find_token(key, timezone.now()) is None
    assert find_token("ck_not-a-token", timezone.now()) is None


def test_only_a_token_call_without_a_session_skips_the_session_middlewares(rf):
    from chuangkou.core.middleware import bearer_api_call

    bearer = {"HTTP_AUTHORIZATION": "Bearer ck_x"}
    assert bearer_api_call(rf.post("/api/v1/hall/tickets", **bearer))
    assert not bearer_api_call(rf.post("/api/v1/hall/tickets"))
    assert not bearer_api_call(rf.get("/account/", **bearer))
    browser = rf.post("/api/v1/hall/tickets", **bearer)
    browser.COOKIES["sessionid"] = "abc"
    assert not bearer_api_call(browser)


def test_a_session_must_still_change_its_password_beside_a_bearer_header(clerk, client_as):
    User.objects.filter(pk=clerk.pk).update(must_change_password=True)
    browser = client_as(clerk)
    response = browser.get("/api/v1/core/me", headers={"Authorization": "Bearer ck_nothing"})
    assert response.status_code == 403 and "修改密码" in response.json()["detail"]
    assert browser.get("/account/").status_code == 302  # held on the password page
