"""The audit log: keyed chains, signed checkpoints, append-only triggers, tamper detection
(edit, delete-middle, delete-tail, truncate, recompute), the CLI, the auditor's page."""

import contextlib
import datetime as dt
import hashlib
import json
import os
import stat
import threading
import time
import zoneinfo
from pathlib import Path

import pytest
from django.db import DatabaseError, OperationalError, connection, connections, transaction

from chuangkou import cli
from chuangkou.core import audit, checkpoints, keys
from chuangkou.core.audit_triggers import lifted
from chuangkou.core.masking import mask_phone
from chuangkou.core.models import AuditEntry
from chuangkou.core.roles import Role
from chuangkou.org.models import Staff

from ..factories import StaffFactory, UserFactory

SHANGHAI = zoneinfo.ZoneInfo("Asia/Shanghai")


@pytest.fixture
def entries(db):
    """Five entries by two people about a staff row."""
    alice = UserFactory(username="alice", display_name="王丽")
    bob = UserFactory(username="bob", display_name="赵强")
    staff = StaffFactory(name="钱多多")
    written = [
        audit.record(actor=alice, action="staff.create", obj=staff, after={"name": "钱多多"}),
        audit.record(
            actor=bob,
            action="staff.update",
            obj=staff,
            before={"phone": "13900000001"},
            after={"phone": "13900000002"},
        ),
        audit.record(actor=alice, action="account.roles", after={"roles": ["clerk"]}),
        audit.record(actor=None, action="auth.login_failed", actor_name="mallory"),
        audit.record(
            actor=bob, action="staff.separate", obj=staff, after={"date": dt.date(2018, 6, 30)}
        ),
    ]
    return written


def test_record_fills_object_and_chain(entries):
    first, second = entries[0], entries[1]
    assert first.object_type == "org.staff"
    assert first.object_id == str(Staff.objects.get(name="钱多多").pk)
    assert first.actor_name == "alice"
    # one object's entries follow each other on one chain (SQLite: by object; PostgreSQL: by
    # transaction, and the whole test is one transaction)
    assert (second.chain, second.seq) == (first.chain, first.seq + 1)
    assert second.prev_hash == first.entry_hash
    assert entries[3].actor is None and entries[3].actor_name == "mallory"
    # dates in before/after are stored as ISO strings
    assert AuditEntry.objects.get(pk=entries[4].pk).after == {"date": "2018-06-30"}


def test_system_entries_are_attributed_to_the_system(db):
    entry = audit.record(actor=None, action="demo.load")
    assert entry.actor_name == "系统"


def test_chain_verifies_after_several_writes(entries):
    report = audit.verify_chain()
    assert report.ok, report.problems
    assert report.checked == AuditEntry.objects.count() == 5


def test_hashes_are_keyed_with_a_key_outside_the_database(entries, settings):
    entry = AuditEntry.objects.get(pk=entries[0].pk)
    fields = audit._hashed_fields(entry)
    assert audit._digest(entry.prev_hash, fields, keys.audit_key()) == entry.entry_hash
    assert audit._digest(entry.prev_hash, fields, b"another key") != entry.entry_hash
    plain = hashlib.sha256((entry.prev_hash + json.dumps(fields)).encode()).hexdigest()
    assert plain != entry.entry_hash
    key_file = Path(settings.DATA_DIR) / "audit_key"
    if not os.environ.get("AUDIT_HMAC_KEY"):
        assert stat.S_IMODE(key_file.stat().st_mode) == 0o600


@pytest.mark.skipif(connection.vendor != "sqlite", reason="SQLite picks the chain by object")
def test_entries_are_spread_over_several_chains(db):
    staff = StaffFactory.create_batch(12)
    chains = {audit.record(actor=None, action="staff.create", obj=s).chain for s in staff}
    assert len(chains) > 1
    assert audit.verify_chain().ok


# --- the database refuses changes --------------------------------------------------------------


