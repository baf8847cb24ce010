"""Existing entries move to chain 0 (seq = their order) and are re-signed with the keyed HMAC
(they were chained with a plain SHA-256 before)."""

from django.db import migrations


def resign_existing_entries(apps, schema_editor):
    from chuangkou.core import audit

    AuditEntry = apps.get_model("core", "AuditEntry")
    prev_hash = audit.GENESIS_HASH
    for seq, entry in enumerate(AuditEntry.objects.order_by("id").iterator(), start=1):
        entry.chain, entry.seq, entry.prev_hash = 0, seq, prev_hash
        entry.entry_hash = audit._digest(prev_hash, audit._hashed_fields(entry))
        AuditEntry.objects.filter(pk=entry.pk).update(
            chain=0, seq=seq, prev_hash=prev_hash, entry_hash=entry.entry_hash
        )
        prev_hash = entry.entry_hash


class Migration(migrations.Migration):
    dependencies = [
        ("core", "0004_auditentry_chain_seq"),
    ]

    operations = [
        migrations.RunPython(resign_existing_entries, migrations.RunPython.noop),
    ]
