"""Template helpers of the 好差评 pages."""

from django import template

from chuangkou.core.masking import mask_phone

from .. import selectors

register = template.Library()


@register.filter
def get_item(mapping, key):
    return mapping.get(key) if hasattr(mapping, "get") else None


@register.filter
def masked_citizen_phone(evaluation) -> str:
    return mask_phone(selectors.citizen_phone(evaluation))


@register.filter
def percent(value) -> str:
    """A rate in percent with its sign, or a dash when there is nothing to divide."""
    return "—" if value is None else f"{value}%"