def _refused(sql: str, params=()) -> bool:
    try:
        with transaction.atomic(), connection.cursor() as cursor:
            cursor.execute(sql, params)
    except DatabaseError as exc:
        return "只能追加" in str(exc)
    return False


def test_the_database_refuses_update_and_delete(entries):
    table = AuditEntry._meta.db_table
    assert _refused(f"UPDATE {table} SET action = 'x' WHERE id = %s", [entries[0].pk])  # noqa: S608
    assert _refused(f"DELETE FROM {table} WHERE id = %s", [entries[1].pk])  # noqa: S608
    assert _refused(f"DELETE FROM {table}")  # noqa: S608
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:  # the test's own inserts: FK checks done now
            cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
        assert _refused(f"TRUNCATE {table}")
    assert AuditEntry.objects.count() == 5
    assert audit.verify_chain().ok


def test_entries_cannot_be_changed_or_deleted_through_the_model(entries):
    entry = AuditEntry.objects.get(pk=entries[0].pk)
    entry.action = "staff.delete"
    with pytest.raises(PermissionError):
        entry.save()
    with pytest.raises(PermissionError):
        entry.delete()
    with pytest.raises(DatabaseError), transaction.atomic():
        AuditEntry.objects.filter(pk=entry.pk).update(action="staff.delete")
    assert AuditEntry.objects.get(pk=entry.pk).action == "staff.create"


def test_verify_reports_missing_triggers(entries):
    with lifted():
        report = audit.verify_chain()
        assert not report.ok
        assert "触发器" in report.problems[-1].reason
    assert audit.verify_chain().ok


# --- tampering by someone with database access (the triggers lifted first) ---------------------


def tamper(sql: str, params=()) -> None:
    with lifted(), connection.cursor() as cursor:
        cursor.execute(sql, params)


TABLE = AuditEntry._meta.db_table


def _next_on_chain(entry) -> AuditEntry:
    return AuditEntry.objects.filter(chain=entry.chain, seq__gt=entry.seq).order_by("seq").first()


def test_editing_an_entry_is_detected_at_that_entry(entries):
    target = entries[1]
    tamper(f"UPDATE {TABLE} SET after = %s WHERE id = %s", ['{"phone": "13911111111"}', target.pk])  # noqa: S608
    report = audit.verify_chain()
    assert not report.ok
    assert report.broken_at == target.pk
    # the entries before it on its chain and those of the other chains are still vouched for
    others = AuditEntry.objects.exclude(chain=target.chain).count()
    assert report.checked == others + target.seq - 1
    assert "本条被修改" in report.reason


def test_editing_the_actor_name_is_detected(entries):
    tamper(f"UPDATE {TABLE} SET actor_name = 'somebody' WHERE id = %s", [entries[3].pk])  # noqa: S608
    assert audit.verify_chain().broken_at == entries[3].pk


def test_deleting_a_middle_entry_is_detected(entries):
    middle = entries[1]
    following = _next_on_chain(middle)
    tamper(f"DELETE FROM {TABLE} WHERE id = %s", [middle.pk])  # noqa: S608
    report = audit.verify_chain()
    assert report.broken_at == following.pk
    assert f"第 {middle.seq} 号记录缺失" in report.reason


def test_deleting_the_tail_is_detected_by_the_checkpoint(entries):
    checkpoints.write_checkpoint()
    last = AuditEntry.objects.order_by("-id").first()
    tamper(f"DELETE FROM {TABLE} WHERE id = %s", [last.pk])  # noqa: S608
    report = audit.verify_chain()
    assert not report.ok
    assert report.broken_at is None  # nothing left to point at: the checkpoint tells
    assert "末尾记录被删除" in report.reason and f"第 {last.seq} 号" in report.reason


def test_emptying_the_table_is_detected(entries):
    checkpoints.write_checkpoint()
    tamper(f"DELETE FROM {TABLE}")  # noqa: S608
    report = audit.verify_chain()
    assert [p.reason for p in report.problems] == ["审计表被清空：检查点记录的 5 条记录全部不见了"]


