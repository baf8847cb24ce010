"""The audit log (审计日志): written by services in their own transaction, verified by a keyed
hash chain and by signed checkpoints kept outside the database.

Chains. Entries are spread over `AUDIT_CHAINS` (16) chains, each with its own sequence number
(1, 2, 3 ... unique per chain) and its own HMAC-SHA256 links, so appends on different chains do
not wait for each other. On PostgreSQL a transaction appends all its entries to the one chain
picked from its transaction id and holds that chain's advisory lock until it commits: concurrent
transactions spread over the chains, and since each holds at most one chain lock they cannot
deadlock on them. SQLite runs one write transaction at a time anyway; there the chain is picked
from the object (type + id), so one object's history stays on one chain.

Keys. Each entry's hash is HMAC-SHA256 over the previous hash and its canonical content, keyed
with `keys.audit_key()` (environment or a 0600 file in the data folder, never the database):
someone who can write the table but cannot read the key cannot recompute the chain.
"""

import datetime as dt
import hashlib
import hmac
import json
from collections.abc import Iterator
from dataclasses import dataclass, field
from decimal import Decimal
from functools import lru_cache
from pathlib import Path
from typing import Any

from django.conf import settings
from django.db import connections, transaction
from django.db.models import OuterRef, Subquery
from django.utils import timezone

from . import audit_triggers, checkpoints
from .connections import prepared_cursor
from .keys import audit_key
from .middleware import current_ip
from .models import AuditEntry

GENESIS_HASH = "0" * 64
_CHAIN_LOCK_CLASS = 0x636B_6175  # "ckau": the advisory lock class; the chain is the object id


def chain_count() -> int:
    return int(getattr(settings, "AUDIT_CHAINS", 16))


def _jsonable(value: Any) -> Any:
    if isinstance(value, dict):
        return {str(k): _jsonable(v) for k, v in value.items()}
    if isinstance(value, list | tuple | set):
        return [_jsonable(v) for v in value]
    if isinstance(value, dt.datetime | dt.date):
        return value.isoformat()
    if isinstance(value, Decimal):
        return str(value)
    if value is None or isinstance(value, str | int | float | bool):
        return value
    return str(value)


def _digest(prev_hash: str, fields: dict, key: bytes | None = None) -> str:
    payload = json.dumps(fields, sort_keys=True, ensure_ascii=False, separators=(",", ":"))
    message = (prev_hash + payload).encode()
    return hmac.new(key or audit_key(), message, hashlib.sha256).hexdigest()


def _hashed_fields(entry: AuditEntry) -> dict:
    return {
        "chain": entry.chain,
        "seq": entry.seq,
        "created_at": entry.created_at.astimezone(dt.UTC).isoformat(),
        "actor_id": entry.actor_id,
        "actor_name": entry.actor_name,
        "action": entry.action,
        "object_type": entry.object_type,
        "object_id": entry.object_id,
        "object_repr": entry.object_repr,
        "before": entry.before,
        "after": entry.after,
        "ip_address": entry.ip_address,
    }


def _chain_of_object(object_type: str, object_id: str, actor_name: str) -> int:
    subject = f"{object_type}:{object_id}" if object_type else f"actor:{actor_name}"
    return int.from_bytes(hashlib.sha256(subject.encode()).digest()[:4], "big") % chain_count()


# PostgreSQL: pick this transaction's chain, hold it until the transaction ends (see the module
# docstring) and read its head, in one statement (the function of migration core 0010: the head
# is read after the lock is granted). A hot path may run it as the main query of its own last
# write statement (a WITH of its UPDATEs) and hand the row to record(head=…): one round trip
# less. Parameters: lock_head_params().
LOCK_HEAD = "SELECT head_chain, head_seq, head_hash FROM core_auditentry_lock_head(%s, %s)"


def lock_head_params() -> list[int]:
    return [_CHAIN_LOCK_CLASS, chain_count()]


