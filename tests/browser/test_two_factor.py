"""Two factors in a real browser: enrol a phone authenticator at the first sign-in (QR code and
key), keep the recovery codes, then sign in again with a code computed here."""

import base64
from urllib.parse import urlparse

import pytest
from django_otp.plugins.otp_totp.models import TOTPDevice

from chuangkou.core.roles import Role
from chuangkou.core.services import create_account

from ..otp import next_code
from .fixtures import screenshot

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
PASSWORD = "Window@2018ok"


def _password_step(page) -> None:
    page.goto("/login/")
    page.get_by_label("用户名").fill("admin")
    page.get_by_label("密码").fill(PASSWORD)
    page.get_by_role("button", name="登录").click()


def test_enrol_then_sign_in_with_a_code(page, settings):
    settings.OTP_REQUIRED_ROLES = ["sysadmin", "secadmin", "auditor", "center_admin"]
    create_account(
        actor=None,
        username="admin",
        password=PASSWORD,
        display_name="周主任",
        roles=[Role.CENTER_ADMIN],
    )
    _password_step(page)
    page.wait_for_url("**/login/otp/setup/")
    assert page.get_by_test_id("otp-qr").locator("svg").count() == 1
    screenshot(page, "otp-enrol-desktop")
    device = TOTPDevice.objects.get(user__username="admin", confirmed=False)
    assert base64.b32decode(page.get_by_test_id("otp-secret").inner_text()) == device.bin_key
    page.get_by_label("验证码").fill(next_code(device))
    page.get_by_role("button", name="完成绑定").click()
    codes = page.get_by_test_id("recovery-codes").locator("code")
    codes.first.wait_for()
    assert codes.count() == 10
    page.get_by_role("link", name="我已保存，继续").click()
    page.wait_for_url(lambda url: urlparse(url).path == "/")

    page.context.clear_cookies()
    _password_step(page)
    page.wait_for_url("**/login/otp/")
    page.get_by_label("验证码").fill(next_code(device))
    page.get_by_role("button", name="验证并登录").click()
    page.wait_for_url(lambda url: urlparse(url).path == "/")
    page.get_by_role("link", name="我的账号").first.wait_for(state="attached")
