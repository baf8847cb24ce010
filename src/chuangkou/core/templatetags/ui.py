"""Template helpers shared by every page: form styling and masking."""

from django import forms, template
from django.utils.html import format_html, format_html_join

from chuangkou.core.masking import mask_id_number, mask_phone
from chuangkou.core.roles import ROLE_LABELS, Role

register = template.Library()


@register.filter
def styled(field):
    """Render a bound field with Tabler's classes (form-select for choices, is-invalid on error)."""
    widget = field.field.widget
    if isinstance(widget, forms.CheckboxSelectMultiple | forms.RadioSelect):
        return _choice_list(field)
    if isinstance(widget, forms.CheckboxInput):
        css = "form-check-input"
    elif isinstance(widget, forms.Select):
        css = "form-select"
    else:
        css = "form-control"
    if field.errors:
        css += " is-invalid"
    return field.as_widget(attrs={"class": css})


def _choice_list(field):
    """Tabler's inline form-check for each option of a checkbox or radio list."""
    items = []
    for option in field.subwidgets:
        option.data["attrs"]["class"] = "form-check-input"
        items.append(
            format_html(
                '<label class="form-check form-check-inline">{}'
                '<span class="form-check-label">{}</span></label>',
                option.tag(),
                option.choice_label,
            )
        )
    css = "is-invalid" if field.errors else ""
    return format_html(
        '<div class="{}">{}</div>', css, format_html_join("", "{}", ((i,) for i in items))
    )


@register.filter
def role_label(code: str) -> str:
    """A role's Chinese name from its code (the group's name); an unknown code as it is."""
    try:
        return ROLE_LABELS[Role(code)]
    except ValueError:
        return code


@register.filter
def role_labels(codes) -> str:
    """Role codes as their Chinese names, joined by 、."""
    return "、".join(role_label(code) for code in codes)


register.filter("mask_id", mask_id_number)
register.filter("mask_phone", mask_phone)
