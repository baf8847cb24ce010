"""Who may do what in 1call. Agents are clerks on the duty roster: they work the consultations
of the business domains they are rostered for (综合 ones: any rostered clerk). The center admin
keeps the roster, reads the overview and may transfer, close and promote any consultation."""

from chuangkou.core.roles import Role, has_role
from chuangkou.org import selectors as org_selectors
from chuangkou.org.models import Staff

AGENT_ROLES = (Role.CLERK,)
ADMIN_ROLES = (Role.CENTER_ADMIN,)
DESK_ROLES = (Role.CLERK, Role.CENTER_ADMIN)  # the inbox and a consultation's page


def staff_of(user) -> Staff | None:
    """`org.selectors.staff_of`, read once per user object (the inbox asks several times)."""
    cached = getattr(user, "_consult_staff", False)
    if cached is False:
        cached = org_selectors.staff_of(user)
        if getattr(user, "is_authenticated", False):
            user._consult_staff = cached
    return cached


def rostered_domains(user) -> set | None:
    """The department ids (None for 综合) the user's staff is rostered for; None when the user
    is no agent at all."""
    from .models import DutyShift

    staff = staff_of(user) if has_role(user, *AGENT_ROLES) else None
    if staff is None:
        return None
    domains = set(DutyShift.objects.filter(staff=staff).values_list("department_id", flat=True))
    return domains or None


def is_admin(user) -> bool:
    return has_role(user, *ADMIN_ROLES)


def may_take(user, consultation) -> bool:
    """认领: a clerk rostered for the consultation's domain (any rostered clerk for 综合)."""
    domains = rostered_domains(user)
    if domains is None:
        return False
    return consultation.department_id is None or consultation.department_id in domains


def is_agent_of(user, consultation) -> bool:
    staff = staff_of(user)
    return staff is not None and has_role(user, *AGENT_ROLES) and consultation.agent_id == staff.pk
