"""人文关怀: psychological leave (心理假), counseling (特约心理医生) with encrypted notes,
care talks (约谈)."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone

from chuangkou.org.models import Staff


class PsychLeave(models.Model):
    """心理假: one working day a month per staff member; no reason is asked or kept."""

    staff = models.ForeignKey(
        Staff, verbose_name="人员", on_delete=models.CASCADE, related_name="psych_leaves"
    )
    date = models.DateField("日期", db_index=True)
    month = models.DateField("月份", help_text="该月第一天")
    created_at = models.DateTimeField("申请时间", default=timezone.now)

    class Meta:
        verbose_name = "心理假"
        verbose_name_plural = "心理假"
        ordering = ["-date"]
        constraints = [
            models.UniqueConstraint(fields=["staff", "month"], name="care_psychleave_one_a_month"),
            models.CheckConstraint(
                condition=Q(month__lte=models.F("date")), name="care_psychleave_month_of_date"
            ),
        ]

    def __str__(self) -> str:
        return f"心理假 {self.date:%Y-%m-%d}"


class CounselingSlot(models.Model):
    """A time the counselor offers (on site or by phone)."""

    class Mode(models.TextChoices):
        ONSITE = "onsite", "现场"
        PHONE = "phone", "电话"

    counselor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="心理咨询师",
        on_delete=models.PROTECT,
        related_name="counseling_slots",
    )
    starts_at = models.DateTimeField("开始时间", db_index=True)
    minutes = models.PositiveSmallIntegerField("时长（分钟）", default=50)
    mode = models.CharField("方式", max_length=8, choices=Mode.choices, default=Mode.ONSITE)
    place = models.CharField("地点/说明", max_length=100, blank=True)
    withdrawn = models.BooleanField("已撤回", default=False)

    class Meta:
        verbose_name = "咨询时段"
        verbose_name_plural = "咨询时段"
        ordering = ["starts_at"]
        constraints = [
            models.CheckConstraint(
                condition=Q(minutes__gte=10, minutes__lte=240), name="care_counselingslot_minutes"
            )
        ]

    def __str__(self) -> str:
        local = timezone.localtime(self.starts_at)
        return f"{local:%Y-%m-%d %H:%M} {self.get_mode_display()}"


class Appointment(models.Model):
    """A booked slot; the counselor's session note is kept encrypted (Fernet) in `note_token`."""

    slot = models.ForeignKey(
        CounselingSlot, verbose_name="时段", on_delete=models.PROTECT, related_name="appointments"
    )
    client = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="预约人",
        on_delete=models.PROTECT,
        related_name="counseling_appointments",
    )
    booked_at = models.DateTimeField("预约时间", default=timezone.now)
    cancelled_at = models.DateTimeField("取消时间", null=True, blank=True)
    note_token = models.TextField("咨询记录（密文）", blank=True, editable=False)
    note_updated_at = models.DateTimeField("记录更新时间", null=True, blank=True)

    class Meta:
        verbose_name = "心理咨询预约"
        verbose_name_plural = "心理咨询预约"
        ordering = ["-booked_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["slot"],
                condition=Q(cancelled_at__isnull=True),
                name="care_appointment_one_per_slot",
            )
        ]

    def __str__(self) -> str:  # no names: the audit log shows this
        return f"心理咨询预约 #{self.pk}"

    @property
    def has_note(self) -> bool:
        return bool(self.note_token)


class CareTalk(models.Model):
    """约谈: a talk a head held with a staff member; seen by its holder and the center admin."""

    class Topic(models.TextChoices):
        WORK_PRESSURE = "pressure", "工作压力"
        SERVICE = "service", "服务与业务"
        RELATIONS = "relations", "人际关系"
        FAMILY = "family", "家庭困难"
        HEALTH = "health", "身心健康"
        CAREER = "career", "职业发展"
        OTHER = "other", "其他"

    held_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="约谈人",
        on_delete=models.PROTECT,
        related_name="care_talks_held",
    )
    staff = models.ForeignKey(
        Staff, verbose_name="谈话对象", on_delete=models.PROTECT, related_name="care_talks"
    )
    date = models.DateField("日期", db_index=True)
    topic = models.CharField("主题类别", max_length=12, choices=Topic.choices)
    follow_up = models.CharField("后续跟进", max_length=500, blank=True)
    created_at = models.DateTimeField("记录时间", default=timezone.now)

    class Meta:
        verbose_name = "约谈记录"
        verbose_name_plural = "约谈记录"
        ordering = ["-date", "-pk"]

    def __str__(self) -> str:
        return f"约谈 #{self.pk}"