@pytest.mark.skipif(connection.vendor != "postgresql", reason="TRUNCATE is PostgreSQL's")
def test_truncating_the_table_is_detected(entries):
    checkpoints.write_checkpoint()
    tamper(f"TRUNCATE {TABLE}")
    assert "审计表被清空" in audit.verify_chain().reason


def _recompute(key: bytes, edit: dict) -> None:
    """Rewrite every chain from the start with `key`, as a forger would after an edit."""
    for chain in AuditEntry.objects.values_list("chain", flat=True).distinct():
        prev = audit.GENESIS_HASH
        for entry in AuditEntry.objects.filter(chain=chain).order_by("seq"):
            if entry.pk in edit:
                entry.after = edit[entry.pk]
            entry.prev_hash = prev
            entry.entry_hash = audit._digest(prev, audit._hashed_fields(entry), key)
            tamper(
                f"UPDATE {TABLE} SET after = %s, prev_hash = %s, entry_hash = %s WHERE id = %s",  # noqa: S608
                [json.dumps(entry.after), entry.prev_hash, entry.entry_hash, entry.pk],
            )
            prev = entry.entry_hash


def test_recomputing_the_chain_without_the_key_is_detected(entries):
    first_on_chain = AuditEntry.objects.get(pk=entries[0].pk)
    _recompute(b"a guessed key", {entries[1].pk: {"phone": "13911111111"}})
    report = audit.verify_chain()
    assert not report.ok
    assert report.broken_at == first_on_chain.pk or first_on_chain.seq != 1
    assert "没有密钥的情况下被重算" in report.reason


def test_recomputing_with_a_stolen_key_is_caught_by_the_checkpoint(entries):
    checkpoints.write_checkpoint()
    _recompute(keys.audit_key(), {entries[1].pk: {"phone": "13911111111"}})
    report = audit.verify_chain()
    assert report.checked == 5  # every link is consistent again ...
    assert "签名检查点不符（链被重算）" in report.reason  # ... but not with the anchor


def test_a_forged_checkpoint_line_is_reported(entries):
    checkpoints.write_checkpoint()
    path = checkpoints.checkpoint_path()
    line = json.loads(path.read_text().splitlines()[0])
    line["seq"] = 1
    with path.open("a") as handle:
        handle.write(json.dumps(line) + "\n")
    report = audit.verify_chain()
    assert any("检查点被篡改" in p.reason for p in report.problems)


def test_every_nth_append_writes_a_checkpoint_after_commit(
    db, settings, django_capture_on_commit_callbacks
):
    settings.AUDIT_CHECKPOINT_EVERY = 2
    with django_capture_on_commit_callbacks(execute=True):
        written = [audit.record(actor=None, action="demo.step", actor_name="x") for _ in range(5)]
    lines = checkpoints.checkpoint_path().read_text().splitlines()
    assert [json.loads(x)["seq"] for x in lines] == [2, 4]
    assert json.loads(lines[-1])["hash"] == written[3].entry_hash
    assert audit.verify_chain().checkpoints == 1


def test_an_account_that_acted_cannot_be_deleted(entries):
    """The chain hashes actor ids: deleting (SET_NULL) would rewrite the entries, so PROTECT."""
    from django.db.models import ProtectedError

    with pytest.raises(ProtectedError):
        entries[0].actor.delete()
    assert audit.verify_chain().ok
    UserFactory(username="carol").delete()  # an account with no history may go


# --- the command line -------------------------------------------------------------------------


def test_cli_audit_verify(entries, capsys):
    assert cli.main(["audit", "verify"]) == 0
    out = capsys.readouterr().out
    assert "共 5 条记录" in out and "触发器在位" in out
    assert checkpoints.checkpoint_path().exists()  # a clean verify anchors the heads
    tamper(f"UPDATE {TABLE} SET action = 'account.password_reset' WHERE id = %s", [entries[2].pk])  # noqa: S608
    assert cli.main(["audit", "verify"]) == 1
    out = capsys.readouterr().out
    assert "被篡改" in out and f"第 {entries[2].pk} 号记录" in out


