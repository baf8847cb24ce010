"""`{% idempotency_field %}`: the hidden key that makes a double-submitted form create once."""

from django import template
from django.utils.html import format_html

from chuangkou.core.idempotency import FORM_FIELD, new_key

register = template.Library()


@register.simple_tag
def idempotency_field():
    return format_html('<input type="hidden" name="{}" value="{}">', FORM_FIELD, new_key())
