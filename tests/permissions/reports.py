"""Access to reports: the hall dashboard is for the center admin and the department heads."""

from .matrix import CA, DH, Access

ACCESS: list[Access] = [
    Access("GET", "/reports/hall/", frozenset({CA, DH}), url_name="reports:hall"),
    Access("GET", "/reports/hall/live/", frozenset({CA, DH}), url_name="reports:hall_live"),
]