def test_cli_audit_verify_reports_a_deleted_tail(entries, capsys):
    assert cli.main(["audit", "checkpoint"]) == 0
    assert "签名检查点" in capsys.readouterr().out
    tamper(f"DELETE FROM {TABLE} WHERE id = %s", [entries[4].pk])  # noqa: S608
    assert cli.main(["audit", "verify"]) == 1
    assert "末尾记录被删除" in capsys.readouterr().out


def test_cli_audit_verify_on_an_empty_log(db, capsys):
    assert cli.main(["audit", "verify"]) == 0
    assert "共 0 条记录" in capsys.readouterr().out


def test_cli_audit_export_keeps_the_entries(entries, tmp_path, capsys):
    old = dt.datetime(2018, 1, 5, 9, 0, tzinfo=SHANGHAI)
    ids = [entries[0].pk, entries[1].pk]
    tamper(f"UPDATE {TABLE} SET created_at = %s WHERE id IN (%s, %s)", [old, *ids])  # noqa: S608
    target = tmp_path / "old.jsonl"
    assert cli.main(["audit", "export", "--before", "2018-02-01", "--output", str(target)]) == 0
    assert "2 条" in capsys.readouterr().out
    rows = [json.loads(x) for x in target.read_text(encoding="utf-8").splitlines()]
    assert sorted(r["id"] for r in rows) == sorted([entries[0].pk, entries[1].pk])
    assert all(r["entry_hash"] for r in rows)
    assert AuditEntry.objects.filter(action__startswith="staff.").count() == 3  # none deleted
    assert AuditEntry.objects.filter(action="audit.export").exists()


def test_cli_audit_export_refuses_a_bad_date(db, capsys):
    with pytest.raises(SystemExit):
        cli.main(["audit", "export", "--before", "2018-02-30"])
    assert "日期格式" in capsys.readouterr().err


def test_the_ip_address_of_the_request_is_recorded(db, client):
    UserFactory(username="ipuser", password="Right#Pass2018")
    client.post(
        "/login/", {"username": "ipuser", "password": "Right#Pass2018"}, REMOTE_ADDR="10.1.2.3"
    )
    entry = AuditEntry.objects.get(action="auth.login")
    assert entry.ip_address == "10.1.2.3"
    assert audit.current_ip() is None  # reset once the request is over


# --- the auditor's page ---------------------------------------------------------------------


def _shown(response) -> list[AuditEntry]:
    assert response.status_code == 200
    return list(response.context["page"].object_list)


@pytest.fixture
def auditor_client(entries, role_user, client_as):
    return client_as(role_user(Role.AUDITOR, username="auditor01"))


def test_audit_page_filters_by_person(entries, auditor_client):
    shown = _shown(auditor_client.get("/audit/", {"person": "alice"}))
    assert {e.pk for e in shown} == {entries[0].pk, entries[2].pk}
    # by the person's name (姓名) as well as the account name
    shown = _shown(auditor_client.get("/audit/", {"person": "赵强"}))
    assert {e.pk for e in shown} == {entries[1].pk, entries[4].pk}


def test_audit_page_filters_by_action_and_object(entries, auditor_client):
    shown = _shown(auditor_client.get("/audit/", {"action": "staff."}))
    assert {e.pk for e in shown} == {entries[0].pk, entries[1].pk, entries[4].pk}
    shown = _shown(auditor_client.get("/audit/", {"object": "钱多多"}))
    assert {e.pk for e in shown} == {entries[0].pk, entries[1].pk, entries[4].pk}


