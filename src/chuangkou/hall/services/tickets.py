"""取号: issuing numbers (kiosk, lobby manager on someone's behalf, green channel) and cancelling.

Numbers restart every day per queue (A001, A002, …). The next number comes from the queue's
counter row of the day in one statement (`INSERT … ON CONFLICT DO UPDATE … RETURNING`): on
PostgreSQL it takes the row lock and holds it to the end of the transaction, so two issuers never
get the same number; on SQLite the IMMEDIATE transaction serialises writers. The counter never
falls behind the tickets of its day: a new or lagging row starts past their highest number. The
unique constraint (queue, service_date, seq) stays the safety net: a number taken anyway fails
the issue with a clear message and nothing is written.
"""

from django.db import IntegrityError, connection, transaction
from django.utils import timezone

from chuangkou.catalog.models import Matter
from chuangkou.core import audit, ratelimit
from chuangkou.core.connections import prepared_cursor
from chuangkou.core.errors import DomainError, PermissionDeniedError
from chuangkou.core.middleware import current_ip
from chuangkou.core.permissions import require_role
from chuangkou.core.transactions import atomic_unless_one_statement
from chuangkou.core.validators import validate_mobile

from .. import permissions, selectors
from ..models import QueueCounter, ServiceQueue, Ticket, TicketEvent
from ._common import (
    check_status,
    check_today,
    event_cte,
    event_params,
    insert_event,
    lock_ticket,
    new_event,
    record_event,
)

PUBLIC_CHANNELS = (Ticket.Channel.KIOSK, Ticket.Channel.LOBBY)
GREEN_CHANNEL_REASONS = (
    Ticket.PriorityReason.ELDERLY,
    Ticket.PriorityReason.DISABLED,
    Ticket.PriorityReason.PREGNANT,
    Ticket.PriorityReason.OTHER,
)


def format_number(prefix: str, seq: int) -> str:
    return f"{prefix}{seq:03d}"


NEXT_SEQ_SQL = """
INSERT INTO {counter} (queue_id, service_date, last_seq)
VALUES (%s, %s, (SELECT COALESCE(MAX(seq), 0) + 1 FROM {ticket} WHERE queue_id = %s
                 AND service_date = %s))
ON CONFLICT (queue_id, service_date)
DO UPDATE SET last_seq = {greatest}({counter}.last_seq, excluded.last_seq - 1) + 1
RETURNING last_seq
"""


def _next_seq(queue: ServiceQueue, day) -> int:
    """The day's next number of the queue, counter row created or bumped in one statement."""
    greatest = "GREATEST" if connection.vendor == "postgresql" else "MAX"
    sql = NEXT_SEQ_SQL.format(
        counter=QueueCounter._meta.db_table, ticket=Ticket._meta.db_table, greatest=greatest
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, [queue.pk, day, queue.pk, day])
        return cursor.fetchone()[0]


ISSUE_SQL_PG = """
WITH counter AS ({next_seq}),
ticket AS (
  INSERT INTO {ticket} ({columns}, seq, number)
  SELECT {values}, c.last_seq,
         %s || LPAD(c.last_seq::text, GREATEST(3, LENGTH(c.last_seq::text)), '0')
  FROM counter c
  RETURNING id, seq, number),
{event}
SELECT id, seq, number, {progress} FROM ticket
"""


TICKET_INSERT_SQLITE = "INSERT INTO {ticket} ({columns}, seq, number) VALUES ({values}, %s, %s)"


def _insert_issued(ticket: Ticket, event: TicketEvent) -> None:
    """Number, insert and log the new ticket. PostgreSQL: one statement (the counter UPSERT, the
    ticket INSERT and its 取号 event chained in a CTE, one round trip), which also counts the
    people ahead and the serving windows for the answer (`counted_at_issue`, read by
    selectors.ticket_progress; the statement's snapshot holds the tickets issued before it);
    SQLite: the same three statements one after another (in-process, no round trips to save),
    fixed statements as on PostgreSQL rather than the ORM's saves."""
    day = ticket.service_date
    fields = [f for f in Ticket._meta.concrete_fields if f.attname not in ("id", "seq", "number")]
    columns = ", ".join(connection.ops.quote_name(f.column) for f in fields)
    values = [f.get_db_prep_save(getattr(ticket, f.attname), connection) for f in fields]
    placeholders = ", ".join(["%s"] * len(fields))
    if connection.vendor != "postgresql":
        ticket.seq = _next_seq(ticket.queue, day)
        ticket.number = format_number(ticket.queue.prefix, ticket.seq)
        sql = TICKET_INSERT_SQLITE.format(
            ticket=Ticket._meta.db_table, columns=columns, values=placeholders
        )
        with connection.cursor() as cursor:
            cursor.execute(sql, [*values, ticket.seq, ticket.number])
            ticket.pk = cursor.lastrowid
        insert_event(ticket, event)
    else:
        sql = ISSUE_SQL_PG.format(
            next_seq=NEXT_SEQ_SQL.format(
                counter=QueueCounter._meta.db_table,
                ticket=Ticket._meta.db_table,
                greatest="GREATEST",
            ),
            ticket=Ticket._meta.db_table,
            event=event_cte("ticket"),
            columns=columns,
            values=placeholders,
            progress=selectors.progress_counts_sql(own_id="ticket.id"),
        )
        params = [
            *(ticket.queue_id, day, ticket.queue_id, day),
            *values,
            ticket.queue.prefix,
            *event_params(event),
            *selectors.progress_counts_params(ticket, own_id=False),
        ]
        with prepared_cursor() as cursor:
            cursor.execute(sql, params)
            ticket.pk, ticket.seq, ticket.number, *counted = cursor.fetchone()
        ticket.counted_at_issue = tuple(counted)
    ticket._state.adding, ticket._state.db = False, connection.alias