def _lock_chain(using: str, head=None) -> tuple[int, tuple[int, str] | None] | None:
    """PostgreSQL: the chain's lock and its head (seq, hash; None when empty), by LOCK_HEAD, or
    from `head`, the row of LOCK_HEAD that the caller ran in this transaction; SQLite: None,
    the chain follows each entry's object."""
    connection = connections[using]
    if connection.vendor != "postgresql":
        return None
    if head is None:
        with prepared_cursor(using) as cursor:
            cursor.execute(LOCK_HEAD, lock_head_params())
            head = cursor.fetchone()
    chain, seq, hash_ = head
    return chain, ((seq, hash_) if seq else None)


def _new_entry(
    *,
    actor,
    action: str,
    obj: Any = None,
    object_type: str = "",
    object_id: str = "",
    before: dict | None = None,
    after: dict | None = None,
    actor_name: str = "",
) -> AuditEntry:
    """An entry's content, before it is placed on a chain."""
    if obj is not None:
        object_type = object_type or obj._meta.label_lower
        object_id = object_id or str(obj.pk)
    is_user = actor is not None and getattr(actor, "is_authenticated", False)
    return AuditEntry(
        actor=actor if is_user else None,
        actor_name=actor_name or (actor.get_username() if is_user else "系统"),
        action=action,
        object_type=object_type,
        object_id=object_id,
        object_repr=str(obj)[:200] if obj is not None else "",
        before=_jsonable(before) if before is not None else None,
        after=_jsonable(after) if after is not None else None,
        ip_address=current_ip(),
    )


def _heads(chains: set[int], using: str = "default") -> dict[int, tuple[int, str]]:
    """The last (seq, hash) of each chain, in one statement (one chain, the common case: a
    fixed statement on the (chain, seq) index, no ORM to build it)."""
    if len(chains) == 1:
        (chain,) = chains
        with prepared_cursor(using) as cursor:
            cursor.execute(_statements(connections[using].vendor)[0], [chain])
            row = cursor.fetchone()
        return {chain: (row[0], row[1])} if row is not None else {}
    last_seq = AuditEntry.objects.filter(chain=OuterRef("chain")).order_by("-seq").values("seq")
    rows = AuditEntry.objects.filter(chain__in=chains, seq=Subquery(last_seq[:1])).order_by()
    return {
        chain: (seq, hash_) for chain, seq, hash_ in rows.values_list("chain", "seq", "entry_hash")
    }


@lru_cache(maxsize=2)
def _statements(vendor: str) -> tuple[str, str, list]:
    """The fixed statements of an append (per database vendor): the head of one chain, the
    INSERT of one entry (every column but the id, RETURNING it) and the fields it writes."""
    quote = connections["default"].ops.quote_name
    table = quote(AuditEntry._meta.db_table)
    head = f"SELECT seq, entry_hash FROM {table} WHERE chain = %s ORDER BY seq DESC LIMIT 1"  # noqa: S608
    fields = [f for f in AuditEntry._meta.concrete_fields if not f.primary_key]
    insert = (
        f"INSERT INTO {table} ({', '.join(quote(f.column) for f in fields)}) "  # noqa: S608
        f"VALUES ({', '.join(['%s'] * len(fields))}) RETURNING id"
    )
    return head, insert, fields


def _insert(entries: list[AuditEntry], using: str = "default") -> None:
    """One entry: a fixed INSERT (bulk_create builds its statement anew each time, which costs
    more than the append itself); several: bulk_create (its batches suit each database)."""
    if len(entries) != 1:
        AuditEntry.objects.using(using).bulk_create(entries)
        return
    (entry,) = entries
    connection = connections[using]
    _, insert, fields = _statements(connection.vendor)
    params = [f.get_db_prep_save(getattr(entry, f.attname), connection) for f in fields]
    with prepared_cursor(using) as cursor:
        cursor.execute(insert, params)
        entry.pk = cursor.fetchone()[0]
    entry._state.adding, entry._state.db = False, using


