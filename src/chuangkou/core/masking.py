"""Masking of personal ID and phone numbers wherever they are shown (脱敏)."""


def mask_id_number(value: str | None) -> str:
    """居民身份证号 / 统一社会信用代码: keep the first 3 and last 4 characters."""
    if not value:
        return ""
    if len(value) <= 7:
        return "*" * len(value)
    return value[:3] + "*" * (len(value) - 7) + value[-4:]


def mask_phone(value: str | None) -> str:
    """Mobile 13812345678 -> 138****5678; other numbers keep their last 4 digits."""
    if not value:
        return ""
    if len(value) == 11 and value.isdigit():
        return value[:3] + "****" + value[-4:]
    if len(value) <= 4:
        return "*" * len(value)
    return "*" * (len(value) - 4) + value[-4:]
