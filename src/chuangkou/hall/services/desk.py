"""叫号工作台: call next, recall, start, finish, park and resume, transfer, no-show.

Call next (叫号) picks the oldest waiting ticket of today among the window's queues, green
channel first (priority, then issued_at, then id), and claims it in one statement:
`UPDATE … WHERE id = (SELECT … LIMIT 1 FOR UPDATE SKIP LOCKED) AND status = 'waiting'
RETURNING …`. Two clerks pressing at the same instant never get the same ticket: on PostgreSQL
a concurrent caller passes over the row the other holds and takes the next one; on SQLite the
IMMEDIATE transaction runs writers one at a time. The window row is locked for the whole
action (the same statement reads the queues it serves), and the claim itself requires that it
hold no called or serving ticket, so one window never holds two current tickets (the partial
unique constraint hall_ticket_one_current_per_window is the safety net). Call next runs two
statements of its own on PostgreSQL: the window lock with its queues and the clerk (record,
posting, sign-in), then the claim with its event (and whether anyone could be told); the other
window actions lock the window and the ticket in one statement with the clerk, then write the
change with its event (budget in tests/hall/test_statement_budget.py).
"""

import datetime as dt
from functools import lru_cache

from django.db import connection, transaction
from django.utils import timezone

from chuangkou.core.connections import prepared_cursor
from chuangkou.core.errors import DomainError
from chuangkou.core.rows import RowLoader, to_python
from chuangkou.org.models import Window

from .. import notices, selectors
from ..models import ServiceQueue, Ticket, TicketEvent
from ._common import (
    check_status,
    check_today,
    desk_clerk,
    event_params,
    insert_event,
    lock_desk,
    new_event,
    update_with_event,
    with_event_sql,
    with_queue,
)
from .tickets import create_ticket

CURRENT = (Ticket.Status.CALLED, Ticket.Status.SERVING)


def _current_at(window: Window, day: dt.date) -> Ticket | None:
    return Ticket.objects.filter(window=window, service_date=day, status__in=CURRENT).first()


CANDIDATE_SQL = """
SELECT c.id FROM {table} c
WHERE c.queue_id IN ({queues}) AND c.service_date = %s AND c.status = '{waiting}'
ORDER BY c.priority DESC, c.issued_at, c.id
LIMIT 1{lock}"""

CLAIM_SQL = """
UPDATE {table} SET status = %s, window_id = %s, clerk_id = %s, called_at = %s
WHERE id = ({candidate}) AND status = '{waiting}'
  AND NOT EXISTS (SELECT 1 FROM {table} o WHERE o.window_id = %s AND o.service_date = %s
                  AND o.status IN ('{called}', '{serving}'))
RETURNING {columns},
  (SELECT q.name FROM {queues} q WHERE q.id = {table}.queue_id) AS queue_name,
  (SELECT q.center_id FROM {queues} q WHERE q.id = {table}.queue_id) AS queue_center_id,
  {audience} AS anyone_to_tell
"""


@lru_cache(maxsize=32)
def _claim_sql(queue_count: int, skip_locked: bool, with_event: bool) -> str:
    """The claim statement for a window serving `queue_count` queues (built once per count).
    The candidate is today's first waiting ticket of those queues in calling order (green
    channel first, then issued_at, then id: the order of the partial index hall_ticket_next);
    the window must hold no called or serving ticket of the day."""
    table = Ticket._meta.db_table
    candidate = CANDIDATE_SQL.format(
        table=table,
        queues=", ".join(["%s"] * queue_count),
        lock=" FOR UPDATE SKIP LOCKED" if skip_locked else "",
        waiting=Ticket.Status.WAITING.value,
    )
    columns = ", ".join(connection.ops.quote_name(f.column) for f in Ticket._meta.concrete_fields)
    claim = CLAIM_SQL.format(
        table=table,
        queues=ServiceQueue._meta.db_table,
        candidate=candidate,
        columns=columns,
        audience=notices.call_audience_sql(table),
        waiting=Ticket.Status.WAITING.value,
        called=Ticket.Status.CALLED.value,
        serving=Ticket.Status.SERVING.value,
    )
    return with_event_sql(claim) if with_event else claim


@lru_cache(maxsize=1)
def _ticket_rows() -> RowLoader:
    """Tickets from the claim's RETURNING columns (every field, in the model's order)."""
    return RowLoader(Ticket)


