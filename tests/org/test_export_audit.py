"""Exporting the staff list writes one audit entry: who, which filter, how many rows, unmasked."""

from django.urls import reverse

from chuangkou.core.models import AuditEntry


def test_staff_export_by_the_center_admin_is_audited_as_unmasked(org_small, client_as):
    params = {"export": "xlsx", "department": org_small.dept_a.pk}
    response = client_as(org_small.admin).get("/staff/", params)
    assert response.status_code == 200
    entry = AuditEntry.objects.get(action="data.export")
    assert (entry.actor, entry.object_type) == (org_small.admin, "org.staff")
    assert entry.after["filter"] == {"department": str(org_small.dept_a.pk)}
    assert entry.after["rows"] == 4 and entry.after["unmasked"] is True
    assert entry.after["file"].startswith("窗口人员_")
    assert "no-store" in response["Cache-Control"]


def test_staff_export_by_a_dept_head_is_audited_as_masked(org_small, client_as):
    client_as(org_small.head_a).get("/staff/", {"export": "xlsx", "q": "甲"})
    entry = AuditEntry.objects.get(action="data.export")
    assert entry.actor == org_small.head_a
    assert entry.after["unmasked"] is False and entry.after["filter"] == {"q": "甲"}


def test_the_import_template_is_not_an_export(org_small, client_as):
    client = client_as(org_small.admin)
    response = client.get(reverse("org:staff_import_template"))
    assert response.status_code == 200
    assert not AuditEntry.objects.filter(action="data.export").exists()
