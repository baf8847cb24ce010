"""Finding 5 of issue 7: the lockout cannot be raced, each client address is limited too, and
one message answers a wrong password, an unknown user and a locked account."""

import datetime as dt
import threading
from concurrent.futures import ThreadPoolExecutor

import pytest
from django.contrib.auth.hashers import MD5PasswordHasher
from django.db import connection
from django.test import Client
from django.utils import timezone

from chuangkou.core.forms import LOGIN_REFUSED, LOGIN_THROTTLED
from chuangkou.core.models import AuditEntry, LoginThrottle, User

from ..factories import UserFactory

PASSWORD = "Right#Pass2018"


class CountingHasher(MD5PasswordHasher):
    """The real (test) hasher, counting how many passwords it checks."""

    algorithm = "md5"
    checks = 0
    _lock = threading.Lock()

    def verify(self, password, encoded):
        with CountingHasher._lock:
            CountingHasher.checks += 1
        return super().verify(password, encoded)


@pytest.fixture
def counting_hasher(settings):
    settings.PASSWORD_HASHERS = [f"{__name__}.CountingHasher"]
    CountingHasher.checks = 0
    return CountingHasher


def _login(username: str, password: str, address: str = "10.0.0.1"):
    return Client(REMOTE_ADDR=address).post("/login/", {"username": username, "password": password})


def _body(response) -> str:
    return response.content.decode()


def _parallel_wrong_logins(username: str, count: int) -> list[int]:
    barrier = threading.Barrier(count)

    def attempt(i):
        try:
            barrier.wait(timeout=30)
            return _login(username, f"wrong-{i}", address=f"10.1.{i // 250}.{i % 250}").status_code
        finally:
            connection.close()

    with ThreadPoolExecutor(max_workers=count) as pool:
        return list(pool.map(attempt, range(count)))


@pytest.mark.django_db(transaction=True)
def test_forty_parallel_wrong_passwords_lock_the_account(counting_hasher):
    UserFactory(username="clerk40", password=PASSWORD)
    counting_hasher.checks = 0
    statuses = _parallel_wrong_logins("clerk40", 40)
    assert statuses == [200] * 40
    assert counting_hasher.checks <= 5, f"{counting_hasher.checks} passwords were checked"

    user = User.objects.get(username="clerk40")
    assert user.locked_until is not None and user.locked_until > timezone.now()
    response = _login("clerk40", PASSWORD)
    assert response.status_code == 200 and LOGIN_REFUSED in _body(response)
    assert AuditEntry.objects.filter(action="account.locked").count() == 1
    assert AuditEntry.objects.filter(action="auth.login").count() == 0
    assert AuditEntry.objects.filter(action="auth.login_failed").count() == 41


def test_one_message_for_wrong_password_unknown_user_inactive_and_locked(db):
    UserFactory(username="clerk41", password=PASSWORD)
    UserFactory(username="gone", password=PASSWORD, is_active=False)
    UserFactory(
        username="locked",
        password=PASSWORD,
        locked_until=timezone.now() + dt.timedelta(minutes=10),
    )
    answers = [
        _login("clerk41", "wrong-password"),
        _login("nobody", PASSWORD),
        _login("gone", PASSWORD),
        _login("locked", PASSWORD),
    ]
    for response in answers:
        assert response.status_code == 200
        errors = response.context["form"].non_field_errors()
        assert list(errors) == [LOGIN_REFUSED]
        assert "锁定至" not in _body(response) and "分钟后再试" not in _body(response)


def test_a_locked_account_costs_a_password_hash_but_no_check(db, counting_hasher):
    UserFactory(
        username="locked", password=PASSWORD, locked_until=timezone.now() + dt.timedelta(hours=1)
    )
    counting_hasher.checks = 0
    _login("locked", PASSWORD)
    assert counting_hasher.checks == 0


def test_each_client_address_is_limited(db, settings):
    settings.LOGIN_ADDRESS_MAX_FAILURES = 3
    UserFactory(username="clerk42", password=PASSWORD)
    for name in ("a1", "a2", "a3"):  # unknown users: no account gets locked
        assert LOGIN_REFUSED in _body(_login(name, "x", address="10.9.9.9"))
    response = _login("clerk42", PASSWORD, address="10.9.9.9")
    assert response.status_code == 200 and LOGIN_THROTTLED in _body(response)
    assert _login("clerk42", PASSWORD, address="10.9.9.10").status_code == 302
    # a new window starts after LOGIN_ADDRESS_WINDOW_MINUTES
    LoginThrottle.objects.filter(address="10.9.9.9").update(
        window_start=timezone.now() - dt.timedelta(minutes=16)
    )
    assert _login("clerk42", PASSWORD, address="10.9.9.9").status_code == 302


