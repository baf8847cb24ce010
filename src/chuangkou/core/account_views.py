"""Signing in (password, then the second factor for the roles that need it), and each person's
own account: password, API tokens, two-factor enrolment (我的账号)."""

import base64
import time

import segno
from django.conf import settings
from django.contrib import messages
from django.contrib.auth import get_user_model, update_session_auth_hash
from django.contrib.auth import login as auth_login
from django.contrib.auth import views as auth_views
from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django_otp import login as otp_login
from django_otp.plugins.otp_totp.models import TOTPDevice

from . import audit, services
from .auth import (
    begin_attempt,
    days_until_password_expiry,
    fail_attempt,
    needs_password_change,
    password_expires_at,
)
from .errors import DomainError
from .forms import (
    LOGIN_REFUSED,
    LoginForm,
    OtpForm,
    PasswordChangeForm,
    TokenForm,
    add_domain_error,
)
from .permissions import role_required
from .services.two_factor import has_totp

PENDING = "_ck_pending_login"  # the account that gave the right password, awaiting its code
PENDING_SECONDS = 300
ENROLLING = "_ck_otp_device"


class LoginView(auth_views.LoginView):
    template_name = "core/login.html"
    authentication_form = LoginForm
    redirect_authenticated_user = True

    def form_valid(self, form):
        user = form.get_user()
        if services.otp_required(user):
            self.request.session[PENDING] = {
                "user": user.pk,
                "backend": user.backend,
                "next": self.get_success_url(),
                "at": int(time.time()),
            }
            return redirect("core:login_otp" if has_totp(user) else "core:otp_setup")
        return _finish_login(self.request, user, self.get_success_url(), backend=user.backend)


def _finish_login(request, user, next_url: str, *, backend: str, device=None):
    auth_login(request, user, backend=backend)
    if device is not None:
        otp_login(request, device)
    days = days_until_password_expiry(user)
    if days and not needs_password_change(user):
        messages.warning(request, f"您的密码将在 {days} 天后过期，请及时在“我的账号”中修改。")
    return redirect(next_url)


def _pending(request):
    """(user, data) of the sign-in waiting for its second factor, or (None, None)."""
    data = request.session.get(PENDING)
    if not isinstance(data, dict) or time.time() - data.get("at", 0) > PENDING_SECONDS:
        request.session.pop(PENDING, None)
        return None, None
    user = get_user_model().objects.filter(pk=data.get("user"), is_active=True).first()
    return user, data


def _back_to_login(request, message: str):
    request.session.pop(PENDING, None)
    messages.error(request, message)
    return redirect("core:login")


def login_otp(request):
    """登录第二步: the code from the authenticator (or a recovery code)."""
    user, data = _pending(request)
    if user is None:
        return _back_to_login(request, "登录已超时，请重新输入用户名和密码。")
    if not has_totp(user):
        return redirect("core:otp_setup")
    form = OtpForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        attempt = begin_attempt(user.username)
        if not attempt.allowed:
            return _back_to_login(request, LOGIN_REFUSED)
        device = services.verify_second_factor(user, form.cleaned_data["code"])
        if device is not None:
            request.session.pop(PENDING, None)
            return _finish_login(
                request, user, data["next"], backend=data["backend"], device=device
            )
        fail_attempt(attempt, user.username)
        audit.record(actor=None, action="auth.otp_failed", obj=user, actor_name=user.username)
        form.add_error("code", "验证码不正确。")
    return render(request, "core/login_otp.html", {"form": form, "account": user})


def _qr_svg(device: TOTPDevice) -> str:
    return segno.make(device.config_url, error="m").svg_inline(scale=5, border=2)


def otp_setup(request):
    """绑定手机验证器: at the first sign-in of a role that needs it, or from 我的账号."""
    signed_in = request.user.is_authenticated
    user, data = (request.user, None) if signed_in else _pending(request)
    if user is None:
        return _back_to_login(request, "登录已超时，请重新输入用户名和密码。")
    form = OtpForm(request.POST or None)
    device = TOTPDevice.objects.filter(
        pk=request.session.get(ENROLLING), user=user, confirmed=False
    ).first()
    if request.method == "POST" and device is not None and form.is_valid():
        try:
            codes = services.confirm_totp_enrolment(
                actor=user, device_id=device.pk, code=form.cleaned_data["code"]
            )
        except DomainError as exc:
            add_domain_error(form, exc)
        else:
            request.session.pop(ENROLLING, None)
            next_url = "/account/"
            if not signed_in:
                request.session.pop(PENDING, None)
                next_url = data["next"]
                _finish_login(request, user, next_url, backend=data["backend"], device=device)
            return render(request, "core/otp_recovery.html", {"codes": codes, "next_url": next_url})
    if device is None:
        device = services.start_totp_enrolment(actor=user)
        request.session[ENROLLING] = device.pk
    context = {
        "form": form,
        "account": user,
        "qr": _qr_svg(device),
        "secret": base64.b32encode(device.bin_key).decode(),
        "signed_in": signed_in,
    }
    return render(request, "core/otp_setup.html", context)


@role_required()
def my_account(request):
    """我的账号: password age, two factors, and the person's own API tokens."""
    user = request.user
    token_form = TokenForm(initial={"days": settings.API_TOKEN_MAX_AGE_DAYS})
    new_key = None
    if request.method == "POST":
        action = request.POST.get("action")
        try:
            if action == "token":
                token_form = TokenForm(request.POST)
                if token_form.is_valid():
                    new_key = services.issue_api_token(
                        actor=user,
                        name=token_form.cleaned_data["name"],
                        days=token_form.cleaned_data["days"],
                    )
            elif action == "revoke":
                token_id = request.POST.get("token", "")
                if not token_id.isdigit() or len(token_id) > 18:
                    raise DomainError("找不到该令牌。")
                services.revoke_api_token(actor=user, token_id=int(token_id))
                messages.success(request, "令牌已吊销。")
                return redirect("core:my_account")
            else:
                raise PermissionDenied
        except DomainError as exc:
            if action == "token":
                add_domain_error(token_form, exc)
            else:
                messages.error(request, exc.message)
    context = {
        "token_form": token_form,
        "new_key": new_key,
        "tokens": user.api_tokens.order_by("-created_at"),
        "password_expires_at": password_expires_at(user),
        "expiry_days": days_until_password_expiry(user),
        "has_totp": has_totp(user),
        "otp_required": services.otp_required(user),
        "max_days": settings.API_TOKEN_MAX_AGE_DAYS,
        "now": timezone.now(),
    }
    return render(request, "core/my_account.html", context)


@role_required()
def password_change(request):
    """修改密码: for everyone; the only page open while a change is required."""
    form = PasswordChangeForm(request.POST or None)
    next_url = request.POST.get("next") or request.GET.get("next") or "/"
    if not url_has_allowed_host_and_scheme(next_url, {request.get_host()}):
        next_url = "/"
    if request.method == "POST" and form.is_valid():
        try:
            services.change_own_password(
                actor=request.user,
                old_password=form.cleaned_data["old_password"],
                new_password=form.cleaned_data["new_password"],
            )
        except DomainError as exc:
            if exc.field == "password":
                exc.field = "new_password"
            add_domain_error(form, exc)
        else:
            update_session_auth_hash(request, request.user)
            messages.success(request, "密码已修改。")
            return redirect(next_url)
    context = {
        "form": form,
        "next": next_url,
        "required": needs_password_change(request.user),
    }
    return render(request, "core/password_change.html", context)
