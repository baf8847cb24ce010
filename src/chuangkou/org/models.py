import datetime as dt

from django.conf import settings
from django.db import models
from django.db.models import Exists, OuterRef, Q
from django.db.models.functions import Length
from django.utils import timezone

from chuangkou.core.masking import mask_id_number, mask_phone


class Region(models.Model):
    """区县 under a city: every report can be cut by region."""

    code = models.CharField("区划代码", max_length=12, unique=True)
    name = models.CharField("区县", max_length=50)
    city = models.CharField("所属城市", max_length=50)

    class Meta:
        ordering = ["code"]
        verbose_name = verbose_name_plural = "区县"

    def __str__(self) -> str:
        return f"{self.city}{self.name}"


class Center(models.Model):
    """行政服务中心 (main) or one of its street sub-centers (分中心)."""

    class Kind(models.TextChoices):
        MAIN = "main", "区行政服务中心"
        SUB = "sub", "分中心"

    region = models.ForeignKey(Region, verbose_name="区县", on_delete=models.PROTECT)
    name = models.CharField("名称", max_length=100)
    kind = models.CharField("类型", max_length=8, choices=Kind.choices, default=Kind.SUB)
    parent = models.ForeignKey(
        "self",
        verbose_name="上级中心",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="sub_centers",
    )
    address = models.CharField("地址", max_length=200, blank=True)

    class Meta:
        ordering = ["kind", "name"]
        verbose_name = verbose_name_plural = "服务中心"
        constraints = [
            models.UniqueConstraint(fields=["region", "name"], name="org_center_unique_name")
        ]

    def __str__(self) -> str:
        return self.name


class BusinessCategory(models.Model):
    """业务类别 (the seed's 五大类 of business backbone staff); configurable."""

    name = models.CharField("名称", max_length=50, unique=True)
    order = models.PositiveSmallIntegerField("顺序", default=0)

    class Meta:
        ordering = ["order", "name"]
        verbose_name = verbose_name_plural = "业务类别"

    def __str__(self) -> str:
        return self.name


class Department(models.Model):
    """进驻部门: a department stationed in the hall."""

    region = models.ForeignKey(Region, verbose_name="区县", on_delete=models.PROTECT)
    code = models.CharField("编码", max_length=20)
    name = models.CharField("名称", max_length=100)
    heads = models.ManyToManyField(
        settings.AUTH_USER_MODEL,
        verbose_name="部门负责人",
        blank=True,
        related_name="headed_departments",
    )

    class Meta:
        ordering = ["code"]
        verbose_name = verbose_name_plural = "进驻部门"
        constraints = [
            models.UniqueConstraint(fields=["region", "name"], name="org_department_unique_name"),
            models.UniqueConstraint(fields=["region", "code"], name="org_department_unique_code"),
        ]

    def __str__(self) -> str:
        return self.name


class Window(models.Model):
    """A service window (窗口), numbered like A03 within its center."""

    center = models.ForeignKey(Center, verbose_name="中心", on_delete=models.PROTECT)
    number = models.CharField("窗口号", max_length=10)
    name = models.CharField("名称", max_length=100)
    department = models.ForeignKey(Department, verbose_name="部门", on_delete=models.PROTECT)
    categories = models.ManyToManyField(BusinessCategory, verbose_name="业务类别", blank=True)
    is_active = models.BooleanField("启用", default=True)

    class Meta:
        ordering = ["center", "number"]
        verbose_name = verbose_name_plural = "窗口"
        constraints = [
            models.UniqueConstraint(fields=["center", "number"], name="org_window_unique_number")
        ]

    def __str__(self) -> str:
        return f"{self.number} {self.name}"


