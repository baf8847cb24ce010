"""Checks of the applicant's identity fields, shared by the services, forms and the import.

A person gives a 居民身份证号码 (checked by `core.validators`); a company gives its
统一社会信用代码 (GB 32100-2015: 18 characters, the last one a check character).
"""

import re

from chuangkou.core.errors import DomainError
from chuangkou.core.validators import validate_id_number, validate_mobile

CREDIT_CODE_CHARS = "0123456789ABCDEFGHJKLMNPQRTUWXY"
_CREDIT_WEIGHTS = (1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28)
_LANDLINE = re.compile(r"^0\d{2,3}-?\d{7,8}$")


def credit_code_check_char(first17: str) -> str:
    total = sum(
        CREDIT_CODE_CHARS.index(c) * w for c, w in zip(first17, _CREDIT_WEIGHTS, strict=True)
    )
    return CREDIT_CODE_CHARS[(31 - total % 31) % 31]


def validate_credit_code(value: str, *, field: str = "applicant_id") -> str:
    value = (value or "").strip().upper()
    if not value:
        return ""
    if len(value) != 18 or any(c not in CREDIT_CODE_CHARS for c in value):
        raise DomainError(
            "统一社会信用代码应为 18 位数字或大写字母（不含 I、O、Z、S、V）。", field=field
        )
    if credit_code_check_char(value[:17]) != value[17]:
        raise DomainError("统一社会信用代码校验位不正确，请核对后重新输入。", field=field)
    return value


def validate_applicant_id(kind: str, value: str, *, field: str = "applicant_id") -> str:
    """The ID number for a person, the credit code for a company (normalised)."""
    if kind == "company":
        return validate_credit_code(value, field=field)
    return validate_id_number(value, field=field)


def validate_phone(value: str, *, field: str = "applicant_phone") -> str:
    """A mobile number, or a landline like 0571-87654321."""
    text = re.sub(r"\s", "", value or "")
    if _LANDLINE.match(text):
        return text
    try:
        return validate_mobile(text, field=field)
    except DomainError:
        raise DomainError(
            "联系电话应为 11 位手机号，或带区号的固定电话（如 0571-87654321）。", field=field
        ) from None
