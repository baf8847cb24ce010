"""One result per checklist item per window *and* in the lobby, on both databases.

The old constraint relied on nulls_distinct=False, which SQLite does not support (W047):
Django then creates no constraint at all there, so SQLite let in several rows of the same
visit and item, in the lobby (window NULL) and at a window alike. Those are removed first,
keeping the latest answer (the highest id), then two partial constraints replace the old
one: one for the windows, one for the lobby. On PostgreSQL there is nothing to remove.
"""

from django.db import migrations, models
from django.db.models import Count, Max


def remove_duplicates(apps, schema_editor):
    """Keep, for each (visit, window or lobby, item), only the row with the highest id. A
    finding of a removed row moves to the kept row when that has none; otherwise it goes too
    (Finding.observation is PROTECT, and an observation has at most one finding)."""
    Observation = apps.get_model("supervision", "Observation")
    Finding = apps.get_model("supervision", "Finding")
    db = schema_editor.connection.alias
    observations = Observation.objects.using(db)
    groups = (
        observations.values("visit_id", "window_id", "item")  # GROUP BY: NULLs form one group
        .annotate(n=Count("id"), keep=Max("id"))
        .filter(n__gt=1)
        .order_by()
    )
    for group in list(groups):
        keep = group["keep"]
        extra = list(
            observations.filter(
                visit_id=group["visit_id"], window_id=group["window_id"], item=group["item"]
            )
            .exclude(pk=keep)
            .values_list("pk", flat=True)
        )
        findings = Finding.objects.using(db).filter(observation_id__in=extra)
        if not Finding.objects.using(db).filter(observation_id=keep).exists():
            moved = findings.order_by("-id").first()
            if moved is not None:
                moved.observation_id = keep
                moved.save(update_fields=["observation"])
        findings.delete()
        observations.filter(pk__in=extra).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("org", "0003_staff_no_numeric_order_derived_exchange"),
        ("supervision", "0001_secret_visits_sittings_problems"),
    ]

    operations = [
        migrations.RemoveConstraint(
            model_name="observation",
            name="supervision_observation_once",
        ),
        migrations.RunPython(remove_duplicates, migrations.RunPython.noop),
        migrations.AddConstraint(
            model_name="observation",
            constraint=models.UniqueConstraint(
                condition=models.Q(("window__isnull", False)),
                fields=("visit", "window", "item"),
                name="supervision_observation_once",
            ),
        ),
        migrations.AddConstraint(
            model_name="observation",
            constraint=models.UniqueConstraint(
                condition=models.Q(("window__isnull", True)),
                fields=("visit", "item"),
                name="supervision_observation_once_lobby",
            ),
        ),
    ]
