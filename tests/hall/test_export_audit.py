"""Exporting tickets writes one audit entry through the shared download helper."""

from django.urls import reverse

from chuangkou.core.models import AuditEntry
from chuangkou.hall import services


def test_ticket_export_is_audited_with_filter_and_rows(hall, client_as):
    services.issue_ticket(actor=None, queue=hall.queue_a, phone="13800138000")
    services.issue_ticket(actor=None, queue=hall.queue_b)
    url = reverse("hall:ticket_list")
    response = client_as(hall.admin).get(url, {"export": "xlsx", "queue": hall.queue_b.pk})
    assert response.status_code == 200
    entry = AuditEntry.objects.get(action="data.export")
    assert (entry.actor, entry.object_type) == (hall.admin, "hall.ticket")
    assert entry.after == {
        "file": entry.after["file"],
        "filter": {"queue": str(hall.queue_b.pk)},
        "rows": 1,
        "unmasked": False,
    }
