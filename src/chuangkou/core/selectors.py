import datetime as dt

from django.db.models import Q, QuerySet

from .models import AuditEntry


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
