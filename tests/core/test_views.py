"""Pages of core: health check, home, accounts and roles (system/security administrators)."""

import datetime as dt

import pytest
from django.utils import timezone

from chuangkou.core.models import ApiToken, AuditEntry, User
from chuangkou.core.roles import Role, roles_of

GOOD_PASSWORD = "Wq7Lp3Nx!"


@pytest.fixture
def sysadmin(role_user):
    return role_user(Role.SYSADMIN, username="sysadmin01")


@pytest.fixture
def secadmin(role_user):
    return role_user(Role.SECADMIN, username="secadmin01")


def _fresh(user):
    user = User.objects.get(pk=user.pk)
    return user


def test_healthz_needs_no_login(client, db):
    response = client.get("/healthz")
    assert response.status_code == 200 and response.content == b"ok"


def test_home_without_staff_shows_the_roles(client_as, role_user):
    response = client_as(role_user(Role.GRADER, Role.SUPERVISOR)).get("/")
    body = response.content.decode()
    assert response.status_code == 200
    assert "阅卷/评委" in body and "义务行风监督员" in body


def test_home_for_a_user_without_roles(client_as, role_user):
    body = client_as(role_user()).get("/").content.decode()
    assert "未分配，请联系系统管理员" in body


def test_sidebar_follows_the_roles(client_as, role_user):
    auditor_page = client_as(role_user(Role.AUDITOR)).get("/").content.decode()
    clerk_page = client_as(role_user(Role.CLERK)).get("/").content.decode()
    assert 'href="/audit/"' in auditor_page and 'href="/audit/"' not in clerk_page
    assert 'href="/staff/me/"' in clerk_page and 'href="/accounts/"' not in clerk_page


# --- accounts -------------------------------------------------------------------------------


def test_accounts_list_search_and_role_filter(sysadmin, role_user, client_as):
    role_user(Role.CLERK, username="clerk31", display_name="陈三一")
    role_user(Role.AUDITOR, username="auditor31", display_name="审计三一")
    client = client_as(sysadmin)
    page = client.get("/accounts/", {"q": "三一"}).context["page"]
    assert {u.username for u in page.object_list} == {"clerk31", "auditor31"}
    response = client.get("/accounts/", {"role": "auditor"})
    assert {u.username for u in response.context["page"].object_list} == {"auditor31"}
    html = response.content.decode()  # the role by its Chinese name, not the group's code
    assert ">审计员</span>" in html and ">auditor</span>" not in html
    assert client.get("/accounts/", {"page": "zz", "role": "nonsense"}).status_code == 200


def test_sysadmin_opens_an_account(sysadmin, client_as):
    response = client_as(sysadmin).post(
        "/accounts/new/",
        {
            "username": "clerk32",
            "display_name": "吴三二",
            "password": GOOD_PASSWORD,
            "roles": ["clerk", "lobby_manager"],
        },
    )
    assert response.status_code == 302 and response["Location"] == "/accounts/"
    user = User.objects.get(username="clerk32")
    assert roles_of(user) == {Role.CLERK, Role.LOBBY_MANAGER}
    assert AuditEntry.objects.filter(action="account.create", object_id=str(user.pk)).exists()


def test_a_weak_password_is_a_form_error(sysadmin, client_as):
    response = client_as(sysadmin).post(
        "/accounts/new/", {"username": "clerk33", "password": "abcdefgh12"}
    )
    assert response.status_code == 200
    assert "密码须包含大写字母、小写字母、数字、符号中的至少 3 类" in response.content.decode()
    assert response.context["form"].errors["password"]
    assert not User.objects.filter(username="clerk33").exists()


def test_unknown_role_is_a_form_error(sysadmin, client_as):
    response = client_as(sysadmin).post(
        "/accounts/new/", {"username": "clerk34", "password": GOOD_PASSWORD, "roles": ["root"]}
    )
    assert response.status_code == 200 and response.context["form"].errors["roles"]
    assert not User.objects.filter(username="clerk34").exists()


def test_sysadmin_changes_roles_on_the_account_page(sysadmin, role_user, client_as):
    target = role_user(Role.CLERK)
    response = client_as(sysadmin).post(
        f"/accounts/{target.pk}/", {"action": "roles", "roles": ["dept_head", "clerk"]}
    )
    assert response.status_code == 302
    assert roles_of(_fresh(target)) == {Role.DEPT_HEAD, Role.CLERK}
    entry = AuditEntry.objects.get(action="account.roles")
    assert entry.before == {"roles": ["clerk"]} and entry.after == {"roles": ["clerk", "dept_head"]}


@pytest.mark.parametrize("action", ["roles", "password", "deactivate", "token", "bogus", ""])
def test_secadmin_cannot_do_the_sysadmins_work(secadmin, role_user, client_as, action):
    target = role_user(Role.CLERK)
    response = client_as(secadmin).post(
        f"/accounts/{target.pk}/",
        {"action": action, "roles": ["sysadmin"], "password": GOOD_PASSWORD, "name": "x"},
    )
    assert response.status_code == 403
    target = _fresh(target)
    assert roles_of(target) == {Role.CLERK} and target.is_active
    assert not ApiToken.objects.exists()
    assert not AuditEntry.objects.filter(action__startswith="account.").exists()


def test_secadmin_unlocks_and_sysadmin_cannot(sysadmin, secadmin, role_user, client_as):
    target = role_user(Role.CLERK)
    User.objects.filter(pk=target.pk).update(
        locked_until=timezone.now() + dt.timedelta(minutes=20), failed_logins=0
    )
    # the system administrator is told that this is not theirs to do
    response = client_as(sysadmin).post(f"/accounts/{target.pk}/", {"action": "unlock"})
    assert response.status_code == 200
    assert "您没有执行此操作的权限" in response.content.decode()
    assert _fresh(target).locked_until is not None
    page = client_as(secadmin).get(f"/accounts/{target.pk}/").content.decode()
    assert "解除锁定" in page
    response = client_as(secadmin).post(f"/accounts/{target.pk}/", {"action": "unlock"})
    assert response.status_code == 302
    assert _fresh(target).locked_until is None
    assert AuditEntry.objects.get(action="account.unlock").actor == secadmin


def test_password_reset_shows_a_temporary_password_once(sysadmin, role_user, client_as):
    target = role_user(Role.CLERK)
    client = client_as(sysadmin)
    response = client.post(f"/accounts/{target.pk}/", {"action": "password", "password": "x"})
    assert response.status_code == 200
    temporary = response.context["temporary_password"]
    assert temporary and temporary in response.content.decode()
    assert _fresh(target).check_password(temporary) and _fresh(target).must_change_password
    assert temporary not in client.get(f"/accounts/{target.pk}/").content.decode()
    assert AuditEntry.objects.filter(action="account.password_reset").count() == 1


def test_sysadmin_cannot_deactivate_themself(sysadmin, client_as):
    response = client_as(sysadmin).post(f"/accounts/{sysadmin.pk}/", {"action": "deactivate"})
    assert response.status_code == 200
    assert "不能停用自己的账号" in response.content.decode()
    assert _fresh(sysadmin).is_active


def test_account_page_of_unknown_account_is_404(sysadmin, client_as):
    assert client_as(sysadmin).get("/accounts/999999/").status_code == 404


@pytest.mark.django_db
def test_the_login_page_is_chinese_for_an_english_browser(client):
    response = client.get("/login/", HTTP_ACCEPT_LANGUAGE="en-US,en;q=0.9")
    assert "用户名" in response.content.decode()