def test_audit_page_filters_by_date_in_local_time(entries, auditor_client):
    # Dates are the center's (Asia/Shanghai): 23:30 on 30 June and 00:30 on 1 July, local.
    late = dt.datetime(2018, 6, 30, 23, 30, tzinfo=SHANGHAI)
    early = dt.datetime(2018, 7, 1, 0, 30, tzinfo=SHANGHAI)
    with lifted():
        AuditEntry.objects.filter(pk=entries[0].pk).update(created_at=late)
        AuditEntry.objects.filter(pk=entries[1].pk).update(created_at=early)
    shown = _shown(auditor_client.get("/audit/", {"start": "2018-06-30", "end": "2018-06-30"}))
    assert [e.pk for e in shown] == [entries[0].pk]
    shown = _shown(auditor_client.get("/audit/", {"start": "2018-07-01", "end": "2018-07-01"}))
    assert [e.pk for e in shown] == [entries[1].pk]
    shown = _shown(auditor_client.get("/audit/", {"end": "2018-07-01"}))
    assert {e.pk for e in shown} == {entries[0].pk, entries[1].pk}


def test_audit_page_ignores_bad_dates(entries, auditor_client):
    response = auditor_client.get(
        "/audit/", {"start": "2018-02-30", "end": "yesterday", "page": "x"}
    )
    assert len(_shown(response)) == AuditEntry.objects.count()


def test_audit_page_shows_before_and_after(entries, auditor_client):
    response = auditor_client.get("/audit/", {"action": "staff.update"})
    body = response.content.decode()
    # shown, with the phone numbers masked even to the auditor (core.audit_display)
    assert mask_phone("13900000001") in body and mask_phone("13900000002") in body
    assert "13900000001" not in body


@pytest.mark.parametrize("role", [Role.AUDITOR, Role.SYSADMIN, Role.CENTER_ADMIN])
def test_nobody_can_post_to_the_audit_page(entries, role_user, client_as, role):
    client = client_as(role_user(role))
    before = AuditEntry.objects.count()
    response = client.post("/audit/", {"action": "staff.", "person": "alice"})
    assert response.status_code in (403, 405)
    if role == Role.AUDITOR:
        assert response.status_code == 405  # read-only: only GET
    assert AuditEntry.objects.count() == before


# --- concurrency: appends on one chain are race-free, different chains do not wait ------------


