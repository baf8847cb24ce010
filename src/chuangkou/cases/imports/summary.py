"""The daily summary's share of one import, counted batch by batch while the rows are checked.

The counting rules are those of `services.stats` (accepted by accepted date without 不予受理,
rejected on the same date; completed, one-trip and overdue 办结 cases by completion date). The
import adds its counts to the summary rows in its write transaction (`apply`), as the case
services do one case at a time, instead of rebuilding the summary of its dates from the cases
table (a scan of every case of those dates, inside the step that holds the write lock on
SQLite). The nightly rebuild stays the safety net.
"""

from collections import Counter
from itertools import compress
from operator import itemgetter

from django.db import connection

from ..bulk import insert_rows
from ..models import Case, DailyCaseStats
from ..services.stats import COUNTS

# positions in a checked row (staging.COLUMNS: row number, then checking.SPOOL_FIELDS)
_STATUS, _ACCEPTED_DATE, _COMPLETED_DATE, _OVERDUE, _ONE_TRIP = 12, 14, 17, 19, 20
# (day, department, center, window, matter)
_BY_ACCEPTED = itemgetter(_ACCEPTED_DATE, 3, 4, 5, 2)
_BY_COMPLETED = itemgetter(_COMPLETED_DATE, 3, 4, 5, 2)
_FIELDS = ["date", "department_id", "center_id", "window_id", "matter_id", *COUNTS]

_DAY = itemgetter(0)


class DailyCounts:
    """The summary counts of the rows checked so far, by (day, department, center, window,
    matter), with days as the database takes them."""

    def __init__(self) -> None:
        self.counts = {name: Counter() for name in COUNTS}
        self._rejected = Case.Status.REJECTED.value
        self._completed = Case.Status.COMPLETED.value

    def add(self, rows: list[tuple]) -> None:
        """One batch of checked rows (counted in C where it can be)."""
        c = self.counts
        status = [r[_STATUS] for r in rows]
        rejected = [s == self._rejected for s in status]
        completed = [s == self._completed for s in status]
        c["accepted"].update(map(_BY_ACCEPTED, compress(rows, [not r for r in rejected])))
        if any(rejected):
            c["rejected"].update(map(_BY_ACCEPTED, compress(rows, rejected)))
        done = list(compress(rows, completed))
        c["completed"].update(map(_BY_COMPLETED, done))
        c["one_trip"].update(map(_BY_COMPLETED, (r for r in done if r[_ONE_TRIP])))
        c["overdue"].update(map(_BY_COMPLETED, (r for r in done if r[_OVERDUE])))

    def rows(self) -> dict[tuple, list[int]]:
        """The counts by key, day after day: inserted in that order, the pages of the
        summary's indexes that begin with the day fill one after the other instead of at
        random (SQLite, 78,800 rows: 0.76 -> 0.45 s CPU; a full sort of the keys gained no
        more and cost 0.16 s of its own)."""
        counts = [self.counts[name] for name in COUNTS]
        keys = sorted(set().union(*counts), key=_DAY)
        return {k: [c.get(k, 0) for c in counts] for k in keys}

    def apply(self) -> int:
        """Add the counts to the summary (inside the caller's transaction); returns the number
        of summary rows touched."""
        delta = self.rows()
        if not delta:
            return 0
        if connection.vendor == "postgresql":  # live services wait (as for a rebuild)
            with connection.cursor() as cursor:
                table = connection.ops.quote_name(DailyCaseStats._meta.db_table)
                cursor.execute(f"LOCK TABLE {table} IN EXCLUSIVE MODE")
        adapt = connection.ops.adapt_datefield_value
        days = sorted({k[0] for k in delta})
        existing = DailyCaseStats.objects.filter(date__range=(days[0], days[-1])).values_list(
            "pk", "date", "department_id", "center_id", "window_id", "matter_id", *COUNTS
        )
        updated = []
        for pk, day, *key_and_counts in existing.iterator(chunk_size=5000):
            key = (adapt(day), *key_and_counts[:4])
            add = delta.pop(key, None)
            if add is not None:
                values = [a + b for a, b in zip(key_and_counts[4:], add, strict=True)]
                updated.append(DailyCaseStats(pk=pk, **dict(zip(COUNTS, values, strict=True))))
        if updated:
            DailyCaseStats.objects.bulk_update(updated, list(COUNTS), batch_size=2000)
        insert_rows(DailyCaseStats, _FIELDS, ((*k, *v) for k, v in delta.items()))
        return len(updated) + len(delta)