def record(*, head: tuple | None = None, **entry: Any) -> AuditEntry:
    """Append one entry: who (`actor`), what (`action`), which object (`obj`, or `object_type`
    and `object_id`), `before` and `after`, optionally `actor_name`. (Atomic through
    record_many: a second savepoint here cost two statements on every audited write.)
    `head`: see record_many."""
    return record_many([entry], head=head)[0]


@transaction.atomic(savepoint=False)
def record_many(entries: list[dict], *, head: tuple | None = None) -> list[AuditEntry]:
    """Append several entries (each as `record`'s arguments) in one go, in two statements: the
    chain's lock with its head (PostgreSQL) or the heads of the entries' chains (SQLite), then
    one INSERT (a batch job's hundreds of entries cost no more).

    Atomic without a savepoint of its own inside the caller's transaction (two statements less
    on every audited write): an append that fails fails the caller's whole transaction, which
    cannot commit without its audit entries anyway.

    `head` (PostgreSQL): the row of LOCK_HEAD that the caller ran in this transaction (its
    chain is locked and its head read): the append is then its INSERT alone. Ignored on
    SQLite."""
    built = [_new_entry(**entry) for entry in entries]
    key = audit_key()
    locked = _lock_chain("default", head)
    now = timezone.now().replace(microsecond=0)
    if locked is not None:  # PostgreSQL: every entry on the locked chain, its head read
        chain, head = locked
        for entry in built:
            entry.chain = chain
        heads = {chain: head} if head is not None else {}
    else:
        for entry in built:
            entry.chain = _chain_of_object(entry.object_type, entry.object_id, entry.actor_name)
        heads = _heads({entry.chain for entry in built})
    for entry in built:
        seq, prev_hash = heads.get(entry.chain, (0, GENESIS_HASH))
        entry.seq, entry.prev_hash, entry.created_at = seq + 1, prev_hash, now
        entry.entry_hash = _digest(prev_hash, _hashed_fields(entry), key)
        heads[entry.chain] = (entry.seq, entry.entry_hash)
    _insert(built)
    for entry in built:
        checkpoints.after_append(chain=entry.chain, seq=entry.seq, entry_hash=entry.entry_hash)
    return built


# --- verification ------------------------------------------------------------------------------


@dataclass(frozen=True)
class Problem:
    """One finding of `verify_chain`, in words an auditor understands."""

    reason: str
    chain: int | None = None
    entry_id: int | None = None

    def __str__(self) -> str:
        where = f"第 {self.chain} 条链" if self.chain is not None else "审计日志"
        at = f"第 {self.entry_id} 号记录：" if self.entry_id is not None else ""
        return f"{where}：{at}{self.reason}"


@dataclass
class ChainReport:
    checked: int = 0
    chains: int = 0
    checkpoints: int = 0
    problems: list[Problem] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.problems

    @property
    def broken_at(self) -> int | None:
        """The first entry found wrong (None when the problem is a missing tail or table)."""
        return next((p.entry_id for p in self.problems if p.entry_id is not None), None)

    @property
    def reason(self) -> str:
        return self.problems[0].reason if self.problems else ""


@dataclass
class _Head:
    seq: int = 0
    hash: str = GENESIS_HASH
    broken: bool = False
    anchors: dict[int, str] = field(default_factory=dict)  # seq -> hash seen, for checkpoints