def test_successful_sign_ins_do_not_use_up_the_address(db, settings):
    settings.LOGIN_ADDRESS_MAX_FAILURES = 2
    for i in range(4):
        UserFactory(username=f"office{i}", password=PASSWORD)
        assert _login(f"office{i}", PASSWORD, address="10.8.8.8").status_code == 302
    assert LoginThrottle.objects.get(address="10.8.8.8").attempts == 0


def test_behind_a_proxy_the_configured_header_names_the_client(db, settings):
    settings.LOGIN_ADDRESS_MAX_FAILURES = 1
    settings.CLIENT_ADDRESS_HEADER = "HTTP_X_REAL_IP"
    UserFactory(username="clerk43", password=PASSWORD)
    proxy = {"REMOTE_ADDR": "10.0.0.254"}
    Client(**proxy, HTTP_X_REAL_IP="1.2.3.4").post("/login/", {"username": "x", "password": "y"})
    blocked = Client(**proxy, HTTP_X_REAL_IP="1.2.3.4").post(
        "/login/", {"username": "clerk43", "password": PASSWORD}
    )
    assert LOGIN_THROTTLED in _body(blocked)
    other = Client(**proxy, HTTP_X_REAL_IP="5.6.7.8").post(
        "/login/", {"username": "clerk43", "password": PASSWORD}
    )
    assert other.status_code == 302


def test_addresses_a_client_writes_before_the_proxys_do_not_escape_the_limit(db, settings):
    """X-Forwarded-For: the proxy appends the address it saw; the ones before it are the client's
    own words, so rotating them must not give a fresh allowance."""
    settings.LOGIN_ADDRESS_MAX_FAILURES = 2
    settings.CLIENT_ADDRESS_HEADER = "HTTP_X_FORWARDED_FOR"
    UserFactory(username="clerk44", password=PASSWORD)
    proxy = {"REMOTE_ADDR": "10.0.0.254"}
    for n in range(2):
        Client(**proxy, HTTP_X_FORWARDED_FOR=f"9.9.9.{n}, 1.2.3.4").post(
            "/login/", {"username": "x", "password": "y"}
        )
    blocked = Client(**proxy, HTTP_X_FORWARDED_FOR="9.9.9.99, 1.2.3.4").post(
        "/login/", {"username": "clerk44", "password": PASSWORD}
    )
    assert LOGIN_THROTTLED in _body(blocked)
    assert list(LoginThrottle.objects.values_list("address", flat=True)) == ["1.2.3.4"]


@pytest.mark.parametrize("header", ["1.2.3.4", "9.9.9.9,1.2.3.4", " 1.2.3.4 "])
def test_behind_a_proxy_the_audit_log_records_the_client(db, settings, header):
    settings.CLIENT_ADDRESS_HEADER = "HTTP_X_FORWARDED_FOR"
    UserFactory(username="clerk45", password=PASSWORD)
    client = Client(REMOTE_ADDR="10.0.0.254", HTTP_X_FORWARDED_FOR=header)
    assert client.post("/login/", {"username": "clerk45", "password": PASSWORD}).status_code == 302
    assert AuditEntry.objects.get(action="auth.login").ip_address == "1.2.3.4"


@pytest.mark.parametrize("header", ["", "unknown", "1.2.3.4.5", "1.2.3.4, <script>", "a" * 5000])
def test_a_header_that_is_no_address_falls_back_to_the_proxys(db, settings, header):
    settings.CLIENT_ADDRESS_HEADER = "HTTP_X_FORWARDED_FOR"
    UserFactory(username="clerk46", password=PASSWORD)
    client = Client(REMOTE_ADDR="10.0.0.254", HTTP_X_FORWARDED_FOR=header)
    assert client.post("/login/", {"username": "clerk46", "password": PASSWORD}).status_code == 302
    assert AuditEntry.objects.get(action="auth.login").ip_address == "10.0.0.254"


def test_without_the_setting_the_header_is_ignored(db, settings):
    settings.CLIENT_ADDRESS_HEADER = ""
    UserFactory(username="clerk47", password=PASSWORD)
    client = Client(REMOTE_ADDR="10.0.0.7", HTTP_X_FORWARDED_FOR="1.2.3.4")
    client.post("/login/", {"username": "clerk47", "password": PASSWORD})
    assert AuditEntry.objects.get(action="auth.login").ip_address == "10.0.0.7"