def create_ticket(
    *,
    queue: ServiceQueue,
    channel: str,
    actor=None,
    matter: Matter | None = None,
    priority_reason: str = "",
    phone: str = "",
    issued_by=None,
    transferred_from: Ticket | None = None,
    note: str = "",
) -> Ticket:
    """Insert the next ticket of the queue with its 取号 event (callers check the rules)."""
    now = timezone.now()
    ticket = Ticket(
        queue=queue,
        service_date=timezone.localdate(now),
        matter=matter,
        channel=channel,
        priority=bool(priority_reason),
        priority_reason=priority_reason,
        issued_by=issued_by,
        phone=phone,
        issued_at=now,
        transferred_from=transferred_from,
    )
    event = new_event(TicketEvent.Kind.ISSUED, at=now, actor=actor, note=note)
    try:
        _insert_issued(ticket, event)
    except IntegrityError:  # the counter behind its tickets: refuse rather than reuse a number
        raise DomainError("取号繁忙，请稍后重试。") from None
    return ticket


def _check_queue(queue: ServiceQueue, matter: Matter | None) -> None:
    if not queue.is_active:
        raise DomainError(f"“{queue.name}”队列已暂停取号，请咨询大堂经理。", field="queue")
    if matter is not None:
        if not matter.is_active:
            raise DomainError(f"事项“{matter.name}”已停用。", field="matter")
        if not queue.matters.filter(pk=matter.pk).exists():
            raise DomainError(f"“{queue.name}”队列不办理“{matter.name}”。", field="matter")


KIOSK_PER_MINUTE = 60  # tickets per minute from one address at one center


def _limit_kiosk(channel: str, queue: ServiceQueue) -> None:
    """自助取号 is public: one address (a kiosk, a script) takes at most KIOSK_PER_MINUTE
    numbers a minute at a center. Calls without a request (imports, the demo) are not limited."""
    address = current_ip()
    if channel == Ticket.Channel.KIOSK and address:
        ratelimit.check_rate(
            "kiosk",
            f"{queue.center_id}:{address}",
            limit=KIOSK_PER_MINUTE,
            seconds=60,
            message="取号过于频繁，请稍后再试或咨询大堂经理。",
        )


def issue_ticket(
    *,
    actor,
    queue: ServiceQueue,
    channel: str = Ticket.Channel.KIOSK,
    matter: Matter | None = None,
    priority_reason: str = "",
    phone: str = "",
) -> Ticket:
    """取号. At the kiosk anyone may take a number; the lobby manager issues on someone's behalf
    (一手帮办, recorded as the issuer) and alone may grant the green channel (绿色通道)."""
    if channel not in PUBLIC_CHANNELS:
        raise DomainError("取号方式只能是自助取号机或大堂经理帮办。", field="channel")
    lobby = channel == Ticket.Channel.LOBBY
    if lobby and not permissions.can_issue_at_center(actor, queue.center_id):
        raise PermissionDeniedError("只有本中心的大堂经理或中心管理员可以帮办取号。")
    priority_reason = priority_reason or ""
    if priority_reason:
        if priority_reason not in GREEN_CHANNEL_REASONS:
            raise DomainError(
                "绿色通道原因只能是老年人、残疾人、孕妇或其他。", field="priority_reason"
            )
        if not lobby:
            raise PermissionDeniedError("绿色通道须由大堂经理核实后帮办取号。")
    _check_queue(queue, matter)
    phone = validate_mobile(phone)
    _limit_kiosk(channel, queue)
    # the checks above only read (the kiosk's rate count stands alone); the writes: the ticket
    # (one statement on PostgreSQL) and, for the green channel, its audit entry
    with atomic_unless_one_statement(2 if priority_reason else 1):
        ticket = create_ticket(
            queue=queue,
            channel=channel,
            actor=actor,
            matter=matter,
            priority_reason=priority_reason,
            phone=phone,
            issued_by=actor if lobby else None,
            note=Ticket.Channel(channel).label,
        )
        if ticket.priority:
            audit.record(
                actor=actor,
                action="hall.ticket_priority",
                obj=ticket,
                after={"number": ticket.number, "reason": priority_reason, "queue": queue.name},
            )
    return ticket


@transaction.atomic
def cancel_ticket(*, actor, ticket: Ticket, reason: str = "") -> Ticket:
    """取消: the lobby manager takes a waiting or parked number out of the queue."""
    require_role(actor, *permissions.ISSUERS)
    ticket = lock_ticket(ticket)
    if not permissions.can_issue_at(actor, ticket.queue.center):
        raise PermissionDeniedError("只能取消本中心的号。")
    check_today(ticket)
    check_status(ticket, (Ticket.Status.WAITING, Ticket.Status.PARKED), "取消")
    now = timezone.now()
    before = ticket.status
    Ticket.objects.filter(pk=ticket.pk).update(status=Ticket.Status.CANCELLED, finished_at=now)
    record_event(ticket, TicketEvent.Kind.CANCELLED, at=now, actor=actor, note=reason)
    audit.record(
        actor=actor,
        action="hall.ticket_cancel",
        obj=ticket,
        before={"status": before},
        after={"status": Ticket.Status.CANCELLED, "reason": reason},
    )
    ticket.refresh_from_db()
    return ticket
