"""Staff and their login accounts (登录账号): the link, and accounts opened in bulk.

Opening accounts is the system administrator's duty (三权分立): they select staff without an
account; each gets the clerk role, a username from the 工号 and a one-time temporary password
that must be changed at the first sign-in (core.services.create_account)."""

import re
from collections.abc import Iterable
from dataclasses import dataclass

from django.contrib.auth import get_user_model
from django.db import transaction

from chuangkou.core import audit, xlsx
from chuangkou.core.errors import DomainError
from chuangkou.core.permissions import require_role
from chuangkou.core.roles import Role
from chuangkou.core.services import create_account
from chuangkou.core.services.passwords import temporary_password

from .models import Staff

MAX_ACCOUNTS_AT_ONCE = 500
_ASCII_NAME = re.compile(r"^[a-z0-9][a-z0-9_.-]*$")


@dataclass(frozen=True)
class IssuedAccount:
    """One account just opened: shown once to the administrator, never stored in clear."""

    staff_no: str
    name: str
    department: str
    username: str
    password: str


def username_for(staff: Staff) -> str:
    """工号 in lower case (CK00012 → ck00012); `staff<id>` when the 工号 is not plain ASCII."""
    base = staff.staff_no.strip().lower()
    return base if _ASCII_NAME.match(base) else f"staff{staff.pk}"


def _free_username(base: str) -> str:
    """`base`, or `base-2`, `base-3` … when an account already uses it."""
    taken = set(
        get_user_model()
        .objects.filter(username__startswith=base)
        .values_list("username", flat=True)
    )
    name, n = base, 1
    while name in taken:
        n += 1
        name = f"{base}-{n}"
    return name


@transaction.atomic
def create_staff_accounts(*, actor, staff: Iterable[Staff]) -> list[IssuedAccount]:
    """为人员批量开通账号 (system administrator): one clerk account per selected person who is
    in post and has none, linked to the record. Returns the temporary passwords, once."""
    require_role(actor, Role.SYSADMIN)
    ids = sorted({s.pk for s in staff})
    if not ids:
        raise DomainError("请选择要开通账号的人员。", field="staff")
    if len(ids) > MAX_ACCOUNTS_AT_ONCE:
        raise DomainError(f"一次最多为 {MAX_ACCOUNTS_AT_ONCE} 人开通账号。", field="staff")
    people = list(
        Staff.objects.select_for_update(of=("self",))
        .select_related("department")
        .filter(pk__in=ids)
        .order_by("pk")
    )
    _refuse_unsuitable(people)
    issued = [_open_account(actor, person) for person in people]
    audit.record(
        actor=actor,
        action="staff.accounts.create",
        object_type="org.staff",
        after={"count": len(issued), "accounts": [[a.staff_no, a.username] for a in issued]},
    )
    return issued


def _refuse_unsuitable(people: list[Staff]) -> None:
    """Every problem at once: people who already have an account or have left."""
    problems = [f"{p.name}（{p.staff_no}）已有账号" for p in people if p.user_id]
    problems += [f"{p.name}（{p.staff_no}）已离职" for p in people if p.status == Staff.Status.LEFT]
    if problems:
        raise DomainError("不能开通账号：" + "；".join(problems) + "。", field="staff")


def _open_account(actor, person: Staff) -> IssuedAccount:
    password = temporary_password()
    user = create_account(
        actor=actor,
        username=_free_username(username_for(person)),
        password=password,
        display_name=person.name,
        roles=[Role.CLERK],
        must_change_password=True,
    )
    Staff.objects.filter(pk=person.pk).update(user=user)
    audit.record(
        actor=actor, action="staff.link_account", obj=person, after={"account": user.username}
    )
    return IssuedAccount(
        staff_no=person.staff_no,
        name=person.name,
        department=person.department.name,
        username=user.username,
        password=password,
    )


ISSUED_HEADERS = ["工号", "姓名", "部门", "用户名", "初始密码"]


def issued_accounts_xlsx(issued: Iterable[IssuedAccount]) -> bytes:
    """The sheet handed to the staff: username and temporary password per person."""
    rows = ([a.staff_no, a.name, a.department, a.username, a.password] for a in issued)
    return xlsx.write_table("新开通账号", ISSUED_HEADERS, rows, text_columns=("工号", "初始密码"))
