"""Sign-in: lockout after repeated failures (through the real login view), session idle timeout,
password rules, and the production security checks."""

import datetime as dt
import os
import secrets
import subprocess
import sys

import pytest
from django.conf import settings
from django.contrib.auth import password_validation
from django.contrib.sessions.models import Session
from django.core.exceptions import ValidationError
from django.test import Client
from django.utils import timezone

from chuangkou.core.auth import CharacterClassValidator
from chuangkou.core.forms import LOGIN_REFUSED
from chuangkou.core.models import AuditEntry, User

from ..factories import UserFactory

PASSWORD = "Right#Pass2018"


@pytest.fixture
def account(db):
    return UserFactory(username="clerk09", display_name="孙九", password=PASSWORD)


def _login(client: Client, password: str, username: str = "clerk09"):
    return client.post("/login/", {"username": username, "password": password})


def _actions() -> list[str]:
    return list(AuditEntry.objects.order_by("id").values_list("action", flat=True))


def test_login_page_renders(client, db):
    response = client.get("/login/")
    assert response.status_code == 200
    assert "连续 5 次密码错误" in response.content.decode()


def test_successful_login_and_logout_are_audited(client, account):
    response = _login(client, PASSWORD)
    assert response.status_code == 302 and response["Location"] == "/"
    assert client.session["_auth_user_id"] == str(account.pk)
    response = client.post("/logout/")
    assert response.status_code == 302 and response["Location"] == "/login/"
    assert "_auth_user_id" not in client.session
    assert _actions() == ["auth.login", "auth.logout"]
    login = AuditEntry.objects.get(action="auth.login")
    assert login.actor == account and login.object_id == str(account.pk)


def test_five_failures_lock_the_account(client, account):
    for attempt in range(1, 6):
        response = _login(client, "wrong-password")
        assert response.status_code == 200
        assert "用户名或密码不正确" in response.content.decode()
        account.refresh_from_db()
        if attempt < 5:
            assert account.failed_logins == attempt
            assert account.locked_until is None
    assert account.locked_until is not None
    remaining = account.locked_until - timezone.now()
    assert dt.timedelta(minutes=29) < remaining <= dt.timedelta(minutes=30)
    assert account.failed_logins == 0

    # the sixth attempt, with the right password, is refused with the same generic message
    response = _login(client, PASSWORD)
    assert response.status_code == 200
    body = response.content.decode()
    assert LOGIN_REFUSED in body
    assert "_auth_user_id" not in client.session

    actions = _actions()
    assert actions.count("auth.login_failed") == 6  # the refused sixth attempt too
    assert actions.count("account.locked") == 1
    assert "auth.login" not in actions
    locked = AuditEntry.objects.get(action="account.locked")
    assert locked.object_id == str(account.pk) and locked.actor_name == "clerk09"


def test_after_the_lock_expires_login_works_and_counters_reset(client, account):
    for _ in range(5):
        _login(client, "wrong-password")
    User.objects.filter(pk=account.pk).update(
        locked_until=timezone.now() - dt.timedelta(seconds=1), failed_logins=3
    )
    response = _login(client, PASSWORD)
    assert response.status_code == 302
    assert client.session["_auth_user_id"] == str(account.pk)
    account.refresh_from_db()
    assert account.failed_logins == 0 and account.locked_until is None
    assert "auth.login" in _actions()
    client.post("/logout/")
    assert _actions()[-1] == "auth.logout"


def test_failures_must_be_consecutive(client, account):
    for _ in range(4):
        _login(client, "wrong-password")
    assert _login(client, PASSWORD).status_code == 302
    client.post("/logout/")
    account.refresh_from_db()
    assert account.failed_logins == 0
    for _ in range(4):
        _login(client, "wrong-password")
    account.refresh_from_db()
    assert account.locked_until is None and account.failed_logins == 4


def test_a_locked_account_is_refused_even_by_the_backend(account, rf):
    from django.contrib.auth import authenticate

    User.objects.filter(pk=account.pk).update(
        locked_until=timezone.now() + dt.timedelta(minutes=10)
    )
    assert authenticate(rf.post("/login/"), username="clerk09", password=PASSWORD) is None


def test_unknown_username_fails_cleanly_and_is_audited(client, db):
    response = _login(client, "whatever", username="nobody")
    assert response.status_code == 200
    entry = AuditEntry.objects.get(action="auth.login_failed")
    assert entry.actor_name == "nobody" and entry.object_id == ""


def test_a_signed_in_user_visiting_login_is_sent_home(client_as, account):
    response = client_as(account).get("/login/")
    assert response.status_code == 302 and response["Location"] == "/"


