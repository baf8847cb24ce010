"""Exporting cases writes one audit entry through the shared download helper."""

from chuangkou.core.models import AuditEntry

from .conftest import accept_at_window, accept_online, at


def test_case_export_is_audited_with_filter_and_rows(hall, client_as):
    accept_at_window(hall, at("2018-03-05", 9))
    accept_online(hall, at("2018-03-06", 9))
    response = client_as(hall.admin).get("/cases/", {"export": "xlsx", "status": "accepted"})
    assert response.status_code == 200
    entry = AuditEntry.objects.get(action="data.export")
    assert (entry.actor, entry.object_type) == (hall.admin, "cases.case")
    assert entry.after["filter"] == {"status": "accepted"}
    assert entry.after["rows"] == 2 and entry.after["unmasked"] is False
