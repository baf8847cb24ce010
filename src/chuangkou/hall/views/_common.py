"""Helpers of the hall pages: the center a page works on, filters from the query string."""

from chuangkou.core.params import id_param, query_without_page, read_filters  # noqa: F401

from .. import selectors

CENTER_KEY = "hall_center"


def center_for(request):
    """The center the page is about: `?center=` (or a posted `center`) when the user may see it,
    else the one chosen before in this session, else the user's own."""
    centers = selectors.hall_centers_visible_to(request.user)
    wanted = id_param(request.GET, "center") or id_param(request.POST, "center")
    for pk in (wanted, request.session.get(CENTER_KEY)):
        center = centers.filter(pk=pk).first() if pk else None
        if center is not None:
            request.session[CENTER_KEY] = center.pk
            return center
    return selectors.default_center(request.user)


def list_filters(request, schema):
    """The list's FilterSchema from the query string; bad values show all rows with a warning."""
    return read_filters(request, schema, note="筛选条件无效，已显示全部记录。")
