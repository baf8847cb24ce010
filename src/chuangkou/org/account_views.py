"""为人员开通账号: the system administrator selects staff without an account and opens them in
bulk; the temporary passwords are shown once and can be downloaded once as xlsx (audited)."""

from django.contrib import messages
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_POST

from chuangkou.core.errors import DomainError
from chuangkou.core.params import id_list, id_param
from chuangkou.core.permissions import role_required
from chuangkou.core.responses import xlsx_response
from chuangkou.core.roles import Role

from . import accounts, selectors
from .models import Department

ISSUED_KEY = "org.issued_accounts"  # the last batch, until downloaded or the session ends
MAX_LISTED = 1000


@role_required(Role.SYSADMIN)
def staff_accounts(request):
    department = id_param(request.GET, "department")
    staff = selectors.staff_without_account(request.user, department)
    return render(
        request,
        "org/staff_accounts.html",
        {
            "staff": staff[:MAX_LISTED],
            "total": staff.count(),
            "departments": Department.objects.all(),
            "department": department,
            "pending_download": ISSUED_KEY in request.session,
        },
    )


@require_POST
@role_required(Role.SYSADMIN)
def staff_accounts_create(request):
    chosen = id_list(request.POST.getlist("staff"))
    visible = selectors.staff_visible_to(request.user).filter(pk__in=chosen)
    try:
        issued = accounts.create_staff_accounts(actor=request.user, staff=visible)
    except DomainError as exc:
        messages.error(request, exc.message)
        return redirect("org:staff_accounts")
    request.session[ISSUED_KEY] = [a.__dict__ for a in issued]
    return render(request, "org/staff_accounts_issued.html", {"issued": issued})


@role_required(Role.SYSADMIN)
def staff_accounts_download(request):
    """The last batch's usernames and temporary passwords, once; then they are gone."""
    issued = request.session.pop(ISSUED_KEY, None)
    if not issued:
        messages.info(request, "没有可下载的新开通账号：初始密码只能下载一次。")
        return redirect("org:staff_accounts")
    content = accounts.issued_accounts_xlsx(accounts.IssuedAccount(**a) for a in issued)
    return xlsx_response(
        content,
        f"新开通账号_{timezone.localdate():%Y%m%d}.xlsx",
        request=request,
        what="org.staff.accounts",
        unmasked=True,
    )
