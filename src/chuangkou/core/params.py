"""Reading query parameters of list pages without ever failing on bad input."""

import datetime as dt

from django.utils.dateparse import parse_date


def date_param(params, name: str) -> dt.date | None:
    """The date in `params[name]`, or None when absent or not a real date."""
    try:
        return parse_date(params.get(name, "") or "")
    except ValueError:
        return None


def int_param(params, name: str) -> int | None:
    value = params.get(name, "")
    return int(value) if value.isdigit() and len(value) < 10 else None
