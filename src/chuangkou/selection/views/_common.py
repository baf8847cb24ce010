"""Helpers of the selection pages: filters that never fail, paging, the generic form page."""

from django.contrib import messages
from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, render
from pydantic import ValidationError

from .. import selectors
from ..models import Competition


def read_filters(request, schema):
    """The list's FilterSchema from the query string; bad values fall back to no filter."""
    params = {k: v for k, v in request.GET.items() if k in schema.model_fields and v}
    try:
        return schema(**params)
    except ValidationError:
        messages.warning(request, "筛选条件无效，已显示全部。")
        return schema()


def paged(request, queryset, per_page: int = 25) -> dict:
    query = request.GET.copy()
    query.pop("page", None)
    query.pop("export", None)
    return {
        "page": Paginator(queryset, per_page).get_page(request.GET.get("page")),
        "query": query.urlencode(),
    }


def managed_competition(request, pk: int) -> Competition:
    return get_object_or_404(selectors.competitions_visible_to(request.user), pk=pk)


def form_page(request, *, form, title: str, competition, submit: str, confirm: str = "", **extra):
    """The one form page of this app: a card with the form, cancel back to the competition."""
    context = {
        "form": form,
        "title": title,
        "competition": competition,
        "submit": submit,
        "confirm": confirm,
        **extra,
    }
    return render(request, "selection/form.html", context)
