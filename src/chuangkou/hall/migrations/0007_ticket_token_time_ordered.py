"""A ticket's public token by a time-ordered UUID (core.ids.time_ordered_uuid) instead of a
random one. The default is Python's, not the database's: nothing changes in the tables, so the
change is made to the migration state only (SQLite would otherwise copy the whole ticket table
to alter the field)."""

from django.db import migrations, models

import chuangkou.core.ids


class Migration(migrations.Migration):
    dependencies = [
        ("hall", "0006_daily_summary"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.AlterField(
                    model_name="ticket",
                    name="public_token",
                    field=models.UUIDField(
                        default=chuangkou.core.ids.time_ordered_uuid, editable=False, unique=True
                    ),
                ),
            ],
        ),
    ]
