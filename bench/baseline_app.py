"""The baseline of bench/hall_queue.py: the essential work of issuing and calling a ticket done
the cheapest way in a minimal Django WSGI app (no auth, no ORM, one statement per request).

    POST /issue {"queue_id": n}        one INSERT, numbering included
    POST /call  {"queue_ids": [..], "window_id": n}   one UPDATE … WHERE id = (next) RETURNING
    POST /<id>/start, /<id>/finish     one UPDATE of the ticket's status (the rest of the
                                       window's cycle, so both servers carry the same requests)

PostgreSQL (DATABASE_URL): the issue is a single statement whose CTE bumps the day's counter
(UPSERT) and inserts the ticket; the call claims the next waiting ticket with
`FOR UPDATE SKIP LOCKED`. SQLite (BASELINE_SQLITE, a file): INSERT … SELECT max+1 and a single
UPDATE … RETURNING, each in an IMMEDIATE transaction (writers queue as in the app, through the
same backend, chuangkou.core.sqlite, so the ratio shows the app's own overhead).
Served by gunicorn with the same settings as `chuangkou serve`.

BASELINE_AUTH=1 adds the cheapest real token authentication, the part of a request the app
cannot skip (its API is token-only): /issue, /call and the steps then need
`Authorization: Bearer <key>`; the key is hashed (SHA-256, hex, as ApiToken.hash_key) and its
row read from `base_token` by that hash in ONE indexed SELECT that also filters out revoked and
expired rows (as the app's token read, api.find_token, without its join to the account and its
roles), answering 401 when the header is missing or the key unknown, expired or revoked. No
ORM, no account, no last-use write. create_schema() makes the table and a live row for
BENCH_KEY (env BASELINE_KEY), the key the bench sends. Without BASELINE_AUTH no request is
checked (the table is there, unread).
"""

import datetime as dt
import functools
import hashlib
import json
import os

import django
from django.conf import settings

PG = bool(os.environ.get("DATABASE_URL"))
AUTH = os.environ.get("BASELINE_AUTH") == "1"
BENCH_KEY = os.environ.get("BASELINE_KEY", "bk_baseline-bench-key")  # the key the bench sends


def _database() -> dict:
    if PG:
        import dj_database_url

        return dj_database_url.parse(
            os.environ["DATABASE_URL"], conn_max_age=60, conn_health_checks=True
        )
    return {
        "ENGINE": "chuangkou.core.sqlite",  # the app's writers' queue: the same lock waits
        "NAME": os.environ["BASELINE_SQLITE"],
        "CONN_MAX_AGE": 60,  # as the app: each server thread keeps its connection
        "OPTIONS": {
            "transaction_mode": "IMMEDIATE",
            "timeout": 20,
            "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
        },
    }


if not settings.configured:
    settings.configure(
        DEBUG=False,
        SECRET_KEY="bench-baseline",  # noqa: S106 - a throwaway local benchmark server
        ALLOWED_HOSTS=["*"],
        ROOT_URLCONF=__name__,
        DATABASES={"default": _database()},
        USE_TZ=True,
        MIDDLEWARE=[],
        INSTALLED_APPS=[],
    )
    django.setup()

from django.db import connection, transaction  # noqa: E402
from django.http import HttpResponse, JsonResponse  # noqa: E402
from django.urls import path  # noqa: E402
from django.views.decorators.csrf import csrf_exempt  # noqa: E402

SCHEMA_PG = """
CREATE TABLE IF NOT EXISTS base_counter (
  queue_id integer NOT NULL, service_date date NOT NULL, last_seq integer NOT NULL,
  PRIMARY KEY (queue_id, service_date));
CREATE TABLE IF NOT EXISTS base_ticket (
  id bigserial PRIMARY KEY, queue_id integer NOT NULL, service_date date NOT NULL,
  seq integer NOT NULL, status varchar(12) NOT NULL, priority boolean NOT NULL,
  issued_at timestamptz NOT NULL, window_id integer, called_at timestamptz,
  UNIQUE (queue_id, service_date, seq));
CREATE INDEX IF NOT EXISTS base_ticket_next ON base_ticket
  (queue_id, service_date, priority DESC, issued_at, id) WHERE status = 'waiting';
CREATE TABLE IF NOT EXISTS base_token (
  key_hash char(64) PRIMARY KEY, user_id integer NOT NULL, expires_at timestamptz NOT NULL,
  revoked boolean NOT NULL);
"""
SCHEMA_SQLITE = SCHEMA_PG.replace("bigserial", "integer").replace("timestamptz", "text")

