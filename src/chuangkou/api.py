"""The ninja API root at /api/v1/: session auth for the browser, bearer tokens for machines.

Each app mounts its router here. Domain errors become 4xx JSON with the message as it is.
"""

from importlib import import_module

from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.utils import timezone
from ninja import NinjaAPI
from ninja.errors import AuthenticationError, HttpError, ValidationError
from ninja.security import HttpBearer, SessionAuth

from chuangkou.core.errors import DomainError
from chuangkou.core.models import ApiToken


class TokenAuth(HttpBearer):
    """Authorization: Bearer ck_… (tokens are issued by the system administrator)."""

    def authenticate(self, request, token: str):
        found = (
            ApiToken.objects.select_related("user")
            .filter(key_hash=ApiToken.hash_key(token), revoked=False, user__is_active=True)
            .first()
        )
        if found is None:
            return None
        ApiToken.objects.filter(pk=found.pk).update(last_used_at=timezone.now())
        request.user = found.user
        return found.user


api = NinjaAPI(
    title="chuangkou 窗口 API",
    version="1",
    description="区行政服务中心窗口平台接口。浏览器使用登录会话（需 CSRF），机器使用 Bearer 令牌。",
    # The token first: SessionAuth checks CSRF before it looks for a session, so a machine's
    # POST/PATCH with a valid bearer token would otherwise be refused with 403.
    auth=[TokenAuth(), SessionAuth(csrf=True)],
    urls_namespace="api",
)


def _error(request, message: str, status: int, **extra):
    return api.create_response(request, {"detail": message, **extra}, status=status)


@api.exception_handler(DomainError)
def _domain_error(request, exc: DomainError):
    return _error(request, exc.message, exc.status, field=exc.field)


@api.exception_handler(PermissionDenied)
def _permission_denied(request, exc):
    return _error(request, "您没有执行此操作的权限。", 403)


@api.exception_handler(Http404)
def _not_found(request, exc):
    return _error(request, "找不到该对象，或您无权查看。", 404)


@api.exception_handler(AuthenticationError)
def _unauthenticated(request, exc):
    return _error(request, "请先登录，或提供有效的 API 令牌。", 401)


@api.exception_handler(ValidationError)
def _invalid(request, exc: ValidationError):
    problems = []
    for err in exc.errors:
        where = ".".join(str(p) for p in err.get("loc", ()) if p not in ("body", "payload"))
        problems.append({"field": where, "message": err.get("msg", "")})
    return _error(request, "提交的数据格式不正确。", 422, errors=problems)


@api.exception_handler(HttpError)
def _http_error(request, exc: HttpError):
    message = str(exc)
    if exc.status_code == 400 and message.startswith("Cannot parse request body"):
        # ninja's answer to a body that is not JSON: treat it like any other malformed input.
        problem = {"field": "", "message": "请求内容不是有效的 JSON。"}
        return _error(request, "提交的数据格式不正确。", 422, errors=[problem])
    if message == "CSRF check Failed":
        message = "CSRF 校验失败：请刷新页面后重试。"
    return _error(request, message, exc.status_code)


APPS_WITH_API = ["core", "org", "catalog", "hall", "cases", "feedback", "exams", "selection"]


def _mount_routers() -> None:
    for app in APPS_WITH_API:
        module = import_module(f"chuangkou.{app}.api")
        api.add_router(f"/{app}/", module.router)


_mount_routers()
