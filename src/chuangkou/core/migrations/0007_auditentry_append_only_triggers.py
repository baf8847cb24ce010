"""The database refuses UPDATE and DELETE (and TRUNCATE on PostgreSQL) on the audit table.

Last of the audit migrations on purpose: on SQLite a later table rebuild of core_auditentry
(AlterField, AddConstraint ...) drops these triggers; `chuangkou audit verify` reports them
missing, and such a migration must re-run `install_triggers`.
"""

from django.db import migrations


def install_triggers(apps, schema_editor):
    from chuangkou.core.audit_triggers import create_sql

    for sql in create_sql(schema_editor.connection.vendor):
        schema_editor.execute(sql, params=None)


def remove_triggers(apps, schema_editor):
    from chuangkou.core.audit_triggers import drop_sql

    for sql in drop_sql(schema_editor.connection.vendor):
        schema_editor.execute(sql, params=None)


class Migration(migrations.Migration):
    dependencies = [
        ("core", "0006_auditentry_unique_chain_seq"),
    ]

    operations = [
        migrations.RunPython(install_triggers, remove_triggers),
    ]
