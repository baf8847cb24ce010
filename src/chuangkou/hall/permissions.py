"""Who may do what in the hall: issue tickets, work a window, configure queues, read figures."""

from chuangkou.core.roles import Role, has_role
from chuangkou.org.models import Center, Staff, Window

ISSUERS = (Role.LOBBY_MANAGER, Role.CENTER_ADMIN)
HALL_ADMINS = (Role.CENTER_ADMIN,)
DESK_ROLES = (Role.CLERK,)
LIST_READERS = (Role.CENTER_ADMIN, Role.LOBBY_MANAGER, Role.DEPT_HEAD)
METRICS_READERS = (Role.CENTER_ADMIN, Role.DEPT_HEAD)
APPOINTMENT_READERS = (Role.CENTER_ADMIN, Role.LOBBY_MANAGER)


def staff_of(user) -> Staff | None:
    """The user's window staff record (在岗 or 交流中), if any."""
    if not getattr(user, "is_authenticated", False):
        return None
    return (
        Staff.objects.select_related("center", "window")
        .filter(user=user)
        .exclude(status=Staff.Status.LEFT)
        .first()
    )


def can_issue_at(user, center: Center) -> bool:
    """大堂经理帮办取号: the center admin anywhere, a lobby manager at their own center."""
    if has_role(user, Role.CENTER_ADMIN):
        return True
    if not has_role(user, Role.LOBBY_MANAGER):
        return False
    staff = staff_of(user)
    return staff is None or staff.center_id == center.pk


def can_operate_window(user, window: Window, staff: Staff | None) -> bool:
    """A clerk works the windows of the center they are posted to."""
    return (
        has_role(user, *DESK_ROLES)
        and staff is not None
        and window.is_active
        and window.center_id == staff.center_id
    )


def can_manage_hall(user) -> bool:
    return has_role(user, *HALL_ADMINS)