class Staff(models.Model):
    """窗口工作人员. The stored status is 在岗 or 离职 (set by a separation); 交流中 is derived
    from the postings by date (`current_status`)."""

    class EmploymentType(models.TextChoices):
        REGULAR = "regular", "在编"
        TEMPORARY = "temporary", "临编"
        AGENCY = "agency", "派遣"

    class Gender(models.TextChoices):
        MALE = "M", "男"
        FEMALE = "F", "女"

    class Status(models.TextChoices):
        ACTIVE = "active", "在岗"
        EXCHANGE = "exchange", "交流中"
        LEFT = "left", "离职"

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        verbose_name="登录账号",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="staff",
    )
    staff_no = models.CharField("工号", max_length=20, unique=True)
    name = models.CharField("姓名", max_length=50, db_index=True)
    gender = models.CharField("性别", max_length=1, choices=Gender.choices)
    employment_type = models.CharField("用工性质", max_length=12, choices=EmploymentType.choices)
    category = models.ForeignKey(
        BusinessCategory, verbose_name="业务类别", null=True, blank=True, on_delete=models.PROTECT
    )
    department = models.ForeignKey(Department, verbose_name="部门", on_delete=models.PROTECT)
    center = models.ForeignKey(Center, verbose_name="所在中心", on_delete=models.PROTECT)
    window = models.ForeignKey(
        Window, verbose_name="当前窗口", null=True, blank=True, on_delete=models.SET_NULL
    )
    hire_date = models.DateField("入职日期", db_index=True)
    phone = models.CharField("手机号", max_length=20, blank=True)
    id_number = models.CharField("身份证号", max_length=18, blank=True)
    status = models.CharField("状态", max_length=10, choices=Status.choices, default=Status.ACTIVE)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = [Length("staff_no"), "staff_no"]  # CK99999 before CK100000
        verbose_name = verbose_name_plural = "窗口人员"
        constraints = [
            models.UniqueConstraint(
                fields=["id_number"],
                condition=~Q(id_number=""),
                name="org_staff_unique_id_number",
            )
        ]

    def __str__(self) -> str:
        return f"{self.name}（{self.staff_no}）"

    @property
    def current_status(self) -> str:
        """在岗 / 交流中 / 离职 today: 交流中 while an exchange posting covers today.

        Uses the `on_exchange` annotation of `with_current_status` when present.
        """
        if self.status == self.Status.LEFT:
            return self.Status.LEFT
        on_exchange = getattr(self, "on_exchange", None)
        if on_exchange is None:
            on_exchange = self.assignments.filter(exchange_covering(timezone.localdate())).exists()
        return self.Status.EXCHANGE if on_exchange else self.Status.ACTIVE

    def get_current_status_display(self) -> str:
        return str(self.Status(self.current_status).label)

    @property
    def masked_phone(self) -> str:
        return mask_phone(self.phone)

    @property
    def masked_id_number(self) -> str:
        return mask_id_number(self.id_number)


class Assignment(models.Model):
    """A posting of a staff member to a window or sub-center, with dates (含阶段性进驻交流)."""

    class Kind(models.TextChoices):
        REGULAR = "regular", "常驻"
        EXCHANGE = "exchange", "阶段性进驻交流"

    staff = models.ForeignKey(Staff, on_delete=models.CASCADE, related_name="assignments")
    center = models.ForeignKey(Center, verbose_name="中心", on_delete=models.PROTECT)
    window = models.ForeignKey(
        Window, verbose_name="窗口", null=True, blank=True, on_delete=models.PROTECT
    )
    kind = models.CharField("类型", max_length=10, choices=Kind.choices, default=Kind.REGULAR)
    start_date = models.DateField("开始日期")
    end_date = models.DateField("结束日期", null=True, blank=True)
    note = models.CharField("备注", max_length=200, blank=True)

    class Meta:
        ordering = ["staff", "-start_date"]
        verbose_name = verbose_name_plural = "岗位记录"
        constraints = [
            models.CheckConstraint(
                condition=Q(end_date__isnull=True) | Q(end_date__gte=models.F("start_date")),
                name="org_assignment_end_after_start",
            )
        ]

    def __str__(self) -> str:
        return f"{self.staff.name} {self.center} {self.start_date}"


def exchange_covering(day: dt.date) -> Q:
    """Postings that make their staff member 交流中 on `day`."""
    return Q(kind=Assignment.Kind.EXCHANGE, start_date__lte=day, end_date__gte=day)


def on_exchange(day: dt.date) -> Exists:
    """For a Staff queryset: whether an exchange posting covers `day`."""
    return Exists(Assignment.objects.filter(exchange_covering(day), staff=OuterRef("pk")))


class Separation(models.Model):
    """离职: the leaving date and reason of a staff member."""

    class Reason(models.TextChoices):
        PAY = "pay", "待遇低"
        PRESSURE = "pressure", "压力大"
        FAMILY = "family", "家庭原因"
        TRANSFER = "transfer", "调动"
        DISMISSAL = "dismissal", "辞退"
        OTHER = "other", "其他"

    staff = models.OneToOneField(Staff, on_delete=models.CASCADE, related_name="separation")
    date = models.DateField("离职日期", db_index=True)
    reason = models.CharField("原因", max_length=12, choices=Reason.choices)
    note = models.CharField("说明", max_length=200, blank=True)
    recorded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-date"]
        verbose_name = verbose_name_plural = "离职记录"

    def __str__(self) -> str:
        return f"{self.staff.name} {self.date} {self.get_reason_display()}"
