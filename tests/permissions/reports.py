"""Access to reports: the hall dashboard is for the center admin and the department heads;
the oversight overview for the center admin."""

from .matrix import CA, DH, Access

ACCESS: list[Access] = [
    Access("GET", "/reports/hall/", frozenset({CA, DH}), url_name="reports:hall"),
    Access("GET", "/reports/hall/live/", frozenset({CA, DH}), url_name="reports:hall_live"),
    # 督导总览 (honors): the center admin only
    Access("GET", "/reports/oversight/", frozenset({CA}), url_name="reports:oversight"),
]
