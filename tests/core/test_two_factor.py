"""Two factors (TOTP) for the administrative roles and the center admin: enrolment at the first
sign-in, sign-in with a code computed here (django_otp.oath.totp), recovery codes, lockout."""

import base64
import re
import time

import pytest
from django.test import Client
from django_otp.oath import hotp
from django_otp.plugins.otp_totp.models import TOTPDevice

from chuangkou.core import services
from chuangkou.core.models import AuditEntry, User
from chuangkou.core.roles import Role

from ..otp import next_code

PASSWORD = "Right#Pass2018"
REQUIRED = ["sysadmin", "secadmin", "auditor", "center_admin"]


@pytest.fixture(autouse=True)
def _production_roles(settings):
    settings.OTP_REQUIRED_ROLES = REQUIRED


@pytest.fixture
def center_admin(db):
    return services.create_account(
        actor=None, username="admin", password=PASSWORD, roles=[Role.CENTER_ADMIN]
    )


def _password_step(client: Client, username: str = "admin"):
    return client.post("/login/", {"username": username, "password": PASSWORD})


def _enrol(client: Client) -> tuple[TOTPDevice, list[str]]:
    assert _password_step(client)["Location"] == "/login/otp/setup/"
    page = client.get("/login/otp/setup/")
    assert "<svg" in page.content.decode()
    device = TOTPDevice.objects.get(confirmed=False)
    response = client.post("/login/otp/setup/", {"code": next_code(device)})
    assert response.status_code == 200
    codes = response.context["codes"]
    return device, codes


def test_settings_require_two_factors_in_production():
    from chuangkou import settings as production

    assert set(production.OTP_REQUIRED_ROLES) == set(REQUIRED)
    assert production.OTP_EXEMPT_DEMO_ACCOUNTS is False


def test_the_password_alone_does_not_sign_in(center_admin):
    client = Client()
    assert _password_step(client).status_code == 302
    assert client.get("/")["Location"].startswith("/login/")
    assert client.get("/api/v1/core/me").status_code == 401
    assert not AuditEntry.objects.filter(action="auth.login").exists()


def test_enrolment_at_first_sign_in_then_sign_in_with_a_computed_code(center_admin, settings):
    settings.OTP_TOTP_THROTTLE_FACTOR = 0  # django-otp otherwise waits 1 s after a wrong code
    client = Client()
    device, codes = _enrol(client)
    assert len(codes) == 10 and len(set(codes)) == 10
    assert client.get("/").status_code == 200  # signed in by the enrolment
    assert AuditEntry.objects.filter(action="account.otp_enrol").count() == 1
    client.post("/logout/")

    client = Client()
    assert _password_step(client)["Location"] == "/login/otp/"
    response = client.post("/login/otp/", {"code": "000000"})
    assert "验证码不正确" in response.content.decode()
    response = client.post("/login/otp/", {"code": next_code(device)})
    assert response.status_code == 302 and response["Location"] == "/"
    assert client.get("/").status_code == 200
    assert AuditEntry.objects.filter(action="auth.login").count() == 2


def test_a_code_that_reached_the_server_a_step_late_at_enrolment_still_lets_the_phone_sign_in(
    center_admin,
):
    """The enrolment's code arrives in the next 30-second step (a slow connection): django-otp
    records the phone as one step behind, and the phone's code at the next sign-in is accepted."""
    client = Client()
    _password_step(client)
    client.get("/login/otp/setup/")
    device = TOTPDevice.objects.get(confirmed=False)
    step = (int(time.time()) - device.t0) // device.step
    late = f"{hotp(device.bin_key, step - 1):06d}"
    assert client.post("/login/otp/setup/", {"code": late}).status_code == 200
    device.refresh_from_db()
    assert device.confirmed and device.drift == -1
    client.post("/logout/")

    client = Client()
    _password_step(client)
    phone = f"{hotp(device.bin_key, max(step, device.last_t + 1)):06d}"
    assert client.post("/login/otp/", {"code": phone})["Location"] == "/"


def test_a_recovery_code_works_once(center_admin):
    _device, codes = _enrol(Client())
    client = Client()
    _password_step(client)
    assert client.post("/login/otp/", {"code": codes[0]}).status_code == 302
    client = Client()
    _password_step(client)
    assert client.post("/login/otp/", {"code": codes[0]}).status_code == 200
    assert AuditEntry.objects.filter(action="auth.recovery_code_used").count() == 1


def test_wrong_codes_count_towards_the_lockout(center_admin, settings):
    _enrol(Client())
    client = Client()
    _password_step(client)
    for _ in range(settings.LOGIN_MAX_FAILURES):
        response = client.post("/login/otp/", {"code": "123456"})
        if response.status_code == 302:
            break
    assert response.status_code == 302 and response["Location"] == "/login/"
    assert User.objects.get(pk=center_admin.pk).locked_until is not None


def test_roles_without_the_requirement_sign_in_with_the_password(db):
    services.create_account(actor=None, username="clerk60", password=PASSWORD, roles=[Role.CLERK])
    response = Client().post("/login/", {"username": "clerk60", "password": PASSWORD})
    assert response["Location"] == "/"


def test_the_security_administrator_resets_a_lost_phone(center_admin, role_user, client_as):
    _enrol(Client())
    secadmin = role_user(Role.SECADMIN)
    response = client_as(secadmin).post(f"/accounts/{center_admin.pk}/", {"action": "reset_otp"})
    assert response.status_code == 302
    assert not TOTPDevice.objects.filter(user=center_admin).exists()
    assert _password_step(Client())["Location"] == "/login/otp/setup/"


def test_a_signed_in_person_can_enrol_from_my_account(role_user, client_as):
    client = client_as(role_user(Role.CLERK))
    body = client.get("/login/otp/setup/").content.decode()
    secret = re.search(r'data-testid="otp-secret">([A-Z2-7=]+)<', body).group(1)
    device = TOTPDevice.objects.get(confirmed=False)
    assert base64.b32decode(secret) == device.bin_key  # the key, for typing in by hand
    response = client.post("/login/otp/setup/", {"code": next_code(device)})
    assert len(response.context["codes"]) == 10
    assert "已绑定手机验证器" in client.get("/account/").content.decode()


def test_a_stale_pending_sign_in_goes_back_to_the_password(center_admin):
    client = Client()
    response = client.get("/login/otp/")
    assert response.status_code == 302 and response["Location"] == "/login/"
    assert client.post("/login/otp/setup/", {"code": "1"})["Location"] == "/login/"
