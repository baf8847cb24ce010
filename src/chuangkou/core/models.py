import datetime as dt
import hashlib
import secrets

from django.conf import settings
from django.contrib.auth.models import AbstractUser
from django.db import models
from django.db.models import Q
from django.utils import timezone

from .holidays import OfficialDay  # noqa: F401 (the holiday calendar's model, see core.calendar)
from .ratelimit import RateCounter  # noqa: F401 (public posts' rate limits)


class User(AbstractUser):
    """An account. `display_name` is the person's Chinese name (姓名)."""

    display_name = models.CharField("姓名", max_length=50, blank=True)
    failed_logins = models.PositiveSmallIntegerField("连续登录失败次数", default=0)
    locked_until = models.DateTimeField("锁定至", null=True, blank=True)
    must_change_password = models.BooleanField("下次登录须修改密码", default=False)
    password_changed_at = models.DateTimeField("密码修改时间", null=True, blank=True)

    class Meta:
        verbose_name = "账号"
        verbose_name_plural = "账号"

    def __str__(self) -> str:
        return self.display_name or self.username


class AuditEntry(models.Model):
    """One append-only entry of the audit log (审计日志), on one of several keyed hash chains.

    `entry_hash` = HMAC-SHA256 (key outside the database) over `prev_hash` and this entry's
    canonical content; `seq` numbers the entries of one `chain` 1, 2, 3 ..., so editing or
    deleting an entry breaks its chain from that point on (`chuangkou audit verify`). Database
    triggers refuse UPDATE and DELETE (migration 0005).
    """

    chain = models.PositiveSmallIntegerField("链", default=0)
    seq = models.PositiveBigIntegerField("链内序号", default=0)
    created_at = models.DateTimeField("时间", db_index=True)
    # PROTECT: an account that acted is deactivated, never deleted, so its entries (and the hash
    # chain over their actor ids) stay as written.
    actor = models.ForeignKey(
        "core.User", verbose_name="操作人", null=True, blank=True, on_delete=models.PROTECT
    )
    actor_name = models.CharField("操作人账号", max_length=150, blank=True)
    action = models.CharField("操作", max_length=64, db_index=True)
    object_type = models.CharField("对象类型", max_length=64, blank=True, db_index=True)
    object_id = models.CharField("对象编号", max_length=64, blank=True, db_index=True)
    object_repr = models.CharField("对象", max_length=200, blank=True)
    before = models.JSONField("修改前", null=True, blank=True)
    after = models.JSONField("修改后", null=True, blank=True)
    ip_address = models.GenericIPAddressField("IP", null=True, blank=True)
    prev_hash = models.CharField(max_length=64)
    entry_hash = models.CharField(max_length=64, unique=True)

    class Meta:
        ordering = ["-id"]
        constraints = [
            models.UniqueConstraint(fields=["chain", "seq"], name="core_auditentry_chain_seq")
        ]
        verbose_name = "审计日志"
        verbose_name_plural = "审计日志"

    def __str__(self) -> str:
        return f"{self.created_at:%Y-%m-%d %H:%M:%S} {self.actor_name} {self.action}"

    def save(self, *args, **kwargs):
        if self.pk is not None:
            raise PermissionError("审计日志只能追加，不能修改。")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise PermissionError("审计日志不能删除。")


def default_token_expiry() -> dt.datetime:
    return timezone.now() + dt.timedelta(days=settings.API_TOKEN_MAX_AGE_DAYS)


class ApiToken(models.Model):
    """A person's token for the API (issued by that person). Only a SHA-256 of the key is
    stored; it expires, can be revoked, and `last_used_at` is written at most once a minute."""

    user = models.ForeignKey("core.User", on_delete=models.CASCADE, related_name="api_tokens")
    name = models.CharField("用途", max_length=100)
    key_hash = models.CharField(max_length=64, unique=True)
    prefix = models.CharField(max_length=8)
    created_at = models.DateTimeField(auto_now_add=True)
    expires_at = models.DateTimeField("有效期至", default=default_token_expiry)
    last_used_at = models.DateTimeField(null=True, blank=True)
    revoked = models.BooleanField(default=False)
    revoked_at = models.DateTimeField("吊销时间", null=True, blank=True)

    class Meta:
        verbose_name = "API 令牌"
        verbose_name_plural = "API 令牌"

    def __str__(self) -> str:
        return f"{self.name} ({self.prefix}…)"

    @staticmethod
    def hash_key(key: str) -> str:
        return hashlib.sha256(key.encode()).hexdigest()

    @staticmethod
    def new_key() -> str:
        return "ck_" + secrets.token_urlsafe(32)


