"""受理编号: `<region code>-<YYYYMMDD>-<6-digit sequence>`, e.g. 330103-20180305-000123.

The sequence restarts every day per region. It comes from a counter row read with
`SELECT … FOR UPDATE` in the accepting transaction, so two clerks accepting at the same
instant queue on that row (PostgreSQL) or on the database's write lock (SQLite, IMMEDIATE
transactions) and never get the same number. A number already taken (e.g. by an imported
historical case of that day) is skipped.
"""

import datetime as dt

from django.db import transaction

from chuangkou.org.models import Center

from ..models import Case, CaseNumberCounter


def format_case_number(scope: str, day: dt.date, seq: int) -> str:
    return f"{scope}-{day:%Y%m%d}-{seq:06d}"


def next_case_number(*, center: Center, day: dt.date) -> str:
    """The next free number of the center's region on `day` (call inside a transaction)."""
    if not transaction.get_connection().in_atomic_block:
        raise RuntimeError("next_case_number must run inside the accepting transaction")
    scope = center.region.code
    counter, _ = CaseNumberCounter.objects.select_for_update().get_or_create(scope=scope, date=day)
    while True:
        counter.last += 1
        number = format_case_number(scope, day, counter.last)
        if not Case.objects.filter(number=number).exists():
            break
    counter.save(update_fields=["last"])
    return number
