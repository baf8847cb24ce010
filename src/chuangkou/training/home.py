"""Home cards of 能力提升: the staff member's next trainings and hours this year; the center
admin's upcoming events and the suggestions still to be handled."""

from django.utils import timezone

from chuangkou.core.home import HomeCard
from chuangkou.core.roles import Role
from chuangkou.org.models import Staff

from . import permissions, selectors
from .models import Suggestion

SHOWN = 3


def my_training(user) -> dict | None:
    """None (no card) for an account without a staff record: it is invited to nothing."""
    staff = Staff.objects.filter(user=user).exclude(status=Staff.Status.LEFT).first()
    if staff is None:
        return None
    now = timezone.now()
    today = timezone.localdate()
    events, hours = selectors.hours_of(staff, start=today.replace(month=1, day=1), end=today)
    coming = selectors.my_events(staff).filter(ends_at__gte=now).order_by("starts_at", "pk")
    return {
        "coming": list(coming[:SHOWN]),
        "year": today.year,
        "events": events,
        "hours": hours,
        "now": now,
    }


def training_desk(user) -> dict:
    coming = selectors.upcoming()[:5]
    waiting = selectors.open_suggestions(user)
    return {
        "coming": list(coming),
        "open_suggestions": waiting.count(),
        "unassigned": waiting.filter(status=Suggestion.Status.SUBMITTED).count(),
    }


CARDS = [
    HomeCard("training/_home_training.html", permissions.STAFF_ROLES, my_training, order=45),
    HomeCard("training/_home_training_admin.html", (Role.CENTER_ADMIN,), training_desk, order=46),
]
