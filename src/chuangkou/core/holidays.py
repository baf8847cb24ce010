"""The official days a center admin enters (法定节假日与调休上班日), kept in `core.models`.

Each November the State Council publishes next year's holidays and make-up working days (调休);
until the installed chinese_calendar ships them, the center admin enters them here, and what is
entered takes precedence over chinese_calendar (see `core.calendar`).
"""

from django.conf import settings
from django.db import models


class OfficialDay(models.Model):
    """One day whose status differs from Monday–Friday: a holiday (放假) or a working weekend
    day (调休上班). A year with any entry counts as covered by the center's own calendar."""

    date = models.DateField("日期", unique=True)
    is_working_day = models.BooleanField("上班", help_text="勾选为调休上班日，否则为放假日")
    name = models.CharField("节日", max_length=20, blank=True)
    entered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="录入人",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    entered_at = models.DateTimeField("录入时间", auto_now_add=True)

    class Meta:
        app_label = "core"
        ordering = ["date"]
        verbose_name = verbose_name_plural = "法定节假日与调休"

    def __str__(self) -> str:
        kind = "上班" if self.is_working_day else "放假"
        return f"{self.date:%Y-%m-%d} {self.name} {kind}".replace("  ", " ")
