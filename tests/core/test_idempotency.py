"""One submit, one record: a form's idempotency key and the API's Idempotency-Key header
(core/idempotency.py), sequentially and under real concurrency (threads with their own
database connections, on whichever database the run uses)."""

import threading

import pytest
from django.db import connection
from django.test import Client

from chuangkou.core.idempotency import FORM_FIELD, IdempotencyKey, new_key
from chuangkou.org.models import Staff


def staff_form(org, **overrides) -> dict:
    data = {
        "name": "周双击",
        "gender": "F",
        "employment_type": "agency",
        "department": org.dept_a.pk,
        "center": org.main.pk,
        "window": org.w_a01.pk,
        "hire_date": "2018-05-02",
        "phone": "13600000009",
    }
    data.update(overrides)
    return data


def api_staff(org, **overrides) -> dict:
    data = {
        "name": "周接口",
        "gender": "M",
        "employment_type": "agency",
        "department_id": org.dept_a.pk,
        "center_id": org.main.pk,
        "window_id": org.w_a01.pk,
        "hire_date": "2018-05-02",
    }
    data.update(overrides)
    return data


def test_every_shared_form_carries_a_fresh_key(org_small, client_as):
    client = client_as(org_small.admin)
    first = client.get("/staff/new/").content.decode()
    second = client.get("/staff/new/").content.decode()
    assert f'name="{FORM_FIELD}"' in first
    key_of = lambda html: html.split(f'name="{FORM_FIELD}" value="')[1][:32]  # noqa: E731
    assert key_of(first) != key_of(second)


def test_a_double_submitted_form_creates_one_record_and_both_go_to_it(org_small, client_as):
    client = client_as(org_small.admin)
    data = staff_form(org_small, **{FORM_FIELD: new_key()})
    first = client.post("/staff/new/", data)
    again = client.post("/staff/new/", data)
    assert first.status_code == again.status_code == 302
    assert again["Location"] == first["Location"]
    assert again["Idempotent-Replayed"] == "true"
    assert Staff.objects.filter(name="周双击").count() == 1


def test_a_new_key_or_changed_data_is_a_new_submission(org_small, client_as):
    client = client_as(org_small.admin)
    key = new_key()
    client.post("/staff/new/", staff_form(org_small, **{FORM_FIELD: key}))
    client.post("/staff/new/", staff_form(org_small, **{FORM_FIELD: new_key()}))
    client.post("/staff/new/", staff_form(org_small, name="周改名", **{FORM_FIELD: key}))
    assert Staff.objects.filter(name="周双击").count() == 2
    assert Staff.objects.filter(name="周改名").count() == 1


def test_another_person_never_gets_my_response(org_small, client_as):
    data = staff_form(org_small, **{FORM_FIELD: new_key()})
    client_as(org_small.admin).post("/staff/new/", data)
    other = client_as(org_small.head_a).post("/staff/new/", data)
    assert "Idempotent-Replayed" not in other
    assert Staff.objects.filter(name="周双击").count() == 2


def test_the_api_honours_the_idempotency_key_header(org_small, api_client_as):
    api = api_client_as(org_small.admin, token=True)
    api.headers["Idempotency-Key"] = new_key()
    first = api.post("/org/staff", api_staff(org_small))
    again = api.post("/org/staff", api_staff(org_small))
    assert first.status_code == again.status_code == 201
    assert again.json() == first.json()
    assert Staff.objects.filter(name="周接口").count() == 1


def test_a_refused_form_is_answered_the_same_to_its_repeats(org_small, client_as):
    client = client_as(org_small.admin)
    key = new_key()
    refused = client.post("/staff/new/", staff_form(org_small, name="", **{FORM_FIELD: key}))
    assert refused.status_code == 200
    assert IdempotencyKey.objects.get(key=key).status == 200


def test_keys_that_are_too_short_or_unprintable_are_ignored(org_small, client_as):
    client = client_as(org_small.admin)
    for key in ("short", " " * 20):
        client.post("/staff/new/", staff_form(org_small, **{FORM_FIELD: key}))
    assert Staff.objects.filter(name="周双击").count() == 2
    assert not IdempotencyKey.objects.exists()


# --- concurrency ------------------------------------------------------------------------------


def run_at_once(n: int, work) -> list:
    barrier = threading.Barrier(n)
    results: list = [None] * n
    errors: list[BaseException] = []

    def worker(i: int) -> None:
        try:
            barrier.wait(timeout=30)
            results[i] = work(i)
        except BaseException as exc:  # noqa: BLE001 - reported below
            errors.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=worker, args=(i,)) for i in range(n)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=120)
    assert not any(t.is_alive() for t in threads), "a request hung"
    if errors:
        raise errors[0]
    return results


@pytest.mark.django_db(transaction=True)
def test_concurrent_posts_of_one_form_make_one_record(org_small):
    clients = []
    for _ in range(4):
        client = Client()
        client.force_login(org_small.admin)
        clients.append(client)
    data = staff_form(org_small, **{FORM_FIELD: new_key()})
    responses = run_at_once(4, lambda i: clients[i].post("/staff/new/", data))
    assert Staff.objects.filter(name="周双击").count() == 1
    assert {r.status_code for r in responses} == {302}
    assert len({r["Location"] for r in responses}) == 1
    assert sum(r.has_header("Idempotent-Replayed") for r in responses) == 3


@pytest.mark.django_db(transaction=True)
def test_concurrent_api_posts_with_one_key_make_one_record(org_small):
    from chuangkou.core.models import ApiToken

    key = ApiToken.new_key()
    ApiToken.objects.create(
        user=org_small.admin, name="测试", key_hash=ApiToken.hash_key(key), prefix=key[:8]
    )
    headers = {"Authorization": f"Bearer {key}", "Idempotency-Key": new_key()}

    def post(_i):
        return Client().post(
            "/api/v1/org/staff", api_staff(org_small), "application/json", headers=headers
        )

    responses = run_at_once(4, post)
    assert Staff.objects.filter(name="周接口").count() == 1
    assert {r.status_code for r in responses} == {201}
    assert len({r.content for r in responses}) == 1


def test_a_malformed_idempotency_key_header_is_refused_not_ignored(org_small, api_client_as):
    """A client that sends the header asked for one submit, one record: a key we cannot use is
    a 400 with a Chinese message, not a silent second record on its retry."""
    api = api_client_as(org_small.admin, token=True)
    for key in ("short", "含中文的幂等键不可以用", "x" * 81, "has a space"):
        api.headers["Idempotency-Key"] = key
        refused = api.post("/org/staff", api_staff(org_small))
        assert refused.status_code == 400, key
        assert "Idempotency-Key 格式不正确" in refused.json()["detail"]
    assert not Staff.objects.filter(name="周接口").exists()
    assert not IdempotencyKey.objects.exists()
