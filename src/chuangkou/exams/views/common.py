"""Helpers shared by the exam pages."""

from django.contrib import messages
from django.core.paginator import Paginator
from pydantic import ValidationError

MANAGE_ROLES_NOTE = "中心管理员"


def read_filters(request, schema):
    """The list's FilterSchema from the query string; bad values fall back to no filter."""
    params = {k: v for k, v in request.GET.items() if k in schema.model_fields and v}
    try:
        return schema(**params)
    except ValidationError:
        messages.warning(request, "筛选条件无效，已显示全部。")
        return schema()


def paged(request, queryset, per_page: int = 25):
    page = Paginator(queryset, per_page).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    query.pop("export", None)
    return page, query.urlencode()
