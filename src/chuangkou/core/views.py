from django.contrib.auth import logout
from django.contrib.auth import views as auth_views
from django.core.paginator import Paginator
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from . import selectors
from .forms import LoginForm
from .params import date_param
from .permissions import role_required
from .roles import Role


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
}


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
