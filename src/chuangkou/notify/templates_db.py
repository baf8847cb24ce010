"""Template rows: made from the catalog on first use; the admin records the approval."""

from .catalog import TEMPLATES
from .models import Template


def ensure_all() -> None:
    have = set(Template.objects.values_list("code", flat=True))
    Template.objects.bulk_create(
        [
            Template(code=code, name=spec.name, body=spec.body)
            for code, spec in TEMPLATES.items()
            if code not in have
        ],
        ignore_conflicts=True,
    )


def template(code: str) -> Template:
    found = Template.objects.filter(code=code).first()
    if found is None:
        ensure_all()
        found = Template.objects.get(code=code)
    return found


def gateway_code(code: str) -> str:
    return template(code).gateway_code
