from django.contrib import messages
from django.contrib.auth import get_user_model, logout
from django.contrib.auth import views as auth_views
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.views.decorators.http import require_GET, require_POST

from . import selectors, services
from .auth import lock_remaining
from .errors import DomainError
from .forms import (
    ROLE_CHOICES,
    AccountCreateForm,
    AccountRolesForm,
    LoginForm,
    PasswordResetForm,
    TokenForm,
    add_domain_error,
)
from .params import date_param
from .permissions import role_required
from .roles import Role, has_role, roles_of


class LoginView(auth_views.LoginView):
    template_name = "core/login.html"
    authentication_form = LoginForm
    redirect_authenticated_user = True


@require_POST
def logout_view(request):
    logout(request)
    return redirect("core:login")


def healthz(request):
    return HttpResponse("ok", content_type="text/plain")


ACTION_LABELS = {
    "auth.": "登录/退出",
    "account.": "账号与角色",
    "staff.": "人员",
    "catalog.": "办事指南",
    "hall.": "大厅取号",
    "case": "受理办件",
    "feedback.": "好差评",
    "exams.": "考试",
    "selection.": "竞聘上岗",
}


@require_GET
@role_required(Role.AUDITOR)
def audit_log(request):
    """审计日志: read-only, for the auditor."""
    params = request.GET
    entries = selectors.audit_entries(
        person=params.get("person", "").strip(),
        object_text=params.get("object", "").strip(),
        action=params.get("action", ""),
        start=date_param(params, "start"),
        end=date_param(params, "end"),
    )
    page = Paginator(entries, 50).get_page(params.get("page"))
    return render(
        request,
        "core/audit_log.html",
        {"page": page, "params": params, "action_labels": ACTION_LABELS},
    )


ACCOUNT_ROLES = (Role.SYSADMIN, Role.SECADMIN)


@role_required(*ACCOUNT_ROLES)
def accounts(request):
    """账号管理: the system administrator opens accounts and assigns roles; the security
    administrator unlocks locked accounts."""
    page = Paginator(
        selectors.accounts(q=request.GET.get("q", "").strip(), role=request.GET.get("role", "")),
        30,
    ).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "core/accounts.html",
        {
            "page": page,
            "query": query.urlencode(),
            "params": request.GET,
            "roles": ROLE_CHOICES,
            "is_sysadmin": has_role(request.user, Role.SYSADMIN),
            "is_secadmin": has_role(request.user, Role.SECADMIN),
            "now": timezone.now(),
        },
    )


@role_required(Role.SYSADMIN)
def account_create(request):
    form = AccountCreateForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            user = services.create_account(
                actor=request.user,
                username=form.cleaned_data["username"],
                password=form.cleaned_data["password"],
                display_name=form.cleaned_data["display_name"],
                roles=[Role(r) for r in form.cleaned_data["roles"]],
            )
        except DomainError as exc:
            add_domain_error(form, exc)
        else:
            messages.success(request, f"已开通账号 {user.username}。")
            return redirect("core:accounts")
    return render(request, "core/account_form.html", {"form": form, "title": "开通账号"})


@role_required(*ACCOUNT_ROLES)
def account_detail(request, pk: int):
    account = get_object_or_404(get_user_model(), pk=pk)
    is_sysadmin = has_role(request.user, Role.SYSADMIN)
    held = sorted(r.value for r in roles_of(account))
    roles_form = AccountRolesForm(initial={"roles": held})
    password_form = PasswordResetForm()
    token_form = TokenForm()
    new_key = None
    if request.method == "POST":
        action = request.POST.get("action")
        try:
            if action == "roles" and is_sysadmin:
                roles_form = AccountRolesForm(request.POST)
                if roles_form.is_valid():
                    roles = [Role(r) for r in roles_form.cleaned_data["roles"]]
                    services.set_roles(actor=request.user, user=account, roles=roles)
                    messages.success(request, "角色已更新。")
                    return redirect("core:account_detail", pk=pk)
            elif action == "password" and is_sysadmin:
                password_form = PasswordResetForm(request.POST)
                if password_form.is_valid():
                    services.reset_password(
                        actor=request.user,
                        user=account,
                        password=password_form.cleaned_data["password"],
                    )
                    messages.success(request, "密码已重置，请通知本人登录后修改。")
                    return redirect("core:account_detail", pk=pk)
            elif action in ("activate", "deactivate") and is_sysadmin:
                services.set_active(actor=request.user, user=account, active=action == "activate")
                messages.success(request, "账号状态已更新。")
                return redirect("core:account_detail", pk=pk)
            elif action == "unlock":
                services.unlock_account(actor=request.user, user=account)
                messages.success(request, "已解除锁定。")
                return redirect("core:account_detail", pk=pk)
            elif action == "token" and is_sysadmin:
                token_form = TokenForm(request.POST)
                if token_form.is_valid():
                    new_key = services.issue_api_token(
                        actor=request.user, user=account, name=token_form.cleaned_data["name"]
                    )
            else:
                raise PermissionDenied
        except DomainError as exc:
            form = password_form if action == "password" else None
            if form is not None:
                add_domain_error(form, exc)
            else:
                messages.error(request, exc.message)
    return render(
        request,
        "core/account_detail.html",
        {
            "account": account,
            "held_roles": [Role(r).label for r in held],
            "roles_form": roles_form,
            "password_form": password_form,
            "token_form": token_form,
            "tokens": account.api_tokens.order_by("-created_at"),
            "new_key": new_key,
            "is_sysadmin": is_sysadmin,
            "is_secadmin": has_role(request.user, Role.SECADMIN),
            "locked": lock_remaining(account) is not None,
        },
    )
