"""Home cards of 1call: an agent's desk (waiting in my domains, about to breach, my open ones)
and the center admin's day (today's volume and service-level breaches)."""

from django.utils import timezone

from chuangkou.core.home import HomeCard

from . import permissions, selectors
from .models import Consultation

SHOWN = 5  # rows listed on the card; the inbox has the rest


def agent_desk(user) -> dict | None:
    """None (no card) for a clerk who is no 1call agent: never rostered and holding nothing."""
    staff = permissions.staff_of(user)
    if staff is None:
        return None
    rostered = permissions.rostered_domains(user) is not None
    rows = selectors.inbox(user)
    waiting = [r for r in rows if r.consultation.status == Consultation.Status.WAITING]
    mine = [r for r in rows if r.consultation.agent_id == staff.pk]
    if not rostered and not mine:
        return None
    # what this agent should act on: the waiting ones and their own (not a colleague's)
    ours = [
        r
        for r in rows
        if r.consultation.status == Consultation.Status.WAITING
        or r.consultation.agent_id == staff.pk
    ]
    return {
        "waiting": len(waiting),
        "mine": len(mine),
        "soon": sum(1 for r in ours if r.soon and not r.breached),
        "breached": sum(1 for r in ours if r.breached),
        "urgent": [r for r in ours if r.soon or r.breached][:SHOWN],
        "my_rows": mine[:SHOWN],
    }


def admin_day(user) -> dict:
    """Today's consultations (asked today, local day) with their breaches so far."""
    today = timezone.localdate()
    o = selectors.overview(today, today)
    return {
        "volume": o.volume,
        "waiting": o.waiting,
        "closed": o.closed,
        "first_reply_breaches": o.first_reply_breaches,
        "resolve_breaches": o.resolve_breaches,
        "satisfaction": o.satisfaction,
    }


CARDS = [
    HomeCard("consult/_home_agent.html", permissions.AGENT_ROLES, agent_desk, order=25),
    HomeCard("consult/_home_admin.html", permissions.ADMIN_ROLES, admin_day, order=25),
]
