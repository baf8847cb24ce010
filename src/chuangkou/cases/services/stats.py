"""办件日汇总 (DailyCaseStats): kept by the case services, rebuilt after imports.

Counting rules (the figures rely on them):
- `accepted` +1 on the case's accepted date when it is created;
- 不予受理 is not 受理 (行政许可法 art. 32): when a case is refused, `accepted` −1 and
  `rejected` +1 on its accepted date;
- `completed` +1, `one_trip` +1 (跑动次数 ≤ 1) and `overdue` +1 (办结日期晚于承诺办结日期) on the
  completion date when it is 办结. 退件 counts as accepted only.
"""

import datetime as dt

from django.db import IntegrityError, connection, transaction
from django.db.models import F, Sum

from chuangkou.core import audit
from chuangkou.core.permissions import require_role
from chuangkou.core.roles import Role

from ..models import Case, DailyCaseStats

KEY = ("department_id", "center_id", "window_id", "matter_id")
COUNTS = ("accepted", "rejected", "completed", "one_trip", "overdue")


def bump_daily_stats(case: Case, *, day: dt.date, **deltas: int) -> None:
    """Add `deltas` (e.g. accepted=1) to the summary row of `case` on `day`."""
    updates = {name: F(name) + n for name, n in deltas.items() if n}
    if not updates:
        return
    key = {"date": day, **{name: getattr(case, name) for name in KEY}}
    if DailyCaseStats.objects.filter(**key).update(**updates):
        return
    try:
        with transaction.atomic():
            DailyCaseStats.objects.create(**key, **deltas)
    except IntegrityError:  # another transaction created the row first
        DailyCaseStats.objects.filter(**key).update(**updates)


def _lock_summary() -> None:
    """Make live services wait while the summary is rebuilt (SQLite serialises writers)."""
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute(f"LOCK TABLE {DailyCaseStats._meta.db_table} IN EXCLUSIVE MODE")


def _rebuild_sql() -> str:
    """INSERT … SELECT of the summary rows of a date range from the cases, in one statement
    (SQLite and PostgreSQL alike), so a rebuild never brings the cases into Python."""
    q = connection.ops.quote_name
    case, stats = Case._meta, DailyCaseStats._meta
    key = ", ".join(q(case.get_field(k).column) for k in KEY)
    key_out = ", ".join(q(stats.get_field(k).column) for k in KEY)
    counts = ", ".join(q(c) for c in COUNTS)
    completed = Case.Status.COMPLETED.value
    rejected = Case.Status.REJECTED.value
    return f"""
        INSERT INTO {q(stats.db_table)} ({q("date")}, {key_out}, {counts})
        SELECT day, {key}, SUM(a), SUM(r), SUM(c), SUM(o), SUM(v) FROM (
            SELECT accepted_date AS day, {key},
                SUM(CASE WHEN status = '{rejected}' THEN 0 ELSE 1 END) AS a,
                SUM(CASE WHEN status = '{rejected}' THEN 1 ELSE 0 END) AS r,
                0 AS c, 0 AS o, 0 AS v
            FROM {q(case.db_table)} WHERE accepted_date BETWEEN %s AND %s
            GROUP BY accepted_date, {key}
            UNION ALL
            SELECT completed_date AS day, {key}, 0, 0, COUNT(*),
                SUM(CASE WHEN is_one_trip THEN 1 ELSE 0 END),
                SUM(CASE WHEN is_overdue THEN 1 ELSE 0 END)
            FROM {q(case.db_table)}
            WHERE status = '{completed}' AND completed_date BETWEEN %s AND %s
            GROUP BY completed_date, {key}
        ) AS events
        GROUP BY day, {key}
    """  # noqa: S608 (table and column names come from the models)


@transaction.atomic
def rebuild_daily_stats(*, actor=None, start: dt.date, end: dt.date) -> int:
    """重建办件日汇总 for [start, end] from the cases; returns the number of summary rows.

    `actor=None` is the system (imports, the command line); a person must be a center admin.
    """
    if actor is not None:
        require_role(actor, Role.CENTER_ADMIN)
    if end < start:
        raise ValueError("end before start")
    _lock_summary()
    DailyCaseStats.objects.filter(date__range=(start, end)).delete()
    bounds = [connection.ops.adapt_datefield_value(d) for d in (start, end)]
    with connection.cursor() as cursor:
        cursor.execute(_rebuild_sql(), bounds + bounds)
        rows = cursor.rowcount
    totals = DailyCaseStats.objects.filter(date__range=(start, end)).aggregate(
        **{name: Sum(name) for name in COUNTS}
    )
    audit.record(
        actor=actor,
        action="cases.rebuild_daily_stats",
        object_type="cases.dailycasestats",
        after={"start": start, "end": end, "rows": rows, **totals},
    )
    return rows
