"""Exporting tickets writes one audit entry through the shared download helper; a large export
runs as a background job (core.exports)."""

from pathlib import Path

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from openpyxl import load_workbook

from chuangkou.core import exports
from chuangkou.core.models import AuditEntry, ExportJob
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
        "filter_text": f"队列：{hall.queue_b}",  # the filter as people read it
        "rows": 1,
        "unmasked": False,
    }


def test_a_large_ticket_export_runs_in_the_background_without_a_query_per_row(
    hall, client_as, settings, tmp_path, monkeypatch
):
    settings.MEDIA_ROOT = tmp_path / "media"
    monkeypatch.setattr(exports, "INLINE_ROWS", 1)

    def export_statements(tickets: int) -> tuple[ExportJob, int]:
        for _ in range(tickets):
            services.issue_ticket(actor=None, queue=hall.queue_a, phone="13800138000")
        client = client_as(hall.admin)
        with CaptureQueriesContext(connection) as queries:
            response = client.get(reverse("hall:ticket_list"), {"export": "xlsx"})
        job = ExportJob.objects.get(pk=int(response["Location"].split("/")[2]))
        return job, len(queries)

    export_statements(2)  # the first export of a process reads a few things once
    first, few = export_statements(2)
    second, many = export_statements(10)
    assert few == many  # the queue, window and clerk come with each ticket (one statement)
    assert (first.written_rows, second.written_rows) == (4, 14)
    sheet = load_workbook(Path(settings.MEDIA_ROOT) / second.file).active
    phones = [row[-1] for row in sheet.iter_rows(min_row=2, values_only=True)]
    assert phones == ["138****8000"] * 14
    entry = AuditEntry.objects.filter(action="data.export").latest("id")
    assert entry.object_type == "hall.ticket" and entry.after["job"] == second.pk
