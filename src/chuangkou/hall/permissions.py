"""Who may do what in the hall: issue tickets, work a window, configure queues, read figures."""

from django.db import connection
from django.db.models import Q, QuerySet
from django.utils import timezone

from chuangkou.core.roles import Role, has_role
from chuangkou.org.models import Assignment, Center, Staff, Window

from .models import WindowSignIn

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


DESK_STAFF_SQL = """
SELECT s.*,
  EXISTS (SELECT 1 FROM {assignments} a WHERE a.staff_id = s.id AND a.window_id = %s
          AND a.start_date <= %s AND (a.end_date IS NULL OR a.end_date >= %s)) AS posted_here,
  EXISTS (SELECT 1 FROM {sign_ins} i WHERE i.staff_id = s.id AND i.window_id = %s
          AND i.signed_out_at IS NULL) AS signed_in_here
FROM {staff} s
WHERE s.user_id = %s AND s.status <> %s
ORDER BY LENGTH(s.staff_no), s.staff_no
LIMIT 1
"""


def desk_staff(user, window: Window) -> Staff | None:
    """The desk actions' reading of the clerk in one statement: the user's staff record (as
    `staff_of`, without its center and window), with `posted_here` (a current org Assignment
    to `window`) and `signed_in_here` (their open sign-in at `window`); `may_work(staff,
    window)` then needs no query."""
    if not getattr(user, "is_authenticated", False):
        return None
    sql = DESK_STAFF_SQL.format(
        assignments=Assignment._meta.db_table,
        sign_ins=WindowSignIn._meta.db_table,
        staff=Staff._meta.db_table,
    )
    today = connection.ops.adapt_datefield_value(timezone.localdate())
    params = [window.pk, today, today, window.pk, user.pk, Staff.Status.LEFT]
    return next(iter(Staff.objects.raw(sql, params)), None)


def may_work(staff: Staff, window: Window) -> bool:
    """`posted_to` for a staff record read by `desk_staff(…, window)`."""
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


def can_issue_at_center(user, center_id: int) -> bool:
    """`can_issue_at` by the center's id (the center itself need not be read)."""
    if has_role(user, Role.CENTER_ADMIN):
        return True
    if not has_role(user, Role.LOBBY_MANAGER):
        return False
    with connection.cursor() as cursor:  # a plain statement: this runs on every 帮办 issue
        cursor.execute(
            STAFF_CENTER_SQL.format(staff=Staff._meta.db_table), [user.pk, Staff.Status.LEFT]
        )
        row = cursor.fetchone()
    return row is None or row[0] == center_id


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
