"""The audit log: written by services in their own transaction, verified by hash chain."""

import datetime as dt
import hashlib
import json
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.db import connection, transaction
from django.utils import timezone

from .middleware import current_ip
from .models import AuditEntry

GENESIS_HASH = "0" * 64
_CHAIN_LOCK_KEY = 0x636B_6175  # "ckau": PostgreSQL advisory lock serialising chain appends


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


def _digest(prev_hash: str, fields: dict) -> str:
    payload = json.dumps(fields, sort_keys=True, ensure_ascii=False, separators=(",", ":"))
    return hashlib.sha256((prev_hash + payload).encode()).hexdigest()


def _hashed_fields(entry: AuditEntry) -> dict:
    return {
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


def _lock_chain() -> None:
    """Serialise appends so that two writers never chain onto the same previous entry.

    SQLite runs write transactions one at a time (IMMEDIATE mode) already.
    """
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_xact_lock(%s)", [_CHAIN_LOCK_KEY])


@transaction.atomic
def record(
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
    """Append one entry: who (`actor`), what (`action`), which object, before and after."""
    if obj is not None:
        object_type = object_type or obj._meta.label_lower
        object_id = object_id or str(obj.pk)
    _lock_chain()
    last = AuditEntry.objects.order_by("-id").only("entry_hash").first()
    prev_hash = last.entry_hash if last else GENESIS_HASH
    is_user = actor is not None and getattr(actor, "is_authenticated", False)
    entry = AuditEntry(
        created_at=timezone.now().replace(microsecond=0),
        actor=actor if is_user else None,
        actor_name=actor_name or (actor.get_username() if is_user else "系统"),
        action=action,
        object_type=object_type,
        object_id=object_id,
        object_repr=str(obj)[:200] if obj is not None else "",
        before=_jsonable(before) if before is not None else None,
        after=_jsonable(after) if after is not None else None,
        ip_address=current_ip(),
        prev_hash=prev_hash,
    )
    entry.entry_hash = _digest(prev_hash, _hashed_fields(entry))
    entry.save()
    return entry


@dataclass(frozen=True)
class ChainReport:
    checked: int
    broken_at: int | None = None
    reason: str = ""

    @property
    def ok(self) -> bool:
        return self.broken_at is None


def verify_chain() -> ChainReport:
    """Walk the log in order; report the first entry whose hash or link does not match."""
    prev_hash = GENESIS_HASH
    checked = 0
    for entry in AuditEntry.objects.order_by("id").iterator(chunk_size=2000):
        if entry.prev_hash != prev_hash:
            return ChainReport(checked, entry.pk, "与上一条的链接不符（前一条被删除或修改）")
        if _digest(prev_hash, _hashed_fields(entry)) != entry.entry_hash:
            return ChainReport(checked, entry.pk, "内容与哈希不符（本条被修改）")
        prev_hash = entry.entry_hash
        checked += 1
    return ChainReport(checked)


def snapshot(obj, fields: list[str]) -> dict:
    """The named fields of a model instance, for an entry's before/after."""
    data = {}
    for name in fields:
        value = getattr(obj, name)
        data[name] = str(value) if hasattr(value, "_meta") else value
    return data
