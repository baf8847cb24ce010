"""PostgreSQL: ticket events become a table partitioned by month of `at` (core.partitions);
nothing else changes, and SQLite keeps the plain table."""

from django.db import migrations


def partition(apps, schema_editor):
    from chuangkou.core.partitions import partition_by_month

    partition_by_month(schema_editor, table="hall_ticketevent", column="at")


class Migration(migrations.Migration):
    dependencies = [
        ("hall", "0004_ticket_next_index"),
    ]

    operations = [
        migrations.RunPython(partition, migrations.RunPython.noop, elidable=False),
    ]