class PasswordHistory(models.Model):
    """The hashes of a person's recent passwords (no reuse of the last few)."""

    user = models.ForeignKey("core.User", on_delete=models.CASCADE, related_name="password_history")
    password = models.CharField(max_length=128)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-id"]
        verbose_name = "历史密码"
        verbose_name_plural = "历史密码"

    def __str__(self) -> str:
        return f"{self.user_id} {self.created_at:%Y-%m-%d}"


class LoginThrottle(models.Model):
    """Sign-in attempts from one client address in the current window (限制单个地址的尝试)."""

    address = models.CharField(max_length=64, unique=True)
    window_start = models.DateTimeField()
    attempts = models.PositiveIntegerField(default=0)

    class Meta:
        verbose_name = "登录限流"
        verbose_name_plural = "登录限流"

    def __str__(self) -> str:
        return f"{self.address}: {self.attempts}"


class RoleChangeRequest(models.Model):
    """A change that grants an administrative role, waiting for a second person's approval
    (四眼原则: the security administrator or another system administrator)."""

    class Status(models.TextChoices):
        PENDING = "pending", "待批准"
        APPROVED = "approved", "已批准"
        REJECTED = "rejected", "已驳回"

    user = models.ForeignKey(
        "core.User", verbose_name="账号", on_delete=models.CASCADE, related_name="role_requests"
    )
    roles = models.JSONField("申请后的全部角色")
    requested_by = models.ForeignKey(
        "core.User", verbose_name="申请人", on_delete=models.PROTECT, related_name="+"
    )
    requested_at = models.DateTimeField("申请时间", default=timezone.now)
    status = models.CharField("状态", max_length=16, choices=Status, default=Status.PENDING)
    decided_by = models.ForeignKey(
        "core.User",
        verbose_name="审批人",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    decided_at = models.DateTimeField("审批时间", null=True, blank=True)

    class Meta:
        ordering = ["-id"]
        verbose_name = "角色变更申请"
        verbose_name_plural = "角色变更申请"
        constraints = [
            models.UniqueConstraint(
                fields=["user"],
                condition=Q(status="pending"),
                name="core_rolechangerequest_one_pending",
            )
        ]

    def __str__(self) -> str:
        return f"{self.user} → {', '.join(self.roles)} ({self.get_status_display()})"


from .idempotency import IdempotencyKey  # noqa: E402, F401 (a model of its own module)


def percent_done(done: int, total: int, finished: bool) -> int:
    """A long job's progress bar (imports, exports): 100 only once it has finished, 99 at most
    before (the last rows or the commit may still take a while), 0 while the total is unknown."""
    if finished:
        return 100
    return min(99, done * 100 // total) if total else 0


class ExportJob(models.Model):
    """后台导出: a large table written to an xlsx file by the task worker (see core.exports).

    Only its owner sees and downloads it; the file is deleted `exports.KEEP_FILES` after it is
    written. One request of an owner for the same table and filter waits or runs at a time (a
    double click makes one job); a cancelled one no longer counts.
    """

    class Status(models.TextChoices):
        PENDING = "pending", "排队中"
        RUNNING = "running", "导出中"
        DONE = "done", "已完成"
        FAILED = "failed", "失败"
        CANCELLED = "cancelled", "已取消"

    owner = models.ForeignKey(
        "core.User", verbose_name="导出人", on_delete=models.CASCADE, related_name="+"
    )
    kind = models.CharField("数据", max_length=64)
    query = models.JSONField("筛选条件", default=dict, blank=True)
    query_key = models.CharField(max_length=64)
    filename = models.CharField("文件名", max_length=200, blank=True)
    status = models.CharField("状态", max_length=12, choices=Status, default=Status.PENDING)
    total_rows = models.PositiveIntegerField("预计行数", default=0)
    written_rows = models.PositiveIntegerField("已写行数", default=0)
    file = models.CharField("文件", max_length=200, blank=True)
    message = models.CharField("说明", max_length=500, blank=True)
    created_at = models.DateTimeField("申请时间", default=timezone.now)
    updated_at = models.DateTimeField("更新时间", default=timezone.now)
    finished_at = models.DateTimeField("完成时间", null=True, blank=True)

    class Meta:
        ordering = ["-id"]
        verbose_name = verbose_name_plural = "后台导出"
        constraints = [
            models.UniqueConstraint(
                fields=["owner", "kind", "query_key"],
                condition=Q(status__in=["pending", "running"]),
                name="core_exportjob_one_running",
            )
        ]

    def __str__(self) -> str:
        return f"{self.filename or self.kind}（{self.get_status_display()}）"

    @property
    def is_running(self) -> bool:
        return self.status in (self.Status.PENDING, self.Status.RUNNING)

    @property
    def percent(self) -> int:
        return percent_done(self.written_rows, self.total_rows, self.status == self.Status.DONE)
