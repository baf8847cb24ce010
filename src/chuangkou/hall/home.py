"""The clerk's home card: their window and the queues it serves, with the people waiting."""

from chuangkou.core.home import HomeCard
from chuangkou.core.roles import Role
from chuangkou.org.models import Staff

from . import selectors
from .models import ServiceQueue


def my_window(user) -> dict | None:
    staff = (
        Staff.objects.filter(user=user)
        .exclude(status=Staff.Status.LEFT)
        .select_related("window", "center")
        .first()
    )
    if staff is None:
        return None
    queues = []
    if staff.window is not None:
        waiting = selectors.waiting_counts(staff.center)
        served = ServiceQueue.objects.filter(windows=staff.window).order_by("prefix")
        queues = [(q, waiting.get(q.pk, 0)) for q in served]
    return {"staff": staff, "window": staff.window, "queues": queues}


CARDS = [HomeCard("hall/_home_window.html", (Role.CLERK,), my_window, order=20)]
