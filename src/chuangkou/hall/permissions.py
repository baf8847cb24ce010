"""Who may do what in the hall: issue tickets, work a window, configure queues, read figures."""

from django.db.models import Q, QuerySet
from django.utils import timezone

from chuangkou.core.connections import prepared_cursor
from chuangkou.core.roles import Role, has_role
from chuangkou.org.models import Assignment, Center, Staff, Window
from chuangkou.org.selectors import staff_of  # noqa: F401 (the hall's callers use it from here)

ISSUERS = (Role.LOBBY_MANAGER, Role.CENTER_ADMIN)
HALL_ADMINS = (Role.CENTER_ADMIN,)
DESK_ROLES = (Role.CLERK,)
LIST_READERS = (Role.CENTER_ADMIN, Role.LOBBY_MANAGER, Role.DEPT_HEAD)
METRICS_READERS = (Role.CENTER_ADMIN, Role.DEPT_HEAD)
APPOINTMENT_READERS = (Role.CENTER_ADMIN, Role.LOBBY_MANAGER)


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


def may_work(staff: Staff, window: Window) -> bool:
    """`posted_to` for a staff record read by services._common.lock_desk (`posted_here`)."""
    return window.is_active and (
        (staff.department_id == window.department_id and staff.center_id == window.center_id)
        or staff.window_id == window.pk
        or bool(staff.posted_here)
    )


def can_issue_at(user, center: Center) -> bool:
    """大堂经理帮办取号: the center admin anywhere, a lobby manager at their own center."""
    return can_issue_at_center(user, center.pk)


STAFF_CENTER_SQL = """
SELECT center_id FROM {staff} WHERE user_id = %s AND status <> %s
ORDER BY LENGTH(staff_no), staff_no LIMIT 1
"""
_STAFF_CENTER = "_chuangkou_staff_center"


def staff_center_sql() -> tuple[str, list]:
    """The center of the user's staff record (the first by staff number, as `staff_of`; NULL
    without one) as a scalar subquery with its parameters after the user's id, for a statement
    that reads it beside something else (selectors.queue_to_issue)."""
    return f"({STAFF_CENTER_SQL.format(staff=Staff._meta.db_table).strip()})", [Staff.Status.LEFT]


def remember_staff_center(user, center_id: int | None) -> None:
    """Keep the user's staff center, read together with something else, for this request."""
    user.__dict__[_STAFF_CENTER] = center_id


def _staff_center(user) -> int | None:
    if _STAFF_CENTER not in user.__dict__:
        sql, params = staff_center_sql()
        with prepared_cursor() as cursor:  # not yet read with the queue (queue_to_issue)
            cursor.execute(f"SELECT {sql}", [user.pk, *params])
            remember_staff_center(user, cursor.fetchone()[0])
    return user.__dict__[_STAFF_CENTER]


def can_issue_at_center(user, center_id: int) -> bool:
    """`can_issue_at` by the center's id (the center itself need not be read)."""
    if has_role(user, Role.CENTER_ADMIN):
        return True
    if not has_role(user, Role.LOBBY_MANAGER):
        return False
    center = _staff_center(user)
    return center is None or center == center_id


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
