"""Audit entries in templates: `{{ e.action|action_label }}`, `{{ e.after|changes }}`."""

from django import template

from chuangkou.core.audit_display import action_label as _action_label
from chuangkou.core.audit_display import readable_changes

register = template.Library()


@register.filter
def action_label(code: str) -> str:
    return _action_label(code or "")


@register.filter
def changes(data) -> list:
    return readable_changes(data)
