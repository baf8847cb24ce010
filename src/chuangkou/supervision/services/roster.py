"""义务行风监督员 roster: appointment and the end of a term."""

import datetime as dt

from django.db import transaction

from chuangkou.core import audit
from chuangkou.core.errors import DomainError
from chuangkou.core.permissions import require_role
from chuangkou.core.roles import Role, has_role
from chuangkou.core.validators import validate_mobile

from ..models import Supervisor
from .common import text


@transaction.atomic
def appoint_supervisor(
    *,
    actor,
    user,
    name: str,
    term_start: dt.date,
    term_end: dt.date,
    centers,
    phone: str = "",
    affiliation: str = "",
    former_department=None,
) -> Supervisor:
    """聘任监督员: the account must hold the supervisor role."""
    if actor is not None:
        require_role(actor, Role.CENTER_ADMIN)
    if not has_role(user, Role.SUPERVISOR):
        raise DomainError(
            "该账号没有“义务行风监督员”角色，请先由系统管理员分配角色。", field="user"
        )
    if Supervisor.objects.filter(user=user).exists():
        raise DomainError("该账号已登记为监督员。", field="user")
    if term_end < term_start:
        raise DomainError("聘期结束日期不能早于开始日期。", field="term_end")
    centers = list(centers)
    if not centers:
        raise DomainError("请至少选择一个负责的中心。", field="centers")
    phone = text(phone, field="phone", what="联系电话", limit=20)
    if phone:
        phone = validate_mobile(phone)
    supervisor = Supervisor.objects.create(
        user=user,
        name=text(name, field="name", what="姓名", limit=50, required=True),
        phone=phone,
        affiliation=text(affiliation, field="affiliation", what="单位/身份", limit=100),
        former_department=former_department,
        term_start=term_start,
        term_end=term_end,
    )
    supervisor.centers.set(centers)
    audit.record(
        actor=actor,
        action="supervision.supervisor.appoint",
        obj=supervisor,
        after={
            "user": user.get_username(),
            "term": [term_start, term_end],
            "centers": sorted(c.pk for c in centers),
        },
    )
    return supervisor
