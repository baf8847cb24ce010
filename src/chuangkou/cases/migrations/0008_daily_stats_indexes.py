"""The daily summary's index audit: an import inserts about one summary row per case (day ×
department × center × window × matter), and every row paid for seven indexes; now three.

- The two partial unique keys (with a window; without one) and (date, department) become one
  unique key over (date, department, center, COALESCE(window, 0), matter): the same rule (window
  ids start at 1), and its leading columns serve the figures' date ranges as
  cases_daily_date_dept did.
- The single-column indexes of department, center and window go: no query reads the summary by
  them (the figures select a date range, then filter; the services and the import find a row by
  its key; the rebuild deletes a date range). Deleting a department, center or window (an admin
  action; they are PROTECTed) may scan the summary instead. The matter's index stays (one
  matter's figures over a long period). They are dropped by name (core.migration_indexes) instead of
  by AlterField, which on SQLite would copy the table."""

import django.db.models.deletion
from django.db import migrations, models
from django.db.models.functions import Coalesce

from chuangkou.core.migration_indexes import dropped_field_indexes

DROPPED = ("department", "center", "window")


class Migration(migrations.Migration):
    dependencies = [
        ("cases", "0007_case_index_audit"),
        ("catalog", "0003_matter_produces"),
        ("org", "0003_staff_no_numeric_order_derived_exchange"),
    ]

    operations = [
        migrations.AddConstraint(
            model_name="dailycasestats",
            constraint=models.UniqueConstraint(
                models.F("date"),
                models.F("department"),
                models.F("center"),
                Coalesce("window", 0, output_field=models.IntegerField()),
                models.F("matter"),
                name="cases_daily_key",
            ),
        ),
        migrations.RemoveConstraint(model_name="dailycasestats", name="cases_dailycasestats_key"),
        migrations.RemoveConstraint(
            model_name="dailycasestats", name="cases_dailycasestats_key_online"
        ),
        migrations.RemoveIndex(model_name="dailycasestats", name="cases_daily_date_dept"),
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.AlterField(
                    model_name="dailycasestats",
                    name="department",
                    field=models.ForeignKey(
                        db_index=False,
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="+",
                        to="org.department",
                        verbose_name="部门",
                    ),
                ),
                migrations.AlterField(
                    model_name="dailycasestats",
                    name="center",
                    field=models.ForeignKey(
                        db_index=False,
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="+",
                        to="org.center",
                        verbose_name="中心",
                    ),
                ),
                migrations.AlterField(
                    model_name="dailycasestats",
                    name="window",
                    field=models.ForeignKey(
                        blank=True,
                        db_index=False,
                        null=True,
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="+",
                        to="org.window",
                        verbose_name="窗口",
                    ),
                ),
            ],
            database_operations=[
                dropped_field_indexes("cases", "DailyCaseStats", DROPPED),
            ],
        ),
    ]
