import re

from django.db import models
from django.db.models import Q

# 事项 and 一件事 codes: letters, digits, dots, hyphens and underscores (they appear in URLs).
CODE_REGEX = r"[A-Za-z0-9][A-Za-z0-9._-]{0,39}"


class Matter(models.Model):
    """事项: one administrative or public service matter, with its promise (承诺时限, 跑动次数)."""

    class Kind(models.TextChoices):
        LICENSE = "license", "行政许可"
        PUBLIC_SERVICE = "public_service", "公共服务"
        CONFIRMATION = "confirmation", "行政确认"
        PAYMENT = "payment", "行政给付"
        OTHER = "other", "其他"

    code = models.CharField("事项编码", max_length=40, unique=True)
    name = models.CharField("事项名称", max_length=200)
    department = models.ForeignKey(
        "org.Department", verbose_name="实施部门", on_delete=models.PROTECT, related_name="matters"
    )
    kind = models.CharField("事项类型", max_length=20, choices=Kind.choices, default=Kind.LICENSE)
    promised_days = models.PositiveSmallIntegerField("承诺办结时限（工作日）", default=0)
    max_visits = models.PositiveSmallIntegerField(
        "最多跑动次数", default=1, help_text="0 = 零跑（全程网办），1 = 跑一次"
    )
    online = models.BooleanField("可网上办理", default=False)
    conditions = models.TextField("受理条件", blank=True)
    legal_basis = models.TextField("设定依据", blank=True)
    fee = models.CharField("收费标准", max_length=200, blank=True, default="不收费")
    produces = models.CharField(
        "办结产出证照",
        max_length=200,
        blank=True,
        help_text="办结后发给申请人的证照或文书（如营业执照），多个用“、”分隔；"
        "同一件事中排在后面的事项不再要求提交",
    )
    is_active = models.BooleanField("在用", default=True)
    search_text = models.TextField(
        "检索词", blank=True, editable=False, help_text="名称与材料的分词，由服务层维护"
    )
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["code"]
        verbose_name = verbose_name_plural = "事项"
        constraints = [
            models.CheckConstraint(
                condition=Q(max_visits__lte=5), name="catalog_matter_max_visits_range"
            ),
            models.CheckConstraint(
                condition=Q(promised_days__lte=365), name="catalog_matter_promised_days_range"
            ),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def visits_label(self) -> str:
        """跑动次数 as people say it: 零跑, 跑一次, 最多跑 2 次."""
        return visits_label(self.max_visits)

    @property
    def days_label(self) -> str:
        """承诺时限: 即办 for 0, else "N 个工作日"."""
        return days_label(self.promised_days)

    @property
    def products(self) -> list[str]:
        """The documents it issues (`produces` split on 、，,;；)."""
        return [p.strip() for p in re.split(r"[、，,;；]", self.produces or "") if p.strip()]


def visits_label(visits: int) -> str:
    if visits == 0:
        return "零跑"
    if visits == 1:
        return "跑一次"
    return f"最多跑 {visits} 次"


def days_label(days: int) -> str:
    return "即办" if days == 0 else f"{days} 个工作日"


class Material(models.Model):
    """申请材料 of a matter."""

    class Requirement(models.TextChoices):
        REQUIRED = "required", "必需"
        CONDITIONAL = "conditional", "容缺/视情形提交"

    class Form(models.TextChoices):
        ORIGINAL = "original", "原件"
        COPY = "copy", "复印件"
        BOTH = "both", "原件和复印件"
        ELECTRONIC = "electronic", "电子材料"

    matter = models.ForeignKey(Matter, on_delete=models.CASCADE, related_name="materials")
    name = models.CharField("材料名称", max_length=200)
    requirement = models.CharField(
        "是否必需", max_length=12, choices=Requirement.choices, default=Requirement.REQUIRED
    )
    condition = models.CharField("提交情形", max_length=200, blank=True)
    form = models.CharField("材料形式", max_length=12, choices=Form.choices, default=Form.ORIGINAL)
    copies = models.PositiveSmallIntegerField("份数", default=1)
    template = models.FileField("空白模板", upload_to="catalog/templates/", blank=True)
    sample = models.FileField("示例样表", upload_to="catalog/samples/", blank=True)
    order = models.PositiveSmallIntegerField("顺序", default=0)

    class Meta:
        ordering = ["matter", "order", "id"]
        verbose_name = verbose_name_plural = "申请材料"
        constraints = [
            models.UniqueConstraint(fields=["matter", "name"], name="catalog_material_unique_name"),
            models.CheckConstraint(
                condition=Q(copies__gte=1, copies__lte=99), name="catalog_material_copies_range"
            ),
        ]

    def __str__(self) -> str:
        return self.name


class Bundle(models.Model):
    """ "一件事": several matters handled together with one merged material list."""

    code = models.CharField("编码", max_length=40, unique=True)
    name = models.CharField("名称", max_length=200)
    description = models.TextField("说明", blank=True)
    matters = models.ManyToManyField(Matter, through="BundleItem", verbose_name="包含事项")
    is_active = models.BooleanField("在用", default=True)

    class Meta:
        ordering = ["code"]
        verbose_name = verbose_name_plural = "一件事"

    def __str__(self) -> str:
        return self.name


class BundleItem(models.Model):
    bundle = models.ForeignKey(Bundle, on_delete=models.CASCADE, related_name="items")
    matter = models.ForeignKey(Matter, on_delete=models.PROTECT)
    order = models.PositiveSmallIntegerField("顺序", default=0)

    class Meta:
        ordering = ["bundle", "order"]
        verbose_name = verbose_name_plural = "一件事包含的事项"
        constraints = [
            models.UniqueConstraint(fields=["bundle", "matter"], name="catalog_bundleitem_unique")
        ]

    def __str__(self) -> str:
        return f"{self.bundle_id}:{self.matter_id}"
