"""A request's first read (the session, the API token) is the kept connection's health check
(core.connections.first_read): no `SELECT 1` before it, and a connection the server has closed
is replaced instead of failing the request."""

import time

import psycopg
import pytest
from django.db import OperationalError, connection, connections

from chuangkou.core import services
from chuangkou.core.connections import first_read
from chuangkou.core.roles import Role

pytestmark = [
    pytest.mark.django_db(transaction=True),  # outside a transaction, as a served request
    pytest.mark.skipif(
        connection.vendor != "postgresql", reason="SQLite has no connection to lose"
    ),
]


@pytest.fixture
def checks(monkeypatch):
    """Each health check Django makes (`is_usable`, its `SELECT 1`), True or False."""
    made: list[bool] = []
    wrapper = type(connections["default"])
    usable = wrapper.is_usable

    def counted(self):
        made.append(usable(self))
        return made[-1]

    monkeypatch.setattr(wrapper, "is_usable", counted)
    return made


def new_request() -> None:
    """What request_started does to a kept connection (Django's test client skips it)."""
    connection.close_if_unusable_or_obsolete()
    assert connection.connection is not None and not connection.health_check_done


def kill_connection() -> int:
    """Terminate this connection's server process, as a PostgreSQL restart would."""
    pid = connection.connection.info.backend_pid
    settings = connection.settings_dict
    with psycopg.connect(
        dbname=settings["NAME"], user=settings["USER"], host=settings["HOST"],
        port=settings["PORT"] or 5432, autocommit=True,
    ) as other:  # fmt: skip
        other.execute("SELECT pg_terminate_backend(%s)", [pid])
        deadline = time.monotonic() + 30
        while other.execute("SELECT 1 FROM pg_stat_activity WHERE pid = %s", [pid]).fetchone():
            assert time.monotonic() < deadline, "the server process did not end"
            time.sleep(0.05)
    return pid


@pytest.fixture
def clerk(role_user):
    user = role_user(Role.CLERK, username="clerk77")
    return user, services.issue_api_token(actor=user, name="窗口终端")


def _me(client, key):
    return client.get("/api/v1/core/me", headers={"Authorization": f"Bearer {key}"})


def test_a_token_request_sends_no_select_1(clerk, client, checks):
    user, key = clerk
    assert _me(client, key).status_code == 200
    new_request()
    assert _me(client, key).status_code == 200
    assert checks == []


def test_a_token_request_on_a_closed_connection_reconnects(clerk, client, checks):
    user, key = clerk
    assert _me(client, key).status_code == 200
    new_request()
    dead = kill_connection()
    response = _me(client, key)
    assert response.status_code == 200, response.content
    assert response.json()["username"] == "clerk77"
    assert checks == [False] and connection.connection.info.backend_pid != dead


def test_a_signed_in_page_on_a_closed_connection_reconnects(clerk, client, checks):
    user, _ = clerk
    client.force_login(user)
    assert client.get("/account/").status_code == 200
    new_request()
    assert client.get("/account/").status_code == 200
    assert checks == []  # the session read was the check
    new_request()
    dead = kill_connection()
    assert client.get("/account/").status_code == 200
    assert checks == [False] and connection.connection.info.backend_pid != dead


def test_an_error_on_a_live_connection_is_raised_not_retried(checks):
    connection.ensure_connection()
    new_request()
    tries: list[int] = []

    def read():
        tries.append(1)
        raise OperationalError("canceling statement due to lock timeout")

    with pytest.raises(OperationalError):
        first_read(read)
    assert tries == [1] and checks == [True]
