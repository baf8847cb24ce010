"""Template helpers shared by every page: form styling and masking."""

from django import forms, template

from chuangkou.core.masking import mask_id_number, mask_phone

register = template.Library()


@register.filter
def styled(field):
    """Render a bound field with Tabler's classes (form-select for choices, is-invalid on error)."""
    widget = field.field.widget
    if isinstance(widget, forms.CheckboxInput):
        css = "form-check-input"
    elif isinstance(widget, forms.Select):
        css = "form-select"
    else:
        css = "form-control"
    if field.errors:
        css += " is-invalid"
    return field.as_widget(attrs={"class": css})


register.filter("mask_id", mask_id_number)
register.filter("mask_phone", mask_phone)
