"""The two reads every signed-in request makes before its view runs: the session row, then the
account it names. Both are fixed statements; built by the ORM on each request they cost more
CPU than running them (about two thirds of a no-op page's). Here each is built once per
database connection and then only executed, with the same result as Django's own reads:

- `SessionStore` (SESSION_ENGINE "chuangkou.core.sessions"): Django's database sessions, whose
  load reads `session_data` of the unexpired row by a precompiled statement, as the request's
  connection health check (core.connections.first_read). Saving, expiry, flushing and cycling
  the key are Django's.
- `load_user(pk)`: the account row as the ORM's `User.objects.get(pk=…)` returns it (every
  field, through the ORM's own converters: core.rows.RowLoader), for
  LockoutModelBackend.get_user.
"""

from functools import lru_cache

from django.contrib.auth import get_user_model
from django.contrib.sessions.backends import db
from django.db import connection, connections, router
from django.utils import timezone

from .connections import first_read, prepared_cursor
from .rows import RowLoader

_SESSION_READ = "_chuangkou_session_read"


def _session_sql(connection, model) -> str:
    """Per connection (each thread has its own): the statement text with the vendor's quoting."""
    sql = getattr(connection, _SESSION_READ, None)
    if sql is None:
        q = connection.ops.quote_name
        meta = model._meta
        # quoted names from the model; the values are parameters
        data, key, expires = (
            q(meta.get_field(name).column)
            for name in ("session_data", "session_key", "expire_date")
        )
        sql = f"SELECT {data} FROM {q(meta.db_table)} WHERE {key} = %s AND {expires} > %s"  # noqa: S608
        setattr(connection, _SESSION_READ, sql)
    return sql


class SessionStore(db.SessionStore):
    def _get_session_from_db(self):
        using = router.db_for_read(self.model)
        connection = connections[using]
        now = connection.ops.adapt_datetimefield_value(timezone.now())

        def read():
            with prepared_cursor(using) as cursor:
                cursor.execute(_session_sql(connection, self.model), [self.session_key, now])
                return cursor.fetchone()

        row = first_read(read, using)
        if row is None:  # unknown or expired: a new session, as Django's own load does
            self._session_key = None
            return None
        return self.model(session_key=self.session_key, session_data=row[0])


@lru_cache(maxsize=1)
def _user_query() -> tuple[str, RowLoader]:
    users = RowLoader(get_user_model())
    table = connection.ops.quote_name(users.model._meta.db_table)
    return f"SELECT {users.columns('u')} FROM {table} u WHERE u.id = %s", users  # noqa: S608


def load_user(pk):
    """The account with this primary key (every field, converted as the ORM would), or None."""
    sql, users = _user_query()
    with prepared_cursor() as cursor:
        cursor.execute(sql, [pk])
        row = cursor.fetchone()
    return users.load(row) if row is not None else None