def test_logout_only_by_post(client_as, account):
    client = client_as(account)
    assert client.get("/logout/").status_code == 405
    assert client.get("/").status_code == 200  # still signed in


# --- session idle timeout -------------------------------------------------------------------


def test_session_idle_timeout_settings():
    assert settings.SESSION_COOKIE_AGE == 1800
    assert "chuangkou.core.middleware.IdleSessionMiddleware" in settings.MIDDLEWARE
    assert settings.SESSION_COOKIE_HTTPONLY is True


def test_each_request_pushes_the_session_expiry_forward(client_as, account):
    client = client_as(account)
    key = client.session.session_key
    Session.objects.filter(pk=key).update(expire_date=timezone.now() + dt.timedelta(minutes=5))
    assert client.get("/").status_code == 200
    expiry = Session.objects.get(pk=key).expire_date - timezone.now()
    assert dt.timedelta(minutes=29) < expiry <= dt.timedelta(minutes=30)


def test_requests_within_a_minute_do_not_rewrite_the_session(client_as, account):
    client = client_as(account)
    key = client.session.session_key
    assert client.get("/").status_code == 200
    first = Session.objects.get(pk=key).expire_date
    assert client.get("/").status_code == 200
    assert Session.objects.get(pk=key).expire_date == first


def test_an_idle_session_expires(client_as, account):
    client = client_as(account)
    Session.objects.filter(pk=client.session.session_key).update(
        expire_date=timezone.now() - dt.timedelta(seconds=1)
    )
    response = client.get("/")
    assert response.status_code == 302 and response["Location"].startswith("/login/")


# --- password rules -------------------------------------------------------------------------


def test_password_validators_are_configured():
    names = [v["NAME"].rsplit(".", 1)[-1] for v in settings.AUTH_PASSWORD_VALIDATORS]
    assert {
        "MinimumLengthValidator",
        "CommonPasswordValidator",
        "NumericPasswordValidator",
        "UserAttributeSimilarityValidator",
        "CharacterClassValidator",
    } <= set(names)
    minimum = next(
        v for v in settings.AUTH_PASSWORD_VALIDATORS if v["NAME"].endswith("MinimumLengthValidator")
    )
    assert minimum["OPTIONS"]["min_length"] >= 8


@pytest.mark.parametrize(
    ("password", "ok"),
    [
        ("Wq7Lp3Nx", True),  # upper, lower, digit
        ("abcdef1!", True),  # lower, digit, symbol
        ("abcdefgh1", False),  # two classes
        ("ABCDEFGH!", False),
        ("Ab1!", False),  # too short
        ("12345678", False),
        ("密码密码Abc1", True),  # Chinese characters count as symbols here; three classes
    ],
)
def test_password_rules(password, ok):
    if ok:
        password_validation.validate_password(password)
    else:
        with pytest.raises(ValidationError):
            password_validation.validate_password(password)


def test_character_class_message_is_chinese():
    with pytest.raises(ValidationError) as exc:
        CharacterClassValidator().validate("abcdefgh1")
    assert exc.value.messages == ["密码须包含大写字母、小写字母、数字、符号中的至少 3 类。"]
    assert CharacterClassValidator.classes_in("aA1-") == 4


# --- production security checks -------------------------------------------------------------


def test_check_deploy_with_production_environment_has_no_warnings(tmp_path):
    # A clean production environment: nothing of the test run (DATABASE_URL, DEBUG,
    # DJANGO_ALLOW_ASYNC_UNSAFE set by the browser tests, ...) leaks into it.
    keep = {"PATH", "HOME", "LANG", "LC_ALL", "PYTHONPATH", "VIRTUAL_ENV", "TMPDIR"}
    env = {k: v for k, v in os.environ.items() if k in keep}
    env.update(
        DJANGO_SETTINGS_MODULE="chuangkou.settings",
        CHUANGKOU_DATA_DIR=str(tmp_path),
        DEBUG="0",
        SECURE_COOKIES="1",
        SECRET_KEY=secrets.token_urlsafe(64),
        SECURE_SSL_REDIRECT="1",
        SECURE_HSTS_SECONDS="31536000",
        ALLOWED_HOSTS="zwfw.example.gov.cn",
    )
    result = subprocess.run(  # noqa: S603
        [sys.executable, "-m", "django", "check", "--deploy", "--fail-level", "WARNING"],
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    output = result.stdout + result.stderr
    assert result.returncode == 0, output
    assert "WARNING" not in output.upper().replace("--FAIL-LEVEL WARNING", "")
    assert "no issues" in output
