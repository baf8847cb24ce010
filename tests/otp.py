"""The authenticator code a phone would show, computed here for the two-factor tests."""

import time

from django_otp.oath import hotp
from django_otp.plugins.otp_totp.models import TOTPDevice


def next_code(device: TOTPDevice) -> str:
    """The code of the first time step the server accepts next: after the last accepted one
    (a code is used once) and no earlier than now as the device sees it (with its drift).

    A code one step ahead of the clock is not enough: when the enrolment's code reached the
    server in the next 30-second step, django-otp recorded a drift of -1 and accepts codes up to
    the current step only (seen on a loaded CI machine)."""
    device.refresh_from_db()
    now = (int(time.time()) - device.t0) // device.step + device.drift
    step = max(device.last_t + 1, now)
    return f"{hotp(device.bin_key, step, digits=device.digits):0{device.digits}d}"
