"""Two factors (TOTP with django-otp) for the administrative roles and the center admin:
enrolment with a QR code, recovery codes (a static device), verification, reset."""

from django.conf import settings
from django.db import transaction
from django_otp import devices_for_user
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from .. import audit
from ..errors import DomainError
from ..permissions import require_role
from ..roles import Role, roles_of

RECOVERY_CODES = 10
TOTP_NAME = "手机验证器"
RECOVERY_NAME = "恢复码"


def _demo_usernames() -> set[str]:
    from ..demo import ACCOUNTS

    return {username for username, _roles, _what in ACCOUNTS}


def otp_required(user) -> bool:
    """Whether the account signs in with a second factor (OTP_REQUIRED_ROLES)."""
    if settings.OTP_EXEMPT_DEMO_ACCOUNTS and user.username in _demo_usernames():
        return False
    required = {Role(r) for r in settings.OTP_REQUIRED_ROLES}
    return bool(roles_of(user) & required)


def has_totp(user) -> bool:
    return TOTPDevice.objects.filter(user=user, confirmed=True).exists()


@transaction.atomic
def start_totp_enrolment(*, actor) -> TOTPDevice:
    """A new, unconfirmed authenticator for the actor (a previous unconfirmed one is dropped)."""
    TOTPDevice.objects.filter(user=actor, confirmed=False).delete()
    return TOTPDevice.objects.create(user=actor, name=TOTP_NAME, confirmed=False)


@transaction.atomic
def confirm_totp_enrolment(*, actor, device_id: int, code: str) -> list[str]:
    """Confirm the authenticator with a code from it; returns new recovery codes (shown once).
    Any earlier authenticator and recovery codes of the actor stop working."""
    device = TOTPDevice.objects.filter(pk=device_id, user=actor, confirmed=False).first()
    if device is None:
        raise DomainError("绑定已失效，请重新扫描二维码。", field="code")
    if not device.verify_token((code or "").strip()):
        raise DomainError("验证码不正确，请核对手机上的 6 位数字后重试。", field="code")
    TOTPDevice.objects.filter(user=actor).exclude(pk=device.pk).delete()
    device.confirmed = True
    device.save(update_fields=["confirmed"])
    codes = _new_recovery_codes(actor)
    audit.record(actor=actor, action="account.otp_enrol", obj=actor)
    return codes


def _new_recovery_codes(user) -> list[str]:
    StaticDevice.objects.filter(user=user).delete()
    static = StaticDevice.objects.create(user=user, name=RECOVERY_NAME, confirmed=True)
    codes = [StaticToken.random_token() for _ in range(RECOVERY_CODES)]
    StaticToken.objects.bulk_create([StaticToken(device=static, token=c) for c in codes])
    return codes


def verify_second_factor(user, code: str):
    """The device that accepts `code` (an authenticator code or an unused recovery code, which
    is used up), else None. django-otp throttles repeated failures per device."""
    code = (code or "").strip().replace(" ", "")
    if not code:
        return None
    for device in devices_for_user(user, confirmed=True):
        if device.verify_is_allowed()[0] and device.verify_token(code):
            if isinstance(device, StaticDevice):
                audit.record(actor=user, action="auth.recovery_code_used", obj=user)
            return device
    return None


@transaction.atomic
def reset_two_factor(*, actor, user) -> None:
    """解除两步验证绑定 (security administrator), e.g. a lost phone: the person enrols again at
    the next sign-in."""
    require_role(actor, Role.SECADMIN)
    if user.pk == actor.pk:
        raise DomainError("不能解除自己的两步验证绑定，请由另一位安全管理员操作。")
    for model in (TOTPDevice, StaticDevice):
        model.objects.filter(user=user).delete()
    audit.record(actor=actor, action="account.otp_reset", obj=user)
