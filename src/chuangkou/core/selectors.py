import datetime as dt

from django.contrib.auth import get_user_model
from django.db.models import Q, QuerySet

from .models import AuditEntry, RoleChangeRequest


def audit_entries(
    *,
    person: str = "",
    object_text: str = "",
    action: str = "",
    start: dt.date | None = None,
    end: dt.date | None = None,
) -> QuerySet[AuditEntry]:
    """审计日志 search: by person (account or name), object, action and date range."""
    qs = AuditEntry.objects.select_related("actor").order_by("-id")
    if person:
        qs = qs.filter(Q(actor_name__icontains=person) | Q(actor__display_name__icontains=person))
    if object_text:
        qs = qs.filter(
            Q(object_repr__icontains=object_text)
            | Q(object_type__icontains=object_text)
            | Q(object_id=object_text)
        )
    if action:
        qs = qs.filter(action__startswith=action)
    if start:
        qs = qs.filter(created_at__date__gte=start)
    if end:
        qs = qs.filter(created_at__date__lte=end)
    return qs


def accounts(*, q: str = "", role: str = "") -> QuerySet:
    """账号 list for the administrators: search by account or name, filter by role."""
    qs = get_user_model().objects.prefetch_related("groups").order_by("username")
    if q:
        qs = qs.filter(Q(username__icontains=q) | Q(display_name__icontains=q))
    if role:
        qs = qs.filter(groups__name=role)
    return qs


def pending_role_requests() -> QuerySet[RoleChangeRequest]:
    """Administrative role changes waiting for a second person's approval."""
    return RoleChangeRequest.objects.filter(status=RoleChangeRequest.Status.PENDING).select_related(
        "user", "requested_by"
    )
