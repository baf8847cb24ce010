"""Small checks shared by the supervision services."""

import datetime as dt

from django.utils import timezone

from chuangkou.core.errors import DomainError
from chuangkou.core.params import has_nul, in_window


def text(value, *, field: str, what: str, limit: int = 500, required: bool = False) -> str:
    """`value` stripped; DomainError when required and empty, too long, or holding NUL."""
    result = (value or "").strip()
    if has_nul(result):
        raise DomainError(f"{what}包含无效字符。", field=field)
    if required and not result:
        raise DomainError(f"请填写{what}。", field=field)
    if len(result) > limit:
        raise DomainError(f"{what}不能超过 {limit} 字。", field=field)
    return result


def day_or_today(day: dt.date | None, *, field: str = "on") -> dt.date:
    """The day a move counts for: given (not in the future) or today."""
    today = timezone.localdate()
    if day is None:
        return today
    if not in_window(day):
        raise DomainError("日期须在 2000-01-01 至 2100-12-31 之间。", field=field)
    if day > today:
        raise DomainError("日期不能晚于今天。", field=field)
    return day
