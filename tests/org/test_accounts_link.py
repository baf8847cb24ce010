"""Staff linked to login accounts: accounts opened in bulk by the system administrator, temporary
passwords shown once (and downloadable once, audited), first sign-in forces a change, and the
clerk's own records resolve through the link."""

import io

import pytest
from django.contrib.auth import get_user_model
from openpyxl import load_workbook

from chuangkou.core.errors import DomainError, PermissionDeniedError
from chuangkou.core.models import AuditEntry
from chuangkou.core.roles import Role, has_role
from chuangkou.org import accounts, services
from chuangkou.org.models import Staff

from ..factories import UserFactory
from ..tables import last_audit


@pytest.fixture
def sysadmin(db):
    return UserFactory(username="sysadmin01", roles=[Role.SYSADMIN])


def test_bulk_accounts_get_clerk_role_username_from_staff_no_and_must_change(org_small, sysadmin):
    people = [org_small.a2, org_small.a3]
    issued = accounts.create_staff_accounts(actor=sysadmin, staff=people)
    assert [a.username for a in issued] == [p.staff_no.lower() for p in people]
    for person, account in zip(people, issued, strict=True):
        person.refresh_from_db()
        user = person.user
        assert user.username == account.username
        assert has_role(user, Role.CLERK) and user.must_change_password
        assert user.check_password(account.password)
        assert user.display_name == person.name
    assert len({a.password for a in issued}) == 2
    entry = last_audit("staff.accounts.create")
    assert entry.after["count"] == 2
    assert "password" not in str(entry.after) and issued[0].password not in str(entry.after)
    assert AuditEntry.objects.filter(action="staff.link_account").count() == 2


def test_a_taken_username_gets_a_suffix_and_a_non_ascii_staff_no_uses_the_id(org_small, sysadmin):
    UserFactory(username=org_small.a2.staff_no.lower())
    Staff.objects.filter(pk=org_small.a3.pk).update(staff_no="临编-7")
    a2, a3 = accounts.create_staff_accounts(actor=sysadmin, staff=[org_small.a2, org_small.a3])
    assert a2.username == f"{org_small.a2.staff_no.lower()}-2"
    assert a3.username == f"staff{org_small.a3.pk}"


def test_only_the_sysadmin_opens_accounts(org_small):
    with pytest.raises(PermissionDeniedError):
        accounts.create_staff_accounts(actor=org_small.admin, staff=[org_small.a2])
    assert not Staff.objects.filter(pk=org_small.a2.pk, user__isnull=False).exists()


def test_people_with_an_account_or_gone_are_all_named_and_nothing_is_created(org_small, sysadmin):
    services.record_separation(
        actor=org_small.admin, staff=org_small.a3, date=org_small.a3.hire_date, reason="pay"
    )
    users_before = get_user_model().objects.count()
    with pytest.raises(DomainError) as exc:
        accounts.create_staff_accounts(
            actor=sysadmin, staff=[org_small.a1, org_small.a2, org_small.a3]
        )
    assert "甲一" in exc.value.message and "已有账号" in exc.value.message
    assert "甲三" in exc.value.message and "已离职" in exc.value.message
    assert get_user_model().objects.count() == users_before


def test_the_page_lists_staff_without_account_and_shows_passwords_once(
    org_small, sysadmin, client_as
):
    client = client_as(sysadmin)
    page = client.get("/staff/accounts/")
    assert page.status_code == 200
    listed = page.content.decode()
    assert f'name="staff" value="{org_small.a2.pk}"' in listed
    assert f'name="staff" value="{org_small.a1.pk}"' not in listed  # has an account
    response = client.post("/staff/accounts/create/", {"staff": [org_small.a2.pk, "x"]})
    assert response.status_code == 200
    org_small.a2.refresh_from_db()
    assert org_small.a2.user.username in response.content.decode()
    download = client.get("/staff/accounts/issued.xlsx")
    assert download.status_code == 200
    sheet = load_workbook(io.BytesIO(download.content)).active
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0] == tuple(accounts.ISSUED_HEADERS)
    assert rows[1][3] == org_small.a2.user.username
    assert org_small.a2.user.check_password(rows[1][4])
    export = last_audit("data.export")
    assert export.object_type == "org.staff.accounts" and export.after["rows"] == 1
    again = client.get("/staff/accounts/issued.xlsx")
    assert again.status_code == 302


def test_an_empty_selection_is_a_message_not_an_error(org_small, sysadmin, client_as):
    response = client_as(sysadmin).post("/staff/accounts/create/", {"staff": ["99999999999999"]})
    assert response.status_code == 302


def test_the_new_clerk_sees_their_own_record_and_exams_through_the_link(
    org_small, sysadmin, client_as
):
    (issued,) = accounts.create_staff_accounts(actor=sysadmin, staff=[org_small.a2])
    user = get_user_model().objects.get(username=issued.username)
    user.must_change_password = False
    user.save(update_fields=["must_change_password"])
    response = client_as(user).get("/staff/me/")
    assert response.status_code == 302
    assert response["Location"] == f"/staff/{org_small.a2.pk}/"
    assert client_as(user).get(f"/staff/{org_small.a2.pk}/").status_code == 200


def test_the_first_sign_in_with_the_temporary_password_asks_for_a_new_one(
    org_small, sysadmin, client_as
):
    (issued,) = accounts.create_staff_accounts(actor=sysadmin, staff=[org_small.a2])
    user = get_user_model().objects.get(username=issued.username)
    response = client_as(user).get("/staff/me/")
    assert response.status_code == 302 and "password" in response["Location"]
