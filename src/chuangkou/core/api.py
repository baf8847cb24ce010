from ninja import Router, Schema

from .roles import roles_of

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
