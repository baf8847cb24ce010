"""The cases part of the demo: 受理件 of the 下城区 center from 2017-01-01 up to today.

The half-year totals follow the briefing: 662,032 cases in the first half of 2018, 3.5 times
the 189,152 of the first half of 2017 (the hall grew in October 2017), then a plausible rate
(a dip in 2020, more and more online). `load(scale="small")` (the default) keeps 1/100 of
every total (6,620 and 1,892 for those half-years, ≈110,000 cases in all) so the demo loads in
seconds; `load(scale="full")` writes the real volume (≈11 million cases, for benchmarks on
PostgreSQL; it takes long).

Each working day gets its share of the half-year (Mondays and the end of the half busier);
each case goes to a window by the window's weight — the 交通违法处理 and 不动产登记 windows take
the most, as in the briefing's "不动产登记、交警违章处理等窗口日均业务受理量居前三" — or online,
with a matter of the window's department. Most cases take one trip (online ones none), some
two; most finish within the promised working days, a few late; recent ones are still open.

Cases before `LIVE_SINCE` stand for the history imported from the old system (an ImportJob,
trips as a count only); later ones carry their visit records and status history as the services
write them. Rows are bulk-inserted; the daily summary is rebuilt at the end; one audit entry
summarises the load. Every draw comes from `random.Random(SEED)`.
"""

import datetime as dt
import random

from django.utils import timezone

from chuangkou.core import audit

from ..bulk import insert_rows
from ..models import Case, CaseEvent, CaseNumberCounter, CaseVisit, ImportJob
from ..services.numbering import format_case_number
from ..services.stats import rebuild_daily_stats
from .draw import CASE_FIELDS, EVENT_FIELDS, VISIT_FIELDS, Drawn, draw_case
from .plan import BATCH, FIRST_DAY, SCALES, SEED, Context, build_context, daily_volumes


def _write(batch: list[Drawn]) -> None:
    insert_rows(Case, CASE_FIELDS, (d.row() for d in batch))
    live = [d for d in batch if d.events]
    if not live:
        return
    ids = dict(
        Case.objects.filter(number__in=[d.case["number"] for d in live]).values_list("number", "pk")
    )
    insert_rows(
        CaseVisit,
        VISIT_FIELDS,
        ((ids[d.case["number"]], at, note) for d in live for at, note in d.visits),
    )
    insert_rows(
        CaseEvent,
        EVENT_FIELDS,
        (
            (ids[d.case["number"]], action, from_status, to_status, d.clerk_name, at, note)
            for d in live
            for action, from_status, to_status, at, note in d.events
        ),
    )


def _draw_day(rng: random.Random, ctx: Context, day: dt.date, count: int) -> list[Drawn]:
    """The day's `count` accepted cases and the applications refused among them (不予受理 is
    not 受理, so the briefing's volume counts the others), numbered 000001… in order."""
    drawn: list[Drawn] = []
    accepted = 0
    while accepted < count:
        case = draw_case(rng, ctx, day)
        drawn.append(case)
        accepted += case.case["status"] != Case.Status.REJECTED
    drawn.sort(key=lambda d: d.case["accepted_at"])
    for seq, d in enumerate(drawn, start=1):
        d.case["number"] = format_case_number(ctx.scope, day, seq)
    ctx.counters[day] = len(drawn)
    return drawn


def load(scale: str = "small") -> None:
    """Write the demo cases: `scale` "small" (1/100 of the real volume, the default), "full"
    (the real volume) or "tiny" (1/1000, for tests)."""
    if scale not in SCALES:
        raise ValueError(f"scale must be one of {sorted(SCALES)}")
    if Case.objects.exists():
        return
    now = timezone.localtime()  # in Asia/Shanghai: compared with the drawn local times
    ctx = build_context(now)
    if ctx is None:  # no organisation or no catalog: nothing to accept
        return
    ctx.import_job = ImportJob.objects.create(
        filename="下城区历史办件（2017—2024）.xlsx",
        format=ImportJob.Format.XLSX,
        status=ImportJob.Status.DONE,
        finished_at=now,
    )
    rng = random.Random(SEED)  # noqa: S311 (demo data, not security)
    today = timezone.localdate(now)
    batch: list[Drawn] = []
    total = 0
    for day, count in daily_volumes(rng, SCALES[scale], today):
        batch.extend(_draw_day(rng, ctx, day, count))
        if len(batch) >= BATCH:
            _write(batch)
            total, batch = total + len(batch), []
    _write(batch)
    total += len(batch)
    CaseNumberCounter.objects.bulk_create(
        CaseNumberCounter(scope=ctx.scope, date=day, last=n) for day, n in ctx.counters.items()
    )
    imported = Case.objects.filter(import_job=ctx.import_job).count()
    ImportJob.objects.filter(pk=ctx.import_job.pk).update(
        created=imported,
        total_rows=imported,
        processed_rows=imported,
        message=f"已导入 {imported} 件：原审批系统导出的 2017—2024 年历史办件（演示数据）。",
    )
    rebuild_daily_stats(actor=None, start=FIRST_DAY, end=today)
    audit.record(
        actor=None,
        action="cases.demo",
        object_type="cases.case",
        after={"scale": scale, "cases": total, "imported_history": imported},
        actor_name="演示数据",
    )
