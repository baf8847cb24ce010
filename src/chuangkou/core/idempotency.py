"""One submit, one record (幂等提交): a double click or a retried request creates once.

A POST that carries a key (the hidden form field `idempotency_key`, rendered by `_form.html` and
added to every other POST form by static/js/idempotency.js, or the API header
`Idempotency-Key`) is claimed in `IdempotencyKey` before the view runs. The unique constraint on
(scope, key, fingerprint) decides between concurrent requests: the first runs the view and
stores its response; a repeat gets that stored response (the same redirect, the same JSON)
instead of running the view again. A repeat that arrives while the first is still running waits
for it, and after `WAIT_SECONDS` gets a 409 with a Chinese message. A malformed header is
refused with a 400 (a malformed form field, made by our own pages, counts as no key). A response
of 500 or an exception releases the key, so the request can be retried.

The scope is the account (or, for the API, the bearer token; for anonymous posts, the session or
client address): one person's key never replays another person's response. The fingerprint is a
hash of the path and the submitted data, so a changed form with the same key is a new request.
Stored responses are kept for `KEEP_HOURS`.
"""

import datetime as dt
import hashlib
import secrets
import time

from django.db import IntegrityError, models, transaction
from django.http import HttpResponse, JsonResponse
from django.utils import timezone

from .middleware import client_address

FORM_FIELD = "idempotency_key"
HEADER = "Idempotency-Key"
WAIT_SECONDS = 15.0
KEEP_HOURS = 24
MAX_STORED_BYTES = 512 * 1024
REPLAYED_HEADER = "Idempotent-Replayed"
_FORM_TYPES = ("application/x-www-form-urlencoded", "multipart/form-data")


class IdempotencyKey(models.Model):
    """A claimed key and, once the first request finished, its response (幂等键)."""

    scope = models.CharField("提交人", max_length=80)
    key = models.CharField("幂等键", max_length=80)
    fingerprint = models.CharField("请求摘要", max_length=64)
    created_at = models.DateTimeField("时间", default=timezone.now, db_index=True)
    status = models.PositiveSmallIntegerField("响应状态", null=True, blank=True)
    content_type = models.CharField(max_length=100, blank=True)
    location = models.CharField(max_length=1000, blank=True)
    body = models.BinaryField(blank=True, default=b"")

    class Meta:
        verbose_name = "幂等键"
        verbose_name_plural = "幂等键"
        constraints = [
            models.UniqueConstraint(
                fields=["scope", "key", "fingerprint"], name="core_idempotencykey_once"
            )
        ]

    def __str__(self) -> str:
        return f"{self.scope} {self.key}"


def new_key() -> str:
    return secrets.token_hex(16)


MIN_KEY, MAX_KEY = 8, 80
BAD_HEADER_MESSAGE = (
    f"请求头 {HEADER} 格式不正确：须为 {MIN_KEY} 到 {MAX_KEY} 个可见字符（不含空格），"
    "建议每次提交生成一个新的随机值（如 UUID）。"
)


def _valid(key: str) -> bool:
    return MIN_KEY <= len(key) <= MAX_KEY and key.isascii() and key.isprintable() and " " not in key


def key_of(request) -> str:
    """The request's key (header or form field), or "" for a request without one. A malformed
    form field (our pages make it) counts as none; see `bad_header` for the header."""
    key = request.headers.get(HEADER, "").strip()
    if not key and request.content_type in _FORM_TYPES:
        key = request.POST.get(FORM_FIELD, "").strip()
    return key if _valid(key) else ""


def bad_header(request) -> bool:
    """An Idempotency-Key header that is there but malformed: refused rather than ignored, or
    the client, which asked for one submit, one record, would silently get two on a retry."""
    key = request.headers.get(HEADER, "").strip()
    return bool(key) and not _valid(key)


