"""Rate limits for public posts (kiosk tickets, pad ratings, phone ratings, check-in codes).

One shared atomic counter per (scope, key, time window), kept in the database so that every
web worker and machine counts together: the row of the current window is created if missing
and incremented in one statement (`INSERT … ON CONFLICT DO UPDATE SET hits = hits + 1
RETURNING hits`), which the database serialises. Old windows are deleted now and then.

    check_rate("kiosk", f"{center.pk}:{ip}", limit=30, seconds=60)   # raises when exceeded
    count_failure("checkin", phone, seconds=3600)                      # for "a few attempts"
"""

import datetime as dt

from django.db import connection, models
from django.utils import timezone

from .errors import DomainError

TOO_MANY = "操作过于频繁，请稍后再试。"


class RateCounter(models.Model):
    """Hits of one key in one time window (限流计数)."""

    key = models.CharField("键", max_length=200, unique=True)
    hits = models.PositiveIntegerField("次数", default=0)
    expires_at = models.DateTimeField("过期时间", db_index=True)

    class Meta:
        app_label = "core"
        verbose_name = verbose_name_plural = "限流计数"

    def __str__(self) -> str:
        return f"{self.key}: {self.hits}"


def _window_key(scope: str, key: str, seconds: int, now: dt.datetime) -> tuple[str, dt.datetime]:
    slot = int(now.timestamp()) // seconds
    expires = dt.datetime.fromtimestamp((slot + 1) * seconds, tz=dt.UTC)
    return f"{scope}:{key}:{seconds}:{slot}"[:200], expires


HIT_SQL = """
INSERT INTO {table} ({key}, hits, expires_at) VALUES (%s, 1, %s)
ON CONFLICT ({key}) DO UPDATE SET hits = {table}.hits + 1
RETURNING hits
"""


def hit(scope: str, key: str, *, seconds: int) -> int:
    """Count one hit of `key` in the current window of `seconds`; returns the hits so far.
    One statement (`INSERT … ON CONFLICT DO UPDATE … RETURNING`): the database serialises
    concurrent hits of one key on its row."""
    now = timezone.now()
    name, expires = _window_key(scope, str(key), seconds, now)
    quote = connection.ops.quote_name
    sql = HIT_SQL.format(table=quote(RateCounter._meta.db_table), key=quote("key"))
    with connection.cursor() as cursor:
        cursor.execute(sql, [name, connection.ops.adapt_datetimefield_value(expires)])
        hits = cursor.fetchone()[0]
    if hits == 1:
        RateCounter.objects.filter(expires_at__lt=now - dt.timedelta(hours=1)).delete()
    return hits


def hits_so_far(scope: str, key: str, *, seconds: int) -> int:
    """Hits of `key` in the current window, without counting one."""
    name, _ = _window_key(scope, str(key), seconds, timezone.now())
    return RateCounter.objects.filter(key=name).values_list("hits", flat=True).first() or 0


def check_rate(scope: str, key: str, *, limit: int, seconds: int, message: str = TOO_MANY):
    """Count a hit; DomainError (429) once more than `limit` hits fall in the window."""
    if hit(scope, key, seconds=seconds) > limit:
        raise DomainError(message, status=429)
