"""Home cards: the staff member's leave this month and next booking; the counselor's coming
sessions."""

from django.utils import timezone

from chuangkou.core.home import HomeCard
from chuangkou.org.models import Staff

from . import permissions, selectors, services


def my_care(user) -> dict | None:
    """None (no card) for an account without a staff record: it takes no leave."""
    if not Staff.objects.filter(user=user, status=Staff.Status.ACTIVE).exists():
        return None
    today = timezone.localdate()
    upcoming = selectors.my_appointments(user).filter(
        cancelled_at__isnull=True, slot__starts_at__gt=timezone.now()
    )
    return {
        "leave": selectors.leave_this_month(user, today),
        "month": today.month,
        "next": upcoming.order_by("slot__starts_at").first(),
        "last_open": services.last_open_month(today),
    }


def counselor_sessions(user) -> dict:
    coming = (
        selectors.counselor_appointments(user)
        .filter(cancelled_at__isnull=True, slot__starts_at__gt=timezone.now())
        .order_by("slot__starts_at")
    )
    return {"coming": list(coming[:5]), "open": selectors.counselor_slots(user).count()}


CARDS = [
    HomeCard("care/_home_care.html", permissions.STAFF_ROLES, my_care, order=40),
    HomeCard("care/_home_counselor.html", permissions.COUNSELOR_ROLES, counselor_sessions, 20),
]