def scope_of(request) -> str:
    user = getattr(request, "user", None)
    if user is not None and user.is_authenticated:
        return f"u{user.pk}"
    if auth := request.headers.get("Authorization"):
        return "t" + hashlib.sha256(auth.encode()).hexdigest()[:40]
    session_key = getattr(getattr(request, "session", None), "session_key", None)
    return f"s{session_key}" if session_key else f"a{client_address(request) or ''}"


def fingerprint_of(request) -> str:
    digest = hashlib.sha256(request.path.encode())
    if request.content_type in _FORM_TYPES:
        for name in sorted(request.POST):
            if name not in (FORM_FIELD, "csrfmiddlewaretoken"):
                digest.update(repr((name, request.POST.getlist(name))).encode())
        for name in sorted(request.FILES):
            digest.update(repr([(f.name, f.size) for f in request.FILES.getlist(name)]).encode())
    else:
        digest.update(request.body)
    return digest.hexdigest()


def _claim(scope: str, key: str, fingerprint: str) -> IdempotencyKey | None:
    """The new claim, or None when another request holds (or held) this key."""
    try:
        with transaction.atomic():
            return IdempotencyKey.objects.create(scope=scope, key=key, fingerprint=fingerprint)
    except IntegrityError:
        return None


def _stored(scope: str, key: str, fingerprint: str) -> IdempotencyKey | None:
    return IdempotencyKey.objects.filter(scope=scope, key=key, fingerprint=fingerprint).first()


def _replay(record: IdempotencyKey) -> HttpResponse:
    response = HttpResponse(
        bytes(record.body), status=record.status, content_type=record.content_type or None
    )
    if record.location:
        response["Location"] = record.location
    response[REPLAYED_HEADER] = "true"
    return response


def _malformed(request) -> HttpResponse:
    if request.path.startswith("/api/"):
        return JsonResponse({"detail": BAD_HEADER_MESSAGE}, status=400)
    return HttpResponse(BAD_HEADER_MESSAGE, status=400, content_type="text/plain; charset=utf-8")


def _busy(request) -> HttpResponse:
    message = "同一提交正在处理中，请勿重复提交；稍候刷新页面即可看到结果。"
    if request.path.startswith("/api/"):
        return JsonResponse({"detail": message}, status=409)
    return HttpResponse(message, status=409, content_type="text/plain; charset=utf-8")


def _settle(record: IdempotencyKey, response) -> None:
    """Keep the response for repeats; release the key after a server error."""
    storable = not response.streaming and len(response.content) <= MAX_STORED_BYTES
    if response.status_code >= 500 or not storable:
        IdempotencyKey.objects.filter(pk=record.pk).delete()
        return
    IdempotencyKey.objects.filter(pk=record.pk).update(
        status=response.status_code,
        content_type=response.get("Content-Type", "")[:100],
        location=response.get("Location", "")[:1000],
        body=response.content,
    )


def purge_expired() -> int:
    cutoff = timezone.now() - dt.timedelta(hours=KEEP_HOURS)
    return IdempotencyKey.objects.filter(created_at__lt=cutoff).delete()[0]


class IdempotencyMiddleware:
    """Runs each keyed POST once per scope; see the module docstring."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if request.method != "POST":
            return self.get_response(request)
        if bad_header(request):
            return _malformed(request)
        key = key_of(request)
        if not key:
            return self.get_response(request)
        scope, fingerprint = scope_of(request), fingerprint_of(request)
        deadline = time.monotonic() + WAIT_SECONDS
        while (record := _claim(scope, key, fingerprint)) is None:
            earlier = _stored(scope, key, fingerprint)
            if earlier is not None and earlier.status is not None:
                return _replay(earlier)
            if time.monotonic() > deadline:
                return _busy(request)
            time.sleep(0.05)  # the first request is still running: wait for its response
        if secrets.randbelow(500) == 0:
            purge_expired()
        try:
            response = self.get_response(request)
        except BaseException:
            IdempotencyKey.objects.filter(pk=record.pk).delete()
            raise
        _settle(record, response)
        return response
