"""Template helpers of 竞聘上岗."""

from django import template

register = template.Library()


@register.filter
def yuan(value) -> str:
    """An integer amount of yuan with thousands separators: 492000 → 492,000."""
    try:
        return f"{int(value):,}"
    except (TypeError, ValueError):
        return ""
