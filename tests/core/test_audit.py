"""The audit log: append-only entries, hash chain verification, the CLI, the auditor's page."""

import datetime as dt
import zoneinfo

import pytest
from django.db import connection

from chuangkou import cli
from chuangkou.core import audit
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
    assert second.prev_hash == first.entry_hash
    assert entries[3].actor is None and entries[3].actor_name == "mallory"
    # dates in before/after are stored as ISO strings
    assert AuditEntry.objects.get(pk=entries[4].pk).after == {"date": "2018-06-30"}


def test_system_entries_are_attributed_to_the_system(db):
    entry = audit.record(actor=None, action="demo.load")
    assert entry.actor_name == "系统"


def test_chain_verifies_after_several_writes(entries):
    report = audit.verify_chain()
    assert report.ok
    assert report.checked == AuditEntry.objects.count() == 5


def test_editing_an_entry_is_detected_at_that_entry(entries):
    target = entries[1]
    AuditEntry.objects.filter(pk=target.pk).update(after={"phone": "13911111111"})
    report = audit.verify_chain()
    assert not report.ok
    assert report.broken_at == target.pk
    assert report.checked == 1
    assert "本条被修改" in report.reason


def test_editing_the_actor_name_is_detected(entries):
    AuditEntry.objects.filter(pk=entries[3].pk).update(actor_name="somebody")
    assert audit.verify_chain().broken_at == entries[3].pk


def test_deleting_a_middle_entry_through_the_queryset_is_detected(entries):
    middle = entries[2]
    AuditEntry.objects.filter(pk=middle.pk).delete()  # bypasses the model's delete()
    assert not AuditEntry.objects.filter(pk=middle.pk).exists()
    report = audit.verify_chain()
    assert report.broken_at == entries[3].pk
    assert "前一条被删除或修改" in report.reason


def test_deleting_a_middle_entry_with_raw_sql_is_detected(entries):
    middle = entries[1]
    with connection.cursor() as cursor:
        cursor.execute(f"DELETE FROM {AuditEntry._meta.db_table} WHERE id = %s", [middle.pk])  # noqa: S608
    assert audit.verify_chain().broken_at == entries[2].pk


def test_rehashing_an_edited_entry_still_breaks_the_next_link(entries):
    """A forger who recomputes the edited entry's own hash is caught at the next entry."""
    target = AuditEntry.objects.get(pk=entries[1].pk)
    target.after = {"phone": "13911111111"}
    new_hash = audit._digest(target.prev_hash, audit._hashed_fields(target))
    AuditEntry.objects.filter(pk=target.pk).update(after=target.after, entry_hash=new_hash)
    assert audit.verify_chain().broken_at == entries[2].pk


def test_entries_cannot_be_changed_or_deleted_through_the_model(entries):
    entry = AuditEntry.objects.get(pk=entries[0].pk)
    entry.action = "staff.delete"
    with pytest.raises(PermissionError):
        entry.save()
    with pytest.raises(PermissionError):
        entry.delete()
    assert AuditEntry.objects.get(pk=entry.pk).action == "staff.create"


def test_an_account_that_acted_cannot_be_deleted(entries):
    """The chain hashes actor ids: deleting (SET_NULL) would rewrite the entries, so PROTECT."""
    from django.db.models import ProtectedError

    with pytest.raises(ProtectedError):
        entries[0].actor.delete()
    assert audit.verify_chain().ok
    UserFactory(username="carol").delete()  # an account with no history may go


def test_cli_audit_verify(entries, capsys):
    assert cli.main(["audit", "verify"]) == 0
    assert "已校验 5 条" in capsys.readouterr().out
    AuditEntry.objects.filter(pk=entries[2].pk).update(action="account.password_reset")
    assert cli.main(["audit", "verify"]) == 1
    out = capsys.readouterr().out
    assert "被篡改" in out and f"第 {entries[2].pk} 号" in out


def test_cli_audit_verify_on_an_empty_log(db, capsys):
    assert cli.main(["audit", "verify"]) == 0
    assert "已校验 0 条" in capsys.readouterr().out


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
    assert "13900000001" in body and "13900000002" in body


@pytest.mark.parametrize("role", [Role.AUDITOR, Role.SYSADMIN, Role.CENTER_ADMIN])
def test_nobody_can_post_to_the_audit_page(entries, role_user, client_as, role):
    client = client_as(role_user(role))
    before = AuditEntry.objects.count()
    response = client.post("/audit/", {"action": "staff.", "person": "alice"})
    assert response.status_code in (403, 405)
    if role == Role.AUDITOR:
        assert response.status_code == 405  # read-only: only GET
    assert AuditEntry.objects.count() == before
