"""Passwords: self-service change, forced change (first sign-in, reset, expiry), the warning
before expiry, no reuse of the last five, never containing the username."""

import datetime as dt

import pytest
from django.test import Client
from django.utils import timezone

from chuangkou.core import services
from chuangkou.core.errors import DomainError
from chuangkou.core.models import AuditEntry, User
from chuangkou.core.roles import Role

PASSWORD = "Right#Pass2018"
NEW = ["Fresh#Pass01", "Fresh#Pass02", "Fresh#Pass03", "Fresh#Pass04", "Fresh#Pass05"]


@pytest.fixture
def clerk(db):
    return services.create_account(
        actor=None, username="clerk50", password=PASSWORD, roles=[Role.CLERK]
    )


def _change(user, old, new):
    services.change_own_password(actor=user, old_password=old, new_password=new)


def test_change_own_password(clerk, client_as):
    client = client_as(clerk)
    response = client.post(
        "/account/password/",
        {"old_password": PASSWORD, "new_password": NEW[0], "new_password2": NEW[0]},
    )
    assert response.status_code == 302
    clerk.refresh_from_db()
    assert clerk.check_password(NEW[0]) and clerk.password_changed_at is not None
    assert client.get("/").status_code == 200  # still signed in
    assert AuditEntry.objects.filter(action="account.password_change").count() == 1


def test_wrong_old_password_and_mismatch_are_form_errors(clerk, client_as):
    client = client_as(clerk)
    response = client.post(
        "/account/password/",
        {"old_password": "nope", "new_password": NEW[0], "new_password2": NEW[0]},
    )
    assert "原密码不正确" in response.content.decode()
    response = client.post(
        "/account/password/",
        {"old_password": PASSWORD, "new_password": NEW[0], "new_password2": NEW[1]},
    )
    assert "两次输入的新密码不一致" in response.content.decode()


def test_no_reuse_of_the_last_five(clerk):
    current = PASSWORD
    for new in NEW[:4]:
        _change(clerk, current, new)
        current = new
    # the last five: PASSWORD and NEW[0..3]
    for old in (PASSWORD, NEW[0], NEW[3]):
        with pytest.raises(DomainError) as exc:
            _change(clerk, NEW[3], old)
        assert exc.value.message == "不能使用最近 5 次用过的密码。"
    _change(clerk, NEW[3], NEW[4])
    _change(clerk, NEW[4], PASSWORD)  # six changes ago: allowed again


def test_the_password_must_not_contain_the_username(clerk):
    with pytest.raises(DomainError) as exc:
        _change(clerk, PASSWORD, "X#CLERK50yz")
    assert "不能包含用户名" in exc.value.message


def test_first_sign_in_requires_a_change(db):
    services.create_account(
        actor=None,
        username="clerk51",
        password=PASSWORD,
        roles=[Role.CLERK],
        must_change_password=True,
    )
    client = Client()
    assert client.post("/login/", {"username": "clerk51", "password": PASSWORD}).status_code == 302
    response = client.get("/staff/me/")
    assert response.status_code == 302
    assert response["Location"] == "/account/password/?next=%2Fstaff%2Fme%2F"
    page = client.get(response["Location"]).content.decode()
    assert "请先设置新密码" in page
    response = client.post(
        "/account/password/",
        {
            "old_password": PASSWORD,
            "new_password": NEW[0],
            "new_password2": NEW[0],
            "next": "/staff/me/",
        },
    )
    assert response.status_code == 302 and response["Location"] == "/staff/me/"
    assert client.get("/").status_code == 200
    assert User.objects.get(username="clerk51").must_change_password is False


def test_an_expired_password_must_be_changed(clerk, client_as, settings):
    User.objects.filter(pk=clerk.pk).update(
        password_changed_at=timezone.now() - dt.timedelta(days=settings.PASSWORD_MAX_AGE_DAYS + 1)
    )
    client = client_as(User.objects.get(pk=clerk.pk))
    assert client.get("/")["Location"].startswith("/account/password/")
    assert client.get("/api/v1/core/me").status_code == 403
    settings.PASSWORD_MAX_AGE_DAYS = 365
    assert client.get("/").status_code == 200


def test_a_warning_seven_days_before_expiry(clerk, settings):
    User.objects.filter(pk=clerk.pk).update(
        password_changed_at=timezone.now() - dt.timedelta(days=settings.PASSWORD_MAX_AGE_DAYS - 3)
    )
    client = Client()
    client.post("/login/", {"username": "clerk50", "password": PASSWORD})
    body = client.get("/").content.decode()
    assert "您的密码将在 3 天后过期" in body
    assert "3 天后过期" in client.get("/account/").content.decode()


def test_password_change_page_rejects_a_foreign_next(clerk, client_as):
    response = client_as(clerk).post(
        "/account/password/",
        {
            "old_password": PASSWORD,
            "new_password": NEW[0],
            "new_password2": NEW[0],
            "next": "https://evil.example/",
        },
    )
    assert response["Location"] == "/"