@pytest.mark.django_db(transaction=True)
def test_parallel_appends_keep_every_chain_whole():
    def append(worker: int) -> None:
        try:
            for i in range(8):
                audit.record(
                    actor=None, action="demo.parallel", object_type="x", object_id=f"{worker}-{i}"
                )
        finally:
            connections.close_all()

    threads = [threading.Thread(target=append, args=(n,)) for n in range(6)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(60)
    report = audit.verify_chain()
    assert report.ok, report.problems
    assert report.checked == AuditEntry.objects.count() == 48


def _transaction_on_chain(wanted, timeout: str):
    """Open a transaction whose id falls on (or off, if `wanted` is negated) a chain."""
    for _ in range(4 * audit.chain_count()):
        atomic = transaction.atomic()
        atomic.__enter__()
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_current_xact_id()::text::bigint")
            chain = cursor.fetchone()[0] % audit.chain_count()
            if wanted(chain):
                cursor.execute(f"SET LOCAL lock_timeout = '{timeout}'")
                return atomic
        atomic.__exit__(None, None, None)
    raise AssertionError("no transaction id on the wanted chain")


@contextlib.contextmanager
def _chain_held():
    """Another thread appends an entry and holds its chain (its transaction open) until the
    yielded event is set, or the block ends; yields (that entry, the event)."""
    holding, release, held = threading.Event(), threading.Event(), []

    def hold() -> None:
        try:
            with transaction.atomic():
                held.append(audit.record(actor=None, action="demo.hold"))
                holding.set()
                release.wait(30)
        finally:
            connections.close_all()

    thread = threading.Thread(target=hold)
    thread.start()
    try:
        assert holding.wait(10)
        yield held[0], release
    finally:
        release.set()
        thread.join(30)


@pytest.mark.skipif(connection.vendor != "postgresql", reason="advisory locks are PostgreSQL's")
@pytest.mark.django_db(transaction=True)
def test_a_held_chain_blocks_only_its_own_appends():
    with _chain_held() as (held, _):
        other = _transaction_on_chain(lambda c: c != held.chain, "5s")
        entry = audit.record(actor=None, action="demo.other")  # does not wait for the holder
        other.__exit__(None, None, None)
        assert entry.chain != held.chain
        same = _transaction_on_chain(lambda c: c == held.chain, "300ms")
        with pytest.raises(OperationalError, match="lock timeout"):
            audit.record(actor=None, action="demo.same")
        same.__exit__(None, None, None)  # record() failed the transaction: rolled back here
    assert audit.verify_chain().ok


@pytest.mark.skipif(connection.vendor != "postgresql", reason="advisory locks are PostgreSQL's")
@pytest.mark.django_db(transaction=True)
def test_an_append_that_waited_for_its_chain_follows_the_entry_committed_meanwhile():
    """The chain's head is read after its lock is granted (not with a snapshot from before the
    wait): the waiting append continues the chain after the holder's entry."""
    with _chain_held() as (held, release):
        same = _transaction_on_chain(lambda c: c == held.chain, "20s")
        threading.Timer(0.5, release.set).start()  # the holder commits while this one waits
        entry = audit.record(actor=None, action="demo.waited")
        same.__exit__(None, None, None)
    assert (entry.chain, entry.seq) == (held.chain, held.seq + 1)
    assert entry.prev_hash == held.entry_hash
    assert audit.verify_chain().ok


def test_a_batch_is_appended_in_a_fixed_number_of_statements_and_verifies(db):
    from tests.statements import Statements

    audit.record(actor=None, action="test.before", object_type="x", object_id="0")
    batch = [
        {"actor": None, "action": "test.batch", "object_type": "x", "object_id": str(i)}
        for i in range(40)
    ]
    with Statements() as run:
        written = audit.record_many(batch)
    # PostgreSQL: the transaction's chain, its lock and its head (one statement), one INSERT;
    # SQLite: heads, INSERT
    assert len(run) == 2, run.report()
    assert [e.object_id for e in written] == [str(i) for i in range(40)]
    for chain in {e.chain for e in written}:
        seqs = list(
            AuditEntry.objects.filter(chain=chain).order_by("seq").values_list("seq", flat=True)
        )
        assert seqs == list(range(1, len(seqs) + 1))
    assert audit.verify_chain().ok


# --- the key file is read once, and again when it changes -------------------------------------


def test_the_audit_key_file_is_read_again_only_when_it_changes(tmp_path, settings, monkeypatch):
    monkeypatch.delenv(keys.AUDIT_KEY_ENV, raising=False)
    settings.DATA_DIR = tmp_path
    reads = []
    read_text = Path.read_text

    def counted(self, *args, **kwargs):
        reads.append(self)
        return read_text(self, *args, **kwargs)

    monkeypatch.setattr(Path, "read_text", counted)
    first = keys.audit_key()
    assert keys.audit_key() == first and len(reads) == 2  # just written: not trusted yet
    later = keys._now_ns() + 2 * keys._SETTLED_NS
    monkeypatch.setattr(keys, "_now_ns", lambda: later)  # a second later
    assert keys.audit_key() == keys.audit_key() == keys.audit_key() == first
    assert len(reads) == 3
    path = keys.audit_key_path()
    aside = tmp_path / "new_key"
    aside.write_text("b" * len(first))
    os.replace(aside, path)  # replaced (a restore from a backup)
    assert keys.audit_key() == keys.audit_key() == b"b" * len(first)
    time.sleep(0.02)  # past a coarse timestamp tick (the clock above is not the file system's)
    path.write_text("c" * len(first))  # rewritten in place, same size
    assert keys.audit_key() == b"c" * len(first) and len(reads) == 5
