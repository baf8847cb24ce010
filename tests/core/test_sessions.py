"""The per-request reads of a signed-in request (core/sessions.py): the same session and account
as Django's own reads, built once instead of on every request; and the production server
loading the app before its first request (wsgi.py, `chuangkou serve --preload`)."""

import argparse
import datetime as dt
import os
import subprocess
import sys

import pytest
from django.contrib.sessions.backends.db import SessionStore as DjangoSessionStore
from django.contrib.sessions.models import Session
from django.db import connection
from django.db.models.sql.compiler import SQLCompiler
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from chuangkou.cli import gunicorn_command
from chuangkou.core.auth import LockoutModelBackend
from chuangkou.core.models import User
from chuangkou.core.sessions import SessionStore, load_user

from ..factories import UserFactory


@pytest.fixture
def account(db):
    return UserFactory(
        username="clerk31",
        display_name="钱三一",
        must_change_password=False,
        locked_until=timezone.now() - dt.timedelta(hours=1),
        password_changed_at=timezone.now() - dt.timedelta(days=3),
        last_login=timezone.now() - dt.timedelta(minutes=5),
    )


def test_the_session_is_loaded_as_django_stores_it(db):
    stored = DjangoSessionStore()
    stored.update({"a": 1, "名": "窗口", "when": "2018-03-01"})
    stored.create()
    ours = SessionStore(stored.session_key)
    assert ours.load() == {"a": 1, "名": "窗口", "when": "2018-03-01"}
    assert ours.session_key == stored.session_key


def test_an_expired_or_unknown_session_loads_empty_and_gets_a_new_key(db):
    stored = DjangoSessionStore()
    stored["a"] = 1
    stored.create()
    Session.objects.filter(pk=stored.session_key).update(
        expire_date=timezone.now() - dt.timedelta(seconds=1)
    )
    for key in (stored.session_key, "x" * 32):
        session = SessionStore(key)
        assert session.load() == {}
        assert session.session_key is None


def test_the_account_is_loaded_field_for_field_as_the_orm_does(account):
    loaded = load_user(account.pk)
    expected = User.objects.get(pk=account.pk)
    for field in User._meta.concrete_fields:
        assert getattr(loaded, field.attname) == getattr(expected, field.attname), field.name
    assert loaded._state.adding is False and loaded._state.db == "default"
    assert loaded.locked_until.tzinfo is not None
    assert load_user(account.pk + 1000) is None
    # the loaded account is an ordinary one: saving it writes the row
    loaded.display_name = "钱三"
    loaded.save(update_fields=["display_name"])
    assert User.objects.get(pk=account.pk).display_name == "钱三"


def test_an_inactive_account_is_not_signed_in(account, client_as):
    client = client_as(account)
    assert LockoutModelBackend().get_user(account.pk) == account
    User.objects.filter(pk=account.pk).update(is_active=False)
    assert LockoutModelBackend().get_user(account.pk) is None
    response = client.get("/")
    assert response.status_code == 302 and response["Location"].startswith("/login/")


def test_a_signed_in_request_builds_no_statement_for_its_session_and_account(
    account, client_as, monkeypatch
):
    client = client_as(account)
    assert client.get("/healthz").status_code == 200  # the first may refresh the idle expiry
    built = []
    as_sql = SQLCompiler.as_sql

    def counting(self, *args, **kwargs):
        built.append(self.query.model)
        return as_sql(self, *args, **kwargs)

    monkeypatch.setattr(SQLCompiler, "as_sql", counting)
    with CaptureQueriesContext(connection) as queries:
        response = client.get("/healthz")
    assert response.status_code == 200 and response.wsgi_request.user == account
    assert len(queries) == 2  # the session, the account
    assert built == []


def test_a_changed_password_signs_the_other_sessions_out(account, client_as):
    client = client_as(account)
    assert client.get("/").status_code == 200
    account.set_password("Another#Pass2018")
    account.save()
    response = client.get("/")
    assert response.status_code == 302 and response["Location"].startswith("/login/")


def test_the_wsgi_module_loads_the_urls_before_the_first_request(tmp_path):
    """gunicorn --preload imports it in the master: no worker's first request loads them."""
    code = (
        "import chuangkou.wsgi\n"
        "from django.urls import get_resolver\n"
        "from django.db import connections\n"
        "print(get_resolver()._populated, any(c.connection for c in connections.all()))\n"
    )
    env = {**os.environ, "CHUANGKOU_DATA_DIR": str(tmp_path), "ALLOWED_HOSTS": "127.0.0.1"}
    env.pop("DJANGO_SETTINGS_MODULE", None)
    out = subprocess.run(  # noqa: S603 (this interpreter, fixed code)
        [sys.executable, "-c", code], env=env, capture_output=True, text=True, check=True
    )
    assert out.stdout.split() == ["True", "False"]  # loaded, and no connection left open


def test_serve_preloads_the_app():
    args = argparse.Namespace(host="127.0.0.1", port=8000, workers=2)
    command = gunicorn_command(args)
    assert "--preload" in command
    assert command[command.index("--threads") + 1] == "4"


def test_sqlite_server_threads_keep_their_connection(settings):
    """A new SQLite connection per request re-ran the PRAGMAs and re-read the schema (about as
    much CPU as a submit's own statements); PostgreSQL's already lived 60 s."""
    database = settings.DATABASES["default"]
    assert database["CONN_MAX_AGE"] >= 60
