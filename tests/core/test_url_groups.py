"""The API's URL patterns grouped by app (core.url_groups): every path resolves to the same view
with the same arguments and reverses to the same URL as in ninja's flat list, in fewer tries."""

import re

from django.http import HttpResponse
from django.urls import URLResolver, get_resolver, path, resolve, reverse
from django.urls.resolvers import RoutePattern

from chuangkou.api import api
from chuangkou.core.url_groups import grouped_by_first_segment

UUID = "12345678-1234-5678-1234-567812345678"


def _sample(route: str) -> str:
    """A path the route matches: each <converter:name> as a value of its kind."""
    return re.sub(
        r"<(?:(\w+):)?\w+>", lambda m: UUID if m[1] in ("uuid", "uuidstr") else "1", route
    )


def test_every_api_path_resolves_and_reverses_as_in_the_flat_list():
    flat, _, namespace = api.urls
    assert namespace == "api"
    as_flat = URLResolver(RoutePattern(""), flat)  # ninja's own list, tried one by one
    for pattern in flat:
        route = str(pattern.pattern)
        expected = as_flat.resolve(_sample(route))
        match = resolve("/api/v1/" + _sample(route))
        # the same pattern (api.urls builds new view objects on each call: compared by route)
        assert match.route == "api/v1/" + expected.route, route
        assert (match.url_name, match.kwargs) == (expected.url_name, expected.kwargs), route
        assert match.namespaces == ["api"] and callable(match.func), route
        if "<" not in route:
            assert reverse(f"api:{pattern.name}") == "/api/v1/" + as_flat.reverse(pattern.name)


def test_every_api_route_has_a_name_of_its_own():
    """ninja names a route after its view function: hall's and consult's `transfer`, the four
    `figures` and the views made in a loop shared a name, and `reverse` gave the last one."""
    names = [pattern.name for pattern in api.urls[0]]
    assert all(names)
    assert len(names) == len(set(names))
    assert reverse("api:hall_transfer", args=[1]) == "/api/v1/hall/tickets/1/transfer"
    assert reverse("api:consult_transfer", args=[1]) == "/api/v1/consult/consultations/1/transfer"
    assert reverse("api:selection_finalise", args=[1]).endswith("/1/finalise")


def test_the_api_is_one_group_per_app():
    api_resolver = next(p for p in get_resolver().url_patterns if str(p.pattern) == "api/v1/")
    heads = [str(p.pattern) for p in api_resolver.url_patterns if isinstance(p, URLResolver)]
    assert "exams/" in heads and "hall/" in heads
    assert len(heads) == len(set(heads))
    assert len(api_resolver.url_patterns) < 25 < len(api.urls[0])


def _view(request):
    return HttpResponse()


def test_only_consecutive_literal_runs_are_grouped_so_the_order_of_tries_is_kept():
    patterns = [
        path("a/x", _view, name="ax"),
        path("<slug:any>/z", _view, name="anyz"),  # a converter first: never grouped
        path("a/z", _view, name="az"),  # after it: its own group, still tried after it
        path("b/<int:pk>", _view, name="b"),
        path("plain", _view, name="plain"),
    ]
    grouped, app_name, namespace = grouped_by_first_segment((patterns, "app", "ns"))
    assert (app_name, namespace) == ("app", "ns")
    shape = [
        (str(p.pattern), [str(q.pattern) for q in p.url_patterns])
        if isinstance(p, URLResolver)
        else str(p.pattern)
        for p in grouped
    ]
    assert shape == [("a/", ["x"]), "<slug:any>/z", ("a/", ["z"]), ("b/", ["<int:pk>"]), "plain"]
    assert all(isinstance(p.pattern, RoutePattern) for p in grouped)
    outer = URLResolver(RoutePattern(""), grouped)
    assert outer.resolve("a/z").url_name == "anyz"  # as in the flat list: the earlier pattern
    assert outer.resolve("b/7").kwargs == {"pk": 7}
