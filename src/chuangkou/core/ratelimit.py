"""Rate limits for public posts (kiosk tickets, pad ratings, phone ratings, check-in codes).

One shared atomic counter per (scope, key, time window), kept in the database so that every
web worker and machine counts together: the row of the current window is created if missing
(`INSERT … ON CONFLICT DO NOTHING`) and incremented with `UPDATE … SET hits = hits + 1`,
which the database serialises. Old windows are deleted now and then.

    check_rate("kiosk", f"{center.pk}:{ip}", limit=30, seconds=60)   # raises when exceeded
    count_failure("checkin", phone, seconds=3600)                      # for "a few attempts"
"""

import datetime as dt

from django.db import models, transaction
from django.db.models import F
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


def hit(scope: str, key: str, *, seconds: int) -> int:
    """Count one hit of `key` in the current window of `seconds`; returns the hits so far."""
    now = timezone.now()
    name, expires = _window_key(scope, str(key), seconds, now)
    with transaction.atomic():
        RateCounter.objects.bulk_create(
            [RateCounter(key=name, expires_at=expires)], ignore_conflicts=True
        )
        RateCounter.objects.filter(key=name).update(hits=F("hits") + 1)
        hits = RateCounter.objects.filter(key=name).values_list("hits", flat=True).first() or 1
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