def _claim_next(
    window: Window, queue_ids: list[int], clerk, day: dt.date, event: TicketEvent
) -> Ticket | None:
    """Claim the first waiting candidate in one statement: `UPDATE … WHERE id = (SELECT … LIMIT 1
    FOR UPDATE SKIP LOCKED) AND <the window holds no current ticket> RETURNING …` (PostgreSQL
    passes over rows another caller holds; SQLite runs it inside its IMMEDIATE transaction,
    writers one at a time), with its 叫号 `event` (on PostgreSQL in the same statement). Paused
    queues are included: those already waiting are served."""
    if not queue_ids:  # the window serves no queue: there is nobody to call
        return None
    pg = connection.vendor == "postgresql"
    sql = _claim_sql(len(queue_ids), connection.features.has_select_for_update_skip_locked, pg)
    ops = connection.ops
    day_value = ops.adapt_datefield_value(day)
    params = [
        Ticket.Status.CALLED, window.pk, clerk.pk, ops.adapt_datetimefield_value(event.at),
        *queue_ids, day_value,
        window.pk, day_value,
    ]  # fmt: skip
    if pg:
        params += event_params(event)
    with prepared_cursor() as cursor:
        cursor.execute(sql, params)
        row = cursor.fetchone()
    if row is None:
        return None
    ticket = _ticket_rows().load(row[:-3])
    ticket.queue_name, ticket.queue_center_id, ticket.anyone_to_tell = row[-3:]
    if not pg:
        insert_event(ticket, event)
    ticket.window = window
    return with_queue(ticket)  # the queue's name and center come back with the claim


@transaction.atomic
def call_next_ticket(*, actor, window: Window) -> Ticket | None:
    """叫号: the next ticket for this window, or None when nobody is waiting. `window` may be a
    bare reference by id: it is read under its row lock here."""
    desk = lock_desk(actor, window, with_queues=True)  # the window's actions run one at a time
    window, queue_ids, clerk = desk.window, desk.queue_ids, desk_clerk(actor, desk)
    now = timezone.now()
    day = timezone.localdate(now)
    event = new_event(TicketEvent.Kind.CALLED, at=now, actor=actor, window=window)
    ticket = _claim_next(window, queue_ids, clerk, day, event)
    if ticket is None:  # nobody waiting, or the window still holds its current ticket
        current = _current_at(window, day)
        if current is not None:
            raise DomainError(
                f"请先处理当前的 {current.number} 号（{current.get_status_display()}）。",
                field="window",
            )
    else:
        # one queued job (the called notice and N-ahead ones), if anyone could be told
        notices.ticket_called(ticket, anyone_to_tell=bool(ticket.anyone_to_tell))
    return ticket


def _desk_action(actor, ticket: Ticket, window: Window, allowed: tuple, action: str):
    """Common checks of the window actions: the window and the ticket read under their row locks
    (the caller's objects may be bare references by id), the clerk signed in there. Returns the
    locked ticket, the locked window and the clerk."""
    desk = lock_desk(actor, window, ticket=ticket)
    window, clerk, ticket = desk.window, desk_clerk(actor, desk), desk.ticket
    check_today(ticket)
    if ticket.window_id != window.pk:
        raise DomainError(f"{ticket.number} 不在 {window.number} 号窗口办理，不能{action}。")
    check_status(ticket, allowed, action)
    return ticket, window, clerk


SERVING_SINCE_SQL = """
SELECT at FROM {events} WHERE ticket_id = %s AND kind IN (%s, %s) AND at >= %s AND at <= %s
ORDER BY at DESC, id DESC LIMIT 1
"""


def _served_seconds(ticket: Ticket, until: dt.datetime) -> int:
    """Seconds of the serving stretch that ends now (since 开始办理 or the last 恢复办理). The
    events are searched from the day before the ticket's (to be generous) up to now, so only
    its month is read, not the months created ahead; a plain statement (a hot path: 办结)."""
    day_before = dt.datetime.combine(ticket.service_date - dt.timedelta(days=1), dt.time.min)
    adapt = connection.ops.adapt_datetimefield_value
    params = [
        ticket.pk, TicketEvent.Kind.STARTED, TicketEvent.Kind.RESUMED,
        adapt(timezone.make_aware(day_before)), adapt(until),
    ]  # fmt: skip
    with prepared_cursor() as cursor:
        cursor.execute(SERVING_SINCE_SQL.format(events=TicketEvent._meta.db_table), params)
        row = cursor.fetchone()
    if row is None:
        return 0
    since = to_python(TicketEvent._meta.get_field("at"), row[0])
    return max(0, int((until - since).total_seconds()))


def _apply(ticket: Ticket, kind: str, *, now, actor, window, note: str = "", **changes) -> Ticket:
    event = new_event(kind, at=now, actor=actor, window=window, note=note)
    update_with_event(ticket, event, changes)
    for name, value in changes.items():  # what was written, without reading it back
        setattr(ticket, name, value)
    if ticket.window_id == window.pk:
        ticket.window = window
    return ticket


@transaction.atomic
def recall_ticket(*, actor, ticket: Ticket, window: Window) -> Ticket:
    """重呼: announce the called number again."""
    ticket, window, _ = _desk_action(actor, ticket, window, (Ticket.Status.CALLED,), "重呼")
    notices.ticket_recalled(ticket)  # the last call, once the recalls allow 过号
    return _apply(
        ticket,
        TicketEvent.Kind.RECALLED,
        actor=actor,
        window=window,
        note=f"第 {ticket.recall_count + 1} 次重呼",
        now=timezone.now(),
        recall_count=ticket.recall_count + 1,
    )


