"""Who may do what in the hall: issue tickets, work a window, configure queues, read figures."""

from django.db.models import Q, QuerySet
from django.utils import timezone

from chuangkou.core.roles import Role, has_role
from chuangkou.org.models import Assignment, Center, Staff, Window

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


def windows_posted_to(staff: Staff) -> QuerySet[Window]:
    """Windows a clerk may sign in to: their department's at the center they work in, their
    current window, and any window of a current posting (org Assignment)."""
    today = timezone.localdate()
    postings = Assignment.objects.filter(
        Q(end_date__isnull=True) | Q(end_date__gte=today),
        staff=staff,
        window__isnull=False,
        start_date__lte=today,
    ).values("window_id")
    return Window.objects.filter(
        Q(department_id=staff.department_id, center_id=staff.center_id)
        | Q(pk=staff.window_id)
        | Q(pk__in=postings),
        is_active=True,
    )


def posted_to(staff: Staff, window: Window) -> bool:
    return windows_posted_to(staff).filter(pk=window.pk).exists()


def can_issue_at(user, center: Center) -> bool:
    """大堂经理帮办取号: the center admin anywhere, a lobby manager at their own center."""
    if has_role(user, Role.CENTER_ADMIN):
        return True
    if not has_role(user, Role.LOBBY_MANAGER):
        return False
    staff = staff_of(user)
    return staff is None or staff.center_id == center.pk


def can_operate_window(user, window: Window, staff: Staff | None) -> bool:
    """A clerk works the windows of their department, or one they are posted to (org
    Assignment); which of them at a given moment is the window they signed in to."""
    return (
        has_role(user, *DESK_ROLES)
        and staff is not None
        and window.is_active
        and posted_to(staff, window)
    )


def can_manage_hall(user) -> bool:
    return has_role(user, *HALL_ADMINS)
