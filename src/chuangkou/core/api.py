import datetime as dt

from ninja import Field, Router, Status

from chuangkou.core.schema_types import Schema

from .errors import DomainError
from .roles import roles_of
from .services import issue_api_token, revoke_api_token

router = Router(tags=["账号"])


class MeOut(Schema):
    username: str
    display_name: str
    roles: list[str]


@router.get("/me", response=MeOut, summary="当前账号及其角色")
def me(request):
    user = request.user
    return MeOut(
        username=user.username,
        display_name=user.display_name,
        roles=sorted(r.value for r in roles_of(user)),
    )


class ApiTokenOut(Schema):
    id: int
    name: str
    prefix: str
    created_at: dt.datetime
    expires_at: dt.datetime
    last_used_at: dt.datetime | None
    revoked: bool


class ApiTokenIn(Schema):
    name: str = Field(..., min_length=1, max_length=100, description="用途")
    days: int | None = Field(None, ge=1, le=3650, description="有效期（天），缺省为最长期限")


class ApiTokenIssuedOut(Schema):
    id: int
    name: str
    key: str = Field(..., description="令牌本身，只返回这一次")
    expires_at: dt.datetime


@router.get("/tokens", response=list[ApiTokenOut], summary="我的 API 令牌")
def my_tokens(request):
    return list(request.user.api_tokens.order_by("-created_at"))


@router.post("/tokens", response={201: ApiTokenIssuedOut}, summary="为本人发放 API 令牌")
def issue_token(request, payload: ApiTokenIn):
    if getattr(request, "api_token", None) is not None:
        raise DomainError("发放令牌须登录后操作，不能用令牌再发放令牌。", status=403)
    key = issue_api_token(actor=request.user, name=payload.name, days=payload.days)
    token = request.user.api_tokens.order_by("-id").first()
    issued = ApiTokenIssuedOut(id=token.pk, name=token.name, key=key, expires_at=token.expires_at)
    return Status(201, issued)


@router.post("/tokens/{token_id}/revoke", response=ApiTokenOut, summary="吊销本人的令牌")
def revoke_token(request, token_id: int):
    if not 1 <= token_id <= 2**63 - 1:
        raise DomainError("找不到该令牌。", status=404)
    return revoke_api_token(actor=request.user, token_id=token_id)
