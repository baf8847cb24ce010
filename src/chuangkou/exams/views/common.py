"""Helpers shared by the exam pages."""

from chuangkou.core.params import page_of, query_without_page, read_filters  # noqa: F401

MANAGE_ROLES_NOTE = "中心管理员"


def paged(request, queryset, per_page: int = 25):
    return page_of(request, queryset, per_page), query_without_page(request)
