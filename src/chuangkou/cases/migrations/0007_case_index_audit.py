"""The index audit of the cases table (an import writes every index of every row): the
single-column indexes of accepted_date (a prefix of cases_case_date_dept), clerk (a prefix of
cases_case_clerk_recent), center, import_job and window go; (accepted_date, window) becomes
(window, accepted_date), which serves the window filter alone or with dates; ticket's index
becomes partial (only cases accepted from a ticket have one).

The indexes are dropped by name (core.migration_indexes) instead of by AlterField, which on
SQLite would copy the whole table six times."""

import django.db.models.deletion
from django.db import migrations, models

from chuangkou.core.migration_indexes import dropped_field_indexes

DROPPED = ("accepted_date", "center", "clerk", "import_job", "ticket", "window")


class Migration(migrations.Migration):
    dependencies = [
        ("cases", "0006_partition_case_events"),
        ("catalog", "0003_matter_produces"),
        ("hall", "0005_partition_ticket_events"),
        ("org", "0003_staff_no_numeric_order_derived_exchange"),
    ]

    operations = [
        migrations.RemoveIndex(
            model_name="case",
            name="cases_case_date_window",
        ),
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.AlterField(
                    model_name="case",
                    name="accepted_date",
                    field=models.DateField(verbose_name="受理日期"),
                ),
                migrations.AlterField(
                    model_name="case",
                    name="center",
                    field=models.ForeignKey(
                        db_index=False,
                        on_delete=django.db.models.deletion.PROTECT,
                        to="org.center",
                        verbose_name="中心",
                    ),
                ),
                migrations.AlterField(
                    model_name="case",
                    name="clerk",
                    field=models.ForeignKey(
                        blank=True,
                        db_index=False,
                        null=True,
                        on_delete=django.db.models.deletion.SET_NULL,
                        to="org.staff",
                        verbose_name="受理人",
                    ),
                ),
                migrations.AlterField(
                    model_name="case",
                    name="import_job",
                    field=models.ForeignKey(
                        blank=True,
                        db_index=False,
                        null=True,
                        on_delete=django.db.models.deletion.SET_NULL,
                        related_name="cases",
                        to="cases.importjob",
                        verbose_name="导入批次",
                    ),
                ),
                migrations.AlterField(
                    model_name="case",
                    name="ticket",
                    field=models.ForeignKey(
                        blank=True,
                        db_index=False,
                        null=True,
                        on_delete=django.db.models.deletion.SET_NULL,
                        to="hall.ticket",
                        verbose_name="排队号",
                    ),
                ),
                migrations.AlterField(
                    model_name="case",
                    name="window",
                    field=models.ForeignKey(
                        blank=True,
                        db_index=False,
                        null=True,
                        on_delete=django.db.models.deletion.SET_NULL,
                        to="org.window",
                        verbose_name="窗口",
                    ),
                ),
            ],
            database_operations=[
                dropped_field_indexes("cases", "Case", DROPPED),
            ],
        ),
        migrations.AddIndex(
            model_name="case",
            index=models.Index(fields=["window", "accepted_date"], name="cases_case_window_date"),
        ),
        migrations.AddIndex(
            model_name="case",
            index=models.Index(
                condition=models.Q(("ticket__isnull", False)),
                fields=["ticket"],
                name="cases_case_ticket",
            ),
        ),
    ]
