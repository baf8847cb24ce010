"""Helpers of the selection pages: filters that never fail, paging, the generic form page."""

from django.shortcuts import get_object_or_404, render

from chuangkou.core.params import page_of, read_filters  # noqa: F401

from .. import selectors
from ..models import Competition


def paged(request, queryset, per_page: int = 25) -> dict:
    query = request.GET.copy()
    query.pop("page", None)
    query.pop("export", None)
    return {
        "page": page_of(request, queryset, per_page),
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