def verify_chain(*, using: str = "default") -> ChainReport:
    """Walk every chain in order; report each chain's first bad entry, gap or broken link, then
    hold the heads against the signed checkpoints (truncated tail, emptied table, recomputed
    chain)."""
    key = audit_key()
    anchors = checkpoints.read()
    report = ChainReport(checkpoints=len(anchors.latest), problems=list(anchors.problems))
    wanted = {c: cp.seq for c, cp in anchors.latest.items()}
    heads: dict[int, _Head] = {}
    for entry in _entries_in_chain_order(using):
        head = heads.setdefault(entry.chain, _Head())
        if head.broken:
            continue
        problem = _check_entry(entry, head, key)
        if problem:
            head.broken = True
            report.problems.append(problem)
            continue
        head.seq, head.hash = entry.seq, entry.entry_hash
        if wanted.get(entry.chain) == entry.seq:
            head.anchors[entry.seq] = entry.entry_hash
        report.checked += 1
    report.chains = len(heads)
    report.problems.extend(_check_against_checkpoints(anchors.latest, heads))
    if audit_triggers.missing(using):
        report.problems.append(Problem("防篡改触发器缺失或被停用：数据库此刻接受修改和删除"))
    return report


def _entries_in_chain_order(using: str) -> Iterator[AuditEntry]:
    return AuditEntry.objects.using(using).order_by("chain", "seq").iterator(chunk_size=2000)


def _check_entry(entry: AuditEntry, head: _Head, key: bytes) -> Problem | None:
    expected = head.seq + 1
    if entry.seq > expected:
        missing = (
            f"第 {expected} 号"
            if entry.seq == expected + 1
            else f"第 {expected}–{entry.seq - 1} 号"
        )
        return Problem(f"本链{missing}记录缺失（被删除）", entry.chain, entry.pk)
    if entry.prev_hash != head.hash or entry.seq < expected:
        return Problem("与上一条的链接不符（前一条被删除或修改）", entry.chain, entry.pk)
    if _digest(head.hash, _hashed_fields(entry), key) != entry.entry_hash:
        return Problem(
            "内容与密钥签名不符（本条被修改，或链在没有密钥的情况下被重算）", entry.chain, entry.pk
        )
    return None


def _check_against_checkpoints(latest: dict, heads: dict[int, _Head]) -> list[Problem]:
    if latest and not heads:
        total = sum(cp.seq for cp in latest.values())
        return [Problem(f"审计表被清空：检查点记录的 {total} 条记录全部不见了")]
    problems = []
    for chain, cp in sorted(latest.items()):
        head = heads.get(chain, _Head())
        if head.broken:
            continue  # already reported at the entry where it broke
        if head.seq < cp.seq:
            problems.append(
                Problem(
                    f"末尾记录被删除：{cp.time} 的检查点记录到第 {cp.seq} 号，"
                    f"现在只到第 {head.seq} 号",
                    chain,
                )
            )
        elif head.anchors.get(cp.seq) != cp.hash:
            problems.append(
                Problem(f"第 {cp.seq} 号记录与 {cp.time} 的签名检查点不符（链被重算）", chain)
            )
    return problems


# --- retention: export, never delete ----------------------------------------------------------


def export_entries(*, actor, before: dt.date, output: Path) -> int:
    """Write the entries older than `before` (local date) to a JSON-lines file, hashes included,
    so the archived part stays verifiable. Nothing is deleted: the table refuses DELETE."""
    start = timezone.make_aware(dt.datetime.combine(before, dt.time.min))
    rows = AuditEntry.objects.filter(created_at__lt=start).order_by("chain", "seq")
    count = 0
    with output.open("w", encoding="utf-8") as handle:
        for entry in rows.iterator(chunk_size=2000):
            line = {"id": entry.pk, **_hashed_fields(entry)}
            line |= {"prev_hash": entry.prev_hash, "entry_hash": entry.entry_hash}
            handle.write(json.dumps(line, ensure_ascii=False, sort_keys=True) + "\n")
            count += 1
    record(
        actor=actor,
        action="audit.export",
        after={"before": before, "file": output.name, "rows": count},
        actor_name="" if actor else "系统（命令行）",
    )
    return count


def snapshot(obj, fields: list[str]) -> dict:
    """The named fields of a model instance, for an entry's before/after."""
    data = {}
    for name in fields:
        value = getattr(obj, name)
        data[name] = str(value) if hasattr(value, "_meta") else value
    return data
