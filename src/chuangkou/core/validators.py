"""Checks of Chinese identity numbers, shared by forms, imports and the API."""

import datetime as dt
import re

from django.utils import timezone

from .errors import DomainError

_ID_WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
_ID_CHECK = "10X98765432"
_MOBILE = re.compile(r"^1[3-9]\d{9}$")


def id_check_digit(first17: str) -> str:
    """GB 11643-1999 check character of an 18-character 居民身份证号码."""
    return _ID_CHECK[sum(int(c) * w for c, w in zip(first17, _ID_WEIGHTS, strict=True)) % 11]


ID_BIRTH_MIN = dt.date(1900, 1, 1)


def id_birth_date(value: str) -> dt.date | None:
    """The birth date written in an 18-character ID number (None when it is no date)."""
    try:
        return dt.date(int(value[6:10]), int(value[10:12]), int(value[12:14]))
    except ValueError:
        return None


def validate_id_number(value: str, *, field: str = "id_number") -> str:
    value = (value or "").strip().upper()
    if not value:
        return ""
    if not re.fullmatch(r"\d{17}[\dX]", value):
        raise DomainError("身份证号应为 18 位，前 17 位是数字，最后一位是数字或 X。", field=field)
    born = id_birth_date(value)
    if born is None or not ID_BIRTH_MIN <= born <= timezone.localdate():
        raise DomainError("身份证号中的出生日期无效。", field=field)
    if id_check_digit(value[:17]) != value[17]:
        raise DomainError("身份证号校验位不正确，请核对后重新输入。", field=field)
    return value


def validate_mobile(value: str, *, field: str = "phone") -> str:
    value = re.sub(r"[\s-]", "", value or "")
    if not value:
        return ""
    if not _MOBILE.match(value):
        raise DomainError("手机号应为以 1 开头的 11 位数字。", field=field)
    return value
