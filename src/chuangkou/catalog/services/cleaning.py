"""Checks of matter and material fields, shared by the services, the import and the API.

Each check raises DomainError with a Chinese message and the field it concerns, so that a form
shows it on the field and an import on the row and column.
"""

import re
from contextlib import contextmanager

from django.db import IntegrityError, transaction

from chuangkou.core.errors import DomainError

from ..models import CODE_REGEX, Material, Matter
from ..text import normalize, without_controls

CODE_PATTERN = re.compile(CODE_REGEX)
MAX_PROMISED_DAYS = 365
MAX_VISITS = 5
MAX_COPIES = 99
MAX_MATERIALS = 60

MATTER_FIELDS = (
    "code",
    "name",
    "department",
    "kind",
    "promised_days",
    "max_visits",
    "online",
    "conditions",
    "legal_basis",
    "fee",
    "produces",
)
MATERIAL_FIELDS = ("name", "requirement", "condition", "form", "copies")


def is_code(value: str) -> bool:
    return bool(CODE_PATTERN.fullmatch(value))


def _text(value) -> str:
    return without_controls(str(value or ""))


def clean_code(value, *, field: str = "code", label: str = "事项编码") -> str:
    code = _text(value).strip()
    if not code:
        raise DomainError(f"请填写{label}。", field=field)
    if len(code) > 40:
        raise DomainError(f"{label}不能超过 40 个字符。", field=field)
    if not CODE_PATTERN.fullmatch(code):
        raise DomainError(
            f"{label}只能由字母、数字、点、连字符和下划线组成，例如 330103-BDC-001。", field=field
        )
    return code


def clean_name(value, *, field: str = "name", label: str = "事项名称", max_length=200) -> str:
    name = " ".join(_text(value).split())
    if not name:
        raise DomainError(f"请填写{label}。", field=field)
    if len(name) > max_length:
        raise DomainError(f"{label}不能超过 {max_length} 个字。", field=field)
    return name


def _whole_number(value, *, field: str, label: str, low: int, high: int) -> int:
    if isinstance(value, bool):
        raise DomainError(f"{label}应为整数。", field=field)
    try:
        number = int(value)
    except (TypeError, ValueError):
        raise DomainError(f"{label}应为整数。", field=field) from None
    if isinstance(value, float) and not value.is_integer():
        raise DomainError(f"{label}应为整数。", field=field)
    if number < 0:
        raise DomainError(f"{label}不能为负数。", field=field)
    if not low <= number <= high:
        raise DomainError(f"{label}应在 {low}–{high} 之间。", field=field)
    return number


def _choice(value, choices, *, field: str, label: str) -> str:
    if value not in dict(choices):
        options = "、".join(shown for _, shown in choices)
        raise DomainError(f"{label}应为 {options} 之一。", field=field)
    return value


def clean_matter_fields(data: dict) -> dict:
    """Normalised copies of the matter fields present in `data`; the first broken rule raises."""
    clean = {}
    for key in data:
        if key not in MATTER_FIELDS:
            raise DomainError(f"不能修改字段 {key}。", field=key)
    if "code" in data:
        clean["code"] = clean_code(data["code"])
    if "name" in data:
        clean["name"] = clean_name(data["name"])
    if "department" in data:
        if data["department"] is None:
            raise DomainError("请选择实施部门。", field="department")
        clean["department"] = data["department"]
    if "kind" in data:
        clean["kind"] = _choice(data["kind"], Matter.Kind.choices, field="kind", label="事项类型")
    if "promised_days" in data:
        clean["promised_days"] = _whole_number(
            data["promised_days"],
            field="promised_days",
            label="承诺时限",
            low=0,
            high=MAX_PROMISED_DAYS,
        )
    if "max_visits" in data:
        clean["max_visits"] = _whole_number(
            data["max_visits"], field="max_visits", label="最多跑动次数", low=0, high=MAX_VISITS
        )
    if "online" in data:
        clean["online"] = bool(data["online"])
    for key in ("conditions", "legal_basis"):
        if key in data:
            clean[key] = _text(data[key]).strip()
    if "fee" in data:
        fee = " ".join(_text(data["fee"]).split()) or "不收费"
        if len(fee) > 200:
            raise DomainError("收费标准不能超过 200 个字。", field="fee")
        clean["fee"] = fee
    if "produces" in data:
        produces = " ".join(_text(data["produces"]).split())
        if len(produces) > 200:
            raise DomainError("办结产出证照不能超过 200 个字。", field="produces")
        clean["produces"] = produces
    return clean


def check_zero_visit_online(max_visits: int, online: bool) -> None:
    """零跑 means 全程网办: a matter with no visit must be available online."""
    if max_visits == 0 and not online:
        raise DomainError("零跑事项（最多跑动 0 次）须可网上办理。", field="max_visits")


def clean_material(data: dict, *, prefix: str = "") -> dict:
    """One material (申请材料): the MATERIAL_FIELDS present, plus `id` and files as given."""
    clean = {k: data[k] for k in ("id", "template", "sample") if data.get(k)}
    if "name" not in data:
        raise DomainError("请填写材料名称。", field=f"{prefix}name")
    clean["name"] = clean_name(
        data["name"], field=f"{prefix}name", label="材料名称", max_length=200
    )
    if "requirement" in data:
        clean["requirement"] = _choice(
            data["requirement"],
            Material.Requirement.choices,
            field=f"{prefix}requirement",
            label="是否必需",
        )
    if "condition" in data:
        condition = " ".join(_text(data["condition"]).split())
        if len(condition) > 200:
            raise DomainError("提交情形不能超过 200 个字。", field=f"{prefix}condition")
        clean["condition"] = condition
    if "form" in data:
        clean["form"] = _choice(
            data["form"], Material.Form.choices, field=f"{prefix}form", label="材料形式"
        )
    if "copies" in data:
        clean["copies"] = _whole_number(
            data["copies"], field=f"{prefix}copies", label="份数", low=1, high=MAX_COPIES
        )
    return clean


def clean_materials(materials: list[dict]) -> list[dict]:
    """Every material checked; a name asked twice (after normalising) is refused."""
    if len(materials) > MAX_MATERIALS:
        raise DomainError(f"一个事项最多 {MAX_MATERIALS} 项材料。", field="materials")
    cleaned, first_of = [], {}
    for i, data in enumerate(materials):
        prefix = f"materials.{i}."
        item = clean_material(data, prefix=prefix)
        key = normalize(item["name"])
        if key in first_of:
            raise DomainError(
                f"材料「{item['name']}」与第 {first_of[key] + 1} 项重复。", field=f"{prefix}name"
            )
        first_of[key] = i
        cleaned.append(item)
    return cleaned


@contextmanager
def code_taken_is_an_error(code: str):
    """Two people saving the same new code at once: the loser gets the same clear error as if
    the check before had caught it, not a database error."""
    try:
        with transaction.atomic():
            yield
    except IntegrityError:
        raise DomainError(
            f"编码 {code} 已被使用，或材料名称重复，请刷新后重试。", field="code"
        ) from None