ISSUE_PG = """
WITH n AS (
  INSERT INTO base_counter (queue_id, service_date, last_seq) VALUES (%(q)s, %(d)s, 1)
  ON CONFLICT (queue_id, service_date) DO UPDATE SET last_seq = base_counter.last_seq + 1
  RETURNING last_seq)
INSERT INTO base_ticket (queue_id, service_date, seq, status, priority, issued_at)
SELECT %(q)s, %(d)s, n.last_seq, 'waiting', false, %(now)s FROM n RETURNING id, seq
"""
ISSUE_SQLITE = """
INSERT INTO base_ticket (queue_id, service_date, seq, status, priority, issued_at)
SELECT %(q)s, %(d)s, COALESCE(MAX(seq), 0) + 1, 'waiting', 0, %(now)s FROM base_ticket
WHERE queue_id = %(q)s AND service_date = %(d)s RETURNING id, seq
"""
CALL = """
UPDATE base_ticket SET status = 'called', window_id = %(w)s, called_at = %(now)s
WHERE id = (SELECT id FROM base_ticket WHERE queue_id IN ({queues}) AND service_date = %(d)s
  AND status = 'waiting' ORDER BY priority DESC, issued_at, id LIMIT 1{lock})
RETURNING id, seq
"""
LOOKUP = """
SELECT user_id FROM base_token WHERE key_hash = %s AND revoked = %s AND expires_at > %s
"""


def hash_key(key: str) -> str:
    return hashlib.sha256(key.encode()).hexdigest()


def create_schema() -> None:
    """The tables, and a live token (a day to go) for BENCH_KEY."""
    expires = dt.datetime.now(dt.UTC) + dt.timedelta(days=1)
    with connection.cursor() as cursor:
        for statement in (SCHEMA_PG if PG else SCHEMA_SQLITE).split(";"):
            if statement.strip():
                cursor.execute(statement)
        cursor.execute(
            "INSERT INTO base_token (key_hash, user_id, expires_at, revoked)"
            " VALUES (%s, 1, %s, %s) ON CONFLICT (key_hash) DO UPDATE"
            " SET expires_at = excluded.expires_at, revoked = excluded.revoked",
            [hash_key(BENCH_KEY), connection.ops.adapt_datetimefield_value(expires), False],
        )


def clear() -> None:
    with connection.cursor() as cursor:
        cursor.execute("DELETE FROM base_ticket")
        cursor.execute("DELETE FROM base_counter")


def _one(sql: str, params: dict):
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return cursor.fetchone()


def _run(sql: str, params: dict):
    if PG:
        return _one(sql, params)
    with transaction.atomic():  # BEGIN IMMEDIATE
        return _one(sql, params)


def token_user(request) -> int | None:
    """The user id of the request's live bearer token: one SELECT by the key's hash."""
    scheme, _, key = request.headers.get("Authorization", "").partition(" ")
    if scheme.lower() != "bearer" or not key:
        return None
    now = connection.ops.adapt_datetimefield_value(dt.datetime.now(dt.UTC))
    with connection.cursor() as cursor:  # autocommit, before the write's transaction
        cursor.execute(LOOKUP, [hash_key(key), False, now])
        row = cursor.fetchone()
    return row[0] if row else None


def authenticated(view):
    """With BASELINE_AUTH=1 the view runs only for a live token (401 otherwise)."""
    if not AUTH:
        return view

    @functools.wraps(view)
    def check(request, *args, **kwargs):
        if token_user(request) is None:
            return JsonResponse({"detail": "unauthorized"}, status=401)
        return view(request, *args, **kwargs)

    return check


@csrf_exempt
@authenticated
def issue(request):
    body = json.loads(request.body)
    now = dt.datetime.now(dt.UTC)
    params = {"q": int(body["queue_id"]), "d": now.date(), "now": now}
    row = _run(ISSUE_PG if PG else ISSUE_SQLITE, params)
    return JsonResponse({"id": row[0], "seq": row[1]}, status=201)


@csrf_exempt
@authenticated
def call(request):
    body = json.loads(request.body)
    now = dt.datetime.now(dt.UTC)
    queue_ids = [int(q) for q in body["queue_ids"]]
    params = {"w": int(body["window_id"]), "d": now.date(), "now": now}
    params.update({f"q{i}": q for i, q in enumerate(queue_ids)})
    queues = ", ".join(f"%(q{i})s" for i in range(len(queue_ids)))
    sql = CALL.format(queues=queues, lock=" FOR UPDATE SKIP LOCKED" if PG else "")
    row = _run(sql, params)
    return JsonResponse({"ticket": None if row is None else {"id": row[0], "seq": row[1]}})


STEP = """
UPDATE base_ticket SET status = %(to)s WHERE id = %(id)s AND status = %(from)s RETURNING id
"""
STEPS = {"start": ("called", "serving"), "finish": ("serving", "done")}


@csrf_exempt
@authenticated
def step(request, ticket_id: int, action: str):
    before, after = STEPS[action]
    row = _run(STEP, {"id": ticket_id, "from": before, "to": after})
    return JsonResponse({"id": row[0] if row else None}, status=200 if row else 409)


def ping(request):
    return HttpResponse("ok")


urlpatterns = [
    path("issue", issue),
    path("call", call),
    path("<int:ticket_id>/<str:action>", step),
    path("ping", ping),
]

from django.core.wsgi import get_wsgi_application  # noqa: E402

application = get_wsgi_application()
