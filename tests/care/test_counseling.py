"""心理咨询: slots, booking, cancelling, and session notes only the slot's counselor reads,
encrypted at rest (the database column holds no plain text), audited without their content."""

import pytest
from django.db import connection

from chuangkou.care import selectors, services
from chuangkou.care.models import Appointment
from chuangkou.core.errors import DomainError, PermissionDeniedError
from chuangkou.core.models import AuditEntry
from chuangkou.core.roles import Role
from tests.factories import UserFactory

from .conftest import in_hours

pytestmark = pytest.mark.django_db
SECRET = "来访者近期睡眠不佳，工作压力大，约定两周后复诊。"


def test_publish_rules(care):
    w = care
    with pytest.raises(DomainError, match="当前时间之后"):
        services.publish_slot(actor=w.counselor, starts_at=in_hours(-1), mode="onsite")
    with pytest.raises(DomainError, match="重叠"):
        services.publish_slot(actor=w.counselor, starts_at=w.slots[0].starts_at, mode="phone")
    with pytest.raises(PermissionDeniedError):
        services.publish_slot(actor=w.clerk_a1, starts_at=in_hours(100), mode="onsite")


def test_book_and_the_slot_is_no_longer_open(care):
    w = care
    slot = w.slots[0]
    appointment = services.book_slot(actor=w.clerk_a1, slot=slot)
    assert appointment.client == w.clerk_a1
    assert slot not in selectors.open_slots(w.clerk_b1)
    with pytest.raises(DomainError, match="已被他人预约"):
        services.book_slot(actor=w.clerk_b1, slot=slot)
    assert list(selectors.counselor_appointments(w.counselor)) == [appointment]
    assert list(selectors.my_appointments(w.clerk_b1)) == []


def test_cancel_reopens_the_slot(care):
    w = care
    appointment = services.book_slot(actor=w.clerk_a1, slot=w.slots[0])
    with pytest.raises(PermissionDeniedError):
        services.cancel_appointment(actor=w.clerk_b1, appointment=appointment)
    services.cancel_appointment(actor=w.clerk_a1, appointment=appointment)
    assert w.slots[0] in selectors.open_slots(w.clerk_b1)
    assert services.book_slot(actor=w.clerk_b1, slot=w.slots[0]).client == w.clerk_b1


def test_withdrawn_or_past_slot_cannot_be_booked(care):
    w = care
    services.withdraw_slot(actor=w.counselor, slot=w.slots[1])
    with pytest.raises(DomainError, match="不可预约"):
        services.book_slot(actor=w.clerk_a1, slot=w.slots[1])


def test_note_is_encrypted_at_rest(care):
    w = care
    appointment = services.book_slot(actor=w.clerk_a1, slot=w.slots[0])
    services.write_note(actor=w.counselor, appointment=appointment, text=SECRET)
    with connection.cursor() as cursor:
        cursor.execute("SELECT note_token FROM care_appointment WHERE id = %s", [appointment.pk])
        stored = cursor.fetchone()[0]
    assert stored and SECRET not in stored and "睡眠" not in stored
    assert stored.startswith("gAAAA")  # a Fernet token
    appointment.refresh_from_db()
    assert services.read_note(actor=w.counselor, appointment=appointment) == SECRET


@pytest.mark.parametrize(
    "role", [Role.CENTER_ADMIN, Role.SYSADMIN, Role.AUDITOR, Role.SECADMIN, Role.DEPT_HEAD]
)
def test_only_the_counselor_reads_the_note(care, role):
    w = care
    appointment = services.book_slot(actor=w.clerk_a1, slot=w.slots[0])
    services.write_note(actor=w.counselor, appointment=appointment, text=SECRET)
    for other in (UserFactory(roles=[role]), w.clerk_a1, UserFactory(roles=[Role.COUNSELOR])):
        with pytest.raises(PermissionDeniedError):
            services.read_note(actor=other, appointment=appointment)
        with pytest.raises(PermissionDeniedError):
            services.write_note(actor=other, appointment=appointment, text="x")


def test_superuser_is_no_exception(care):
    w = care
    appointment = services.book_slot(actor=w.clerk_a1, slot=w.slots[0])
    root = UserFactory(is_superuser=True, is_staff=True)
    with pytest.raises(PermissionDeniedError):
        services.read_note(actor=root, appointment=appointment)


def test_audit_records_writing_and_reading_never_the_content(care):
    w = care
    appointment = services.book_slot(actor=w.clerk_a1, slot=w.slots[0])
    services.write_note(actor=w.counselor, appointment=appointment, text=SECRET)
    services.read_note(actor=w.counselor, appointment=appointment)
    entries = AuditEntry.objects.filter(action__startswith="care.note")
    assert sorted(entries.values_list("action", flat=True)) == ["care.note.read", "care.note.write"]
    for entry in AuditEntry.objects.all():
        text = f"{entry.object_repr}{entry.before}{entry.after}"
        assert "睡眠" not in text and w.a1.name not in text


def test_note_on_a_cancelled_appointment_is_refused(care):
    w = care
    appointment = services.book_slot(actor=w.clerk_a1, slot=w.slots[0])
    services.cancel_appointment(actor=w.counselor, appointment=appointment)
    with pytest.raises(DomainError, match="已取消"):
        services.write_note(actor=w.counselor, appointment=appointment, text=SECRET)
    assert Appointment.objects.get(pk=appointment.pk).note_token == ""


def test_key_from_the_environment(care, monkeypatch):
    w = care
    monkeypatch.setenv("CARE_NOTES_KEY", "one-key")
    appointment = services.book_slot(actor=w.clerk_a1, slot=w.slots[0])
    services.write_note(actor=w.counselor, appointment=appointment, text=SECRET)
    monkeypatch.setenv("CARE_NOTES_KEY", "another-key")
    with pytest.raises(DomainError, match="无法解密"):
        services.read_note(actor=w.counselor, appointment=appointment)


def test_backup_manifest_records_the_notes_key_fingerprint(care, tmp_path):
    from chuangkou.care.notes import notes_key
    from chuangkou.core import backup, keys

    appointment = services.book_slot(actor=care.clerk_a1, slot=care.slots[0])
    services.write_note(actor=care.counselor, appointment=appointment, text=SECRET)
    folder = backup.create_backup(output_dir=tmp_path / "backups")
    manifest = backup.read_manifest(folder)
    assert manifest["keys"]["care_notes_key"] == keys.fingerprint(notes_key())
    assert SECRET not in (folder / "manifest.json").read_text()


def test_slot_too_far_ahead_or_naive_time(care):
    import datetime as dt

    from django.utils import timezone

    with pytest.raises(DomainError, match="最多提前"):
        services.publish_slot(actor=care.counselor, starts_at=in_hours(24 * 400), mode="onsite")
    naive = timezone.localtime(in_hours(24 * 10)).replace(tzinfo=None)
    slot = services.publish_slot(actor=care.counselor, starts_at=naive, mode="phone")
    assert timezone.is_aware(slot.starts_at) and slot.starts_at.tzinfo is not None
    assert isinstance(slot.starts_at, dt.datetime)
