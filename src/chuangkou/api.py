"""The ninja API root at /api/v1/: session auth for the browser, bearer tokens for machines.

Each app mounts its router here. Domain errors become 4xx JSON with the message as it is.
"""

import datetime as dt
from functools import lru_cache
from importlib import import_module

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core.exceptions import PermissionDenied
from django.db import connection
from django.http import Http404
from django.utils import timezone
from ninja import NinjaAPI
from ninja.errors import AuthenticationError, HttpError, ValidationError
from ninja.security import HttpBearer, SessionAuth

from chuangkou.core.auth import FORCED_CHANGE_MESSAGE, lock_remaining, needs_password_change
from chuangkou.core.connections import first_read, prepared_cursor
from chuangkou.core.errors import DomainError
from chuangkou.core.models import ApiToken
from chuangkou.core.params import explain
from chuangkou.core.roles import remember_roles
from chuangkou.core.rows import RowLoader
from chuangkou.core.schema_types import Schema

LOOKUP_SQL = """
SELECT {token_columns}, {user_columns}, g.name
FROM {tokens} t
JOIN {users} u ON u.id = t.user_id
LEFT JOIN {user_groups} ug ON ug.user_id = u.id
LEFT JOIN {groups} g ON g.id = ug.group_id
WHERE t.key_hash = %s AND t.revoked = %s AND t.expires_at > %s AND u.is_active = %s
"""


@lru_cache(maxsize=1)
def _token_query() -> tuple[str, RowLoader, RowLoader]:
    """The token, its account and the account's group names in one statement (one row per
    group); built once from the models."""
    user_model = get_user_model()
    tokens, users = RowLoader(ApiToken), RowLoader(user_model)
    quote = connection.ops.quote_name
    sql = LOOKUP_SQL.format(
        token_columns=tokens.columns("t"),
        user_columns=users.columns("u"),
        tokens=quote(ApiToken._meta.db_table),
        users=quote(user_model._meta.db_table),
        user_groups=quote(user_model.groups.through._meta.db_table),
        groups=quote(Group._meta.db_table),
    )
    return sql, tokens, users


def find_token(key: str, now: dt.datetime) -> ApiToken | None:
    """The live token of an active account for `key`, its `user` loaded and the user's roles
    cached (core.roles), in one statement, which is also the connection's health check
    (core.connections.first_read)."""
    sql, tokens, users = _token_query()
    adapt = connection.ops.adapt_datetimefield_value
    params = [ApiToken.hash_key(key), False, adapt(now), True]

    def read():
        with prepared_cursor() as cursor:
            cursor.execute(sql, params)
            return cursor.fetchall()

    rows = first_read(read)
    if not rows:
        return None
    split = len(tokens.fields)
    token = tokens.load(rows[0][:split])
    user = users.load(rows[0][split : split + len(users.fields)])
    remember_roles(user, [row[-1] for row in rows if row[-1] is not None])
    token.user = user
    return token


class TokenAuth(HttpBearer):
    """Authorization: Bearer ck_… (each person issues their own tokens on 我的账号).

    Refused when the token is revoked or expired, or its account is inactive or locked; 403
    while the account must change its password. The token, its account and the account's roles
    are read in one statement; `last_used_at` is written at most once a minute, so a read
    through the API is not a database write."""

    TOUCH_SECONDS = 60

    def authenticate(self, request, token: str):
        now = timezone.now()
        found = find_token(token, now)
        if found is None or lock_remaining(found.user):
            return None
        if needs_password_change(found.user):
            raise DomainError(FORCED_CHANGE_MESSAGE, status=403)
        if found.last_used_at is None or now - found.last_used_at >= dt.timedelta(
            seconds=self.TOUCH_SECONDS
        ):
            ApiToken.objects.filter(pk=found.pk).update(last_used_at=now)
        request.user = found.user
        request.api_token = found
        return found.user


class ErrorItemOut(Schema):
    field: str
    message: str


class ErrorOut(Schema):
    """Every 4xx answer: the message in Chinese, the field it concerns, per-field problems."""

    detail: str
    field: str | None = None
    errors: list[ErrorItemOut] | None = None


ERROR_RESPONSES = {
    400: "请求无效（业务规则不允许，或请求内容无效）",
    401: "未登录，或 API 令牌无效",
    403: "无权执行此操作",
    404: "对象不存在，或无权查看",
    409: "与对象的当前状态冲突",
    422: "提交的数据格式不正确（errors 列出每个字段的问题）",
    429: "请求过于频繁（公开入口按手机号、来源地址限流），请稍后再试",
}


def document_errors(schema: dict) -> dict:
    """Add the shared error answer (ErrorOut) for every code of ERROR_RESPONSES to every
    operation that does not describe that code itself."""
    components = schema.setdefault("components", {}).setdefault("schemas", {})
    error_schema = ErrorOut.model_json_schema(ref_template="#/components/schemas/{model}")
    components.update(error_schema.pop("$defs", {}))
    components["ErrorOut"] = error_schema
    content = {"application/json": {"schema": {"$ref": "#/components/schemas/ErrorOut"}}}
    for operations in schema.get("paths", {}).values():
        for operation in operations.values():
            responses = operation.setdefault("responses", {})
            for code, description in ERROR_RESPONSES.items():
                responses.setdefault(code, {"description": description, "content": content})
    return schema


class ChuangkouAPI(NinjaAPI):
    def get_openapi_schema(self, **kwargs):
        return document_errors(super().get_openapi_schema(**kwargs))

    def get_operation_url_name(self, operation, router) -> str:
        """One URL name per route: the operation id where a route names one (views made in a
        loop share their function's name), else `<app>_<view>` (ninja's default, the function's
        name alone, gave hall's and consult's `transfer` one name)."""
        if operation.operation_id:
            return operation.operation_id
        app = operation.view_func.__module__.split(".")[1]  # chuangkou.<app>.api
        return f"{app}_{operation.view_func.__name__}"


api = ChuangkouAPI(
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
        problems.append({"field": where, "message": explain(err)})
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


APPS_WITH_API = [
    "core",
    "org",
    "catalog",
    "hall",
    "cases",
    "feedback",
    "consult",
    "prereview",
    "exams",
    "selection",
    "honors",
    "care",
    "training",
    "supervision",
]


def _mount_routers() -> None:
    for app in APPS_WITH_API:
        module = import_module(f"chuangkou.{app}.api")
        api.add_router(f"/{app}/", module.router)


_mount_routers()
