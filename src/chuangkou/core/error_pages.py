"""The 400/403/404/500 answers: a page inside the site's layout for pages, JSON for the API."""

from django.http import JsonResponse
from django.shortcuts import render
from django.utils.http import url_has_allowed_host_and_scheme
from django.views import defaults
from django.views.decorators.csrf import requires_csrf_token

API_DETAIL = {
    400: "请求无效：地址或内容包含无效的字符或数值。",
    403: "您没有执行此操作的权限。",
    404: "找不到该对象，或您无权查看。",
    500: "服务器内部错误，请稍后重试。",
}


def _is_api(request) -> bool:
    return request.path.startswith("/api/")


def _back(request) -> str:
    """The page the visitor came from, when it is on this site."""
    referer = request.META.get("HTTP_REFERER", "")
    try:
        host = request.get_host()
    except Exception:  # noqa: BLE001 - a disallowed Host header is itself a 400
        return ""
    if referer and url_has_allowed_host_and_scheme(referer, allowed_hosts={host}):
        return referer
    return ""


def _answer(request, status: int):
    if _is_api(request):
        return JsonResponse({"detail": API_DETAIL[status]}, status=status)
    return render(request, f"{status}.html", {"back": _back(request)}, status=status)


@requires_csrf_token
def bad_request(request, exception=None):
    return _answer(request, 400)


@requires_csrf_token
def permission_denied(request, exception=None):
    return _answer(request, 403)


@requires_csrf_token
def page_not_found(request, exception=None):
    return _answer(request, 404)


@requires_csrf_token
def server_error(request):
    """No context processors, no database: the template gets an empty context."""
    if _is_api(request):
        return JsonResponse({"detail": API_DETAIL[500]}, status=500)
    return defaults.server_error(request)
