"""PostgreSQL: case events become a table partitioned by month of `at` (core.partitions);
nothing else changes, and SQLite keeps the plain table."""

from django.db import migrations


def partition(apps, schema_editor):
    from chuangkou.core.partitions import partition_by_month

    partition_by_month(schema_editor, table="cases_caseevent", column="at")


class Migration(migrations.Migration):
    dependencies = [
        ("cases", "0005_case_paused_days_stats_rejected"),
    ]

    operations = [
        migrations.RunPython(partition, migrations.RunPython.noop, elidable=False),
    ]