@transaction.atomic
def start_ticket(*, actor, ticket: Ticket, window: Window) -> Ticket:
    """开始办理: the person has come to the window."""
    ticket, window, clerk = _desk_action(actor, ticket, window, (Ticket.Status.CALLED,), "开始办理")
    now = timezone.now()
    return _apply(
        ticket,
        TicketEvent.Kind.STARTED,
        actor=actor,
        window=window,
        now=now,
        status=Ticket.Status.SERVING,
        started_at=now,
        clerk=clerk,
    )


@transaction.atomic
def finish_ticket(*, actor, ticket: Ticket, window: Window) -> Ticket:
    """办结."""
    ticket, window, _ = _desk_action(actor, ticket, window, (Ticket.Status.SERVING,), "办结")
    now = timezone.now()
    return _apply(
        ticket,
        TicketEvent.Kind.FINISHED,
        actor=actor,
        window=window,
        now=now,
        status=Ticket.Status.DONE,
        finished_at=now,
        service_seconds=ticket.service_seconds + _served_seconds(ticket, now),
    )


@transaction.atomic
def park_ticket(*, actor, ticket: Ticket, window: Window, note: str = "") -> Ticket:
    """暂挂: set the ticket aside (e.g. a material is missing) and free the window."""
    ticket, window, _ = _desk_action(actor, ticket, window, (Ticket.Status.SERVING,), "暂挂")
    now = timezone.now()
    return _apply(
        ticket,
        TicketEvent.Kind.PARKED,
        actor=actor,
        window=window,
        note=note,
        now=now,
        status=Ticket.Status.PARKED,
        service_seconds=ticket.service_seconds + _served_seconds(ticket, now),
    )


@transaction.atomic
def resume_ticket(*, actor, ticket: Ticket, window: Window) -> Ticket:
    """恢复办理 of a parked ticket at the window that parked it."""
    ticket, window, clerk = _desk_action(actor, ticket, window, (Ticket.Status.PARKED,), "恢复办理")
    current = _current_at(window, ticket.service_date)
    if current is not None:
        raise DomainError(f"请先处理当前的 {current.number} 号，再恢复暂挂的号。")
    return _apply(
        ticket,
        TicketEvent.Kind.RESUMED,
        actor=actor,
        window=window,
        now=timezone.now(),
        status=Ticket.Status.SERVING,
        clerk=clerk,
    )


@transaction.atomic
def mark_no_show(*, actor, ticket: Ticket, window: Window) -> Ticket:
    """过号: allowed once the number has been recalled the configured number of times."""
    ticket, window, _ = _desk_action(actor, ticket, window, (Ticket.Status.CALLED,), "标记过号")
    needed = selectors.settings_for(window.center).max_recalls
    if ticket.recall_count < needed:
        raise DomainError(
            f"重呼 {needed} 次后才能标记过号（已重呼 {ticket.recall_count} 次）。",
            field="recall_count",
        )
    now = timezone.now()
    return _apply(
        ticket,
        TicketEvent.Kind.NO_SHOW,
        actor=actor,
        window=window,
        now=now,
        status=Ticket.Status.NO_SHOW,
        finished_at=now,
    )


@transaction.atomic
def transfer_ticket(
    *, actor, ticket: Ticket, window: Window, target_queue: ServiceQueue, note: str = ""
) -> Ticket:
    """转移 to another queue of the center: the person gets a new number there, with priority
    (they have waited once already); the old number is closed as 已转移. Returns the new one."""
    ticket, window, _ = _desk_action(actor, ticket, window, CURRENT, "转移")
    if target_queue.center_id != ticket.queue.center_id:
        raise DomainError("只能转到本中心的队列。", field="target_queue")
    if target_queue.pk == ticket.queue_id:
        raise DomainError("请选择另一个队列。", field="target_queue")
    if not target_queue.is_active:
        raise DomainError(f"“{target_queue.name}”队列已暂停。", field="target_queue")
    now = timezone.now()
    served = _served_seconds(ticket, now) if ticket.status == Ticket.Status.SERVING else 0
    _apply(
        ticket,
        TicketEvent.Kind.TRANSFERRED,
        actor=actor,
        window=window,
        note=f"转至“{target_queue.name}”" + (f"：{note}" if note else ""),
        now=now,
        status=Ticket.Status.TRANSFERRED,
        finished_at=now,
        service_seconds=ticket.service_seconds + served,
    )
    keeps_matter = target_queue.matters.filter(pk=ticket.matter_id).exists()
    notices.ticket_transferred(ticket)  # the new number, once it exists
    return create_ticket(
        queue=target_queue,
        channel=ticket.channel,
        actor=actor,
        matter=ticket.matter if keeps_matter else None,
        priority_reason=ticket.priority_reason or Ticket.PriorityReason.TRANSFER,
        phone=ticket.phone,
        issued_by=actor,
        transferred_from=ticket,
        note=f"由 {ticket.number} 转入",
    )
