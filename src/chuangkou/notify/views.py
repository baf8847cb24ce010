"""Pages of notify. Public (the page's own link is the proof, like the ticket's phone page):
opt-in and opt-out, the pending page notices, the Web Push subscription, the service worker.
Staff: the message log (what was or would have been sent), the figures, the templates."""

import datetime as dt
import json

from django.contrib import messages
from django.http import Http404, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_GET, require_POST

from chuangkou.core import ratelimit
from chuangkou.core.errors import DomainError
from chuangkou.core.middleware import current_ip
from chuangkou.core.params import date_param, has_nul, page_of, query_without_page, read_filters
from chuangkou.core.permissions import role_required
from chuangkou.core.responses import table_response, xlsx_response
from chuangkou.core.xlsx import write_table

from . import registry, selectors, services, templates_db, vapid
from .catalog import TEMPLATES
from .filters import MessageFilter
from .models import Message, Template

OPTIN_PER_HOUR = 120  # per address: phones on the lobby Wi-Fi share one


def _subject(kind: str, token):
    subject = registry.resolve(kind, token)
    if subject is None:
        raise Http404
    return subject


@require_POST
def optin(request, kind: str, token):
    subject = _subject(kind, token)
    try:
        ratelimit.check_rate(
            "notify_optin", current_ip() or "-", limit=OPTIN_PER_HOUR, seconds=3600
        )
        ahead_text = request.POST.get("ahead", "3").strip()
        if not (ahead_text.isascii() and ahead_text.isdigit() and len(ahead_text) <= 2):
            raise DomainError("提前提醒人数应在 1 到 20 之间。", field="ahead")
        phone = request.POST.get("phone", "")
        if has_nul(phone):
            raise DomainError("手机号应为以 1 开头的 11 位数字。", field="phone")
        services.subscribe(
            subject=subject,
            phone=phone[:30],
            ahead=int(ahead_text),
            browser=request.POST.get("browser") == "on",
        )
    except DomainError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, "已登记通知，轮到您之前会提醒您。")
    return redirect(subject.page_url)


@require_POST
def optout(request, kind: str, token):
    subject = _subject(kind, token)
    services.unsubscribe(subject=subject)
    messages.success(request, "已退订通知，手机号已删除。")
    return redirect(subject.page_url)


@require_GET
def pending(request, kind: str, token):
    """Polled by the open page: notices not yet shown, as JSON (shown once each)."""
    subject = _subject(kind, token)
    rows = services.take_browser_notices(subject=subject)
    notices = [{"title": selectors.kind_label(m.kind), "body": m.body} for m in rows]
    response = JsonResponse({"notices": notices, "open": subject.is_open})
    response["Cache-Control"] = "no-store"
    return response


@require_POST
def push(request, kind: str, token):
    """The browser's Web Push subscription (PushSubscription.toJSON()) for this opt-in."""
    subject = _subject(kind, token)
    if request.content_type != "application/json":
        return JsonResponse({"detail": "请求内容不是有效的推送订阅。"}, status=400)
    try:
        body = json.loads(request.body.decode("utf-8"))
        if not isinstance(body, dict) or not isinstance(body.get("keys"), dict):
            raise ValueError
        endpoint, keys = str(body.get("endpoint", "")), body["keys"]
        if has_nul(endpoint):
            raise ValueError
        services.add_push_endpoint(
            subject=subject,
            endpoint=endpoint,
            p256dh=str(keys.get("p256dh", "")),
            auth=str(keys.get("auth", "")),
        )
    except (ValueError, UnicodeDecodeError):
        return JsonResponse({"detail": "请求内容不是有效的推送订阅。"}, status=400)
    except DomainError as exc:
        return JsonResponse({"detail": exc.message, "field": exc.field}, status=400)
    return JsonResponse({"ok": True}, status=201)


SW_SOURCE = """self.addEventListener("push", function (event) {
  var data = {title: "排队提醒", body: ""};
  try { data = event.data.json(); } catch (e) { data.body = event.data ? event.data.text() : ""; }
  event.waitUntil(self.registration.showNotification(data.title, {body: data.body}));
});
self.addEventListener("notificationclick", function (event) { event.notification.close(); });
"""


@require_GET
def service_worker(request):
    """The Web Push service worker, served from the site root's path so it may cover /hall/."""
    response = HttpResponse(SW_SOURCE, content_type="text/javascript; charset=utf-8")
    response["Service-Worker-Allowed"] = "/"
    return response


# -- staff pages -------------------------------------------------------------------------------


def _kinds():
    return [(code, spec.name) for code, spec in TEMPLATES.items()]


@role_required(*services.ADMINS)
@require_GET
def message_log(request):
    filters = read_filters(request, MessageFilter)
    rows = selectors.message_list(user=request.user, filters=filters)
    if request.GET.get("export") == "xlsx":
        return table_response(request, "notify.message")
    page = page_of(request, rows)
    for m in page:
        m.kind_label = selectors.kind_label(m.kind)
    return render(
        request,
        "notify/message_log.html",
        {
            "page": page,
            "filters": filters,
            "query": query_without_page(request),
            "kinds": _kinds(),
            "channels": Message.Channel.choices,
            "statuses": Message.Status.choices,
        },
    )


def _period(request) -> tuple[dt.date, dt.date]:
    today = timezone.localdate()
    start = date_param(request.GET, "start") or today - dt.timedelta(days=29)
    end = date_param(request.GET, "end") or today
    if end < start:
        start, end = end, start
    if (end - start).days > 366:
        start = end - dt.timedelta(days=366)
    return start, end


@role_required(*services.ADMINS)
@require_GET
def figures(request):
    start, end = _period(request)
    data = selectors.figures(request.user, start, end)
    if request.GET.get("export") == "xlsx":
        rows = [
            [r["kind"], r["channel"], r["total"], r["sent"], r["failed"], r["rate"] or ""]
            for r in data["by_kind"]
        ]
        rows.append([])
        rows.append(["分组", "", "已叫号", "过号", "过号率（%）", ""])
        rows += [
            [r["group"], "", r["called"], r["no_show"], r["rate"] or "", ""]
            for r in data["no_shows"]
        ]
        content = write_table(
            "通知统计",
            ["消息类型", "渠道", "消息数", "已发送", "失败", "送达率（%）"],
            rows,
        )
        name = f"通知统计_{start:%Y%m%d}-{end:%Y%m%d}.xlsx"
        return xlsx_response(content, name, request=request, what="notify.figures")
    return render(request, "notify/figures.html", {"data": data, "start": start, "end": end})


@role_required(*services.ADMINS)
@require_GET
def template_list(request):
    templates_db.ensure_all()
    rows = list(Template.objects.order_by("code"))
    for row in rows:
        spec = TEMPLATES.get(row.code)
        row.audience = "工作人员" if spec and spec.staff else "办事群众"
        row.reminder = bool(spec and spec.reminder)
    return render(request, "notify/template_list.html", {"rows": rows})


@role_required(*services.ADMINS)
@require_POST
def template_approve(request, code: str):
    if code not in TEMPLATES:
        raise Http404
    try:
        services.approve_template(
            actor=request.user,
            code=code,
            gateway_code=request.POST.get("gateway_code", "").replace("\x00", ""),
            approved=request.POST.get("approved", "1") != "0",
        )
    except DomainError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, "已更新模板审批状态。")
    return redirect("notify:templates")


def vapid_key() -> str:
    return vapid.application_server_key()
