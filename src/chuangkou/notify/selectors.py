"""Reads of notify: the message log an admin may see, and the figures."""

import datetime as dt

from django.db.models import Count, Q, QuerySet

from chuangkou.core.roles import has_role

from . import registry
from .catalog import TEMPLATES
from .models import Message
from .services import ADMINS


def messages_visible_to(user) -> QuerySet[Message]:
    """The center admin and the system administrator see every message (numbers masked)."""
    if not has_role(user, *ADMINS):
        return Message.objects.none()
    return Message.objects.select_related("center")


def message_list(*, user, filters) -> QuerySet[Message]:
    return filters.filter(messages_visible_to(user)).order_by("-created_at", "-id")


def kind_label(code: str) -> str:
    spec = TEMPLATES.get(code)
    return spec.name if spec else code


def figures(user, start: dt.date, end: dt.date) -> dict:
    """Messages by kind and channel with their delivery rate; no-shows of notified tickets."""
    rows = (
        messages_visible_to(user)
        .filter(created_at__date__gte=start, created_at__date__lte=end)
        .values("kind", "channel")
        .annotate(
            total=Count("id"),
            sent=Count("id", filter=Q(status=Message.Status.SENT)),
            failed=Count("id", filter=Q(status=Message.Status.FAILED)),
        )
        .order_by("kind", "channel")
    )
    channel_labels = dict(Message.Channel.choices)
    by_kind = []
    totals = {"total": 0, "sent": 0, "failed": 0}
    for row in rows:
        done = row["sent"] + row["failed"]
        by_kind.append(
            {
                "kind": kind_label(row["kind"]),
                "channel": channel_labels.get(row["channel"], row["channel"]),
                "total": row["total"],
                "sent": row["sent"],
                "failed": row["failed"],
                "rate": round(100 * row["sent"] / done, 1) if done else None,
            }
        )
        for key in totals:
            totals[key] += row[key]
    done = totals["sent"] + totals["failed"]
    totals["rate"] = round(100 * totals["sent"] / done, 1) if done else None
    no_shows = []
    if has_role(user, *ADMINS):
        for provider in registry.FIGURES:
            for label, called, missed in provider(start, end):
                rate = round(100 * missed / called, 1) if called else None
                no_shows.append({"group": label, "called": called, "no_show": missed, "rate": rate})
    return {"by_kind": by_kind, "totals": totals, "no_shows": no_shows}
