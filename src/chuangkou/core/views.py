from django.contrib import messages
from django.contrib.auth import get_user_model, logout
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.views.decorators.http import require_GET, require_POST

from . import selectors, services
from .audit_display import category_choices
from .auth import lock_remaining
from .errors import DomainError
from .forms import ROLE_CHOICES, AccountCreateForm, AccountRolesForm, add_domain_error
from .params import date_param
from .permissions import role_required
from .roles import Role, has_role, roles_of
from .services.two_factor import has_totp


@require_POST
def logout_view(request):
    logout(request)
    return redirect("core:login")


def healthz(request):
    return HttpResponse("ok", content_type="text/plain")


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
        {"page": page, "params": params, "action_labels": category_choices()},
    )


ACCOUNT_ROLES = (Role.SYSADMIN, Role.SECADMIN)


@role_required(*ACCOUNT_ROLES)
def accounts(request):
    """账号管理: the system administrator opens accounts and assigns roles; the security
    administrator approves administrative roles, unlocks accounts and revokes tokens."""
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
            "pending_requests": selectors.pending_role_requests(),
            "now": timezone.now(),
        },
    )


@require_POST
@role_required(*ACCOUNT_ROLES)
def role_request_decide(request, pk: int):
    """批准或驳回 a pending administrative role change (四眼原则)."""
    decide = {
        "approve": (services.approve_role_request, "已批准，角色已生效。"),
        "reject": (services.reject_role_request, "已驳回。"),
    }.get(request.POST.get("action", ""))
    if decide is None:
        raise PermissionDenied
    service, done = decide
    try:
        service(actor=request.user, request_id=pk)
    except DomainError as exc:
        if exc.status == 404:
            raise Http404 from None
        messages.error(request, exc.message)
    else:
        messages.success(request, done)
    return redirect("core:accounts")


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
                must_change_password=True,
            )
        except DomainError as exc:
            add_domain_error(form, exc)
        else:
            messages.success(request, f"已开通账号 {user.username}，本人首次登录时须修改密码。")
            if user.role_requests.exists():
                messages.info(request, "所选管理角色待安全管理员或另一位系统管理员批准后生效。")
            return redirect("core:accounts")
    return render(request, "core/account_form.html", {"form": form, "title": "开通账号"})


def _sysadmin_action(request, account, action: str):
    """The system administrator's actions on an account: a redirect, or the temporary
    password to show once."""
    if action == "roles":
        form = AccountRolesForm(request.POST)
        if not form.is_valid():
            raise DomainError("请选择有效的角色。", field="roles")
        roles = [Role(r) for r in form.cleaned_data["roles"]]
        pending = services.set_roles(actor=request.user, user=account, roles=roles)
        if pending is not None:
            messages.info(request, "已提交申请：管理角色待安全管理员或另一位系统管理员批准。")
        else:
            messages.success(request, "角色已更新。")
        return redirect("core:account_detail", pk=account.pk)
    if action == "password":
        return services.reset_password(actor=request.user, user=account)
    if action in ("activate", "deactivate"):
        services.set_active(actor=request.user, user=account, active=action == "activate")
        messages.success(request, "账号状态已更新。")
        return redirect("core:account_detail", pk=account.pk)
    raise PermissionDenied


SECURITY_ACTIONS = {
    "unlock": (services.unlock_account, "已解除锁定。"),
    "revoke_tokens": (services.revoke_all_tokens, "该账号的全部令牌已吊销。"),
    "reset_otp": (services.reset_two_factor, "已解除两步验证绑定，本人下次登录时重新绑定。"),
}


@role_required(*ACCOUNT_ROLES)
def account_detail(request, pk: int):
    account = get_object_or_404(get_user_model(), pk=pk)
    is_sysadmin = has_role(request.user, Role.SYSADMIN)
    temporary_password = None
    if request.method == "POST":
        action = request.POST.get("action", "")
        try:
            if action in SECURITY_ACTIONS:
                service, done = SECURITY_ACTIONS[action]
                service(actor=request.user, user=account)
                messages.success(request, done)
                return redirect("core:account_detail", pk=pk)
            if not is_sysadmin:
                raise PermissionDenied
            result = _sysadmin_action(request, account, action)
            if isinstance(result, str):
                temporary_password = result
            elif result is not None:
                return result
        except DomainError as exc:
            messages.error(request, exc.message)
        account.refresh_from_db()
    held = sorted(r.value for r in roles_of(account))
    return render(
        request,
        "core/account_detail.html",
        {
            "account": account,
            "held_roles": [Role(r).label for r in held],
            "roles_form": AccountRolesForm(initial={"roles": held}),
            "temporary_password": temporary_password,
            "tokens": account.api_tokens.order_by("-created_at"),
            "pending_request": selectors.pending_role_requests().filter(user=account).first(),
            "has_totp": has_totp(account),
            "is_sysadmin": is_sysadmin,
            "is_secadmin": has_role(request.user, Role.SECADMIN),
            "locked": lock_remaining(account) is not None,
            "now": timezone.now(),
        },
    )
