"""Signed checkpoints of the audit chains' heads, kept outside the database.

Each line of the append-only file `audit-checkpoints.log` in the data folder is one chain's head
(count, last sequence number, hash, time) signed with the audit key. `chuangkou audit verify`
holds the table against the latest line of each chain: a deleted tail, an emptied table or a
chain recomputed after an edit no longer matches. Lines are also logged to the logger
`chuangkou.audit.checkpoint`, which a deployment can route to syslog for a second copy.

Written by `write_checkpoint()` (`chuangkou audit checkpoint`, e.g. from cron every few minutes)
and automatically after the commit of every `AUDIT_CHECKPOINT_EVERY`-th entry of a chain.
"""

import hashlib
import hmac
import json
import logging
import os
from dataclasses import dataclass, field
from pathlib import Path

from django.conf import settings
from django.db import transaction
from django.db.models import Count, Max
from django.utils import timezone

from .keys import audit_key

logger = logging.getLogger("chuangkou.audit.checkpoint")
FILE_NAME = "audit-checkpoints.log"


def checkpoint_path() -> Path:
    configured = getattr(settings, "AUDIT_CHECKPOINT_FILE", None)
    return Path(configured) if configured else Path(settings.DATA_DIR) / FILE_NAME


def every() -> int:
    return max(1, int(getattr(settings, "AUDIT_CHECKPOINT_EVERY", 50)))


@dataclass(frozen=True)
class Checkpoint:
    chain: int
    count: int
    seq: int
    hash: str
    time: str


def _sign(fields: dict, key: bytes) -> str:
    payload = json.dumps(fields, sort_keys=True, separators=(",", ":")).encode()
    return hmac.new(key, b"checkpoint:" + payload, hashlib.sha256).hexdigest()


def _line(cp: Checkpoint, key: bytes) -> str:
    fields = {"chain": cp.chain, "count": cp.count, "seq": cp.seq, "hash": cp.hash}
    fields["time"] = cp.time
    return json.dumps({**fields, "mac": _sign(fields, key)}, sort_keys=True)


def append(heads: list[Checkpoint]) -> None:
    """Append signed lines in one write (O_APPEND: concurrent writers never interleave)."""
    if not heads:
        return
    key = audit_key()
    text = "".join(_line(cp, key) + "\n" for cp in heads)
    path = checkpoint_path()
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_APPEND, 0o600)
    try:
        os.write(fd, text.encode())
        os.fsync(fd)
    finally:
        os.close(fd)
    for line in text.splitlines():
        logger.info(line)


def _now() -> str:
    return timezone.localtime().replace(microsecond=0).isoformat()


def after_append(*, chain: int, seq: int, entry_hash: str) -> None:
    """Called by audit.record: every N-th entry of a chain anchors it once committed."""
    if seq % every() == 0:
        head = Checkpoint(chain=chain, count=seq, seq=seq, hash=entry_hash, time=_now())
        transaction.on_commit(lambda: _append_after_commit(head))


def _append_after_commit(head: Checkpoint) -> None:
    """The entry is committed already: a full disk must not turn the request into an error."""
    try:
        append([head])
    except OSError:
        logger.exception("无法写入审计检查点文件 %s", checkpoint_path())


def write_checkpoint(*, using: str = "default") -> list[Checkpoint]:
    """Anchor the current head of every chain (`chuangkou audit checkpoint`)."""
    from .models import AuditEntry

    entries = AuditEntry.objects.using(using)
    heads = []
    now = _now()
    summary = entries.values("chain").annotate(count=Count("id"), last=Max("seq"))
    for row in summary.order_by("chain"):
        last_hash = entries.get(chain=row["chain"], seq=row["last"]).entry_hash
        heads.append(Checkpoint(row["chain"], row["count"], row["last"], last_hash, now))
    append(heads)
    return heads


@dataclass
class Anchors:
    latest: dict[int, Checkpoint] = field(default_factory=dict)
    lines: int = 0
    problems: list = field(default_factory=list)


def read() -> Anchors:
    """The latest validly signed checkpoint of each chain; a forged or damaged line is a
    problem of its own."""
    from .audit import Problem

    anchors = Anchors()
    path = checkpoint_path()
    if not path.exists():
        return anchors
    key = audit_key()
    with path.open(encoding="utf-8", errors="replace") as handle:
        for number, text in enumerate(handle, start=1):
            if not text.strip():
                continue
            anchors.lines += 1
            cp = _parse(text, key)
            if cp is None:
                anchors.problems.append(
                    Problem(f"检查点文件第 {number} 行签名不符或已损坏（检查点被篡改）")
                )
                continue
            known = anchors.latest.get(cp.chain)
            if known is None or cp.seq >= known.seq:
                anchors.latest[cp.chain] = cp
    return anchors


def _parse(text: str, key: bytes) -> Checkpoint | None:
    try:
        data = json.loads(text)
        fields = {name: data[name] for name in ("chain", "count", "seq", "hash", "time")}
        mac = str(data["mac"])
    except (ValueError, KeyError, TypeError):
        return None
    if not hmac.compare_digest(_sign(fields, key), mac):
        return None
    try:
        return Checkpoint(
            int(fields["chain"]),
            int(fields["count"]),
            int(fields["seq"]),
            str(fields["hash"]),
            str(fields["time"]),
        )
    except (TypeError, ValueError):
        return None
